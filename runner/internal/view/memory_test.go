package view

import (
	"fmt"
	"runtime"
	"testing"

	"galley/runner/internal/analysis"
	"galley/runner/internal/table"
)

// The memory the steps hold, measured in bytes of live heap, never in
// time: where, derive, group_by and append stream (what they hold does
// not grow with the rows read), a pivot holds its rows (one per key), and
// a window what its view holds anyway, its rows, and little more.

func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// memRow is row i of the generated input: 50 cities, a year, a count, a
// float.
func memRow(i int) []any {
	return []any{fmt.Sprintf("city%02d", i%50), 2000 + i%20, i % 7, float64(i%1000) / 8}
}

func memCols() []table.Column {
	return []table.Column{col("city", tS), col("year", tI), col("n", tI), col("x", tF)}
}

// held feeds n generated rows to p (split between the inputs of an
// append) and returns the live heap held by the runs, before Finish.
func held(t *testing.T, p *Plan, n int) uint64 {
	t.Helper()
	sources := 1
	if p.Sources != nil {
		sources = len(p.Sources)
	}
	before := liveHeap()
	var runs []*Run
	for k := 0; k < sources; k++ {
		r := p.StartSource(k, nil, DefaultLimits)
		for i := k; i < n; i += sources {
			if err := r.Add(memRow(i), func() string { return "x" }); err != nil {
				t.Fatal(err)
			}
		}
		runs = append(runs, r)
	}
	for _, r := range runs[1:] {
		if err := runs[0].Merge(r); err != nil {
			t.Fatal(err)
		}
	}
	after := liveHeap()
	runtime.KeepAlive(runs)
	if after < before {
		return 0
	}
	return after - before
}

// TestStreamingMemory: what an append with where, derive and group_by, a
// pivot, an unpivot into groups and the median and quantile of repeating
// values hold does not grow with the rows: ten times the rows, at most 64
// KiB more.
func TestStreamingMemory(t *testing.T) {
	appendGroup := appendView("a", "b")
	appendGroup.FromColumn = analysis.String{Value: "src", Pos: at(4, 18), Set: true}
	appendGroup.Where = []analysis.Expr{ex(5, `n != 3`)}
	appendGroup.Derive = []*analysis.Named{nm(6, "half", `x / 2`)}
	appendGroup.GroupBy = refs(7, "src", "city")
	appendGroup.Aggregate = []*analysis.Named{nm(8, "rows", "count()"), nm(9, "total", "sum(half)"), nm(10, "sd", "stddev(x)"), nm(11, "top", "mode(n)")}

	pivot := newView()
	pivot.Derive = []*analysis.Named{nm(5, "kind", `n % 2 == 0 ? "even" : "odd"`)}
	pivot.Where = []analysis.Expr{ex(6, `n < 2`)}
	pivot.Pivot = &analysis.Pivot{Pos: at(4, 5), NamesFrom: rf(5, 19, "n"), ValuesFrom: rf(6, 20, "x"),
		Columns: []analysis.PivotColumn{{Name: "zero", Value: analysis.Literal{Text: "0", Tag: "!!int"}}, {Name: "one", Value: analysis.Literal{Text: "1", Tag: "!!int"}}}}

	unpivot := newView()
	unpivot.Unpivot = &analysis.Unpivot{Pos: at(4, 5), Columns: refs(5, "n", "x"),
		NamesTo: analysis.String{Value: "k", Set: true}, ValuesTo: analysis.String{Value: "v", Set: true}}
	unpivot.GroupBy = refs(6, "k", "year")
	unpivot.Aggregate = []*analysis.Named{nm(7, "total", "sum(v)")}

	// A median and a quantile keep each distinct value and its count once
	// the values repeat: n has 7 values, x 1,000.
	quantiles := newView()
	quantiles.Aggregate = []*analysis.Named{nm(5, "mid", "median(n)"), nm(6, "p90", "quantile(x, 0.9)")}

	for name, v := range map[string]*analysis.View{"append+where+derive+group": appendGroup, "unpivot+group": unpivot, "median+quantile": quantiles} {
		t.Run(name, func(t *testing.T) {
			inputs := [][]table.Column{memCols()}
			if v.Append {
				inputs = append(inputs, memCols())
			}
			p, err := CompileSources(v, inputs, nil)
			if err != nil {
				t.Fatal(err)
			}
			small, large := held(t, p, 20_000), held(t, p, 200_000)
			if large > small+64<<10 {
				t.Errorf("holds %d bytes after 20,000 rows and %d after 200,000: it grows with the rows", small, large)
			}
		})
	}
	// A pivot holds a row per key (city, year, kind: 100 of them),
	// however many rows come in.
	t.Run("pivot", func(t *testing.T) {
		p, err := Compile(pivot, memCols(), nil)
		if err != nil {
			t.Fatal(err)
		}
		small, large := held(t, p, 20_000), held(t, p, 200_000)
		if large > small+64<<10 {
			t.Errorf("holds %d bytes after 20,000 rows and %d after 200,000: it grows with the rows", small, large)
		}
	})
	// The measure sees rows held: a view of rows holds them all.
	t.Run("control", func(t *testing.T) {
		v := newView()
		v.Where = []analysis.Expr{ex(5, `n != 3`)}
		p, err := Compile(v, memCols(), nil)
		if err != nil {
			t.Fatal(err)
		}
		small, large := held(t, p, 20_000), held(t, p, 200_000)
		if large < small+8<<20 {
			t.Errorf("a view of rows holds %d bytes after 20,000 rows and %d after 200,000; the measure misses rows held", small, large)
		}
	})
}

// TestWindowMemory: a window holds the rows of its view, which the view
// holds anyway, and each row's new columns; nothing of the size of the
// rows besides (per row: at most 64 bytes for each column it adds, and
// the order of each partition).
func TestWindowMemory(t *testing.T) {
	const n = 100_000
	finish := func(v *analysis.View) uint64 {
		p, err := Compile(v, memCols(), nil)
		if err != nil {
			t.Fatal(err)
		}
		before := liveHeap()
		r := p.StartSource(0, nil, DefaultLimits)
		for i := 0; i < n; i++ {
			if err := r.Add(memRow(i), func() string { return "x" }); err != nil {
				t.Fatal(err)
			}
		}
		out, err := r.Finish()
		if err != nil {
			t.Fatal(err)
		}
		after := liveHeap()
		runtime.KeepAlive(out)
		return after - before
	}
	plain := finish(newView())
	w := newView()
	w.Window = windowOf([]string{"city"}, []string{"-x"}, nm(7, "r", "rank()"), nm(8, "running", "cumsum(x)"), nm(9, "share", "x / sum(x)"))
	windowed := finish(w)
	extra := float64(windowed-plain) / n
	if extra > 3*64 {
		t.Errorf("the window holds %.0f bytes a row more than the rows themselves (%d and %d bytes in all); want at most %d", extra, windowed, plain, 3*64)
	}
	t.Logf("rows: %d bytes; with a window of 3 columns: %d bytes (%.0f more a row)", plain, windowed, extra)
}
