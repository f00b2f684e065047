package engine

import (
	"fmt"
	"reflect"
	"strings"
	"sync"

	"galley/runner/internal/analysis"
	"galley/runner/internal/dataset"
	"galley/runner/internal/expression"
	"galley/runner/internal/position"
	"galley/runner/internal/table"
	"galley/runner/internal/view"
)

// Options are everything a run depends on besides the analysis and data.
type Options struct {
	Root   string      // the project root; dataset paths are relative to it
	Limits view.Limits // zero means view.DefaultLimits
	// Workers is how many parts of a large dataset are read at once
	// (dataset.Stream); 0 or 1 reads them one after the other. The result
	// is the same.
	Workers  int
	Progress func(dataset string, read, total int64)
}

// Result is a computed analysis, ready for the report.
type Result struct {
	File     *analysis.File
	Datasets []*DatasetResult // file order
	Views    []*ViewResult    // file order; datasets read whole are not listed
	Values   []*ValueResult   // file order
	Claims   []*ClaimResult   // file order
	Inline   map[*analysis.Cell][]any
	// InlineDatasets lists, for each Markdown cell, the datasets its inline
	// values depend on.
	InlineDatasets map[*analysis.Cell][]string
	views          map[string]*ViewResult
}

// DatasetResult is what was read of one dataset.
type DatasetResult struct {
	Dataset  *analysis.Dataset
	SHA256   string
	RowsRead int
	Views    []string // the views that read it directly, in file order
}

// ViewResult is one computed view.
type ViewResult struct {
	View     *analysis.View
	Table    *table.Table
	Counts   view.Counts
	Datasets []string // every dataset it depends on, through views and joins
}

// ValueResult is one computed value.
type ValueResult struct {
	Value    *analysis.Value
	V        any
	Datasets []string // the datasets it depends on, through views and values
}

// ClaimResult is one checked claim, with the values its check read.
type ClaimResult struct {
	Claim    *analysis.Claim
	Pass     bool
	Inputs   []Input
	Datasets []string // the datasets its check depends on
}

// Input is a named value a claim's check read.
type Input struct {
	Name string
	V    any
	Pos  position.Pos
}

// View returns the computed view named name, or nil.
func (r *Result) View(name string) *ViewResult { return r.views[name] }

// RowsRead is the total of rows read from every dataset.
func (r *Result) RowsRead() int {
	n := 0
	for _, d := range r.Datasets {
		n += d.RowsRead
	}
	return n
}

// ClaimsPassed counts the claims that hold.
func (r *Result) ClaimsPassed() int {
	n := 0
	for _, c := range r.Claims {
		if c.Pass {
			n++
		}
	}
	return n
}

