package dataset

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"galley/runner/internal/analysis"
)

// globDataset declares pattern, with a pin for each of files (path to
// content) and the columns.
func globDataset(pattern string, files map[string]string, cols ...*analysis.Column) *analysis.Dataset {
	ds := newDataset("", cols...)
	ds.Path.Value = pattern
	ds.SHA256 = analysis.String{}
	ds.PinsSet = true
	line := 6
	for _, p := range sortedKeys(files) {
		ds.Pins = append(ds.Pins, analysis.Pin{Path: analysis.String{Value: p, Pos: at(line, 7), Set: true},
			SHA256: analysis.String{Value: sum(files[p]), Pos: at(line, 27), Set: true}})
		line++
	}
	return ds
}

func sortedKeys(m map[string]string) []string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	for i := range keys {
		for j := i + 1; j < len(keys); j++ {
			if keys[j] < keys[i] {
				keys[i], keys[j] = keys[j], keys[i]
			}
		}
	}
	return keys
}

func fileCol(name string) *analysis.Column {
	return &analysis.Column{Name: name, Type: analysis.TypeString, FileName: true, Pos: at(9, 18)}
}

var stations = map[string]string{
	"datasets/w/KSEA.csv": "day,tmax\n2024-01-01,8\n2024-01-02,9\n",
	"datasets/w/KCLT.csv": "day,tmax\n2024-01-01,12\n",
	"datasets/w/KPHX.csv": "day,tmax\n2024-01-01,20\n2024-01-02,21\n2024-01-03,19\n",
}

func writeAll(t *testing.T, root string, files map[string]string) {
	for p, data := range files {
		writeFile(t, root, p, data)
	}
}

func TestGlobRows(t *testing.T) {
	root := t.TempDir()
	writeAll(t, root, stations)
	writeFile(t, root, "datasets/w/notes.txt", "not matched")
	writeFile(t, root, "datasets/w/.KTMP.csv", "a hidden file is not matched")
	ds := globDataset("datasets/w/K*.csv", stations, str("day"), col("tmax", analysis.TypeInt), fileCol("station"))
	want := [][]any{{"2024-01-01", 12, "KCLT"}, {"2024-01-01", 20, "KPHX"}, {"2024-01-02", 21, "KPHX"},
		{"2024-01-03", 19, "KPHX"}, {"2024-01-01", 8, "KSEA"}, {"2024-01-02", 9, "KSEA"}}
	wantFiles := []FileRead{{"datasets/w/KCLT.csv", sum(stations["datasets/w/KCLT.csv"]), 1},
		{"datasets/w/KPHX.csv", sum(stations["datasets/w/KPHX.csv"]), 3}, {"datasets/w/KSEA.csv", sum(stations["datasets/w/KSEA.csv"]), 2}}
	r, err := openDataset(ds, Options{Root: root})
	if err != nil {
		t.Fatal(err)
	}
	var rows [][]any
	var lines []int
	for {
		row, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, append([]any(nil), row...))
		lines = append(lines, r.Line())
	}
	r.Close()
	if !reflect.DeepEqual(rows, want) || !reflect.DeepEqual(lines, []int{2, 2, 3, 4, 2, 3}) || r.RowsRead() != 6 {
		t.Errorf("rows %v at lines %v (%d read)", rows, lines, r.RowsRead())
	}
	if got := r.Files(); !reflect.DeepEqual(got, wantFiles) {
		t.Errorf("files %v, want %v", got, wantFiles)
	}
	for _, workers := range []int{0, 1, 2, 5} {
		r, err := openDataset(ds, Options{Root: root})
		if err != nil {
			t.Fatal(err)
		}
		got, n, err := Stream(r, workers, newRowSink)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		if n != 6 || !reflect.DeepEqual(got.rows, want) || got.at[1] != "datasets/w/KPHX.csv line 2" {
			t.Errorf("%d workers: %v at %v", workers, got.rows, got.at)
		}
		if files := r.Files(); !reflect.DeepEqual(files, wantFiles) {
			t.Errorf("%d workers: files %v", workers, files)
		}
	}
}

