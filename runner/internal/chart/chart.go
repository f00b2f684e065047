package chart

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/go-echarts/go-echarts/v2/types"

	"galley/runner/internal/analysis"
	"galley/runner/internal/position"
	"galley/runner/internal/table"
	"galley/runner/internal/value"
)

// Palette is the series colour cycle: a sober newsroom palette, dark blue
// first, set explicitly so that no ECharts default leaks in.
var Palette = []string{
	"#1f4e79", // dark blue
	"#d0743c", // burnt orange
	"#5b8c5a", // muted green
	"#8e6c8a", // mauve
	"#c9a227", // ochre
	"#4d4d4d", // charcoal
	"#6fa8c9", // light blue
	"#a4473f", // brick
}

var idRE = regexp.MustCompile(`^[A-Za-z0-9_]+$`)

// Options builds the ECharts option object for one chart cell over its data
// table and returns it as JSON safe to place inside a
// <script type="application/json"> element: encoding/json escapes every <,
// > and & as \u003c, \u003e and \u0026, and the output is verified to hold
// no "</". id is [A-Za-z0-9_]+, derived by the caller from the analysis and
// the chart's position; it is set as the ChartID so that nothing random is
// used. The same cell, table and id always give the same bytes.
//
// Errors are *position.Error values (or a position.List from Check) at the
// chart's positions in the analysis.
func Options(c *Spec, t *table.Table, id string) ([]byte, error) {
	if c == nil || t == nil {
		return nil, fmt.Errorf("chart: Options needs a chart and its table")
	}
	if !idRE.MatchString(id) {
		return nil, position.Errorf(c.Pos, "internal error: chart id %q is not made of [A-Za-z0-9_]", id)
	}
	b, err := newBuilder(c, t)
	if err != nil {
		return nil, err
	}
	obj, err := b.build(id)
	if err != nil {
		return nil, err
	}
	out, err := json.Marshal(obj)
	if err == nil {
		out, err = b.tune(out)
	}
	if err != nil {
		return nil, position.Errorf(c.Pos, "internal error: cannot write the chart's options as JSON: %v", err)
	}
	if bytes.Contains(out, []byte("</")) || bytes.Contains(out, []byte("__f__")) {
		return nil, position.Errorf(c.Pos, "internal error: the chart's options are not safe to embed in the page")
	}
	return out, nil
}

type axisKind int

const (
	axisCategory axisKind = iota
	axisTime
	axisValue
)

// builder holds one chart cell resolved against its table.
type builder struct {
	s    *Spec
	t    *table.Table
	kind string
	xi   int   // x column
	yi   []int // y columns
	si   int   // series column, -1 for wide data
	x    axisKind
	nf   value.Format
	unit string // the unit's suffix, "" or "%" or " km"

	xName, yName string // what x and y are called in tooltips and the aria description
	xAxisName    string // the name printed on the x (category) axis, often none
}

func newBuilder(c *Spec, t *table.Table) (*builder, error) {
	b := &builder{s: c, t: t, kind: c.Type, xi: c.X.Index, si: c.Series.Index, unit: unitSuffix(c.Unit), nf: c.Format}
	for _, y := range c.Y {
		b.yi = append(b.yi, y.Index)
	}
	// A category or date axis speaks for itself; a scatter's x is a
	// measure and is named by its column unless x_label says otherwise.
	b.xName = c.X.Name
	if c.Type == "scatter" {
		b.xAxisName = c.X.Name
	}
	if c.XLabel.Set {
		b.xName, b.xAxisName = c.XLabel.Text, c.XLabel.Text
	}
	if c.YLabel.Set {
		b.yName = c.YLabel.Text
	} else {
		names := make([]string, len(c.Y))
		for i, y := range c.Y {
			names[i] = y.Name
		}
		b.yName = strings.Join(names, ", ")
	}

	// Every y value must be a finite number or null.
	for j, yi := range b.yi {
		for r, row := range t.Rows {
			v := row[yi]
			switch {
			case v == nil:
			case !isNumber(v):
				return nil, position.Errorf(c.Y[j].Pos, "column %q in chart y holds %q (%s) in row %d of view %q; a chart plots numbers (convert it in the view)",
					c.Y[j].Name, value.Text(v), value.Describe(v), r+1, t.Name)
			case !finite(v):
				return nil, position.Errorf(c.Y[j].Pos, "column %q in chart y is %s in row %d of view %q, which a chart cannot plot (a division by zero? guard it in the view)",
					c.Y[j].Name, value.Plain(v), r+1, t.Name)
			}
		}
	}

	b.x = b.xAxisKind()
	if b.x != axisCategory {
		axis := "a time axis"
		if b.x == axisValue {
			axis = "a value axis"
		}
		for r, row := range t.Rows {
			if row[b.xi] == nil {
				return nil, position.Errorf(c.X.Pos, "column %q in chart x is empty in row %d of view %q, and %s cannot place it (filter it out in the view: where: %s != nil)",
					c.X.Name, r+1, t.Name, axis, c.X.Name)
			}
		}
	}
	return b, nil
}

