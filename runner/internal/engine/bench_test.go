package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"galley/runner/internal/analysis"
	"galley/runner/internal/check"
)

// BenchmarkTaskT runs the benchmark's task T (runner/bench/task-t.yaml) in
// process over 250,000 generated incident rows (40 MB, ten chunks), with 2
// workers: what `make bench` measures, without starting a process or
// writing a report. The file is hashed, split, parsed and aggregated in
// every iteration.
func BenchmarkTaskT(b *testing.B) { benchmarkTask(b, "t") }

// BenchmarkTasks runs the other tasks of make bench's suite that read one
// file (runner/bench/task-NAME.yaml) likewise.
func BenchmarkTasks(b *testing.B) {
	for _, task := range []string{"window", "pivot", "quantile"} {
		b.Run(task, func(b *testing.B) { benchmarkTask(b, task) })
	}
}

func benchmarkTask(b *testing.B, task string) {
	name := "task-" + task + ".yaml"
	src, err := os.ReadFile("../../bench/" + name)
	if err != nil {
		b.Fatal(err)
	}
	root := b.TempDir()
	data := incidents(250_000)
	if err := os.MkdirAll(filepath.Join(root, "datasets"), 0o755); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "datasets/incidents.csv"), []byte(data), 0o644); err != nil {
		b.Fatal(err)
	}
	sum := sha256.Sum256([]byte(data))
	pinned := strings.Replace(string(src), "    path: datasets/incidents.csv\n",
		"    path: datasets/incidents.csv\n    sha256: "+hex.EncodeToString(sum[:])+"\n", 1)
	f, err := analysis.Parse("analyses/"+name, []byte(pinned))
	if err != nil {
		b.Fatal(err)
	}
	c, err := check.Analysis(f)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		res, err := Execute(c, Options{Root: root, Workers: 2})
		if err != nil {
			b.Fatal(err)
		}
		if res.RowsRead() != 250_000 {
			b.Fatal(res.RowsRead())
		}
	}
}

// incidents writes rows shaped like runner/bench/gen's: random cities,
// belligerents, counts and coordinates, and a quoted free text with commas
// and doubled quotes.
func incidents(rows int) string {
	cities := []string{"Mosul", "Raqqa", "Aleppo", "Fallujah", "Ramadi", "Tikrit", "Kirkuk", "Deir ez-Zor", "Idlib", "Homs", "Hama", "Tal Afar"}
	sides := []string{"Coalition", "Iraqi forces", "Islamic State", "SDF", "Syrian regime", "Russia", "Turkey", "Unknown"}
	r := rand.New(rand.NewPCG(2017, 1))
	var b strings.Builder
	b.WriteString("incident_id,date,city,belligerent,deaths_min,deaths_max,injured,latitude,longitude,description\n")
	for i := range rows {
		lo := r.IntN(12)
		fmt.Fprintf(&b, "INC-%d,%d-%02d-%02d,%s,%s,%d,%d,%d,%.5f,%.5f,\"strike on a house, %d reported \"\"confirmed\"\" by witnesses\"\n",
			i+1, 2014+r.IntN(4), 1+r.IntN(12), 1+r.IntN(28), cities[r.IntN(len(cities))], sides[r.IntN(len(sides))],
			lo, lo+r.IntN(8), r.IntN(40), 33+r.Float64()*4, 36+r.Float64()*7, r.IntN(100))
	}
	return b.String()
}

// TestBenchTasks checks the analyses of the benchmark suite
// (runner/bench/task-*.yaml, run by make bench) against the language, so
// that a change to it that breaks them fails here rather than in the next
// make bench. It reads no data and times nothing.
func TestBenchTasks(t *testing.T) {
	paths, err := filepath.Glob("../../bench/task-*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) < 5 {
		t.Fatalf("found %d analyses in runner/bench, want the 5 tasks of bench.sh", len(paths))
	}
	for _, path := range paths {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		f, err := analysis.Parse("analyses/"+filepath.Base(path), src)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		if _, err := check.Analysis(f); err != nil {
			t.Errorf("%s: %v", path, err)
		}
	}
}
