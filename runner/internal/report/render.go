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
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"galley/runner/internal/results"
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
		n := 2 + len(v.Inputs) + len(v.Before) + len(v.Where) + len(v.After)
		if v.Join != "" {
			n += 2
		}
		if v.TieNote != "" {
			n++
		}
		return n
	},
}).Parse(pageTemplate))

// Render writes the report page for doc.
func Render(doc *results.Document, opts Options) ([]byte, error) {
	a := doc.Analysis
	p := &pageData{
		Title:   a.Title,
		Dek:     a.Dek,
		Byline:  a.Byline,
		Date:    a.Date,
		Path:    a.Path,
		Version: opts.Version,
		CSS:     template.CSS(styleCSS),
		Script:  template.JS(opts.Script),
		HasJS:   len(opts.Script) > 0,
	}
	sources := map[string]*sourceData{}
	for _, d := range doc.Datasets {
		s := newSource(d, doc)
		sources[d.Name] = s
		p.Sources = append(p.Sources, s)
	}
	ld, err := jsonLD(doc)
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
	for _, c := range doc.Claims {
		cd := newClaim(c, cite)
		claims[c.ID] = cd
		p.Claims = append(p.Claims, cd)
	}
	for _, cell := range doc.Body {
		cd := &cellData{Line: cell.Line}
		switch cell.Kind {
		case results.CellMarkdown:
			html, err := markdown(cell.Markdown)
			if err != nil {
				return nil, fmt.Errorf("%s:%d: rendering Markdown: %v", a.Path, cell.Line, err)
			}
			cd.Markdown = html
			cd.Sources = cite(cell.Markdown.Datasets)
		case results.CellTable:
			v := doc.View(cell.Table.View)
			td, err := newTable(v, cell.Line, cell.Table.Index(), cell.Table.Show(), cell.Table.Caption, cell.Table.Shown, cite(v.Datasets))
			if err != nil {
				return nil, err
			}
			cd.Table = td
		case results.CellChart:
			c := cell.Chart
			v := doc.View(c.View)
			if c.Map != nil {
				cd.Chart, err = newMapChart(c, v, cell.Line, cite(append(append([]string(nil), v.Datasets...), c.Map.Geo)))
				if err != nil {
					return nil, err
				}
				if s := sources[c.Map.Geo]; s != nil {
					s.Geometry = append(s.Geometry, simplification(c.Map, cell.Line))
				}
				break
			}
			td, err := newTable(v, cell.Line, c.Index(), c.Drawing.Columns, "", min(v.Total, results.MaxTableRows), cite(v.Datasets))
			if err != nil {
				return nil, err
			}
			cd.Chart = newChart(c, td)
		case results.CellClaim:
			cd.Claim = claims[cell.Claim]
		}
		p.Cells = append(p.Cells, cd)
	}
	for i, line := range doc.Source {
		p.Lines = append(p.Lines, sourceLine{N: i + 1, Text: line})
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
	ID, Title, Subtitle, Caption string
	Panels                       []panelData
	Facet                        bool // several panels, each titled
	Keys                         []seriesKey
	Height                       int // pixels; 0 for the page's default
	NarrowHeight                 int // of the panels' Narrow options
	Table                        *tableData
	Options                      string   // a map's ECharts options
	Map                          *mapData // a map: its outlines, legend and notes
}

type panelData struct {
	Title, Label, Options, Narrow string
}

// seriesKey is one entry of a chart's legend: a series, its colour and
// how it is drawn.
type seriesKey struct {
	Name   string
	Color  template.CSS
	Symbol string
}

// newChart is what the page prints of a chart: its panels, its legend and
// its data table.
func newChart(c *results.Chart, td *tableData) *chartData {
	cd := &chartData{ID: c.ID, Title: c.Title, Subtitle: c.Subtitle, Caption: c.Caption, Facet: c.Facet != "",
		Height: c.Drawing.Height, NarrowHeight: c.Drawing.NarrowHeight, Table: td}
	label := c.Title
	if label == "" {
		label = "Chart of " + c.View
	}
	for _, p := range c.Drawing.Panels {
		pd := panelData{Title: p.Title, Label: label, Options: string(p.Options), Narrow: string(p.Narrow)}
		if p.Title != "" {
			pd.Label = label + ": " + p.Title
		}
		cd.Panels = append(cd.Panels, pd)
	}
	for _, l := range c.Drawing.Legend {
		// The colour is one of the palette's, never data.
		cd.Keys = append(cd.Keys, seriesKey{Name: l.Name, Color: template.CSS("background:" + l.Color), Symbol: l.Symbol})
	}
	return cd
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
	CSVRows  int    // rows in the CSV download
	Noun     string // what a row is, "row" when empty: a map's table lists "area"s
	Sources  []*sourceData
}

type columnData struct {
	Name    string // as the table labels it
	Column  string // the view's name for it, as the CSV download has it
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
	Value string // as the claim box prints it, with the value's format
	Plain string // the value itself, when the format changed how it reads
	Line  int
}

type sourceData struct {
	Name, Anchor                                       string
	Title, Publisher, Author, URL, Published, Accessed string
	License, Note, Path, SHA256                        string
	Line, RowsRead                                     int
	Views                                              []viewCount
	Encoding                                           string
	Format                                             string         // "xlsx", "json"...; "" for CSV
	Files                                              []results.File // a glob's files
	Geometry                                           []string       // how each map drew the file's geometry
}

type viewCount struct {
	Name              string
	Line              int
	Read              int
	Inputs            []stepCount // an append: the rows of each input
	Where             []whereCount
	Join              string
	Before            []stepCount // the steps between the join and where (unpivot)
	After             []stepCount // the steps after where and group_by (complete, distinct)
	Out               int
	Joined, Unmatched int
	TieNote           string // a plain limit cut through a tie
}

type stepCount struct {
	Label string
	N     int
}

type whereCount struct {
	Src  string
	Line int
	Kept int
}

func newSource(d *results.Dataset, doc *results.Document) *sourceData {
	c := d.Source
	s := &sourceData{
		Name: d.Name, Anchor: "source-" + d.Name, Line: d.Line,
		Title: c.Title, Publisher: c.Publisher, Author: c.Author, URL: c.URL,
		Published: c.Published, Accessed: c.Accessed, License: c.License, Note: c.Note,
		Path: d.Path, SHA256: d.SHA256, RowsRead: d.RowsRead, Encoding: d.Encoding,
		Format: d.Format, Files: d.Files,
	}
	direct := func(v *results.View) bool { return v.From == d.Name || slices.Contains(v.Sources, d.Name) }
	for _, v := range doc.Views {
		if direct(v) {
			s.Views = append(s.Views, newViewCount(v))
		}
	}
	// Views over views count their rows too, under the dataset they come from.
	for _, v := range doc.Views {
		if direct(v) || !slices.Contains(v.Datasets, d.Name) || doc.View(v.From) == nil && len(v.Sources) == 0 {
			continue
		}
		s.Views = append(s.Views, newViewCount(v))
	}
	return s
}

func newViewCount(v *results.View) viewCount {
	vc := viewCount{Name: v.Name, Line: v.Line, Read: v.Counts.In, Out: v.Counts.Out, Join: v.Join}
	if v.Counts.Joined != nil {
		vc.Joined, vc.Unmatched = *v.Counts.Joined, *v.Counts.Unmatched
	}
	for _, w := range v.Counts.Where {
		vc.Where = append(vc.Where, whereCount{Src: w.Expr, Line: w.Line, Kept: w.Kept})
	}
	for _, in := range v.Counts.Inputs {
		vc.Inputs = append(vc.Inputs, stepCount{Label: "from " + in.Name, N: in.Rows})
	}
	if n := v.Counts.Unpivoted; n != nil {
		vc.Before = append(vc.Before, stepCount{Label: "rows after unpivot", N: *n})
	}
	if n := v.Counts.Completed; n != nil {
		vc.After = append(vc.After, stepCount{Label: "rows added by complete", N: *n})
	}
	if n := v.Counts.Repeated; n != nil {
		vc.After = append(vc.After, stepCount{Label: "repeated rows dropped (distinct)", N: *n})
	}
	vc.TieNote = TieNote(v)
	return vc
}

// TieNote says that a plain limit of v cut through a tie, and how to keep
// the rows it left out; "" when it cut none. The report prints it under
// the view's counts, galley show under its rows.
func TieNote(v *results.View) string {
	n := v.Counts.TiedCut
	if n == nil {
		return ""
	}
	rows, are, them := "rows tie", "are", "them"
	if *n == 1 {
		rows, are, them = "row ties", "is", "it"
	}
	return fmt.Sprintf("The limit cut through a tie: %d more %s with the last row kept on order_by, and %s left out; limit: {rows: %d, with_ties: true} would keep %s.",
		*n, rows, are, v.Counts.Out, them)
}

func newClaim(c *results.Claim, cite func([]string) []*sourceData) *claimData {
	cd := &claimData{ID: c.ID, Text: c.Text, Check: c.Check, Line: c.Line, Pass: c.Holds, Sources: cite(c.Datasets)}
	for _, in := range c.Inputs {
		id := inputData{Name: in.Name, Value: in.Text, Line: in.Line}
		if p := value.Plain(in.Value.V); in.Value.V != nil && p != in.Text && value.Text(in.Value.V) != in.Text {
			id.Plain = p
		}
		cd.Inputs = append(cd.Inputs, id)
	}
	return cd
}

// newTable is the HTML table of the columns idx of v, named and printed
// as show says, its first shown rows printed, and every row the document
// holds in its CSV download, with the view's names and values as they are.
func newTable(v *results.View, line int, idx []int, show []table.Shown, caption string, shown int, sources []*sourceData) (*tableData, error) {
	td := &tableData{View: v.Name, ViewLine: v.Line, Line: line, Caption: caption,
		Total: v.Total, Shown: shown, Sources: sources, CSVName: v.Name + ".csv"}
	for j, i := range idx {
		c := v.Columns[i]
		td.Columns = append(td.Columns, columnData{Name: show[j].Label, Column: c.Name, Numeric: c.Type.Numeric()})
	}
	for _, row := range v.Rows[:shown] {
		out := make([]cellValue, len(idx))
		for j, i := range idx {
			x := row[i]
			_, isNum := x.(int)
			if _, f := x.(float64); f {
				isNum = true
			}
			out[j] = cellValue{Text: show[j].Text(x), Null: x == nil, Numeric: isNum}
		}
		td.Rows = append(td.Rows, out)
	}
	rows := v.Rows[:v.Kept()]
	td.CSVRows = len(rows)
	csv, err := exportCSV(v, rows, idx)
	if err != nil {
		return nil, err
	}
	td.CSV = template.URL("data:text/csv;charset=utf-8;base64," + base64.StdEncoding.EncodeToString(csv))
	return td, nil
}

// exportCSV writes the columns idx of rows of v with gocsv, through a
// struct type made for the view: every row the document holds, whatever
// the table shows.
func exportCSV(v *results.View, rows [][]any, idx []int) ([]byte, error) {
	fields := make([]reflect.StructField, len(idx))
	for j, i := range idx {
		fields[j] = reflect.StructField{
			Name: "F" + strconv.Itoa(j),
			Type: reflect.TypeOf(""),
			Tag:  reflect.StructTag(`csv:"` + strings.ReplaceAll(v.Columns[i].Name, `"`, "") + `"`),
		}
	}
	st := reflect.StructOf(fields)
	out := reflect.MakeSlice(reflect.SliceOf(st), len(rows), len(rows))
	for r, row := range rows {
		for j, i := range idx {
			out.Index(r).Field(j).SetString(csvCell(row[i]))
		}
	}
	b, err := gocsv.MarshalBytes(out.Interface())
	if err != nil {
		return nil, fmt.Errorf("exporting view %q as CSV: %v", v.Name, err)
	}
	return b, nil
}

// markdown renders a Markdown cell. Each inline value is first replaced
// by a placeholder made of letters and digits, which CommonMark leaves
// alone; the rendered HTML then gets the escaped value in its place. A
// value is thus always text: it can neither become Markdown nor HTML.
func markdown(md *results.Markdown) (template.HTML, error) {
	var b strings.Builder
	var repl []string
	for _, part := range md.Parts {
		if part.Value == nil {
			b.WriteString(part.Markdown)
			continue
		}
		in := part.Value
		ph := fmt.Sprintf("GALLEYVALUE%dX", len(repl)/2)
		b.WriteString(ph)
		class := "value"
		if in.Value.V == nil {
			class = "value null" // a null is shown as such, never as an empty string or a zero
		}
		repl = append(repl, ph, fmt.Sprintf(`<a class="%s" href="#L%d" title="%s">%s</a>`,
			class, in.Line, template.HTMLEscapeString(in.Expr), template.HTMLEscapeString(in.Text)))
	}
	var out bytes.Buffer
	if err := markdownWith(md.Images).Convert([]byte(b.String()), &out); err != nil {
		return "", err
	}
	return template.HTML(strings.NewReplacer(repl...).Replace(out.String())), nil
}

// markdownWith is goldmark, with the passage's images of the project given
// as the data: URLs the run made of them: an <img> of the report loads
// nothing.
func markdownWith(imgs []results.Image) goldmark.Markdown {
	if len(imgs) == 0 {
		return goldmark.New()
	}
	urls := inlineImages{}
	for _, img := range imgs {
		urls[img.Src] = img.DataURL
	}
	return goldmark.New(goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(urls, 100))))
}

