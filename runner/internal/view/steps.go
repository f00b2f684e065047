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
	"galley/runner/internal/suggest"
	"galley/runner/internal/table"
	"galley/runner/internal/value"
)

// The steps of contract v2: append (from: [a, b]), unpivot, pivot,
// complete and window, compiled here; window.go runs the window, run.go
// the others.

// compileAppend matches the columns of an append's inputs by name: each
// input must have the first one's columns, of the same types, but that an
// int column meets a float one as a float. It sets the mapping of each
// input onto the Input columns, and returns them.
func (p *Plan) compileAppend(sources [][]table.Column) ([]table.Column, error) {
	v := p.View
	what := fmt.Sprintf("view %q: from", v.Name)
	var errs position.List
	first := sources[0]
	input := append([]table.Column(nil), first...)
	p.Sources = sources
	p.appendIdx = make([][]int, len(sources))
	p.widen = make([][]bool, len(sources))
	for k, src := range sources {
		p.appendIdx[k] = make([]int, len(first))
		p.widen[k] = make([]bool, len(first))
		for i, c := range first {
			j := index(src, c.Name)
			if j < 0 {
				errs.Append(position.Errorf(v.Sources[k].Pos, "%s: %s has no column %q, which %s has; an append matches columns by name (give every input the same columns, with select or derive)",
					what, v.Sources[k].Name, c.Name, v.Sources[0].Name).Span(len(v.Sources[k].Name)))
				continue
			}
			p.appendIdx[k][i] = j
			t, u := input[i].Type, src[j].Type
			switch {
			case t == u:
			case t == analysis.TypeAny || u == analysis.TypeAny:
				input[i].Type = analysis.TypeAny
			case t.Numeric() && u.Numeric():
				input[i].Type = analysis.TypeFloat // int with float gives float
			default:
				errs.Append(position.Errorf(v.Sources[k].Pos, "%s: column %q is %s in %s but %s in %s; an append needs one type per column (convert one with derive, e.g. string(%s))",
					what, c.Name, t, v.Sources[0].Name, u, v.Sources[k].Name, c.Name).Span(len(v.Sources[k].Name)))
			}
		}
		for _, c := range src {
			if index(first, c.Name) < 0 {
				errs.Append(position.Errorf(v.Sources[k].Pos, "%s: %s has a column %q that %s has not; an append matches columns by name (drop it with select, or add it to %s)",
					what, v.Sources[k].Name, c.Name, v.Sources[0].Name, v.Sources[0].Name).Span(len(v.Sources[k].Name)))
			}
		}
	}
	for k, src := range sources {
		for i := range first {
			if input[i].Type == analysis.TypeFloat && src[p.appendIdx[k][i]].Type == analysis.TypeInt {
				p.widen[k][i] = true
			}
		}
	}
	if fc := v.FromColumn; fc.Set {
		if index(input, fc.Value) >= 0 {
			errs.Add(fc.Pos, "view %q: from_column: a column named %q already exists; choose another name", v.Name, fc.Value)
		} else if expression.Reserved(fc.Value) {
			errs.Add(fc.Pos, "view %q: from_column: %q is an expression keyword or operator, never read as a name; choose another name", v.Name, fc.Value)
		}
		input = append(input, table.Column{Name: fc.Value, Type: analysis.TypeString, Pos: fc.Pos})
	}
	return input, errs.Err()
}

// appendRow maps row in, of input k of an append, onto the Input columns
// in out.
func (p *Plan) appendRow(k int, in, out []any) error {
	for i, j := range p.appendIdx[k] {
		v := in[j]
		if p.widen[k][i] && v != nil {
			f, err := widenInt(v)
			if err != nil {
				return position.Errorf(p.View.Sources[k].Pos, "view %q: from: column %q of %s: %v", p.View.Name, p.Input[i].Name, p.View.Sources[k].Name, err)
			}
			v = f
		}
		out[i] = v
	}
	if p.View.FromColumn.Set {
		out[len(p.appendIdx[k])] = p.View.Sources[k].Name
	}
	return nil
}

