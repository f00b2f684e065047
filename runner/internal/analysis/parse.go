package analysis

import (
	"bytes"
	"errors"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"galley/runner/internal/position"
	"galley/runner/internal/value"
)

// The keys each part of an analysis accepts. The JSON Schema in
// docs/analysis.schema.json is tested against these lists.
var (
	TopKeys      = []string{"title", "dek", "byline", "date", "datasets", "views", "values", "claims", "body"}
	DatasetKeys  = []string{"path", "format", "sha256", "source", "columns", "delimiter", "encoding", "null", "skip_rows", "file_column", "sheet", "range", "header_rows", "records"}
	SourceKeys   = []string{"title", "publisher", "author", "url", "published", "accessed", "license", "note"}
	ColumnKeys   = []string{"type", "format", "from", "required", "null"}
	ViewKeys     = []string{"from", "from_column", "join", "unpivot", "where", "derive", "group_by", "aggregate", "pivot", "complete", "window", "select", "distinct", "order_by", "limit", "labels", "formats"}
	ValueKeys    = []string{"expr", "format"}
	JoinKeys     = []string{"view", "on", "columns"}
	UnpivotKeys  = []string{"columns", "names_to", "values_to"}
	PivotKeys    = []string{"names_from", "values_from", "columns", "fill"}
	CompleteKeys = []string{"columns", "every", "fill"}
	WindowKeys   = []string{"partition_by", "order_by", "derive"}
	LimitKeys    = []string{"rows", "with_ties"}
	StepUnits    = []string{"day", "week", "month", "quarter", "year"} // complete: every: for a date column
	ClaimKeys    = []string{"id", "text", "check"}
	CellKeys     = []string{"md", "chart", "table", "claim"}
	TableKeys    = []string{"view", "columns", "caption", "limit", "labels", "formats"}
	ChartKeys    = append([]string{"type", "data", "x", "y", "series", "title", "subtitle", "caption", "x_label", "y_label", "unit", "format", "stack", "horizontal",
		"labels", "formats", "height", "marks", "facet"}, MapKeys...)
	MarkKeys     = []string{"x", "y", "label"}
	MaxFileBytes = 4 << 20 // an analysis is prose and expressions, never data
)

// maxDepth is how deep an analysis may nest: far more than any needs, and
// few enough that walking the tree cannot exhaust the stack.
const maxDepth = 64

var unknownAnchorRE = regexp.MustCompile(`unknown anchor '([^']*)' referenced`)

var yamlLineRE = regexp.MustCompile(`^yaml: (?:line (\d+): )?(.*)$`)

// Parse reads one analysis file. path is how errors name it. The result is
// nil only when the YAML itself cannot be read; otherwise the File is as
// complete as the errors allowed, and err lists every problem found.
func Parse(path string, src []byte) (*File, error) {
	if len(src) > MaxFileBytes {
		return nil, position.Errorf(position.Pos{File: path, Line: 1, Col: 1},
			"the analysis is %d bytes, over the %d-byte limit; keep data in datasets/", len(src), MaxFileBytes)
	}
	if !utf8.Valid(src) {
		line := 1 + bytes.Count(src[:firstInvalid(src)], []byte("\n"))
		return nil, position.Errorf(position.Pos{File: path, Line: line, Col: 1},
			"the analysis is not valid UTF-8; save it as UTF-8")
	}
	// yaml.v3 reads a lone carriage return as a line break, where every
	// other tool (and every position Galley prints) counts only \n.
	for i := 0; i < len(src); i++ {
		if src[i] == '\r' && (i+1 == len(src) || src[i+1] != '\n') {
			line := 1 + bytes.Count(src[:i], []byte("\n"))
			col := i - bytes.LastIndexByte(src[:i], '\n')
			return nil, position.Errorf(position.Pos{File: path, Line: line, Col: col},
				"a carriage return without a line feed; save the analysis with LF (or CRLF) line ends")
		}
	}
	d := &decoder{path: path, lines: strings.Split(string(src), "\n")}
	doc, err := d.document(src)
	if doc == nil {
		return nil, err
	}
	f := &File{Path: path, Source: src}
	d.file(doc.Content[0], f)
	return f, d.errs.Err()
}

// document reads the one YAML document of src. A second document is
// refused, not ignored: what follows a --- line would otherwise be shown in
// the report's source and never checked.
func (d *decoder) document(src []byte) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(src))
	var doc yaml.Node
	if err := dec.Decode(&doc); errors.Is(err, io.EOF) {
		return nil, position.Errorf(position.Pos{File: d.path, Line: 1, Col: 1}, "the analysis is empty; start with title: and datasets:")
	} else if err != nil {
		return nil, d.yamlError(src, err)
	}
	var next yaml.Node
	if err := dec.Decode(&next); err == nil {
		d.errorf(&next, "a second YAML document starts here, and an analysis is one document: Galley would not read it (remove the --- line to join the parts, or move this part to an analysis of its own)")
		return nil, d.errs.Err()
	} else if !errors.Is(err, io.EOF) {
		return nil, d.yamlError(src, err)
	}
	if len(doc.Content) == 0 {
		return nil, position.Errorf(position.Pos{File: d.path, Line: 1, Col: 1}, "the analysis is empty; start with title: and datasets:")
	}
	if !d.noAliases(&doc) {
		return nil, d.errs.Err()
	}
	return &doc, nil
}

