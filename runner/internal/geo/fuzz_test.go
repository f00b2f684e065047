package geo

import (
	"bytes"
	"reflect"
	"testing"
)

// FuzzRead checks that Read never panics and that what it reads survives
// a round trip: Encode writes it, Read reads that back to the same
// features (ids, properties in order, geometry), and Encode writes the
// same bytes again.
func FuzzRead(f *testing.F) {
	f.Add([]byte(fc(feature(`{"name": "A", "n": 1.50, "b": true, "z": null, "l": [1, {"x": "y"}]}`, square))))
	f.Add([]byte(fc(`{"type": "Feature", "id": 3, "properties": null, "geometry": {"type": "MultiPolygon", "coordinates": [[[[0, 0], [1, 0], [1, 1], [0, 0]]]]}}`)))
	f.Add([]byte(fc(feature(`{"name": "\u00e9\"<"}`, `{"type": "Point", "coordinates": [-180, 90, 5]}`))))
	f.Add([]byte("\xef\xbb\xbf" + fc()))
	f.Add([]byte(`{"type": "FeatureCollection", "features": [17]}`))
	f.Fuzz(func(t *testing.T, src []byte) {
		c, err := Read("f.geojson", src, Options{})
		if err != nil {
			return
		}
		out := Encode(c)
		c2, err := Read("f.geojson", out, Options{})
		if err != nil {
			t.Fatalf("Read of Encode's output: %v\n%s", err, out)
		}
		if len(c2.Features) != len(c.Features) {
			t.Fatalf("%d features, then %d", len(c.Features), len(c2.Features))
		}
		for i, a := range c.Features {
			b := c2.Features[i]
			if a.ID != b.ID || len(a.Props) != len(b.Props) || !reflect.DeepEqual(a.Geometry, b.Geometry) {
				t.Fatalf("feature %d changed:\n%#v\n%#v", i+1, a, b)
			}
			for j, pa := range a.Props {
				pb := b.Props[j]
				if pa.Name != pb.Name {
					t.Fatalf("feature %d: property %q, then %q", i+1, pa.Name, pb.Name)
				}
				if _, ok := pa.Value.(Composite); ok {
					continue // its text is kept as written, white space and all
				}
				if pa.Value != pb.Value {
					t.Fatalf("feature %d: property %q was %#v, then %#v", i+1, pa.Name, pa.Value, pb.Value)
				}
			}
		}
		if again := Encode(c2); !bytes.Equal(again, out) {
			t.Fatalf("Encode is not stable:\n%s\n%s", out, again)
		}
	})
}
