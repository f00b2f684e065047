// Package results is the document a run of an analysis produces: ordered,
// complete and free of pointers into the analysis's syntax tree, so that
// everything after the run (the HTML report, `galley show`, `galley
// diff`, `galley serve`) reads one thing.
//
// A Document holds, in the analysis's order: the datasets read (path, pin,
// citation, rows read), every view (its columns and types, with the
// labels and formats it gives them, the key columns that identify a row,
// what happened to its rows, and, for the views a table or chart shows,
// the rows themselves, up to MaxRows), every value and claim (with its
// status and the values its check read, printed with the value's format),
// and the body (prose with its inline values resolved, tables and charts
// with how they name and print each column, charts with their ECharts
// options built, claims), each with the line of the analysis that computes
// it and the datasets it depends on. Machine values stay raw: rows, values
// and inputs in their machine form, names as the analysis writes them;
// labels and formats are extra fields beside them.
//
// Marshal writes a Document as canonical JSON (docs/results.schema.json):
// fields in a fixed order, no map, two-space indentation, a row or a list
// of scalars on one line, values in their machine form (value.Plain: an
// int is a JSON integer, a date a "YYYY-MM-DD" string, a null null), so
// that `git diff reports/NAME.results.json` shows exactly the figures a
// data update changed. The same analysis and data give the same bytes on
// every machine, in every time zone and locale.
//
// Unmarshal reads such a document back, every value typed again by what
// the document says of its place (a column's type, a value's type), so
// that `galley diff` compares committed results with a run of now as
// values, not as text.
package results
