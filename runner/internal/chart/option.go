package chart

// The ECharts option object, as Galley writes it: only the options it
// sets, each typed, written by encoding/json. Numbers that may be 0 (an
// axis minimum, a category label interval) are held in an any, which
// omitempty leaves out only when nil.

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

type option struct {
	Animation bool      `json:"animation"`
	Aria      aria      `json:"aria"`
	Color     []string  `json:"color"`
	TextStyle textStyle `json:"textStyle"`
	Title     show      `json:"title"`
	Legend    show      `json:"legend"`
	Tooltip   tooltipOp `json:"tooltip"`
	Grid      *grid     `json:"grid,omitempty"`
	XAxis     []*axis   `json:"xAxis,omitempty"`
	YAxis     []*axis   `json:"yAxis,omitempty"`
	Series    []*series `json:"series"`
}

type show struct {
	Show bool `json:"show"`
}

type aria struct {
	Enabled bool      `json:"enabled"`
	Label   ariaLabel `json:"label"`
	Decal   show      `json:"decal"`
}

type ariaLabel struct {
	Enabled     bool   `json:"enabled"`
	Description string `json:"description"`
}

type textStyle struct {
	FontFamily string `json:"fontFamily,omitempty"`
	FontSize   int    `json:"fontSize,omitempty"`
	LineHeight int    `json:"lineHeight,omitempty"`
	Color      string `json:"color,omitempty"`
	Align      string `json:"align,omitempty"`
}

type tooltipOp struct {
	Show    bool   `json:"show"`
	Trigger string `json:"trigger"`
	Confine bool   `json:"confine"`
}

// grid is the plot's margins; containLabel makes room for the axis labels
// inside them.
type grid struct {
	Left         int  `json:"left"`
	Right        int  `json:"right"`
	Top          int  `json:"top"`
	Bottom       int  `json:"bottom"`
	ContainLabel bool `json:"containLabel"`
}

type axis struct {
	Type          string     `json:"type"` // category, value or time
	Data          []string   `json:"data,omitempty"`
	Name          string     `json:"name,omitempty"`
	NameLocation  string     `json:"nameLocation,omitempty"`
	NameGap       int        `json:"nameGap,omitempty"`
	NameTextStyle *textStyle `json:"nameTextStyle,omitempty"`
	Inverse       bool       `json:"inverse,omitempty"`
	Min           any        `json:"min,omitempty"`
	Max           any        `json:"max,omitempty"`
	Interval      any        `json:"interval,omitempty"`
	MinInterval   any        `json:"minInterval,omitempty"`
	MaxInterval   any        `json:"maxInterval,omitempty"`
	AxisLabel     *axisLabel `json:"axisLabel,omitempty"`
	AxisTick      *axisTick  `json:"axisTick,omitempty"`
}

type axisLabel struct {
	Interval    any    `json:"interval,omitempty"`
	FontFamily  string `json:"fontFamily,omitempty"`
	Margin      int    `json:"margin,omitempty"`
	FontSize    int    `json:"fontSize,omitempty"`
	LineHeight  int    `json:"lineHeight,omitempty"`
	HideOverlap bool   `json:"hideOverlap,omitempty"`
	Formatter   string `json:"formatter,omitempty"` // a time axis's template, e.g. "{yyyy}"
	// Ticks are the texts of a value axis's ticks, by the tick's value
	// written as JavaScript writes a number: the page's script makes them
	// the axis's formatter (a function, which JSON cannot hold). The
	// ticks are Galley's own (min, max, interval), so every one is here.
	Ticks map[string]string `json:"galleyTicks,omitempty"`
	// Wrap asks the page's script to wrap the category labels to the room
	// each has, at the page's width.
	Wrap bool `json:"galleyWrap,omitempty"`
}

type axisTick struct {
	AlignWithLabel bool `json:"alignWithLabel"`
}

type series struct {
	Type         string     `json:"type"`
	Name         string     `json:"name"`
	Data         []any      `json:"data"`
	Stack        string     `json:"stack,omitempty"`
	Color        string     `json:"color,omitempty"`
	ItemStyle    *itemStyle `json:"itemStyle,omitempty"`
	LineStyle    *itemStyle `json:"lineStyle,omitempty"`
	AreaStyle    *areaStyle `json:"areaStyle,omitempty"`
	Symbol       string     `json:"symbol,omitempty"`
	SymbolSize   int        `json:"symbolSize,omitempty"`
	ConnectNulls *bool      `json:"connectNulls,omitempty"`
	MarkLine     *markLine  `json:"markLine,omitempty"`
	MarkPoint    *markPoint `json:"markPoint,omitempty"`

	// pie
	Radius            string     `json:"radius,omitempty"`
	Center            []string   `json:"center,omitempty"`
	Label             *itemLabel `json:"label,omitempty"`
	AvoidLabelOverlap bool       `json:"avoidLabelOverlap,omitempty"`
}

type itemStyle struct {
	Color string  `json:"color,omitempty"`
	Type  string  `json:"type,omitempty"`
	Width float64 `json:"width,omitempty"`
}

type areaStyle struct {
	Opacity float64 `json:"opacity"`
}

// itemLabel is the label of a pie slice or a mark.
type itemLabel struct {
	Show            bool    `json:"show"`
	Formatter       string  `json:"formatter,omitempty"`
	Position        string  `json:"position,omitempty"`
	FontFamily      string  `json:"fontFamily,omitempty"`
	Align           string  `json:"align,omitempty"`
	FontSize        int     `json:"fontSize,omitempty"`
	LineHeight      int     `json:"lineHeight,omitempty"`
	Color           string  `json:"color,omitempty"`
	TextBorderColor string  `json:"textBorderColor,omitempty"`
	TextBorderWidth float64 `json:"textBorderWidth,omitempty"`
	Overflow        string  `json:"overflow,omitempty"`
	Width           int     `json:"width,omitempty"`
	BleedMargin     int     `json:"bleedMargin,omitempty"`
	MinMargin       int     `json:"minMargin,omitempty"`
}

type markLine struct {
	Silent    bool       `json:"silent"`
	Symbol    []string   `json:"symbol"`
	LineStyle itemStyle  `json:"lineStyle"`
	Label     *itemLabel `json:"label,omitempty"`
	Data      []any      `json:"data"`
}

// markLineAt is one line: at an x (xAxis) or at a y (yAxis), named by its
// label, which the label's formatter "{b}" prints (a label written in the
// formatter itself would have its braces read as a template).
type markLineAt struct {
	Name  string     `json:"name"`
	XAxis any        `json:"xAxis,omitempty"`
	YAxis any        `json:"yAxis,omitempty"`
	Label *itemLabel `json:"label,omitempty"`
}

type markPoint struct {
	Silent     bool       `json:"silent"`
	Symbol     string     `json:"symbol"`
	SymbolSize int        `json:"symbolSize"`
	ItemStyle  itemStyle  `json:"itemStyle"`
	Data       []markItem `json:"data"`
}

type markItem struct {
	Name  string     `json:"name"`
	Coord []any      `json:"coord"`
	Label *itemLabel `json:"label,omitempty"`
}