// yamlError positions a YAML error. yaml.v3 stops at its own nesting limit
// (10,000 levels) before Galley's (64) can be checked; such a document is
// cut where it is deep enough, its open brackets closed, and read again, so
// that Galley's check names the first node too deep, at its place in the
// whole file, as it does for a document yaml.v3 can read.
func (d *decoder) yamlError(src []byte, err error) error {
	if !strings.Contains(err.Error(), "exceeded max depth") {
		return yamlError(d.path, src, err)
	}
	if cut, ok := cutDeep(src, 1000); ok {
		var doc yaml.Node
		if yaml.Unmarshal(cut, &doc) == nil && !d.noAliases(&doc) {
			return d.errs.Err()
		}
		d.errs = nil
	}
	e := position.Errors(yamlError(d.path, src, err))[0]
	return position.Errorf(position.Pos{File: d.path, Line: e.Pos.Line, Col: 1}, "the analysis nests deeper than %d levels", maxDepth)
}

// cutDeep finds where src nests at levels deep, counting flow collections
// ([ and {) and compact block lists (- - -) on one line, the ways a file of
// at most MaxFileBytes can pass yaml.v3's limit, and returns src up to there
// with the open flow collections closed. It reads quotes and comments
// roughly (what it finds is only used if the depth check agrees).
func cutDeep(src []byte, levels int) ([]byte, bool) {
	var closers []byte // of the open flow collections, innermost last
	dashes := 0        // block list indicators in a row on this line
	prev := byte('\n') // the last character that is not a space
	for i := 0; i < len(src); i++ {
		c := src[i]
		nodeStart := strings.IndexByte("\n:-,[{?", prev) >= 0
		switch {
		case c == ' ' || c == '\t' || c == '\r':
			continue
		case c == '\n':
			dashes = 0
		case c == '#' && (i == 0 || strings.IndexByte(" \t\n", src[i-1]) >= 0):
			for i+1 < len(src) && src[i+1] != '\n' {
				i++
			}
		case (c == '\'' || c == '"') && nodeStart:
			i = endQuoted(src, i)
		case (c == '[' || c == '{') && (nodeStart || len(closers) > 0):
			closers = append(closers, c+2) // ] and } are two past [ and {
			if len(closers)+dashes >= levels {
				return append(src[:i+1:i+1], reversed(closers)...), true
			}
		case (c == ']' || c == '}') && len(closers) > 0:
			closers = closers[:len(closers)-1]
		case c == '-' && len(closers) == 0 && (prev == '\n' || prev == '-') && (i+1 == len(src) || strings.IndexByte(" \n", src[i+1]) >= 0):
			dashes++
			if dashes >= levels {
				return src[:i+1], true
			}
		}
		prev = c
	}
	return nil, false
}

// endQuoted returns the index of the quote that closes the scalar opened
// at src[i], or the last index when there is none.
func endQuoted(src []byte, i int) int {
	q := src[i]
	for j := i + 1; j < len(src); j++ {
		switch {
		case q == '"' && src[j] == '\\':
			j++
		case src[j] == q && q == '\'' && j+1 < len(src) && src[j+1] == '\'':
			j++
		case src[j] == q:
			return j
		}
	}
	return len(src) - 1
}

func reversed(b []byte) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		out[len(b)-1-i] = c
	}
	return out
}

func firstInvalid(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// yamlError turns a yaml.v3 syntax error into a positioned one. yaml.v3
// gives only the line; where the column can be found from the source, it is.
func yamlError(path string, src []byte, err error) error {
	msg := err.Error()
	line, col := 1, 1
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		if m[1] != "" {
			line, _ = strconv.Atoi(m[1])
		}
		msg = m[2]
	}
	text := ""
	if lines := strings.Split(string(src), "\n"); line >= 1 && line <= len(lines) {
		text = lines[line-1]
	}
	if m := unknownAnchorRE.FindStringSubmatch(msg); m != nil {
		// An alias with no anchor: yaml.v3 gives no line; find the alias.
		for i, l := range strings.Split(string(src), "\n") {
			if j := strings.Index(l, "*"+m[1]); j >= 0 {
				line, col = i+1, j+1
				break
			}
		}
		return position.Errorf(position.Pos{File: path, Line: line, Col: col},
			"anchors and aliases (& and *) are not supported; write each part out so it reads top to bottom")
	}
	switch {
	case strings.Contains(msg, "mapping values are not allowed"):
		// The second ": " on the line is the one YAML cannot read.
		if i := strings.Index(text, ": "); i >= 0 {
			if j := strings.Index(text[i+2:], ": "); j >= 0 {
				col = i + 2 + j + 1
			}
		}
		msg += " (an expression holding \": \", such as a ? b : c, must be quoted: 'a ? b : c')"
	case strings.Contains(msg, "did not find expected ',' or '}'"), strings.Contains(msg, "did not find expected ',' or ']'"):
		// yaml.v3 names the line the flow mapping or list ends on, or
		// the key before it: find the quoted value with text after it.
		lines := strings.Split(string(src), "\n")
		for i := max(line-1, 0); i < len(lines) && i < line+50; i++ {
			if c := afterQuoted(lines[i]); c > 0 {
				line, col = i+1, c
				break
			}
		}
		msg += ` (in {...} or [...] a value that starts with a quote ends at its closing quote, and a comma ends a value: quote the whole expression with the other kind of quote, e.g. expr: '"Black" == race')`
	case strings.Contains(msg, "tab character"):
		if i := strings.IndexByte(text, '\t'); i >= 0 {
			col = i + 1
		}
		msg += " (indent with spaces, not tabs)"
	case strings.Contains(msg, "found character that cannot start any token"):
		if i := strings.IndexByte(text, '\t'); i >= 0 {
			col = i + 1
			msg += " (YAML indents with spaces, not tabs)"
		}
	}
	return position.Errorf(position.Pos{File: path, Line: line, Col: col}, "%s", msg)
}

