package chart

import (
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/go-echarts/go-echarts/v2/types"
)

// The ECharts option object, as Galley writes it. Its parts are
// go-echarts' types (package opts, and charts.SingleSeries configured by
// go-echarts' series options), written by encoding/json. go-echarts'
// renderer is not used (see doc.go), nor its charts' JSON(), which gives a
// map: a field go-echarts lacks would have to be patched into it.
// Instead, where Galley needs a field go-echarts has not, or has with a
// type that writes another value, a type here embeds go-echarts' and
// adds the field beside it. encoding/json writes the outer field and
// drops the embedded one of the same JSON name, so an outer field must be
// declared in the struct itself (at depth 0), never in a second embedded
// struct, where the two names would cancel each other out.

// FontFamily is the font of every text a chart draws: the page's sans
// serif stack, so that the chart reads as part of the page. The page's
// script measures label widths in the same font.
const FontFamily = `system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif`

// Text sizes, in pixels. Every text style sets its line height: left to
// itself, ECharts measures a line with a CJK glyph ("国") that no font
// here has, and the lines of a wrapped label draw on top of each other.
const (
	fontSize   = 12
	lineHeight = 15
)

// option is the whole object. go-echarts has no type for it that
// encoding/json writes (charts.BaseConfiguration is written through a
// map), so it is Galley's; each of its fields is go-echarts'. A map
// leaves out what it does not draw: text style, legend, grid and axes.
type option struct {
	Animation types.Bool      `json:"animation"`
	Aria      *opts.Aria      `json:"aria"`
	Color     opts.Colors     `json:"color"`
	TextStyle *opts.TextStyle `json:"textStyle,omitempty"`
	Title     *opts.Title     `json:"title"`
	Legend    *opts.Legend    `json:"legend,omitempty"`
	Tooltip   *tooltip        `json:"tooltip"`
	Grid      *opts.Grid      `json:"grid,omitempty"`
	Geo       *geoComponent   `json:"geo,omitempty"`
	XAxis     []*xAxis        `json:"xAxis,omitempty"`
	YAxis     []*yAxis        `json:"yAxis,omitempty"`
	Series    []*series       `json:"series"`
}

// tooltip is go-echarts' tooltip and confine, which keeps a tooltip
// inside the chart on a phone: opts.Tooltip has no such field.
type tooltip struct {
	opts.Tooltip
	Confine bool `json:"confine,omitempty"`
}

// tip is the tooltip of one data item: its text, as ECharts sets it as
// HTML (see tipText). types.FuncStr is go-echarts' string type for a
// formatter; a plain string is written as a string.
func tip(parts ...string) *opts.Tooltip {
	return &opts.Tooltip{Formatter: types.FuncStr(strings.Join(parts, ""))}
}

// xAxis is go-echarts' x axis and what Galley's axes need besides.
type xAxis struct {
	opts.XAxis
	// NameTextStyle sets the axis name's font and line height: opts.XAxis
	// has no such field.
	NameTextStyle *opts.TextStyle `json:"nameTextStyle,omitempty"`
	// Interval is the step of a value axis Galley laid out: opts.XAxis has
	// no such field.
	Interval any `json:"interval,omitempty"`
	// AxisLabel replaces opts.XAxis's, for what opts.AxisLabel lacks.
	AxisLabel *axisLabel `json:"axisLabel,omitempty"`
}

// yAxis is go-echarts' y axis and what Galley's axes need besides: as
// xAxis, and the ticks of a category axis (a horizontal bar chart's),
// which opts.YAxis lacks.
type yAxis struct {
	opts.YAxis
	NameTextStyle *opts.TextStyle `json:"nameTextStyle,omitempty"`
	Interval      any             `json:"interval,omitempty"`
	AxisLabel     *axisLabel      `json:"axisLabel,omitempty"`
	AxisTick      *opts.AxisTick  `json:"axisTick,omitempty"`
}

