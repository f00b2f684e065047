package cli

import (
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"

	"galley/runner/internal/results"
	"galley/runner/internal/value"
)

// docDiff is what changed between the results of one analysis committed at
// a revision and a run of it now. Every list is in the analysis's order.
type docDiff struct {
	Analysis string // the analysis, from the project root
	Results  string // reports/NAME.results.json
	Rev      string
	Missing  bool // the revision has no results for it: all of it is new

	Datasets []datasetDiff
	Values   []valueDiff
	Claims   []claimDiff
	Text     []inlineDiff
	Views    []viewDiff
}

// Statuses of a thing compared.
const (
	diffAdded   = "added"
	diffRemoved = "removed"
	diffChanged = "changed"
)

// change is one field that changed: What, from Old to New.
type change struct {
	What, Old, New string
}

type datasetDiff struct {
	Name, Path string
	Line       int
	Status     string
	Changes    []change
}

type valueDiff struct {
	Name     string
	Line     int
	Status   string
	Old, New string // as the report prints them; a string quoted
	Change   string // for numbers: the difference and the percentage
}

type claimDiff struct {
	ID                 string
	Line               int
	Status             string
	Text, Check        string
	OldHolds, NewHolds bool
	Inputs             []change // every value its check reads now, before and now
}

type inlineDiff struct {
	Line     int
	Expr     string
	Old, New string
}

type viewDiff struct {
	Name    string
	Line    int
	Status  string
	Shown   string   // how the report shows it: "a table", "a chart", ...
	Changes []change // rows out, columns, row counts
	Match   string   // how rows were matched
	Note    string   // why rows were not compared, or only some
	Columns []results.Column
	formats []value.Format // of Columns, as the view gives them now
	Changed []rowDiff
	Added   [][]any
	Removed [][]any
}

type rowDiff struct {
	Key   string // "city = Mosul"
	Cells []change
}

// Cell is the text of x in column i, as the report prints it: with the
// column's format.
func (v *viewDiff) Cell(i int, x any) string {
	if i < len(v.formats) {
		return v.formats[i].Text(x)
	}
	return value.Text(x)
}

func (d *docDiff) empty() bool {
	return !d.Missing && len(d.Datasets)+len(d.Values)+len(d.Claims)+len(d.Text)+len(d.Views) == 0
}

// counts says how much changed, for the line that heads an analysis.
func (d *docDiff) counts() string {
	var parts []string
	add := func(n int, one, many string) {
		if n == 1 {
			parts = append(parts, "1 "+one)
		} else if n > 1 {
			parts = append(parts, strconv.Itoa(n)+" "+many)
		}
	}
	add(len(d.Datasets), "dataset", "datasets")
	add(len(d.Values), "value", "values")
	add(len(d.Claims), "claim", "claims")
	add(len(d.Text), "value in the text", "values in the text")
	add(len(d.Views), "view", "views")
	return strings.Join(parts, ", ")
}

// compareDocs compares old, the results committed, with now, a run.
func compareDocs(old, now *results.Document, rev string) *docDiff {
	d := &docDiff{Rev: rev}
	d.Datasets = compareDatasets(old.Datasets, now.Datasets)
	d.Values = compareValues(old.Values, now.Values)
	d.Claims = compareClaims(old, now)
	d.Text = compareText(old, now)
	for _, v := range now.Views {
		if vd := compareView(old.View(v.Name), v, now, rev); vd != nil {
			d.Views = append(d.Views, *vd)
		}
	}
	for _, v := range old.Views {
		if now.View(v.Name) == nil {
			d.Views = append(d.Views, viewDiff{Name: v.Name, Line: v.Line, Status: diffRemoved,
				Changes: []change{{"rows", value.Text(v.Total), ""}}})
		}
	}
	return d
}

