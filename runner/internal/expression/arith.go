package expression

import (
	"fmt"
	"math"
	"math/big"
	"reflect"
	"sort"
	"strconv"
	"time"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/builtin"
	"github.com/expr-lang/expr/vm/runtime"

	"galley/runner/internal/value"
)

// Checked arithmetic. expr-lang's operators wrap an int that overflows
// (9223372036854775807 + 1 is -9223372036854775808) and give a float that
// is not finite (1e308 * 10 is +Inf, 0 / 0 is NaN), so every arithmetic
// operator, unary minus and the builtins that can overflow or leave the
// reals (abs, int, float, sum, mean, median, bitshl) are rewritten into
// the calls below, in the null-aware program and in the fast one alike
// (checkPatch):
// a result that does not fit is an error at the operator, never a wrong
// number, an infinity or a NaN. This is the one place the rule is
// enforced: data holds no NaN or infinity (package dataset refuses them),
// so with these checks and Sum's no expression, derive, aggregate, value
// or claim can meet one, and no later stage checks again.

// The checked operators are called as Go functions of the signatures
// expr-lang calls directly (OpCallTyped: no argument buffer, no
// reflection), held by the call node itself; an error is a panic the VM
// turns into a positioned error.
var (
	binaryOps = map[string]func(a, b any) any{
		"+": addOp, "-": subOp, "*": mulOp, "/": divOp,
		"%": checked2(modulo), "**": checked2(pow), "^": checked2(pow),
	}
	negOp    = checked1(negate)
	absOp    = checked1(absFn)
	intOp    = checked1(intFn)
	floatOp  = checked1(floatFn)
	sumOp    = checked1(sumFn)
	meanOp   = checked1(meanFn)
	medianOp = checked1(medianFn)
	bitshlOp = checked2(bitshl)
)

// addOp, subOp, mulOp and divOp are the checked +, -, * and / with the
// common cases, two ints or two floats whose result fits, first and
// without a further call: they run on every row of a derive.
func addOp(x, y any) any {
	switch a := x.(type) {
	case int:
		if b, ok := y.(int); ok {
			if r := a + b; (r > a) == (b > 0) {
				return r
			}
		}
	case float64:
		if b, ok := y.(float64); ok {
			if r := a + b; r-r == 0 {
				return r
			}
		}
	}
	return must(add(x, y))
}

func subOp(x, y any) any {
	switch a := x.(type) {
	case int:
		if b, ok := y.(int); ok {
			if r := a - b; (r < a) == (b > 0) {
				return r
			}
		}
	case float64:
		if b, ok := y.(float64); ok {
			if r := a - b; r-r == 0 {
				return r
			}
		}
	}
	return must(sub(x, y))
}

func mulOp(x, y any) any {
	switch a := x.(type) {
	case int:
		if b, ok := y.(int); ok {
			if r, ok := mulInt(a, b); ok {
				return r
			}
		}
	case float64:
		if b, ok := y.(float64); ok {
			if r := a * b; r-r == 0 {
				return r
			}
		}
	}
	return must(mul(x, y))
}

func divOp(x, y any) any {
	switch a := x.(type) {
	case int:
		if b, ok := y.(int); ok && b != 0 {
			return float64(a) / float64(b) // finite: |a| < 2^63, |b| >= 1
		}
	case float64:
		if b, ok := y.(float64); ok && b != 0 {
			if r := a / b; r-r == 0 {
				return r
			}
		}
	}
	return must(div(x, y))
}

func must(v any, err error) any {
	if err != nil {
		panic(err)
	}
	return v
}

func checked2(f func(a, b any) (any, error)) func(a, b any) any {
	return func(a, b any) any {
		v, err := f(a, b)
		if err != nil {
			panic(err)
		}
		return v
	}
}

func checked1(f func(a any) (any, error)) func(a any) any {
	return func(a any) any {
		v, err := f(a)
		if err != nil {
			panic(err)
		}
		return v
	}
}

// goCall calls fn, a Go function, with args.
func goCall(fn any, args ...ast.Node) ast.Node {
	callee := &ast.ConstantNode{Value: fn}
	c := &ast.CallNode{Callee: callee, Arguments: args}
	if len(args) > 0 {
		c.SetLocation(args[0].Location())
		callee.SetLocation(args[0].Location())
	}
	return c
}

// checkPatch rewrites the operators and builtins that can overflow into
// checked calls. It runs on the checked tree, after nullPatch in the
// null-aware program; the calls give null for a null operand, as the
// null-aware operators did.
type checkPatch struct{}

