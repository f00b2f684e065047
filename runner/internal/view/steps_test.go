package view

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"galley/runner/internal/analysis"
	"galley/runner/internal/table"
)

const (
	tS = analysis.TypeString
	tI = analysis.TypeInt
	tF = analysis.TypeFloat
	tD = analysis.TypeDate
	tB = analysis.TypeBool
)

// runSources compiles an append over inputs and feeds each its rows, each
// input in a run of its own, merged in order as the engine does.
func runSources(t *testing.T, v *analysis.View, inputs [][]table.Column, rows [][][]any, limits Limits) (*table.Table, Counts, error) {
	t.Helper()
	p, err := CompileSources(v, inputs, nil)
	if err != nil {
		return nil, Counts{}, err
	}
	if limits == (Limits{}) {
		limits = DefaultLimits
	}
	var first *Run
	for k := range inputs {
		r := p.StartSource(k, nil, limits)
		for i, row := range rows[k] {
			if err := r.Add(row, func() string { return fmt.Sprintf("input %d row %d", k, i+1) }); err != nil {
				return nil, r.Counts, err
			}
		}
		if first == nil {
			first = r
		} else if err := first.Merge(r); err != nil {
			return nil, first.Counts, err
		}
	}
	out, err := first.Finish()
	return out, first.Counts, err
}

func appendView(names ...string) *analysis.View {
	v := newView()
	v.Append = true
	v.Sources = nil
	for i, n := range names {
		v.Sources = append(v.Sources, rf(3, 12+10*i, n))
	}
	v.From = v.Sources[0]
	return v
}

func types(cols []table.Column) string {
	var out []string
	for _, c := range cols {
		out = append(out, c.Name+":"+c.Type.String())
	}
	return strings.Join(out, " ")
}

func TestAppend(t *testing.T) {
	a := []table.Column{col("city", tS), col("n", tI), col("x", tF)}
	b := []table.Column{col("x", tI), col("city", tS), col("n", tI)} // another order; x an int
	v := appendView("a", "b")
	v.FromColumn = analysis.String{Value: "edition", Pos: at(4, 18), Set: true}
	v.Where = []analysis.Expr{ex(5, `n > 1`)}
	out, counts, err := runSources(t, v, [][]table.Column{a, b}, [][][]any{
		{{"Mosul", 1, 0.5}, {"Raqqa", 2, nil}},
		{{7, "Homs", 3}, {nil, "Idlib", 4}, {1, "Deir", 1}},
	}, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := types(out.Columns), "city:string n:int x:float edition:string"; got != want {
		t.Errorf("columns %s, want %s", got, want)
	}
	want := [][]any{{"Raqqa", 2, nil, "a"}, {"Homs", 3, 7.0, "b"}, {"Idlib", 4, nil, "b"}}
	if !reflect.DeepEqual(out.Rows, want) {
		t.Errorf("rows:\n%s\nwant:\n%s", show(out.Rows), show(want))
	}
	if wantC := (Counts{Read: 5, Sources: []int{2, 3}, Where: []int{3}, Out: 3}); !reflect.DeepEqual(counts, wantC) {
		t.Errorf("counts %+v, want %+v", counts, wantC)
	}
	// UsesOf maps the columns a view uses onto each input's.
	p, _ := CompileSources(v, [][]table.Column{a, b}, nil)
	if got := p.UsesOf(1); !reflect.DeepEqual(got, []bool{true, true, true}) {
		t.Errorf("UsesOf(1) = %v", got)
	}
}

func TestAppendErrors(t *testing.T) {
	a := []table.Column{col("city", tS), col("n", tI)}
	tests := []struct {
		name string
		b    []table.Column
		want string
	}{
		{"a column missing", []table.Column{col("city", tS)}, `a.yaml:3:22: view "v": from: b has no column "n", which a has; an append matches columns by name (give every input the same columns, with select or derive)`},
		{"a column more", []table.Column{col("city", tS), col("n", tI), col("z", tB)}, `a.yaml:3:22: view "v": from: b has a column "z" that a has not; an append matches columns by name (drop it with select, or add it to a)`},
		{"another type", []table.Column{col("city", tS), col("n", tS)}, `a.yaml:3:22: view "v": from: column "n" is int in a but string in b; an append needs one type per column (convert one with derive, e.g. string(n))`},
	}
	for _, tt := range tests {
		_, err := CompileSources(appendView("a", "b"), [][]table.Column{a, tt.b}, nil)
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s: %v\nwant %s", tt.name, err, tt.want)
		}
	}
	v := appendView("a", "b")
	v.FromColumn = analysis.String{Value: "city", Pos: at(4, 18), Set: true}
	_, err := CompileSources(v, [][]table.Column{a, a}, nil)
	if want := `a.yaml:4:18: view "v": from_column: a column named "city" already exists; choose another name`; err == nil || err.Error() != want {
		t.Errorf("from_column clash: %v", err)
	}
	// An int with no exact float, meeting a float column, is refused.
	_, _, err = runSources(t, appendView("a", "b"), [][]table.Column{{col("n", tF)}, {col("n", tI)}}, [][][]any{{{1.5}}, {{1<<53 + 1}}}, Limits{})
	if want := `a.yaml:3:22: view "v": from: column "n" of b: the int 9007199254740993 has no exact float, and the column is a float here (int with float gives float); keep both ints, or round it (evaluating input 1 row 1)`; err == nil || err.Error() != want {
		t.Errorf("inexact int: %v\nwant %s", err, want)
	}
}

