package view

import (
	"math"
	"reflect"
	"testing"

	"galley/runner/internal/analysis"
	"galley/runner/internal/table"
)

// statRows are x (float), y (int), w (int), ok (bool) and s (string), with
// nulls, for the aggregates of two arguments.
func statCols() []table.Column {
	return []table.Column{col("x", analysis.TypeFloat), col("y", analysis.TypeInt), col("w", analysis.TypeInt),
		col("ok", analysis.TypeBool), col("s", analysis.TypeString)}
}

var statRows = [][]any{
	{1.0, 2, 1, true, "b"},
	{2.0, 4, 3, false, "a"},
	{nil, 6, 1, true, "b"},
	{4.0, nil, 2, nil, "a"},
	{3.0, 9, nil, true, nil},
	{5.0, 1, 2, true, "c"},
}

// TestStatAggregates: each new aggregate, figures worked by hand (and by
// R: quantile type 7, sd, var, cor, weighted.mean).
func TestStatAggregates(t *testing.T) {
	const (
		I = analysis.TypeInt
		F = analysis.TypeFloat
		S = analysis.TypeString
	)
	tests := []struct {
		expr     string
		want     any
		wantType analysis.ColumnType
	}{
		// x without its null: 1 2 4 3 5; sorted 1 2 3 4 5.
		{"quantile(x, 0.9)", 4.6, F},
		{"quantile(x, 0)", 1.0, F},
		{"quantile(x, 1)", 5.0, F},
		{"quantile(x, 0.5)", 3.0, F},
		{"quantile(y, 0.25)", 2.0, F}, // y: 2 4 6 9 1 → 1 2 4 6 9
		{"quantile(y, 0.3)", 2.4, F},
		{"variance(x)", 2.5, F},
		{"stddev(x)", math.Sqrt(2.5), F},
		{"variance(y)", 10.3, F},                   // mean 4.4
		{"mode(s)", "a", S},                        // a twice, b twice: ties go to the smallest
		{"mode(w)", 1, I},                          // 1 twice, 2 twice, 3 once: the smallest
		{"corr(x, y)", -2 / math.Sqrt(8.75*38), F}, // pairs (1,2) (2,4) (3,9) (5,1)
		{"weighted_mean(x, w)", (1.0*1 + 2*3 + 4*2 + 5*2) / 8, F},
		{"count_if(ok)", 4, I},
		{"count_if(x > 2)", 3, I},
		{"sum_if(y, ok)", 18, I},
		{"sum_if(x, ok)", 9.0, F},
		{"sum_if(y, x > 100)", nil, I},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			v := newView()
			v.Aggregate = []*analysis.Named{nm(6, "r", tt.expr)}
			out, _ := mustRun(t, v, statCols(), statRows)
			got := out.Rows[0][0]
			if f, ok := tt.want.(float64); ok {
				g, ok := got.(float64)
				if !ok || math.Abs(g-f) > 1e-9*math.Max(1, math.Abs(f)) {
					t.Errorf("%s = %#v, want %v", tt.expr, got, f)
				}
			} else if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("%s = %#v, want %#v", tt.expr, got, tt.want)
			}
			if out.Columns[0].Type != tt.wantType {
				t.Errorf("%s: type %s, want %s", tt.expr, out.Columns[0].Type, tt.wantType)
			}
		})
	}
}

// TestStatAggregatesEmpty: over no rows (or only nulls) every new
// aggregate is null, but count_if is 0; stddev, variance and corr need two
// values, corr two that vary.
func TestStatAggregatesEmpty(t *testing.T) {
	for _, rows := range [][][]any{nil, {{nil, nil, nil, nil, nil}}, {{1.0, 1, 1, false, "a"}}} {
		v := newView()
		v.Aggregate = []*analysis.Named{nm(6, "q", "quantile(x, 0.5)"), nm(7, "sd", "stddev(x)"), nm(8, "var", "variance(y)"),
			nm(9, "m", "mode(s)"), nm(10, "r", "corr(x, y)"), nm(11, "wm", "weighted_mean(x, w)"), nm(12, "c", "count_if(ok)"),
			nm(13, "si", "sum_if(y, ok)")}
		out, _ := mustRun(t, v, statCols(), rows)
		want := []any{nil, nil, nil, nil, nil, nil, 0, nil}
		if len(rows) == 1 && rows[0][0] != nil {
			want = []any{1.0, nil, nil, "a", nil, 1.0, 0, nil}
		}
		if !reflect.DeepEqual(out.Rows[0], want) {
			t.Errorf("over %v: %#v\nwant %#v", rows, out.Rows[0], want)
		}
	}
	// A constant column does not correlate; weights adding to zero give no mean.
	v := newView()
	v.Aggregate = []*analysis.Named{nm(6, "r", "corr(x, y)"), nm(7, "wm", "weighted_mean(x, w)"), nm(8, "sd", "stddev(y)")}
	out, _ := mustRun(t, v, statCols(), [][]any{{1.0, 3, 1, true, ""}, {2.0, 3, -1, true, ""}, {4.0, 3, 0, true, ""}})
	if want := []any{nil, nil, 0.0}; !reflect.DeepEqual(out.Rows[0], want) {
		t.Errorf("degenerate: %#v, want %#v", out.Rows[0], want)
	}
}

