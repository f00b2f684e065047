package browsertest

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"galley/runner/internal/analysis"
)

// chromiumPath is the browser the tests drive, from GALLEY_CHROMIUM; the
// test skips when it is unset.
func chromiumPath(t *testing.T) string {
	t.Helper()
	p := os.Getenv("GALLEY_CHROMIUM")
	if p == "" {
		t.Skip("GALLEY_CHROMIUM is not set: run `make test` (or `make browser`), which installs Chromium and sets it")
	}
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("GALLEY_CHROMIUM=%s: %v", p, err)
	}
	return p
}

// projectRoot walks up from the test's directory to the one holding go.mod.
func projectRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test directory")
		}
		dir = parent
	}
}

// buildGalley builds the galley command into a temporary directory.
func buildGalley(t *testing.T, root string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "galley")
	cmd := exec.Command("go", "build", "-o", bin, "./runner/cmd/galley")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./runner/cmd/galley: %v\n%s", err, out)
	}
	return bin
}

// galley runs the galley binary and fails the test when it exits non-zero.
func galley(t *testing.T, bin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("galley %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// newBrowser starts headless Chromium with a fresh profile and the network
// off: all traffic goes to a proxy on the discard port and no host name
// resolves. It returns a chromedp context for the browser; each page opens
// in its own tab (see open).
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	return newBrowserReaching(t, "")
}

// newBrowserReaching is newBrowser with one address let through, host:port
// on the loopback interface ("" for none): galley serve's.
func newBrowserReaching(t *testing.T, local string) context.Context {
	t.Helper()
	bypass, resolve := "<-loopback>", "MAP * ~NOTFOUND"
	if local != "" {
		host, _, _ := strings.Cut(local, ":")
		bypass += ";" + local
		resolve += ", EXCLUDE " + host
	}
	exe := chromiumPath(t)
	profile := t.TempDir() // made before the allocator, so removed after the browser exits
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	t.Cleanup(cancel)
	actx, acancel := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(exe),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("mute-audio", true),
		chromedp.Flag("force-color-profile", "srgb"),
		chromedp.Flag("proxy-server", "127.0.0.1:9"),
		chromedp.Flag("proxy-bypass-list", bypass),
		chromedp.Flag("host-resolver-rules", resolve),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1200, 900),
	)
	t.Cleanup(acancel)
	bctx, bcancel := chromedp.NewContext(actx)
	t.Cleanup(bcancel)
	if err := chromedp.Do(bctx); err != nil { // starts the browser
		t.Fatalf("starting %s: %v", exe, err)
	}
	return bctx
}

// page is one open tab and what it logged: console messages, uncaught
// exceptions, browser log entries and every network request.
type page struct {
	ctx context.Context
	url string

	mu       sync.Mutex
	console  []string // errors, warnings and exceptions, formatted
	requests []string // URL of every request the page made
}

// open opens url in a new tab of the browser at the viewport width×height
// and waits for the load event and for every chart to be drawn.
func open(t *testing.T, bctx context.Context, rawURL string, width, height int64, mobile bool) *page {
	t.Helper()
	p := &page{url: rawURL}
	ctx, cancel := chromedp.NewContext(bctx, chromedp.WithListener(p.event))
	t.Cleanup(cancel)
	p.ctx = ctx
	opts := []chromedp.EmulateViewportOption{}
	if mobile {
		opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, height, opts...)); err != nil {
		t.Fatalf("setting the viewport: %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(rawURL)); err != nil {
		t.Fatalf("opening %s: %v", rawURL, err)
	}
	p.waitCharts(t)
	return p
}

