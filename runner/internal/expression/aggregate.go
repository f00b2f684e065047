package expression

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/conf"
	"github.com/expr-lang/expr/parser"

	"galley/runner/internal/analysis"
	"galley/runner/internal/position"
)

// Aggregates are the aggregate functions of a view's `aggregate:`.
var Aggregates = []string{"count", "count_distinct", "sum", "mean", "median", "min", "max", "first", "last"}

// Call is one aggregate call inside an aggregate expression, such as the
// sum(low) of `share: sum(low) / sum(high)`.
type Call struct {
	Func  string
	Arg   *analysis.Expr // the row expression aggregated; nil for count()
	Pos   position.Pos
	Ident string // the name the outer expression reads the result by
}

func aggregateOptions() []expr.Option {
	var opts []expr.Option
	for _, name := range Aggregates {
		opts = append(opts, expr.Function(name, func(...any) (any, error) { return nil, nil }))
	}
	return opts
}

// SplitAggregate finds the aggregate calls in e, in order.
func SplitAggregate(e analysis.Expr, what string) ([]Call, error) {
	if err := checkDepth(e); err != nil {
		return nil, err
	}
	cfg := conf.CreateNew()
	for _, o := range aggregateOptions() {
		o(cfg)
	}
	tree, err := parser.ParseWithConfig(e.Src, cfg)
	if err != nil {
		return nil, fileError(e, what, NewEnv("name"), err)
	}
	var calls []Call
	var errs position.List
	ast.Walk(&tree.Node, visitFunc(func(node *ast.Node) {
		fn, args, ok := aggregateCall(*node)
		if !ok {
			return
		}
		pos := offsetPos(e, (*node).Location().From)
		c := Call{Func: fn, Pos: pos, Ident: "_galley_agg" + strconv.Itoa(len(calls))}
		switch {
		case len(args) == 0 && fn != "count":
			errs.Add(pos, "%s: %s() needs a column or expression, e.g. %s(deaths)", what, fn, fn)
		case len(args) > 1:
			errs.Add(pos, "%s: %s takes one argument, not %d", what, fn, len(args))
		case len(args) == 1:
			for _, inner := range Aggregates {
				if containsCall(args[0], inner) {
					errs.Add(pos, "%s: %s(...) holds another aggregate, %s(); aggregates do not nest", what, fn, inner)
				}
			}
			c.Arg = argument(e, (*node).Location().From, args[0])
		}
		calls = append(calls, c)
	}))
	if len(calls) == 0 && len(errs) == 0 {
		errs.Add(e.Pos, "%s: an aggregate needs one of %v, e.g. sum(deaths) or count()", what, Aggregates)
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return calls, nil
}

// argument is the source of a one-argument call's argument, cut from e
// with its own file positions so that errors inside it point into it. call
// is the rune offset of the call; when the text cannot be cut (it always
// can for a call that parsed), the argument is reprinted at the call's
// position.
func argument(e analysis.Expr, call int, arg ast.Node) *analysis.Expr {
	start := byteOffset(e.Src, call)
	if open := strings.IndexByte(e.Src[start:], '('); open >= 0 {
		from := start + open + 1
		if to := closing(e.Src, from); to > from {
			inner := e.Src[from:to]
			lead := len(inner) - len(strings.TrimLeft(inner, " \t\n"))
			trail := len(strings.TrimRight(inner, " \t\n"))
			if trail > lead {
				sub := e.Slice(from+lead, from+trail)
				return &sub
			}
		}
	}
	pos := offsetPos(e, call)
	return &analysis.Expr{Src: arg.String(), Pos: pos, Lines: []position.Pos{pos}}
}

// closing finds the ) that closes the ( before from, skipping strings.
func closing(src string, from int) int {
	depth := 0
	for i := from; i < len(src); i++ {
		switch c := src[i]; c {
		case '"', '\'', '`':
			for i++; i < len(src) && src[i] != c; i++ {
				if src[i] == '\\' && c != '`' {
					i++
				}
			}
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			if depth == 0 {
				return i
			}
			depth--
		}
	}
	return -1
}

func byteOffset(s string, runes int) int {
	b := 0
	for i := 0; i < runes && b < len(s); i++ {
		_, n := utf8.DecodeRuneInString(s[b:])
		b += n
	}
	return b
}

func aggregateCall(n ast.Node) (string, []ast.Node, bool) {
	c, ok := n.(*ast.CallNode)
	if !ok {
		return "", nil, false
	}
	id, ok := c.Callee.(*ast.IdentifierNode)
	if !ok || !slices.Contains(Aggregates, id.Value) {
		return "", nil, false
	}
	return id.Value, c.Arguments, true
}

func containsCall(n ast.Node, name string) bool {
	found := false
	ast.Walk(&n, visitFunc(func(node *ast.Node) {
		if fn, _, ok := aggregateCall(*node); ok && fn == name {
			found = true
		}
	}))
	return found
}

// offsetPos maps a rune offset in e.Src to the analysis file.
func offsetPos(e analysis.Expr, runes int) position.Pos {
	line, col, b := 1, 0, 0
	for i := 0; i < runes && b < len(e.Src); i++ {
		r, n := utf8.DecodeRuneInString(e.Src[b:])
		b += n
		if r == '\n' {
			line, col = line+1, 0
		} else {
			col += n
		}
	}
	return e.At(line, col)
}

// aggPatch replaces each aggregate call by the identifier of its result, in
// the same walk order SplitAggregate numbered them.
type aggPatch struct{ n *int }

func (p aggPatch) Visit(node *ast.Node) {
	if _, _, ok := aggregateCall(*node); ok {
		ast.Patch(node, &ast.IdentifierNode{Value: "_galley_agg" + strconv.Itoa(*p.n)})
		*p.n++
	}
}

// CompileAggregate compiles the outer part of an aggregate expression: env
// holds the group keys, and each call's result is declared in env under its
// Ident by the caller.
func CompileAggregate(e analysis.Expr, what string, env *Env) (*Program, error) {
	return compile(e, what, env, AnyResult, func() []expr.Option {
		n := 0
		return append(aggregateOptions(), expr.Patch(aggPatch{&n}))
	})
}
