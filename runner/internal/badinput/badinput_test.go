package badinput

import (
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"galley/runner/internal/cli"
	"galley/runner/internal/fixture"
)

var update = flag.Bool("update", false, "rewrite want/stderr in testdata/*.txtar with what galley prints (then read the diff)")

const (
	// hangGuard only catches a run that does not stop: that reading stops
	// at the limit is proven by bytes read, not by a clock, in
	// dataset.TestHugeRecords; the time each case takes is logged.
	hangGuard = 30 * time.Second
	maxHeap   = 64 << 20
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		// galley-heap FILE ARGS... runs galley with ARGS and writes the
		// highest heap in use it saw to FILE: galley runs alone in its
		// process, so the figure is its own, whatever else the tests do.
		"galley-heap": func() {
			runtime.GC()
			stop := watchHeap()
			code := cli.Main(os.Args[2:], os.Stdout, os.Stderr)
			peak := stop()
			if err := os.WriteFile(os.Args[1], []byte(strconv.FormatUint(peak, 10)), 0o644); err != nil {
				fmt.Fprintln(os.Stderr, err)
				code = 3
			}
			os.Exit(code)
		},
	})
}

// TestBadInputs runs each testdata/*.txtar, a small project, with
// testscript; see doc_test.go for the commands the scripts use. galley-run
// checks the exit code, that no report was written (or, on success, that a
// whole one was), that the heap in use stayed under 64 MiB and that the run
// stopped; the script then compares the exact standard error with
// want/stderr, which -update rewrites.
func TestBadInputs(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata",
		UpdateScripts:       *update,
		RequireExplicitExec: true,
		Setup: func(env *testscript.Env) error {
			env.Setenv("TZ", "UTC")
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"galley-run": galleyRun,
			"bytes":      writeBytes,
			"huge":       huge,
			"pins":       pins,
			"gzip":       fixture.Gzip,
			"gzip-huge":  gzipHuge,
			"truncate":   truncate,
			"xlsx":       fixture.XLSX,
		},
	})
}

var timeRE = regexp.MustCompile(`\(\d+ ms\)|\(\d+\.\d s\)`)

var positionedRE = regexp.MustCompile(`^[^: ]+:\d+(:\d+)?: |^[^: ]+\.xlsx(\.gz)?: sheet "[^"]*" ([A-Z]+\d+|row \d+): `)

// workbookRE is an error about an xlsx file as a whole (a zip archive that
// does not open has no line).
var workbookRE = regexp.MustCompile(`^[^: ]+\.xlsx(\.gz)?: (the file is not an xlsx workbook|the workbook )`)

// excerptRE is a line of the excerpt under an error: ` 12 | text` or
// `    | ^^^`.
var excerptRE = regexp.MustCompile(`^ (\d+| +) \| `)

// galleyRun is `galley-run N`: it runs `galley run analyses/a.yaml` in the
// current folder and checks that it exits with N, prints nothing on
// stdout, stops, and keeps its heap under 64 MiB; on failure, that every
// line names a file and line and no report was written; on success, that a
// whole report was. Its stderr, with times replaced by (TIME), is what the
// next stderr or cmp stderr command reads.
func galleyRun(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: galley-run EXIT")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("usage: galley-run EXIT: %v", err)
	}
	heapFile := ts.MkAbs(".galley-heap")
	start := time.Now()
	err = ts.Exec("galley-heap", heapFile, "run", "analyses/a.yaml")
	took := time.Since(start)
	code := 0
	if err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			ts.Fatalf("galley: %v", err)
		}
		code = exit.ExitCode()
	}
	stdout, stderr := ts.ReadFile("stdout"), timeRE.ReplaceAllString(ts.ReadFile("stderr"), "(TIME)")
	peak, err := strconv.ParseUint(ts.ReadFile(heapFile), 10, 64)
	ts.Check(err)
	ts.Check(os.Remove(heapFile))
	ts.Logf("%v, peak heap in use %d MiB", took.Round(time.Millisecond), peak>>20)
	fmt.Fprint(ts.Stdout(), stdout)
	fmt.Fprint(ts.Stderr(), stderr)

	if code != want {
		ts.Fatalf("exit code %d, want %d", code, want)
	}
	if want != 0 {
		for _, line := range strings.Split(strings.TrimRight(stderr, "\n"), "\n") {
			if excerptRE.MatchString(line) {
				continue // the offending line, and the caret under it
			}
			if !positionedRE.MatchString(line) && !workbookRE.MatchString(line) {
				ts.Fatalf("message does not name the file and line: %q", line)
			}
		}
		if _, err := os.Stat(ts.MkAbs("reports")); err == nil {
			ts.Fatalf("reports/ was written by a failed run")
		}
	} else {
		html, err := os.ReadFile(ts.MkAbs("reports/a.html"))
		if err != nil || !strings.HasSuffix(strings.TrimSpace(string(html)), "</html>") {
			ts.Fatalf("no whole report written: %v", err)
		}
	}
	if stdout != "" {
		ts.Fatalf("stdout: %q", stdout)
	}
	if took > hangGuard {
		ts.Fatalf("took %v, more than %v: it does not stop", took, hangGuard)
	}
	if peak > maxHeap {
		ts.Fatalf("peak heap in use %d MiB, more than %d MiB", peak>>20, maxHeap>>20)
	}
}

