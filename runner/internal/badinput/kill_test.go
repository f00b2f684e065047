package badinput

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

const killAnalysis = `title: Kill test
datasets:
  t:
    path: datasets/t.csv
    sha256: %s
    source: {title: T, publisher: P, accessed: 2026-11-24, license: CC0}
    columns:
      city: string
      deaths: int
      note: string
views:
  v:
    from: t
    where: deaths > 2
    group_by: [city]
    aggregate:
      deaths: sum(deaths)
      n: count()
    order_by: [-deaths]
body:
  - table: v
`

// killProject writes a project whose dataset has rows rows, the numbers
// shifted by seed so that two versions give two different reports.
func killProject(t *testing.T, dir string, rows, seed int) {
	t.Helper()
	var b bytes.Buffer
	b.WriteString("city,deaths,note\n")
	for i := range rows {
		fmt.Fprintf(&b, "city%d,%d,\"a note, quoted\"\n", i%997, (i*7+seed)%31)
	}
	write(t, dir, "datasets/t.csv", b.Bytes())
	sum := sha256.Sum256(b.Bytes())
	write(t, dir, "analyses/k.yaml", fmt.Appendf(nil, killAnalysis, hex.EncodeToString(sum[:])))
}

// buildGalley builds the galley command into dir.
func buildGalley(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "galley")
	cmd := exec.Command("go", "build", "-o", bin, "galley/runner/cmd/galley")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func temps(t *testing.T, reports string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(reports, ".*.tmp-*"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestKill runs the built galley binary a hundred times and stops it at a
// random moment (a seeded, deterministic schedule) with SIGKILL, SIGINT or
// SIGTERM. Each time reports/k.html must be the old report byte for byte or
// the new one whole; after SIGINT and SIGTERM no temporary file may be
// left. A temporary file left by SIGKILL is ignored by the next run, and
// removed by a run once it is more than a minute old. Two runs at once
// leave one whole report.
func TestKill(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command to build galley with")
	}
	tmp := t.TempDir()
	bin := buildGalley(t, tmp)
	const rows = 350_000
	run := func(dir string) {
		t.Helper()
		cmd := exec.Command(bin, "run", "analyses/k.yaml")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("galley run: %v\n%s", err, out)
		}
	}

	// The old report, from the first version of the data, and the new one.
	oldDir, newDir := filepath.Join(tmp, "old"), filepath.Join(tmp, "new")
	killProject(t, oldDir, rows, 0)
	killProject(t, newDir, rows, 1)
	run(oldDir)
	full := time.Duration(1 << 62)
	for range 3 { // the fastest of three, the first being cold
		start := time.Now()
		run(newDir)
		full = min(full, time.Since(start))
	}
	oldHTML, err := os.ReadFile(filepath.Join(oldDir, "reports", "k.html"))
	if err != nil {
		t.Fatal(err)
	}
	newHTML, err := os.ReadFile(filepath.Join(newDir, "reports", "k.html"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(oldHTML, newHTML) || !bytes.HasSuffix(bytes.TrimSpace(newHTML), []byte("</html>")) {
		t.Fatal("the two versions do not give two different whole reports")
	}
	t.Logf("a whole run takes %v", full)

	report := filepath.Join(newDir, "reports", "k.html")
	reports := filepath.Dir(report)
	rng := rand.New(rand.NewPCG(6, 2026))
	signals := []syscall.Signal{syscall.SIGKILL, syscall.SIGINT, syscall.SIGTERM}
	var counts [3]struct{ old, new, absent int }
	leftByKill := 0
	for i := range 100 {
		if err := os.WriteFile(report, oldHTML, 0o644); err != nil {
			t.Fatal(err)
		}
		k := rng.IntN(len(signals))
		sig := signals[k]
		// Half the stops fall anywhere in the run, half near its end,
		// where the report is written.
		var delay time.Duration
		if rng.IntN(2) == 0 {
			delay = time.Duration(rng.Int64N(int64(full)))
		} else {
			delay = full*8/10 + time.Duration(rng.Int64N(int64(full*3/10)))
		}
		cmd := exec.Command(bin, "run", "analyses/k.yaml")
		cmd.Dir = newDir
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(delay)
		cmd.Process.Signal(sig)
		cmd.Wait()
		got, err := os.ReadFile(report)
		switch {
		case os.IsNotExist(err):
			counts[k].absent++
		case err != nil:
			t.Fatal(err)
		case bytes.Equal(got, oldHTML):
			counts[k].old++
		case bytes.Equal(got, newHTML):
			counts[k].new++
		default:
			t.Fatalf("stop %d (%v after %v): reports/k.html is neither the old report nor the new one (%d bytes)", i, sig, delay, len(got))
		}
		left := temps(t, reports)
		if sig != syscall.SIGKILL && len(left) > 0 {
			t.Fatalf("stop %d (%v after %v) left %v", i, sig, delay, left)
		}
		if sig == syscall.SIGKILL && len(left) > 0 {
			leftByKill += len(left)
			// The next run ignores a fresh one, and removes an old one.
			run(newDir)
			if got, _ := os.ReadFile(report); !bytes.Equal(got, newHTML) {
				t.Fatalf("the run after a SIGKILL did not write the new report")
			}
			for _, f := range left {
				if _, err := os.Stat(f); err != nil {
					t.Fatalf("a run removed %s, a fresh temporary file (of a run that may still be going)", f)
				}
				old := time.Now().Add(-2 * time.Minute)
				os.Chtimes(f, old, old)
			}
			run(newDir)
			if left := temps(t, reports); len(left) > 0 {
				t.Fatalf("a run did not remove the stale temporary files %v", left)
			}
		}
	}
	for k, c := range counts {
		t.Logf("%v: old report %d, new report %d, none %d", signals[k], c.old, c.new, c.absent)
	}
	t.Logf("temporary files left by SIGKILL (and removed by a later run): %d", leftByKill)

	// Two runs at once leave one whole report, and no temporary file.
	for range 3 {
		if err := os.WriteFile(report, oldHTML, 0o644); err != nil {
			t.Fatal(err)
		}
		var cmds []*exec.Cmd
		var outs []*bytes.Buffer
		for range 2 {
			cmd := exec.Command(bin, "run", "analyses/k.yaml")
			cmd.Dir = newDir
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			cmds, outs = append(cmds, cmd), append(outs, &out)
		}
		for i, cmd := range cmds {
			if err := cmd.Wait(); err != nil {
				t.Fatalf("one of two runs at once failed: %v\n%s", err, outs[i])
			}
		}
		if got, _ := os.ReadFile(report); !bytes.Equal(got, newHTML) {
			t.Fatal("two runs at once did not leave the whole new report")
		}
		if left := temps(t, reports); len(left) > 0 {
			t.Fatalf("two runs at once left %v", left)
		}
	}

	// What SIGKILL may leave, whether or not a stop above fell in the few
	// milliseconds of writing: a fresh temporary file is left alone (it may
	// be a run going on), one older than a minute is removed.
	fresh := filepath.Join(reports, ".k.html.tmp-1")
	stale := filepath.Join(reports, ".k.sources.csv.tmp-2")
	write(t, reports, filepath.Base(fresh), []byte("<!doctype html><p>half"))
	write(t, reports, filepath.Base(stale), []byte("half"))
	old := time.Now().Add(-2 * time.Minute)
	os.Chtimes(stale, old, old)
	run(newDir)
	if _, err := os.Stat(fresh); err != nil {
		t.Errorf("a run removed a fresh temporary file: %v", err)
	}
	if _, err := os.Stat(stale); err == nil {
		t.Errorf("a run did not remove a temporary file two minutes old")
	}
	if got, _ := os.ReadFile(report); !bytes.Equal(got, newHTML) {
		t.Errorf("a run next to temporary files did not write the new report")
	}
}
