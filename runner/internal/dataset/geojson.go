package dataset

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"

	"galley/runner/internal/analysis"
	"galley/runner/internal/geo"
	"galley/runner/internal/position"
	"galley/runner/internal/suggest"
)

// GeoData is a GeoJSON dataset as read: its features, with their geometry,
// and a row of typed values per feature, in ds.Columns order, every column
// converted (a view's skipped columns included): what a map matches its
// view to.
type GeoData struct {
	Collection *geo.Collection
	Rows       [][]any
}

// geoSource gives a GeoJSON dataset's rows, read whole when it was opened.
type geoSource struct {
	data *GeoData
	next int
	skip []bool
}

// openGeoJSON reads a GeoJSON dataset whole: the file is small (at most
// geo.MaxBytes) and a FeatureCollection is one JSON value. The bytes read
// once are hashed, the pin checked, and then those same bytes parsed, so
// that the rows come from exactly the bytes the pin names. Every feature's
// properties are typed as the declared columns here, before any row is
// given: a bad value is an error at its line and column in the file.
func openGeoJSON(sp *Spec, opts Options, loc *located, pin analysis.String) (*Reader, error) {
	ds := sp.ds
	at := or(ds.Path.Pos, ds.Pos)
	if loc.size > geo.MaxBytes {
		return nil, position.Errorf(at, "dataset %q: %s is %s, over the %d MiB a GeoJSON dataset may hold; simplify it first (a map needs far less detail)", ds.Name, loc.rel, formatSize(loc.size), geo.MaxBytes>>20)
	}
	f, err := os.Open(loc.full)
	if err != nil {
		return nil, position.Errorf(at, "dataset %q: %s cannot be read (%s)", ds.Name, loc.rel, reason(err))
	}
	defer f.Close()
	buf := bytes.NewBuffer(make([]byte, 0, loc.size+bytes.MinRead))
	_, err = buf.ReadFrom(io.LimitReader(&progress{r: f, fn: opts.Progress, total: loc.size}, geo.MaxBytes+1))
	src := buf.Bytes()
	if err != nil {
		return nil, position.Errorf(at, "dataset %q: %s cannot be read (%s)", ds.Name, loc.rel, reason(err))
	}
	if len(src) > geo.MaxBytes {
		return nil, position.Errorf(at, "dataset %q: %s grew past %d MiB while it was read", ds.Name, loc.rel, geo.MaxBytes>>20)
	}
	r := &Reader{ds: ds, spec: sp, rel: loc.rel, size: int64(len(src)), whole: true, pin: pin}
	sum := sha256.Sum256(src)
	if err := r.checkSum(hex.EncodeToString(sum[:])); err != nil {
		return nil, err
	}
	if loc.gzipped() {
		src, err = inflate(src, geo.MaxBytes, loc.rel)
		if err != nil {
			return nil, err
		}
	}
	rows := newGeoRows(ds, loc.rel)
	c, err := geo.Read(loc.rel, src, rows.options())
	if err != nil {
		return nil, err
	}
	data, err := rows.done(c)
	if err != nil {
		return nil, err
	}
	r.geo = &geoSource{data: data, skip: opts.Skip}
	r.header = c.Names
	r.row = make([]any, len(ds.Columns))
	return r, nil
}

// Geo returns what a GeoJSON dataset's file held, or nil for another
// format.
func (r *Reader) Geo() *GeoData {
	if r.geo == nil {
		return nil
	}
	return r.geo.data
}

// readGeo gives the next feature's row.
func (r *Reader) readGeo() ([]any, error) {
	g := r.geo
	if g.next == len(g.data.Rows) {
		return nil, io.EOF
	}
	row := g.data.Rows[g.next]
	r.line = g.data.Collection.Features[g.next].Pos.Line
	g.next++
	for i, v := range row {
		if i < len(g.skip) && g.skip[i] {
			v = nil // as a CSV Reader gives a column no view uses
		}
		r.row[i] = v
	}
	return r.row, nil
}

// geoRows types each feature's properties as the declared columns as
// geo.Read reads the feature, so that what is kept of a feature is its row,
// not its properties. A property missing from a feature is null, as a key
// missing from a JSON record is; a column that no feature has is an error,
// as a column missing from a CSV header is.
type geoRows struct {
	ds    *analysis.Dataset
	rel   string
	nulls [][]string
	rows  [][]any
	err   error // the first value that does not type, given once the whole file has read
}

func newGeoRows(ds *analysis.Dataset, rel string) *geoRows {
	g := &geoRows{ds: ds, rel: rel, nulls: make([][]string, len(ds.Columns)), rows: [][]any{}}
	for i, col := range ds.Columns {
		if ds.NullSet {
			for _, n := range ds.Null {
				g.nulls[i] = append(g.nulls[i], n.Value)
			}
		}
		g.nulls[i] = append(g.nulls[i], col.Null...)
	}
	return g
}

// options has geo.Read keep the values of the declared columns only, hand
// each feature to g, and list at most MaxColumns property names more, for
// the header and the hints: what reading a GeoJSON file keeps is bounded
// whatever the number of properties.
func (g *geoRows) options() geo.Options {
	o := geo.Options{Props: make([]string, 0, len(g.ds.Columns)), MaxNames: MaxColumns, Feature: g.feature}
	for _, col := range g.ds.Columns {
		o.Props = append(o.Props, col.Header())
	}
	return o
}

