package dataset

import (
	"bytes"
	"encoding/csv"
	"io"
	"unicode/utf8"
)

// scanner splits CSV text into records exactly as encoding/csv does with
// FieldsPerRecord -1 and neither LazyQuotes, TrimLeadingSpace nor Comment:
// the same fields, the same field positions and the same *csv.ParseError
// for a bad quote (scan_test.go checks this against encoding/csv, fuzzing
// included). It differs in what it costs: a field is a place in the
// scanner's buffer, valid until the next read, and its text is copied only
// when it is asked for and is quoted with "" or a CRLF in it; encoding/csv
// copies every record into a new string. It also bounds a record: one longer than max bytes stops the
// reading with a *tooLong instead of growing the buffer without end.
type scanner struct {
	src  io.Reader
	buf  []byte
	r, w int   // buf[r:w] is not yet consumed
	raw  int   // buf[w:raw] is read but not yet checked (checkUTF8)
	eof  bool  // src gave io.EOF
	rerr error // src gave another error, or the text is bad; returned once buf[r:w] is used up
	max  int   // the most bytes a record may take (0: no bound)

	// checkUTF8 says that src gives the file's bytes, to check in place
	// as UTF-8: a read's bytes become usable (w) only once checked, and a
	// sequence cut by the end of a read waits for the next. fileStart
	// says src starts at the file's first byte, where a byte-order mark
	// is dropped (anywhere else it is an error).
	checkUTF8, fileStart, started bool
	rcol                          int // bytes of the line before buf[r] that skipLine let go

	comma   []byte
	comma1  int       // comma[0] when the delimiter is one byte, else -1
	special [256]bool // the delimiter of one byte, line feed and quote
	line    int       // physical lines consumed so far

	// The record just read: rec holds it, as in the input, until the next
	// read; a field is a part of it, unescaped only when asked for.
	rec     []byte
	fields  []field // the first maxFields fields
	nfields int     // every field, kept or not
	recLine int     // its first line
	endLine int     // its last line
	quoted  []byte
}

// field is where a field lies in scanner.rec: its text is rec[start:end],
// and it begins at rec[at] (its opening quote, if quoted). The text of a
// quoted field may hold "" and CRLF, to read as " and LF; doubled says it
// holds "".
type field struct {
	at, start, end  int32
	quoted, doubled bool
}

type fieldPos struct{ line, col int }

// count returns the number of fields in the record. Only the first
// maxFields have a text and a position: a record with more is an error (a
// header wider than MaxColumns, a row longer than its header), and memory
// stays bounded whatever the number of fields.
func (s *scanner) count() int { return s.nfields }

// maxFields is how many fields of a record the scanner keeps: enough to
// place the error about a record with too many.
const maxFields = MaxColumns + 1

// text returns field i's text; it is valid until the next read or text.
func (s *scanner) text(i int) []byte {
	f := s.fields[i]
	t := s.rec[f.start:f.end]
	if !f.quoted || (!f.doubled && bytes.IndexByte(t, '\r') < 0) {
		return t
	}
	s.quoted = s.quoted[:0]
	for {
		k := bytes.IndexByte(t, '"')
		if k < 0 {
			s.quoted = appendCRLF(s.quoted, t)
			return s.quoted
		}
		s.quoted = appendCRLF(s.quoted, t[:k+1]) // the first of ""
		t = t[k+2:]
	}
}

// pos returns the line and column where field i begins, counted as
// encoding/csv counts them.
func (s *scanner) pos(i int) fieldPos {
	line, col := s.lineCol(s.rec, int(s.fields[i].at))
	return fieldPos{line, col}
}

// tooLong is the error for a record longer than max bytes: the byte at
// Line, Col is the first past the bound, in a record that starts at
// StartLine. Lines count from the start of the scanner's input.
type tooLong struct{ Line, Col, StartLine int }

func (e *tooLong) Error() string { return "record too long" }

const scanBufSize = 256 << 10

func newScanner(src io.Reader, comma rune, max int) *scanner {
	s := &scanner{src: src, max: max, comma1: -1}
	s.comma = utf8.AppendRune(nil, comma)
	if len(s.comma) == 1 {
		s.comma1 = int(s.comma[0])
		s.special[s.comma[0]], s.special['\n'], s.special['"'] = true, true, true
	}
	return s
}

