package dataset

import (
	"reflect"
	"testing"
	"time"

	"galley/runner/internal/analysis"
)

const govs = `{"type": "FeatureCollection", "features": [
{"type": "Feature", "properties": {"name": "Nineveh", "pop": 3729998, "share": 0.11, "capital": false, "since": "1976-01-01", "note": "NA"}, "geometry": {"type": "Polygon", "coordinates": [[[41, 35], [44, 35], [44, 37], [41, 35]]]}},
{"type": "Feature", "properties": {"name": "Baghdad", "pop": 8126755.0, "capital": true, "since": null}, "geometry": {"type": "Point", "coordinates": [44.4, 33.3]}}
]}
`

// geoDataset declares datasets/geo/x.geojson, pinned to data.
func geoDataset(data string, cols ...*analysis.Column) *analysis.Dataset {
	ds := newDataset(data, cols...)
	ds.Path.Value = "datasets/geo/x.geojson"
	return ds
}

func TestGeoJSONRows(t *testing.T) {
	root := t.TempDir()
	writeFile(t, root, "datasets/geo/x.geojson", govs)
	since := &analysis.Column{Name: "since", Type: analysis.TypeDate}
	ds := geoDataset(govs, str("name"), col("pop", analysis.TypeInt), col("share", analysis.TypeFloat),
		col("capital", analysis.TypeBool), since, str("note"))
	ds.NullSet, ds.Null = true, []analysis.String{{Value: "NA"}}
	rows, lines, err := readAll(ds, Options{Root: root})
	if err != nil {
		t.Fatal(err)
	}
	want := [][]any{
		{"Nineveh", 3729998, 0.11, false, time.Date(1976, 1, 1, 0, 0, 0, 0, time.UTC), nil},
		{"Baghdad", 8126755, nil, true, nil, nil},
	}
	if !reflect.DeepEqual(rows, want) || !reflect.DeepEqual(lines, []int{2, 3}) {
		t.Errorf("rows %v at lines %v", rows, lines)
	}
	// Skipped columns read nil, as in a CSV file; the geometry and every
	// typed value stay with the Reader for maps.
	r, err := openDataset(ds, Options{Root: root, Skip: []bool{false, true, true, true, true, true}})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	row, _ := r.Read()
	if !reflect.DeepEqual(row, []any{"Nineveh", nil, nil, nil, nil, nil}) {
		t.Errorf("skipped: %v", row)
	}
	if g := r.Geo(); g == nil || len(g.Collection.Features) != 2 || g.Rows[1][1] != 8126755 {
		t.Errorf("Geo() = %+v", g)
	}
}

func TestGeoJSONErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		data string
		cols []*analysis.Column
		pin  string // "" means the file's own sum
		want string
	}{
		{"wrong pin", govs, []*analysis.Column{str("name")}, sum("other"),
			`analyses/a.yaml:5:13: dataset "estimates": sha256 of datasets/geo/x.geojson does not match its pin: expected ` + sum("other") + `, got ` + sum(govs) + ` (if the file changed on purpose, run galley pin analyses/a.yaml)`},
		{"the pin is checked before the file is read", govs[:40], []*analysis.Column{str("name")}, sum("x"),
			`analyses/a.yaml:5:13: dataset "estimates": sha256 of datasets/geo/x.geojson does not match its pin: expected ` + sum("x") + `, got ` + sum(govs[:40]) + ` (if the file changed on purpose, run galley pin analyses/a.yaml)`},
		{"reading error", govs[:60], []*analysis.Column{str("name")}, "",
			`datasets/geo/x.geojson:2:17: the file ends in the middle of a JSON value`},
		{"unknown property", govs, []*analysis.Column{str("nam")}, "",
			`analyses/a.yaml:10:7: dataset "estimates": column "nam" is not a property of any feature in datasets/geo/x.geojson (did you mean "name"?)`},
		{"number as text", govs, []*analysis.Column{str("pop")}, "",
			`datasets/geo/x.geojson:2:62: feature 1 ("Nineveh"), column "pop" (string): the property is the number 3729998, not text (declare the column as int or float)`},
		{"fraction as int", govs, []*analysis.Column{col("share", analysis.TypeInt)}, "",
			`datasets/geo/x.geojson:2:80: feature 1 ("Nineveh"), column "share" (int): the number 0.11 is not an integer (declare the column as float)`},
		{"text as number", govs, []*analysis.Column{col("name", analysis.TypeFloat)}, "",
			`datasets/geo/x.geojson:2:44: feature 1 ("Nineveh"), column "name" (float): the property is the text "Nineveh", not a number (declare the column as string)`},
		{"required", govs, []*analysis.Column{{Name: "share", Type: analysis.TypeFloat, Required: true}}, "",
			`datasets/geo/x.geojson:3:1: feature 2 ("Baghdad"), column "share" (float): the column is required, but the property is null or missing`},
		{"bad date", govs, []*analysis.Column{{Name: "since", Type: analysis.TypeDate, Layout: "02/01/2006"}}, "",
			`datasets/geo/x.geojson:2:113: feature 1 ("Nineveh"), column "since" (date): cannot read "1976-01-01" as a date in the form "02/01/2006"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			writeFile(t, root, "datasets/geo/x.geojson", c.data)
			ds := geoDataset(c.data, c.cols...)
			if c.pin != "" {
				ds.SHA256.Value = c.pin
			}
			_, _, err := readAll(ds, Options{Root: root})
			if err == nil || err.Error() != c.want {
				t.Errorf("got  %v\nwant %s", err, c.want)
			}
		})
	}
}