func unpivotOf(cols ...string) *analysis.Unpivot {
	return &analysis.Unpivot{Pos: at(4, 5), Columns: refs(5, cols...),
		NamesTo: analysis.String{Value: "drug", Pos: at(6, 17), Set: true}, ValuesTo: analysis.String{Value: "percent", Pos: at(7, 18), Set: true}}
}

func TestUnpivot(t *testing.T) {
	cols := []table.Column{col("age", tS), col("alcohol", tF), col("n", tI), col("cocaine", tI)}
	v := newView()
	v.Unpivot = unpivotOf("cocaine", "alcohol")
	v.Where = []analysis.Expr{ex(8, `percent != 0.5`)}
	v.Derive = []*analysis.Named{nm(9, "pc", `percent * 100`)}
	out, counts := mustRun(t, v, cols, [][]any{{"12", 0.5, 10, 2}, {"13", nil, 20, 0}})
	if got, want := types(out.Columns), "age:string n:int drug:string percent:float pc:float"; got != want {
		t.Errorf("columns %s, want %s", got, want)
	}
	// Each row gives its columns in the listed order; a null stays.
	want := [][]any{{"12", 10, "cocaine", 2.0, 200.0}, {"13", 20, "cocaine", 0.0, 0.0}, {"13", 20, "alcohol", nil, nil}}
	if !reflect.DeepEqual(out.Rows, want) {
		t.Errorf("rows:\n%s\nwant:\n%s", show(out.Rows), show(want))
	}
	if wantC := (Counts{Read: 2, Unpivoted: 4, Where: []int{3}, Out: 3}); !reflect.DeepEqual(counts, wantC) {
		t.Errorf("counts %+v, want %+v", counts, wantC)
	}
	for _, tt := range []struct {
		u    *analysis.Unpivot
		want string
	}{
		{unpivotOf("alcohol", "age"), `a.yaml:5:25: view "v": unpivot: columns: "age" is string, but "alcohol" is float; the columns that become rows share one column, of one type (int with float gives float)`},
		{unpivotOf("alcohl"), `a.yaml:5:15: view "v": unpivot: columns: unknown column "alcohl" (did you mean "alcohol"?)`},
		{func() *analysis.Unpivot { u := unpivotOf("n"); u.NamesTo.Value = "age"; return u }(), `a.yaml:6:17: view "v": unpivot: a column named "age" already exists; choose another name`},
	} {
		v := newView()
		v.Unpivot = tt.u
		if _, err := Compile(v, cols, nil); err == nil || err.Error() != tt.want {
			t.Errorf("%v\nwant %s", err, tt.want)
		}
	}
}

func pivotOf(fill *analysis.Literal, values ...string) *analysis.Pivot {
	pv := &analysis.Pivot{Pos: at(4, 5), NamesFrom: rf(5, 19, "cause"), ValuesFrom: rf(6, 20, "deaths"), Fill: fill}
	for i, v := range values {
		name, val, _ := strings.Cut(v, "=")
		pv.Columns = append(pv.Columns, analysis.PivotColumn{Name: name, Pos: at(8+i, 9), Value: analysis.Literal{Text: val, Tag: "!!str", Pos: at(8+i, 18)}})
	}
	return pv
}