func (checkPatch) Visit(node *ast.Node) {
	switch n := (*node).(type) {
	case *ast.BinaryNode:
		op, ok := binaryOps[n.Operator]
		if !ok || (n.Operator == "+" && isString(n.Left) && isString(n.Right)) {
			return // literal string concatenation is folded when compiled
		}
		ast.Patch(node, goCall(op, n.Left, n.Right))
	case *ast.UnaryNode:
		if n.Operator == "-" {
			ast.Patch(node, goCall(negOp, n.Node))
		}
	case *ast.BuiltinNode:
		switch n.Name {
		case "abs":
			ast.Patch(node, goCall(absOp, n.Arguments...))
		case "int":
			ast.Patch(node, goCall(intOp, n.Arguments...))
		case "float":
			ast.Patch(node, goCall(floatOp, n.Arguments...))
		case "mean", "median":
			// mean(a, b, c) is the mean of the list [a, b, c].
			list := n.Arguments[0]
			if len(n.Arguments) != 1 {
				a := &ast.ArrayNode{Nodes: n.Arguments}
				a.SetLocation(n.Location())
				list = a
			}
			op := meanOp
			if n.Name == "median" {
				op = medianOp
			}
			ast.Patch(node, goCall(op, list))
		case "bitshl":
			if len(n.Arguments) == 2 {
				ast.Patch(node, goCall(bitshlOp, n.Arguments...))
			}
		case "sum":
			// sum(list, f) is the sum of map(list, f): expr-lang's own
			// loop adds with the unchecked operator.
			list := n.Arguments[0]
			if len(n.Arguments) == 2 {
				m := &ast.BuiltinNode{Name: "map", Arguments: n.Arguments}
				m.SetLocation(n.Location())
				list = m
			}
			ast.Patch(node, goCall(sumOp, list))
		}
	}
}

// arithError is an arithmetic result Galley refuses to give. runtimeError
// names the expression it came from.
type arithError struct{ msg string }

func (e *arithError) Error() string { return e.msg }

func arithErrorf(format string, a ...any) error {
	return &arithError{fmt.Sprintf(format, a...)}
}

// overflow reports that text, whose exact value is exact, does not fit in
// an int.
func overflow(text string, exact *big.Int) error {
	if exact.Sign() < 0 {
		return arithErrorf("%s = %s, less than the smallest int, %d (convert an operand with float() for an approximate result)", text, exact, math.MinInt64)
	}
	return arithErrorf("%s = %s, more than the largest int, %d (convert an operand with float() for an approximate result)", text, exact, math.MaxInt64)
}

// sumOverflow reports an int sum that does not fit; alt is how to get it
// as a float.
func sumOverflow(what string, s *Sum, alt string) error {
	exact, _ := new(big.Int).SetString(s.IntText(), 10)
	limit, side := "more than the largest", int64(math.MaxInt64)
	if exact.Sign() < 0 {
		limit, side = "less than the smallest", math.MinInt64
	}
	return arithErrorf("%s = %s, %s int, %d (%s gives it as a float)", what, exact, limit, side, alt)
}

func binaryOverflow(a int, op string, b int) error {
	x, y := big.NewInt(int64(a)), big.NewInt(int64(b))
	switch op {
	case "+":
		x.Add(x, y)
	case "-":
		x.Sub(x, y)
	case "*":
		x.Mul(x, y)
	}
	return overflow(fmt.Sprintf("%d %s %d", a, op, b), x)
}

func add(x, y any) (any, error) {
	if a, ok := x.(int); ok {
		if b, ok := y.(int); ok {
			if s := a + b; (s > a) == (b > 0) {
				return s, nil
			}
			return nil, binaryOverflow(a, "+", b)
		}
	}
	if a, ok := x.(float64); ok {
		if b, ok := y.(float64); ok {
			return finite(a+b, x, "+", y)
		}
	}
	return slowArith("+", x, y)
}

func sub(x, y any) (any, error) {
	if a, ok := x.(int); ok {
		if b, ok := y.(int); ok {
			if s := a - b; (s < a) == (b > 0) {
				return s, nil
			}
			return nil, binaryOverflow(a, "-", b)
		}
	}
	if a, ok := x.(float64); ok {
		if b, ok := y.(float64); ok {
			return finite(a-b, x, "-", y)
		}
	}
	return slowArith("-", x, y)
}

func mul(x, y any) (any, error) {
	if a, ok := x.(int); ok {
		if b, ok := y.(int); ok {
			if s, ok := mulInt(a, b); ok {
				return s, nil
			}
			return nil, binaryOverflow(a, "*", b)
		}
	}
	if a, ok := x.(float64); ok {
		if b, ok := y.(float64); ok {
			return finite(a*b, x, "*", y)
		}
	}
	return slowArith("*", x, y)
}

