package value

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestText(t *testing.T) {
	day := time.Date(2017, 3, 17, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		v           any
		text, plain string
	}{
		{nil, "no value", ""},
		{"Mosul", "Mosul", "Mosul"},
		{0, "0", "0"},
		{999, "999", "999"},
		{1000, "1,000", "1000"},
		{-1234567, "-1,234,567", "-1234567"},
		{math.MaxInt64, "9,223,372,036,854,775,807", "9223372036854775807"},
		{0.5317921639969827, "0.5317921639969827", "0.5317921639969827"},
		{-1234.5, "-1,234.5", "-1234.5"},
		{1e21, "1,000,000,000,000,000,000,000", "1000000000000000000000"},
		{true, "true", "true"},
		{day, "2017-03-17", "2017-03-17"},
	}
	for _, tt := range tests {
		if got := Text(tt.v); got != tt.text {
			t.Errorf("Text(%#v) = %q, want %q", tt.v, got, tt.text)
		}
		if got := Plain(tt.v); got != tt.plain {
			t.Errorf("Plain(%#v) = %q, want %q", tt.v, got, tt.plain)
		}
	}
}

func TestRound(t *testing.T) {
	tests := []struct {
		x    float64
		n    int
		want float64
	}{
		{2.675, 2, 2.68},
		{1.005, 2, 1.01},
		{3.5, 0, 4},
		{0.5, 0, 1},
		{-2.675, 2, -2.68},
		{-1.25, 1, -1.3},
		{99.5, 0, 100},
		{1234.5678, 0, 1235},
		{1234.5678, 3, 1234.568},
		{0.1 + 0.2, 2, 0.3},
		{1e21, 2, 1e21},
		{1.5e-7, 2, 0},
		{-0.004, 2, 0},
		{-1.5e-7, 2, 0},
		{math.Inf(1), 2, math.Inf(1)},
		{0.125, 2, 0.13},
		{-0.125, 2, -0.13},
		{-0.4, 0, 0},
		{2.5, 0, 3},
		{-2.5, 0, -3},
		{9.995, 2, 10},
		{1234.5678, 1, 1234.6},
		{1e-7, 3, 0},
		{12, 3, 12},
	}
	for _, tt := range tests {
		got := Round(tt.x, tt.n)
		if got != tt.want || math.Signbit(got) != math.Signbit(tt.want) {
			t.Errorf("Round(%v, %d) = %v, want %v", tt.x, tt.n, got, tt.want)
		}
	}
	if !math.IsNaN(Round(math.NaN(), 1)) {
		t.Errorf("Round(NaN) is not NaN")
	}
	if got := Shift(0.07, 2); got != 7 {
		t.Errorf("Shift(0.07, 2) = %v, want 7", got)
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		format string
		v      any
		want   string
	}{
		{"0", 1930, "1930"},
		{"0", 1930.4, "1930"},
		{"0,0", 1234567, "1,234,567"},
		{"0.0", 12, "12.0"},
		{"0,0.00", 1234.005, "1,234.01"},
		{"0%", 0.276, "28%"},
		{"0.0%", 0.5317921639969827, "53.2%"},
		{"0.0%", 0.07, "7.0%"},
		{"$0,0", 110000, "$110,000"},
		{"$0,0", -5, "-$5"},
		{"$0,0.00", 1234.5, "$1,234.50"},
		{"0,0 km", 1200, "1,200 km"},
		{"£0.0m", 3.25, "£3.3m"},
		{"US$ 0,0", 12000, "US$ 12,000"},
		{"0.0", -0.04, "0.0"},
		{"0,0", -1234.5, "-1,235"},
		{"0.0", 9.96, "10.0"},
		{"0,0.0", 999999.96, "1,000,000.0"},
		{"0.0%", 0.5125, "51.3%"},
		{"0,0%", 12.5, "1,250%"},
		{"0.0", 1e-7, "0.0"},
		{"0,0", nil, "no value"},
		{"0,0", "n/a", "n/a"},
		{"0,0", time.Date(2017, 3, 17, 0, 0, 0, 0, time.UTC), "2017-03-17"},
	}
	for _, tt := range tests {
		f, err := ParseFormat(tt.format)
		if err != nil {
			t.Errorf("ParseFormat(%q): %v", tt.format, err)
			continue
		}
		if got := f.Text(tt.v); got != tt.want {
			t.Errorf("format %q of %#v = %q, want %q", tt.format, tt.v, got, tt.want)
		}
		if f.String() != tt.format {
			t.Errorf("format %q prints as %q", tt.format, f.String())
		}
	}
}