func compareDatasets(old, now []*results.Dataset) []datasetDiff {
	var out []datasetDiff
	byName := map[string]*results.Dataset{}
	for _, ds := range old {
		byName[ds.Name] = ds
	}
	for _, n := range now {
		o := byName[n.Name]
		if o == nil {
			out = append(out, datasetDiff{Name: n.Name, Path: n.Path, Line: n.Line, Status: diffAdded,
				Changes: []change{{"sha256", "", n.SHA256}, {"rows read", "", value.Text(n.RowsRead)}}})
			continue
		}
		var ch []change
		field := func(what, a, b string) {
			if a != b {
				ch = append(ch, change{what, a, b})
			}
		}
		field("path", o.Path, n.Path)
		field("sha256", o.SHA256, n.SHA256)
		ch = append(ch, compareFiles(o.Files, n.Files)...)
		field("encoding", o.Encoding, n.Encoding)
		a, b := o.Source, n.Source
		field("source title", a.Title, b.Title)
		field("publisher", a.Publisher, b.Publisher)
		field("author", a.Author, b.Author)
		field("url", a.URL, b.URL)
		field("published", a.Published, b.Published)
		field("accessed", a.Accessed, b.Accessed)
		field("license", a.License, b.License)
		field("note", a.Note, b.Note)
		if len(ch) == 0 && o.RowsRead == n.RowsRead {
			continue
		}
		// Rows read are given before and after, changed or not: with a
		// new pin, the same count is news too.
		ch = append(ch, change{"rows read", value.Text(o.RowsRead), value.Text(n.RowsRead)})
		out = append(out, datasetDiff{Name: n.Name, Path: n.Path, Line: n.Line, Status: diffChanged, Changes: ch})
	}
	for _, o := range old {
		if !slices.ContainsFunc(now, func(n *results.Dataset) bool { return n.Name == o.Name }) {
			out = append(out, datasetDiff{Name: o.Name, Path: o.Path, Line: o.Line, Status: diffRemoved,
				Changes: []change{{"sha256", o.SHA256, ""}, {"rows read", value.Text(o.RowsRead), ""}}})
		}
	}
	return out
}

// compareFiles compares a glob's files: a file added or removed, and a
// file whose pin or rows read changed.
func compareFiles(old, now []results.File) []change {
	var ch []change
	byPath := map[string]results.File{}
	for _, f := range old {
		byPath[f.Path] = f
	}
	for _, n := range now {
		o, ok := byPath[n.Path]
		switch {
		case !ok:
			ch = append(ch, change{"file " + n.Path, "", n.SHA256 + ", " + fileRows(n.RowsRead)})
		case o.SHA256 != n.SHA256:
			ch = append(ch, change{"sha256 of " + n.Path, o.SHA256, n.SHA256})
		}
		if ok && o.RowsRead != n.RowsRead {
			ch = append(ch, change{"rows read from " + n.Path, value.Text(o.RowsRead), value.Text(n.RowsRead)})
		}
		delete(byPath, n.Path)
	}
	for _, o := range old {
		if _, gone := byPath[o.Path]; gone {
			ch = append(ch, change{"file " + o.Path, o.SHA256 + ", " + fileRows(o.RowsRead), ""})
		}
	}
	return ch
}

func fileRows(n int) string {
	if n == 1 {
		return "1 row"
	}
	return value.Text(n) + " rows"
}

func compareValues(old, now []*results.Value) []valueDiff {
	var out []valueDiff
	byName := map[string]*results.Value{}
	for _, v := range old {
		byName[v.Name] = v
	}
	for _, n := range now {
		o := byName[n.Name]
		switch {
		case o == nil:
			out = append(out, valueDiff{Name: n.Name, Line: n.Line, Status: diffAdded, New: quotedText(n.Value.V, n.Text)})
		case o.Type != n.Type || scalarKey(o.Value.V) != scalarKey(n.Value.V) || o.Text != n.Text:
			out = append(out, valueDiff{Name: n.Name, Line: n.Line, Status: diffChanged,
				Old: quotedText(o.Value.V, o.Text), New: quotedText(n.Value.V, n.Text), Change: numberChange(o.Value.V, n.Value.V)})
		}
	}
	for _, o := range old {
		if !slices.ContainsFunc(now, func(n *results.Value) bool { return n.Name == o.Name }) {
			out = append(out, valueDiff{Name: o.Name, Line: o.Line, Status: diffRemoved, Old: quotedText(o.Value.V, o.Text)})
		}
	}
	return out
}

