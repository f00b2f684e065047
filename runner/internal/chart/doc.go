// Package chart turns a chart cell of an analysis into ECharts options.
//
// Check takes an *analysis.Chart (the chart: cell as written), the columns
// of its view and how the view shows them (its labels and formats), and
// applies every rule of what a chart may say: its type, columns, labels,
// formats, height, marks and facet. It produces a Spec: the cell resolved
// against the view. Options takes a Spec, the *table.Table computed for
// the view and the values of the analysis (which marks may name), and
// produces a Drawing: the ECharts options of each panel (one, or one per
// value of the facet column, with shared axes), and what the page prints
// around them: the legend, the height, and how the data table names and
// prints each column.
//
// The options are built with go-echarts' types: its option structs
// (package opts) and its series (charts.SingleSeries, configured by its
// series options), composed in option.go with the fields go-echarts lacks
// (the page's hints galleyTicks and galleyWrap among them). They are
// written by encoding/json, never by go-echarts' renderer, which loads
// ECharts from a network address and writes the options unescaped into a
// script; encoding/json escapes <, > and & as \u003c, \u003e and \u0026,
// so every label, series name and title from the data stays a string and
// never becomes markup. No option is a JavaScript function (go-echarts'
// __f__ markers are refused): every text a chart prints of the data is
// printed here, in Go, with package value's formats —
// categories, series and panel names with the chart's labels, tooltips
// (HTML-escaped), the ticks of a value axis (laid out here, min, max and
// interval, each tick's text given in galleyTicks, which the page's
// script turns into the axis's formatter), a time axis's template — and
// the page's script only lays labels out for the room the page gives them
// (galleyWrap).
//
// Readable labels are a rule, not a hope: every text style sets its line
// height (ECharts measures a line with a glyph no font here has), the
// legend and titles are printed by the page as text, marks' labels are
// aligned away from the nearer edge, and a bar chart of categories carries
// its horizontal drawing (Panel.Narrow) for a page too narrow for its
// labels.
//
// The output is deterministic: the same cell, table and values give the
// same bytes (object keys are sorted by encoding/json or fixed by struct
// order, nothing random is used: no go-echarts chart is made, so none of
// its random chart IDs, and the ID a map registers is supplied by the
// caller).
// Animation is off so screenshots are stable, the palette is set
// explicitly, and the ECharts aria option carries a text description of
// each panel built from its title, data and marks.
//
// Errors are *position.Error values at the cell's positions in the
// analysis file; Check reports every mistake it finds.
//
// The ECharts build the options are for is package echarts's: galley
// embeds it and the report inlines it.
package chart
