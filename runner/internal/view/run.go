package view

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"galley/runner/internal/analysis"
	"galley/runner/internal/expression"
	"galley/runner/internal/position"
	"galley/runner/internal/table"
	"galley/runner/internal/value"
)

// Limits bound what one view may hold, so a runaway group_by fails with a
// message instead of exhausting memory.
type Limits struct {
	MaxGroups int // distinct groups in a grouped view
	MaxRows   int // rows a view outputs (before limit)
}

// DefaultLimits are the documented defaults (docs/security.md).
var DefaultLimits = Limits{MaxGroups: 1_000_000, MaxRows: 1_000_000}

// Counts says what happened to the rows of one view.
type Counts struct {
	Read      int   // rows that reached the view (of every input of an append)
	Sources   []int // an append: the rows of each input, in order
	Joined    int   // rows that found a match in the join
	Unmatched int   // rows that found none (their joined columns are null)
	Unpivoted int   // rows unpivot made of them
	Where     []int // rows kept after each where, in View.Where order
	Completed int   // rows complete added
	Repeated  int   // rows distinct dropped, each the repeat of an earlier one
	Out       int   // rows in the result, after limit
	// TiedCut counts the rows a plain limit left out that tie, on
	// order_by, with the last row it kept: the limit cut through a tie.
	TiedCut int
}

// Run is one execution of a Plan.
type Run struct {
	p      *Plan
	limits Limits
	vm     expression.VM
	env    map[string]any
	tests  []*testCache  // for each where test that reads one column
	derivs []*deriveMemo // for each derive that reads one column
	stamp  []uint64      // for each of rowCols, the row whose value env holds
	gen    uint64        // the current row, counted from 1
	row    []any
	lookup map[string][]any
	Counts Counts

	source int   // the input of an append this run reads
	base   []any // the row before unpivot, when there is one

	rows       [][]any
	groups     map[string]*group
	key        []byte // reused to look groups up
	order      []*group
	slab       groupSlab
	args       []any // reused for the arguments of an aggregate call
	pivots     map[string]*pivotRow
	pivotOrder []*pivotRow
}

// pivotRow is one row of a pivot: its key, and for each new column the
// value taken, how many rows gave one (0, 1, or 2 for more), and the
// second value, for the error.
type pivotRow struct {
	enc    string // the key encoded (appendKey): the row's key in Run.pivots
	key    []any
	cells  []any
	count  []uint8
	second []any
}

type group struct {
	enc   string // the key encoded (appendKey): the group's key in Run.groups
	key   []any
	state []state // per slot (Plan.slots)
}

// groupSlab hands out groups, their keys and states from blocks of
// groupSlabSize: a part of a file that meets thousands of groups makes a
// few allocations for them, not three per group.
type groupSlab struct {
	groups []group
	keys   []any
	states []state
}

const groupSlabSize = 64

// maxGroupsHint caps the size a run's map of groups starts at.
const maxGroupsHint = 1 << 16

func (s *groupSlab) next(nkey, nstate int) *group {
	if len(s.groups) == 0 {
		s.groups = make([]group, groupSlabSize)
		s.keys = make([]any, groupSlabSize*nkey)
		s.states = make([]state, groupSlabSize*nstate)
	}
	g := &s.groups[0]
	s.groups = s.groups[1:]
	g.key, s.keys = s.keys[:nkey:nkey], s.keys[nkey:]
	g.state, s.states = s.states[:nstate:nstate], s.states[nstate:]
	return g
}

// Start begins a run. join is the computed table of the joined view, or nil
// when the view has no join.
func (p *Plan) Start(join *table.Table, limits Limits) (*Run, error) {
	l, err := p.Lookup(join)
	if err != nil {
		return nil, err
	}
	return p.StartWith(l, limits), nil
}

// Lookup is the index of a joined view's rows by their join keys. It is
// read only, so the runs of several chunks share one.
type Lookup struct{ rows map[string][]any }

