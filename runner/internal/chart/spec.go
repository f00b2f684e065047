package chart

import (
	"galley/runner/internal/position"
	"galley/runner/internal/table"
	"galley/runner/internal/value"
)

// Spec is a chart cell checked against its view's columns (Check): every
// column resolved to its place in the view, the formats parsed, every rule
// of what a chart may ask for already applied. Options builds from a Spec
// alone; it never sees the analysis file.
type Spec struct {
	Pos    position.Pos // of the cell
	Type   string       // bar, line, area, scatter or pie
	X      Column
	Y      []Column
	Series Column // Index -1 when the chart has no series: column
	Facet  Column // Index -1 when the chart has no facet: column

	Title, Subtitle, Caption string
	XLabel, YLabel           Label
	Unit                     string // appended to values, "%" tight, others after a space
	Stack, Horizontal        bool

	// Display is how the chart names its columns and prints their values:
	// its labels: and formats: over its view's, with format: set on every
	// y column that formats: does not name.
	Display table.Display
	// Names are the chart's labels for values of its x, series and facet
	// columns, in file order: checked against the data when it is drawn.
	Names  []Name
	Height int // pixels; 0: from the data
	Marks  []Mark
}

// Column is a column a chart reads, at its place in the analysis.
type Column struct {
	Name  string
	Index int // in the view's columns; -1 when absent
	Pos   position.Pos
}

// Label is an axis title: Set with an empty Text hides the default one.
type Label struct {
	Text string
	Set  bool
}

// Name is the display name the chart gives a value ("KSEA": "Seattle").
type Name struct {
	Value string // the value as value.Plain writes it
	Label string
	Pos   position.Pos
}

// Mark is one annotation: a vertical line at X, a horizontal line at Y, or
// a labelled point at both.
type Mark struct {
	Pos   position.Pos
	X, Y  At
	Label string
}

// At is where a mark stands on one axis: a literal (a number, a date, or
// the text of a category), or the value named Value, read when the chart
// is drawn.
type At struct {
	Set     bool
	Literal any    // int, float64, time.Time or string
	Value   string // the name of a value of the analysis, instead
	Text    string // as written, for messages
	Pos     position.Pos
}

// Columns lists the view columns the chart shows, x first, then the
// series and facet columns: what its data table prints.
func (s *Spec) Columns() []Column {
	out := []Column{s.X}
	if s.Series.Index >= 0 {
		out = append(out, s.Series)
	}
	if s.Facet.Index >= 0 {
		out = append(out, s.Facet)
	}
	return append(out, s.Y...)
}

// Format is the format the chart gives the column col: its own, its
// view's, or the zero Format.
func (s *Spec) Format(col string) value.Format {
	f, _ := s.Display.Format(col)
	return f
}
