package badinput

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/txtar"

	"galley/runner/internal/chart"
	"galley/runner/internal/cli"
)

var update = flag.Bool("update", false, "rewrite want/stderr in testdata/*.txtar with what galley prints")

const (
	// hangGuard only catches a run that does not stop: that reading stops
	// at the limit is proven by bytes read, not by a clock, in
	// dataset.TestHugeRecords; the time each case takes is logged.
	hangGuard = 30 * time.Second
	maxHeap   = 64 << 20
)

// TestBadInputs runs `galley run analyses/a.yaml` in each testdata project
// and checks the exit code, the exact standard error, that no report was
// written (or, on success, that a whole one was), and that the heap in use
// stays under 64 MiB.
func TestBadInputs(t *testing.T) {
	script, err := os.ReadFile(filepath.Join("..", "..", "..", filepath.FromSlash(chart.ScriptPath)))
	if err != nil {
		t.Fatalf("the pinned ECharts build is missing (run make, or npm ci): %v", err)
	}
	files, err := filepath.Glob("testdata/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test cases: %v", err)
	}
	t.Setenv("TZ", "UTC")
	for _, file := range files {
		file, _ := filepath.Abs(file)
		name := strings.TrimSuffix(filepath.Base(file), ".txtar")
		t.Run(name, func(t *testing.T) {
			runCase(t, file, script)
		})
	}
}

type testCase struct {
	exit  int
	steps []func(t *testing.T, dir string)
	huge  bool
}

func runCase(t *testing.T, file string, script []byte) {
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	tc := parseDirectives(t, ar.Comment)
	if tc.huge && testing.Short() {
		t.Skip("generates a huge file")
	}
	base := t.TempDir()
	dir := filepath.Join(base, "project")
	write(t, dir, filepath.FromSlash(chart.ScriptPath), script)
	var wantStderr []byte
	haveWant := false
	var pinned []*txtar.File
	for i := range ar.Files {
		f := &ar.Files[i]
		if f.Name == "want/stderr" {
			wantStderr, haveWant = f.Data, true
			continue
		}
		if bytes.Contains(f.Data, []byte("PIN(")) {
			pinned = append(pinned, f)
			continue
		}
		write(t, dir, f.Name, f.Data)
	}
	for _, step := range tc.steps {
		step(t, dir)
	}
	for _, f := range pinned {
		write(t, dir, f.Name, pins(t, dir, f.Data))
	}

	t.Chdir(dir)
	var stdout, stderr bytes.Buffer
	runtime.GC()
	stop := watchHeap()
	start := time.Now()
	code := cli.Main([]string{"run", "analyses/a.yaml"}, &stdout, &stderr)
	took := time.Since(start)
	peak := stop()
	t.Logf("%v, peak heap in use %d MiB", took.Round(time.Millisecond), peak>>20)

	if code != tc.exit {
		t.Errorf("exit code %d, want %d", code, tc.exit)
	}
	got := regexp.MustCompile(`\(\d+ ms\)|\(\d+\.\d s\)`).ReplaceAll(stderr.Bytes(), []byte("(TIME)"))
	if *update {
		updateWant(t, file, ar, got)
	} else if !haveWant {
		t.Errorf("%s has no want/stderr (run with -update)", file)
	} else if !bytes.Equal(got, wantStderr) {
		t.Errorf("stderr:\n%s\nwant:\n%s", got, wantStderr)
	}
	if tc.exit != 0 {
		for _, line := range strings.Split(strings.TrimSpace(string(got)), "\n") {
			if !regexp.MustCompile(`^[^: ]+:\d+(:\d+)?: `).MatchString(line) {
				t.Errorf("message does not name the file and line: %q", line)
			}
		}
		if _, err := os.Stat(filepath.Join(dir, "reports")); err == nil {
			t.Errorf("reports/ was written by a failed run")
		}
	} else {
		html, err := os.ReadFile(filepath.Join(dir, "reports", "a.html"))
		if err != nil || !bytes.HasSuffix(bytes.TrimSpace(html), []byte("</html>")) {
			t.Errorf("no whole report written: %v", err)
		}
	}
	if stdout.Len() > 0 {
		t.Errorf("stdout: %q", stdout.String())
	}
	if took > hangGuard {
		t.Errorf("took %v, more than %v: it does not stop", took, hangGuard)
	}
	if peak > maxHeap {
		t.Errorf("peak heap in use %d MiB, more than %d MiB", peak>>20, maxHeap>>20)
	}
}