// Lookup indexes join, the joined view's table, for runs of p; it is nil
// when p has no join. A key held by two rows is an error.
func (p *Plan) Lookup(join *table.Table) (*Lookup, error) {
	if p.join == nil {
		return nil, nil
	}
	l := &Lookup{rows: map[string][]any{}}
	for _, row := range join.Rows {
		if hasNull(row, p.join.onOut) {
			continue // a null key matches nothing, as in SQL
		}
		k := keyOf(row, p.join.onOut)
		if _, dup := l.rows[k]; dup {
			return nil, position.Errorf(p.View.Join.Pos, "view %q: join: %q has more than one row for %s; a lookup join needs one row per key",
				p.View.Name, p.join.view, describeKey(row, p.join.onOut, p.join.lookCol))
		}
		l.rows[k] = row
	}
	return l, nil
}

// StartWith begins a run that joins through l (from p.Lookup).
func (p *Plan) StartWith(l *Lookup, limits Limits) *Run {
	r := &Run{p: p, limits: limits, env: make(map[string]any, len(p.rowCols)), row: make([]any, len(p.rowCols)), stamp: make([]uint64, len(p.rowCols))}
	r.Counts.Where = make([]int, len(p.View.Where))
	r.tests = make([]*testCache, len(p.wheres))
	for k, w := range p.wheres {
		if len(w.reads) == 1 {
			r.tests[k] = new(testCache)
		}
	}
	r.derivs = make([]*deriveMemo, len(p.derive))
	for i, in := range p.deriveIn {
		if len(in) == 1 {
			r.derivs[i] = &deriveMemo{seen: map[any]any{}}
		}
	}
	if len(p.groupIdx) > 0 || len(p.aggs) > 0 {
		r.groups = make(map[string]*group, p.groupsSeen.Load())
	}
	if p.pivot != nil {
		r.pivots = map[string]*pivotRow{}
	}
	if p.unpivot != nil {
		r.base = make([]any, p.baseLen)
	}
	if p.Sources != nil {
		r.Counts.Sources = make([]int, len(p.Sources))
	}
	if l != nil {
		r.lookup = l.rows
	}
	return r
}

// StartSource begins a run of input k of an append, joining through l:
// its rows are of that input's columns. Runs of the inputs merged in order
// (Merge) are the run of the append.
func (p *Plan) StartSource(k int, l *Lookup, limits Limits) *Run {
	r := p.StartWith(l, limits)
	r.source = k
	return r
}

// Add feeds one input row (in Plan.Input order; for an append, in the
// order of the run's input's columns). at names where the row came from,
// for runtime errors: "datasets/x.csv line 12".
func (r *Run) Add(in []any, at func() string) error {
	p := r.p
	r.Counts.Read++
	row := r.row
	if p.unpivot != nil {
		row = r.base
	}
	n := len(in)
	if p.Sources != nil {
		r.Counts.Sources[r.source]++
		if err := p.appendRow(r.source, in, row); err != nil {
			return withRow(err, at)
		}
		n = len(p.Input)
	} else {
		copy(row, in)
	}
	if p.join != nil {
		var match []any
		ok := false
		if !hasNull(row, p.join.onIn) {
			match, ok = r.lookup[keyOf(row, p.join.onIn)]
		}
		if ok {
			r.Counts.Joined++
		} else {
			r.Counts.Unmatched++
		}
		for _, i := range p.join.take {
			if ok {
				row[n] = match[i]
			} else {
				row[n] = nil
			}
			n++
		}
	}
	if u := p.unpivot; u != nil {
		// Each unpivoted column gives a row: the kept columns, its name,
		// its value.
		out := r.row
		for k, i := range u.keep {
			out[k] = row[i]
		}
		nk := len(u.keep)
		for k, i := range u.cols {
			v := row[i]
			if u.widen[k] && v != nil {
				var err error
				if v, err = widenInt(v); err != nil {
					return withRow(position.Errorf(p.View.Unpivot.Pos, "view %q: unpivot: column %q: %v", p.View.Name, u.names[k], err), at)
				}
			}
			out[nk], out[nk+1] = u.names[k], v
			r.Counts.Unpivoted++
			if err := r.process(out, nk+2, at); err != nil {
				return err
			}
		}
		return nil
	}
	return r.process(row, n, at)
}

