// Package table holds the in-memory result of a view: named, typed columns
// and rows of values, and the two operations every later stage needs on such
// values: a total order (for order_by, group keys and charts) and the display
// form (for the report, inline values and CSV downloads).
//
// Values are Go values of exactly these types: nil (null), string, int,
// float64, bool and time.Time (a date, UTC midnight).
package table
