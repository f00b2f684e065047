package chart

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/go-echarts/go-echarts/v2/types"

	"galley/runner/internal/analysis"
	"galley/runner/internal/position"
	"galley/runner/internal/suggest"
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

// MaxPanels bounds the panels of a facet: past it, small multiples are too
// small to read.
const MaxPanels = 24

// Colours of what is not data: text, axis names and marks.
const (
	textColor = "#444"
	markColor = "#333"
	paper     = "#fffdf8" // the page's background, as a halo behind mark labels
)

var idRE = regexp.MustCompile(`^[A-Za-z0-9_]+$`)

// Drawing is what one chart cell draws: the ECharts options of each of
// its panels (one, or one per value of its facet column), and what the
// page prints around them.
type Drawing struct {
	Panels []Panel
	// Legend is the series, when there are several: the page prints it
	// once above the panels, as text, so that it wraps on a phone and
	// never crosses a label.
	Legend []LegendItem
	// Height is the height of the chart (of each panel) in pixels; 0 is
	// the page's default.
	Height int
	// NarrowHeight is the height of the panels' Narrow options.
	NarrowHeight int
	// Columns say how the chart's data table shows each of Spec.Columns():
	// as the chart names and prints them.
	Columns []table.Shown
}

// Panel is one ECharts chart of a drawing.
type Panel struct {
	Title   string          // the facet value it shows, as the chart names it; "" without a facet
	Options json.RawMessage // safe to place in a data attribute of the page
	// Narrow is the same panel drawn as horizontal bars, for a bar chart
	// of categories: where the page is too narrow for the categories'
	// labels to stand under their bars, whole and level (a phone), the
	// page draws this instead, as a graphics desk would.
	Narrow json.RawMessage
}

// LegendItem is one series: its name as the chart gives it, its colour,
// and how it is drawn (bar, line or point).
type LegendItem struct {
	Name, Color, Symbol string
}

// Options builds the ECharts options of one chart cell over its data
// table. values are the values of the analysis, which marks may name. id
// is [A-Za-z0-9_]+, derived by the caller from the analysis and the
// chart's position, and checked here; nothing random is used. The same
// cell, table and values always give the same bytes.
//
// Each panel's options are JSON safe to place inside an HTML attribute or
// a <script type="application/json"> element: encoding/json escapes every
// <, > and & as \u003c, \u003e and \u0026, and the output is verified to
// hold no "</". Errors are *position.Error values at the chart's
// positions in the analysis.
func Options(c *Spec, t *table.Table, id string, values map[string]any) (*Drawing, error) {
	if c == nil || t == nil {
		return nil, fmt.Errorf("chart: Options needs a chart and its table")
	}
	if !idRE.MatchString(id) {
		return nil, position.Errorf(c.Pos, "internal error: chart id %q is not made of [A-Za-z0-9_]", id)
	}
	b, err := newBuilder(c, t, values)
	if err != nil {
		return nil, err
	}
	d, err := b.draw()
	if err != nil || c.Type != "bar" || c.Horizontal || b.x != axisCategory {
		return d, err
	}
	across := *c
	across.Horizontal = true
	nb, err := newBuilder(&across, t, values)
	if err != nil {
		return nil, err
	}
	nd, err := nb.draw()
	if err != nil {
		return nil, err
	}
	for i := range d.Panels {
		d.Panels[i].Narrow = nd.Panels[i].Options
	}
	d.NarrowHeight = nd.Height
	return d, nil
}

type axisKind int

const (
	axisCategory axisKind = iota
	axisTime
	axisValue
)

// builder holds one chart cell resolved against its table.
type builder struct {
	s      *Spec
	t      *table.Table
	values map[string]any
	kind   string
	xi     int   // x column
	yi     []int // y columns
	si     int   // series column, -1 for wide data
	fi     int   // facet column, -1 without
	x      axisKind
	unit   string // the unit's suffix, "" or "%" or " km"

	// How each role shows its values.
	xs, ss, fs table.Shown
	ys         []table.Shown
	yf         value.Format // the value axis's format: the first y column's

	xName, yName string // what x and y are called in tooltips and the aria description
	xAxisName    string // the name printed on the x (category) axis, often none

	cats   []category // the categories of a category axis (or a pie's slices), in order
	catAt  map[string]int
	groups []group // the series, in order
	panels []panelRows
}

// category is one value of a category axis.
type category struct {
	key  string // value.AppendKey of the value
	text string // as the chart shows it
	v    any
	row  int // the first row that has it
}

// panelRows is one panel: the rows of one facet value.
type panelRows struct {
	title string
	rows  []int
}

// key is what tells two values apart: the int 1 and the string "1" differ.
func key(v any) string { return string(value.AppendKey(nil, v)) }

