package geo

import (
	"math"

	"github.com/paulmach/orb"
)

// A Projection maps longitude and latitude in degrees to a plane, y
// growing northwards. ok is false where the projection draws nothing (for
// albers_usa, outside its three areas). Units are the projection's own:
// Draw fits the result to the chart.
type Projection interface {
	Name() string
	Project(lon, lat float64) (x, y float64, ok bool)
}

// Projections lists the projection names an analysis may give.
var Projections = []string{"mercator", "equal_earth", "albers_usa"}

// ByName returns the named projection, or false.
func ByName(name string) (Projection, bool) {
	switch name {
	case "mercator":
		return Mercator{}, true
	case "equal_earth":
		return EqualEarth{}, true
	case "albers_usa":
		return AlbersUSA{}, true
	}
	return nil, false
}

// Title is how the report names a projection.
func Title(name string) string {
	switch name {
	case "mercator":
		return "Mercator"
	case "equal_earth":
		return "Equal Earth"
	case "albers_usa":
		return "Albers USA (Alaska and Hawaii as insets)"
	}
	return name
}

const rad = math.Pi / 180

// Mercator is the spherical Mercator projection on a unit sphere: x is the
// longitude in radians, y = ln(tan(π/4 + φ/2)). Latitudes are clamped to
// ±85.0511287798°, where the map is square, as web maps do.
type Mercator struct{}

func (Mercator) Name() string { return "mercator" }

// mercatorLimit is the latitude at which y equals π.
const mercatorLimit = 85.0511287798066

func (Mercator) Project(lon, lat float64) (float64, float64, bool) {
	lat = max(-mercatorLimit, min(mercatorLimit, lat))
	return lon * rad, math.Log(math.Tan(math.Pi/4 + lat*rad/2)), true
}

// EqualEarth is the Equal Earth projection of Šavrič, Patterson and Jenny
// (2018) on a unit sphere: equal-area, for maps of the world or of
// continents.
type EqualEarth struct{}

func (EqualEarth) Name() string { return "equal_earth" }

// The polynomial coefficients of the paper.
const (
	eeA1 = 1.340264
	eeA2 = -0.081106
	eeA3 = 0.000893
	eeA4 = 0.003796
)

func (EqualEarth) Project(lon, lat float64) (float64, float64, bool) {
	m := math.Sqrt(3) / 2
	theta := math.Asin(m * math.Sin(lat*rad))
	t2 := theta * theta
	t6 := t2 * t2 * t2
	x := lon * rad * math.Cos(theta) / (m * (eeA1 + 3*eeA2*t2 + t6*(7*eeA3+9*eeA4*t2)))
	y := theta * (eeA1 + eeA2*t2 + t6*(eeA3+eeA4*t2))
	return x, y, true
}

// conic is an Albers equal-area conic on a unit sphere: its central
// meridian, standard parallels and the point (in degrees east of the
// central meridian, and north) placed at the origin.
type conic struct {
	n, c, r0   float64
	lon0       float64
	cx, cy     float64 // the projected center
	scale      float64 // relative to the lower 48
	dx, dy     float64 // where the center goes, in units of the lower 48's scale
	xmin, xmax float64 // the clip box, in the same units
	ymin, ymax float64
}

func newConic(lon0, centerLon, centerLat, p1, p2, scale, dx, dy, xmin, ymin, xmax, ymax float64) *conic {
	s1 := math.Sin(p1 * rad)
	n := (s1 + math.Sin(p2*rad)) / 2
	c := 1 + s1*(2*n-s1)
	k := &conic{n: n, c: c, r0: math.Sqrt(c) / n, lon0: lon0, scale: scale, dx: dx, dy: dy,
		xmin: xmin, xmax: xmax, ymin: ymin, ymax: ymax}
	k.cx, k.cy = k.raw(centerLon*rad, centerLat*rad)
	return k
}

func (k *conic) raw(lambda, phi float64) (float64, float64) {
	r := math.Sqrt(k.c-2*k.n*math.Sin(phi)) / k.n
	return r * math.Sin(lambda*k.n), k.r0 - r*math.Cos(lambda*k.n)
}