func parseDirectives(t *testing.T, comment []byte) *testCase {
	tc := &testCase{exit: 1}
	for _, line := range strings.Split(string(comment), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		verb, rest, _ := strings.Cut(line, " ")
		args := splitArgs(t, rest)
		switch {
		case verb == "exit" && len(args) == 1:
			n, err := strconv.Atoi(args[0])
			if err != nil {
				t.Fatalf("bad directive %q", line)
			}
			tc.exit = n
		case verb == "bytes" && len(args) == 2:
			tc.steps = append(tc.steps, func(t *testing.T, dir string) { write(t, dir, args[0], []byte(args[1])) })
		case verb == "mkdir" && len(args) == 1:
			tc.steps = append(tc.steps, func(t *testing.T, dir string) {
				if err := os.MkdirAll(filepath.Join(dir, filepath.FromSlash(args[0])), 0o755); err != nil {
					t.Fatal(err)
				}
			})
		case verb == "symlink" && len(args) == 2:
			tc.steps = append(tc.steps, func(t *testing.T, dir string) {
				p := filepath.Join(dir, filepath.FromSlash(args[0]))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.Symlink(filepath.FromSlash(args[1]), p); err != nil {
					t.Fatal(err)
				}
			})
		case verb == "huge" && len(args) == 5:
			size, err := parseSize(args[1])
			if err != nil {
				t.Fatalf("bad directive %q: %v", line, err)
			}
			tc.huge = true
			tc.steps = append(tc.steps, func(t *testing.T, dir string) {
				writeHuge(t, filepath.Join(dir, filepath.FromSlash(args[0])), args[2], args[3], args[4], size)
			})
		default:
			t.Fatalf("unknown directive %q", line)
		}
	}
	return tc
}

// splitArgs splits s at spaces, reading Go-quoted strings as one argument.
func splitArgs(t *testing.T, s string) []string {
	var args []string
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		if s[0] == '"' {
			q, err := strconv.QuotedPrefix(s)
			if err != nil {
				t.Fatalf("bad quoted argument in %q", s)
			}
			u, _ := strconv.Unquote(q)
			args = append(args, u)
			s = s[len(q):]
			continue
		}
		word, rest, _ := strings.Cut(s, " ")
		args = append(args, word)
		s = rest
	}
	return args
}

func parseSize(s string) (int64, error) {
	units := []struct {
		suffix string
		n      int64
	}{{"GB", 1e9}, {"MB", 1e6}, {"GiB", 1 << 30}, {"MiB", 1 << 20}, {"B", 1}}
	for _, u := range units {
		if num, ok := strings.CutSuffix(s, u.suffix); ok {
			n, err := strconv.ParseInt(num, 10, 64)
			return n * u.n, err
		}
	}
	return 0, fmt.Errorf("size %q has no unit", s)
}

func write(t *testing.T, dir, name string, data []byte) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// writeHuge writes head, body repeated up to size bytes, and tail, in
// blocks of about a MiB.
func writeHuge(t *testing.T, path, head, body, tail string, size int64) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	block := []byte(strings.Repeat(body, max(1, (1<<20)/len(body))))
	if _, err := f.WriteString(head); err != nil {
		t.Fatal(err)
	}
	for n := size; n > 0; {
		b := block[:min(int64(len(block)), n)]
		if _, err := f.Write(b); err != nil {
			t.Fatal(err)
		}
		n -= int64(len(b))
	}
	if _, err := f.WriteString(tail); err != nil {
		t.Fatal(err)
	}
}

var pinRE = regexp.MustCompile(`PIN\(([^)]+)\)`)

// pins replaces PIN(PATH) with the sha256 of the file at PATH.
func pins(t *testing.T, dir string, data []byte) []byte {
	return pinRE.ReplaceAllFunc(data, func(m []byte) []byte {
		name := string(pinRE.FindSubmatch(m)[1])
		f, err := os.Open(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil {
			t.Fatalf("PIN(%s): %v", name, err)
		}
		defer f.Close()
		h := sha256.New()
		if _, err := io.Copy(h, f); err != nil {
			t.Fatalf("PIN(%s): %v", name, err)
		}
		return []byte(hex.EncodeToString(h.Sum(nil)))
	})
}

func updateWant(t *testing.T, file string, ar *txtar.Archive, got []byte) {
	found := false
	for i := range ar.Files {
		if ar.Files[i].Name == "want/stderr" {
			ar.Files[i].Data, found = got, true
		}
	}
	if !found {
		ar.Files = append(ar.Files, txtar.File{Name: "want/stderr", Data: got})
	}
	if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
		t.Fatal(err)
	}
}

// watchHeap samples the heap in use (live objects and garbage not yet
// collected) every millisecond until the returned function is called, which
// gives the highest value seen.
func watchHeap() func() uint64 {
	done := make(chan struct{})
	res := make(chan uint64)
	go func() {
		var peak uint64
		var ms runtime.MemStats
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
			select {
			case <-done:
				res <- peak
				return
			case <-tick.C:
			}
		}
	}()
	return func() uint64 {
		close(done)
		return <-res
	}
}