func TestPivot(t *testing.T) {
	cols := []table.Column{col("year", tI), col("cause", tS), col("deaths", tI)}
	rows := [][]any{{2001, "Gunfire", 3}, {2000, "Crash", 1}, {2001, "Crash", nil}, {2000, "Gunfire", 4}, {2002, "Crash", 2}}
	v := newView()
	v.Pivot = pivotOf(&analysis.Literal{Text: "0", Tag: "!!int", Pos: at(12, 13)}, "gunfire=Gunfire", "crash=Crash")
	p, err := Compile(v, cols, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := types(p.Output), "year:int gunfire:int crash:int"; got != want {
		t.Errorf("columns %s, want %s", got, want)
	}
	if !reflect.DeepEqual(p.Keys, []string{"year"}) {
		t.Errorf("keys %v, want [year]", p.Keys)
	}
	// Ordered by the key; a missing cell is filled, a null value stays null.
	want := [][]any{{2000, 4, 1}, {2001, 3, nil}, {2002, 0, 2}}
	for _, size := range []int{1, 2, 5} {
		out := runChunks(t, p, rows, size)
		if !reflect.DeepEqual(out.Rows, want) {
			t.Errorf("chunks of %d: rows:\n%s\nwant:\n%s", size, show(out.Rows), show(want))
		}
	}
	// A value not listed is an error at its row.
	_, _, err = run(v, cols, append(rows, []any{2003, "Drowned", 1}), Limits{})
	if want := `a.yaml:5:19: view "v": pivot: cause "Drowned" is not one of the columns' values; add a column for it under columns: (e.g. drowned: "Drowned"), or leave such rows out with where (evaluating datasets/x.csv line 7)`; err == nil || err.Error() != want {
		t.Errorf("unlisted: %v\nwant %s", err, want)
	}
	_, _, err = run(v, cols, append(rows, []any{2003, nil, 1}), Limits{})
	if want := `a.yaml:5:19: view "v": pivot: cause is null, and a null names no column; leave such rows out, e.g. where: cause != nil (evaluating datasets/x.csv line 7)`; err == nil || err.Error() != want {
		t.Errorf("null name: %v\nwant %s", err, want)
	}
	// Two values for one key and name: the first key in order is named,
	// whatever the chunks.
	dup := append(append([][]any(nil), rows...), []any{2002, "Crash", 9}, []any{2000, "Crash", 5})
	for _, size := range []int{1, 3, 7} {
		_, err := runChunksErr(p, dup, size)
		if want := `a.yaml:4:5: view "v": pivot: year = 2000 has two values of deaths for cause "Crash" (1 and 5, at least); a pivot takes one row per key and name: aggregate them first (group_by the keys and cause), or leave out the column that tells them apart`; err == nil || err.Error() != want {
			t.Errorf("chunks of %d: duplicate: %v\nwant %s", size, err, want)
		}
	}
}

func TestPivotErrors(t *testing.T) {
	cols := []table.Column{col("year", tI), col("cause", tS), col("deaths", tI)}
	tests := []struct {
		pv   *analysis.Pivot
		want string
	}{
		{pivotOf(&analysis.Literal{Text: "0.5", Tag: "!!float", Pos: at(12, 13)}, "g=Gunfire"), `a.yaml:12:13: view "v": pivot: fill: "0.5" is not an int, the type of deaths`},
		{pivotOf(nil, "year=Gunfire"), `a.yaml:8:9: view "v": pivot: columns: a column named "year" already exists (a row key); choose another name`},
		{pivotOf(nil, "a=Gunfire", "b=Gunfire"), `a.yaml:9:18: view "v": pivot: columns: a and b both take "Gunfire"; a value goes to one column`},
		{func() *analysis.Pivot { p := pivotOf(nil, "a=x"); p.NamesFrom = rf(5, 19, "caus"); return p }(), `a.yaml:5:19: view "v": pivot: names_from: unknown column "caus" (did you mean "cause"?)`},
	}
	for _, tt := range tests {
		v := newView()
		v.Pivot = tt.pv
		if _, err := Compile(v, cols, nil); err == nil || err.Error() != tt.want {
			t.Errorf("%v\nwant %s", err, tt.want)
		}
	}
}

// runChunks feeds rows to p in chunks of size, each a run, merged in order.
func runChunks(t *testing.T, p *Plan, rows [][]any, size int) *table.Table {
	t.Helper()
	out, err := runChunksErr(p, rows, size)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func runChunksErr(p *Plan, rows [][]any, size int) (*table.Table, error) {
	var first *Run
	for i := 0; i < len(rows) || first == nil; i += size {
		r, _ := p.Start(nil, DefaultLimits)
		for _, row := range rows[i:min(i+size, len(rows))] {
			if err := r.Add(row, func() string { return "x" }); err != nil {
				return nil, err
			}
		}
		if first == nil {
			first = r
		} else if err := first.Merge(r); err != nil {
			return nil, err
		}
	}
	return first.Finish()
}

func TestComplete(t *testing.T) {
	cols := []table.Column{col("year", tI), col("cause", tS), col("n", tI)}
	rows := [][]any{{2003, "b", 1}, {2000, "a", 2}, {2000, "b", 3}}
	v := newView()
	v.GroupBy = refs(4, "year", "cause")
	v.Aggregate = []*analysis.Named{nm(5, "deaths", "sum(n)")}
	v.Complete = &analysis.Complete{Pos: at(6, 5), Columns: refs(7, "year", "cause"),
		Every: []analysis.Setting{{Column: rf(8, 15, "year"), Value: analysis.Literal{Text: "1", Tag: "!!int", Pos: at(8, 21)}}},
		Fill:  []analysis.Setting{{Column: rf(9, 14, "deaths"), Value: analysis.Literal{Text: "0", Tag: "!!int", Pos: at(9, 22)}}}}
	out, counts := mustRun(t, v, cols, rows)
	want := [][]any{{2000, "a", 2}, {2000, "b", 3}, {2001, "a", 0}, {2001, "b", 0}, {2002, "a", 0}, {2002, "b", 0}, {2003, "a", 0}, {2003, "b", 1}}
	if !reflect.DeepEqual(out.Rows, want) {
		t.Errorf("rows:\n%s\nwant:\n%s", show(out.Rows), show(want))
	}
	if counts.Completed != 5 {
		t.Errorf("completed %d, want 5", counts.Completed)
	}
	// Without every: the values present; a null is one of them, and an
	// unfilled column of a row added is null.
	v.Complete.Every, v.Complete.Fill = nil, nil
	out, _ = mustRun(t, v, cols, append(rows, []any{nil, "c", 4}))
	want = [][]any{{2000, "a", 2}, {2000, "b", 3}, {2000, "c", nil}, {2003, "a", nil}, {2003, "b", 1}, {2003, "c", nil}, {nil, "a", nil}, {nil, "b", nil}, {nil, "c", 4}}
	if !reflect.DeepEqual(out.Rows, want) {
		t.Errorf("without every: rows:\n%s\nwant:\n%s", show(out.Rows), show(want))
	}
	// Past the row limit: an error naming the view and the limit.
	_, _, err := run(v, cols, [][]any{{1, "a", 1}, {2, "b", 1}, {3, "c", 1}}, Limits{MaxRows: 8, MaxGroups: 100})
	if want := `a.yaml:6:5: view "v": complete: the combinations of year, cause make more than 8 rows, the limit for one view; complete fewer columns, or coarser ones`; err == nil || err.Error() != want {
		t.Errorf("limit: %v\nwant %s", err, want)
	}
}

func TestCompleteDates(t *testing.T) {
	cols := []table.Column{col("month", tD), col("n", tI)}
	v := newView()
	v.Complete = &analysis.Complete{Pos: at(6, 5), Columns: refs(7, "month"),
		Every: []analysis.Setting{{Column: rf(8, 15, "month"), Value: analysis.Literal{Text: "month", Tag: "!!str", Pos: at(8, 22)}}}}
	out, _ := mustRun(t, v, cols, [][]any{{day(2024, 4, 30), 1}, {day(2024, 1, 31), 2}})
	want := [][]any{{day(2024, 1, 31), 2}, {day(2024, 2, 29), nil}, {day(2024, 3, 31), nil}, {day(2024, 4, 30), 1}}
	if !reflect.DeepEqual(out.Rows, want) {
		t.Errorf("rows:\n%s\nwant:\n%s", show(out.Rows), show(want))
	}
	for _, tt := range []struct {
		c    *analysis.Complete
		want string
	}{
		{&analysis.Complete{Pos: at(6, 5), Columns: refs(7, "month"), Every: []analysis.Setting{{Column: rf(8, 15, "month"), Value: analysis.Literal{Text: "1", Tag: "!!int", Pos: at(8, 22)}}}},
			`a.yaml:8:22: view "v": complete: every: month is a date column: its step is one of day, week, month, quarter, year`},
		{&analysis.Complete{Pos: at(6, 5), Columns: refs(7, "month"), Every: []analysis.Setting{{Column: rf(8, 15, "n"), Value: analysis.Literal{Text: "1", Tag: "!!int", Pos: at(8, 22)}}}},
			`a.yaml:8:15: view "v": complete: every: "n" is not one of complete's columns`},
		{&analysis.Complete{Pos: at(6, 5), Columns: refs(7, "month"), Fill: []analysis.Setting{{Column: rf(8, 15, "n"), Value: analysis.Literal{Text: "x", Tag: "!!str", Pos: at(8, 22)}}}},
			`a.yaml:8:22: view "v": complete: fill: n: "x" is not an int, the type of n`},
		{&analysis.Complete{Pos: at(6, 5), Columns: refs(7, "month"), Fill: []analysis.Setting{{Column: rf(8, 15, "month"), Value: analysis.Literal{Text: "2020-01-01", Tag: "!!str", Pos: at(8, 22)}}}},
			`a.yaml:8:15: view "v": complete: fill: "month" is completed: the rows added take each of its values`},
	} {
		v := newView()
		v.Complete = tt.c
		if _, err := Compile(v, cols, nil); err == nil || err.Error() != tt.want {
			t.Errorf("%v\nwant %s", err, tt.want)
		}
	}
}

func windowOf(part []string, order []string, derive ...*analysis.Named) *analysis.Window {
	w := &analysis.Window{Pos: at(4, 5), Derive: derive}
	if part != nil {
		w.PartitionBy = refs(5, part...)
	}
	if order != nil {
		w.OrderBy = keys(6, order...)
	}
	return w
}

// TestWindowFunctions: every window function on one partitioned view with
// ties and nulls, worked by hand.
func TestWindowFunctions(t *testing.T) {
	cols := []table.Column{col("g", tS), col("pay", tI), col("x", tF)}
	rows := [][]any{
		{"a", 10, 1.0},
		{"b", 5, 2.0},
		{"a", 30, nil},
		{"a", 20, 4.0},
		{"a", 20, 8.0},
		{"b", nil, 16.0},
		{"a", nil, 32.0},
	}
	// Partition a in window order (-pay, nulls last, ties in input order):
	// rows 3 (30), 4 (20), 5 (20), 1 (10), 7 (null). Partition b: 2 (5), 6 (null).
	tests := []struct {
		expr string
		want []any // by input row
	}{
		{"row_number()", []any{4, 1, 1, 2, 3, 2, 5}},
		{"rank()", []any{4, 1, 1, 2, 2, 2, 5}},
		{"dense_rank()", []any{3, 1, 1, 2, 2, 2, 4}},
		{"percent_rank()", []any{0.75, 0.0, 0.0, 0.25, 0.25, 1.0, 1.0}},
		{"ntile(2)", []any{2, 1, 1, 1, 1, 2, 2}},
		{"ntile(10)", []any{4, 1, 1, 2, 3, 2, 5}},
		{"lag(x)", []any{8.0, nil, nil, nil, 4.0, 2.0, 1.0}},
		{"lag(x, 2, -1.0)", []any{4.0, -1.0, -1.0, -1.0, nil, -1.0, 8.0}},
		{"lead(pay)", []any{nil, nil, 20, 20, 10, nil, nil}},
		{"lead(pay, 1, 0)", []any{nil, nil, 20, 20, 10, 0, 0}},
		{"first_value(x)", []any{nil, 2.0, nil, nil, nil, 2.0, nil}},
		{"last_value(x)", []any{32.0, 16.0, 32.0, 32.0, 32.0, 16.0, 32.0}},
		{"cumsum(x)", []any{13.0, 2.0, nil, 4.0, 12.0, 18.0, 45.0}},
		{"cumsum(pay)", []any{80, 5, 30, 50, 70, 5, 80}},
		{"cummax(x)", []any{8.0, 2.0, nil, 4.0, 8.0, 16.0, 32.0}},
		{"cummin(pay)", []any{10, 5, 30, 20, 20, 5, 10}},
		{"moving_mean(x, 2)", []any{4.5, nil, nil, 4.0, 6.0, 9.0, 16.5}},
		{"moving_sum(pay, 3)", []any{50, nil, nil, nil, 70, nil, 30}},
		{"sum(pay)", []any{80, 5, 80, 80, 80, 5, 80}},
		{"pay - lag(pay)", []any{-10, nil, nil, -10, 0, nil, nil}},
		{"round(x / sum(x), 2)", []any{0.02, 0.11, nil, 0.09, 0.18, 0.89, 0.71}},
		{"count()", []any{5, 2, 5, 5, 5, 2, 5}},
		{"quantile(pay, 0.5)", []any{20.0, 5.0, 20.0, 20.0, 20.0, 5.0, 20.0}},
		{"first(x)", []any{4.0, 2.0, 4.0, 4.0, 4.0, 2.0, 4.0}},
		{"count_if(x > 3)", []any{3, 1, 3, 3, 3, 1, 3}},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			v := newView()
			v.Window = windowOf([]string{"g"}, []string{"-pay"}, nm(7, "r", tt.expr))
			out, _ := mustRun(t, v, cols, rows)
			var got []any
			for i, row := range out.Rows {
				if !reflect.DeepEqual(row[:3], rows[i]) {
					t.Fatalf("row %d is %v: the window must keep the input order", i, row)
				}
				got = append(got, row[3])
			}
			if !approx(got, tt.want) {
				t.Errorf("%s = %v, want %v", tt.expr, got, tt.want)
			}
		})
	}
}

