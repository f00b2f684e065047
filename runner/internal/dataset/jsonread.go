package dataset

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"galley/runner/internal/analysis"
	"galley/runner/internal/geo"
	"galley/runner/internal/position"
	"galley/runner/internal/suggest"
)

// A JSON dataset is an array of records (objects), at the top of the file
// or under a dotted path of keys (records:); an NDJSON dataset is one
// record after another, a line each. Both are streamed: encoding/json
// reads the text token by token (its syntax, string unescaping and number
// syntax), and only the record being read is held, at most MaxRecord
// bytes of text. A column reads the value at its key path (from: a.b
// reaches into nested objects); a key missing from a record is null. Each
// value keeps the byte offset where it starts, so that an error names the
// file's line and column. The text must be UTF-8, checked as it is read
// (encoding/json would turn bad bytes into U+FFFD without a word).

// openJSON opens a JSON or NDJSON file, hashed as it is parsed.
func openJSON(sp *Spec, opts Options, loc *located, pin analysis.String) (*Reader, error) {
	ds := sp.ds
	f, err := os.Open(loc.full)
	if err != nil {
		return nil, position.Errorf(or(ds.Path.Pos, ds.Pos), "dataset %q: %s cannot be read (%s)", ds.Name, loc.rel, reason(err))
	}
	r := newReader(sp, opts, loc, pin)
	r.file = f
	tee := newTeePass(&progress{r: f, fn: opts.Progress, total: loc.size})
	r.pass, r.whole = tee, true
	var src io.Reader = tee
	if loc.gzipped() {
		src = newGunzip(tee)
	}
	j := &jsonSource{rel: loc.rel, ndjson: sp.format == "ndjson", in: &jsonInput{src: src, max: r.recordMax(), line: 1}}
	j.dec = json.NewDecoder(j.in)
	j.dec.UseNumber()
	j.trie = &keyNode{}
	j.vals = make([]jsonValue, len(ds.Columns))
	j.seen = make([]bool, len(ds.Columns))
	for _, c := range ds.Columns {
		j.names = append(j.names, c.Name)
	}
	for i, c := range ds.Columns {
		if c.FileName {
			continue
		}
		n := j.trie
		for _, k := range sp.keys[i] {
			if n.kids == nil {
				n.kids = map[string]*keyNode{}
			}
			if n.kids[k] == nil {
				n.kids[k] = &keyNode{}
			}
			n = n.kids[k]
		}
		n.cols = append(n.cols, i)
	}
	r.src = j
	r.row = make([]any, len(ds.Columns))
	r.cols = make([]colReader, len(ds.Columns))
	for i, c := range ds.Columns {
		// Null markers apply as declared: JSON has its own null, and an
		// empty string is text, as in a GeoJSON dataset.
		var nulls []string
		if ds.NullSet {
			for _, n := range ds.Null {
				nulls = append(nulls, n.Value)
			}
		}
		nulls = append(nulls, c.Null...)
		r.cols[i] = colReader{col: c, idx: -1, file: c.FileName, nulls: nulls, skip: i < len(opts.Skip) && opts.Skip[i]}
	}
	// The records are found (the path to them, the array's start) before
	// Open returns: a file that holds no records is an error of Open.
	if err := j.start(r); err != nil {
		err = r.pinFirst(err)
		r.Close()
		return nil, err
	}
	return r, nil
}

// keyNode is a node of the tree of the columns' key paths.
type keyNode struct {
	kids map[string]*keyNode
	cols []int // the columns whose path ends here
}

type jsonValue struct {
	v   any // string, geo.Number, bool, geo.Composite or nil
	off int64
	set bool
}

type jsonSource struct {
	rel    string
	ndjson bool
	in     *jsonInput
	dec    *json.Decoder
	trie   *keyNode
	vals   []jsonValue
	seen   []bool   // the columns some record had
	keys   []string // the first record's keys, for hints
	names  []string // the columns' names
	closes int      // containers that enclose the records array
	n      int      // records read
	done   bool
}

func (j *jsonSource) close() {}

// errorAt is an error at byte offset off of the text.
func (j *jsonSource) errorAt(off int64, format string, args ...any) error {
	line, col := j.in.pos(off)
	return position.Errorf(position.Pos{File: j.rel, Line: line, Col: col}, format, args...)
}

// token reads the next token and returns it with the offset where it
// starts.
func (j *jsonSource) token() (json.Token, int64, error) {
	tok, off, err := j.tokenOrEOF()
	if err == io.EOF {
		err = j.readErr(err, off)
	}
	return tok, off, err
}