// compareClaims lists the claims whose status changed, and those added or
// removed.
func compareClaims(old, now *results.Document) []claimDiff {
	var out []claimDiff
	for _, n := range now.Claims {
		o := old.Claim(n.ID)
		if o != nil && o.Holds == n.Holds {
			continue
		}
		cd := claimDiff{ID: n.ID, Line: n.Line, Status: diffChanged, Text: n.Text, Check: n.Check, NewHolds: n.Holds}
		if o == nil {
			cd.Status = diffAdded
		} else {
			cd.OldHolds = o.Holds
		}
		for _, in := range n.Inputs {
			c := change{What: in.Name, New: quotedText(in.Value.V, in.Text)}
			if o != nil {
				for _, oi := range o.Inputs {
					if oi.Name == in.Name {
						c.Old = quotedText(oi.Value.V, oi.Text)
					}
				}
			}
			cd.Inputs = append(cd.Inputs, c)
		}
		out = append(out, cd)
	}
	for _, o := range old.Claims {
		if now.Claim(o.ID) == nil {
			out = append(out, claimDiff{ID: o.ID, Line: o.Line, Status: diffRemoved, Text: o.Text, Check: o.Check, OldHolds: o.Holds})
		}
	}
	return out
}

// inline is one {{ }} of the body, identified by its expression and how
// many {{ }} of the same expression came before it.
type inline struct {
	key  string
	line int
	in   *results.Inline
}

func inlines(doc *results.Document) []inline {
	var out []inline
	seen := map[string]int{}
	for _, c := range doc.Body {
		if c.Markdown == nil {
			continue
		}
		for _, p := range c.Markdown.Parts {
			if p.Value == nil {
				continue
			}
			seen[p.Value.Expr]++
			out = append(out, inline{key: p.Value.Expr + "\x00" + strconv.Itoa(seen[p.Value.Expr]), line: c.Line, in: p.Value})
		}
	}
	return out
}

// compareText lists the values of the text ({{ }}) that changed and are
// not a value's name: those are under values already. A {{ }} is matched
// to the one of the same expression at the same rank in the body; one
// added or removed is an edit of the text, which git shows.
func compareText(old, now *results.Document) []inlineDiff {
	named := map[string]bool{}
	for _, v := range now.Values {
		named[v.Name] = true
	}
	before := map[string]*results.Inline{}
	for _, in := range inlines(old) {
		before[in.key] = in.in
	}
	var out []inlineDiff
	for _, in := range inlines(now) {
		o := before[in.key]
		if o == nil || named[in.in.Expr] {
			continue
		}
		if scalarKey(o.Value.V) != scalarKey(in.in.Value.V) || o.Text != in.in.Text {
			out = append(out, inlineDiff{Line: in.line, Expr: in.in.Expr, Old: quotedText(o.Value.V, o.Text), New: quotedText(in.in.Value.V, in.in.Text)})
		}
	}
	return out
}

// compareView compares a view; it returns nil when nothing changed.
func compareView(o, n *results.View, now *results.Document, rev string) *viewDiff {
	vd := &viewDiff{Name: n.Name, Line: n.Line, Status: diffChanged, Shown: shownText(now, n.Name)}
	if o == nil {
		vd.Status = diffAdded
		vd.Changes = []change{{"rows", "", value.Text(n.Total)}}
		return vd
	}
	if o.Total != n.Total {
		vd.Changes = append(vd.Changes, change{"rows", value.Text(o.Total), value.Text(n.Total)})
	}
	// The columns both have, with one type: the rows are compared on them.
	var common []results.Column
	oldIdx, newIdx := map[string]int{}, map[string]int{}
	for i, c := range o.Columns {
		oldIdx[c.Name] = i
	}
	for i, c := range n.Columns {
		newIdx[c.Name] = i
		j, ok := oldIdx[c.Name]
		switch {
		case !ok:
			vd.Changes = append(vd.Changes, change{"column " + c.Name, "", c.Type.String()})
		case o.Columns[j].Type != c.Type:
			vd.Changes = append(vd.Changes, change{"column " + c.Name, o.Columns[j].Type.String(), c.Type.String()})
		default:
			common = append(common, c)
		}
	}
	for _, c := range o.Columns {
		if _, ok := newIdx[c.Name]; !ok {
			vd.Changes = append(vd.Changes, change{"column " + c.Name, c.Type.String(), ""})
		}
	}
	vd.Changes = append(vd.Changes, compareCounts(o.Counts, n.Counts)...)
	vd.Columns = common
	vd.formats = make([]value.Format, len(common))
	for i, c := range common {
		vd.formats[i], _ = value.ParseFormat(c.Format) // written by a run, so it parses, or is ""
	}

	switch {
	case !o.Shown && !n.Shown:
	case !o.Shown:
		vd.Note = "its rows are not in the results at " + rev + ": no table or chart showed the view then"
	case !n.Shown:
		vd.Note = "no table or chart shows the view now: its rows are not compared"
	default:
		oldRows := o.Rows
		newRows := n.Rows[:n.Kept()]
		if o.Total > len(oldRows) || n.Total > len(newRows) {
			vd.Note = fmt.Sprintf("rows compared: the first %s of each, all that a results document keeps (at most %s rows, %s of text)",
				value.Text(min(len(oldRows), len(newRows))), value.Text(results.MaxRows), "4 MiB")
		}
		project := func(rows [][]any, idx map[string]int) [][]any {
			out := make([][]any, len(rows))
			for i, r := range rows {
				p := make([]any, len(common))
				for j, c := range common {
					p[j] = r[idx[c.Name]]
				}
				out[i] = p
			}
			return out
		}
		compareRows(vd, project(oldRows, oldIdx), project(newRows, newIdx), o.Keys, n.Keys)
	}
	if len(vd.Changes) == 0 && len(vd.Changed)+len(vd.Added)+len(vd.Removed) == 0 && vd.Note == "" {
		return nil
	}
	return vd
}