// event records one DevTools event; it runs on chromedp's reading goroutine.
func (p *page) event(ev any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch e := ev.(type) {
	case *network.EventRequestWillBeSent:
		if e.Request != nil {
			p.requests = append(p.requests, e.Request.URL)
		}
	case *runtime.EventConsoleAPICalled:
		switch e.Type {
		case runtime.ConsoleAPICalledTypeError, runtime.ConsoleAPICalledTypeWarning, runtime.ConsoleAPICalledTypeAssert:
			var args []string
			for _, a := range e.Args {
				switch {
				case len(a.Value) > 0:
					args = append(args, string(a.Value))
				case a.Description != "":
					args = append(args, a.Description)
				default:
					args = append(args, string(a.Type))
				}
			}
			p.console = append(p.console, fmt.Sprintf("console.%s: %s", e.Type, strings.Join(args, " ")))
		}
	case *runtime.EventExceptionThrown:
		if d := e.ExceptionDetails; d != nil {
			msg := d.Text
			if d.Exception != nil && d.Exception.Description != "" {
				msg += " " + d.Exception.Description
			}
			p.console = append(p.console, fmt.Sprintf("uncaught exception at %s:%d:%d: %s", d.URL, d.LineNumber+1, d.ColumnNumber+1, msg))
		}
	case *log.EventEntryAdded:
		if e.Entry != nil && (e.Entry.Level == log.EntryLevelError || e.Entry.Level == log.EntryLevelWarning) {
			p.console = append(p.console, fmt.Sprintf("browser log %s (%s): %s %s", e.Entry.Level, e.Entry.Source, e.Entry.Text, e.Entry.URL))
		}
	}
}

// waitCharts waits until every .chart holds a drawn SVG or canvas, then two
// animation frames more; it fails the test after 15 seconds, or as soon as
// the console shows an error.
func (p *page) waitCharts(t *testing.T) {
	t.Helper()
	const drawn = `(() => {
	  const charts = document.querySelectorAll(".chart");
	  for (const c of charts) {
	    const svg = c.querySelector("svg");
	    if (!(svg && svg.querySelector("g path, g rect, g text")) && !c.querySelector("canvas")) return false;
	  }
	  return document.readyState === "complete";
	})()`
	deadline := time.Now().Add(15 * time.Second)
	for {
		ok, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](drawn))
		if err != nil {
			t.Fatalf("%s: %v", p.url, err)
		}
		if ok {
			break
		}
		p.mu.Lock()
		failed := len(p.console) > 0
		p.mu.Unlock()
		if failed { // an exception stopped the drawing: report it now
			t.Errorf("%s: some .chart holds no drawn svg or canvas", p.url)
			break
		}
		if time.Now().After(deadline) {
			t.Errorf("%s: after 15s some .chart still holds no drawn svg or canvas", p.url)
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	const frames = `new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))`
	if _, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](frames, chromedp.EvalAwaitPromise)); err != nil {
		t.Fatalf("%s: %v", p.url, err)
	}
}

// eval evaluates a JavaScript expression in the page, awaiting it when it
// is a promise, and decodes its value.
func eval[T any](t *testing.T, p *page, js string) T {
	t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		var ee *chromedp.ExceptionError
		if errors.As(err, &ee) {
			t.Fatalf("%s: evaluating a check: %v", p.url, ee)
		}
		t.Fatalf("%s: evaluating a check: %v", p.url, err)
	}
	return v
}

// checkQuiet fails the test for any console error, warning or uncaught
// exception, and for any request but the page itself and data: URLs.
func (p *page) checkQuiet(t *testing.T) {
	t.Helper()
	for _, m := range p.noise(t) {
		t.Error(m)
	}
}

// noise lists what checkQuiet fails on: the console's errors, warnings and
// exceptions, and every request but the page itself and data: URLs.
func (p *page) noise(t *testing.T) []string {
	t.Helper()
	// Let late events (a failed request's log entry) arrive.
	eval[bool](t, p, `new Promise(r => setTimeout(() => r(true), 200))`)
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	for _, m := range p.console {
		out = append(out, fmt.Sprintf("%s: %s", p.url, m))
	}
	if len(p.requests) == 0 {
		out = append(out, fmt.Sprintf("%s: no request recorded, not even the page itself: the network domain is not being watched", p.url))
	}
	for _, u := range p.requests {
		// The page itself is the one file: request; anything else, a
		// file beside it included, is something a published page would
		// not carry.
		if u != p.url && !strings.HasPrefix(u, "data:") {
			out = append(out, fmt.Sprintf("%s: the page requested %s; a report must load nothing but itself", p.url, u))
		}
	}
	return out
}

