package engine

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"

	"galley/runner/internal/analysis"
	"galley/runner/internal/chart"
	"galley/runner/internal/check"
	"galley/runner/internal/dataset"
	"galley/runner/internal/expression"
	"galley/runner/internal/position"
	"galley/runner/internal/results"
	"galley/runner/internal/value"
	"galley/runner/internal/view"
)

// Execute reads the data and computes everything into a results.Document.
// A failing claim is an error (one per claim) returned with the Document;
// any other error returns a nil Document.
func Execute(c *check.Plan, opts Options) (*results.Document, error) {
	if opts.Limits == (view.Limits{}) {
		opts.Limits = view.DefaultLimits
	}
	if progress := opts.Progress; progress != nil {
		// Chunks are read on several goroutines; the callback sees one at a time.
		var mu sync.Mutex
		opts.Progress = func(path string, read, total int64) {
			mu.Lock()
			defer mu.Unlock()
			progress(path, read, total)
		}
	}
	dsResults := map[string]*DatasetResult{}
	for _, ds := range c.File.Datasets {
		dsResults[ds.Name] = &DatasetResult{Dataset: ds}
	}
	rd := &reading{c: c, opts: opts, readers: map[string]*dataset.Reader{}, done: map[string]*ViewResult{}, results: dsResults, geos: map[string]*chart.Geo{},
		partial: map[string][]*view.Run{}}
	defer rd.close()
	err := rd.readAll()
	if perr := rd.verify(); perr != nil {
		return nil, perr
	}
	if err != nil {
		return nil, err
	}

	f := c.File
	doc := &results.Document{Format: results.Format, Version: results.Version,
		Analysis: results.Analysis{Path: f.Path, SHA256: sha(f.Source), Title: f.Title.Value, Dek: f.Dek.Value,
			Byline: f.Byline.Value, Date: f.Date.Value},
		Source: strings.Split(strings.TrimSuffix(string(f.Source), "\n"), "\n")}
	for i, line := range doc.Source {
		doc.Source[i] = strings.TrimRight(line, "\r")
	}
	for _, d := range c.Datasets {
		doc.Datasets = append(doc.Datasets, newDataset(d, dsResults[d.Source.Name]))
	}
	for _, v := range f.Views {
		if vr := rd.done[v.Name]; vr != nil {
			doc.Views = append(doc.Views, newView(vr, c.View(v.Name)))
		}
	}

	// Values, claims and inline values see views as lists of rows.
	sc := &scope{rows: map[string]any{}, computed: map[string]any{}}
	for _, p := range c.Views {
		sc.rows[p.Name] = rowsValue(p.RowType, rd.done[p.Name].Table)
	}
	var m expression.VM
	values := map[string]*results.Value{}
	formats := map[string]value.Format{} // of the values that give one
	for _, v := range c.Values {
		out, err := m.Eval(v.Prog, sc.env(v.Scope))
		if err != nil {
			return nil, err
		}
		out = value.Normalize(out)
		sc.computed[v.Source.Name] = out
		f := v.Format
		if why := f.Mismatch(v.Source.Name+" is", value.TypeOf(out)); out != nil && why != "" {
			// The type was not known before the run (a field of a row).
			return nil, position.Errorf(v.Source.Format.Pos, "value %s: format: %s", v.Source.Name, why).Span(len(v.Source.Format.Value))
		}
		if f.IsZero() {
			f = value.IntFormatFor(v.Source.Name, []any{out}) // a year reads 1930
		}
		values[v.Source.Name] = newValue(v, out, f)
		formats[v.Source.Name] = f
	}
	for _, v := range f.Values {
		doc.Values = append(doc.Values, values[v.Name])
	}

	var failed position.List
	for _, cc := range c.Claims {
		holds, err := m.Test(cc.Prog, sc.env(cc.Scope))
		if err != nil {
			return nil, err
		}
		cl := &results.Claim{ID: cc.Source.ID, Line: cc.Source.Pos.Line, Text: cc.Source.Text.Value,
			Check: strings.TrimSpace(cc.Source.Check.Src), Holds: holds, Inputs: []results.Input{}, Datasets: nonNil(cc.Datasets)}
		for _, in := range cc.Inputs {
			v := sc.computed[in.Name]
			cl.Inputs = append(cl.Inputs, results.Input{Name: in.Name, Line: in.Pos.Line, Value: results.Scalar{V: scalarOrNil(v)}, Text: valueText(v, formats[in.Name])})
		}
		doc.Claims = append(doc.Claims, cl)
		if !holds {
			failed.Add(cc.Source.Check.Pos, "claim %q failed: %s%s", cl.ID, cl.Check, describeInputs(cl.Inputs))
		}
	}

	for _, pc := range c.Cells {
		imgs, err := readImages(pc.Images, opts.Root)
		if err != nil {
			return nil, err
		}
		cell, err := newCell(pc, doc, rd.done, rd.geos, values, sc.computed, formats, func(i int) (any, error) {
			out, err := m.Eval(pc.Inline[i], sc.env(pc.Scopes[i]))
			return value.Normalize(out), err
		})
		if err != nil {
			return nil, err
		}
		if len(imgs) > 0 {
			cell.Markdown.Images = imgs
		}
		doc.Body = append(doc.Body, cell)
	}
	return doc, failed.Err()
}

