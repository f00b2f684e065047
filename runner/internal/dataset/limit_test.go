package dataset

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"galley/runner/internal/analysis"
)

// TestRecordLimit checks the bound on one record with a small limit: the
// error is positioned where the limit is passed, names the line where the
// record started, and the rows before it are still returned.
func TestRecordLimit(t *testing.T) {
	const max = 1 << 10
	long := strings.Repeat("x", 2*max)
	tests := []struct {
		name string
		data string
		skip int
		want int // rows returned before the error
		err  string
	}{{
		name: "just under the limit",
		data: "a,b\n1," + strings.Repeat("y", max-3) + "\n2,z\n",
		want: 2,
	}, {
		name: "a long unquoted line",
		data: "a,b\n1,2\n3," + long + "\n",
		want: 1,
		err:  "datasets/x.csv:3:1025: a record is longer than 1 KiB, the limit (line 3 has no line break in its first 1 KiB: is this a CSV file?)",
	}, {
		name: "a stray quote past the limit is not what stops the reading",
		data: "a,b\n1," + long + "\"x\n",
		err:  "datasets/x.csv:2:1025: a record is longer than 1 KiB, the limit (line 2 has no line break in its first 1 KiB: is this a CSV file?)",
	}, {
		name: "a long quoted field on one line",
		data: "a,b\n1,\"" + long + "\"\n",
		err:  "datasets/x.csv:2:1025: a record is longer than 1 KiB, the limit (line 2 has no line break in its first 1 KiB: is this a CSV file?)",
	}, {
		name: "a quote left open",
		data: "a,b\n1,2\n3,\"open\n" + strings.Repeat("4,5\n", max) + "6,7\n",
		want: 1,
		err:  "datasets/x.csv:258:1: a record is longer than 1 KiB, the limit (is a quote left open at line 3?)",
	}, {
		name: "blank lines before the record do not count",
		data: "a,b\n1,2\n" + strings.Repeat("\r\n", 2*max) + "3," + long,
		want: 1,
		err:  "datasets/x.csv:2051:1025: a record is longer than 1 KiB, the limit (line 2051 has no line break in its first 1 KiB: is this a CSV file?)",
	}, {
		name: "a long header",
		data: long + "\n1\n",
		err:  "datasets/x.csv:1:1025: a record is longer than 1 KiB, the limit (line 1 has no line break in its first 1 KiB: is this a CSV file?)",
	}, {
		name: "a long line skipped by skip_rows is not a record",
		data: long + "\na,b\n1,2\n",
		skip: 1,
		want: 1,
	}, {
		name: "after skip_rows",
		data: "note\na,b\n1," + strings.Repeat("x", 100<<10) + "\n",
		skip: 1,
		err:  "datasets/x.csv:3:1025: a record is longer than 1 KiB, the limit (line 3 has no line break in its first 1 KiB: is this a CSV file?)",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			writeFile(t, root, "datasets/x.csv", tt.data)
			ds := newDataset(tt.data, str("a"))
			if tt.skip > 0 {
				ds.SkipRows = analysis.Int{Value: tt.skip, Set: true}
			}
			rows, _, err := readAll(ds, Options{Root: root, MaxRecord: max})
			if len(rows) != tt.want {
				t.Errorf("%d rows before the error, want %d", len(rows), tt.want)
			}
			if tt.err == "" {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			if err == nil || err.Error() != tt.err {
				t.Fatalf("error\n%v\nwant\n%s", err, tt.err)
			}
		})
	}
	t.Run("latin-1", func(t *testing.T) {
		root := t.TempDir()
		data := "a\n\xe9" + long + "\n"
		writeFile(t, root, "datasets/x.csv", data)
		ds := newDataset(data, str("a"))
		ds.Encoding = analysis.String{Value: "latin-1", Set: true}
		_, _, err := readAll(ds, Options{Root: root, MaxRecord: max})
		want := "datasets/x.csv:2:1025: a record is longer than 1 KiB, the limit (line 2 has no line break in its first 1 KiB: is this a CSV file?)"
		if err == nil || err.Error() != want {
			t.Fatalf("error\n%v\nwant\n%s", err, want)
		}
	})
	t.Run("infer", func(t *testing.T) {
		root := t.TempDir()
		writeFile(t, root, "datasets/x.csv", "a,b\n1,"+strings.Repeat("z", 20<<20)+"\n")
		_, err := Infer("datasets/x.csv", root, 0)
		want := "datasets/x.csv:2:8388609: a record is longer than 8 MiB, the limit (line 2 has no line break in its first 8 MiB: is this a CSV file?)"
		if err == nil || err.Error() != want {
			t.Fatalf("error\n%v\nwant\n%s", err, want)
		}
	})
}

// repeatReader gives head, then body repeated until n bytes in all, then
// tail.
type repeatReader struct {
	head, body, tail string
	n                int64
	off              int64
}

