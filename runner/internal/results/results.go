package results

import (
	"encoding/json"
	"time"

	"galley/runner/internal/chart"
	"galley/runner/internal/table"
	"galley/runner/internal/value"
)

// Format and Version name the document's schema (docs/results.schema.json).
// Version changes when a field changes meaning or goes away.
const (
	Format  = "galley-results"
	Version = 1
)

// Caps on what one document, and the report drawn from it, holds, so that
// a view of a million rows cannot make a page of hundreds of megabytes.
const (
	// MaxRows is the most rows of a shown view the document keeps (the
	// first ones, in the view's order); Total counts them all.
	MaxRows = 10_000
	// MaxChartRows is the most rows a chart draws; a chart of a longer view
	// is an error that suggests aggregating it.
	MaxChartRows = 10_000
	// MaxTableRows is the most rows a table prints; the rest are in its CSV
	// download.
	MaxTableRows = 1_000
	// MaxRowBytes is the most text the rows of a shown view may hold in
	// the document, each value in its machine form: a row may be as long as
	// the data or a derive makes it, and rows alone do not bound a page.
	// The rows past it are left out as those past MaxRows are.
	MaxRowBytes = 4 << 20
	// MaxChartBytes is the most a chart's options (a map's outlines too)
	// may take in the page: labels as long as a derive makes them, or
	// outlines too fine for the chart's size, are an error.
	MaxChartBytes = 8 << 20
)

// Document is a computed analysis.
type Document struct {
	Format   string     `json:"format"`
	Version  int        `json:"version"`
	Analysis Analysis   `json:"analysis"`
	Datasets []*Dataset `json:"datasets"` // file order
	Views    []*View    `json:"views"`    // file order; datasets read whole are not listed
	Values   []*Value   `json:"values"`   // file order
	Claims   []*Claim   `json:"claims"`   // file order
	Body     []*Cell    `json:"body"`

	// Source is the analysis itself, line by line, for the report's "How
	// this was computed"; the JSON names it by path and sha256.
	Source []string `json:"-"`
}

// Analysis describes the analysis file.
type Analysis struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Title  string `json:"title"`
	Dek    string `json:"dek,omitempty"`
	Byline string `json:"byline,omitempty"`
	Date   string `json:"date,omitempty"`
}

// Dataset is what was read of one dataset.
type Dataset struct {
	Name     string `json:"name"`
	Line     int    `json:"line"`
	Path     string `json:"path"`             // as written: one file, or a glob
	SHA256   string `json:"sha256,omitempty"` // a single file's pin; a glob's are in Files
	Encoding string `json:"encoding"`
	Format   string `json:"format,omitempty"` // "xlsx", "json", "ndjson", "geojson"; empty for CSV
	RowsRead int    `json:"rows_read"`        // from every file
	// Files are a glob's files, in the order read (byte order of their
	// paths), each with its pin and the rows read from it; nil for a
	// single file.
	Files  []File   `json:"files,omitempty"`
	Source Citation `json:"source"`
	Views  []string `json:"views"` // the views that read it directly, in file order
}

// File is one file of a glob's dataset, as read.
type File struct {
	Path     string `json:"path"`
	SHA256   string `json:"sha256"`
	RowsRead int    `json:"rows_read"`
}

// Citation is where a dataset comes from, as the analysis cites it.
type Citation struct {
	Title     string `json:"title"`
	Publisher string `json:"publisher"`
	Author    string `json:"author,omitempty"`
	URL       string `json:"url,omitempty"`
	Published string `json:"published,omitempty"`
	Accessed  string `json:"accessed"`
	License   string `json:"license"`
	Note      string `json:"note,omitempty"`
}