func newBuilder(c *Spec, t *table.Table, values map[string]any) (*builder, error) {
	b := &builder{s: c, t: t, values: values, kind: c.Type, xi: c.X.Index, si: c.Series.Index, fi: c.Facet.Index, unit: unitSuffix(c.Unit)}
	for _, y := range c.Y {
		b.yi = append(b.yi, y.Index)
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
	if err := b.display(); err != nil {
		return nil, err
	}

	// A category or date axis speaks for itself; a scatter's x is a
	// measure and is named by its column unless x_label says otherwise.
	b.xName = b.xs.Label
	if c.Type == "scatter" {
		b.xAxisName = b.xs.Label
	}
	if c.XLabel.Set {
		b.xName, b.xAxisName = c.XLabel.Text, c.XLabel.Text
	}
	if c.YLabel.Set {
		b.yName = c.YLabel.Text
	} else {
		names := make([]string, len(b.ys))
		for i, y := range b.ys {
			names[i] = y.Label
		}
		b.yName = strings.Join(names, ", ")
	}

	b.layout()
	if len(b.panels) > MaxPanels {
		return nil, position.Errorf(c.Facet.Pos, "facet: column %q has %d values in view %q, more than the %d panels a chart draws; filter the view (where:) or facet by a column with fewer values",
			c.Facet.Name, len(b.panels), t.Name, MaxPanels)
	}
	if err := b.checkNames(); err != nil {
		return nil, err
	}
	return b, nil
}

// display works out how each role shows its values: the chart's labels
// and formats, and where none is given, an int x, series or facet prints
// without thousands separators (a year reads 1930) and a date column as
// precisely as its dates are (value.DateFormatFor).
func (b *builder) display() error {
	names := map[string]string{}
	for _, n := range b.s.Names {
		names[n.Value] = n.Label
	}
	role := func(i int, asName bool) table.Shown {
		col := b.t.Columns[i]
		sh := table.Shown{Label: b.s.Display.Label(col.Name)}
		if f, ok := b.s.Display.Format(col.Name); ok {
			sh.Format = f
		} else if asName {
			sh.Format = b.defaultFormat(i)
		}
		if asName {
			sh.Names = names
		}
		return sh
	}
	b.xs = role(b.xi, true)
	if b.x != axisCategory && b.kind != "pie" {
		b.xs.Names = nil // a value or time axis has ticks, not names
	}
	if b.si >= 0 {
		b.ss = role(b.si, true)
	}
	if b.fi >= 0 {
		b.fs = role(b.fi, true)
	}
	for _, yi := range b.yi {
		b.ys = append(b.ys, role(yi, false))
	}
	if len(b.ys) > 0 {
		b.yf = b.ys[0].Format
	}
	return nil
}

// defaultFormat is the format of a column that names things (x, series,
// facet) when none is given.
func (b *builder) defaultFormat(i int) value.Format {
	var vals []any
	isInt, isDate := b.t.Columns[i].Type == analysis.TypeInt, b.t.Columns[i].Type == analysis.TypeDate
	if b.t.Columns[i].Type == analysis.TypeAny {
		isInt, isDate = true, true
		for _, row := range b.t.Rows {
			switch row[i].(type) {
			case nil:
			case int:
				isDate = false
			case time.Time:
				isInt = false
			default:
				isInt, isDate = false, false
			}
		}
	}
	switch {
	case isDate:
		for _, row := range b.t.Rows {
			vals = append(vals, row[i])
		}
		return value.DateFormatFor(vals)
	case isInt:
		return value.MustFormat("0")
	}
	return value.Format{}
}

// checkNames refuses a label for a value the chart does not show: most
// often a misspelt one.
func (b *builder) checkNames() error {
	if len(b.s.Names) == 0 {
		return nil
	}
	cols := []int{}
	var roles []string
	if b.x == axisCategory || b.kind == "pie" {
		cols = append(cols, b.xi)
		roles = append(roles, "x "+fmt.Sprintf("%q", b.s.X.Name))
	}
	if b.si >= 0 {
		cols = append(cols, b.si)
		roles = append(roles, "series "+fmt.Sprintf("%q", b.s.Series.Name))
	}
	if b.fi >= 0 {
		cols = append(cols, b.fi)
		roles = append(roles, "facet "+fmt.Sprintf("%q", b.s.Facet.Name))
	}
	seen := map[string]bool{}
	var all []string
	for _, i := range cols {
		for _, row := range b.t.Rows {
			if v := row[i]; v != nil && !seen[value.Plain(v)] {
				seen[value.Plain(v)] = true
				all = append(all, value.Plain(v))
			}
		}
	}
	for _, n := range b.s.Names {
		if !seen[n.Value] {
			return position.Errorf(n.Pos, "chart: labels: %q is neither a column of view %q nor a value of %s in its rows", n.Value, b.t.Name, strings.Join(roles, ", ")).
				Span(len(n.Value)).Hinted(suggest.DidYouMean(n.Value, all))
		}
	}
	return nil
}

// xAxisKind chooses the x axis: a time axis for dates, a value axis for
// numbers, categories otherwise (and always for pie and horizontal bars).
func (b *builder) xAxisKind() axisKind {
	if b.kind == "pie" || b.s.Horizontal {
		return axisCategory
	}
	typ := b.t.Columns[b.xi].Type
	switch {
	case typ == analysis.TypeDate:
		return axisTime
	case typ == analysis.TypeInt || typ == analysis.TypeFloat:
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
	case some && allNum:
		return axisValue
	}
	return axisCategory
}

// value prints a y value of the y column j with its format and the unit.
func (b *builder) value(j int, v any) string {
	if v == nil {
		return value.NullText
	}
	return b.ys[j].Format.Text(v) + b.unit
}

// plotted is the number drawn for a y value of the y column j: scaled
// for a percent format.
func (b *builder) plotted(j int, v any) any {
	return b.ys[j].Format.Scaled(v)
}

// pieShare prints a slice's share of the pie.
var pieShare = value.MustFormat("0.0%")

// point is one data point carrying its own tooltip, as go-echarts types
// the data of the chart's series. Null points are written bare instead
// (null, or an [x, null] pair), which ECharts draws as a gap; but for a
// pie's slice, which keeps its name.
func (b *builder) point(name string, v any, t *opts.Tooltip) any {
	switch b.kind {
	case "bar":
		return opts.BarData{Name: name, Value: v, Tooltip: t}
	case "pie":
		return opts.PieData{Name: name, Value: v, Tooltip: t}
	case "scatter":
		return scatterItem{ScatterData: opts.ScatterData{Name: name, Value: v}, Tooltip: t}
	}
	return lineItem{LineData: opts.LineData{Name: name, Value: v}, Tooltip: t}
}

// drawn is one series as one panel draws it: its ECharts data and, for the
// aria description, its points as text.
type drawn struct {
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

// plainText is a value as an error message names it.
func plainText(v any) string {
	if v == nil {
		return value.NullText
	}
	return value.Plain(v)
}

// group is one series: one per y column, or with series: one per distinct
// value of that column in order of first appearance. It lists the rows
// it draws (of every panel) and the y column it reads.
type group struct {
	name  string // as the chart shows it
	plain string // as an error names it
	j     int    // the y column, as an index of b.yi
	rows  []int
}

// layout splits the rows into series, categories and panels, the same for
// every panel, so that their axes and colours agree.
func (b *builder) layout() {
	all := make([]int, len(b.t.Rows))
	for r := range all {
		all[r] = r
	}
	if b.si < 0 {
		for j := range b.yi {
			b.groups = append(b.groups, group{name: b.ys[j].Label, plain: b.s.Y[j].Name, j: j, rows: all})
		}
	} else {
		at := map[string]int{}
		for r, row := range b.t.Rows {
			k := key(row[b.si])
			g, ok := at[k]
			if !ok {
				g = len(b.groups)
				at[k] = g
				b.groups = append(b.groups, group{name: b.ss.Text(row[b.si]), plain: plainText(row[b.si])})
			}
			b.groups[g].rows = append(b.groups[g].rows, r)
		}
	}
	if b.x == axisCategory {
		b.catAt = map[string]int{}
		for r, row := range b.t.Rows {
			k := key(row[b.xi])
			if _, ok := b.catAt[k]; ok {
				continue
			}
			b.catAt[k] = len(b.cats)
			b.cats = append(b.cats, category{key: k, text: b.xs.Text(row[b.xi]), v: row[b.xi], row: r})
		}
	}
	if b.fi < 0 {
		b.panels = []panelRows{{rows: all}}
		return
	}
	at := map[string]int{}
	for r, row := range b.t.Rows {
		k := key(row[b.fi])
		p, ok := at[k]
		if !ok {
			p = len(b.panels)
			at[k] = p
			b.panels = append(b.panels, panelRows{title: b.fs.Text(row[b.fi])})
		}
		b.panels[p].rows = append(b.panels[p].rows, r)
	}
}

// inPanel keeps the rows of g that are in the panel p.
func inPanel(g group, p panelRows) []int {
	in := map[int]bool{}
	for _, r := range p.rows {
		in[r] = true
	}
	var out []int
	for _, r := range g.rows {
		if in[r] {
			out = append(out, r)
		}
	}
	return out
}

// categorySeries lays a panel's data out on the category axis: one value
// per category and series (null where a series has no row for a category).
func (b *builder) categorySeries(p panelRows) ([]drawn, error) {
	if b.si < 0 {
		first := map[int]int{}
		for _, r := range p.rows {
			k := b.catAt[key(b.t.Rows[r][b.xi])]
			if r0, ok := first[k]; ok {
				return nil, b.dupError(r0, r, plainText(b.t.Rows[r][b.xi]))
			}
			first[k] = r
		}
	}
	var out []drawn
	for _, g := range b.groups {
		vals := make([]any, len(b.cats))
		seen := make([]int, len(b.cats))
		for i := range seen {
			seen[i] = -1
		}
		for _, r := range inPanel(g, p) {
			row := b.t.Rows[r]
			k := b.catAt[key(row[b.xi])]
			if seen[k] >= 0 {
				return nil, b.pairDupError(seen[k], r, plainText(row[b.xi]), g.plain)
			}
			seen[k] = r
			vals[k] = row[b.yi[g.j]]
		}
		d := drawn{data: make([]any, len(b.cats))}
		for k, v := range vals {
			if v != nil {
				d.data[k] = b.point("", b.plotted(g.j, v), tip("<b>", tipText(b.cats[k].text), "</b><br/>", tipText(g.name), ": ", tipText(b.value(g.j, v))))
			}
			if seen[k] >= 0 {
				d.desc = append(d.desc, b.cats[k].text+" "+b.value(g.j, v))
			}
		}
		out = append(out, d)
	}
	return out, nil
}

// timeSeries lays a panel's data out on a time axis: [YYYY-MM-DD, y]
// pairs, sorted by date within each series (a stable sort: a date occurs
// at most once per series).
func (b *builder) timeSeries(p panelRows) ([]drawn, error) {
	var out []drawn
	for _, g := range b.groups {
		rows := inPanel(g, p)
		sort.SliceStable(rows, func(i, j int) bool {
			return b.t.Rows[rows[i]][b.xi].(time.Time).Before(b.t.Rows[rows[j]][b.xi].(time.Time))
		})
		var d drawn
		for i, r := range rows {
			row := b.t.Rows[r]
			iso := value.Plain(row[b.xi])
			text := b.xs.Text(row[b.xi])
			if i > 0 {
				if prev := rows[i-1]; value.Plain(b.t.Rows[prev][b.xi]) == iso {
					r1, r2 := min(prev, r), max(prev, r)
					if b.si >= 0 {
						return nil, b.pairDupError(r1, r2, iso, g.plain)
					}
					return nil, b.dupError(r1, r2, iso)
				}
			}
			v := row[b.yi[g.j]]
			if v == nil {
				d.data = append(d.data, []any{iso, nil})
			} else {
				d.data = append(d.data, b.point("", []any{iso, b.plotted(g.j, v)}, tip("<b>", tipText(text), "</b><br/>", tipText(g.name), ": ", tipText(b.value(g.j, v)))))
			}
			d.desc = append(d.desc, text+" "+b.value(g.j, v))
			d.dates = append(d.dates, iso)
		}
		out = append(out, d)
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
func alignDates(ss []drawn) {
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

// valueSeries lays a panel's data out as [x, y] points on a value x axis:
// in row order for a scatter chart, by x for a line, area or bar chart
// (which needs one row per x value and series).
func (b *builder) valueSeries(p panelRows) ([]drawn, error) {
	var out []drawn
	for _, g := range b.groups {
		rows := inPanel(g, p)
		if b.kind != "scatter" {
			sort.SliceStable(rows, func(i, j int) bool {
				return value.Compare(b.t.Rows[rows[i]][b.xi], b.t.Rows[rows[j]][b.xi]) < 0
			})
			for i := 1; i < len(rows); i++ {
				x0, x1 := b.t.Rows[rows[i-1]][b.xi], b.t.Rows[rows[i]][b.xi]
				if value.Compare(x0, x1) == 0 {
					r1, r2 := min(rows[i-1], rows[i]), max(rows[i-1], rows[i])
					if b.si >= 0 {
						return nil, b.pairDupError(r1, r2, plainText(x1), g.plain)
					}
					return nil, b.dupError(r1, r2, plainText(x1))
				}
			}
		}
		var d drawn
		for _, r := range rows {
			row := b.t.Rows[r]
			x := b.xs.Format.Scaled(row[b.xi])
			xs := b.xs.Text(row[b.xi])
			v := row[b.yi[g.j]]
			if v == nil {
				d.data = append(d.data, []any{x, nil})
			} else if b.kind == "scatter" {
				d.data = append(d.data, b.point("", []any{x, b.plotted(g.j, v)}, tip(
					"<b>", tipText(g.name), "</b><br/>",
					tipText(b.xName), ": ", tipText(xs), "<br/>",
					tipText(b.yName), ": ", tipText(b.value(g.j, v)))))
			} else {
				d.data = append(d.data, b.point("", []any{x, b.plotted(g.j, v)}, tip("<b>", tipText(xs), "</b><br/>", tipText(g.name), ": ", tipText(b.value(g.j, v)))))
			}
			if b.kind == "scatter" {
				d.desc = append(d.desc, "("+xs+", "+b.value(g.j, v)+")")
			} else {
				d.desc = append(d.desc, xs+" "+b.value(g.j, v))
			}
		}
		out = append(out, d)
	}
	return out, nil
}

// pieSeries makes one slice per row, named by x.
func (b *builder) pieSeries() (drawn, error) {
	yi := b.yi[0]
	var sum float64
	seen := map[string]int{}
	for r, row := range b.t.Rows {
		k := key(row[b.xi])
		if r0, ok := seen[k]; ok {
			return drawn{}, b.dupError(r0, r, plainText(row[b.xi]))
		}
		seen[k] = r
		f, ok := toFloat(row[yi])
		if ok {
			sum += f
		}
		if ok && f < 0 {
			return drawn{}, position.Errorf(b.s.Y[0].Pos, "column %q is negative (%s) in row %d of view %q; a pie shows the parts of a whole (use a bar chart)",
				b.s.Y[0].Name, value.Plain(row[yi]), r+1, b.t.Name)
		}
	}
	var d drawn
	for _, row := range b.t.Rows {
		name := b.xs.Text(row[b.xi])
		v := row[yi]
		if v == nil {
			d.data = append(d.data, b.point(name, nil, nil))
			d.desc = append(d.desc, name+" "+b.value(0, nil))
			continue
		}
		text := b.value(0, v)
		if f, _ := toFloat(v); sum > 0 {
			text += " (" + pieShare.Text(f/sum) + ")"
		}
		d.data = append(d.data, b.point(name, b.plotted(0, v), tip("<b>", tipText(name), "</b><br/>", tipText(text))))
		d.desc = append(d.desc, name+" "+text)
	}
	return d, nil
}

func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case int:
		return float64(x), true
	case float64:
		return x, true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	}
	return math.NaN(), false
}

// draw lays out every panel, then the axes they share, and writes each
// panel's options.
func (b *builder) draw() (*Drawing, error) {
	out := &Drawing{Height: b.height()}
	for _, col := range b.s.Columns() {
		switch col.Index {
		case b.xi:
			out.Columns = append(out.Columns, b.xs)
		case b.si:
			out.Columns = append(out.Columns, b.ss)
		case b.fi:
			out.Columns = append(out.Columns, b.fs)
		default:
			for j, y := range b.s.Y {
				if y.Index == col.Index {
					out.Columns = append(out.Columns, b.ys[j])
				}
			}
		}
	}
	if b.kind == "pie" {
		d, err := b.pieSeries()
		if err != nil {
			return nil, err
		}
		opt := b.base([]drawn{d}, "", nil)
		opt.Series = []*series{b.pie(d)}
		return b.finish(out, opt, "")
	}
	if len(b.groups) > 1 {
		for i, g := range b.groups {
			out.Legend = append(out.Legend, LegendItem{Name: g.name, Color: Palette[i%len(Palette)], Symbol: b.symbol()})
		}
	}

	var all [][]drawn
	for _, p := range b.panels {
		var (
			ds  []drawn
			err error
		)
		switch b.x {
		case axisTime:
			ds, err = b.timeSeries(p)
		case axisValue:
			ds, err = b.valueSeries(p)
		default:
			ds, err = b.categorySeries(p)
		}
		if err != nil {
			return nil, err
		}
		all = append(all, ds)
	}
	marks, err := b.resolveMarks()
	if err != nil {
		return nil, err
	}
	axes := b.axes(marks)
	for i, p := range b.panels {
		opt := b.base(all[i], p.title, marks)
		b.rect(opt, all[i], axes, marks)
		if _, err := b.finish(out, opt, p.title); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// symbol is how the legend draws a series of this chart.
func (b *builder) symbol() string {
	switch b.kind {
	case "line":
		return "line"
	case "scatter":
		return "point"
	}
	return "bar"
}

// finish writes opt as a panel of out: JSON safe to embed in the page,
// holding no JavaScript function (go-echarts marks one with __f__, and
// only its own renderer turns it into code).
func (b *builder) finish(out *Drawing, opt *option, title string) (*Drawing, error) {
	buf, err := json.Marshal(opt)
	if err != nil {
		return nil, position.Errorf(b.s.Pos, "internal error: cannot write the chart's options as JSON: %v", err)
	}
	if bytes.Contains(buf, []byte("</")) || bytes.Contains(buf, []byte("__f__")) {
		return nil, position.Errorf(b.s.Pos, "internal error: the chart's options are not safe to embed in the page")
	}
	out.Panels = append(out.Panels, Panel{Title: title, Options: buf})
	return out, nil
}

// base is what every chart's options hold: no animation (so that
// screenshots are stable), the palette, the fonts, tooltips and the aria
// description; no title or legend, which the page prints as text.
func (b *builder) base(ds []drawn, panel string, marks []resolvedMark) *option {
	return &option{
		Animation: opts.Bool(false),
		Color:     opts.Colors(Palette),
		TextStyle: textStyle(""),
		Title:     &opts.Title{Show: opts.Bool(false)},
		Legend:    &opts.Legend{Show: opts.Bool(false)},
		Tooltip:   &tooltip{Tooltip: opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}, Confine: true},
		Aria:      ariaOf(b.describe(ds, panel, marks)),
	}
}

// textStyle is the font, size, line height and colour of a chart's text,
// aligned as align says ("" leaves it to ECharts).
func textStyle(align string) *opts.TextStyle {
	return &opts.TextStyle{FontFamily: FontFamily, FontSize: fontSize, LineHeight: lineHeight, Color: textColor, Align: align}
}

// ariaOf is the aria option of a chart or map described as desc: ECharts
// sets it as the aria-label of the chart; no decal patterns.
func ariaOf(desc string) *opts.Aria {
	return &opts.Aria{
		Enabled: opts.Bool(true),
		Label:   &opts.AriaLabel{Enabled: opts.Bool(true), Description: desc},
		Decal:   &opts.AriaDecal{Show: opts.Bool(false)},
	}
}

// height is the chart's height: as asked, or from the data for a
// horizontal bar chart, which grows with its bars (the page grows it
// further when wrapped labels need the room).
func (b *builder) height() int {
	if b.s.Height > 0 {
		return b.s.Height
	}
	if b.s.Horizontal {
		top, bottom := 40, 44
		if b.xAxisName != "" || b.yName != "" {
			bottom += 20
		}
		return max(MinHeight, top+bottom+len(b.cats)*32)
	}
	return 0
}

// pie is the series of a pie chart.
func (b *builder) pie(d drawn) *series {
	s := newSeries(types.ChartPie, b.ys[0].Label, d.data,
		charts.WithPieChartOpts(opts.PieChart{Radius: "60%", Center: []string{"50%", "50%"}}),
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Formatter: "{b}", FontFamily: FontFamily, FontSize: fontSize, LineHeight: lineHeight, Color: textColor}))
	s.AvoidLabelOverlap = true
	// Wrapped to a width the page's script sets for the room beside the pie.
	s.Label.Overflow, s.Label.Width, s.Label.MinMargin, s.Label.BleedMargin = "break", 120, 4, 4
	return s
}

// layoutAxes is what the panels of a chart share: its axes.
type layoutAxes struct {
	x, y  *xAxis // value axes, as x axes
	xTick ticks  // a value x axis
	yTick ticks
	// The time axis's extent, as dates; "" when unset.
	tmin, tmax string
}

// axes lays out the axes every panel shares: the value axis over the
// plotted values of every panel (stacked, when the series are) and the
// marks; a value x axis likewise; a time axis from the first date to the
// last.
func (b *builder) axes(marks []resolvedMark) layoutAxes {
	var la layoutAxes
	var ye extent
	if b.kind != "scatter" {
		ye.add(0)
	}
	integer := true
	for _, j := range b.yi {
		if b.t.Columns[j].Type != analysis.TypeInt {
			integer = false
		}
	}
	for _, f := range b.ys {
		if f.Format.Percent || f.Format.Decimals > 0 {
			integer = false
		}
	}
	// Stacks, by panel and x: ECharts adds the series up in order.
	type stackKey struct {
		panel int
		x     string
	}
	sums := map[stackKey]float64{}
	for pi, p := range b.panels {
		for _, g := range b.groups {
			for _, r := range inPanel(g, p) {
				v := b.t.Rows[r][b.yi[g.j]]
				f, ok := toFloat(b.plotted(g.j, v))
				if !ok {
					continue
				}
				if b.s.Stack {
					k := stackKey{pi, key(b.t.Rows[r][b.xi])}
					sums[k] += f
					ye.add(sums[k])
				} else {
					ye.add(f)
				}
			}
		}
	}
	for _, m := range marks {
		if m.hasY {
			ye.add(m.y)
		}
	}
	target := verticalTicks
	if b.s.Horizontal {
		target = horizontalTicks
	}
	la.yTick = niceTicks(ye, target, integer, false)
	// A point's label stands above it: leave it a line's room under the
	// top of the axis.
	for _, m := range marks {
		if m.hasX && m.hasY && !b.s.Horizontal && m.y > la.yTick.hi-0.1*(la.yTick.hi-la.yTick.lo) {
			ye.add(m.y + 0.15*(la.yTick.hi-la.yTick.lo))
			la.yTick = niceTicks(ye, target, integer, false)
			break
		}
	}
	la.y = valueAxis(la.yTick, b.yf, b.unit)

	switch b.x {
	case axisValue:
		var xe extent
		var xs []float64
		for _, row := range b.t.Rows {
			if f, ok := toFloat(b.xs.Format.Scaled(row[b.xi])); ok {
				xe.add(f)
				xs = append(xs, f)
			}
		}
		for _, m := range marks {
			if m.hasX {
				xe.add(m.x)
			}
		}
		if b.kind == "bar" && xe.some {
			// Room for half a bar at either end.
			gap := minGap(xs)
			xe.add(xe.lo - gap/2)
			xe.add(xe.hi + gap/2)
		}
		xInt := b.t.Columns[b.xi].Type == analysis.TypeInt && !b.xs.Format.Percent
		// A line or bar over numbers (years) hugs its data; a scatter's
		// x is a measure, and runs between labelled round ends as y does,
		// so that no point sits on the frame.
		la.xTick = niceTicks(xe, horizontalTicks, xInt, b.kind != "scatter")
		la.x = valueAxis(la.xTick, b.xs.Format, "")
	case axisTime:
		var first, last time.Time
		var dates []time.Time
		for _, row := range b.t.Rows {
			d := row[b.xi].(time.Time)
			dates = append(dates, d)
		}
		for _, m := range marks {
			if m.hasX {
				dates = append(dates, m.date)
			}
		}
		for i, d := range dates {
			if i == 0 || d.Before(first) {
				first = d
			}
			if i == 0 || d.After(last) {
				last = d
			}
		}
		if len(dates) > 0 {
			if b.kind == "bar" {
				days := minDayGap(b.t.Rows, b.xi)
				first = first.AddDate(0, 0, -(days+1)/2)
				last = last.AddDate(0, 0, (days+1)/2)
			}
			la.tmin, la.tmax = value.Plain(first), value.Plain(last)
		}
	}
	return la
}

// minGap is the least distance between two distinct numbers of xs; 1 when
// there are fewer than two.
func minGap(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	gap := math.Inf(1)
	for i := 1; i < len(s); i++ {
		if d := s[i] - s[i-1]; d > 0 && d < gap {
			gap = d
		}
	}
	if math.IsInf(gap, 1) {
		return 1
	}
	return gap
}

// minDayGap is the least number of days between two distinct dates of the
// column xi; 1 when there are fewer than two.
func minDayGap(rows [][]any, xi int) int {
	var ds []time.Time
	for _, row := range rows {
		ds = append(ds, row[xi].(time.Time))
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i].Before(ds[j]) })
	gap := 0
	for i := 1; i < len(ds); i++ {
		if d := int(ds[i].Sub(ds[i-1]).Hours() / 24); d > 0 && (gap == 0 || d < gap) {
			gap = d
		}
	}
	if gap == 0 {
		return 1
	}
	return gap
}