func mulInt(a, b int) (int, bool) {
	if a == 0 || b == 0 {
		return 0, true
	}
	s := a * b
	if s/b != a || (a == -1 && b == math.MinInt64) || (b == -1 && a == math.MinInt64) {
		return 0, false
	}
	return s, true
}

// div is a / b, always a float; dividing by zero is an error, whatever
// the dividend.
func div(a, b any) (any, error) {
	if a == nil || b == nil {
		return nil, nil
	}
	r := runtime.Divide(a, b)
	if r-r == 0 {
		return r, nil
	}
	if f, ok := number(b); ok && f == 0 {
		return nil, arithErrorf("%s / %s: division by zero", operand(a), operand(b))
	}
	return finite(r, a, "/", b)
}

func pow(a, b any) (any, error) {
	if a == nil || b == nil {
		return nil, nil
	}
	return finite(runtime.Exponent(a, b), a, "**", b)
}

// finite returns r, the result of a op b, when it is a finite float.
func finite(r float64, a any, op string, b any) (any, error) {
	if r-r == 0 { // false for NaN and both infinities
		return r, nil
	}
	return nil, notFinite(fmt.Sprintf("%s %s %s", operand(a), op, operand(b)), r)
}

// notFinite explains a float result, of the computation written expr,
// that is NaN or infinite.
func notFinite(expr string, r float64) error {
	switch {
	case math.IsNaN(r):
		return arithErrorf("%s is not a number", expr)
	case r > 0:
		return arithErrorf("%s is beyond the largest float, about 1.8e308", expr)
	}
	return arithErrorf("%s is beyond the smallest float, about -1.8e308", expr)
}

// operand writes an operand of a binary operator, a negative number in
// parentheses.
func operand(v any) string {
	t := text(v)
	if len(t) > 0 && t[0] == '-' {
		return "(" + t + ")"
	}
	return t
}

// text writes a number as an error message shows it.
func text(v any) string {
	switch x := v.(type) {
	case float64:
		return formatFloat(x)
	case string:
		return strconv.Quote(x)
	}
	return fmt.Sprint(v)
}

func modulo(a, b any) (any, error) {
	if a == nil || b == nil {
		return nil, nil
	}
	if x, ok := a.(int); ok {
		if y, ok := b.(int); ok && y != 0 {
			return x % y, nil // never overflows: math.MinInt64 % -1 is 0 in Go
		}
	}
	if y, ok := intOf(b); ok && y == 0 {
		return nil, fmt.Errorf("modulo by zero")
	}
	// An operand beyond the int range would wrap when expr-lang converts it.
	if _, err := ints(a, b); err != nil {
		return nil, err
	}
	return runtime.Modulo(a, b), nil
}

func negate(v any) (any, error) {
	switch a := v.(type) {
	case nil:
		return nil, nil
	case int:
		if a == math.MinInt64 {
			return nil, overflow(fmt.Sprintf("-(%d)", a), new(big.Int).Neg(big.NewInt(int64(a))))
		}
		return -a, nil
	case time.Duration:
		if a == math.MinInt64 {
			return nil, arithErrorf("-(%s) is beyond the longest duration", a)
		}
	}
	if _, ok := intOf(v); !ok && isIntKind(v) {
		return nil, beyondInt(v)
	}
	return runtime.Negate(v), nil
}

func absFn(v any) (any, error) {
	switch a := v.(type) {
	case nil:
		return nil, nil
	case int:
		if a == math.MinInt64 {
			return nil, overflow(fmt.Sprintf("abs(%d)", a), new(big.Int).Neg(big.NewInt(int64(a))))
		}
		if a < 0 {
			return -a, nil
		}
		return a, nil
	}
	return builtin.Abs(v), nil
}

// intFn is int(x), refusing a float or an unsigned int beyond the int
// range, which Go's conversion would turn into an arbitrary int.
func intFn(v any) (any, error) {
	switch a := v.(type) {
	case nil:
		return nil, nil
	case int:
		return a, nil
	case float64:
		return floatToInt(a)
	case float32:
		return floatToInt(float64(a))
	}
	if isIntKind(v) {
		if _, ok := intOf(v); !ok {
			return nil, beyondInt(v)
		}
	}
	return builtin.Int(v), nil
}