// xAxisKind chooses the x axis: a time axis for dates, a value axis for the
// numbers of a scatter chart, categories otherwise (and always for pie and
// horizontal bars).
func (b *builder) xAxisKind() axisKind {
	if b.kind == "pie" || b.s.Horizontal {
		return axisCategory
	}
	typ := b.t.Columns[b.xi].Type
	switch {
	case typ == analysis.TypeDate:
		return axisTime
	case b.kind == "scatter" && (typ == analysis.TypeInt || typ == analysis.TypeFloat):
		return axisValue
	case typ != analysis.TypeAny:
		return axisCategory
	}
	// A computed column of unknown type: decide by its values.
	allTime, allNum, some := true, true, false
	for _, row := range b.t.Rows {
		v := row[b.xi]
		if v == nil {
			continue
		}
		some = true
		if _, ok := v.(time.Time); !ok {
			allTime = false
		}
		if !isNumber(v) || !finite(v) {
			allNum = false
		}
	}
	switch {
	case some && allTime:
		return axisTime
	case some && allNum && b.kind == "scatter":
		return axisValue
	}
	return axisCategory
}

// label is the text of a category, series or slice.
func label(v any) string {
	if v == nil {
		return value.NullText
	}
	return value.Plain(v)
}

func dateText(v any) string { return value.Plain(v) }

// value prints a y value with the chart's format and unit.
func (b *builder) value(v any) string {
	if v == nil {
		return value.NullText
	}
	return b.nf.Text(v) + b.unit
}

// pieShare prints a slice's share of the pie.
var pieShare = value.MustFormat("0.0%")

// item is one data point carrying its own tooltip text; null points are
// written as a bare null (or a [x, null] pair) instead, which ECharts draws
// as a gap.
type item struct {
	Name    string   `json:"name,omitempty"`
	Value   any      `json:"value"`
	Tooltip *tooltip `json:"tooltip,omitempty"`
}

type tooltip struct {
	Formatter string `json:"formatter"`
}

func tip(parts ...string) *tooltip {
	return &tooltip{Formatter: strings.Join(parts, "")}
}

// series is one drawn series: its ECharts data and, for the aria
// description, its points as text.
type series struct {
	name  string
	data  []any
	desc  []string
	dates []string // on a time axis, the date of each point in data
}

// ariaPoints bounds the points per series, and ariaSeries the series, that
// the aria description spells out; the page's data table has them all.
const (
	ariaPoints = 30
	ariaSeries = 10
)

func (b *builder) dupError(r1, r2 int, x string) error {
	return position.Errorf(b.s.X.Pos, "x value %q occurs in rows %d and %d of view %q; %s chart needs one row per x value (aggregate the view with group_by: [%s])",
		x, r1+1, r2+1, b.t.Name, withArticle(b.kind), b.s.X.Name)
}

func (b *builder) pairDupError(r1, r2 int, x, s string) error {
	return position.Errorf(b.s.Series.Pos, "x value %q with series value %q occurs in rows %d and %d of view %q; %s chart needs one row per pair (aggregate the view with group_by: [%s, %s])",
		x, s, r1+1, r2+1, b.t.Name, withArticle(b.kind), b.s.X.Name, b.s.Series.Name)
}

// groups splits the table into the drawn series: one per y column, or
// with series: one per distinct value of that column in order of first
// appearance. Each group lists its row indexes and the y column to read.
type group struct {
	name string
	yi   int
	rows []int
}