// TestGlobStreamLargeFiles: a glob of files of several parts each reads
// the same rows, in order, with any number of workers, and counts each
// file's rows.
func TestGlobStreamLargeFiles(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{
		"datasets/p/part-1.csv": bigCSV(2*ChunkSize+777, false),
		"datasets/p/part-2.csv": "id,note,n\n1,small,2\n",
		"datasets/p/part-3.csv": bigCSV(3*ChunkSize+5, true),
	}
	writeAll(t, root, files)
	cols := func() []*analysis.Column {
		return []*analysis.Column{col("id", analysis.TypeInt), str("note"), col("n", analysis.TypeInt), fileCol("part")}
	}
	var want [][]any
	var counts []int
	for _, p := range sortedKeys(files) {
		ds := newDataset(files[p], cols()[:3]...)
		ds.Path.Value = p
		rows, _, err := readAll(ds, Options{Root: root})
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range rows {
			want = append(want, append(row, strings.TrimSuffix(filepath.Base(p), ".csv")))
		}
		counts = append(counts, len(rows))
	}
	for _, workers := range []int{1, 2, 5} {
		r, err := openDataset(globDataset("datasets/p/part-*.csv", files, cols()...), Options{Root: root})
		if err != nil {
			t.Fatal(err)
		}
		got, n, err := Stream(r, workers, newRowSink)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		if n != len(want) || !reflect.DeepEqual(got.rows, want) {
			t.Errorf("%d workers: %d rows, want %d, or not the same", workers, n, len(want))
			for i := range want {
				if !reflect.DeepEqual(got.rows[i], want[i]) {
					t.Fatalf("row %d: %#v, want %#v", i, got.rows[i], want[i])
				}
			}
		}
		for i, f := range r.Files() {
			if f.Rows != counts[i] {
				t.Errorf("%d workers: %s: %d rows, want %d", workers, f.Path, f.Rows, counts[i])
			}
		}
	}
}