// afterQuoted returns the column (from 1) of the first text after a
// quoted value inside {...} or [...] on line that is not a comma, a
// closing bracket or a comment, or 0 when there is none.
func afterQuoted(line string) int {
	depth := 0
	for i := 0; i < len(line); i++ {
		switch c := line[i]; {
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			depth--
		case c == '#' && (i == 0 || line[i-1] == ' '):
			return 0
		case (c == '"' || c == '\'') && depth > 0 && startsValue(line[:i]):
			end := endQuoted([]byte(line), i)
			if end == i || line[end] != c {
				return 0 // not closed on this line
			}
			j := end + 1
			for j < len(line) && line[j] == ' ' {
				j++
			}
			if j < len(line) && !strings.ContainsRune(",}]:#", rune(line[j])) {
				return j + 1
			}
			i = end
		}
	}
	return 0
}

// startsValue reports whether a quote after before begins a value: after
// a colon, a comma or an opening bracket.
func startsValue(before string) bool {
	t := strings.TrimRight(before, " ")
	return t == "" || strings.HasSuffix(t, ":") || strings.HasSuffix(t, ",") || strings.HasSuffix(t, "{") || strings.HasSuffix(t, "[")
}

// noAliases refuses anchors and aliases: an analysis reads top to bottom,
// and aliases are how YAML "billion laughs" bombs are built.
func (d *decoder) noAliases(n *yaml.Node) bool {
	ok := true
	var walk func(*yaml.Node, int)
	walk = func(n *yaml.Node, depth int) {
		if !ok {
			return
		}
		if depth > maxDepth {
			d.errorf(n, "the analysis nests deeper than %d levels", maxDepth)
			ok = false
			return
		}
		if n.Kind == yaml.AliasNode || n.Anchor != "" {
			d.errorf(n, "anchors and aliases (& and *) are not supported; write each part out so it reads top to bottom")
			ok = false
			return
		}
		for _, c := range n.Content {
			walk(c, depth+1)
		}
	}
	walk(n, 0)
	return ok
}

func (d *decoder) file(n *yaml.Node, f *File) {
	m, ok := d.mapping(n, nil, "the analysis", TopKeys, []string{"title", "datasets"})
	if !ok {
		return
	}
	if e, ok := m["title"]; ok {
		f.Title = d.str(e.value, "title")
	}
	if e, ok := m["dek"]; ok {
		f.Dek = d.str(e.value, "dek")
	}
	if e, ok := m["byline"]; ok {
		f.Byline = d.str(e.value, "byline")
	}
	if e, ok := m["date"]; ok {
		f.Date = d.date(e.value, "date")
	}
	if e, ok := m["datasets"]; ok {
		for _, p := range d.pairs(e.value, "datasets") {
			if d.name(p.keyN, "dataset") {
				f.Datasets = append(f.Datasets, d.dataset(p))
			}
		}
	}
	if e, ok := m["views"]; ok {
		for _, p := range d.pairs(e.value, "views") {
			if d.name(p.keyN, "view") {
				f.Views = append(f.Views, d.view(p))
			}
		}
	}
	if e, ok := m["values"]; ok {
		for _, p := range d.pairs(e.value, "values") {
			if d.name(p.keyN, "value") {
				f.Values = append(f.Values, d.value(p))
			}
		}
	}
	if e, ok := m["claims"]; ok {
		f.Claims = d.claims(e.value)
	}
	if e, ok := m["body"]; ok {
		f.Body = d.body(e.value)
	}
}

