package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/fsnotify/fsnotify"

	"galley/runner/internal/analysis"
	"galley/runner/internal/echarts"
	"galley/runner/internal/report"
	"galley/runner/internal/results"
	"galley/runner/internal/value"
)

const serveAbout = `A live preview while writing: runs each analysis, serves its report at
http://127.0.0.1:PORT/NAME.html (an index of them at /), and runs it again
when the analysis or a dataset it reads is saved; the open page reloads
where it was scrolled to. An analysis that stops running shows its error,
with file:line:col and the line, over the last report that ran; a claim
that fails is shown failing. The server answers on 127.0.0.1 only, serves
only the reports it renders (no file of the disk), and writes nothing
unless -write is given. Ctrl-C stops it.

With no ANALYSIS, every analyses/*.yaml, and those added while it runs.
The address is printed on stdout; what each run does, on stderr.
`

// defaultPort is where galley serve listens unless told: a fixed port, so
// that a reporter's bookmark and open tabs survive a restart.
const defaultPort = 8484

func serveCmd(args []string, stdout, stderr io.Writer) int {
	fs, c := newFlags("serve", "serve [flags] [ANALYSIS...]", stderr)
	port := fs.Int("port", defaultPort, "the port on 127.0.0.1 to listen on; 0 picks a free one")
	write := fs.Bool("write", false, "also write reports/ after each run whose claims hold, as galley run does")
	describedUsage(fs, stderr, "serve [flags] [ANALYSIS...]", serveAbout)
	pos, ok, code := parseArgs(fs, args)
	if !ok {
		return code
	}
	if *port < 0 || *port > 65535 {
		fmt.Fprintf(stderr, "galley serve: -port %d: not a port (give 1 to 65535, or 0 for any free one)\n", *port)
		return exitUsage
	}
	files, ok := analyses(c.root, pos, stderr)
	if !ok {
		return exitUsage
	}
	script, err := echarts.Script()
	if err != nil {
		fmt.Fprintf(stderr, "galley serve: %v\n", err)
		return exitFailure
	}
	// The first Ctrl-C stops the server cleanly; stop() then lets a
	// second one end the process at once.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	opts := serveOptions{Root: c.root, Files: files, All: len(pos) == 0, Port: *port, Write: *write,
		Script: script, Debounce: 100 * time.Millisecond}
	return serve(ctx, opts, stdout, stderr)
}

// serveOptions are what serve needs; tests set them directly.
type serveOptions struct {
	Root  string
	Files []string // the analyses to serve
	All   bool     // Files are analyses/*: serve those added too
	Port  int
	Write bool
	// Script is the ECharts build the pages inline (nil in tests: the
	// charts' data tables still show).
	Script []byte
	// Debounce is how long after the last change to a file the run
	// starts: an editor's save is several events.
	Debounce time.Duration
	// Ready, when set, is called with the address once the server
	// answers.
	Ready func(addr string)
}

// entry is one analysis being served.
type entry struct {
	name    string
	path    string // as named, or found in analyses/
	abs     string
	display string

	page    []byte      // the last report that ran, as report.Render wrote it
	title   string      // of the analysis, or its path before it ran
	errs    []errorItem // why the last run failed; nil when it ran
	claims  []errorItem // the claims that fail in the report shown
	held    int
	total   int
	version int      // bumped by each run
	watch   []string // absolute patterns of the files it reads (dataset paths may be globs)
}

type server struct {
	opts   serveOptions
	stderr io.Writer
	root   string // absolute

	mu      sync.Mutex // guards everything below, and writes to stderr
	entries map[string]*entry
	version int // bumped by each run of any analysis, and each new one
	watched map[string]bool
}

