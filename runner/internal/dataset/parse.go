package dataset

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"galley/runner/internal/analysis"
	"galley/runner/internal/position"
)

const defaultLayout = "2006-01-02"

// fill converts one record into r.row.
func (r *Reader) fill(rec [][]byte) ([]any, error) {
	if len(rec) != len(r.header) {
		pos := r.pos(0)
		pos.Col = 0
		hint := ""
		if len(rec) > len(r.header) {
			hint = fmt.Sprintf(" (is a value holding %q not quoted?)", r.comma)
		}
		return nil, position.Errorf(pos, "row has %s, but the header has %d%s", plural(len(rec), "field"), len(r.header), hint)
	}
	for i := range r.cols {
		c := &r.cols[i]
		if c.skip {
			// An unused column is still checked, cell by cell, but never
			// converted: every cell of the file is read as its declared type.
			if msg := r.check(c, rec[c.idx]); msg != "" {
				return nil, position.Errorf(r.pos(c.idx), "column %q (%s): %s", c.col.Name, c.col.Type, msg)
			}
			r.row[i] = nil
			continue
		}
		v, msg := r.memoValue(c, &r.memo[i], rec[c.idx])
		if msg != "" {
			return nil, position.Errorf(r.pos(c.idx), "column %q (%s): %s", c.col.Name, c.col.Type, msg)
		}
		r.row[i] = v
	}
	return r.row, nil
}

// memo remembers the values of a column's cells by their text, so that a
// value seen before (a city, a date, a small count) is neither parsed nor
// allocated again. A column whose cells rarely repeat (an identifier, a
// coordinate) stops being remembered after its first memoTrial cells.
type memo struct {
	values      map[string]any
	tries, hits int
	off         bool
	days        *dayMemo // for a date column in the default layout
}

// dayMemo holds the boxed values of recent dates, by day, where a lookup
// costs less than hashing the text: a slot per day modulo its size.
type dayMemo struct {
	keys [4096]int32 // the day's key plus one; 0 is an empty slot
	vals [4096]any
}

const (
	memoTrial = 4096 // cells looked up before deciding whether to go on
	memoMax   = 4096 // values remembered per column
)

// memoValue is value through the column's memo. A small int needs none:
// Go boxes 0 to 255 without allocating.
func (r *Reader) memoValue(c *colReader, m *memo, raw []byte) (any, string) {
	if c.emptyNA && len(raw) > 0 { // not null unless blank
		switch c.col.Type {
		case analysis.TypeInt:
			if n, ok := parseInt(raw); ok && uint(n) < 256 {
				return n, ""
			}
		case analysis.TypeDate:
			if c.col.Layout == "" || c.col.Layout == defaultLayout {
				if v, ok := m.day(raw); ok {
					return v, ""
				}
			}
		}
	}
	if m.off {
		return r.value(c, raw)
	}
	if v, ok := m.values[string(raw)]; ok {
		m.hits++
		return v, ""
	}
	v, msg := r.value(c, raw)
	if msg != "" {
		return v, msg
	}
	if m.tries++; m.tries == memoTrial && m.hits < memoTrial/2 {
		m.off, m.values = true, nil
		return v, ""
	}
	if m.values == nil {
		m.values = make(map[string]any)
	}
	if len(m.values) < memoMax {
		m.values[string(raw)] = v
	}
	return v, ""
}

// day returns the date raw holds, when it is a valid YYYY-MM-DD.
func (m *memo) day(raw []byte) (any, bool) {
	if len(raw) != 10 || raw[4] != '-' || raw[7] != '-' {
		return nil, false
	}
	var n [8]int32
	for k, i := range [...]int{0, 1, 2, 3, 5, 6, 8, 9} {
		d := raw[i] - '0'
		if d > 9 {
			return nil, false
		}
		n[k] = int32(d)
	}
	// 372 keys a year, so that about eleven years of days take distinct slots.
	key := (n[0]*1000+n[1]*100+n[2]*10+n[3])*372 + (n[4]*10+n[5])*31 + n[6]*10 + n[7]
	if m.days == nil {
		m.days = new(dayMemo)
	}
	slot := key % int32(len(m.days.keys))
	if m.days.keys[slot] == key+1 {
		return m.days.vals[slot], true
	}
	t, ok := fastDate(raw)
	if !ok {
		return nil, false
	}
	m.days.keys[slot], m.days.vals[slot] = key+1, t
	return m.days.vals[slot], true
}

