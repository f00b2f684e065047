package view

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"galley/runner/internal/analysis"
	"galley/runner/internal/table"
)

var people = []table.Column{
	col("name", analysis.TypeString),
	col("city", analysis.TypeString),
	col("age", analysis.TypeInt),
	col("score", analysis.TypeFloat),
}

var peopleRows = [][]any{
	{"ann", "oslo", 30, 1.5},
	{"bob", "rome", 25, nil},
	{"cy", "oslo", 30, 0.5},
	{"dee", nil, nil, 3.0},
	{"eve", "rome", 41, 2.0},
}

func TestPipeline(t *testing.T) {
	tests := []struct {
		name   string
		view   func(v *analysis.View)
		want   [][]any
		cols   []string
		counts Counts
	}{
		{
			name:   "no steps keeps input order",
			view:   func(v *analysis.View) {},
			want:   peopleRows,
			cols:   []string{"name", "city", "age", "score"},
			counts: Counts{Read: 5, Where: []int{}, Out: 5},
		},
		{
			name:   "select",
			view:   func(v *analysis.View) { v.Select = refs(8, "age", "name") },
			want:   [][]any{{30, "ann"}, {25, "bob"}, {30, "cy"}, {nil, "dee"}, {41, "eve"}},
			cols:   []string{"age", "name"},
			counts: Counts{Read: 5, Where: []int{}, Out: 5},
		},
		{
			name: "order_by ascending, ties broken by the remaining columns, nulls last",
			view: func(v *analysis.View) {
				v.Select = refs(8, "age", "score", "name")
				v.OrderBy = keys(9, "age")
			},
			want:   [][]any{{25, nil, "bob"}, {30, 0.5, "cy"}, {30, 1.5, "ann"}, {41, 2.0, "eve"}, {nil, 3.0, "dee"}},
			cols:   []string{"age", "score", "name"},
			counts: Counts{Read: 5, Where: []int{}, Out: 5},
		},
		{
			name: "order_by descending keeps nulls last",
			view: func(v *analysis.View) {
				v.Select = refs(8, "age", "name")
				v.OrderBy = keys(9, "-age")
			},
			want:   [][]any{{41, "eve"}, {30, "ann"}, {30, "cy"}, {25, "bob"}, {nil, "dee"}},
			cols:   []string{"age", "name"},
			counts: Counts{Read: 5, Where: []int{}, Out: 5},
		},
		{
			name: "order_by descending on floats with a null",
			view: func(v *analysis.View) {
				v.Select = refs(8, "score", "name")
				v.OrderBy = keys(9, "-score")
			},
			want:   [][]any{{3.0, "dee"}, {2.0, "eve"}, {1.5, "ann"}, {0.5, "cy"}, {nil, "bob"}},
			cols:   []string{"score", "name"},
			counts: Counts{Read: 5, Where: []int{}, Out: 5},
		},
		{
			name: "two keys, ascending then descending",
			view: func(v *analysis.View) {
				v.Select = refs(8, "city", "age", "name")
				v.OrderBy = keys(9, "city", "-age")
			},
			want:   [][]any{{"oslo", 30, "ann"}, {"oslo", 30, "cy"}, {"rome", 41, "eve"}, {"rome", 25, "bob"}, {nil, nil, "dee"}},
			cols:   []string{"city", "age", "name"},
			counts: Counts{Read: 5, Where: []int{}, Out: 5},
		},
		{
			name: "ties broken by a column after the key",
			view: func(v *analysis.View) {
				v.Select = refs(8, "name", "age")
				v.OrderBy = keys(9, "-age")
			},
			want:   [][]any{{"eve", 41}, {"ann", 30}, {"cy", 30}, {"bob", 25}, {"dee", nil}},
			cols:   []string{"name", "age"},
			counts: Counts{Read: 5, Where: []int{}, Out: 5},
		},
		{
			name: "limit after order_by",
			view: func(v *analysis.View) {
				v.Select = refs(8, "name")
				v.OrderBy = keys(9, "-name")
				v.Limit = limit(2)
			},
			want:   [][]any{{"eve"}, {"dee"}},
			cols:   []string{"name"},
			counts: Counts{Read: 5, Where: []int{}, Out: 2},
		},
		{
			name: "limit larger than the rows",
			view: func(v *analysis.View) {
				v.Select = refs(8, "name")
				v.Limit = limit(20)
			},
			want:   [][]any{{"ann"}, {"bob"}, {"cy"}, {"dee"}, {"eve"}},
			cols:   []string{"name"},
			counts: Counts{Read: 5, Where: []int{}, Out: 5},
		},
		{
			name: "derive sees earlier derives",
			view: func(v *analysis.View) {
				v.Derive = []*analysis.Named{nm(5, "next", "age + 1"), nm(6, "twice", "next * 2"), nm(7, "big", "twice > 55")}
				v.Select = refs(8, "name", "next", "twice", "big")
			},
			want: [][]any{
				{"ann", 31, 62, true}, {"bob", 26, 52, false}, {"cy", 31, 62, true},
				{"dee", nil, nil, false}, {"eve", 42, 84, true},
			},
			cols:   []string{"name", "next", "twice", "big"},
			counts: Counts{Read: 5, Where: []int{}, Out: 5},
		},
		{
			name: "wheres counted each; a null where keeps no row",
			view: func(v *analysis.View) {
				v.Where = []analysis.Expr{ex(4, "age >= 30"), ex(5, `city == "oslo"`)}
				v.Select = refs(8, "name")
			},
			want:   [][]any{{"ann"}, {"cy"}},
			cols:   []string{"name"},
			counts: Counts{Read: 5, Where: []int{3, 2}, Out: 2},
		},
		{
			name: "a where reads a derived column, so runs after derive",
			view: func(v *analysis.View) {
				v.Where = []analysis.Expr{ex(4, `city != nil`), ex(5, "older")}
				v.Derive = []*analysis.Named{nm(6, "older", "age > 28")}
				v.Select = refs(8, "name", "older")
			},
			want:   [][]any{{"ann", true}, {"cy", true}, {"eve", true}},
			cols:   []string{"name", "older"},
			counts: Counts{Read: 5, Where: []int{4, 3}, Out: 3},
		},
		{
			name: "where, derive, group_by, order_by, limit together",
			view: func(v *analysis.View) {
				v.Where = []analysis.Expr{ex(4, "age != nil")}
				v.Derive = []*analysis.Named{nm(5, "decade", "age - age % 10")}
				v.GroupBy = refs(6, "decade")
				v.Aggregate = []*analysis.Named{nm(7, "people", "count()"), nm(8, "best", "max(score)")}
				v.OrderBy = keys(9, "-people")
				v.Limit = limit(2)
			},
			want:   [][]any{{30, 2, 1.5}, {20, 1, nil}},
			cols:   []string{"decade", "people", "best"},
			counts: Counts{Read: 5, Where: []int{4}, Out: 2, TiedCut: 1}, // decades 20 and 40 both have one person
		},
		{
			name: "select over aggregates",
			view: func(v *analysis.View) {
				v.GroupBy = refs(6, "city")
				v.Aggregate = []*analysis.Named{nm(7, "people", "count()"), nm(8, "oldest", "max(age)")}
				v.Select = refs(9, "oldest", "city")
			},
			want:   [][]any{{30, "oslo"}, {41, "rome"}, {nil, nil}},
			cols:   []string{"oldest", "city"},
			counts: Counts{Read: 5, Where: []int{}, Out: 3},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := newView()
			tt.view(v)
			out, counts := mustRun(t, v, people, peopleRows)
			if !reflect.DeepEqual(out.Rows, tt.want) {
				t.Errorf("rows:\n%s\nwant:\n%s", show(out.Rows), show(tt.want))
			}
			if got := columnNames(out.Columns); !reflect.DeepEqual(got, tt.cols) {
				t.Errorf("columns %v, want %v", got, tt.cols)
			}
			if !reflect.DeepEqual(counts, tt.counts) {
				t.Errorf("counts %+v, want %+v", counts, tt.counts)
			}
			if out.Name != "v" || out.Pos != v.Pos {
				t.Errorf("table %q at %v, want v at %v", out.Name, out.Pos, v.Pos)
			}
		})
	}
}