// process runs a row, after the join and unpivot, through where, derive
// and what the view makes of its rows; the derived columns go from n on.
func (r *Run) process(row []any, n int, at func() string) error {
	p := r.p
	r.gen++ // the values in env are of earlier rows: see eval
	// Wheres run in file order, so each count is of the rows the ones
	// before it kept; the derives run once, just before the first where
	// that reads one of them (or after the last where), so rows a cheap
	// filter drops are never derived.
	derived := false
	derive := func() error {
		for i, d := range p.derive {
			m, in := r.derivs[i], any(nil)
			if m != nil {
				in = row[p.deriveIn[i][0]]
				if v, ok := m.lookup(in); ok {
					row[n] = v
					n++
					continue
				}
			}
			v, err := r.eval(d, p.deriveIn[i], row)
			if err != nil {
				return withRow(err, at)
			}
			v = value.Normalize(v)
			if _, ok := v.(time.Duration); ok {
				return withRow(position.Errorf(d.Src.Pos, "derive %s gives a duration, which no column type holds; take a number of it, e.g. (a - b).Hours() or .Minutes()",
					p.rowCols[n].Name), at)
			}
			if !value.IsScalar(v) {
				return withRow(position.Errorf(d.Src.Pos, "derive %s gives %s, not one value; a column holds one value per row (pick one, e.g. first(...) or join(..., \", \"))",
					p.rowCols[n].Name, value.Describe(v)), at)
			}
			row[n] = v
			n++
			if m != nil {
				m.remember(in, v)
			}
		}
		derived = true
		return nil
	}
	for k, w := range p.wheres {
		if w.late && !derived {
			if err := derive(); err != nil {
				return err
			}
		}
		keep, err := r.test(k, w, row)
		if err != nil {
			return withRow(err, at)
		}
		if !keep {
			return nil
		}
		if w.last {
			r.Counts.Where[w.index]++
		}
	}
	if !derived {
		if err := derive(); err != nil {
			return err
		}
	}
	switch {
	case r.pivots != nil:
		return r.addToPivot(row, at)
	case r.groups != nil:
		return r.addToGroup(row, at)
	}
	if len(r.rows) >= r.limits.MaxRows {
		return tooManyRows(p.View, r.limits.MaxRows)
	}
	r.rows = append(r.rows, slices.Clone(row))
	return nil
}

// tooManyRows is the error for a view of rows past the row limit. A
// dataset that values, claims or a join read whole is run as a view of its
// own name reading it (check's viewOrder), which no analysis can write (a
// view may not read itself): it is named as the dataset it is.
func tooManyRows(v *analysis.View, max int) error {
	if v.From.Name == v.Name {
		return position.Errorf(v.Pos, "dataset %q has more than %d rows, the most a value, a claim or a join reads whole; read it through a view that groups or filters it", v.Name, max)
	}
	return position.Errorf(v.Pos, "view %q outputs more than %d rows, the limit for one view; group or filter it", v.Name, max)
}

// test runs where test k over row. A test that reads one column gives
// the same answer for the same value (expressions are pure: no clock, no
// randomness), so its answers are remembered by that value: a row whose
// city was seen before is kept or dropped without running the VM.
func (r *Run) test(k int, w where, row []any) (bool, error) {
	c := r.tests[k]
	if c == nil || c.off {
		v, err := r.eval(w.prog, w.reads, row)
		keep, _ := v.(bool)
		return keep, err
	}
	in := row[w.reads[0]]
	slot := &c.slots[testSlot(in)]
	if slot.set && slot.in == in {
		c.hits++
		return slot.keep, nil
	}
	v, err := r.eval(w.prog, w.reads, row)
	if err != nil {
		return false, err
	}
	keep, _ := v.(bool)
	slot.set, slot.in, slot.keep = true, in, keep
	if c.tries++; c.tries == testTrial && c.hits < testTrial/2 {
		c.off = true // the values rarely repeat: not worth remembering
	}
	return keep, nil
}

// testCache remembers a one-column where test's answers by the column's
// value, in a direct-mapped table (testSlot).
type testCache struct {
	slots [64]struct {
		set, keep bool
		in        any
	}
	tries, hits int // answers computed, and found
	off         bool
}

const testTrial = 1024 // answers computed before deciding whether to go on

// deriveMemo remembers the values of a derive that reads one column by
// the column's value, as testCache the answers of a where test: a derive
// of a date column (date_trunc("month", day)) over 10M rows runs the VM
// once for each date a chunk holds, not once a row. Floats are not
// remembered: -0 and 0 are equal keys but may derive differently
// (string(x)), and a float column rarely repeats.
type deriveMemo struct {
	seen        map[any]any
	tries, hits int // values computed, and found
}

