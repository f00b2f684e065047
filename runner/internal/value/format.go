package value

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
)

// Format is a parsed number format: [prefix]0[,0][.0...][%][suffix].
//
//	0        an integer, no thousands separators: 1930
//	0,0      thousands separators: 12,345
//	0.00     two decimals (as many as there are 0s after the point)
//	0%       the value times 100 with a percent sign: 0.276 is 28%
//	$0,0     a prefix: $110,000; a negative value is -$5
//	0,0 km   a suffix: 1,200 km
//	£0.0m    both: £3.2m
//
// Rounding is half away from zero on the value's shortest decimal form, so
// 0.125 with "0.00" is 0.13. The zero Format prints a value as Text does.
type Format struct {
	Prefix, Suffix string
	Group          bool // thousands separators
	Decimals       int
	Percent        bool // the value times 100, then "%"
	src            string
}

// FormatExamples is what an error about a format offers instead.
const FormatExamples = `"0", "0,0", "0.0", "0,0.00", "0%", "0.0%", "$0,0", "0,0 km" or "£0.0m"`

var (
	formatCore       = regexp.MustCompile(`0(,0)?(?:\.(0+))?(%)?`)
	spreadsheetComma = regexp.MustCompile(`(^|[^0]),0`)
)

// ParseFormat reads a format. The error says what is wrong with it; the
// caller places it in the analysis.
func ParseFormat(s string) (Format, error) {
	if strings.Contains(s, "#") {
		// A spreadsheet's notation: offer the same format in this one.
		t := spreadsheetComma.ReplaceAllString(strings.ReplaceAll(s, "#", ""), "${1}0,0")
		if _, err := ParseFormat(t); err == nil && t != s {
			return Format{}, fmt.Errorf("number format %q is written as in a spreadsheet; write %q (0 stands for the digits)", s, t)
		}
		return Format{}, fmt.Errorf("number format %q uses #; write 0 where the number goes (use %s)", s, FormatExamples)
	}
	i := strings.IndexByte(s, '0')
	if i < 0 {
		return Format{}, fmt.Errorf("number format %q has no 0 where the number goes (use %s)", s, FormatExamples)
	}
	prefix := s[:i]
	m := formatCore.FindStringSubmatchIndex(s[i:])
	if m == nil || m[0] != 0 {
		return Format{}, fmt.Errorf("number format %q is not one of the forms %s", s, FormatExamples)
	}
	core := s[i : i+m[1]]
	suffix := s[i+m[1]:]
	if strings.ContainsAny(prefix, "0123456789.,%-+") {
		return Format{}, fmt.Errorf("number format %q: the prefix %q may not hold digits, a sign, %%, a point or a comma (use %s)", s, prefix, FormatExamples)
	}
	if suffix != "" && strings.ContainsAny(suffix[:1], "0123456789.,") {
		return Format{}, fmt.Errorf("number format %q: after %q comes %q, which is not a number format (use %s)", s, core, suffix, FormatExamples)
	}
	if strings.ContainsAny(suffix, "0123456789%") {
		return Format{}, fmt.Errorf("number format %q: the suffix %q may not hold digits or %% (use %s)", s, suffix, FormatExamples)
	}
	f := Format{Prefix: prefix, Suffix: suffix, src: s}
	sub := formatCore.FindStringSubmatch(core)
	f.Group = sub[1] != ""
	f.Decimals = len(sub[2])
	f.Percent = sub[3] != ""
	return f, nil
}

// MustFormat is ParseFormat for formats written in Go source.
func MustFormat(s string) Format {
	f, err := ParseFormat(s)
	if err != nil {
		panic(err)
	}
	return f
}

// IsZero reports whether f is the zero Format, which prints as Text does.
func (f Format) IsZero() bool { return f.src == "" }

// String is the format as written.
func (f Format) String() string { return f.src }

// Text prints v with f. A null prints as NullText; a value that is not a
// number (a string, a date) prints as Text prints it.
func (f Format) Text(v any) string {
	if f.IsZero() {
		return Text(v)
	}
	d, ok := decimalText(v)
	if !ok {
		return Text(v)
	}
	if f.Percent {
		d = shiftDecimal(d, 2)
	}
	d = roundDecimal(d, f.Decimals)
	sign := ""
	if strings.HasPrefix(d, "-") {
		sign, d = "-", d[1:]
	}
	if f.Group {
		d = groupDigits(d)
	}
	if f.Percent {
		d += "%"
	}
	return sign + f.Prefix + d + f.Suffix
}

// Scaled is the number a chart plots for v: v itself, or for a percent
// format v times 100, shifted exactly in decimal so that 0.07 plots as 7
// and not 7.000000000000001. Nulls and non-numbers are returned as they are.
func (f Format) Scaled(v any) any {
	if !f.Percent {
		return v
	}
	d, ok := decimalText(v)
	if !ok {
		return v
	}
	return json.Number(shiftDecimal(d, 2))
}
