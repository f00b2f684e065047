package geo

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/paulmach/orb"

	"galley/runner/internal/position"
)

// MaxBytes is the largest GeoJSON file Read takes. A map needs far less:
// a file this size is detail no page can show, and is read whole.
const MaxBytes = 64 << 20

// Collection is a GeoJSON FeatureCollection as read.
type Collection struct {
	Features []*Feature
}

// Feature is one feature: its properties, in file order, and its geometry.
type Feature struct {
	Index    int          // 0-based, in the file's order
	Pos      position.Pos // of the feature's opening brace
	ID       string       // the feature's "id" member as written ("" when absent)
	Keys     []string     // property names, in file order
	Props    map[string]Property
	Geometry orb.Geometry // orb.Point, orb.Polygon or orb.MultiPolygon
}

// Property is one property value: nil (JSON null), a bool, a string, a
// Number (the number as written) or, for an object or an array, Composite
// holding its JSON text.
type Property struct {
	Value any
	Pos   position.Pos
}

// Number is a JSON number as written, so that an int column can refuse
// 3.5 and read 1292.0, and no digit is lost on the way.
type Number string

// Composite is the JSON text of an object or array property: a column can
// hold neither, and an error shows what it was.
type Composite string

// Name is how errors name the feature: `feature 3 ("Ohio")`, by its 1-based
// position and, when it has one, a name or id.
func (f *Feature) Name() string {
	for _, k := range []string{"name", "NAME", "Name", "name_en", "NAME_EN"} {
		if p, ok := f.Props[k]; ok {
			if s, ok := p.Value.(string); ok && s != "" {
				return fmt.Sprintf("feature %d (%q)", f.Index+1, s)
			}
		}
	}
	if f.ID != "" {
		return fmt.Sprintf("feature %d (id %s)", f.Index+1, f.ID)
	}
	return fmt.Sprintf("feature %d", f.Index+1)
}

// reader turns byte offsets of one file into positions.
type reader struct {
	path  string
	src   []byte
	base  int   // bytes before src in the file (a byte-order mark)
	lines []int // offset of the first byte of each line
}

func (r *reader) pos(off int) position.Pos {
	off = min(max(off, 0), len(r.src))
	l := sortSearch(r.lines, off)
	col := off - r.lines[l] + 1
	if l == 0 {
		col += r.base
	}
	return position.Pos{File: r.path, Line: l + 1, Col: col}
}

