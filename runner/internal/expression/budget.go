package expression

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/builtin"

	"galley/runner/internal/value"
)

// The text budget. expr-lang's memory budget (MemoryBudget) counts the
// elements of the lists and maps an evaluation builds, but not the bytes
// of its strings, and repeat checks its size only after allocating:
// repeat(repeat("x", 10000), 100000) allocated 988 MB before the budget
// stopped it, and reduce(1..80000, #acc + "xxxxxxxxxx", "") spent 20 s
// copying a growing string. Every operation that builds text or splits it
// into a list is therefore a checked call that knows the size of its
// result before allocating it, and charges it to a budget of the
// evaluation, so that the bytes built by one evaluation, and so its time,
// are bounded whatever the loop around them.
const (
	// MaxString is the longest string an expression may build.
	MaxString = 1 << 20
	// TextBudget is the most text (strings, and 16 bytes for each element
	// of a list split from one) one evaluation may build in all.
	TextBudget = 16 << 20
)

// budgetVar is the variable that holds the evaluation's budget: a program
// that builds text is wrapped in `let _galley_budget = <new budget>; ...`
// (compileTree), so each evaluation starts with a fresh one, and its
// checked calls take it as their last argument.
const budgetVar = "_galley_budget"

type budget struct{ used int }

var newBudget = func() any { return &budget{} }

// take charges n bytes built by fn, before they are allocated.
func (b *budget) take(fn string, n int) error {
	if n > MaxString || n < 0 {
		return arithErrorf("%s would build more than 1 MiB (%d bytes) at once, the most an expression may", fn, MaxString)
	}
	if b.used += n; b.used > TextBudget {
		return arithErrorf("%s: this evaluation would build more than 16 MiB (%d bytes) of text in all, the memory budget of one evaluation", fn, TextBudget)
	}
	return nil
}

// textOps are the builtins that build text, by name: each takes its
// arguments and the budget.
var textOps = map[string]func(b *budget, p []any) (any, error){
	"repeat":     repeatFn,
	"join":       joinFn,
	"replace":    replaceFn,
	"upper":      caseFn("upper", strings.ToUpper),
	"lower":      caseFn("lower", strings.ToLower),
	"toBase64":   toBase64Fn,
	"string":     stringFn,
	"toJSON":     toJSONFn,
	"fromJSON":   fromJSONFn,
	"split":      splitFn("split", strings.Split, strings.SplitN),
	"splitAfter": splitFn("splitAfter", strings.SplitAfter, strings.SplitAfterN),
}

// textCall is the call of a text op: func(...any) any, which expr-lang
// calls without reflection; the budget is the last argument.
func textCall(name string, f func(b *budget, p []any) (any, error)) func(...any) any {
	return func(p ...any) any {
		b, _ := p[len(p)-1].(*budget)
		if b == nil {
			b = &budget{} // not wrapped (cannot happen): one call's worth
		}
		args := p[:len(p)-1]
		for _, a := range args {
			if a == nil {
				return nil // null in, null out, as the other scalar builtins
			}
		}
		v, err := f(b, args)
		if err != nil {
			panic(err)
		}
		return v
	}
}

var textCalls = func() map[string]func(...any) any {
	m := map[string]func(...any) any{}
	for name, f := range textOps {
		m[name] = textCall(name, f)
	}
	return m
}()

// concatOp is +, for operands that may be strings.
var concatOp = func(p ...any) any {
	a, b := p[0], p[1]
	x, ok1 := a.(string)
	y, ok2 := b.(string)
	if !ok1 || !ok2 {
		v, err := add(a, b)
		if err != nil {
			panic(err)
		}
		return v
	}
	if bud, ok := p[2].(*budget); ok {
		if err := bud.take("+", len(x)+len(y)); err != nil {
			panic(err)
		}
	}
	return x + y
}

// rangeEnd is b in a..b, once the range is known to fit in expr-lang's
// memory budget: its size, b - a + 1, wrapped for far-apart ends
// (0..9223372036854775807 was an empty list), and expr-lang then charges
// the size to its budget before building the list.
func rangeEnd(a, b any) any {
	x, ok1 := a.(int)
	y, ok2 := b.(int)
	if ok1 && ok2 && y >= x && uint64(y)-uint64(x) >= MemoryBudget {
		panic(arithErrorf("%d..%d has more than %d elements, the memory budget of one evaluation", x, y, MemoryBudget))
	}
	return b
}

