package dataset

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"galley/runner/internal/analysis"
	"galley/runner/internal/position"
)

// Options come in explicitly; nothing reads globals, the clock or the
// environment.
type Options struct {
	// Root is the project root directory (absolute or relative to the
	// working directory); dataset paths are relative to it. "" means ".".
	Root string
	// Progress, if not nil, is called now and then (about every MiB) with
	// the bytes read so far and the total. Open reads the file twice, once
	// through sha256 and once parsing it, so its total is twice the file's
	// size; Sum's total is the size.
	Progress func(read, total int64)
	// Skip, indexed like ds.Columns, marks columns not to parse: Read gives
	// nil for them. The columns must still be in the file.
	Skip []bool
	// MaxRecord is the most bytes one record may take; 0 means
	// MaxRecord, the constant. Tests set it lower.
	MaxRecord int64
}

// MaxRecord is the most bytes one record of a data file may take, the
// header included: a row, with every line of its quoted fields, counted in
// the file's text decoded to UTF-8 from the end of the previous record.
// encoding/csv holds a whole record in memory, so a longer one (a 100 MB
// field, a line of a gigabyte with no line break, a quote left open that
// swallows the rest of the file) stops the reading with an error positioned
// where the limit was passed, instead of exhausting memory. Reading a record
// this size takes about four times as much memory.
const MaxRecord = 8 << 20

func (o Options) maxRecord() int64 {
	if o.MaxRecord > 0 {
		return o.MaxRecord
	}
	return MaxRecord
}

// Sum returns the lowercase hex sha256 of the dataset's file, after the path
// checks. It is what `galley pin` writes.
func Sum(ds *analysis.Dataset, opts Options) (string, error) {
	loc, err := locateDataset(ds, opts.Root)
	if err != nil {
		return "", err
	}
	f, err := os.Open(loc.full)
	if err != nil {
		return "", position.Errorf(or(ds.Path.Pos, ds.Pos), "dataset %q: %s cannot be read (%s)", ds.Name, loc.rel, reason(err))
	}
	defer f.Close()
	sum, err := hashFile(f, &progress{fn: opts.Progress, total: loc.size}, loc.rel)
	if err != nil {
		return "", position.Errorf(or(ds.Path.Pos, ds.Pos), "dataset %q: %s", ds.Name, err)
	}
	return sum, nil
}

func locateDataset(ds *analysis.Dataset, root string) (*located, error) {
	if !ds.Path.Set && ds.Path.Value == "" {
		return nil, position.Errorf(ds.Pos, "dataset %q has no path (add path: datasets/%s.csv)", ds.Name, ds.Name)
	}
	loc, err := locate(ds.Path.Value, root)
	if err != nil {
		return nil, position.Errorf(or(ds.Path.Pos, ds.Pos), "dataset %q: %s", ds.Name, err)
	}
	return loc, nil
}

// pinCommand is the command that rewrites the pins of the analysis.
func pinCommand(ds *analysis.Dataset) string {
	if ds.Pos.File == "" {
		return "galley pin"
	}
	return "galley pin " + ds.Pos.File
}

// checkPin checks that the pin is present and well formed.
func checkPin(ds *analysis.Dataset) error {
	v := ds.SHA256.Value
	if !ds.SHA256.Set || v == "" {
		return position.Errorf(ds.Pos, "dataset %q has no sha256 pin (run %s)", ds.Name, pinCommand(ds))
	}
	if n := utf8.RuneCountInString(v); n != 64 {
		return position.Errorf(or(ds.SHA256.Pos, ds.Pos), "dataset %q: sha256 pin has %d characters, want 64 hex digits (run %s)", ds.Name, n, pinCommand(ds))
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case '0' <= c && c <= '9', 'a' <= c && c <= 'f':
		case 'A' <= c && c <= 'F':
			if strings.Trim(strings.ToLower(v), "0123456789abcdef") == "" {
				return position.Errorf(or(ds.SHA256.Pos, ds.Pos), "dataset %q: sha256 pin must be lowercase hex: %s", ds.Name, strings.ToLower(v))
			}
		default:
			r, _ := utf8.DecodeRuneInString(v[i:])
			return position.Errorf(or(ds.SHA256.Pos, ds.Pos), "dataset %q: sha256 pin has %q at character %d, not a hex digit (run %s)", ds.Name, r, utf8.RuneCountInString(v[:i])+1, pinCommand(ds))
		}
	}
	return nil
}