// floatFn is float(x), refusing text that reads as NaN or an infinity.
func floatFn(v any) (any, error) {
	switch a := v.(type) {
	case nil:
		return nil, nil
	case string:
		f, err := strconv.ParseFloat(a, 64)
		if err != nil || f-f != 0 {
			return nil, arithErrorf("float(%q): not a number Galley reads (write digits, a sign, a point and an exponent; no NaN or infinity)", a)
		}
		return f, nil
	}
	return builtin.Float(v), nil
}

// meanFn is mean(list): the exact mean of its numbers (nested lists
// flattened), which is never beyond the float range; null for no numbers
// (expr-lang gave 0).
func meanFn(list any) (any, error) {
	if list == nil {
		return nil, nil
	}
	var s Sum
	n := 0
	err := eachNumber("mean", list, 1, func(v any) {
		n++
		switch x := v.(type) {
		case int:
			s.AddInt(x)
		case float64:
			s.AddFloat(x)
		}
	})
	if err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, nil // no numbers, no mean: null, as the aggregate gives
	}
	return s.Mean(n), nil
}

// medianFn is median(list); null for no numbers (expr-lang gave 0).
func medianFn(list any) (any, error) {
	if list == nil {
		return nil, nil
	}
	var vals []float64
	err := eachNumber("median", list, 1, func(v any) {
		switch x := v.(type) {
		case int:
			vals = append(vals, float64(x))
		case float64:
			vals = append(vals, x)
		}
	})
	if err != nil {
		return nil, err
	}
	if len(vals) == 0 {
		return nil, nil
	}
	return Median(vals), nil
}

// Median sorts vals, one or more finite floats, and returns the middle
// one, or the mean of the two middle ones, which is never beyond the
// float range even when their sum is.
func Median(vals []float64) float64 {
	sort.Float64s(vals)
	m := len(vals) / 2
	if len(vals)%2 == 1 {
		return vals[m]
	}
	a, b := vals[m-1], vals[m]
	if mid := (a + b) / 2; mid-mid == 0 {
		return mid
	}
	return a/2 + b/2
}

// bitshl is bitshl(x, n), x shifted left n bits, refusing a result beyond
// the int range: Go's << drops the bits shifted out, so bitshl(1, 63)
// would be the smallest int and bitshl(1, 64) zero. Anything but two ints
// and n >= 0 goes to expr-lang's bitshl, which explains it.
func bitshl(a, b any) (any, error) {
	x, okx := a.(int)
	n, okn := b.(int)
	if !okx || !okn || n < 0 {
		return builtin.Builtins[builtin.Index["bitshl"]].Func(a, b)
	}
	if x == 0 {
		return 0, nil
	}
	if n < 64 {
		if r := x << n; r>>n == x {
			return r, nil
		}
	}
	return nil, arithErrorf("bitshl(%d, %d) = %d × 2^%d, beyond the int range, %d to %d", x, n, x, n, math.MinInt64, math.MaxInt64)
}

func floatToInt(f float64) (any, error) {
	// float64(math.MaxInt64) is 2^63 itself, just past the range.
	if f >= -(1<<63) && f < 1<<63 {
		return int(f), nil
	}
	return nil, arithErrorf("int(%s): %s is beyond the int range, %d to %d", formatFloat(f), formatFloat(f), math.MinInt64, math.MaxInt64)
}

func beyondInt(v any) error {
	return arithErrorf("%v is beyond the int range, %d to %d", v, math.MinInt64, math.MaxInt64)
}

// sumFn is sum(list): the exact sum of its numbers, an int when they are
// all ints, else a float; 0 for an empty list.
func sumFn(list any) (any, error) {
	if list == nil {
		return nil, nil
	}
	var s Sum
	floats := false
	err := eachNumber("sum", list, 0, func(v any) {
		switch x := v.(type) {
		case int:
			s.AddInt(x)
		case float64:
			s.AddFloat(x)
			floats = true
		}
	})
	if err != nil {
		return nil, err
	}
	if floats {
		f, ok := s.Float()
		if ok {
			return f, nil
		}
		return nil, notFinite("the sum of the list, "+s.Exact().Text('g', 6)+",", f)
	}
	if n, ok := s.Int(); ok {
		return n, nil
	}
	return nil, sumOverflow("sum of the list", &s, "sum(list, float(#))")
}

