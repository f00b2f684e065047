package dataset

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"testing"

	"galley/runner/internal/analysis"
	"galley/runner/internal/position"
)

const aPath = "analyses/a.yaml"

func at(line, col int) position.Pos { return position.Pos{File: aPath, Line: line, Col: col} }

func sum(data string) string {
	h := sha256.Sum256([]byte(data))
	return hex.EncodeToString(h[:])
}

// writeFile writes data at rel under root.
func writeFile(t testing.TB, root, rel, data string) {
	t.Helper()
	full := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(full, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// newDataset declares datasets/x.csv, pinned to data, with columns.
func newDataset(data string, cols ...*analysis.Column) *analysis.Dataset {
	for i, c := range cols {
		if !c.Pos.IsValid() {
			c.Pos = at(10+i, 7)
		}
	}
	return &analysis.Dataset{
		Name:    "estimates",
		Pos:     at(3, 3),
		Path:    analysis.String{Value: "datasets/x.csv", Pos: at(4, 11), Set: true},
		SHA256:  analysis.String{Value: sum(data), Pos: at(5, 13), Set: true},
		Columns: cols,
	}
}

func col(name string, typ analysis.ColumnType) *analysis.Column {
	return &analysis.Column{Name: name, Type: typ}
}

func str(name string) *analysis.Column { return col(name, analysis.TypeString) }

// readAll opens ds in root and returns copies of every row and the line of
// each.
func readAll(ds *analysis.Dataset, opts Options) ([][]any, []int, error) {
	r, err := openDataset(ds, opts)
	if err != nil {
		return nil, nil, err
	}
	defer r.Close()
	var rows [][]any
	var lines []int
	for {
		row, err := r.Read()
		if err == io.EOF {
			if r.RowsRead() != len(rows) {
				return rows, lines, io.ErrUnexpectedEOF
			}
			return rows, lines, nil
		}
		if err != nil {
			return rows, lines, err
		}
		rows = append(rows, append([]any(nil), row...))
		lines = append(lines, r.Line())
	}
}

// openDataset compiles ds and opens its file.
func openDataset(ds *analysis.Dataset, opts Options) (*Reader, error) {
	sp, err := Compile(ds)
	if err != nil {
		return nil, err
	}
	return Open(sp, opts)
}

// mustCompile compiles ds, which must be well declared.
func mustCompile(t testing.TB, ds *analysis.Dataset) *Spec {
	t.Helper()
	sp, err := Compile(ds)
	if err != nil {
		t.Fatal(err)
	}
	return sp
}