// serve runs the analyses, serves them until ctx is done, and returns the
// exit status. Everything it starts has stopped when it returns.
func serve(ctx context.Context, opts serveOptions, stdout, stderr io.Writer) int {
	root, err := filepath.Abs(opts.Root)
	if err != nil {
		fmt.Fprintf(stderr, "galley serve: %v\n", err)
		return exitFailure
	}
	s := &server{opts: opts, stderr: stderr, root: root, entries: map[string]*entry{}, watched: map[string]bool{}}
	for _, f := range opts.Files {
		s.add(f)
	}
	for _, n := range s.names() {
		s.run(s.entries[n])
	}

	watcher, err := fsnotify.NewWatcher()
	if err != nil {
		fmt.Fprintf(stderr, "galley serve: cannot watch files: %v\n", err)
		return exitFailure
	}
	s.watchFolders(watcher)

	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(opts.Port)))
	if err != nil {
		watcher.Close()
		hint := ""
		if opts.Port != 0 {
			hint = " (another galley serve? give another port with -port, or -port 0 for any free one)"
		}
		why := err
		var sys *os.SyscallError
		if errors.As(err, &sys) {
			why = sys.Err
		}
		fmt.Fprintf(stderr, "galley serve: cannot listen on 127.0.0.1:%d: %v%s\n", opts.Port, why, hint)
		return exitFailure
	}
	addr := ln.Addr().String()
	srv := &http.Server{Handler: s.handler(addr), ReadHeaderTimeout: 10 * time.Second}

	var wg sync.WaitGroup
	done := make(chan struct{})
	wg.Add(2)
	go func() {
		defer wg.Done()
		s.watchLoop(watcher, done)
	}()
	served := make(chan error, 1)
	go func() {
		defer wg.Done()
		served <- srv.Serve(ln)
	}()

	url := "http://" + addr + "/"
	fmt.Fprintln(stdout, url)
	s.mu.Lock()
	fmt.Fprintf(stderr, "galley serve: %s at %s; saving an analysis or its data runs it again; Ctrl-C stops\n", countAnalyses(len(s.entries)), url)
	s.mu.Unlock()
	if opts.Ready != nil {
		opts.Ready(addr)
	}

	code := exitOK
	select {
	case <-ctx.Done():
	case err := <-served:
		fmt.Fprintf(stderr, "galley serve: %v\n", err)
		code = exitFailure
	}
	// Stop taking requests, let the run going on finish (its files are
	// written whole), then stop watching.
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	srv.Shutdown(shutdown)
	close(done)
	wg.Wait()
	watcher.Close()
	s.mu.Lock()
	fmt.Fprintf(stderr, "galley serve: stopped\n")
	s.mu.Unlock()
	return code
}

func countAnalyses(n int) string {
	if n == 1 {
		return "serving 1 analysis"
	}
	return fmt.Sprintf("serving %d analyses", n)
}

// add serves the analysis at path, unless one of its name is served.
func (s *server) add(path string) *entry {
	name := reportName(path)
	if s.entries[name] != nil {
		return nil
	}
	abs, _ := filepath.Abs(path)
	display := displayPath(s.opts.Root, path)
	e := &entry{name: name, path: path, abs: abs, display: display, title: display}
	s.mu.Lock()
	s.entries[name] = e
	s.version++
	s.mu.Unlock()
	return e
}

// names lists the analyses served, sorted.
func (s *server) names() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.namesLocked()
}

// run computes one analysis and takes what it gives: a new report, the
// report with its failing claims marked, or the errors to show over the
// last report that ran. With -write, a run that succeeds writes reports/
// as galley run does.
func (s *server) run(e *entry) {
	start := time.Now() // for the line on stderr only
	watch := s.datasetPatterns(e)
	doc, err := compute(e.path, s.opts.Root, nil, oneAnalysis())
	var page []byte
	if doc != nil {
		var rerr error
		if page, rerr = report.Render(doc, report.Options{Script: s.opts.Script, Version: Version}); rerr != nil {
			doc, err = nil, rerr
		}
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	e.version++
	s.version++
	if len(watch) > 0 || doc != nil {
		e.watch = watch
	}
	if doc == nil {
		e.errs = errorItems(err, s.opts.Root)
		printErrors(s.stderr, err, s.opts.Root)
		if e.page != nil {
			fmt.Fprintf(s.stderr, "%s: does not run; serving the last report that ran, with the error over it\n", e.display)
		} else {
			fmt.Fprintf(s.stderr, "%s: does not run; serving the error\n", e.display)
		}
		return
	}
	e.page, e.title, e.errs = page, doc.Analysis.Title, nil
	e.claims = nil
	if err != nil {
		e.claims = errorItems(err, s.opts.Root)
		printErrors(s.stderr, err, s.opts.Root)
	}
	e.held, e.total = doc.ClaimsHeld(), len(doc.Claims)
	summary := fmt.Sprintf("%s: %s rows read, %d of %d claims hold", e.display, value.Text(doc.RowsRead()), e.held, e.total)
	if s.opts.Write && err == nil {
		if werr := s.write(e, doc, page); werr != nil {
			fmt.Fprintf(s.stderr, "%s: %v\n", e.display, werr)
		} else {
			summary += ", wrote " + displayPath(s.opts.Root, filepath.Join(s.opts.Root, "reports", e.name+".html"))
		}
	}
	fmt.Fprintf(s.stderr, "%s (%s)\n", summary, elapsed(start))
}

// write writes the report, its sources and its results, as galley run.
func (s *server) write(e *entry, doc *results.Document, page []byte) error {
	sources, err := report.Sources(doc)
	if err != nil {
		return err
	}
	res, err := results.Marshal(doc)
	if err != nil {
		return err
	}
	dir := filepath.Join(s.opts.Root, "reports")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("cannot make the reports folder: %v", err)
	}
	return writeAll(map[string][]byte{
		filepath.Join(dir, e.name+".html"):         page,
		filepath.Join(dir, e.name+".sources.csv"):  sources,
		filepath.Join(dir, e.name+".results.json"): res,
	})
}