// widenInt turns an int of an int column meeting a float one into a
// float: exactly, or not at all.
func widenInt(v any) (any, error) {
	n, ok := v.(int)
	if !ok {
		return v, nil
	}
	f := float64(n)
	if n > 1<<53 || n < -(1<<53) {
		if f >= math.MaxInt64 || int(f) != n {
			return nil, fmt.Errorf("the int %d has no exact float, and the column is a float here (int with float gives float); keep both ints, or round it", n)
		}
	}
	return f, nil
}

// unpivotPlan turns columns of the row into rows.
type unpivotPlan struct {
	keep  []int    // the columns that repeat, in order
	cols  []int    // the columns that become rows, in the listed order
	names []string // their names, the values of names_to
	widen []bool   // for each of cols: an int that becomes a float
}

func compileUnpivot(v *analysis.View, cols []table.Column) (*unpivotPlan, []table.Column, error) {
	u := v.Unpivot
	what := fmt.Sprintf("view %q: unpivot", v.Name)
	var errs position.List
	up := &unpivotPlan{}
	typ := analysis.ColumnType(-1)
	listed := map[int]bool{}
	for _, c := range u.Columns {
		i := index(cols, c.Name)
		switch {
		case i < 0:
			errs.Append(position.Errorf(c.Pos, "%s: columns: unknown column %q", what, c.Name).Span(len(c.Name)).Hinted(suggest.DidYouMean(c.Name, names(cols))))
			continue
		case listed[i]:
			errs.Add(c.Pos, "%s: columns: %q is listed twice", what, c.Name)
			continue
		}
		listed[i] = true
		up.cols, up.names = append(up.cols, i), append(up.names, c.Name)
		t := cols[i].Type
		switch {
		case typ < 0 || typ == t:
			typ = t
		case typ == analysis.TypeAny || t == analysis.TypeAny:
			typ = analysis.TypeAny
		case typ.Numeric() && t.Numeric():
			typ = analysis.TypeFloat
		default:
			errs.Add(c.Pos, "%s: columns: %q is %s, but %q is %s; the columns that become rows share one column, of one type (int with float gives float)",
				what, c.Name, t, up.names[0], cols[up.cols[0]].Type)
		}
	}
	var out []table.Column
	for i, c := range cols {
		if !listed[i] {
			up.keep = append(up.keep, i)
			out = append(out, c)
		}
	}
	for _, n := range []analysis.String{u.NamesTo, u.ValuesTo} {
		if !n.Set {
			continue
		}
		if index(out, n.Value) >= 0 {
			errs.Add(n.Pos, "%s: a column named %q already exists; choose another name", what, n.Value)
		} else if expression.Reserved(n.Value) {
			errs.Add(n.Pos, "%s: %q is an expression keyword or operator, never read as a name; choose another name", what, n.Value)
		}
	}
	if u.NamesTo.Value == u.ValuesTo.Value {
		errs.Add(u.ValuesTo.Pos, "%s: names_to and values_to are both %q; name two columns", what, u.NamesTo.Value)
	}
	if len(errs) > 0 {
		return nil, nil, errs.Err()
	}
	for _, i := range up.cols {
		up.widen = append(up.widen, typ == analysis.TypeFloat && cols[i].Type == analysis.TypeInt)
	}
	out = append(out, table.Column{Name: u.NamesTo.Value, Type: analysis.TypeString, Pos: u.NamesTo.Pos},
		table.Column{Name: u.ValuesTo.Value, Type: typ, Pos: u.ValuesTo.Pos})
	return up, out, nil
}

// pivotPlan turns rows into columns: a row per key, a column per name.
type pivotPlan struct {
	keyIdx   []int // the row keys: every column of the row but names_from and values_from
	nameIdx  int
	valueIdx int
	names    map[string]int // a names_from value (value.AppendKey) → its new column
	fill     any
	cols     int // new columns
}

