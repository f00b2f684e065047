package value

import "regexp"

// yearName matches the name of a column or value that holds years: year,
// years, yr, start_year, year_built.
var yearName = regexp.MustCompile(`(?i)(^|_)(years?|yrs?)($|_)`)

// yearNumber prints a year as a reader writes one: 1930, not 1,930.
var yearNumber = MustFormat("0")

// IntFormatFor is the format a column or value of ints named name prints
// with when none is given: "0" when its name says it holds years and every
// value is a whole year from 1000 to 9999, so that a year reads 1930 and
// not 1,930; otherwise the zero Format, which groups digits. Values that
// are not ints are skipped; with no int at all, the zero Format.
func IntFormatFor(name string, values []any) Format {
	if !yearName.MatchString(name) {
		return Format{}
	}
	some := false
	for _, v := range values {
		switch x := v.(type) {
		case nil:
		case int:
			if x < 1000 || x > 9999 {
				return Format{}
			}
			some = true
		default:
			return Format{}
		}
	}
	if !some {
		return Format{}
	}
	return yearNumber
}
