// Package view compiles and runs the views of an analysis: join, where,
// derive, group_by with aggregates, select, order_by and limit.
//
// Compile takes an analysis.View and the typed columns of what it reads (a
// dataset's declared schema or an earlier view's output) and produces a
// *Plan: every expression compiled once, every column name resolved, the
// output schema known, all before any row is read. A Plan's Run takes rows
// one at a time, so a dataset streams through it in constant memory (only
// group states and the rows a view outputs are held), and Finish produces a
// table.Table in a deterministic order: a grouped view is ordered by its keys
// unless order_by says otherwise, and ties in order_by are broken by the
// remaining columns, then by input order.
//
// Every row is counted: rows in, rows kept by each where, rows matched by the
// join, rows out; the counts are shown in the report.
package view
