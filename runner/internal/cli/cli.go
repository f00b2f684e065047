package cli

import (
	"bytes"
	"compress/gzip"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"time"

	"galley/runner/internal/echarts"
	"galley/runner/internal/report"
	"galley/runner/internal/results"
	"galley/runner/internal/value"
)

// Version is Galley's version, printed by `galley version` and in the
// footer of every report.
const Version = "v0.2.0"

// Exit codes, as the contract sets them.
const (
	exitOK      = 0
	exitFailure = 1 // an analysis, data or claim failure
	exitUsage   = 2
)

const usage = `Galley runs data-journalism analyses into checked, cited, self-contained reports.

Usage:
  galley run [flags] [ANALYSIS...]    compute each analysis and write reports/NAME.html
  galley check [flags] [ANALYSIS...]  compute everything, write nothing
                                      (-reports DIR: DIR must hold what a run writes)
  galley pin [flags] [ANALYSIS...]    write the sha256 pins of the datasets
  galley init [flags] DATASET.csv     print a datasets: block for a CSV file
  galley show [flags] ANALYSIS [NAME...]
                                      print the views, values and claims an analysis computes
  galley serve [flags] [ANALYSIS...]  a live preview on 127.0.0.1 that runs again on save
  galley diff [flags] [REV] [ANALYSIS...]
                                      what changed since the results committed at REV (HEAD)
  galley new DIR                      make a project for a new story, with an example that runs
  galley version                      print Galley's version

With no ANALYSIS, run, check, pin, serve and diff take every analyses/*.yaml.
Run 'galley COMMAND -h' for a command's flags.
Exit status: 0 success, 1 analysis, data or claim failure, 2 usage error.
`

// Main runs the galley command with args (without the program name) and
// returns the exit status.
func Main(args []string, stdout, stderr io.Writer) (code int) {
	defer func() {
		// A bug must still read as a message, not a Go stack trace.
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "galley: internal error: %v (please report this with the analysis that caused it)\n", r)
			code = exitFailure
		}
	}()
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "run":
		return run(args[1:], stdout, stderr, true)
	case "check":
		return checkCmd(args[1:], stdout, stderr)
	case "pin":
		return pin(args[1:], stdout, stderr)
	case "init":
		return initCmd(args[1:], stdout, stderr)
	case "show":
		return show(args[1:], stdout, stderr)
	case "diff":
		return diffCmd(args[1:], stdout, stderr)
	case "serve":
		return serveCmd(args[1:], stdout, stderr)
	case "new":
		return newCmd(args[1:], stdout, stderr)
	case "version", "--version", "-version":
		fmt.Fprintln(stdout, versionText())
		return exitOK
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "galley: unknown command %q\n\n%s", args[0], usage)
	return exitUsage
}

// versionText is what galley version prints: Galley's version, then the
// module version and version-control revision the binary was built from,
// as the Go toolchain recorded them (a binary built by go test has none).
func versionText() string {
	out := "galley " + Version
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return out
	}
	settings := map[string]string{}
	for _, s := range bi.Settings {
		settings[s.Key] = s.Value
	}
	out += fmt.Sprintf("\nmodule %s %s, %s", bi.Main.Path, bi.Main.Version, bi.GoVersion)
	if rev := settings["vcs.revision"]; rev != "" {
		out += fmt.Sprintf("\nrevision %s", rev)
		if t := settings["vcs.time"]; t != "" {
			out += " of " + t
		}
		if settings["vcs.modified"] == "true" {
			out += ", with changes not committed"
		}
	} else {
		out += "\nrevision unknown (not built from a git checkout)"
	}
	return out
}

// common are the flags every analysis command takes.
type common struct {
	root string
}

func newFlags(name, synopsis string, stderr io.Writer) (*flag.FlagSet, *common) {
	fs := flag.NewFlagSet("galley "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := &common{}
	fs.StringVar(&c.root, "root", ".", "the project root: dataset paths are relative to it")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: galley %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs, c
}

// parseFlags parses args; it reports whether to go on, and the exit code
// when not.
func parseFlags(fs *flag.FlagSet, args []string) (bool, int) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return false, exitOK
		}
		return false, exitUsage
	}
	return true, 0
}

// analyses resolves the analysis files named, or every analyses/*.yaml and
// *.yml. It refuses two files that would write one report: which one won
// would depend on which finished last.
func analyses(root string, names []string, stderr io.Writer) ([]string, bool) {
	if len(names) > 0 {
		for _, n := range names {
			st, err := os.Stat(n)
			if err != nil || st.IsDir() {
				fmt.Fprintf(stderr, "galley: %s: no such analysis file\n", n)
				return nil, false
			}
			// An analysis is shown by its path from the root, in messages
			// and in its report; outside the root it has none, and its
			// place on this disk would be published.
			if _, inside := relToRoot(root, n); !inside {
				fmt.Fprintf(stderr, "galley: %s: the analysis is outside the project root %s (move it into %s/, or name its project with -root)\n",
					filepath.ToSlash(n), filepath.ToSlash(root), filepath.ToSlash(filepath.Join(root, "analyses")))
				return nil, false
			}
		}
		return names, oneReportEach(root, names, stderr)
	}
	dir := filepath.Join(root, "analyses")
	matches, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
	more, _ := filepath.Glob(filepath.Join(dir, "*.yml"))
	matches = append(matches, more...)
	sort.Strings(matches)
	if len(matches) == 0 {
		fmt.Fprintf(stderr, "galley: no analyses found in %s (name one, or write analyses/NAME.yaml)\n", dir)
		return nil, false
	}
	return matches, oneReportEach(root, matches, stderr)
}

