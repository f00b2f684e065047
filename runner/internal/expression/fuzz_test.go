package expression

import (
	"errors"
	"strings"
	"testing"

	"galley/runner/internal/position"
)

// FuzzCompile compiles arbitrary source against rowEnv and, when it
// compiles, evaluates it over a row of nulls and a row without: nothing
// panics, and every error is a *position.Error inside the expression's lines.
func FuzzCompile(f *testing.F) {
	for _, s := range []string{
		`city == "Mosul" && deaths >= 10 && day >= date("2016-10-17")`,
		`(low + high) / 2`,
		`low > "ten"`,
		"deaths > 1 &&\n  cty == \"x\"",
		`ok ? low : high ?? 0`,
		`!ok || city in ["a", "b"]`,
		`city matches "^M" and city startsWith "M" or city endsWith "l" and city contains "o"`,
		`round(share, 2) + round(deaths)`,
		`percent(low / high, 1)`,
		`date_trunc("week", day)`,
		`keys({"a": 1})`,
		`values({"b": low})`,
		`now()`,
		`-low ** 2 % 3`,
		`len(city) > 3`,
		`filter([low, high], # > 1)`,
		`let x = low; x * 2`,
		`"é" + city`,
		`date("31/07/2017", "02/01/2006")`,
		`low / 0`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		e := at(src, 12, 12)
		lines := strings.Split(src, "\n")
		var in func(string, *position.Error)
		inside := func(what string, err error) {
			var pe *position.Error
			var l position.List
			if !errors.As(err, &pe) && !errors.As(err, &l) {
				t.Fatalf("%s error %T is not a *position.Error: %v", what, err, err)
			}
			for _, pe := range position.Errors(err) {
				in(what, pe)
			}
		}
		in = func(what string, pe *position.Error) {
			err := pe
			p := pe.Pos
			first := 12
			if p.File != "x.yaml" || p.Line < first || p.Line >= first+len(lines) {
				t.Fatalf("%s error %q: line outside the expression (lines %d to %d)", what, err, first, first+len(lines)-1)
			}
			i := p.Line - first
			start := e.Lines[i].Col
			if p.Col < start || p.Col > start+len(lines[i]) {
				t.Fatalf("%s error %q: column outside line %d (columns %d to %d)", what, err, p.Line, start, start+len(lines[i]))
			}
		}
		for _, want := range []Want{AnyResult, BoolResult} {
			p, err := Compile(e, "where", rowEnv(), want)
			if err != nil {
				inside("compile", err)
				continue
			}
			var m VM
			for _, row := range []map[string]any{nilRow(), fullRow()} {
				if _, err := m.Eval(p, row); err != nil {
					inside("eval", err)
				}
				if _, err := m.Test(p, row); err != nil {
					inside("test", err)
				}
			}
		}
		if calls, err := SplitAggregate(e, "aggregate x"); err != nil {
			inside("aggregate", err)
		} else {
			for _, c := range calls {
				if c.Arg != nil {
					if _, err := Compile(*c.Arg, "aggregate x", rowEnv(), AnyResult); err != nil {
						var pe *position.Error
						if !errors.As(err, &pe) {
							t.Fatalf("aggregate argument error %T is not positioned", err)
						}
					}
				}
			}
		}
		Names(e)
	})
}

// BenchmarkWhere evaluates a typical where over a map row with a reused VM.
// The column is named day, not date: "date" is Reserved, a column may not
// shadow date().
// BenchmarkWhere measures one filter of the benchmark's task T over a row
// env: "null-aware" is the program every row can take, "present" the
// fast path taken when none of the columns the filter reads is null.
func BenchmarkWhere(b *testing.B) {
	p, err := Compile(at(`city == "Mosul" && deaths >= 10 && day >= date("2016-10-17")`, 1, 1), "where", rowEnv(), BoolResult)
	if err != nil {
		b.Fatal(err)
	}
	row := fullRow()
	row["day"] = d("2016-11-01")
	for _, bc := range []struct {
		name string
		eval func(*VM, *Program, any) (any, error)
	}{{"null-aware", (*VM).Eval}, {"present", (*VM).EvalPresent}} {
		b.Run(bc.name, func(b *testing.B) {
			var m VM
			b.ReportAllocs()
			for b.Loop() {
				ok, err := bc.eval(&m, p, row)
				if err != nil || ok != true {
					b.Fatalf("Eval = %v, %v", ok, err)
				}
			}
		})
	}
}

// BenchmarkArith evaluates a derive with int and float arithmetic over a
// map row, on both paths: what checking every operation for overflow and
// for results that are not finite costs.
func BenchmarkArith(b *testing.B) {
	p, err := Compile(at(`(low + high) * deaths - 1 + share / 2`, 1, 1), "derive x", rowEnv(), AnyResult)
	if err != nil {
		b.Fatal(err)
	}
	row := fullRow()
	for _, bc := range []struct {
		name string
		eval func(*VM, *Program, any) (any, error)
	}{{"null-aware", (*VM).Eval}, {"present", (*VM).EvalPresent}} {
		b.Run(bc.name, func(b *testing.B) {
			var m VM
			b.ReportAllocs()
			for b.Loop() {
				v, err := bc.eval(&m, p, row)
				if err != nil || v != 143.125 {
					b.Fatalf("Eval = %v, %v", v, err)
				}
			}
		})
	}
}
