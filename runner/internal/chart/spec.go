package chart

import (
	"galley/runner/internal/position"
	"galley/runner/internal/value"
)

// Spec is a chart cell checked against its view's columns (Check): every
// column resolved to its place in the view, the format parsed, every rule
// of what a chart may ask for already applied. Options builds from a Spec
// alone; it never sees the analysis file.
type Spec struct {
	Pos    position.Pos // of the cell
	Type   string       // bar, line, area, scatter or pie
	X      Column
	Y      []Column
	Series Column // Index -1 when the chart has no series: column

	Title, Subtitle, Caption string
	XLabel, YLabel           Label
	Unit                     string // appended to values, "%" tight, others after a space
	Format                   value.Format
	Stack, Horizontal        bool
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

// Columns lists the view columns the chart shows, x first: what its data
// table prints.
func (s *Spec) Columns() []Column {
	out := []Column{s.X}
	if s.Series.Index >= 0 {
		out = append(out, s.Series)
	}
	return append(out, s.Y...)
}
