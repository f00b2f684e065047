package report

import (
	"bytes"
	_ "embed"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html/template"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/gocarina/gocsv"
	"github.com/yuin/goldmark"

	"galley/runner/internal/analysis"
	"galley/runner/internal/chart"
	"galley/runner/internal/engine"
	"galley/runner/internal/table"
	"galley/runner/internal/value"
)

// Options are what the page needs besides the Result.
type Options struct {
	// Script is the pinned ECharts build, inlined in the page. Empty means a
	// page without charts drawn (their data tables still show), for tests.
	Script  []byte
	Version string // Galley's version, printed in the footer
}

//go:embed page.html.tmpl
var pageTemplate string

//go:embed style.css
var styleCSS string

// publisherGroup is the datasets of one publisher, for a source line.
type publisherGroup struct {
	Publisher string
	Sources   []*sourceData
}

// byPublisher groups sources by publisher, in order of first appearance,
// so a source line names each publisher once.
func byPublisher(sources []*sourceData) []publisherGroup {
	var out []publisherGroup
	for _, s := range sources {
		found := false
		for i := range out {
			if out[i].Publisher == s.Publisher {
				out[i].Sources = append(out[i].Sources, s)
				found = true
			}
		}
		if !found {
			out = append(out, publisherGroup{Publisher: s.Publisher, Sources: []*sourceData{s}})
		}
	}
	return out
}

var page = template.Must(template.New("page").Funcs(template.FuncMap{
	"bypublisher": byPublisher,
	// rowspan is how many rows of the counts table one view takes.
	"rowspan": func(v viewCount) int {
		n := 2 + len(v.Where)
		if v.Join != "" {
			n += 2
		}
		return n
	},
}).Parse(pageTemplate))

// Render writes the report page for res.
func Render(res *engine.Result, opts Options) ([]byte, error) {
	f := res.File
	p := &pageData{
		Title:   f.Title.Value,
		Dek:     f.Dek.Value,
		Byline:  f.Byline.Value,
		Date:    f.Date.Value,
		Path:    f.Path,
		Version: opts.Version,
		CSS:     template.CSS(styleCSS),
		Script:  template.JS(opts.Script),
		HasJS:   len(opts.Script) > 0,
	}
	sources := map[string]*sourceData{}
	for _, d := range res.Datasets {
		s := newSource(d, res)
		sources[d.Dataset.Name] = s
		p.Sources = append(p.Sources, s)
	}
	ld, err := jsonLD(res)
	if err != nil {
		return nil, err
	}
	p.JSONLD = ld
	cite := func(names []string) []*sourceData {
		var out []*sourceData
		for _, n := range names {
			if s := sources[n]; s != nil {
				out = append(out, s)
			}
		}
		return out
	}
	claims := map[string]*claimData{}
	for _, c := range res.Claims {
		cd := newClaim(c, res, cite)
		claims[c.Claim.ID] = cd
		p.Claims = append(p.Claims, cd)
	}
	for _, cell := range f.Body {
		cd := &cellData{Line: cell.Pos.Line}
		switch cell.Kind {
		case analysis.CellMarkdown:
			html, err := markdown(cell, res)
			if err != nil {
				return nil, err
			}
			cd.Markdown = html
			cd.Sources = cite(res.InlineDatasets[cell])
		case analysis.CellTable:
			vr := res.View(cell.Table.View.Name)
			td, err := newTable(cell.Table, vr, cite(vr.Datasets))
			if err != nil {
				return nil, err
			}
			cd.Table = td
		case analysis.CellChart:
			vr := res.View(cell.Chart.Data.Name)
			id := fmt.Sprintf("chart_L%d", cell.Pos.Line)
			spec, err := chart.Check(cell.Chart, vr.Table.Columns)
			if err != nil {
				return nil, err
			}
			opt, err := chart.Options(spec, vr.Table, id)
			if err != nil {
				return nil, err
			}
			tc := &analysis.Table{Pos: cell.Chart.Pos, View: cell.Chart.Data}
			if cell.Chart.Series.Name == "" {
				tc.Columns = append([]analysis.Ref{cell.Chart.X}, cell.Chart.Y...)
			} else {
				tc.Columns = append([]analysis.Ref{cell.Chart.X, cell.Chart.Series}, cell.Chart.Y...)
			}
			td, err := newTable(tc, vr, cite(vr.Datasets))
			if err != nil {
				return nil, err
			}
			cd.Chart = &chartData{
				ID:       id,
				Options:  string(opt),
				Title:    cell.Chart.Title.Value,
				Subtitle: cell.Chart.Subtitle.Value,
				Caption:  cell.Chart.Caption.Value,
				Table:    td,
			}
		case analysis.CellClaim:
			cd.Claim = claims[cell.Claim.Name]
		}
		p.Cells = append(p.Cells, cd)
	}
	for i, line := range strings.Split(strings.TrimSuffix(string(f.Source), "\n"), "\n") {
		p.Lines = append(p.Lines, sourceLine{N: i + 1, Text: strings.TrimRight(line, "\r")})
	}
	var buf bytes.Buffer
	if err := page.Execute(&buf, p); err != nil {
		return nil, fmt.Errorf("writing the report: %v", err)
	}
	return buf.Bytes(), nil
}

