package table

import (
	"math"
	"strconv"
	"strings"
	"time"

	"galley/runner/internal/analysis"
	"galley/runner/internal/position"
)

// Column is one column of a table.
type Column struct {
	Name string
	Type analysis.ColumnType
	Pos  position.Pos // where the column is defined in the analysis
}

// Table is a computed view.
type Table struct {
	Name    string
	Pos     position.Pos
	Columns []Column
	Rows    [][]any
}

// Index returns the position of the named column, or -1.
func (t *Table) Index(name string) int { return ColumnIndex(t.Columns, name) }

// ColumnIndex returns the position of the named column in cols, or -1.
func ColumnIndex(cols []Column, name string) int {
	for i, c := range cols {
		if c.Name == name {
			return i
		}
	}
	return -1
}

// Compare orders two values of one column: nulls sort after every other
// value; values of different kinds order by kind so the order is total.
func Compare(a, b any) int {
	if a == nil || b == nil {
		switch {
		case a == nil && b == nil:
			return 0
		case a == nil:
			return 1
		}
		return -1
	}
	switch x := a.(type) {
	case string:
		if y, ok := b.(string); ok {
			return strings.Compare(x, y)
		}
	case int:
		switch y := b.(type) {
		case int:
			return cmpInt(x, y)
		case float64:
			return cmpFloat(float64(x), y)
		}
	case float64:
		switch y := b.(type) {
		case float64:
			return cmpFloat(x, y)
		case int:
			return cmpFloat(x, float64(y))
		}
	case bool:
		if y, ok := b.(bool); ok {
			switch {
			case x == y:
				return 0
			case !x:
				return -1
			}
			return 1
		}
	case time.Time:
		if y, ok := b.(time.Time); ok {
			return x.Compare(y)
		}
	}
	return cmpInt(kind(a), kind(b))
}

func kind(v any) int {
	switch v.(type) {
	case bool:
		return 0
	case int, float64:
		return 1
	case time.Time:
		return 2
	case string:
		return 3
	}
	return 4
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// cmpFloat orders NaN after every number so that sorting stays total.
func cmpFloat(a, b float64) int {
	an, bn := math.IsNaN(a), math.IsNaN(b)
	switch {
	case an && bn:
		return 0
	case an:
		return 1
	case bn:
		return -1
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Format is the display form of a value: ints and floats with thousands
// separators, floats in their shortest exact form (round them in the
// analysis to show fewer digits), dates as YYYY-MM-DD, null as "".
func Format(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case int:
		return group(strconv.Itoa(x))
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return strconv.FormatFloat(x, 'f', -1, 64)
		}
		return group(strconv.FormatFloat(x, 'f', -1, 64))
	case bool:
		return strconv.FormatBool(x)
	case time.Time:
		return x.Format(time.DateOnly)
	}
	return ""
}

// Plain is the machine form of a value, as written to CSV downloads and
// exports: no thousands separators, dates as YYYY-MM-DD, null as "".
func Plain(v any) string {
	switch x := v.(type) {
	case int:
		return strconv.Itoa(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return Format(v)
}

// group inserts a comma every three digits of the integer part of a decimal
// number written by strconv.
func group(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	intPart, frac := s, ""
	if i := strings.IndexByte(s, '.'); i >= 0 {
		intPart, frac = s[:i], s[i:]
	}
	if len(intPart) <= 3 {
		return sign + s
	}
	var b strings.Builder
	b.WriteString(sign)
	lead := len(intPart) % 3
	if lead > 0 {
		b.WriteString(intPart[:lead])
	}
	for i := lead; i < len(intPart); i += 3 {
		if b.Len() > len(sign) {
			b.WriteByte(',')
		}
		b.WriteString(intPart[i : i+3])
	}
	b.WriteString(frac)
	return b.String()
}
