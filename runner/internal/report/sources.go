package report

import (
	"fmt"
	"galley/runner/internal/results"
	"strings"

	"github.com/gocarina/gocsv"
)

// sourceRow is one line of NAME.sources.csv, the machine-readable
// provenance manifest published beside the report.
type sourceRow struct {
	Dataset   string `csv:"dataset"`
	Path      string `csv:"path"`
	SHA256    string `csv:"sha256"`
	Encoding  string `csv:"encoding"`
	RowsRead  int    `csv:"rows_read"`
	RowsKept  string `csv:"rows_kept"` // view=rows out, for each view reading the dataset
	Title     string `csv:"title"`
	Publisher string `csv:"publisher"`
	Author    string `csv:"author"`
	URL       string `csv:"url"`
	Published string `csv:"published"`
	Accessed  string `csv:"accessed"`
	License   string `csv:"license"`
	Note      string `csv:"note"`
}

// Sources writes the provenance manifest: one row per dataset, in the
// analysis's order, with its path, pin, rows read and the rows each view
// reading it kept. A glob's row has the glob as its path, no pin, and the
// rows read from all its files; a row per file follows it, in the order
// read, with the file's path, pin and rows read, and no rows_kept (the
// views keep rows of the dataset, not of a file). Citation text is written
// as csvText writes it.
func Sources(doc *results.Document) ([]byte, error) {
	rows := make([]sourceRow, 0, len(doc.Datasets))
	for _, d := range doc.Datasets {
		c := d.Source
		var kept []string
		for _, name := range d.Views {
			if v := doc.View(name); v != nil {
				kept = append(kept, fmt.Sprintf("%s=%d", name, v.Counts.Out))
			}
		}
		row := func(path, sum string, read int, kept string) sourceRow {
			return sourceRow{
				Dataset: d.Name, Path: csvText(path), SHA256: sum, Encoding: d.Encoding, RowsRead: read,
				RowsKept: kept, Title: csvText(c.Title), Publisher: csvText(c.Publisher),
				Author: csvText(c.Author), URL: csvText(c.URL), Published: c.Published, Accessed: c.Accessed,
				License: csvText(c.License), Note: csvText(c.Note),
			}
		}
		rows = append(rows, row(d.Path, d.SHA256, d.RowsRead, strings.Join(kept, " ")))
		for _, f := range d.Files {
			rows = append(rows, row(f.Path, f.SHA256, f.RowsRead, ""))
		}
	}
	out, err := gocsv.MarshalBytes(&rows)
	if err != nil {
		return nil, fmt.Errorf("writing the sources manifest: %v", err)
	}
	return out, nil
}
