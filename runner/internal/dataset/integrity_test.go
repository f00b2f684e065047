package dataset

import (
	"io"
	"reflect"
	"strings"
	"sync"
	"testing"

	"galley/runner/internal/analysis"
)

// changingFile is a data file written over in place while it is read: it
// gives the bytes of a until a read reaches its end, and those of b, the
// same length, from then on. A reader that reads the file once sees a
// alone; one that reads it twice (once to hash it, once to parse it) sees a
// in the first pass and b in the second. Nothing here depends on timing:
// the bytes change at a point in the sequence of reads.
type changingFile struct {
	mu      sync.Mutex
	a, b    []byte
	changed bool
	off     int64 // of Read and Seek
}

func (f *changingFile) readAt(p []byte, off int64) (int, error) {
	d := f.a
	if f.changed {
		d = f.b
	}
	if off >= int64(len(d)) {
		f.changed = true
		return 0, io.EOF
	}
	n := copy(p, d[off:])
	if off+int64(n) == int64(len(d)) {
		f.changed = true
	}
	return n, nil
}

func (f *changingFile) ReadAt(p []byte, off int64) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	n, err := f.readAt(p, off)
	if err == nil && n < len(p) {
		err = io.EOF // as ReaderAt says
	}
	return n, err
}

func (f *changingFile) Read(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	n, err := f.readAt(p, f.off)
	f.off += int64(n)
	return n, err
}

func (f *changingFile) Seek(off int64, whence int) (int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch whence {
	case io.SeekStart:
		f.off = off
	case io.SeekCurrent:
		f.off += off
	default:
		f.off = int64(len(f.a)) + off
	}
	return f.off, nil
}

func (f *changingFile) Close() error { return nil }

// TestBytesHashedAreBytesParsed writes over the end of a pinned file while
// it is read, small and large: the rows read are those of the bytes
// hashed, or the pin is the error. They may never be the new bytes beside
// a pin that holds.
func TestBytesHashedAreBytesParsed(t *testing.T) {
	small := "n,note\n1,plain\n2,plain\n3,plain\n"
	for _, tt := range []struct {
		name string
		data string
	}{
		{"small", small},
		{"large", bigCSV(3*ChunkSize+12345, false)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			last := strings.LastIndex(tt.data, ",plain,")
			if tt.name == "small" {
				last = strings.LastIndex(tt.data, ",plain")
			}
			changed := tt.data[:last] + ",PLAIN" + tt.data[last+len(",PLAIN"):]
			cols := func() []*analysis.Column { return []*analysis.Column{col("id", tInt), str("note")} }
			if tt.name == "small" {
				cols = func() []*analysis.Column { return []*analysis.Column{col("n", tInt), str("note")} }
			}

			root := t.TempDir()
			writeFile(t, root, "datasets/x.csv", tt.data)
			want, _, _, err := readChunked(t, newDataset(tt.data, cols()...), root)
			if err != nil {
				t.Fatal(err)
			}

			for _, workers := range []int{1, 2} {
				ds := newDataset(tt.data, cols()...)
				f := &changingFile{a: []byte(tt.data), b: []byte(changed)}
				loc := &located{rel: "datasets/x.csv", size: int64(len(tt.data))}
				r, err := open(mustCompile(t, ds), Options{}, loc, f)
				if err != nil {
					t.Fatal(err)
				}
				got, _, err := Stream(r, workers, newRowSink)
				r.Close()
				if err != nil {
					if !strings.Contains(err.Error(), "does not match its pin") {
						t.Fatalf("%d workers: %v, want the rows or the pin's error", workers, err)
					}
					continue
				}
				if !reflect.DeepEqual(got.rows, want) {
					for i := range got.rows {
						if i >= len(want) || !reflect.DeepEqual(got.rows[i], want[i]) {
							t.Fatalf("%d workers: the pin holds, but row %d is %v, not %v: bytes were parsed that were not hashed", workers, i+1, got.rows[i], want[i])
						}
					}
					t.Fatalf("%d workers: %d rows, want %d", workers, len(got.rows), len(want))
				}
			}
		})
	}
}
