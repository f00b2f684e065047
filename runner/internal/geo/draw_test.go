package geo

import (
	"bytes"
	"fmt"
	"math"
	"testing"

	"github.com/paulmach/orb"
)

// circle is a closed ring of n points around (lon, lat).
func circle(lon, lat, r float64, n int) orb.Ring {
	ring := make(orb.Ring, 0, n+1)
	for i := 0; i < n; i++ {
		a := 2 * math.Pi * float64(i) / float64(n)
		ring = append(ring, orb.Point{lon + r*math.Cos(a), lat + r*math.Sin(a)})
	}
	return append(ring, ring[0])
}

func testCollection() *Collection {
	return &Collection{Features: []*Feature{
		{Index: 0, Geometry: orb.Polygon{circle(44, 33, 4, 20000)}},
		// Wound clockwise, with a hole wound counter-clockwise.
		{Index: 1, Geometry: orb.MultiPolygon{{reverse(circle(38, 36, 1, 400)), circle(38, 36, 0.3, 200)}}},
		{Index: 2, Geometry: orb.Polygon{circle(47, 30, 0.0001, 8)}}, // far below a pixel
		{Index: 3, Geometry: orb.Point{43.1, 36.3}},
	}}
}

func reverse(r orb.Ring) orb.Ring {
	out := make(orb.Ring, len(r))
	for i, p := range r {
		out[len(r)-1-i] = p
	}
	return out
}

func signedArea(r orb.Ring) float64 {
	var a float64
	for i := 0; i+1 < len(r); i++ {
		a += r[i][0]*r[i+1][1] - r[i+1][0]*r[i][1]
	}
	return a / 2
}

func TestDrawSimplifiesWithinTheGrid(t *testing.T) {
	c := testCollection()
	d := Draw(c, Mercator{}, [][2]float64{{43.1, 36.3}})
	if d.PointsIn != 20000+1+401+201+9 {
		t.Errorf("PointsIn = %d", d.PointsIn)
	}
	// The 20,000-point circle is 1,600 units wide: a few hundred points
	// draw it to a tenth of a square pixel.
	first := 0
	for _, r := range d.Shapes[0][0] {
		first += len(r)
	}
	if first < 100 || first > 1000 {
		t.Errorf("the circle is drawn with %d points, want between 100 and 1,000", first)
	}
	if d.PointsOut >= d.PointsIn/10 {
		t.Errorf("PointsOut = %d of %d", d.PointsOut, d.PointsIn)
	}
	for i, s := range d.Shapes {
		if i == 3 {
			if s != nil {
				t.Errorf("a Point feature has an outline")
			}
			continue
		}
		if len(s) == 0 {
			t.Fatalf("feature %d is not drawn", i)
		}
		for _, p := range s {
			for ri, r := range p {
				if len(r) < 4 || r[0] != r[len(r)-1] {
					t.Errorf("feature %d: ring %d is not a closed ring: %v", i, ri, r)
				}
				if a := signedArea(r); (a > 0) != (ri == 0) {
					t.Errorf("feature %d: ring %d has signed area %v (outer rings turn counter-clockwise, holes clockwise)", i, ri, a)
				}
				for _, pt := range r {
					if pt[0] != math.Round(pt[0]) || pt[1] != math.Round(pt[1]) || pt[0] < -1 || pt[0] > GridWidth+1 || pt[1] < -1 || pt[1] > float64(d.Height)+1 {
						t.Fatalf("feature %d: point %v is off the %dx%d grid", i, pt, GridWidth, d.Height)
					}
				}
			}
		}
	}
	if len(d.Shapes[1][0]) != 2 {
		t.Errorf("the hole is lost: %d rings", len(d.Shapes[1][0]))
	}
	if x, y, ok := d.Point(43.1, 36.3); !ok || x < 0 || x > GridWidth || y < 0 || y > float64(d.Height) {
		t.Errorf("Point = %v, %v, %v", x, y, ok)
	}
}

func TestDrawIsDeterministic(t *testing.T) {
	name := func(i int) string { return fmt.Sprintf("a%d", i) }
	want := Draw(testCollection(), EqualEarth{}, nil).GeoJSON(name)
	for i := 0; i < 3; i++ {
		if got := Draw(testCollection(), EqualEarth{}, nil).GeoJSON(name); !bytes.Equal(got, want) {
			t.Fatal("two drawings of one collection differ")
		}
	}
	if !bytes.HasPrefix(want, []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"a0"},"geometry":{"type":"MultiPolygon","coordinates":[[[[`)) {
		t.Errorf("GeoJSON starts %s", want[:120])
	}
}

func TestAlbersUSAKeepsRingsWhole(t *testing.T) {
	c := &Collection{Features: []*Feature{
		{Geometry: orb.Polygon{circle(-100, 40, 3, 50)}},       // Kansas-ish
		{Geometry: orb.Polygon{circle(-155.5, 19.6, 0.5, 50)}}, // the island of Hawaii
		{Geometry: orb.Polygon{circle(10, 50, 1, 50)}},         // Europe: outside
	}}
	if name, _ := Choose(c, nil); name != "equal_earth" {
		t.Errorf("Choose = %s with a ring in Europe, want equal_earth", name)
	}
	if name, why := Choose(&Collection{Features: c.Features[:2]}, nil); name != "albers_usa" {
		t.Errorf("Choose = %s (%s), want albers_usa", name, why)
	}
	d := Draw(c, AlbersUSA{}, nil)
	if d.Outside != 1 || d.Shapes[2] != nil || d.Shapes[0] == nil || d.Shapes[1] == nil {
		t.Errorf("Outside = %d, shapes %v", d.Outside, d.Shapes)
	}
}

func TestChoose(t *testing.T) {
	iraq := &Collection{Features: []*Feature{{Geometry: orb.Polygon{circle(44, 33, 4, 20)}}}}
	if name, why := Choose(iraq, nil); name != "mercator" || why != "the map covers less than a continent" {
		t.Errorf("Iraq: %s, %s", name, why)
	}
	if name, _ := Choose(iraq, [][2]float64{{-74, 40.7}}); name != "equal_earth" {
		t.Errorf("Iraq and New York: %s", name)
	}
}
