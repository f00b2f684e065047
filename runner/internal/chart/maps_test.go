package chart

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"galley/runner/internal/analysis"
	"galley/runner/internal/geo"
	"galley/runner/internal/position"
	"galley/runner/internal/table"
	"galley/runner/internal/value"
)

func square(lon, lat float64) orb.Polygon {
	return orb.Polygon{{{lon, lat}, {lon + 1, lat}, {lon + 1, lat + 1}, {lon, lat + 1}, {lon, lat}}}
}

// testGeo has four areas keyed A to D, side by side in Iraq.
func testGeo() *Geo {
	g := &Geo{Collection: &geo.Collection{}}
	for i, k := range []string{"A", "B", "C", "D"} {
		g.Collection.Features = append(g.Collection.Features, &geo.Feature{Index: i, Geometry: square(40+float64(i), 33)})
		g.Rows = append(g.Rows, []any{k})
	}
	return g
}

func p(line, col int) position.Pos { return position.Pos{File: "a.yaml", Line: line, Col: col} }

func mapSpec(bins ...float64) *MapSpec {
	s := &MapSpec{Pos: p(30, 5), Type: "map", Geo: "areas", GeoKey: Column{Name: "name", Index: 0, Pos: p(33, 16)},
		Key: Column{Name: "area", Index: 0, Pos: p(32, 12)}, Value: Column{Name: "deaths", Index: 1, Pos: p(34, 14)},
		Lat: Column{Index: -1}, Lon: Column{Index: -1}, Size: Column{Index: -1}, Labels: map[string]string{}}
	for _, b := range bins {
		s.BinsPos = p(35, 11)
		s.Bins = append(s.Bins, b)
		s.BinText = append(s.BinText, strings.TrimSuffix(strings.TrimSuffix(jsonText(b), ".0"), ".00"))
	}
	return s
}

func jsonText(f float64) string { b, _ := json.Marshal(f); return string(b) }

func areaTable(rows ...[]any) *table.Table {
	return &table.Table{Name: "by_area", Columns: []table.Column{{Name: "area", Type: analysis.TypeString}, {Name: "deaths", Type: analysis.TypeInt}}, Rows: rows}
}

func TestChoroplethBins(t *testing.T) {
	s := mapSpec(0, 10, 100)
	s.Labels["no data"] = "Not counted"
	d, err := MapOptions(s, areaTable([]any{"A", 0}, []any{"B", 10}, []any{"C", 100}), testGeo(), "chart_L30")
	if err != nil {
		t.Fatal(err)
	}
	// Each bin holds its lower edge; the last its upper edge too. D has no row.
	want := []string{"A 0 0 to under 10", "B 10 10 to 100", "C 100 10 to 100", "D Not counted Not counted"}
	for i, a := range d.Areas {
		if got := a.Key.(string) + " " + a.Text + " " + a.Class; got != want[i] {
			t.Errorf("area %d: %q, want %q", i, got, want[i])
		}
	}
	if d.Areas[3].Color != NoDataColor || d.Areas[0].Color == d.Areas[1].Color || d.Areas[1].Color != d.Areas[2].Color {
		t.Errorf("colours %v", d.Areas)
	}
	if len(d.Legend) != 3 || d.Legend[2].Label != "Not counted" || !d.Legend[2].NoData {
		t.Errorf("legend %+v", d.Legend)
	}
	if d.Projection != "mercator" || d.Chosen != "the map covers less than a continent" {
		t.Errorf("projection %s (%s)", d.Projection, d.Chosen)
	}
	if !bytes.Contains(d.Options, []byte(`"map":"chart_L30"`)) || !bytes.Contains(d.Geometry, []byte(`"name":"a3"`)) {
		t.Errorf("options %s", d.Options[:200])
	}
	again, _ := MapOptions(s, areaTable([]any{"A", 0}, []any{"B", 10}, []any{"C", 100}), testGeo(), "chart_L30")
	if !bytes.Equal(again.Options, d.Options) || !bytes.Equal(again.Geometry, d.Geometry) {
		t.Error("two builds of one map differ")
	}
}

func TestRamp(t *testing.T) {
	// The ends are the palette's colours exactly: the OKLab round trip is exact.
	if lo, hi := ramp(0), ramp(1); lo != "#e4ecf4" || hi != "#1f4e79" {
		t.Errorf("ramp ends %s, %s", lo, hi)
	}
}

func TestChoroplethContinuous(t *testing.T) {
	d, err := MapOptions(mapSpec(), areaTable([]any{"A", 5}, []any{"B", nil}, []any{"C", 25}), testGeo(), "m")
	if err != nil {
		t.Fatal(err)
	}
	if d.Areas[0].Color != ramp(0) || d.Areas[2].Color != ramp(1) || d.Areas[1].Color != NoDataColor || d.Areas[1].Text != value.NullText {
		t.Errorf("areas %+v", d.Areas)
	}
	if l := d.Legend; len(l) != 2 || l[0].Label != "5" || l[0].High != "25" || len(l[0].Stops) != 5 || l[1].Label != "No data" {
		t.Errorf("legend %+v", l)
	}
}