func (r *repeatReader) Read(p []byte) (int, error) {
	total := int64(len(r.head)) + r.n + int64(len(r.tail))
	if r.off >= total {
		return 0, io.EOF
	}
	i := 0
	for i < len(p) && r.off < total {
		var c byte
		switch {
		case r.off < int64(len(r.head)):
			c = r.head[r.off]
		case r.off < int64(len(r.head))+r.n:
			c = r.body[(r.off-int64(len(r.head)))%int64(len(r.body))]
		default:
			c = r.tail[r.off-int64(len(r.head))-r.n]
		}
		p[i] = c
		i++
		r.off++
	}
	return i, nil
}

// writeHuge writes the file a repeatReader gives at rel under root and
// returns its sha256.
func writeHuge(t testing.TB, root, rel string, src io.Reader) string {
	t.Helper()
	full := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(full)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.CopyBuffer(io.MultiWriter(f, h), src, make([]byte, 1<<20)); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// TestHugeRecords reads generated files with the real limit: a 100 MB
// field, a 256 MB line with no line break and a quote left open before
// 64 MB of rows. Each must fail, having parsed about 8 MiB (the rest of the
// file is only hashed), with the heap in use under 64 MiB (the time each
// takes is logged, not asserted).
func TestHugeRecords(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 400 MB of temporary files")
	}
	const mb = 1 << 20
	tests := []struct {
		name string
		src  *repeatReader
		err  string
	}{{
		name: "100 MB field",
		src:  &repeatReader{head: "a,b\n1,\"", body: "field ", n: 100 * mb, tail: "\"\n"},
		err:  "datasets/x.csv:2:8388609: a record is longer than 8 MiB, the limit (line 2 has no line break in its first 8 MiB: is this a CSV file?)",
	}, {
		name: "256 MB line",
		src:  &repeatReader{head: "a,b\n", body: "0123456789abcdef", n: 256 * mb},
		err:  "datasets/x.csv:2:8388609: a record is longer than 8 MiB, the limit (line 2 has no line break in its first 8 MiB: is this a CSV file?)",
	}, {
		name: "quote left open",
		src:  &repeatReader{head: "a,b\n1,2\n3,\"x\n", body: "4,5\n", n: 64 * mb},
		err:  "datasets/x.csv:2097154:4: a record is longer than 8 MiB, the limit (is a quote left open at line 3?)",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			pin := writeHuge(t, root, "datasets/x.csv", tt.src)
			ds := newDataset("", str("a"))
			ds.SHA256.Value = pin
			runtime.GC()
			stop := watchHeap()
			start := time.Now()
			var read, total int64
			progress := func(r, t int64) { read, total = r, t }
			r, err := openDataset(ds, Options{Root: root, Progress: progress})
			if err != nil {
				t.Fatal(err)
			}
			for err == nil {
				_, err = r.Read()
			}
			// What the parser was given of the file before it stopped,
			// whatever the clock says; the rest was read through sha256
			// alone, for the pin.
			parsed := r.part.n
			r.Close()
			took := time.Since(start)
			peak := stop()
			if err.Error() != tt.err {
				t.Fatalf("error\n%v\nwant\n%s", err, tt.err)
			}
			t.Logf("%s: %v, parsed %d MiB of %d, peak heap in use %d MiB", tt.name, took.Round(time.Millisecond), parsed>>20, total>>20, peak>>20)
			if limit := int64(MaxRecord + 2<<20); parsed > limit {
				t.Errorf("parsed %d bytes before stopping, more than the %d-byte record limit and its buffers", parsed, limit)
			}
			if read != total {
				t.Errorf("the pass for the pin read %d bytes of %d", read, total)
			}
			if peak > 64<<20 {
				t.Errorf("peak heap %d MiB, more than 64 MiB", peak>>20)
			}
		})
	}
}

// watchHeap samples the heap in use (HeapInuse: live and not yet collected
// objects) every millisecond until the returned function is called, which
// gives the highest value seen.
func watchHeap() func() uint64 {
	done := make(chan struct{})
	res := make(chan uint64)
	go func() {
		var peak uint64
		var ms runtime.MemStats
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
			select {
			case <-done:
				res <- peak
				return
			case <-tick.C:
			}
		}
	}()
	return func() uint64 {
		close(done)
		return <-res
	}
}

