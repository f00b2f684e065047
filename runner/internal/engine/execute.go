package engine

import (
	"fmt"
	"reflect"

	"galley/runner/internal/analysis"
	"galley/runner/internal/chart"
	"galley/runner/internal/check"
	"galley/runner/internal/dataset"
	"galley/runner/internal/expression"
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

// DatasetResult is what was read of one dataset.
type DatasetResult struct {
	Dataset  *analysis.Dataset
	SHA256   string // a single file's pin; "" for a glob
	RowsRead int
	Files    []dataset.FileRead // each file read, with its pin and rows: one, or a glob's
}

// ViewResult is one computed view.
type ViewResult struct {
	View     *analysis.View
	Table    *table.Table
	Counts   view.Counts
	Datasets []string // every dataset it depends on, through views and joins
}

// reading is one Execute's reading of the datasets. Every dataset is
// opened (its path checked, its header read) before anything is computed.
// Each file is hashed as it is read, and nothing read is kept unless every
// pin holds: whatever the reading found, a wrong pin is the error, the
// first in the analysis's order (verify).
type reading struct {
	c       *check.Plan
	opts    Options
	readers map[string]*dataset.Reader // opened and not yet read
	opened  []*dataset.Reader          // every Reader opened, in dataset order
	done    map[string]*ViewResult
	results map[string]*DatasetResult
	geos    map[string]*chart.Geo // the GeoJSON datasets' features, for maps
	// partial holds the runs of an append's inputs computed so far, by
	// view and input: a dataset read for other views feeds them too.
	partial map[string][]*view.Run
}

// member is a view a read of a dataset feeds: the view, or input source
// of an append (-1 for a view of one input).
type member struct {
	view   *check.View
	source int
}

func (rd *reading) open(ds *check.Dataset) (*dataset.Reader, error) {
	r, err := open(ds.Spec, rd.opts, skipped(onDataset(rd.c, ds.Source)))
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
	for _, ds := range rd.c.Datasets {
		r, err := rd.open(ds)
		if err != nil {
			return err
		}
		name := ds.Source.Name
		rd.readers[name] = r
		rd.results[name].SHA256 = ds.Source.SHA256.Value
		if g := r.Geo(); g != nil {
			rd.geos[name] = &chart.Geo{Collection: g.Collection, Rows: g.Rows}
		}
	}

	for i, p := range rd.c.Views {
		if rd.done[p.Name] != nil {
			continue
		}
		if p.Sources != nil {
			if err := rd.appendView(p, i); err != nil {
				return err
			}
			continue
		}
		var err error
		if p.Dataset == nil {
			up := rd.done[p.Upstream]
			run, err := p.Plan.Start(joinTable(rd.done, p), rd.opts.Limits)
			if err != nil {
				return err
			}
			if err := feedTable(run, up.Table); err != nil {
				return err
			}
			if err := finish(rd.done, p, run); err != nil {
				return err
			}
			continue
		}
		if err = rd.streamFor(p.Dataset, member{p, -1}, i); err != nil {
			return err
		}
	}
	// A dataset no view reads is still read through once: every cell is
	// checked against its type and every row counted.
	for _, ds := range rd.c.File.Datasets {
		if r := rd.readers[ds.Name]; r != nil {
			delete(rd.readers, ds.Name)
			_, n, err := stream(r, nil, rd.done, rd.opts)
			r.Close()
			if err != nil {
				return err
			}
			rd.results[ds.Name].RowsRead = n
			rd.results[ds.Name].Files = r.Files()
		}
	}
	return nil
}

// streamFor reads ds for m, and in the same read for every later view
// (from index i of the plan's views) that reads it and is ready: not
// computed, its join computed.
func (rd *reading) streamFor(ds *check.Dataset, m member, i int) error {
	group := []member{m}
	ready := func(q *check.View) bool { return rd.done[q.Name] == nil && (q.Join == "" || rd.done[q.Join] != nil) }
	for _, q := range rd.c.Views[i:] {
		switch {
		case q == m.view && q.Sources == nil:
		case q.Sources == nil && q.Dataset == ds && ready(q):
			group = append(group, member{q, -1})
		case q.Sources != nil && ready(q):
			for k, src := range q.Sources {
				if src.Dataset == ds && !rd.computed(q, k) && (q != m.view || k != m.source) {
					group = append(group, member{q, k})
				}
			}
		}
	}
	name := ds.Source.Name
	r := rd.readers[name]
	if r == nil { // read a second time, for a view joined to a view of the same file
		var err error
		if r, err = rd.open(ds); err != nil {
			return err
		}
	}
	delete(rd.readers, name)
	runs, n, err := stream(r, group, rd.done, rd.opts)
	r.Close()
	if err != nil {
		return err
	}
	rd.results[name].RowsRead = n
	rd.results[name].Files = r.Files()
	for j, m := range group {
		if m.source < 0 {
			if err := finish(rd.done, m.view, runs[j]); err != nil {
				return err
			}
			continue
		}
		if rd.partial[m.view.Name] == nil {
			rd.partial[m.view.Name] = make([]*view.Run, len(m.view.Sources))
		}
		rd.partial[m.view.Name][m.source] = runs[j]
	}
	return nil
}

// computed reports whether the run of input k of append p is computed.
func (rd *reading) computed(p *check.View, k int) bool {
	runs := rd.partial[p.Name]
	return runs != nil && runs[k] != nil
}

// appendView computes an append: the run of each input (a view's rows, or
// a dataset read, perhaps already with other views), merged in order.
// Nothing but the view's own result is held: the inputs stream through.
func (rd *reading) appendView(p *check.View, i int) error {
	for k, src := range p.Sources {
		if rd.computed(p, k) {
			continue
		}
		if src.Dataset != nil {
			if err := rd.streamFor(src.Dataset, member{p, k}, i); err != nil {
				return err
			}
			continue
		}
		l, err := p.Plan.Lookup(joinTable(rd.done, p))
		if err != nil {
			return err
		}
		run := p.Plan.StartSource(k, l, rd.opts.Limits)
		if err := feedTable(run, rd.done[src.View].Table); err != nil {
			return err
		}
		if rd.partial[p.Name] == nil {
			rd.partial[p.Name] = make([]*view.Run, len(p.Sources))
		}
		rd.partial[p.Name][k] = run
	}
	runs := rd.partial[p.Name]
	delete(rd.partial, p.Name)
	for _, run := range runs[1:] {
		if err := runs[0].Merge(run); err != nil {
			return err
		}
	}
	return finish(rd.done, p, runs[0])
}

// feedTable feeds the rows of a computed view to run.
func feedTable(run *view.Run, t *table.Table) error {
	for n, row := range t.Rows {
		if err := run.Add(row, func() string { return fmt.Sprintf("row %d of view %q", n+1, t.Name) }); err != nil {
			return err
		}
	}
	return nil
}

func joinTable(done map[string]*ViewResult, p *check.View) *table.Table {
	if p.Join == "" {
		return nil
	}
	return done[p.Join].Table
}

func finish(done map[string]*ViewResult, p *check.View, run *view.Run) error {
	t, err := run.Finish()
	if err != nil {
		return err
	}
	done[p.Name] = &ViewResult{View: p.Plan.View, Table: t, Counts: run.Counts, Datasets: p.Datasets}
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

// onDataset lists the views that read ds directly, and the appends that
// read it as one of their inputs.
func onDataset(c *check.Plan, ds *analysis.Dataset) []member {
	var out []member
	for _, p := range c.Views {
		if p.Dataset != nil && p.Dataset.Source == ds {
			out = append(out, member{p, -1})
		}
		for k, src := range p.Sources {
			if src.Dataset != nil && src.Dataset.Source == ds {
				out = append(out, member{p, k})
			}
		}
	}
	return out
}

// skipped marks the dataset columns no view of group uses; nil (parse
// every column) when no view reads the dataset.
func skipped(group []member) []bool {
	var skip []bool
	for _, m := range group {
		use := m.view.Plan.Uses()
		if m.source >= 0 {
			use = m.view.Plan.UsesOf(m.source)
		}
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

// stream reads the dataset r opened once, feeding every row to each run
// of group, checks its pin, and returns the runs, unfinished, and the rows
// read.
func stream(r *dataset.Reader, group []member, done map[string]*ViewResult, opts Options) ([]*view.Run, int, error) {
	lookups := make([]*view.Lookup, len(group))
	for i, m := range group {
		l, err := m.view.Plan.Lookup(joinTable(done, m.view))
		if err != nil {
			return nil, 0, err
		}
		lookups[i] = l
	}
	start := func() runs {
		rs := make(runs, len(group))
		for i, m := range group {
			if m.source >= 0 {
				rs[i] = m.view.Plan.StartSource(m.source, lookups[i], opts.Limits)
			} else {
				rs[i] = m.view.Plan.StartWith(lookups[i], opts.Limits)
			}
		}
		return rs
	}
	return dataset.Stream(r, opts.Workers, start)
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

// scope holds what values, claims and inline values read: the views, as
// lists of rows, and the values computed so far.
type scope struct {
	rows     map[string]any // view name → its rows (rowsValue)
	computed map[string]any // value name → its value
}

// env fills an environment of the struct type s declares with the views
// and values it names.
func (sc *scope) env(s *expression.Env) any {
	v := reflect.New(s.Struct()).Elem()
	for i, name := range s.Names() {
		x, ok := sc.computed[name]
		if !ok {
			x = sc.rows[name]
		}
		if x != nil {
			v.Field(i).Set(reflect.ValueOf(x))
		}
	}
	return v.Interface()
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
