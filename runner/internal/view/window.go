package view

import (
	"fmt"
	"math"
	"slices"
	"sort"

	"galley/runner/internal/analysis"
	"galley/runner/internal/expression"
	"galley/runner/internal/position"
	"galley/runner/internal/suggest"
	"galley/runner/internal/table"
	"galley/runner/internal/value"
)

// windowPlan computes columns over each row's partition, the rows seen in
// the window's order; the rows keep their own order.
type windowPlan struct {
	part    []int      // the partition_by columns, in the window's input
	order   []orderKey // the window's order_by, in its input
	derives []*windowDerive
}

// windowDerive is one column of a window's derive: an expression over the
// row's columns and the results of its window and aggregate calls.
type windowDerive struct {
	name  string
	pos   position.Pos
	calls []*winCall
	outer *expression.Program
	in    []int // the columns outer reads
}

// winCall is one window or aggregate call of a window's derive.
type winCall struct {
	fn    string
	pos   position.Pos
	what  string
	ident string
	typ   analysis.ColumnType
	x     *expression.Program // the first argument (x of lag(x), cumsum(x)...); nil for rank() and friends
	xIn   []int
	def   *expression.Program // lag's and lead's default
	defIn []int
	n     int      // ntile's n, lag's and lead's offset, moving_mean's width
	agg   *aggCall // an aggregate over the whole partition
}

func compileWindow(v *analysis.View, in []table.Column) (*windowPlan, []table.Column, error) {
	w := v.Window
	what := fmt.Sprintf("view %q: window", v.Name)
	var errs position.List
	wp := &windowPlan{}
	for _, r := range w.PartitionBy {
		i := index(in, r.Name)
		if i < 0 {
			errs.Append(position.Errorf(r.Pos, "%s: partition_by: unknown column %q", what, r.Name).Span(len(r.Name)).Hinted(suggest.DidYouMean(r.Name, names(in))))
			continue
		}
		wp.part = append(wp.part, i)
	}
	for _, k := range w.OrderBy {
		i := index(in, k.Name)
		if i < 0 {
			errs.Append(position.Errorf(k.Pos, "%s: order_by: unknown column %q", what, k.Name).Span(len(k.Name)).Hinted(suggest.DidYouMean(k.Name, names(in))))
			continue
		}
		wp.order = append(wp.order, orderKey{idx: i, desc: k.Desc})
	}
	if len(errs) > 0 {
		return nil, nil, errs.Err()
	}
	cols := append([]table.Column(nil), in...)
	for _, d := range w.Derive {
		dwhat := "window: derive " + d.Name
		if index(cols, d.Name) >= 0 {
			errs.Add(d.Pos, "%s: derive %s: a column named %q already exists; choose another name", what, d.Name, d.Name)
			continue
		}
		if expression.Reserved(d.Name) {
			errs.Add(d.Pos, "%s: derive %s: %q is an expression keyword or operator, never read as a name; choose another name", what, d.Name, d.Name)
			continue
		}
		calls, err := expression.SplitWindow(d.Expr, dwhat)
		if err != nil {
			errs = append(errs, position.Errors(err)...)
			continue
		}
		wd := &windowDerive{name: d.Name, pos: d.Pos}
		env := rowEnvFor(d.Expr, cols)
		bad := false
		for _, c := range calls {
			wc, err := compileWinCall(c, dwhat, cols, env, len(wp.order) > 0)
			if err != nil {
				errs = append(errs, position.Errors(err)...)
				bad = true
				continue
			}
			wd.calls = append(wd.calls, wc)
		}
		if bad {
			continue
		}
		outer := rowEnvFor(d.Expr, cols)
		for _, c := range wd.calls {
			outer.AddColumn(c.ident, c.typ)
		}
		prog, err := expression.CompileWindow(d.Expr, dwhat, outer)
		if err != nil {
			errs = append(errs, position.Errors(err)...)
			continue
		}
		wd.outer, wd.in = prog, reads(cols, prog)
		wp.derives = append(wp.derives, wd)
		cols = append(cols, table.Column{Name: d.Name, Type: prog.Type, Pos: d.Pos})
	}
	return wp, cols, errs.Err()
}