func (d *decoder) dataset(p entry) *Dataset {
	ds := &Dataset{Name: p.key, Pos: d.pos(p.keyN)}
	what := "dataset " + strconv.Quote(p.key)
	m, ok := d.mapping(p.value, p.keyN, what, DatasetKeys, []string{"path", "source", "columns"})
	if !ok {
		return ds
	}
	if e, ok := m["path"]; ok {
		ds.Path = d.str(e.value, what+": path")
	}
	if e, ok := m["sha256"]; ok {
		if e.value.Kind == yaml.MappingNode {
			ds.PinsSet = true
			ds.Pins = d.pins(e.value, what+": sha256")
		} else {
			ds.SHA256 = d.str(e.value, what+": sha256")
		}
	}
	if e, ok := m["source"]; ok {
		ds.Source = d.citation(e, what)
	}
	if e, ok := m["columns"]; ok {
		for _, c := range d.pairs(e.value, what+": columns") {
			if d.name(c.keyN, "column") {
				ds.Columns = append(ds.Columns, d.column(c, what))
			}
		}
		if len(ds.Columns) == 0 && e.value.Kind == yaml.MappingNode {
			d.errorf(e.value, "%s: columns is empty; declare at least one column (galley init prints them)", what)
		}
	}
	if e, ok := m["delimiter"]; ok {
		ds.Delimiter = d.str(e.value, what+": delimiter")
	}
	if e, ok := m["encoding"]; ok {
		ds.Encoding = d.str(e.value, what+": encoding")
	}
	if e, ok := m["null"]; ok {
		ds.NullSet = true
		ds.Null = d.markers(e.value, what+": null")
	}
	if e, ok := m["skip_rows"]; ok {
		ds.SkipRows = d.integer(e.value, what+": skip_rows", 0)
	}
	if e, ok := m["format"]; ok {
		ds.Format = d.str(e.value, what+": format")
	}
	if e, ok := m["file_column"]; ok {
		ds.FileColumn = d.str(e.value, what+": file_column")
	}
	if e, ok := m["sheet"]; ok {
		ds.Sheet = d.str(e.value, what+": sheet")
	}
	if e, ok := m["range"]; ok {
		ds.Range = d.str(e.value, what+": range")
	}
	if e, ok := m["header_rows"]; ok {
		ds.HeaderRows = d.integer(e.value, what+": header_rows", 1)
	}
	if e, ok := m["records"]; ok {
		ds.Records = d.str(e.value, what+": records")
	}
	d.formatDataset(ds, m, what)
	return ds
}

// markers reads null markers: a list of strings, or one string.
func (d *decoder) markers(n *yaml.Node, what string) []String {
	var items []*yaml.Node
	switch n.Kind {
	case yaml.ScalarNode:
		items = []*yaml.Node{n}
	case yaml.SequenceNode:
		items = n.Content
	default:
		d.errorf(n, "%s must be a list of markers such as [\"\", \"NA\"]", what)
		return nil
	}
	out := []String{}
	for _, it := range items {
		s, ok := d.scalar(it, what+" entry")
		if ok {
			out = append(out, String{Value: s, Pos: d.contentPos(it), Set: true})
		}
	}
	return out
}

func (d *decoder) citation(e entry, what string) Citation {
	c := Citation{Pos: d.pos(e.keyN)}
	what += ": source"
	m, ok := d.mapping(e.value, e.keyN, what, SourceKeys, []string{"title", "publisher", "accessed", "license"})
	if !ok {
		return c
	}
	get := func(key string, dst *String) {
		if e, ok := m[key]; ok {
			if key == "published" || key == "accessed" {
				*dst = d.date(e.value, what+": "+key)
			} else {
				*dst = d.str(e.value, what+": "+key)
			}
		}
	}
	get("title", &c.Title)
	get("publisher", &c.Publisher)
	get("author", &c.Author)
	get("url", &c.URL)
	get("published", &c.Published)
	get("accessed", &c.Accessed)
	get("license", &c.License)
	get("note", &c.Note)
	if c.URL.Set && !(strings.HasPrefix(c.URL.Value, "https://") || strings.HasPrefix(c.URL.Value, "http://")) {
		d.errs.Add(c.URL.Pos, "%s: url must start with https:// or http://, not %q", what, c.URL.Value)
		c.URL = String{}
	}
	return c
}

func (d *decoder) column(p entry, what string) *Column {
	c := &Column{Name: p.key, Pos: d.pos(p.keyN)}
	what += ": column " + strconv.Quote(p.key)
	typeNode := p.value
	var m map[string]entry
	if p.value.Kind == yaml.MappingNode {
		var ok bool
		m, ok = d.mapping(p.value, p.keyN, what, ColumnKeys, []string{"type"})
		if !ok {
			return c
		}
		e, ok := m["type"]
		if !ok {
			return c
		}
		typeNode = e.value
	}
	t, ok := d.scalar(typeNode, what+": type")
	if !ok {
		return c
	}
	c.TypePos = d.pos(typeNode)
	typ, found := value.ParseType(t)
	c.Type = typ
	if !found {
		d.errorf(typeNode, "%s: unknown type %q%s", what, t, hintOrList(t, value.TypeNames(), "types"))
	}
	if e, ok := m["format"]; ok {
		f := d.str(e.value, what+": format")
		if c.Type != TypeDate {
			d.errorf(e.keyN, "%s: format applies to dates only", what)
		}
		c.Layout, c.LayoutPos = f.Value, f.Pos
	}
	if e, ok := m["from"]; ok {
		c.FromPos = d.contentPos(e.value)
		if s, ok := d.scalar(e.value, what+": from"); ok {
			if e.value.Tag == "!!int" {
				n, err := strconv.Atoi(s)
				if err != nil || n < 1 {
					d.errorf(e.value, "%s: from: a column position counts from 1, not %q", what, s)
				}
				c.FromIdx = n
			} else {
				c.From = s
			}
		}
	}
	if e, ok := m["required"]; ok {
		c.Required = d.boolean(e.value, what+": required")
	}
	if e, ok := m["null"]; ok {
		for _, s := range d.markers(e.value, what+": null") {
			c.Null = append(c.Null, s.Value)
		}
	}
	return c
}