// TestWhereCountsInFileOrder: Counts.Where[i] is the number of rows kept
// after the i-th where, in the order the wheres are written, so the counts
// the report prints under each where never grow down the list.
func TestWhereCountsInFileOrder(t *testing.T) {
	v := newView()
	v.Where = []analysis.Expr{ex(4, "older"), ex(5, `city != nil`)}
	v.Derive = []*analysis.Named{nm(6, "older", "age > 28")}
	_, counts := mustRun(t, v, people, peopleRows)
	if want := []int{3, 3}; !reflect.DeepEqual(counts.Where, want) {
		t.Errorf("where counts %v, want %v", counts.Where, want)
	}
}

// TestStableInputOrder: rows equal in every column keep input order; the
// sort is deterministic.
func TestStableInputOrder(t *testing.T) {
	v := newView()
	v.OrderBy = keys(9, "-n")
	cols := []table.Column{col("n", analysis.TypeInt), col("s", analysis.TypeString)}
	rows := [][]any{{1, "b"}, {2, "z"}, {1, "a"}, {2, "y"}, {nil, "q"}, {nil, "p"}}
	out, _ := mustRun(t, v, cols, rows)
	want := [][]any{{2, "y"}, {2, "z"}, {1, "a"}, {1, "b"}, {nil, "p"}, {nil, "q"}}
	if !reflect.DeepEqual(out.Rows, want) {
		t.Errorf("rows:\n%s\nwant:\n%s", show(out.Rows), show(want))
	}
}

