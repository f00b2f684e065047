package expression

import (
	"strings"
	"testing"
	"time"

	"galley/runner/internal/analysis"
)

// TestDateParts: year, month, day and weekday (1 Monday to 7 Sunday), and
// null for null.
func TestDateParts(t *testing.T) {
	tests := []struct {
		src  string
		want any
	}{
		{`year(day)`, 2017},
		{`month(day)`, 1},
		{`day(day)`, 1},
		{`weekday(day)`, 7}, // 2017-01-01 was a Sunday
		{`weekday(date("2024-01-15"))`, 1},
		{`weekday(date("2024-01-20"))`, 6},
		{`month(date("2024-12-31"))`, 12},
		{`days_between(day, date("2017-03-01"))`, 59},
		{`days_between(date("2017-03-01"), day)`, -59},
		{`days_between(date("2024-02-28"), date("2024-03-01"))`, 2},
		{`add_days(day, 31)`, d("2017-02-01")},
		{`add_days(day, -1)`, d("2016-12-31")},
		{`add_months(date("2024-01-31"), 1)`, d("2024-02-29")},
		{`add_months(date("2023-01-31"), 1)`, d("2023-02-28")},
		{`add_months(date("2024-03-31"), -1)`, d("2024-02-29")},
		{`add_months(date("2024-05-15"), 12)`, d("2025-05-15")},
		{`add_months(date("2024-05-15"), -17)`, d("2022-12-15")},
		{`add_months(date("2024-12-31"), 2)`, d("2025-02-28")},
		{`title("PETROLEUM ENGINEERING")`, "Petroleum Engineering"},
		{`title("o'NEILL and don't-stop 3RD place")`, "O'neill And Don't-Stop 3rd Place"},
		{`title("élan VITAL")`, "Élan Vital"},
		{`title("")`, ""},
	}
	for _, tt := range tests {
		got, err := eval(t, tt.src, rowEnv(), fullRow())
		if err != nil || !equal(got, tt.want) {
			t.Errorf("%s = %#v, %v; want %#v", tt.src, got, err, tt.want)
		}
		// Null in, null out.
		if strings.Contains(tt.src, "day") || strings.Contains(tt.src, "city") {
			got, err := eval(t, tt.src, rowEnv(), nilRow())
			if (err != nil || got != nil) && !strings.Contains(tt.src, "date(\"20") {
				t.Errorf("%s over nulls = %#v, %v; want nil", tt.src, got, err)
			}
		}
	}
	for _, src := range []string{`year(day)`, `add_days(day, 1)`, `add_months(day, 1)`, `days_between(day, day)`, `title(city)`, `weekday(day)`} {
		if got, err := eval(t, src, rowEnv(), nilRow()); err != nil || got != nil {
			t.Errorf("%s over nulls = %#v, %v; want nil", src, got, err)
		}
	}
}

// TestDateRange: add_days and add_months refuse a date outside the years
// 1 to 9999, and so never wrap.
func TestDateRange(t *testing.T) {
	for _, tt := range []struct{ src, err string }{
		{`add_days(day, 3000000)`, `x.yaml:12:12: where: add_days(2017-01-01, 3000000): 3000000 days from 2017-01-01 is outside the years 1 to 9999`},
		{`add_days(day, 9223372036854775807)`, `x.yaml:12:12: where: add_days(2017-01-01, 9223372036854775807): 9223372036854775807 days from 2017-01-01 is outside the years 1 to 9999`},
		{`add_months(day, -24193)`, `x.yaml:12:12: where: add_months(2017-01-01, -24193): -24193 months from 2017-01-01 is outside the years 1 to 9999`},
		{`add_months(day, -9223372036854775807)`, `x.yaml:12:12: where: add_months(2017-01-01, -9223372036854775807): -9223372036854775807 months from 2017-01-01 is outside the years 1 to 9999`},
	} {
		_, err := eval(t, tt.src, rowEnv(), fullRow())
		if err == nil || err.Error() != tt.err {
			t.Errorf("%s: %v\nwant %s", tt.src, err, tt.err)
		}
	}
	got, err := eval(t, `add_days(date("9999-12-30"), 1)`, rowEnv(), fullRow())
	if err != nil || got != time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC) {
		t.Errorf("the last day: %v, %v", got, err)
	}
}

// shadowEnv has columns named as functions: the v2 names rule.
func shadowEnv() *Env {
	env := NewEnv("column")
	env.AddColumn("year", analysis.TypeInt)
	env.AddColumn("day", analysis.TypeString)
	env.AddColumn("date", analysis.TypeDate)
	env.AddColumn("title", analysis.TypeString)
	env.AddColumn("round", analysis.TypeFloat)
	env.AddColumn("rank", analysis.TypeInt)
	env.AddColumn("len", analysis.TypeInt)
	env.AddColumn("eow", analysis.TypeDate)
	return env
}

