package value

import (
	"testing"
	"time"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestDateFormat(t *testing.T) {
	d := day(2017, 3, 7)
	tests := []struct {
		format string
		v      any
		want   string
		prec   string
	}{
		{"YYYY", d, "2017", Year},
		{"YYYY", day(930, 1, 1), "0930", Year},
		{"MMM YYYY", d, "Mar 2017", Month},
		{"MMMM YYYY", d, "March 2017", Month},
		{"D MMM YYYY", d, "7 Mar 2017", Day},
		{"MMM D, YYYY", d, "Mar 7, 2017", Day},
		{"YYYY-MM-DD", d, "2017-03-07", Day},
		{"DD/MM/YYYY", d, "07/03/2017", Day},
		{"M/D", d, "3/7", Day},
		{"YYYY-MM", d, "2017-03", Month},
		{"YYYY", nil, "no value", Year},
		{"YYYY", 1930, "1,930", Year},
		{"YYYY", "n/a", "n/a", Year},
	}
	for _, tt := range tests {
		f, err := ParseFormat(tt.format)
		if err != nil {
			t.Errorf("ParseFormat(%q): %v", tt.format, err)
			continue
		}
		if !f.IsDate() {
			t.Errorf("%q is not read as a date format", tt.format)
		}
		if got := f.Text(tt.v); got != tt.want {
			t.Errorf("format %q of %#v = %q, want %q", tt.format, tt.v, got, tt.want)
		}
		if got := f.Precision(); got != tt.prec {
			t.Errorf("format %q: precision %q, want %q", tt.format, got, tt.prec)
		}
		if f.String() != tt.format {
			t.Errorf("format %q prints as %q", tt.format, f.String())
		}
		if got := f.Scaled(0.5); got != 0.5 {
			t.Errorf("format %q scales 0.5 to %v", tt.format, got)
		}
	}
	if got := MustFormat("0,0").Precision(); got != "" {
		t.Errorf("a number format has precision %q", got)
	}
}

func TestDateFormatErrors(t *testing.T) {
	tests := []struct{ format, err string }{
		{"YY", `date format "YY": "YY" is not a part of a date (the year is YYYY; use "YYYY", "MMM YYYY", "D MMM YYYY", "MMM D, YYYY" or "YYYY-MM-DD")`},
		{"DDD MMM", `date format "DDD MMM": "DDD" is not a part of a date (YYYY, MMMM, MMM, MM, M, DD or D; use "YYYY", "MMM YYYY", "D MMM YYYY", "MMM D, YYYY" or "YYYY-MM-DD")`},
		{"Week of D MMM", `date format "Week of D MMM": the letter "W" is not a part of a date; a date format is made of YYYY, MMMM, MMM, MM, M, DD and D with spaces or punctuation between (use "YYYY", "MMM YYYY", "D MMM YYYY", "MMM D, YYYY" or "YYYY-MM-DD")`},
		{"yyyy", `date format "yyyy": write "YYYY" (a date format writes its parts YYYY, MMMM, MMM, MM, M, DD and D in capitals)`},
		{"dd/mm/yyyy", `date format "dd/mm/yyyy": write "DD/MM/YYYY" (a date format writes its parts YYYY, MMMM, MMM, MM, M, DD and D in capitals)`},
		{"%d %b %Y", `date format "%d %b %Y": write "DD MMM YYYY" (a date format writes its parts YYYY, MMMM, MMM, MM, M, DD and D in capitals)`},
	}
	for _, tt := range tests {
		_, err := ParseFormat(tt.format)
		if err == nil || err.Error() != tt.err {
			t.Errorf("ParseFormat(%q):\n got %v\nwant %s", tt.format, err, tt.err)
		}
	}
}

func TestDateTemplate(t *testing.T) {
	names := map[string]string{"YYYY": "{yyyy}", "MMM": "{MMM}", "D": "{d}"}
	for format, want := range map[string]string{
		"YYYY":        "{yyyy}",
		"MMM YYYY":    "{MMM} {yyyy}",
		"MMM D, YYYY": "{MMM} {d}, {yyyy}",
		"DD/MM":       "DD/MM",
	} {
		if got := MustFormat(format).Template(names); got != want {
			t.Errorf("Template of %q = %q, want %q", format, got, want)
		}
	}
}

func TestDateFormatFor(t *testing.T) {
	tests := []struct {
		values []any
		want   string
	}{
		{[]any{day(1930, 1, 1), day(1931, 1, 1), nil}, "YYYY"},
		{[]any{day(2025, 1, 1), day(2025, 2, 1)}, "MMM YYYY"},
		{[]any{day(2025, 1, 1), day(2025, 2, 2)}, ""},
		{[]any{day(2025, 1, 1)}, ""},                  // one date alone is printed whole
		{[]any{day(2025, 1, 1), day(2025, 1, 1)}, ""}, // so is one date twice
		{[]any{nil, "x", 3}, ""},
		{nil, ""},
	}
	for _, tt := range tests {
		if got := DateFormatFor(tt.values).String(); got != tt.want {
			t.Errorf("DateFormatFor(%v) = %q, want %q", tt.values, got, tt.want)
		}
	}
}

func TestTick(t *testing.T) {
	tests := []struct {
		format     string
		tick, step float64
		want       string
	}{
		{"", 2000, 1000, "2,000"},
		{"", 0.25, 0.25, "0.25"},
		{"", 0.5, 0.25, "0.50"},
		{"0", 1930, 10, "1930"},
		{"0,0", 1930, 10, "1,930"},
		{"0.0%", 25, 25, "25%"},
		{"0.0%", 12.5, 2.5, "12.5%"},
		{"$0,0", 110000, 20000, "$110,000"},
		{"$0,0.00", 1, 0.5, "$1.0"},
		{"£0.0m", 3, 1, "£3m"},
		{"0,0 km", -1500, 500, "-1,500 km"},
		{"YYYY", 2000, 500, "2,000"},
	}
	for _, tt := range tests {
		f := Format{}
		if tt.format != "" {
			f = MustFormat(tt.format)
		}
		if got := f.Tick(tt.tick, tt.step); got != tt.want {
			t.Errorf("format %q: Tick(%v, %v) = %q, want %q", tt.format, tt.tick, tt.step, got, tt.want)
		}
	}
}