func compilePivot(v *analysis.View, cols []table.Column) (*pivotPlan, []table.Column, error) {
	pv := v.Pivot
	what := fmt.Sprintf("view %q: pivot", v.Name)
	var errs position.List
	pp := &pivotPlan{names: map[string]int{}, nameIdx: index(cols, pv.NamesFrom.Name), valueIdx: index(cols, pv.ValuesFrom.Name)}
	for _, r := range []struct {
		ref analysis.Ref
		i   int
		key string
	}{{pv.NamesFrom, pp.nameIdx, "names_from"}, {pv.ValuesFrom, pp.valueIdx, "values_from"}} {
		if r.i < 0 {
			errs.Append(position.Errorf(r.ref.Pos, "%s: %s: unknown column %q", what, r.key, r.ref.Name).Span(len(r.ref.Name)).Hinted(suggest.DidYouMean(r.ref.Name, names(cols))))
		}
	}
	if len(errs) > 0 {
		return nil, nil, errs.Err()
	}
	if pp.nameIdx == pp.valueIdx {
		errs.Add(pv.ValuesFrom.Pos, "%s: names_from and values_from are both %q; the names and the values come from two columns", what, pv.NamesFrom.Name)
		return nil, nil, errs.Err()
	}
	var out []table.Column
	for i, c := range cols {
		if i != pp.nameIdx && i != pp.valueIdx {
			pp.keyIdx = append(pp.keyIdx, i)
			out = append(out, c)
		}
	}
	nameType, valueType := cols[pp.nameIdx].Type, cols[pp.valueIdx].Type
	if pv.Fill != nil {
		f, err := literalValue(*pv.Fill, valueType)
		if err != "" {
			errs.Add(pv.Fill.Pos, "%s: fill: %s, the type of %s", what, err, pv.ValuesFrom.Name)
		}
		pp.fill = f
	}
	seen := map[string]string{}
	for _, c := range pv.Columns {
		x, err := literalValue(c.Value, nameType)
		switch {
		case err != "":
			errs.Add(c.Value.Pos, "%s: columns: %s: %s, the type of %s", what, c.Name, err, pv.NamesFrom.Name)
			continue
		case x == nil:
			errs.Add(c.Value.Pos, "%s: columns: %s: a column takes a value of %s, not null", what, c.Name, pv.NamesFrom.Name)
			continue
		case index(out, c.Name) >= 0:
			errs.Add(c.Pos, "%s: columns: a column named %q already exists (a row key); choose another name", what, c.Name)
			continue
		case expression.Reserved(c.Name):
			errs.Add(c.Pos, "%s: columns: %q is an expression keyword or operator, never read as a name; choose another name", what, c.Name)
			continue
		}
		k := string(value.AppendKey(nil, x))
		if other, dup := seen[k]; dup {
			errs.Add(c.Value.Pos, "%s: columns: %s and %s both take %s; a value goes to one column", what, other, c.Name, quote(x))
			continue
		}
		seen[k] = c.Name
		pp.names[k] = len(out) - len(pp.keyIdx)
		out = append(out, table.Column{Name: c.Name, Type: valueType, Pos: c.Pos})
	}
	pp.cols = len(pv.Columns)
	return pp, out, errs.Err()
}

