package dataset

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"

	"galley/runner/internal/analysis"
	"galley/runner/internal/position"
	"galley/runner/internal/suggest"
)

// Options come in explicitly; nothing reads globals, the clock or the
// environment.
type Options struct {
	// Root is the project root directory (absolute or relative to the
	// working directory); dataset paths are relative to it. "" means ".".
	Root string
	// Progress, if not nil, is called now and then (about every MiB) with
	// the bytes of the file read so far and its size. The file is read
	// once, through sha256 and the parser together; for a large file the
	// reading runs a few parts ahead of the parsing, on a goroutine of its
	// own, from which Progress is then called.
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

// MaxColumns is the most columns a data file may have. What reading takes
// for each column (its name, where it is, what a run or galley init keeps
// about it) is small, but a file of a few megabytes can have millions of
// them: a wider header is an error positioned at its first column past the
// limit, and a row is never kept beyond one field more than its header.
const MaxColumns = 100_000

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
	return sumFile(ds, loc, opts)
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
	if v := ds.SHA256.Value; !ds.SHA256.Set || v == "" {
		return position.Errorf(ds.Pos, "dataset %q has no sha256 pin (run %s)", ds.Name, pinCommand(ds))
	}
	if err := checkPinValue(ds, ds.SHA256, fmt.Sprintf("dataset %q: sha256 pin", ds.Name)); err != nil {
		return err
	}
	return nil
}

// checkPinValue checks that pin is 64 lowercase hex digits; what names
// it in the message.
func checkPinValue(ds *analysis.Dataset, pin analysis.String, what string) *position.Error {
	v := pin.Value
	at := or(pin.Pos, ds.Pos)
	if n := utf8.RuneCountInString(v); n != 64 {
		return position.Errorf(at, "%s has %d characters, want 64 hex digits (run %s)", what, n, pinCommand(ds))
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case '0' <= c && c <= '9', 'a' <= c && c <= 'f':
		case 'A' <= c && c <= 'F':
			if strings.Trim(strings.ToLower(v), "0123456789abcdef") == "" {
				return position.Errorf(at, "%s must be lowercase hex: %s", what, strings.ToLower(v))
			}
		default:
			r, _ := utf8.DecodeRuneInString(v[i:])
			return position.Errorf(at, "%s has %q at character %d, not a hex digit (run %s)", what, r, utf8.RuneCountInString(v[:i])+1, pinCommand(ds))
		}
	}
	return nil
}

// Reader streams the rows of a dataset.
type Reader struct {
	ds     *analysis.Dataset
	spec   *Spec
	rel    string
	in     *input
	header []string
	cols   []colReader
	row    []any
	memo   []memo // per column
	budget *memoBudget
	texts  func(*scanner) // if set, takes each row's cells as they are instead of cols (Infer)
	max    int64          // MaxRecord

	size     int64           // the file's size
	enc      string          // its encoding
	comma    rune            // its delimiter
	file     io.Closer       // nil for a chunk's Reader
	pass     pass            // the one read of the file, through sha256; nil for a chunk's Reader
	feed     *feed           // the pass of a large file, in parts; nil for a small one
	part     *partReader     // the part this Reader reads; nil when it reads the whole file
	whole    bool            // this Reader reads the whole file: there are no chunks
	chunks   int             // chunks given by nextChunk
	geo      *geoSource      // a GeoJSON dataset's rows (geojson.go); nil for CSV
	src      rowSource       // an xlsx, JSON or NDJSON file's rows; nil for CSV and GeoJSON
	glob     *globRead       // a glob's files (glob.go): this Reader reads them in turn
	pin      analysis.String // the pin this file is checked against
	fileTag  any             // file_column's value: the file's name without folder and extension
	streamed bool            // Stream reads the chunks: Read stays in this Reader's part

	verified  bool
	verifyErr error

	rows  int
	total int // rows Stream read from the file, every part of it
	line  int // where the last row returned starts
	err   error

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
	idx     int  // in the header; -1 for file_column's column
	file    bool // file_column's column: the Reader's fileTag
	skip    bool
	ignore  bool // skipped, and any text is a value: nothing to check
	nulls   []string
	trim    bool // not a string column: trim spaces before parsing
	emptyNA bool // nulls is exactly [""]
}

