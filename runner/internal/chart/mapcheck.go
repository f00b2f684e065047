package chart

import (
	"slices"
	"strconv"
	"strings"

	"galley/runner/internal/analysis"
	"galley/runner/internal/geo"
	"galley/runner/internal/position"
	"galley/runner/internal/suggest"
	"galley/runner/internal/table"
	"galley/runner/internal/value"
)

// NoDataLabel is the legend entry of areas with no row, or a null value;
// chart labels rename it under this key.
const NoDataLabel = "no data"

// MapSpec is a map cell (type: map or points) checked against its view's
// columns and its GeoJSON dataset (CheckMap). MapOptions builds from it.
type MapSpec struct {
	Pos  position.Pos // of the cell
	Type string       // map or points

	Geo        string // the GeoJSON dataset
	GeoColumns []table.Column
	GeoKey     Column // map: in the geo dataset's columns
	Key        Column // map: the view column matched to GeoKey; points: names each point (Index -1: none)
	Value      Column // map
	Lat, Lon   Column // points
	Size       Column // points; Index -1: none

	Bins          []float64 // map: class edges; none for a continuous scale
	BinText       []string  // each edge as written
	BinsPos       position.Pos
	ShowUnmatched bool   // unmatched: show
	Projection    string // "" to choose for the area
	Labels        map[string]string

	Title, Subtitle, Caption string
	Unit                     string
	Format                   value.Format
}

// Columns lists the view columns the map's data table prints.
func (s *MapSpec) Columns() []Column {
	var out []Column
	for _, c := range []Column{s.Key, s.Value, s.Lat, s.Lon, s.Size} {
		if c.Index >= 0 && c.Name != "" {
			out = append(out, c)
		}
	}
	return out
}

// chartOnly are the keys of ordinary charts that a map has no use for, and
// why.
var chartOnly = []string{"x", "y", "series", "x_label", "y_label", "stack", "horizontal", "formats", "height", "marks", "facet"}