// textPatch rewrites + on operands that may be strings, the text
// builtins and ranges into their checked calls. It runs before checkPatch,
// while the operands of + still have their checked types: + on two
// numbers is left to checkPatch, and costs no budget.
type textPatch struct{}

func (textPatch) Visit(node *ast.Node) {
	switch n := (*node).(type) {
	case *ast.BinaryNode:
		switch {
		case n.Operator == "..":
			n.Right = goCall(rangeEnd, n.Left, n.Right)
		case n.Operator == "+" && !(numeric(n.Left) && numeric(n.Right)) && !(isString(n.Left) && isString(n.Right)):
			ast.Patch(node, goCall(concatOp, n.Left, n.Right, budgetRef()))
		}
	case *ast.BuiltinNode:
		if f, ok := textCalls[n.Name]; ok {
			ast.Patch(node, goCall(f, append(append([]ast.Node(nil), n.Arguments...), budgetRef())...))
		}
	case *ast.CallNode:
		if galleyFunc(n.Callee) == "title" {
			ast.Patch(node, goCall(titleCall, append(append([]ast.Node(nil), n.Arguments...), budgetRef())...))
		}
	}
}

// titleCall is Galley's title(s), charged to the budget as upper and
// lower are.
var titleCall = textCall("title", caseFn("title", titleCase))

func budgetRef() ast.Node { return &ast.IdentifierNode{Value: budgetVar} }

// numeric reports whether n is known to be a number.
func numeric(n ast.Node) bool {
	t := n.Type()
	if t == nil {
		return false
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return true
	}
	return false
}

// withBudget wraps node in the let that creates the evaluation's budget.
func withBudget(node ast.Node) ast.Node {
	call := goCall(newBudget)
	call.SetLocation(node.Location())
	l := &ast.VariableDeclaratorNode{Name: budgetVar, Value: call, Expr: node}
	l.SetLocation(node.Location())
	return l
}

// usesBudget reports whether the checked calls under n read the budget.
func usesBudget(n ast.Node) bool {
	found := false
	ast.Walk(&n, visitFunc(func(node *ast.Node) {
		if id, ok := (*node).(*ast.IdentifierNode); ok && id.Value == budgetVar {
			found = true
		}
	}))
	return found
}

func str(fn string, v any) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("%s needs text, got %s", fn, value.Describe(v))
	}
	return s, nil
}

func repeatFn(b *budget, p []any) (any, error) {
	s, err := str("repeat", p[0])
	if err != nil {
		return nil, err
	}
	n, ok := intOf(p[1])
	if !ok || n < 0 {
		return nil, fmt.Errorf("repeat needs a count of 0 or more, got %v", p[1])
	}
	if len(s) > 0 && n > MaxString/len(s) {
		return nil, b.take("repeat", MaxString+1)
	}
	if err := b.take("repeat", len(s)*n); err != nil {
		return nil, err
	}
	return strings.Repeat(s, n), nil
}

func joinFn(b *budget, p []any) (any, error) {
	glue := ""
	if len(p) > 1 {
		g, err := str("join", p[1])
		if err != nil {
			return nil, err
		}
		glue = g
	}
	v := reflect.ValueOf(p[0])
	if v.Kind() != reflect.Slice && v.Kind() != reflect.Array {
		return nil, fmt.Errorf("join needs a list of text, got %s", value.Describe(p[0]))
	}
	parts := make([]string, v.Len())
	size := 0
	for i := range parts {
		s, ok := v.Index(i).Interface().(string)
		if !ok {
			return nil, fmt.Errorf("join needs a list of text, but element %d is %s", i, value.Describe(v.Index(i).Interface()))
		}
		parts[i] = s
		if size += len(s) + len(glue); size > MaxString+len(glue) {
			return nil, b.take("join", MaxString+1)
		}
	}
	if len(parts) > 0 {
		size -= len(glue)
	}
	if err := b.take("join", size); err != nil {
		return nil, err
	}
	return strings.Join(parts, glue), nil
}

func replaceFn(b *budget, p []any) (any, error) {
	var ss [3]string
	for i := range ss {
		s, err := str("replace", p[i])
		if err != nil {
			return nil, err
		}
		ss[i] = s
	}
	s, old, repl := ss[0], ss[1], ss[2]
	n := -1
	if len(p) > 3 {
		n, _ = intOf(p[3])
	}
	count := strings.Count(s, old)
	if old == "" {
		count = utf8.RuneCountInString(s) + 1
	}
	if n >= 0 && n < count {
		count = n
	}
	size := len(s)
	if d := len(repl) - len(old); d > 0 {
		if count > 0 && d > (MaxString-len(s))/count {
			return nil, b.take("replace", MaxString+1)
		}
		size += count * d
	}
	if err := b.take("replace", size); err != nil {
		return nil, err
	}
	return strings.Replace(s, old, repl, n), nil
}