// inlineImages replaces an image's destination by its data: URL, by the
// destination as written.
type inlineImages map[string]string

func (m inlineImages) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if img, ok := n.(*ast.Image); ok && entering {
			if u, ok := m[string(img.Destination)]; ok {
				img.Destination = []byte(u)
			}
		}
		return ast.WalkContinue, nil
	})
}

// jsonLD describes each cited dataset as a schema.org Dataset.
func jsonLD(doc *results.Document) (template.JS, error) {
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
		Context       string         `json:"@context"`
		Type          string         `json:"@type"`
		Name          string         `json:"name"`
		Description   string         `json:"description,omitempty"`
		URL           string         `json:"url,omitempty"`
		Publisher     org            `json:"publisher"`
		Creator       *org           `json:"creator,omitempty"`
		DatePublished string         `json:"datePublished,omitempty"`
		License       string         `json:"license,omitempty"`
		Distribution  any            `json:"distribution"` // one file, or a glob's files
		Files         []distribution `json:"-"`
	}
	var all []dataset
	for _, d := range doc.Datasets {
		c := d.Source
		ds := dataset{
			Context: "https://schema.org", Type: "Dataset", Name: c.Title, Description: c.Note,
			URL: c.URL, Publisher: org{"Organization", c.Publisher},
			DatePublished: c.Published, License: c.License,
			Distribution: distribution{"DataDownload", d.Path, mediaType(d.Format, d.Path), d.SHA256},
		}
		for _, f := range d.Files {
			ds.Files = append(ds.Files, distribution{"DataDownload", f.Path, mediaType(d.Format, f.Path), f.SHA256})
		}
		if ds.Files != nil {
			ds.Distribution = ds.Files
		}
		if c.Author != "" {
			ds.Creator = &org{"Person", c.Author}
		}
		all = append(all, ds)
	}
	b, err := json.Marshal(all)
	if err != nil {
		return "", err
	}
	return template.JS(b), nil
}

// mediaType is a dataset file's IANA media type.
func mediaType(format, path string) string {
	if strings.HasSuffix(strings.ToLower(path), ".gz") {
		return "application/gzip"
	}
	switch format {
	case "geojson":
		return "application/geo+json"
	case "xlsx":
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case "json":
		return "application/json"
	case "ndjson":
		return "application/x-ndjson"
	}
	return "text/csv"
}
