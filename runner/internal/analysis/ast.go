package analysis

import (
	"strings"

	"galley/runner/internal/position"
	"galley/runner/internal/value"
)

// File is one parsed analysis.
type File struct {
	Path   string // as given, slash-separated, relative to the project root where possible
	Source []byte // the file's bytes, shown line by line in the report

	Title  String
	Dek    String // optional subtitle
	Byline String // optional
	Date   String // optional, YYYY-MM-DD; never the build time

	Datasets []*Dataset // in file order
	Views    []*View
	Values   []*Value
	Claims   []*Claim
	Body     []*Cell
}

// String is a scalar with its position. Set is false when the key was absent.
type String struct {
	Value string
	Pos   position.Pos
	Set   bool
}

// Int is an integer scalar with its position.
type Int struct {
	Value int
	Pos   position.Pos
	Set   bool
}

// Ref names another thing in the analysis (a dataset, view, column, value or
// claim) at the place it is named.
type Ref struct {
	Name string
	Pos  position.Pos
}

// Expr is an expr-lang expression as written in the file. Lines holds, for
// each line of Src, the file position of its first byte, so that a position
// inside the expression (expr's own 1-based line and 0-based column) maps
// back to the file with At.
type Expr struct {
	Src   string
	Pos   position.Pos // of the first byte of Src
	Lines []position.Pos
}

// At maps expr-lang's (line, column) inside e, line 1-based and column
// 0-based as in *file.Error, to a position in the analysis file.
func (e Expr) At(line, col int) position.Pos {
	if line < 1 || len(e.Lines) == 0 {
		return e.Pos
	}
	if line > len(e.Lines) {
		line = len(e.Lines)
	}
	p := e.Lines[line-1]
	p.Col += col
	return p
}

// Slice is the part [from, to) of e, byte offsets in Src, with the file
// positions to match, so that an error inside the part points into it.
func (e Expr) Slice(from, to int) Expr {
	line := strings.Count(e.Src[:from], "\n") + 1
	col := from - (strings.LastIndexByte(e.Src[:from], '\n') + 1)
	first := e.At(line, col)
	lines := []position.Pos{first}
	for l := line + 1; l <= line+strings.Count(e.Src[from:to], "\n"); l++ {
		lines = append(lines, e.At(l, 0))
	}
	return Expr{Src: e.Src[from:to], Pos: first, Lines: lines}
}

// Dataset is one entry of `datasets:`: a CSV file pinned by sha256 and cited.
type Dataset struct {
	Name string
	Pos  position.Pos // of the name

	Path    String // relative to the project root, slash-separated; a glob (IsGlob) names several files
	Format  String // one of Formats; from the path's extension when not Set (FileFormat)
	SHA256  String // lower-case hex; Set false before `galley pin`; a single file's pin
	Pins    []Pin  // a glob's pins (sha256: as a map of path to sum), in the order written
	PinsSet bool   // sha256: was written as a map (possibly empty)
	Source  Citation
	Columns []*Column // declared schema, in file order; file_column's column last

	FileColumn String // a glob's column of each row's file name (without folder and extension)
	Sheet      String // xlsx: the sheet; the first when not Set
	Range      String // xlsx: the cells read, e.g. A5:F120; the header is its first row
	HeaderRows Int    // xlsx: the rows the header takes (a title row and a units row under it); 1 when not Set
	Records    String // json: a dotted path to the array of records

	Delimiter String   // one character; "," when not Set
	Encoding  String   // utf-8 (default), latin-1, windows-1252
	Null      []String // null markers; nil means the default [""]
	NullSet   bool     // `null:` was written (possibly as an empty list)
	SkipRows  Int      // lines to skip before the header
}

// Pin is one entry of a glob's sha256 map: a file the glob matches and
// its sum.
type Pin struct {
	Path   String // the key, as written
	SHA256 String
}

