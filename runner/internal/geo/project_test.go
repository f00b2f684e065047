package geo

import (
	"math"
	"testing"
)

// The reference values are published ones: PROJ's test suite
// (test/gie/builtins.gie) for Equal Earth on a sphere of radius 6378137,
// the EPSG:3857 (Web Mercator) bounds and d3-geo's test of geoAlbersUsa
// (test/projection/albersUsa-test.js: scale 1070, translate [480, 250],
// y down, to 0.1).

func TestMercator(t *testing.T) {
	const r = 6378137.0
	for _, c := range []struct{ lon, lat, x, y, tol float64 }{
		{180, 0, 20037508.342789244, 0, 0.01},
		{-180, 0, -20037508.342789244, 0, 0.01},
		{0, 85.0511287798066, 0, 20037508.342789244, 0.01},
		{0, 90, 0, 20037508.342789244, 0.01}, // clamped where the map is square
		{0, 45, 0, 5621521.486192066, 0.01},
	} {
		x, y, ok := Mercator{}.Project(c.lon, c.lat)
		if !ok || math.Abs(x*r-c.x) > c.tol || math.Abs(y*r-c.y) > c.tol {
			t.Errorf("mercator(%v, %v) = %.4f, %.4f, %v; want %.4f, %.4f", c.lon, c.lat, x*r, y*r, ok, c.x, c.y)
		}
	}
}

func TestEqualEarth(t *testing.T) {
	const r = 6378137.0
	for _, c := range []struct{ lon, lat, x, y float64 }{
		{180, 0, 17263256.84, 0},
		{180, 45, 14795421.79, 5486671.72},
		{-180, -45, -14795421.79, -5486671.72},
		{0, 0, 0, 0},
	} {
		x, y, ok := EqualEarth{}.Project(c.lon, c.lat)
		if !ok || math.Abs(x*r-c.x) > 0.01 || math.Abs(y*r-c.y) > 0.01 {
			t.Errorf("equal_earth(%v, %v) = %.2f, %.2f, %v; want %.2f, %.2f", c.lon, c.lat, x*r, y*r, ok, c.x, c.y)
		}
	}
}

func TestAlbersUSA(t *testing.T) {
	const k, tx, ty = 1070.0, 480.0, 250.0
	for _, c := range []struct {
		place    string
		lon, lat float64
		x, y     float64
	}{
		{"San Francisco, CA", -122.4194, 37.7749, 107.4, 214.1},
		{"New York, NY", -74.0059, 40.7128, 794.6, 176.5},
		{"Tulsa, OK", -95.9928, 36.1540, 488.8, 298.0},
		{"Anchorage, AK", -149.9003, 61.2181, 171.2, 446.9},
		{"Honolulu, HI", -157.8583, 21.3069, 298.5, 451.0},
	} {
		x, y, ok := AlbersUSA{}.Project(c.lon, c.lat)
		sx, sy := tx+k*x, ty-k*y
		if !ok || math.Abs(sx-c.x) > 0.1 || math.Abs(sy-c.y) > 0.1 {
			t.Errorf("albers_usa(%s) = %.2f, %.2f, %v; want %.1f, %.1f", c.place, sx, sy, ok, c.x, c.y)
		}
	}
	if _, _, ok := (AlbersUSA{}).Project(2.3522, 48.8566); ok {
		t.Error("albers_usa(Paris) is drawn; want outside the projection")
	}
}