// TestWindowSteps: a window over a grouped view, its columns seen by the
// derives after it, select, order_by and limit with ties.
func TestWindowSteps(t *testing.T) {
	cols := []table.Column{col("major", tS), col("cat", tS), col("pay", tI)}
	rows := [][]any{
		{"Petroleum", "Eng", 110}, {"Mining", "Eng", 75}, {"Metallurgy", "Eng", 73}, {"Naval", "Eng", 70},
		{"Chemical", "Eng", 65}, {"Nuclear", "Phys", 65}, {"Actuarial", "Biz", 62}, {"Astronomy", "Phys", 62},
		{"Electrical", "Eng", 60}, {"Mechanical", "Eng", 60}, {"Industrial", "Eng", 60},
	}
	v := newView()
	v.Window = windowOf(nil, []string{"-pay"}, nm(7, "pay_rank", "rank()"), nm(8, "top", "pay_rank <= 3"), nm(9, "share", "round(pay / sum(pay), 3)"))
	v.Select = refs(10, "major", "pay", "pay_rank", "top")
	v.OrderBy = keys(11, "pay_rank")
	v.Limit = limit(10)
	v.WithTies = true
	out, counts := mustRun(t, v, cols, rows)
	if len(out.Rows) != 11 || out.Rows[10][0] != "Mechanical" || out.Rows[10][2] != 9 {
		t.Errorf("with ties: %d rows, the last %v; want 11, Mechanical ranked 9th (ties break by the other columns)", len(out.Rows), out.Rows[len(out.Rows)-1])
	}
	if counts.TiedCut != 0 {
		t.Errorf("with ties: TiedCut %d, want 0", counts.TiedCut)
	}
	v.WithTies = false
	out, counts = mustRun(t, v, cols, rows)
	if len(out.Rows) != 10 || counts.TiedCut != 1 {
		t.Errorf("plain limit: %d rows, TiedCut %d; want 10 and 1 (three majors tie at 60, one left out)", len(out.Rows), counts.TiedCut)
	}
	if got := types(out.Columns); got != "major:string pay:int pay_rank:int top:bool" {
		t.Errorf("columns %s", got)
	}

	// A window over groups, partitioned: the rank within each category.
	g := newView()
	g.GroupBy = refs(4, "cat")
	g.Aggregate = []*analysis.Named{nm(5, "n", "count()"), nm(6, "best", "max(pay)")}
	g.Window = windowOf(nil, []string{"-n"}, nm(7, "r", "row_number()"), nm(8, "running", "cumsum(n)"))
	out, _ = mustRun(t, g, cols, rows)
	want := [][]any{{"Biz", 1, 62, 3, 11}, {"Eng", 8, 110, 1, 8}, {"Phys", 2, 65, 2, 10}}
	if !reflect.DeepEqual(out.Rows, want) {
		t.Errorf("over groups:\n%s\nwant:\n%s", show(out.Rows), show(want))
	}
	p, _ := Compile(g, cols, nil)
	if !reflect.DeepEqual(p.Keys, []string{"cat"}) {
		t.Errorf("keys %v, want [cat]", p.Keys)
	}
}