// Citation is what the report prints about a dataset's origin.
type Citation struct {
	Pos       position.Pos // of the `source:` key
	Title     String
	Publisher String
	Author    String // optional
	URL       String
	Published String // YYYY-MM-DD
	Accessed  String // YYYY-MM-DD
	License   String
	Note      String // optional
}

// ColumnType is a declared column type: package value owns the types.
type ColumnType = value.Type

// The column types, as package value names them.
const (
	TypeString = value.String
	TypeInt    = value.Int
	TypeFloat  = value.Float
	TypeBool   = value.Bool
	TypeDate   = value.Date
	// TypeAny is never declared: it is the type of a computed column whose
	// expression expr-lang cannot type statically.
	TypeAny = value.Any
)

// Column is one declared column of a dataset.
type Column struct {
	Name string
	Pos  position.Pos // of the name

	Type     ColumnType
	TypePos  position.Pos
	Layout   string // Go time layout for a date; "2006-01-02" by default
	From     string // header name in the file, when it differs from Name
	FromPos  position.Pos
	FromIdx  int // 1-based column position (`from: 12`); 0 when not by position
	Required bool
	Null     []string // per-column null markers, added to the dataset's; nil if none

	LayoutPos position.Pos // of the format, when written

	// FileName marks the column file_column adds: no file holds it; each
	// row's value is the name of the file it was read from.
	FileName bool
}

// Header returns the header name the column is read from.
func (c *Column) Header() string {
	if c.From != "" {
		return c.From
	}
	return c.Name
}

// View is one entry of `views:`. Its steps run in the contract's order,
// whatever order they are written in: join, unpivot, where/derive,
// group_by+aggregate or pivot, complete, window, select, distinct,
// order_by, limit.
type View struct {
	Name string
	Pos  position.Pos

	From       Ref   // the one input, or the first of an append's
	Sources    []Ref // from: as written: one input, or the list of an append
	Append     bool  // from: is a list: the inputs' rows one after the other
	FromColumn String
	Join       *Join    // optional left lookup join, applied before where
	Unpivot    *Unpivot // optional: columns into rows, before where
	Where      []Expr   // each counted separately; all must hold
	Derive     []*Named // new columns, in order; each sees the ones before it
	GroupBy    []Ref
	Aggregate  []*Named // NAME: expression over aggregate calls, e.g. sum(low) / count()
	Pivot      *Pivot   // optional, instead of group_by: rows into columns
	Complete   *Complete
	Window     *Window
	Select     []Ref // optional: the output columns, in order
	Distinct   Bool
	OrderBy    []OrderKey
	Limit      Int
	WithTies   bool // limit: {rows: N, with_ties: true}

	// Labels and Formats say how tables, charts, legends and tooltips name
	// the view's columns and print their values, in file order.
	Labels  []Label
	Formats []Label
}

// Bool is a boolean scalar with its position.
type Bool struct {
	Value bool
	Pos   position.Pos
	Set   bool
}

// Literal is a value written in the analysis (a pivot's column values, a
// fill), typed later against the column it is for: Tag is what YAML read
// it as (!!int, !!float, !!bool, !!null, !!str, !!timestamp).
type Literal struct {
	Text string
	Tag  string
	Pos  position.Pos
}

// Unpivot turns columns into rows: each input row gives one row per
// column of Columns, the other columns repeated.
type Unpivot struct {
	Pos      position.Pos
	Columns  []Ref
	NamesTo  String // the new string column holding each column's name
	ValuesTo String // the new column holding its value
}

// Pivot turns rows into columns: one row per combination of the other
// columns, a column for each of Columns holding the ValuesFrom of the row
// whose NamesFrom is its value.
type Pivot struct {
	Pos        position.Pos
	NamesFrom  Ref
	ValuesFrom Ref
	Columns    []PivotColumn
	Fill       *Literal // for a missing cell; nil means null
}

// PivotColumn is one new column of a pivot and the value of names_from
// it takes.
type PivotColumn struct {
	Name  string
	Pos   position.Pos
	Value Literal
}

