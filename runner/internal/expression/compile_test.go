package expression

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"galley/runner/internal/analysis"
	"galley/runner/internal/position"
)

func TestCompileErrors(t *testing.T) {
	tests := []struct {
		name string
		e    analysis.Expr
		want Want
		err  string
	}{{
		name: "$env is refused",
		e:    at(`deaths > 1 && $env["low"] > 2`, 12, 12),
		err:  `x.yaml:12:26: $env is not available in an expression; write the name itself (a column, view or value), e.g. deaths instead of $env["deaths"]`,
	}, {
		name: "unknown column with hint, plain at col 12",
		e:    at("deths > 10", 12, 12),
		err:  `x.yaml:12:12: unknown column "deths" in where (did you mean "deaths"?)`,
	}, {
		name: "unknown column further in",
		e:    at(`deaths > 10 && cty == "Mosul"`, 12, 12),
		err:  `x.yaml:12:27: unknown column "cty" in where (did you mean "city"?)`,
	}, {
		name: "unknown column without hint",
		e:    at("population > 10", 12, 12),
		err:  `x.yaml:12:12: unknown column "population" in where`,
	}, {
		name: "unknown column in a quoted scalar",
		e:    at(`city == "Mosul" && deths > 1`, 7, 13),
		err:  `x.yaml:7:32: unknown column "deths" in where (did you mean "deaths"?)`,
	}, {
		name: "unknown column after non-ASCII text",
		e:    at(`city == "Mossoul—é" && deths > 1`, 7, 13),
		err:  `x.yaml:7:39: unknown column "deths" in where (did you mean "deaths"?)`,
	}, {
		name: "unknown column on the second line",
		e:    at("deaths > 1 &&\n  cty == \"Mosul\"", 20, 5),
		err:  `x.yaml:21:7: unknown column "cty" in where (did you mean "city"?)`,
	}, {
		name: "type mismatch",
		e:    at(`low > "ten"`, 12, 12),
		err:  `x.yaml:12:16: where: invalid operation: > (mismatched types int and string)`,
	}, {
		name: "type mismatch on the second line",
		e:    at("city == \"Mosul\" &&\n  low > \"ten\"", 20, 5),
		err:  `x.yaml:21:11: where: invalid operation: > (mismatched types int and string)`,
	}, {
		name: "date against a string",
		e:    at(`day >= "2016-10-17"`, 12, 12),
		err:  `x.yaml:12:16: where: invalid operation: >= (mismatched types time.Time and string)`,
	}, {
		name: "now refused",
		e:    at(`day < now()`, 12, 12),
		err:  `x.yaml:12:18: now() is not available in an analysis: expressions are pure, so a report never depends on the clock or the machine`,
	}, {
		name: "timezone refused",
		e:    at(`timezone("Europe/Paris")`, 12, 12),
		err:  `x.yaml:12:12: timezone() is not available in an analysis: expressions are pure, so a report never depends on the clock or the machine`,
	}, {
		name: "where must be bool",
		e:    at(`deaths + 1`, 12, 12),
		want: BoolResult,
		err:  `x.yaml:12:12: where must be true or false, but this expression gives an int (compare it, e.g. x > 0)`,
	}, {
		name: "where must be bool, a string",
		e:    at(`city`, 12, 12),
		want: BoolResult,
		err:  `x.yaml:12:12: where must be true or false, but this expression gives a string (compare it, e.g. x > 0)`,
	}, {
		name: "unquoted conditional that YAML let through",
		e:    at(`deaths > 3 ? 1 :`, 12, 12),
		err:  `x.yaml:12:27: where: unexpected token EOF (a ? b : c must be quoted in YAML: 'a ? b : c')`,
	}, {
		name: "syntax error",
		e:    at(`deaths >> 3`, 12, 12),
		err:  `x.yaml:12:20: where: unexpected token Operator(">")`,
	}, {
		name: "unknown function",
		e:    at(`sqrt(share)`, 12, 12),
		err:  `x.yaml:12:12: unknown column "sqrt" in where`,
	}, {
		name: "impossible date literal",
		e:    at(`date("2017-02-30") < day`, 12, 12),
		err:  `x.yaml:12:17: date("2017-02-30"): not a date in the layout "2006-01-02" (write dates as YYYY-MM-DD)`,
	}, {
		name: "date literal in another layout",
		e:    at(`low > 1 && date("31/07/2017") < day`, 12, 12),
		err:  `x.yaml:12:28: date("31/07/2017"): not a date in the layout "2006-01-02" (write dates as YYYY-MM-DD)`,
	}, {
		name: "unknown date_trunc unit",
		e:    at(`date_trunc("decade", day)`, 12, 12),
		err:  `x.yaml:12:23: date_trunc: unknown unit "decade" (use one of day, week, month, quarter, year)`,
	}, {
		name: "bad literal pattern",
		e:    at(`city matches "("`, 12, 12),
		err:  "x.yaml:12:17: where: error parsing regexp: missing closing ): `(`",
	}, {
		name: "date_trunc of a string",
		e:    at(`date_trunc("month", city)`, 12, 12),
		err:  `x.yaml:12:32: where: cannot use string as argument (type time.Time) to call date_trunc`,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Compile(tt.e, "where", rowEnv(), tt.want)
			if err == nil {
				t.Fatalf("Compile succeeded, want %s", tt.err)
			}
			var pe *position.Error
			if !errors.As(err, &pe) {
				t.Errorf("error %T is not a *position.Error", err)
			}
			if got := err.Error(); got != tt.err {
				t.Errorf("error:\n got: %s\nwant: %s", got, tt.err)
			}
		})
	}
}

