package view

import (
	"fmt"
	"strings"
	"sync/atomic"

	"galley/runner/internal/analysis"
	"galley/runner/internal/expression"
	"galley/runner/internal/position"
	"galley/runner/internal/suggest"
	"galley/runner/internal/table"
)

// Plan is a compiled view.
type Plan struct {
	View *analysis.View
	// Input is what the view reads, before the join: for an append, the
	// columns its inputs share (and from_column), in the first input's order.
	Input []table.Column
	// Sources are the columns of each input of an append, in order; nil
	// for a view of one input.
	Sources [][]table.Column
	Output  []table.Column
	// Keys are the output columns that identify a row, when some do: the
	// group_by columns, a pivot's row keys, or, for distinct rows, every
	// column. `galley diff` matches rows by them.
	Keys []string

	appendIdx [][]int  // for each source, the index in it of each Input column (but from_column)
	widen     [][]bool // for each source, the Input columns whose ints become floats
	join      *joinPlan
	unpivot   *unpivotPlan
	baseLen   int            // Input and joined columns: the row before unpivot
	rowCols   []table.Column // the row after unpivot, and derived: what row expressions see
	envCols   []int          // the rowCols some row expression reads
	wheres    []where        // in file order
	derive    []*expression.Program
	deriveIn  [][]int // for each derive, the rowCols it reads
	groupIdx  []int   // indexes into rowCols
	aggs      []aggregate
	slots     []*aggCall // the calls that own a state, one per distinct call
	// groupsSeen is how many groups the last part of a file merged had:
	// the size a new run's map of groups starts at, so that a part that
	// meets thousands of groups does not grow its map step by step. It
	// sizes a map, never changes a result.
	groupsSeen atomic.Int64
	pivot      *pivotPlan
	stepCols   []table.Column // the row after group_by or pivot: what complete and window see
	complete   *completePlan
	window     *windowPlan
	selectIdx  []int // indexes into the pre-select output
	distinct   bool
	order      []orderKey
}

// where is one test of a where clause: the whole clause, or one of its
// conjuncts (expression.Program.Conjuncts), in order.
type where struct {
	prog  *expression.Program
	index int  // position of the clause in View.Where, for counts
	last  bool // the clause's last test: a row that passes it passes the clause
	late  bool // reads a derived column, so the derives run before it
	reads []int
}

type joinPlan struct {
	view    string
	onIn    []int // key indexes in the input
	onOut   []int // key indexes in the lookup table's columns
	take    []int // lookup column indexes appended to each row
	lookCol []table.Column
}

type aggregate struct {
	name  string
	calls []*aggCall
	outer *expression.Program
	typ   analysis.ColumnType
}

type orderKey struct {
	idx  int
	desc bool
}

// Compile resolves and compiles v over input. lookup gives the output
// columns of another view by name, for joins.
func Compile(v *analysis.View, input []table.Column, lookup func(name string) ([]table.Column, bool)) (*Plan, error) {
	return CompileSources(v, [][]table.Column{input}, lookup)
}