// TestWideFiles reads files of many fields with the real limits: what
// reading takes must stay under a small multiple of the record limit
// whatever the number of fields, measured by the peak of the heap in use
// over what was in use before (the time each takes is logged, not
// asserted). A header wider than MaxColumns is an error at its first column
// past the limit; a row is never kept beyond one field more than its
// header.
func TestWideFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("reads files of millions of fields")
	}
	const limit = 8 * MaxRecord // 64 MiB, as docs/security.md says
	fourMillion := func(w *bufio.Writer) {
		for i := range 4_000_000 {
			if i > 0 {
				w.WriteByte(',')
			}
			w.WriteByte('a')
		}
		w.WriteByte('\n')
		for range 4_000_000 - 1 {
			w.WriteByte(',')
		}
		w.WriteByte('\n')
	}
	widest := func(w *bufio.Writer) {
		for i := range MaxColumns {
			if i > 0 {
				w.WriteByte(',')
			}
			fmt.Fprintf(w, "c%d", i)
		}
		w.WriteByte('\n')
		for r := range 30 {
			for i := range MaxColumns {
				if i > 0 {
					w.WriteByte(',')
				}
				w.WriteString(strconv.Itoa((i*7 + r) % 1000))
			}
			w.WriteByte('\n')
		}
	}
	every := make([]*analysis.Column, MaxColumns)
	for i := range every {
		every[i] = &analysis.Column{Name: fmt.Sprintf("c%d", i), Type: tInt, Pos: at(10+i, 7)}
	}

	tests := []struct {
		name  string
		gen   func(w *bufio.Writer)
		cols  []*analysis.Column
		infer bool
		rows  int
		err   string
	}{{
		name: "4 million columns",
		gen:  fourMillion,
		cols: []*analysis.Column{{Name: "a", Type: analysis.TypeString, FromIdx: 1}},
		err:  "datasets/x.csv:1:200001: the header has 4000000 columns, more than 100000, the limit (is the delimiter right?)",
	}, {
		name:  "4 million columns, galley init",
		gen:   fourMillion,
		infer: true,
		err:   "datasets/x.csv:1:200001: the header has 4000000 columns, more than 100000, the limit (is the delimiter right?)",
	}, {
		name: "an 8 MB row of commas",
		gen: func(w *bufio.Writer) {
			w.WriteString("a,b\n1,2\n")
			for range 8_000_000 {
				w.WriteByte(',')
			}
			w.WriteByte('\n')
		},
		cols: []*analysis.Column{str("a")},
		rows: 1,
		err:  `datasets/x.csv:3:3: row has 8000001 fields, but the header has 2: field 3, "", is past the last column, "b" (is a value holding ',' not quoted?)`,
	}, {
		name: "the most columns, every one read",
		gen:  widest,
		cols: every,
		rows: 30,
	}, {
		name:  "the most columns, galley init",
		gen:   widest,
		infer: true,
		rows:  30,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			var file bytes.Buffer
			w := bufio.NewWriter(&file)
			tt.gen(w)
			w.Flush()
			size := file.Len()
			pin := writeHuge(t, root, "datasets/x.csv", &file)
			file = bytes.Buffer{}
			ds := newDataset("", tt.cols...)
			ds.SHA256.Value = pin

			runtime.GC()
			var before runtime.MemStats
			runtime.ReadMemStats(&before)
			stop := watchHeap()
			start := time.Now()
			rows, err := 0, error(nil)
			if tt.infer {
				var inf *Inferred
				if inf, err = Infer("datasets/x.csv", root, 0); err == nil {
					rows = inf.Rows
				}
			} else {
				r, oerr := openDataset(ds, Options{Root: root})
				err = oerr
				for err == nil {
					if _, err = r.Read(); err == nil {
						rows++
					}
				}
				if err == io.EOF {
					err = nil
				}
				if r != nil {
					r.Close()
				}
			}
			took := time.Since(start)
			peak := stop() - before.HeapInuse
			t.Logf("%s: %v, %d MB file, peak heap in use %d MiB over what was in use before", tt.name, took.Round(time.Millisecond), size>>20, peak>>20)
			if tt.err == "" && err != nil || tt.err != "" && (err == nil || err.Error() != tt.err) {
				t.Fatalf("error\n%v\nwant\n%s", err, tt.err)
			}
			if rows != tt.rows {
				t.Errorf("%d rows, want %d", rows, tt.rows)
			}
			if peak > limit {
				t.Errorf("peak heap in use %d MiB, more than %d MiB", peak>>20, limit>>20)
			}
		})
	}
}

// TestWideGeoJSON is a finding of the second pass over issue 14 (item 10,
// wide rows): a GeoJSON file was read into a tree, and what it took grew
// with the number of properties of a feature whatever the columns declared
// (one feature of 1,000,000 properties, a 16 MB file, took 918 MB in
// galley run). The reader now streams and keeps only the declared columns,
// so a GeoJSON file of any width stays under the heap a CSV file does
// (TestWideFiles).
func TestWideGeoJSON(t *testing.T) {
	if testing.Short() {
		t.Skip("reads a feature of a million properties")
	}
	const limit = 8 * MaxRecord // 64 MiB, as for a CSV file
	var file bytes.Buffer
	file.WriteString(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"A"`)
	for i := range 1_000_000 {
		fmt.Fprintf(&file, `,"p%d":%d`, i, i)
	}
	file.WriteString(`},"geometry":{"type":"Polygon","coordinates":[[[10,10],[11,10],[11,11],[10,10]]]}}]}`)
	root := t.TempDir()
	pin := writeHuge(t, root, "datasets/geo/x.geojson", &file)
	ds := geoDataset("", str("name"))
	ds.SHA256.Value = pin

	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	stop := watchHeap()
	rows, _, err := readAll(ds, Options{Root: root})
	peak := stop() - before.HeapInuse
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0][0] != "A" {
		t.Errorf("rows %v", rows)
	}
	t.Logf("peak heap in use %d MiB over what was in use before", peak>>20)
	if peak > limit {
		t.Errorf("peak heap in use %d MiB, more than %d MiB", peak>>20, limit>>20)
	}
}