// MaxImage is the largest image file a passage may show: the report
// carries it inside itself, a third larger in base64.
const MaxImage = 2 << 20

// imageTypes are the images a report carries: those browsers draw from a
// data: URL and goldmark writes into an <img> (no SVG, which may hold
// script).
var imageTypes = []string{"image/png", "image/jpeg", "image/gif", "image/webp"}

// readImages reads the project's image files a passage shows, confined to
// the project root as datasets are, and makes each a data: URL, so that
// the report carries its pictures and loads nothing.
func readImages(imgs []check.Image, root string) ([]results.Image, error) {
	var out []results.Image
	for _, img := range imgs {
		b, err := dataset.ReadFile(root, img.Src, MaxImage)
		if err != nil {
			return nil, position.Errorf(img.Pos, "image %s: %v (a report carries its images inside itself; keep each under %s, in the project)", img.Src, err, "2 MiB")
		}
		typ := http.DetectContentType(b)
		if !slices.Contains(imageTypes, typ) {
			return nil, position.Errorf(img.Pos, "image %s is %s, not a PNG, JPEG, GIF or WebP image (save it as one of those)", img.Src, typ)
		}
		out = append(out, results.Image{Src: img.Src, Type: typ, Bytes: len(b), SHA256: sha(b),
			DataURL: "data:" + typ + ";base64," + base64.StdEncoding.EncodeToString(b)})
	}
	return out, nil
}

func sha(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// nonNil keeps an empty list a list in the JSON, not a null.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func newDataset(d *check.Dataset, r *DatasetResult) *results.Dataset {
	ds, c := d.Source, d.Source.Source
	enc := ds.Encoding.Value
	if enc == "" {
		enc = "utf-8"
	}
	format := ""
	if f := ds.FileFormat(); f != "csv" {
		format = f
	}
	out := &results.Dataset{Name: ds.Name, Line: ds.Pos.Line, Path: ds.Path.Value, SHA256: r.SHA256, Encoding: enc, Format: format,
		RowsRead: r.RowsRead, Views: nonNil(d.Views), Source: results.Citation{
			Title: c.Title.Value, Publisher: c.Publisher.Value, Author: c.Author.Value, URL: c.URL.Value,
			Published: c.Published.Value, Accessed: c.Accessed.Value, License: c.License.Value, Note: c.Note.Value}}
	if ds.IsGlob() {
		out.SHA256 = ""
		for _, f := range r.Files {
			out.Files = append(out.Files, results.File{Path: f.Path, SHA256: f.SHA256, RowsRead: f.Rows})
		}
	}
	return out
}