func caseFn(name string, f func(string) string) func(b *budget, p []any) (any, error) {
	return func(b *budget, p []any) (any, error) {
		s, err := str(name, p[0])
		if err != nil {
			return nil, err
		}
		// A rune's other case is at most half as long again in UTF-8.
		if err := b.take(name, len(s)+len(s)/2); err != nil {
			return nil, err
		}
		return f(s), nil
	}
}

func toBase64Fn(b *budget, p []any) (any, error) {
	s, err := str("toBase64", p[0])
	if err != nil {
		return nil, err
	}
	if err := b.take("toBase64", base64.StdEncoding.EncodedLen(len(s))); err != nil {
		return nil, err
	}
	return base64.StdEncoding.EncodeToString([]byte(s)), nil
}

func stringFn(b *budget, p []any) (any, error) {
	if s, ok := p[0].(string); ok {
		return s, nil
	}
	if err := b.take("string", textBound(p[0], 0)); err != nil {
		return nil, err
	}
	return builtin.String(p[0]), nil
}

func toJSONFn(b *budget, p []any) (any, error) {
	if err := b.take("toJSON", textBound(p[0], 0)); err != nil {
		return nil, err
	}
	out, err := json.MarshalIndent(p[0], "", "  ")
	if err != nil {
		return nil, err
	}
	return string(out), nil
}

func fromJSONFn(b *budget, p []any) (any, error) {
	s, err := str("fromJSON", p[0])
	if err != nil {
		return nil, err
	}
	// What a parse builds is not known before it: charge what it can at
	// most build per byte read (an element and its box for "0,").
	if err := b.take("fromJSON", len(s)); err != nil {
		return nil, err
	}
	if err := b.take("fromJSON", 12*len(s)); err != nil {
		return nil, err
	}
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		return nil, err
	}
	return v, nil
}

func splitFn(name string, all func(s, sep string) []string, n func(s, sep string, n int) []string) func(b *budget, p []any) (any, error) {
	return func(b *budget, p []any) (any, error) {
		s, err := str(name, p[0])
		if err != nil {
			return nil, err
		}
		sep, err := str(name, p[1])
		if err != nil {
			return nil, err
		}
		count := strings.Count(s, sep) + 1
		if sep == "" {
			count = utf8.RuneCountInString(s)
		}
		if err := b.take(name, 16*count); err != nil {
			return nil, err
		}
		if len(p) > 2 {
			k, _ := intOf(p[2])
			return n(s, sep, k), nil
		}
		return all(s, sep), nil
	}
}

// textBound is an upper bound of the length of v written by fmt's %v or
// by encoding/json with an indent of two spaces at depth, without writing
// it: scalars at their longest, strings escaped at their longest.
func textBound(v any, depth int) int {
	if depth > maxFlatten {
		return math.MaxInt32
	}
	switch x := v.(type) {
	case nil, bool:
		return 5
	case string:
		return 6*len(x) + 2
	case time.Time:
		return 64
	}
	r := reflect.ValueOf(v)
	switch r.Kind() {
	case reflect.Slice, reflect.Array:
		n := 4
		for i := 0; i < r.Len() && n <= MaxString; i++ {
			n += textBound(r.Index(i).Interface(), depth+1) + 2*depth + 4
		}
		return n
	case reflect.Map:
		n := 4
		iter := r.MapRange()
		for iter.Next() && n <= MaxString {
			n += textBound(iter.Key().Interface(), depth+1) + textBound(iter.Value().Interface(), depth+1) + 2*depth + 6
		}
		return n
	case reflect.Struct:
		n := 4
		for i := 0; i < r.NumField() && n <= MaxString; i++ {
			if r.Type().Field(i).IsExported() {
				n += 6*len(r.Type().Field(i).Name) + textBound(r.Field(i).Interface(), depth+1) + 2*depth + 6
			}
		}
		return n
	case reflect.Pointer, reflect.Interface:
		if r.IsNil() {
			return 5
		}
		return textBound(r.Elem().Interface(), depth)
	}
	return 32 // a number
}