// TestVarianceExact: the sample variance is computed from exact sums, so
// values far from zero keep their spread (the textbook one-pass formula
// in floats gives 0 or a negative number here), and any order of the rows
// gives the same bits.
func TestVarianceExact(t *testing.T) {
	rows := [][]any{{1e9 + 4, 0, 0, true, ""}, {1e9 + 7, 0, 0, true, ""}, {1e9 + 13, 0, 0, true, ""}, {1e9 + 16, 0, 0, true, ""}}
	v := newView()
	v.Aggregate = []*analysis.Named{nm(6, "var", "variance(x)")}
	out, _ := mustRun(t, v, statCols(), rows)
	if got := out.Rows[0][0]; got != 30.0 {
		t.Errorf("variance = %v, want 30", got)
	}
	rev := [][]any{rows[3], rows[1], rows[0], rows[2]}
	out2, _ := mustRun(t, v, statCols(), rev)
	if out2.Rows[0][0] != out.Rows[0][0] {
		t.Errorf("order changed the variance: %v, %v", out.Rows[0][0], out2.Rows[0][0])
	}
}

// TestStatAggregateErrors: the types each new aggregate takes are checked
// before any row is read.
func TestStatAggregateErrors(t *testing.T) {
	tests := []struct{ expr, want string }{
		{"quantile(s, 0.5)", `a.yaml:6:12: aggregate r: quantile needs numbers, but s is string`},
		{"stddev(ok)", `a.yaml:6:12: aggregate r: stddev needs numbers, but ok is bool`},
		{"corr(x, s)", `a.yaml:6:12: aggregate r: corr needs numbers, but s is string`},
		{"weighted_mean(s, x)", `a.yaml:6:12: aggregate r: weighted_mean needs numbers, but s is string`},
		{"count_if(x)", `a.yaml:6:12: aggregate r: count_if needs a condition, true or false, but x is float (compare it, e.g. x > 0)`},
		{"sum_if(x, y)", `a.yaml:6:12: aggregate r: sum_if needs a condition, true or false, but y is int (compare it, e.g. y > 0)`},
		{"sum_if(s, ok)", `a.yaml:6:12: aggregate r: sum_if needs numbers, but s is string`},
	}
	for _, tt := range tests {
		v := newView()
		v.Aggregate = []*analysis.Named{nm(6, "r", tt.expr)}
		_, err := Compile(v, statCols(), nil)
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s: %v\nwant %s", tt.expr, err, tt.want)
		}
	}
}

// TestSharedValues: quantiles and the median of one argument keep its
// values once.
func TestSharedValues(t *testing.T) {
	v := newView()
	v.Aggregate = []*analysis.Named{nm(6, "p10", "quantile(x, 0.1)"), nm(7, "mid", "median(x)"), nm(8, "p90", "quantile(x, 0.9)"),
		nm(9, "spread", "quantile(x, 0.9) - quantile(x, 0.1)"), nm(10, "other", "quantile(y, 0.5)")}
	p, err := Compile(v, statCols(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.slots) != 2 {
		t.Errorf("%d states, want 2: one for the values of x, one for y", len(p.slots))
	}
	out, _ := mustRun(t, v, statCols(), statRows)
	if want := []any{1.4, 3.0, 4.6, 3.2, 4.0}; !approx(out.Rows[0], want) {
		t.Errorf("%v, want %v", out.Rows[0], want)
	}
}

func approx(a, b []any) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, ok1 := a[i].(float64)
		y, ok2 := b[i].(float64)
		if ok1 && ok2 {
			if math.Abs(x-y) > 1e-12*math.Max(1, math.Abs(y)) {
				return false
			}
		} else if !reflect.DeepEqual(a[i], b[i]) {
			return false
		}
	}
	return true
}