func (d *decoder) view(p entry) *View {
	v := &View{Name: p.key, Pos: d.pos(p.keyN)}
	what := "view " + strconv.Quote(p.key)
	m, ok := d.mapping(p.value, p.keyN, what, ViewKeys, []string{"from"})
	if !ok {
		return v
	}
	if e, ok := m["from"]; ok {
		if e.value.Kind == yaml.SequenceNode {
			v.Append = true
			v.Sources = d.refs(e.value, what+": from")
			if len(v.Sources) == 0 {
				d.errorf(e.value, "%s: from: an empty list; name the datasets or views to append, e.g. from: [y2019, y2020]", what)
			}
		} else {
			v.Sources = []Ref{d.ref(e.value, what+": from")}
		}
		if len(v.Sources) > 0 {
			v.From = v.Sources[0]
		}
	}
	if e, ok := m["from_column"]; ok {
		v.FromColumn = d.str(e.value, what+": from_column")
		if v.FromColumn.Set && !identRE.MatchString(v.FromColumn.Value) {
			d.errorf(e.value, "%s: from_column: column name %q must be letters, digits and _, starting with a letter or _", what, v.FromColumn.Value)
		}
		if !v.Append {
			d.errorf(e.keyN, "%s: from_column names the input each row came from, for an append: write from as a list, from: [a, b]", what)
		}
	}
	if e, ok := m["join"]; ok {
		v.Join = d.join(e, what)
	}
	if e, ok := m["unpivot"]; ok {
		v.Unpivot = d.unpivot(e, what)
	}
	if e, ok := m["where"]; ok {
		switch e.value.Kind {
		case yaml.SequenceNode:
			for _, it := range e.value.Content {
				v.Where = append(v.Where, d.expr(it, what+": where"))
			}
		default:
			v.Where = append(v.Where, d.expr(e.value, what+": where"))
		}
	}
	if e, ok := m["derive"]; ok {
		v.Derive = d.named(e.value, what+": derive")
	}
	if e, ok := m["group_by"]; ok {
		v.GroupBy = d.refs(e.value, what+": group_by")
	}
	if e, ok := m["aggregate"]; ok {
		v.Aggregate = d.named(e.value, what+": aggregate")
	}
	if e, ok := m["pivot"]; ok {
		v.Pivot = d.pivot(e, what)
		for _, k := range []string{"group_by", "aggregate"} {
			if g, ok := m[k]; ok {
				d.errorf(g.keyN, "%s: %s and pivot are one step, a row per key: a pivot takes the place of group_by and aggregate (aggregate in a view, pivot it in another that reads it)", what, k)
			}
		}
	}
	if e, ok := m["complete"]; ok {
		v.Complete = d.complete(e, what)
	}
	if e, ok := m["window"]; ok {
		v.Window = d.window(e, what)
	}
	if e, ok := m["select"]; ok {
		v.Select = d.refs(e.value, what+": select")
	}
	if e, ok := m["distinct"]; ok {
		v.Distinct = Bool{Value: d.boolean(e.value, what+": distinct"), Pos: d.pos(e.keyN), Set: true}
	}
	if e, ok := m["order_by"]; ok {
		v.OrderBy = d.orderKeys(e.value, what+": order_by")
	}
	if e, ok := m["limit"]; ok {
		if e.value.Kind == yaml.MappingNode {
			lm, ok := d.mapping(e.value, e.keyN, what+": limit", LimitKeys, []string{"rows"})
			if ok {
				if r, ok := lm["rows"]; ok {
					v.Limit = d.integer(r.value, what+": limit: rows", 1)
				}
				if w, ok := lm["with_ties"]; ok {
					v.WithTies = d.boolean(w.value, what+": limit: with_ties")
				}
			}
		} else {
			v.Limit = d.integer(e.value, what+": limit", 1)
		}
	}
	if e, ok := m["labels"]; ok {
		v.Labels = d.labels(e.value, what+": labels")
	}
	if e, ok := m["formats"]; ok {
		v.Formats = d.labels(e.value, what+": formats")
	}
	return v
}

// value reads one entry of values:, NAME: EXPR or NAME: {expr: EXPR,
// format: FORMAT}.
func (d *decoder) value(p entry) *Value {
	v := &Value{Name: p.key, Pos: d.pos(p.keyN)}
	what := "value " + p.key
	if p.value.Kind != yaml.MappingNode {
		v.Expr = d.expr(p.value, what)
		return v
	}
	m, ok := d.mapping(p.value, p.keyN, what, ValueKeys, []string{"expr"})
	if !ok {
		return v
	}
	if e, ok := m["expr"]; ok {
		v.Expr = d.expr(e.value, what)
	}
	if e, ok := m["format"]; ok {
		v.Format = d.str(e.value, what+": format")
	}
	return v
}

func (d *decoder) orderKeys(n *yaml.Node, what string) []OrderKey {
	var out []OrderKey
	for _, r := range d.refs(n, what) {
		k := OrderKey{Name: r.Name, Pos: r.Pos}
		if strings.HasPrefix(k.Name, "-") {
			k.Name, k.Desc = strings.TrimSpace(k.Name[1:]), true
		}
		out = append(out, k)
	}
	return out
}

