package chart

import (
	"html"
	"math"
	"strings"
)

// unitSuffix is what follows a number for a unit: "%" is written tight
// ("12%"), every other unit after a space ("12 km").
func unitSuffix(unit string) string {
	switch unit {
	case "":
		return ""
	case "%":
		return "%"
	}
	return " " + unit
}

// isNumber reports whether v is an int or a float64.
func isNumber(v any) bool {
	switch v.(type) {
	case int, float64:
		return true
	}
	return false
}

// finite reports whether a number can be written as JSON.
func finite(v any) bool {
	f, ok := v.(float64)
	return !ok || !(math.IsNaN(f) || math.IsInf(f, 0))
}

// tipText escapes text for an ECharts tooltip: the formatter string is set
// as innerHTML, and ECharts replaces {a}, {b}, {c}... in it, so besides the
// HTML escapes braces become character references too.
func tipText(s string) string {
	s = html.EscapeString(s)
	s = strings.ReplaceAll(s, "{", "&#123;")
	return strings.ReplaceAll(s, "}", "&#125;")
}
