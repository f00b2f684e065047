package value

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"
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
//
// A Format may instead be a date format, made of the parts YYYY, MMMM,
// MMM, MM, M, DD and D ("YYYY", "MMM YYYY", "D MMM YYYY"; see date.go).
// A number format prints a date as Text does, and a date format a number.
type Format struct {
	Prefix, Suffix string
	Group          bool // thousands separators
	Decimals       int
	Percent        bool // the value times 100, then "%"
	date           bool // a date format: src holds its parts
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
	if isDateFormat(s) {
		return parseDate(s)
	}
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

// Suits reports whether f prints a value of type t: a number format ints
// and floats, a date format dates. Any suits every format (the value is
// checked when it is known), and so does the zero Format.
func (f Format) Suits(t Type) bool {
	switch {
	case f.IsZero() || t == Any:
		return true
	case f.date:
		return t == Date
	}
	return t.Numeric()
}

// DateFormatHint ends the message for a number format given to a date.
const DateFormatHint = `; a date prints with a date format such as "YYYY" or "D MMM YYYY"`

// Mismatch says why f cannot print a value of type t, which subject
// introduces ("start gives", "worst is"), or "" when it can (Suits).
func (f Format) Mismatch(subject string, t Type) string {
	switch {
	case f.Suits(t):
		return ""
	case f.date:
		return fmt.Sprintf("%q is a date format, and %s %s (a date format prints dates)", f.src, subject, t.WithArticle())
	}
	hint := ""
	if t == Date {
		hint = DateFormatHint
	}
	return fmt.Sprintf("%q is a number format, and %s %s (a number format prints ints and floats%s)", f.src, subject, t.WithArticle(), hint)
}

// IsZero reports whether f is the zero Format, which prints as Text does.
func (f Format) IsZero() bool { return f.src == "" }

// String is the format as written.
func (f Format) String() string { return f.src }

// Text prints v with f. A null prints as NullText; a value that is not a
// number (a string, a date) prints as Text prints it.
func (f Format) Text(v any) string {
	if f.date {
		if d, ok := v.(time.Time); ok {
			return f.dateText(d)
		}
		return Text(v)
	}
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
	return f.number(d, f.Decimals)
}

// number prints the decimal text d, already scaled for a percent, with
// f's prefix, separators, percent sign and suffix, rounded to decimals.
func (f Format) number(d string, decimals int) string {
	d = roundDecimal(d, decimals)
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

// Tick prints the tick t of a value axis whose ticks are step apart, both
// in the units the chart plots (see Scaled: a percent is already times
// 100). It prints as f does, with the decimals the step needs rather than
// the format's: the ticks of "0.0%" 25 apart read 0%, 25%, 50%; those of
// "$0,0" 0.5 apart read $0.5, $1.0. The zero Format and a date format
// print a tick as "0,0" would, with the step's decimals.
func (f Format) Tick(t, step float64) string {
	g := f
	if f.IsZero() || f.date {
		g = Format{Group: true}
	}
	d, ok := decimalText(t)
	if !ok {
		return Text(t)
	}
	return g.number(d, stepDecimals(step))
}

// stepDecimals is how many decimals tell apart ticks step apart: those of
// the step's shortest decimal form (0.25 needs 2, 5 needs none).
func stepDecimals(step float64) int {
	d, ok := decimalText(step)
	if !ok {
		return 0
	}
	if i := strings.IndexByte(d, '.'); i >= 0 {
		return len(d) - i - 1
	}
	return 0
}

// Scaled is the number a chart plots for v: v itself, or for a percent
// format v times 100, shifted exactly in decimal so that 0.07 plots as 7
// and not 7.000000000000001. Nulls and non-numbers are returned as they are.
func (f Format) Scaled(v any) any {
	if !f.Percent || f.date {
		return v
	}
	d, ok := decimalText(v)
	if !ok {
		return v
	}
	return json.Number(shiftDecimal(d, 2))
}