type pageData struct {
	Title, Dek, Byline, Date, Path, Version string

	CSS    template.CSS
	Script template.JS
	HasJS  bool
	JSONLD template.JS

	Cells   []*cellData
	Claims  []*claimData
	Sources []*sourceData
	Lines   []sourceLine
}

type sourceLine struct {
	N    int
	Text string
}

type cellData struct {
	Line     int
	Markdown template.HTML // rendered by goldmark from the analysis, values escaped
	Sources  []*sourceData // of the inline values in Markdown
	Table    *tableData
	Chart    *chartData
	Claim    *claimData
}

type chartData struct {
	ID, Options, Title, Subtitle, Caption string
	Table                                 *tableData
}

type tableData struct {
	View     string
	ViewLine int
	Line     int
	Caption  string
	Columns  []columnData
	Rows     [][]cellValue
	Shown    int
	Total    int
	CSV      template.URL
	CSVName  string
	Sources  []*sourceData
}

type columnData struct {
	Name    string
	Numeric bool
}

type cellValue struct {
	Text    string
	Null    bool
	Numeric bool
}

type claimData struct {
	ID      string
	Text    string
	Check   string
	Line    int
	Pass    bool
	Inputs  []inputData
	Sources []*sourceData
}

type inputData struct {
	Name  string
	Value string
	Line  int
}

type sourceData struct {
	Name, Anchor                                       string
	Title, Publisher, Author, URL, Published, Accessed string
	License, Note, Path, SHA256                        string
	Line, RowsRead                                     int
	Views                                              []viewCount
	Encoding                                           string
}

type viewCount struct {
	Name              string
	Line              int
	Read              int
	Where             []whereCount
	Join              string
	Out               int
	Joined, Unmatched int
}

type whereCount struct {
	Src  string
	Line int
	Kept int
}

func newSource(d *engine.DatasetResult, res *engine.Result) *sourceData {
	ds := d.Dataset
	c := ds.Source
	s := &sourceData{
		Name: ds.Name, Anchor: "source-" + ds.Name, Line: ds.Pos.Line,
		Title: c.Title.Value, Publisher: c.Publisher.Value, Author: c.Author.Value, URL: c.URL.Value,
		Published: c.Published.Value, Accessed: c.Accessed.Value, License: c.License.Value, Note: c.Note.Value,
		Path: ds.Path.Value, SHA256: d.SHA256, RowsRead: d.RowsRead, Encoding: ds.Encoding.Value,
	}
	if s.Encoding == "" {
		s.Encoding = "utf-8"
	}
	for _, vr := range res.Views {
		if vr.View.From.Name != ds.Name {
			continue
		}
		s.Views = append(s.Views, newViewCount(vr))
	}
	// Views over views count their rows too, under the dataset they come from.
	for _, vr := range res.Views {
		if vr.View.From.Name == ds.Name || !slices.Contains(vr.Datasets, ds.Name) || res.View(vr.View.From.Name) == nil {
			continue
		}
		s.Views = append(s.Views, newViewCount(vr))
	}
	return s
}

