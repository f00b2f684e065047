package view

import (
	"fmt"
	"math"
	"reflect"
	"testing"

	"galley/runner/internal/analysis"
	"galley/runner/internal/table"
)

// TestAggregates runs one aggregate, without group_by, over one column a.
func TestAggregates(t *testing.T) {
	const (
		S = analysis.TypeString
		I = analysis.TypeInt
		F = analysis.TypeFloat
		D = analysis.TypeDate
		A = analysis.TypeAny
	)
	tests := []struct {
		name     string
		expr     string
		typ      analysis.ColumnType // of a
		values   []any
		want     any
		wantType analysis.ColumnType
	}{
		{"count rows", "count()", I, []any{1, nil, 3}, 3, I},
		{"count rows of zero", "count()", I, nil, 0, I},
		{"count col skips nulls", "count(a)", I, []any{1, nil, 3, nil}, 2, I},
		{"count col of strings", "count(a)", S, []any{"x", nil, ""}, 2, I},
		{"count_distinct", "count_distinct(a)", I, []any{1, 1, 2, nil, 2, 3}, 3, I},
		{"count_distinct strings", "count_distinct(a)", S, []any{"x", "y", "x", nil}, 2, I},
		{"count_distinct of zero", "count_distinct(a)", S, nil, 0, I},
		{"sum of ints stays int", "sum(a)", I, []any{1, nil, 3, 10}, 14, I},
		{"sum of floats", "sum(a)", F, []any{1.5, 2.25, nil}, 3.75, F},
		{"sum of only nulls is null", "sum(a)", I, []any{nil, nil}, nil, I},
		{"sum of zero rows is null", "sum(a)", F, nil, nil, F},
		{"mean", "mean(a)", I, []any{1, 2, nil, 4}, 7.0 / 3, F},
		{"mean of floats", "mean(a)", F, []any{1.5, 2.5}, 2.0, F},
		{"mean of only nulls is null", "mean(a)", I, []any{nil}, nil, F},
		{"median odd", "median(a)", I, []any{3, 1, 2}, 2.0, F},
		{"median even", "median(a)", I, []any{4, 1, 3, 2}, 2.5, F},
		{"median with nulls", "median(a)", F, []any{5.0, nil, 1.0, nil}, 3.0, F},
		{"median of only nulls", "median(a)", F, []any{nil}, nil, F},
		{"min strings", "min(a)", S, []any{"b", nil, "a", "c"}, "a", S},
		{"max strings", "max(a)", S, []any{"b", nil, "a", "c"}, "c", S},
		{"min dates", "min(a)", D, []any{day(2017, 3, 1), nil, day(2016, 12, 31), day(2017, 1, 1)}, day(2016, 12, 31), D},
		{"max dates", "max(a)", D, []any{day(2017, 3, 1), nil, day(2016, 12, 31), day(2017, 1, 1)}, day(2017, 3, 1), D},
		{"min ints", "min(a)", I, []any{5, -2, nil, 7}, -2, I},
		{"max of only nulls", "max(a)", I, []any{nil, nil}, nil, I},
		{"first skips nulls", "first(a)", S, []any{nil, "x", "y", nil}, "x", S},
		{"last skips nulls", "last(a)", S, []any{nil, "x", "y", nil}, "y", S},
		{"first of only nulls", "first(a)", S, []any{nil}, nil, S},
		{"expression over aggregates", "sum(a) / count()", I, []any{2, 4, 6}, 4.0, A},
		{"expression over aggregates with nulls", "sum(a) / count(a)", I, []any{2, nil, 4}, 3.0, A},
		{"aggregate of an expression", "sum(a * 2)", I, []any{1, 2, nil}, 6, I},
		{"arithmetic on one aggregate", "max(a) - min(a)", I, []any{3, 9, 4}, 6, A},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := newView()
			v.Aggregate = []*analysis.Named{nm(6, "r", tt.expr)}
			var rows [][]any
			for _, x := range tt.values {
				rows = append(rows, []any{x})
			}
			out, counts := mustRun(t, v, []table.Column{col("a", tt.typ)}, rows)
			want := [][]any{{tt.want}}
			if !reflect.DeepEqual(out.Rows, want) {
				t.Errorf("rows:\n%s\nwant:\n%s", show(out.Rows), show(want))
			}
			if len(out.Columns) != 1 || out.Columns[0].Name != "r" {
				t.Fatalf("columns %v, want [r]", columnNames(out.Columns))
			}
			if tt.wantType != A && out.Columns[0].Type != tt.wantType {
				t.Errorf("type %s, want %s", out.Columns[0].Type, tt.wantType)
			}
			if counts.Read != len(rows) || counts.Out != 1 {
				t.Errorf("counts %+v, want Read %d, Out 1", counts, len(rows))
			}
		})
	}
}

