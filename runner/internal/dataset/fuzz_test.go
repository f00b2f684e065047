package dataset

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"galley/runner/internal/analysis"
	"galley/runner/internal/position"
)

// FuzzRead writes random string records with encoding/csv's Writer and
// checks that Read returns exactly the same records.
func FuzzRead(f *testing.F) {
	f.Add(uint8(2), false, "a\x1fb\x1fc\x1fd")
	f.Add(uint8(1), true, "x\x1f\x1fy\x1f")
	f.Add(uint8(3), true, "\"q\"\x1f\r\n\x1f \x1f,\x1f\n\n\x1f\\.\x1f\x1f\x1f\x1fé")
	f.Add(uint8(0), false, "")
	f.Fuzz(func(t *testing.T, n uint8, crlf bool, data string) {
		ncols := int(n%6) + 1
		data = strings.ToValidUTF8(data, "?")
		data = strings.ReplaceAll(data, "\ufeff", "?")
		cells := strings.Split(data, "\x1f")
		var records [][]string
		for len(cells) > 0 {
			rec := make([]string, ncols)
			cells = cells[copy(rec, cells):]
			records = append(records, rec)
		}
		if ncols == 1 {
			// encoding/csv skips a blank line at the end of a file; a
			// one-column record holding "" is written as one.
			for len(records) > 0 && records[len(records)-1][0] == "" {
				records = records[:len(records)-1]
			}
		}
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		w.UseCRLF = crlf
		header := make([]string, ncols)
		cols := make([]*analysis.Column, ncols)
		for i := range header {
			header[i] = fmt.Sprintf("c%d", i+1)
			cols[i] = str(header[i])
		}
		w.Write(header)
		w.WriteAll(records)
		file := buf.String()
		root := t.TempDir()
		writeFile(t, root, "datasets/x.csv", file)
		ds := newDataset(file, cols...)
		ds.NullSet = true // no null markers: every cell is a string
		got, _, err := readAll(ds, Options{Root: root})
		if err != nil {
			t.Fatalf("%v\nfile %q", err, file)
		}
		if len(got) != len(records) {
			t.Fatalf("%d rows, want %d\nfile %q", len(got), len(records), file)
		}
		for i, rec := range records {
			for j, cell := range rec {
				// encoding/csv reads CRLF in a quoted field as LF, and its
				// Writer drops CR from fields when UseCRLF is set.
				want := strings.ReplaceAll(cell, "\r\n", "\n")
				if crlf {
					want = strings.ReplaceAll(cell, "\r", "")
				}
				if got[i][j] != want {
					t.Fatalf("row %d col %d: %q, want %q\nfile %q", i, j, got[i][j], want, file)
				}
			}
		}
	})
}

// FuzzBytes reads arbitrary bytes under a few schemas: it must never panic
// and every error must be positioned.
func FuzzBytes(f *testing.F) {
	f.Add([]byte("a,b,c\n1,2,3\n"), uint8(0))
	f.Add([]byte("\xef\xbb\xbfa;b\r\n\"x\ny\";2017-01-02\r\n"), uint8(13))
	f.Add([]byte("a\n\n\n\"\n"), uint8(7))
	f.Add([]byte("a,a\n\xe9,\"\"\"\n"), uint8(255))
	f.Fuzz(func(t *testing.T, data []byte, opt uint8) {
		types := []analysis.ColumnType{analysis.TypeString, analysis.TypeInt, analysis.TypeFloat, analysis.TypeBool, analysis.TypeDate}
		cols := []*analysis.Column{
			{Name: "x", FromIdx: 1, Type: types[int(opt)%5]},
			{Name: "b", Type: types[int(opt/5)%5]},
			{Name: "a", Required: opt&1 == 1},
		}
		ds := newDataset(string(data), cols...)
		ds.Encoding = analysis.String{Value: []string{"utf-8", "latin-1", "windows-1252"}[int(opt)%3], Set: true}
		if opt&2 != 0 {
			ds.Delimiter = analysis.String{Value: ";", Set: true}
		}
		ds.SkipRows = analysis.Int{Value: int(opt>>6) % 3, Pos: at(7, 16), Set: true}
		root := t.TempDir()
		writeFile(t, root, "datasets/x.csv", string(data))
		check := func(err error) {
			if err == nil || err == io.EOF {
				return
			}
			var pe *position.Error
			var pl position.List
			if !errors.As(err, &pe) && !errors.As(err, &pl) {
				t.Fatalf("error %T %v is not positioned", err, err)
			}
			for _, e := range position.Errors(err) {
				if e.Pos.File == "" || strings.Contains(e.Msg, root) {
					t.Fatalf("bad error %q", e)
				}
			}
		}
		_, _, err := readAll(ds, Options{Root: root, Skip: []bool{opt&4 != 0}})
		check(err)
		_, err = Infer("datasets/x.csv", root, 0)
		check(err)
	})
}
