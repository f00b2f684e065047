package check

import (
	"fmt"
	"reflect"

	"galley/runner/internal/analysis"
	"galley/runner/internal/chart"
	"galley/runner/internal/dataset"
	"galley/runner/internal/expression"
	"galley/runner/internal/position"
	"galley/runner/internal/suggest"
	"galley/runner/internal/table"
	"galley/runner/internal/value"
	"galley/runner/internal/view"
)

// Plan is an analysis with every name resolved and every expression
// compiled: what `galley check` proves before a row is read, and what
// package engine runs.
type Plan struct {
	File     *analysis.File
	Datasets []*Dataset // file order
	Views    []*View    // dependency order: the datasets read whole first
	Values   []*Value   // dependency order
	Claims   []*Claim   // file order
	Cells    []*Cell    // the body, in order

	views map[string]*View
	deps  map[string][]string // view or value name → the datasets it depends on
	names []string            // every view and value, for a "did you mean"
	value map[string]bool     // the names of values
}

// Dataset is one declared dataset.
type Dataset struct {
	Source  *analysis.Dataset
	Spec    *dataset.Spec  // how its file is read (dataset.Compile)
	Columns []table.Column // as declared
	Views   []string       // the views of the file that read it directly, in file order
}

// View is a view, or a dataset that values, claims or a join read whole
// (Implicit: a view named as the dataset, of all its rows).
type View struct {
	Name     string
	Plan     *view.Plan
	Dataset  *Dataset // set when it reads a dataset
	Upstream string   // set when it reads another view
	// Sources are the inputs of an append (from: [a, b]), in order; nil
	// for a view of one input.
	Sources  []Source
	Join     string // the view it joins, if any
	Implicit bool
	Datasets []string      // every dataset it depends on, through views and joins
	RowType  reflect.Type  // one of its rows inside values: a struct of any fields
	Shown    bool          // a table or chart of the body shows it
	Display  table.Display // its labels: and formats:
}

// Source is one input of an append: a dataset, or a view.
type Source struct {
	Dataset *Dataset
	View    string
}

// Value is one entry of values:, compiled.
type Value struct {
	Source   *analysis.Value
	Prog     *expression.Program
	Scope    *expression.Env // what it is evaluated over (see Plan.scope)
	Datasets []string        // the datasets it depends on, through views and values
	Format   value.Format    // how the report prints it; the zero Format when none is given
}

// Claim is one claim, its check compiled.
type Claim struct {
	Source   *analysis.Claim
	Prog     *expression.Program
	Scope    *expression.Env
	Datasets []string
	Inputs   []*analysis.Value // the values its check reads, in name order
}

// Cell is one cell of the body.
type Cell struct {
	Source   *analysis.Cell
	Inline   []*expression.Program // Markdown: the {{ }} values, in order
	Scopes   []*expression.Env     // Markdown: what each is evaluated over
	Images   []Image               // Markdown: the project's image files it shows
	Datasets []string              // Markdown: the datasets its inline values depend on
	Table    *Table                // Table
	Chart    *chart.Spec           // Chart
	Map      *chart.MapSpec        // Chart of type map or points
	Claim    *Claim                // Claim
}

// Table is a table cell checked against its view.
type Table struct {
	View    string
	Columns []int // indexes into the view's columns, in the order shown
	Caption string
	Limit   int           // rows shown; 0 means all
	Display table.Display // its labels and formats over its view's
}

// View returns the view (or dataset read whole) named name, or nil.
func (p *Plan) View(name string) *View { return p.views[name] }

