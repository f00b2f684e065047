package expression

import (
	"fmt"
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

// Aggregates are the aggregate functions of a view's `aggregate:`, which
// a window's `derive:` may also use over a whole partition.
var Aggregates = []string{"count", "count_distinct", "sum", "mean", "median", "min", "max", "first", "last",
	"quantile", "stddev", "variance", "mode", "corr", "weighted_mean", "count_if", "sum_if"}

// WindowFunctions are the functions of a window's `derive:` besides the
// aggregates.
var WindowFunctions = []string{"row_number", "rank", "dense_rank", "percent_rank", "ntile", "lag", "lead",
	"first_value", "last_value", "cumsum", "cummax", "cummin", "moving_mean", "moving_sum", "fill_down", "fill_up"}

// A literal argument: a number written in the expression, which a function
// needs before any row is read (the n of ntile(n), the p of quantile).
type literal int

const (
	notLiteral      literal = iota
	countLiteral            // a whole number of at least 1
	offsetLiteral           // a whole number of at least 0
	fractionLiteral         // a number from 0 to 1
)

// callSpec is what a call of an aggregate or window function takes.
type callSpec struct {
	min, max int
	lits     []literal // by argument; missing means an expression
	example  string
}

var callSpecs = map[string]callSpec{
	"count":          {0, 1, nil, "count() or count(deaths)"},
	"count_distinct": {1, 1, nil, "count_distinct(city)"},
	"sum":            {1, 1, nil, "sum(deaths)"},
	"mean":           {1, 1, nil, "mean(deaths)"},
	"median":         {1, 1, nil, "median(deaths)"},
	"min":            {1, 1, nil, "min(deaths)"},
	"max":            {1, 1, nil, "max(deaths)"},
	"first":          {1, 1, nil, "first(deaths)"},
	"last":           {1, 1, nil, "last(deaths)"},
	"quantile":       {2, 2, []literal{notLiteral, fractionLiteral}, "quantile(deaths, 0.9)"},
	"stddev":         {1, 1, nil, "stddev(deaths)"},
	"variance":       {1, 1, nil, "variance(deaths)"},
	"mode":           {1, 1, nil, "mode(cause)"},
	"corr":           {2, 2, nil, "corr(deaths, injured)"},
	"weighted_mean":  {2, 2, nil, "weighted_mean(rate, population)"},
	"count_if":       {1, 1, nil, "count_if(deaths > 0)"},
	"sum_if":         {2, 2, nil, "sum_if(deaths, cause == \"Gunfire\")"},
	"row_number":     {0, 0, nil, "row_number()"},
	"rank":           {0, 0, nil, "rank()"},
	"dense_rank":     {0, 0, nil, "dense_rank()"},
	"percent_rank":   {0, 0, nil, "percent_rank()"},
	"ntile":          {1, 1, []literal{countLiteral}, "ntile(4)"},
	"lag":            {1, 3, []literal{notLiteral, offsetLiteral}, "lag(deaths), lag(deaths, 2) or lag(deaths, 1, 0)"},
	"lead":           {1, 3, []literal{notLiteral, offsetLiteral}, "lead(deaths), lead(deaths, 2) or lead(deaths, 1, 0)"},
	"first_value":    {1, 1, nil, "first_value(deaths)"},
	"last_value":     {1, 1, nil, "last_value(deaths)"},
	"cumsum":         {1, 1, nil, "cumsum(deaths)"},
	"cummax":         {1, 1, nil, "cummax(deaths)"},
	"cummin":         {1, 1, nil, "cummin(deaths)"},
	"moving_mean":    {2, 2, []literal{notLiteral, countLiteral}, "moving_mean(deaths, 3)"},
	"moving_sum":     {2, 2, []literal{notLiteral, countLiteral}, "moving_sum(deaths, 3)"},
	"fill_down":      {1, 1, nil, "fill_down(region)"},
	"fill_up":        {1, 1, nil, "fill_up(region)"},
}

// Call is one aggregate or window call inside an expression, such as the
// sum(low) of `share: sum(low) / sum(high)`.
type Call struct {
	Func string
	// Args are the arguments as written, each with its own file
	// positions: row expressions, or literals (Lits).
	Args []*analysis.Expr
	// Lits holds, for each argument, the number written when the function
	// takes a literal there (an int, or a float64 for quantile's p), else nil.
	Lits  []any
	Pos   position.Pos
	Ident string // the name the outer expression reads the result by
}

// Arg is the first argument, or nil for a call without one.
func (c Call) Arg() *analysis.Expr {
	if len(c.Args) == 0 {
		return nil
	}
	return c.Args[0]
}

// Int is the whole number written as argument i (ntile's n, lag's offset,
// moving_mean's width), or def when the call has no argument i.
func (c Call) Int(i, def int) int {
	if i < len(c.Lits) {
		if n, ok := c.Lits[i].(int); ok {
			return n
		}
	}
	return def
}

func calleeOptions(names []string) []expr.Option {
	var opts []expr.Option
	for _, name := range names {
		opts = append(opts, expr.Function(name, func(...any) (any, error) { return nil, nil }))
	}
	return opts
}

// SplitAggregate finds the aggregate calls in e, in order.
func SplitAggregate(e analysis.Expr, what string) ([]Call, error) {
	calls, err := splitCalls(e, what, Aggregates)
	if err == nil && len(calls) == 0 {
		err = position.Errorf(e.Pos, "%s: an aggregate needs one of %v, e.g. sum(deaths) or count()", what, Aggregates)
	}
	return calls, err
}

// SplitWindow finds the window and aggregate calls in e, in order; e may
// hold none (a plain row expression, computed after the window's calls).
func SplitWindow(e analysis.Expr, what string) ([]Call, error) {
	return splitCalls(e, what, windowNames())
}

func windowNames() []string {
	return append(append([]string(nil), WindowFunctions...), Aggregates...)
}

func splitCalls(e analysis.Expr, what string, names []string) ([]Call, error) {
	if err := checkDepth(e); err != nil {
		return nil, err
	}
	cfg := conf.CreateNew()
	for _, o := range calleeOptions(names) {
		o(cfg)
	}
	tree, err := parser.ParseWithConfig(e.Src, cfg)
	if err != nil {
		return nil, fileError(e, what, NewEnv("name"), err)
	}
	var calls []Call
	var errs position.List
	ast.Walk(&tree.Node, visitFunc(func(node *ast.Node) {
		fn, args, ok := namedCall(*node, names)
		if !ok {
			return
		}
		from := (*node).Location().From
		pos := offsetPos(e, from)
		c := Call{Func: fn, Pos: pos, Ident: "_galley_agg" + strconv.Itoa(len(calls))}
		spec := callSpecs[fn]
		switch {
		case len(args) > spec.max && spec.max == 0:
			errs.Add(pos, "%s: %s", what, noArgument(fn, args))
		case len(args) < spec.min && len(args) == 0:
			errs.Add(pos, "%s: %s() needs a column or expression, e.g. %s", what, fn, spec.example)
		case len(args) < spec.min || len(args) > spec.max:
			errs.Add(pos, "%s: %s takes %s, not %d: %s", what, fn, argCount(spec), len(args), spec.example)
		default:
			for _, a := range args {
				for _, inner := range names {
					if containsCall(a, inner, names) {
						errs.Add(pos, "%s: %s(...) holds another %s, %s(); %s do not nest", what, fn, kind(inner), inner, plural(fn, inner))
					}
				}
			}
			c.Args = arguments(e, from, args)
			c.Lits = make([]any, len(args))
			for i, a := range args {
				if i < len(spec.lits) && spec.lits[i] != notLiteral {
					lit, err := literalArg(a, spec.lits[i])
					if err != "" {
						errs.Add(c.Args[i].Pos, "%s: %s: %s must be %s written in the expression, such as %s", what, fn, argName(fn, i), err, spec.example)
					}
					c.Lits[i] = lit
				}
			}
		}
		calls = append(calls, c)
	}))
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return calls, nil
}

func kind(fn string) string {
	if slices.Contains(WindowFunctions, fn) {
		return "window function"
	}
	return "aggregate"
}

func plural(outer, inner string) string {
	if kind(outer) == "aggregate" && kind(inner) == "aggregate" {
		return "aggregates"
	}
	return "window functions and aggregates"
}

func argCount(s callSpec) string {
	switch {
	case s.min == s.max && s.min == 1:
		return "one argument"
	case s.min == s.max:
		return strconv.Itoa(s.min) + " arguments"
	}
	return fmt.Sprintf("%d to %d arguments", s.min, s.max)
}

func argName(fn string, i int) string {
	switch fn {
	case "quantile":
		return "p"
	case "lag", "lead":
		return "the offset"
	}
	return "n"
}

// noArgument explains that a window function of no argument (rank(),
// row_number()...) was given some: it works on the window's order_by.
func noArgument(fn string, args []ast.Node) string {
	by := "deaths"
	if id, ok := args[0].(*ast.IdentifierNode); ok && len(args) == 1 {
		by = id.Value
	}
	return fmt.Sprintf("%s() takes no argument: it numbers the rows in the window's order_by, so to %s by %s write order_by: [-%s] (largest first) and %s()",
		fn, verb(fn), by, by, fn)
}

func verb(fn string) string {
	if fn == "row_number" {
		return "number the rows"
	}
	return "rank"
}

// literalArg reads a number written as an argument.
func literalArg(n ast.Node, want literal) (any, string) {
	neg := false
	if u, ok := n.(*ast.UnaryNode); ok && u.Operator == "-" {
		neg, n = true, u.Node
	}
	var v any
	switch x := n.(type) {
	case *ast.IntegerNode:
		v = x.Value
		if neg {
			v = -x.Value
		}
	case *ast.FloatNode:
		v = x.Value
		if neg {
			v = -x.Value
		}
	}
	switch want {
	case countLiteral, offsetLiteral:
		i, ok := v.(int)
		low := 1
		if want == offsetLiteral {
			low = 0
		}
		if !ok || i < low {
			return nil, fmt.Sprintf("a whole number of at least %d", low)
		}
		return i, ""
	case fractionLiteral:
		var f float64
		switch x := v.(type) {
		case int:
			f = float64(x)
		case float64:
			f = x
		default:
			return nil, "a number from 0 to 1"
		}
		if !(f >= 0 && f <= 1) {
			return nil, "a number from 0 to 1"
		}
		return f, ""
	}
	return nil, ""
}

// arguments cuts the source of each of a call's arguments from e, with its
// own file positions so that errors inside one point into it. call is the
// rune offset of the call; where the text cannot be cut (it always can for
// a call that parsed), an argument is reprinted at the call's position.
func arguments(e analysis.Expr, call int, args []ast.Node) []*analysis.Expr {
	out := make([]*analysis.Expr, len(args))
	start := byteOffset(e.Src, call)
	var parts [][2]int
	if open := strings.IndexByte(e.Src[start:], '('); open >= 0 {
		from := start + open + 1
		if to := closing(e.Src, from); to >= from {
			parts = splitTop(e.Src, from, to)
		}
	}
	for i, a := range args {
		if len(parts) == len(args) {
			inner := e.Src[parts[i][0]:parts[i][1]]
			lead := len(inner) - len(strings.TrimLeft(inner, " \t\n"))
			trail := len(strings.TrimRight(inner, " \t\n"))
			if trail > lead {
				sub := e.Slice(parts[i][0]+lead, parts[i][0]+trail)
				out[i] = &sub
				continue
			}
		}
		pos := offsetPos(e, call)
		out[i] = &analysis.Expr{Src: a.String(), Pos: pos, Lines: []position.Pos{pos}}
	}
	return out
}

// splitTop cuts src[from:to] at its commas outside brackets and strings.
func splitTop(src string, from, to int) [][2]int {
	var parts [][2]int
	depth, begin := 0, from
	for i := from; i < to; i++ {
		switch c := src[i]; c {
		case '"', '\'', '`':
			for i++; i < to && src[i] != c; i++ {
				if src[i] == '\\' && c != '`' {
					i++
				}
			}
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			depth--
		case ',':
			if depth == 0 {
				parts = append(parts, [2]int{begin, i})
				begin = i + 1
			}
		}
	}
	if strings.TrimSpace(src[begin:to]) != "" || len(parts) > 0 {
		parts = append(parts, [2]int{begin, to})
	}
	return parts
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

// namedCall reports whether n is a call of one of names.
func namedCall(n ast.Node, names []string) (string, []ast.Node, bool) {
	c, ok := n.(*ast.CallNode)
	if !ok {
		return "", nil, false
	}
	id, ok := c.Callee.(*ast.IdentifierNode)
	if !ok || !slices.Contains(names, id.Value) {
		return "", nil, false
	}
	return id.Value, c.Arguments, true
}

func containsCall(n ast.Node, name string, names []string) bool {
	found := false
	ast.Walk(&n, visitFunc(func(node *ast.Node) {
		if fn, _, ok := namedCall(*node, names); ok && fn == name {
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

// callPatch replaces each call of names by the identifier of its result,
// in the same walk order splitCalls numbered them.
type callPatch struct {
	n     *int
	names []string
}

func (p callPatch) Visit(node *ast.Node) {
	if _, _, ok := namedCall(*node, p.names); ok {
		id := &ast.IdentifierNode{Value: "_galley_agg" + strconv.Itoa(*p.n)}
		id.SetLocation((*node).Location())
		ast.Patch(node, id)
		*p.n++
	}
}

// CompileAggregate compiles the outer part of an aggregate expression: env
// holds the group keys, and each call's result is declared in env under its
// Ident by the caller.
func CompileAggregate(e analysis.Expr, what string, env *Env) (*Program, error) {
	return compileOuter(e, what, env, Aggregates)
}

// CompileWindow compiles the outer part of a window's derive: env holds
// the row's columns, and each call's result (SplitWindow) is declared in
// env under its Ident by the caller.
func CompileWindow(e analysis.Expr, what string, env *Env) (*Program, error) {
	return compileOuter(e, what, env, windowNames())
}

func compileOuter(e analysis.Expr, what string, env *Env, names []string) (*Program, error) {
	return compile(e, what, env, AnyResult, func() []expr.Option {
		n := 0
		return append(calleeOptions(names), expr.Patch(callPatch{&n, names}))
	})
}
