package analysis

import (
	"bytes"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"galley/runner/internal/position"
	"galley/runner/internal/suggest"
)

// The keys each part of an analysis accepts. The JSON Schema in
// docs/analysis.schema.json is tested against these lists.
var (
	TopKeys      = []string{"title", "dek", "byline", "date", "datasets", "views", "values", "claims", "body"}
	DatasetKeys  = []string{"path", "sha256", "source", "columns", "delimiter", "encoding", "null", "skip_rows"}
	SourceKeys   = []string{"title", "publisher", "author", "url", "published", "accessed", "license", "note"}
	ColumnKeys   = []string{"type", "format", "from", "required", "null"}
	ViewKeys     = []string{"from", "join", "where", "derive", "group_by", "aggregate", "select", "order_by", "limit"}
	JoinKeys     = []string{"view", "on", "columns"}
	ClaimKeys    = []string{"id", "text", "check"}
	CellKeys     = []string{"md", "chart", "table", "claim"}
	TableKeys    = []string{"view", "columns", "caption", "limit"}
	ChartKeys    = []string{"type", "data", "x", "y", "series", "title", "subtitle", "caption", "x_label", "y_label", "unit", "format", "stack", "horizontal"}
	ChartTypes   = []string{"bar", "line", "area", "scatter", "pie"}
	MaxFileBytes = 4 << 20 // an analysis is prose and expressions, never data
)

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
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, yamlError(path, src, err)
	}
	d := &decoder{path: path, lines: strings.Split(string(src), "\n")}
	f := &File{Path: path, Source: src}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, position.Errorf(position.Pos{File: path, Line: 1, Col: 1}, "the analysis is empty; start with title: and datasets:")
	}
	if !d.noAliases(&doc) {
		return nil, d.errs.Err()
	}
	d.file(doc.Content[0], f)
	if len(d.errs) == 0 {
		d.resolve(f)
	}
	return f, d.errs.Err()
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

