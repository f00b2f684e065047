package engine

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"galley/runner/internal/analysis"
	"galley/runner/internal/chart"
	"galley/runner/internal/dataset"
	"galley/runner/internal/expression"
	"galley/runner/internal/position"
	"galley/runner/internal/suggest"
	"galley/runner/internal/table"
	"galley/runner/internal/view"
)

// Compiled is an analysis with every expression compiled and every name
// resolved: what `galley check` proves before any data is read.
type Compiled struct {
	File *analysis.File

	schemas map[string][]table.Column // dataset name → declared columns
	specs   map[string]*dataset.Spec  // dataset name → how its file is read
	plans   []*planned                // in dependency order
	byName  map[string]*planned
	values  []*compiledValue // in dependency order
	claims  []*compiledClaim // in file order
	inline  map[*analysis.Cell][]*expression.Program
	rowType map[string]reflect.Type // view or dataset name → struct type of its rows in values
	env     *expression.Env         // what values, claims and inline values see
}

// planned is a view, or a dataset that values or a join read as a whole.
type planned struct {
	name      string
	plan      *view.Plan
	dataset   *analysis.Dataset // set when the view reads a dataset
	upstream  string            // set when the view reads a view
	join      string
	implicit  bool // a dataset read whole, not a view of the file
	datasets  []string
	dependsOn []string
}

type compiledValue struct {
	value *analysis.Value
	prog  *expression.Program
}

type compiledClaim struct {
	claim *analysis.Claim
	prog  *expression.Program
}

// Compile resolves and type-checks f. It reads no data.
func Compile(f *analysis.File) (*Compiled, error) {
	c := &Compiled{File: f, schemas: map[string][]table.Column{}, specs: map[string]*dataset.Spec{}, byName: map[string]*planned{},
		inline: map[*analysis.Cell][]*expression.Program{}, rowType: map[string]reflect.Type{}}
	var errs position.List
	add := func(err error) { errs = append(errs, position.Errors(err)...) }

	datasets := map[string]*analysis.Dataset{}
	for _, ds := range f.Datasets {
		datasets[ds.Name] = ds
		if sp, err := dataset.Compile(ds); err != nil {
			add(err)
		} else {
			c.specs[ds.Name] = sp
		}
		var cols []table.Column
		for _, col := range ds.Columns {
			if expression.Reserved(col.Name) {
				errs.Add(col.Pos, "dataset %q: column %q has the name of an expression function or keyword; rename it and read it with from:, e.g. %s_: {type: %s, from: %s}",
					ds.Name, col.Name, col.Name, col.Type, col.Name)
				continue
			}
			cols = append(cols, table.Column{Name: col.Name, Type: col.Type, Pos: col.Pos})
		}
		c.schemas[ds.Name] = cols
	}
	if len(errs) > 0 {
		return nil, errs.Err()
	}

	// Datasets that values or joins read whole become implicit views.
	wanted := map[string]bool{}
	for _, v := range f.Values {
		for _, n := range expression.Names(v.Expr) {
			wanted[n] = true
		}
	}
	for _, cl := range f.Claims {
		for _, n := range expression.Names(cl.Check) {
			wanted[n] = true
		}
	}
	for _, cell := range f.Body {
		for _, e := range cell.Inline {
			for _, n := range expression.Names(e) {
				wanted[n] = true
			}
		}
	}
	for _, v := range f.Views {
		if v.Join != nil {
			wanted[v.Join.View.Name] = true
		}
	}
	var order []*analysis.View
	for _, ds := range f.Datasets {
		if wanted[ds.Name] {
			order = append(order, &analysis.View{Name: ds.Name, Pos: ds.Pos, From: analysis.Ref{Name: ds.Name, Pos: ds.Pos}})
		}
	}
	sorted, err := sortViews(f.Views)
	if err != nil {
		return nil, err
	}
	order = append(order, sorted...)

	for _, v := range order {
		p := &planned{name: v.Name}
		var input []table.Column
		if ds, ok := datasets[v.From.Name]; ok {
			p.dataset, input = ds, c.schemas[ds.Name]
			p.implicit = v.Name == ds.Name
			p.datasets = []string{ds.Name}
		} else {
			up := c.byName[v.From.Name]
			if up == nil {
				continue // its own errors are reported
			}
			p.upstream, input = up.name, up.plan.Output
			p.datasets = append(p.datasets, up.datasets...)
			p.dependsOn = append(p.dependsOn, up.name)
		}
		if v.Join != nil {
			p.join = v.Join.View.Name
			if j := c.byName[p.join]; j != nil {
				p.datasets = append(p.datasets, j.datasets...)
				p.dependsOn = append(p.dependsOn, j.name)
			}
		}
		p.datasets = uniq(p.datasets)
		plan, err := view.Compile(v, input, func(name string) ([]table.Column, bool) {
			if j := c.byName[name]; j != nil {
				return j.plan.Output, true
			}
			return nil, false
		})
		if err != nil {
			add(err)
			continue
		}
		p.plan = plan
		c.plans = append(c.plans, p)
		c.byName[p.name] = p
		c.rowType[p.name] = rowStruct(plan.Output)
	}
	if len(errs) > 0 {
		return nil, errs.Err()
	}

	// Values, in dependency order; each sees the views and the values
	// before it.
	env := expression.NewStructEnv("name")
	c.env = env
	for _, p := range c.plans {
		env.Add(p.name, reflect.MakeSlice(reflect.SliceOf(c.rowType[p.name]), 0, 0).Interface())
	}
	values, err := sortValues(f.Values)
	if err != nil {
		return nil, err
	}
	for _, v := range values {
		prog, err := expression.Compile(v.Expr, "value "+v.Name, env, expression.AnyResult)
		if err != nil {
			add(err)
			env.Add(v.Name, nil)
			continue
		}
		c.values = append(c.values, &compiledValue{value: v, prog: prog})
		// Values are fields of type any: a value may be null whatever its
		// expression's type.
		env.Add(v.Name, nil)
	}
	for _, cl := range f.Claims {
		prog, err := expression.Compile(cl.Check, fmt.Sprintf("claim %q check", cl.ID), env, expression.BoolResult)
		if err != nil {
			add(err)
			continue
		}
		c.claims = append(c.claims, &compiledClaim{claim: cl, prog: prog})
	}
	for _, cell := range f.Body {
		for _, e := range cell.Inline {
			prog, err := expression.Compile(e, "{{ }}", env, expression.AnyResult)
			if err != nil {
				add(err)
				continue
			}
			c.inline[cell] = append(c.inline[cell], prog)
		}
		switch cell.Kind {
		case analysis.CellTable:
			if p := c.byName[cell.Table.View.Name]; p != nil {
				for _, col := range cell.Table.Columns {
					if table.ColumnIndex(p.plan.Output, col.Name) < 0 {
						errs.Add(col.Pos, "table: view %q has no column %q%s", p.name, col.Name, suggest.Hint(col.Name, columnNames(p.plan.Output)))
					}
				}
			}
		case analysis.CellChart:
			if p := c.byName[cell.Chart.Data.Name]; p != nil {
				add(chart.Check(cell.Chart, p.plan.Output))
			}
		}
	}
	return c, errs.Err()
}

