package value

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Date formats print a date by parts: YYYY the year (2017), MMMM the
// month's name (March), MMM its first three letters (Mar), MM its number
// on two digits (03), M its number (3), DD the day on two digits (07), D
// the day (7); anything else that is not a letter is printed as it is
// ("D MMM YYYY" is 17 Mar 2017, "MMM D, YYYY" is Mar 17, 2017, "YYYY" is
// 2017). Month names are English whatever the machine's locale.
var dateTokens = []string{"YYYY", "MMMM", "MMM", "MM", "M", "DD", "D"}

// DateExamples is what an error about a date format offers instead.
const DateExamples = `"YYYY", "MMM YYYY", "D MMM YYYY", "MMM D, YYYY" or "YYYY-MM-DD"`

// Date precisions, from the finest part a date format prints.
const (
	Day   = "day"
	Month = "month"
	Year  = "year"
)

// isDateFormat reports whether s is written as a date format: no 0, and
// a Y, M or D.
func isDateFormat(s string) bool {
	if strings.Contains(s, "0") {
		return false
	}
	if strings.ContainsAny(s, "YMD") {
		return true
	}
	// Written as other tools write dates: "dd/mm/yyyy", "%d/%m/%Y".
	low := strings.ToLower(s)
	return strings.Contains(low, "yy") || strings.Contains(low, "dd") || strings.Contains(low, "%y") || strings.Contains(low, "%d")
}

// strftime are the parts of a date as C's strftime, Python and R write
// them, and as a date format of Galley writes them.
var strftime = strings.NewReplacer("%Y", "YYYY", "%m", "MM", "%d", "DD", "%e", "D", "%B", "MMMM", "%b", "MMM")

// parseDate reads a date format. A format written as another tool writes
// one (lower case, strftime's %) is refused with the format this one reads.
func parseDate(s string) (Format, error) {
	if err := eachDatePart(s, func(string, string) error { return nil }); err != nil {
		for _, t := range []string{strings.ToUpper(s), strftime.Replace(s)} {
			if t != s && eachDatePart(t, func(string, string) error { return nil }) == nil {
				return Format{}, fmt.Errorf("date format %q: write %q (a date format writes its parts YYYY, MMMM, MMM, MM, M, DD and D in capitals)", s, t)
			}
		}
		return Format{}, err
	}
	return Format{date: true, src: s}, nil
}

// eachDatePart walks a date format: each maximal run of the letters Y, M
// and D is a token (one of dateTokens), each other character a literal.
// Any other letter is refused, so that a word cannot be read as parts.
func eachDatePart(s string, f func(token, lit string) error) error {
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == 'Y' || c == 'M' || c == 'D':
			j := i
			for j < len(s) && s[j] == c {
				j++
			}
			run := s[i:j]
			known := false
			for _, t := range dateTokens {
				if t == run {
					known = true
				}
			}
			if !known {
				hint := "YYYY, MMMM, MMM, MM, M, DD or D"
				if c == 'Y' {
					hint = "the year is YYYY"
				}
				return fmt.Errorf("date format %q: %q is not a part of a date (%s; use %s)", s, run, hint, DateExamples)
			}
			if err := f(run, ""); err != nil {
				return err
			}
			i = j
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			return fmt.Errorf("date format %q: the letter %q is not a part of a date; a date format is made of YYYY, MMMM, MMM, MM, M, DD and D with spaces or punctuation between (use %s)", s, string(c), DateExamples)
		default:
			if err := f("", s[i:i+1]); err != nil {
				return err
			}
			i++
		}
	}
	return nil
}

// IsDate reports whether f is a date format.
func (f Format) IsDate() bool { return f.date }

// dateText prints d with the date format f.
func (f Format) dateText(d time.Time) string {
	var b strings.Builder
	y, m, day := d.Date()
	eachDatePart(f.src, func(token, lit string) error {
		switch token {
		case "":
			b.WriteString(lit)
		case "YYYY":
			b.WriteString(fmt.Sprintf("%04d", y))
		case "MMMM":
			b.WriteString(m.String())
		case "MMM":
			b.WriteString(m.String()[:3])
		case "MM":
			b.WriteString(fmt.Sprintf("%02d", int(m)))
		case "M":
			b.WriteString(strconv.Itoa(int(m)))
		case "DD":
			b.WriteString(fmt.Sprintf("%02d", day))
		case "D":
			b.WriteString(strconv.Itoa(day))
		}
		return nil
	})
	return b.String()
}

// Precision is the finest part of a date that a date format prints: Day,
// Month or Year; "" for a number format.
func (f Format) Precision() string {
	if !f.date {
		return ""
	}
	p := Year
	eachDatePart(f.src, func(token, _ string) error {
		switch {
		case strings.HasPrefix(token, "D"):
			p = Day
		case strings.HasPrefix(token, "M") && p == Year:
			p = Month
		}
		return nil
	})
	return p
}

// Template writes a date format in another notation: each part is
// replaced by what names gives for it (a part names does not give is kept
// as written), each literal kept.
func (f Format) Template(names map[string]string) string {
	var b strings.Builder
	eachDatePart(f.src, func(token, lit string) error {
		switch n, ok := names[token]; {
		case token == "":
			b.WriteString(lit)
		case ok:
			b.WriteString(n)
		default:
			b.WriteString(token)
		}
		return nil
	})
	return b.String()
}

// Formats a column of dates takes when none is given: dates that all fall
// on the first of January are years, dates that all fall on the first of
// a month are months (as date_trunc gives them).
var (
	yearFormat  = MustFormat("YYYY")
	monthFormat = MustFormat("MMM YYYY")
)

// DateFormatFor is the format a column of dates prints with when none is
// given: "YYYY" when its dates are at least two and all fall on the first
// of January (date_trunc("year", d) gives such dates), "MMM YYYY" when they
// all fall on the first of a month, and otherwise the zero Format, which
// prints YYYY-MM-DD. One date alone is printed whole: a single 1 January
// may be the day itself. Values that are not dates are skipped.
func DateFormatFor(values []any) Format {
	distinct := map[time.Time]bool{}
	years, months := true, true
	for _, v := range values {
		d, ok := v.(time.Time)
		if !ok {
			continue
		}
		distinct[d] = true
		if d.Day() != 1 {
			return Format{}
		}
		if d.Month() != time.January {
			years = false
		}
	}
	switch {
	case len(distinct) < 2:
		return Format{}
	case years:
		return yearFormat
	case months:
		return monthFormat
	}
	return Format{}
}
