package analysis

import "testing"

const geoDataset = `title: T
datasets:
  states:
    path: datasets/geo/states.geojson
    source: {title: S, publisher: P, accessed: 2020-01-01, license: L}
    columns:
      name: string
`

func TestGeoJSONDataset(t *testing.T) {
	for _, c := range []struct{ name, src, format, err string }{
		{"from the extension", geoDataset, "geojson", ""},
		{"declared", geoDataset + "    format: geojson\n", "geojson", ""},
		{"csv by default", "title: T\ndatasets:\n  a:\n    path: a.txt\n    source: {title: S, publisher: P, accessed: 2020-01-01, license: L}\n    columns: {x: int}\n", "csv", ""},
		{"declared csv wins", geoDataset + "    format: csv\n", "csv", ""},
		{"unknown format", geoDataset + "    format: shapefile\n", "",
			`x.yaml:8:13: dataset "states": unknown format "shapefile" (known: csv, xlsx, json, ndjson, geojson; without format:, the extension decides)`},
		{"csv key", geoDataset + "    delimiter: \";\"\n", "",
			`x.yaml:8:5: dataset "states": delimiter applies to CSV files, not to a GeoJSON dataset (remove it)`},
		{"column position", geoDataset + "      pop: {type: int, from: 3}\n", "",
			`x.yaml:8:30: dataset "states": column "pop": from: 3 is a CSV column position; a GeoJSON column is read from a property, by name (from: NAME)`},
	} {
		t.Run(c.name, func(t *testing.T) {
			f, err := Parse("x.yaml", []byte(c.src))
			if c.err != "" {
				if err == nil || err.Error() != c.err {
					t.Errorf("got  %v\nwant %s", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := f.Datasets[0].FileFormat(); got != c.format {
				t.Errorf("format %s, want %s", got, c.format)
			}
		})
	}
}
