package report

import (
	"fmt"
	"strings"

	"github.com/gocarina/gocsv"

	"galley/runner/internal/engine"
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
// analysis's order.
func Sources(res *engine.Result) ([]byte, error) {
	rows := make([]sourceRow, 0, len(res.Datasets))
	for _, d := range res.Datasets {
		ds, c := d.Dataset, d.Dataset.Source
		var kept []string
		for _, name := range d.Views {
			if vr := res.View(name); vr != nil {
				kept = append(kept, fmt.Sprintf("%s=%d", name, vr.Counts.Out))
			}
		}
		enc := ds.Encoding.Value
		if enc == "" {
			enc = "utf-8"
		}
		rows = append(rows, sourceRow{
			Dataset: ds.Name, Path: ds.Path.Value, SHA256: d.SHA256, Encoding: enc, RowsRead: d.RowsRead,
			RowsKept: strings.Join(kept, " "), Title: c.Title.Value, Publisher: c.Publisher.Value,
			Author: c.Author.Value, URL: c.URL.Value, Published: c.Published.Value, Accessed: c.Accessed.Value,
			License: c.License.Value, Note: c.Note.Value,
		})
	}
	out, err := gocsv.MarshalBytes(&rows)
	if err != nil {
		return nil, fmt.Errorf("writing the sources manifest: %v", err)
	}
	return out, nil
}