// TestRowsAreCopies: the Run copies each row, so a caller that reuses its
// row buffer (as the dataset reader does) does not change the result.
func TestRowsAreCopies(t *testing.T) {
	v := newView()
	p, err := Compile(v, []table.Column{col("n", analysis.TypeInt)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	r, err := p.Start(nil, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	buf := []any{0}
	for i := 1; i <= 3; i++ {
		buf[0] = i
		if err := r.Add(buf, func() string { return "x" }); err != nil {
			t.Fatal(err)
		}
	}
	out, err := r.Finish()
	if err != nil {
		t.Fatal(err)
	}
	if want := [][]any{{1}, {2}, {3}}; !reflect.DeepEqual(out.Rows, want) {
		t.Errorf("rows:\n%s\nwant:\n%s", show(out.Rows), show(want))
	}
}

func TestJoin(t *testing.T) {
	cities := &table.Table{Name: "cities", Pos: at(20, 3),
		Columns: []table.Column{col("city", analysis.TypeString), col("country", analysis.TypeString), col("pop", analysis.TypeInt)},
		Rows:    [][]any{{"oslo", "no", 700}, {"rome", "it", 2800}, {"paris", "fr", 2100}},
	}
	join := func(v *analysis.View, columns ...string) {
		v.Join = &analysis.Join{Pos: at(4, 5), View: rf(4, 17, "cities"), On: refs(4, "city")}
		if columns != nil {
			v.Join.Columns = refs(4, columns...)
		}
	}

	t.Run("every column but the keys", func(t *testing.T) {
		v := newView()
		join(v)
		v.Select = refs(8, "name", "country", "pop")
		out, counts := mustRun(t, v, people, peopleRows, cities)
		want := [][]any{{"ann", "no", 700}, {"bob", "it", 2800}, {"cy", "no", 700}, {"dee", nil, nil}, {"eve", "it", 2800}}
		if !reflect.DeepEqual(out.Rows, want) {
			t.Errorf("rows:\n%s\nwant:\n%s", show(out.Rows), show(want))
		}
		if want := (Counts{Read: 5, Where: []int{}, Joined: 4, Unmatched: 1, Out: 5}); !reflect.DeepEqual(counts, want) {
			t.Errorf("counts %+v, want %+v", counts, want)
		}
	})

	t.Run("chosen columns, then where and derive over them", func(t *testing.T) {
		v := newView()
		join(v, "pop")
		v.Where = []analysis.Expr{ex(5, "pop > 1000")}
		v.Derive = []*analysis.Named{nm(6, "per", "age * 1000 / pop")}
		out, counts := mustRun(t, v, people, append(peopleRows, []any{"fay", "lima", 50, 1.0}), cities)
		if got, want := columnNames(out.Columns), []string{"name", "city", "age", "score", "pop", "per"}; !reflect.DeepEqual(got, want) {
			t.Errorf("columns %v, want %v", got, want)
		}
		if want := (Counts{Read: 6, Where: []int{2}, Joined: 4, Unmatched: 2, Out: 2}); !reflect.DeepEqual(counts, want) {
			t.Errorf("counts %+v, want %+v", counts, want)
		}
		if len(out.Rows) == 2 && out.Rows[0][5] != 25000.0/2800 {
			t.Errorf("per = %#v, want %v", out.Rows[0][5], 25000.0/2800)
		}
	})

	t.Run("duplicate lookup key", func(t *testing.T) {
		dup := &table.Table{Name: "cities", Columns: cities.Columns,
			Rows: [][]any{{"oslo", "no", 700}, {"rome", "it", 2800}, {"oslo", "no", 1000}}}
		v := newView()
		join(v)
		_, _, err := run(v, people, peopleRows, Limits{}, dup)
		want := `a.yaml:4:5: view "v": join: "cities" has more than one row for city = "oslo"; a lookup join needs one row per key`
		if err == nil || err.Error() != want {
			t.Errorf("error:\n%v\nwant:\n%s", err, want)
		}
	})

	errs := []struct {
		name    string
		lookCol []table.Column
		columns []string
		want    string
	}{
		{
			name:    "key type mismatch",
			lookCol: []table.Column{col("city", analysis.TypeInt), col("country", analysis.TypeString)},
			want:    `a.yaml:4:15: view "v": join: on: "city" is string in "x" but int in "cities"; declare both the same type`,
		},
		{
			name:    "name clash",
			lookCol: []table.Column{col("city", analysis.TypeString), col("age", analysis.TypeInt)},
			columns: []string{"age"},
			want:    `a.yaml:4:15: view "v": join: columns: "age" is already a column of "x"; rename one with derive or select`,
		},
		{
			name:    "name clash with every column",
			lookCol: []table.Column{col("city", analysis.TypeString), col("name", analysis.TypeString)},
			want:    `a.yaml:4:5: view "v": join: columns: "name" is already a column of "x"; rename one with derive or select`,
		},
		{
			name:    "key not in the lookup",
			lookCol: []table.Column{col("town", analysis.TypeString)},
			want:    `a.yaml:4:15: view "v": join: on: "city" is not a column of "cities"`,
		},
		{
			name:    "unknown lookup column",
			lookCol: []table.Column{col("city", analysis.TypeString), col("country", analysis.TypeString)},
			columns: []string{"contry"},
			want:    `a.yaml:4:15: view "v": join: columns: "contry" is not a column of "cities" (did you mean "country"?)`,
		},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			v := newView()
			join(v, tt.columns...)
			_, _, err := run(v, people, nil, Limits{}, &table.Table{Name: "cities", Columns: tt.lookCol})
			if err == nil || err.Error() != tt.want {
				t.Errorf("error:\n%v\nwant:\n%s", err, tt.want)
			}
		})
	}
}

func TestCompileErrors(t *testing.T) {
	tests := []struct {
		name string
		view func(v *analysis.View)
		want string // the whole error, every line
	}{
		{
			name: "unknown group_by column with a hint",
			view: func(v *analysis.View) {
				v.GroupBy = refs(6, "cty")
				v.Aggregate = []*analysis.Named{nm(7, "n", "count()")}
			},
			want: `a.yaml:6:15: view "v": group_by: unknown column "cty" (did you mean "city"?)`,
		},
		{
			name: "unknown group_by column, nothing near",
			view: func(v *analysis.View) { v.GroupBy = refs(6, "zzzzzz") },
			want: `a.yaml:6:15: view "v": group_by: unknown column "zzzzzz"`,
		},
		{
			name: "unknown order_by column",
			view: func(v *analysis.View) { v.OrderBy = keys(9, "-agee") },
			want: `a.yaml:9:15: view "v": order_by: unknown column "agee" (did you mean "age"?)`,
		},
		{
			name: "order_by a column select dropped",
			view: func(v *analysis.View) {
				v.Select = refs(8, "name")
				v.OrderBy = keys(9, "age")
			},
			want: `a.yaml:9:15: view "v": order_by: unknown column "age"`,
		},
		{
			name: "unknown select column",
			view: func(v *analysis.View) { v.Select = refs(8, "name", "scor") },
			want: `a.yaml:8:25: view "v": select: unknown column "scor" (did you mean "score"?)`,
		},
		{
			name: "derive name clash",
			view: func(v *analysis.View) { v.Derive = []*analysis.Named{nm(5, "age", "age + 1")} },
			want: `a.yaml:5:7: view "v": derive age: a column named "age" already exists; choose another name`,
		},
		{
			name: "derive clashes with an earlier derive",
			view: func(v *analysis.View) {
				v.Derive = []*analysis.Named{nm(5, "a", "age + 1"), nm(6, "a", "age + 2")}
			},
			want: `a.yaml:6:7: view "v": derive a: a column named "a" already exists; choose another name`,
		},
		{
			name: "derive named like a keyword",
			view: func(v *analysis.View) { v.Derive = []*analysis.Named{nm(5, "matches", "age + 1")} },
			want: `a.yaml:5:7: view "v": derive matches: "matches" is an expression keyword or operator, never read as a name; choose another name`,
		},
		{
			name: "aggregate name clash",
			view: func(v *analysis.View) {
				v.GroupBy = refs(6, "city")
				v.Aggregate = []*analysis.Named{nm(7, "city", "count()")}
			},
			want: `a.yaml:7:7: view "v": aggregate city: the name is already a group_by column; choose another`,
		},
		{
			name: "sum of a string column",
			view: func(v *analysis.View) { v.Aggregate = []*analysis.Named{nm(7, "s", "sum(name)")} },
			want: `a.yaml:7:12: aggregate s: sum needs numbers, but name is string`,
		},
		{
			name: "mean of a string column",
			view: func(v *analysis.View) { v.Aggregate = []*analysis.Named{nm(7, "s", "1 + mean(city)")} },
			want: `a.yaml:7:16: aggregate s: mean needs numbers, but city is string`,
		},
		{
			name: "unknown column in where",
			view: func(v *analysis.View) { v.Where = []analysis.Expr{ex(4, "ag > 3")} },
			want: `a.yaml:4:12: unknown column "ag" in where (did you mean "age"?)`,
		},
		{
			name: "every error at once, in file order",
			view: func(v *analysis.View) {
				v.GroupBy = refs(6, "cty")
				v.Aggregate = []*analysis.Named{nm(7, "s", "sum(name)")}
			},
			want: `a.yaml:6:15: view "v": group_by: unknown column "cty" (did you mean "city"?)` + "\n" +
				`a.yaml:7:12: aggregate s: sum needs numbers, but name is string`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := newView()
			tt.view(v)
			_, err := Compile(v, people, func(string) ([]table.Column, bool) { return nil, false })
			if err == nil || err.Error() != tt.want {
				t.Errorf("error:\n%v\nwant:\n%s", err, tt.want)
			}
		})
	}
}

