package geo

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/paulmach/orb"

	"galley/runner/internal/position"
)

// This file is the reader as it was before it streamed: every value parsed
// into a tree of nodes, then the tree read. FuzzReadAsTree holds the
// streaming reader to it: the same errors, word for word and place for
// place, and the same features. Delete it when the reader's behaviour is
// meant to change.

// treeCollection, treeFeature and treeProperty are what the tree reader
// gave.
type treeCollection struct {
	Features []*treeFeature
}

type treeFeature struct {
	Index    int
	Pos      position.Pos
	ID       string
	Keys     []string
	Props    map[string]treeProperty
	Geometry orb.Geometry
}

type treeProperty struct {
	Value any
	Pos   position.Pos
}

func (f *treeFeature) Name() string {
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

// node is one JSON value with the byte offset where it starts, so that an
// error about any part of a GeoJSON file names its line and column.
// encoding/json reads the text (its syntax rules, string unescaping and
// number syntax); this file only keeps where each value was.
type node struct {
	off   int
	kind  kind
	text  string   // a string, or a number as written
	b     bool     // a boolean
	keys  []string // an object's keys, in file order
	koffs []int    // where each key starts
	elems []*node  // an object's values (parallel to keys) or an array's elements
}

// get returns the value of key in an object node, or nil.
func (n *node) get(key string) *node {
	for i, k := range n.keys {
		if k == key {
			return n.elems[i]
		}
	}
	return nil
}

// treeParse reads src, which holds one JSON value and nothing after it.
// Numbers keep their text (json.Number); strings are unescaped.
func treeParse(src []byte) (*node, error) {
	p := &treeParser{src: src, dec: json.NewDecoder(bytes.NewReader(src))}
	p.dec.UseNumber()
	tok, err := p.token()
	if err != nil {
		return nil, err
	}
	n, err := p.value(tok)
	if err != nil {
		return nil, err
	}
	end := p.start()
	if _, err := p.dec.Token(); err != io.EOF {
		return nil, &syntaxError{off: end, msg: "text after the end of the JSON value (a GeoJSON file holds one FeatureCollection)"}
	}
	return n, nil
}

type treeParser struct {
	src  []byte
	dec  *json.Decoder
	last int // where the token just read starts
}

// start is where the next token begins: past white space and the
// separators encoding/json has not yet consumed.
func (p *treeParser) start() int {
	i := int(p.dec.InputOffset())
	for i < len(p.src) {
		switch p.src[i] {
		case ' ', '\t', '\n', '\r', ',', ':':
			i++
			continue
		}
		break
	}
	return i
}

func (p *treeParser) token() (json.Token, error) {
	p.last = p.start()
	tok, err := p.dec.Token()
	if err != nil {
		var se *json.SyntaxError
		switch {
		case errors.As(err, &se):
			return nil, &syntaxError{off: int(se.Offset), msg: "the file is not valid JSON: " + se.Error()}
		case err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF):
			return nil, &syntaxError{off: len(p.src), msg: "the file ends in the middle of a JSON value"}
		}
		return nil, &syntaxError{off: p.last, msg: "the file is not valid JSON: " + err.Error()}
	}
	return tok, nil
}

func (p *treeParser) value(tok json.Token) (*node, error) {
	n := &node{off: p.last}
	switch t := tok.(type) {
	case nil:
		n.kind = kNull
	case bool:
		n.kind, n.b = kBool, t
	case json.Number:
		n.kind, n.text = kNumber, string(t)
	case string:
		n.kind, n.text = kString, t
	case json.Delim:
		switch t {
		case '{':
			n.kind = kObject
			for {
				tok, err := p.token()
				if err != nil {
					return nil, err
				}
				if tok == json.Delim('}') {
					return n, nil
				}
				key, _ := tok.(string) // encoding/json gives a string here, or an error
				n.keys = append(n.keys, key)
				n.koffs = append(n.koffs, p.last)
				if tok, err = p.token(); err != nil {
					return nil, err
				}
				v, err := p.value(tok)
				if err != nil {
					return nil, err
				}
				n.elems = append(n.elems, v)
			}
		case '[':
			n.kind = kArray
			for {
				tok, err := p.token()
				if err != nil {
					return nil, err
				}
				if tok == json.Delim(']') {
					return n, nil
				}
				v, err := p.value(tok)
				if err != nil {
					return nil, err
				}
				n.elems = append(n.elems, v)
			}
		}
	}
	return n, nil
}

// reader turns byte offsets of one file into positions.
type treeReader struct {
	path  string
	src   []byte
	base  int   // bytes before src in the file (a byte-order mark)
	lines []int // offset of the first byte of each line
}

func (r *treeReader) pos(off int) position.Pos {
	off = min(max(off, 0), len(r.src))
	l := treeSearch(r.lines, off)
	col := off - r.lines[l] + 1
	if l == 0 {
		col += r.base
	}
	return position.Pos{File: r.path, Line: l + 1, Col: col}
}