// delimiter returns the dataset's delimiter.
func delimiter(ds *analysis.Dataset) (rune, error) {
	if !ds.Delimiter.Set {
		return ',', nil
	}
	s := ds.Delimiter.Value
	switch s {
	case `\t`, "tab", "TAB":
		return '\t', nil
	}
	r, size := utf8.DecodeRuneInString(s)
	if s == "" || size != len(s) || r == utf8.RuneError || r == 0 || r == '"' || r == '\r' || r == '\n' {
		return 0, position.Errorf(or(ds.Delimiter.Pos, ds.Pos), "dataset %q: delimiter %q must be one character other than a quote or a line break, e.g. \",\", \";\" or \"\\t\"", ds.Name, s)
	}
	return r, nil
}

// Reader streams the rows of a dataset.
type Reader struct {
	ds     *analysis.Dataset
	rel    string
	in     *input
	header []string
	cols   []colReader
	row    []any
	memo   []memo // per column
	max    int64  // MaxRecord

	size   int64                   // the file's size
	prog   func(read, total int64) // Options.Progress
	enc    string                  // its encoding
	comma  rune                    // its delimiter
	hash   *hashing                // the sha256 pass over a large file; nil for a small one
	whole  bool                    // this Reader reads the whole file: there are no chunks
	chunks int                     // chunks given by NextChunk

	rows int
	line int // where the last row returned starts
	err  error

	// A file with a single column: a blank line is a row with an empty cell,
	// but encoding/csv skips it. next is the line after the last record.
	single    bool
	next      int
	blanks    int  // blank rows still to return before the record held
	held      bool // the scanner holds a record behind blank rows
	synthetic bool // the row just returned is a blank line
	closed    bool
}

type colReader struct {
	col     *analysis.Column
	idx     int // in the header
	skip    bool
	ignore  bool // skipped, and any text is a value: nothing to check
	nulls   []string
	trim    bool // not a string column: trim spaces before parsing
	emptyNA bool // nulls is exactly [""]
}

// Open checks the dataset's path and pin, opens its file for streaming and
// maps the declared columns to the header. See the package documentation
// for the reading rules. Close the Reader when done.
func Open(ds *analysis.Dataset, opts Options) (*Reader, error) {
	loc, err := locateDataset(ds, opts.Root)
	if err != nil {
		return nil, err
	}
	if err := checkPin(ds); err != nil {
		return nil, err
	}
	enc, ok := encodingName(ds.Encoding.Value)
	if !ok {
		return nil, position.Errorf(or(ds.Encoding.Pos, ds.Pos), "dataset %q: unknown encoding %q (use utf-8, latin-1 or windows-1252)", ds.Name, ds.Encoding.Value)
	}
	comma, err := delimiter(ds)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(loc.full)
	if err != nil {
		return nil, position.Errorf(or(ds.Path.Pos, ds.Pos), "dataset %q: %s cannot be read (%s)", ds.Name, loc.rel, reason(err))
	}
	r, err := open(ds, opts, loc, f, enc, comma)
	if err != nil {
		f.Close()
		return nil, err
	}
	return r, nil
}