// compileWinCall compiles one call of a window's derive over cols.
func compileWinCall(c expression.Call, what string, cols []table.Column, env *expression.Env, ordered bool) (*winCall, error) {
	wc := &winCall{fn: c.Func, pos: c.Pos, what: what, ident: c.Ident}
	if slices.Contains(expression.Aggregates, c.Func) {
		ac, err := compileCall(c, what, cols, env)
		if err != nil {
			return nil, err
		}
		wc.agg, wc.typ = ac, ac.typ
		return wc, nil
	}
	var errs position.List
	compileArg := func(i int) (*expression.Program, []int) {
		prog, err := expression.Compile(*c.Args[i], what+": "+c.Func, env, expression.AnyResult)
		if err != nil {
			errs = append(errs, position.Errors(err)...)
			return nil, nil
		}
		return prog, reads(cols, prog)
	}
	switch c.Func {
	case "row_number", "rank", "dense_rank", "percent_rank", "ntile":
		wc.typ = analysis.TypeInt
		if c.Func == "percent_rank" {
			wc.typ = analysis.TypeFloat
		}
		wc.n = c.Int(0, 0)
		if !ordered && c.Func != "row_number" && c.Func != "ntile" {
			// Every row is a peer of every other: rank() is 1 throughout.
			// Allowed, as in SQL, but it is nearly always a mistake.
			errs.Add(c.Pos, "%s: %s() ranks by the window's order_by, and the window has none: every row would rank 1; add order_by to the window, e.g. order_by: [-%s]", what, c.Func, firstNumeric(cols))
		}
		return wc, errs.Err()
	}
	wc.x, wc.xIn = compileArg(0)
	if wc.x == nil {
		return nil, errs.Err()
	}
	wc.typ = wc.x.Type
	numeric := func() {
		if t := wc.x.Type; !t.Numeric() && t != analysis.TypeAny {
			errs.Add(c.Pos, "%s: %s needs numbers, but %s is %s", what, c.Func, c.Args[0].Src, t)
		}
	}
	switch c.Func {
	case "lag", "lead":
		wc.n = c.Int(1, 1)
		if len(c.Args) == 3 {
			wc.def, wc.defIn = compileArg(2)
			if wc.def != nil {
				dt := wc.def.Type
				switch {
				case dt == wc.typ || dt == analysis.TypeAny || wc.typ == analysis.TypeAny:
				case dt == analysis.TypeInt && wc.typ == analysis.TypeFloat:
				default:
					errs.Add(c.Args[2].Pos, "%s: %s: the default %s is %s, but %s is %s; give a default of the same type", what, c.Func, c.Args[2].Src, dt, c.Args[0].Src, wc.typ)
				}
			}
		}
	case "cumsum", "moving_sum":
		numeric()
		if wc.typ == analysis.TypeAny {
			wc.typ = analysis.TypeFloat
		}
		wc.n = c.Int(1, 0)
	case "moving_mean":
		numeric()
		wc.typ = analysis.TypeFloat
		wc.n = c.Int(1, 0)
	}
	return wc, errs.Err()
}

// windowRun computes a window over rows, the view's rows at that step.
type windowRun struct {
	r    *Run
	wp   *windowPlan
	cols []table.Column // the window's input and the columns derived so far
	env  map[string]any
}

// eval runs prog over row, which holds cols.
func (w *windowRun) eval(prog *expression.Program, in []int, row []any) (any, error) {
	for _, i := range in {
		w.env[w.cols[i].Name] = row[i]
	}
	var v any
	var err error
	if hasNull(row, in) {
		v, err = w.r.vm.Eval(prog, w.env)
	} else {
		v, err = w.r.vm.EvalPresent(prog, w.env)
	}
	return value.Normalize(v), err
}

