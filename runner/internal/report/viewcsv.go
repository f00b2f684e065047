package report

import "galley/runner/internal/results"

// ViewCSV is rows of v as CSV, every column, as the report's downloads
// write them: raw column names, values in their machine form, formulas
// neutralised. `galley show -csv` prints it.
func ViewCSV(v *results.View, rows [][]any) ([]byte, error) {
	idx := make([]int, len(v.Columns))
	for i := range idx {
		idx[i] = i
	}
	return exportCSV(v, rows, idx)
}
