package chart

import (
	"encoding/json"
	"html"
	"math"
	"regexp"
	"strconv"
	"strings"

	"galley/runner/internal/table"
)

// numFormat is a parsed `format:` of a chart: a small subset of the
// numeral.js notation.
//
//	0       integer, no thousands separators
//	0,0     integer with thousands separators
//	0.00    two decimals (any number of 0s after the point)
//	0,0.0   separators and one decimal
//	0%      the value times 100 with a percent sign; 0.0% and 0,0.0% likewise
//
// Rounding is half away from zero on the value's shortest decimal form, so
// 0.125 with "0.00" is 0.13. Without a format, values print as in the
// report's tables (table.Format).
type numFormat struct {
	set      bool
	group    bool
	decimals int
	percent  bool
}

var formatRE = regexp.MustCompile(`^0(,0)?(?:\.(0+))?(%)?$`)

// formatExamples is shown in the error for an unknown format.
const formatExamples = `"0", "0.0", "0,0", "0,0.00", "0%" or "0.0%"`

func parseFormat(s string) (numFormat, bool) {
	m := formatRE.FindStringSubmatch(s)
	if m == nil {
		return numFormat{}, false
	}
	return numFormat{set: true, group: m[1] != "", decimals: len(m[2]), percent: m[3] != ""}, true
}

// plain is the exact shortest decimal form of a number: no exponent, no
// thousands separators.
func plain(v any) string {
	switch x := v.(type) {
	case int:
		return strconv.Itoa(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return ""
}

// format prints a number with f; a nil value prints as "no data".
func (f numFormat) format(v any) string {
	if v == nil {
		return "no data"
	}
	if !f.set {
		return table.Format(v)
	}
	d := plain(v)
	if f.percent {
		d = shiftDecimal(d, 2)
	}
	d = roundDecimal(d, f.decimals)
	if strings.Trim(d, "-0.") == "" {
		d = strings.TrimPrefix(d, "-") // no "-0.0"
	}
	if f.group {
		d = groupDigits(d)
	}
	if f.percent {
		d += "%"
	}
	return d
}

// plotValue is the number placed in the chart: the value itself, or for a
// percent format the value times 100, shifted exactly in decimal so that
// 0.07 plots as 7 and not 7.000000000000001.
func (f numFormat) plotValue(v any) any {
	if v == nil || !f.percent {
		return v
	}
	return json.Number(shiftDecimal(plain(v), 2))
}

// splitDecimal splits a decimal string into sign, integer and fraction digits.
func splitDecimal(d string) (sign, intPart, frac string) {
	if strings.HasPrefix(d, "-") {
		sign, d = "-", d[1:]
	}
	intPart, frac = d, ""
	if i := strings.IndexByte(d, '.'); i >= 0 {
		intPart, frac = d[:i], d[i+1:]
	}
	if intPart == "" {
		intPart = "0"
	}
	return sign, intPart, frac
}

func joinDecimal(sign, intPart, frac string) string {
	intPart = strings.TrimLeft(intPart, "0")
	if intPart == "" {
		intPart = "0"
	}
	if frac != "" {
		return sign + intPart + "." + frac
	}
	return sign + intPart
}

// shiftDecimal multiplies a decimal string by 10^n, n >= 0.
func shiftDecimal(d string, n int) string {
	sign, intPart, frac := splitDecimal(d)
	for len(frac) < n {
		frac += "0"
	}
	intPart += frac[:n]
	frac = strings.TrimRight(frac[n:], "0")
	return joinDecimal(sign, intPart, frac)
}

// roundDecimal rounds a decimal string to n fraction digits, half away from
// zero, and pads it to exactly n digits.
func roundDecimal(d string, n int) string {
	sign, intPart, frac := splitDecimal(d)
	if len(frac) <= n {
		return joinDecimal(sign, intPart, frac+strings.Repeat("0", n-len(frac)))
	}
	up := frac[n] >= '5'
	digits := []byte(intPart + frac[:n])
	if up {
		i := len(digits) - 1
		for ; i >= 0; i-- {
			if digits[i] == '9' {
				digits[i] = '0'
				continue
			}
			digits[i]++
			break
		}
		if i < 0 {
			digits = append([]byte{'1'}, digits...)
		}
	}
	k := len(digits) - n
	return joinDecimal(sign, string(digits[:k]), string(digits[k:]))
}

// groupDigits puts a comma between every three digits of the integer part.
func groupDigits(d string) string {
	sign, intPart, frac := splitDecimal(d)
	var b strings.Builder
	b.WriteString(sign)
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if frac != "" || strings.Contains(d, ".") {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}

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