func uniq(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

func columnNames(cols []table.Column) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.Name
	}
	return out
}

// rowStruct is the Go type of one row of a view inside values: a struct
// whose fields are named by expr tags, so `.low` is checked at compile time
// while every field, holding any, may be null.
func rowStruct(cols []table.Column) reflect.Type {
	fields := make([]reflect.StructField, len(cols))
	for i, c := range cols {
		fields[i] = reflect.StructField{
			Name: "F" + strconv.Itoa(i),
			Type: reflect.TypeOf((*any)(nil)).Elem(),
			Tag:  reflect.StructTag(`expr:"` + c.Name + `"`),
		}
	}
	return reflect.StructOf(fields)
}

// sortViews orders views so each comes after what it reads and joins.
// A cycle is an error naming it.
func sortViews(views []*analysis.View) ([]*analysis.View, error) {
	byName := map[string]*analysis.View{}
	for _, v := range views {
		byName[v.Name] = v
	}
	return dependencyOrder(views, byName, func(v *analysis.View) []string {
		var d []string
		if _, ok := byName[v.From.Name]; ok {
			d = append(d, v.From.Name)
		}
		if v.Join != nil {
			if _, ok := byName[v.Join.View.Name]; ok {
				d = append(d, v.Join.View.Name)
			}
		}
		return d
	}, func(v *analysis.View, cycle []string) error {
		return position.Errorf(v.Pos, "views read each other in a circle: %s", strings.Join(cycle, " → "))
	})
}

// sortValues orders values so each comes after the values it reads; a
// cycle is an error naming it.
func sortValues(values []*analysis.Value) ([]*analysis.Value, error) {
	byName := map[string]*analysis.Value{}
	for _, v := range values {
		byName[v.Name] = v
	}
	return dependencyOrder(values, byName, func(v *analysis.Value) []string {
		var d []string
		for _, n := range expression.Names(v.Expr) { // sorted
			if _, ok := byName[n]; ok {
				d = append(d, n)
			}
		}
		return d
	}, func(v *analysis.Value, cycle []string) error {
		return position.Errorf(v.Pos, "values depend on each other in a circle: %s", strings.Join(cycle, " → "))
	})
}

// dependencyOrder sorts items, named by byName, so that each comes after
// its deps, keeping file order otherwise (a depth-first walk in file
// order). The first cycle met is reported through cycleErr, with the names
// around it.
func dependencyOrder[T comparable](items []T, byName map[string]T, deps func(T) []string, cycleErr func(T, []string) error) ([]T, error) {
	name := map[T]string{}
	for n, it := range byName {
		name[it] = n
	}
	var out []T
	state := map[string]int{} // 1 visiting, 2 done
	var path []string
	var visit func(it T) error
	visit = func(it T) error {
		n := name[it]
		switch state[n] {
		case 2:
			return nil
		case 1:
			i := slices.Index(path, n)
			return cycleErr(it, append(append([]string(nil), path[i:]...), n))
		}
		state[n] = 1
		path = append(path, n)
		for _, d := range deps(it) {
			if err := visit(byName[d]); err != nil {
				return err
			}
		}
		path = path[:len(path)-1]
		state[n] = 2
		out = append(out, it)
		return nil
	}
	for _, it := range items {
		if err := visit(it); err != nil {
			return nil, err
		}
	}
	return out, nil
}