func shadowRow() map[string]any {
	return map[string]any{"year": 2019, "day": "Mon", "date": d("2020-03-04"), "title": "a TALE", "round": 2.5, "rank": 3, "len": 7, "eow": d("2021-06-05")}
}

// TestNamesRule: a name followed by ( is the function, any other the
// column, whatever the column is called.
func TestNamesRule(t *testing.T) {
	tests := []struct {
		src  string
		want any
	}{
		{`year(eow)`, 2021},
		{`year + 1`, 2020},
		{`year(date) - year`, 1},
		{`day(date)`, 4},
		{`day + "day"`, "Monday"},
		{`title(title)`, "A Tale"},
		{`round(round)`, 3.0},
		{`date > date("2020-01-01")`, true},
		{`len(day) + len`, 10},
		{`rank * 2`, 6},
	}
	for _, tt := range tests {
		got, err := eval(t, tt.src, shadowEnv(), shadowRow())
		if err != nil || !equal(got, tt.want) {
			t.Errorf("%s = %#v, %v; want %#v", tt.src, got, err, tt.want)
		}
	}
	p, err := Compile(at(`year(eow)`, 12, 12), "derive year", shadowEnv(), AnyResult)
	if err != nil || p.Type != analysis.TypeInt || !equal(p.Refs, []string{"eow"}) {
		t.Errorf("year(eow): type %v, refs %v, %v; want int reading eow", p.Type, p.Refs, err)
	}
	// A value named year, computed from year(): no circle.
	if got := Names(at(`year(first(v).d) + other`, 1, 1)); !equal(got, []string{"other", "v"}) {
		t.Errorf("Names = %v, want [other v]", got)
	}
}

// TestNameMessages: the mistakes reporters made, each answered with what
// to write.
func TestNameMessages(t *testing.T) {
	tests := []struct {
		src string
		env *Env
		err string
	}{
		{`startsWith(city, "K9")`, rowEnv(), `x.yaml:12:12: where: startsWith is an operator, not a function: write city startsWith "K9"`},
		{`ok && contains(city, "Mos")`, rowEnv(), `x.yaml:12:18: where: contains is an operator, not a function: write city contains "Mos"`},
		{`in(city, ["a", "b"])`, rowEnv(), `x.yaml:12:12: where: in is an operator, not a function: write city in ["a", "b"]`},
		{`endsWith(city)`, rowEnv(), `x.yaml:12:12: where: endsWith is an operator, not a function: write a endsWith b`},
		{`rank(deaths) > 3`, rowEnv(), `x.yaml:12:12: where: rank() takes no argument: it numbers the rows in the window's order_by, so to rank by deaths write order_by: [-deaths] (largest first) and rank(), under the view's window: derive:`},
		{`rank(median_pay) <= 10`, shadowEnv(), `x.yaml:12:12: where: rank() takes no argument: it numbers the rows in the window's order_by, so to rank by median_pay write order_by: [-median_pay] (largest first) and rank(), under the view's window: derive:; rank( is the function rank(), because ( follows the name; the column rank is read by its name alone, without (`},
		{`cumsum(deaths) > 3`, rowEnv(), `x.yaml:12:12: where: cumsum() is a window function: compute it under the view's window: derive:, e.g. window: {order_by: [year], derive: {x: cumsum(deaths)}}`},
		{`count_distinct(deaths) > 3`, rowEnv(), `x.yaml:12:12: where: count_distinct() is an aggregate: use it under aggregate: (with group_by), or under a window's derive: for each row's partition`},
		{`quantile(deaths, 0.9) > 3`, rowEnv(), `x.yaml:12:12: where: quantile() is an aggregate: use it under aggregate: (with group_by), or under a window's derive: for each row's partition`},
		{`year == 2020`, rowEnv(), `x.yaml:12:12: unknown column "year" in where (year is a function: call it with (, e.g. year(date_column))`},
		{`day(day) > 3`, shadowEnv(), `x.yaml:12:16: where: cannot use string as argument (type time.Time) to call day (day( is the function day(), because ( follows the name; the column day is read by its name alone, without ()`},
	}
	for _, tt := range tests {
		_, err := Compile(at(tt.src, 12, 12), "where", tt.env, BoolResult)
		if err == nil || err.Error() != tt.err {
			t.Errorf("%s:\n got: %v\nwant: %s", tt.src, err, tt.err)
		}
	}
}
