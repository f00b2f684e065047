package engine

import (
	"errors"
	"fmt"
	"io"
	"reflect"
	"sync"

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
	// Workers is how many chunks of a large dataset are read at once; 0
	// or 1 reads them one after the other. The result is the same.
	Workers  int
	Progress func(dataset string, read, total int64)
}

// DatasetResult is what was read of one dataset.
type DatasetResult struct {
	Dataset  *analysis.Dataset
	SHA256   string
	RowsRead int
}

// ViewResult is one computed view.
type ViewResult struct {
	View     *analysis.View
	Table    *table.Table
	Counts   view.Counts
	Datasets []string // every dataset it depends on, through views and joins
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
	geos    map[string]*chart.Geo // the GeoJSON datasets' features, for maps
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
		if g := r.Geo(); g != nil {
			rd.geos[ds.Name] = &chart.Geo{Collection: g.Collection, Rows: g.Rows}
		}
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