// literalValue types a value written in the analysis as a value of a
// column of type t; the error says what is wrong, or is "".
func literalValue(lit analysis.Literal, t analysis.ColumnType) (any, string) {
	if lit.Tag == "!!null" {
		return nil, ""
	}
	text := lit.Text
	switch t {
	case analysis.TypeString:
		return text, ""
	case analysis.TypeInt:
		if lit.Tag == "!!int" {
			if n, err := strconv.ParseInt(text, 10, 64); err == nil {
				return int(n), ""
			}
		}
		return nil, fmt.Sprintf("%q is not an int", text)
	case analysis.TypeFloat:
		if lit.Tag == "!!int" || lit.Tag == "!!float" {
			if f, err := strconv.ParseFloat(text, 64); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
				return f, ""
			}
		}
		return nil, fmt.Sprintf("%q is not a float", text)
	case analysis.TypeBool:
		switch strings.ToLower(text) {
		case "true":
			return true, ""
		case "false":
			return false, ""
		}
		return nil, fmt.Sprintf("%q is not true or false", text)
	case analysis.TypeDate:
		if d, err := time.Parse(time.DateOnly, text); err == nil {
			return d, ""
		}
		return nil, fmt.Sprintf("%q is not a date written YYYY-MM-DD", text)
	}
	switch lit.Tag { // any: as YAML read it
	case "!!int":
		if n, err := strconv.ParseInt(text, 10, 64); err == nil {
			return int(n), ""
		}
	case "!!float":
		if f, err := strconv.ParseFloat(text, 64); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
			return f, ""
		}
	case "!!bool":
		return strings.ToLower(text) == "true", ""
	}
	return text, ""
}

// completePlan adds the rows missing from the combinations of some
// columns' values.
type completePlan struct {
	cols   []int      // the columns completed, in the output before the window
	every  []stepSpec // for each of cols
	fill   []any      // for each output column, its value in the rows added
	filled []bool
}

// stepSpec is complete's every: for a column: an int step, or a unit of
// dates.
type stepSpec struct {
	n    int
	unit string
}

func compileComplete(v *analysis.View, cols []table.Column) (*completePlan, error) {
	c := v.Complete
	what := fmt.Sprintf("view %q: complete", v.Name)
	var errs position.List
	cp := &completePlan{fill: make([]any, len(cols)), filled: make([]bool, len(cols))}
	listed := map[string]int{}
	for _, r := range c.Columns {
		i := index(cols, r.Name)
		switch {
		case i < 0:
			errs.Append(position.Errorf(r.Pos, "%s: columns: unknown column %q", what, r.Name).Span(len(r.Name)).Hinted(suggest.DidYouMean(r.Name, names(cols))))
			continue
		case slices.Contains(cp.cols, i):
			errs.Add(r.Pos, "%s: columns: %q is listed twice", what, r.Name)
			continue
		}
		listed[r.Name] = len(cp.cols)
		cp.cols = append(cp.cols, i)
		cp.every = append(cp.every, stepSpec{})
	}
	for _, st := range c.Every {
		k, ok := listed[st.Column.Name]
		if !ok {
			errs.Add(st.Column.Pos, "%s: every: %q is not one of complete's columns", what, st.Column.Name)
			continue
		}
		t := cols[cp.cols[k]].Type
		switch {
		case st.Value.Tag == "!!int" && t == analysis.TypeInt:
			n, _ := strconv.Atoi(st.Value.Text)
			cp.every[k] = stepSpec{n: n}
		case st.Value.Tag == "!!str" && t == analysis.TypeDate:
			cp.every[k] = stepSpec{unit: st.Value.Text}
		case t == analysis.TypeInt:
			errs.Add(st.Value.Pos, "%s: every: %s is an int column: its step is a whole number, such as 1", what, st.Column.Name)
		case t == analysis.TypeDate:
			errs.Add(st.Value.Pos, "%s: every: %s is a date column: its step is one of %s", what, st.Column.Name, strings.Join(analysis.StepUnits, ", "))
		default:
			errs.Add(st.Value.Pos, "%s: every: %s is a %s column; steps are for int and date columns (without every, complete takes the values present)", what, st.Column.Name, t)
		}
	}
	for _, f := range c.Fill {
		i := index(cols, f.Column.Name)
		switch {
		case i < 0:
			errs.Append(position.Errorf(f.Column.Pos, "%s: fill: unknown column %q", what, f.Column.Name).Span(len(f.Column.Name)).Hinted(suggest.DidYouMean(f.Column.Name, names(cols))))
			continue
		case slices.Contains(cp.cols, i):
			errs.Add(f.Column.Pos, "%s: fill: %q is completed: the rows added take each of its values", what, f.Column.Name)
			continue
		}
		x, err := literalValue(f.Value, cols[i].Type)
		if err != "" {
			errs.Add(f.Value.Pos, "%s: fill: %s: %s, the type of %s", what, f.Column.Name, err, f.Column.Name)
			continue
		}
		cp.fill[i], cp.filled[i] = x, true
	}
	return cp, errs.Err()
}