// Execute reads the data and computes everything. A failing claim is an
// error (one per claim) returned with the Result; any other error returns a
// nil Result.
func (c *Compiled) Execute(opts Options) (*Result, error) {
	if opts.Limits == (view.Limits{}) {
		opts.Limits = view.DefaultLimits
	}
	if progress := opts.Progress; progress != nil {
		// Chunks are read on several goroutines; the callback sees one at a time.
		var mu sync.Mutex
		opts.Progress = func(path string, read, total int64) {
			mu.Lock()
			defer mu.Unlock()
			progress(path, read, total)
		}
	}
	res := &Result{File: c.File, Inline: map[*analysis.Cell][]any{}, InlineDatasets: map[*analysis.Cell][]string{},
		views: map[string]*ViewResult{}}
	dsResults := map[string]*DatasetResult{}
	for _, ds := range c.File.Datasets {
		d := &DatasetResult{Dataset: ds}
		dsResults[ds.Name] = d
		res.Datasets = append(res.Datasets, d)
	}
	for _, v := range c.File.Views {
		if ds := dsResults[v.From.Name]; ds != nil {
			ds.Views = append(ds.Views, v.Name)
		}
	}

	rd := &reading{c: c, opts: opts, readers: map[string]*dataset.Reader{}, done: map[string]*ViewResult{}, results: dsResults}
	defer rd.close()
	err := rd.readAll()
	if perr := rd.verify(); perr != nil {
		return nil, perr
	}
	if err != nil {
		return nil, err
	}
	done := rd.done
	for _, v := range c.File.Views {
		if vr := done[v.Name]; vr != nil {
			res.Views = append(res.Views, vr)
			res.views[v.Name] = vr
		}
	}

	// Values see views as lists of rows.
	envVal := reflect.New(c.env.Struct()).Elem()
	set := func(name string, v any) {
		if i := c.env.Field(name); i >= 0 && v != nil {
			envVal.Field(i).Set(reflect.ValueOf(v))
		}
	}
	for _, p := range c.plans {
		set(p.name, rowsValue(c.rowType[p.name], done[p.name].Table))
	}
	env := envVal.Interface()
	var m expression.VM
	computed := map[string]any{}
	lineage := map[string][]string{}
	for _, p := range c.plans {
		lineage[p.name] = p.datasets
	}
	sources := func(refs []string) []string {
		var out []string
		for _, r := range refs {
			out = append(out, lineage[r]...)
		}
		return uniq(out)
	}
	for _, v := range c.values {
		lineage[v.value.Name] = sources(v.prog.Refs)
		out, err := m.Eval(v.prog, env)
		if err != nil {
			return nil, err
		}
		out = plain(out)
		set(v.value.Name, out)
		env = envVal.Interface()
		computed[v.value.Name] = out
	}
	for _, v := range c.File.Values {
		res.Values = append(res.Values, &ValueResult{Value: v, V: computed[v.Name], Datasets: lineage[v.Name]})
	}

	var failed position.List
	for _, cc := range c.claims {
		pass, err := m.Test(cc.prog, env)
		if err != nil {
			return nil, err
		}
		cr := &ClaimResult{Claim: cc.claim, Pass: pass, Datasets: sources(cc.prog.Refs)}
		for _, name := range cc.prog.Refs {
			if v, ok := computed[name]; ok {
				cr.Inputs = append(cr.Inputs, Input{Name: name, V: v, Pos: valuePos(c.File, name)})
			}
		}
		res.Claims = append(res.Claims, cr)
		if !pass {
			failed.Add(cc.claim.Check.Pos, "claim %q failed: %s%s", cc.claim.ID, strings.TrimSpace(cc.claim.Check.Src), describeInputs(cr.Inputs))
		}
	}

	for _, cell := range c.File.Body {
		for _, prog := range c.inline[cell] {
			out, err := m.Eval(prog, env)
			if err != nil {
				return nil, err
			}
			out = plain(out)
			switch out.(type) {
			case nil, string, int, float64, bool:
			default:
				if _, isDate := out.(interface{ IsZero() bool }); !isDate {
					return nil, position.Errorf(prog.Src.Pos, "{{ %s }} gives a list or a record, not one value; pick one, e.g. first(...).column",
						strings.TrimSpace(prog.Src.Src))
				}
			}
			res.Inline[cell] = append(res.Inline[cell], out)
			res.InlineDatasets[cell] = uniq(append(res.InlineDatasets[cell], sources(prog.Refs)...))
		}
	}
	return res, failed.Err()
}

// reading is one Execute's reading of the datasets. Every dataset is
// opened (its path checked, its header read) before anything is computed.
// Each file is hashed as it is read, and nothing read is kept unless every
// pin holds: whatever the reading found, a wrong pin is the error, the
// first in the analysis's order (verify).
type reading struct {
	c       *Compiled
	opts    Options
	readers map[string]*dataset.Reader // opened and not yet read
	opened  []*dataset.Reader          // every Reader opened, in dataset order
	done    map[string]*ViewResult
	results map[string]*DatasetResult
}

func (rd *reading) open(ds *analysis.Dataset) (*dataset.Reader, error) {
	r, err := open(rd.c.specs[ds.Name], rd.opts, skipped(rd.c.onDataset(ds)))
	if err == nil {
		rd.opened = append(rd.opened, r)
	}
	return r, err
}

// verify checks the pins of the files opened (a file not read yet is read
// through sha256 for it) and returns the first that does not hold.
func (rd *reading) verify() error {
	for _, r := range rd.opened {
		if err := r.Verify(); err != nil {
			return err
		}
	}
	return nil
}

func (rd *reading) close() {
	for _, r := range rd.readers {
		r.Close()
	}
}

// readAll computes every view, reading each dataset once (twice for a view
// joined to a view of its own file).
func (rd *reading) readAll() error {
	for _, ds := range rd.c.File.Datasets {
		r, err := rd.open(ds)
		if err != nil {
			return err
		}
		rd.readers[ds.Name] = r
		rd.results[ds.Name].SHA256 = ds.SHA256.Value
	}

	for i, p := range rd.c.plans {
		if rd.done[p.name] != nil {
			continue
		}
		var err error
		if p.dataset == nil {
			up := rd.done[p.upstream]
			run, err := p.plan.Start(joinTable(rd.done, p), rd.opts.Limits)
			if err != nil {
				return err
			}
			for n, row := range up.Table.Rows {
				if err := run.Add(row, func() string { return fmt.Sprintf("row %d of view %q", n+1, up.Table.Name) }); err != nil {
					return err
				}
			}
			if err := finish(rd.done, p, run); err != nil {
				return err
			}
			continue
		}
		// One read of the dataset feeds every view on it that is ready.
		group := []*planned{p}
		for _, q := range rd.c.plans[i+1:] {
			if q.dataset == p.dataset && rd.done[q.name] == nil && (q.join == "" || rd.done[q.join] != nil) {
				group = append(group, q)
			}
		}
		r := rd.readers[p.dataset.Name]
		if r == nil { // read a second time, for a view joined to a view of the same file
			if r, err = rd.open(p.dataset); err != nil {
				return err
			}
		}
		delete(rd.readers, p.dataset.Name)
		n, err := stream(r, group, rd.done, rd.opts)
		r.Close()
		if err != nil {
			return err
		}
		rd.results[p.dataset.Name].RowsRead = n
	}
	// A dataset no view reads is still read through once: every cell is
	// checked against its type and every row counted.
	for _, ds := range rd.c.File.Datasets {
		if r := rd.readers[ds.Name]; r != nil {
			delete(rd.readers, ds.Name)
			n, err := stream(r, nil, rd.done, rd.opts)
			r.Close()
			if err != nil {
				return err
			}
			rd.results[ds.Name].RowsRead = n
		}
	}
	return nil
}

