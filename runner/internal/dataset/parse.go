package dataset

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"galley/runner/internal/analysis"
	"galley/runner/internal/position"
)

const defaultLayout = time.DateOnly

// fill converts the record sc just read into r.row; a nil sc stands for a
// blank line, one empty field.
func (r *Reader) fill(sc *scanner) ([]any, error) {
	n := 1
	if sc != nil {
		n = sc.count()
	}
	if n != len(r.header) {
		return nil, r.ragged(n)
	}
	if r.texts != nil {
		r.texts(sc)
		return r.row, nil
	}
	for i := range r.cols {
		c := &r.cols[i]
		if c.ignore {
			r.row[i] = nil // any text is a string: nothing to check
			continue
		}
		if c.file {
			r.row[i] = r.fileTag
			continue
		}
		var text []byte
		if sc != nil {
			text = sc.text(c.idx)
		}
		if c.skip {
			// An unused column is still checked, cell by cell, but never
			// converted: every cell of the file is read as its declared type.
			if msg := r.check(c, text); msg != "" {
				return nil, position.Errorf(r.pos(c.idx), "column %q (%s): %s", c.col.Name, c.col.Type, msg)
			}
			r.row[i] = nil
			continue
		}
		v, msg := r.memoValue(c, &r.memo[i], text)
		if msg != "" {
			return nil, position.Errorf(r.pos(c.idx), "column %q (%s): %s", c.col.Name, c.col.Type, msg)
		}
		r.row[i] = v
	}
	return r.row, nil
}

// ragged is the error for the record just read, of n fields, which the
// header does not have: it names the column where the row ends too early,
// or the first field past the last column, at its place.
func (r *Reader) ragged(n int) error {
	sc, h := r.in.sc, len(r.header)
	if n > h {
		return position.Errorf(r.pos(h), "row has %s, but the header has %d: field %d, %q, is past the last column, %q (is a value holding %q not quoted?)",
			plural(n, "field"), h, h+1, clip(sc.text(h)), clip([]byte(r.header[h-1])), r.comma)
	}
	// Where the last field ends, the next would start.
	f := sc.fields[n-1]
	end := int(f.end)
	if f.quoted {
		end++ // its closing quote
	}
	line, col := sc.lineCol(sc.rec, end)
	pos := position.Pos{File: r.rel, Line: r.in.base + line, Col: col}
	return position.Errorf(pos, "row has %s, but the header has %d: it ends before column %d, %q", plural(n, "field"), h, n+1, clip([]byte(r.header[n])))
}

// clip shortens a text for a message: its first 40 bytes, whole runes.
func clip(b []byte) string {
	const most = 40
	if len(b) <= most {
		return string(b)
	}
	end := most
	for end > 0 && !utf8.RuneStart(b[end]) {
		end--
	}
	return string(b[:end]) + "…"
}

// memo remembers the values of a column's cells by their text, so that a
// value seen before (a city, a date, a small count) is neither parsed nor
// allocated again. A column whose cells rarely repeat (an identifier, a
// coordinate) stops being remembered after its first memoTrial cells.
type memo struct {
	recent      *[64]recent // the values last seen, by a hash of their text cheaper than the map's
	values      map[string]recent
	tries, hits int
	off         bool
	days        *dayMemo // for a date column in the default layout
}

type recent struct {
	text string
	v    any
}

// slot picks raw's place in memo.recent.
func slot(raw []byte) int {
	n := len(raw)
	if n == 0 {
		return 0
	}
	return int((uint(n)*37 ^ uint(raw[0])*5 ^ uint(raw[n/2])*3 ^ uint(raw[n-1])) & 63)
}

// dayMemo holds the boxed values of recent dates by their text, in a table
// of pairs (two ways per hash) that costs less than the map.
type dayMemo struct{ slots [1 << dayBits]daySlot }

type daySlot struct {
	lo uint64 // the date's text, its first eight bytes
	hi uint16 // and its last two
	v  any    // nil for an empty slot
}

const dayBits = 13

const (
	memoTrial = 4096 // cells looked up before deciding whether to go on
	memoMax   = 4096 // values remembered per column
	memoCell  = 64   // the longest cell remembered, so that a column holds at most 256 KiB of text
)

