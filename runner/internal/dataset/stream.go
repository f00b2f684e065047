package dataset

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/transform"

	"galley/runner/internal/position"
)

const (
	bufSize       = 256 << 10 // file reads
	progressEvery = 1 << 20
)

var bom = []byte("\xef\xbb\xbf")

// progress counts the bytes read from the file and reports them now and then.
type progress struct {
	r     io.Reader
	fn    func(read, total int64)
	n     int64 // bytes read through this counter
	total int64
	last  int64
}

func (p *progress) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.n += int64(n)
	if p.fn != nil && (p.n-p.last >= progressEvery || (err == io.EOF && p.n != p.last)) {
		p.last = p.n
		p.fn(p.n, p.total)
	}
	return n, err
}

// hashFile streams f through sha256 and returns the lowercase hex sum.
func hashFile(f io.Reader, prog *progress, rel string) (string, error) {
	h := sha256.New()
	prog.r = f
	if _, err := io.CopyBuffer(h, prog, make([]byte, bufSize)); err != nil {
		return "", fmt.Errorf("%s cannot be read (%s)", rel, reason(err))
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// boundary is where a part of the file starts: just after a line break
// that ends a record, at byte off, line line.
type boundary struct {
	off  int64
	line int
}

// checkText reads src to its end as the Reader reads a UTF-8 file (a
// byte-order mark at the start dropped), and returns where its text first
// is not UTF-8, or nil; err is an error reading src.
func checkText(src io.Reader) (bad *badText, err error) {
	sc := newScanner(src, ',', 0)
	sc.checkUTF8, sc.fileStart = true, true
	for {
		more, err := sc.skipLine()
		if errors.As(err, &bad) {
			return bad, nil
		}
		if err != nil || !more {
			return nil, err
		}
	}
}

// validUTF8 returns n, how much of b is whole, valid UTF-8 without a
// byte-order mark, and bad, the offset of the first byte that is not (-1
// when there is none). Unless final, an incomplete sequence at the end is
// neither counted nor bad: the next read may complete it.
func validUTF8(b []byte, final bool) (n, bad int) {
	end := len(b)
	if !final {
		for i := end - 1; i >= 0 && i >= end-utf8.UTFMax; i-- {
			if utf8.RuneStart(b[i]) {
				if !utf8.FullRune(b[i:end]) {
					end = i
				}
				break
			}
		}
	}
	d := b[:end]
	if utf8.Valid(d) && !bytes.Contains(d, bom) {
		return end, -1
	}
	for i := 0; i < len(d); {
		r, size := utf8.DecodeRune(d[i:])
		if (r == utf8.RuneError && size == 1) || r == '\ufeff' {
			return i, i
		}
		i += size
	}
	return end, -1
}

// textError is the error for the text at pos, rest, that is not UTF-8 or
// is a byte-order mark; fix is the command that re-pins the file.
func textError(pos position.Pos, rest []byte, fix string) *position.Error {
	if bytes.HasPrefix(rest, bom) {
		return position.Errorf(pos, "a UTF-8 byte-order mark in the middle of the file (were two files joined? remove it, then run %s)", fix)
	}
	return position.Errorf(pos, "not valid UTF-8 (byte 0x%02x); if the file is in another encoding, declare it in the dataset: encoding: windows-1252 or encoding: latin-1", rest[0])
}

// input is an opened, decoded data file, split into records.
type input struct {
	sc        *scanner
	base      int    // lines of the file before the scanner's first
	file, fix string // the file's path, and the command that re-pins it, for messages
}

// tooLongErr turns the scanner's *tooLong into a user's error: a record
// longer than the limit is most likely a quote left open or not CSV at all.
func (in *input) tooLongErr(e *tooLong, file string) error {
	pos := position.Pos{File: file, Line: in.base + e.Line, Col: e.Col}
	size := formatSize(int64(in.sc.max))
	start := in.base + e.StartLine
	if e.Line > e.StartLine {
		return position.Errorf(pos, "a record is longer than %s, the limit (is a quote left open at line %d?)", size, start)
	}
	return position.Errorf(pos, "a record is longer than %s, the limit (line %d has no line break in its first %s: is this a CSV file?)", size, start, size)
}

// formatSize writes n bytes as MiB or KiB when exact.
func formatSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// openText decodes src, a whole file, from its start. It reports a UTF-8
// byte-order mark in a file declared in a single-byte encoding, which would
// otherwise turn into mojibake.
func openText(src io.Reader, enc string, comma rune, file, fix string, maxRecord int64) (*input, error) {
	return openSection(src, 1, enc, comma, file, fix, maxRecord)
}

// openSection decodes src, a part of a file that starts at the beginning
// of line (1 for the whole file), and splits it into records of at most
// maxRecord bytes. Only the file's own start may hold a byte-order mark;
// elsewhere it is an error, as in the middle of the file.
func openSection(src io.Reader, line int, enc string, comma rune, file, fix string, maxRecord int64) (*input, error) {
	in := &input{base: line - 1, file: file, fix: fix}
	var text io.Reader
	switch enc {
	case "utf-8":
		text = src // checked in place by the scanner
	default:
		raw := bufio.NewReaderSize(src, bufSize)
		if head, _ := raw.Peek(len(bom)); line == 1 && bytes.Equal(head, bom) {
			return nil, position.Errorf(position.Pos{File: file, Line: 1, Col: 1},
				"the file starts with a UTF-8 byte-order mark, so it is UTF-8, not %s (remove encoding: %s from the dataset)", enc, enc)
		}
		cm := charmap.ISO8859_1
		if enc == "windows-1252" {
			cm = charmap.Windows1252
		}
		text = transform.NewReader(raw, cm.NewDecoder())
	}
	in.sc = newScanner(text, comma, int(maxRecord))
	in.sc.checkUTF8, in.sc.fileStart = enc == "utf-8", line == 1
	return in, nil
}

// reuse takes over the buffers of old, an input no longer read, for an
// input that has not been read yet.
func (in *input) reuse(old *input) {
	in.sc.buf = old.sc.buf
	in.sc.fields = old.sc.fields[:0]
}

// skipLines skips n physical lines; it returns how many there were.
func (in *input) skipLines(n int) (int, error) {
	for i := 0; i < n; i++ {
		ok, err := in.sc.skipLine()
		if err != nil {
			return i, in.readErr(err)
		}
		if !ok {
			return i, nil
		}
	}
	return n, nil
}

// readErr turns an error from reading the text into a user's error.
func (in *input) readErr(err error) error {
	var bt *badText
	if errors.As(err, &bt) {
		return textError(position.Pos{File: in.file, Line: in.base + bt.Line, Col: bt.Col}, bt.Rest, in.fix)
	}
	var bg *badGzip
	if errors.As(err, &bg) {
		// Where the inflated text stopped: the line being read.
		return position.Errorf(position.Pos{File: in.file, Line: in.base + in.sc.line + 1}, "%s", bg.Msg)
	}
	var pe *position.Error
	if errors.As(err, &pe) {
		return pe
	}
	return err
}

// dataFile is the file a Reader reads: an *os.File, or in tests one whose
// bytes change while it is read.
type dataFile interface {
	io.Reader
	io.Closer
}