func TestWindowErrors(t *testing.T) {
	cols := []table.Column{col("g", tS), col("pay", tI), col("x", tF)}
	tests := []struct {
		w    *analysis.Window
		want string
	}{
		{windowOf(nil, []string{"-pay"}, nm(7, "r", "rank(pay)")), `a.yaml:7:12: window: derive r: rank() takes no argument: it numbers the rows in the window's order_by, so to rank by pay write order_by: [-pay] (largest first) and rank()`},
		{windowOf(nil, nil, nm(7, "r", "rank()")), `a.yaml:7:12: window: derive r: rank() ranks by the window's order_by, and the window has none: every row would rank 1; add order_by to the window, e.g. order_by: [-pay]`},
		{windowOf([]string{"gg"}, nil, nm(7, "r", "row_number()")), `a.yaml:5:15: view "v": window: partition_by: unknown column "gg" (did you mean "g"?)`},
		{windowOf(nil, []string{"-pya"}, nm(7, "r", "row_number()")), `a.yaml:6:15: view "v": window: order_by: unknown column "pya" (did you mean "pay"?)`},
		{windowOf(nil, []string{"pay"}, nm(7, "r", `lag(pay, 1, "none")`)), `a.yaml:7:24: window: derive r: lag: the default "none" is string, but pay is int; give a default of the same type`},
		{windowOf(nil, []string{"pay"}, nm(7, "r", `cumsum(g)`)), `a.yaml:7:12: window: derive r: cumsum needs numbers, but g is string`},
		{windowOf(nil, []string{"pay"}, nm(7, "r", `moving_mean(x, 0)`)), `a.yaml:7:27: window: derive r: moving_mean: n must be a whole number of at least 1 written in the expression, such as moving_mean(deaths, 3)`},
		{windowOf(nil, []string{"pay"}, nm(7, "r", `cumsum(lag(x))`)), `a.yaml:7:12: window: derive r: cumsum(...) holds another window function, lag(); window functions and aggregates do not nest`},
		{windowOf(nil, []string{"pay"}, nm(7, "pay", `rank()`)), `a.yaml:7:7: view "v": window: derive pay: a column named "pay" already exists; choose another name`},
		{windowOf(nil, []string{"pay"}, nm(7, "r", `ntile()`)), `a.yaml:7:12: window: derive r: ntile() needs a column or expression, e.g. ntile(4)`},
	}
	for _, tt := range tests {
		v := newView()
		v.Window = tt.w
		_, err := Compile(v, cols, nil)
		if err == nil || err.Error() != tt.want {
			t.Errorf("%v\nwant %s", err, tt.want)
		}
	}
}

