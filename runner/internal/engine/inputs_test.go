package engine

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"galley/runner/internal/dataset"
	"galley/runner/internal/results"
)

// TestWorkersSameResultNewInputs: a glob of CSV files (one of several
// parts, one small, one gzipped), an xlsx sheet and NDJSON records give
// the same views, rows read and files with any number of workers.
func TestWorkersSameResultNewInputs(t *testing.T) {
	cities := []string{"Mosul", "Raqqa", "Aleppo"}
	part := func(from, size int) string {
		var b strings.Builder
		b.WriteString("city,x,n\n")
		for i := from; b.Len() < size; i++ {
			fmt.Fprintf(&b, "%s,%d.%03d,%d\n", cities[i%3], i%1000, (i*7919)%1000, i%13)
		}
		return b.String()
	}
	big, small, zipped := part(0, 2*dataset.ChunkSize+4321), part(7, 200), part(11, 3000)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(zipped))
	zw.Close()
	wb := excelize.NewFile()
	wb.SetCellValue("Sheet1", "A1", "Table 1")
	wb.SetSheetRow("Sheet1", "A3", &[]any{"city", "budget"})
	for i := 0; i < 300; i++ {
		wb.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+4), &[]any{cities[i%3], float64(i) * 1.5})
	}
	var xlsx bytes.Buffer
	wb.Write(&xlsx)
	var nd strings.Builder
	for i := 0; i < 500; i++ {
		fmt.Fprintf(&nd, `{"city": %q, "aid": {"usd": %d}}`+"\n", cities[i%3], i*7)
	}
	files := map[string]string{
		"datasets/w/part-1.csv": big, "datasets/w/part-2.csv": small, "datasets/w/part-3.csv.gz": gz.String(),
		"datasets/budget.xlsx": xlsx.String(), "datasets/aid.ndjson": nd.String(),
	}
	src := `title: Inputs
datasets:
  w:
    path: datasets/w/part-*
    sha256:
      datasets/w/part-1.csv: ` + sum(big) + `
      datasets/w/part-2.csv: ` + sum(small) + `
      datasets/w/part-3.csv.gz: ` + sum(gz.String()) + `
    file_column: part
    source: {title: T, publisher: P, accessed: 2026-11-24, license: CC0}
    columns: {city: string, x: float, n: int}
  budget:
    path: datasets/budget.xlsx
    sha256: ` + sum(xlsx.String()) + `
    range: A3:B
    source: {title: T, publisher: P, accessed: 2026-11-24, license: CC0}
    columns: {city: string, budget: float}
  aid:
    path: datasets/aid.ndjson
    sha256: ` + sum(nd.String()) + `
    source: {title: T, publisher: P, accessed: 2026-11-24, license: CC0}
    columns: {city: string, usd: {type: int, from: aid.usd}}
views:
  by_part:
    from: w
    group_by: [part, city]
    aggregate: {rows: count(), total: sum(x), mid: median(x), last_n: last(n)}
  budgets:
    from: budget
    group_by: [city]
    aggregate: {total: sum(budget), rows: count()}
  aid_by_city:
    from: aid
    group_by: [city]
    aggregate: {total: sum(usd), first_usd: first(usd)}
`
	dir := t.TempDir()
	files["analyses/a.yaml"] = src
	for rel, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var docs []*results.Document
	for _, workers := range []int{1, 2, 5} {
		res, err := Execute(compile(t, src), Options{Root: dir, Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, res)
	}
	for i, res := range docs[1:] {
		for _, name := range []string{"by_part", "budgets", "aid_by_city"} {
			a, b := docs[0].View(name), res.View(name)
			if !reflect.DeepEqual(a.Rows, b.Rows) || !reflect.DeepEqual(a.Counts, b.Counts) {
				t.Errorf("view %s differs between 1 worker and run %d", name, i+1)
			}
		}
		if !reflect.DeepEqual(docs[0].Datasets, res.Datasets) {
			t.Errorf("datasets differ between 1 worker and run %d", i+1)
		}
	}
	w := docs[0].Datasets[0]
	lines := func(s string) int { return strings.Count(s, "\n") - 1 }
	want := []results.File{{Path: "datasets/w/part-1.csv", SHA256: sum(big), RowsRead: lines(big)},
		{Path: "datasets/w/part-2.csv", SHA256: sum(small), RowsRead: lines(small)},
		{Path: "datasets/w/part-3.csv.gz", SHA256: sum(gz.String()), RowsRead: lines(zipped)}}
	if !reflect.DeepEqual(w.Files, want) || w.SHA256 != "" || w.RowsRead != lines(big)+lines(small)+lines(zipped) {
		t.Errorf("glob: %d rows, files %+v", w.RowsRead, w.Files)
	}
	if n := docs[0].Datasets[1].RowsRead; n != 300 {
		t.Errorf("xlsx: %d rows", n)
	}
	if n := docs[0].Datasets[2].RowsRead; n != 500 {
		t.Errorf("ndjson: %d rows", n)
	}
}