// CompileSources compiles v over the columns of each of its inputs: one
// for a view, several for an append (from: [a, b]).
func CompileSources(v *analysis.View, sources [][]table.Column, lookup func(name string) ([]table.Column, bool)) (*Plan, error) {
	p := &Plan{View: v}
	var errs position.List
	add := func(err error) {
		for _, e := range position.Errors(err) {
			errs = append(errs, e)
		}
	}
	what := fmt.Sprintf("view %q", v.Name)

	if v.Append {
		input, err := p.compileAppend(sources)
		if err != nil {
			return nil, err
		}
		p.Input = input
	} else {
		p.Input = sources[0]
	}
	cols := append([]table.Column(nil), p.Input...)
	if v.Join != nil {
		j, joined, err := compileJoin(v, cols, lookup)
		add(err)
		p.join = j
		cols = append(cols, joined...)
	}
	p.baseLen = len(cols)
	if v.Unpivot != nil {
		u, out, err := compileUnpivot(v, cols)
		if err != nil {
			return nil, err
		}
		p.unpivot, cols = u, out
	}

	// Derived columns first (each sees the ones before it), so that a where
	// may filter on a derived column; wheres that do not need one run first.
	base := len(cols)
	for _, d := range v.Derive {
		if i := index(cols, d.Name); i >= 0 {
			errs.Add(d.Pos, "%s: derive %s: a column named %q already exists; choose another name", what, d.Name, d.Name)
			continue
		}
		if expression.Reserved(d.Name) {
			errs.Add(d.Pos, "%s: derive %s: %q is an expression keyword or operator, never read as a name; choose another name", what, d.Name, d.Name)
			continue
		}
		prog, err := expression.Compile(d.Expr, "derive "+d.Name, rowEnvFor(d.Expr, cols), expression.AnyResult)
		if err != nil {
			add(err)
			continue
		}
		p.derive = append(p.derive, prog)
		p.deriveIn = append(p.deriveIn, reads(cols, prog))
		cols = append(cols, table.Column{Name: d.Name, Type: prog.Type, Pos: d.Pos})
	}
	if len(errs) > 0 {
		return nil, errs.Err()
	}
	p.rowCols = cols
	derived := map[string]bool{}
	for _, c := range cols[base:] {
		derived[c.Name] = true
	}
	for i, w := range v.Where {
		prog, err := expression.Compile(w, "where", rowEnvFor(w, cols), expression.BoolResult)
		if err != nil {
			add(err)
			continue
		}
		// Each conjunct is a test of its own, so that a row the first
		// fails never has the others' columns put in the environment.
		parts := prog.Conjuncts()
		for k, part := range parts {
			late := false
			for _, r := range part.Refs {
				late = late || derived[r]
			}
			p.wheres = append(p.wheres, where{prog: part, index: i, last: k == len(parts)-1, late: late, reads: reads(cols, part)})
		}
	}

	out := cols
	switch {
	case v.Pivot != nil:
		pv, pout, err := compilePivot(v, cols)
		if err != nil {
			add(err)
			break
		}
		p.pivot, out = pv, pout
		for _, i := range pv.keyIdx {
			p.Keys = append(p.Keys, cols[i].Name)
		}
	case len(v.GroupBy) > 0 || len(v.Aggregate) > 0:
		out = nil
		keyEnv := expression.NewEnv("group key")
		for _, g := range v.GroupBy {
			i := index(cols, g.Name)
			if i < 0 {
				errs.Add(g.Pos, "%s: group_by: unknown column %q%s", what, g.Name, suggest.Hint(g.Name, names(cols)))
				continue
			}
			p.groupIdx = append(p.groupIdx, i)
			p.Keys = append(p.Keys, g.Name)
			out = append(out, table.Column{Name: g.Name, Type: cols[i].Type, Pos: g.Pos})
			keyEnv.AddColumn(g.Name, cols[i].Type)
		}
		for _, a := range v.Aggregate {
			if index(out, a.Name) >= 0 {
				errs.Add(a.Pos, "%s: aggregate %s: the name is already a group_by column; choose another", what, a.Name)
				continue
			}
			agg, err := compileAggregate(a, cols, keyEnv)
			if err != nil {
				add(err)
				continue
			}
			p.aggs = append(p.aggs, agg)
			out = append(out, table.Column{Name: a.Name, Type: agg.typ, Pos: a.Pos})
		}
		p.slots = shareSlots(p.aggs)
	}
	if len(errs) > 0 {
		return nil, errs.Err()
	}
	p.stepCols = out
	if v.Complete != nil {
		c, err := compileComplete(v, out)
		if err != nil {
			return nil, err
		}
		p.complete = c
	}
	if v.Window != nil {
		w, wout, err := compileWindow(v, out)
		if err != nil {
			return nil, err
		}
		p.window, out = w, wout
	}
	if len(v.Select) > 0 {
		var sel []table.Column
		for _, s := range v.Select {
			i := index(out, s.Name)
			if i < 0 {
				hint := suggest.Hint(s.Name, names(out))
				if (index(cols, s.Name) >= 0 || index(p.Input, s.Name) >= 0) && (v.Pivot != nil || v.Unpivot != nil || len(v.GroupBy) > 0 || len(v.Aggregate) > 0) {
					hint = fmt.Sprintf(" (select comes after %s and sees its output, which has no %s; to choose the columns it reads, select them in the view it reads from)", stepBefore(v), s.Name)
				}
				errs.Add(s.Pos, "%s: select: unknown column %q%s", what, s.Name, hint)
				continue
			}
			p.selectIdx = append(p.selectIdx, i)
			sel = append(sel, out[i])
		}
		out = sel
	}
	p.distinct = v.Distinct.Value
	for _, k := range v.OrderBy {
		i := index(out, k.Name)
		if i < 0 {
			errs.Add(k.Pos, "%s: order_by: unknown column %q%s", what, k.Name, suggest.Hint(k.Name, names(out)))
			continue
		}
		p.order = append(p.order, orderKey{idx: i, desc: k.Desc})
	}
	if v.WithTies && len(v.OrderBy) == 0 {
		errs.Add(v.Limit.Pos, "%s: limit: with_ties keeps the rows tied with the last one on order_by, and the view has no order_by; add one, e.g. order_by: [-%s]", what, firstNumeric(out))
	}
	p.Output = out
	p.Keys = outputKeys(p.Keys, out, p.distinct)
	p.envCols = p.referenced()
	return p, errs.Err()
}