// runWindow extends each row with the window's columns. Each partition
// is ordered once; each column is computed for every row before the next
// one, which may read it.
func (r *Run) runWindow(rows [][]any, in []table.Column) ([][]any, error) {
	wp := r.p.window
	width := len(in) + len(wp.derives)
	for i, row := range rows {
		wide := make([]any, len(row), width)
		copy(wide, row)
		rows[i] = wide
	}
	parts := partitions(rows, wp)
	w := &windowRun{r: r, wp: wp, cols: append([]table.Column(nil), in...), env: map[string]any{}}
	for _, d := range wp.derives {
		results := make([][]any, len(d.calls))
		for k, c := range d.calls {
			res := make([]any, len(rows))
			for _, part := range parts {
				if err := w.call(c, rows, part, res); err != nil {
					return nil, err
				}
			}
			results[k] = res
		}
		for i, row := range rows {
			for k, c := range d.calls {
				w.env[c.ident] = results[k][i]
			}
			in := d.in
			v, err := w.eval(d.outer, in, row)
			if err != nil {
				return nil, withRow(err, func() string { return fmt.Sprintf("row %d of the window", i+1) })
			}
			if !value.IsScalar(v) {
				return nil, position.Errorf(d.pos, "view %q: window: derive %s gives %s, not one value", r.p.View.Name, d.name, value.Describe(v))
			}
			rows[i] = append(row, v)
		}
		w.cols = append(w.cols, table.Column{Name: d.name, Type: d.outer.Type})
	}
	return rows, nil
}

// partitions splits rows by the partition_by columns, each partition's
// rows in the window's order: by order_by, ties in the rows' own order.
func partitions(rows [][]any, wp *windowPlan) [][]int {
	byKey := map[string]int{}
	var parts [][]int
	var key []byte
	for i, row := range rows {
		key = appendKey(key[:0], row, wp.part)
		k, ok := byKey[string(key)]
		if !ok {
			k = len(parts)
			byKey[string(key)] = k
			parts = append(parts, nil)
		}
		parts[k] = append(parts[k], i)
	}
	if len(wp.order) > 0 {
		for _, part := range parts {
			sort.SliceStable(part, func(a, b int) bool { return compareKeys(rows[part[a]], rows[part[b]], wp.order) < 0 })
		}
	}
	return parts
}

// compareKeys orders two rows by keys: nulls last, descending too.
func compareKeys(a, b []any, keys []orderKey) int {
	for _, k := range keys {
		c := value.Compare(a[k.idx], b[k.idx])
		if k.desc {
			c = -descNulls(a[k.idx], b[k.idx], c)
		}
		if c != 0 {
			return c
		}
	}
	return 0
}

// call computes c for the rows of one partition, in window order, into
// res by row.
func (w *windowRun) call(c *winCall, rows [][]any, part []int, res []any) error {
	m := len(part)
	fail := func(i int, err error) error {
		return withRow(position.Errorf(c.pos, "%s: %v", c.what, err), func() string { return fmt.Sprintf("row %d of the window", part[i]+1) })
	}
	// x, evaluated for each row of the partition.
	var xs []any
	if c.x != nil {
		xs = make([]any, m)
		for k, i := range part {
			v, err := w.eval(c.x, c.xIn, rows[i])
			if err != nil {
				return withRow(err, func() string { return fmt.Sprintf("row %d of the window", i+1) })
			}
			xs[k] = v
		}
	}
	peer := func(k int) bool { return k > 0 && compareKeys(rows[part[k-1]], rows[part[k]], w.wp.order) == 0 }
	switch c.fn {
	case "row_number":
		for k, i := range part {
			res[i] = k + 1
		}
	case "rank", "percent_rank":
		rank := 0
		for k, i := range part {
			if !peer(k) {
				rank = k + 1
			}
			if c.fn == "rank" {
				res[i] = rank
			} else if m == 1 {
				res[i] = 0.0
			} else {
				res[i] = float64(rank-1) / float64(m-1)
			}
		}
	case "dense_rank":
		rank := 0
		for k, i := range part {
			if !peer(k) {
				rank++
			}
			res[i] = rank
		}
	case "ntile":
		// As SQL: the first m % n buckets hold one row more.
		n := min(c.n, m)
		size, large := m/n, m%n
		for k, i := range part {
			if k < large*(size+1) {
				res[i] = 1 + k/(size+1)
			} else {
				res[i] = 1 + large + (k-large*(size+1))/size
			}
		}
	case "lag", "lead":
		for k, i := range part {
			j := k - c.n
			if c.fn == "lead" {
				j = k + c.n
			}
			switch {
			case j >= 0 && j < m:
				res[i] = xs[j]
			case c.def != nil:
				v, err := w.eval(c.def, c.defIn, rows[i])
				if err != nil {
					return withRow(err, func() string { return fmt.Sprintf("row %d of the window", i+1) })
				}
				if n, ok := v.(int); ok && c.typ == analysis.TypeFloat {
					v = float64(n)
				}
				res[i] = v
			default:
				res[i] = nil
			}
		}
	case "first_value", "last_value":
		v := xs[0]
		if c.fn == "last_value" {
			v = xs[m-1]
		}
		for _, i := range part {
			res[i] = v
		}
	case "cumsum":
		var s state
		for k, i := range part {
			if xs[k] != nil {
				if err := s.add("sum", xs[k:k+1]); err != nil {
					return fail(k, err)
				}
			}
			v, err := s.result(&aggCall{fn: "sum", typ: c.typ})
			if err != nil {
				return fail(k, fmt.Errorf("the running sum passes the range of %s", c.typ))
			}
			res[i] = v
		}
	case "cummax", "cummin":
		var best any
		for k, i := range part {
			if x := xs[k]; x != nil {
				cmp := value.Compare(x, best)
				if best == nil || c.fn == "cummax" && cmp > 0 || c.fn == "cummin" && cmp < 0 {
					best = x
				}
			}
			res[i] = best
		}
	case "fill_down":
		// tidyr's fill, down: the last value seen, for the nulls after it.
		var last any
		for k, i := range part {
			if xs[k] != nil {
				last = xs[k]
			}
			res[i] = last
		}
	case "fill_up":
		var next any
		for k := m - 1; k >= 0; k-- {
			if xs[k] != nil {
				next = xs[k]
			}
			res[part[k]] = next
		}
	case "moving_mean", "moving_sum":
		return w.moving(c, part, xs, res, fail)
	default:
		var s state
		vals := make([]any, 0, len(c.agg.args))
		for k, i := range part {
			vals = vals[:0]
			for a, prog := range c.agg.args {
				if prog == nil {
					continue
				}
				v, err := w.eval(prog, c.agg.in[a], rows[i])
				if err != nil {
					return withRow(err, func() string { return fmt.Sprintf("row %d of the window", i+1) })
				}
				vals = append(vals, v)
			}
			if len(c.agg.args) == 0 {
				vals = vals[:0]
			}
			if err := s.add(c.agg.fn, vals); err != nil {
				return fail(k, err)
			}
		}
		v, err := s.result(c.agg)
		if err != nil {
			return position.Errorf(c.pos, "%s: %s(%s) over a partition is beyond the range of its type", c.what, c.fn, c.agg.src)
		}
		for _, i := range part {
			res[i] = v
		}
	}
	return nil
}

