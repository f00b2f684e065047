package dataset

import (
	"bytes"
	"fmt"
	"io"
	"testing"

	"github.com/xuri/excelize/v2"

	"galley/runner/internal/analysis"
)

// benchColumns are the columns of benchFile.
func benchColumns() []*analysis.Column {
	return []*analysis.Column{col("id", analysis.TypeInt), str("city"), str("counter"), col("low", analysis.TypeInt),
		col("high", analysis.TypeInt), col("share", analysis.TypeFloat), col("verified", analysis.TypeBool),
		col("start", analysis.TypeDate), col("end", analysis.TypeDate), str("note")}
}

// readBench reads ds, which has rows rows, once per iteration.
func readBench(b *testing.B, ds *analysis.Dataset, root string, size, rows int) {
	b.ReportAllocs()
	b.SetBytes(int64(size))
	for b.Loop() {
		r, err := openDataset(ds, Options{Root: root})
		if err != nil {
			b.Fatal(err)
		}
		for {
			if _, err := r.Read(); err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
		}
		if r.RowsRead() != rows {
			b.Fatal(r.RowsRead())
		}
		r.Close()
	}
}

// BenchmarkReadGzip reads benchFile gzipped: the bytes are those of the
// CSV text, inflated.
func BenchmarkReadGzip(b *testing.B) {
	data := benchFile(50_000)
	gz := gzipped(data)
	root := b.TempDir()
	writeFile(b, root, "datasets/x.csv.gz", gz)
	ds := jsonDataset("datasets/x.csv.gz", gz, benchColumns()...)
	readBench(b, ds, root, len(data), 50_000)
}

// BenchmarkReadNDJSON reads the rows of benchFile as NDJSON records.
func BenchmarkReadNDJSON(b *testing.B) {
	var buf bytes.Buffer
	for i := range 50_000 {
		fmt.Fprintf(&buf, `{"id": %d, "city": "Mosul %d", "counter": "AP", "low": %d, "high": %d, "share": %d.%d, "verified": %t, "start": "2017-0%d-1%d", "end": "2017-12-2%d", "note": "a note, quoted"}`+"\n",
			i, i%50, i%9000, i%11000+1, i%100, i%10, i%3 == 0, i%9+1, i%10, i%10)
	}
	data := buf.String()
	root := b.TempDir()
	writeFile(b, root, "datasets/x.ndjson", data)
	readBench(b, jsonDataset("datasets/x.ndjson", data, benchColumns()...), root, len(data), 50_000)
}

// BenchmarkReadXLSX reads the rows of benchFile from a sheet excelize
// wrote; the bytes are the workbook's, as stored.
func BenchmarkReadXLSX(b *testing.B) {
	f := excelize.NewFile()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		b.Fatal(err)
	}
	sw.SetRow("A1", []any{"id", "city", "counter", "low", "high", "share", "verified", "start", "end", "note"})
	for i := range 50_000 {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		sw.SetRow(cell, []any{i, fmt.Sprintf("Mosul %d", i%50), "AP", i % 9000, i%11000 + 1, float64(i%100) + float64(i%10)/10,
			i%3 == 0, fmt.Sprintf("2017-0%d-1%d", i%9+1, i%10), fmt.Sprintf("2017-12-2%d", i%10), "a note, quoted"})
	}
	sw.Flush()
	var buf bytes.Buffer
	f.Write(&buf)
	data := buf.String()
	root := b.TempDir()
	writeFile(b, root, "datasets/x.xlsx", data)
	readBench(b, jsonDataset("datasets/x.xlsx", data, benchColumns()...), root, len(data), 50_000)
}