// stepBefore names the step whose output a view's select sees.
func stepBefore(v *analysis.View) string {
	switch {
	case v.Pivot != nil:
		return "pivot"
	case len(v.GroupBy) > 0 || len(v.Aggregate) > 0:
		return "group_by and aggregate"
	}
	return "unpivot"
}

// outputKeys are keys when every one is an output column; else, for a
// distinct view, every column; else none.
func outputKeys(keys []string, out []table.Column, distinct bool) []string {
	for _, k := range keys {
		if index(out, k) < 0 {
			keys = nil
			break
		}
	}
	if len(keys) == 0 && distinct {
		keys = names(out)
	}
	return keys
}

// firstNumeric names a column to give as an example in a message.
func firstNumeric(cols []table.Column) string {
	for _, c := range cols {
		if c.Type.Numeric() {
			return c.Name
		}
	}
	if len(cols) > 0 {
		return cols[0].Name
	}
	return "x"
}

// shareSlots gives each call of aggs its state, one for all equal calls
// (two sum(x), or median(x) and quantile(x, 0.9), which keep the values of
// x once), and returns the calls that own a state, in order.
func shareSlots(aggs []aggregate) []*aggCall {
	var slots []*aggCall
	byKey := map[string]int{}
	for _, a := range aggs {
		for _, c := range a.calls {
			k := c.slotKey()
			i, ok := byKey[k]
			if !ok {
				i = len(slots)
				byKey[k] = i
				slots = append(slots, c)
			}
			c.slot = i
		}
	}
	return slots
}

// referenced lists, in order, the rowCols that row expressions read: the
// union of what each where, derive and aggregate argument reads.
func (p *Plan) referenced() []int {
	seen := make([]bool, len(p.rowCols))
	for _, w := range p.wheres {
		for _, i := range w.reads {
			seen[i] = true
		}
	}
	for _, in := range p.deriveIn {
		for _, i := range in {
			seen[i] = true
		}
	}
	for _, a := range p.aggs {
		for _, c := range a.calls {
			for _, in := range c.in {
				for _, i := range in {
					seen[i] = true
				}
			}
		}
	}
	var out []int
	for i, ok := range seen {
		if ok {
			out = append(out, i)
		}
	}
	return out
}

// Uses reports which Input columns the view needs: the ones its
// expressions, keys and output read. Columns it does not use need not be
// parsed.
func (p *Plan) Uses() []bool {
	use := make([]bool, len(p.Input))
	grouped := len(p.groupIdx) > 0 || len(p.aggs) > 0
	if !grouped && p.selectIdx == nil || p.unpivot != nil || p.pivot != nil || !grouped && (p.window != nil || p.complete != nil) {
		for i := range use {
			use[i] = true // every input column is output, or read past the rows' first shape
		}
		return use
	}
	mark := func(i int) {
		if i < len(use) {
			use[i] = true
		}
	}
	for _, i := range p.envCols {
		mark(i)
	}
	for _, i := range p.groupIdx {
		mark(i)
	}
	if !grouped {
		for _, i := range p.selectIdx {
			mark(i)
		}
	}
	if p.join != nil {
		for _, i := range p.join.onIn {
			mark(i)
		}
	}
	return use
}

// UsesOf is Uses for input k of an append: which of its columns the view
// needs.
func (p *Plan) UsesOf(k int) []bool {
	if p.Sources == nil {
		return p.Uses()
	}
	use := make([]bool, len(p.Sources[k]))
	for i, u := range p.Uses() {
		if u && i < len(p.appendIdx[k]) {
			use[p.appendIdx[k][i]] = true
		}
	}
	return use
}