// tokenOrEOF is token, but returns io.EOF itself at the end of the text,
// where no value was begun.
func (j *jsonSource) tokenOrEOF() (json.Token, int64, error) {
	from := j.dec.InputOffset()
	tok, err := j.dec.Token()
	if err == io.EOF && j.in.atEOF() {
		return nil, from, io.EOF
	}
	if err != nil {
		return nil, from, j.readErr(err, from)
	}
	return tok, j.in.tokenStart(from), nil
}

// readErr says what is wrong with the text where the decoder stopped.
func (j *jsonSource) readErr(err error, from int64) error {
	var se *json.SyntaxError
	var bt *badText
	var bg *badGzip
	switch {
	case errors.Is(err, errTooLong):
		return j.errorAt(j.in.tokenStart(max(j.in.mark, j.in.pendOff)), "a record is longer than %s, the limit (is a bracket or a quote left open?)", formatSize(j.in.max))
	case errors.As(err, &bt):
		line, col := j.in.pos(j.in.badAt)
		return textError(position.Pos{File: j.rel, Line: line, Col: col}, bt.Rest, "galley pin")
	case errors.As(err, &bg):
		return j.errorAt(j.in.end, "%s", bg.Msg)
	case errors.As(err, &se):
		return j.errorAt(max(se.Offset, from), "the file is not valid JSON: %s", se.Error())
	case err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF):
		return j.errorAt(j.in.end, "the file ends in the middle of a JSON value (is it cut short?)")
	case errors.Is(err, errStopped):
		return err
	}
	return j.errorAt(from, "the file cannot be read (%s)", reason(err))
}

// start reads up to the first record: the records path of a JSON file,
// and the array's opening bracket.
func (j *jsonSource) start(r *Reader) error {
	if j.ndjson {
		return nil
	}
	sp := r.spec
	tok, off, err := j.token()
	if err != nil {
		return err
	}
	for depth, key := range sp.records {
		where := "the file"
		if depth > 0 {
			where = strings.Join(sp.records[:depth], ".")
		}
		if tok != json.Delim('{') {
			return j.errorAt(off, "records: %q: %s is %s, not an object holding %q", r.ds.Records.Value, where, tokenNoun(tok), key)
		}
		j.closes++
		var keys []string
		for {
			j.in.markAt(j.dec.InputOffset())
			kt, koff, err := j.token()
			if err != nil {
				return err
			}
			if kt == json.Delim('}') {
				return j.errorAt(off, "records: %q: %s has no key %q%s", r.ds.Records.Value, where, key, keysHint(key, keys))
			}
			k, _ := kt.(string)
			if k == key {
				break
			}
			keys = append(keys, k)
			if err := j.skip(); err != nil {
				return err
			}
			_ = koff
		}
		if tok, off, err = j.token(); err != nil {
			return err
		}
	}
	if tok != json.Delim('[') {
		if tok == json.Delim('{') && len(sp.records) == 0 {
			return j.errorAt(off, "the file holds an object, not an array of records: name the array with records: (e.g. records: data)")
		}
		what := "the file"
		if len(sp.records) > 0 {
			what = fmt.Sprintf("records: %q", r.ds.Records.Value)
		}
		return j.errorAt(off, "%s is %s, not an array of records", what, tokenNoun(tok))
	}
	return nil
}

// skip reads past the next value, whatever it is.
func (j *jsonSource) skip() error {
	from := j.dec.InputOffset()
	var raw json.RawMessage
	if err := j.dec.Decode(&raw); err != nil {
		return j.readErr(err, from)
	}
	return nil
}

// skipRest reads past the rest of a container whose opening bracket was
// read.
func (j *jsonSource) skipRest() error {
	for depth := 1; depth > 0; {
		tok, _, err := j.token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
	}
	return nil
}

