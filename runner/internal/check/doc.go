// Package check turns a parsed analysis into a Plan that a run executes,
// without reading a row: the resolver and type checker between the parser
// (package analysis) and the run (package engine), as goawk's resolver sits
// between its parser and its interpreter.
//
// It takes an *analysis.File and produces a *Plan, or a position.List of
// every mistake found. On the way it
//
//   - resolves every name: what each view reads and joins, the views that
//     tables and charts show, the claims the body cites; no two datasets,
//     views and values share a name; views and values that read each
//     other in a circle are named;
//   - orders views and values so that each comes after what it reads;
//   - compiles every expression once (package expression) against the
//     names it will see, so a type error or an unknown column is reported
//     with its line and column before any data is read;
//   - compiles every view (package view), so every view's output columns
//     are known;
//   - validates every table and chart against its view's columns (a chart
//     through chart.Check, the one place chart rules live), and the labels
//     and formats of views, tables and values (table.NewDisplay: each
//     names a column, each format parses and suits its column's type);
//   - works out lineage: the datasets every view, value, claim and passage
//     of prose depends on.
//
// Each rule lives in one place: what is only syntax is package analysis's,
// what needs names and types is here or in the package Check calls for it.
package check
