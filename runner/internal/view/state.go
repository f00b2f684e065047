package view

import (
	"errors"
	"fmt"
	"math"
	"math/big"

	"galley/runner/internal/analysis"
	"galley/runner/internal/expression"
	"galley/runner/internal/position"
	"galley/runner/internal/value"
)

// aggCall is one aggregate call of an aggregate: or window expression,
// compiled.
type aggCall struct {
	pos  position.Pos // of the call, for errors
	what string       // "aggregate total", for errors
	src  string       // the arguments as written, for errors
	fn   string
	args []*expression.Program // row expressions; nil where the argument is a literal
	in   [][]int               // for each argument, the columns it reads
	col  []int                 // for each argument, the column it is when it is nothing but one; else -1
	p    float64               // quantile's p
	typ  analysis.ColumnType   // result type
	name string                // identifier in the outer expression
	slot int                   // the state it reads (Plan.slots), shared by equal calls
}

// slotKey is what two calls must share to share a state: quantiles and
// medians of one argument keep its values once.
func (c *aggCall) slotKey() string {
	switch c.fn {
	case "median", "quantile":
		return "values(" + c.argSrc(0) + ")"
	}
	return c.fn + "(" + c.src + ")"
}

func (c *aggCall) argSrc(i int) string {
	if i < len(c.args) && c.args[i] != nil {
		return c.args[i].Src.Src
	}
	return ""
}

// state is the running state of one aggregate call in one group (or one
// window partition). Every part of it merges exactly (merge): counts add,
// sums are exact (expression.Sum), values are kept, so that a file read in
// chunks gives the very result of one pass.
type state struct {
	n        int
	sum      expression.Sum // sum, mean, sum_if; Σx of the moments
	float    bool           // a float was summed
	vals     values         // median and quantile: every value, listed or counted
	distinct map[string]struct{}
	modes    map[string]*modeCount
	mom      *moments // stddev, variance, corr, weighted_mean
	v        any      // min, max, first, last
	set      bool
}

// moments are the exact sums stddev, variance, corr and weighted_mean
// are computed from, with state.sum (Σx, or Σw for weighted_mean) and
// state.n.
type moments struct {
	xx, y, yy, xy expression.Sum // Σx², Σy, Σy², Σxy (Σx·w for weighted_mean)
}

type modeCount struct {
	v any
	n int
}

// errRange is a result beyond the range of its type, which the caller
// explains (Run.aggregateError).
var errRange = errors.New("beyond the range of its type")

func number(fn string, v any) error {
	switch v.(type) {
	case int, float64:
		return nil
	}
	return fmt.Errorf("%s needs numbers, got %s", fn, value.Describe(v))
}

