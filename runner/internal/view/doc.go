// Package view compiles and runs the views of an analysis: append (from:
// [a, b]), join, unpivot, where, derive, group_by with aggregates or
// pivot, complete, window, select, distinct, order_by and limit, in that
// order whatever order they are written in.
//
// Compile (CompileSources for an append) takes an analysis.View and the
// typed columns of what it reads (a dataset's declared schema or an
// earlier view's output; one list per input of an append) and produces a
// *Plan: every expression compiled once, every column name resolved, the
// output schema known (a pivot's and an unpivot's included), all before
// any row is read. A Plan's Run takes rows one at a time, so a dataset
// streams through it in constant memory: only group and pivot states and
// the rows a view outputs are held. Runs of parts of the input (the chunks
// of a file, the inputs of an append) merge in order into the run of the
// whole, exactly: counts add, sums are exact, values are kept, and an
// error that depends on several rows (two values for one pivot cell) is
// found after the merge. Finish then completes, computes the window,
// selects, drops repeats, orders and limits, and produces a table.Table in
// a deterministic order: a grouped or pivoted view is ordered by its keys
// unless order_by says otherwise, a window keeps its rows' order, and ties
// in order_by are broken by the remaining columns, then by input order.
//
// Every row is counted: rows in (by input), rows unpivot made, rows kept by
// each where, rows matched by the join, rows complete added, repeated rows
// distinct dropped, rows out, and the rows a plain limit left out that tie
// with the last one kept; the counts are shown in the report.
package view