// eachNumber calls f with each element of list as an int or a float64;
// with depth > 0, an element that is a list is flattened into it, as
// expr-lang's mean and median do, up to maxFlatten levels.
func eachNumber(fn string, list any, depth int, f func(any)) error {
	switch l := list.(type) {
	case []int:
		for _, x := range l {
			f(x)
		}
		return nil
	case []float64:
		for _, x := range l {
			f(x)
		}
		return nil
	}
	v := reflect.ValueOf(list)
	if v.Kind() != reflect.Slice && v.Kind() != reflect.Array {
		return fmt.Errorf("%s needs a list of numbers, got %s", fn, value.Describe(list))
	}
	for i := 0; i < v.Len(); i++ {
		e := v.Index(i).Interface()
		if n, ok := intOf(e); ok {
			f(n)
			continue
		}
		switch x := e.(type) {
		case float64:
			f(x)
			continue
		case float32:
			f(float64(x))
			continue
		case nil:
			return fmt.Errorf("%s: element %d of the list is null; leave nulls out, e.g. filter(list, # != nil)", fn, i)
		}
		if isIntKind(e) {
			return beyondInt(e)
		}
		if k := reflect.ValueOf(e).Kind(); depth > 0 && (k == reflect.Slice || k == reflect.Array) {
			if depth > maxFlatten {
				return fmt.Errorf("%s: lists nested more than %d deep", fn, maxFlatten)
			}
			if err := eachNumber(fn, e, depth+1, f); err != nil {
				return err
			}
			continue
		}
		return fmt.Errorf("%s needs numbers, but element %d of the list is %s", fn, i, value.Describe(e))
	}
	return nil
}

const maxFlatten = 100

// slowArith is a op b for operands that are not both ints: other integer
// types (checked as ints, the result typed as expr-lang types it), floats,
// dates, durations and strings.
func slowArith(op string, a, b any) (any, error) {
	if a == nil || b == nil {
		return nil, nil
	}
	if isIntKind(a) && isIntKind(b) {
		ab, err := ints(a, b)
		if err != nil {
			return nil, err
		}
		var ok bool
		switch op {
		case "+":
			s := ab[0] + ab[1]
			ok = (s > ab[0]) == (ab[1] > 0)
		case "-":
			s := ab[0] - ab[1]
			ok = (s < ab[0]) == (ab[1] > 0)
		case "*":
			_, ok = mulInt(ab[0], ab[1])
		}
		if !ok {
			_, ad := a.(time.Duration)
			_, bd := b.(time.Duration)
			if ad || bd {
				return nil, arithErrorf("%v %s %v is beyond the longest duration, about 292 years", a, op, b)
			}
			return nil, binaryOverflow(ab[0], op, ab[1])
		}
	}
	var r any
	switch op {
	case "+":
		r = runtime.Add(a, b)
	case "-":
		if t, ok := a.(time.Time); ok {
			switch u := b.(type) {
			case time.Duration:
				if u == math.MinInt64 {
					return nil, arithErrorf("subtracting %s is beyond the longest duration", u)
				}
			case time.Time:
				// Time.Sub saturates at the longest duration, about 292
				// years, instead of failing.
				if d := t.Sub(u); d == math.MaxInt64 || d == math.MinInt64 {
					return nil, arithErrorf("%s - %s is beyond the longest duration, about 292 years (compare the years instead: a.Year() - b.Year())", t.Format(time.DateOnly), u.Format(time.DateOnly))
				}
			}
		}
		r = runtime.Subtract(a, b)
	default:
		r = runtime.Multiply(a, b)
	}
	if f, ok := r.(float64); ok && f-f != 0 {
		return finite(f, a, op, b)
	}
	return r, nil // boxed once, by expr-lang
}

// ints returns a and b as ints, or an error for one beyond the int range.
func ints(a, b any) ([2]int, error) {
	var out [2]int
	for i, v := range []any{a, b} {
		n, ok := intOf(v)
		if !ok && isIntKind(v) {
			return out, beyondInt(v)
		}
		out[i] = n
	}
	return out, nil
}

// intOf returns v as an int when it is an integer that fits in one.
func intOf(v any) (int, bool) {
	switch x := v.(type) {
	case int:
		return x, true
	case int64:
		return int(x), true
	case int32:
		return int(x), true
	case int16:
		return int(x), true
	case int8:
		return int(x), true
	case uint8:
		return int(x), true
	case uint16:
		return int(x), true
	case uint32:
		return int(x), true
	case uint:
		return int(x), x <= math.MaxInt64
	case uint64:
		return int(x), x <= math.MaxInt64
	case time.Duration:
		return int(x), true
	case nil, float64, string, bool, time.Time:
		return 0, false
	}
	r := reflect.ValueOf(v)
	switch r.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return int(r.Int()), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return int(r.Uint()), r.Uint() <= math.MaxInt64
	}
	return 0, false
}

// isIntKind reports whether v is of an integer type.
func isIntKind(v any) bool {
	if v == nil {
		return false
	}
	switch reflect.ValueOf(v).Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return true
	}
	return false
}

func formatFloat(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