func (b *builder) groups() []group {
	if b.si < 0 {
		gs := make([]group, len(b.yi))
		all := make([]int, len(b.t.Rows))
		for r := range all {
			all[r] = r
		}
		for j, yi := range b.yi {
			gs[j] = group{name: b.s.Y[j].Name, yi: yi, rows: all}
		}
		return gs
	}
	var gs []group
	at := map[string]int{}
	for r, row := range b.t.Rows {
		name := label(row[b.si])
		k, ok := at[name]
		if !ok {
			k = len(gs)
			at[name] = k
			gs = append(gs, group{name: name, yi: b.yi[0]})
		}
		gs[k].rows = append(gs[k].rows, r)
	}
	return gs
}

// categorySeries lays the data out on a category axis: categories in order
// of first appearance, one value per category and series (null where a
// series has no row for a category).
func (b *builder) categorySeries() ([]string, []series, error) {
	var cats []string
	catAt := map[string]int{}
	firstRow := map[string]int{}
	for r, row := range b.t.Rows {
		x := label(row[b.xi])
		if _, ok := catAt[x]; ok {
			if b.si < 0 {
				return nil, nil, b.dupError(firstRow[x], r, x)
			}
			continue
		}
		catAt[x] = len(cats)
		firstRow[x] = r
		cats = append(cats, x)
	}
	var out []series
	for _, g := range b.groups() {
		vals := make([]any, len(cats))
		seen := make([]int, len(cats))
		for i := range seen {
			seen[i] = -1
		}
		for _, r := range g.rows {
			row := b.t.Rows[r]
			k := catAt[label(row[b.xi])]
			if seen[k] >= 0 {
				return nil, nil, b.pairDupError(seen[k], r, cats[k], g.name)
			}
			seen[k] = r
			vals[k] = row[g.yi]
		}
		s := series{name: g.name, data: make([]any, len(cats))}
		for k, v := range vals {
			if v != nil {
				s.data[k] = item{Value: b.nf.Scaled(v), Tooltip: tip("<b>", tipText(cats[k]), "</b><br/>", tipText(g.name), ": ", tipText(b.value(v)))}
			}
			if seen[k] >= 0 {
				s.desc = append(s.desc, cats[k]+" "+b.value(v))
			}
		}
		out = append(out, s)
	}
	return cats, out, nil
}

// timeSeries lays the data out on a time axis: [YYYY-MM-DD, y] pairs,
// sorted by date within each series (a stable sort, so the view's order
// breaks no tie: a date occurs at most once per series).
func (b *builder) timeSeries() ([]series, error) {
	var out []series
	for _, g := range b.groups() {
		rows := append([]int(nil), g.rows...)
		sort.SliceStable(rows, func(i, j int) bool {
			return b.t.Rows[rows[i]][b.xi].(time.Time).Before(b.t.Rows[rows[j]][b.xi].(time.Time))
		})
		s := series{name: g.name}
		for i, r := range rows {
			row := b.t.Rows[r]
			d := dateText(row[b.xi])
			if i > 0 {
				if prev := rows[i-1]; dateText(b.t.Rows[prev][b.xi]) == d {
					r1, r2 := min(prev, r), max(prev, r)
					if b.si >= 0 {
						return nil, b.pairDupError(r1, r2, d, g.name)
					}
					return nil, b.dupError(r1, r2, d)
				}
			}
			v := row[g.yi]
			if v == nil {
				s.data = append(s.data, []any{d, nil})
			} else {
				s.data = append(s.data, item{Value: []any{d, b.nf.Scaled(v)}, Tooltip: tip("<b>", tipText(d), "</b><br/>", tipText(g.name), ": ", tipText(b.value(v)))})
			}
			s.desc = append(s.desc, d+" "+b.value(v))
			s.dates = append(s.dates, d)
		}
		out = append(out, s)
	}
	if b.s.Stack && len(out) > 1 {
		alignDates(out)
	}
	return out, nil
}

// alignDates gives every series a point at every date of any series, null
// where it has none: ECharts stacks the points of a time axis by their
// index, not their date, so series of different lengths would stack one
// month's bar on another's.
func alignDates(ss []series) {
	seen := map[string]bool{}
	var all []string
	for _, s := range ss {
		for _, d := range s.dates {
			if !seen[d] {
				seen[d] = true
				all = append(all, d)
			}
		}
	}
	sort.Strings(all) // YYYY-MM-DD sorts as dates do
	for i := range ss {
		at := map[string]any{}
		for j, d := range ss[i].dates {
			at[d] = ss[i].data[j]
		}
		data := make([]any, len(all))
		for j, d := range all {
			if v, ok := at[d]; ok {
				data[j] = v
			} else {
				data[j] = []any{d, nil}
			}
		}
		ss[i].data, ss[i].dates = data, all
	}
}