func TestCompileTypes(t *testing.T) {
	tests := []struct {
		src  string
		typ  analysis.ColumnType
		refs []string
	}{
		{`(low + high) / 2`, analysis.TypeFloat, []string{"high", "low"}},
		{`low + high`, analysis.TypeInt, []string{"high", "low"}},
		{`city + "!"`, analysis.TypeString, []string{"city"}},
		{`date_trunc("month", day)`, analysis.TypeDate, []string{"day"}},
		{`date("2017-07-31")`, analysis.TypeDate, []string{}},
		{`deaths > 10 && ok`, analysis.TypeBool, []string{"deaths", "ok"}},
		{`round(share, 1)`, analysis.TypeFloat, []string{"share"}},
		{`percent(share)`, analysis.TypeString, []string{"share"}},
		{`deaths ?? 0`, analysis.TypeInt, []string{"deaths"}},
	}
	for _, tt := range tests {
		p, err := Compile(at(tt.src, 1, 1), "derive x", rowEnv(), AnyResult)
		if err != nil {
			t.Errorf("Compile(%q): %v", tt.src, err)
			continue
		}
		if p.Type != tt.typ || !equal(p.Refs, tt.refs) {
			t.Errorf("Compile(%q): type %s refs %q, want %s %q", tt.src, p.Type, p.Refs, tt.typ, tt.refs)
		}
	}
}

