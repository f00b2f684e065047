package geo

import (
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

// fc wraps features in a FeatureCollection, one per line from line 2.
func fc(features ...string) string {
	return "{\"type\": \"FeatureCollection\", \"features\": [\n" + strings.Join(features, ",\n") + "\n]}\n"
}

const square = `{"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}`

func feature(props, geometry string) string {
	return `{"type": "Feature", "properties": ` + props + `, "geometry": ` + geometry + `}`
}

// readErrors are files Read refuses, with the error it gives.
var readErrors = []struct{ name, src, want string }{
	{"not JSON", "{\"type\": \"FeatureCollection\",\n \"features\": [}", `x.geojson:2:15: the file is not valid JSON: invalid character '}' looking for beginning of value`},
	{"cut short", `{"type": "FeatureCollection", "features": [`, `x.geojson:1:44: the file ends in the middle of a JSON value`},
	{"trailing text", fc() + "{}", `x.geojson:4:1: text after the end of the JSON value (a GeoJSON file holds one FeatureCollection)`},
	{"array", `[1, 2]`, `x.geojson:1:1: a GeoJSON dataset is a FeatureCollection object, not an array`},
	{"a Feature", feature(`{}`, square), `x.geojson:1:10: the top-level "type" is "Feature"; a GeoJSON dataset is a FeatureCollection (wrap a single Feature or geometry in {"type": "FeatureCollection", "features": [...]})`},
	{"no features", `{"type": "FeatureCollection"}`, `x.geojson:1:1: the FeatureCollection has no "features" array`},
	{"repeated key", `{"type": "FeatureCollection", "features": [], "features": []}`, `x.geojson:1:47: the FeatureCollection has the key "features" twice; keep one`},
	{"not UTF-8", fc(feature("{\"name\": \"Sa\xefd\"}", square)), `x.geojson:2:47: the file is not valid UTF-8 (GeoJSON is UTF-8; convert the file and pin it again)`},
	{"feature not object", fc(`17`), `x.geojson:2:1: feature 1 is a number, not a Feature object`},
	{"feature type", fc(`{"type": "Point", "coordinates": [1, 2]}`), `x.geojson:2:10: feature 1 has "type" "Point", not "Feature"`},
	{"line string", fc(feature(`{"name": "A1"}`, square), feature(`{"name": "Thames"}`, `{"type": "LineString", "coordinates": [[0, 0], [1, 1]]}`)),
		`x.geojson:3:76: feature 2 ("Thames") has a LineString geometry; a map draws Polygon, MultiPolygon and Point geometries only (convert or remove the feature, and pin the file again)`},
	{"collection", fc(feature(`null`, `{"type": "GeometryCollection", "geometries": []}`)),
		`x.geojson:2:62: feature 1 has a GeometryCollection geometry; a map draws Polygon, MultiPolygon and Point geometries only (convert or remove the feature, and pin the file again)`},
	{"unknown geometry", fc(`{"type": "Feature", "id": 7, "geometry": {"type": "Circle"}}`),
		`x.geojson:2:51: feature 1 (id 7) has a geometry of type "Circle", which GeoJSON does not define (a map draws Polygon, MultiPolygon and Point geometries)`},
	{"null geometry", fc(feature(`{"name": "Atlantis"}`, `null`)), `x.geojson:2:69: feature 1 ("Atlantis") has no geometry; a map needs a Polygon, MultiPolygon or Point for every feature`},
	{"no coordinates", fc(feature(`{}`, `{"type": "Polygon"}`)), `x.geojson:2:51: feature 1 has a Polygon with no "coordinates"`},
	{"open ring", fc(feature(`{}`, `{"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]}`)),
		`x.geojson:2:112: feature 1: a ring is not closed: its last position [0, 1] differs from its first [0, 0] (repeat the first position at the end)`},
	{"short ring", fc(feature(`{}`, `{"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 0]]]}`)),
		`x.geojson:2:87: feature 1: a ring has 3 positions; a ring needs at least 4, the last equal to the first`},
	{"projected", fc(feature(`{"NAME": "Ohio"}`, `{"type": "Point", "coordinates": [523412.5, 4412388.1]}`)),
		`x.geojson:2:99: feature 1 ("Ohio"): longitude 523412.5 is outside -180 to 180 (a GeoJSON dataset holds longitude and latitude in degrees, WGS 84; is the file projected?)`},
	{"swapped", fc(feature(`{}`, `{"type": "Point", "coordinates": [43.1, 136.3]}`)),
		`x.geojson:2:91: feature 1: latitude 136.3 is outside -90 to 90 (a GeoJSON dataset holds longitude and latitude in degrees, in that order)`},
	{"string coordinate", fc(feature(`{}`, `{"type": "Point", "coordinates": ["43.1", 36.3]}`)),
		`x.geojson:2:85: feature 1: a position holds "43.1", not a number`},
	{"empty multipolygon", fc(feature(`{}`, `{"type": "MultiPolygon", "coordinates": []}`)),
		`x.geojson:2:91: feature 1: a MultiPolygon's coordinates is empty (a map has nothing to draw)`},
	{"properties list", fc(`{"type": "Feature", "properties": [1], "geometry": null}`), `x.geojson:2:35: feature 1 has "properties" that are an array, not an object`},
	{"repeated property", fc(feature(`{"name": "A", "name": "B"}`, square)), `x.geojson:2:49: feature 1's properties has the key "name" twice; keep one`},
}

func TestReadErrors(t *testing.T) {
	for _, c := range readErrors {
		t.Run(c.name, func(t *testing.T) {
			_, err := Read("x.geojson", []byte(c.src), Options{})
			if err == nil || err.Error() != c.want {
				t.Errorf("got  %v\nwant %s", err, c.want)
			}
		})
	}
}

func TestRead(t *testing.T) {
	src := "\xef\xbb\xbf" + fc(
		feature(`{"name": "Mosul", "pop": 1800000, "share": 0.25, "capital": false, "note": null, "tags": ["a", {"b": 1}]}`, `{"type": "Point", "coordinates": [43.11889, 36.335, 223]}`),
		`{"type": "Feature", "id": "IQ", "geometry": {"type": "MultiPolygon", "coordinates": [[[[0, 0], [1, 0], [1, 1], [0, 0]], [[0.2, 0.1], [0.8, 0.1], [0.8, 0.7], [0.2, 0.1]]]]}}`)
	c, err := Read("x.geojson", []byte(src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Features) != 2 {
		t.Fatalf("%d features, want 2", len(c.Features))
	}
	if got := strings.Join(c.Names, ","); got != "name,pop,share,capital,note,tags" {
		t.Errorf("names %s", got)
	}
	f := c.Features[0]
	var names []string
	for _, p := range f.Props {
		names = append(names, p.Name)
	}
	if got := strings.Join(names, ","); got != "name,pop,share,capital,note,tags" {
		t.Errorf("properties %s", got)
	}
	want := map[string]any{"name": "Mosul", "pop": Number("1800000"), "share": Number("0.25"), "capital": false, "note": nil, "tags": Composite(`["a", {"b": 1}]`)}
	for k, v := range want {
		if p, ok := f.Prop(k); !ok || p.Value != v {
			t.Errorf("%s = %#v, want %#v", k, p.Value, v)
		}
	}
	if p, _ := f.Prop("pop"); p.Pos.Line != 2 || p.Pos.Col != 60 {
		t.Errorf("pop at %v, want 2:60", p)
	}
	if f.Geometry != (orb.Point{43.11889, 36.335}) || f.Name() != `feature 1 ("Mosul")` || f.Pos.String() != "x.geojson:2:1" {
		t.Errorf("feature 1: %v %s %v", f.Geometry, f.Name(), f.Pos)
	}
	g := c.Features[1]
	if mp, ok := g.Geometry.(orb.MultiPolygon); !ok || len(mp) != 1 || len(mp[0]) != 2 || g.Name() != `feature 2 (id "IQ")` {
		t.Errorf("feature 2: %#v %s", g.Geometry, g.Name())
	}
}