func (j *jsonSource) next(r *Reader) ([]any, error) {
	if j.done {
		return nil, io.EOF
	}
	j.in.markAt(j.dec.InputOffset())
	tok, off, err := j.tokenOrEOF()
	if j.ndjson && err == io.EOF {
		return j.end(r)
	}
	if err == io.EOF {
		err = j.readErr(err, off)
	}
	if err != nil {
		return nil, err
	}
	if !j.ndjson && tok == json.Delim(']') {
		if err := j.finishArray(); err != nil {
			return nil, err
		}
		return j.end(r)
	}
	j.n++
	if tok != json.Delim('{') {
		return nil, j.errorAt(off, "record %d is %s, not an object (each record is an object of keys and values)", j.n, tokenNoun(tok))
	}
	r.line, _ = j.in.pos(off)
	for i := range j.vals {
		j.vals[i] = jsonValue{}
	}
	if err := j.object(j.trie, nil, j.n == 1); err != nil {
		return nil, err
	}
	for i := range r.cols {
		c := &r.cols[i]
		if c.file {
			r.row[i] = r.fileTag
			continue
		}
		v := j.vals[i]
		if v.set {
			j.seen[i] = true
		}
		val, msg := propertyValue(c.col, v.v, c.nulls, "value")
		if msg != "" {
			at := v.off
			if !v.set {
				at = off
			}
			return nil, j.errorAt(at, "record %d, column %q (%s): %s", j.n, c.col.Name, c.col.Type, msg)
		}
		if c.skip {
			val = nil
		}
		r.row[i] = val
	}
	return r.row, nil
}

// finishArray reads what follows the array's closing bracket.
func (j *jsonSource) finishArray() error {
	for ; j.closes > 0; j.closes-- {
		j.in.markAt(j.dec.InputOffset())
		if err := j.skipRest(); err != nil {
			return err
		}
	}
	j.in.markAt(j.dec.InputOffset())
	tok, off, err := j.tokenOrEOF()
	if err == nil {
		return j.errorAt(off, "%s after the end of the JSON value (a JSON dataset holds one array of records, or one object around it)", tokenNoun(tok))
	}
	if err == io.EOF {
		return nil
	}
	return err
}

// end is the end of the records: every column must have been found in
// some record, or its key is likely misspelled.
func (j *jsonSource) end(r *Reader) ([]any, error) {
	j.done = true
	if j.n == 0 {
		return nil, io.EOF
	}
	var errs position.List
	ds := r.ds
	for i, c := range ds.Columns {
		if c.FileName || j.seen[i] {
			continue
		}
		at := c.Pos
		if c.FromPos.IsValid() {
			at = c.FromPos
		}
		errs.Add(at, "dataset %q: column %q: no record of %s has the key %q%s", ds.Name, c.Name, j.rel, c.Header(), keysHint(c.Header(), j.keys))
	}
	if len(errs) == 1 {
		return nil, errs[0]
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return nil, io.EOF
}

// object reads the rest of an object whose { was read: the values at the
// paths of n's columns, and past everything else. path is where it is in
// the record; first says to keep its keys, for hints.
func (j *jsonSource) object(n *keyNode, path []string, first bool) error {
	for {
		kt, koff, err := j.token()
		if err != nil {
			return err
		}
		if kt == json.Delim('}') {
			return nil
		}
		key, _ := kt.(string)
		if first && len(path) == 0 && len(j.keys) < 100 {
			j.keys = append(j.keys, key)
		}
		child := n.kids[key]
		if child == nil {
			if err := j.skip(); err != nil {
				return err
			}
			continue
		}
		at := append(path[:len(path):len(path)], key)
		tok, off, err := j.token()
		if err != nil {
			return err
		}
		var v any
		switch tok {
		case json.Delim('{'):
			v = geo.Composite("{")
		case json.Delim('['):
			v = geo.Composite("[")
		default:
			v = tok
			if num, ok := tok.(json.Number); ok {
				v = geo.Number(num)
			}
		}
		for _, i := range child.cols {
			if j.vals[i].set {
				return j.errorAt(koff, "record %d: the key %q is written twice in one object (keep one)", j.n, strings.Join(at, "."))
			}
			j.vals[i] = jsonValue{v: v, off: off, set: true}
		}
		switch {
		case tok == json.Delim('{') && child.kids != nil:
			if err := j.object(child, at, false); err != nil {
				return err
			}
			continue
		case child.kids != nil && v != nil:
			// A column reads inside it, but it is no object.
			return j.errorAt(off, "record %d, column %q: %s is %s, not an object holding %q", j.n, j.names[firstCol(child)], strings.Join(at, "."), tokenNoun(tok), firstKey(child))
		}
		if tok == json.Delim('{') || tok == json.Delim('[') {
			if err := j.skipRest(); err != nil {
				return err
			}
		}
	}
}

// firstCol is a column that reads under n, for messages.
func firstCol(n *keyNode) int {
	for len(n.cols) == 0 {
		n = n.kids[firstKey(n)]
	}
	return n.cols[0]
}

func firstKey(n *keyNode) string {
	keys := make([]string, 0, len(n.kids))
	for k := range n.kids {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys[0]
}

// tokenNoun says what a token starts: "a number", "an object".
func tokenNoun(tok json.Token) string {
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			return "an object"
		case '[':
			return "a list"
		}
		return fmt.Sprintf("%q", string(t))
	case string:
		return fmt.Sprintf("the text %q", clip([]byte(t)))
	case json.Number:
		return "the number " + string(t)
	case bool:
		return fmt.Sprintf("the boolean %v", t)
	case nil:
		return "null"
	}
	return fmt.Sprint(tok)
}

