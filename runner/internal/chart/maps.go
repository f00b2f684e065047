package chart

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/go-echarts/go-echarts/v2/types"
	"github.com/paulmach/orb"

	"galley/runner/internal/geo"
	"galley/runner/internal/position"
	"galley/runner/internal/table"
	"galley/runner/internal/value"
)

// Map colours: a sequential ramp from light to the palette's dark blue,
// and a grey for areas with no data, apart from every colour of the ramp.
var (
	rampLow  = [3]float64{0xe4, 0xec, 0xf4}
	rampHigh = [3]float64{0x1f, 0x4e, 0x79}
)

const (
	NoDataColor  = "#cfcac0" // warm grey, set apart from the blue ramp
	outlineColor = "#ffffff"
	landColor    = "#e7e3da" // the outlines under points
	landBorder   = "#a8a397"
	// MaxPointLabels is the most points a points map names beside their
	// circles (by key:); more would collide, and the tooltips and the data
	// table name them all.
	MaxPointLabels = 12
	maxDiameter    = 36.0 // pixels, the largest circle
	minDiameter    = 3.0
	plainDiameter  = 9.0 // circles without size:
)

// Geo is a GeoJSON dataset as a map needs it: its features and, for each,
// the row of typed values package dataset read from its properties.
type Geo struct {
	Collection *geo.Collection
	Rows       [][]any
}

// MapDrawing is a map built for the page and for the results document.
type MapDrawing struct {
	Options  []byte // the ECharts options, JSON
	Geometry []byte // the outlines, projected and simplified: GeoJSON in grid units
	Width    int    // the grid, for the page's aspect ratio
	Height   int

	Projection string // its name
	Chosen     string // why it was chosen for the area; "" when the cell named it

	Areas     []MapArea // type map: every area, in the file's order
	Unmatched []any     // type map: view keys that match no area (unmatched: show)
	Points    int       // type points: circles drawn
	NotDrawn  []string  // areas outside the projection
	Legend    []LegendEntry

	PointsIn, PointsOut int // outline vertices read and drawn
	Outside             int // rings outside the projection
}

// MapArea is one area of a choropleth: its key, its value (nil: no data),
// the value as printed and the legend entry it is coloured by.
type MapArea struct {
	Key   any
	Value any
	Text  string
	Class string
	Color string
}

// LegendEntry is one entry of a map's legend: a colour and its label, the
// continuous ramp (Stops from its Label to its High), or a circle's size.
type LegendEntry struct {
	Label    string
	Color    string
	High     string   // a ramp: the label of its top
	Stops    []string // a ramp: its colours, low to high
	Diameter float64  // a size: the circle, in pixels
	NoData   bool
}

// MapOptions draws a map cell over its view's table and its geometry. id
// names the map for ECharts (registerMap) and the chart, as in Options.
// Errors are *position.Error values at the cell's keys.
func MapOptions(s *MapSpec, t *table.Table, g *Geo, id string) (*MapDrawing, error) {
	if s == nil || t == nil || g == nil {
		return nil, fmt.Errorf("chart: MapOptions needs a map, its table and its geometry")
	}
	if !idRE.MatchString(id) {
		return nil, position.Errorf(s.Pos, "internal error: chart id %q is not made of [A-Za-z0-9_]", id)
	}
	m := &mapBuilder{s: s, t: t, g: g, id: id, unit: unitSuffix(s.Unit), nf: s.Format}
	var (
		obj *option
		err error
	)
	if s.Type == "points" {
		obj, err = m.points()
	} else {
		obj, err = m.choropleth()
	}
	if err != nil {
		return nil, err
	}
	out, err := json.Marshal(obj)
	if err != nil {
		return nil, position.Errorf(s.Pos, "internal error: cannot write the map's options as JSON: %v", err)
	}
	m.d.Options = out
	m.d.Geometry = m.drawing.GeoJSON(areaName)
	m.d.Width, m.d.Height = m.drawing.Width, m.drawing.Height
	m.d.PointsIn, m.d.PointsOut, m.d.Outside = m.drawing.PointsIn, m.drawing.PointsOut, m.drawing.Outside
	for _, b := range [][]byte{m.d.Options, m.d.Geometry} {
		if bytes.Contains(b, []byte("</")) || bytes.Contains(b, []byte("__f__")) {
			return nil, position.Errorf(s.Pos, "internal error: the map's options are not safe to embed in the page")
		}
	}
	return &m.d, nil
}