func (d *decoder) unpivot(e entry, what string) *Unpivot {
	u := &Unpivot{Pos: d.pos(e.keyN)}
	what += ": unpivot"
	m, ok := d.mapping(e.value, e.keyN, what, UnpivotKeys, []string{"columns", "names_to", "values_to"})
	if !ok {
		return u
	}
	if e, ok := m["columns"]; ok {
		u.Columns = d.refs(e.value, what+": columns")
		if len(u.Columns) == 0 {
			d.errorf(e.value, "%s: columns needs at least one column to turn into rows", what)
		}
	}
	u.NamesTo = d.newName(m, "names_to", what)
	u.ValuesTo = d.newName(m, "values_to", what)
	return u
}

// newName reads the name of a column a step makes.
func (d *decoder) newName(m map[string]entry, key, what string) String {
	e, ok := m[key]
	if !ok {
		return String{}
	}
	s := d.str(e.value, what+": "+key)
	if s.Set && !identRE.MatchString(s.Value) {
		d.errorf(e.value, "%s: %s: column name %q must be letters, digits and _, starting with a letter or _ (it is used in expressions)", what, key, s.Value)
		return String{}
	}
	return s
}

func (d *decoder) pivot(e entry, what string) *Pivot {
	pv := &Pivot{Pos: d.pos(e.keyN)}
	what += ": pivot"
	m, ok := d.mapping(e.value, e.keyN, what, PivotKeys, []string{"names_from", "values_from", "columns"})
	if !ok {
		return pv
	}
	if e, ok := m["names_from"]; ok {
		pv.NamesFrom = d.ref(e.value, what+": names_from")
	}
	if e, ok := m["values_from"]; ok {
		pv.ValuesFrom = d.ref(e.value, what+": values_from")
	}
	if e, ok := m["columns"]; ok {
		for _, c := range d.pairs(e.value, what+": columns") {
			if !d.name(c.keyN, "column") {
				continue
			}
			if lit, ok := d.literal(c.value, what+": columns: "+c.key); ok {
				pv.Columns = append(pv.Columns, PivotColumn{Name: c.key, Pos: d.pos(c.keyN), Value: lit})
			}
		}
		if len(pv.Columns) == 0 && e.value.Kind == yaml.MappingNode {
			d.errorf(e.value, "%s: columns is empty; map each new column to the value of %s it takes, e.g. gunfire: \"Gunfire\"", what, pv.NamesFrom.Name)
		}
	}
	if e, ok := m["fill"]; ok {
		if lit, ok := d.literal(e.value, what+": fill"); ok {
			pv.Fill = &lit
		}
	}
	return pv
}

func (d *decoder) complete(e entry, what string) *Complete {
	c := &Complete{Pos: d.pos(e.keyN)}
	what += ": complete"
	m, ok := d.mapping(e.value, e.keyN, what, CompleteKeys, []string{"columns"})
	if !ok {
		return c
	}
	if e, ok := m["columns"]; ok {
		c.Columns = d.refs(e.value, what+": columns")
		if len(c.Columns) == 0 {
			d.errorf(e.value, "%s: columns needs at least one column whose values to complete", what)
		}
	}
	settings := func(key string) []Setting {
		e, ok := m[key]
		if !ok {
			return nil
		}
		var out []Setting
		for _, p := range d.pairs(e.value, what+": "+key) {
			if lit, ok := d.literal(p.value, what+": "+key+": "+p.key); ok {
				out = append(out, Setting{Column: Ref{Name: p.key, Pos: d.pos(p.keyN)}, Value: lit})
			}
		}
		return out
	}
	c.Every = settings("every")
	for _, st := range c.Every {
		n, err := strconv.Atoi(st.Value.Text)
		if st.Value.Tag == "!!int" && err == nil && n >= 1 || st.Value.Tag == "!!str" && slices.Contains(StepUnits, st.Value.Text) {
			continue
		}
		d.errs.Add(st.Value.Pos, "%s: every: %s: a step is a whole number of at least 1 (for an int column) or one of %s (for a date column), not %q",
			what, st.Column.Name, strings.Join(StepUnits, ", "), st.Value.Text)
	}
	c.Fill = settings("fill")
	return c
}

func (d *decoder) window(e entry, what string) *Window {
	w := &Window{Pos: d.pos(e.keyN)}
	what += ": window"
	m, ok := d.mapping(e.value, e.keyN, what, WindowKeys, []string{"derive"})
	if !ok {
		return w
	}
	if e, ok := m["partition_by"]; ok {
		w.PartitionBy = d.refs(e.value, what+": partition_by")
	}
	if e, ok := m["order_by"]; ok {
		w.OrderBy = d.orderKeys(e.value, what+": order_by")
	}
	if e, ok := m["derive"]; ok {
		w.Derive = d.named(e.value, what+": derive")
		if len(w.Derive) == 0 && e.value.Kind == yaml.MappingNode {
			d.errorf(e.value, "%s: derive is empty; name the columns the window computes, e.g. rank: rank()", what)
		}
	}
	return w
}

func (d *decoder) join(e entry, what string) *Join {
	j := &Join{Pos: d.pos(e.keyN)}
	what += ": join"
	m, ok := d.mapping(e.value, e.keyN, what, JoinKeys, []string{"view", "on"})
	if !ok {
		return j
	}
	if e, ok := m["view"]; ok {
		j.View = d.ref(e.value, what+": view")
	}
	if e, ok := m["on"]; ok {
		j.On = d.refs(e.value, what+": on")
		if len(j.On) == 0 {
			d.errorf(e.value, "%s: on needs at least one key column", what)
		}
	}
	if e, ok := m["columns"]; ok {
		j.Columns = d.refs(e.value, what+": columns")
	}
	return j
}