// TestAggregateZeroRows: an aggregate without group_by over no rows gives
// its one row, but with group_by gives none.
func TestAggregateZeroRows(t *testing.T) {
	cols := []table.Column{col("city", analysis.TypeString), col("n", analysis.TypeInt)}
	aggs := []*analysis.Named{nm(6, "rows", "count()"), nm(7, "total", "sum(n)"), nm(8, "top", "max(city)")}

	v := newView()
	v.Aggregate = aggs
	v.Where = []analysis.Expr{ex(4, "n > 100")}
	out, counts := mustRun(t, v, cols, [][]any{{"a", 1}, {"b", 2}})
	if want := [][]any{{0, nil, nil}}; !reflect.DeepEqual(out.Rows, want) {
		t.Errorf("no group_by: rows\n%s\nwant\n%s", show(out.Rows), show(want))
	}
	if want := (Counts{Read: 2, Where: []int{0}, Out: 1}); !reflect.DeepEqual(counts, want) {
		t.Errorf("counts %+v, want %+v", counts, want)
	}

	v = newView()
	v.GroupBy = refs(5, "city")
	v.Aggregate = aggs[:2]
	out, _ = mustRun(t, v, cols, nil)
	if len(out.Rows) != 0 {
		t.Errorf("group_by over no rows: got\n%s\nwant no rows", show(out.Rows))
	}
}

func TestGroupBy(t *testing.T) {
	cols := []table.Column{col("city", analysis.TypeString), col("year", analysis.TypeInt), col("n", analysis.TypeInt)}
	rows := [][]any{
		{"b", 2017, 1},
		{"a", 2017, 2},
		{nil, 2016, 4},
		{"a", 2016, 8},
		{"b", 2017, 16},
		{nil, nil, 32},
		{"a", nil, 64},
	}
	tests := []struct {
		name    string
		groupBy []string
		aggs    []*analysis.Named
		orderBy []string
		want    [][]any
		cols    []string
	}{
		{
			name:    "by key, null key last",
			groupBy: []string{"city"},
			aggs:    []*analysis.Named{nm(6, "rows", "count()"), nm(7, "total", "sum(n)")},
			want:    [][]any{{"a", 3, 74}, {"b", 2, 17}, {nil, 2, 36}},
			cols:    []string{"city", "rows", "total"},
		},
		{
			name:    "two keys, each ordered, nulls last",
			groupBy: []string{"year", "city"},
			aggs:    []*analysis.Named{nm(6, "total", "sum(n)")},
			want: [][]any{
				{2016, "a", 8}, {2016, nil, 4},
				{2017, "a", 2}, {2017, "b", 17},
				{nil, "a", 64}, {nil, nil, 32},
			},
			cols: []string{"year", "city", "total"},
		},
		{
			name:    "group_by without aggregate is distinct",
			groupBy: []string{"city"},
			want:    [][]any{{"a"}, {"b"}, {nil}},
			cols:    []string{"city"},
		},
		{
			name:    "order_by an aggregate, descending",
			groupBy: []string{"city"},
			aggs:    []*analysis.Named{nm(6, "total", "sum(n)")},
			orderBy: []string{"-total"},
			want:    [][]any{{"a", 74}, {nil, 36}, {"b", 17}},
			cols:    []string{"city", "total"},
		},
		{
			name:    "aggregate reads a group key",
			groupBy: []string{"city"},
			aggs:    []*analysis.Named{nm(6, "label", `(city ?? "none") + ":" + string(count())`)},
			want:    [][]any{{"a", "a:3"}, {"b", "b:2"}, {nil, "none:2"}},
			cols:    []string{"city", "label"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := newView()
			v.GroupBy = refs(5, tt.groupBy...)
			v.Aggregate = tt.aggs
			v.OrderBy = keys(9, tt.orderBy...)
			out, counts := mustRun(t, v, cols, rows)
			if !reflect.DeepEqual(out.Rows, tt.want) {
				t.Errorf("rows:\n%s\nwant:\n%s", show(out.Rows), show(tt.want))
			}
			if got := columnNames(out.Columns); !reflect.DeepEqual(got, tt.cols) {
				t.Errorf("columns %v, want %v", got, tt.cols)
			}
			if counts.Read != len(rows) || counts.Out != len(tt.want) {
				t.Errorf("counts %+v", counts)
			}
		})
	}
}

// TestGroupKeyTypes: the int 1 and the string "1" are different keys; so
// are a date and its string.
func TestGroupKeyTypes(t *testing.T) {
	v := newView()
	v.GroupBy = refs(5, "k")
	v.Aggregate = []*analysis.Named{nm(6, "rows", "count()")}
	rows := [][]any{{1}, {"1"}, {1}, {day(2017, 1, 2)}, {"2017-01-02"}}
	out, _ := mustRun(t, v, []table.Column{col("k", analysis.TypeAny)}, rows)
	if len(out.Rows) != 4 {
		t.Errorf("got %d groups, want 4:\n%s", len(out.Rows), show(out.Rows))
	}
}

