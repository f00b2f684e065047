package expression

import (
	"fmt"
	"slices"
	"strings"

	"unicode/utf8"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/builtin"

	"galley/runner/internal/analysis"
	"galley/runner/internal/position"
	"galley/runner/internal/suggest"
)

// The messages for names an author may mean otherwise: a function used
// where it does not run, a name that is both a column and a function, an
// operator written as a function.

// statAggregates are the aggregates that are no expr-lang builtin: outside
// aggregate: and a window they are no function at all.
var statAggregates = []string{"count_distinct", "quantile", "stddev", "variance", "mode", "corr", "weighted_mean", "count_if", "sum_if"}

// misplacedNames refuses, with what to write instead, a call of a window
// function, or of an aggregate that only aggregate: and a window know,
// where opts do not provide it (a where, a derive, a value), and a
// function's name read as a name where env has none of that name (year
// == 2020 without a year column: the checker would compare a function).
func misplacedNames(e analysis.Expr, what string, env *Env, opts []expr.Option) error {
	cfg := newConfig(opts)
	tree, err := parse(e.Src, opts)
	if err != nil {
		return nil // pass 1 reports it
	}
	var errs position.List
	// Not names: callees, and what an aggregate or window call holds where
	// opts provide it (compileOuter): its arguments are row expressions,
	// compiled on their own.
	callees := map[ast.Node]bool{}
	ast.Walk(&tree.Node, visitFunc(func(node *ast.Node) {
		c, ok := (*node).(*ast.CallNode)
		if !ok {
			return
		}
		callees[c.Callee] = true
		if id, ok := c.Callee.(*ast.IdentifierNode); ok && cfg.Functions[id.Value] != nil && slices.Contains(windowNames(), id.Value) {
			for _, a := range c.Arguments {
				ast.Walk(&a, visitFunc(func(inner *ast.Node) { callees[*inner] = true }))
			}
		}
	}))
	ast.Walk(&tree.Node, visitFunc(func(node *ast.Node) {
		if id, ok := (*node).(*ast.IdentifierNode); ok && !callees[id] {
			if _, known := env.sample[id.Value]; !known && (slices.Contains(Functions, id.Value) || slices.Contains(builtin.Names, id.Value)) {
				near := env.near
				if near == nil {
					near = env.names
				}
				hint := fmt.Sprintf("%s is a function: call it with (, e.g. %s", id.Value, functionExample(id.Value))
				if dym := suggest.DidYouMean(id.Value, near); dym != "" {
					hint = dym + "; or " + hint
				}
				errs.Append(position.Errorf(offsetPos(e, id.Location().From), "unknown %s %q in %s", env.Noun, id.Value, what).Span(len(id.Value)).Hinted(hint))
			}
			return
		}
		c, ok := (*node).(*ast.CallNode)
		if !ok {
			return
		}
		id, ok := c.Callee.(*ast.IdentifierNode)
		if !ok || cfg.Functions[id.Value] != nil {
			return
		}
		p := offsetPos(e, id.Location().From)
		var msg string
		switch {
		case slices.Contains(WindowFunctions, id.Value) && callSpecs[id.Value].max == 0 && len(c.Arguments) > 0:
			msg = noArgument(id.Value, c.Arguments) + ", under the view's window: derive:"
		case slices.Contains(WindowFunctions, id.Value):
			msg = fmt.Sprintf("%s() is a window function: compute it under the view's window: derive:, e.g. window: {order_by: [year], derive: {x: %s}}", id.Value, callSpecs[id.Value].example)
		case slices.Contains(statAggregates, id.Value):
			msg = fmt.Sprintf("%s() is an aggregate: use it under aggregate: (with group_by), or under a window's derive: for each row's partition", id.Value)
		default:
			return
		}
		if _, shadowed := env.sample[id.Value]; shadowed {
			msg += "; " + shadowNote(id.Value, env.Noun)
		}
		errs.Append(position.Errorf(p, "%s: %s", what, msg).Span(len(id.Value)))
	}))
	return errs.Err()
}

// shadowNote says which of two meanings of name an expression took.
func shadowNote(name, noun string) string {
	return fmt.Sprintf("%s( is the function %s(), because ( follows the name; the %s %s is read by its name alone, without (", name, name, noun, name)
}

// shadowHint adds to err, an error of compiling e, which meaning a name
// took that is both a name of env and a function: a call's error at a
// callee that is also a column says the call is the function; an unknown
// name that is a function says how to call it.
func shadowHint(e analysis.Expr, env *Env, err error) error {
	pe, ok := err.(*position.Error)
	if !ok {
		return err
	}
	tree, perr := parse(e.Src, functionOptions())
	if perr != nil {
		return err
	}
	note := ""
	ast.Walk(&tree.Node, visitFunc(func(node *ast.Node) {
		c, ok := (*node).(*ast.CallNode)
		if !ok || note != "" {
			return
		}
		id, ok := c.Callee.(*ast.IdentifierNode)
		if !ok || !IsFunction(id.Value) {
			return
		}
		if _, shadowed := env.sample[id.Value]; !shadowed {
			return
		}
		from := byteOffset(e.Src, id.Location().From)
		open := from + strings.IndexByte(e.Src[from:], '(')
		to := closing(e.Src, open+1)
		if open < from || to < 0 {
			return
		}
		if a, b := offsetPos(e, id.Location().From), offsetPos(e, utf8.RuneCountInString(e.Src[:to])); !before(pe.Pos, a) && !before(b, pe.Pos) {
			note = shadowNote(id.Value, env.Noun)
		}
	}))
	if note == "" {
		return err
	}
	if pe.Hint != "" {
		note = pe.Hint + "; " + note
	}
	return pe.Hinted(note)
}

// before reports whether a comes before b in the file.
func before(a, b position.Pos) bool {
	return a.Line < b.Line || a.Line == b.Line && a.Col < b.Col
}

func functionExample(name string) string {
	switch name {
	case "year", "month", "day", "weekday":
		return name + "(date_column)"
	case "days_between":
		return "days_between(start, end)"
	case "add_days", "add_months":
		return name + "(date_column, 1)"
	case "title", "round", "percent":
		return name + "(x)"
	case "date_trunc":
		return `date_trunc("month", date_column)`
	}
	return name + "(...)"
}

// operatorCall rewrites a call of an operator, written at expr-lang's
// (line, col) in src as op(a, b), into the operator form, a op b.
func operatorCall(src string, line, col int, op string) (string, bool) {
	lines := strings.Split(src, "\n")
	if line < 1 || line > len(lines) {
		return "", false
	}
	off := 0
	for _, l := range lines[:line-1] {
		off += len(l) + 1
	}
	off += byteCol(src, line, col)
	rest := src[off:]
	if !strings.HasPrefix(rest, op) {
		return "", false
	}
	open := off + len(op)
	for open < len(src) && (src[open] == ' ' || src[open] == '\t') {
		open++
	}
	if open >= len(src) || src[open] != '(' {
		return "", false
	}
	to := closing(src, open+1)
	if to < 0 {
		return "", false
	}
	parts := splitTop(src, open+1, to)
	if len(parts) != 2 {
		return fmt.Sprintf("a %s b", op), true
	}
	a := strings.TrimSpace(src[parts[0][0]:parts[0][1]])
	b := strings.TrimSpace(src[parts[1][0]:parts[1][1]])
	return fmt.Sprintf("%s %s %s", a, op, b), true
}