func (d *decoder) named(n *yaml.Node, what string) []*Named {
	var out []*Named
	for _, p := range d.pairs(n, what) {
		if n.Style&yaml.FlowStyle != 0 && !identRE.MatchString(p.key) && strings.ContainsAny(p.key, ")]\"") {
			// {q: quantile(x, 0.9)}: YAML ends the entry at the comma.
			d.errorf(p.keyN, "%s: %q is not a name: in a {...} mapping a comma ends the entry, even inside ( ); quote an expression that holds a comma, e.g. q: 'quantile(x, 0.9)', or write one NAME: expression per line", what, p.key)
			continue
		}
		if d.name(p.keyN, "column") {
			out = append(out, &Named{Name: p.key, Pos: d.pos(p.keyN), Expr: d.expr(p.value, what+" "+p.key)})
		}
	}
	return out
}

var claimIDRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]*$`)

func (d *decoder) claims(n *yaml.Node) []*Claim {
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, "claims must be a list of {id, text, check}, not %s", kindNames[n.Kind])
		return nil
	}
	var out []*Claim
	for _, it := range n.Content {
		c := &Claim{Pos: d.pos(it)}
		m, ok := d.mapping(it, nil, "claim", ClaimKeys, []string{"id", "text", "check"})
		if !ok {
			continue
		}
		if e, ok := m["id"]; ok {
			c.ID = e.value.Value
			c.IDPos = d.contentPos(e.value)
			if !claimIDRE.MatchString(c.ID) {
				d.errorf(e.value, "claim id %q must be letters, digits, - and _ (it becomes a link anchor)", c.ID)
			}
		}
		if e, ok := m["text"]; ok {
			c.Text = d.str(e.value, "claim text")
		}
		if e, ok := m["check"]; ok {
			c.Check = d.expr(e.value, "claim check")
		}
		out = append(out, c)
	}
	return out
}

func (d *decoder) body(n *yaml.Node) []*Cell {
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, "body must be a list of cells (- md:, - chart:, - table:, - claim:), not %s", kindNames[n.Kind])
		return nil
	}
	var out []*Cell
	for _, it := range n.Content {
		m, ok := d.mapping(it, nil, "body cell", CellKeys, nil)
		if !ok {
			continue
		}
		if len(m) != 1 {
			if len(m) > 1 {
				d.errorf(it, "a body cell holds one of md, chart, table or claim; start a new `- ` item for each")
			} else if len(it.Content) == 0 {
				d.errorf(it, "a body cell needs one of md, chart, table or claim")
			}
			continue
		}
		for key, e := range m {
			c := &Cell{Pos: d.pos(e.keyN)}
			switch key {
			case "md":
				c.Kind = CellMarkdown
				c.Markdown = d.str(e.value, "md")
				if c.Markdown.Set {
					c.Inline, c.Spans = d.inline(e.value)
				}
			case "chart":
				c.Kind = CellChart
				c.Chart = d.chart(e)
			case "table":
				c.Kind = CellTable
				c.Table = d.table(e)
			case "claim":
				c.Kind = CellClaim
				c.Claim = d.ref(e.value, "claim")
			}
			out = append(out, c)
		}
	}
	return out
}

// inline finds the {{ expr }} values in a Markdown cell, and where each
// lies in the cell's text, braces included.
func (d *decoder) inline(n *yaml.Node) ([]Expr, []Span) {
	src := n.Value
	var spans []Span
	for off := 0; ; {
		i := strings.Index(src[off:], "{{")
		if i < 0 {
			break
		}
		from := off + i
		j := strings.Index(src[from+2:], "}}")
		if j < 0 {
			spans = append(spans, Span{From: from, To: -1})
			break
		}
		spans = append(spans, Span{From: from, To: from + 2 + j + 2})
		off = from + 2 + j + 2
	}
	// Only a literal block maps its text line for line onto the file. In
	// folded, plain and quoted scalars the text is refolded or unescaped, so
	// each {{ is found in the source itself: the k-th {{ of the text is the
	// k-th {{ of the source from the scalar on.
	var at func(k, delta int) position.Pos
	if n.Style == yaml.LiteralStyle {
		lines := d.scalarLines(n)
		text := Expr{Src: src, Pos: lines[0], Lines: lines}
		at = func(k, delta int) position.Pos { return text.Slice(spans[k].From+delta, spans[k].From+delta).Pos }
	} else {
		braces := d.sourceBraces(n, len(spans))
		at = func(k, delta int) position.Pos {
			if len(braces) == 0 {
				return d.contentPos(n)
			}
			p := braces[min(k, len(braces)-1)]
			if k < len(braces) {
				p.Col += delta
			}
			return p
		}
	}
	var out []Expr
	for k, sp := range spans {
		if sp.To < 0 {
			d.errs.Add(at(k, 0), "{{ is not closed; write {{ value }}")
			return out, spans[:k]
		}
		var e Expr
		if n.Style == yaml.LiteralStyle {
			lines := d.scalarLines(n)
			e = Expr{Src: src, Pos: lines[0], Lines: lines}.Slice(sp.From+2, sp.To-2)
		} else {
			p := at(k, 2)
			e = Expr{Src: src[sp.From+2 : sp.To-2], Pos: p, Lines: []position.Pos{p}}
		}
		if strings.TrimSpace(e.Src) == "" {
			d.errs.Add(e.Pos, "empty {{ }}; write an expression inside, such as {{ total }}")
		}
		out = append(out, e)
	}
	return out, spans
}

// sourceBraces finds the first count {{ in the source from n's position.
func (d *decoder) sourceBraces(n *yaml.Node, count int) []position.Pos {
	out := []position.Pos{}
	for l := n.Line; l <= len(d.lines) && len(out) < count; l++ {
		text := d.lines[l-1]
		from := 0
		if l == n.Line {
			from = min(max(n.Column-1, 0), len(text))
		}
		for len(out) < count {
			i := strings.Index(text[from:], "{{")
			if i < 0 {
				break
			}
			out = append(out, position.Pos{File: d.path, Line: l, Col: from + i + 1})
			from += i + 2
		}
	}
	return out
}

func (d *decoder) table(e entry) *Table {
	t := &Table{Pos: d.pos(e.keyN)}
	if e.value.Kind == yaml.ScalarNode {
		t.View = d.ref(e.value, "table")
		return t
	}
	m, ok := d.mapping(e.value, e.keyN, "table", TableKeys, []string{"view"})
	if !ok {
		return t
	}
	if e, ok := m["view"]; ok {
		t.View = d.ref(e.value, "table: view")
	}
	if e, ok := m["columns"]; ok {
		t.Columns = d.refs(e.value, "table: columns")
	}
	if e, ok := m["caption"]; ok {
		t.Caption = d.str(e.value, "table: caption")
	}
	if e, ok := m["limit"]; ok {
		t.Limit = d.integer(e.value, "table: limit", 1)
	}
	if e, ok := m["labels"]; ok {
		t.Labels = d.labels(e.value, "table: labels")
	}
	if e, ok := m["formats"]; ok {
		t.Formats = d.labels(e.value, "table: formats")
	}
	return t
}

func (d *decoder) chart(e entry) *Chart {
	c := &Chart{Pos: d.pos(e.keyN)}
	required := []string{"type", "data", "x", "y"}
	if t := mappingValue(e.value, "type"); IsMap(t) {
		required = mapRequired(t)
	}
	m, ok := d.mapping(e.value, e.keyN, "chart", ChartKeys, required)
	if !ok {
		return c
	}
	d.mapChart(m, c)
	strs := map[string]*String{"type": &c.Type, "title": &c.Title, "subtitle": &c.Subtitle, "caption": &c.Caption,
		"x_label": &c.XLabel, "y_label": &c.YLabel, "unit": &c.Unit, "format": &c.Format}
	for _, k := range ChartKeys {
		e, ok := m[k]
		if !ok {
			continue
		}
		if dst, ok := strs[k]; ok {
			*dst = d.str(e.value, "chart: "+k)
			continue
		}
		switch k {
		case "data":
			c.Data = d.ref(e.value, "chart: data")
		case "x":
			c.X = d.ref(e.value, "chart: x")
		case "y":
			c.Y = d.refs(e.value, "chart: y")
		case "series":
			c.Series = d.ref(e.value, "chart: series")
		case "stack":
			c.Stack = d.boolean(e.value, "chart: stack")
		case "horizontal":
			c.Horizontal = d.boolean(e.value, "chart: horizontal")
		case "labels":
			c.Labels = d.labels(e.value, "chart: labels")
		case "formats":
			c.Formats = d.labels(e.value, "chart: formats")
		case "height":
			c.Height = d.integer(e.value, "chart: height", 1)
		case "marks":
			c.Marks = d.marks(e.value)
		case "facet":
			c.Facet = d.ref(e.value, "chart: facet")
		}
	}
	return c
}

// marks reads a chart's marks: a list of {x, y, label}. What x and y
// stand for depends on the chart's axes: package chart reads them.
func (d *decoder) marks(n *yaml.Node) []*Mark {
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, "chart: marks must be a list of {x, y, label}, not %s", kindNames[n.Kind])
		return nil
	}
	var out []*Mark
	for _, it := range n.Content {
		mk := &Mark{Pos: d.pos(it)}
		m, ok := d.mapping(it, nil, "chart: mark", MarkKeys, nil)
		if !ok {
			continue
		}
		if e, ok := m["x"]; ok {
			mk.X = d.scalarValue(e.value, "chart: mark x")
		}
		if e, ok := m["y"]; ok {
			mk.Y = d.scalarValue(e.value, "chart: mark y")
		}
		if e, ok := m["label"]; ok {
			mk.Label = d.str(e.value, "chart: mark label")
		}
		out = append(out, mk)
	}
	return out
}

// scalarValue reads a single value as YAML wrote it.
func (d *decoder) scalarValue(n *yaml.Node, what string) Scalar {
	s, ok := d.scalar(n, what)
	if !ok {
		return Scalar{}
	}
	if n.Tag == "!!null" {
		d.errorf(n, "%s is empty; give it a value or remove the key", what)
		return Scalar{}
	}
	quoted := n.Style == yaml.DoubleQuotedStyle || n.Style == yaml.SingleQuotedStyle
	return Scalar{Text: s, Tag: n.Tag, Quoted: quoted, Pos: d.contentPos(n), Set: true}
}