// TestNull is the null semantics of the contract: ordering comparisons with
// a null are false, arithmetic with a null is null, && and || read a null as
// false, and == nil and ?? test and replace it.
func TestNull(t *testing.T) {
	tests := []struct {
		src        string
		null, full any // over nilRow and fullRow
	}{
		{`low > 1`, false, true},
		{`low < 100`, false, true},
		{`low >= 3`, false, true},
		{`low <= 3`, false, true},
		{`1 < low`, false, true},
		{`share > 0.1`, false, true},
		{`day >= date("2016-10-17")`, false, true},
		{`day < date("2016-10-17")`, false, false},
		{`city > "A"`, false, true},
		{`low + 1`, nil, 4},
		{`1 + low`, nil, 4},
		{`low - high`, nil, -6},
		{`low * 2`, nil, 6},
		{`high / low`, nil, 3.0},
		{`high % 2`, nil, 1},
		{`low ** 2`, nil, 9.0},
		{`-low`, nil, -3},
		{`share * 4`, nil, 1.0},
		{`(low + high) / 2`, nil, 6.0},
		{`low > 1 && true`, false, true},
		{`true && low > 1`, false, true},
		{`low > 1 || true`, true, true},
		{`ok && true`, false, true},
		{`ok || false`, false, true},
		{`ok || true`, true, true},
		{`ok and true`, false, true},
		{`ok or low > 1`, false, true},
		{`!ok`, nil, false},
		{`not ok`, nil, false},
		{`!(low > 1)`, true, false},
		{`ok ? 1 : 2`, 2, 1},
		{`low == nil`, true, false},
		{`low != nil`, false, true},
		{`nil == low`, true, false},
		{`city == nil`, true, false},
		{`low == 3`, false, true},
		{`low != 3`, true, false},
		{`low ?? 0`, 0, 3},
		{`(low ?? 0) + 1`, 1, 4},
		{`city ?? "unknown"`, "unknown", "Mosul"},
		{`city in ["Mosul", "Raqqa"]`, false, true},
		{`low in [1, 3]`, false, true},
		{`city not in ["Mosul"]`, true, false},
		{`city contains "os"`, false, true},
		{`city startsWith "Mo"`, false, true},
		{`city endsWith "ul"`, false, true},
		{`city matches "^M.s"`, false, true},
		{`city == "Mosul" && deaths >= 10`, false, true},
		{`len(city ?? "")`, 0, 5},
		{`date("2017-07-31") > day`, false, true},
		{`round(share, 1)`, nil, 0.3},
		{`date_trunc("month", day)`, nil, d("2017-01-01")},
	}
	for _, tt := range tests {
		for _, row := range []struct {
			name string
			row  map[string]any
			want any
		}{{"null", nilRow(), tt.null}, {"full", fullRow(), tt.full}} {
			got, err := eval(t, tt.src, rowEnv(), row.row)
			if err != nil {
				t.Errorf("%s over the %s row: %v", tt.src, row.name, err)
				continue
			}
			if !equal(got, row.want) {
				t.Errorf("%s over the %s row = %#v, want %#v", tt.src, row.name, got, row.want)
			}
		}
	}
}

// TestWhereNull: a where that yields null keeps no row.
func TestWhereNull(t *testing.T) {
	for _, src := range []string{`!ok`, `ok`, `low > 1`, `city == "Mosul" && deaths >= 10`, `ok ?? false`} {
		p, err := Compile(at(src, 1, 1), "where", rowEnv(), BoolResult)
		if err != nil {
			t.Fatalf("Compile(%q): %v", src, err)
		}
		var m VM
		keep, err := m.Test(p, nilRow())
		if err != nil || keep {
			t.Errorf("Test(%q) over a null row = %v, %v; want false, nil", src, keep, err)
		}
	}
}

func TestRuntimeErrors(t *testing.T) {
	tests := []struct {
		src string
		err string
	}{
		{`date(city) < day`, `x.yaml:12:12: date("Mosul"): not a date in the layout "2006-01-02"`},
		{`low > 1 && date(city, "02/01/2006") < day`, `x.yaml:12:23: date("Mosul"): not a date in the layout "02/01/2006"`},
		{`date_trunc(city, day)`, `x.yaml:12:12: date_trunc: unknown unit "Mosul" (use one of day, week, month, quarter, year)`},
		{`round(share, 20)`, `x.yaml:12:12: the number of decimals must be a whole number from 0 to 12`},
		{`deaths % 0`, `x.yaml:12:19: modulo by zero`},
		{`"abc" matches (city + "(")`, "x.yaml:12:18: matches: bad pattern \"Mosul(\": error parsing regexp: missing closing ): `Mosul(`"},
	}
	for _, tt := range tests {
		_, err := eval(t, tt.src, rowEnv(), fullRow())
		if err == nil {
			t.Errorf("%s: no error, want %s", tt.src, tt.err)
			continue
		}
		var pe *position.Error
		if !errors.As(err, &pe) {
			t.Errorf("%s: error %T is not a *position.Error", tt.src, err)
		}
		if got := err.Error(); got != tt.err {
			t.Errorf("%s:\n got: %s\nwant: %s", tt.src, got, tt.err)
		}
	}
}