// addToPivot puts row's value in its key's row, under its name's column.
// A name not listed is an error at its row; two values for one key and
// name are found once every chunk is merged (finishPivot), so that the one
// reported does not depend on how the file was split.
func (r *Run) addToPivot(row []any, at func() string) error {
	p := r.p
	pp := p.pivot
	name := row[pp.nameIdx]
	col, ok := pp.names[string(value.AppendKey(nil, name))]
	if !ok {
		pv := p.View.Pivot
		if name == nil {
			return withRow(position.Errorf(pv.NamesFrom.Pos, "view %q: pivot: %s is null, and a null names no column; leave such rows out, e.g. where: %s != nil",
				p.View.Name, pv.NamesFrom.Name, pv.NamesFrom.Name), at)
		}
		return withRow(position.Errorf(pv.NamesFrom.Pos, "view %q: pivot: %s %s is not one of the columns' values; add a column for it under columns: (e.g. %s: %s), or leave such rows out with where",
			p.View.Name, pv.NamesFrom.Name, quote(name), suggestName(name), quote(name)), at)
	}
	r.key = appendKey(r.key[:0], row, pp.keyIdx)
	pr, ok := r.pivots[string(r.key)]
	if !ok {
		if len(r.pivots) >= r.limits.MaxGroups {
			return position.Errorf(p.View.Pos, "view %q: pivot has more than %d rows, the limit of groups; leave out columns that are not row keys (select them in the view it reads)", p.View.Name, r.limits.MaxGroups)
		}
		pr = &pivotRow{enc: string(r.key), key: make([]any, len(pp.keyIdx)), cells: make([]any, pp.cols), count: make([]uint8, pp.cols), second: make([]any, pp.cols)}
		for i, idx := range pp.keyIdx {
			pr.key[i] = row[idx]
		}
		r.pivots[pr.enc] = pr
		r.pivotOrder = append(r.pivotOrder, pr)
	}
	pr.put(col, row[pp.valueIdx], 1)
	return nil
}

// put adds n values (1, or 2 for several) of one cell, the first v.
func (pr *pivotRow) put(col int, v any, n uint8) {
	switch pr.count[col] {
	case 0:
		pr.cells[col] = v
	case 1:
		pr.second[col] = v
	}
	pr.count[col] = min(pr.count[col]+n, 2)
}

func (r *Run) mergePivot(o *Run) error {
	for _, pr := range o.pivotOrder {
		mine, ok := r.pivots[pr.enc]
		if !ok {
			if len(r.pivots) >= r.limits.MaxGroups {
				return position.Errorf(r.p.View.Pos, "view %q: pivot has more than %d rows, the limit of groups; leave out columns that are not row keys (select them in the view it reads)", r.p.View.Name, r.limits.MaxGroups)
			}
			r.pivots[pr.enc] = pr
			r.pivotOrder = append(r.pivotOrder, pr)
			continue
		}
		for c, n := range pr.count {
			if n > 0 {
				mine.put(c, pr.cells[c], n)
				if n > 1 && mine.count[c] == 2 && mine.second[c] == nil {
					mine.second[c] = pr.second[c]
				}
			}
		}
	}
	return nil
}