// deriveRemember bounds the values a deriveMemo holds.
const deriveRemember = 4096

func (m *deriveMemo) lookup(in any) (any, bool) {
	if m.seen == nil {
		return nil, false
	}
	if _, ok := in.(float64); ok {
		return nil, false
	}
	v, ok := m.seen[in]
	if ok {
		m.hits++
	}
	return v, ok
}

func (m *deriveMemo) remember(in, v any) {
	if m.seen == nil {
		return
	}
	if _, ok := in.(float64); ok {
		return
	}
	if len(m.seen) < deriveRemember {
		m.seen[in] = v
	}
	if m.tries++; m.tries == testTrial && m.hits < testTrial/2 {
		m.seen = nil // the values rarely repeat: not worth remembering
	}
}

// testSlot picks v's place in a testCache. Row values are scalars, so ==
// on them never panics.
func testSlot(v any) int {
	var h uint64
	switch x := v.(type) {
	case string:
		if n := len(x); n > 0 {
			h = uint64(n)*37 ^ uint64(x[0])*5 ^ uint64(x[n/2])*3 ^ uint64(x[n-1])
		}
		return int(h & 63)
	case int:
		h = uint64(x)
	case float64:
		h = math.Float64bits(x)
	case bool:
		if x {
			h = 1
		}
	case time.Time:
		h = uint64(x.Unix())
	}
	return int(h * 0x9E3779B97F4A7C15 >> 58)
}

// eval runs prog over the row's environment, on the fast path when none of
// the columns it reads (at idx in row) is null. Only those columns are put
// in the environment, once per row, when the first expression that reads
// them runs: a row the first test drops costs one map write, not one per
// column the view reads.
func (r *Run) eval(prog *expression.Program, idx []int, row []any) (any, error) {
	for _, i := range idx {
		if r.stamp[i] != r.gen {
			r.stamp[i] = r.gen
			r.env[r.p.rowCols[i].Name] = row[i]
		}
	}
	if hasNull(row, idx) {
		return r.vm.Eval(prog, r.env)
	}
	return r.vm.EvalPresent(prog, r.env)
}

func hasNull(row []any, idx []int) bool {
	for _, i := range idx {
		if row[i] == nil {
			return true
		}
	}
	return false
}

func withRow(err error, at func() string) error {
	e := position.Errors(err)[0]
	return position.Errorf(e.Pos, "%s (evaluating %s)", e.Msg, at())
}

func (r *Run) addToGroup(row []any, at func() string) error {
	p := r.p
	r.key = appendKey(r.key[:0], row, p.groupIdx)
	g, ok := r.groups[string(r.key)]
	if !ok {
		if len(r.groups) >= r.limits.MaxGroups {
			return position.Errorf(p.View.Pos, "view %q has more than %d groups, the limit; group by fewer or coarser columns", p.View.Name, r.limits.MaxGroups)
		}
		g = r.slab.next(len(p.groupIdx), len(p.slots))
		g.enc = string(r.key)
		for i, idx := range p.groupIdx {
			g.key[i] = row[idx]
		}
		r.groups[g.enc] = g
		r.order = append(r.order, g)
	}
	for i, c := range p.slots {
		vals, err := r.callArgs(c, row)
		if err != nil {
			return withRow(err, at)
		}
		if err := g.state[i].add(c.fn, vals); err != nil {
			return withRow(position.Errorf(c.pos, "%s: %v", c.what, err), at)
		}
	}
	return nil
}

// callArgs evaluates the arguments of an aggregate call over row, into a
// buffer reused from call to call; a literal argument is not passed.
func (r *Run) callArgs(c *aggCall, row []any) ([]any, error) {
	vals := r.args[:0]
	for k, prog := range c.args {
		switch {
		case prog == nil:
			continue
		case c.col[k] >= 0:
			vals = append(vals, row[c.col[k]])
		default:
			v, err := r.eval(prog, c.in[k], row)
			if err != nil {
				return nil, err
			}
			vals = append(vals, value.Normalize(v))
		}
	}
	r.args = vals
	return vals, nil
}