// fill reads more input, keeping buf[keep:w] (moved to the front). It
// returns false when there is no more: at the end of the input or after an
// error.
func (s *scanner) fill(keep int) bool {
	if s.eof || s.rerr != nil {
		return false
	}
	if s.buf == nil {
		s.buf = make([]byte, scanBufSize)
	}
	if keep > 0 {
		s.raw = copy(s.buf, s.buf[keep:s.raw])
		s.w -= keep
		s.r -= keep
	}
	if s.raw == len(s.buf) {
		grown := make([]byte, 2*len(s.buf))
		copy(grown, s.buf[:s.raw])
		s.buf = grown
	}
	for {
		n, err := s.src.Read(s.buf[s.raw:min(len(s.buf), s.raw+scanBufSize)])
		s.raw += n
		if err == io.EOF {
			s.eof = true
		} else if err != nil {
			s.rerr = err
		}
		if n > 0 || err != nil {
			break
		}
	}
	if !s.checkUTF8 {
		grew := s.raw > s.w
		s.w = s.raw
		return grew
	}
	if !s.started {
		if s.raw < len(bom) && !s.eof && s.rerr == nil {
			return true // is it a byte-order mark? read on to know
		}
		s.started = true
		if s.fileStart && bytes.HasPrefix(s.buf[s.w:s.raw], bom) {
			s.r += len(bom)
			s.w += len(bom)
		}
	}
	n, bad := validUTF8(s.buf[s.w:s.raw], s.eof || s.rerr != nil)
	s.w += n
	if bad >= 0 && s.rerr == nil {
		s.rerr = s.badText(s.w)
	}
	return true
}

// atEnd says that buf[w] is the end of the input: nothing follows, and
// nothing bad stopped the reading there (a record cut by a bad byte is not
// one).
func (s *scanner) atEnd() bool { return s.eof && s.rerr == nil && s.w == s.raw }

// badText is the error for buf[at], which is not UTF-8 or starts a
// byte-order mark. at is in the line of buf[r] or after it.
func (s *scanner) badText(at int) *badText {
	line, col := place(s.line+1, s.rcol, s.buf[s.r:at])
	return &badText{Line: line, Col: col, Rest: append([]byte(nil), s.buf[at:min(at+len(bom), s.raw)]...)}
}

// badText is a place where the text is not UTF-8: Rest is what is there,
// from the bad byte on (a few bytes). Lines count from the start of the
// scanner's input.
type badText struct {
	Line, Col int
	Rest      []byte
}

func (e *badText) Error() string { return "not UTF-8" }

// skipLine consumes one physical line, whatever it holds, in constant
// memory; it returns false at the end of the input.
func (s *scanner) skipLine() (bool, error) {
	partial := false // part of the line was consumed already
	for {
		if i := bytes.IndexByte(s.buf[s.r:s.w], '\n'); i >= 0 {
			s.r += i + 1
			s.line++
			s.rcol = 0
			return true, nil
		}
		partial = partial || s.r < s.w
		s.rcol += s.w - s.r
		s.r = s.w
		if !s.fill(s.r) {
			if s.rerr != nil {
				return false, s.rerr
			}
			if partial {
				s.line++
			}
			return partial, nil
		}
	}
}

