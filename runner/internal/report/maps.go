package report

import (
	"bytes"
	"encoding/base64"
	"encoding/csv"
	"fmt"
	"html/template"
	"strings"

	"galley/runner/internal/geo"
	"galley/runner/internal/results"
	"galley/runner/internal/table"
	"galley/runner/internal/value"
)

// mapData is what the page shows of a map beyond a chart: its outlines
// (for registerMap), its box, its legend and what it says under it.
type mapData struct {
	Geometry string       // GeoJSON in grid units, in a data attribute
	Aspect   template.CSS // the box's aspect ratio, from two integers
	Legend   []legendData
	Notes    []string // projection, unmatched rows, areas not drawn
}

type legendData struct {
	ID          string // of a ramp's gradient: the chart's id and "-ramp"
	Label, High string
	Color       string // a swatch
	Ramp        []rampStop
	Diameter    float64 // a circle, in pixels
	NoData      bool
}

type rampStop struct {
	Offset string
	Color  string
}

func newMap(m *results.Map, id string) *mapData {
	md := &mapData{Geometry: string(m.Drawing), Aspect: template.CSS(fmt.Sprintf("aspect-ratio:%d/%d", m.Width, m.Height))}
	for _, e := range m.Legend {
		l := legendData{ID: id + "-ramp", Label: e.Label, High: e.High, Color: e.Color, Diameter: e.Diameter, NoData: e.NoData}
		for i, c := range e.Stops {
			l.Ramp = append(l.Ramp, rampStop{Offset: fmt.Sprintf("%d%%", i*100/max(len(e.Stops)-1, 1)), Color: c})
		}
		md.Legend = append(md.Legend, l)
	}
	proj := "Projection: " + geo.Title(m.Projection)
	if m.Chosen != "" {
		proj += ", chosen because " + m.Chosen
	}
	md.Notes = append(md.Notes, proj+".")
	if n := len(m.Unmatched); n > 0 {
		keys := make([]string, n)
		for i, k := range m.Unmatched {
			keys[i] = value.Text(k.V)
		}
		md.Notes = append(md.Notes, fmt.Sprintf("%s of the view %s no area and %s not drawn: %s.", plural(n, "row"), verb(n, "matches", "match"), verb(n, "is", "are"), strings.Join(keys, ", ")))
	}
	if n := len(m.NotDrawn); n > 0 {
		md.Notes = append(md.Notes, fmt.Sprintf("%s outside the projection %s not drawn: %s.", plural(n, "area"), verb(n, "is", "are"), strings.Join(m.NotDrawn, ", ")))
	}
	if n := m.Geometry.RingsOutside; n > 0 {
		md.Notes = append(md.Notes, fmt.Sprintf("%s of outlying islands outside the projection's insets %s not drawn.", plural(n, "outline"), verb(n, "is", "are")))
	}
	return md
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return value.Text(n) + " " + noun + "s"
}

func verb(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// simplification says, in a map's sources, that its geometry was
// simplified, and how much.
func simplification(m *results.Map, line int) string {
	g := m.Geometry
	return fmt.Sprintf("For the map at line %d, projected with %s and simplified for drawing (Visvalingam–Whyatt, to a tenth of a square pixel at the report's width, rounded to a grid): %s points read, %s drawn.",
		line, geo.Title(m.Projection), value.Text(g.PointsRead), value.Text(g.PointsDrawn))
}

// areaTable is a choropleth's data table: every area, its value as the map
// prints it, and its legend entry; no data says so.
func areaTable(v *results.View, c *results.Chart, line int, sources []*sourceData) (*tableData, error) {
	m := c.Map
	key := m.GeoKey
	valueName := "value"
	if len(c.Columns) > 1 {
		valueName = c.Columns[1]
	}
	td := &tableData{View: v.Name, ViewLine: v.Line, Line: line, Total: len(m.Areas), Shown: len(m.Areas), Sources: sources,
		CSVName: v.Name + "-map.csv", CSVRows: len(m.Areas), Noun: "area",
		Columns: []columnData{{Name: key}, {Name: valueName, Numeric: true}, {Name: "legend"}}}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write([]string{key, valueName, "legend"})
	for _, a := range m.Areas {
		_, isNum := a.Value.V.(int)
		if _, f := a.Value.V.(float64); f {
			isNum = true
		}
		td.Rows = append(td.Rows, []cellValue{
			{Text: value.Text(a.Key.V), Null: a.Key.V == nil},
			{Text: a.Text, Null: a.Value.V == nil, Numeric: isNum},
			{Text: a.Class},
		})
		w.Write([]string{csvCell(a.Key.V), csvCell(a.Value.V), csvText(a.Class)})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return nil, fmt.Errorf("exporting the areas of the map at line %d as CSV: %v", line, err)
	}
	td.CSV = template.URL("data:text/csv;charset=utf-8;base64," + base64.StdEncoding.EncodeToString(buf.Bytes()))
	return td, nil
}

// newMapChart is the chart of a map: a choropleth's data table lists its
// areas; a points map's, the view's rows it draws.
func newMapChart(c *results.Chart, v *results.View, line int, sources []*sourceData) (*chartData, error) {
	var td *tableData
	var err error
	if c.Type == "map" {
		td, err = areaTable(v, c, line, sources)
	} else {
		show := make([]table.Shown, len(c.Index()))
		for j := range show {
			show[j] = table.Shown{Label: c.Labels[j]}
		}
		td, err = newTable(v, line, c.Index(), show, "", min(v.Total, results.MaxTableRows), sources)
	}
	if err != nil {
		return nil, err
	}
	return &chartData{ID: c.ID, Options: string(c.Options), Title: c.Title, Subtitle: c.Subtitle, Caption: c.Caption,
		Table: td, Map: newMap(c.Map, c.ID)}, nil
}
