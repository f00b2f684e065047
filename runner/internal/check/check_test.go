package check

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"galley/runner/internal/analysis"
	"galley/runner/internal/position"
)

// errorComment is an expected error written beside the line it is about,
// as go/parser's tests do: `# ERROR 13 "rx"` says that an error at column
// 13 of this line has a message matching rx (column optional). Where the
// line cannot hold a comment (inside a block of Markdown), `# ERROR L14:7
// "rx"` on the line before the block names the line.
var errorComment = regexp.MustCompile(`#\s*ERROR(?:\s+(?:L(\d+):)?(\d+))?\s+"((?:[^"\\]|\\.)*)"`)

type expected struct {
	line, col int
	rx        *regexp.Regexp
	src       string
	seen      bool
}

// TestErrors checks every analysis under testdata/errors: each error
// Parse and Analysis report must be written beside its line as an ERROR
// comment, and each ERROR comment must be met by one error.
func TestErrors(t *testing.T) {
	files, err := filepath.Glob("testdata/errors/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test files: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var want []*expected
			for i, line := range strings.Split(string(src), "\n") {
				for _, m := range errorComment.FindAllStringSubmatch(line, -1) {
					e := &expected{line: i + 1, src: m[3]}
					if m[1] != "" {
						e.line, _ = strconv.Atoi(m[1])
					}
					if m[2] != "" {
						e.col, _ = strconv.Atoi(m[2])
					}
					// The pattern is a regexp; only \" is unescaped, to a quote.
					var err error
					if e.rx, err = regexp.Compile(strings.ReplaceAll(m[3], `\"`, `"`)); err != nil {
						t.Fatalf("line %d: bad ERROR pattern: %v", i+1, err)
					}
					want = append(want, e)
				}
			}
			if len(want) == 0 {
				t.Fatalf("%s has no ERROR comment", file)
			}
			f, err := analysis.Parse(file, src)
			if err == nil {
				_, err = Analysis(f)
			}
			for _, e := range position.Errors(err) {
				if e.Pos.File != file {
					t.Errorf("error not in the file: %v", e)
					continue
				}
				found := false
				for _, w := range want {
					if !w.seen && w.line == e.Pos.Line && (w.col == 0 || w.col == e.Pos.Col) && w.rx.MatchString(strings.TrimPrefix(e.Error(), e.Pos.String()+": ")) {
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
					t.Errorf("%s:%d:%d: no error matching %q", file, w.line, w.col, w.src)
				}
			}
		})
	}
}