func compareCounts(o, n results.Counts) []change {
	// Rows in are the rows read, or the rows of the view read: each is
	// compared where it is.
	var out []change
	ptr := func(p *int) string {
		if p == nil {
			return ""
		}
		return value.Text(*p)
	}
	if a, b := ptr(o.Joined), ptr(n.Joined); a != b {
		out = append(out, change{"rows joined", a, b})
	}
	if a, b := ptr(o.Unmatched), ptr(n.Unmatched); a != b {
		out = append(out, change{"rows not matched", a, b})
	}
	for i, w := range n.Where {
		what := "kept by " + w.Expr
		switch {
		case i >= len(o.Where) || o.Where[i].Expr != w.Expr:
			out = append(out, change{what, "", value.Text(w.Kept)})
		case o.Where[i].Kept != w.Kept:
			out = append(out, change{what, value.Text(o.Where[i].Kept), value.Text(w.Kept)})
		}
	}
	return out
}

// compareRows matches the rows of a view (projected on the columns both
// runs have) by its key columns when it has them: a row of the same key
// is changed, or the same, and a key found on one side only is a row
// added or removed. Without key columns, or when they do not identify a
// row on both sides, rows are compared as a multiset of whole rows: a row
// is removed as many times as it is more frequent before than now, and
// added likewise; the first such occurrences are listed, in the view's
// order. Values compare in their machine form.
func compareRows(vd *viewDiff, old, now [][]any, oldKeys, newKeys []string) {
	keyIdx := []int{}
	keyed := len(newKeys) > 0 && slices.Equal(oldKeys, newKeys)
	for _, k := range newKeys {
		i := slices.IndexFunc(vd.Columns, func(c results.Column) bool { return c.Name == k })
		if i < 0 {
			keyed = false
			break
		}
		keyIdx = append(keyIdx, i)
	}
	rowKey := func(r []any, idx []int) string {
		var b strings.Builder
		for n, i := range idx {
			if n > 0 {
				b.WriteByte(',')
			}
			b.WriteString(scalarKey(r[i]))
		}
		return b.String()
	}
	all := make([]int, len(vd.Columns))
	for i := range all {
		all[i] = i
	}
	if keyed {
		oldBy, newBy := map[string]int{}, map[string]int{}
		for i, r := range old {
			oldBy[rowKey(r, keyIdx)] = i
		}
		for i, r := range now {
			newBy[rowKey(r, keyIdx)] = i
		}
		keyed = len(oldBy) == len(old) && len(newBy) == len(now)
		if keyed {
			vd.Match = "rows matched by " + strings.Join(newKeys, ", ")
			for _, r := range now {
				j, ok := oldBy[rowKey(r, keyIdx)]
				if !ok {
					vd.Added = append(vd.Added, r)
					continue
				}
				var cells []change
				for c, col := range vd.Columns {
					if slices.Contains(keyIdx, c) {
						continue
					}
					if a, b := old[j][c], r[c]; scalarKey(a) != scalarKey(b) {
						cells = append(cells, change{col.Name, quotedText(a, vd.Cell(c, a)), quotedText(b, vd.Cell(c, b))})
					}
				}
				if len(cells) > 0 {
					var key []string
					for _, k := range keyIdx {
						key = append(key, vd.Columns[k].Name+" = "+quotedText(r[k], vd.Cell(k, r[k])))
					}
					vd.Changed = append(vd.Changed, rowDiff{Key: strings.Join(key, ", "), Cells: cells})
				}
			}
			for _, r := range old {
				if _, ok := newBy[rowKey(r, keyIdx)]; !ok {
					vd.Removed = append(vd.Removed, r)
				}
			}
			return
		}
	}
	switch {
	case len(newKeys) == 0:
		vd.Match = "rows matched as whole rows (the view has no group_by)"
	default:
		vd.Match = "rows matched as whole rows (its key columns " + strings.Join(newKeys, ", ") + " do not identify a row in both)"
	}
	count := map[string]int{}
	for _, r := range old {
		count[rowKey(r, all)]++
	}
	for _, r := range now {
		count[rowKey(r, all)]--
	}
	for _, r := range old {
		if k := rowKey(r, all); count[k] > 0 {
			vd.Removed = append(vd.Removed, r)
			count[k]--
		}
	}
	for _, r := range now {
		if k := rowKey(r, all); count[k] < 0 {
			vd.Added = append(vd.Added, r)
			count[k]++
		}
	}
	if len(vd.Added)+len(vd.Removed) == 0 {
		vd.Match = ""
	}
}