func (g *geoRows) feature(f *geo.Feature) {
	if g.err != nil {
		return
	}
	row := make([]any, len(g.ds.Columns))
	for i, col := range g.ds.Columns {
		if col.FileName {
			row[i] = fileTag(g.rel)
			continue
		}
		p, ok := f.Prop(col.Header())
		var msg string
		row[i], msg = propertyValue(col, p.Value, g.nulls[i], "property")
		if msg == "" {
			continue
		}
		pos := p.Pos
		if !ok {
			pos = f.Pos
		}
		g.err = position.Errorf(pos, "%s, column %q (%s): %s", f.Name(), col.Name, col.Type, msg)
		return
	}
	g.rows = append(g.rows, row)
}

// done gives the rows of c's features once geo.Read has read them all, or
// the errors: first the columns no feature has, then the first value that
// does not type.
func (g *geoRows) done(c *geo.Collection) (*GeoData, error) {
	ds, names := g.ds, c.Names
	var errs position.List
	for _, col := range ds.Columns {
		if col.FileName {
			continue
		}
		name := col.Header()
		if len(c.Features) == 0 || slices.Contains(names, name) {
			continue
		}
		pos := col.Pos
		if col.FromPos.IsValid() {
			pos = col.FromPos
		}
		errs.Add(pos, "dataset %q: column %q is not a property of any feature in %s%s", ds.Name, name, g.rel, propertyHint(name, names))
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	if g.err != nil {
		return nil, g.err
	}
	return &GeoData{Collection: c, Rows: slices.Clip(g.rows)}, nil
}

func propertyHint(name string, names []string) string {
	if h := suggest.Hint(name, names); h != "" {
		return h
	}
	if len(names) == 0 {
		return " (its features have no properties)"
	}
	sorted := append([]string(nil), names...)
	sort.Strings(sorted)
	if len(sorted) > 20 {
		sorted = append(sorted[:20], "...")
	}
	return " (the properties are " + strings.Join(sorted, ", ") + ")"
}

// propertyValue types one property value as col, or says why it cannot.
// JSON's own types are kept: a string column takes text, a number column a
// number, a bool column true or false, a date column text in its layout.
// Null markers apply to text.
func propertyValue(col *analysis.Column, v any, nulls []string, noun string) (any, string) {
	if s, ok := v.(string); ok && slices.Contains(nulls, s) {
		v = nil
	}
	if v == nil {
		if col.Required {
			return nil, "the column is required, but the " + noun + " is null or missing"
		}
		return nil, ""
	}
	if c, ok := v.(geo.Composite); ok {
		what := "an object"
		if strings.HasPrefix(string(c), "[") {
			what = "a list"
		}
		return nil, fmt.Sprintf("the %s is %s; a column holds one value", noun, what)
	}
	switch col.Type {
	case analysis.TypeString:
		if s, ok := v.(string); ok {
			return s, ""
		}
	case analysis.TypeInt:
		if n, ok := v.(geo.Number); ok {
			return jsonInt(string(n))
		}
	case analysis.TypeFloat:
		if n, ok := v.(geo.Number); ok {
			f, err := strconv.ParseFloat(string(n), 64)
			if err != nil || math.IsInf(f, 0) {
				return nil, fmt.Sprintf("the number %s is out of range", n)
			}
			return f, ""
		}
	case analysis.TypeBool:
		if b, ok := v.(bool); ok {
			return b, ""
		}
	case analysis.TypeDate:
		if s, ok := v.(string); ok {
			t, err := parseDate(col.Layout, s)
			if err != nil {
				return nil, cellError(col, s, s)
			}
			return t, ""
		}
	}
	return nil, fmt.Sprintf("the %s is %s, not %s%s", noun, jsonDescribe(v), typeNoun(col.Type), retype(v))
}

// jsonInt reads a JSON number as an int: 1292 and 1292.0 are read, 3.5
// and numbers past the int64 range are not.
func jsonInt(s string) (any, string) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return int(n), ""
	} else if errors.Is(err, strconv.ErrRange) {
		return nil, fmt.Sprintf("the number %s is out of range for an integer (declare the column as float)", s)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) >= 1<<63 {
		return nil, fmt.Sprintf("the number %s is not an integer (declare the column as float)", s)
	}
	return int(f), ""
}

func jsonDescribe(v any) string {
	switch x := v.(type) {
	case string:
		return fmt.Sprintf("the text %q", x)
	case geo.Number:
		return "the number " + string(x)
	case bool:
		return fmt.Sprintf("the boolean %v", x)
	}
	return fmt.Sprintf("%v", v)
}

func typeNoun(t analysis.ColumnType) string {
	switch t {
	case analysis.TypeString:
		return "text"
	case analysis.TypeInt:
		return "an integer"
	case analysis.TypeFloat:
		return "a number"
	case analysis.TypeBool:
		return "true or false"
	case analysis.TypeDate:
		return "a date written as text"
	}
	return t.String()
}

// retype suggests the column type that would read v.
func retype(v any) string {
	switch v.(type) {
	case string:
		return " (declare the column as string)"
	case geo.Number:
		return " (declare the column as int or float)"
	case bool:
		return " (declare the column as bool)"
	}
	return ""
}