// reportName is the name of the report an analysis writes: its file name
// without .yaml or .yml.
func reportName(path string) string {
	return strings.TrimSuffix(strings.TrimSuffix(filepath.Base(path), ".yaml"), ".yml")
}

// oneReportEach reports whether no two of files write the same report,
// printing the first two that do. Names that differ only in case clash
// too: they are one file on macOS and Windows, and a project must give the
// same reports on any machine.
func oneReportEach(root string, files []string, stderr io.Writer) bool {
	first := map[string]string{}
	for _, f := range files {
		name := reportName(f)
		key := strings.ToLower(name)
		prev, clash := first[key]
		if !clash {
			first[key] = f
			continue
		}
		a, b := displayPath(root, prev), displayPath(root, f)
		switch {
		case a == b:
			fmt.Fprintf(stderr, "galley: %s is named twice: name it once\n", a)
		case reportName(prev) != name:
			fmt.Fprintf(stderr, "galley: %s and %s both make the report %s.html (%s.html and %s.html are one file where file names ignore case): rename or remove one\n",
				a, b, reportName(prev), name, reportName(prev))
		default:
			fmt.Fprintf(stderr, "galley: %s and %s both make the report %s.html: rename or remove one (a report is named after its analysis file, without .yaml or .yml)\n", a, b, name)
		}
		return false
	}
	return true
}

func run(args []string, stdout, stderr io.Writer, write bool) int {
	name := "check"
	if write {
		name = "run"
	}
	fs, c := newFlags(name, name+" [flags] [ANALYSIS...]", stderr)
	out := ""
	if write {
		fs.StringVar(&out, "out", "", "where reports are written (default ROOT/reports)")
	}
	if ok, code := parseFlags(fs, args); !ok {
		return code
	}
	if out == "" {
		out = filepath.Join(c.root, "reports")
	}
	// A run's heap is small (group states and view outputs); collecting
	// half as often costs a few MiB and saves about a tenth of a large
	// file's time (task T, 1M rows: 0.88 s at GOGC 100, 0.80 s at 200).
	debug.SetGCPercent(200)
	files, ok := analyses(c.root, fs.Args(), stderr)
	if !ok {
		return exitUsage
	}
	var script []byte
	if write {
		var err error
		if script, err = echarts.Script(); err != nil {
			fmt.Fprintf(stderr, "galley: %v\n", err)
			return exitFailure
		}
	}
	atOnce, workers := parallelism(runtime.NumCPU(), len(files))
	if len(files) == 1 {
		if !runOne(files[0], c.root, out, script, write, stderr, true, workers) {
			return exitFailure
		}
		return exitOK
	}
	// Several analyses run at once; each one's lines are held and printed
	// in the order the analyses were named, so the output, like every
	// report, is the same as a run one after the other.
	type result struct {
		out  bytes.Buffer
		ok   bool
		done chan struct{}
	}
	results := make([]*result, len(files))
	slots := make(chan struct{}, atOnce)
	for i, path := range files {
		r := &result{done: make(chan struct{})}
		results[i] = r
		go func() {
			slots <- struct{}{}
			defer func() { <-slots; close(r.done) }()
			defer func() {
				if p := recover(); p != nil {
					fmt.Fprintf(&r.out, "galley: internal error: %v (please report this with the analysis that caused it)\n", p)
					r.ok = false
				}
			}()
			r.ok = runOne(path, c.root, out, script, write, &r.out, false, workers)
		}()
	}
	code := exitOK
	for _, r := range results {
		<-r.done
		stderr.Write(r.out.Bytes())
		if !r.ok {
			code = exitFailure
		}
	}
	return code
}

// oneAnalysis is the workers one analysis computed alone gets.
func oneAnalysis() int {
	_, workers := parallelism(runtime.NumCPU(), 1)
	return workers
}

// parallelism decides, once, how a run uses the machine's cores: how many
// analyses run at once, and how many workers read each one's large files.
// Analyses run one per core; the cores left over when there are fewer
// analyses than cores read their files. The results never depend on it.
func parallelism(cores, analyses int) (atOnce, workers int) {
	cores = max(cores, 1)
	atOnce = max(min(cores, analyses), 1)
	return atOnce, max(cores/atOnce, 1)
}