// areaName names feature i for ECharts: what data items and regions match by.
func areaName(i int) string { return "a" + strconv.Itoa(i) }

type mapBuilder struct {
	s       *MapSpec
	t       *table.Table
	g       *Geo
	id      string
	unit    string
	nf      value.Format
	d       MapDrawing
	drawing *geo.Drawing
}

func (m *mapBuilder) value(v any) string {
	if v == nil {
		return value.NullText
	}
	return m.nf.Text(v) + m.unit
}

// project draws the outlines with the cell's projection, or one chosen for
// the area and the places given.
func (m *mapBuilder) project(places [][2]float64) {
	name := m.s.Projection
	if name == "" {
		var why string
		name, why = geo.Choose(m.g.Collection, places)
		m.d.Chosen = why
	}
	proj, _ := geo.ByName(name) // CheckMap refused any other name
	m.d.Projection = name
	m.drawing = geo.Draw(m.g.Collection, proj, places)
}

// featureText is how the map names a feature: by its key when it has one.
func (m *mapBuilder) featureText(i int) string {
	if k := m.s.GeoKey.Index; k >= 0 && m.g.Rows[i][k] != nil {
		return value.Plain(m.g.Rows[i][k])
	}
	return m.g.Collection.Features[i].Name()
}

// matchKey is the text a key is matched by: 1 and 1.0 are one key.
func matchKey(v any) string {
	switch x := v.(type) {
	case int:
		return strconv.FormatFloat(float64(x), 'g', -1, 64)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	return fmt.Sprintf("%T:%s", v, value.Plain(v))
}

func toNumber(v any) (float64, bool) {
	switch x := v.(type) {
	case int:
		return float64(x), true
	case float64:
		return x, !math.IsNaN(x) && !math.IsInf(x, 0)
	}
	return 0, false
}

func (m *mapBuilder) choropleth() (*option, error) {
	s, t, g := m.s, m.t, m.g
	for _, f := range g.Collection.Features {
		if _, ok := f.Geometry.(orb.Point); ok {
			return nil, position.Errorf(s.Pos, "map of %q: %s of dataset %q is a Point; a choropleth fills areas (draw points with type: points)", t.Name, f.Name(), s.Geo)
		}
	}
	// The areas by key; a key may name several features (a state drawn
	// in two parts), and a feature with a null key matches nothing.
	byKey := map[string][]int{}
	for i, row := range g.Rows {
		if k := row[s.GeoKey.Index]; k != nil {
			byKey[matchKey(k)] = append(byKey[matchKey(k)], i)
		}
	}
	values := make([]any, len(g.Rows))
	hasRow := make([]bool, len(g.Rows))
	rowOf := map[string]int{}
	var lo, hi float64
	some := false
	for r, row := range t.Rows {
		k, v := row[s.Key.Index], row[s.Value.Index]
		if v != nil {
			f, ok := toNumber(v)
			if !ok {
				return nil, position.Errorf(s.Value.Pos, "column %q in map value holds %s in row %d of view %q; a map colours areas by a finite number (guard it in the view)",
					s.Value.Name, value.Describe(v), r+1, t.Name)
			}
			if !some {
				lo, hi, some = f, f, true
			}
			lo, hi = min(lo, f), max(hi, f)
		}
		if k == nil {
			return nil, position.Errorf(s.Key.Pos, "column %q in map key is empty in row %d of view %q; every row names its area (filter it out in the view: where: %s != nil)", s.Key.Name, r+1, t.Name, s.Key.Name)
		}
		mk := matchKey(k)
		if r0, dup := rowOf[mk]; dup {
			return nil, position.Errorf(s.Key.Pos, "key %q occurs in rows %d and %d of view %q; a map needs one row per area (aggregate the view with group_by: [%s])",
				value.Plain(k), r0+1, r+1, t.Name, s.Key.Name)
		}
		rowOf[mk] = r
		areas, ok := byKey[mk]
		if !ok {
			if !s.ShowUnmatched {
				return nil, position.Errorf(s.Key.Pos, "key %q in row %d of view %q matches no area: no feature of dataset %q has %s %q (fix the key, filter the row out, or write unmatched: show to count such rows under the map)",
					value.Plain(k), r+1, t.Name, s.Geo, s.GeoKey.Name, value.Plain(k))
			}
			m.d.Unmatched = append(m.d.Unmatched, k)
			continue
		}
		for _, a := range areas {
			values[a], hasRow[a] = v, true
		}
	}

	// Colours: classes by bins, or a continuous ramp from the lowest value
	// to the highest.
	var classes []LegendEntry
	if len(s.Bins) > 1 {
		n := len(s.Bins) - 1
		for i := 0; i < n; i++ {
			label := s.Labels[s.BinText[i]]
			if label == "" {
				lower, upper := m.nf.Text(s.Bins[i]), m.nf.Text(s.Bins[i+1])
				if i < n-1 {
					label = lower + " to under " + upper + m.unit
				} else {
					label = lower + " to " + upper + m.unit
				}
			}
			tt := 0.5
			if n > 1 {
				tt = 0.12 + 0.88*float64(i)/float64(n-1)
			}
			classes = append(classes, LegendEntry{Label: label, Color: ramp(tt)})
		}
	}
	noData := s.Labels[NoDataLabel]
	if noData == "" {
		noData = "No data"
	}
	missing := 0
	data := make([]any, 0, len(g.Rows))
	for i := range g.Rows {
		name := m.featureText(i)
		area := MapArea{Value: values[i], Text: m.value(values[i])}
		if k := s.GeoKey.Index; k >= 0 {
			area.Key = g.Rows[i][k]
		}
		v, _ := toNumber(values[i])
		switch {
		case values[i] == nil:
			missing++
			area.Class, area.Color, area.Text = noData, NoDataColor, noData
			if hasRow[i] {
				area.Text = value.NullText
			}
		case len(classes) > 0:
			c := binOf(s.Bins, v)
			if c < 0 {
				return nil, position.Errorf(s.BinsPos, "map of %q: the value %s of %q lies outside the bins (%s to %s); widen the bins to hold every value",
					t.Name, m.value(values[i]), name, s.BinText[0], s.BinText[len(s.BinText)-1])
			}
			area.Class, area.Color = classes[c].Label, classes[c].Color
		default:
			tt := 0.5
			if hi > lo {
				tt = (v - lo) / (hi - lo)
			}
			area.Color = ramp(tt)
		}
		m.d.Areas = append(m.d.Areas, area)
		data = append(data, mapItem{
			MapData:   opts.MapData{Name: areaName(i), Value: scalarOrNil(values[i])},
			ItemStyle: &opts.ItemStyle{AreaColor: area.Color},
			Emphasis:  &opts.Emphasis{ItemStyle: &opts.ItemStyle{AreaColor: area.Color}},
			Tooltip:   tip("<b>", tipText(name), "</b><br/>", tipText(area.Text)),
		})
	}
	if len(classes) > 0 {
		m.d.Legend = classes
	} else if some {
		stops := make([]string, 5)
		for i := range stops {
			stops[i] = ramp(float64(i) / 4)
		}
		m.d.Legend = []LegendEntry{{Label: m.value(lo), High: m.value(hi), Stops: stops}}
	}
	if missing > 0 {
		m.d.Legend = append(m.d.Legend, LegendEntry{Label: noData, Color: NoDataColor, NoData: true})
	}

	m.project(nil)
	for i, shape := range m.drawing.Shapes {
		if shape == nil {
			m.d.NotDrawn = append(m.d.NotDrawn, m.featureText(i))
		}
	}
	series := newSeries(types.ChartMap, "", data,
		charts.WithItemStyleOpts(opts.ItemStyle{AreaColor: NoDataColor, BorderColor: outlineColor, BorderWidth: 0.6}),
		charts.WithEmphasisOpts(opts.Emphasis{Label: &opts.Label{Show: opts.Bool(false)}, ItemStyle: &opts.ItemStyle{BorderColor: "#1a1a1a", BorderWidth: 1.2}}))
	series.MapType, series.Roam, series.SelectedMode = m.id, opts.Bool(false), opts.Bool(false)
	// The margins, as go-echarts writes them: strings, which ECharts reads
	// as pixels, as it does numbers (parsePercent).
	series.Left, series.Right, series.Top, series.Bottom = "4", "4", "4", "4"
	series.AspectScale = 1
	series.Label = &label{Label: opts.Label{Show: opts.Bool(false)}}
	return m.options(series, nil, m.describeAreas()), nil
}

// binOf is the class of v: each bin holds its lower edge, the last its
// upper edge too; -1 outside them all.
func binOf(edges []float64, v float64) int {
	n := len(edges) - 1
	for i := 0; i < n; i++ {
		if v >= edges[i] && (v < edges[i+1] || i == n-1 && v == edges[i+1]) {
			return i
		}
	}
	return -1
}

func scalarOrNil(v any) any {
	switch v.(type) {
	case int, float64:
		return v
	}
	return nil
}

func (m *mapBuilder) points() (*option, error) {
	s, t := m.s, m.t
	places := make([][2]float64, len(t.Rows))
	var sizes []float64
	maxSize := 0.0
	for r, row := range t.Rows {
		for _, c := range []Column{s.Lat, s.Lon} {
			f, ok := toNumber(row[c.Index])
			if !ok {
				return nil, position.Errorf(c.Pos, "column %q in map %s is %s in row %d of view %q; every point needs a latitude and a longitude (filter it out in the view: where: %s != nil)",
					c.Name, map[bool]string{true: "lat", false: "lon"}[c == s.Lat], value.Describe(row[c.Index]), r+1, t.Name, c.Name)
			}
			if c == s.Lat && (f < -90 || f > 90) || c == s.Lon && (f < -180 || f > 180) {
				return nil, position.Errorf(c.Pos, "column %q is %s in row %d of view %q, outside the range of a %s in degrees (are lat and lon swapped?)",
					c.Name, value.Plain(row[c.Index]), r+1, t.Name, map[bool]string{true: "latitude, -90 to 90", false: "longitude, -180 to 180"}[c == s.Lat])
			}
		}
		lat, _ := toNumber(row[s.Lat.Index])
		lon, _ := toNumber(row[s.Lon.Index])
		places[r] = [2]float64{lon, lat}
		if s.Size.Index >= 0 {
			f, ok := toNumber(row[s.Size.Index])
			if !ok || f < 0 {
				what := value.Describe(row[s.Size.Index])
				if ok {
					what = value.Plain(row[s.Size.Index])
				}
				return nil, position.Errorf(s.Size.Pos, "column %q in map size is %s in row %d of view %q; a circle's area shows a number of at least 0 (filter the row out, or fill it, in the view)",
					s.Size.Name, what, r+1, t.Name)
			}
			sizes = append(sizes, f)
			maxSize = max(maxSize, f)
		}
	}
	m.project(places)
	diameter := func(v float64) float64 {
		if maxSize <= 0 {
			return minDiameter
		}
		return math.Round(max(minDiameter, maxDiameter*math.Sqrt(v/maxSize))*10) / 10
	}
	labelled := s.Key.Index >= 0 && len(t.Rows) <= MaxPointLabels
	var data []pointItem
	for r, row := range t.Rows {
		x, y, ok := m.drawing.Point(places[r][0], places[r][1])
		if !ok {
			return nil, position.Errorf(s.Lat.Pos, "row %d of view %q (latitude %s, longitude %s) lies outside the %s projection; filter it out in the view, or use another projection:",
				r+1, t.Name, value.Plain(row[s.Lat.Index]), value.Plain(row[s.Lon.Index]), m.d.Projection)
		}
		name := ""
		if s.Key.Index >= 0 {
			name = value.Plain(row[s.Key.Index])
			if row[s.Key.Index] == nil {
				name = value.NullText
			}
		}
		lines := []string{}
		if name != "" {
			lines = append(lines, "<b>"+tipText(name)+"</b>")
		}
		size := plainDiameter
		if s.Size.Index >= 0 {
			size = diameter(sizes[r])
			lines = append(lines, tipText(s.Size.Name)+": "+tipText(m.value(row[s.Size.Index])))
		}
		lines = append(lines, tipText(s.Lat.Name)+": "+tipText(value.Plain(row[s.Lat.Index]))+", "+tipText(s.Lon.Name)+": "+tipText(value.Plain(row[s.Lon.Index])))
		data = append(data, pointItem{ScatterData: opts.ScatterData{Name: name, Value: []float64{x, y}}, SymbolSize: size,
			Tooltip: tip(strings.Join(lines, "<br/>"))})
	}
	m.d.Points = len(data)
	if s.Size.Index >= 0 && maxSize > 0 {
		small := niceBelow(maxSize / 4)
		for _, v := range []float64{maxSize, small} {
			if v > 0 {
				m.d.Legend = append(m.d.Legend, LegendEntry{Label: m.nf.Text(v) + m.unit, Diameter: diameter(v)})
			}
		}
	}
	for i, shape := range m.drawing.Shapes {
		if shape == nil {
			if _, point := m.g.Collection.Features[i].Geometry.(orb.Point); !point {
				m.d.NotDrawn = append(m.d.NotDrawn, m.featureText(i))
			}
		}
	}
	var items []any // null when no row has a point
	for _, it := range data {
		items = append(items, it)
	}
	scatter := newSeries(types.ChartScatter, "", items,
		charts.WithScatterChartOpts(opts.ScatterChart{CoordSystem: types.ChartGeo, Symbol: "circle"}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: Palette[0], Opacity: opts.Float(0.78), BorderColor: "#ffffff", BorderWidth: 1}))
	if labelled {
		scatter.Label = &label{Label: opts.Label{Show: opts.Bool(true), Formatter: "{b}", Position: "right",
			Color: "#1a1a1a", FontSize: 13, FontWeight: "bold", LineHeight: 16}, Distance: 6, TextBorderColor: "#ffffff", TextBorderWidth: 3}
	}
	outlines := &geoComponent{
		GeoComponent: opts.GeoComponent{Map: m.id, Silent: opts.Bool(true),
			ItemStyle: &opts.ItemStyle{AreaColor: landColor, BorderColor: landBorder, BorderWidth: 0.8}},
		AspectScale: 1, Roam: opts.Bool(false), SelectedMode: opts.Bool(false),
		Left: 4, Right: 4, Top: 4, Bottom: 4,
		Label:    &label{Label: opts.Label{Show: opts.Bool(false)}},
		Emphasis: &emphasis{Disabled: true},
	}
	return m.options(scatter, outlines, m.describePoints(data)), nil
}