// CheckMap validates a map cell against the columns of its view and the
// analysis's datasets, without any data. The error is a position.List of
// every mistake found.
func CheckMap(c *analysis.Chart, cols []table.Column, datasets []*analysis.Dataset) (*MapSpec, error) {
	var errs position.List
	s := &MapSpec{Pos: c.Pos, Type: c.Type.Value, Title: c.Title.Value, Subtitle: c.Subtitle.Value, Caption: c.Caption.Value,
		Unit: c.Unit.Value, Key: Column{Index: -1}, Value: Column{Index: -1}, Lat: Column{Index: -1}, Lon: Column{Index: -1},
		Size: Column{Index: -1}, GeoKey: Column{Index: -1}, ShowUnmatched: c.Unmatched.Value == "show", Labels: map[string]string{}}
	names := make([]string, len(cols))
	for i, col := range cols {
		names[i] = col.Name
	}
	lookup := func(ref analysis.Ref, role string, numeric bool) (Column, analysis.ColumnType) {
		if ref.Name == "" {
			return Column{Index: -1}, 0
		}
		i := table.ColumnIndex(cols, ref.Name)
		if i < 0 {
			errs.Append(position.Errorf(ref.Pos, "unknown column %q in map %s", ref.Name, role).Span(len(ref.Name)).Hinted(suggestColumn(ref.Name, names)))
			return Column{Index: -1}, 0
		}
		typ := cols[i].Type
		if numeric && typ != analysis.TypeInt && typ != analysis.TypeFloat && typ != analysis.TypeAny {
			errs.Add(ref.Pos, "column %q in map %s is a %s column, not a number (%s takes an int or float column)", ref.Name, role, typ, role)
		}
		return Column{Name: ref.Name, Index: i, Pos: ref.Pos}, typ
	}

	// Keys of ordinary charts, and keys of the other kind of map.
	given := map[string]position.Pos{}
	if c.X.Name != "" {
		given["x"] = c.X.Pos
	}
	if len(c.Y) > 0 {
		given["y"] = c.Y[0].Pos
	}
	if c.Series.Name != "" {
		given["series"] = c.Series.Pos
	}
	if c.XLabel.Set {
		given["x_label"] = c.XLabel.Pos
	}
	if c.YLabel.Set {
		given["y_label"] = c.YLabel.Pos
	}
	if len(c.Formats) > 0 {
		given["formats"] = c.Formats[0].KeyPos
	}
	if c.Height.Set {
		given["height"] = c.Height.Pos
	}
	if len(c.Marks) > 0 {
		given["marks"] = c.Marks[0].Pos
	}
	if c.Facet.Name != "" {
		given["facet"] = c.Facet.Pos
	}
	for _, k := range chartOnly {
		if p, ok := given[k]; ok {
			errs.Add(p, "%s: applies to charts, not to a map of type %s (remove it)", k, s.Type)
		}
	}
	if c.Stack || c.Horizontal {
		errs.Add(c.Pos, "stack: and horizontal: apply to bar charts, not to a map (remove them)")
	}
	if s.Type == "points" {
		for _, r := range []struct {
			ref analysis.Ref
			key string
		}{{c.GeoKey, "geo_key"}, {c.Value, "value"}} {
			if r.ref.Name != "" {
				errs.Add(r.ref.Pos, "%s: applies to type: map; type: points draws circles at lat and lon (remove it, or use type: map)", r.key)
			}
		}
		if len(c.Bins) > 0 {
			errs.Add(c.BinsPos, "bins: applies to type: map; type: points sizes its circles by size: (remove it)")
		}
		if c.Unmatched.Set {
			errs.Add(c.Unmatched.Pos, "unmatched: applies to type: map, whose rows are matched to areas (remove it)")
		}
	} else {
		for _, r := range []struct {
			ref analysis.Ref
			key string
		}{{c.Lat, "lat"}, {c.Lon, "lon"}, {c.Size, "size"}} {
			if r.ref.Name != "" {
				errs.Add(r.ref.Pos, "%s: applies to type: points; a map of type map colours areas by value: (remove it, or use type: points)", r.key)
			}
		}
	}

	// The geometry: a GeoJSON dataset.
	var geoDS *analysis.Dataset
	var dsNames []string
	for _, ds := range datasets {
		dsNames = append(dsNames, ds.Name)
		if ds.Name == c.Geo.Name {
			geoDS = ds
		}
	}
	switch {
	case c.Geo.Name == "":
	case geoDS == nil:
		errs.Append(position.Errorf(c.Geo.Pos, "geo: no dataset named %q; geo: names a dataset of format geojson", c.Geo.Name).
			Span(len(c.Geo.Name)).Hinted(suggest.DidYouMean(c.Geo.Name, dsNames)))
	case geoDS.FileFormat() != "geojson":
		errs.Add(c.Geo.Pos, "geo: dataset %q is a %s file; a map draws the geometry of a GeoJSON dataset (a path ending in .geojson, or format: geojson)", c.Geo.Name, strings.ToUpper(geoDS.FileFormat()))
	default:
		s.Geo = geoDS.Name
		for _, col := range geoDS.Columns {
			s.GeoColumns = append(s.GeoColumns, table.Column{Name: col.Name, Type: col.Type, Pos: col.Pos})
		}
	}

	if s.Type == "map" {
		key, keyType := lookup(c.Key, "key", false)
		s.Key = key
		s.Value, _ = lookup(c.Value, "value", true)
		if c.GeoKey.Name != "" && s.Geo != "" {
			i := table.ColumnIndex(s.GeoColumns, c.GeoKey.Name)
			var geoNames []string
			for _, gc := range s.GeoColumns {
				geoNames = append(geoNames, gc.Name)
			}
			if i < 0 {
				errs.Append(position.Errorf(c.GeoKey.Pos, "geo_key: dataset %q has no column %q (geo_key names one of its declared columns, a GeoJSON property)", s.Geo, c.GeoKey.Name).
					Span(len(c.GeoKey.Name)).Hinted(suggestColumn(c.GeoKey.Name, geoNames)))
			} else {
				s.GeoKey = Column{Name: c.GeoKey.Name, Index: i, Pos: c.GeoKey.Pos}
				if gt := s.GeoColumns[i].Type; key.Index >= 0 && !keysMatch(keyType, gt) {
					errs.Add(c.Key.Pos, "key %q is %s column and geo_key %q %s column; they can never be equal (convert one in the view, e.g. string(%s))", c.Key.Name, keyType.WithArticle(), c.GeoKey.Name, gt.WithArticle(), c.Key.Name)
				}
			}
		}
		if len(c.Bins) == 1 {
			errs.Add(c.BinsPos, "bins: needs at least two edges, the lowest and the highest value of the scale, e.g. [0, 100, 1000]")
		}
		for i, b := range c.Bins {
			if i > 0 && b.Value <= c.Bins[i-1].Value {
				errs.Add(b.Pos, "bins: %s is not above %s; list the edges in ascending order, each once", b.Text, c.Bins[i-1].Text)
			}
			s.Bins = append(s.Bins, b.Value)
			s.BinText = append(s.BinText, b.Text)
			s.BinsPos = c.BinsPos
		}
	} else {
		s.Key, _ = lookup(c.Key, "key", false)
		s.Lat, _ = lookup(c.Lat, "lat", true)
		s.Lon, _ = lookup(c.Lon, "lon", true)
		s.Size, _ = lookup(c.Size, "size", true)
	}

	if c.Projection.Set {
		if _, ok := geo.ByName(c.Projection.Value); !ok {
			hint := suggest.DidYouMean(c.Projection.Value, geo.Projections)
			if hint == "" {
				hint = "use " + strings.Join(geo.Projections, ", ") + ", or leave projection: out to have one chosen for the area"
			}
			errs.Append(position.Errorf(c.Projection.Pos, "unknown projection %q", c.Projection.Value).Span(len(c.Projection.Value)).Hinted(hint))
		}
		s.Projection = c.Projection.Value
	}

	for _, l := range c.Labels {
		switch {
		case l.Key == NoDataLabel && s.Type == "map":
		case s.Type == "map" && len(s.BinText) > 1 && slices.Contains(s.BinText[:len(s.BinText)-1], l.Key):
		case s.Type == "points":
			errs.Add(l.KeyPos, "labels: a points map has no legend entries to name (labels name a map's bins and %q)", NoDataLabel)
			continue
		default:
			entries := []string{strconv.Quote(NoDataLabel)}
			if len(s.BinText) > 1 {
				entries = append(entries, s.BinText[:len(s.BinText)-1]...)
			}
			errs.Add(l.KeyPos, "labels: %q is not a legend entry of this map; its entries are %s (a bin is named by its lower edge as written in bins)", l.Key, strings.Join(entries, ", "))
			continue
		}
		s.Labels[l.Key] = l.Text.Value
	}

	if c.Format.Set {
		f, err := value.ParseFormat(c.Format.Value)
		s.Format = f
		switch {
		case err != nil:
			errs.Add(c.Format.Pos, "%v", err)
		case f.Percent && c.Unit.Value == "%":
			errs.Add(c.Unit.Pos, "unit: \"%%\" repeats the percent sign of format: %q (drop the unit)", c.Format.Value)
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return s, nil
}

// keysMatch reports whether a view key of type a can equal a geo key of
// type b: the same type, or two numbers.
func keysMatch(a, b analysis.ColumnType) bool {
	num := func(t analysis.ColumnType) bool { return t == analysis.TypeInt || t == analysis.TypeFloat }
	return a == b || a == analysis.TypeAny || b == analysis.TypeAny || num(a) && num(b)
}

// mapKeysOnChart refuses the keys of maps on an ordinary chart.
func mapKeysOnChart(errs *position.List, c *analysis.Chart) {
	for _, r := range []struct {
		ref analysis.Ref
		key string
	}{{c.Geo, "geo"}, {c.Key, "key"}, {c.GeoKey, "geo_key"}, {c.Value, "value"}, {c.Lat, "lat"}, {c.Lon, "lon"}, {c.Size, "size"}} {
		if r.ref.Name != "" {
			errs.Add(r.ref.Pos, "%s: applies to maps (type: map or points), not to a %s chart (remove it)", r.key, c.Type.Value)
		}
	}
	if len(c.Bins) > 0 {
		errs.Add(c.BinsPos, "bins: applies to maps (type: map), not to a %s chart (remove it)", c.Type.Value)
	}
	for _, s := range []analysis.String{c.Unmatched, c.Projection} {
		if s.Set {
			errs.Add(s.Pos, "unmatched: and projection: apply to maps (type: map or points), not to a %s chart (remove them)", c.Type.Value)
		}
	}
}