// Complete adds the rows missing from every combination of Columns'
// values, with Fill in the columns it names.
type Complete struct {
	Pos     position.Pos
	Columns []Ref
	Every   []Setting // a column's step: an int, or day|week|month|quarter|year
	Fill    []Setting // a column's value in the rows added
}

// Setting is a value given for one column.
type Setting struct {
	Column Ref
	Value  Literal
}

// Window computes columns over each row's partition, in order.
type Window struct {
	Pos         position.Pos
	PartitionBy []Ref
	OrderBy     []OrderKey
	Derive      []*Named
}

// Join is a left lookup join: each row gains Columns from the one row of
// View whose On columns equal its own.
type Join struct {
	Pos     position.Pos
	View    Ref
	On      []Ref
	Columns []Ref // nil means every column of View but the keys
}

// Named is a NAME: expression pair (derive, aggregate).
type Named struct {
	Name string
	Pos  position.Pos
	Expr Expr
}

// OrderKey is one order_by entry; "-name" sorts descending.
type OrderKey struct {
	Name string
	Desc bool
	Pos  position.Pos
}

// Value is one entry of `values:`: a named scalar, written NAME: EXPR or,
// with a format, NAME: {expr: EXPR, format: FORMAT}.
type Value struct {
	Name   string
	Pos    position.Pos
	Expr   Expr
	Format String // how the report prints it; Set false when none is given
}

// Claim is a sentence the data must support.
type Claim struct {
	ID    string
	Pos   position.Pos // of the list item
	IDPos position.Pos
	Text  String
	Check Expr
}

// CellKind says what a body cell holds.
type CellKind int

const (
	CellMarkdown CellKind = iota
	CellChart
	CellTable
	CellClaim
)

// Cell is one entry of `body:`.
type Cell struct {
	Kind CellKind
	Pos  position.Pos

	Markdown String // CellMarkdown: CommonMark with {{ expr }} inline values
	Inline   []Expr // CellMarkdown: the {{ }} expressions, in order of appearance
	Spans    []Span // CellMarkdown: where each {{ }} lies in Markdown.Value

	Chart *Chart // CellChart
	Table *Table // CellTable
	Claim Ref    // CellClaim
}

// Span is a part [From, To) of a text, in bytes.
type Span struct{ From, To int }

// Table shows a view as a table.
type Table struct {
	Pos     position.Pos
	View    Ref
	Columns []Ref // nil means all
	Caption String
	Limit   Int     // rows shown; 0 means all
	Labels  []Label // override the view's, column by column
	Formats []Label
}

// Chart is a chart cell. Package chart turns it into ECharts options.
type Chart struct {
	Pos        position.Pos
	Type       String // bar, line, area, scatter, pie
	Data       Ref    // a view
	X          Ref
	Y          []Ref // one series per column
	Series     Ref   // long data: one series per distinct value of this column
	Title      String
	Subtitle   String
	Caption    String
	XLabel     String
	YLabel     String
	Unit       String // appended to values in tooltips and axis labels, e.g. "%"
	Format     String // number format of values: "0", "0.0", "0,0", "0%"...
	Stack      bool
	Horizontal bool
	MapChart   // type: map and type: points (mapchart.go)

	// Labels name columns (overriding the view's), the values of the x,
	// series and facet columns, and a map's legend entries; Formats
	// override the view's.
	Labels  []Label
	Formats []Label
	Height  Int     // pixels; not Set means from the data
	Marks   []*Mark // annotations, in file order
	Facet   Ref     // small multiples: one panel per value of this column
}

// Mark is one annotation of a chart: a vertical line at an x, a
// horizontal line at a y, or a labelled point at both.
type Mark struct {
	Pos   position.Pos // of the list item
	X, Y  Scalar
	Label String
}

// Scalar is a value written in the analysis as YAML gives it: its text,
// whether it was quoted, and YAML's reading of it (Tag: "!!int",
// "!!float", "!!timestamp", "!!str"...). Whoever knows what it stands for
// reads it.
type Scalar struct {
	Text   string
	Tag    string
	Quoted bool
	Pos    position.Pos
	Set    bool
}
