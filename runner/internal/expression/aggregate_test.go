package expression

import (
	"strings"
	"testing"

	"galley/runner/internal/analysis"
	"galley/runner/internal/position"
)

func TestSplitAggregate(t *testing.T) {
	type call struct {
		fn    string
		arg   string // "" for none
		pos   position.Pos
		ident string
	}
	tests := []struct {
		src   string
		calls []call
	}{
		{"sum(low)", []call{{"sum", "low", pos(37, 12), "_galley_agg0"}}},
		{"count()", []call{{"count", "", pos(37, 12), "_galley_agg0"}}},
		{"sum(x) / count()", []call{{"sum", "x", pos(37, 12), "_galley_agg0"}, {"count", "", pos(37, 21), "_galley_agg1"}}},
		{"max(high) - min(low)", []call{{"max", "high", pos(37, 12), "_galley_agg0"}, {"min", "low", pos(37, 24), "_galley_agg1"}}},
		{"round(mean(share), 1)", []call{{"mean", "share", pos(37, 18), "_galley_agg0"}}},
		{"count_distinct(city)", []call{{"count_distinct", "city", pos(37, 12), "_galley_agg0"}}},
		{"median(low) ?? 0", []call{{"median", "low", pos(37, 12), "_galley_agg0"}}},
		{"quantile(low + 1,  0.9)", []call{{"quantile", "low + 1|0.9", pos(37, 12), "_galley_agg0"}}},
		{"corr(low, f(high, 2)) * 2", []call{{"corr", "low|f(high, 2)", pos(37, 12), "_galley_agg0"}}},
		{`count_if(city == "a,b") + sum_if(low, ok)`, []call{{"count_if", `city == "a,b"`, pos(37, 12), "_galley_agg0"}, {"sum_if", "low|ok", pos(37, 38), "_galley_agg1"}}},
	}
	for _, tt := range tests {
		calls, err := SplitAggregate(at(tt.src, 37, 12), "aggregate x")
		if err != nil {
			t.Errorf("SplitAggregate(%q): %v", tt.src, err)
			continue
		}
		var got []call
		for _, c := range calls {
			var args []string
			for _, a := range c.Args {
				args = append(args, a.Src)
			}
			arg := strings.Join(args, "|")
			got = append(got, call{c.Func, arg, c.Pos, c.Ident})
		}
		if !equal(got, tt.calls) {
			t.Errorf("SplitAggregate(%q):\n got  %+v\n want %+v", tt.src, got, tt.calls)
		}
	}
}

func TestSplitAggregateErrors(t *testing.T) {
	tests := []struct {
		src string
		err string
	}{
		{"sum(count())", `x.yaml:37:12: aggregate x: sum(...) holds another aggregate, count(); aggregates do not nest`},
		{"low + mean(max(high))", `x.yaml:37:18: aggregate x: mean(...) holds another aggregate, max(); aggregates do not nest`},
		{"sum()", `x.yaml:37:12: aggregate x: sum() needs a column or expression, e.g. sum(deaths)`},
		{"count() + mean()", `x.yaml:37:22: aggregate x: mean() needs a column or expression, e.g. mean(deaths)`},
		{"sum(low, high)", `x.yaml:37:12: aggregate x: sum takes one argument, not 2: sum(deaths)`},
		{"low + 1", `x.yaml:37:12: aggregate x: an aggregate needs one of [count count_distinct sum mean median min max first last quantile stddev variance mode corr weighted_mean count_if sum_if], e.g. sum(deaths) or count()`},
		{"rank()", `x.yaml:37:12: aggregate x: an aggregate needs one of [count count_distinct sum mean median min max first last quantile stddev variance mode corr weighted_mean count_if sum_if], e.g. sum(deaths) or count()`},
		{"quantile(low)", `x.yaml:37:12: aggregate x: quantile takes 2 arguments, not 1: quantile(deaths, 0.9)`},
		{"quantile(low, 1.5)", `x.yaml:37:26: aggregate x: quantile: p must be a number from 0 to 1 written in the expression, such as quantile(deaths, 0.9)`},
		{"quantile(low, share)", `x.yaml:37:26: aggregate x: quantile: p must be a number from 0 to 1 written in the expression, such as quantile(deaths, 0.9)`},
		{"corr(low)", `x.yaml:37:12: aggregate x: corr takes 2 arguments, not 1: corr(deaths, injured)`},
		{"count_if()", `x.yaml:37:12: aggregate x: count_if() needs a column or expression, e.g. count_if(deaths > 0)`},
		{"sum(quantile(low, 0.5))", `x.yaml:37:12: aggregate x: sum(...) holds another aggregate, quantile(); aggregates do not nest`},
		{"sum(low", `x.yaml:37:18: aggregate x: unexpected token EOF`},
	}
	for _, tt := range tests {
		_, err := SplitAggregate(at(tt.src, 37, 12), "aggregate x")
		if err == nil {
			t.Errorf("SplitAggregate(%q) succeeded, want %s", tt.src, tt.err)
			continue
		}
		if got := err.Error(); got != tt.err {
			t.Errorf("SplitAggregate(%q):\n got: %s\nwant: %s", tt.src, got, tt.err)
		}
	}
}