func newViewCount(vr *engine.ViewResult) viewCount {
	v := vr.View
	vc := viewCount{Name: v.Name, Line: v.Pos.Line, Read: vr.Counts.Read, Out: vr.Counts.Out,
		Joined: vr.Counts.Joined, Unmatched: vr.Counts.Unmatched}
	if v.Join != nil {
		vc.Join = v.Join.View.Name
	}
	for i, w := range v.Where {
		vc.Where = append(vc.Where, whereCount{Src: strings.TrimSpace(w.Src), Line: w.Pos.Line, Kept: vr.Counts.Where[i]})
	}
	return vc
}

func newClaim(c *engine.ClaimResult, res *engine.Result, cite func([]string) []*sourceData) *claimData {
	cd := &claimData{ID: c.Claim.ID, Text: c.Claim.Text.Value, Check: strings.TrimSpace(c.Claim.Check.Src),
		Line: c.Claim.Pos.Line, Pass: c.Pass, Sources: cite(c.Datasets)}
	for _, in := range c.Inputs {
		cd.Inputs = append(cd.Inputs, inputData{Name: in.Name, Value: displayValue(in.V), Line: in.Pos.Line})
	}
	return cd
}

func displayValue(v any) string { return value.Text(v) }

func newTable(t *analysis.Table, vr *engine.ViewResult, sources []*sourceData) (*tableData, error) {
	tab := vr.Table
	idx := make([]int, 0, len(tab.Columns))
	if len(t.Columns) == 0 {
		for i := range tab.Columns {
			idx = append(idx, i)
		}
	} else {
		for _, c := range t.Columns {
			if c.Name == "" {
				continue
			}
			idx = append(idx, tab.Index(c.Name))
		}
	}
	td := &tableData{View: tab.Name, ViewLine: vr.View.Pos.Line, Line: t.Pos.Line, Caption: t.Caption.Value,
		Total: len(tab.Rows), Sources: sources, CSVName: tab.Name + ".csv"}
	for _, i := range idx {
		c := tab.Columns[i]
		td.Columns = append(td.Columns, columnData{Name: c.Name,
			Numeric: c.Type == analysis.TypeInt || c.Type == analysis.TypeFloat})
	}
	limit := len(tab.Rows)
	if t.Limit.Set && t.Limit.Value < limit {
		limit = t.Limit.Value
	}
	td.Shown = limit
	for _, row := range tab.Rows[:limit] {
		out := make([]cellValue, len(idx))
		for j, i := range idx {
			v := row[i]
			_, isNum := v.(int)
			if _, f := v.(float64); f {
				isNum = true
			}
			out[j] = cellValue{Text: value.Text(v), Null: v == nil, Numeric: isNum}
		}
		td.Rows = append(td.Rows, out)
	}
	csv, err := exportCSV(tab, idx)
	if err != nil {
		return nil, err
	}
	td.CSV = template.URL("data:text/csv;charset=utf-8;base64," + base64.StdEncoding.EncodeToString(csv))
	return td, nil
}

// exportCSV writes the columns idx of tab with gocsv, through a struct type
// made for the view: every row, whatever the table shows.
func exportCSV(tab *table.Table, idx []int) ([]byte, error) {
	fields := make([]reflect.StructField, len(idx))
	for j, i := range idx {
		fields[j] = reflect.StructField{
			Name: "F" + strconv.Itoa(j),
			Type: reflect.TypeOf(""),
			Tag:  reflect.StructTag(`csv:"` + strings.ReplaceAll(tab.Columns[i].Name, `"`, "") + `"`),
		}
	}
	st := reflect.StructOf(fields)
	rows := reflect.MakeSlice(reflect.SliceOf(st), len(tab.Rows), len(tab.Rows))
	for r, row := range tab.Rows {
		for j, i := range idx {
			rows.Index(r).Field(j).SetString(value.Plain(row[i]))
		}
	}
	out, err := gocsv.MarshalBytes(rows.Interface())
	if err != nil {
		return nil, fmt.Errorf("exporting view %q as CSV: %v", tab.Name, err)
	}
	return out, nil
}