func TestDateUTC(t *testing.T) {
	local := time.Local
	time.Local = time.FixedZone("UTC+14", 14*3600)
	defer func() { time.Local = local }()
	for _, tt := range []struct {
		src  string
		want time.Time
	}{
		{`date("2017-07-31")`, time.Date(2017, 7, 31, 0, 0, 0, 0, time.UTC)},
		{`date("31/07/2017", "02/01/2006")`, time.Date(2017, 7, 31, 0, 0, 0, 0, time.UTC)},
		{`date_trunc("day", date("2017-07-31"))`, time.Date(2017, 7, 31, 0, 0, 0, 0, time.UTC)},
	} {
		got, err := eval(t, tt.src, rowEnv(), fullRow())
		if err != nil {
			t.Fatal(err)
		}
		tm, ok := got.(time.Time)
		if !ok || !tm.Equal(tt.want) || tm.Location() != time.UTC {
			t.Errorf("%s = %#v, want %v in UTC", tt.src, got, tt.want)
		}
	}
	if got, err := eval(t, `date(city)`, rowEnv(), nilRow()); err != nil || got != nil {
		t.Errorf("date(nil) = %v, %v; want nil", got, err)
	}
}

func TestDateTrunc(t *testing.T) {
	at := func(s string) time.Time { return d(s).Add(15*time.Hour + 4*time.Minute) }
	tests := []struct {
		unit string
		in   time.Time
		want string
	}{
		{"day", at("2017-07-31"), "2017-07-31"},
		{"week", at("2017-07-31"), "2017-07-31"}, // a Monday
		{"week", at("2017-08-06"), "2017-07-31"}, // a Sunday
		{"week", at("2017-01-01"), "2016-12-26"}, // a Sunday, across the year
		{"week", at("2021-01-03"), "2020-12-28"},
		{"week", at("2016-03-01"), "2016-02-29"}, // across a leap day
		{"month", at("2017-07-31"), "2017-07-01"},
		{"quarter", at("2017-01-01"), "2017-01-01"},
		{"quarter", at("2017-03-31"), "2017-01-01"},
		{"quarter", at("2017-08-15"), "2017-07-01"},
		{"quarter", at("2017-12-31"), "2017-10-01"},
		{"year", at("2017-12-31"), "2017-01-01"},
		// A date in another zone truncates by its own calendar day.
		{"day", time.Date(2017, 7, 31, 23, 0, 0, 0, time.FixedZone("X", -5*3600)), "2017-07-31"},
	}
	for _, tt := range tests {
		got, err := Trunc(tt.unit, tt.in)
		if err != nil || !got.Equal(d(tt.want)) || got.Location() != time.UTC {
			t.Errorf("Trunc(%q, %v) = %v, %v; want %s UTC", tt.unit, tt.in, got, err, tt.want)
		}
		row := fullRow()
		row["day"] = tt.in
		v, err := eval(t, `date_trunc("`+tt.unit+`", day)`, rowEnv(), row)
		if err != nil || !equal(v, d(tt.want)) {
			t.Errorf("date_trunc(%q, %v) = %v, %v; want %s", tt.unit, tt.in, v, err, tt.want)
		}
	}
	if _, err := Trunc("decade", d("2017-01-01")); err == nil ||
		err.Error() != `date_trunc: unknown unit "decade" (use one of day, week, month, quarter, year)` {
		t.Errorf("Trunc(decade): %v", err)
	}
}

// TestRound: round() is value.Round (tested there) on numbers and columns.
func TestRound(t *testing.T) {
	exprs := []struct {
		src  string
		want any
	}{
		{`round(2.675, 2)`, 2.68},
		{`round(2.5)`, 3.0},
		{`round(-2.5)`, -3.0},
		{`round(7)`, 7.0},
		{`round(deaths, 1)`, 12.0},
		{`round(-deaths)`, -12.0},
		{`round(share * 10)`, 3.0},
		{`round(low / 2)`, 2.0},
	}
	for _, tt := range exprs {
		got, err := eval(t, tt.src, rowEnv(), fullRow())
		if err != nil || !equal(got, tt.want) {
			t.Errorf("%s = %#v, %v; want %#v", tt.src, got, err, tt.want)
		}
	}
}