// datasetPatterns lists the files an analysis reads, as absolute paths
// (or globs): read from the analysis as it is now, whether it runs or not.
func (s *server) datasetPatterns(e *entry) []string {
	src, err := os.ReadFile(e.path)
	if err != nil {
		return nil
	}
	f, _ := analysis.Parse(e.display, src)
	if f == nil {
		return nil
	}
	var out []string
	for _, ds := range f.Datasets {
		if ds.Path.Value == "" {
			continue
		}
		out = append(out, filepath.Join(s.root, filepath.FromSlash(ds.Path.Value)))
	}
	return out
}

// watchFolders watches the folder of every analysis and of every file it
// reads (not the files: an editor saves by writing a new file and renaming
// it over the old one), and analyses/ when new analyses are served too.
func (s *server) watchFolders(w *fsnotify.Watcher) {
	s.mu.Lock()
	var dirs []string
	for _, e := range s.entries {
		dirs = append(dirs, filepath.Dir(e.abs))
		for _, p := range e.watch {
			dirs = append(dirs, filepath.Dir(p))
		}
	}
	s.mu.Unlock()
	if s.opts.All {
		dirs = append(dirs, filepath.Join(s.root, "analyses"))
	}
	sort.Strings(dirs)
	for _, d := range dirs {
		if s.watched[d] {
			continue
		}
		if err := w.Add(d); err == nil {
			s.watched[d] = true
		}
	}
}

// watchLoop runs the analyses whose files changed, Debounce after the
// last change, until done is closed.
func (s *server) watchLoop(w *fsnotify.Watcher, done <-chan struct{}) {
	pending := map[string]bool{}
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()
	for {
		select {
		case <-done:
			return
		case ev, ok := <-w.Events:
			if !ok {
				return
			}
			if ev.Op == fsnotify.Chmod {
				continue
			}
			changed := s.affected(ev.Name)
			for _, n := range changed {
				pending[n] = true
			}
			if len(changed) > 0 {
				timer.Reset(s.opts.Debounce)
			}
		case err, ok := <-w.Errors:
			if !ok {
				return
			}
			s.mu.Lock()
			fmt.Fprintf(s.stderr, "galley serve: watching files: %v\n", err)
			s.mu.Unlock()
		case <-timer.C:
			names := make([]string, 0, len(pending))
			for n := range pending {
				names = append(names, n)
			}
			sort.Strings(names)
			clear(pending)
			for _, n := range names {
				s.mu.Lock()
				e := s.entries[n]
				s.mu.Unlock()
				s.run(e)
			}
			s.watchFolders(w)
		}
	}
}

// affected lists the analyses that read the file at path, or are it; a
// new analysis in analyses/ is served from now on.
func (s *server) affected(path string) []string {
	dir, base := filepath.Dir(path), filepath.Base(path)
	var out []string
	s.mu.Lock()
	for n, e := range s.entries {
		hit := e.abs == path
		for _, p := range e.watch {
			if m, _ := filepath.Match(filepath.Base(p), base); m && filepath.Dir(p) == dir {
				hit = true
			}
		}
		if hit {
			out = append(out, n)
		}
	}
	s.mu.Unlock()
	isAnalysis := strings.HasSuffix(base, ".yaml") || strings.HasSuffix(base, ".yml")
	if len(out) == 0 && s.opts.All && dir == filepath.Join(s.root, "analyses") && isAnalysis && !strings.HasPrefix(base, ".") {
		if st, err := os.Stat(path); err == nil && st.Mode().IsRegular() {
			if e := s.add(filepath.Join(s.opts.Root, "analyses", base)); e != nil {
				out = append(out, e.name)
			}
		}
	}
	sort.Strings(out)
	return out
}

