package dataset

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"galley/runner/internal/analysis"
)

// rowSink keeps every row it is given, with its place.
type rowSink struct {
	rows  [][]any
	at    []string
	parts int
}

func (s *rowSink) Add(row []any, at func() string) error {
	s.rows = append(s.rows, append([]any(nil), row...))
	s.at = append(s.at, at())
	return nil
}

func (s *rowSink) Merge(later *rowSink) error {
	s.rows = append(s.rows, later.rows...)
	s.at = append(s.at, later.at...)
	s.parts += later.parts
	return nil
}

func newRowSink() *rowSink { return &rowSink{parts: 1} }

// TestStreamSameForAnyWorkers streams a file of several parts with 1, 2
// and 5 workers: the rows, in order, with their places, are those of one
// reader over the whole file.
func TestStreamSameForAnyWorkers(t *testing.T) {
	data := bigCSV(3*ChunkSize+12345, false)
	root := t.TempDir()
	writeFile(t, root, "datasets/x.csv", data)
	cols := func() []*analysis.Column {
		return []*analysis.Column{col("id", analysis.TypeInt), str("note"), col("n", analysis.TypeInt)}
	}
	want, lines, pieces, err := readChunked(t, newDataset(data, cols()...), root)
	if err != nil {
		t.Fatal(err)
	}
	if pieces < 3 {
		t.Fatalf("read in %d pieces, want at least 3", pieces)
	}
	wantAt := make([]string, len(lines))
	for i, l := range lines {
		wantAt[i] = fmt.Sprintf("datasets/x.csv line %d", l)
	}
	for _, workers := range []int{0, 1, 2, 5} {
		r, err := openDataset(newDataset(data, cols()...), Options{Root: root})
		if err != nil {
			t.Fatal(err)
		}
		got, rows, err := Stream(r, workers, newRowSink)
		r.Close()
		if err != nil {
			t.Fatalf("%d workers: %v", workers, err)
		}
		if rows != len(want) || !reflect.DeepEqual(got.rows, want) || !reflect.DeepEqual(got.at, wantAt) {
			t.Errorf("%d workers: %d rows (%d counted), want %d, or not the same", workers, len(got.rows), rows, len(want))
		}
		if got.parts != pieces {
			t.Errorf("%d workers: %d sinks merged, want one per piece, %d", workers, got.parts, pieces)
		}
	}
}

// TestStreamFirstErrorInFileOrder: with errors in two chunks, every number
// of workers reports the first, and a wrong pin wins over both.
func TestStreamFirstErrorInFileOrder(t *testing.T) {
	data := bigCSV(4*ChunkSize, false)
	lines := strings.Split(data, "\n")
	bad := func(i int) int {
		for !strings.Contains(lines[i], ",plain,") {
			i++
		}
		lines[i] = strings.Replace(lines[i], ",plain,", ",plain,x", 1)
		return i + 1
	}
	first := bad(len(lines) / 2)
	bad(len(lines) - 40)
	data = strings.Join(lines, "\n")
	root := t.TempDir()
	writeFile(t, root, "datasets/x.csv", data)
	for _, workers := range []int{1, 2, 5} {
		ds := newDataset(data, col("id", analysis.TypeInt), str("note"), col("n", analysis.TypeInt))
		r, err := openDataset(ds, Options{Root: root})
		if err != nil {
			t.Fatal(err)
		}
		_, _, err = Stream(r, workers, newRowSink)
		r.Close()
		if want := fmt.Sprintf("datasets/x.csv:%d:", first); err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%d workers: %v, want an error at %s", workers, err, want)
		}

		ds.SHA256.Value = strings.Repeat("0", 64)
		r, err = openDataset(ds, Options{Root: root})
		if err != nil {
			t.Fatal(err)
		}
		_, _, err = Stream(r, workers, newRowSink)
		r.Close()
		if want := "analyses/a.yaml:5:13: dataset \"estimates\": sha256 of datasets/x.csv does not match its pin"; err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%d workers, wrong pin: %v, want %s…", workers, err, want)
		}
	}
}