// TestBrowserQuietDetects shows checkQuiet's net catches what it is for: a
// page that loads an image beside it, or one from the network, is noisy.
// (A file: request other than the page passed before a second review of
// the attacks found it.)
func TestBrowserQuietDetects(t *testing.T) {
	chromiumPath(t)
	dir := t.TempDir()
	page := filepath.Join(dir, "p.html")
	html := `<!DOCTYPE html><html><head><title>t</title></head><body><img src="beside.png"><img src="https://tracker.example/x.png"></body></html>`
	if err := os.WriteFile(page, []byte(html), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "beside.png"), []byte("not a png"), 0o644); err != nil {
		t.Fatal(err)
	}
	p := open(t, newBrowser(t), fileURL(page), 800, 600, false)
	noise := strings.Join(p.noise(t), "\n")
	for _, want := range []string{"requested " + fileURL(filepath.Join(dir, "beside.png")), "requested https://tracker.example/x.png"} {
		if !strings.Contains(noise, want) {
			t.Errorf("the net let through a request it must catch (%s):\n%s", want, noise)
		}
	}
}

// fileURL is the file:// URL of a local path.
func fileURL(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		panic(err)
	}
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String()
}

// chartState is what the page says about its charts and data tables.
type chartState struct {
	Title  string `json:"title"`
	Charts []struct {
		ID       string `json:"id"`
		SVG      bool   `json:"svg"`
		Canvas   bool   `json:"canvas"`
		Marks    int    `json:"marks"`
		Series   int    `json:"series"`
		Width    int    `json:"width"`
		Height   int    `json:"height"`
		Instance bool   `json:"instance"`
		Details  bool   `json:"details"`
		Rows     int    `json:"rows"`
		// Ticks lists the ticks of a value axis that ECharts drew without
		// the text Galley gave it.
		Ticks []string `json:"ticks"`
	} `json:"charts"`
	Figures int `json:"figures"`
	Details int `json:"details"`
}

const chartStateJS = `(() => {
  const out = {title: document.title, charts: [], figures: document.querySelectorAll("figure.chart-figure").length,
    details: document.querySelectorAll("details.data").length};
  for (const c of document.querySelectorAll(".chart")) {
    const svg = c.querySelector("svg");
    const r = (svg || c.querySelector("canvas") || c).getBoundingClientRect();
    const fig = c.closest("figure");
    const table = fig && fig.querySelector("details.data table.data-table");
    const inst = typeof echarts !== "undefined" ? echarts.getInstanceByDom(c) : null;
    out.charts.push({
      id: fig ? fig.id : "",
      svg: !!svg,
      canvas: !!c.querySelector("canvas"),
      // Marks inside groups: an svg with nothing drawn still holds its
      // background rect, as a direct child.
      marks: svg ? svg.querySelectorAll("g path, g rect, g text").length : 0,
      series: (() => { const o = inst && inst.getOption(); return o && o.series ? o.series.length : 0; })(),
      width: Math.round(r.width),
      height: Math.round(r.height),
      instance: !!inst,
      details: !!table,
      rows: table ? table.querySelectorAll("tbody tr").length : 0,
      ticks: (() => {
        // Every tick of a value axis is one Galley printed a text for
        // (galleyTicks); only the ends of an axis that hugs its data (not
        // multiples of its interval) have none.
        const bad = [];
        if (!inst) return bad;
        for (const dim of ["xAxis", "yAxis"]) {
          const model = inst.getModel().getComponent(dim, 0);
          if (!model || model.get("type") !== "value") continue;
          const texts = (inst.getOption()[dim][0].axisLabel || {}).galleyTicks || {};
          const keys = Object.keys(texts).map(Number);
          const ax = model.axis, ext = ax.scale.getExtent();
          for (const tk of ax.scale.getTicks()) {
            const v = tk.value;
            if (v === ext[0] || v === ext[1]) continue;
            if (!keys.some(k => Math.abs(k - v) <= 1e-9 * Math.max(1, Math.abs(v)))) bad.push(dim + " " + v);
          }
        }
        return bad;
      })(),
    });
  }
  return out;
})()`