// runOne runs one analysis and reports on stderr; it returns false on
// failure, having printed why. workers read its large files.
func runOne(path, root, outDir string, script []byte, write bool, stderr io.Writer, showProgress bool, workers int) bool {
	start := time.Now() // only for the timing line on stderr; never in a report
	display := displayPath(root, path)
	progress := newProgress(stderr)
	progress.on = progress.on && showProgress
	res, err := compute(path, root, progress.update, workers)
	progress.done()
	if err != nil {
		printErrors(stderr, err, root)
		if res != nil {
			fmt.Fprintf(stderr, "%s: %d of %d claims hold; no report written\n", display, res.ClaimsHeld(), len(res.Claims))
		}
		return false
	}
	summary := fmt.Sprintf("%s rows read, %d of %d claims hold", value.Text(res.RowsRead()), res.ClaimsHeld(), len(res.Claims))
	if !write {
		fmt.Fprintf(stderr, "%s: ok: %s (%s)\n", display, summary, elapsed(start))
		return true
	}
	html, err := report.Render(res, report.Options{Script: script, Version: Version})
	if err != nil {
		printErrors(stderr, err, root)
		return false
	}
	sources, err := report.Sources(res)
	if err != nil {
		printErrors(stderr, err, root)
		return false
	}
	doc, err := results.Marshal(res)
	if err != nil {
		printErrors(stderr, err, root)
		return false
	}
	base := reportName(path)
	htmlPath := filepath.Join(outDir, base+".html")
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		fmt.Fprintf(stderr, "%s: cannot make the reports folder: %v\n", display, err)
		return false
	}
	if err := writeFiles(map[string][]byte{htmlPath: html, filepath.Join(outDir, base+".sources.csv"): sources,
		filepath.Join(outDir, base+".results.json"): doc}); err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", display, err)
		return false
	}
	fmt.Fprintf(stderr, "%s: %s, wrote %s (%s)\n", display, summary, displayPath(root, htmlPath), elapsed(start))
	return true
}

// displayPath names a file relative to the project root, slash separated,
// as reports and messages show it: a report must not depend on where the
// project sits on the builder's disk. A file outside the root (only an
// output folder can be: analyses refuses such an analysis) keeps its path.
func displayPath(root, path string) string {
	if rel, ok := relToRoot(root, path); ok {
		return rel
	}
	return filepath.ToSlash(path)
}

// relToRoot returns path relative to root, slash separated, and whether it
// lies inside root: lexically, or once symbolic links are resolved (a root
// reached through a link, a file named by its real path).
func relToRoot(root, path string) (string, bool) {
	absRoot, err1 := filepath.Abs(root)
	absPath, err2 := filepath.Abs(path)
	if err1 != nil || err2 != nil {
		return "", false
	}
	if rel, err := filepath.Rel(absRoot, absPath); err == nil && filepath.IsLocal(rel) {
		return filepath.ToSlash(rel), true
	}
	realRoot, err1 := filepath.EvalSymlinks(absRoot)
	realDir, err2 := filepath.EvalSymlinks(filepath.Dir(absPath))
	if err1 != nil || err2 != nil {
		return "", false
	}
	if rel, err := filepath.Rel(realRoot, filepath.Join(realDir, filepath.Base(absPath))); err == nil && filepath.IsLocal(rel) {
		return filepath.ToSlash(rel), true
	}
	return "", false
}

func elapsed(start time.Time) string {
	d := time.Since(start)
	if d < time.Second {
		return fmt.Sprintf("%d ms", d.Milliseconds())
	}
	return fmt.Sprintf("%.1f s", d.Seconds())
}

// printErrors prints each error on its own line, positioned, and under it
// the line of the file it points into with a caret under the place, when
// that file is text Galley can read back (an analysis, a CSV file of at
// most excerptMax bytes). root is what the errors' paths are relative to.
func printErrors(w io.Writer, err error, root string) {
	for _, it := range errorItems(err, root) {
		fmt.Fprintln(w, it.Text)
		fmt.Fprint(w, it.Excerpt)
	}
}

// excerptMax is the largest file printErrors reads back for an excerpt: a
// data file is read again only when that is cheap.
const excerptMax = 16 << 20

// excerptGzip is the most text of a gzipped data file printErrors inflates
// again for an excerpt.
const excerptGzip = 4 << 20

// readLines returns the lines of root/file, or nil when it is not a
// regular file of at most excerptMax bytes of text.
func readLines(root, file string) []string {
	if file == "" {
		return nil
	}
	path := file
	if !filepath.IsAbs(path) {
		path = filepath.Join(root, filepath.FromSlash(file))
	}
	st, err := os.Stat(path)
	if err != nil || !st.Mode().IsRegular() || st.Size() > excerptMax {
		return nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	if strings.HasSuffix(strings.ToLower(path), ".gz") {
		// The positions of a gzipped file's errors are in its text.
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			return nil
		}
		b, err = io.ReadAll(io.LimitReader(zr, excerptGzip+1))
		if len(b) > excerptGzip || (len(b) == 0 && err != nil) {
			return nil
		}
	}
	if bytes.IndexByte(b, 0) >= 0 {
		return nil
	}
	lines := strings.Split(string(b), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	return lines
}