// Open checks the dataset's path and pin, opens its file for streaming and
// maps the declared columns to the header. See the package documentation
// for the reading rules. Close the Reader when done.
//
// A glob's files are checked against their pins and read in turn, in byte
// order of their paths, as one dataset (glob.go).
func Open(sp *Spec, opts Options) (*Reader, error) {
	ds := sp.ds
	if ds.IsGlob() {
		return openGlob(sp, opts)
	}
	loc, err := locateDataset(ds, opts.Root)
	if err != nil {
		return nil, err
	}
	if err := checkPin(ds); err != nil {
		return nil, err
	}
	return openFile(sp, opts, loc, ds.SHA256, nil)
}

// openFile opens one file of the dataset, to be checked against pin. A
// glob's files after the first are checked against first's header.
func openFile(sp *Spec, opts Options, loc *located, pin analysis.String, first *Reader) (*Reader, error) {
	ds := sp.ds
	switch sp.format {
	case "geojson":
		return openGeoJSON(sp, opts, loc, pin)
	case "xlsx":
		return openXLSX(sp, opts, loc, pin, first)
	case "json", "ndjson":
		return openJSON(sp, opts, loc, pin)
	}
	f, err := os.Open(loc.full)
	if err != nil {
		return nil, position.Errorf(or(ds.Path.Pos, ds.Pos), "dataset %q: %s cannot be read (%s)", ds.Name, loc.rel, reason(err))
	}
	r, err := openCSV(sp, opts, loc, f, pin, first)
	if err != nil {
		f.Close()
		return nil, err
	}
	return r, nil
}

// newReader is a Reader of the file at loc, before it is read.
func newReader(sp *Spec, opts Options, loc *located, pin analysis.String) *Reader {
	return &Reader{ds: sp.ds, spec: sp, rel: loc.rel, size: loc.size, max: opts.maxRecord(), enc: sp.enc, comma: sp.comma,
		pin: pin, fileTag: fileTag(loc.rel)}
}

// fileTag is what file_column holds for the file at rel: its name without
// folder and extensions ("KCLT" for datasets/weather/KCLT.csv.gz).
func fileTag(rel string) string {
	name := path.Base(rel)
	if strings.HasSuffix(strings.ToLower(name), ".gz") {
		name = name[:len(name)-len(".gz")]
	}
	return strings.TrimSuffix(name, path.Ext(name))
}

// open opens a CSV file; tests call it with files of their own.
func open(sp *Spec, opts Options, loc *located, f dataFile) (*Reader, error) {
	return openCSV(sp, opts, loc, f, sp.ds.SHA256, nil)
}

