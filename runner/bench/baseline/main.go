// Command baseline runs the benchmark's task T the plainest fast way Go
// allows: encoding/csv with ReuseRecord on one core, the columns parsed by
// hand. It is the yardstick Galley is measured against, not part of Galley.
package main

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
)

type group struct{ n, min, max, peak int }

func main() {
	f, err := os.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	r := csv.NewReader(bufio.NewReaderSize(f, 1<<20))
	r.ReuseRecord = true
	if _, err := r.Read(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	groups := map[string]*group{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		if rec[2] != "Mosul" || rec[1] < "2016-10-17" || rec[1] > "2017-07-20" {
			continue
		}
		lo, err1 := strconv.Atoi(rec[4])
		hi, err2 := strconv.Atoi(rec[5])
		if err1 != nil || err2 != nil {
			fmt.Fprintln(os.Stderr, "bad number")
			os.Exit(1)
		}
		if hi < 1 {
			continue
		}
		g := groups[rec[3]]
		if g == nil {
			g = &group{}
			groups[rec[3]] = g
		}
		g.n++
		g.min += lo
		g.max += hi
		if hi > g.peak {
			g.peak = hi
		}
	}
	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		g := groups[k]
		fmt.Printf("%s,%d,%d,%d,%d\n", k, g.n, g.min, g.max, g.peak)
	}
}