// checkCharts checks that every chart is drawn and has its data table.
func checkCharts(t *testing.T, p *page, st chartState) {
	t.Helper()
	for i, c := range st.Charts {
		name := fmt.Sprintf("%s: chart %d (#%s)", p.url, i+1, c.ID)
		if !c.SVG && !c.Canvas {
			t.Errorf("%s: no svg or canvas drawn", name)
		}
		if c.SVG && c.Marks == 0 {
			t.Errorf("%s: the svg is empty (no path, rect or text drawn)", name)
		}
		if c.Instance && c.Series == 0 {
			t.Errorf("%s: ECharts holds no series for it", name)
		}
		if c.Width < 100 || c.Height < 100 {
			t.Errorf("%s: drawn at %dx%d px", name, c.Width, c.Height)
		}
		if !c.Instance {
			t.Errorf("%s: no ECharts instance on the element", name)
		}
		if !c.Details {
			t.Errorf("%s: no <details> data table", name)
		} else if c.Rows == 0 {
			t.Errorf("%s: the data table has no rows", name)
		}
		for _, tk := range c.Ticks {
			t.Errorf("%s: ECharts drew the tick %s, which Galley printed no text for", name, tk)
		}
	}
	if st.Details != st.Figures {
		t.Errorf("%s: %d <details> data tables for %d charts", p.url, st.Details, st.Figures)
	}
}

// TestBrowserReports copies the project's analyses and datasets, and
// nothing else (no node_modules), into a new folder, runs galley there and
// opens each report in Chromium: the binary carries what a report needs.
func TestBrowserReports(t *testing.T) {
	chromiumPath(t)
	root := projectRoot(t)
	out := runExamples(t, root)

	yamls, _ := filepath.Glob(filepath.Join(root, "analyses", "*.yaml"))
	more, _ := filepath.Glob(filepath.Join(root, "analyses", "*.yml"))
	yamls = append(yamls, more...)
	sort.Strings(yamls)
	if len(yamls) == 0 {
		t.Fatal("no analyses in analyses/")
	}
	bctx := newBrowser(t)
	for _, y := range yamls {
		name := strings.TrimSuffix(strings.TrimSuffix(filepath.Base(y), ".yaml"), ".yml")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(y)
			if err != nil {
				t.Fatal(err)
			}
			f, err := analysis.Parse(filepath.ToSlash(y), src)
			if err != nil {
				t.Fatal(err)
			}
			report := filepath.Join(out, name+".html")
			if _, err := os.Stat(report); err != nil {
				t.Fatalf("galley run wrote no report for %s: %v", y, err)
			}
			charts := 0
			for _, c := range f.Body {
				if c.Kind == analysis.CellChart {
					charts++
				}
			}
			checkReport(t, bctx, report, f.Title.Value, charts)
		})
	}
}

// runExamples copies the project's analyses and datasets, and nothing else
// (no node_modules), into a new folder, runs galley there, and returns the
// folder of the reports it wrote.
func runExamples(t *testing.T, root string) string {
	t.Helper()
	bin := buildGalley(t, root)
	project := t.TempDir()
	for _, dir := range []string{"analyses", "datasets"} {
		if err := os.CopyFS(filepath.Join(project, dir), os.DirFS(filepath.Join(root, dir))); err != nil {
			t.Fatal(err)
		}
	}
	run := exec.Command(bin, "run")
	run.Dir = project
	if out, err := run.CombinedOutput(); err != nil {
		t.Fatalf("galley run in a folder of analyses and datasets only: %v\n%s", err, out)
	}
	return filepath.Join(project, "reports")
}

// checkReport opens a report at each of the widths and checks its title,
// its charts and data tables, that no label of a chart overlaps another or
// is cut off, its console and its requests.
func checkReport(t *testing.T, bctx context.Context, report, title string, charts int) {
	t.Helper()
	for _, w := range widths {
		p := open(t, bctx, fileURL(report), w.width, 900, w.mobile)
		st := eval[chartState](t, p, chartStateJS)
		if st.Title != title {
			t.Errorf("%s: document.title is %q, want the analysis title %q", p.url, st.Title, title)
		}
		if st.Figures != charts || len(st.Charts) < charts {
			t.Errorf("%s: %d chart figures and %d .chart elements, want %d figures (one per chart cell), each with one or more", p.url, st.Figures, len(st.Charts), charts)
		}
		checkCharts(t, p, st)
		tc := checkText(t, p, w.width)
		p.checkQuiet(t)
		if !t.Failed() {
			t.Logf("%s at %d px: %d charts (%d panels) drawn, %d labels measured, none overlapping or cut off; %d requests, all file:/data:",
				filepath.Base(report), w.width, st.Figures, len(st.Charts), tc.Texts, len(p.requests))
		}
	}
}