func open(ds *analysis.Dataset, opts Options, loc *located, f *os.File, enc string, comma rune) (*Reader, error) {
	prog := &progress{fn: opts.Progress, total: 2 * loc.size}
	r := &Reader{ds: ds, rel: loc.rel, size: loc.size, prog: opts.Progress, max: opts.maxRecord(), enc: enc, comma: comma}
	if loc.size < 2*ChunkSize || ds.SkipRows.Value > 0 {
		// A small file is hashed, and its pin checked, before it is read.
		// Lines skipped before the header are not CSV: their quotes would
		// throw the boundary search off, so such a file is read in one piece.
		sum, err := hashFile(f, prog, loc.rel)
		if err != nil {
			return nil, position.Errorf(or(ds.Path.Pos, ds.Pos), "dataset %q: %s", ds.Name, err)
		}
		if err := r.checkSum(sum); err != nil {
			return nil, err
		}
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return nil, position.Errorf(or(ds.Path.Pos, ds.Pos), "dataset %q: %s cannot be read (%s)", ds.Name, loc.rel, reason(err))
		}
		prog.base, prog.n, prog.last = prog.n, 0, 0
		r.whole = true
		if err := r.begin(f, f, prog, enc, comma); err != nil {
			return nil, err
		}
		return r, r.mapColumns(opts.Skip)
	}

	// A large file is hashed on a goroutine of its own while its chunks are
	// read: the boundaries come from that pass, and its sum, once known,
	// decides whether anything read counts (Verify). Its progress is that
	// of the reading alone. The hash and every chunk read the one file
	// opened here (by offset, which is safe from several goroutines), so
	// that the bytes parsed are the bytes hashed even if the path is
	// pointed at another file meanwhile.
	r.hash = newHashing()
	go func() {
		sum, err := hashSplit(io.NewSectionReader(f, 0, math.MaxInt64), &progress{}, loc.rel, ChunkSize, r.hash.add)
		r.hash.finish(sum, err)
	}()
	prog.base = loc.size
	first, ok := r.hash.boundary(0)
	var src io.Reader = f
	if ok && first.off < loc.size {
		src = io.NewSectionReader(f, 0, first.off)
	} else {
		r.whole = true
	}
	if err := r.begin(f, src, prog, enc, comma); err != nil {
		return nil, r.pinFirst(err)
	}
	if !r.whole && r.next > first.line {
		// The header reaches past the first boundary: rare enough to read
		// such a file in one piece.
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return nil, r.pinFirst(position.Errorf(or(ds.Path.Pos, ds.Pos), "dataset %q: %s cannot be read (%s)", ds.Name, loc.rel, reason(err)))
		}
		r.whole = true
		if err := r.begin(f, f, prog, enc, comma); err != nil {
			return nil, r.pinFirst(err)
		}
	}
	if err := r.mapColumns(opts.Skip); err != nil {
		return nil, r.pinFirst(err)
	}
	return r, nil
}

// checkSum compares the file's sha256 with the pin.
func (r *Reader) checkSum(sum string) error {
	ds := r.ds
	if sum != ds.SHA256.Value {
		return position.Errorf(or(ds.SHA256.Pos, ds.Pos), "dataset %q: sha256 of %s does not match its pin: expected %s, got %s (if the file changed on purpose, run %s)",
			ds.Name, r.rel, ds.SHA256.Value, sum, pinCommand(ds))
	}
	return nil
}

// Verify waits for the sha256 pass over a large file and checks the pin: a
// caller uses nothing read from the file before Verify returns nil. For a
// small file, Open checked the pin already.
func (r *Reader) Verify() error {
	if r.hash == nil {
		return nil
	}
	sum, err := r.hash.wait()
	if err != nil {
		return position.Errorf(or(r.ds.Path.Pos, r.ds.Pos), "dataset %q: %s", r.ds.Name, err)
	}
	return r.checkSum(sum)
}

// pinFirst returns the pin's error, if the pin is wrong, instead of err: a
// changed file explains any other error in it.
func (r *Reader) pinFirst(err error) error {
	if perr := r.Verify(); perr != nil {
		return perr
	}
	return err
}

// ChunkSize is about how many bytes of a data file one chunk holds. A file
// of at least two chunks is read as a sequence of chunks, each from a record
// boundary to the next, which Stream reads in parallel. It is a constant,
// not a setting, so that where a file splits depends on the file alone.
const ChunkSize = 4 << 20

// nextChunk returns the next part of the file after the one this Reader
// reads, or nil when there is none: this Reader reads from the header up to
// the first boundary, and each chunk from one boundary to the next. Reading
// this Reader and then each chunk in order gives the rows of the whole
// file, with the same lines and errors. A file smaller than two chunks has
// no chunks: this Reader reads it all. nextChunk waits for the sha256 pass
// to find the chunk's end; call it from one goroutine.
func (r *Reader) nextChunk() *chunk {
	if r.whole {
		return nil
	}
	start, ok := r.hash.boundary(r.chunks)
	if !ok || start.off >= r.size {
		return nil
	}
	end := r.size
	if b, ok := r.hash.boundary(r.chunks + 1); ok && b.off < r.size {
		end = b.off
	}
	r.chunks++
	return &chunk{parent: r, start: start, end: end}
}