// markdown renders a Markdown cell. Each {{ }} is first replaced by a
// placeholder made of letters and digits, which CommonMark leaves alone; the
// rendered HTML then gets the escaped value in its place. A value is thus
// always text: it can neither become Markdown nor HTML.
func markdown(cell *analysis.Cell, res *engine.Result) (template.HTML, error) {
	src := cell.Markdown.Value
	var b strings.Builder
	vals := res.Inline[cell]
	off := 0
	var repl []string
	for i := range cell.Inline {
		start := strings.Index(src[off:], "{{")
		if start < 0 {
			break
		}
		start += off
		end := strings.Index(src[start:], "}}") + start + 2
		b.WriteString(src[off:start])
		ph := fmt.Sprintf("GALLEYVALUE%dX", i)
		b.WriteString(ph)
		e := cell.Inline[i]
		var v any
		if i < len(vals) {
			v = vals[i]
		}
		line := e.Pos.Line
		if vp := valueLine(res, strings.TrimSpace(e.Src)); vp > 0 {
			line = vp
		}
		title := template.HTMLEscapeString(strings.TrimSpace(e.Src))
		if v == nil {
			// A null is shown as such, never as an empty string or a zero.
			repl = append(repl, ph, fmt.Sprintf(`<a class="value null" href="#L%d" title="%s">%s</a>`, line, title, value.NullText))
		} else {
			text := template.HTMLEscapeString(value.Text(v))
			repl = append(repl, ph, fmt.Sprintf(`<a class="value" href="#L%d" title="%s">%s</a>`, line, title, text))
		}
		off = end
	}
	b.WriteString(src[off:])
	var out bytes.Buffer
	if err := goldmark.Convert([]byte(b.String()), &out); err != nil {
		return "", fmt.Errorf("%s: rendering Markdown: %v", cell.Pos, err)
	}
	return template.HTML(strings.NewReplacer(repl...).Replace(out.String())), nil
}

// valueLine is the line defining the value named by a bare name, or 0.
func valueLine(res *engine.Result, name string) int {
	for _, v := range res.Values {
		if v.Value.Name == name {
			return v.Value.Pos.Line
		}
	}
	return 0
}

// jsonLD describes each cited dataset as a schema.org Dataset.
func jsonLD(res *engine.Result) (template.JS, error) {
	type org struct {
		Type string `json:"@type"`
		Name string `json:"name"`
	}
	type distribution struct {
		Type           string `json:"@type"`
		ContentURL     string `json:"contentUrl"`
		EncodingFormat string `json:"encodingFormat"`
		SHA256         string `json:"sha256,omitempty"`
	}
	type dataset struct {
		Context       string       `json:"@context"`
		Type          string       `json:"@type"`
		Name          string       `json:"name"`
		Description   string       `json:"description,omitempty"`
		URL           string       `json:"url,omitempty"`
		Publisher     org          `json:"publisher"`
		Creator       *org         `json:"creator,omitempty"`
		DatePublished string       `json:"datePublished,omitempty"`
		License       string       `json:"license,omitempty"`
		Distribution  distribution `json:"distribution"`
	}
	var all []dataset
	for _, d := range res.Datasets {
		c := d.Dataset.Source
		ds := dataset{
			Context: "https://schema.org", Type: "Dataset", Name: c.Title.Value, Description: c.Note.Value,
			URL: c.URL.Value, Publisher: org{"Organization", c.Publisher.Value},
			DatePublished: c.Published.Value, License: c.License.Value,
			Distribution: distribution{"DataDownload", d.Dataset.Path.Value, "text/csv", d.SHA256},
		}
		if c.Author.Set {
			ds.Creator = &org{"Person", c.Author.Value}
		}
		all = append(all, ds)
	}
	b, err := json.Marshal(all)
	if err != nil {
		return "", err
	}
	return template.JS(b), nil
}