// Finish computes the result table.
func (r *Run) Finish() (*table.Table, error) {
	p := r.p
	rows := r.rows
	if r.groups != nil {
		if len(p.groupIdx) == 0 && len(r.order) == 0 {
			// An aggregate over no rows still gives its one row: count() is 0.
			r.order = append(r.order, &group{state: make([]state, len(p.slots))})
		}
		// Groups come out in key order unless order_by says otherwise.
		sort.SliceStable(r.order, func(i, j int) bool { return value.CompareRows(r.order[i].key, r.order[j].key) < 0 })
		env := map[string]any{}
		rows = make([][]any, 0, len(r.order))
		for _, g := range r.order {
			out := append([]any(nil), g.key...)
			for i, n := range p.groupIdx {
				env[p.rowCols[n].Name] = g.key[i]
			}
			for _, a := range p.aggs {
				for _, c := range a.calls {
					v, err := g.state[c.slot].result(c)
					if err != nil {
						return nil, r.aggregateError(c, g.key, &g.state[c.slot])
					}
					env[c.name] = v
				}
				v, err := r.vm.Eval(a.outer, env)
				if err != nil {
					return nil, err
				}
				out = append(out, value.Normalize(v))
			}
			rows = append(rows, out)
		}
	}
	if p.pivot != nil {
		var err error
		if rows, err = r.finishPivot(); err != nil {
			return nil, err
		}
	}
	cols := p.stepCols // of the rows now
	if p.complete != nil {
		var err error
		if rows, err = r.runComplete(rows, cols); err != nil {
			return nil, err
		}
	}
	if p.window != nil {
		var err error
		if rows, err = r.runWindow(rows, cols); err != nil {
			return nil, err
		}
	}
	if p.selectIdx != nil {
		for i, row := range rows {
			sel := make([]any, len(p.selectIdx))
			for j, idx := range p.selectIdx {
				sel[j] = row[idx]
			}
			rows[i] = sel
		}
	}
	if p.distinct {
		seen := map[string]bool{}
		kept := rows[:0]
		all := identity(len(p.Output))
		var key []byte
		for _, row := range rows {
			key = appendKey(key[:0], row, all)
			if seen[string(key)] {
				r.Counts.Repeated++
				continue
			}
			seen[string(key)] = true
			kept = append(kept, row)
		}
		rows = kept
	}
	if len(p.order) > 0 {
		sort.SliceStable(rows, func(i, j int) bool { return r.less(rows[i], rows[j]) })
	}
	if n := p.View.Limit.Value; p.View.Limit.Set && len(rows) > n {
		// Rows past the limit that tie with the last one kept, on order_by:
		// with_ties keeps them; a plain limit says it cut through a tie.
		tied := 0
		for len(p.order) > 0 && n+tied < len(rows) && compareKeys(rows[n-1], rows[n+tied], p.order) == 0 {
			tied++
		}
		if p.View.WithTies {
			n += tied
		} else {
			r.Counts.TiedCut = tied
		}
		rows = rows[:n]
	}
	r.Counts.Out = len(rows)
	return &table.Table{Name: p.View.Name, Pos: p.View.Pos, Columns: p.Output, Rows: rows}, nil
}

// aggregateError explains a result Galley refuses to give, in the group
// of key: an int total beyond the int range, or a float result beyond the
// float range.
func (r *Run) aggregateError(c *aggCall, key []any, s *state) error {
	group := ""
	if len(r.p.groupIdx) > 0 {
		var keys []string
		for i, n := range r.p.groupIdx {
			keys = append(keys, fmt.Sprintf("%s = %s", r.p.rowCols[n].Name, quote(key[i])))
		}
		group = " in the group " + strings.Join(keys, ", ")
	}
	switch {
	case c.fn != "sum" && c.fn != "sum_if":
		return position.Errorf(c.pos, "view %q: %s: %s(%s)%s is beyond the float range, about ±1.8e308",
			r.p.View.Name, c.what, c.fn, c.src, group)
	case s.float || c.typ != analysis.TypeInt:
		return position.Errorf(c.pos, "view %q: %s: %s(%s) is %s%s, beyond the float range, about ±1.8e308",
			r.p.View.Name, c.what, c.fn, c.src, s.sum.Exact().Text('g', 6), group)
	}
	return position.Errorf(c.pos, "view %q: %s: %s(%s) is %s%s, beyond the int range (%d to %d); sum(float(%s)) gives it as a float",
		r.p.View.Name, c.what, c.fn, c.src, s.sum.IntText(), group, math.MinInt64, math.MaxInt64, c.src)
}