// hashing is the sha256 pass over a large file, run beside the reading:
// it hands out the chunk boundaries as it finds them, then the sum.
type hashing struct {
	mu     sync.Mutex
	cond   sync.Cond
	bounds []boundary
	done   bool
	sum    string
	err    error
}

func newHashing() *hashing {
	h := &hashing{}
	h.cond.L = &h.mu
	return h
}

func (h *hashing) add(b boundary) {
	h.mu.Lock()
	h.bounds = append(h.bounds, b)
	h.mu.Unlock()
	h.cond.Broadcast()
}

func (h *hashing) finish(sum string, err error) {
	h.mu.Lock()
	h.sum, h.err, h.done = sum, err, true
	h.mu.Unlock()
	h.cond.Broadcast()
}

// boundary waits for boundary i; ok is false when the file has fewer.
func (h *hashing) boundary(i int) (b boundary, ok bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for i >= len(h.bounds) && !h.done {
		h.cond.Wait()
	}
	if i < len(h.bounds) {
		return h.bounds[i], true
	}
	return boundary{}, false
}

// wait waits for the end of the pass.
func (h *hashing) wait() (string, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for !h.done {
		h.cond.Wait()
	}
	return h.sum, h.err
}

// chunk is a part of a data file that starts at a record boundary.
type chunk struct {
	parent *Reader
	start  boundary
	end    int64 // where it ends in the file, in bytes
}

// open returns a Reader of the chunk's rows, read from the parent's open
// file, with its columns and reading rules; its Line and errors are
// positions in the whole file. The pin is not checked again: the parent's
// Verify checks the file. Each Reader needs its own goroutine; Close it
// when done, before the parent. done, if not nil, is a closed Reader of an
// earlier chunk of the same file: its buffers and remembered values are
// taken over, so that reading chunk after chunk allocates little and values
// seen in one chunk are known in the next.
func (c *chunk) open(done *Reader) (*Reader, error) {
	p := c.parent
	r := &Reader{ds: p.ds, rel: p.rel, size: p.size, max: p.max, enc: p.enc, comma: p.comma,
		header: p.header, cols: p.cols, single: p.single}
	var spare *input
	if done != nil && done.closed && done.ds == p.ds && len(done.memo) == len(p.cols) {
		r.row, r.memo, spare = done.row, done.memo, done.in
	} else {
		r.row, r.memo = make([]any, len(p.cols)), make([]memo, len(p.cols))
	}
	src := io.NewSectionReader(p.in.f, c.start.off, c.end-c.start.off)
	var err error
	if r.in, err = openSection(nil, src, c.start.line, &progress{}, r.enc, r.comma, r.rel, pinCommand(r.ds), r.recordMax()); err != nil {
		return nil, err
	}
	if spare != nil {
		r.in.reuse(spare)
	}
	r.next = c.start.line
	return r, nil
}

// recordMax is the most bytes a record may take: MaxRecord unless set
// (Infer's Reader leaves it unset).
func (r *Reader) recordMax() int64 {
	if r.max > 0 {
		return r.max
	}
	return MaxRecord
}

// skipsAll is the error for skip_rows reaching the end of a file of lines
// lines.
func (r *Reader) skipsAll(lines int) error {
	ds := r.ds
	return position.Errorf(or(ds.SkipRows.Pos, ds.Pos), "dataset %q: skip_rows: %d skips the whole file (%s has %s)", ds.Name, ds.SkipRows.Value, r.rel, plural(lines, "line"))
}

