package engine

import (
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"sync"

	"galley/runner/internal/analysis"
	"galley/runner/internal/check"
	"galley/runner/internal/dataset"
	"galley/runner/internal/expression"
	"galley/runner/internal/position"
	"galley/runner/internal/table"
	"galley/runner/internal/value"
	"galley/runner/internal/view"
)

// Options are everything a run depends on besides the analysis and data.
type Options struct {
	Root   string      // the project root; dataset paths are relative to it
	Limits view.Limits // zero means view.DefaultLimits
	// Workers is how many chunks of a large dataset are read at once; 0
	// or 1 reads them one after the other. The result is the same.
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
func Execute(c *check.Plan, opts Options) (*Result, error) {
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
	for _, d := range c.Datasets {
		dsResults[d.Source.Name].Views = d.Views
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
	sc := &scope{rows: map[string]any{}, computed: map[string]any{}}
	for _, p := range c.Views {
		sc.rows[p.Name] = rowsValue(p.RowType, done[p.Name].Table)
	}
	var m expression.VM
	computed := sc.computed
	lineage := map[string][]string{}
	for _, v := range c.Values {
		out, err := m.Eval(v.Prog, sc.env(v.Scope))
		if err != nil {
			return nil, err
		}
		out = value.Normalize(out)
		computed[v.Source.Name] = out
		lineage[v.Source.Name] = v.Datasets
	}
	for _, v := range c.File.Values {
		res.Values = append(res.Values, &ValueResult{Value: v, V: computed[v.Name], Datasets: lineage[v.Name]})
	}

	var failed position.List
	for _, cc := range c.Claims {
		pass, err := m.Test(cc.Prog, sc.env(cc.Scope))
		if err != nil {
			return nil, err
		}
		cr := &ClaimResult{Claim: cc.Source, Pass: pass, Datasets: cc.Datasets}
		for _, in := range cc.Inputs {
			cr.Inputs = append(cr.Inputs, Input{Name: in.Name, V: computed[in.Name], Pos: in.Pos})
		}
		res.Claims = append(res.Claims, cr)
		if !pass {
			failed.Add(cc.Source.Check.Pos, "claim %q failed: %s%s", cc.Source.ID, strings.TrimSpace(cc.Source.Check.Src), describeInputs(cr.Inputs))
		}
	}

	for _, pc := range c.Cells {
		cell := pc.Source
		for i, prog := range pc.Inline {
			out, err := m.Eval(prog, sc.env(pc.Scopes[i]))
			if err != nil {
				return nil, err
			}
			out = value.Normalize(out)
			switch out.(type) {
			case nil, string, int, float64, bool:
			default:
				if _, isDate := out.(interface{ IsZero() bool }); !isDate {
					return nil, position.Errorf(prog.Src.Pos, "{{ %s }} gives a list or a record, not one value; pick one, e.g. first(...).column",
						strings.TrimSpace(prog.Src.Src))
				}
			}
			res.Inline[cell] = append(res.Inline[cell], out)
		}
		if pc.Inline != nil {
			res.InlineDatasets[cell] = pc.Datasets
		}
	}
	return res, failed.Err()
}

// reading is one Execute's reading of the datasets. Every dataset is
// opened before anything is computed. A small file's pin is checked as it
// is opened; a large file is hashed while it is read, and nothing read is
// kept unless its pin holds: whatever the reading found, a wrong pin is the
// error, the first in the analysis's order (verify).
type reading struct {
	c       *check.Plan
	opts    Options
	readers map[string]*dataset.Reader // opened and not yet read
	opened  []*dataset.Reader          // every Reader opened, in dataset order
	done    map[string]*ViewResult
	results map[string]*DatasetResult
}

func (rd *reading) open(ds *analysis.Dataset) (*dataset.Reader, error) {
	r, err := open(ds, rd.opts, skipped(onDataset(rd.c, ds)))
	if err == nil {
		rd.opened = append(rd.opened, r)
	}
	return r, err
}

// verify waits for the pins of the files opened and returns the first
// that does not hold.
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

	for i, p := range rd.c.Views {
		if rd.done[p.Name] != nil {
			continue
		}
		var err error
		if p.Dataset == nil {
			up := rd.done[p.Upstream]
			run, err := p.Plan.Start(joinTable(rd.done, p), rd.opts.Limits)
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
		group := []*check.View{p}
		for _, q := range rd.c.Views[i+1:] {
			if q.Dataset == p.Dataset && rd.done[q.Name] == nil && (q.Join == "" || rd.done[q.Join] != nil) {
				group = append(group, q)
			}
		}
		r := rd.readers[p.Dataset.Source.Name]
		if r == nil { // read a second time, for a view joined to a view of the same file
			if r, err = rd.open(p.Dataset.Source); err != nil {
				return err
			}
		}
		delete(rd.readers, p.Dataset.Source.Name)
		n, err := stream(r, p.Dataset.Source, group, rd.done, rd.opts)
		r.Close()
		if err != nil {
			return err
		}
		rd.results[p.Dataset.Source.Name].RowsRead = n
	}
	// A dataset no view reads is still read through once: every cell is
	// checked against its type and every row counted.
	for _, ds := range rd.c.File.Datasets {
		if r := rd.readers[ds.Name]; r != nil {
			delete(rd.readers, ds.Name)
			n, err := stream(r, ds, nil, rd.done, rd.opts)
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
	if s, ok := v.(string); ok {
		return fmt.Sprintf("%q", s)
	}
	return value.Text(v)
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

func open(ds *analysis.Dataset, opts Options, skip []bool) (*dataset.Reader, error) {
	var progress func(read, total int64)
	if opts.Progress != nil {
		progress = func(read, total int64) { opts.Progress(ds.Path.Value, read, total) }
	}
	return dataset.Open(ds, dataset.Options{Root: opts.Root, Progress: progress, Skip: skip})
}

// onDataset lists the views that read ds directly.
func onDataset(c *check.Plan, ds *analysis.Dataset) []*check.View {
	var out []*check.View
	for _, p := range c.Views {
		if p.Dataset != nil && p.Dataset.Source == ds {
			out = append(out, p)
		}
	}
	return out
}

// skipped marks the dataset columns no view of group uses; nil (parse
// every column) when no view reads the dataset.
func skipped(group []*check.View) []bool {
	var skip []bool
	for _, p := range group {
		use := p.Plan.Uses()
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

// stream reads ds once, feeding every row to each run of group.
func stream(r *dataset.Reader, ds *analysis.Dataset, group []*check.View, done map[string]*ViewResult, opts Options) (int, error) {
	lookups := make([]*view.Lookup, len(group))
	for i, p := range group {
		l, err := p.Plan.Lookup(joinTable(done, p))
		if err != nil {
			return 0, err
		}
		lookups[i] = l
	}
	start := func() []*view.Run {
		runs := make([]*view.Run, len(group))
		for i, p := range group {
			runs[i] = p.Plan.StartWith(lookups[i], opts.Limits)
		}
		return runs
	}
	runs, rows, err := readChunks(r, ds, start, opts)
	if err != nil {
		return 0, err
	}
	for i, p := range group {
		if err := finish(done, p, runs[i]); err != nil {
			return 0, err
		}
	}
	return rows, nil
}

// feed reads every row of r into runs.
func feed(r *dataset.Reader, ds *analysis.Dataset, runs []*view.Run) error {
	at := func() string { return fmt.Sprintf("%s line %d", ds.Path.Value, r.Line()) }
	for {
		row, err := r.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		for _, run := range runs {
			if err := run.Add(row, at); err != nil {
				return err
			}
		}
	}
}

// piece is what reading one part of a file gave.
type piece struct {
	chunk *dataset.Chunk // nil for the part r reads itself
	runs  []*view.Run
	rows  int
	err   error
	ready chan struct{}
}

// readChunks reads r (the file's first part, or all of a small file) and
// its chunks on opts.Workers goroutines, each chunk into runs of its own,
// and merges the runs in file order. The chunks are fixed by the file, so
// the result, sums of floats included, is the same whatever the number of
// workers; the first error in file order is the one reported, as a serial
// read would. Chunks are read as the sha256 pass finds them, at most two
// per worker ahead of the merge, so memory does not grow with the file.
func readChunks(r *dataset.Reader, ds *analysis.Dataset, start func() []*view.Run, opts Options) ([]*view.Run, int, error) {
	workers := max(opts.Workers, 1)
	order := make(chan *piece, 2*workers) // pieces in file order, to merge
	jobs := make(chan *piece)
	quit := make(chan struct{}) // closed when the merge stops, early or not
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var last *dataset.Reader // this worker's last chunk, whose memory the next takes over
			for p := range jobs {
				select {
				case <-quit: // the merge stopped at an error: the rest is not read
				default:
					p.runs, p.rows, last, p.err = readPiece(r, p.chunk, last, ds, start)
				}
				close(p.ready)
			}
		}()
	}
	go func() {
		defer close(jobs)
		defer close(order)
		for p := (&piece{}); p != nil; {
			p.ready = make(chan struct{})
			select {
			case order <- p:
			case <-quit:
				return
			}
			select {
			case jobs <- p:
			case <-quit:
				close(p.ready)
				return
			}
			p = nil
			if c := r.NextChunk(); c != nil {
				p = &piece{chunk: c}
			}
		}
	}()
	defer wg.Wait()
	defer close(quit)
	var runs []*view.Run
	rows := 0
	for p := range order {
		<-p.ready
		if p.err != nil {
			return nil, 0, p.err
		}
		rows += p.rows
		if runs == nil {
			runs = p.runs
		} else {
			for j := range runs {
				if err := runs[j].Merge(p.runs[j]); err != nil {
					return nil, 0, err
				}
			}
		}
		if size := r.Size(); opts.Progress != nil && p.chunk != nil {
			// As the dataset package counts: the sha256 pass, then the parse.
			opts.Progress(ds.Path.Value, size+p.chunk.End(), 2*size)
		}
	}
	return runs, rows, nil
}

// readPiece reads a chunk, or r's own part when c is nil. done is a closed
// Reader of an earlier chunk, or nil; rd is the one that read c, closed.
func readPiece(r *dataset.Reader, c *dataset.Chunk, done *dataset.Reader, ds *analysis.Dataset, start func() []*view.Run) (runs []*view.Run, rows int, rd *dataset.Reader, err error) {
	rd = r
	if c != nil {
		if rd, err = c.Open(done); err != nil {
			return nil, 0, done, err
		}
		defer rd.Close()
	}
	runs = start()
	if err := feed(rd, ds, runs); err != nil {
		return nil, 0, nil, err
	}
	if c == nil {
		return runs, rd.RowsRead(), done, nil
	}
	return runs, rd.RowsRead(), rd, nil
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