func compileJoin(v *analysis.View, cols []table.Column, lookup func(string) ([]table.Column, bool)) (*joinPlan, []table.Column, error) {
	var errs position.List
	j := &joinPlan{view: v.Join.View.Name}
	what := fmt.Sprintf("view %q: join", v.Name)
	look, ok := lookup(j.view)
	if !ok {
		errs.Add(v.Join.View.Pos, "%s: no view named %q", what, j.view)
		return j, nil, errs.Err()
	}
	j.lookCol = look
	for _, k := range v.Join.On {
		in, out := index(cols, k.Name), index(look, k.Name)
		switch {
		case in < 0:
			errs.Add(k.Pos, "%s: on: %q is not a column of %q%s", what, k.Name, v.From.Name, suggest.Hint(k.Name, names(cols)))
		case out < 0:
			errs.Add(k.Pos, "%s: on: %q is not a column of %q%s", what, k.Name, j.view, suggest.Hint(k.Name, names(look)))
		case cols[in].Type != look[out].Type:
			errs.Add(k.Pos, "%s: on: %q is %s in %q but %s in %q; declare both the same type", what, k.Name,
				cols[in].Type, v.From.Name, look[out].Type, j.view)
		default:
			j.onIn, j.onOut = append(j.onIn, in), append(j.onOut, out)
		}
	}
	var joined []table.Column
	take := func(name string, p position.Pos) {
		i := index(look, name)
		if i < 0 {
			errs.Add(p, "%s: columns: %q is not a column of %q%s", what, name, j.view, suggest.Hint(name, names(look)))
			return
		}
		if index(cols, name) >= 0 {
			errs.Add(p, "%s: columns: %q is already a column of %q; rename one with derive or select", what, name, v.From.Name)
			return
		}
		j.take = append(j.take, i)
		joined = append(joined, table.Column{Name: name, Type: look[i].Type, Pos: p})
	}
	if v.Join.Columns != nil {
		for _, c := range v.Join.Columns {
			take(c.Name, c.Pos)
		}
	} else {
		for _, c := range look {
			isKey := false
			for _, k := range v.Join.On {
				isKey = isKey || k.Name == c.Name
			}
			if !isKey {
				take(c.Name, v.Join.Pos)
			}
		}
	}
	return j, joined, errs.Err()
}

func compileAggregate(a *analysis.Named, cols []table.Column, keyEnv *expression.Env) (aggregate, error) {
	agg := aggregate{name: a.Name}
	what := "aggregate " + a.Name
	calls, err := expression.SplitAggregate(a.Expr, what)
	if err != nil {
		return agg, err
	}
	var errs position.List
	var args []analysis.Expr
	for _, c := range calls {
		for _, a := range c.Args {
			args = append(args, *a)
		}
	}
	env := rowEnvOf(args, cols)
	for _, c := range calls {
		ac, err := compileCall(c, what, cols, env)
		if err != nil {
			errs = append(errs, position.Errors(err)...)
			continue
		}
		agg.calls = append(agg.calls, ac)
	}
	if len(errs) > 0 {
		return agg, errs.Err()
	}
	// The outer expression sees the group keys and each call's result.
	outer := expression.NewEnv("group key")
	for _, n := range keyEnv.Names() {
		i := index(cols, n)
		outer.AddColumn(n, cols[i].Type)
	}
	for _, c := range agg.calls {
		outer.AddColumn(c.name, c.typ)
	}
	prog, err := expression.CompileAggregate(a.Expr, what, outer)
	if err != nil {
		return agg, err
	}
	agg.outer, agg.typ = prog, prog.Type
	if len(agg.calls) == 1 && a.Expr.Src == agg.calls[0].fn+"("+agg.calls[0].src+")" {
		agg.typ = agg.calls[0].typ
	}
	return agg, nil
}

