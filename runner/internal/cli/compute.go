package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"galley/runner/internal/analysis"
	"galley/runner/internal/check"
	"galley/runner/internal/engine"
	"galley/runner/internal/position"
	"galley/runner/internal/results"
)

// compute parses, checks and runs the analysis at path, as run does, and
// returns what it computed. Like engine.Execute, it returns the document
// with an error when only claims failed (show, serve and diff still show
// such a run), and no document with any other error. Errors are
// positioned, for printErrors.
func compute(path, root string, progress func(string, int64, int64), workers int) (*results.Document, error) {
	display := displayPath(root, path)
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, &position.Error{Pos: position.Pos{File: display}, Msg: fmt.Sprintf("cannot read the analysis: %v", errors.Unwrap(err))}
	}
	f, err := analysis.Parse(display, src)
	if err != nil {
		return nil, err
	}
	plan, err := check.Analysis(f)
	if err != nil {
		return nil, err
	}
	return engine.Execute(plan, engine.Options{Root: root, Progress: progress, Workers: workers})
}

// parseArgs parses flags wherever they stand among the arguments, as
// reporters type them (`galley show a.yaml v -limit 5`), and returns the
// other arguments in order. Everything after "--" is an argument.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, bool, int) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, false, exitOK
			}
			return nil, false, exitUsage
		}
		left := fs.Args()
		if len(left) == 0 {
			return rest, true, 0
		}
		if used := len(args) - len(left); used > 0 && args[used-1] == "--" {
			return append(rest, left...), true, 0
		}
		rest = append(rest, left[0])
		args = left[1:]
	}
}

// describedUsage sets fs's usage message: the synopsis, what the command
// does, then its flags.
func describedUsage(fs *flag.FlagSet, stderr io.Writer, synopsis, about string) {
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: galley %s\n\n%s", synopsis, about)
		n := 0
		fs.VisitAll(func(*flag.Flag) { n++ })
		if n > 0 {
			fmt.Fprintf(stderr, "\nFlags:\n")
			fs.PrintDefaults()
		}
	}
}

// errorItem is one error as a person reads it: its message, positioned,
// and the excerpt of the line it points at ("" when there is none).
type errorItem struct {
	Text    string
	Excerpt string
}

// errorItems is err, one item an error, as printErrors prints it and
// galley serve shows it: each positioned message and under it the line of
// the file it points into with a caret under the place, when that file is
// text Galley can read back (an analysis, a CSV file of at most excerptMax
// bytes). root is what the errors' paths are relative to.
func errorItems(err error, root string) []errorItem {
	var out []errorItem
	files := map[string][]string{}
	for _, e := range position.Errors(err) {
		if !e.Pos.IsValid() && e.Pos.File == "" {
			out = append(out, errorItem{Text: "galley: " + e.Msg})
			continue
		}
		it := errorItem{Text: e.Error()}
		lines, ok := files[e.Pos.File]
		if !ok {
			lines = readLines(root, e.Pos.File)
			files[e.Pos.File] = lines
		}
		if e.Pos.Line >= 1 && e.Pos.Line <= len(lines) {
			it.Excerpt = e.Excerpt(lines[e.Pos.Line-1])
		}
		out = append(out, it)
	}
	return out
}