// begin starts reading f from its start: it skips ds.SkipRows lines and
// reads the header.
func (r *Reader) begin(f *os.File, src io.Reader, prog *progress, enc string, comma rune) error {
	ds := r.ds
	var err error
	if r.in, err = openText(f, src, prog, enc, comma, r.rel, pinCommand(ds), r.recordMax()); err != nil {
		return err
	}
	if n := ds.SkipRows.Value; n > 0 {
		got, err := r.in.skipLines(n)
		if err != nil {
			return r.fileErr(err)
		}
		if got < n {
			return r.skipsAll(got)
		}
	}
	err = r.in.sc.read()
	if err == io.EOF && ds.SkipRows.Value > 0 {
		return r.skipsAll(r.in.sc.line)
	}
	if err == io.EOF {
		return position.Errorf(position.Pos{File: r.rel, Line: 1}, "the file is empty; a dataset needs a header row naming its columns")
	}
	if err != nil {
		return r.fileErr(err)
	}
	r.header = make([]string, r.in.sc.count())
	for i := range r.header {
		r.header[i] = string(r.in.sc.text(i))
	}
	r.single = len(r.header) == 1
	r.next = r.endLine() + 1
	return nil
}

// mapColumns finds each declared column in the header.
func (r *Reader) mapColumns(skip []bool) error {
	ds := r.ds
	byName := make(map[string][]int, len(r.header))
	for i, h := range r.header {
		byName[h] = append(byName[h], i)
	}
	var errs position.List
	r.cols = make([]colReader, len(ds.Columns))
	for i, c := range ds.Columns {
		cr := colReader{col: c, idx: -1}
		cr.skip = i < len(skip) && skip[i]
		pos := c.Pos
		if c.FromPos.IsValid() {
			pos = c.FromPos
		}
		switch {
		case c.FromIdx > 0:
			if c.FromIdx > len(r.header) {
				errs.Add(pos, "dataset %q: column %q: from: %d, but %s has only %d columns", ds.Name, c.Name, c.FromIdx, r.rel, len(r.header))
				continue
			}
			cr.idx = c.FromIdx - 1
		default:
			name := c.Header()
			at := byName[name]
			switch {
			case len(at) == 0:
				errs.Add(pos, "dataset %q: column %q is not in the header of %s%s", ds.Name, name, r.rel, r.headerHint(name))
				continue
			case len(at) > 1:
				errs.Add(pos, "dataset %q: column %q occurs %s in the header of %s (columns %s); declare it by position instead, e.g. from: %d",
					ds.Name, name, times(len(at)), r.rel, listInts(at), at[0]+1)
				continue
			}
			cr.idx = at[0]
		}
		cr.trim = c.Type != analysis.TypeString
		if ds.NullSet {
			for _, n := range ds.Null {
				cr.nulls = append(cr.nulls, n.Value)
			}
		} else {
			cr.nulls = []string{""}
		}
		cr.nulls = append(cr.nulls, c.Null...)
		cr.emptyNA = len(cr.nulls) == 1 && cr.nulls[0] == ""
		cr.ignore = cr.skip && c.Type == analysis.TypeString && !c.Required
		r.cols[i] = cr
	}
	r.row = make([]any, len(r.cols))
	r.memo = make([]memo, len(r.cols))
	if len(errs) == 1 {
		return errs[0]
	}
	return errs.Err()
}

