// Command baseline runs the benchmark's tasks the plainest fast way Go
// allows: encoding/csv with ReuseRecord on one core, the columns parsed by
// hand, the result printed as a JSON array of rows (for bench.sh to compare
// with Galley's and DuckDB's). It is the yardstick Galley is measured
// against, not part of Galley.
//
//	baseline [-task t|window|pivot|quantile] FILE...
//
// Several files are read one after the other, as one table (the glob task
// is task T over the file split in ten).
package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"sort"
	"strconv"
)

// The columns of runner/bench/gen's file.
const (
	colDate        = 1
	colCity        = 2
	colBelligerent = 3
	colDeathsMin   = 4
	colDeathsMax   = 5
)

func main() {
	task := flag.String("task", "t", "t, window, pivot or quantile")
	flag.Parse()
	var rows [][]any
	switch *task {
	case "t":
		rows = taskT(flag.Args())
	case "window":
		rows = window(flag.Args())
	case "pivot":
		rows = pivot(flag.Args())
	case "quantile":
		rows = quantile(flag.Args())
	default:
		fail(fmt.Errorf("unknown task %q", *task))
	}
	out, err := json.Marshal(rows)
	if err != nil {
		fail(err)
	}
	fmt.Printf("%s\n", out)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}

// each calls fn with every data record of the files, in order; the record
// is reused by the next call.
func each(files []string, fn func(rec []string)) {
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			fail(err)
		}
		r := csv.NewReader(bufio.NewReaderSize(f, 1<<20))
		r.ReuseRecord = true
		if _, err := r.Read(); err != nil {
			fail(err)
		}
		for {
			rec, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				fail(err)
			}
			fn(rec)
		}
		f.Close()
	}
}

func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		fail(err)
	}
	return n
}

// taskT: Mosul incidents during the battle, by belligerent (task-t.yaml).
func taskT(files []string) [][]any {
	type group struct{ n, min, max, peak int }
	groups := map[string]*group{}
	each(files, func(rec []string) {
		if rec[colCity] != "Mosul" || rec[colDate] < "2016-10-17" || rec[colDate] > "2017-07-20" {
			return
		}
		lo, hi := atoi(rec[colDeathsMin]), atoi(rec[colDeathsMax])
		if hi < 1 {
			return
		}
		g := groups[rec[colBelligerent]]
		if g == nil {
			g = &group{}
			groups[rec[colBelligerent]] = g
		}
		g.n++
		g.min += lo
		g.max += hi
		g.peak = max(g.peak, hi)
	})
	var rows [][]any
	for _, k := range sortedKeys(groups) {
		g := groups[k]
		rows = append(rows, []any{k, g.n, g.min, g.max, g.peak})
	}
	return rows
}

// window: the three deadliest days of each city, ties included
// (task-window.yaml).
func window(files []string) [][]any {
	type key struct{ city, day string }
	deaths := map[key]int{}
	each(files, func(rec []string) {
		deaths[key{rec[colCity], rec[colDate]}] += atoi(rec[colDeathsMax])
	})
	type day struct {
		day    string
		deaths int
	}
	byCity := map[string][]day{}
	for k, d := range deaths {
		byCity[k.city] = append(byCity[k.city], day{k.day, d})
	}
	var rows [][]any
	for _, city := range sortedKeys(byCity) {
		days := byCity[city]
		sort.Slice(days, func(i, j int) bool {
			if days[i].deaths != days[j].deaths {
				return days[i].deaths > days[j].deaths
			}
			return days[i].day < days[j].day
		})
		for i, d := range days {
			rank := i + 1
			for rank > 1 && days[rank-2].deaths == d.deaths {
				rank--
			}
			if rank > 3 {
				break
			}
			rows = append(rows, []any{city, d.day, d.deaths, rank})
		}
	}
	return rows
}

// pivot: deaths by month, a column per belligerent (task-pivot.yaml).
func pivot(files []string) [][]any {
	columns := []string{"Coalition", "Iraqi forces", "Islamic State", "SDF", "Syrian regime", "Russia", "Turkey", "Unknown"}
	months := map[string][]int{}
	each(files, func(rec []string) {
		month := rec[colDate][:8] + "01"
		i := slices.Index(columns, rec[colBelligerent])
		if i < 0 {
			fail(fmt.Errorf("belligerent %q is not a column", rec[colBelligerent]))
		}
		m := months[month]
		if m == nil {
			m = make([]int, len(columns))
			months[month] = m
		}
		m[i] += atoi(rec[colDeathsMax])
	})
	var rows [][]any
	for _, month := range sortedKeys(months) {
		row := []any{month}
		for _, d := range months[month] {
			row = append(row, d)
		}
		rows = append(rows, row)
	}
	return rows
}

// quantile: the median, 90th and 99th percentiles of deaths in each city,
// linear between the closest ranks (R's type 7; task-quantile.yaml).
func quantile(files []string) [][]any {
	values := map[string][]int{}
	each(files, func(rec []string) {
		values[rec[colCity]] = append(values[rec[colCity]], atoi(rec[colDeathsMax]))
	})
	var rows [][]any
	for _, city := range sortedKeys(values) {
		v := values[city]
		slices.Sort(v)
		row := []any{city}
		for _, p := range []float64{0.5, 0.9, 0.99} {
			h := float64(len(v)-1) * p
			lo := int(math.Floor(h))
			q := float64(v[lo])
			if lo+1 < len(v) {
				q += (h - float64(lo)) * float64(v[lo+1]-v[lo])
			}
			row = append(row, q)
		}
		rows = append(rows, row)
	}
	return rows
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