func TestDistinctAndKeys(t *testing.T) {
	cols := []table.Column{col("city", tS), col("n", tI)}
	v := newView()
	v.Select = refs(4, "city")
	v.Distinct = analysis.Bool{Value: true, Pos: at(5, 5), Set: true}
	out, counts := mustRun(t, v, cols, [][]any{{"b", 1}, {"a", 2}, {"b", 3}, {nil, 4}, {nil, 5}})
	if want := [][]any{{"b"}, {"a"}, {nil}}; !reflect.DeepEqual(out.Rows, want) {
		t.Errorf("rows %v, want %v (the first of each, in order)", out.Rows, want)
	}
	if counts.Repeated != 2 {
		t.Errorf("repeated %d, want 2", counts.Repeated)
	}
	p, _ := Compile(v, cols, nil)
	if !reflect.DeepEqual(p.Keys, []string{"city"}) {
		t.Errorf("distinct keys %v, want every column", p.Keys)
	}
	g := newView()
	g.GroupBy = refs(4, "city")
	g.Aggregate = []*analysis.Named{nm(5, "total", "sum(n)")}
	g.Select = refs(6, "total")
	p, _ = Compile(g, cols, nil)
	if p.Keys != nil {
		t.Errorf("keys %v after select dropped the key, want none", p.Keys)
	}
	g.Limit, g.WithTies = limit(2), true
	if _, err := Compile(g, cols, nil); err == nil || err.Error() != `a.yaml:30:12: view "v": limit: with_ties keeps the rows tied with the last one on order_by, and the view has no order_by; add one, e.g. order_by: [-total]` {
		t.Errorf("with_ties without order_by: %v", err)
	}
}

