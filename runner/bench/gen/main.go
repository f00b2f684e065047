// Command gen writes the benchmark's incident CSV: a deterministic stream of
// rows shaped like a conflict-incident log (ten columns, a free-text column
// with quoted commas and doubled quotes), the same bytes for the same -rows
// and -seed on any machine.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"time"
)

var (
	cities       = []string{"Mosul", "Raqqa", "Aleppo", "Fallujah", "Ramadi", "Tikrit", "Kirkuk", "Deir ez-Zor", "Idlib", "Homs", "Hama", "Tal Afar"}
	belligerents = []string{"Coalition", "Iraqi forces", "Islamic State", "SDF", "Syrian regime", "Russia", "Turkey", "Unknown"}
	sources      = []string{"Airwars", "AP", "Iraq Body Count", "UN", "Amnesty", "local media", "NGO report"}
	words        = []string{"strike", "on", "a", "house", "near", "the", "market", "civilians", "killed", "reported", "by", "witnesses", "including", "children", "building", "collapsed", "\"confirmed\"", "neighbourhood", "west", "east", "old city", "river", "bridge"}
)

func main() {
	rows := flag.Int("rows", 1_000_000, "number of data rows")
	seed := flag.Uint64("seed", 2017, "random seed")
	out := flag.String("o", "", "output file (default stdout)")
	flag.Parse()
	w := bufio.NewWriterSize(os.Stdout, 1<<20)
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		defer f.Close()
		w = bufio.NewWriterSize(f, 1<<20)
	}
	r := rand.New(rand.NewPCG(*seed, *seed^0x9e3779b97f4a7c15))
	start := time.Date(2014, 8, 8, 0, 0, 0, 0, time.UTC)
	w.WriteString("incident_id,date,city,belligerent,deaths_min,deaths_max,injured,latitude,longitude,description\n")
	var b []byte
	for i := 0; i < *rows; i++ {
		b = b[:0]
		b = append(b, "INC-"...)
		b = strconv.AppendInt(b, int64(i+1), 10)
		b = append(b, ',')
		b = start.AddDate(0, 0, r.IntN(1240)).AppendFormat(b, time.DateOnly)
		b = append(b, ',')
		b = append(b, cities[r.IntN(len(cities))]...)
		b = append(b, ',')
		b = append(b, belligerents[r.IntN(len(belligerents))]...)
		b = append(b, ',')
		lo := r.IntN(12)
		b = strconv.AppendInt(b, int64(lo), 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(lo+r.IntN(8)), 10)
		b = append(b, ',')
		if r.IntN(10) == 0 {
			// an unknown injured count: an empty cell, read as null
		} else {
			b = strconv.AppendInt(b, int64(r.IntN(40)), 10)
		}
		b = append(b, ',')
		b = strconv.AppendFloat(b, 33+r.Float64()*4, 'f', 5, 64)
		b = append(b, ',')
		b = strconv.AppendFloat(b, 36+r.Float64()*7, 'f', 5, 64)
		b = append(b, ',', '"')
		n := 6 + r.IntN(10)
		for j := 0; j < n; j++ {
			if j > 0 {
				b = append(b, ' ')
			}
			word := words[r.IntN(len(words))]
			for k := 0; k < len(word); k++ {
				if word[k] == '"' {
					b = append(b, '"', '"')
				} else {
					b = append(b, word[k])
				}
			}
			if j == 2 {
				b = append(b, ',')
			}
		}
		b = append(b, "; source: "...)
		b = append(b, sources[r.IntN(len(sources))]...)
		b = append(b, '"', '\n')
		w.Write(b)
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