// niceBelow is a round number (1, 2 or 5 times a power of ten) at most v.
func niceBelow(v float64) float64 {
	if v <= 0 {
		return 0
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, k := range []float64{5, 2, 1} {
		if k*p <= v {
			return k * p
		}
	}
	return p
}

// options wraps a series (and, for points, the geo component that draws
// the outlines) in the option object every chart has.
func (m *mapBuilder) options(s *series, geoComponent *geoComponent, desc string) *option {
	return &option{
		Animation: opts.Bool(false),
		Title:     &opts.Title{Show: opts.Bool(false)},
		Tooltip:   &tooltip{Tooltip: opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}},
		Aria:      ariaOf(desc),
		Color:     opts.Colors(Palette),
		Series:    []*series{s},
		Geo:       geoComponent,
	}
}

func (m *mapBuilder) describeStart(kind string) *strings.Builder {
	var d strings.Builder
	d.WriteString(kind)
	if m.s.Title != "" {
		d.WriteString(": " + strings.TrimRight(m.s.Title, "."))
	}
	d.WriteString(".")
	if m.s.Subtitle != "" {
		d.WriteString(" " + strings.TrimRight(m.s.Subtitle, ".") + ".")
	}
	d.WriteString(" Projection: " + geo.Title(m.d.Projection) + ".")
	return &d
}