// View is one computed view.
type View struct {
	Name string `json:"name"`
	Line int    `json:"line"`
	From string `json:"from"`
	// Sources are the inputs of an append (from: [a, b]), in order; From
	// is the first.
	Sources  []string `json:"sources,omitempty"`
	Join     string   `json:"join,omitempty"`
	Datasets []string `json:"datasets"` // every dataset it depends on
	Columns  []Column `json:"columns"`
	// Keys are the columns that identify a row (its group_by columns, a
	// pivot's row keys, every column of a distinct view): `galley diff`
	// matches old and new rows by them.
	Keys   []string `json:"keys,omitempty"`
	Counts Counts   `json:"counts"`
	Total  int      `json:"total"` // rows out
	Shown  bool     `json:"shown"` // a table or chart of the body shows it
	// Rows are every row of the view, in its order, for the report and
	// `galley show`. The JSON holds the rows of a shown view only, the
	// first Kept() of them.
	Rows [][]any `json:"-"`

	kept int // Kept, once worked out; 0 until then
}

// Kept is how many of the view's first rows the document keeps, and its
// report carries: at most MaxRows, and no more than MaxRowBytes of text.
func (v *View) Kept() int {
	if v.kept > 0 || len(v.Rows) == 0 {
		return v.kept
	}
	n, size := 0, 0
	for _, row := range v.Rows[:min(len(v.Rows), MaxRows)] {
		for _, x := range row {
			size += len(value.Plain(x)) + 3 // with the quotes and comma JSON adds
		}
		if size > MaxRowBytes && n > 0 {
			break
		}
		n++
	}
	v.kept = n
	return n
}

// MarshalJSON writes the view with the rows the JSON holds.
func (v *View) MarshalJSON() ([]byte, error) {
	type plain View // the fields, without this method
	out := struct {
		*plain
		Rows []Row `json:"rows,omitempty"`
	}{plain: (*plain)(v)}
	if v.Shown {
		rows := v.Rows[:v.Kept()]
		out.Rows = make([]Row, len(rows))
		for i, r := range rows {
			out.Rows[i] = r
		}
	}
	return json.Marshal(out)
}

// Column is one column of a view: its name and type, and the label and
// format the view's labels: and formats: give it.
type Column struct {
	Name   string     `json:"name"`
	Type   value.Type `json:"type"`
	Label  string     `json:"label,omitempty"`
	Format string     `json:"format,omitempty"`
}

// Counts says what happened to a view's rows, step by step.
type Counts struct {
	In        int           `json:"in"`
	Inputs    []SourceCount `json:"inputs,omitempty"`    // an append: the rows of each input
	Joined    *int          `json:"joined,omitempty"`    // with a join: rows that found a match
	Unmatched *int          `json:"unmatched,omitempty"` // with a join: rows that found none
	Unpivoted *int          `json:"unpivoted,omitempty"` // with unpivot: the rows it made
	Where     []WhereCount  `json:"where,omitempty"`
	Completed *int          `json:"completed,omitempty"` // with complete: the rows it added
	Repeated  *int          `json:"repeated,omitempty"`  // with distinct: the repeated rows dropped
	Out       int           `json:"out"`
	// TiedCut is set when a plain limit cut through a tie: the rows left
	// out that tie, on order_by, with the last row kept.
	TiedCut *int `json:"tied_cut,omitempty"`
}

// SourceCount is the rows one input of an append gave.
type SourceCount struct {
	Name string `json:"name"`
	Rows int    `json:"rows"`
}

// WhereCount is the rows one where kept.
type WhereCount struct {
	Expr string `json:"expr"`
	Line int    `json:"line"`
	Kept int    `json:"kept"`
}

// Row is one row of a view, values in column order.
type Row []any

// MarshalJSON writes each value in its machine form.
func (r Row) MarshalJSON() ([]byte, error) {
	out := make([]json.RawMessage, len(r))
	for i, v := range r {
		b, err := Scalar{v}.MarshalJSON()
		if err != nil {
			return nil, err
		}
		out[i] = b
	}
	return json.Marshal(out)
}

