package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"galley/runner/internal/analysis"
	"galley/runner/internal/dataset"
)

func pin(args []string, stdout, stderr io.Writer) int {
	fs, c := newFlags("pin", "pin [flags] [ANALYSIS...]", stderr)
	if ok, code := parseFlags(fs, args); !ok {
		return code
	}
	files, ok := analyses(c.root, fs.Args(), stderr)
	if !ok {
		return exitUsage
	}
	code := exitOK
	for _, path := range files {
		if !pinOne(path, c.root, stderr) {
			code = exitFailure
		}
	}
	return code
}

// edit replaces the bytes [start, end) of one line, or inserts a line
// after it when insert is set.
type edit struct {
	line       int  // 1-based
	replace    bool // replace [start, end) of the line with text; else insert text as a line after it
	start, end int  // byte columns, 0-based
	text       string
}

// pinOne rewrites only the sha256 values of path (adding a sha256 line
// under path: where there is none), keeping every comment, quote and key
// order as written.
func pinOne(path, root string, stderr io.Writer) bool {
	display := displayPath(root, path)
	src, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintf(stderr, "%s: cannot read the analysis: %v\n", display, err)
		return false
	}
	f, err := analysis.Parse(display, src)
	if f == nil {
		printErrors(stderr, err)
		return false
	}
	lines := strings.SplitAfter(string(src), "\n")
	var edits []edit
	changed := 0
	for _, ds := range f.Datasets {
		sum, err := dataset.Sum(ds, dataset.Options{Root: root})
		if err != nil {
			printErrors(stderr, err)
			return false
		}
		if ds.SHA256.Set && ds.SHA256.Value == sum {
			continue
		}
		changed++
		if ds.SHA256.Set {
			p := ds.SHA256.Pos
			edits = append(edits, edit{line: p.Line, replace: true, start: p.Col - 1, end: p.Col - 1 + len(ds.SHA256.Value), text: sum})
			fmt.Fprintf(stderr, "%s:%d: dataset %q: sha256 %s (was %s)\n", display, p.Line, ds.Name, sum, ds.SHA256.Value)
		} else {
			p := ds.Path.Pos
			line := lines[p.Line-1]
			indent := line[:len(line)-len(strings.TrimLeft(line, " "))]
			edits = append(edits, edit{line: p.Line, text: indent + "sha256: " + sum + "\n"})
			fmt.Fprintf(stderr, "%s:%d: dataset %q: sha256 %s (new)\n", display, p.Line+1, ds.Name, sum)
		}
	}
	if changed == 0 {
		fmt.Fprintf(stderr, "%s: every dataset is pinned already\n", display)
		return true
	}
	// Apply from the bottom up so earlier line numbers stay right.
	sort.Slice(edits, func(i, j int) bool { return edits[i].line > edits[j].line })
	for _, e := range edits {
		l := lines[e.line-1]
		if e.replace {
			lines[e.line-1] = l[:e.start] + e.text + l[e.end:]
			continue
		}
		if !strings.HasSuffix(l, "\n") {
			lines[e.line-1] = l + "\n"
		}
		lines = append(lines[:e.line], append([]string{e.text}, lines[e.line:]...)...)
	}
	out := []byte(strings.Join(lines, ""))
	if bytes.Equal(out, src) {
		return true
	}
	if err := writeFiles(map[string][]byte{path: out}); err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", display, err)
		return false
	}
	return true
}
