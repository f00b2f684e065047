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
// analysis's order, and for a glob one row per file, in the order read,
// each with the file's path, pin and rows read (rows_kept, the views'
// rows out, is the dataset's, on each of its rows). Citation text is
// written as csvText writes it.
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
		files := []results.File{{Path: d.Path, SHA256: d.SHA256, RowsRead: d.RowsRead}}
		if d.Files != nil {
			files = d.Files
		}
		for _, f := range files {
			rows = append(rows, sourceRow{
				Dataset: d.Name, Path: csvText(f.Path), SHA256: f.SHA256, Encoding: d.Encoding, RowsRead: f.RowsRead,
				RowsKept: strings.Join(kept, " "), Title: csvText(c.Title), Publisher: csvText(c.Publisher),
				Author: csvText(c.Author), URL: csvText(c.URL), Published: c.Published, Accessed: c.Accessed,
				License: csvText(c.License), Note: csvText(c.Note),
			})
		}
	}
	out, err := gocsv.MarshalBytes(&rows)
	if err != nil {
		return nil, fmt.Errorf("writing the sources manifest: %v", err)
	}
	return out, nil
}
