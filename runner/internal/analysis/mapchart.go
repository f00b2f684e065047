package analysis

import (
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"galley/runner/internal/position"
)

// MapTypes are the chart types drawn over a GeoJSON dataset's geometry.
var MapTypes = []string{"map", "points"}

// MapKeys are the chart keys of maps (type: map and type: points); the
// chart keys they share with other charts (type, data, title, subtitle,
// caption, format, unit, labels) are the chart's own.
var MapKeys = []string{"geo", "key", "geo_key", "value", "bins", "unmatched", "projection", "lat", "lon", "size"}

// IsMap reports whether a chart type is a map.
func IsMap(typ string) bool { return typ == "map" || typ == "points" }

// MapChart is what a map cell says beyond an ordinary chart's keys. Package
// chart checks it against the view and the GeoJSON dataset (CheckMap).
type MapChart struct {
	Geo        Ref      // a dataset of format geojson
	Key        Ref      // map: the view column matched to GeoKey; points: names each point (optional)
	GeoKey     Ref      // map: the geo dataset's column (a property) matched to Key
	Value      Ref      // map: the view column that colours each area
	Bins       []Number // map: class edges, ascending; none means a continuous scale
	BinsPos    position.Pos
	Unmatched  String // "error" (default) or "show"
	Projection String // mercator, equal_earth or albers_usa; chosen for the area when not Set
	Lat, Lon   Ref    // points: the view's latitude and longitude columns
	Size       Ref    // points: optional, the column the circles' areas show
}

// Number is a number written in the analysis, with its text and position.
type Number struct {
	Value float64
	Text  string
	Pos   position.Pos
}

// Label is one entry of a chart's labels: KEY: "display text".
type Label struct {
	Key    string
	KeyPos position.Pos
	Text   String
}

// mapRequired are the keys a map of type typ must have.
func mapRequired(typ string) []string {
	if typ == "points" {
		return []string{"type", "data", "geo", "lat", "lon"}
	}
	return []string{"type", "data", "geo", "key", "geo_key", "value"}
}

// mappingValue is the text of key in the mapping n, or "".
func mappingValue(n *yaml.Node, key string) string {
	if n.Kind != yaml.MappingNode {
		return ""
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key && n.Content[i+1].Kind == yaml.ScalarNode {
			return n.Content[i+1].Value
		}
	}
	return ""
}

// mapChart reads the map keys of a chart cell from its entries.
func (d *decoder) mapChart(m map[string]entry, c *Chart) {
	refs := map[string]*Ref{"geo": &c.Geo, "key": &c.Key, "geo_key": &c.GeoKey, "value": &c.Value,
		"lat": &c.Lat, "lon": &c.Lon, "size": &c.Size}
	for _, k := range MapKeys {
		e, ok := m[k]
		if !ok {
			continue
		}
		if dst, ok := refs[k]; ok {
			*dst = d.ref(e.value, "chart: "+k)
			continue
		}
		switch k {
		case "unmatched":
			c.Unmatched = d.str(e.value, "chart: unmatched")
			if c.Unmatched.Set && c.Unmatched.Value != "show" && c.Unmatched.Value != "error" {
				d.errorf(e.value, "chart: unmatched must be show (count the view's rows that match no area, under the map) or error (the default), not %q", c.Unmatched.Value)
			}
		case "projection":
			c.Projection = d.str(e.value, "chart: projection")
		case "bins":
			c.BinsPos = d.pos(e.value)
			c.Bins = d.numbers(e.value, "chart: bins")
		}
	}
}

// numbers reads a list of numbers.
func (d *decoder) numbers(n *yaml.Node, what string) []Number {
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, "%s must be a list of numbers, such as [0, 100, 1000], not %s", what, kindNames[n.Kind])
		return nil
	}
	var out []Number
	for _, it := range n.Content {
		s, ok := d.scalar(it, what+" entry")
		if !ok {
			continue
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || it.Tag == "!!str" || it.Tag == "!!null" || it.Tag == "!!bool" {
			d.errorf(it, "%s must be numbers, not %q", what, s)
			continue
		}
		out = append(out, Number{Value: f, Text: s, Pos: d.pos(it)})
	}
	return out
}

// labels reads a labels: or formats: mapping, KEY: TEXT pairs, in file
// order. What the keys name is checked by whoever knows (a column, or on a
// chart a value); a text must not be empty.
func (d *decoder) labels(n *yaml.Node, what string) []Label {
	var out []Label
	for _, e := range d.keyed(n, what, keyedWords{"names to texts", "a key must be a single value", "is given twice (first at line %d); keep one"}) {
		l := Label{Key: e.key, KeyPos: d.contentPos(e.keyN), Text: d.str(e.value, what+" "+strconv.Quote(e.key))}
		if l.Text.Set && strings.TrimSpace(l.Text.Value) == "" {
			d.errorf(e.value, "%s: %q is given an empty text; write the text, or remove the entry", what, e.key)
			continue
		}
		if l.Text.Set {
			out = append(out, l)
		}
	}
	return out
}