// scatterSeries lays the data out as [x, y] points in row order; x is a
// category name, a date or a number depending on the axis.
func (b *builder) scatterSeries() ([]string, []series) {
	var cats []string
	if b.x == axisCategory {
		seen := map[string]bool{}
		for _, row := range b.t.Rows {
			if x := label(row[b.xi]); !seen[x] {
				seen[x] = true
				cats = append(cats, x)
			}
		}
	}
	var out []series
	for _, g := range b.groups() {
		s := series{name: g.name}
		for _, r := range g.rows {
			row := b.t.Rows[r]
			var x any
			var xs string
			switch b.x {
			case axisTime:
				x = dateText(row[b.xi])
				xs = x.(string)
			case axisValue:
				x = row[b.xi]
				xs = value.Text(x)
			default:
				x = label(row[b.xi])
				xs = x.(string)
			}
			v := row[g.yi]
			if v == nil {
				s.data = append(s.data, []any{x, nil})
			} else {
				s.data = append(s.data, item{Value: []any{x, b.nf.Scaled(v)}, Tooltip: tip(
					"<b>", tipText(g.name), "</b><br/>",
					tipText(b.xName), ": ", tipText(xs), "<br/>",
					tipText(b.yName), ": ", tipText(b.value(v)))})
			}
			s.desc = append(s.desc, "("+xs+", "+b.value(v)+")")
		}
		out = append(out, s)
	}
	return cats, out
}

// pieSeries makes one slice per row, named by x.
func (b *builder) pieSeries() (series, error) {
	yi := b.yi[0]
	var sum float64
	seen := map[string]int{}
	for r, row := range b.t.Rows {
		name := label(row[b.xi])
		if r0, ok := seen[name]; ok {
			return series{}, b.dupError(r0, r, name)
		}
		seen[name] = r
		f, ok := toFloat(row[yi])
		if ok {
			sum += f
		}
		if ok && f < 0 {
			return series{}, position.Errorf(b.s.Y[0].Pos, "column %q is negative (%s) in row %d of view %q; a pie shows the parts of a whole (use a bar chart)",
				b.s.Y[0].Name, value.Plain(row[yi]), r+1, b.t.Name)
		}
	}
	s := series{name: b.s.Y[0].Name}
	for _, row := range b.t.Rows {
		name := label(row[b.xi])
		v := row[yi]
		if v == nil {
			s.data = append(s.data, item{Name: name, Value: nil})
			s.desc = append(s.desc, name+" "+b.value(nil))
			continue
		}
		text := b.value(v)
		if f, _ := toFloat(v); sum > 0 {
			text += " (" + pieShare.Text(f/sum) + ")"
		}
		s.data = append(s.data, item{Name: name, Value: b.nf.Scaled(v), Tooltip: tip("<b>", tipText(name), "</b><br/>", tipText(text))})
		s.desc = append(s.desc, name+" "+text)
	}
	return s, nil
}

func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case int:
		return float64(x), true
	case float64:
		return x, true
	}
	return math.NaN(), false
}

// legendHeight is the size, in pixels, of the legend above the plot (the
// page prints the title and subtitle above the chart).
const legendHeight = 28

// grid is written by hand: go-echarts types its margins as strings.
type grid struct {
	Left         int  `json:"left"`
	Right        int  `json:"right"`
	Top          int  `json:"top"`
	Bottom       int  `json:"bottom"`
	ContainLabel bool `json:"containLabel"`
}

// tune sets the options go-echarts has no field for, on the written
// JSON: the page prints the title and subtitle above the chart, so the
// canvas does not repeat them; every category label shows, wrapped when
// long, instead of ECharts dropping the ones that would overlap; value
// labels that would collide on a narrow screen are hidden.
func (b *builder) tune(in []byte) ([]byte, error) {
	var m map[string]any
	if err := json.Unmarshal(in, &m); err != nil {
		return nil, err
	}
	m["title"] = map[string]any{"show": false}
	if b.kind != "pie" {
		catAxis, valAxis := "xAxis", "yAxis"
		width := 96
		if b.s.Horizontal {
			catAxis, valAxis, width = "yAxis", "xAxis", 140
		}
		label := func(axis string) map[string]any {
			list, _ := m[axis].([]any)
			if len(list) == 0 {
				return nil
			}
			a, _ := list[0].(map[string]any)
			if a == nil {
				return nil
			}
			l, _ := a["axisLabel"].(map[string]any)
			if l == nil {
				l = map[string]any{}
				a["axisLabel"] = l
			}
			return l
		}
		if b.x == axisCategory && b.kind != "scatter" {
			if l := label(catAxis); l != nil {
				l["interval"] = 0
				l["overflow"] = "break"
				l["width"] = width
			}
		}
		if l := label(valAxis); l != nil {
			l["hideOverlap"] = true
		}
	}
	return json.Marshal(m)
}

