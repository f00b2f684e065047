package report

import (
	"regexp"
	"strings"

	"galley/runner/internal/value"
)

// csvCell is a value as the report's CSV files write it: its machine form
// (value.Plain), with text that a spreadsheet would run as a formula
// neutralised (csvText). Numbers are written as they are: -2 stays -2.
func csvCell(v any) string {
	if s, ok := v.(string); ok {
		return csvText(s)
	}
	return value.Plain(v)
}

// csvText neutralises CSV formula injection as OWASP's guidance says: a
// text that a spreadsheet would run as a formula when the file is opened
// (=HYPERLINK(...) sends the sheet's cells away, =cmd|... runs a program)
// is written with a ' in front, which makes it text. A text is such a
// formula when it starts with =, +, -, @, a tab, a carriage return or a
// NUL, also after spaces or no-break spaces, or with the full-width forms
// of =, +, - and @ that some spreadsheets read as the ASCII ones; or when
// a separator inside it (a comma, a semicolon, a tab) is followed by one
// of those, which a spreadsheet reading the file in a locale whose
// separator is a semicolon would start a new cell with. Text that is a
// plain number ("-2", "+3.5") is not a formula and is left alone.
func csvText(s string) string {
	if s == "" || plainNumber.MatchString(s) {
		return s
	}
	if formulaStart(strings.TrimLeft(s, " \u00a0")) || formulaStart(s) || innerFormula.MatchString(s) {
		return "'" + s
	}
	return s
}

// formulaStart reports whether s begins with what a spreadsheet reads as
// the start of a formula.
func formulaStart(s string) bool {
	for _, r := range s {
		return strings.ContainsRune("=+-@\t\r\x00＝＋－＠", r)
	}
	return false
}

var (
	plainNumber  = regexp.MustCompile(`^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$`)
	innerFormula = regexp.MustCompile("[,;\t][ \u00a0]*[=+\\-@＝＋－＠]")
)
