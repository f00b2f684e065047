// Package table holds the in-memory result of a view: named, typed columns
// and rows of values. The values are those of package value, which orders
// and prints them.
//
// It also holds Display, how a view, a table or a chart names its columns
// for readers and prints their values (its labels: and formats:), and
// NewDisplay, the one place those entries are checked against the
// columns: each names a column, and each format parses and suits its
// column's type. Shown is one column as it is finally shown, with the
// defaults a column of dates takes (value.DateFormatFor).
package table
