package geo

import (
	"bytes"
	"math"
	"strconv"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/simplify"
)

// Drawing sizes. A map is drawn into a grid GridWidth units wide (about
// two units to a pixel of the widest chart a report shows, 46rem), its
// height following the projected shape within MinAspect and MaxAspect
// (height over width; the map is centred in that box). Every coordinate is
// rounded to a whole unit: the geometry the page draws is exact integers,
// the same on every machine.
const (
	GridWidth = 1600
	MinAspect = 0.4
	MaxAspect = 1.25
	// Tolerance is the area, in square units, below which Visvalingam–
	// Whyatt simplification removes a point: the triangle it makes with
	// its neighbours is under a tenth of a square pixel.
	Tolerance = 0.5
)

// Drawing is a collection projected, fitted to the grid and simplified:
// what a map draws, and what the report says about it.
type Drawing struct {
	Projection string
	Width      int // the grid: GridWidth
	Height     int // the box the page gives the map, in grid units

	// Shapes holds, for each feature of the collection, its outline in
	// grid units (an orb.MultiPolygon), or nil for a Point feature or one
	// entirely outside the projection.
	Shapes []orb.MultiPolygon
	// Outside counts the rings not drawn because they lie outside every
	// part of the projection (albers_usa's three areas).
	Outside int
	// PointsIn and PointsOut count the outline's vertices as read and as
	// drawn.
	PointsIn, PointsOut int

	proj       Projection
	minX, minY float64
	scale      float64
	offX, offY float64
}

// Draw projects the polygons of c with proj, fits them (and the extra
// places, longitude and latitude, that points will be drawn at) to the
// grid, and simplifies them to the grid's resolution. The result depends on
// c, proj and extra alone.
func Draw(c *Collection, proj Projection, extra [][2]float64) *Drawing {
	d := &Drawing{Projection: proj.Name(), Width: GridWidth, proj: proj, Shapes: make([]orb.MultiPolygon, len(c.Features))}
	// Project every ring whole: albers_usa places each ring in the part
	// that holds most of it, so that no island is cut in two.
	projected := make([]orb.MultiPolygon, len(c.Features))
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	grow := func(x, y float64) {
		minX, maxX = min(minX, x), max(maxX, x)
		minY, maxY = min(minY, y), max(maxY, y)
	}
	for i, f := range c.Features {
		var polys []orb.Polygon
		switch g := f.Geometry.(type) {
		case orb.Polygon:
			polys = []orb.Polygon{g}
		case orb.MultiPolygon:
			polys = g
		}
		for _, p := range polys {
			var out orb.Polygon
			for ri, ring := range p {
				d.PointsIn += len(ring)
				pr, ok := projectRing(proj, ring)
				if !ok {
					d.Outside++
					if ri == 0 {
						break // a hole is dropped with its polygon
					}
					continue
				}
				for _, pt := range pr {
					grow(pt[0], pt[1])
				}
				out = append(out, pr)
			}
			if len(out) > 0 {
				projected[i] = append(projected[i], out)
			}
		}
	}
	for _, p := range extra {
		if x, y, ok := proj.Project(p[0], p[1]); ok {
			grow(x, y)
		}
	}
	if math.IsInf(minX, 0) { // nothing to draw
		minX, minY, maxX, maxY = 0, 0, 1, 1
	}
	w, h := maxX-minX, maxY-minY
	if w <= 0 {
		w = 1
	}
	if h <= 0 {
		h = w / 2
	}
	d.minX, d.minY = minX, minY
	// The map is as wide as the grid unless that makes it too tall.
	d.scale = GridWidth / w
	aspect := h / w
	d.Height = int(math.Round(GridWidth * min(max(aspect, MinAspect), MaxAspect)))
	if aspect > MaxAspect {
		d.scale = float64(d.Height) / h
	}
	d.offX = math.Round((GridWidth - w*d.scale) / 2)
	d.offY = math.Round((float64(d.Height) - h*d.scale) / 2)

	simplifier := simplify.VisvalingamThreshold(Tolerance)
	for i, mp := range projected {
		if len(mp) == 0 {
			continue
		}
		var drawn orb.MultiPolygon
		for _, p := range mp {
			var q orb.Polygon
			for ri, ring := range p {
				r := d.toGrid(ring)
				r = orb.Ring(simplifier.LineString(orb.LineString(r)))
				r = snap(r)
				if len(r) < 4 {
					if ri == 0 {
						break
					}
					continue
				}
				q = append(q, orient(r, ri == 0))
			}
			if len(q) > 0 {
				drawn = append(drawn, q)
			}
		}
		if len(drawn) == 0 {
			// Too small to see at this size: a one-unit diamond at its
			// first point still shows it, and can be hovered.
			p := d.toGrid(mp[0][0][:1])[0]
			x, y := math.Round(p[0]), math.Round(p[1])
			drawn = orb.MultiPolygon{{{{x, y - 1}, {x + 1, y}, {x, y + 1}, {x - 1, y}, {x, y - 1}}}}
		}
		for _, p := range drawn {
			for _, r := range p {
				d.PointsOut += len(r)
			}
		}
		d.Shapes[i] = drawn
	}
	return d
}

