package expression

import (
	"reflect"
	"testing"
)

func TestFormat(t *testing.T) {
	tests := []struct {
		src  string
		want any
	}{
		{`format(share, "0%")`, "25%"},
		{`format(share, "0.0%")`, "25.0%"},
		{`format(deaths * 10000, "$0,0")`, "$120,000"},
		{`format(deaths * 1000 / 7, "£0.0m")`, "£1714.3m"},
		{`format(low * 400, "0,0 km")`, "1,200 km"},
		{`format(2017, "0")`, "2017"},
		{`format(day, "YYYY")`, "2017"},
		{`format(day, "D MMM YYYY")`, "1 Jan 2017"},
	}
	for _, tt := range tests {
		got, err := eval(t, tt.src, rowEnv(), fullRow())
		if err != nil || got != tt.want {
			t.Errorf("%s = %#v, %v; want %q", tt.src, got, err, tt.want)
		}
		got, err = eval(t, tt.src, rowEnv(), nilRow())
		if err != nil {
			t.Errorf("%s of nulls: %v", tt.src, err)
		}
		if tt.src != `format(2017, "0")` && got != nil {
			t.Errorf("%s of nulls = %#v, want null", tt.src, got)
		}
	}
}

// TestFormatChecked: FORMAT is checked by galley check, at its place.
func TestFormatChecked(t *testing.T) {
	tests := []struct{ src, err string }{
		{`format(deaths, "#,##0")`, `x.yaml:12:27: format: number format "#,##0" is written as in a spreadsheet; write "0,0" (0 stands for the digits)`},
		{`"about " + format(share, "0.0 %%")`, `x.yaml:12:37: format: number format "0.0 %%": the suffix " %%" may not hold digits or % (use "0", "0,0", "0.0", "0,0.00", "0%", "0.0%", "$0,0", "0,0 km" or "£0.0m")`},
		{`format(day, "YY")`, `x.yaml:12:24: format: date format "YY": "YY" is not a part of a date (the year is YYYY; use "YYYY", "MMM YYYY", "D MMM YYYY", "MMM D, YYYY" or "YYYY-MM-DD")`},
		{`format(deaths, city)`, `x.yaml:12:27: format: write the format as a quoted text, such as format(x, "0,0"); it is checked before the data is read, so it cannot be computed`},
		{`format(city, "0")`, `x.yaml:12:19: where: cannot use string as argument (type time.Time) to call format`},
	}
	for _, tt := range tests {
		_, err := Compile(at(tt.src, 12, 12), "where", rowEnv(), AnyResult)
		if err == nil || err.Error() != tt.err {
			t.Errorf("%s:\n got %v\nwant %s", tt.src, err, tt.err)
		}
	}
}

// TestFormatAny: over a value of unknown type (values, claims, inline
// values), the type is checked when the expression runs.
func TestFormatAny(t *testing.T) {
	env := NewStructEnv("name")
	env.Add("year", nil)
	p, err := Compile(at(`format(year, "0")`, 12, 12), "{{ }}", env, AnyResult)
	if err != nil {
		t.Fatal(err)
	}
	var m VM
	row := func(v any) any {
		s := reflect.New(env.Struct()).Elem()
		s.Field(0).Set(reflect.ValueOf(&v).Elem())
		return s.Interface()
	}
	if got, err := m.Eval(p, row(1930)); err != nil || got != "1930" {
		t.Errorf("format(1930, \"0\") = %#v, %v", got, err)
	}
	if _, err := m.Eval(p, row("1930")); err == nil || err.Error() != `x.yaml:12:12: format needs a number or a date, got a string` {
		t.Errorf("format of a string: %v", err)
	}
}