func TestPercent(t *testing.T) {
	tests := []struct {
		src  string
		want any
	}{
		{`percent(0.276)`, "28%"},
		{`percent(0.276, 1)`, "27.6%"},
		{`percent(1)`, "100%"},
		{`percent(0)`, "0%"},
		{`percent(0.5, 2)`, "50.00%"},
		{`percent(0.005)`, "1%"},
		{`percent(1.5)`, "150%"},
		{`percent(share)`, "25%"},
		{`percent(low / high, 1)`, "33.3%"},
		{`percent(-0.25)`, "-25%"},
	}
	for _, tt := range tests {
		got, err := eval(t, tt.src, rowEnv(), fullRow())
		if err != nil || !equal(got, tt.want) {
			t.Errorf("%s = %#v, %v; want %#v", tt.src, got, err, tt.want)
		}
	}
	if got, err := eval(t, `percent(share)`, rowEnv(), nilRow()); got != nil || err != nil {
		t.Errorf("percent(nil) = %#v, %v; want nil", got, err)
	}
}

func TestPercentHalves(t *testing.T) {
	for src, want := range map[string]string{`percent(0.285)`: "29%", `percent(0.145)`: "15%", `percent(0.0285, 1)`: "2.9%"} {
		got, err := eval(t, src, rowEnv(), fullRow())
		if err != nil || got != want {
			t.Errorf("%s = %#v, %v; want %q", src, got, err, want)
		}
	}
}

func TestKeysValues(t *testing.T) {
	tests := []struct {
		src  string
		want any
	}{
		{`keys({"b": 1, "a": 2, "c": 3})`, []any{"a", "b", "c"}},
		{`values({"b": 1, "a": 2, "c": 3})`, []any{2, 1, 3}},
		{`keys({})`, []any{}},
		{`join(keys({"z": 1, "y": 2}), ",")`, "y,z"},
	}
	for _, tt := range tests {
		for i := 0; i < 5; i++ { // map order varies from run to run
			got, err := eval(t, tt.src, rowEnv(), fullRow())
			if err != nil || !equal(got, tt.want) {
				t.Errorf("%s = %#v, %v; want %#v", tt.src, got, err, tt.want)
				break
			}
		}
	}
}