// projectRing projects a ring, or says it lies outside the projection.
func projectRing(proj Projection, ring orb.Ring) (orb.Ring, bool) {
	out := make(orb.Ring, len(ring))
	if _, ok := proj.(AlbersUSA); ok {
		part := albersPart(ring)
		if part < 0 {
			return nil, false
		}
		k := albersParts[part]
		for i, p := range ring {
			x, y, _ := k.project(p[0], p[1])
			out[i] = orb.Point{x, y}
		}
		return out, true
	}
	for i, p := range ring {
		x, y, ok := proj.Project(p[0], p[1])
		if !ok {
			return nil, false
		}
		out[i] = orb.Point{x, y}
	}
	return out, true
}

func (d *Drawing) toGrid(ring orb.Ring) orb.Ring {
	out := make(orb.Ring, len(ring))
	for i, p := range ring {
		out[i] = orb.Point{float64((p[0]-d.minX)*d.scale) + d.offX, float64((p[1]-d.minY)*d.scale) + d.offY}
	}
	return out
}

// Point places a longitude and latitude on the grid; ok is false outside
// the projection.
func (d *Drawing) Point(lon, lat float64) (x, y float64, ok bool) {
	px, py, ok := d.proj.Project(lon, lat)
	if !ok {
		return 0, 0, false
	}
	q := d.toGrid(orb.Ring{{px, py}})[0]
	return math.Round(q[0]), math.Round(q[1]), true
}

// snap rounds a ring to whole units and drops the points that then repeat
// the one before.
func snap(r orb.Ring) orb.Ring {
	out := r[:0:0]
	for _, p := range r {
		q := orb.Point{math.Round(p[0]), math.Round(p[1])}
		if len(out) > 0 && out[len(out)-1] == q {
			continue
		}
		out = append(out, q)
	}
	if len(out) > 1 && out[0] != out[len(out)-1] {
		out = append(out, out[0])
	}
	return out
}

// orient turns an outer ring counter-clockwise and a hole clockwise (y
// north), as RFC 7946 asks, so that the page fills outlines and leaves
// holes empty whatever the source's winding.
func orient(r orb.Ring, outer bool) orb.Ring {
	var a float64
	for i := 0; i+1 < len(r); i++ {
		a += r[i][0]*r[i+1][1] - r[i+1][0]*r[i][1]
	}
	if (a > 0) != outer {
		for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
			r[i], r[j] = r[j], r[i]
		}
	}
	return r
}

// GeoJSON writes the drawn outlines as a FeatureCollection of whole grid
// units, each feature named by name(i) in a "name" property (what ECharts
// matches data to), features without an outline left out.
func (d *Drawing) GeoJSON(name func(i int) string) []byte {
	var b bytes.Buffer
	b.WriteString(`{"type":"FeatureCollection","features":[`)
	first := true
	for i, s := range d.Shapes {
		if s == nil {
			continue
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		b.WriteString(`{"type":"Feature","properties":{"name":`)
		writeString(&b, name(i))
		b.WriteString(`},"geometry":`)
		writeGeometry(&b, s, formatUnits)
		b.WriteByte('}')
	}
	b.WriteString(`]}`)
	return b.Bytes()
}

func formatUnits(f float64) string { return strconv.FormatInt(int64(f), 10) }