// noAliases refuses anchors and aliases: an analysis reads top to bottom,
// and aliases are how YAML "billion laughs" bombs are built.
func (d *decoder) noAliases(n *yaml.Node) bool {
	ok := true
	var walk func(*yaml.Node, int)
	walk = func(n *yaml.Node, depth int) {
		if !ok {
			return
		}
		if depth > 64 {
			d.errorf(n, "the analysis nests deeper than 64 levels")
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
				f.Values = append(f.Values, &Value{Name: p.key, Pos: d.pos(p.keyN), Expr: d.expr(p.value, "value "+p.key)})
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
		ds.SHA256 = d.str(e.value, what+": sha256")
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
	found := false
	for i, name := range TypeNames() {
		if t == name {
			c.Type, found = ColumnType(i), true
		}
	}
	if !found {
		d.errorf(typeNode, "%s: unknown type %q%s", what, t, hintOrList(t, TypeNames(), "types"))
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
		v.From = d.ref(e.value, what+": from")
	}
	if e, ok := m["join"]; ok {
		v.Join = d.join(e, what)
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
	if e, ok := m["select"]; ok {
		v.Select = d.refs(e.value, what+": select")
	}
	if e, ok := m["order_by"]; ok {
		for _, r := range d.refs(e.value, what+": order_by") {
			k := OrderKey{Name: r.Name, Pos: r.Pos}
			if strings.HasPrefix(k.Name, "-") {
				k.Name, k.Desc = strings.TrimSpace(k.Name[1:]), true
			}
			v.OrderBy = append(v.OrderBy, k)
		}
	}
	if e, ok := m["limit"]; ok {
		v.Limit = d.integer(e.value, what+": limit", 1)
	}
	return v
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
					c.Inline = d.inline(e.value)
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

// inline finds the {{ expr }} values in a Markdown cell.
func (d *decoder) inline(n *yaml.Node) []Expr {
	src := n.Value
	lines := d.scalarLines(n)
	// Only a literal block maps its text line for line onto the file. In
	// folded, plain and quoted scalars the text is refolded or unescaped, so
	// each {{ is found in the source itself: the k-th {{ of the text is the
	// k-th {{ of the source from the scalar on.
	var out []Expr
	if n.Style != yaml.LiteralStyle {
		braces := d.sourceBraces(n, strings.Count(src, "{{"))
		for k := 0; ; k++ {
			e, ok := d.inlineAt(src, k, braces)
			if !ok {
				return out
			}
			out = append(out, e)
		}
	}
	text := Expr{Src: src, Pos: lines[0], Lines: lines}
	for off := 0; ; {
		i := strings.Index(src[off:], "{{")
		if i < 0 {
			return out
		}
		start := off + i + 2
		j := strings.Index(src[start:], "}}")
		if j < 0 {
			e := text.Slice(off+i, off+i+2)
			d.errs.Add(e.Pos, "{{ is not closed; write {{ value }}")
			return out
		}
		e := text.Slice(start, start+j)
		if strings.TrimSpace(e.Src) == "" {
			d.errs.Add(e.Pos, "empty {{ }}; write an expression inside, such as {{ total }}")
		}
		out = append(out, e)
		off = start + j + 2
	}
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

// inlineAt reads the k-th {{ }} of src, placed at braces[k] in the file.
func (d *decoder) inlineAt(src string, k int, braces []position.Pos) (Expr, bool) {
	off := 0
	for i := 0; i <= k; i++ {
		j := strings.Index(src[off:], "{{")
		if j < 0 {
			return Expr{}, false
		}
		off += j + 2
	}
	at := func(delta int) position.Pos {
		if k < len(braces) {
			p := braces[k]
			p.Col += delta
			return p
		}
		return braces[len(braces)-1]
	}
	if len(braces) == 0 {
		return Expr{}, false
	}
	end := strings.Index(src[off:], "}}")
	if end < 0 {
		d.errs.Add(at(0), "{{ is not closed; write {{ value }}")
		return Expr{}, false
	}
	p := at(2)
	e := Expr{Src: src[off : off+end], Pos: p, Lines: []position.Pos{p}}
	if strings.TrimSpace(e.Src) == "" {
		d.errs.Add(e.Pos, "empty {{ }}; write an expression inside, such as {{ total }}")
	}
	return e, true
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
	return t
}

func (d *decoder) chart(e entry) *Chart {
	c := &Chart{Pos: d.pos(e.keyN)}
	m, ok := d.mapping(e.value, e.keyN, "chart", ChartKeys, []string{"type", "data", "x", "y"})
	if !ok {
		return c
	}
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
		}
	}
	if c.Type.Set && !slices.Contains(ChartTypes, c.Type.Value) {
		d.errs.Add(c.Type.Pos, "chart: unknown type %q%s", c.Type.Value, hintOrList(c.Type.Value, ChartTypes, "chart types"))
	}
	return c
}

// resolve checks that every name used is defined: views read from datasets
// or views, tables and charts show views, body cells cite claims, and no two
// datasets, views or values share a name (expressions see them all).
func (d *decoder) resolve(f *File) {
	kinds := map[string]string{}
	first := map[string]position.Pos{}
	define := func(name, kind string, p position.Pos) {
		if k, dup := kinds[name]; dup {
			d.errs.Add(p, "%s %q has the same name as the %s at line %d; names are shared by datasets, views and values", kind, name, k, first[name].Line)
			return
		}
		kinds[name], first[name] = kind, p
	}
	var datasets, views []string
	for _, ds := range f.Datasets {
		define(ds.Name, "dataset", ds.Pos)
		datasets = append(datasets, ds.Name)
	}
	for _, v := range f.Views {
		define(v.Name, "view", v.Pos)
		views = append(views, v.Name)
	}
	for _, v := range f.Values {
		define(v.Name, "value", v.Pos)
	}
	sources := append(append([]string(nil), datasets...), views...)
	for _, v := range f.Views {
		if v.From.Name != "" && !slices.Contains(sources, v.From.Name) {
			d.errs.Add(v.From.Pos, "view %q: from: no dataset or view named %q%s", v.Name, v.From.Name, suggest.Hint(v.From.Name, sources))
		}
		if v.From.Name == v.Name {
			d.errs.Add(v.From.Pos, "view %q reads from itself", v.Name)
		}
		if v.Join != nil && v.Join.View.Name != "" && !slices.Contains(sources, v.Join.View.Name) {
			d.errs.Add(v.Join.View.Pos, "view %q: join: no view named %q%s", v.Name, v.Join.View.Name, suggest.Hint(v.Join.View.Name, sources))
		}
	}
	claimIDs := map[string]position.Pos{}
	var ids []string
	for _, c := range f.Claims {
		if p, dup := claimIDs[c.ID]; dup {
			d.errs.Add(c.IDPos, "claim id %q is used twice (first at line %d)", c.ID, p.Line)
			continue
		}
		claimIDs[c.ID] = c.IDPos
		ids = append(ids, c.ID)
	}
	for _, c := range f.Body {
		switch c.Kind {
		case CellClaim:
			if _, ok := claimIDs[c.Claim.Name]; !ok {
				d.errs.Add(c.Claim.Pos, "no claim with id %q%s", c.Claim.Name, suggest.Hint(c.Claim.Name, ids))
			}
		case CellTable:
			if n := c.Table.View.Name; n != "" && !slices.Contains(views, n) {
				d.errs.Add(c.Table.View.Pos, "table: no view named %q%s", n, hintView(n, views, datasets))
			}
		case CellChart:
			if n := c.Chart.Data.Name; n != "" && !slices.Contains(views, n) {
				d.errs.Add(c.Chart.Data.Pos, "chart: data: no view named %q%s", n, hintView(n, views, datasets))
			}
		}
	}
}

// hintView suggests a near view, or explains that datasets are shown
// through a view.
func hintView(name string, views, datasets []string) string {
	if slices.Contains(datasets, name) {
		return " (" + strconv.Quote(name) + " is a dataset; show it through a view: views: {all_rows: {from: " + name + "}})"
	}
	return suggest.Hint(name, views)
}