// goString reads a script argument written with Go's escapes (\n, \xef, \").
func goString(ts *testscript.TestScript, arg string) string {
	s, err := strconv.Unquote(`"` + arg + `"`)
	if err != nil {
		ts.Fatalf("%q is not a Go string body (write \" as \\\"): %v", arg, err)
	}
	return s
}

// writeBytes is `bytes PATH 'TEXT'`: it writes PATH with TEXT read with Go's
// escapes, for bytes a txtar file cannot hold (invalid UTF-8, BOMs).
func writeBytes(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: bytes PATH 'GO STRING'")
	}
	p := ts.MkAbs(args[0])
	ts.Check(os.MkdirAll(filepath.Dir(p), 0o755))
	ts.Check(os.WriteFile(p, []byte(goString(ts, args[1])), 0o644))
}

// hugeFiles lets one script at a time hold a generated file, so the
// scripts, which run in parallel, never hold more than the largest one.
var hugeFiles sync.Mutex

// huge is `huge PATH SIZE 'HEAD' 'BODY' 'TAIL'`: it writes HEAD, BODY
// repeated to SIZE bytes (100MB, 1GB, 8MiB...), then TAIL, each read with
// Go's escapes, in blocks of about a MiB.
func huge(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 5 {
		ts.Fatalf("usage: huge PATH SIZE 'HEAD' 'BODY' 'TAIL'")
	}
	size, err := parseSize(args[1])
	ts.Check(err)
	head, body, tail := goString(ts, args[2]), goString(ts, args[3]), goString(ts, args[4])
	if body == "" {
		ts.Fatalf("huge: BODY is empty")
	}
	hugeFiles.Lock()
	p := ts.MkAbs(args[0])
	ts.Defer(func() {
		os.Remove(p)
		hugeFiles.Unlock()
	})
	ts.Check(os.MkdirAll(filepath.Dir(p), 0o755))
	f, err := os.Create(p)
	ts.Check(err)
	defer f.Close()
	block := []byte(strings.Repeat(body, max(1, (1<<20)/len(body))))
	_, err = f.WriteString(head)
	ts.Check(err)
	for n := size; n > 0; {
		b := block[:min(int64(len(block)), n)]
		_, err := f.Write(b)
		ts.Check(err)
		n -= int64(len(b))
	}
	_, err = f.WriteString(tail)
	ts.Check(err)
	ts.Check(f.Close())
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

var pinRE = regexp.MustCompile(`PIN\(([^)]+)\)`)

// pins is `pins FILE...`: in each FILE, PIN(PATH) becomes the sha256 of the
// file at PATH, so a case pins data the script generates.
func pins(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: pins FILE...")
	}
	for _, name := range args {
		data := ts.ReadFile(name)
		var failed error
		out := pinRE.ReplaceAllStringFunc(data, func(m string) string {
			f, err := os.Open(ts.MkAbs(pinRE.FindStringSubmatch(m)[1]))
			if err != nil {
				failed = err
				return m
			}
			defer f.Close()
			h := sha256.New()
			if _, err := io.Copy(h, f); err != nil {
				failed = err
			}
			return hex.EncodeToString(h.Sum(nil))
		})
		ts.Check(failed)
		ts.Check(os.WriteFile(ts.MkAbs(name), []byte(out), 0o644))
	}
}

// write writes name under dir, making its folders.
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

// gzipHuge is `gzip-huge PATH SIZE 'HEAD' 'BODY'`: a gzip file of HEAD and
// BODY repeated to SIZE bytes, compressed as it is written: a
// decompression bomb of a few kilobytes for gigabytes.
func gzipHuge(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 4 {
		ts.Fatalf("usage: gzip-huge PATH SIZE 'HEAD' 'BODY'")
	}
	size, err := parseSize(args[1])
	ts.Check(err)
	head, body := goString(ts, args[2]), goString(ts, args[3])
	p := ts.MkAbs(args[0])
	ts.Check(os.MkdirAll(filepath.Dir(p), 0o755))
	f, err := os.Create(p)
	ts.Check(err)
	defer f.Close()
	zw, err := gzip.NewWriterLevel(f, gzip.BestCompression)
	ts.Check(err)
	_, err = zw.Write([]byte(head))
	ts.Check(err)
	block := []byte(strings.Repeat(body, max(1, (1<<20)/len(body))))
	for n := size; n > 0; {
		b := block[:min(int64(len(block)), n)]
		_, err := zw.Write(b)
		ts.Check(err)
		n -= int64(len(b))
	}
	ts.Check(zw.Close())
	ts.Check(f.Close())
}

// truncate is `truncate PATH N`: it keeps the first N bytes of PATH.
func truncate(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: truncate PATH N")
	}
	n, err := strconv.ParseInt(args[1], 10, 64)
	ts.Check(err)
	ts.Check(os.Truncate(ts.MkAbs(args[0]), n))
}