func (b *builder) build(id string) (map[string]any, error) {
	var (
		ss   []series
		cats []string
		err  error
	)
	switch {
	case b.kind == "pie":
		var s series
		s, err = b.pieSeries()
		ss = []series{s}
	case b.kind == "scatter":
		cats, ss = b.scatterSeries()
	case b.x == axisTime:
		ss, err = b.timeSeries()
	default:
		cats, ss, err = b.categorySeries()
	}
	if err != nil {
		return nil, err
	}

	legend := opts.Legend{Show: opts.Bool(false)}
	legendH := 0
	if b.kind != "pie" && len(ss) > 1 {
		legend = opts.Legend{Show: opts.Bool(true), Type: "scroll", Left: "0", Top: "0"}
		legendH = legendHeight
	}

	global := []charts.GlobalOpts{
		charts.WithInitializationOpts(opts.Initialization{ChartID: id}),
		charts.WithAnimation(false),
		charts.WithColorsOpts(Palette),
		charts.WithLegendOpts(legend),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithAriaOpts(&opts.Aria{
			Enabled: opts.Bool(true),
			Label:   &opts.AriaLabel{Enabled: opts.Bool(true), Description: b.describe(ss)},
			Decal:   &opts.AriaDecal{Show: opts.Bool(false)},
		}),
	}

	var obj map[string]any
	if b.kind == "pie" {
		pie := charts.NewPie()
		pie.SetGlobalOptions(global...)
		center := []string{"50%", "50%"}
		pie.AddSeries(ss[0].name, nil,
			charts.WithPieChartOpts(opts.PieChart{Radius: "60%", Center: center}))
		pie.MultiSeries[0].Data = ss[0].data
		pie.Validate()
		obj = pie.JSON()
	} else {
		obj = b.buildRect(global, cats, ss, legendH)
	}
	delete(obj, "toolbox")
	obj["color"] = Palette
	return obj, nil
}