func TestRuntimeErrorNamesTheRow(t *testing.T) {
	cols := []table.Column{col("a", analysis.TypeInt), col("b", analysis.TypeInt)}
	rows := [][]any{{1, 1}, {2, 0}, {3, 1}}
	tests := []struct {
		name string
		view func(v *analysis.View)
		want string
	}{
		{
			name: "derive",
			view: func(v *analysis.View) { v.Derive = []*analysis.Named{nm(5, "r", "a % b")} },
			want: `a.yaml:5:14: modulo by zero (evaluating datasets/x.csv line 3)`,
		},
		{
			name: "where",
			view: func(v *analysis.View) { v.Where = []analysis.Expr{ex(4, "a % b == 0")} },
			want: `a.yaml:4:14: modulo by zero (evaluating datasets/x.csv line 3)`,
		},
		{
			name: "aggregate argument",
			view: func(v *analysis.View) { v.Aggregate = []*analysis.Named{nm(7, "r", "sum(a % b)")} },
			want: `a.yaml:7:18: modulo by zero (evaluating datasets/x.csv line 3)`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := newView()
			tt.view(v)
			_, counts, err := run(v, cols, rows, Limits{})
			if err == nil || err.Error() != tt.want {
				t.Errorf("error:\n%v\nwant:\n%s", err, tt.want)
			}
			if counts.Read != 2 {
				t.Errorf("read %d rows, want to stop at the second", counts.Read)
			}
		})
	}
}

