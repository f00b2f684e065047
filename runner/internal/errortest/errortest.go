package errortest

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"galley/runner/internal/position"
)

var comment = regexp.MustCompile(`#\s*ERROR(?:\s+(?:L(\d+):)?(\d+))?\s+"((?:[^"\\]|\\.)*)"`)

type expected struct {
	line, col int
	rx        *regexp.Regexp
	src       string
	seen      bool
}

// Check compares err, what a stage reported for the file path holding src,
// with the ERROR comments of src. The pattern between the quotes is a
// regular expression in which \" stands for a quote.
func Check(t testing.TB, path string, src []byte, err error) {
	t.Helper()
	var want []*expected
	for i, line := range strings.Split(string(src), "\n") {
		for _, m := range comment.FindAllStringSubmatch(line, -1) {
			e := &expected{line: i + 1, src: m[3]}
			if m[1] != "" {
				e.line, _ = strconv.Atoi(m[1])
			}
			if m[2] != "" {
				e.col, _ = strconv.Atoi(m[2])
			}
			var cerr error
			if e.rx, cerr = regexp.Compile(strings.ReplaceAll(m[3], `\"`, `"`)); cerr != nil {
				t.Fatalf("%s:%d: bad ERROR pattern: %v", path, i+1, cerr)
			}
			want = append(want, e)
		}
	}
	if len(want) == 0 {
		t.Fatalf("%s has no ERROR comment", path)
	}
	for _, e := range position.Errors(err) {
		if e.Pos.File != path {
			t.Errorf("error not in %s: %v", path, e)
			continue
		}
		msg := strings.TrimPrefix(e.Error(), e.Pos.String()+": ")
		found := false
		for _, w := range want {
			if !w.seen && w.line == e.Pos.Line && (w.col == 0 || w.col == e.Pos.Col) && w.rx.MatchString(msg) {
				w.seen, found = true, true
				break
			}
		}
		if !found {
			t.Errorf("unexpected error: %v", e)
		}
	}
	for _, w := range want {
		if !w.seen {
			t.Errorf("%s:%d:%d: no error matching %q", path, w.line, w.col, w.src)
		}
	}
}

// Files runs Check on every file matching pattern, each as a subtest:
// stage is what the test checks, the error it reports for the file.
func Files(t *testing.T, pattern string, stage func(path string, src []byte) error) {
	t.Helper()
	files, err := filepath.Glob(pattern)
	if err != nil || len(files) == 0 {
		t.Fatalf("no test files match %s: %v", pattern, err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			Check(t, file, src, stage(file, src))
		})
	}
}