func describeInputs(in []Input) string {
	if len(in) == 0 {
		return ""
	}
	parts := make([]string, len(in))
	for i, x := range in {
		parts[i] = x.Name + " = " + display(x.V)
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

func display(v any) string {
	if v == nil {
		return "null"
	}
	if s, ok := v.(string); ok {
		return fmt.Sprintf("%q", s)
	}
	return table.Format(v)
}

func valuePos(f *analysis.File, name string) position.Pos {
	for _, v := range f.Values {
		if v.Name == name {
			return v.Pos
		}
	}
	return position.Pos{}
}

func joinTable(done map[string]*ViewResult, p *planned) *table.Table {
	if p.join == "" {
		return nil
	}
	return done[p.join].Table
}

func finish(done map[string]*ViewResult, p *planned, run *view.Run) error {
	t, err := run.Finish()
	if err != nil {
		return err
	}
	done[p.name] = &ViewResult{View: p.plan.View, Table: t, Counts: run.Counts, Datasets: p.datasets}
	return nil
}

func open(sp *dataset.Spec, opts Options, skip []bool) (*dataset.Reader, error) {
	var progress func(read, total int64)
	if opts.Progress != nil {
		path := sp.Dataset().Path.Value
		progress = func(read, total int64) { opts.Progress(path, read, total) }
	}
	return dataset.Open(sp, dataset.Options{Root: opts.Root, Progress: progress, Skip: skip})
}

// onDataset lists the views that read ds directly.
func (c *Compiled) onDataset(ds *analysis.Dataset) []*planned {
	var out []*planned
	for _, p := range c.plans {
		if p.dataset == ds {
			out = append(out, p)
		}
	}
	return out
}

// skipped marks the dataset columns no view of group uses; nil (parse
// every column) when no view reads the dataset.
func skipped(group []*planned) []bool {
	var skip []bool
	for _, p := range group {
		use := p.plan.Uses()
		if skip == nil {
			skip = make([]bool, len(use))
			for i := range skip {
				skip[i] = true
			}
		}
		for i, u := range use {
			if u {
				skip[i] = false
			}
		}
	}
	return skip
}

// stream reads the dataset r opened once, feeding every row to each run of
// group, and checks its pin.
func stream(r *dataset.Reader, group []*planned, done map[string]*ViewResult, opts Options) (int, error) {
	lookups := make([]*view.Lookup, len(group))
	for i, p := range group {
		l, err := p.plan.Lookup(joinTable(done, p))
		if err != nil {
			return 0, err
		}
		lookups[i] = l
	}
	start := func() runs {
		rs := make(runs, len(group))
		for i, p := range group {
			rs[i] = p.plan.StartWith(lookups[i], opts.Limits)
		}
		return rs
	}
	rs, rows, err := dataset.Stream(r, opts.Workers, start)
	if err != nil {
		return 0, err
	}
	for i, p := range group {
		if err := finish(done, p, rs[i]); err != nil {
			return 0, err
		}
	}
	return rows, nil
}

// runs are the runs of the views one read of a dataset feeds: a
// dataset.Sink, one per part of the file.
type runs []*view.Run

func (rs runs) Add(row []any, at func() string) error {
	for _, run := range rs {
		if err := run.Add(row, at); err != nil {
			return err
		}
	}
	return nil
}

func (rs runs) Merge(later runs) error {
	for i := range rs {
		if err := rs[i].Merge(later[i]); err != nil {
			return err
		}
	}
	return nil
}

// rowsValue builds the []struct a view is seen as inside values.
func rowsValue(t reflect.Type, tab *table.Table) any {
	s := reflect.MakeSlice(reflect.SliceOf(t), len(tab.Rows), len(tab.Rows))
	for i, row := range tab.Rows {
		e := s.Index(i)
		for j, v := range row {
			if v != nil {
				e.Field(j).Set(reflect.ValueOf(v))
			}
		}
	}
	return s.Interface()
}

// plain turns what expr-lang returns into the value types of package
// table; a row struct or list stays as it is.
func plain(v any) any {
	switch x := v.(type) {
	case int64:
		return int(x)
	case int32:
		return int(x)
	case float32:
		return float64(x)
	}
	return v
}