// moving computes moving_mean(x, n) and moving_sum(x, n): over this row
// and the n - 1 before it in the partition, nulls skipped; null while
// fewer than n rows have passed, and when all n are null. The sum of the
// window is exact, kept by adding the row that enters and taking away the
// one that leaves.
func (w *windowRun) moving(c *winCall, part []int, xs, res []any, fail func(int, error) error) error {
	var sum expression.Sum
	count := 0
	for k, i := range part {
		if x := xs[k]; x != nil {
			if err := addSigned(&sum, x, false); err != nil {
				return fail(k, err)
			}
			count++
		}
		if k >= c.n {
			if x := xs[k-c.n]; x != nil {
				if err := addSigned(&sum, x, true); err != nil {
					return fail(k, err)
				}
				count--
			}
		}
		if k < c.n-1 || count == 0 {
			res[i] = nil
			continue
		}
		if c.fn == "moving_mean" {
			res[i] = sum.Mean(count)
			continue
		}
		if c.typ == analysis.TypeInt {
			n, ok := sum.Int()
			if !ok {
				return fail(k, fmt.Errorf("the sum of the window is beyond the int range"))
			}
			res[i] = n
			continue
		}
		f, ok := sum.Float()
		if !ok {
			return fail(k, fmt.Errorf("the sum of the window is beyond the float range"))
		}
		res[i] = f
	}
	return nil
}

// addSigned adds x to sum, or takes it away, exactly.
func addSigned(sum *expression.Sum, x any, minus bool) error {
	switch v := x.(type) {
	case int:
		if !minus {
			sum.AddInt(v)
		} else if v == math.MinInt64 {
			sum.AddInt(math.MaxInt64)
			sum.AddInt(1)
		} else {
			sum.AddInt(-v)
		}
	case float64:
		if minus {
			v = -v
		}
		sum.AddFloat(v)
	default:
		return fmt.Errorf("needs numbers, got %s", value.Describe(x))
	}
	return nil
}