func newView(vr *ViewResult, pv *check.View) *results.View {
	v := vr.View
	out := &results.View{Name: v.Name, Line: v.Pos.Line, From: v.From.Name, Datasets: nonNil(vr.Datasets),
		Total: len(vr.Table.Rows), Rows: vr.Table.Rows, Shown: pv.Shown,
		Counts: results.Counts{In: vr.Counts.Read, Out: vr.Counts.Out}}
	for i, col := range vr.Table.Columns {
		rc := results.Column{Name: col.Name, Type: col.Type}
		if l, ok := pv.Display.Labels[col.Name]; ok {
			rc.Label = l
		}
		rc.Format = pv.Display.Show(col, i, vr.Table.Rows).Format.String() // as given, or the default its values call for
		out.Columns = append(out.Columns, rc)
	}
	out.Keys = pv.Plan.Keys
	if v.Append {
		for i, src := range v.Sources {
			out.Sources = append(out.Sources, src.Name)
			out.Counts.Inputs = append(out.Counts.Inputs, results.SourceCount{Name: src.Name, Rows: vr.Counts.Sources[i]})
		}
	}
	count := func(set bool, n int) *int {
		if !set {
			return nil
		}
		return &n
	}
	c := vr.Counts
	out.Counts.Unpivoted = count(v.Unpivot != nil, c.Unpivoted)
	out.Counts.Completed = count(v.Complete != nil, c.Completed)
	out.Counts.Repeated = count(v.Distinct.Value, c.Repeated)
	out.Counts.TiedCut = count(c.TiedCut > 0, c.TiedCut)
	if v.Join != nil {
		out.Join = v.Join.View.Name
		joined, unmatched := vr.Counts.Joined, vr.Counts.Unmatched
		out.Counts.Joined, out.Counts.Unmatched = &joined, &unmatched
	}
	for i, w := range v.Where {
		out.Counts.Where = append(out.Counts.Where, results.WhereCount{Expr: strings.TrimSpace(w.Src), Line: w.Pos.Line, Kept: vr.Counts.Where[i]})
	}
	return out
}

// scalarOrNil is v when a column could hold it; a list or a record is
// written as null in the JSON, its Type and Text saying what it was.
func scalarOrNil(v any) any {
	if value.IsScalar(v) {
		return v
	}
	return nil
}

func newValue(v *check.Value, x any, f value.Format) *results.Value {
	typ := "null"
	switch {
	case x == nil:
	case value.IsScalar(x):
		typ = value.TypeOf(x).String()
	default:
		typ = strings.TrimPrefix(strings.TrimPrefix(value.Describe(x), "an "), "a ")
	}
	return &results.Value{Name: v.Source.Name, Line: v.Source.Pos.Line, Expr: strings.TrimSpace(v.Source.Expr.Src),
		Type: typ, Value: results.Scalar{V: scalarOrNil(x)}, Text: valueText(x, f), Format: f.String(), Datasets: nonNil(v.Datasets)}
}

// valueText is what the report prints for a value: its text with its
// format, or what it is when it is not one value.
func valueText(x any, f value.Format) string {
	if value.IsScalar(x) {
		return f.Text(x)
	}
	return value.Describe(x)
}