func TestChoroplethErrors(t *testing.T) {
	show := mapSpec()
	show.ShowUnmatched = true
	for _, c := range []struct {
		name string
		s    *MapSpec
		rows [][]any
		want string
	}{
		{"unmatched", mapSpec(), [][]any{{"A", 1}, {"Z", 2}},
			`a.yaml:32:12: key "Z" in row 2 of view "by_area" matches no area: no feature of dataset "areas" has name "Z" (fix the key, filter the row out, or write unmatched: show to count such rows under the map)`},
		{"twice", mapSpec(), [][]any{{"A", 1}, {"A", 2}},
			`a.yaml:32:12: key "A" occurs in rows 1 and 2 of view "by_area"; a map needs one row per area (aggregate the view with group_by: [area])`},
		{"null key", mapSpec(), [][]any{{nil, 1}},
			`a.yaml:32:12: column "area" in map key is empty in row 1 of view "by_area"; every row names its area (filter it out in the view: where: area != nil)`},
		{"outside the bins", mapSpec(0, 10), [][]any{{"A", 11}},
			`a.yaml:35:11: map of "by_area": the value 11 of "A" lies outside the bins (0 to 10); widen the bins to hold every value`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := MapOptions(c.s, areaTable(c.rows...), testGeo(), "m")
			if err == nil || err.Error() != c.want {
				t.Errorf("got  %v\nwant %s", err, c.want)
			}
		})
	}
	d, err := MapOptions(show, areaTable([]any{"A", 1}, []any{"Z", 2}), testGeo(), "m")
	if err != nil || len(d.Unmatched) != 1 || d.Unmatched[0] != "Z" {
		t.Errorf("unmatched: show: %v, %v", d, err)
	}
}

func pointsSpec() *MapSpec {
	return &MapSpec{Pos: p(40, 5), Type: "points", Geo: "areas", GeoKey: Column{Index: -1}, Value: Column{Index: -1},
		Key: Column{Name: "city", Index: 0, Pos: p(41, 12)}, Lat: Column{Name: "lat", Index: 1, Pos: p(42, 12)},
		Lon: Column{Name: "lon", Index: 2, Pos: p(43, 12)}, Size: Column{Name: "people", Index: 3, Pos: p(44, 13)}, Labels: map[string]string{}}
}

func placeTable(rows ...[]any) *table.Table {
	return &table.Table{Name: "places", Columns: []table.Column{{Name: "city"}, {Name: "lat"}, {Name: "lon"}, {Name: "people"}}, Rows: rows}
}

func TestPoints(t *testing.T) {
	d, err := MapOptions(pointsSpec(), placeTable([]any{"Mosul", 36.335, 43.11889, 1800000}, []any{"Erbil", 36.19, 44.0, 450000}), testGeo(), "m")
	if err != nil {
		t.Fatal(err)
	}
	var opt struct {
		Series []struct {
			Data []struct {
				Name       string
				Value      []float64
				SymbolSize float64
			}
			Label struct{ Show bool }
		}
		Geo struct{ Map string }
	}
	if err := json.Unmarshal(d.Options, &opt); err != nil {
		t.Fatal(err)
	}
	data := opt.Series[0].Data
	// Areas show the values: a quarter of the people, half the diameter.
	if len(data) != 2 || data[0].SymbolSize != maxDiameter || data[1].SymbolSize != maxDiameter/2 || data[0].Name != "Mosul" || !opt.Series[0].Label.Show || opt.Geo.Map != "m" {
		t.Errorf("points %+v", opt)
	}
	if d.Points != 2 || len(d.Legend) != 2 || d.Legend[0].Label != "1,800,000" || d.Legend[1].Label != "200,000" {
		t.Errorf("legend %+v", d.Legend)
	}
	for _, c := range []struct {
		name string
		row  []any
		want string
	}{
		{"no latitude", []any{"X", nil, 43.0, 1}, `a.yaml:42:12: column "lat" in map lat is null in row 1 of view "places"; every point needs a latitude and a longitude (filter it out in the view: where: lat != nil)`},
		{"swapped", []any{"X", 136.3, 43.0, 1}, `a.yaml:42:12: column "lat" is 136.3 in row 1 of view "places", outside the range of a latitude, -90 to 90 in degrees (are lat and lon swapped?)`},
		{"negative size", []any{"X", 36.3, 43.0, -4}, `a.yaml:44:13: column "people" in map size is -4 in row 1 of view "places"; a circle's area shows a number of at least 0 (filter the row out, or fill it, in the view)`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := MapOptions(pointsSpec(), placeTable(c.row), testGeo(), "m")
			if err == nil || err.Error() != c.want {
				t.Errorf("got  %v\nwant %s", err, c.want)
			}
		})
	}
	s := pointsSpec()
	s.Projection = "albers_usa"
	_, err = MapOptions(s, placeTable([]any{"Mosul", 36.335, 43.11889, 1}), &Geo{Collection: &geo.Collection{}}, "m")
	if want := `a.yaml:42:12: row 1 of view "places" (latitude 36.335, longitude 43.11889) lies outside the albers_usa projection; filter it out in the view, or use another projection:`; err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
}