// asY is the axis a as a y axis: a horizontal bar chart draws its
// categories, laid out as an x axis, down the y axis. Every field
// opts.YAxis has is copied; opts.XAxis's TriggerEvent, which opts.YAxis
// lacks, Galley does not set.
func (a *xAxis) asY() *yAxis {
	x := a.XAxis
	return &yAxis{
		YAxis: opts.YAxis{
			Name: x.Name, AlignTicks: x.AlignTicks, Position: x.Position, NameLocation: x.NameLocation, NameGap: x.NameGap,
			Type: x.Type, Show: x.Show, Inverse: x.Inverse, Data: x.Data, SplitNumber: x.SplitNumber, Scale: x.Scale,
			Min: x.Min, Max: x.Max, MinInterval: x.MinInterval, MaxInterval: x.MaxInterval, GridIndex: x.GridIndex,
			SplitArea: x.SplitArea, SplitLine: x.SplitLine, AxisLine: x.AxisLine, AxisPointer: x.AxisPointer,
		},
		NameTextStyle: a.NameTextStyle, Interval: a.Interval, AxisLabel: a.AxisLabel, AxisTick: x.AxisTick,
	}
}

// axisLabel is go-echarts' axis label, with the fields it types otherwise
// than ECharts reads them, and the page's hints.
type axisLabel struct {
	opts.AxisLabel
	// Interval 0 labels every category. opts.AxisLabel's is a string,
	// and an int there would be left out when 0.
	Interval any `json:"interval,omitempty"`
	// LineHeight in pixels; opts.AxisLabel's is a string.
	LineHeight int `json:"lineHeight,omitempty"`
	// ShowMinLabel and ShowMaxLabel are written only when set:
	// opts.AxisLabel always writes them, as null when unset, and a null
	// overrides ECharts's default for a time axis (false: the ends of a
	// time axis are not labelled), which a missing key keeps.
	ShowMinLabel types.Bool `json:"showMinLabel,omitempty"`
	ShowMaxLabel types.Bool `json:"showMaxLabel,omitempty"`
	// Ticks are the texts of a value axis's ticks, by the tick's value
	// written as JavaScript writes a number: the page's script makes them
	// the axis's formatter (a function, which JSON cannot hold). The
	// ticks are Galley's own (min, max, interval), so every one is here.
	Ticks map[string]string `json:"galleyTicks,omitempty"`
	// Wrap asks the page's script to wrap the category labels to the room
	// each has, at the page's width.
	Wrap bool `json:"galleyWrap,omitempty"`
}

// series is go-echarts' series (charts.SingleSeries, configured with its
// series options: charts.WithBarChartOpts and the like) and what Galley
// needs besides. Label, MarkLine and MarkPoint replace the series's own,
// which encoding/json then leaves out: newSeries moves what go-echarts'
// options set there (WithLabelOpts, WithMarkLine...Opts...) into them.
type series struct {
	charts.SingleSeries
	// Label is a pie slice's label or a map's: opts.Label lacks overflow,
	// width and the margins.
	Label *label `json:"label,omitempty"`
	// AvoidLabelOverlap moves a pie's labels apart; SingleSeries lacks it.
	AvoidLabelOverlap bool `json:"avoidLabelOverlap,omitempty"`
	// AspectScale of a map: 1, as the outlines are projected already.
	AspectScale float64 `json:"aspectScale,omitempty"`
	// MarkLine and MarkPoint: opts.MarkLines and opts.MarkPoints lack
	// silent, and a mark point's symbol is one name, not a list.
	MarkLine  *markLine  `json:"markLine,omitempty"`
	MarkPoint *markPoint `json:"markPoint,omitempty"`
}

// newSeries is a series of go-echarts' type typ (types.ChartBar...), its
// options applied by go-echarts, as a chart's AddSeries does.
func newSeries(typ, name string, data any, options ...charts.SeriesOpts) *series {
	s := &series{SingleSeries: charts.SingleSeries{Type: typ, Name: name, Data: data}}
	s.ConfigureSeriesOpts(options...)
	if l := s.SingleSeries.Label; l != nil {
		s.Label, s.SingleSeries.Label = &label{Label: *l}, nil
	}
	if ml := s.SingleSeries.MarkLines; ml != nil {
		s.MarkLine, s.SingleSeries.MarkLines = &markLine{MarkLines: *ml}, nil
	}
	if mp := s.SingleSeries.MarkPoints; mp != nil {
		s.MarkPoint, s.SingleSeries.MarkPoints = &markPoint{MarkPoints: *mp}, nil
		if len(mp.Symbol) == 1 {
			s.MarkPoint.Symbol = mp.Symbol[0]
		}
	}
	return s
}

