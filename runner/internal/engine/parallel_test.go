package engine

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"galley/runner/internal/dataset"
	"galley/runner/internal/results"
)

// TestWorkersGiveTheSameResult reads a file of several chunks with one
// worker and with several: the results, float sums, medians, first and last
// included, must be identical.
func TestWorkersGiveTheSameResult(t *testing.T) {
	var b strings.Builder
	b.WriteString("city,x,n,note\n")
	cities := []string{"Mosul", "Raqqa", "Aleppo"}
	for i := 0; b.Len() < 3*dataset.ChunkSize+1000; i++ {
		fmt.Fprintf(&b, "%s,%d.%03d,%d,\"note, %d\"\n", cities[i%3], i%1000, (i*7919)%1000, i%13, i)
	}
	data := b.String()
	analysisSrc := `title: Parallel
datasets:
  t:
    path: datasets/t.csv
    sha256: ` + sum(data) + `
    source: {title: T, publisher: P, accessed: 2026-11-24, license: CC0}
    columns:
      city: string
      x: float
      n: int
      note: string
views:
  by_city:
    from: t
    where: n != 5
    group_by: [city]
    aggregate:
      rows: count()
      total: sum(x)
      avg: mean(x)
      mid: median(x)
      first_note: first(note)
      last_note: last(note)
      kinds: count_distinct(n)
  big:
    from: t
    where: x > 998.9
    select: [note, x]
  stats:
    from: t
    group_by: [n]
    aggregate:
      p90: quantile(x, 0.9)
      sd: stddev(x)
      r: corr(x, n)
      usual: mode(city)
      wm: weighted_mean(x, n)
      over: count_if(x > 500)
      over_sum: sum_if(x, city == "Mosul")
  twice:
    from: [t, t]
    from_column: copy
    where: n == 3
    group_by: [copy, city]
    aggregate: {rows: count(), total: sum(x)}
  city_n:
    from: t
    group_by: [city, n]
    aggregate: {total: sum(x)}
  wide:
    from: city_n
    where: n < 3
    pivot:
      names_from: n
      values_from: total
      columns: {zero: 0, one: 1, two: 2}
  ranked:
    from: by_city
    window:
      order_by: [-total]
      derive: {r: rank(), share: total / sum(total)}
`
	dir := project{src: analysisSrc, files: map[string]string{"t": data}}.write(t)
	var docs []*results.Document
	for _, workers := range []int{1, 2, 5} {
		c := compile(t, analysisSrc)
		res, err := Execute(c, Options{Root: dir, Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, res)
	}
	for i, res := range docs[1:] {
		for _, name := range []string{"by_city", "big", "stats", "twice", "wide", "ranked"} {
			a, b := docs[0].View(name), res.View(name)
			if !reflect.DeepEqual(a.Rows, b.Rows) || !reflect.DeepEqual(a.Counts, b.Counts) {
				t.Errorf("view %s differs between 1 worker and run %d:\n%v %+v\n%v %+v", name, i+1, a.Rows, a.Counts, b.Rows, b.Counts)
			}
		}
		if docs[0].RowsRead() != res.RowsRead() {
			t.Errorf("rows read %d and %d", docs[0].RowsRead(), res.RowsRead())
		}
	}
	if n := docs[0].View("by_city").Counts.In; n != docs[0].RowsRead() || n < 100000 {
		t.Errorf("by_city read %d rows of %d", n, docs[0].RowsRead())
	}
}

// TestLargeFilePinWins: a large file is read while it is hashed, but a
// wrong pin is still the error, whatever the reading found before the sum
// was known, and the first in the analysis's order.
func TestLargeFilePinWins(t *testing.T) {
	var b strings.Builder
	b.WriteString("n\n1\nbad\n")
	for b.Len() < 3*dataset.ChunkSize {
		b.WriteString("12345\n")
	}
	large := b.String()
	zeros := strings.Repeat("0", 64)
	mismatch := func(src, name string) string {
		return where(t, src, zeros) + `: dataset "` + name + `": sha256 of datasets/` + name + `.csv does not match its pin: expected ` +
			zeros + ", got " + sum(large) + " (if the file changed on purpose, run galley pin analyses/a.yaml)"
	}
	views := "views:\n  all:\n    from: big\n"
	tests := []struct {
		name string
		src  string
		want func(src string) string
	}{{
		name: "a bad cell is found before the sum",
		src:  "title: T\ndatasets:\n" + dsYAML2("big", large, zeros, "n: int") + views,
		want: func(src string) string { return mismatch(src, "big") },
	}, {
		name: "the pin holds: the bad cell is the error",
		src:  "title: T\ndatasets:\n" + dsYAML("big", large, "n: int") + views,
		want: func(string) string { return `datasets/big.csv:3:1: column "n" (int): cannot read "bad" as an integer` },
	}, {
		name: "a later dataset's pin is wrong too: the first is reported",
		src:  "title: T\ndatasets:\n" + dsYAML2("big", large, zeros, "n: int") + dsYAML2("other", otherCSV, zeros, "x: int, y: int") + views,
		want: func(src string) string { return mismatch(src, "big") },
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := project{src: tt.src, files: map[string]string{"big": large, "other": otherCSV}}.write(t)
			_, err := Execute(compile(t, tt.src), Options{Root: dir, Workers: 2})
			if want := tt.want(tt.src); err == nil || err.Error() != want {
				t.Errorf("error:\n%v\nwant:\n%s", err, want)
			}
		})
	}
}