func openCSV(sp *Spec, opts Options, loc *located, f dataFile, pin analysis.String, first *Reader) (*Reader, error) {
	enc, comma := sp.enc, sp.comma
	r := newReader(sp, opts, loc, pin)
	r.file = f
	prog := &progress{r: f, fn: opts.Progress, total: loc.size}
	var src io.Reader
	if loc.gzipped() {
		// A gzip stream is read in one piece: where its records end is
		// known only once it is inflated. The bytes hashed are the
		// compressed bytes, inflated as the parser reads them.
		tee := newTeePass(prog)
		r.pass, r.whole, src = tee, true, newGunzip(tee)
	} else if loc.size < 2*ChunkSize || sp.skipRows > 0 {
		// A small file is read in one piece, hashed as it is parsed. Lines
		// skipped before the header are not CSV: their quotes would throw
		// the boundary search off, so such a file is read in one piece too.
		tee := newTeePass(prog)
		r.pass, r.whole, src = tee, true, tee
	} else {
		// A large file is read on a goroutine of its own, which hashes it
		// and hands it out in parts (feed.go); Stream reads them on several
		// goroutines.
		fd := newFeed()
		r.pass, r.feed = fd, fd
		// A boundary never falls inside the header: it is a line break
		// after an even number of quotes, and the header is the first
		// record, after blank lines alone (any error in it is found
		// before the first such line break).
		r.part = &partReader{fd: fd, p: fd.parts[0]} // before run adds parts
		src = r.part
		go fd.run(prog, ChunkSize, loc.size)
	}
	if err := r.begin(src, enc, comma); err != nil {
		return nil, r.pinFirst(err)
	}
	if first != nil {
		if err := r.sameHeader(first, func(i int) position.Pos { return r.pos(i) }); err != nil {
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
	return checkSum(r.ds, r.rel, r.pin, sum)
}

func checkSum(ds *analysis.Dataset, rel string, pin analysis.String, sum string) error {
	if sum != pin.Value {
		return position.Errorf(or(pin.Pos, ds.Pos), "dataset %q: sha256 of %s does not match its pin: expected %s, got %s (if the file changed on purpose, run %s)",
			ds.Name, rel, pin.Value, sum, pinCommand(ds))
	}
	return nil
}

// Verify ends the reading and checks the pin: it reads what is left of the
// file through sha256 (the bytes already read were hashed as they were
// read) and compares the sum of the whole file with the pin. A caller uses
// nothing read from the file before Verify returns nil; no row can be read
// after it. Stream calls it; it may be called again, and after Close.
func (r *Reader) Verify() error {
	if r.glob != nil {
		return r.glob.verify()
	}
	if r.pass == nil || r.verified {
		return r.verifyErr
	}
	r.verified = true
	sum, err := r.pass.sum()
	switch {
	case err != nil:
		ds := r.ds
		r.verifyErr = position.Errorf(or(ds.Path.Pos, ds.Pos), "dataset %q: %s cannot be read (%s)", ds.Name, r.rel, reason(err))
	default:
		r.verifyErr = r.checkSum(sum)
	}
	return r.verifyErr
}

// pinFirst returns the pin's error, if the pin is wrong, instead of err: a
// changed file explains any other error in it.
func (r *Reader) pinFirst(err error) error {
	if perr := r.Verify(); perr != nil {
		return perr
	}
	return err
}

// ChunkSize is about how many bytes of a data file one part holds. A file
// of at least two parts is read as a sequence of parts, each from a record
// boundary to the next, which Stream reads in parallel. It is a constant,
// not a setting, so that where a file splits depends on the file alone.
const ChunkSize = 4 << 20

// nextChunk returns the next part of the file after the one this Reader
// reads, or nil when there is none: this Reader reads from the header up to
// the first boundary, and each chunk from one boundary to the next. Reading
// this Reader and then each chunk in order gives the rows of the whole
// file, with the same lines and errors. A file smaller than two chunks has
// no chunks: this Reader reads it all. nextChunk waits for the read of the
// file to reach the chunk's start; call it from one goroutine.
func (r *Reader) nextChunk() *chunk {
	if r.whole || r.feed == nil {
		return nil
	}
	p, ok := r.feed.part(r.chunks + 1)
	if !ok {
		return nil
	}
	r.chunks++
	return &chunk{parent: r, part: p}
}

// chunk is a part of a data file that starts at a record boundary.
type chunk struct {
	parent *Reader
	part   *part
}

// open returns a Reader of the chunk's rows, read as the parent's read of
// the file hands them out, with the parent's columns and reading rules; its
// Line and errors are positions in the whole file. The pin is checked by
// the parent's Verify. Each Reader needs its own goroutine; Close it when
// done, before the parent. done, if not nil, is a closed Reader of an
// earlier chunk of the same file: its buffers and remembered values are
// taken over, so that reading chunk after chunk allocates little and values
// seen in one chunk are known in the next.
func (c *chunk) open(done *Reader) (*Reader, error) {
	p := c.parent
	r := &Reader{ds: p.ds, spec: p.spec, rel: p.rel, size: p.size, max: p.max, enc: p.enc, comma: p.comma,
		header: p.header, cols: p.cols, single: p.single, fileTag: p.fileTag, pin: p.pin}
	var spare *input
	if done != nil && done.closed && done.ds == p.ds && len(done.memo) == len(p.cols) {
		r.row, r.memo, r.budget, spare = done.row, done.memo, done.budget, done.in
	} else {
		r.row, r.memo, r.budget = make([]any, len(p.cols)), make([]memo, len(p.cols)), newMemoBudget()
	}
	if err := r.enter(c, spare); err != nil {
		return nil, err
	}
	return r, nil
}

// enter starts reading the chunk c, taking over the buffers of spare, an
// input no longer read, if not nil.
func (r *Reader) enter(c *chunk, spare *input) error {
	pr := &partReader{fd: c.parent.feed, p: c.part}
	in, err := openSection(pr, c.part.start.line, r.enc, r.comma, r.rel, pinCommand(r.ds), r.recordMax())
	if err != nil {
		return err
	}
	if spare != nil {
		in.reuse(spare)
	}
	r.in, r.part = in, pr
	r.next, r.blanks, r.held = c.part.start.line, 0, false
	return nil
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
	return position.Errorf(or(ds.SkipRows.Pos, ds.Pos), "dataset %q: skip_rows: %d skips the whole file (%s has %s)", ds.Name, r.spec.skipRows, r.rel, plural(lines, "line"))
}

// begin starts reading src, the file from its start: it skips the spec's
// skip_rows lines and reads the header.
func (r *Reader) begin(src io.Reader, enc string, comma rune) error {
	ds := r.ds
	var err error
	if r.in, err = openText(src, enc, comma, r.rel, pinCommand(ds), r.recordMax()); err != nil {
		return err
	}
	if n := r.spec.skipRows; n > 0 {
		got, err := r.in.skipLines(n)
		if err != nil {
			return r.fileErr(err)
		}
		if got < n {
			return r.skipsAll(got)
		}
	}
	err = r.in.sc.read()
	if err == io.EOF && r.spec.skipRows > 0 {
		return r.skipsAll(r.in.sc.line)
	}
	if err == io.EOF {
		return position.Errorf(position.Pos{File: r.rel, Line: 1}, "the file is empty; a dataset needs a header row naming its columns")
	}
	if err != nil {
		return r.fileErr(err)
	}
	if n := r.in.sc.count(); n > MaxColumns {
		return position.Errorf(r.pos(MaxColumns), "the header has %d columns, more than %d, the limit (is the delimiter right?)", n, MaxColumns)
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
	// Where each name declared is in the header: memory for what the
	// analysis declares, not for every column of the file.
	byName := make(map[string][]int)
	for _, c := range ds.Columns {
		if c.FromIdx == 0 && !c.FileName {
			byName[c.Header()] = nil
		}
	}
	for i, h := range r.header {
		if at, ok := byName[h]; ok {
			byName[h] = append(at, i)
		}
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
		case c.FileName:
			cr.file = true
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
		cr.nulls = r.spec.nulls(i)
		cr.emptyNA = len(cr.nulls) == 1 && cr.nulls[0] == ""
		cr.ignore = cr.skip && c.Type == analysis.TypeString && !c.Required
		if cr.file {
			cr.ignore = cr.skip
		}
		r.cols[i] = cr
	}
	r.row = make([]any, len(r.cols))
	r.memo = make([]memo, len(r.cols))
	r.budget = newMemoBudget()
	if len(errs) == 1 {
		return errs[0]
	}
	return errs.Err()
}

func (r *Reader) headerHint(name string) string {
	if best := suggest.Near(name, r.header); best != "" {
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

// listInts lists the columns at (0-based) as the user counts them, the
// first ten of a longer list.
func listInts(at []int) string {
	const most = 10
	var b strings.Builder
	for i, n := range at {
		switch {
		case i == most:
			fmt.Fprintf(&b, " and %d more", len(at)-most)
			return b.String()
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
	var bg *badGzip
	if errors.As(err, &bt) || errors.As(err, &bg) {
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

// Read returns the next row of the file, values in ds.Columns order:
// string, int, float64, bool, time.Time or nil. The slice is reused by the
// next call. At the end of the file it checks the pin (Verify) and returns
// io.EOF only if it holds; at an error, it returns the pin's error if the
// pin is wrong; after an error it keeps returning that error. No row counts
// before io.EOF. Values may be kept past the row: a string is never part of
// the reader's buffer.
func (r *Reader) Read() ([]any, error) {
	if r.glob != nil {
		return r.glob.read(r)
	}
	if r.err != nil {
		return nil, r.err
	}
	if r.closed {
		return nil, errors.New("dataset: Read after Close")
	}
	if r.verified && r.pass != nil {
		return nil, errors.New("dataset: Read after Verify")
	}
	row, err := r.read()
	for err == io.EOF && !r.streamed {
		// One Reader read alone gives every part of the file in turn.
		c := r.nextChunk()
		if c == nil {
			break
		}
		r.part.close()
		if err = r.enter(c, r.in); err != nil {
			break
		}
		row, err = r.read()
	}
	if err != nil && r.pass != nil && !r.streamed {
		// At the end of the file, or at an error, the pin comes first.
		if perr := r.Verify(); perr != nil {
			err = perr
		}
	}
	if err != nil {
		r.err = err
		return nil, err
	}
	r.rows++
	return row, nil
}

func (r *Reader) read() ([]any, error) {
	if r.geo != nil {
		return r.readGeo()
	}
	if r.src != nil {
		return r.src.next(r)
	}
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

// Line returns the line of the file where the row just returned starts
// (the row of a spreadsheet's cell).
func (r *Reader) Line() int {
	if r.glob != nil {
		return r.glob.cur().Line()
	}
	return r.line
}

// where names the row just returned, for errors about it: "FILE line N",
// or `FILE sheet "S" row N` in a spreadsheet.
func (r *Reader) where() string {
	if x, ok := r.src.(*xlsxSource); ok {
		return fmt.Sprintf("%s sheet %q row %d", r.rel, x.sheet, r.line)
	}
	return fmt.Sprintf("%s line %d", r.rel, r.line)
}

// rowSource gives the rows of a file that is not CSV text, read as the
// Reader's Read asks for them.
type rowSource interface {
	// next fills r.row with the next row, or returns io.EOF at the end.
	next(r *Reader) ([]any, error)
	close()
}

// RowsRead returns the number of rows returned so far.
func (r *Reader) RowsRead() int {
	if r.glob != nil {
		return r.glob.rowsRead()
	}
	return r.rows
}

// Path returns the dataset's path as written in the analysis (slash form).
func (r *Reader) Path() string { return r.rel }

// Header returns the file's header row.
func (r *Reader) Header() []string {
	if r.glob != nil {
		return r.glob.header()
	}
	return r.header
}

// Close ends the reading and closes the file, once the sum of the whole
// file is known (so that Verify can still answer). A chunk's Reader lets go
// of what is left of its part; the parent closes the file.
func (r *Reader) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	if r.glob != nil {
		return r.glob.close()
	}
	if r.src != nil {
		r.src.close()
	}
	if r.part != nil {
		r.part.close()
	}
	if r.file == nil {
		return nil
	}
	if r.pass != nil {
		r.pass.sum()
	}
	return r.file.Close()
}

// or returns p, or def when p is unknown (a key the analysis did not write).
func or(p, def position.Pos) position.Pos {
	if p.IsValid() {
		return p
	}
	return def
}