// read reads the next record into s.fields and s.pos. It returns io.EOF at
// the end of the input, a *csv.ParseError for a bad quote, a *tooLong, or
// the input's own error.
func (s *scanner) read() error {
	for {
		// Blank lines are skipped, as encoding/csv does.
		for s.r < s.w {
			switch {
			case s.buf[s.r] == '\n':
				s.r++
				s.line++
				continue
			case s.buf[s.r] == '\r' && s.r+1 < s.w && s.buf[s.r+1] == '\n':
				s.r += 2
				s.line++
				continue
			case s.buf[s.r] == '\r' && s.r+1 == s.w && !s.atEnd():
				// Is it a CRLF? Read on to know.
			case s.buf[s.r] == '\r' && s.r+1 == s.w:
				s.r++ // a CR at the very end is dropped, leaving a blank line
				s.line++
				continue
			}
			break
		}
		if s.r == s.w || (s.buf[s.r] == '\r' && s.r+1 == s.w && !s.atEnd()) {
			if !s.fill(s.r) {
				if s.r < s.w && s.rerr == nil {
					continue // the CR at the end
				}
				if s.rerr != nil {
					return s.rerr
				}
				return io.EOF
			}
			continue
		}
		b, atEnd := s.buf[s.r:s.w], s.atEnd()
		if s.max > 0 && len(b) > s.max+1 {
			// Past the bound nothing counts, not even a quote error: as
			// if the reading had stopped there.
			b, atEnd = b[:s.max+1], false
		}
		n, err := s.parse(b, atEnd)
		if err == errMore {
			if s.max > 0 && s.w-s.r > s.max {
				return s.tooLong()
			}
			if !s.fill(s.r) {
				if s.rerr != nil {
					return s.rerr
				}
				// Only at the end of the input is a record ended by it.
				continue
			}
			continue
		}
		if err == nil && s.max > 0 && n > s.max {
			return s.tooLong()
		}
		if err != nil {
			return err
		}
		s.r += n
		s.line = s.endLine
		return nil
	}
}

// errMore says that the record does not end in the bytes given.
var errMore = &csv.ParseError{}

func (s *scanner) tooLong() error {
	line, col := place(s.line+1, 0, s.buf[s.r:s.r+s.max])
	return &tooLong{Line: line, Col: col, StartLine: s.line + 1}
}

// parse reads one record from b, which starts at a line that is not
// blank; atEOF says that no more input follows b. It returns the bytes the
// record takes, its terminating line break included, or errMore when the
// record does not end in b. Lines are counted only where they can change,
// inside quotes, and only once the record's end is known.
func (s *scanner) parse(b []byte, atEOF bool) (int, error) {
	s.rec = b
	s.fields, s.nfields = s.fields[:0], 0
	s.recLine = s.line + 1
	quoted := false // a quoted field may hold line breaks
	i := 0          // where the current field starts
	for {
		if i < len(b) && b[i] == '"' {
			quoted = true
			end, next, err := s.quotedField(b, i, atEOF)
			if err != nil {
				return 0, err
			}
			if end > 0 {
				s.setEndLine(b, end, quoted)
				return end, nil
			}
			i = next
			continue
		}
		// An unquoted field: up to the delimiter or the end of the line.
		k := s.stop(b[i:])
		switch {
		case k < 0:
			if !atEOF {
				return 0, errMore
			}
			end := len(b)
			if end > i && b[end-1] == '\r' {
				end-- // dropped at the end of the input, as encoding/csv does
			}
			s.add(i, i, end)
			s.setEndLine(b, len(b), quoted)
			return len(b), nil
		case b[i+k] == '"':
			line, col := s.lineCol(b, i+k)
			return 0, &csv.ParseError{StartLine: s.recLine, Line: line, Column: col, Err: csv.ErrBareQuote}
		case b[i+k] == '\n':
			end := i + k
			if end > i && b[end-1] == '\r' {
				end--
			}
			s.add(i, i, end)
			s.setEndLine(b, i+k+1, quoted)
			return i + k + 1, nil
		}
		s.add(i, i, i+k) // b[i+k:] starts with the delimiter
		i += k + len(s.comma)
	}
}

// setEndLine sets the line where the record, b[:end], ends: its first
// unless a quoted field holds a line break.
func (s *scanner) setEndLine(b []byte, end int, quoted bool) {
	s.endLine = s.recLine
	if !quoted {
		return
	}
	body := b[:end]
	if len(body) > 0 && body[len(body)-1] == '\n' {
		body = body[:len(body)-1] // the record's own line break
	}
	if bytes.IndexByte(body, '\n') >= 0 {
		s.endLine += bytes.Count(body, []byte{'\n'})
	}
}

// lineCol returns the line and column of b[off], b being the record.
func (s *scanner) lineCol(b []byte, off int) (line, col int) {
	return place(s.recLine, 0, b[:off])
}

// place returns the line and column of the byte that follows before, which
// starts at line first, after col0 bytes of that line.
func place(first, col0 int, before []byte) (line, col int) {
	k := bytes.LastIndexByte(before, '\n')
	if k < 0 {
		return first, col0 + len(before) + 1
	}
	return first + bytes.Count(before, []byte{'\n'}), len(before) - k
}