// handler serves the index, the reports and their versions, and nothing
// else. It answers only requests addressed to addr (or localhost), so that
// a web page elsewhere cannot reach it by pointing a name of its own at
// 127.0.0.1 (DNS rebinding).
func (s *server) handler(addr string) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.serveIndex)
	mux.HandleFunc("GET /{file}", s.serveReport)
	mux.HandleFunc("GET /_galley/version", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		v := s.version
		s.mu.Unlock()
		plain(w, strconv.Itoa(v))
	})
	mux.HandleFunc("GET /_galley/version/{name}", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		e := s.entries[r.PathValue("name")]
		v := 0
		if e != nil {
			v = e.version
		}
		s.mu.Unlock()
		if e == nil {
			http.NotFound(w, r)
			return
		}
		plain(w, strconv.Itoa(v))
	})
	_, port, _ := net.SplitHostPort(addr)
	hosts := map[string]bool{"127.0.0.1:" + port: true, "localhost:" + port: true}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Cache-Control", "no-store")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		if !hosts[strings.ToLower(r.Host)] {
			http.Error(w, "galley serve answers only at http://"+addr+"/", http.StatusMisdirectedRequest)
			return
		}
		mux.ServeHTTP(w, r)
	})
}

func plain(w http.ResponseWriter, text string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	io.WriteString(w, text)
}

// pageCSP lets a page run its own inline scripts and styles and load
// nothing, as a published report does; connect-src 'self' lets the
// preview ask for its version.
const pageCSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

func (s *server) serveReport(w http.ResponseWriter, r *http.Request) {
	name, ok := strings.CutSuffix(r.PathValue("file"), ".html")
	s.mu.Lock()
	e := s.entries[name]
	if !ok || e == nil {
		s.mu.Unlock()
		http.NotFound(w, r)
		return
	}
	page, errs, claims, version, title := e.page, e.errs, e.claims, e.version, e.title
	held, total := e.held, e.total
	s.mu.Unlock()

	var live bytes.Buffer
	err := liveBlock.Execute(&live, liveData{
		Errors: errs, Claims: claims, Held: held, Total: total, HasPage: page != nil,
		Version: version, VersionURL: "/_galley/version/" + name, ScrollKey: "galley-scroll:" + name,
	})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if page == nil {
		var b bytes.Buffer
		if err := emptyPage.Execute(&b, title); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		page = b.Bytes()
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", pageCSP)
	w.Write(inject(page, live.Bytes()))
}

// inject puts the preview's block before the page's </body>: the served
// page only, never a report written to disk.
func inject(page, block []byte) []byte {
	i := bytes.LastIndex(page, []byte("</body>"))
	if i < 0 {
		i = len(page)
	}
	out := make([]byte, 0, len(page)+len(block))
	out = append(out, page[:i]...)
	out = append(out, block...)
	return append(out, page[i:]...)
}

func (s *server) serveIndex(w http.ResponseWriter, r *http.Request) {
	type row struct {
		Name, Title, Status string
		OK                  bool
	}
	var rows []row
	s.mu.Lock()
	version := s.version
	for _, n := range s.namesLocked() {
		e := s.entries[n]
		rw := row{Name: n, Title: e.title}
		switch {
		case e.errs != nil:
			rw.Status = "does not run: " + e.errs[0].Text
		case e.page == nil:
			rw.Status = "not run yet"
		case e.held < e.total:
			rw.Status = fmt.Sprintf("%d of %d claims hold: galley run would refuse it", e.held, e.total)
		default:
			rw.Status, rw.OK = fmt.Sprintf("runs; %d of %d claims hold", e.held, e.total), true
		}
		rows = append(rows, rw)
	}
	s.mu.Unlock()
	var live bytes.Buffer
	if err := liveBlock.Execute(&live, liveData{HasPage: true, Version: version, VersionURL: "/_galley/version", ScrollKey: "galley-scroll:"}); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	var b bytes.Buffer
	if err := indexPage.Execute(&b, rows); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", pageCSP)
	w.Write(inject(b.Bytes(), live.Bytes()))
}

// namesLocked is names, for a caller holding s.mu.
func (s *server) namesLocked() []string {
	out := make([]string, 0, len(s.entries))
	for n := range s.entries {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