// Scalar is one value of package value, written as JSON in its machine
// form: a date as "YYYY-MM-DD", a float in its shortest form. A NaN or an
// infinity is refused: no such value may be published.
type Scalar struct{ V any }

// MarshalJSON implements json.Marshaler.
func (s Scalar) MarshalJSON() ([]byte, error) {
	switch x := s.V.(type) {
	case time.Time:
		return json.Marshal(value.Plain(x))
	case nil, string, int, float64, bool:
		return json.Marshal(x)
	}
	return nil, &json.UnsupportedValueError{Str: value.Describe(s.V)}
}

// Value is one computed value.
type Value struct {
	Name     string   `json:"name"`
	Line     int      `json:"line"`
	Expr     string   `json:"expr"`
	Type     string   `json:"type"` // of what it holds: a column type, or "null"
	Value    Scalar   `json:"value"`
	Text     string   `json:"text"`             // as the report prints it
	Format   string   `json:"format,omitempty"` // the format Text is printed with
	Datasets []string `json:"datasets"`
}

// Claim is one checked claim.
type Claim struct {
	ID       string   `json:"id"`
	Line     int      `json:"line"`
	Text     string   `json:"text"`
	Check    string   `json:"check"`
	Holds    bool     `json:"holds"`
	Inputs   []Input  `json:"inputs"` // the values its check read
	Datasets []string `json:"datasets"`
}

// Input is a value a claim's check read.
type Input struct {
	Name  string `json:"name"`
	Line  int    `json:"line"`
	Value Scalar `json:"value"`
	Text  string `json:"text"`
}

// Cell kinds.
const (
	CellMarkdown = "markdown"
	CellTable    = "table"
	CellChart    = "chart"
	CellClaim    = "claim"
)

// Cell is one cell of the body; Kind says which of its parts is set.
type Cell struct {
	Kind     string    `json:"kind"`
	Line     int       `json:"line"`
	Markdown *Markdown `json:"markdown,omitempty"`
	Table    *Table    `json:"table,omitempty"`
	Chart    *Chart    `json:"chart,omitempty"`
	Claim    string    `json:"claim,omitempty"` // the claim's id
}

// Markdown is prose with its inline values resolved: Parts alternate the
// Markdown source and the values computed for its {{ }}.
type Markdown struct {
	Parts    []Part   `json:"parts"`
	Datasets []string `json:"datasets"`         // the datasets its values depend on
	Images   []Image  `json:"images,omitempty"` // the project's image files it shows
}

// Image is an image file of the project a passage shows, which the report
// carries inside itself.
type Image struct {
	Src    string `json:"src"` // as the Markdown names it, relative to the project root
	Type   string `json:"type"`
	Bytes  int    `json:"bytes"`
	SHA256 string `json:"sha256"`
	// DataURL is the image as the page's <img> takes it.
	DataURL string `json:"-"`
}

// Part is a piece of Markdown source, or an inline value.
type Part struct {
	Markdown string  `json:"md,omitempty"`
	Value    *Inline `json:"value,omitempty"`
}

// Inline is the value of one {{ }}.
type Inline struct {
	Expr  string `json:"expr"`
	Line  int    `json:"line"` // of the value it names, or of the {{ }}
	Value Scalar `json:"value"`
	Text  string `json:"text"`
}

// Table is a view shown as a table.
type Table struct {
	View    string   `json:"view"`
	Columns []string `json:"columns"`
	// Labels and Formats are how the table names and prints each of its
	// columns, in their order (a format "" prints as value.Text does).
	Labels  []string `json:"labels"`
	Formats []string `json:"formats"`
	Caption string   `json:"caption,omitempty"`
	Shown   int      `json:"shown"` // rows printed: the first ones
	Total   int      `json:"total"`
	index   []int
	show    []table.Shown
}

// Index lists the view columns the table shows, in order.
func (t *Table) Index() []int { return t.index }

// Show says how the table shows each of its columns, in order.
func (t *Table) Show() []table.Shown { return t.show }

