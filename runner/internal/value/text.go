package value

import (
	"math"
	"strconv"
	"time"
)

// NullText is how a null displays, wherever a reader sees one: a table
// cell, a chart's category or tooltip, a claim's input, an inline value.
// The machine forms (CSV, the
// results document) write a null as an empty cell or JSON null.
const NullText = "no value"

// Text is the display form of a value: ints and floats with thousands
// separators, floats in their shortest exact decimal form (a format, or
// round() in the analysis, shows fewer digits), dates as YYYY-MM-DD, null
// as NullText.
func Text(v any) string {
	switch x := v.(type) {
	case nil:
		return NullText
	case int, float64:
		return groupDigits(Plain(x))
	}
	return Plain(v)
}

// Plain is the machine form of a value, as CSV downloads and the results
// document write it: no thousands separators, the shortest decimal form of
// a float (never an exponent), dates as YYYY-MM-DD, null as "".
func Plain(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case int:
		return strconv.Itoa(x)
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return strconv.FormatFloat(x, 'g', -1, 64)
		}
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case time.Time:
		return x.Format(time.DateOnly)
	}
	return ""
}