func TestFormatErrors(t *testing.T) {
	tests := []struct{ format, err string }{
		{"", `number format "" has no 0 where the number goes (use "0", "0,0", "0.0", "0,0.00", "0%", "0.0%", "$0,0", "0,0 km" or "£0.0m")`},
		{"#,##0", `number format "#,##0" is written as in a spreadsheet; write "0,0" (0 stands for the digits)`},
		{"$#,##0.00", `number format "$#,##0.00" is written as in a spreadsheet; write "$0,0.00" (0 stands for the digits)`},
		{"#", `number format "#" uses #; write 0 where the number goes (use "0", "0,0", "0.0", "0,0.00", "0%", "0.0%", "$0,0", "0,0 km" or "£0.0m")`},
		{"0,00", `number format "0,00": after "0,0" comes "0", which is not a number format (use "0", "0,0", "0.0", "0,0.00", "0%", "0.0%", "$0,0", "0,0 km" or "£0.0m")`},
		{"0.", `number format "0.": after "0" comes ".", which is not a number format (use "0", "0,0", "0.0", "0,0.00", "0%", "0.0%", "$0,0", "0,0 km" or "£0.0m")`},
		{"1,0", `number format "1,0": the prefix "1," may not hold digits, a sign, %, a point or a comma (use "0", "0,0", "0.0", "0,0.00", "0%", "0.0%", "$0,0", "0,0 km" or "£0.0m")`},
		{"0 per 100k", `number format "0 per 100k": the suffix " per 100k" may not hold digits or % (use "0", "0,0", "0.0", "0,0.00", "0%", "0.0%", "$0,0", "0,0 km" or "£0.0m")`},
	}
	for _, bad := range []string{"0.0.0", "00", "%", "0%%", "$-0"} {
		if f, err := ParseFormat(bad); err == nil {
			t.Errorf("ParseFormat(%q) accepted: %#v", bad, f)
		}
	}
	for _, tt := range tests {
		_, err := ParseFormat(tt.format)
		if err == nil || err.Error() != tt.err {
			t.Errorf("ParseFormat(%q) = %v\nwant %s", tt.format, err, tt.err)
		}
	}
}

func TestScaled(t *testing.T) {
	f := MustFormat("0.0%")
	if got := f.Scaled(0.07); got != any(json.Number("7")) {
		t.Errorf("Scaled(0.07) = %#v, want 7", got)
	}
	if got := MustFormat("0,0").Scaled(0.07); got != any(0.07) {
		t.Errorf("Scaled without percent = %#v", got)
	}
}

func TestCompare(t *testing.T) {
	day := time.Date(2017, 3, 17, 0, 0, 0, 0, time.UTC)
	ordered := []any{false, true, math.Inf(-1), -1, 0.5, 1, 2, math.NaN(), day, day.AddDate(0, 0, 1), "", "a", "b", nil}
	for i := range ordered {
		for j := range ordered {
			want := cmpInt(i, j)
			if got := Compare(ordered[i], ordered[j]); got != want {
				t.Errorf("Compare(%#v, %#v) = %d, want %d", ordered[i], ordered[j], got, want)
			}
		}
	}
}