func TestGlobErrors(t *testing.T) {
	cols := func() []*analysis.Column { return []*analysis.Column{str("day"), col("tmax", analysis.TypeInt)} }
	for _, c := range []struct {
		name    string
		files   map[string]string // on disk
		pinned  map[string]string // pinned
		pattern string
		want    string
	}{
		{"no file", stations, stations, "datasets/w/X*.csv",
			`analyses/a.yaml:4:11: dataset "estimates": datasets/w/X*.csv matches no file (the folder datasets/w has KCLT.csv, KPHX.csv, KSEA.csv)`},
		{"no folder", stations, stations, "datasets/v/*.csv",
			`analyses/a.yaml:4:11: dataset "estimates": datasets/v/*.csv matches no file: there is no folder datasets/v`},
		{"a new file", stations, map[string]string{"datasets/w/KCLT.csv": stations["datasets/w/KCLT.csv"], "datasets/w/KSEA.csv": stations["datasets/w/KSEA.csv"]}, "datasets/w/K*.csv",
			`analyses/a.yaml:3:3: dataset "estimates": datasets/w/KPHX.csv is a new file: run galley pin analyses/a.yaml (the glob datasets/w/K*.csv matches it, and it has no pin)`},
		{"a pin whose file is gone", map[string]string{"datasets/w/KCLT.csv": stations["datasets/w/KCLT.csv"]}, map[string]string{"datasets/w/KCLT.csv": stations["datasets/w/KCLT.csv"], "datasets/w/KSEA.csv": "x"}, "datasets/w/K*.csv",
			`analyses/a.yaml:7:7: dataset "estimates": the pin of datasets/w/KSEA.csv names a file the glob datasets/w/K*.csv no longer matches (it was removed or renamed: restore it, or remove its pin)`},
		{"another header", map[string]string{"datasets/w/KA.csv": "day,tmax\n2024-01-01,1\n", "datasets/w/KB.csv": "day,max\n2024-01-01,2\n"}, nil, "datasets/w/K*.csv",
			`datasets/w/KB.csv:1:5: the header differs from that of datasets/w/KA.csv, the glob's first file: column 2 is "max" here, "tmax" there (the files of a glob share one header)`},
		{"a column more", map[string]string{"datasets/w/KA.csv": "day,tmax\n2024-01-01,1\n", "datasets/w/KB.csv": "day,tmax,x\n2024-01-01,2,3\n"}, nil, "datasets/w/K*.csv",
			`datasets/w/KB.csv:1:10: the header differs from that of datasets/w/KA.csv, the glob's first file: it has 3 columns, KA.csv has 2; column 3, "x", is not there (the files of a glob share one header)`},
		{"a bad cell in the second file", map[string]string{"datasets/w/KA.csv": "day,tmax\n2024-01-01,1\n", "datasets/w/KB.csv": "day,tmax\n2024-01-01,two\n"}, nil, "datasets/w/K*.csv",
			`datasets/w/KB.csv:2:12: column "tmax" (int): cannot read "two" as an integer`},
		{"a wrong pin of a later file wins", map[string]string{"datasets/w/KA.csv": "day,tmax\n2024-01-01,x\n", "datasets/w/KB.csv": "day,tmax\n2024-01-01,2\n"}, map[string]string{"datasets/w/KA.csv": "day,tmax\n2024-01-01,x\n", "datasets/w/KB.csv": "changed"}, "datasets/w/K*.csv",
			`analyses/a.yaml:7:27: dataset "estimates": sha256 of datasets/w/KB.csv does not match its pin: expected ` + sum("changed") + `, got ` + sum("day,tmax\n2024-01-01,2\n") + ` (if the file changed on purpose, run galley pin analyses/a.yaml)`},
		{"a folder that leaves the project", stations, stations, "../w/*.csv",
			`analyses/a.yaml:4:11: dataset "estimates": path "../w/*.csv" leaves the project root (keep datasets inside the project, e.g. under datasets/)`},
	} {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			writeAll(t, root, c.files)
			pinned := c.pinned
			if pinned == nil {
				pinned = c.files
			}
			ds := globDataset(c.pattern, pinned, cols()...)
			_, _, err := readAll(ds, Options{Root: root})
			if err == nil || err.Error() != c.want {
				t.Errorf("Read:   %v\nwant    %s", err, c.want)
			}
			r, err := openDataset(ds, Options{Root: root})
			if err == nil {
				_, _, err = Stream(r, 3, newRowSink)
				r.Close()
			}
			if err == nil || err.Error() != c.want {
				t.Errorf("Stream: %v\nwant    %s", err, c.want)
			}
		})
	}
}

// TestGlobSymlinkOut: a file the glob matches that links outside the
// project is refused, as a single path is.
func TestGlobSymlinkOut(t *testing.T) {
	root := t.TempDir()
	outside := t.TempDir()
	writeFile(t, outside, "secret.csv", "day,tmax\n")
	writeAll(t, root, map[string]string{"datasets/w/KA.csv": "day,tmax\n"})
	if err := os.Symlink(filepath.Join(outside, "secret.csv"), filepath.Join(root, "datasets/w/KZ.csv")); err != nil {
		t.Skip(err)
	}
	ds := globDataset("datasets/w/K*.csv", map[string]string{"datasets/w/KA.csv": "day,tmax\n"}, str("day"))
	_, _, err := readAll(ds, Options{Root: root})
	want := `analyses/a.yaml:4:11: dataset "estimates": datasets/w/KZ.csv is a symbolic link to a file outside the project root (copy the file into the project instead) (it matches datasets/w/K*.csv)`
	if err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
	if _, err := Sums(ds, Options{Root: root}); err == nil || err.Error() != want {
		t.Errorf("Sums: %v", err)
	}
	_ = fmt.Sprint
}