func (m *mapBuilder) describeAreas() string {
	d := m.describeStart("Map")
	fmt.Fprintf(d, " %s by %s, %d areas.", sentence(m.s.Value.Name), m.s.GeoKey.Name, len(m.d.Areas))
	n := min(len(m.d.Areas), ariaPoints)
	parts := make([]string, 0, n)
	for i := 0; i < n; i++ {
		parts = append(parts, m.featureText(i)+" "+m.d.Areas[i].Text)
	}
	if n > 0 {
		d.WriteString(" " + strings.Join(parts, "; "))
		if n < len(m.d.Areas) {
			fmt.Fprintf(d, "; and %d more", len(m.d.Areas)-n)
		}
		d.WriteString(".")
	}
	return d.String()
}

func (m *mapBuilder) describePoints(data []pointItem) string {
	d := m.describeStart("Map of points")
	fmt.Fprintf(d, " %d points.", len(data))
	var parts []string
	for i, it := range data {
		if i == ariaPoints {
			parts = append(parts, fmt.Sprintf("and %d more", len(data)-i))
			break
		}
		if it.Name != "" {
			parts = append(parts, it.Name)
		}
	}
	if len(parts) > 0 {
		d.WriteString(" " + strings.Join(parts, "; ") + ".")
	}
	return d.String()
}

