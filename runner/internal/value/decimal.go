package value

import (
	"math"
	"strconv"
	"strings"
)

// Numbers are formatted from their shortest exact decimal text, not from
// their binary value: 2.675 is stored as 2.67499999999999982236431605997495353221893310546875,
// but a reader who wrote 2.675 expects it to round to 2.68. Every function
// here works on that decimal text.

// decimalText is the shortest decimal form of an int or a finite float,
// without exponent.
func decimalText(v any) (string, bool) {
	switch x := v.(type) {
	case int:
		return strconv.Itoa(x), true
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return "", false
		}
		return strconv.FormatFloat(x, 'f', -1, 64), true
	}
	return "", false
}

// Round rounds x to n decimals, halves away from zero, in decimal: Round(2.675,
// 2) is 2.68. A result of zero is never negative.
func Round(x float64, n int) float64 {
	d, ok := decimalText(x)
	if !ok {
		return x
	}
	r, _ := strconv.ParseFloat(roundDecimal(d, n), 64)
	if r == 0 {
		return 0
	}
	return r
}

// Shift multiplies x by 10^n, n >= 0, exactly in decimal: Shift(0.07, 2) is
// 7, not 7.000000000000001.
func Shift(x float64, n int) float64 {
	d, ok := decimalText(x)
	if !ok {
		return x * math.Pow10(n)
	}
	r, _ := strconv.ParseFloat(shiftDecimal(d, n), 64)
	return r
}

// splitDecimal splits a decimal text into sign, integer and fraction digits.
func splitDecimal(d string) (sign, intPart, frac string) {
	if strings.HasPrefix(d, "-") {
		sign, d = "-", d[1:]
	}
	intPart = d
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
	if strings.Trim(intPart+frac, "0") == "" {
		sign = "" // no "-0" or "-0.00"
	}
	if frac != "" {
		return sign + intPart + "." + frac
	}
	return sign + intPart
}

// shiftDecimal multiplies a decimal text by 10^n, n >= 0.
func shiftDecimal(d string, n int) string {
	sign, intPart, frac := splitDecimal(d)
	for len(frac) < n {
		frac += "0"
	}
	intPart += frac[:n]
	frac = strings.TrimRight(frac[n:], "0")
	return joinDecimal(sign, intPart, frac)
}

// roundDecimal rounds a decimal text to n fraction digits, half away from
// zero, and pads it to exactly n digits.
func roundDecimal(d string, n int) string {
	sign, intPart, frac := splitDecimal(d)
	if len(frac) <= n {
		return joinDecimal(sign, intPart, frac+strings.Repeat("0", n-len(frac)))
	}
	digits := []byte(intPart + frac[:n])
	if frac[n] >= '5' {
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

// groupDigits puts a comma between every three digits of the integer part
// of a decimal text.
func groupDigits(d string) string {
	sign, intPart, frac := splitDecimal(d)
	if len(intPart) <= 3 {
		return d
	}
	var b strings.Builder
	b.WriteString(sign)
	lead := len(intPart) % 3
	b.WriteString(intPart[:lead])
	for i := lead; i < len(intPart); i += 3 {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(intPart[i : i+3])
	}
	if strings.Contains(d, ".") {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}
