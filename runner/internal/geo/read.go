package geo

import (
	"bytes"
	"fmt"
	"hash/maphash"
	"math"
	"slices"
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
	// Names are the features' property names, each once, in order of
	// first appearance: a GeoJSON dataset's header. Past Options.MaxNames
	// names, only those in Options.Props are added.
	Names []string
}

// Feature is one feature: the properties Read kept and its geometry.
type Feature struct {
	Index    int          // 0-based, in the file's order
	Pos      position.Pos // of the feature's opening brace
	ID       string       // the feature's "id" member as written ("" when absent)
	Props    []Property   // the properties kept, in file order
	Geometry orb.Geometry // orb.Point, orb.Polygon or orb.MultiPolygon
	name     string       // what names it in errors (Name), from its properties
}

// Property is one property: its name and its value, nil (JSON null), a
// bool, a string, a Number (the number as written) or, for an object or an
// array, Composite holding its JSON text.
type Property struct {
	Name  string
	Value any
	Pos   position.Pos // of the value
}

// Prop returns the property named name, when the feature has it and Read
// kept it. A feature keeps few properties (a dataset's columns): a look
// along them is as quick as a map, and takes no memory.
func (f *Feature) Prop(name string) (Property, bool) {
	for _, p := range f.Props {
		if p.Name == name {
			return p, true
		}
	}
	return Property{}, false
}

// Number is a JSON number as written, so that an int column can refuse
// 3.5 and read 1292.0, and no digit is lost on the way.
type Number string

// Composite is the JSON text of an object or array property: a column can
// hold neither, and an error shows what it was.
type Composite string

// nameKeys are the properties that name a feature in errors (Name), the
// first one a feature has as text.
var nameKeys = []string{"name", "NAME", "Name", "name_en", "NAME_EN"}

// Name is how errors name the feature: `feature 3 ("Ohio")`, by its 1-based
// position and, when it has one, a name or id.
func (f *Feature) Name() string {
	if f.name != "" {
		return fmt.Sprintf("feature %d (%q)", f.Index+1, f.name)
	}
	if f.ID != "" {
		return fmt.Sprintf("feature %d (id %s)", f.Index+1, f.ID)
	}
	return fmt.Sprintf("feature %d", f.Index+1)
}

// Options say what Read keeps of the features' properties.
type Options struct {
	// Props are the properties whose values are kept (a dataset's
	// declared columns); of the others only the names are kept, in
	// Collection.Names. nil keeps every property.
	Props []string
	// MaxNames is how many names Collection.Names lists before it lists
	// only those in Props; 0 lists them all.
	MaxNames int
	// Feature, when not nil, is given each feature as soon as it is read,
	// with its properties, which are valid during the call only: Read
	// then drops them (the feature's Props are nil in the Collection), so
	// that a caller that takes what it needs of them, as package dataset
	// types them as its columns, does not hold every feature's properties
	// at once.
	Feature func(f *Feature)
}

// reader reads one file and turns its byte offsets into positions.
type reader struct {
	path string
	src  []byte
	base int // bytes before src in the file (a byte-order mark)
	opts Options
	keep map[string]string // when not nil, the properties kept, each to itself
	keys keySet

	// A position counted before, from which the next one is counted:
	// positions are asked for in file order, but for errors.
	at, line, lineStart int

	names map[string]bool
	list  []string

	// Scratch space for a feature's properties and its geometry, copied
	// out at their exact sizes.
	props []Property
	pts   []orb.Point
	rings []orb.Ring
	polys []orb.Polygon
}

func (r *reader) pos(off int) position.Pos {
	off = min(max(off, 0), len(r.src))
	if off < r.at {
		r.at, r.line, r.lineStart = 0, 0, 0
	}
	if seg := r.src[r.at:off]; len(seg) > 0 {
		if n := bytes.Count(seg, []byte{'\n'}); n > 0 {
			r.line += n
			r.lineStart = r.at + bytes.LastIndexByte(seg, '\n') + 1
		}
	}
	r.at = off
	col := off - r.lineStart + 1
	if r.line == 0 {
		col += r.base
	}
	return position.Pos{File: r.path, Line: r.line + 1, Col: col}
}

func (r *reader) errorf(off int, format string, args ...any) error {
	return position.Errorf(r.pos(off), format, args...)
}

