package dataset

import (
	"errors"
	"io"
	"sync"
)

// Sink takes the rows of one part of a dataset's file. Stream makes one per
// part, fills each on one goroutine, and merges them in file order.
type Sink[S any] interface {
	// Add takes one row, values in ds.Columns order; the slice is reused
	// once Add returns. at names the row's place in the file, for errors.
	Add(row []any, at func() string) error
	// Merge adds the rows of later, the sink of the parts that follow this
	// sink's, after its own.
	Merge(later S) error
}

// Stream reads every row of r's file into sinks made by newSink, one per
// part of the file, reading up to workers parts at once (at least one),
// and merges them in file order into the first, which it returns with the
// number of rows read. The parts are fixed by the file, never by the
// machine, so the result is the same whatever the number of workers; the
// first error in file order is the one returned, as one reader over the
// whole file would return it. Parts are read as the file's single read
// hands them out, at most two per worker ahead of the merge, so memory does
// not grow with the file.
//
// Stream checks the pin before it returns: a wrong pin is the error,
// whatever the reading found, and the merged sink is returned only when the
// pin holds. r must not have been read; Close it after.
func Stream[S Sink[S]](r *Reader, workers int, newSink func() S) (S, int, error) {
	var zero S
	if r.rows > 0 || r.closed {
		return zero, 0, errors.New("dataset: Stream of a Reader already read")
	}
	r.streamed = true
	merged, rows, err := stream(r, max(workers, 1), newSink)
	if perr := r.Verify(); perr != nil {
		return zero, 0, perr
	}
	if err != nil {
		return zero, 0, err
	}
	return merged, rows, nil
}

// piece is what reading one part of a file gave.
type piece[S any] struct {
	file  *Reader // the file's Reader
	k     int     // its place among the files read
	chunk *chunk  // nil for the part the file's Reader reads itself
	sink  S
	rows  int
	err   error
	ready chan struct{}
}

// files gives the Readers of the files r reads, in order: r itself, or
// the files of r's glob, each opened when asked for; nil after the last.
func (r *Reader) files() func(k int) (*Reader, error) {
	if r.glob == nil {
		return func(k int) (*Reader, error) {
			if k > 0 {
				return nil, nil
			}
			return r, nil
		}
	}
	g := r.glob
	return func(k int) (*Reader, error) {
		if k == len(g.files) {
			return nil, nil
		}
		return g.open(k)
	}
}

// stopAll stops the reading of every file opened: their parts' readers
// stop at once.
func (r *Reader) stopAll() {
	rds := []*Reader{r}
	if r.glob != nil {
		rds = r.glob.opened()
	}
	for _, rd := range rds {
		if rd.feed != nil {
			rd.feed.stop()
		}
	}
}

func stream[S Sink[S]](r *Reader, workers int, newSink func() S) (S, int, error) {
	var zero S
	order := make(chan *piece[S], 2*workers) // pieces in file order, to merge
	jobs := make(chan *piece[S])
	quit := make(chan struct{}) // closed when the merge stops, early or not
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var last *Reader // this worker's last chunk, whose memory the next takes over
			for p := range jobs {
				select {
				case <-quit: // the merge stopped at an error: the rest is not read
				default:
					p.sink, p.rows, last, p.err = readPiece(p.file, p.chunk, last, newSink)
				}
				close(p.ready)
			}
		}()
	}
	next := r.files()
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(jobs)
		defer close(order)
		// send hands p to the merge and, unless it holds an error
		// already, to a worker; false once the merge stopped.
		send := func(p *piece[S]) bool {
			p.ready = make(chan struct{})
			select {
			case order <- p:
			case <-quit:
				return false
			}
			if p.err != nil {
				close(p.ready)
				return false
			}
			select {
			case jobs <- p:
			case <-quit:
				close(p.ready)
				return false
			}
			return true
		}
		for k := 0; ; k++ {
			fr, err := next(k)
			if fr == nil && err == nil {
				return
			}
			if err != nil {
				send(&piece[S]{err: err})
				return
			}
			fr.streamed = true
			if fr.feed != nil {
				fr.feed.setWorkers(workers)
			}
			for p := (&piece[S]{file: fr, k: k}); p != nil; {
				if !send(p) {
					return
				}
				p = nil
				if c := fr.nextChunk(); c != nil {
					p = &piece[S]{file: fr, k: k, chunk: c}
				}
			}
		}
	}()
	defer wg.Wait()
	defer close(quit)
	stop := r.stopAll // parts being read are let go of: their readers stop at once
	var merged S
	rows, first := 0, true
	var prev *Reader // the file of the pieces merged last
	for p := range order {
		<-p.ready
		if p.err != nil {
			stop()
			return zero, 0, p.err
		}
		if p.file != prev && prev != nil && r.glob != nil {
			// Every part of the file before is merged: its pin is
			// checked now, in order, and it is closed.
			if err := prev.Verify(); err != nil {
				stop()
				return zero, 0, err
			}
			prev.Close()
		}
		prev = p.file
		p.file.total += p.rows
		if r.glob != nil {
			r.glob.rows[p.k] += p.rows
		}
		rows += p.rows
		if first {
			merged, first = p.sink, false
		} else if err := merged.Merge(p.sink); err != nil {
			stop()
			return zero, 0, err
		}
	}
	return merged, rows, nil
}

// readPiece reads a chunk, or r's own part when c is nil, into a new sink.
// done is a closed Reader of an earlier chunk, or nil; rd is the one that
// read c, closed.
func readPiece[S Sink[S]](r *Reader, c *chunk, done *Reader, newSink func() S) (sink S, rows int, rd *Reader, err error) {
	rd = r
	if c != nil {
		if rd, err = c.open(done); err != nil {
			return sink, 0, done, err
		}
		defer rd.Close()
	}
	sink = newSink()
	if err := rd.readInto(sink.Add); err != nil {
		return sink, 0, nil, err
	}
	if c == nil {
		return sink, rd.RowsRead(), done, nil
	}
	return sink, rd.RowsRead(), rd, nil
}

// readInto reads every row of the Reader's own part into add.
func (r *Reader) readInto(add func(row []any, at func() string) error) error {
	at := r.where
	for {
		row, err := r.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := add(row, at); err != nil {
			return err
		}
	}
}