// Analysis checks f and returns its Plan. The error is a position.List of
// every mistake found, in file order; the checks run stage after stage,
// and a stage whose input has mistakes is not run.
func Analysis(f *analysis.File) (*Plan, error) {
	if err := resolve(f); err != nil {
		return nil, err
	}
	p := &Plan{File: f, views: map[string]*View{}}
	var errs position.List
	add := func(err error) { errs = append(errs, position.Errors(err)...) }

	datasets := map[string]*Dataset{}
	for _, ds := range f.Datasets {
		d := &Dataset{Source: ds}
		spec, err := dataset.Compile(ds)
		add(err)
		d.Spec = spec
		for _, col := range ds.Columns {
			if expression.Reserved(col.Name) {
				errs.Add(col.Pos, "dataset %q: column %q is an expression keyword or operator, never read as a name; rename it and read it with from:, e.g. %s_: {type: %s, from: %s}",
					ds.Name, col.Name, col.Name, col.Type, col.Name)
				continue
			}
			d.Columns = append(d.Columns, table.Column{Name: col.Name, Type: col.Type, Pos: col.Pos})
		}
		for _, v := range f.Views {
			for _, from := range v.Sources {
				if from.Name == ds.Name {
					d.Views = append(d.Views, v.Name)
					break
				}
			}
		}
		datasets[ds.Name] = d
		p.Datasets = append(p.Datasets, d)
	}
	if len(errs) > 0 {
		return nil, errs.Err()
	}

	order, err := viewOrder(f, readWhole(f))
	if err != nil {
		return nil, err
	}
	for _, v := range order {
		pv := &View{Name: v.Name}
		var inputs [][]table.Column
		missing := false
		for _, from := range v.Sources {
			var src Source
			if d, ok := datasets[from.Name]; ok {
				src.Dataset = d
				inputs = append(inputs, d.Columns)
				pv.Datasets = append(pv.Datasets, d.Source.Name)
			} else if up := p.views[from.Name]; up != nil {
				src.View = up.Name
				inputs = append(inputs, up.Plan.Output)
				pv.Datasets = append(pv.Datasets, up.Datasets...)
			} else {
				missing = true // its own errors are reported
				break
			}
			pv.Sources = append(pv.Sources, src)
		}
		if missing || len(inputs) == 0 {
			continue
		}
		if !v.Append {
			pv.Dataset, pv.Upstream, pv.Sources = pv.Sources[0].Dataset, pv.Sources[0].View, nil
			pv.Implicit = pv.Dataset != nil && v.Name == pv.Dataset.Source.Name
		}
		if v.Join != nil {
			pv.Join = v.Join.View.Name
			if j := p.views[pv.Join]; j != nil {
				pv.Datasets = append(pv.Datasets, j.Datasets...)
			}
		}
		pv.Datasets = uniq(pv.Datasets)
		plan, err := view.CompileSources(v, inputs, func(name string) ([]table.Column, bool) {
			if j := p.views[name]; j != nil {
				return j.Plan.Output, true
			}
			return nil, false
		})
		if err != nil {
			add(err)
			continue
		}
		pv.Plan = plan
		pv.RowType = rowStruct(plan.Output)
		display, _, err := table.NewDisplay(v.Labels, v.Formats, plan.Output, fmt.Sprintf("view %q", v.Name), false)
		add(err)
		pv.Display = display
		p.Views = append(p.Views, pv)
		p.views[pv.Name] = pv
	}
	if len(errs) > 0 {
		return nil, errs.Err()
	}

	if err := p.values(f); err != nil {
		return nil, err
	}
	for _, v := range p.Values {
		if !v.Source.Format.Set {
			continue
		}
		fm, err := value.ParseFormat(v.Source.Format.Value)
		if err != nil {
			errs.Append(position.Errorf(v.Source.Format.Pos, "value %s: format: %v", v.Source.Name, err).Span(len(v.Source.Format.Value)))
			continue
		}
		if why := fm.Mismatch(v.Source.Name+" gives", v.Prog.Type); why != "" {
			errs.Append(position.Errorf(v.Source.Format.Pos, "value %s: format: %s", v.Source.Name, why).Span(len(v.Source.Format.Value)))
			continue
		}
		v.Format = fm
	}
	values := map[string]*analysis.Value{}
	for _, v := range f.Values {
		values[v.Name] = v
	}
	for _, cl := range f.Claims {
		scope := p.scope(cl.Check)
		prog, err := expression.Compile(cl.Check, fmt.Sprintf("claim %q check", cl.ID), scope, expression.BoolResult)
		if err != nil {
			add(err)
			continue
		}
		c := &Claim{Source: cl, Prog: prog, Scope: scope, Datasets: p.lineage(prog.Refs)}
		for _, name := range prog.Refs {
			if v := values[name]; v != nil {
				c.Inputs = append(c.Inputs, v)
			}
		}
		p.Claims = append(p.Claims, c)
	}
	for _, cell := range f.Body {
		c := &Cell{Source: cell}
		switch cell.Kind {
		case analysis.CellMarkdown:
			imgs, err := images(cell)
			add(err)
			c.Images = imgs
			for _, e := range cell.Inline {
				scope := p.scope(e)
				prog, err := expression.Compile(e, "{{ }}", scope, expression.AnyResult)
				if err != nil {
					add(err)
					continue
				}
				c.Inline = append(c.Inline, prog)
				c.Scopes = append(c.Scopes, scope)
				c.Datasets = uniq(append(c.Datasets, p.lineage(prog.Refs)...))
			}
		case analysis.CellTable:
			t, err := p.table(cell.Table)
			add(err)
			c.Table = t
		case analysis.CellChart:
			if v := p.views[cell.Chart.Data.Name]; v != nil {
				v.Shown = true
				if analysis.IsMap(cell.Chart.Type.Value) {
					spec, err := chart.CheckMap(cell.Chart, v.Plan.Output, f.Datasets)
					add(err)
					c.Map = spec
					break
				}
				spec, err := chart.Check(cell.Chart, v.Plan.Output, chart.Env{Display: v.Display, Values: p.valueNames(f)})
				add(err)
				c.Chart = spec
			}
		case analysis.CellClaim:
			for _, cl := range p.Claims {
				if cl.Source.ID == cell.Claim.Name {
					c.Claim = cl
				}
			}
		}
		p.Cells = append(p.Cells, c)
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return p, nil
}

// values compiles the values in dependency order.
func (p *Plan) values(f *analysis.File) error {
	p.value = map[string]bool{}
	for _, v := range p.Views {
		p.names = append(p.names, v.Name)
	}
	for _, v := range f.Values {
		p.names = append(p.names, v.Name)
		p.value[v.Name] = true
	}
	sorted, err := valueOrder(f.Values)
	if err != nil {
		return err
	}
	var errs position.List
	lineage := map[string][]string{}
	for _, v := range p.Views {
		lineage[v.Name] = v.Datasets
	}
	p.deps = lineage
	for _, v := range sorted {
		scope := p.scope(v.Expr)
		prog, err := expression.Compile(v.Expr, "value "+v.Name, scope, expression.AnyResult)
		if err != nil {
			errs = append(errs, position.Errors(err)...)
			continue
		}
		var ds []string
		for _, r := range prog.Refs {
			ds = append(ds, lineage[r]...)
		}
		lineage[v.Name] = uniq(ds)
		p.Values = append(p.Values, &Value{Source: v, Prog: prog, Scope: scope, Datasets: lineage[v.Name]})
	}
	return errs.Err()
}

// scope is the environment of one expression of values, claims or the
// body: the views (as lists of rows) and values (as fields that may hold
// anything, null included) that it names, and nothing else. Declaring only
// those keeps checking an expression as cheap in an analysis of ten
// thousand values as in one of ten; a misspelt name is still compared with
// every name in scope.
func (p *Plan) scope(e analysis.Expr) *expression.Env {
	env := expression.NewStructEnv("name")
	for _, n := range expression.Names(e) {
		switch {
		case p.views[n] != nil:
			env.Add(n, reflect.MakeSlice(reflect.SliceOf(p.views[n].RowType), 0, 0).Interface())
		case p.value[n]:
			env.Add(n, nil)
		}
	}
	env.SuggestFrom(p.names)
	return env
}

// lineage is the datasets that the names refs depend on.
func (p *Plan) lineage(refs []string) []string {
	var out []string
	for _, r := range refs {
		out = append(out, p.deps[r]...)
	}
	return uniq(out)
}

// table checks a table cell against its view.
func (p *Plan) table(t *analysis.Table) (*Table, error) {
	v := p.views[t.View.Name]
	if v == nil {
		return nil, nil // resolve reported it
	}
	v.Shown = true
	out := &Table{View: v.Name, Caption: t.Caption.Value, Limit: t.Limit.Value}
	cols := v.Plan.Output
	var errs position.List
	own, _, err := table.NewDisplay(t.Labels, t.Formats, cols, fmt.Sprintf("table of view %q", v.Name), false)
	errs = append(errs, position.Errors(err)...)
	out.Display = own.Over(v.Display)
	if len(t.Columns) == 0 {
		for i := range cols {
			out.Columns = append(out.Columns, i)
		}
		return out, errs.Err()
	}
	for _, c := range t.Columns {
		i := table.ColumnIndex(cols, c.Name)
		if i < 0 {
			errs.Add(c.Pos, "table: view %q has no column %q%s", v.Name, c.Name, suggest.Hint(c.Name, columnNames(cols)))
			continue
		}
		out.Columns = append(out.Columns, i)
	}
	return out, errs.Err()
}

// valueNames lists the values of the analysis, in file order.
func (p *Plan) valueNames(f *analysis.File) []string {
	out := make([]string, len(f.Values))
	for i, v := range f.Values {
		out[i] = v.Name
	}
	return out
}

// readWhole lists the datasets that values, claims, inline values or a
// join read by name: each becomes an implicit view of all its rows.
func readWhole(f *analysis.File) map[string]bool {
	wanted := map[string]bool{}
	read := func(e analysis.Expr) {
		for _, n := range expression.Names(e) {
			wanted[n] = true
		}
	}
	for _, v := range f.Values {
		read(v.Expr)
	}
	for _, cl := range f.Claims {
		read(cl.Check)
	}
	for _, cell := range f.Body {
		for _, e := range cell.Inline {
			read(e)
		}
	}
	for _, v := range f.Views {
		if v.Join != nil {
			wanted[v.Join.View.Name] = true
		}
	}
	return wanted
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
// while every field, holding any, may be null. It is an expression
// environment's struct, declaring every column as a name of any type.
func rowStruct(cols []table.Column) reflect.Type {
	env := expression.NewStructEnv("column")
	for _, c := range cols {
		env.Add(c.Name, nil)
	}
	return env.Struct()
}
