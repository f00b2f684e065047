package table

import (
	"galley/runner/internal/analysis"
	"galley/runner/internal/position"
)

// Column is one column of a table.
type Column struct {
	Name string
	Type analysis.ColumnType
	Pos  position.Pos // where the column is defined in the analysis
}

// Table is a computed view.
type Table struct {
	Name    string
	Pos     position.Pos
	Columns []Column
	Rows    [][]any
}

// ColumnIndex returns the position of the named column in cols, or -1.
func ColumnIndex(cols []Column, name string) int {
	for i, c := range cols {
		if c.Name == name {
			return i
		}
	}
	return -1
}