func TestLimits(t *testing.T) {
	cols := []table.Column{col("k", analysis.TypeInt)}
	rows := [][]any{{1}, {2}, {1}, {3}}

	v := newView()
	v.GroupBy = refs(5, "k")
	v.Aggregate = []*analysis.Named{nm(6, "n", "count()")}
	if _, _, err := run(v, cols, rows[:3], Limits{MaxGroups: 2, MaxRows: 1}); err != nil {
		t.Errorf("2 groups under MaxGroups 2 (MaxRows does not bound groups): %v", err)
	}
	_, _, err := run(v, cols, rows, Limits{MaxGroups: 2, MaxRows: 100})
	want := `a.yaml:2:3: view "v" has more than 2 groups, the limit; group by fewer or coarser columns`
	if err == nil || err.Error() != want {
		t.Errorf("MaxGroups error:\n%v\nwant:\n%s", err, want)
	}

	v = newView()
	if _, _, err := run(v, cols, rows[:3], Limits{MaxGroups: 1, MaxRows: 3}); err != nil {
		t.Errorf("3 rows under MaxRows 3: %v", err)
	}
	_, _, err = run(v, cols, rows, Limits{MaxGroups: 1, MaxRows: 3})
	want = `a.yaml:2:3: view "v" outputs more than 3 rows, the limit for one view; group or filter it`
	if err == nil || err.Error() != want {
		t.Errorf("MaxRows error:\n%v\nwant:\n%s", err, want)
	}

	// Rows a where drops do not count against the limit.
	v = newView()
	v.Where = []analysis.Expr{ex(4, "k == 1")}
	if _, _, err := run(v, cols, rows, Limits{MaxGroups: 1, MaxRows: 2}); err != nil {
		t.Errorf("2 rows kept under MaxRows 2: %v", err)
	}
}