func TestAppendKey(t *testing.T) {
	seen := map[string]any{}
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	for _, v := range []any{nil, "", "1", 1, 1.0, 1.5, true, "true", day(2017, 3, 17), "2017-03-17", "s1:", "s1:x",
		day(2017, 3, 18), day(2018, 3, 17), day(2017, 4, 17), day(1, 1, 1), day(9999, 12, 31), day(2017, 12, 31), day(2018, 1, 1)} {
		k := string(AppendKey(nil, v))
		if prev, dup := seen[k]; dup {
			t.Errorf("%#v and %#v share the key %q", prev, v, k)
		}
		seen[k] = v
	}
	if a, b := AppendKey(nil, day(2017, 3, 17)), AppendKey(nil, day(2017, 3, 17)); string(a) != string(b) {
		t.Errorf("one date, two keys: %q and %q", a, b)
	}
}

func TestDescribe(t *testing.T) {
	tests := []struct {
		v    any
		want string
	}{
		{nil, "null"}, {1, "an int"}, {1.5, "a float"}, {"x", "a string"}, {true, "a bool"},
		{time.Hour, "a duration"}, {time.Time{}, "a date"}, {[]any{1}, "a list"},
		{map[string]any{}, "a record"}, {struct{}{}, "a record"},
	}
	for _, tt := range tests {
		if got := Describe(tt.v); got != tt.want {
			t.Errorf("Describe(%#v) = %q, want %q", tt.v, got, tt.want)
		}
	}
}

// FuzzFormat checks that a format parses back to itself and that what it
// prints for a number reads back as that number, rounded as the format says.
func FuzzFormat(f *testing.F) {
	for _, s := range []string{"0", "0,0", "0.00", "0%", "0.0%", "$0,0", "£0.0m", "0,0 km", "x0y"} {
		f.Add(s, 1234.5678)
	}
	f.Fuzz(func(t *testing.T, s string, x float64) {
		fm, err := ParseFormat(s)
		if err != nil {
			return
		}
		again, err := ParseFormat(fm.String())
		if err != nil || again != fm {
			t.Fatalf("%q does not parse back: %v %#v %#v", s, err, again, fm)
		}
		if math.IsNaN(x) || math.IsInf(x, 0) || math.Abs(x) > 1e15 {
			return
		}
		out := fm.Text(x)
		num := strings.TrimPrefix(out, "-")
		num = strings.TrimPrefix(num, fm.Prefix)
		num = strings.TrimSuffix(num, fm.Suffix)
		num = strings.TrimSuffix(num, "%")
		num = strings.ReplaceAll(num, ",", "")
		got, err := strconv.ParseFloat(num, 64)
		if err != nil {
			t.Fatalf("format %q of %v printed %q, which does not read back: %v", s, x, out, err)
		}
		if strings.HasPrefix(out, "-") {
			got = -got
		}
		want := x
		if fm.Percent {
			want = Shift(x, 2)
		}
		if diff := math.Abs(got - want); diff > 0.5*math.Pow10(-fm.Decimals)*(1+1e-9)+math.Abs(want)*1e-15 {
			t.Fatalf("format %q of %v printed %q, %v away", s, x, out, diff)
		}
	})
}

func TestIntFormatFor(t *testing.T) {
	tests := []struct {
		name   string
		values []any
		want   string // the text of 1930 under the format
	}{
		{"year", []any{1930, 2024, nil}, "1930"},
		{"Year", []any{1930}, "1930"},
		{"start_year", []any{1930}, "1930"},
		{"year_built", []any{1930}, "1930"},
		{"years", []any{1930}, "1930"},
		{"worst_yr", []any{1930}, "1930"},
		{"yearly_total", []any{1930}, "1,930"}, // a total, not a year
		{"deaths", []any{1930}, "1,930"},
		{"year", []any{1930, 12000}, "1,930"}, // not all years
		{"year", []any{1930, 999}, "1,930"},
		{"year", []any{nil}, "1,930"},
		{"year", []any{1930, 2.5}, "1,930"},
	}
	for _, tt := range tests {
		if got := IntFormatFor(tt.name, tt.values).Text(1930); got != tt.want {
			t.Errorf("IntFormatFor(%q, %v) prints 1930 as %q, want %q", tt.name, tt.values, got, tt.want)
		}
	}
}