// compileCall compiles the arguments of an aggregate call over cols and
// types its result.
func compileCall(c expression.Call, what string, cols []table.Column, env *expression.Env) (*aggCall, error) {
	ac := &aggCall{pos: c.Pos, what: what, fn: c.Func, name: c.Ident}
	var srcs []string
	var types []analysis.ColumnType
	var errs position.List
	for i, arg := range c.Args {
		srcs = append(srcs, arg.Src)
		if c.Lits[i] != nil {
			if p, ok := c.Lits[i].(float64); ok {
				ac.p = p
			} else if n, ok := c.Lits[i].(int); ok {
				ac.p = float64(n)
			}
			ac.args, ac.in, ac.col = append(ac.args, nil), append(ac.in, nil), append(ac.col, -1)
			types = append(types, analysis.TypeAny)
			continue
		}
		prog, err := expression.Compile(*arg, what+": "+c.Func, env, expression.AnyResult)
		if err != nil {
			errs = append(errs, position.Errors(err)...)
			continue
		}
		in := reads(cols, prog)
		bare := -1
		if _, ok := prog.Name(); ok && len(in) == 1 {
			bare = in[0] // a bare column: its value, no VM run
		}
		ac.args, ac.in, ac.col = append(ac.args, prog), append(ac.in, in), append(ac.col, bare)
		types = append(types, prog.Type)
	}
	if len(errs) > 0 {
		return nil, errs.Err()
	}
	ac.src = strings.Join(srcs, ", ")
	numeric := func(i int) bool {
		t := types[i]
		if t == analysis.TypeInt || t == analysis.TypeFloat || t == analysis.TypeAny {
			return true
		}
		errs.Add(c.Pos, "%s: %s needs numbers, but %s is %s", what, c.Func, srcs[i], t)
		return false
	}
	boolean := func(i int) {
		if t := types[i]; t != analysis.TypeBool && t != analysis.TypeAny {
			errs.Add(c.Pos, "%s: %s needs a condition, true or false, but %s is %s (compare it, e.g. %s > 0)", what, c.Func, srcs[i], t, srcs[i])
		}
	}
	switch c.Func {
	case "count", "count_distinct", "count_if":
		ac.typ = analysis.TypeInt
		if c.Func == "count_if" {
			boolean(0)
		}
	case "sum", "sum_if":
		if numeric(0) {
			ac.typ = types[0]
			if ac.typ == analysis.TypeAny {
				ac.typ = analysis.TypeFloat
			}
		}
		if c.Func == "sum_if" {
			boolean(1)
		}
	case "mean", "median", "quantile", "stddev", "variance":
		numeric(0)
		ac.typ = analysis.TypeFloat
	case "corr", "weighted_mean":
		_, _ = numeric(0), numeric(1)
		ac.typ = analysis.TypeFloat
	default: // min, max, first, last, mode
		ac.typ = types[0]
	}
	return ac, errs.Err()
}

// reads lists the columns of cols that prog reads.
func reads(cols []table.Column, prog *expression.Program) []int {
	var out []int
	for _, r := range prog.Refs {
		if i := index(cols, r); i >= 0 {
			out = append(out, i)
		}
	}
	return out
}

func rowEnv(cols []table.Column) *expression.Env {
	env := expression.NewEnv("column")
	for _, c := range cols {
		env.AddColumn(c.Name, c.Type)
	}
	return env
}

// rowEnvFor is the environment of e over a row of cols: the columns e
// names, and no other, so that checking an expression costs the same in a
// view of four thousand derived columns as in one of four (expr-lang
// builds a table of every name of an environment for each compile); a
// misspelt name is still compared with every column.
func rowEnvFor(e analysis.Expr, cols []table.Column) *expression.Env {
	return rowEnvOf([]analysis.Expr{e}, cols)
}

// rowEnvOf is rowEnvFor over every expression of es (the arguments of an
// aggregate's calls). An expression expr-lang cannot parse alone (count()
// in an aggregate) is checked against every column.
func rowEnvOf(es []analysis.Expr, cols []table.Column) *expression.Env {
	env := expression.NewEnv("column")
	for _, e := range es {
		ns := expression.Names(e)
		if ns == nil && strings.TrimSpace(e.Src) != "" {
			return rowEnv(cols)
		}
		for _, n := range ns {
			if i := index(cols, n); i >= 0 {
				env.AddColumn(n, cols[i].Type)
			}
		}
	}
	env.SuggestFrom(names(cols))
	return env
}

func index(cols []table.Column, name string) int { return table.ColumnIndex(cols, name) }

func names(cols []table.Column) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.Name
	}
	return out
}