func BenchmarkGroupBy(b *testing.B) {
	cols := []table.Column{col("city", analysis.TypeString), col("n", analysis.TypeInt), col("x", analysis.TypeFloat), col("d", analysis.TypeDate)}
	cities := make([]string, 100)
	for i := range cities {
		cities[i] = "city" + string(rune('A'+i%26)) + string(rune('a'+i/26))
	}
	const n = 100_000
	rows := make([][]any, n)
	for i := range rows {
		rows[i] = []any{cities[i%len(cities)], i % 1000, float64(i) / 7, day(2000+i%20, time.Month(1+i%12), 1+i%28)}
	}
	v := newView()
	v.GroupBy = refs(5, "city")
	v.Aggregate = []*analysis.Named{nm(6, "rows", "count()"), nm(7, "total", "sum(n)"), nm(8, "avg", "mean(x)"), nm(9, "last", "max(d)")}
	p, err := Compile(v, cols, nil)
	if err != nil {
		b.Fatal(err)
	}
	at := func() string { return "datasets/x.csv line 1" }
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		r, err := p.Start(nil, DefaultLimits)
		if err != nil {
			b.Fatal(err)
		}
		for _, row := range rows {
			if err := r.Add(row, at); err != nil {
				b.Fatal(err)
			}
		}
		out, err := r.Finish()
		if err != nil {
			b.Fatal(err)
		}
		if len(out.Rows) != len(cities) {
			b.Fatalf("%d groups, want %d", len(out.Rows), len(cities))
		}
	}
}

