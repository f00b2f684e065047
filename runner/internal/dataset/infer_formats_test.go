package dataset

import (
	"reflect"
	"testing"
	"time"

	"galley/runner/internal/analysis"
)

func TestInferFormats(t *testing.T) {
	xlsx := budget(t, nil)
	ndjson := "{\"name\": \"Ana\", \"n\": 3, \"share\": 0.5, \"at\": {\"lat\": 36.3}, \"tags\": [1], \"day\": \"2021-03-04\", \"ok\": true}\n" +
		"{\"name\": \"Bo\", \"n\": 4.0, \"share\": 1, \"at\": null, \"day\": null, \"ok\": false}\n"
	for _, c := range []struct {
		name, path, data string
		want             Inferred // Path, SHA256 and Format are filled in
	}{
		{"xlsx", "datasets/b.xlsx", string(xlsx), Inferred{Encoding: "utf-8", Null: []string{""}, Rows: 1, Sheet: "Notes", Sheets: []string{"Notes", "Table 3"},
			Columns: []InferredColumn{{Name: "about_this_file", From: "About this file", Type: analysis.TypeString}}}},
		{"ndjson", "datasets/r.ndjson", ndjson, Inferred{Encoding: "utf-8", Null: []string{""}, Rows: 2, Skipped: []string{"tags"},
			Columns: []InferredColumn{
				{Name: "name", Type: analysis.TypeString},
				{Name: "n", Type: analysis.TypeInt},
				{Name: "share", Type: analysis.TypeFloat},
				{Name: "at_lat", From: "at.lat", Type: analysis.TypeFloat, Nulls: 1},
				{Name: "day", Type: analysis.TypeDate, Nulls: 1},
				{Name: "ok", Type: analysis.TypeBool},
			}}},
		{"json under a key", "datasets/r.json.gz", gzipped(`{"meta": {"n": 1}, "data": {"items": [{"a": "x"}, {"a": "y"}]}}`),
			Inferred{Encoding: "utf-8", Null: []string{""}, Rows: 2, Records: "data.items",
				Columns: []InferredColumn{{Name: "a", Type: analysis.TypeString}}}},
		{"geojson", "datasets/g.geojson", govs, Inferred{Encoding: "utf-8", Null: []string{""}, Rows: 2,
			Columns: []InferredColumn{
				{Name: "name", Type: analysis.TypeString},
				{Name: "pop", Type: analysis.TypeInt},
				{Name: "share", Type: analysis.TypeFloat, Nulls: 1},
				{Name: "capital", Type: analysis.TypeBool},
				{Name: "since", Type: analysis.TypeDate, Nulls: 1},
				{Name: "note", Type: analysis.TypeString, Nulls: 1},
			}}},
		{"csv gzip", "datasets/c.csv.gz", gzipped("a;b\n1;x\n2;y\n"), Inferred{Encoding: "utf-8", Delimiter: ";", Null: []string{""}, Rows: 2,
			Columns: []InferredColumn{{Name: "a", Type: analysis.TypeInt}, {Name: "b", Type: analysis.TypeString}}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			writeFile(t, root, c.path, c.data)
			got, err := Infer(c.path, root, 0)
			if err != nil {
				t.Fatal(err)
			}
			want := c.want
			want.Path, want.SHA256 = c.path, sum(c.data)
			want.Format = (&analysis.Dataset{Path: analysis.String{Value: c.path}}).FileFormat()
			if !reflect.DeepEqual(*got, want) {
				t.Errorf("got  %+v\nwant %+v", *got, want)
			}
		})
	}
	// The sheet of a government spreadsheet: the table under its title.
	data := buildXLSX(t, []string{"Table 3"}, map[string]sheetCells{"Table 3": {
		"A1": "City budget 2024", "B3": "department", "C3": "adopted", "D3": "approved",
		"B4": "Parks", "C4": 1292, "D4": time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC),
		"B5": "Roads", "C5": 12.5, "D5": time.Date(2024, 3, 6, 0, 0, 0, 0, time.UTC),
	}})
	root := t.TempDir()
	writeFile(t, root, "datasets/b.xlsx", string(data))
	got, err := InferSheet("datasets/b.xlsx", root, "Table 3")
	if err != nil {
		t.Fatal(err)
	}
	want := []InferredColumn{{Name: "department", Type: analysis.TypeString}, {Name: "adopted", Type: analysis.TypeFloat}, {Name: "approved", Type: analysis.TypeDate}}
	if _, err := InferSheet("datasets/b.xlsx", root, "Table 2"); err == nil || err.Error() != `datasets/b.xlsx: the workbook has no sheet "Table 2" (did you mean "Table 3"?)` {
		t.Errorf("no such sheet: %v", err)
	}
	if got.Range != "B3:D" || got.Rows != 2 || !reflect.DeepEqual(got.Columns, want) {
		t.Errorf("range %s, %d rows, columns %+v", got.Range, got.Rows, got.Columns)
	}
}