// Read reads a GeoJSON FeatureCollection (RFC 7946). path is how errors
// name the file. Every feature must have a Polygon, MultiPolygon or Point
// geometry of longitudes and latitudes in degrees; anything else is an
// error at the feature's line and column, naming it. Errors are
// *position.Error values.
//
// What Read takes beyond src grows with what it keeps: the geometries, the
// properties opts asks for and the names. A value it does not keep is
// skipped, never copied, whatever its size.
func Read(path string, src []byte, opts Options) (*Collection, error) {
	top := position.Pos{File: path, Line: 1, Col: 1}
	if len(src) > MaxBytes {
		return nil, position.Errorf(top, "the file is %d bytes, over the %d MiB a GeoJSON dataset may hold; simplify it before adding it (a map needs far less detail)", len(src), MaxBytes>>20)
	}
	r := &reader{path: path, src: src, opts: opts, names: map[string]bool{}}
	r.keys.seed = maphash.MakeSeed()
	if opts.Props != nil {
		r.keep = make(map[string]string, len(opts.Props))
		for _, k := range opts.Props {
			r.keep[k] = k
		}
	}
	if bytes.HasPrefix(src, []byte("\xef\xbb\xbf")) {
		r.src, r.base = src[3:], 3
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
	if err := checkSyntax(r.src); err != nil {
		se := err.(*syntaxError)
		return nil, r.errorf(se.off, "%s", se.msg)
	}
	src = r.src
	root := space(src, 0)
	if k := kindAt(src, root); k != kObject {
		return nil, r.errorf(root, "a GeoJSON dataset is a FeatureCollection object, not %s", kindNames[k])
	}
	m, err := r.members(root, func() string { return "the FeatureCollection" }, "type", "features")
	if err != nil {
		return nil, err
	}
	switch t := m[0]; {
	case t < 0:
		return nil, r.errorf(root, `the top-level object has no "type"; a GeoJSON dataset is {"type": "FeatureCollection", "features": [...]}`)
	case kindAt(src, t) != kString || string(stringBytes(src, t)) != "FeatureCollection":
		return nil, r.errorf(t, `the top-level "type" is %s; a GeoJSON dataset is a FeatureCollection (wrap a single Feature or geometry in {"type": "FeatureCollection", "features": [...]})`, r.describe(t))
	}
	fs := m[1]
	switch {
	case fs < 0:
		return nil, r.errorf(root, `the FeatureCollection has no "features" array`)
	case kindAt(src, fs) != kArray:
		return nil, r.errorf(fs, `"features" is %s, not an array of features`, kindNames[kindAt(src, fs)])
	}
	c := &Collection{Features: []*Feature{}}
	for it := walk(src, fs); it.next(); {
		f, err := r.feature(len(c.Features), it.val)
		if err != nil {
			return nil, err
		}
		if opts.Feature != nil {
			opts.Feature(f)
			f.Props = nil
		} else if len(f.Props) > 0 {
			f.Props = slices.Clone(f.Props)
		} else {
			f.Props = nil
		}
		c.Features = append(c.Features, f)
	}
	c.Features = c.Features[:len(c.Features):len(c.Features)]
	c.Names = r.list
	return c, nil
}

// members reads the keys of the object at off, refusing a key it repeats
// (JSON readers disagree on which of the two counts; what names the object
// in the error), and gives where the value of each of want starts, or -1.
func (r *reader) members(off int, what func() string, want ...string) ([4]int, error) {
	at := [4]int{-1, -1, -1, -1}
	r.keys.reset()
	for it := walk(r.src, off); it.next(); {
		key := stringBytes(r.src, it.key)
		if r.keys.add(r.src, it.key, key) {
			return at, r.errorf(it.key, "%s has the key %q twice; keep one", what(), key)
		}
		for i, w := range want {
			if string(key) == w {
				at[i] = it.val
			}
		}
	}
	return at, nil
}

// describe prints a small value as it was written, for errors.
func (r *reader) describe(off int) string {
	switch k := kindAt(r.src, off); k {
	case kString:
		return strconv.Quote(stringText(r.src, off))
	case kNumber:
		return string(r.src[off:valueEnd(r.src, off)])
	case kBool:
		return strconv.FormatBool(r.src[off] == 't')
	default:
		return kindNames[k]
	}
}

func (r *reader) feature(i int, off int) (*Feature, error) {
	src := r.src
	f := &Feature{Index: i, Pos: r.pos(off)}
	// Until its properties are read, a feature is named by its number
	// (the name is built only for an error).
	what := func() string { return fmt.Sprintf("feature %d", i+1) }
	if k := kindAt(src, off); k != kObject {
		return nil, r.errorf(off, "%s is %s, not a Feature object", what(), kindNames[k])
	}
	m, err := r.members(off, what, "type", "id", "properties", "geometry")
	if err != nil {
		return nil, err
	}
	switch t := m[0]; {
	case t < 0:
		return nil, r.errorf(off, `%s has no "type" (a feature is {"type": "Feature", "geometry": ..., "properties": ...})`, what())
	case kindAt(src, t) != kString || string(stringBytes(src, t)) != "Feature":
		return nil, r.errorf(t, `%s has "type" %s, not "Feature"`, what(), r.describe(t))
	}
	if id := m[1]; id >= 0 {
		switch k := kindAt(src, id); k {
		case kString:
			f.ID = strconv.Quote(stringText(src, id))
		case kNumber:
			f.ID = string(src[id:valueEnd(src, id)])
		default:
			return nil, r.errorf(id, `%s has an "id" that is %s; an id is a string or a number`, what(), kindNames[k])
		}
	}
	if p := m[2]; p >= 0 {
		switch k := kindAt(src, p); k {
		case kNull:
		case kObject:
			if err := r.properties(f, p, func() string { return what() + "'s properties" }); err != nil {
				return nil, err
			}
		default:
			return nil, r.errorf(p, `%s has "properties" that are %s, not an object`, what(), kindNames[k])
		}
	}
	g := m[3]
	if g < 0 || kindAt(src, g) == kNull {
		if g < 0 {
			g = off
		}
		return nil, r.errorf(g, "%s has no geometry; a map needs a Polygon, MultiPolygon or Point for every feature", f.Name())
	}
	geom, err := r.geometry(g, f)
	if err != nil {
		return nil, err
	}
	f.Geometry = geom
	return f, nil
}

// properties reads the properties object at off into f: of each property,
// its name into the collection's names and, when it is kept, its value.
func (r *reader) properties(f *Feature, off int, what func() string) error {
	src := r.src
	r.keys.reset()
	r.props = r.props[:0]
	nameRank := len(nameKeys)
	for it := walk(src, off); it.next(); {
		key := stringBytes(src, it.key)
		if r.keys.add(src, it.key, key) {
			return r.errorf(it.key, "%s has the key %q twice; keep one", what(), key)
		}
		name, kept := r.keep[string(key)]
		if r.keep == nil {
			name, kept = string(key), true
		}
		if !r.names[string(key)] && (r.keep != nil && kept || r.opts.MaxNames == 0 || len(r.list) < r.opts.MaxNames) {
			if !kept {
				name = string(key)
			}
			r.names[name] = true
			r.list = append(r.list, name)
		}
		rank := slices.Index(nameKeys[:nameRank], string(key))
		if !kept && rank < 0 {
			continue
		}
		var v any
		switch at := it.val; kindAt(src, at) {
		case kBool:
			v = src[at] == 't'
		case kNumber:
			it.end = valueEnd(src, at)
			v = Number(src[at:it.end])
		case kString:
			text := stringText(src, at)
			if rank >= 0 && text != "" {
				f.name, nameRank = text, rank
			}
			v = text
		case kObject, kArray:
			it.end = valueEnd(src, at)
			v = Composite(src[at:it.end])
		}
		if kept {
			r.props = append(r.props, Property{Name: name, Value: v, Pos: r.pos(it.val)})
		}
	}
	f.Props = r.props // until Read hands the feature on, or copies them
	return nil
}

func (r *reader) geometry(g int, f *Feature) (orb.Geometry, error) {
	src := r.src
	if k := kindAt(src, g); k != kObject {
		return nil, r.errorf(g, "%s has a geometry that is %s, not a geometry object", f.Name(), kindNames[k])
	}
	m, err := r.members(g, func() string { return f.Name() + "'s geometry" }, "type", "coordinates")
	if err != nil {
		return nil, err
	}
	t, coords := m[0], m[1]
	if t < 0 || kindAt(src, t) != kString {
		return nil, r.errorf(g, `%s has a geometry with no "type"`, f.Name())
	}
	typ := stringText(src, t)
	switch typ {
	case "Point", "Polygon", "MultiPolygon":
	case "LineString", "MultiLineString", "MultiPoint", "GeometryCollection":
		return nil, r.errorf(t, "%s has a %s geometry; a map draws Polygon, MultiPolygon and Point geometries only (convert or remove the feature, and pin the file again)", f.Name(), typ)
	default:
		return nil, r.errorf(t, "%s has a geometry of type %s, which GeoJSON does not define (a map draws Polygon, MultiPolygon and Point geometries)", f.Name(), r.describe(t))
	}
	if coords < 0 {
		return nil, r.errorf(g, `%s has a %s with no "coordinates"`, f.Name(), typ)
	}
	switch typ {
	case "Point":
		p, _, err := r.position(coords, f)
		return p, err
	case "Polygon":
		return r.polygon(coords, f)
	}
	if err := r.array(coords, f, "a MultiPolygon's coordinates", "a list of polygons"); err != nil {
		return nil, err
	}
	r.polys = r.polys[:0]
	for it := walk(src, coords); it.next(); {
		p, err := r.polygon(it.val, f)
		if err != nil {
			return nil, err
		}
		r.polys = append(r.polys, p)
	}
	return append(make(orb.MultiPolygon, 0, len(r.polys)), r.polys...), nil
}

// array checks that the value at off is a non-empty array.
func (r *reader) array(off int, f *Feature, part, want string) error {
	if k := kindAt(r.src, off); k != kArray {
		return r.errorf(off, "%s: %s must be %s, not %s", f.Name(), part, want, kindNames[k])
	}
	if src := r.src; src[space(src, off+1)] == ']' {
		return r.errorf(off, "%s: %s is empty (a map has nothing to draw)", f.Name(), part)
	}
	return nil
}

func (r *reader) polygon(off int, f *Feature) (orb.Polygon, error) {
	src := r.src
	if err := r.array(off, f, "a polygon", "a list of rings"); err != nil {
		return nil, err
	}
	r.rings = r.rings[:0]
	for rt := walk(src, off); rt.next(); {
		ring := rt.val
		if err := r.array(ring, f, "a ring", "a list of positions"); err != nil {
			return nil, err
		}
		// The number of positions is checked before any of them: read
		// them all, keeping the first error for after the count.
		r.pts = r.pts[:0]
		n, last := 0, 0
		var first error
		for it := walk(src, ring); it.next(); n++ {
			last = it.val
			if first != nil {
				continue
			}
			p, end, err := r.position(it.val, f)
			if err != nil {
				first = err
				continue
			}
			r.pts = append(r.pts, p)
			it.end = end
		}
		if n < 4 {
			return nil, r.errorf(ring, "%s: a ring has %d positions; a ring needs at least 4, the last equal to the first", f.Name(), n)
		}
		if first != nil {
			return nil, first
		}
		pts := r.pts
		if pts[0] != pts[len(pts)-1] {
			return nil, r.errorf(last, "%s: a ring is not closed: its last position %s differs from its first %s (repeat the first position at the end)",
				f.Name(), pointText(pts[len(pts)-1]), pointText(pts[0]))
		}
		r.rings = append(r.rings, append(make(orb.Ring, 0, len(pts)), pts...))
	}
	return append(make(orb.Polygon, 0, len(r.rings)), r.rings...), nil
}

func pointText(p orb.Point) string {
	return "[" + strconv.FormatFloat(p[0], 'g', -1, 64) + ", " + strconv.FormatFloat(p[1], 'g', -1, 64) + "]"
}

// position reads [longitude, latitude], with an altitude ignored, and
// gives where it ends.
func (r *reader) position(off int, f *Feature) (orb.Point, int, error) {
	src := r.src
	if k := kindAt(src, off); k != kArray {
		return orb.Point{}, 0, r.errorf(off, "%s: a position must be [longitude, latitude], not %s", f.Name(), kindNames[k])
	}
	var at [3]int
	n := 0
	it := walk(src, off)
	for ; it.next(); n++ {
		if n < len(at) {
			at[n] = it.val
		}
	}
	if n < 2 || n > 3 {
		return orb.Point{}, 0, r.errorf(off, "%s: a position has %d numbers; write [longitude, latitude]", f.Name(), n)
	}
	var xy [2]float64
	var text [2][]byte
	for i, e := range at[:n] {
		if kindAt(src, e) != kNumber {
			return orb.Point{}, 0, r.errorf(e, "%s: a position holds %s, not a number", f.Name(), r.describe(e))
		}
		num := src[e:valueEnd(src, e)]
		v, err := strconv.ParseFloat(string(num), 64)
		if err != nil || math.IsInf(v, 0) {
			return orb.Point{}, 0, r.errorf(e, "%s: the coordinate %s is out of range", f.Name(), num)
		}
		if i < 2 {
			xy[i], text[i] = v, num
		}
	}
	switch {
	case xy[0] < -180 || xy[0] > 180:
		return orb.Point{}, 0, r.errorf(at[0], "%s: longitude %s is outside -180 to 180 (a GeoJSON dataset holds longitude and latitude in degrees, WGS 84; is the file projected?)", f.Name(), text[0])
	case xy[1] < -90 || xy[1] > 90:
		return orb.Point{}, 0, r.errorf(at[1], "%s: latitude %s is outside -90 to 90 (a GeoJSON dataset holds longitude and latitude in degrees, in that order)", f.Name(), text[1])
	}
	return orb.Point(xy), it.done, nil
}
