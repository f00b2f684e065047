package view

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"galley/runner/internal/analysis"
	"galley/runner/internal/position"
	"galley/runner/internal/table"
)

const file = "a.yaml"

func at(line, col int) position.Pos { return position.Pos{File: file, Line: line, Col: col} }

// ex is an expression written at column 12 of line.
func ex(line int, src string) analysis.Expr {
	p := at(line, 12)
	return analysis.Expr{Src: src, Pos: p, Lines: []position.Pos{p}}
}

// nm is `name: src` with the name at column 7 of line and the expression at
// column 12.
func nm(line int, name, src string) *analysis.Named {
	return &analysis.Named{Name: name, Pos: at(line, 7), Expr: ex(line, src)}
}

func rf(line, col int, name string) analysis.Ref { return analysis.Ref{Name: name, Pos: at(line, col)} }

// refs names columns on one line, at columns 15, 25, 35...
func refs(line int, names ...string) []analysis.Ref {
	out := make([]analysis.Ref, len(names))
	for i, n := range names {
		out[i] = rf(line, 15+10*i, n)
	}
	return out
}

// keys is an order_by list on one line; "-x" sorts x descending.
func keys(line int, names ...string) []analysis.OrderKey {
	out := make([]analysis.OrderKey, len(names))
	for i, n := range names {
		k := analysis.OrderKey{Name: n, Pos: at(line, 15+10*i)}
		if strings.HasPrefix(n, "-") {
			k.Name, k.Desc = n[1:], true
		}
		out[i] = k
	}
	return out
}

func limit(n int) analysis.Int { return analysis.Int{Value: n, Pos: at(30, 12), Set: true} }

func col(name string, t analysis.ColumnType) table.Column {
	return table.Column{Name: name, Type: t, Pos: at(5, 7)}
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// newView is a view named v reading datasets x, declared at line 2.
func newView() *analysis.View {
	return &analysis.View{Name: "v", Pos: at(2, 3), From: rf(3, 11, "x")}
}

// run compiles v over cols and feeds it rows; lookups are the tables a join
// may read.
func run(v *analysis.View, cols []table.Column, rows [][]any, limits Limits, lookups ...*table.Table) (*table.Table, Counts, error) {
	lookup := func(name string) ([]table.Column, bool) {
		for _, t := range lookups {
			if t.Name == name {
				return t.Columns, true
			}
		}
		return nil, false
	}
	p, err := Compile(v, cols, lookup)
	if err != nil {
		return nil, Counts{}, err
	}
	var join *table.Table
	if v.Join != nil {
		for _, t := range lookups {
			if t.Name == v.Join.View.Name {
				join = t
			}
		}
	}
	if limits == (Limits{}) {
		limits = DefaultLimits
	}
	r, err := p.Start(join, limits)
	if err != nil {
		return nil, Counts{}, err
	}
	for i, row := range rows {
		line := i + 2 // the header is line 1
		if err := r.Add(row, func() string { return fmt.Sprintf("datasets/x.csv line %d", line) }); err != nil {
			return nil, r.Counts, err
		}
	}
	t, err := r.Finish()
	return t, r.Counts, err
}

func columnNames(cols []table.Column) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.Name
	}
	return out
}

func mustRun(t *testing.T, v *analysis.View, cols []table.Column, rows [][]any, lookups ...*table.Table) (*table.Table, Counts) {
	t.Helper()
	out, counts, err := run(v, cols, rows, Limits{}, lookups...)
	if err != nil {
		t.Fatalf("unexpected error:\n%v", err)
	}
	return out, counts
}

func show(rows [][]any) string {
	var b strings.Builder
	for _, r := range rows {
		fmt.Fprintf(&b, "%#v\n", r)
	}
	return b.String()
}
