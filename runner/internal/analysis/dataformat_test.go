package analysis

import (
	"strings"
	"testing"
)

const formatHead = "title: T\ndatasets:\n  d:\n    source: {title: S, publisher: P, accessed: 2020-01-01, license: L}\n    columns: {x: int}\n"

// TestDatasetFormats: the format from the extension, the keys each
// format takes, and a glob's pins and file_column.
func TestDatasetFormats(t *testing.T) {
	for _, c := range []struct {
		name, extra     string
		format          string
		compressed, tab bool
		err             string
	}{
		{"csv", "    path: a.csv\n", "csv", false, false, ""},
		{"tsv", "    path: a.tsv\n", "csv", false, true, ""},
		{"tsv gz", "    path: a.TSV.gz\n", "csv", true, true, ""},
		{"xlsx", "    path: a.xlsx\n    sheet: Table 3\n    range: A5:F120\n", "xlsx", false, false, ""},
		{"json gz", "    path: a.json.gz\n    records: data.items\n", "json", true, false, ""},
		{"ndjson", "    path: a.ndjson\n", "ndjson", false, false, ""},
		{"jsonl", "    path: a.jsonl\n", "ndjson", false, false, ""},
		{"declared", "    path: a.dat\n    format: ndjson\n", "ndjson", false, false, ""},
		{"sheet on csv", "    path: a.csv\n    sheet: S\n", "", false, false,
			`x.yaml:7:5: dataset "d": sheet applies to xlsx files, not to a CSV dataset (remove it)`},
		{"records on ndjson", "    path: a.ndjson\n    records: a\n", "", false, false,
			`x.yaml:7:5: dataset "d": records applies to JSON files (an array of records under a key), not to an NDJSON dataset (remove it)`},
		{"delimiter on xlsx", "    path: a.xlsx\n    delimiter: \";\"\n", "", false, false,
			`x.yaml:7:5: dataset "d": delimiter applies to CSV files, not to an xlsx dataset (remove it)`},
		{"position in json", "    path: a.json\n    columns: {x: {type: int, from: 2}}\n", "", false, false,
			`x.yaml:6:36: dataset "d": column "x": from: 2 is a CSV column position; a JSON column is read from a key, by name (from: NAME, or from: a.b for a nested key)`},
	} {
		t.Run(c.name, func(t *testing.T) {
			src := formatHead + c.extra
			if strings.Contains(c.extra, "columns:") {
				src = strings.Replace(src, "    columns: {x: int}\n", "", 1)
			}
			f, err := Parse("x.yaml", []byte(src))
			if c.err != "" {
				if err == nil || err.Error() != c.err {
					t.Errorf("got  %v\nwant %s", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			ds := f.Datasets[0]
			if got := ds.FileFormat(); got != c.format {
				t.Errorf("format %s, want %s", got, c.format)
			}
			if ds.Compressed() != c.compressed || ds.TabSeparated() != c.tab {
				t.Errorf("compressed %v, tab %v; want %v, %v", ds.Compressed(), ds.TabSeparated(), c.compressed, c.tab)
			}
		})
	}
}

func TestGlobDataset(t *testing.T) {
	const glob = "    path: datasets/w/K*.csv\n"
	for _, c := range []struct{ name, extra, err string }{
		{"pins", glob + "    sha256:\n      datasets/w/KA.csv: aa\n      datasets/w/KB.csv: bb\n    file_column: station\n", ""},
		{"no pins yet", glob, ""},
		{"one pin for a glob", glob + "    sha256: aa\n", `x.yaml:7:13: dataset "d": a glob takes one pin per file: write sha256: as a map of each file's path to its sum (run galley pin)`},
		{"a map for one file", "    path: a.csv\n    sha256: {a.csv: aa}\n", `x.yaml:7:13: dataset "d": sha256 is a map of pins, which only a glob path takes; path "a.csv" names one file: write sha256: SUM (run galley pin)`},
		{"glob folder", "    path: datasets/*/a.csv\n", `x.yaml:6:11: dataset "d": path "datasets/*/a.csv": a glob matches the files of one folder; write the folder without * ? or [, e.g. datasets/weather/*.csv`},
		{"bad pattern", "    path: datasets/[a.csv\n", `x.yaml:6:11: dataset "d": path "datasets/[a.csv" is not a valid glob (a [ is not closed, or a \ ends it)`},
		{"file_column clash", glob + "    file_column: x\n", `x.yaml:7:18: dataset "d": file_column "x" is also a declared column (line 5); give the file names another column name`},
		{"file_column name", glob + "    file_column: 2x\n", `x.yaml:7:18: dataset "d": file_column "2x" must be letters, digits and _, starting with a letter or _ (it names a column)`},
	} {
		t.Run(c.name, func(t *testing.T) {
			f, err := Parse("x.yaml", []byte(formatHead+c.extra))
			if c.err != "" {
				if err == nil || err.Error() != c.err {
					t.Errorf("got  %v\nwant %s", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			ds := f.Datasets[0]
			if !ds.IsGlob() {
				t.Fatal("not a glob")
			}
			if c.name == "pins" {
				if len(ds.Pins) != 2 || ds.Pins[1].Path.Value != "datasets/w/KB.csv" || ds.Pins[1].SHA256.Value != "bb" || ds.Pins[1].Path.Pos.Line != 9 {
					t.Errorf("pins %+v", ds.Pins)
				}
				last := ds.Columns[len(ds.Columns)-1]
				if !last.FileName || last.Name != "station" || last.Type != TypeString {
					t.Errorf("file column %+v", last)
				}
			}
		})
	}
}
