// Package chart turns a chart cell of an analysis into ECharts options.
//
// Check takes an *analysis.Chart (the chart: cell as written) and the
// columns of its view, applies every rule of what a chart may say, and
// produces a Spec: the cell resolved against the view. Options takes a
// Spec and the *table.Table computed for the view and produces the ECharts
// option object as JSON bytes, which the report places in a data attribute
// of the chart's element and passes to echarts' setOption after JSON.parse.
//
// go-echarts is used as an options builder only: its renderer writes options
// unescaped into JavaScript, so this package never calls it. The JSON is
// written by encoding/json, which escapes <, > and & as \u003c, \u003e and
// \u0026; every label, series name and title from the data stays a string
// and never becomes markup. No option is a JavaScript function: number
// formats and units are applied here, in Go, and handed to ECharts as text
// (per-point tooltip text, HTML-escaped) or as string templates ("{value} %").
//
// The output is deterministic: the same cell and table give the same bytes
// (object keys are sorted by encoding/json, nothing random is used, the
// chart ID is supplied by the caller). Animation is off so screenshots are
// stable, the palette is set explicitly, and the ECharts aria option carries
// a text description of the chart built from its title and data.
//
// Check validates a chart cell against its view's columns without any data,
// for `galley check`; Options runs the same checks first. Errors are
// *position.Error values at the cell's positions in the analysis file.
//
// The ECharts build the options are for is package echarts's: galley
// embeds it and the report inlines it.
package chart