// ramp is the colour at t (0 to 1) of the map's sequential scale,
// interpolated in the OKLab colour space so that equal steps of value look
// like equal steps of colour.
func ramp(t float64) string {
	t = min(max(t, 0), 1)
	a, b := oklab(rampLow), oklab(rampHigh)
	var mix [3]float64
	for i := range mix {
		mix[i] = a[i] + (b[i]-a[i])*t
	}
	rgb := fromOklab(mix)
	return fmt.Sprintf("#%02x%02x%02x", rgb[0], rgb[1], rgb[2])
}

func linear(c float64) float64 {
	c /= 255
	if c <= 0.04045 {
		return c / 12.92
	}
	return math.Pow((c+0.055)/1.055, 2.4)
}

func gamma(c float64) int {
	if c <= 0.0031308 {
		c *= 12.92
	} else {
		c = 1.055*math.Pow(c, 1/2.4) - 0.055
	}
	return int(math.Round(min(max(c, 0), 1) * 255))
}

// oklab and fromOklab convert between sRGB (0-255) and OKLab (Björn
// Ottosson, 2020).
func oklab(rgb [3]float64) [3]float64 {
	r, g, b := linear(rgb[0]), linear(rgb[1]), linear(rgb[2])
	l := math.Cbrt(0.4122214708*r + 0.5363325363*g + 0.0514459929*b)
	m := math.Cbrt(0.2119034982*r + 0.6806995451*g + 0.1073969566*b)
	s := math.Cbrt(0.0883024619*r + 0.2817188376*g + 0.6299787005*b)
	return [3]float64{
		0.2104542553*l + 0.7936177850*m - 0.0040720468*s,
		1.9779984951*l - 2.4285922050*m + 0.4505937099*s,
		0.0259040371*l + 0.7827717662*m - 0.8086757660*s,
	}
}

func fromOklab(c [3]float64) [3]int {
	l := c[0] + 0.3963377774*c[1] + 0.2158037573*c[2]
	m := c[0] - 0.1055613458*c[1] - 0.0638541728*c[2]
	s := c[0] - 0.0894841775*c[1] - 1.2914855480*c[2]
	l, m, s = l*l*l, m*m*m, s*s*s
	return [3]int{
		gamma(4.0767416621*l - 3.3077115913*m + 0.2309699292*s),
		gamma(-1.2684380046*l + 2.6097574011*m - 0.3413193965*s),
		gamma(-0.0041960863*l - 0.7034186147*m + 1.7076147010*s),
	}
}