// sortSearch is the index of the last line start at or before off.
func sortSearch(starts []int, off int) int {
	lo, hi := 0, len(starts)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if starts[mid] <= off {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}

func (r *reader) errorf(off int, format string, args ...any) error {
	return position.Errorf(r.pos(off), format, args...)
}

// Read reads a GeoJSON FeatureCollection (RFC 7946). path is how errors
// name the file. Every feature must have a Polygon, MultiPolygon or Point
// geometry of longitudes and latitudes in degrees; anything else is an
// error at the feature's line and column, naming it. Errors are
// *position.Error values.
func Read(path string, src []byte) (*Collection, error) {
	top := position.Pos{File: path, Line: 1, Col: 1}
	if len(src) > MaxBytes {
		return nil, position.Errorf(top, "the file is %d bytes, over the %d MiB a GeoJSON dataset may hold; simplify it before adding it (a map needs far less detail)", len(src), MaxBytes>>20)
	}
	r := &reader{path: path, src: src}
	if bytes.HasPrefix(src, []byte("\xef\xbb\xbf")) {
		r.src, r.base = src[3:], 3
	}
	r.lines = []int{0}
	for i, c := range r.src {
		if c == '\n' {
			r.lines = append(r.lines, i+1)
		}
	}
	if !utf8.Valid(r.src) {
		off := 0
		for off < len(r.src) {
			c, n := utf8.DecodeRune(r.src[off:])
			if c == utf8.RuneError && n <= 1 {
				break
			}
			off += n
		}
		return nil, r.errorf(off, "the file is not valid UTF-8 (GeoJSON is UTF-8; convert the file and pin it again)")
	}
	root, err := parseJSON(r.src)
	if err != nil {
		se := err.(*syntaxError)
		return nil, r.errorf(se.off, "%s", se.msg)
	}
	if root.kind != kObject {
		return nil, r.errorf(root.off, "a GeoJSON dataset is a FeatureCollection object, not %s", kindNames[root.kind])
	}
	if err := r.unique(root, "the FeatureCollection"); err != nil {
		return nil, err
	}
	switch t := root.get("type"); {
	case t == nil:
		return nil, r.errorf(root.off, `the top-level object has no "type"; a GeoJSON dataset is {"type": "FeatureCollection", "features": [...]}`)
	case t.kind != kString || t.text != "FeatureCollection":
		return nil, r.errorf(t.off, `the top-level "type" is %s; a GeoJSON dataset is a FeatureCollection (wrap a single Feature or geometry in {"type": "FeatureCollection", "features": [...]})`, describe(t))
	}
	fs := root.get("features")
	switch {
	case fs == nil:
		return nil, r.errorf(root.off, `the FeatureCollection has no "features" array`)
	case fs.kind != kArray:
		return nil, r.errorf(fs.off, `"features" is %s, not an array of features`, kindNames[fs.kind])
	}
	c := &Collection{Features: make([]*Feature, 0, len(fs.elems))}
	for i, fn := range fs.elems {
		f, err := r.feature(i, fn)
		if err != nil {
			return nil, err
		}
		c.Features = append(c.Features, f)
	}
	return c, nil
}

// describe prints a small value as it was written, for errors.
func describe(n *node) string {
	switch n.kind {
	case kString:
		return strconv.Quote(n.text)
	case kNumber:
		return n.text
	case kBool:
		return strconv.FormatBool(n.b)
	}
	return kindNames[n.kind]
}

// unique refuses an object that repeats a key: JSON readers disagree on
// which of the two counts.
func (r *reader) unique(n *node, what string) error {
	seen := make(map[string]bool, len(n.keys))
	for i, k := range n.keys {
		if seen[k] {
			return r.errorf(n.koffs[i], "%s has the key %q twice; keep one", what, k)
		}
		seen[k] = true
	}
	return nil
}

func (r *reader) feature(i int, n *node) (*Feature, error) {
	f := &Feature{Index: i, Pos: r.pos(n.off), Props: map[string]Property{}}
	what := fmt.Sprintf("feature %d", i+1)
	if n.kind != kObject {
		return nil, r.errorf(n.off, "%s is %s, not a Feature object", what, kindNames[n.kind])
	}
	if err := r.unique(n, what); err != nil {
		return nil, err
	}
	switch t := n.get("type"); {
	case t == nil:
		return nil, r.errorf(n.off, `%s has no "type" (a feature is {"type": "Feature", "geometry": ..., "properties": ...})`, what)
	case t.kind != kString || t.text != "Feature":
		return nil, r.errorf(t.off, `%s has "type" %s, not "Feature"`, what, describe(t))
	}
	if id := n.get("id"); id != nil {
		switch id.kind {
		case kString:
			f.ID = strconv.Quote(id.text)
		case kNumber:
			f.ID = id.text
		default:
			return nil, r.errorf(id.off, `%s has an "id" that is %s; an id is a string or a number`, what, kindNames[id.kind])
		}
	}
	if p := n.get("properties"); p != nil {
		switch p.kind {
		case kNull:
		case kObject:
			if err := r.unique(p, what+"'s properties"); err != nil {
				return nil, err
			}
			for j, k := range p.keys {
				v := p.elems[j]
				prop := Property{Pos: r.pos(v.off)}
				switch v.kind {
				case kBool:
					prop.Value = v.b
				case kNumber:
					prop.Value = Number(v.text)
				case kString:
					prop.Value = v.text
				case kObject, kArray:
					prop.Value = Composite(r.src[v.off:r.end(v)])
				}
				f.Keys = append(f.Keys, k)
				f.Props[k] = prop
			}
		default:
			return nil, r.errorf(p.off, `%s has "properties" that are %s, not an object`, what, kindNames[p.kind])
		}
	}
	what = f.Name()
	g := n.get("geometry")
	if g == nil || g.kind == kNull {
		off := n.off
		if g != nil {
			off = g.off
		}
		return nil, r.errorf(off, "%s has no geometry; a map needs a Polygon, MultiPolygon or Point for every feature", what)
	}
	geom, err := r.geometry(g, what)
	if err != nil {
		return nil, err
	}
	f.Geometry = geom
	return f, nil
}

// end is the offset just past the value n, found by reading it again.
func (r *reader) end(n *node) int {
	depth, inString := 0, false
	for i := n.off; i < len(r.src); i++ {
		c := r.src[i]
		switch {
		case inString:
			if c == '\\' {
				i++
			} else if c == '"' {
				inString = false
			}
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			depth--
			if depth == 0 {
				return i + 1
			}
		}
	}
	return len(r.src)
}

func (r *reader) geometry(g *node, what string) (orb.Geometry, error) {
	if g.kind != kObject {
		return nil, r.errorf(g.off, "%s has a geometry that is %s, not a geometry object", what, kindNames[g.kind])
	}
	if err := r.unique(g, what+"'s geometry"); err != nil {
		return nil, err
	}
	t := g.get("type")
	if t == nil || t.kind != kString {
		return nil, r.errorf(g.off, `%s has a geometry with no "type"`, what)
	}
	coords := g.get("coordinates")
	switch t.text {
	case "Point", "Polygon", "MultiPolygon":
	case "LineString", "MultiLineString", "MultiPoint", "GeometryCollection":
		return nil, r.errorf(t.off, "%s has a %s geometry; a map draws Polygon, MultiPolygon and Point geometries only (convert or remove the feature, and pin the file again)", what, t.text)
	default:
		return nil, r.errorf(t.off, "%s has a geometry of type %s, which GeoJSON does not define (a map draws Polygon, MultiPolygon and Point geometries)", what, describe(t))
	}
	if coords == nil {
		return nil, r.errorf(g.off, `%s has a %s with no "coordinates"`, what, t.text)
	}
	switch t.text {
	case "Point":
		return r.position(coords, what)
	case "Polygon":
		return r.polygon(coords, what)
	}
	polys, err := r.array(coords, what, "a MultiPolygon's coordinates", "a list of polygons")
	if err != nil {
		return nil, err
	}
	mp := make(orb.MultiPolygon, 0, len(polys))
	for _, pn := range polys {
		p, err := r.polygon(pn, what)
		if err != nil {
			return nil, err
		}
		mp = append(mp, p)
	}
	return mp, nil
}

// array checks that n is a non-empty array.
func (r *reader) array(n *node, what, part, want string) ([]*node, error) {
	if n.kind != kArray {
		return nil, r.errorf(n.off, "%s: %s must be %s, not %s", what, part, want, kindNames[n.kind])
	}
	if len(n.elems) == 0 {
		return nil, r.errorf(n.off, "%s: %s is empty (a map has nothing to draw)", what, part)
	}
	return n.elems, nil
}

func (r *reader) polygon(n *node, what string) (orb.Polygon, error) {
	rings, err := r.array(n, what, "a polygon", "a list of rings")
	if err != nil {
		return nil, err
	}
	p := make(orb.Polygon, 0, len(rings))
	for _, rn := range rings {
		pts, err := r.array(rn, what, "a ring", "a list of positions")
		if err != nil {
			return nil, err
		}
		if len(pts) < 4 {
			return nil, r.errorf(rn.off, "%s: a ring has %d positions; a ring needs at least 4, the last equal to the first", what, len(pts))
		}
		ring := make(orb.Ring, len(pts))
		for i, pn := range pts {
			if ring[i], err = r.position(pn, what); err != nil {
				return nil, err
			}
		}
		if ring[0] != ring[len(ring)-1] {
			return nil, r.errorf(pts[len(pts)-1].off, "%s: a ring is not closed: its last position %s differs from its first %s (repeat the first position at the end)",
				what, pointText(ring[len(ring)-1]), pointText(ring[0]))
		}
		p = append(p, ring)
	}
	return p, nil
}

func pointText(p orb.Point) string {
	return "[" + strconv.FormatFloat(p[0], 'g', -1, 64) + ", " + strconv.FormatFloat(p[1], 'g', -1, 64) + "]"
}

// position reads [longitude, latitude], with an altitude ignored.
func (r *reader) position(n *node, what string) (orb.Point, error) {
	if n.kind != kArray {
		return orb.Point{}, r.errorf(n.off, "%s: a position must be [longitude, latitude], not %s", what, kindNames[n.kind])
	}
	if len(n.elems) < 2 || len(n.elems) > 3 {
		return orb.Point{}, r.errorf(n.off, "%s: a position has %d numbers; write [longitude, latitude]", what, len(n.elems))
	}
	var xy [2]float64
	for i, e := range n.elems {
		if e.kind != kNumber {
			return orb.Point{}, r.errorf(e.off, "%s: a position holds %s, not a number", what, describe(e))
		}
		f, err := strconv.ParseFloat(e.text, 64)
		if err != nil || math.IsInf(f, 0) {
			return orb.Point{}, r.errorf(e.off, "%s: the coordinate %s is out of range", what, e.text)
		}
		if i < 2 {
			xy[i] = f
		}
	}
	switch {
	case xy[0] < -180 || xy[0] > 180:
		return orb.Point{}, r.errorf(n.elems[0].off, "%s: longitude %s is outside -180 to 180 (a GeoJSON dataset holds longitude and latitude in degrees, WGS 84; is the file projected?)", what, n.elems[0].text)
	case xy[1] < -90 || xy[1] > 90:
		return orb.Point{}, r.errorf(n.elems[1].off, "%s: latitude %s is outside -90 to 90 (a GeoJSON dataset holds longitude and latitude in degrees, in that order)", what, n.elems[1].text)
	}
	return orb.Point(xy), nil
}
