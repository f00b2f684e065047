package dataset

import (
	"fmt"
	"io"
	"strings"
	"testing"

	"galley/runner/internal/analysis"
)

func benchFile(rows int) string {
	var b strings.Builder
	b.WriteString("id,city,counter,low,high,share,verified,start,end,note\n")
	for i := range rows {
		fmt.Fprintf(&b, "%d,Mosul %d,AP,%d,%d,%d.%d,%t,2017-0%d-1%d,2017-12-2%d,\"a note, quoted\"\n",
			i, i%50, i%9000, i%11000+1, i%100, i%10, i%3 == 0, i%9+1, i%10, i%10)
	}
	return b.String()
}

func BenchmarkRead(b *testing.B) {
	data := benchFile(50_000)
	root := b.TempDir()
	writeFile(b, root, "datasets/x.csv", data)
	ds := newDataset(data,
		col("id", analysis.TypeInt), str("city"), str("counter"), col("low", analysis.TypeInt),
		col("high", analysis.TypeInt), col("share", analysis.TypeFloat), col("verified", analysis.TypeBool),
		col("start", analysis.TypeDate), col("end", analysis.TypeDate), str("note"))
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
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
		if r.RowsRead() != 50_000 {
			b.Fatal(r.RowsRead())
		}
		r.Close()
	}
}

func BenchmarkInfer(b *testing.B) {
	data := benchFile(50_000)
	root := b.TempDir()
	writeFile(b, root, "datasets/x.csv", data)
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Infer("datasets/x.csv", root, 0); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScan splits records only: the scanner alone, on the benchmark's
// incident rows (a quoted free-text column with doubled quotes).
func BenchmarkScan(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("incident_id,date,city,belligerent,deaths_min,deaths_max,injured,latitude,longitude,description\n")
	for i := range 20_000 {
		fmt.Fprintf(&sb, "INC-%d,2016-11-%02d,Mosul,Iraqi forces,%d,%d,%d,33.%05d,37.%05d,\"on bridge collapsed, witnesses \"\"confirmed\"\" on west neighbourhood; source: Amnesty\"\n",
			i, i%28+1, i%7, i%13, i%31, i%99991, i%88883)
	}
	data := sb.String()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		s := newScanner(strings.NewReader(data), ',', MaxRecord)
		n := 0
		for s.read() == nil {
			n++
		}
		if n != 20_001 {
			b.Fatal(n)
		}
	}
}