// TestReserved: only the keywords and operators are refused as names; a
// function's name may be a column's (contract v2).
func TestReserved(t *testing.T) {
	for name, want := range map[string]bool{
		"nil": true, "true": true, "in": true, "matches": true, "not": true, "let": true,
		"contains": true, "startsWith": true, "and": true, "if": true,
		"date": false, "date_trunc": false, "round": false, "percent": false, "keys": false, "values": false,
		"now": false, "len": false, "filter": false, "sum": false, "count": false, "max": false,
		"year": false, "rank": false, "quantile": false,
		"deaths": false, "midpoint": false, "Date": false, "total": false, "ratio": false,
	} {
		if got := Reserved(name); got != want {
			t.Errorf("Reserved(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestNames(t *testing.T) {
	tests := []struct {
		src  string
		want []string
	}{
		{`ap_low / us_ack`, []string{"ap_low", "us_ack"}},
		{`ratio >= 27`, []string{"ratio"}},
		{`first(filter(mosul, .counter == "AP")).low`, []string{"mosul"}},
		{`b + a + b`, []string{"a", "b"}},
		{`len(x) > 0 ? y : z`, []string{"x", "y", "z"}},
		{`1 + 2`, []string{}},
		{`x >`, nil}, // a syntax error: Compile reports it
	}
	for _, tt := range tests {
		if got := Names(at(tt.src, 1, 1)); !equal(got, tt.want) {
			t.Errorf("Names(%q) = %#v, want %#v", tt.src, got, tt.want)
		}
	}
}

func TestEnv(t *testing.T) {
	env := NewStructEnv("name")
	env.Add("total", 0)
	env.Add("mosul", nil)
	env.Add("total", 1.5) // a redeclaration keeps the order
	if got := env.Names(); !equal(got, []string{"total", "mosul"}) {
		t.Errorf("Names() = %q", got)
	}
	st := env.Struct()
	if st.NumField() != 2 || st.Field(0).Type != reflect.TypeOf(1.5) || st.Field(1).Tag.Get("expr") != "mosul" {
		t.Errorf("Struct() = %v", st)
	}
	p, err := Compile(at("total * 2", 1, 1), "value x", env, AnyResult)
	if err != nil {
		t.Fatal(err)
	}
	v := reflect.New(st).Elem()
	v.Field(0).SetFloat(2.5)
	var m VM
	if got, err := m.Eval(p, v.Interface()); err != nil || got != 5.0 {
		t.Errorf("Eval = %v, %v; want 5", got, err)
	}
	for _, tt := range []struct {
		t    analysis.ColumnType
		want any
	}{{analysis.TypeString, ""}, {analysis.TypeInt, 0}, {analysis.TypeFloat, 0.0}, {analysis.TypeBool, false}, {analysis.TypeDate, time.Time{}}, {analysis.TypeAny, nil}} {
		if got := Sample(tt.t); !equal(got, tt.want) || TypeOf(reflect.TypeOf(got)) != tt.t {
			t.Errorf("Sample(%s) = %#v (TypeOf %s)", tt.t, got, TypeOf(reflect.TypeOf(got)))
		}
	}
	if !strings.Contains(reflect.TypeOf(Program{}).String(), "Program") {
		t.Fatal("unreachable")
	}
}

// TestNullBuiltins: the contract says a missing value never crashes a run;
// expr-lang's own builtins given a null must give null, not fail.
func TestNullBuiltins(t *testing.T) {
	for _, src := range []string{`upper(city)`, `trim(city)`, `len(city)`, `abs(low)`, `int(share)`, `float(low)`, `max(low, 2)`, `string(low)`, `repeat(city, 2)`, `1..low`} {
		got, err := eval(t, src, rowEnv(), nilRow())
		if err != nil || got != nil {
			t.Errorf("%s over a null row = %#v, %v; want nil", src, got, err)
		}
	}
}

// TestConjuncts: a where's top-level && splits into tests that, run in
// turn, keep exactly the rows the whole keeps, each reading only its own
// columns, and a runtime error still names its place in the file.
func TestConjuncts(t *testing.T) {
	tests := []struct {
		src  string
		refs [][]string
	}{
		{`city == "Mosul"`, [][]string{{"city"}}},
		{`city == "Mosul" || deaths > 1`, [][]string{{"city", "deaths"}}},
		{`city == "Mosul" && day >= date("2017-01-01") and (low < high && ok)`, [][]string{{"city"}, {"day"}, {"high", "low"}, {"ok"}}},
		{`(city == "Mosul" || ok) && deaths > share`, [][]string{{"city", "ok"}, {"deaths", "share"}}},
		// Not split: an operand that may not be a bool (the whole reports
		// it), and a conjunction the optimizer folds (x && false).
		{`(deaths > 1 ? "yes" : true) && low > 1`, [][]string{{"deaths", "low"}}},
		{`deaths % (deaths - 12) == 0 && false`, [][]string{{"deaths"}}},
	}
	rows := []map[string]any{fullRow(), nilRow(),
		{"city": "Raqqa", "deaths": 1, "low": 5, "high": 2, "share": 3.5, "day": d("2016-01-01"), "ok": false},
		{"city": "Mosul", "deaths": nil, "low": 1, "high": 2, "share": nil, "day": d("2018-01-01"), "ok": true}}
	for _, tt := range tests {
		p, err := Compile(at(tt.src, 1, 1), "where", rowEnv(), BoolResult)
		if err != nil {
			t.Fatalf("Compile(%q): %v", tt.src, err)
		}
		parts := p.Conjuncts()
		var refs [][]string
		for _, c := range parts {
			refs = append(refs, c.Refs)
		}
		if !reflect.DeepEqual(refs, tt.refs) {
			t.Errorf("%s: conjuncts read %v, want %v", tt.src, refs, tt.refs)
		}
		for i, row := range rows {
			var m VM
			whole, errWhole := m.Test(p, row)
			each, errEach := true, error(nil)
			for _, c := range parts {
				ok, err := m.Test(c, row)
				if err != nil || !ok {
					each, errEach = false, err
					break
				}
			}
			if whole != each || fmt.Sprint(errWhole) != fmt.Sprint(errEach) {
				t.Errorf("%s, row %d: whole %v, %v; conjuncts %v, %v", tt.src, i, whole, errWhole, each, errEach)
			}
		}
	}
	p, err := Compile(at(`low > 1 && date(city, "02/01/2006") < day`, 12, 12), "where", rowEnv(), BoolResult)
	if err != nil {
		t.Fatal(err)
	}
	var m VM
	_, err = m.Eval(p.Conjuncts()[1], fullRow())
	if want := `x.yaml:12:23: date("Mosul"): not a date in the layout "02/01/2006"`; err == nil || err.Error() != want {
		t.Errorf("error %v, want %s", err, want)
	}
}

// TestName: only an expression that is one name of the Env says so; its
// value is then the name's, which a caller may take without the VM.
func TestName(t *testing.T) {
	for src, want := range map[string]string{"deaths": "deaths", "city": "city", "deaths + 1": "", "-deaths": "", `date("2017-01-01")`: "", "(share)": "share"} {
		p, err := Compile(at(src, 1, 1), "aggregate", rowEnv(), AnyResult)
		if err != nil {
			t.Fatalf("Compile(%q): %v", src, err)
		}
		if got, ok := p.Name(); got != want || ok != (want != "") {
			t.Errorf("Name(%q) = %q, %v; want %q", src, got, ok, want)
		}
	}
}

// TestGoTypesReworded: expr-lang's builtins meet values of the wrong type
// with Go's own "interface conversion" message, naming Go struct types; a
// reporter reads the kinds of an analysis instead (found while writing the
// maps example: count(filter(view, ...)) in a value).
func TestGoTypesReworded(t *testing.T) {
	env := NewStructEnv("name")
	rows := []struct {
		B any `expr:"b"`
	}{{"x"}, {"y"}}
	env.Add("d", rows[:0])
	p, err := Compile(at(`count(filter(d, .b == "x"))`, 9, 6), "value n", env, AnyResult)
	if err != nil {
		t.Fatal(err)
	}
	st := reflect.New(env.Struct()).Elem()
	st.Field(0).Set(reflect.ValueOf(rows))
	var m VM
	_, err = m.Eval(p, st.Interface())
	want := "x.yaml:9:6: a function was given a row where it wants true or false (count(list) counts the true values of a list of true or false; count(list, predicate) counts the items the predicate holds for, and len(list) every item)"
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

// TestMaxNodes: an expression of more than MaxNodes nodes is refused when
// compiled, at the expression (docs/security.md).
func TestMaxNodes(t *testing.T) {
	long := "low" + strings.Repeat(" + 1", MaxNodes) // 2·MaxNodes+1 nodes, none nested
	_, err := Compile(at(long, 3, 8), "derive x", rowEnv(), AnyResult)
	if err == nil || !strings.HasPrefix(err.Error(), "x.yaml:3:") || !strings.HasSuffix(err.Error(), ": derive x: the expression has more than 2000 parts (names, numbers, operators), the limit for one expression; split it into values or derived columns") {
		t.Errorf("got %v", err)
	}
	if _, err := Compile(at("low"+strings.Repeat(" + 1", 900), 3, 8), "derive x", rowEnv(), AnyResult); err != nil {
		t.Errorf("1,801 nodes refused: %v", err)
	}
}