// ECharts's names for the parts of a date, in a time axis's template.
var echartsDate = map[string]string{"YYYY": "{yyyy}", "MMMM": "{MMMM}", "MMM": "{MMM}", "MM": "{MM}", "M": "{M}", "DD": "{dd}", "D": "{d}"}

// Days, in milliseconds, for a time axis's least interval.
const day = 24 * 60 * 60 * 1000

// rect sets the axes, grid and series of a bar, line, area or scatter
// chart's panel.
func (b *builder) rect(opt *option, ds []drawn, la layoutAxes, marks []resolvedMark) {
	c := b.s
	y := *la.y // the value axis, built as an x axis
	y.Name = b.yName
	if c.YLabel.Set && c.YLabel.Text == "" {
		y.Name = ""
	}
	var x xAxis
	switch b.x {
	case axisTime:
		x = xAxis{XAxis: opts.XAxis{Type: "time", Min: nilIfEmpty(la.tmin), Max: nilIfEmpty(la.tmax)},
			AxisLabel: &axisLabel{AxisLabel: opts.AxisLabel{FontFamily: FontFamily, Margin: 12, HideOverlap: opts.Bool(true)}, LineHeight: lineHeight}}
		if f := b.xs.Format; f.IsDate() {
			x.AxisLabel.Formatter = types.FuncStr(f.Template(echartsDate))
			switch f.Precision() {
			case value.Year:
				x.MinInterval = 365 * day
			case value.Month:
				x.MinInterval = 28 * day
			}
		}
	case axisValue:
		x = *la.x
		x.AxisLabel.Margin = 12
	default:
		cats := make([]string, len(b.cats))
		for i, k := range b.cats {
			cats[i] = k.text
		}
		x = xAxis{XAxis: opts.XAxis{Type: "category", Data: cats, AxisTick: &opts.AxisTick{AlignWithLabel: opts.Bool(true)}},
			AxisLabel: &axisLabel{AxisLabel: opts.AxisLabel{FontFamily: FontFamily, Margin: 10}, Interval: 0, LineHeight: lineHeight, Wrap: true}}
	}
	x.Name = b.xAxisName
	top := 34
	if b.hasVerticalLines(marks) {
		top = 54 // the labels of vertical marks stand above the plot, under the axis name
	}
	g := grid{left: 8, right: 32, top: top, bottom: 8}
	if c.Horizontal {
		// Categories run down the y axis, first row at the top; the value
		// axis runs along the bottom.
		cat := x
		cat.Inverse = opts.Bool(true)
		cat.Name, cat.NameLocation, cat.NameGap = b.xAxisName, "start", 14
		cat.NameTextStyle = textStyle("left")
		cat.AxisLabel.Margin = 8
		val := *la.y
		val.Name, val.NameLocation, val.NameGap, val.NameTextStyle = b.yName, "middle", 32, textStyle("")
		val.AxisLabel.Margin = 12
		if val.Name != "" {
			g.bottom = 28
		}
		if cat.Name == "" {
			g.top = 12
		} else {
			g.top = 30
		}
		if b.hasVerticalLines(marks) {
			// The labels of vertical marks stand above the plot, under
			// the axis name.
			g.top += 22
			cat.NameGap += 22
		}
		opt.XAxis, opt.YAxis = []*xAxis{&val}, []*yAxis{cat.asY()}
	} else {
		y.NameLocation, y.NameGap = "end", 14
		if b.hasVerticalLines(marks) {
			y.NameGap = 34
		}
		y.NameTextStyle = textStyle("left")
		if y.Name == "" && !b.hasVerticalLines(marks) {
			g.top = 14
		}
		if x.Name != "" {
			x.NameLocation, x.NameGap, x.NameTextStyle = "middle", 32, textStyle("")
			g.bottom = 28
		}
		opt.XAxis, opt.YAxis = []*xAxis{&x}, []*yAxis{y.asY()}
	}
	opt.Grid = g.options()

	stack := ""
	if c.Stack {
		stack = "total"
	}
	for i, gr := range b.groups {
		color := Palette[i%len(Palette)]
		data := ds[i].data
		if data == nil {
			data = []any{}
		}
		var s *series
		switch b.kind {
		case "bar":
			s = newSeries(types.ChartBar, gr.name, data,
				charts.WithBarChartOpts(opts.BarChart{Stack: stack}),
				charts.WithItemStyleOpts(opts.ItemStyle{Color: color}))
		case "line", "area":
			o := []charts.SeriesOpts{
				charts.WithLineChartOpts(opts.LineChart{Stack: stack, Symbol: "circle", SymbolSize: 5, ConnectNulls: opts.Bool(false)}),
				charts.WithItemStyleOpts(opts.ItemStyle{Color: color}),
				charts.WithLineStyleOpts(opts.LineStyle{Color: color, Width: 2}),
			}
			if b.kind == "area" {
				opacity := float32(0.25)
				if c.Stack {
					opacity = 0.85
				}
				o = append(o, charts.WithAreaStyleOpts(opts.AreaStyle{Opacity: opts.Float(opacity)}))
			}
			s = newSeries(types.ChartLine, gr.name, data, o...)
		default:
			s = newSeries(types.ChartScatter, gr.name, data,
				charts.WithScatterChartOpts(opts.ScatterChart{Symbol: "circle", SymbolSize: 8}),
				charts.WithItemStyleOpts(opts.ItemStyle{Color: color}))
		}
		s.Color = color
		opt.Series = append(opt.Series, s)
	}
	if len(opt.Series) > 0 {
		b.applyMarks(opt.Series[0], marks, la)
	}
}