// TestAggregateArgumentPositions: an error inside an aggregate's argument
// points at the argument, not at the aggregate's name.
func TestAggregateArgumentPositions(t *testing.T) {
	v := newView()
	v.Aggregate = []*analysis.Named{nm(7, "s", "sum(agee)")}
	_, err := Compile(v, people, nil)
	want := `a.yaml:7:16: unknown column "agee" in aggregate s: sum (did you mean "age"?)`
	if err == nil || err.Error() != want {
		t.Errorf("error:\n%v\nwant:\n%s", err, want)
	}
}

// TestJoinNullKey: as in SQL, a null key matches nothing, not a lookup row
// whose key is null too.
func TestJoinNullKey(t *testing.T) {
	look := &table.Table{Name: "cities",
		Columns: []table.Column{col("city", analysis.TypeString), col("pop", analysis.TypeInt)},
		Rows:    [][]any{{"oslo", 700}, {nil, 1}},
	}
	v := newView()
	v.Join = &analysis.Join{Pos: at(4, 5), View: rf(4, 17, "cities"), On: refs(4, "city")}
	v.Select = refs(8, "name", "pop")
	out, counts := mustRun(t, v, people, peopleRows[2:4], look) // cy in oslo, dee with no city
	want := [][]any{{"cy", 700}, {"dee", nil}}
	if !reflect.DeepEqual(out.Rows, want) {
		t.Errorf("rows:\n%s\nwant:\n%s", show(out.Rows), show(want))
	}
	if counts.Joined != 1 || counts.Unmatched != 1 {
		t.Errorf("counts %+v, want Joined 1, Unmatched 1", counts)
	}
}

// TestRememberedTests: where tests that read one column remember their
// answers by its value; the counts must be those of testing every row,
// whether values repeat (and collide in the table), are null, or rarely
// repeat (when remembering stops).
func TestRememberedTests(t *testing.T) {
	cols := []table.Column{col("city", analysis.TypeString), col("n", analysis.TypeInt),
		col("d", analysis.TypeDate), col("x", analysis.TypeFloat), col("ok", analysis.TypeBool)}
	var rows [][]any
	want := make([]int, 5)
	for i := range 5000 {
		city := any(fmt.Sprintf("city %d", (i*7919)%150))
		if i%97 == 0 {
			city = nil
		}
		n, d, x, ok := (i*31)%10, day(2016, time.Month(1+i%12), 1+i%28), float64(i)/5000, i%3 == 0
		rows = append(rows, []any{city, n, d, x, ok})
		keep := city != nil && city.(string) < "city 5"
		for k, pass := range []bool{keep, n%3 != 1, !d.Before(day(2016, 6, 1)), x > 0.25, ok} {
			if !pass {
				break
			}
			want[k]++
		}
	}
	v := newView()
	v.Where = []analysis.Expr{ex(4, `city < "city 5"`), ex(5, "n % 3 != 1"), ex(6, `d >= date("2016-06-01")`), ex(7, "x > 0.25"), ex(8, "ok")}
	out, counts := mustRun(t, v, cols, rows)
	if !reflect.DeepEqual(counts.Where, want) || len(out.Rows) != want[4] {
		t.Errorf("where counts %v (%d rows out), want %v", counts.Where, len(out.Rows), want)
	}
}
