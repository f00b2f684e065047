package view

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"galley/runner/internal/analysis"
	"galley/runner/internal/table"
)

// TestMergeEqualsOneRun feeds the same rows to one run, and in chunks to
// several runs merged in order, and checks the two results are identical:
// what lets a file be read in parallel chunks with the same bytes out.
func TestMergeEqualsOneRun(t *testing.T) {
	cols := []table.Column{col("city", analysis.TypeString), col("n", analysis.TypeInt), col("x", analysis.TypeFloat)}
	var rows [][]any
	cities := []any{"Mosul", "Raqqa", nil, "Aleppo"}
	for i := 0; i < 200; i++ {
		var n any = i % 17
		if i%11 == 0 {
			n = nil
		}
		rows = append(rows, []any{cities[i%len(cities)], n, float64(i%9)/7 + 1e10*float64(i%3)})
	}
	views := map[string]*analysis.View{}
	grouped := newView()
	grouped.Where = []analysis.Expr{ex(4, `n != 3`)}
	grouped.GroupBy = refs(5, "city")
	grouped.Aggregate = []*analysis.Named{
		nm(6, "rows", "count()"), nm(7, "ns", "count(n)"), nm(8, "distinct", "count_distinct(n)"),
		nm(9, "total", "sum(n)"), nm(10, "xs", "sum(x)"), nm(11, "avg", "mean(n)"), nm(12, "mid", "median(n)"),
		nm(13, "lo", "min(n)"), nm(14, "hi", "max(n)"), nm(15, "first_n", "first(n)"), nm(16, "last_n", "last(n)"),
		nm(17, "p90", "quantile(x, 0.9)"), nm(18, "sd", "stddev(x)"), nm(19, "var", "variance(n)"), nm(20, "mode_n", "mode(n)"),
		nm(21, "r", "corr(x, n)"), nm(22, "wm", "weighted_mean(x, n)"), nm(23, "big", "count_if(x > 1e9)"), nm(24, "big_n", "sum_if(n, x > 1e9)"),
	}
	views["grouped"] = grouped
	whole := newView()
	whole.Aggregate = []*analysis.Named{nm(6, "rows", "count()"), nm(7, "mid", "median(x)"), nm(8, "last_x", "last(x)"),
		nm(9, "sd", "stddev(x)"), nm(10, "r", "corr(n, x)"), nm(11, "mode_x", "mode(x)")}
	views["whole"] = whole
	plain := newView()
	plain.Where = []analysis.Expr{ex(4, `x > 0.5`)}
	plain.Derive = []*analysis.Named{nm(5, "twice", "n * 2")}
	views["rows"] = plain

	for name, v := range views {
		t.Run(name, func(t *testing.T) {
			p, err := Compile(v, cols, nil)
			if err != nil {
				t.Fatal(err)
			}
			feed := func(rows [][]any) *Run {
				r, err := p.Start(nil, DefaultLimits)
				if err != nil {
					t.Fatal(err)
				}
				for _, row := range rows {
					if err := r.Add(row, func() string { return "x" }); err != nil {
						t.Fatal(err)
					}
				}
				return r
			}
			one := feed(rows)
			want, err := one.Finish()
			if err != nil {
				t.Fatal(err)
			}
			for _, size := range []int{1, 7, 64, 199} {
				merged := feed(rows[:size])
				for i := size; i < len(rows); i += size {
					if err := merged.Merge(feed(rows[i:min(i+size, len(rows))])); err != nil {
						t.Fatal(err)
					}
				}
				got, err := merged.Finish()
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("chunks of %d: merged result differs\n got %v\nwant %v", size, got.Rows, want.Rows)
				}
				if !reflect.DeepEqual(merged.Counts, one.Counts) {
					t.Errorf("chunks of %d: counts %+v, want %+v", size, merged.Counts, one.Counts)
				}
			}
		})
	}
}