// Chart is a view drawn as a chart.
type Chart struct {
	ID       string   `json:"id"`
	View     string   `json:"view"`
	Type     string   `json:"type"`
	Title    string   `json:"title,omitempty"`
	Subtitle string   `json:"subtitle,omitempty"`
	Caption  string   `json:"caption,omitempty"`
	Columns  []string `json:"columns"` // x, then the series and facet columns, then y; a map's key, value, lat, lon, size
	// Labels and Formats are how the chart names and prints each of its
	// columns, in their order.
	Labels  []string `json:"labels"`
	Formats []string `json:"formats"`
	Facet   string   `json:"facet,omitempty"`  // the column whose values are the panels
	Panels  []string `json:"panels,omitempty"` // with a facet, each panel's title
	Height  int      `json:"height,omitempty"` // pixels, when not the page's default
	Map     *Map     `json:"map,omitempty"`    // type map or points
	// Drawing is the ECharts options of each panel and what the page
	// prints around them, built by the run so that a chart its data
	// cannot draw fails the run, not the report. A map has Options
	// instead.
	Drawing *chart.Drawing  `json:"-"`
	Options json.RawMessage `json:"-"`
	index   []int
}

// Index lists the view columns the chart's data table shows, in order.
func (c *Chart) Index() []int { return c.index }

// NewTable is a Table of the columns index of v, shown as d says; a date
// column with no format is printed as precisely as its dates are.
func NewTable(v *View, index []int, d table.Display, caption string, limit int) *Table {
	t := &Table{View: v.Name, Caption: caption, Total: v.Total, index: index, Labels: []string{}, Formats: []string{}}
	for _, i := range index {
		c := v.Columns[i]
		sh := d.Show(table.Column{Name: c.Name, Type: c.Type}, i, v.Rows)
		t.Columns = append(t.Columns, c.Name)
		t.Labels = append(t.Labels, sh.Label)
		t.Formats = append(t.Formats, sh.Format.String())
		t.show = append(t.show, sh)
	}
	t.Shown = min(v.Total, MaxTableRows, v.Kept())
	if limit > 0 {
		t.Shown = min(t.Shown, limit)
	}
	return t
}

// NewChart is the Chart of spec over v, drawn as d.
func NewChart(id string, v *View, spec *chart.Spec, d *chart.Drawing) *Chart {
	c := &Chart{ID: id, View: v.Name, Type: spec.Type, Title: spec.Title, Subtitle: spec.Subtitle,
		Caption: spec.Caption, Drawing: d, Labels: []string{}, Formats: []string{}, Height: d.Height}
	for i, col := range spec.Columns() {
		c.Columns = append(c.Columns, col.Name)
		c.index = append(c.index, col.Index)
		c.Labels = append(c.Labels, d.Columns[i].Label)
		c.Formats = append(c.Formats, d.Columns[i].Format.String())
	}
	if spec.Facet.Index >= 0 {
		c.Facet = spec.Facet.Name
		for _, p := range d.Panels {
			c.Panels = append(c.Panels, p.Title)
		}
	}
	return c
}

// View returns the view named name, or nil.
func (d *Document) View(name string) *View {
	for _, v := range d.Views {
		if v.Name == name {
			return v
		}
	}
	return nil
}

// Claim returns the claim with the id, or nil.
func (d *Document) Claim(id string) *Claim {
	for _, c := range d.Claims {
		if c.ID == id {
			return c
		}
	}
	return nil
}

// RowsRead is the total of rows read from every dataset.
func (d *Document) RowsRead() int {
	n := 0
	for _, ds := range d.Datasets {
		n += ds.RowsRead
	}
	return n
}

// ClaimsHeld counts the claims that hold.
func (d *Document) ClaimsHeld() int {
	n := 0
	for _, c := range d.Claims {
		if c.Holds {
			n++
		}
	}
	return n
}