// finishPivot gives the pivot's rows, ordered by their keys; the first
// key, in that order, with two values for one name is an error.
func (r *Run) finishPivot() ([][]any, error) {
	p := r.p
	pp := p.pivot
	sort.SliceStable(r.pivotOrder, func(i, j int) bool { return value.CompareRows(r.pivotOrder[i].key, r.pivotOrder[j].key) < 0 })
	rows := make([][]any, 0, len(r.pivotOrder))
	for _, pr := range r.pivotOrder {
		out := make([]any, 0, len(pr.key)+pp.cols)
		out = append(out, pr.key...)
		for c := range pr.cells {
			switch pr.count[c] {
			case 0:
				out = append(out, pp.fill)
			case 1:
				out = append(out, pr.cells[c])
			default:
				pv := p.View.Pivot
				var keys []string
				for i, idx := range pp.keyIdx {
					keys = append(keys, fmt.Sprintf("%s = %s", p.rowCols[idx].Name, quote(pr.key[i])))
				}
				where := strings.Join(keys, ", ")
				if where == "" {
					where = "the one row"
				}
				return nil, position.Errorf(pv.Pos, "view %q: pivot: %s has two values of %s for %s %s (%s and %s, at least); a pivot takes one row per key and name: aggregate them first (group_by the keys and %s), or leave out the column that tells them apart",
					p.View.Name, where, pv.ValuesFrom.Name, pv.NamesFrom.Name, quote(pv.Columns[c].Value.Text), quote(pr.cells[c]), quote(pr.second[c]), pv.NamesFrom.Name)
			}
		}
		rows = append(rows, out)
	}
	return rows, nil
}

// suggestName makes a column name of a value, for a message.
func suggestName(v any) string {
	var b strings.Builder
	for _, c := range strings.ToLower(value.Text(v)) {
		switch {
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			b.WriteRune(c)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "_"):
			b.WriteByte('_')
		}
	}
	name := strings.TrimSuffix(b.String(), "_")
	if name == "" || name[0] >= '0' && name[0] <= '9' {
		name = "c_" + name
	}
	return name
}

// runComplete adds to rows, of cols, a row for each combination of the
// completed columns' values that no row has, and orders the rows by those
// columns, then by the others.
func (r *Run) runComplete(rows [][]any, cols []table.Column) ([][]any, error) {
	p := r.p
	cp := p.complete
	what := fmt.Sprintf("view %q: complete", p.View.Name)
	values := make([][]any, len(cp.cols))
	total := 1
	for k, i := range cp.cols {
		vals, err := completeValues(rows, i, cp.every[k], r.limits.MaxRows)
		if err != nil {
			return nil, position.Errorf(p.View.Complete.Pos, "%s: %s: %v", what, cols[i].Name, err)
		}
		values[k] = vals
		if len(vals) > 0 && total > r.limits.MaxRows/len(vals) {
			total = r.limits.MaxRows + 1
		} else {
			total *= len(vals)
		}
	}
	if total > r.limits.MaxRows {
		return nil, position.Errorf(p.View.Complete.Pos, "%s: the combinations of %s make more than %d rows, the limit for one view; complete fewer columns, or coarser ones",
			what, columnList(cols, cp.cols), r.limits.MaxRows)
	}
	present := map[string]bool{}
	var key []byte
	for _, row := range rows {
		key = appendKey(key[:0], row, cp.cols)
		present[string(key)] = true
	}
	if len(present) < total && total > 0 {
		pick := make([]int, len(cp.cols))
		combo := make([]any, len(cols))
		for {
			for k, i := range cp.cols {
				combo[i] = values[k][pick[k]]
			}
			key = appendKey(key[:0], combo, cp.cols)
			if !present[string(key)] {
				row := make([]any, len(cols))
				for i := range row {
					row[i] = cp.fill[i]
				}
				for _, i := range cp.cols {
					row[i] = combo[i]
				}
				if len(rows) >= r.limits.MaxRows {
					return nil, position.Errorf(p.View.Complete.Pos, "%s: the view would have more than %d rows, the limit for one view", what, r.limits.MaxRows)
				}
				rows = append(rows, row)
				r.Counts.Completed++
			}
			k := len(pick) - 1
			for ; k >= 0; k-- {
				if pick[k]++; pick[k] < len(values[k]) {
					break
				}
				pick[k] = 0
			}
			if k < 0 {
				break
			}
		}
	}
	order := make([]orderKey, 0, len(cols))
	for _, i := range cp.cols {
		order = append(order, orderKey{idx: i})
	}
	for i := range cols {
		if !slices.Contains(cp.cols, i) {
			order = append(order, orderKey{idx: i})
		}
	}
	sort.SliceStable(rows, func(a, b int) bool { return compareKeys(rows[a], rows[b], order) < 0 })
	return rows, nil
}