// buildRect builds a bar, line, area or scatter chart; top is the height
// taken by the title, subtitle and legend.
func (b *builder) buildRect(global []charts.GlobalOpts, cats []string, ss []series, top int) map[string]any {
	c := b.s
	var valueLabel *opts.AxisLabel
	if b.nf.Percent || b.unit != "" {
		tpl := "{value}"
		if b.nf.Percent {
			tpl += "%"
		}
		valueLabel = &opts.AxisLabel{Formatter: types.FuncStr(tpl + b.unit)}
	}
	xAxis := opts.XAxis{Name: b.xAxisName, NameLocation: "middle", NameGap: 30}
	yAxis := opts.YAxis{Name: b.yName, NameLocation: "end", Type: "value", AxisLabel: valueLabel}
	switch b.x {
	case axisTime:
		xAxis.Type = "time"
	case axisValue:
		xAxis.Type = "value"
		xAxis.AxisLabel = nil
	default:
		xAxis.Type = "category"
	}
	if b.kind == "scatter" {
		xAxis.Scale = opts.Bool(true)
		yAxis.Scale = opts.Bool(true)
	}
	if c.Horizontal {
		// Categories run down the y axis, first row at the top.
		xAxis = opts.XAxis{Name: b.yName, NameLocation: "middle", NameGap: 30, Type: "value", AxisLabel: valueLabel}
		yAxis = opts.YAxis{Name: b.xAxisName, NameLocation: "start", Type: "category", Inverse: opts.Bool(true)}
	}
	global = append(global, charts.WithXAxisOpts(xAxis), charts.WithYAxisOpts(yAxis))

	var (
		rc     *charts.RectChart
		valid  func()
		add    func(name string)
		stack  string
		xNames any
	)
	if c.Stack {
		stack = "total"
	}
	if cats != nil {
		xNames = cats
	} else if b.x == axisCategory {
		xNames = []string{}
	}
	switch b.kind {
	case "bar":
		ch := charts.NewBar()
		rc, valid = &ch.RectChart, ch.Validate
		if xNames != nil {
			ch.SetXAxis(xNames)
		}
		if c.Horizontal {
			ch.XYReversal()
		}
		add = func(name string) {
			ch.AddSeries(name, nil, charts.WithBarChartOpts(opts.BarChart{Stack: stack}))
		}
	case "line", "area":
		ch := charts.NewLine()
		rc, valid = &ch.RectChart, ch.Validate
		if xNames != nil {
			ch.SetXAxis(xNames)
		}
		add = func(name string) {
			o := []charts.SeriesOpts{charts.WithLineChartOpts(opts.LineChart{Stack: stack, Symbol: "circle", SymbolSize: 5, ConnectNulls: opts.Bool(false)})}
			if b.kind == "area" {
				opacity := float32(0.25)
				if c.Stack {
					opacity = 0.85
				}
				o = append(o, charts.WithAreaStyleOpts(opts.AreaStyle{Opacity: opts.Float(opacity)}))
			}
			ch.AddSeries(name, nil, o...)
		}
	default: // scatter
		ch := charts.NewScatter()
		rc, valid = &ch.RectChart, ch.Validate
		if xNames != nil {
			ch.SetXAxis(xNames)
		}
		add = func(name string) {
			ch.AddSeries(name, nil, charts.WithScatterChartOpts(opts.ScatterChart{Symbol: "circle", SymbolSize: 8}))
		}
	}
	rc.SetGlobalOptions(global...)
	for i, s := range ss {
		add(s.name)
		rc.MultiSeries[i].Data = s.data
		if rc.MultiSeries[i].Data == nil {
			rc.MultiSeries[i].Data = []any{}
		}
	}
	valid()
	obj := rc.JSON()
	bottom := 12
	if b.x == axisCategory && !c.Horizontal {
		bottom = 28 // room for category labels wrapped on two lines
	}
	if !c.Horizontal && b.xAxisName != "" || c.Horizontal && b.yName != "" {
		bottom = 36
	}
	obj["grid"] = grid{Left: 8, Right: 40, Top: top + 32, Bottom: bottom, ContainLabel: true}
	return obj
}

// describe writes the aria description: the chart's kind and title, what
// it plots, and its points (the first ariaPoints of each of the first
// ariaSeries series).
func (b *builder) describe(ss []series) string {
	var d strings.Builder
	kind := strings.ToUpper(b.kind[:1]) + b.kind[1:]
	if b.s.Horizontal {
		kind = "Horizontal " + b.kind
	}
	if b.s.Stack {
		kind = "Stacked " + strings.ToLower(kind)
	}
	d.WriteString(kind + " chart")
	if b.s.Title != "" {
		d.WriteString(": " + strings.TrimRight(b.s.Title, "."))
	}
	d.WriteString(".")
	if b.s.Subtitle != "" {
		d.WriteString(" " + strings.TrimRight(b.s.Subtitle, ".") + ".")
	}
	switch b.kind {
	case "pie":
		d.WriteString(" Shares of " + b.yName + " by " + b.xName + ".")
	case "scatter":
		d.WriteString(" " + sentence(b.yName) + " against " + b.xName + ".")
	default:
		d.WriteString(" " + sentence(b.yName) + " by " + b.xName + ".")
	}
	if len(b.t.Rows) == 0 {
		d.WriteString(" No data.")
		return d.String()
	}
	for i, s := range ss {
		if i == ariaSeries {
			fmt.Fprintf(&d, " And %d more series.", len(ss)-i)
			break
		}
		d.WriteString(" ")
		if len(ss) > 1 || b.kind != "pie" {
			d.WriteString(s.name + ": ")
		}
		n := min(len(s.desc), ariaPoints)
		d.WriteString(strings.Join(s.desc[:n], "; "))
		if n < len(s.desc) {
			fmt.Fprintf(&d, "; and %d more", len(s.desc)-n)
		}
		d.WriteString(".")
	}
	return d.String()
}

// sentence upper-cases the first letter of s, which starts a sentence.
func sentence(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || !unicode.IsLower(r) {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// withArticle is "a bar", "an area".
func withArticle(kind string) string {
	if kind == "area" {
		return "an " + kind
	}
	return "a " + kind
}