// add adds one row's argument values (none for count()). Nulls are
// skipped as every aggregate skips them: a pair with a null (corr,
// weighted_mean) is skipped whole; count_if counts only a true condition.
func (s *state) add(fn string, vals []any) error {
	if fn == "count" && len(vals) == 0 {
		s.n++ // count() counts rows
		return nil
	}
	if fn == "count_if" {
		if b, _ := vals[0].(bool); b {
			s.n++
		} else if vals[0] != nil {
			if _, ok := vals[0].(bool); !ok {
				return fmt.Errorf("count_if needs true or false, got %s", value.Describe(vals[0]))
			}
		}
		return nil
	}
	if fn == "sum_if" {
		b, ok := vals[1].(bool)
		if !ok && vals[1] != nil {
			return fmt.Errorf("sum_if needs true or false as its condition, got %s", value.Describe(vals[1]))
		}
		if !b {
			return nil
		}
		fn, vals = "sum", vals[:1]
	}
	for _, v := range vals {
		if v == nil {
			return nil
		}
	}
	v := vals[0]
	switch fn {
	case "count":
		s.n++
	case "count_distinct":
		if s.distinct == nil {
			s.distinct = map[string]struct{}{}
		}
		s.distinct[string(value.AppendKey(nil, v))] = struct{}{}
	case "sum", "mean":
		s.n++
		switch x := v.(type) {
		case int:
			s.sum.AddInt(x)
		case float64:
			s.sum.AddFloat(x)
			s.float = true
		default:
			return fmt.Errorf("%s needs numbers, got %s", fn, value.Describe(v))
		}
	case "median", "quantile":
		switch x := v.(type) {
		case int:
			s.vals.add(float64(x))
		case float64:
			s.vals.add(x)
		default:
			return fmt.Errorf("%s needs numbers, got %s", fn, value.Describe(v))
		}
	case "stddev", "variance":
		if err := number(fn, v); err != nil {
			return err
		}
		if s.mom == nil {
			s.mom = &moments{}
		}
		if !s.mom.xx.AddProduct(v, v) {
			return fmt.Errorf("%s: the square of %s is beyond the float range", fn, value.Text(v))
		}
		s.addNumber(v)
	case "corr", "weighted_mean":
		w := vals[1]
		if err := number(fn, v); err != nil {
			return err
		}
		if err := number(fn, w); err != nil {
			return err
		}
		if s.mom == nil {
			s.mom = &moments{}
		}
		if !s.mom.xy.AddProduct(v, w) {
			return fmt.Errorf("%s: %s × %s is beyond the float range", fn, value.Text(v), value.Text(w))
		}
		if fn == "weighted_mean" {
			s.addNumber(w) // Σw
			return nil
		}
		if !s.mom.xx.AddProduct(v, v) || !s.mom.yy.AddProduct(w, w) {
			return fmt.Errorf("%s: the square of %s or %s is beyond the float range", fn, value.Text(v), value.Text(w))
		}
		addTo(&s.mom.y, w)
		s.addNumber(v)
	case "mode":
		if s.modes == nil {
			s.modes = map[string]*modeCount{}
		}
		k := string(value.AppendKey(nil, v))
		if m := s.modes[k]; m != nil {
			m.n++
		} else {
			s.modes[k] = &modeCount{v: v, n: 1}
		}
	case "min":
		if !s.set || value.Compare(v, s.v) < 0 {
			s.v, s.set = v, true
		}
	case "max":
		if !s.set || value.Compare(v, s.v) > 0 {
			s.v, s.set = v, true
		}
	case "first":
		if !s.set {
			s.v, s.set = v, true
		}
	case "last":
		s.v, s.set = v, true
	}
	return nil
}

// addNumber counts v and adds it to the sum.
func (s *state) addNumber(v any) {
	s.n++
	addTo(&s.sum, v)
}

func addTo(sum *expression.Sum, v any) {
	switch x := v.(type) {
	case int:
		sum.AddInt(x)
	case float64:
		sum.AddFloat(x)
	}
}

// result is the aggregate's value: null for no rows (count and count_if
// give 0). A result beyond its type's range is refused with errRange,
// which the caller explains.
func (s *state) result(c *aggCall) (any, error) {
	switch c.fn {
	case "count", "count_if":
		return s.n, nil
	case "count_distinct":
		return len(s.distinct), nil
	case "sum", "sum_if":
		if s.n == 0 {
			return nil, nil
		}
		if c.typ == analysis.TypeInt && !s.float {
			if n, ok := s.sum.Int(); ok {
				return n, nil
			}
			return nil, errRange
		}
		if f, ok := s.sum.Float(); ok {
			return f, nil
		}
		return nil, errRange
	case "mean":
		if s.n == 0 {
			return nil, nil
		}
		return s.sum.Mean(s.n), nil
	case "median":
		if s.vals.n == 0 {
			return nil, nil
		}
		return s.vals.median(), nil
	case "quantile":
		if s.vals.n == 0 {
			return nil, nil
		}
		return s.vals.quantile(c.p), nil
	case "variance", "stddev":
		if s.n < 2 {
			return nil, nil
		}
		return finite(variance(s, c.fn == "stddev"))
	case "corr":
		if s.n < 2 {
			return nil, nil
		}
		r, ok := correlation(s)
		if !ok {
			return nil, nil
		}
		return r, nil
	case "weighted_mean":
		if s.n == 0 {
			return nil, nil
		}
		w := s.sum.Exact()
		if w.Sign() == 0 {
			return nil, nil // the weights add to zero: no mean
		}
		q, _ := new(big.Float).SetPrec(256).Quo(s.mom.xy.Exact(), w).Float64()
		return finite(q)
	case "mode":
		var best *modeCount
		for _, m := range s.modes {
			if best == nil || m.n > best.n || m.n == best.n && value.Compare(m.v, best.v) < 0 {
				best = m
			}
		}
		if best == nil {
			return nil, nil
		}
		return best.v, nil
	}
	if !s.set {
		return nil, nil
	}
	return s.v, nil
}