func columnList(cols []table.Column, idx []int) string {
	var out []string
	for _, i := range idx {
		out = append(out, cols[i].Name)
	}
	return strings.Join(out, ", ")
}

// completeValues are the values of column i a completion takes, in order:
// those present, and with a step every value from the smallest to the
// largest present in steps (an int step, or a unit of dates counted from
// the smallest); null last when some row has it.
func completeValues(rows [][]any, i int, step stepSpec, max int) ([]any, error) {
	seen := map[string]bool{}
	var vals []any
	var lo, hi any
	hasNull := false
	var key []byte
	for _, row := range rows {
		v := row[i]
		if v == nil {
			hasNull = true
			continue
		}
		key = value.AppendKey(key[:0], v)
		if !seen[string(key)] {
			seen[string(key)] = true
			vals = append(vals, v)
		}
		if lo == nil || value.Compare(v, lo) < 0 {
			lo = v
		}
		if hi == nil || value.Compare(v, hi) > 0 {
			hi = v
		}
	}
	add := func(v any) {
		key = value.AppendKey(key[:0], v)
		if !seen[string(key)] {
			seen[string(key)] = true
			vals = append(vals, v)
		}
	}
	switch {
	case lo == nil:
	case step.n > 0:
		a, b := lo.(int), hi.(int)
		if uint64(b-a)/uint64(step.n) >= uint64(max) {
			return nil, fmt.Errorf("from %d to %d in steps of %d is more than %d values, the limit of rows for one view", a, b, step.n, max)
		}
		for x := a; ; x += step.n {
			add(x)
			if uint64(b-x) < uint64(step.n) { // b - x wraps only as an unsigned difference
				break
			}
		}
	case step.unit != "":
		a, b := lo.(time.Time), hi.(time.Time)
		for k := 0; ; k++ {
			d := stepDate(a, step.unit, k)
			if d.After(b) {
				break
			}
			if k >= max {
				return nil, fmt.Errorf("from %s to %s by %s is more than %d values, the limit of rows for one view", a.Format(time.DateOnly), b.Format(time.DateOnly), step.unit, max)
			}
			add(d)
		}
	}
	sort.SliceStable(vals, func(a, b int) bool { return value.Compare(vals[a], vals[b]) < 0 })
	if hasNull {
		vals = append(vals, nil)
	}
	return vals, nil
}

// stepDate is the date k units after d: months, quarters and years are
// counted from d, each clamped to its month's last day (d = Jan 31 gives
// Feb 29, Mar 31...).
func stepDate(d time.Time, unit string, k int) time.Time {
	y, m, day := d.Date()
	months := 0
	switch unit {
	case "day":
		return time.Date(y, m, day+k, 0, 0, 0, 0, time.UTC)
	case "week":
		return time.Date(y, m, day+7*k, 0, 0, 0, 0, time.UTC)
	case "month":
		months = k
	case "quarter":
		months = 3 * k
	case "year":
		months = 12 * k
	}
	first := time.Date(y, m+time.Month(months), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return time.Date(first.Year(), first.Month(), min(day, last), 0, 0, 0, 0, time.UTC)
}