// grid is the plot's margins in pixels; containLabel makes room for the
// axis labels inside them.
type grid struct{ left, right, top, bottom int }

// options is the grid as go-echarts writes it: its margins are strings,
// which ECharts reads as pixels, as it does numbers (parsePercent).
func (g grid) options() *opts.Grid {
	px := strconv.Itoa
	return &opts.Grid{Left: px(g.left), Right: px(g.right), Top: px(g.top), Bottom: px(g.bottom), ContainLabel: opts.Bool(true)}
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// describe writes the aria description: the chart's kind and title, what
// it plots, and its points (the first ariaPoints of each of the first
// ariaSeries series); for a panel of a facet, which panel it is.
func (b *builder) describe(ds []drawn, panel string, marks []resolvedMark) string {
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
	if panel != "" {
		d.WriteString(" Panel " + b.fs.Label + " " + panel + ".")
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
	for i, s := range ds {
		if i == ariaSeries {
			fmt.Fprintf(&d, " And %d more series.", len(ds)-i)
			break
		}
		d.WriteString(" ")
		if len(ds) > 1 || b.kind != "pie" {
			name := b.ys[0].Label
			if i < len(b.groups) {
				name = b.groups[i].name
			}
			d.WriteString(name + ": ")
		}
		n := min(len(s.desc), ariaPoints)
		d.WriteString(strings.Join(s.desc[:n], "; "))
		if n < len(s.desc) {
			fmt.Fprintf(&d, "; and %d more", len(s.desc)-n)
		}
		if n == 0 {
			d.WriteString("no data")
		}
		d.WriteString(".")
	}
	for _, m := range marks {
		d.WriteString(" Marked")
		if m.label != "" {
			d.WriteString(": " + strings.TrimRight(m.label, "."))
		}
		switch {
		case m.hasX && m.hasY:
			d.WriteString(" at " + m.xText + ", " + m.yText + ".")
		case m.hasX:
			d.WriteString(" at " + m.xText + ".")
		default:
			d.WriteString(" at " + m.yText + ".")
		}
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
