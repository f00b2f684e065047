package value

import (
	"encoding/binary"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// Compare orders two values of one column: nulls sort after every other
// value, ints and floats compare as numbers, NaN after every number, and
// values of different kinds order by kind so that the order is total.
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
	return cmpInt(kindRank(a), kindRank(b))
}

func kindRank(v any) int {
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

// CompareRows orders two rows column by column with Compare.
func CompareRows(a, b []any) int {
	for i := range a {
		if c := Compare(a[i], b[i]); c != 0 {
			return c
		}
	}
	return 0
}

// Normalize turns what expr-lang hands back into the value types of this
// package: its int64, int32 and float32 results become int and float64.
// Anything else (a list, a record) is returned as it is.
func Normalize(v any) any {
	switch x := v.(type) {
	case int64:
		return int(x)
	case int32:
		return int(x)
	case float32:
		return float64(x)
	}
	return v
}

// IsScalar reports whether v is a value a column can hold.
func IsScalar(v any) bool {
	switch v.(type) {
	case nil, string, int, float64, bool, time.Time:
		return true
	}
	return false
}

// TypeOf is the column type of a non-null scalar; Any for anything else.
func TypeOf(v any) Type {
	switch v.(type) {
	case string:
		return String
	case int:
		return Int
	case float64:
		return Float
	case bool:
		return Bool
	case time.Time:
		return Date
	}
	return Any
}

// Describe names the kind of v for a message: "an int", "a date", "null",
// "a list", "a duration".
func Describe(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case int, int64, int32:
		return "an int"
	case float64, float32:
		return "a float"
	case string:
		return "a string"
	case bool:
		return "a bool"
	case time.Time:
		return "a date"
	case time.Duration:
		return "a duration"
	}
	switch reflect.ValueOf(v).Kind() {
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Map, reflect.Struct:
		return "a record"
	case reflect.Func:
		return "a function"
	}
	return fmt.Sprintf("a %T", v)
}

// AppendKey appends an encoding of v to b such that two values have the
// same encoding exactly when they are equal and of the same kind: the int
// 1 and the string "1" differ. It keys groups, joins and distinct rows;
// looking a key up by string(b) allocates nothing.
func AppendKey(b []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, "n;"...)
	case string:
		b = append(b, 's')
		b = strconv.AppendInt(b, int64(len(x)), 10)
		b = append(b, ':')
		return append(b, x...)
	case int:
		b = append(b, 'i')
		b = strconv.AppendInt(b, int64(x), 10)
		return append(b, ';')
	case float64:
		b = append(b, 'f')
		b = strconv.AppendFloat(b, x, 'g', -1, 64)
		return append(b, ';')
	case bool:
		b = append(b, 'b')
		b = strconv.AppendBool(b, x)
		return append(b, ';')
	case time.Time:
		// The day as one number, in 8 bytes: the same days as the text
		// YYYY-MM-DD would give, without formatting it (a date column
		// keying the groups of 10M rows formats 10M dates).
		y, m, d := x.Date()
		return binary.BigEndian.AppendUint64(append(b, 'd'), uint64(int64(y)*10000+int64(m)*100+int64(d)))
	}
	return fmt.Appendf(b, "x%v;", v)
}