// treeSearch is the index of the last line start at or before off.
func treeSearch(starts []int, off int) int {
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

func (r *treeReader) errorf(off int, format string, args ...any) error {
	return position.Errorf(r.pos(off), format, args...)
}

// Read reads a GeoJSON FeatureCollection (RFC 7946). path is how errors
// name the file. Every feature must have a Polygon, MultiPolygon or Point
// geometry of longitudes and latitudes in degrees; anything else is an
// error at the feature's line and column, naming it. Errors are
// *position.Error values.
func treeRead(path string, src []byte) (*treeCollection, error) {
	top := position.Pos{File: path, Line: 1, Col: 1}
	if len(src) > MaxBytes {
		return nil, position.Errorf(top, "the file is %d bytes, over the %d MiB a GeoJSON dataset may hold; simplify it before adding it (a map needs far less detail)", len(src), MaxBytes>>20)
	}
	r := &treeReader{path: path, src: src}
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
	root, err := treeParse(r.src)
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
		return nil, r.errorf(t.off, `the top-level "type" is %s; a GeoJSON dataset is a FeatureCollection (wrap a single Feature or geometry in {"type": "FeatureCollection", "features": [...]})`, treeDescribe(t))
	}
	fs := root.get("features")
	switch {
	case fs == nil:
		return nil, r.errorf(root.off, `the FeatureCollection has no "features" array`)
	case fs.kind != kArray:
		return nil, r.errorf(fs.off, `"features" is %s, not an array of features`, kindNames[fs.kind])
	}
	c := &treeCollection{Features: make([]*treeFeature, 0, len(fs.elems))}
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
func treeDescribe(n *node) string {
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
func (r *treeReader) unique(n *node, what string) error {
	seen := make(map[string]bool, len(n.keys))
	for i, k := range n.keys {
		if seen[k] {
			return r.errorf(n.koffs[i], "%s has the key %q twice; keep one", what, k)
		}
		seen[k] = true
	}
	return nil
}

func (r *treeReader) feature(i int, n *node) (*treeFeature, error) {
	f := &treeFeature{Index: i, Pos: r.pos(n.off), Props: map[string]treeProperty{}}
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
		return nil, r.errorf(t.off, `%s has "type" %s, not "Feature"`, what, treeDescribe(t))
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
				prop := treeProperty{Pos: r.pos(v.off)}
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
func (r *treeReader) end(n *node) int {
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

func (r *treeReader) geometry(g *node, what string) (orb.Geometry, error) {
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
		return nil, r.errorf(t.off, "%s has a geometry of type %s, which GeoJSON does not define (a map draws Polygon, MultiPolygon and Point geometries)", what, treeDescribe(t))
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
func (r *treeReader) array(n *node, what, part, want string) ([]*node, error) {
	if n.kind != kArray {
		return nil, r.errorf(n.off, "%s: %s must be %s, not %s", what, part, want, kindNames[n.kind])
	}
	if len(n.elems) == 0 {
		return nil, r.errorf(n.off, "%s: %s is empty (a map has nothing to draw)", what, part)
	}
	return n.elems, nil
}

func (r *treeReader) polygon(n *node, what string) (orb.Polygon, error) {
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

// position reads [longitude, latitude], with an altitude ignored.
func (r *treeReader) position(n *node, what string) (orb.Point, error) {
	if n.kind != kArray {
		return orb.Point{}, r.errorf(n.off, "%s: a position must be [longitude, latitude], not %s", what, kindNames[n.kind])
	}
	if len(n.elems) < 2 || len(n.elems) > 3 {
		return orb.Point{}, r.errorf(n.off, "%s: a position has %d numbers; write [longitude, latitude]", what, len(n.elems))
	}
	var xy [2]float64
	for i, e := range n.elems {
		if e.kind != kNumber {
			return orb.Point{}, r.errorf(e.off, "%s: a position holds %s, not a number", what, treeDescribe(e))
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

// sameAsTree checks that Read gives what treeRead gives for src: the same
// error, or the same features, keeping every property; and, keeping a few
// properties, listing few names and handing each feature to a function,
// the same errors and geometry, the kept properties alone given to the
// function and none left in the features.
func sameAsTree(t *testing.T, src []byte) {
	t.Helper()
	want, werr := treeRead("t.geojson", src)
	got, err := Read("t.geojson", src, Options{})
	if fmt.Sprint(err) != fmt.Sprint(werr) {
		t.Fatalf("error\n%v\nthe tree reader's\n%v", err, werr)
	}
	var given [][]Property
	keep := Options{Props: []string{"b", "n", "x"}, MaxNames: 2, Feature: func(f *Feature) {
		if f.Index != len(given) {
			t.Fatalf("feature %d given after %d", f.Index+1, len(given))
		}
		given = append(given, f.Props)
	}}
	some, err := Read("t.geojson", src, keep)
	if fmt.Sprint(err) != fmt.Sprint(werr) {
		t.Fatalf("keeping %v: error\n%v\nthe tree reader's\n%v", keep.Props, err, werr)
	}
	if werr != nil {
		return
	}
	if len(got.Features) != len(want.Features) || len(some.Features) != len(want.Features) || len(given) != len(want.Features) {
		t.Fatalf("%d, %d and %d features, the tree reader %d", len(got.Features), len(some.Features), len(given), len(want.Features))
	}
	var names, someNames []string
	listed := map[string]bool{}
	for i, w := range want.Features {
		var kept []string
		for _, k := range w.Keys {
			if !listed[k] {
				listed[k] = true
				names = append(names, k)
				if len(someNames) < keep.MaxNames || slices.Contains(keep.Props, k) {
					someNames = append(someNames, k)
				}
			}
			if slices.Contains(keep.Props, k) {
				kept = append(kept, k)
			}
		}
		for _, c := range []struct {
			f     *Feature
			props []Property
			keys  []string
		}{{got.Features[i], got.Features[i].Props, w.Keys}, {some.Features[i], given[i], kept}} {
			f := c.f
			if f.Index != w.Index || f.Pos != w.Pos || f.ID != w.ID || !reflect.DeepEqual(f.Geometry, w.Geometry) || f.Name() != w.Name() {
				t.Fatalf("feature %d:\n%#v\nthe tree reader's\n%#v", i+1, f, w)
			}
			var names []string
			for _, p := range c.props {
				names = append(names, p.Name)
			}
			if !slices.Equal(names, c.keys) {
				t.Fatalf("feature %d: properties %q, want %q", i+1, names, c.keys)
			}
			for j, k := range c.keys {
				if p := c.props[j]; p.Value != w.Props[k].Value || p.Pos != w.Props[k].Pos {
					t.Fatalf("feature %d: property %q is %#v, the tree reader's %#v", i+1, k, p, w.Props[k])
				}
			}
		}
		if some.Features[i].Props != nil {
			t.Fatalf("feature %d kept its properties after it was given", i+1)
		}
	}
	if !slices.Equal(got.Names, names) || !slices.Equal(some.Names, someNames) {
		t.Fatalf("names %q and %q, want %q and %q", got.Names, some.Names, names, someNames)
	}
	// Keeping every property, at most MaxNames names.
	one, err := Read("t.geojson", src, Options{MaxNames: 1})
	if err != nil || !slices.Equal(one.Names, names[:min(len(names), 1)]) {
		t.Fatalf("with MaxNames 1: names %q (%v), want %q", one.Names, err, names[:min(len(names), 1)])
	}
	for i, f := range one.Features {
		if !reflect.DeepEqual(f.Props, got.Features[i].Props) {
			t.Fatalf("with MaxNames 1, feature %d: properties %v, want %v", i+1, f.Props, got.Features[i].Props)
		}
	}
}

// TestReadAsTree compares the readers on the files the other tests read
// and on the datasets of the project's own maps.
func TestReadAsTree(t *testing.T) {
	// Nesting deeper than json.Valid takes (10,000 levels), which the
	// tree reader read.
	deep := strings.Repeat("[", 10001) + strings.Repeat("]", 10001)
	srcs := [][]byte{[]byte(fc()),
		[]byte(fc(feature(`{"x": `+deep+`, "name": "A"}`, square))),
		[]byte(fc(deep)),
		[]byte(fc(feature(`{}`, `{"type": "Point", "coordinates": `+deep+`}`))),
		[]byte(fc(feature(`{}`, `{"type": "Point", "coordinates": [`+deep+`, 1]}`))),
		[]byte(fc(feature(`{"x": `+deep[:15000]+`}`, square))),
	}
	for _, c := range readErrors {
		srcs = append(srcs, []byte(c.src))
	}
	files, _ := filepath.Glob("../../../datasets/geo/*.geojson")
	if len(files) == 0 {
		t.Fatal("no GeoJSON files in datasets/geo")
	}
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		srcs = append(srcs, src)
	}
	for _, src := range srcs {
		sameAsTree(t, src)
	}
}

// FuzzReadAsTree holds Read to the tree reader on any input.
func FuzzReadAsTree(f *testing.F) {
	for _, c := range readErrors {
		f.Add([]byte(c.src))
	}
	f.Add([]byte(fc(feature(`{"name": "A", "n": 1.50, "b": true, "z": null, "l": [1, {"x": "y"}], "x": "\u0041"}`, square))))
	f.Add([]byte(fc(`{"type": "Feature", "id": 3, "properties": null, "geometry": {"type": "MultiPolygon", "coordinates": [[[[0, 0], [1, 0], [1, 1], [0, 0]]]]}}`)))
	f.Add([]byte(fc(feature(`{"nam\u0065": "\u00e9\"<", "name": 1}`, `{"type": "Point", "coordinates": [-180, 90, 5]}`))))
	f.Add([]byte(fc(`{"geometry": {"coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]], "type": "Polygon"}, "properties": {"b": 2, "NAME": "B"}, "type": "Feature"}`)))
	f.Add([]byte("\xef\xbb\xbf" + fc()))
	f.Fuzz(sameAsTree)
}
