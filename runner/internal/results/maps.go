package results

import (
	"encoding/json"

	"galley/runner/internal/chart"
)

// Map is what a map (a chart of type map or points) drew: the keys it
// matched and their values, what it could not match or draw, and how its
// geometry was projected and simplified. `galley diff` compares it; the
// geometry itself is not in the JSON.
type Map struct {
	Geo        string `json:"geo"`        // the GeoJSON dataset
	Projection string `json:"projection"` // mercator, equal_earth or albers_usa
	// Chosen says why the projection was chosen for the area; empty when
	// the analysis named it.
	Chosen    string   `json:"projection_chosen,omitempty"`
	GeoKey    string   `json:"geo_key,omitempty"`
	Areas     []Area   `json:"areas,omitempty"`     // type map: every area, in the file's order
	Unmatched []Scalar `json:"unmatched,omitempty"` // type map: view keys that match no area
	Points    int      `json:"points,omitempty"`    // type points: circles drawn
	NotDrawn  []string `json:"not_drawn,omitempty"` // areas outside the projection
	Geometry  Geometry `json:"geometry"`

	// For the page: the legend, the outlines in grid units (GeoJSON) and
	// the grid's size.
	Legend        []chart.LegendEntry `json:"-"`
	Drawing       json.RawMessage     `json:"-"`
	Width, Height int                 `json:"-"`
}

// Area is one area of a choropleth.
type Area struct {
	Key   Scalar `json:"key"`
	Value Scalar `json:"value"` // null: no data
	Text  string `json:"text"`  // as the map prints it
	Class string `json:"class,omitempty"`
	Color string `json:"-"`
}

// Geometry says how the outlines were drawn: simplified for the page, so
// the report's sources say so.
type Geometry struct {
	PointsRead  int `json:"points_read"`
	PointsDrawn int `json:"points_drawn"`
	// RingsOutside counts the rings (islands) outside every part of the
	// projection, not drawn.
	RingsOutside int `json:"rings_outside,omitempty"`
}

// NewMapChart is the Chart of a map over v.
func NewMapChart(id string, v *View, spec *chart.MapSpec, d *chart.MapDrawing) *Chart {
	c := &Chart{ID: id, View: v.Name, Type: spec.Type, Title: spec.Title, Subtitle: spec.Subtitle,
		Caption: spec.Caption, Options: d.Options, Labels: []string{}, Formats: []string{}}
	for _, col := range spec.Columns() {
		c.Columns = append(c.Columns, col.Name)
		c.index = append(c.index, col.Index)
		c.Labels = append(c.Labels, col.Name)
		f := ""
		if col.Index == spec.Value.Index {
			f = spec.Format.String()
		}
		c.Formats = append(c.Formats, f)
	}
	m := &Map{Geo: spec.Geo, Projection: d.Projection, Chosen: d.Chosen, Points: d.Points, NotDrawn: d.NotDrawn,
		Geometry: Geometry{PointsRead: d.PointsIn, PointsDrawn: d.PointsOut, RingsOutside: d.Outside},
		Legend:   d.Legend, Drawing: d.Geometry, Width: d.Width, Height: d.Height}
	if spec.Type == "map" {
		m.GeoKey = spec.GeoKey.Name
	}
	for _, a := range d.Areas {
		m.Areas = append(m.Areas, Area{Key: Scalar{a.Key}, Value: Scalar{a.Value}, Text: a.Text, Class: a.Class, Color: a.Color})
	}
	for _, k := range d.Unmatched {
		m.Unmatched = append(m.Unmatched, Scalar{k})
	}
	c.Map = m
	return c
}
