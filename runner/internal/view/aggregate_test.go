package view

import (
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