// value converts one cell; msg says what is wrong when it cannot.
func (r *Reader) value(c *colReader, raw []byte) (v any, msg string) {
	s := raw
	if c.trim {
		s = bytes.TrimSpace(raw)
	}
	if c.isNull(raw, s) {
		if c.col.Required {
			if len(raw) == 0 {
				return nil, "the column is required, but the cell is empty"
			}
			return nil, fmt.Sprintf("the column is required, but the cell is %q, a null marker", raw)
		}
		return nil, ""
	}
	var ok bool
	v, ok = parseCell(c.col.Type, c.col.Layout, s)
	if ok {
		return v, ""
	}
	return nil, cellError(c.col, string(raw), string(s))
}

// check is value without the conversion, for columns no view uses: it
// allocates nothing.
func (r *Reader) check(c *colReader, raw []byte) (msg string) {
	t := c.col.Type
	if t == analysis.TypeString && !c.col.Required {
		return ""
	}
	s := raw
	if c.trim {
		s = bytes.TrimSpace(raw)
	}
	if c.isNull(raw, s) {
		if c.col.Required {
			_, msg := r.value(c, raw)
			return msg
		}
		return ""
	}
	ok := true
	switch t {
	case analysis.TypeInt:
		_, ok = parseInt(s)
	case analysis.TypeFloat:
		ok = validFloat(s)
	case analysis.TypeBool:
		_, ok = parseBool(string(s))
	case analysis.TypeDate:
		_, ok = parseDateBytes(c.col.Layout, s)
	}
	if ok {
		return ""
	}
	return cellError(c.col, string(raw), string(s))
}

func (c *colReader) isNull(raw, trimmed []byte) bool {
	if c.emptyNA {
		return len(trimmed) == 0
	}
	for _, n := range c.nulls {
		if string(raw) == n || string(trimmed) == n {
			return true
		}
	}
	return false
}

// parseInt reads a base-10 integer of up to 18 digits without strconv,
// and anything else with it.
func parseInt(s []byte) (int, bool) {
	i, neg := 0, false
	if len(s) > 0 && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		i = 1
	}
	if i == len(s) || len(s)-i > 18 {
		n, err := strconv.ParseInt(string(s), 10, 0)
		return int(n), err == nil
	}
	n := 0
	for ; i < len(s); i++ {
		c := s[i] - '0'
		if c > 9 {
			return 0, false
		}
		n = n*10 + int(c)
	}
	if neg {
		n = -n
	}
	return n, true
}

// parseDateBytes is parseDate on the cell's bytes.
func parseDateBytes(layout string, s []byte) (time.Time, bool) {
	if layout == "" || layout == defaultLayout {
		if t, ok := fastDate(s); ok {
			return t, true
		}
	}
	t, err := parseDate(layout, string(s))
	return t, err == nil
}

// parseCell converts a non-null cell, already trimmed unless a string.
func parseCell(t analysis.ColumnType, layout string, s []byte) (any, bool) {
	switch t {
	case analysis.TypeString, analysis.TypeAny:
		return string(s), true
	case analysis.TypeInt:
		return parseInt(s)
	case analysis.TypeFloat:
		f, ok := parseFloat(string(s))
		return f, ok
	case analysis.TypeBool:
		return parseBool(string(s))
	case analysis.TypeDate:
		return parseDateBytes(layout, s)
	}
	return nil, false
}

// parseFloat reads a decimal number: digits, sign, point and exponent only
// (no NaN, infinity, hex or underscores).
func parseFloat(s string) (float64, bool) {
	if s == "" {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case '0' <= c && c <= '9', c == '.', c == '+', c == '-', c == 'e', c == 'E':
		default:
			return 0, false
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}

// validFloat is parseFloat's answer without the conversion, for columns
// no view uses: a plain decimal of up to 20 characters cannot overflow, so
// its syntax is enough; anything else goes through parseFloat.
func validFloat(s []byte) bool {
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		i++
	}
	digits, dot := 0, false
	for ; i < len(s); i++ {
		switch c := s[i]; {
		case '0' <= c && c <= '9':
			digits++
		case c == '.' && !dot:
			dot = true
		default:
			_, ok := parseFloat(string(s))
			return ok
		}
	}
	if digits == 0 || len(s) > 20 {
		_, ok := parseFloat(string(s))
		return ok
	}
	return true
}

func parseBool(s string) (bool, bool) {
	switch s {
	case "true", "TRUE", "True", "yes", "Yes", "YES", "1":
		return true, true
	case "false", "FALSE", "False", "no", "No", "NO", "0":
		return false, true
	}
	return false, false
}