// TestAggregateIntOverflow: an int sum is exact whatever partial sums pass
// along the way and however the rows are split into chunks; a total beyond
// the int range is an error at the call, naming the group, never wrapped.
func TestAggregateIntOverflow(t *testing.T) {
	const maxInt, minInt = math.MaxInt64, math.MinInt64
	cols := []table.Column{col("city", analysis.TypeString), col("a", analysis.TypeInt)}
	tests := []struct {
		name    string
		group   bool
		agg     string
		values  []any
		want    any
		wantErr string
	}{
		{name: "a total past the largest int", agg: "sum(a)", values: []any{maxInt, 1},
			wantErr: `a.yaml:6:12: view "v": aggregate r: sum(a) is 9223372036854775808, beyond the int range (-9223372036854775808 to 9223372036854775807); sum(float(a)) gives it as a float`},
		{name: "a total past the smallest int", agg: "sum(a)", values: []any{minInt, nil, -2},
			wantErr: `a.yaml:6:12: view "v": aggregate r: sum(a) is -9223372036854775810, beyond the int range (-9223372036854775808 to 9223372036854775807); sum(float(a)) gives it as a float`},
		{name: "in a group", group: true, agg: "sum(a)", values: []any{maxInt, maxInt},
			wantErr: `a.yaml:6:12: view "v": aggregate r: sum(a) is 18446744073709551614 in the group city = "Oslo", beyond the int range (-9223372036854775808 to 9223372036854775807); sum(float(a)) gives it as a float`},
		{name: "inside an expression", agg: "sum(a) / 2", values: []any{maxInt, 1},
			wantErr: `a.yaml:6:12: view "v": aggregate r: sum(a) is 9223372036854775808, beyond the int range (-9223372036854775808 to 9223372036854775807); sum(float(a)) gives it as a float`},
		{name: "a partial sum past the range", agg: "sum(a)", values: []any{maxInt, 1, -1, maxInt, -maxInt}, want: maxInt},
		{name: "down to the smallest int", agg: "sum(a)", values: []any{minInt + 1, -5, 4}, want: minInt},
		{name: "mean of a total past the range", agg: "mean(a)", values: []any{maxInt, maxInt, nil}, want: float64(maxInt)},
		{name: "as floats", agg: "sum(float(a))", values: []any{maxInt, maxInt}, want: 2 * float64(maxInt)},
		{name: "a row expression that overflows", agg: "sum(a * 2)", values: []any{1, maxInt},
			wantErr: `a.yaml:6:18: aggregate r: sum: 9223372036854775807 * 2 = 18446744073709551614, more than the largest int, 9223372036854775807 (convert an operand with float() for an approximate result) (evaluating datasets/x.csv line 3)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := newView()
			v.Aggregate = []*analysis.Named{nm(6, "r", tt.agg)}
			if tt.group {
				v.GroupBy = refs(5, "city")
			}
			var rows [][]any
			for _, x := range tt.values {
				rows = append(rows, []any{"Oslo", x})
			}
			p, err := Compile(v, cols, nil)
			if err != nil {
				t.Fatal(err)
			}
			// One run, and runs of one row merged: the same answer.
			for _, size := range []int{len(rows), 1} {
				var whole *Run
				var err error
				for i := 0; i < len(rows) && err == nil; i += size {
					r, _ := p.Start(nil, DefaultLimits)
					for k, row := range rows[i:min(i+size, len(rows))] {
						line := i + k + 2
						if err = r.Add(row, func() string { return fmt.Sprintf("datasets/x.csv line %d", line) }); err != nil {
							break
						}
					}
					if whole == nil {
						whole = r
					} else if err == nil {
						err = whole.Merge(r)
					}
				}
				var out *table.Table
				if err == nil {
					out, err = whole.Finish()
				}
				if tt.wantErr != "" {
					if err == nil || err.Error() != tt.wantErr {
						t.Errorf("chunks of %d: error\n%v\nwant\n%s", size, err, tt.wantErr)
					}
					continue
				}
				if err != nil {
					t.Fatalf("chunks of %d: %v", size, err)
				}
				if got := out.Rows[0][len(out.Rows[0])-1]; got != tt.want {
					t.Errorf("chunks of %d: %#v, want %#v", size, got, tt.want)
				}
			}
		})
	}
}

// TestAggregateNeedsNumbers: sum, mean and median of a value that is not a
// number (possible when the argument's type is known only at run time) is
// an error naming the row, not a value skipped.
func TestAggregateNeedsNumbers(t *testing.T) {
	v := newView()
	v.Aggregate = []*analysis.Named{nm(6, "r", `mean(a ?? "none")`)}
	_, _, err := run(v, []table.Column{col("a", analysis.TypeInt)}, [][]any{{1}, {nil}}, Limits{})
	want := `a.yaml:6:12: aggregate r: mean needs numbers, got a string (evaluating datasets/x.csv line 3)`
	if err == nil || err.Error() != want {
		t.Errorf("error\n%v\nwant\n%s", err, want)
	}
}

// TestAggregateNotFinite: sum, mean and median give the exact result when
// partial sums pass the float range and the result does not, in every
// order and chunking; a float sum beyond the range is an error at the call,
// never an infinity or a NaN.
func TestAggregateNotFinite(t *testing.T) {
	const h = 1.7e308
	cols := []table.Column{col("city", analysis.TypeString), col("a", analysis.TypeFloat)}
	tests := []struct {
		name    string
		group   bool
		agg     string
		values  []any
		want    any
		wantErr string
	}{
		{name: "sum", agg: "sum(a)", values: []any{h, h, -h}, want: h},
		{name: "sum in another order", agg: "sum(a)", values: []any{-h, h, nil, h}, want: h},
		{name: "mean", agg: "mean(a)", values: []any{h, h, -h}, want: h / 3},
		{name: "mean of two", agg: "mean(a)", values: []any{h, h}, want: h},
		{name: "median of two", agg: "median(a)", values: []any{h, h}, want: h},
		{name: "median of two negative", agg: "median(a)", values: []any{-h, 1.0, -h, -h}, want: -h},
		{name: "a sum beyond the range", agg: "sum(a)", values: []any{h, h},
			wantErr: `a.yaml:6:12: view "v": aggregate r: sum(a) is 3.4e+308, beyond the float range, about ±1.8e308`},
		{name: "a negative sum beyond the range, in a group", group: true, agg: "sum(a) + 1", values: []any{-h, -h, h, -h},
			wantErr: `a.yaml:6:12: view "v": aggregate r: sum(a) is -3.4e+308 in the group city = "Oslo", beyond the float range, about ±1.8e308`},
		{name: "a row expression beyond the range", agg: "sum(a * 2)", values: []any{1.0, h},
			wantErr: `a.yaml:6:18: aggregate r: sum: 1.7e+308 * 2 is beyond the largest float, about 1.8e308 (evaluating datasets/x.csv line 3)`},
		{name: "over aggregates", agg: "max(a) / (min(a) - 1)", values: []any{1.0, h},
			wantErr: `a.yaml:6:19: aggregate r: 1.7e+308 / 0: division by zero`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := newView()
			v.Aggregate = []*analysis.Named{nm(6, "r", tt.agg)}
			if tt.group {
				v.GroupBy = refs(5, "city")
			}
			var rows [][]any
			for _, x := range tt.values {
				rows = append(rows, []any{"Oslo", x})
			}
			p, err := Compile(v, cols, nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, size := range []int{len(rows), 2, 1} {
				var whole *Run
				var err error
				for i := 0; i < len(rows) && err == nil; i += size {
					r, _ := p.Start(nil, DefaultLimits)
					for k, row := range rows[i:min(i+size, len(rows))] {
						line := i + k + 2
						if err = r.Add(row, func() string { return fmt.Sprintf("datasets/x.csv line %d", line) }); err != nil {
							break
						}
					}
					if whole == nil {
						whole = r
					} else if err == nil {
						err = whole.Merge(r)
					}
				}
				var out *table.Table
				if err == nil {
					out, err = whole.Finish()
				}
				if tt.wantErr != "" {
					if err == nil || err.Error() != tt.wantErr {
						t.Errorf("chunks of %d: error\n%v\nwant\n%s", size, err, tt.wantErr)
					}
					continue
				}
				if err != nil {
					t.Fatalf("chunks of %d: %v", size, err)
				}
				if got := out.Rows[0][len(out.Rows[0])-1]; got != tt.want {
					t.Errorf("chunks of %d: %#v, want %#v", size, got, tt.want)
				}
			}
		})
	}
}

// TestDeriveNotFinite: a derive whose result would be infinite is an
// error naming the row, on the fast path (no null in the row) too.
func TestDeriveNotFinite(t *testing.T) {
	v := newView()
	v.Derive = []*analysis.Named{nm(5, "big", "a * 10")}
	_, _, err := run(v, []table.Column{col("a", analysis.TypeFloat)}, [][]any{{1.0}, {1e308}}, Limits{})
	want := `a.yaml:5:14: derive big: 1e+308 * 10 is beyond the largest float, about 1.8e308 (evaluating datasets/x.csv line 3)`
	if err == nil || err.Error() != want {
		t.Errorf("error\n%v\nwant\n%s", err, want)
	}
}