// quotedField reads the quoted field that starts at b[i]. When it ends the
// record, end is what the record takes; otherwise next is where the next
// field starts.
func (s *scanner) quotedField(b []byte, i int, atEOF bool) (end, next int, err error) {
	start := i + 1
	j := start
	doubled := false // the text has ""
	for {
		k := bytes.IndexByte(b[j:], '"')
		if k < 0 {
			if !atEOF {
				return 0, 0, errMore
			}
			return 0, 0, s.openAtEOF(b, j)
		}
		q := j + k // a quote
		after := q + 1
		if after == len(b) && !atEOF {
			return 0, 0, errMore // is it ""?
		}
		if after < len(b) && b[after] == '"' { // "" stands for "
			doubled = true
			j = after + 1
			continue
		}
		rest := b[after:]
		switch {
		case len(rest) == 0: // the end of the input
			end = after
		case rest[0] == '\n':
			end = after + 1
		case rest[0] == '\r' && len(rest) >= 2 && rest[1] == '\n':
			end = after + 2
		case rest[0] == '\r' && len(rest) == 1:
			if !atEOF {
				return 0, 0, errMore
			}
			end = after + 1 // a CR at the end of the input is dropped
		case bytes.HasPrefix(rest, s.comma):
			next = after + len(s.comma)
		case !atEOF && len(rest) < len(s.comma) && bytes.HasPrefix(s.comma, rest):
			return 0, 0, errMore
		default:
			line, col := s.lineCol(b, q)
			return 0, 0, &csv.ParseError{StartLine: s.recLine, Line: line, Column: col, Err: csv.ErrQuote}
		}
		s.keep(field{at: int32(i), start: int32(start), end: int32(q), quoted: true, doubled: doubled})
		return end, next, nil
	}
}

// openAtEOF is the error for quotes still open at the end of the input,
// b[j:] being what follows the last quote. encoding/csv places it just
// past the last line that holds anything, counted as it reads lines: CRLF
// as one byte, and a CR at the very end dropped.
func (s *scanner) openAtEOF(b []byte, j int) error {
	line, _ := s.lineCol(b, j)
	lineStart := bytes.LastIndexByte(b[:j], '\n') + 1
	t := b[j:]
	if k := bytes.LastIndexByte(t, '\n'); k >= 0 {
		if tail := t[k+1:]; len(tail) == 0 || (len(tail) == 1 && tail[0] == '\r') {
			t = t[:k+1] // nothing after the last line break: no line
		}
	}
	end := j + len(t)
	u := bytes.TrimSuffix(t, []byte{'\n'})
	if n := bytes.Count(u, []byte{'\n'}); n > 0 {
		line += n
		lineStart = j + bytes.LastIndexByte(u, '\n') + 1
	}
	last := b[lineStart:end]
	col := len(last) + 1
	if bytes.HasSuffix(last, []byte("\r\n")) || (len(last) > 0 && last[len(last)-1] == '\r') {
		col--
	}
	return &csv.ParseError{StartLine: s.recLine, Line: line, Column: col, Err: csv.ErrQuote}
}

func (s *scanner) add(at, start, end int) {
	s.keep(field{at: int32(at), start: int32(start), end: int32(end)})
}

func (s *scanner) keep(f field) {
	if s.nfields++; len(s.fields) < maxFields {
		s.fields = append(s.fields, f)
	}
}

// stop returns the index in b of the first line break, quote or
// delimiter, or -1 when b has none.
func (s *scanner) stop(b []byte) int {
	if s.comma1 >= 0 {
		for x, ch := range b {
			if s.special[ch] {
				return x
			}
		}
		return -1
	}
	c := s.comma[0]
	for x, ch := range b {
		if ch == '\n' || ch == '"' || (ch == c && bytes.HasPrefix(b[x:], s.comma)) {
			return x
		}
	}
	return -1
}

// appendCRLF appends b to dst with each CRLF as LF, as encoding/csv reads
// the line breaks inside quotes.
func appendCRLF(dst, b []byte) []byte {
	for {
		k := bytes.Index(b, []byte("\r\n"))
		if k < 0 {
			return append(dst, b...)
		}
		dst = append(dst, b[:k]...)
		dst = append(dst, '\n')
		b = b[k+2:]
	}
}