// parseDate reads s in layout ("2006-01-02" when empty) and returns the
// day at UTC midnight.
func parseDate(layout, s string) (time.Time, error) {
	if layout == "" || layout == defaultLayout {
		if t, ok := fastDate(s); ok {
			return t, nil
		}
		layout = defaultLayout // time.Parse says what is wrong
	}
	t, err := time.Parse(layout, s)
	if err != nil {
		return time.Time{}, err
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), nil
}

// cellError says why raw (s once trimmed) is not a value of col's type.
func cellError(col *analysis.Column, raw, s string) string {
	switch col.Type {
	case analysis.TypeInt:
		msg := fmt.Sprintf("cannot read %q as an integer", raw)
		_, err := strconv.ParseInt(s, 10, 64)
		switch {
		case errors.Is(err, strconv.ErrRange):
			return msg + " (it is out of range: declare the column as float)"
		case hasThousands(s):
			return msg + " (thousands separators are not read: remove them from the file and re-pin it, or declare the column as string)"
		case isFloat(s):
			return msg + " (it has a fraction or an exponent: declare the column as float)"
		case len(s) > 2 && (s[0] == '0' || ((s[0] == '+' || s[0] == '-') && s[1] == '0')) && strings.ContainsAny(s, "xXbBoO_"):
			return msg + " (only base-10 digits are read)"
		}
		return msg
	case analysis.TypeFloat:
		msg := fmt.Sprintf("cannot read %q as a number", raw)
		switch t := strings.ToLower(strings.TrimLeft(s, "+-")); {
		case t == "nan" || t == "inf" || t == "infinity":
			return msg + fmt.Sprintf(" (NaN and infinity are not read; if it marks a missing value, add %q to the dataset's null markers)", s)
		case hasThousands(s):
			return msg + " (thousands separators are not read: remove them from the file and re-pin it, or declare the column as string)"
		case isDecimalComma(s):
			return msg + " (the decimal separator must be a point)"
		}
		if _, err := strconv.ParseFloat(s, 64); errors.Is(err, strconv.ErrRange) {
			return msg + " (it is out of range)"
		}
		return msg
	case analysis.TypeBool:
		return fmt.Sprintf("cannot read %q as a boolean (use true/false, yes/no or 1/0)", raw)
	case analysis.TypeDate:
		_, err := parseDate(col.Layout, s)
		var pe *time.ParseError
		if errors.As(err, &pe) && strings.Contains(pe.Message, "out of range") {
			return fmt.Sprintf("cannot read %q as a date: %s", raw, strings.TrimPrefix(pe.Message, ": "))
		}
		if col.Layout == "" || col.Layout == defaultLayout {
			return fmt.Sprintf("cannot read %q as a date (expected YYYY-MM-DD; for another form declare {type: date, format: \"02/01/2006\"})", raw)
		}
		return fmt.Sprintf("cannot read %q as a date in the form %q", raw, col.Layout)
	}
	return fmt.Sprintf("cannot read %q as %s", raw, col.Type)
}

func isFloat(s string) bool {
	_, ok := parseFloat(s)
	return ok
}

// hasThousands reports whether s is an integer or a decimal number written
// with thousands separators, like 1,234 or 12 345 678.5.
func hasThousands(s string) bool {
	s = strings.TrimLeft(s, "+-")
	if i := strings.LastIndexByte(s, '.'); i >= 0 && strings.Count(s, ".") == 1 && !strings.ContainsAny(s[i:], ", '_") {
		s = s[:i] // a decimal part
	}
	for _, sep := range []string{",", " ", "\u00a0", "'", "_", "."} {
		groups := strings.Split(s, sep)
		if len(groups) < 2 || (sep == "." && len(groups) < 3) {
			continue
		}
		ok := len(groups[0]) >= 1 && len(groups[0]) <= 3 && digits(groups[0])
		for _, g := range groups[1:] {
			ok = ok && len(g) == 3 && digits(g)
		}
		if ok {
			return true
		}
	}
	return false
}

func isDecimalComma(s string) bool {
	s = strings.TrimLeft(s, "+-")
	i := strings.IndexByte(s, ',')
	return i > 0 && strings.Count(s, ",") == 1 && digits(s[:i]) && digits(s[i+1:]) && i+1 < len(s)
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}

// fastDate reads a valid YYYY-MM-DD date without time.Parse, which is
// slower; anything else is left to time.Parse.
func fastDate[T string | []byte](s T) (time.Time, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return time.Time{}, false
	}
	n := func(s T) int {
		v := 0
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return -1
			}
			v = v*10 + int(s[i]-'0')
		}
		return v
	}
	y, m, d := n(s[:4]), n(s[5:7]), n(s[8:])
	if y < 0 || m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d { // 2017-02-30 rolled over into March
		return time.Time{}, false
	}
	return t, true
}