// project places lon, lat in the composite map, and says whether it falls
// inside this part's box.
func (k *conic) project(lon, lat float64) (float64, float64, bool) {
	lambda := math.Remainder(lon+k.lon0, 360) * rad
	x, y := k.raw(lambda, lat*rad)
	x = k.scale*(x-k.cx) + k.dx
	y = k.scale*(y-k.cy) + k.dy
	return x, y, x >= k.xmin && x <= k.xmax && y >= k.ymin && y <= k.ymax
}

// AlbersUSA is the composite projection US news maps use: the lower 48
// states on an Albers equal-area conic (standard parallels 29.5° and
// 45.5°, central meridian 96°W), Alaska at 0.35 of that scale and Hawaii
// beside it, as insets below the southwest, each on a conic of its own
// (Alaska: parallels 55° and 65°, meridian 154°W; Hawaii: 8° and 18°,
// 157°W). Its parameters, and where each part is placed and clipped, are
// those of d3-geo's geoAlbersUsa, the de facto standard, so that a map
// drawn here looks as readers know it. Units: d3's at scale 1, y north.
// A place in none of the three boxes is not drawn (ok is false).
type AlbersUSA struct{}

func (AlbersUSA) Name() string { return "albers_usa" }

// The three parts, tried in this order. The boxes are d3's clip extents
// (y flipped to grow north).
var albersParts = []*conic{
	newConic(96, -0.6, 38.7, 29.5, 45.5, 1, 0, 0, -0.455, -0.238, 0.455, 0.238),
	newConic(154, -2, 58.5, 55, 65, 0.35, -0.307, -0.201, -0.425, -0.234, -0.214, -0.120),
	newConic(157, -3, 19.9, 8, 18, 1, -0.205, -0.212, -0.214, -0.234, -0.115, -0.166),
}

func (AlbersUSA) Project(lon, lat float64) (float64, float64, bool) {
	for _, k := range albersParts {
		if x, y, ok := k.project(lon, lat); ok {
			return x, y, true
		}
	}
	return 0, 0, false
}

// part is the index of the part of albers_usa that a ring belongs to: the
// one whose box holds most of its points (the first of equals), or -1 when
// none holds any. A ring is never cut between parts.
func albersPart(ring orb.Ring) int {
	best, most := -1, 0
	for i, k := range albersParts {
		n := 0
		for _, p := range ring {
			if _, _, ok := k.project(p[0], p[1]); ok {
				n++
			}
		}
		if n > most {
			best, most = i, n
		}
	}
	return best
}

// Choose picks a projection for the features of c and the places
// (longitude, latitude) that points will be drawn at: albers_usa when
// every feature and place lies in one of its three parts (a map of the
// United States), equal_earth when they span a continent or more (over 90°
// of longitude or 60° of latitude), mercator otherwise. It returns the
// name and the reason, for the report.
func Choose(c *Collection, places [][2]float64) (string, string) {
	inUS := len(c.Features)+len(places) > 0
	minLon, maxLon, minLat, maxLat := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	see := func(p orb.Point) {
		minLon, maxLon = min(minLon, p[0]), max(maxLon, p[0])
		minLat, maxLat = min(minLat, p[1]), max(maxLat, p[1])
	}
	for _, f := range c.Features {
		placed := false
		switch g := f.Geometry.(type) {
		case orb.Point:
			see(g)
			_, _, placed = AlbersUSA{}.Project(g[0], g[1])
		case orb.Polygon:
			for _, p := range g[0] {
				see(p)
			}
			placed = albersPart(g[0]) >= 0
		case orb.MultiPolygon:
			for _, poly := range g {
				for _, p := range poly[0] {
					see(p)
				}
				placed = placed || albersPart(poly[0]) >= 0
			}
		}
		inUS = inUS && placed
	}
	for _, p := range places {
		see(p)
		_, _, ok := AlbersUSA{}.Project(p[0], p[1])
		inUS = inUS && ok
	}
	switch {
	case inUS:
		return "albers_usa", "every place on the map is in the United States"
	case maxLon-minLon > 90 || maxLat-minLat > 60:
		return "equal_earth", "the map spans a continent or more"
	}
	return "mercator", "the map covers less than a continent"
}
