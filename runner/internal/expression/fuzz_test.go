package expression

import (
	"errors"
	"math"
	"math/big"
	"strings"
	"testing"

	"galley/runner/internal/analysis"
	"galley/runner/internal/position"
)

// FuzzCompile compiles arbitrary source against rowEnv and, when it
// compiles, evaluates it over a row of nulls, a plain row and rows at the
// ends of the int and float ranges, on both paths: nothing panics or runs
// out of stack (sources nested deep are among the seeds), every error is
// a *position.Error inside the expression's lines, and no result holds a
// NaN or an infinity.
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
		`deaths + 9223372036854775807`,
		`-low - 9223372036854775807 - 2`,
		`abs(low) * deaths ** 40`,
		`int(share * 1e300)`,
		`sum([deaths, 9223372036854775807]) / 0`,
		`mean([1e308, 1e308]) + median([1.7e308, 1.7e308])`,
		`float("NaN") < 1`,
		`repeat(repeat(city, 10000), 100000)`,
		`reduce(1..100, #acc + city, "")`,
		`len(0..9223372036854775807)`,
		strings.Repeat("(", 300) + "1" + strings.Repeat(")", 300),
		strings.Repeat("-", 300) + "low",
		strings.Repeat("[", 300) + "1" + strings.Repeat("]", 300),
		strings.Repeat("ok ? 1 : ", 300) + "2",
		"\n" + strings.Repeat("!(", 200) + "\n" + strings.Repeat("!(", 100),
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
			for _, row := range []map[string]any{nilRow(), fullRow(), bigRow(), hugeRow()} {
				v, err := m.Eval(p, row)
				if err != nil {
					inside("eval", err)
				}
				finiteValue(t, src, v)
				if _, err := m.Test(p, row); err != nil {
					inside("test", err)
				}
				if row["city"] != nil {
					v, err := m.EvalPresent(p, row)
					if err != nil {
						inside("eval present", err)
					}
					finiteValue(t, src, v)
				}
			}
		}
		if calls, err := SplitAggregate(e, "aggregate x"); err != nil {
			inside("aggregate", err)
		} else {
			for _, c := range calls {
				for _, a := range c.Args {
					if _, err := Compile(*a, "aggregate x", rowEnv(), AnyResult); err != nil {
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

// finiteValue fails t when v, or a value inside it, is a float that is NaN
// or infinite.
func finiteValue(t *testing.T, src string, v any) {
	t.Helper()
	var walk func(v any, depth int)
	walk = func(v any, depth int) {
		if depth > 100 {
			return
		}
		switch x := v.(type) {
		case float64:
			if math.IsNaN(x) || math.IsInf(x, 0) {
				t.Fatalf("%q gave %v", src, x)
			}
		case []any:
			for _, e := range x {
				walk(e, depth+1)
			}
		case []float64:
			for _, e := range x {
				walk(e, depth+1)
			}
		case map[string]any:
			for _, e := range x {
				walk(e, depth+1)
			}
		}
	}
	walk(v, 0)
}

// FuzzArith checks the checked operators against math/big on both
// evaluation paths: an int result is the exact one when it fits in an int
// and an error at the operator when it does not, never a wrapped int; a
// float result is Go's when it is finite and an error when it is not.
func FuzzArith(f *testing.F) {
	for _, s := range [][2]int64{{math.MaxInt64, 1}, {math.MinInt64, -1}, {math.MinInt64, 0}, {3, 0}, {1 << 32, 1 << 31}, {-7, 2},
		{int64(math.Float64bits(1.7e308)), int64(math.Float64bits(1.7e308))}, {int64(math.Float64bits(1e308)), int64(math.Float64bits(math.Copysign(0, -1)))}} {
		for op := range uint8(len(fuzzOps)) {
			f.Add(s[0], s[1], op)
		}
	}
	env := NewEnv("column")
	env.AddColumn("a", analysis.TypeInt)
	env.AddColumn("b", analysis.TypeInt)
	env.AddColumn("x", analysis.TypeFloat)
	env.AddColumn("y", analysis.TypeFloat)
	progs := map[string]*Program{}
	for _, src := range fuzzOps {
		p, err := Compile(at(src, 3, 10), "derive d", env, AnyResult)
		if err != nil {
			f.Fatal(err)
		}
		progs[src] = p
	}
	f.Fuzz(func(t *testing.T, a, b int64, op uint8) {
		src := fuzzOps[int(op)%len(fuzzOps)]
		x, y := math.Float64frombits(uint64(a)), math.Float64frombits(uint64(b))
		if x-x != 0 || y-y != 0 {
			x, y = float64(a), float64(b) // data holds no NaN or infinity
		}
		row := map[string]any{"a": int(a), "b": int(b), "x": x, "y": y}
		want, refused := fuzzWant(src, a, b, x, y)
		p := progs[src]
		var m VM
		for name, eval := range map[string]func(*Program, any) (any, error){"null-aware": m.Eval, "present": m.EvalPresent} {
			got, err := eval(p, row)
			if refused {
				var pe *position.Error
				if err == nil || !errors.As(err, &pe) || pe.Pos.Line != 3 || pe.Pos.Col < 10 || pe.Pos.Col >= 10+len(src) {
					t.Fatalf("%s with a=%d b=%d x=%v y=%v on the %s path = %v, %v; want an error inside the expression", src, a, b, x, y, name, got, err)
				}
				continue
			}
			if err != nil || !equal(got, want) {
				t.Fatalf("%s with a=%d b=%d x=%v y=%v on the %s path = %#v, %v; want %#v", src, a, b, x, y, name, got, err, want)
			}
		}
	})
}

var fuzzOps = []string{"a + b", "a - b", "a * b", "a % b", "-a", "abs(a)", "a / b", "sum([a, b])", "x + y", "x - y", "x * y", "x / y", "x ** y", "int(x)", "a + x", "bitshl(a, abs(b % 70))"}

// fuzzWant computes what src gives, exactly, and whether it is refused.
func fuzzWant(src string, a, b int64, x, y float64) (any, bool) {
	A, B := big.NewInt(a), big.NewInt(b)
	exact := func(r *big.Int) (any, bool) {
		if !r.IsInt64() {
			return nil, true
		}
		return int(r.Int64()), false
	}
	fl := func(r float64) (any, bool) { return r, r-r != 0 }
	switch src {
	case "a + b", "sum([a, b])":
		return exact(new(big.Int).Add(A, B))
	case "a - b":
		return exact(new(big.Int).Sub(A, B))
	case "a * b":
		return exact(new(big.Int).Mul(A, B))
	case "a % b":
		if b == 0 {
			return nil, true
		}
		return exact(new(big.Int).Rem(A, B))
	case "-a":
		return exact(new(big.Int).Neg(A))
	case "abs(a)":
		return exact(new(big.Int).Abs(A))
	case "a / b":
		if b == 0 {
			return nil, true
		}
		return fl(float64(a) / float64(b))
	case "x + y":
		return fl(x + y)
	case "x - y":
		return fl(x - y)
	case "x * y":
		return fl(x * y)
	case "x / y":
		if y == 0 {
			return nil, true
		}
		return fl(x / y)
	case "x ** y":
		return fl(math.Pow(x, y))
	case "int(x)":
		if x >= -(1<<63) && x < 1<<63 {
			return int(x), false
		}
		return nil, true
	case "a + x":
		return fl(float64(a) + x)
	case "bitshl(a, abs(b % 70))":
		n := b % 70
		if n < 0 {
			n = -n
		}
		return exact(new(big.Int).Lsh(A, uint(n)))
	}
	panic(src)
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