// TestAggregateArgPositions: an error in an aggregate's argument, compiled
// on its own as view does, must point at the argument in the file.
func TestAggregateArgPositions(t *testing.T) {
	calls, err := SplitAggregate(at("sum(low +  deths)", 37, 12), "aggregate x")
	if err != nil {
		t.Fatal(err)
	}
	arg := calls[0].Arg()
	if arg.Src != "low +  deths" || arg.Pos != pos(37, 16) {
		t.Errorf("Arg = %q at %v, want %q at 37:16", arg.Src, arg.Pos, "low +  deths")
	}
	_, err = Compile(*arg, "aggregate x: sum", rowEnv(), AnyResult)
	want := `x.yaml:37:23: unknown column "deths" in aggregate x: sum (did you mean "deaths"?)`
	if err == nil || err.Error() != want {
		t.Errorf("Compile(Arg) = %v\nwant %s", err, want)
	}
}

// TestCompileAggregate compiles the outer expression as view does, with each
// call's result declared under its Ident, and evaluates it.
func TestCompileAggregate(t *testing.T) {
	tests := []struct {
		src     string
		results []any // the calls' results, in order
		want    any
	}{
		{"sum(low) / count()", []any{10, 4}, 2.5},
		{"max(high) - min(low)", []any{9, 3}, 6},
		{"min(low) - max(high)", []any{3, 9}, -6},
		{"round(mean(share) * 100, 1)", []any{0.12345}, 12.3},
		{"sum(low) / count()", []any{nil, 4}, nil},
		{"(sum(low) ?? 0) + count()", []any{nil, 4}, 4},
	}
	for _, tt := range tests {
		e := at(tt.src, 37, 12)
		calls, err := SplitAggregate(e, "aggregate x")
		if err != nil {
			t.Fatal(err)
		}
		env := NewEnv("group key")
		env.AddColumn("city", analysis.TypeString)
		row := map[string]any{"city": "Mosul"}
		for i, c := range calls {
			sample := tt.results[i]
			if sample == nil {
				sample = 0
			}
			env.Add(c.Ident, sample)
			row[c.Ident] = tt.results[i]
		}
		p, err := CompileAggregate(e, "aggregate x", env)
		if err != nil {
			t.Errorf("CompileAggregate(%q): %v", tt.src, err)
			continue
		}
		var m VM
		got, err := m.Eval(p, row)
		if err != nil || !equal(got, tt.want) {
			t.Errorf("%s with %v = %#v, %v; want %#v", tt.src, tt.results, got, err, tt.want)
		}
	}
	// An unknown group key in the outer expression.
	env := NewEnv("group key")
	env.AddColumn("city", analysis.TypeString)
	env.Add("_galley_agg0", 0)
	_, err := CompileAggregate(at("sum(low) + cty", 37, 12), "aggregate x", env)
	want := `x.yaml:37:23: unknown group key "cty" in aggregate x (did you mean "city"?)`
	if err == nil || err.Error() != want {
		t.Errorf("CompileAggregate: %v\nwant %s", err, want)
	}
}
