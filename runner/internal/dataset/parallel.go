package dataset

import (
	"errors"
	"fmt"
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
	chunk *chunk // nil for the part r reads itself
	sink  S
	rows  int
	err   error
	ready chan struct{}
}

func stream[S Sink[S]](r *Reader, workers int, newSink func() S) (S, int, error) {
	var zero S
	if r.feed != nil {
		r.feed.setWorkers(workers)
	}
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
					p.sink, p.rows, last, p.err = readPiece(r, p.chunk, last, newSink)
				}
				close(p.ready)
			}
		}()
	}
	go func() {
		defer close(jobs)
		defer close(order)
		for p := (&piece[S]{}); p != nil; {
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
			if c := r.nextChunk(); c != nil {
				p = &piece[S]{chunk: c}
			}
		}
	}()
	defer wg.Wait()
	defer close(quit)
	stop := func() {
		// Parts being read are let go of: their readers stop at once.
		if r.feed != nil {
			r.feed.stop()
		}
	}
	var merged S
	rows, first := 0, true
	for p := range order {
		<-p.ready
		if p.err != nil {
			stop()
			return zero, 0, p.err
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
	at := func() string { return fmt.Sprintf("%s line %d", r.rel, r.Line()) }
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
