package expression

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"galley/runner/internal/analysis"
	"galley/runner/internal/position"
)

func pos(line, col int) position.Pos { return position.Pos{File: "x.yaml", Line: line, Col: col} }

// at returns src as written in x.yaml starting at line:col, each further
// line starting at column 5 (a literal block indented by 4).
func at(src string, line, col int) analysis.Expr {
	e := analysis.Expr{Src: src, Pos: pos(line, col)}
	for i := range strings.Split(src, "\n") {
		p := pos(line+i, 5)
		if i == 0 {
			p = e.Pos
		}
		e.Lines = append(e.Lines, p)
	}
	return e
}

// rowEnv is the schema most tests compile against.
func rowEnv() *Env {
	env := NewEnv("column")
	env.AddColumn("city", analysis.TypeString)
	env.AddColumn("deaths", analysis.TypeInt)
	env.AddColumn("low", analysis.TypeInt)
	env.AddColumn("high", analysis.TypeInt)
	env.AddColumn("share", analysis.TypeFloat)
	env.AddColumn("day", analysis.TypeDate) // "date" is Reserved: a column cannot shadow date()
	env.AddColumn("ok", analysis.TypeBool)
	return env
}

func d(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// fullRow and nilRow are rows of rowEnv: every cell set, and every cell null.
func fullRow() map[string]any {
	return map[string]any{"city": "Mosul", "deaths": 12, "low": 3, "high": 9, "share": 0.25, "day": d("2017-01-01"), "ok": true}
}

func nilRow() map[string]any {
	return map[string]any{"city": nil, "deaths": nil, "low": nil, "high": nil, "share": nil, "day": nil, "ok": nil}
}

func eval(t testing.TB, src string, env *Env, row map[string]any) (any, error) {
	t.Helper()
	p, err := Compile(at(src, 12, 12), "where", env, AnyResult)
	if err != nil {
		t.Fatalf("Compile(%q): %v", src, err)
	}
	var m VM
	return m.Eval(p, row)
}

func equal(a, b any) bool { return reflect.DeepEqual(a, b) }