// shownText says how the report shows a view: "a table", "a chart",
// "a chart and a table", or "".
func shownText(doc *results.Document, name string) string {
	kinds := shownAs(doc, name)
	for i, k := range kinds {
		kinds[i] = "a " + k
	}
	return strings.Join(kinds, " and ")
}

// scalarKey is a value in its machine form, as the results document
// writes it: two values are the same exactly when their keys are.
func scalarKey(x any) string {
	b, err := results.Scalar{V: x}.MarshalJSON()
	if err != nil {
		return fmt.Sprintf("%#v", x)
	}
	return string(b)
}

// quotedText is a value's text, a string's quoted so that its ends show.
func quotedText(x any, text string) string {
	if s, ok := x.(string); ok {
		return strconv.Quote(s)
	}
	return text
}

// numberChange is the difference between two numbers and its percentage
// of the old one: "+14 (+4.3%)". It is computed on their decimal forms,
// exactly: 0.3 - 0.1 is 0.2. It is "" when either is not a number.
func numberChange(old, now any) string {
	a, da, ok1 := decimal(old)
	b, db, ok2 := decimal(now)
	if !ok1 || !ok2 {
		return ""
	}
	diff := new(big.Rat).Sub(b, a)
	text := groupDecimal(diff.FloatString(max(da, db)))
	if diff.Sign() > 0 {
		text = "+" + text
	}
	if a.Sign() == 0 {
		return text
	}
	ratio, _ := new(big.Rat).Quo(diff, new(big.Rat).Abs(a)).Float64()
	pct := value.MustFormat("0.0%").Text(ratio)
	if diff.Sign() > 0 {
		pct = "+" + pct
	}
	return text + " (" + pct + ")"
}

// decimal is a number as an exact rational of its shortest decimal form,
// and how many digits follow its point.
func decimal(x any) (*big.Rat, int, bool) {
	var s string
	switch v := x.(type) {
	case int:
		s = strconv.Itoa(v)
	case float64:
		s = strconv.FormatFloat(v, 'f', -1, 64)
	default:
		return nil, 0, false
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return nil, 0, false
	}
	digits := 0
	if i := strings.IndexByte(s, '.'); i >= 0 {
		digits = len(s) - i - 1
	}
	return r, digits, true
}

// groupDecimal puts thousands separators in a decimal's whole part, as
// value.Text prints numbers.
func groupDecimal(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac := s, ""
	if i := strings.IndexByte(s, '.'); i >= 0 {
		whole, frac = s[:i], s[i:]
	}
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return sign + b.String() + frac
}