// label is go-echarts' label of a pie slice, a mark or a map's points,
// and what opts.Label lacks: a halo (textBorder), wrapping (overflow,
// width), a pie label's margins, and a label's distance from its point.
type label struct {
	opts.Label
	TextBorderColor string  `json:"textBorderColor,omitempty"`
	TextBorderWidth float64 `json:"textBorderWidth,omitempty"`
	Overflow        string  `json:"overflow,omitempty"`
	Width           int     `json:"width,omitempty"`
	BleedMargin     int     `json:"bleedMargin,omitempty"`
	MinMargin       int     `json:"minMargin,omitempty"`
	Distance        int     `json:"distance,omitempty"`
}

// markLine is go-echarts' mark lines, silent (no hover): opts.MarkLines
// has no such field.
type markLine struct {
	opts.MarkLines
	Silent bool `json:"silent"`
}

// markLineX and markLineY are one line, at an x or at a y, named by its
// label, which the label's formatter "{b}" prints (a label written in the
// formatter itself would have its braces read as a template). go-echarts'
// items have no label.
type markLineX struct {
	opts.MarkLineNameXAxisItem
	Label *label `json:"label,omitempty"`
}

type markLineY struct {
	opts.MarkLineNameYAxisItem
	Label *label `json:"label,omitempty"`
}

// markPoint is go-echarts' mark points, silent, and with the one symbol
// and the item style opts.MarkPoints has not (its symbol is a list).
type markPoint struct {
	opts.MarkPoints
	Silent    bool            `json:"silent"`
	Symbol    string          `json:"symbol,omitempty"`
	ItemStyle *opts.ItemStyle `json:"itemStyle,omitempty"`
}

// markPointAt is one point, with the label opts.MarkPointNameCoordItem's
// type cannot hold.
type markPointAt struct {
	opts.MarkPointNameCoordItem
	Label *label `json:"label,omitempty"`
}

// Data items of the series that go-echarts gives no tooltip (a bar's and a
// pie's are opts.BarData and opts.PieData).
type lineItem struct {
	opts.LineData
	Tooltip *opts.Tooltip `json:"tooltip,omitempty"`
}

type scatterItem struct {
	opts.ScatterData
	Tooltip *opts.Tooltip `json:"tooltip,omitempty"`
}

// mapItem is an area of a choropleth: its colour and tooltip besides
// opts.MapData's name and value.
type mapItem struct {
	opts.MapData
	ItemStyle *opts.ItemStyle `json:"itemStyle,omitempty"`
	Emphasis  *opts.Emphasis  `json:"emphasis,omitempty"`
	Tooltip   *opts.Tooltip   `json:"tooltip,omitempty"`
}

// pointItem is a circle of a points map: its size in tenths of a pixel
// (opts.ScatterData's is an int) and its tooltip.
type pointItem struct {
	opts.ScatterData
	SymbolSize float64       `json:"symbolSize"`
	Tooltip    *opts.Tooltip `json:"tooltip,omitempty"`
}

// geoComponent draws the outlines under a points map: go-echarts' geo
// component (map, item style, silent) and its layout, which
// opts.GeoComponent lacks.
type geoComponent struct {
	opts.GeoComponent
	AspectScale  float64    `json:"aspectScale"`
	Roam         types.Bool `json:"roam,omitempty"`
	SelectedMode types.Bool `json:"selectedMode,omitempty"`
	Left         int        `json:"left"`
	Right        int        `json:"right"`
	Top          int        `json:"top"`
	Bottom       int        `json:"bottom"`
	Label        *label     `json:"label,omitempty"`
	Emphasis     *emphasis  `json:"emphasis,omitempty"`
}

// emphasis is go-echarts' emphasis and disabled, which opts.Emphasis
// lacks.
type emphasis struct {
	opts.Emphasis
	Disabled bool `json:"disabled,omitempty"`
}
