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
// text that starts with =, +, -, @, a tab or a carriage return is what
// Excel, LibreOffice and Google Sheets run as a formula when the file is
// opened (=HYPERLINK(...) sends the sheet's cells away, =cmd|... runs a
// program), so it is written with a ' in front, which makes it text. Text
// that is a plain number ("-2", "+3.5") is not a formula and is left alone.
func csvText(s string) string {
	if s == "" || !strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return s
	}
	if plainNumber.MatchString(s) {
		return s
	}
	return "'" + s
}

var plainNumber = regexp.MustCompile(`^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$`)