// keysHint suggests a key near name, or lists the keys there are.
func keysHint(name string, keys []string) string {
	if h := suggest.Hint(name, keys); h != "" {
		return h
	}
	if len(keys) == 0 {
		return ""
	}
	sorted := append([]string(nil), keys...)
	sort.Strings(sorted)
	if len(sorted) > 20 {
		sorted = append(sorted[:20], "...")
	}
	return " (its keys: " + strings.Join(sorted, ", ") + ")"
}

// errTooLong is what jsonInput gives once a record passes its bound.
var errTooLong = errors.New("record too long")

// jsonInput is the text of a JSON file, as the decoder reads it: checked
// as UTF-8, bounded to max bytes past the start of the record being read
// (mark), and kept from the last position asked for onwards, so that a
// byte offset can be turned into a line and column.
type jsonInput struct {
	src     io.Reader
	br      *bufio.Reader
	max     int64
	mark    int64 // where the record being read starts
	end     int64 // bytes given to the decoder
	carry   []byte
	err     error
	badAt   int64
	eof     bool
	pending []byte // the text from pendOff to end
	head    int    // pending[head:] is still needed
	pendOff int64  // the offset of pending[head]
	line    int    // the line of pendOff
	lineOff int64  // where that line starts
}

func (in *jsonInput) markAt(off int64) { in.mark = off }

func (in *jsonInput) atEOF() bool { return in.eof && in.err == nil }

func (in *jsonInput) Read(b []byte) (int, error) {
	if in.br == nil {
		in.br = bufio.NewReaderSize(in.src, 64<<10)
		if head, _ := in.br.Peek(len(bom)); bytes.Equal(head, bom) {
			in.br.Discard(len(bom))
		}
	}
	if in.err != nil {
		return 0, in.err
	}
	room := in.mark + in.max + 1 - in.end
	if room <= 0 {
		in.err = errTooLong
		return 0, in.err
	}
	b = b[:min(int64(len(b)), room, 64<<10)]
	k := copy(b, in.carry)
	in.carry = in.carry[:0]
	n, err := in.br.Read(b[k:])
	n += k
	if err == io.EOF {
		in.eof = true
	}
	valid, bad := validUTF8(b[:n], err != nil)
	if bad >= 0 {
		in.badAt = in.end + int64(bad)
		in.err = &badText{Rest: append([]byte(nil), b[bad:min(n, bad+len(bom))]...)}
		n, err = bad, nil
		if n == 0 {
			err = in.err
		}
	} else {
		in.carry = append(in.carry, b[valid:n]...)
		n = valid
		if err != nil && err != io.EOF {
			in.err = err
		}
	}
	in.pending = append(in.pending, b[:n]...)
	in.end += int64(n)
	return n, err
}

// tokenStart is where the token read from offset from starts: past white
// space and the separators the decoder had not consumed.
func (in *jsonInput) tokenStart(from int64) int64 {
	i := int(from-in.pendOff) + in.head
	for i >= in.head && i < len(in.pending) {
		switch in.pending[i] {
		case ' ', '\t', '\n', '\r', ',', ':':
			i++
			continue
		}
		break
	}
	return in.pendOff + int64(i-in.head)
}

// pos turns a byte offset, at or after the last one asked for, into a line
// and a column (in bytes, from 1), and lets go of the text before it.
func (in *jsonInput) pos(off int64) (line, col int) {
	k := int(min(max(off-in.pendOff, 0), int64(len(in.pending)-in.head)))
	seg := in.pending[in.head : in.head+k]
	if nl := bytes.Count(seg, []byte{'\n'}); nl > 0 {
		in.line += nl
		in.lineOff = in.pendOff + int64(bytes.LastIndexByte(seg, '\n')) + 1
	}
	in.head += k
	in.pendOff += int64(k)
	if in.head > 64<<10 && in.head > len(in.pending)/2 {
		in.pending = append(in.pending[:0], in.pending[in.head:]...)
		in.head = 0
	}
	return in.line, int(off-in.lineOff) + 1
}