// TestRowLimits: a window, an unpivot and a pivot hold at most the rows
// and groups the limits allow, and say which view passed which limit.
func TestRowLimits(t *testing.T) {
	cols := []table.Column{col("g", tS), col("n", tI)}
	var rows [][]any
	for i := 0; i < 30; i++ {
		rows = append(rows, []any{fmt.Sprint(i % 3), i})
	}
	v := newView()
	v.Window = windowOf([]string{"g"}, []string{"n"}, nm(7, "r", "rank()"))
	_, _, err := run(v, cols, rows, Limits{MaxRows: 20, MaxGroups: 20})
	if want := `a.yaml:2:3: view "v" outputs more than 20 rows, the limit for one view; group or filter it`; err == nil || err.Error() != want {
		t.Errorf("window: %v\nwant %s", err, want)
	}
	u := newView()
	u.Unpivot = &analysis.Unpivot{Pos: at(4, 5), Columns: refs(5, "n"), NamesTo: analysis.String{Value: "k", Set: true}, ValuesTo: analysis.String{Value: "v", Set: true}}
	_, _, err = run(u, cols, rows, Limits{MaxRows: 20, MaxGroups: 20})
	if want := `a.yaml:2:3: view "v" outputs more than 20 rows, the limit for one view; group or filter it`; err == nil || err.Error() != want {
		t.Errorf("unpivot: %v\nwant %s", err, want)
	}
	pv := newView()
	pv.Pivot = &analysis.Pivot{Pos: at(4, 5), NamesFrom: rf(5, 19, "g"), ValuesFrom: rf(6, 20, "n"),
		Columns: []analysis.PivotColumn{{Name: "a", Value: analysis.Literal{Text: "0", Tag: "!!int"}}, {Name: "b", Value: analysis.Literal{Text: "1", Tag: "!!int"}}, {Name: "c", Value: analysis.Literal{Text: "2", Tag: "!!int"}}}}
	cols2 := []table.Column{col("id", tI), col("g", tS), col("n", tI)}
	var rows2 [][]any
	for i := 0; i < 30; i++ {
		rows2 = append(rows2, []any{i, fmt.Sprint(i % 3), i})
	}
	_, _, err = run(pv, cols2, rows2, Limits{MaxRows: 20, MaxGroups: 20})
	if want := `a.yaml:2:3: view "v": pivot has more than 20 rows, the limit of groups; leave out columns that are not row keys (select them in the view it reads)`; err == nil || err.Error() != want {
		t.Errorf("pivot: %v\nwant %s", err, want)
	}
}

// TestSelectAfterPivot: select sees a pivot's output; naming a column the
// pivot read says so.
func TestSelectAfterPivot(t *testing.T) {
	cols := []table.Column{col("year", tI), col("cause", tS), col("deaths", tI)}
	v := newView()
	v.Pivot = pivotOf(nil, "gunfire=Gunfire")
	v.Select = refs(10, "year", "deaths")
	_, err := Compile(v, cols, nil)
	want := `a.yaml:10:25: view "v": select: unknown column "deaths" (select comes after pivot and sees its output, which has no deaths; to choose the columns it reads, select them in the view it reads from)`
	if err == nil || err.Error() != want {
		t.Errorf("%v\nwant %s", err, want)
	}
}