// quote writes a value in a message: a string quoted, a null as null,
// anything else in its plain form (2000, not 2,000).
func quote(v any) string {
	switch x := v.(type) {
	case string:
		return strconv.Quote(x)
	case nil:
		return "null"
	}
	return value.Plain(v)
}

// less orders by the order_by keys, then by every remaining column in
// order, so ties never depend on anything but the data.
func (r *Run) less(a, b []any) bool {
	used := make([]bool, len(a))
	for _, k := range r.p.order {
		used[k.idx] = true
		c := value.Compare(a[k.idx], b[k.idx])
		if k.desc {
			c = -descNulls(a[k.idx], b[k.idx], c)
		}
		if c != 0 {
			return c < 0
		}
	}
	for i := range a {
		if !used[i] {
			if c := value.Compare(a[i], b[i]); c != 0 {
				return c < 0
			}
		}
	}
	return false
}

// descNulls keeps nulls last in a descending sort too.
func descNulls(a, b any, c int) int {
	if a == nil || b == nil {
		return -c
	}
	return c
}

// keyOf encodes the values at idx as a map key. Each value is tagged by type
// so that the int 1 and the string "1" are different keys.
func keyOf(row []any, idx []int) string {
	return string(appendKey(nil, row, idx))
}

// appendKey is keyOf into a buffer the caller reuses: looking a group up by
// string(buf) allocates nothing, so only a new group's key is copied.
func appendKey(b []byte, row []any, idx []int) []byte {
	for _, i := range idx {
		b = value.AppendKey(b, row[i])
	}
	return b
}

func describeKey(row []any, idx []int, cols []table.Column) string {
	var parts []string
	for _, i := range idx {
		parts = append(parts, fmt.Sprintf("%s = %q", cols[i].Name, value.Text(row[i])))
	}
	return strings.Join(parts, ", ")
}

// Merge folds the run of a later part of the same input into r: rows are
// appended, groups combined, counts added. Merging the runs of a file's
// chunks in file order gives exactly the run of the whole file: first and
// last keep file order, median keeps every value, and sums add the chunk
// sums in chunk order, which is fixed by the file, not by the number of
// workers.
func (r *Run) Merge(o *Run) error {
	r.Counts.Read += o.Counts.Read
	for i := range r.Counts.Sources {
		r.Counts.Sources[i] += o.Counts.Sources[i]
	}
	for i := range r.Counts.Where {
		r.Counts.Where[i] += o.Counts.Where[i]
	}
	r.Counts.Joined += o.Counts.Joined
	r.Counts.Unmatched += o.Counts.Unmatched
	r.Counts.Unpivoted += o.Counts.Unpivoted
	if r.pivots != nil {
		return r.mergePivot(o)
	}
	if r.groups == nil {
		if len(r.rows)+len(o.rows) > r.limits.MaxRows {
			return tooManyRows(r.p.View, r.limits.MaxRows)
		}
		r.rows = append(r.rows, o.rows...)
		return nil
	}
	r.p.groupsSeen.Store(int64(min(len(o.groups), maxGroupsHint)))
	for _, g := range o.order {
		mine, ok := r.groups[g.enc]
		if !ok {
			if len(r.groups) >= r.limits.MaxGroups {
				return position.Errorf(r.p.View.Pos, "view %q has more than %d groups, the limit; group by fewer or coarser columns", r.p.View.Name, r.limits.MaxGroups)
			}
			// The group moves into r's own memory, so that o's, most of
			// it groups merged into r's, is not kept alive by it.
			ng := r.slab.next(len(g.key), len(g.state))
			ng.enc = g.enc
			copy(ng.key, g.key)
			copy(ng.state, g.state)
			r.groups[ng.enc] = ng
			r.order = append(r.order, ng)
			continue
		}
		for i, c := range r.p.slots {
			mine.state[i].merge(c.fn, &g.state[i])
		}
	}
	return nil
}

func identity(n int) []int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	return idx
}