func finite(f float64) (any, error) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return nil, errRange
	}
	return f, nil
}

// Exact statistics: the sums are exact, and each result is computed from
// them in big.Float and rounded once, so it is the same whatever the order
// of the rows, and free of the cancellation of the textbook formulas.
const statPrec = 5000 // bits: the square of an exact float sum, and more

func bigInt(n int) *big.Float { return new(big.Float).SetPrec(statPrec).SetInt64(int64(n)) }

// spread is n·Σx² − (Σx)², exactly: n(n−1) times the sample variance.
func spread(n int, sum, squares *expression.Sum) *big.Float {
	x := sum.Exact()
	q := new(big.Float).SetPrec(statPrec).Mul(bigInt(n), squares.Exact())
	return q.Sub(q, new(big.Float).SetPrec(statPrec).Mul(x, x))
}

// variance is the sample variance (n − 1 in the divisor), or its square
// root, the sample standard deviation.
func variance(s *state, root bool) float64 {
	v := spread(s.n, &s.sum, &s.mom.xx)
	v.Quo(v, bigInt(s.n*(s.n-1)))
	if root {
		v = new(big.Float).SetPrec(256).Sqrt(new(big.Float).SetPrec(256).Set(v))
	}
	f, _ := v.Float64()
	return f
}

// correlation is Pearson's r; false when either side does not vary.
func correlation(s *state) (float64, bool) {
	n := bigInt(s.n)
	dx := spread(s.n, &s.sum, &s.mom.xx)
	dy := spread(s.n, &s.mom.y, &s.mom.yy)
	if dx.Sign() <= 0 || dy.Sign() <= 0 {
		return 0, false
	}
	num := new(big.Float).SetPrec(statPrec).Mul(n, s.mom.xy.Exact())
	num.Sub(num, new(big.Float).SetPrec(statPrec).Mul(s.sum.Exact(), s.mom.y.Exact()))
	den := new(big.Float).SetPrec(256).Sqrt(new(big.Float).SetPrec(256).Set(dx))
	den.Mul(den, new(big.Float).SetPrec(256).Sqrt(new(big.Float).SetPrec(256).Set(dy)))
	r, _ := new(big.Float).SetPrec(256).Quo(num, den).Float64()
	return math.Max(-1, math.Min(1, r)), true
}

// merge folds the state of a later part of the same input into s.
func (s *state) merge(fn string, o *state) {
	switch fn {
	case "count", "count_if":
		s.n += o.n
	case "count_distinct":
		if s.distinct == nil {
			s.distinct = map[string]struct{}{}
		}
		for k := range o.distinct {
			s.distinct[k] = struct{}{}
		}
	case "sum", "mean", "sum_if":
		s.n += o.n
		s.sum.Merge(&o.sum)
		s.float = s.float || o.float
	case "median", "quantile":
		s.vals.merge(&o.vals)
	case "stddev", "variance", "corr", "weighted_mean":
		s.n += o.n
		s.sum.Merge(&o.sum)
		if o.mom != nil {
			if s.mom == nil {
				s.mom = &moments{}
			}
			s.mom.xx.Merge(&o.mom.xx)
			s.mom.y.Merge(&o.mom.y)
			s.mom.yy.Merge(&o.mom.yy)
			s.mom.xy.Merge(&o.mom.xy)
		}
	case "mode":
		if s.modes == nil {
			s.modes = map[string]*modeCount{}
		}
		for k, m := range o.modes {
			if mine := s.modes[k]; mine != nil {
				mine.n += m.n
			} else {
				s.modes[k] = m
			}
		}
	case "min":
		if o.set && (!s.set || value.Compare(o.v, s.v) < 0) {
			s.v, s.set = o.v, true
		}
	case "max":
		if o.set && (!s.set || value.Compare(o.v, s.v) > 0) {
			s.v, s.set = o.v, true
		}
	case "first":
		if !s.set && o.set {
			s.v, s.set = o.v, true
		}
	case "last":
		if o.set {
			s.v, s.set = o.v, true
		}
	}
}
