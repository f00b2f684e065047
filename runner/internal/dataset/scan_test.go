package dataset

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"
)

// scanAll reads every record of data with the scanner, as encoding/csv
// would show it: the fields, each field's position and the record's last
// line, then the error that stopped it (nil at the end).
func scanAll(data string, comma rune, bufSize int, oneByte bool) (recs []string, err error) {
	return scanText(data, comma, bufSize, oneByte, false)
}

// scanText is scanAll, checking the text as UTF-8 when check is set.
func scanText(data string, comma rune, bufSize int, oneByte, check bool) (recs []string, err error) {
	var src io.Reader = strings.NewReader(data)
	if oneByte {
		src = iotest.OneByteReader(src)
	}
	s := newScanner(src, comma, 0)
	s.checkUTF8 = check
	if bufSize > 0 {
		s.buf = make([]byte, bufSize)
	}
	for {
		if err := s.read(); err != nil {
			if err == io.EOF {
				return recs, nil
			}
			return recs, err
		}
		var b strings.Builder
		for i := range s.count() {
			p := s.pos(i)
			fmt.Fprintf(&b, "%d:%d %q|", p.line, p.col, s.text(i))
		}
		fmt.Fprintf(&b, "end %d", s.endLine)
		recs = append(recs, b.String())
	}
}

// csvAll is scanAll done by encoding/csv.
func csvAll(data string, comma rune) (recs []string, err error) {
	r := csv.NewReader(strings.NewReader(data))
	r.Comma = comma
	r.FieldsPerRecord = -1
	for {
		rec, err := r.Read()
		if err != nil {
			if err == io.EOF {
				return recs, nil
			}
			return recs, err
		}
		var b strings.Builder
		for i, f := range rec {
			line, col := r.FieldPos(i)
			fmt.Fprintf(&b, "%d:%d %q|", line, col, f)
		}
		last, _ := r.FieldPos(len(rec) - 1)
		fmt.Fprintf(&b, "end %d", last+strings.Count(rec[len(rec)-1], "\n"))
		recs = append(recs, b.String())
	}
}

// sameAsCSV fails t when the scanner and encoding/csv disagree on data, read
// whole, through a 4-byte buffer and one byte at a time.
func sameAsCSV(t *testing.T, data string, comma rune) {
	t.Helper()
	want, wantErr := csvAll(data, comma)
	for _, mode := range []struct {
		buf     int
		oneByte bool
	}{{0, false}, {4, false}, {1, true}} {
		if mode.oneByte && len(data) > 1000 {
			continue // a record is parsed again at each byte: quadratic
		}
		got, err := scanAll(data, comma, mode.buf, mode.oneByte)
		if fmt.Sprint(got) != fmt.Sprint(want) || fmt.Sprint(err) != fmt.Sprint(wantErr) {
			t.Fatalf("comma %q, buffer %d, one byte %v, input %q:\nscanner  %q %v\ncsv      %q %v", comma, mode.buf, mode.oneByte, data, got, err, want, wantErr)
		}
		var pe *csv.ParseError
		if err != nil && !errors.As(err, &pe) {
			t.Fatalf("input %q: error %T, want *csv.ParseError", data, err)
		}
	}
}

// checkedText reads data with the UTF-8 check on: valid text gives what
// encoding/csv gives; anything else stops at a *badText placed at the first
// bad byte, after the records that end before it.
func checkedText(t *testing.T, data string, comma rune) {
	t.Helper()
	bad := -1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRuneInString(data[i:])
		if (r == utf8.RuneError && size == 1) || r == '\ufeff' {
			bad = i
			break
		}
		i += size
	}
	for _, mode := range []struct {
		buf     int
		oneByte bool
	}{{0, false}, {4, false}, {1, true}} {
		if mode.oneByte && len(data) > 1000 {
			continue
		}
		got, err := scanText(data, comma, mode.buf, mode.oneByte, true)
		if bad < 0 {
			want, wantErr := csvAll(data, comma)
			if fmt.Sprint(got) != fmt.Sprint(want) || fmt.Sprint(err) != fmt.Sprint(wantErr) {
				t.Fatalf("checked, buffer %d, input %q:\nscanner  %q %v\ncsv      %q %v", mode.buf, data, got, err, want, wantErr)
			}
			continue
		}
		want, _ := csvAll(data[:bad], comma) // what ends before the bad byte, at most
		if len(got) > len(want) {
			t.Fatalf("checked, buffer %d, input %q: %d records before the bad byte at %d, want at most %d", mode.buf, data, len(got), bad, len(want))
		}
		var pe *csv.ParseError
		var bt *badText
		if !errors.As(err, &bt) && !errors.As(err, &pe) {
			t.Fatalf("checked, buffer %d, input %q: error %v, want the bad byte at %d", mode.buf, data, err, bad)
		}
		if bt != nil {
			line := 1 + strings.Count(data[:bad], "\n")
			col := bad - strings.LastIndexByte(data[:bad], '\n')
			if bt.Line != line || bt.Col != col {
				t.Fatalf("checked, buffer %d, input %q: bad byte at %d:%d, want %d:%d", mode.buf, data, bt.Line, bt.Col, line, col)
			}
		}
	}
}

var scanCases = []string{
	"",
	"a",
	"a\n",
	"a,b\n1,2\n",
	"a,b\r\n1,2\r\n",
	"a,b\n1,2",
	"a,b\n1,2\r",
	"\n\na\n\r\n\nb\n",
	"\r",
	"\r\r\n",
	"a\r,b\r\n",
	"a,\"b,c\",d\n",
	"\"a\"\"b\",c\n",
	"\"multi\nline\",x\ny,z\n",
	"\"crlf\r\ninside\",x\r\n",
	"\"a\"\r",
	"\"a\"",
	"\"\"\n",
	",\n,,\n",
	"a\"b,c\n",
	"\"a\"b,c\n",
	"\"a\"\rb\n",
	"\"open\n",
	"\"open",
	"x,\"open\r\n",
	"x,\"open\nmore\n\n",
	"x,\"open\r",
	"a,b\n\"c\nd\"e\n",
	"\"\"\"\"\n",
	"a,\"\"\n",
	"a,\"\"",
	"é,ü\n\"ß\",ø\n",
	"a,b,\n",
	"a\n\r\xff",
	"a,b\n\xc3",
	"a,\"x\xff\"\n",
	"\xef\xbb\xbfa\n",
	"a\n\xef\xbb\xbf\n",
}

func TestScannerMatchesEncodingCSV(t *testing.T) {
	for _, data := range scanCases {
		for _, comma := range []rune{',', ';', '\t', '§'} {
			sameAsCSV(t, strings.ReplaceAll(data, ",", string(comma)), comma)
			checkedText(t, strings.ReplaceAll(data, ",", string(comma)), comma)
		}
	}
}

// FuzzScanner checks the scanner against encoding/csv on any input: the
// same records, positions and errors, whatever the buffer size.
func FuzzScanner(f *testing.F) {
	for _, c := range scanCases {
		f.Add(c, false)
		f.Add(strings.ReplaceAll(c, ",", "§"), true)
	}
	f.Fuzz(func(t *testing.T, data string, wide bool) {
		comma := ','
		if wide {
			comma = '§'
		}
		sameAsCSV(t, data, comma)
		checkedText(t, data, comma)
	})
}
