// Package table holds the in-memory result of a view: named, typed columns
// and rows of values. The values are those of package value, which orders
// and prints them.
package table