// TestDeriveListRefused: a derive must give one value per row.
func TestDeriveListRefused(t *testing.T) {
	v := newView()
	v.Derive = []*analysis.Named{nm(5, "parts", `split(city, "s")`)}
	_, _, err := run(v, []table.Column{col("city", analysis.TypeString)}, [][]any{{"Mosul"}}, DefaultLimits)
	want := `a.yaml:5:12: derive parts gives a list, not one value; a column holds one value per row (pick one, e.g. first(...) or join(..., ", ")) (evaluating datasets/x.csv line 2)`
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

// TestDeriveDurationRefused: a derive giving a duration is named as one,
// with how to take a number of it, not called a list or a record.
func TestDeriveDurationRefused(t *testing.T) {
	v := newView()
	v.Derive = []*analysis.Named{nm(5, "age", `d - date("2000-01-01")`)}
	_, _, err := run(v, []table.Column{col("d", analysis.TypeDate)}, [][]any{{day(2020, 1, 1)}}, DefaultLimits)
	want := `a.yaml:5:12: derive age gives a duration, which no column type holds; take a number of it, e.g. (a - b).Hours() or .Minutes() (evaluating datasets/x.csv line 2)`
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

// TestDeriveRemembered: a derive that reads one column gives, remembered,
// what it gives computed: each row's value beside the same expression made
// to read a second column (never remembered); a float is never taken for
// another (-0 and 0 are equal keys, string() tells them apart); an error
// still names its row; and values that do not repeat stop being
// remembered.
func TestDeriveRemembered(t *testing.T) {
	cols := []table.Column{col("d", analysis.TypeDate), col("n", analysis.TypeInt), col("x", analysis.TypeFloat), col("s", analysis.TypeString)}
	var rows [][]any
	for i := range 3000 {
		x := []float64{0, math.Copysign(0, -1), 1.5}[i%3]
		rows = append(rows, []any{day(2016, time.Month(1+i%12), 1+i%28), i % 5, x, fmt.Sprint("k", i%40)})
	}
	v := newView()
	v.Derive = []*analysis.Named{
		nm(5, "month", `date_trunc("month", d)`), nm(6, "month2", `n == n ? date_trunc("month", d) : nil`),
		nm(7, "xs", `string(x)`), nm(8, "xs2", `n == n ? string(x) : ""`),
		nm(9, "upper", `upper(s) + "!"`), nm(10, "upper2", `n == n ? upper(s) + "!" : ""`),
	}
	feed := func(v *analysis.View, rows [][]any) *Run {
		t.Helper()
		p, err := Compile(v, cols, nil)
		if err != nil {
			t.Fatal(err)
		}
		r, _ := p.Start(nil, DefaultLimits)
		for _, row := range rows {
			if err := r.Add(row, func() string { return "x" }); err != nil {
				t.Fatal(err)
			}
		}
		return r
	}
	r := feed(v, rows)
	if m := r.derivs[0]; m == nil || m.hits < 2000 {
		t.Errorf("date_trunc of 336 dates over 3,000 rows: remembered %+v, want more than 2,000 hits", m)
	}
	out, err := r.Finish()
	if err != nil {
		t.Fatal(err)
	}
	for i, row := range out.Rows {
		for k := 4; k < len(row); k += 2 {
			if !reflect.DeepEqual(row[k], row[k+1]) {
				t.Fatalf("row %d: %s = %#v remembered, %#v computed", i, out.Columns[k].Name, row[k], row[k+1])
			}
		}
		if want := []string{"0", "-0", "1.5"}[i%3]; row[6] != want {
			t.Fatalf("row %d: string(x) = %#v, want %q", i, row[6], want)
		}
	}

	// A value that fails fails on its row, after others were remembered.
	bad := newView()
	bad.Derive = []*analysis.Named{nm(5, "r", `n == 3 ? 1 / 0 : n`)}
	_, _, err = run(bad, cols, rows, Limits{})
	if err == nil || !strings.Contains(err.Error(), "(evaluating datasets/x.csv line 5)") {
		t.Errorf("got %v, want the error of line 5 (n = 3)", err)
	}

	// Values that never repeat are not remembered for long.
	var unique [][]any
	for i := range 5000 {
		unique = append(unique, []any{day(2016, 1, 1), i, 0.0, fmt.Sprint("id", i)})
	}
	ids := newView()
	ids.Derive = []*analysis.Named{nm(5, "u", `upper(s)`)}
	if m := feed(ids, unique).derivs[0]; m.seen != nil {
		t.Errorf("after 5,000 values that never repeat, %d are remembered; want none", len(m.seen))
	}
}