// memoBudget bounds what one reader (and the readers of the chunks it hands
// its memory on to) remembers, whatever the number of columns: about 5 MiB
// of remembered values (at most memoValues of at most memoCell bytes),
// 1.3 MiB of tables of recent values and 2 MiB of tables of days. A file
// with more columns in use than that remembers the values of the first.
type memoBudget struct {
	maps   int // columns that may still start remembering values
	days   int // date columns that may still get a table of days
	values int // values that may still be remembered
}

const (
	memoMaps   = 512
	memoDays   = 8
	memoValues = 32 << 10
)

func newMemoBudget() *memoBudget {
	return &memoBudget{maps: memoMaps, days: memoDays, values: memoValues}
}

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
				if v, ok := m.day(raw, r.budget); ok {
					return v, ""
				}
			}
		}
	}
	if m.off || len(raw) > memoCell {
		return r.value(c, raw)
	}
	var last *recent
	if m.recent != nil {
		last = &m.recent[slot(raw)]
		if last.v != nil && last.text == string(raw) {
			m.hits++
			return last.v, ""
		}
	}
	if e, ok := m.values[string(raw)]; ok {
		m.hits++
		if last != nil && e.v != nil {
			*last = e
		}
		return e.v, ""
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
		if r.budget.maps == 0 {
			m.off = true // the budget went to other columns
			return v, ""
		}
		r.budget.maps--
		m.values = make(map[string]recent)
		m.recent = new([64]recent)
	}
	if len(m.values) < memoMax && r.budget.values > 0 {
		r.budget.values--
		text, ok := v.(string) // a string value is its own text: keep it once
		if !ok || text != string(raw) {
			text = string(raw)
		}
		m.values[text] = recent{text, v}
	}
	return v, ""
}

// day returns the date raw holds, when it is a valid YYYY-MM-DD. A date
// seen before is found by its text alone, read as two machine words.
func (m *memo) day(raw []byte, b *memoBudget) (any, bool) {
	if len(raw) != 10 {
		return nil, false
	}
	if m.days == nil {
		if b.days == 0 {
			return nil, false // read as any other value
		}
		b.days--
		m.days = new(dayMemo)
	}
	lo := binary.LittleEndian.Uint64(raw)
	hi := uint16(raw[8]) | uint16(raw[9])<<8
	slot := (lo*0x9E3779B97F4A7C15 ^ uint64(hi)*0xC2B2AE3D27D4EB4F) >> (64 - dayBits) &^ 1
	pair := m.days.slots[slot : slot+2 : slot+2] // two ways: the last two dates of this hash
	for i := range pair {
		if d := &pair[i]; d.v != nil && d.lo == lo && d.hi == hi {
			return d.v, true
		}
	}
	t, ok := fastDate(raw)
	if !ok {
		return nil, false
	}
	pair[1] = pair[0]
	pair[0] = daySlot{lo, hi, t}
	return pair[0].v, true
}

// value converts one cell; msg says what is wrong when it cannot.
func (r *Reader) value(c *colReader, raw []byte) (v any, msg string) {
	s := raw
	if c.trim {
		s = trimSpace(raw)
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
	s := raw
	if c.trim {
		s = trimSpace(raw)
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

// trimSpace is bytes.TrimSpace, quicker for the usual cell that starts and
// ends with something other than a space.
func trimSpace(b []byte) []byte {
	if n := len(b); n == 0 || (b[0] > ' ' && b[0] < utf8.RuneSelf && b[n-1] > ' ' && b[n-1] < utf8.RuneSelf) {
		return b
	}
	return bytes.TrimSpace(b)
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
	if len(s) > 0 && (s[0] == '-' || s[0] == '+') {
		i = 1
	}
	digits := i
	for i < len(s) && s[i]-'0' <= 9 {
		i++
	}
	digits = i - digits
	if i < len(s) && s[i] == '.' {
		i++
		f := i
		for i < len(s) && s[i]-'0' <= 9 {
			i++
		}
		digits += i - f
	}
	if i == len(s) && digits > 0 && len(s) <= 20 {
		return true
	}
	_, ok := parseFloat(string(s))
	return ok
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