func (r *Reader) headerHint(name string) string {
	if best, ok := nearest(name, r.header); ok {
		return fmt.Sprintf(" (did you mean %q?)", best)
	}
	const most = 20
	var b strings.Builder
	b.WriteString(" (the header has ")
	for i, h := range r.header {
		if i == most {
			fmt.Fprintf(&b, " and %d more", len(r.header)-most)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%q", h)
	}
	b.WriteString(")")
	return b.String()
}

func times(n int) string {
	if n == 2 {
		return "twice"
	}
	return strconv.Itoa(n) + " times"
}

func listInts(at []int) string {
	var b strings.Builder
	for i, n := range at {
		switch {
		case i == 0:
		case i == len(at)-1:
			b.WriteString(" and ")
		default:
			b.WriteString(", ")
		}
		b.WriteString(strconv.Itoa(n + 1))
	}
	return b.String()
}

// endLine is the line where the record just read ends.
func (r *Reader) endLine() int { return r.in.base + r.in.sc.endLine }

// pos is the file position of field i of the record just read.
func (r *Reader) pos(i int) position.Pos {
	if r.synthetic {
		return position.Pos{File: r.rel, Line: r.line, Col: 1}
	}
	p := r.in.sc.pos(i)
	return position.Pos{File: r.rel, Line: r.in.base + p.line, Col: p.col}
}

// fileErr turns an error from the scanner or from reading into a
// positioned error at the data file. The scanner stops at the first error
// in the file's order, so an error in the text (bad UTF-8) is reported only
// when the records before it are read.
func (r *Reader) fileErr(err error) error {
	var tl *tooLong
	if errors.As(err, &tl) {
		return r.in.tooLongErr(tl, r.rel)
	}
	var bt *badText
	if errors.As(err, &bt) {
		return r.in.readErr(err)
	}
	var pe *position.Error
	if errors.As(err, &pe) {
		return pe
	}
	var ce *csv.ParseError
	if errors.As(err, &ce) {
		base := r.in.base
		pos := position.Pos{File: r.rel, Line: ce.Line + base, Col: ce.Column}
		switch {
		case errors.Is(ce.Err, csv.ErrBareQuote):
			return position.Errorf(pos, `a " in an unquoted field (quote the whole field and double the quotes inside it: "say ""hi""")`)
		case errors.Is(ce.Err, csv.ErrQuote) && ce.StartLine != ce.Line:
			start := position.Pos{File: r.rel, Line: ce.StartLine + base}
			return position.Errorf(start, `the quoted field starting on this line is not closed properly (a " is missing, or a " inside it is not doubled; reading stopped at line %d, column %d)`, pos.Line, pos.Col)
		case errors.Is(ce.Err, csv.ErrQuote):
			return position.Errorf(pos, `a quoted field is followed by text before the next delimiter (put the whole field in quotes and double the quotes inside it)`)
		}
		return position.Errorf(pos, "%s", ce.Err)
	}
	return position.Errorf(position.Pos{File: r.rel}, "cannot be read (%s)", reason(err))
}

// Read returns the next row, values in ds.Columns order: string, int,
// float64, bool, time.Time or nil. The slice is reused by the next call. At
// the end of the file it returns io.EOF; after an error it keeps returning
// that error. Values may be kept past the row: a string is never part of
// the reader's buffer.
func (r *Reader) Read() ([]any, error) {
	if r.err != nil {
		return nil, r.err
	}
	if r.closed {
		return nil, errors.New("dataset: Read after Close")
	}
	row, err := r.read()
	if err != nil {
		r.err = err
		return nil, err
	}
	r.rows++
	return row, nil
}

func (r *Reader) read() ([]any, error) {
	sc := r.in.sc
	if r.blanks == 0 && !r.held {
		err := sc.read()
		if err == io.EOF {
			return nil, io.EOF
		}
		if err != nil {
			return nil, r.fileErr(err)
		}
		if r.single {
			if gap := r.in.base + sc.pos(0).line - r.next; gap > 0 {
				r.blanks, r.held = gap, true
			}
		}
		if !r.held {
			return r.record()
		}
	}
	if r.blanks > 0 {
		r.blanks--
		r.synthetic = true
		r.line = r.next
		r.next++
		return r.fill(nil)
	}
	r.held = false
	return r.record()
}

// record converts the record the scanner just read.
func (r *Reader) record() ([]any, error) {
	r.synthetic = false
	r.line = r.in.base + r.in.sc.recLine
	r.next = r.endLine() + 1
	return r.fill(r.in.sc)
}

// Line returns the line of the file where the row just returned starts.
func (r *Reader) Line() int { return r.line }

// RowsRead returns the number of rows returned so far.
func (r *Reader) RowsRead() int { return r.rows }

// Path returns the dataset's path as written in the analysis (slash form).
func (r *Reader) Path() string { return r.rel }

// Header returns the file's header row.
func (r *Reader) Header() []string { return r.header }

// Close closes the file; a chunk's Reader reads its parent's, which the
// parent closes, once the sha256 pass over it is over.
func (r *Reader) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	if r.in.f == nil {
		return nil
	}
	if r.hash != nil {
		r.hash.wait()
	}
	return r.in.f.Close()
}

// or returns p, or def when p is unknown (a key the analysis did not write).
func or(p, def position.Pos) position.Pos {
	if p.IsValid() {
		return p
	}
	return def
}