// newCell resolves one cell of the body; eval computes its i-th inline
// value. computed holds every value of the analysis, formats the formats
// of those that give one.
func newCell(pc *check.Cell, doc *results.Document, views map[string]*ViewResult, geos map[string]*chart.Geo, values map[string]*results.Value,
	computed map[string]any, formats map[string]value.Format, eval func(i int) (any, error)) (*results.Cell, error) {
	src := pc.Source
	cell := &results.Cell{Line: src.Pos.Line}
	switch src.Kind {
	case analysis.CellMarkdown:
		cell.Kind = results.CellMarkdown
		md := &results.Markdown{Datasets: nonNil(pc.Datasets)}
		text, off := src.Markdown.Value, 0
		for i, sp := range src.Spans {
			out, err := eval(i)
			if err != nil {
				return nil, err
			}
			e := pc.Inline[i].Src
			if !value.IsScalar(out) {
				return nil, position.Errorf(e.Pos, "{{ %s }} gives %s, not one value; pick one, e.g. first(...).column",
					strings.TrimSpace(e.Src), value.Describe(out))
			}
			if off < sp.From {
				md.Parts = append(md.Parts, results.Part{Markdown: text[off:sp.From]})
			}
			in := &results.Inline{Expr: strings.TrimSpace(e.Src), Line: e.Pos.Line, Value: results.Scalar{V: out}, Text: value.Text(out)}
			if name, ok := pc.Inline[i].Name(); ok && values[name] != nil {
				// A bare value name links to where it is computed, and
				// prints with the value's format.
				in.Line, in.Text = values[name].Line, formats[name].Text(out)
			}
			md.Parts = append(md.Parts, results.Part{Value: in})
			off = sp.To
		}
		if off < len(text) {
			md.Parts = append(md.Parts, results.Part{Markdown: text[off:]})
		}
		cell.Markdown = md
	case analysis.CellTable:
		cell.Kind = results.CellTable
		v := doc.View(pc.Table.View)
		cell.Table = results.NewTable(v, pc.Table.Columns, pc.Table.Display, pc.Table.Caption, pc.Table.Limit)
	case analysis.CellChart:
		cell.Kind = results.CellChart
		spec := pc.Chart
		v := doc.View(src.Chart.Data.Name)
		if v.Total > results.MaxChartRows {
			return nil, position.Errorf(src.Chart.Data.Pos, "chart of view %q: the view has %s rows, more than the %s a chart draws; aggregate it (group_by) or filter it (where) to the rows the chart shows",
				v.Name, value.Text(v.Total), value.Text(results.MaxChartRows))
		}
		id := fmt.Sprintf("chart_L%d", src.Pos.Line)
		if pc.Map != nil {
			d, err := chart.MapOptions(pc.Map, views[v.Name].Table, geos[pc.Map.Geo], id)
			if err != nil {
				return nil, err
			}
			if err := chartSize(src, v.Name, len(d.Options)+len(d.Geometry)); err != nil {
				return nil, err
			}
			cell.Chart = results.NewMapChart(id, v, pc.Map, d)
			break
		}
		d, err := chart.Options(spec, views[v.Name].Table, id, computed)
		if err != nil {
			return nil, err
		}
		size := 0
		for _, p := range d.Panels {
			size += len(p.Options) + len(p.Narrow)
		}
		if err := chartSize(src, v.Name, size); err != nil {
			return nil, err
		}
		cell.Chart = results.NewChart(id, v, spec, d)
	case analysis.CellClaim:
		cell.Kind = results.CellClaim
		cell.Claim = src.Claim.Name
	}
	return cell, nil
}

// chartSize refuses a chart whose options (and outlines) would take more
// than results.MaxChartBytes of the page: the rows a chart draws are
// capped, but not how long a label is, nor how fine an outline.
func chartSize(cell *analysis.Cell, view string, size int) error {
	if size <= results.MaxChartBytes {
		return nil
	}
	return position.Errorf(cell.Chart.Data.Pos, "chart of view %q: its labels, values and outlines take %s, more than the %s a chart may take in the page; shorten its labels (a label is text a reader reads), aggregate the view, or draw less detail",
		view, sizeText(size), sizeText(results.MaxChartBytes))
}

// sizeText is a size in MiB, to one decimal.
func sizeText(n int) string {
	return value.MustFormat("0.0").Text(float64(n)/(1<<20)) + " MiB"
}

func describeInputs(in []results.Input) string {
	if len(in) == 0 {
		return ""
	}
	parts := make([]string, len(in))
	for i, x := range in {
		text := x.Text
		if s, ok := x.Value.V.(string); ok {
			text = fmt.Sprintf("%q", s)
		}
		parts[i] = x.Name + " = " + text
	}
	return " (" + strings.Join(parts, ", ") + ")"
}
