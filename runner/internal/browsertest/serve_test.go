package browsertest

import (
	"bufio"
	"bytes"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// lockedBuffer collects a process's stderr while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// save writes a file as an editor does: a new file renamed over the old.
func save(t *testing.T, path, text string) {
	t.Helper()
	tmp := path + ".swp"
	if err := os.WriteFile(tmp, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

// TestBrowserServe runs galley serve on a copy of the Mosul example and
// keeps its report open in Chromium while the analysis is edited: a new
// value shows within 2 seconds of the save, at the same scroll position;
// a broken analysis shows an overlay naming the file, line and column with
// the line itself; fixed, the overlay goes. The page asks nothing of any
// origin but the server's, and logs no error. SIGTERM stops the server.
func TestBrowserServe(t *testing.T) {
	chromiumPath(t)
	root := projectRoot(t)
	bin := buildGalley(t, root)
	project := t.TempDir()
	if err := os.MkdirAll(filepath.Join(project, "analyses"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.CopyFS(filepath.Join(project, "datasets"), os.DirFS(filepath.Join(root, "datasets"))); err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(filepath.Join(root, "analyses", "mosul-civilian-toll.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	analysisPath := filepath.Join(project, "analyses", "mosul-civilian-toll.yaml")
	const line = `  headstones: first(filter(estimates, .id == "headstones")).low`
	if !bytes.Contains(src, []byte(line)) {
		t.Fatalf("the Mosul analysis no longer has %q", line)
	}
	lineNo := 1 + bytes.Count(src[:bytes.Index(src, []byte(line))], []byte("\n"))
	edit := func(with string) string {
		return strings.Replace(string(src), line, with, 1)
	}
	save(t, analysisPath, string(src))

	cmd := exec.Command(bin, "serve", "-port", "0")
	cmd.Dir = project
	var stderr lockedBuffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var waitErr error
	exited := make(chan struct{})
	go func() {
		waitErr = cmd.Wait()
		close(exited)
	}()
	defer func() {
		select {
		case <-exited:
		default:
			cmd.Process.Kill()
			<-exited
		}
	}()
	addr, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("galley serve printed no address: %v\n%s", err, stderr.String())
	}
	base := strings.TrimSpace(addr)
	if !strings.HasPrefix(base, "http://127.0.0.1:") || !strings.HasSuffix(base, "/") {
		t.Fatalf("galley serve printed %q, want http://127.0.0.1:PORT/", addr)
	}

	bctx := newBrowserReaching(t, strings.TrimSuffix(strings.TrimPrefix(base, "http://"), "/"))
	p := open(t, bctx, base+"mosul-civilian-toll.html", 1200, 900, false)
	const valueJS = `(() => { const a = document.querySelector('a.value[title="headstones"]'); return a ? a.textContent : ""; })()`
	const overlayJS = `(() => { const e = document.getElementById("galley-error"); return e ? e.innerText : ""; })()`
	if got := eval[string](t, p, valueJS); got != "2,000" {
		t.Fatalf("headstones shows %q, want 2,000", got)
	}
	// waitUntil evaluates js until it gives want, up to the deadline.
	waitUntil := func(what, js string, ok func(string) bool, within time.Duration) string {
		t.Helper()
		deadline := time.Now().Add(within)
		for {
			got, err := evalNow(p, js)
			if err == nil && ok(got) {
				return got
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: not within %v of the save (last: %q, %v)\nserver:\n%s", what, within, got, err, stderr.String())
			}
			time.Sleep(25 * time.Millisecond)
		}
	}

	// Scrolled to the middle, the edit: the new value, where it was.
	eval[bool](t, p, `(window.scrollTo(0, 1500), window.__before = true)`)
	scrolled := eval[float64](t, p, `window.scrollY`)
	save(t, analysisPath, edit("  headstones: 2345"))
	waitUntil("the new value 2,345 shown", valueJS, func(s string) bool { return s == "2,345" }, 2*time.Second)
	if eval[bool](t, p, `window.__before === true`) {
		t.Error("the page shows the new value without having reloaded")
	}
	p.waitCharts(t)
	if y := eval[float64](t, p, `window.scrollY`); math.Abs(y-scrolled) > 1 {
		t.Errorf("after the reload the page is scrolled to %v, want %v", y, scrolled)
	}

	// Broken: the overlay names the file, line and column, and shows the
	// line with a caret; the last report that ran stays under it.
	save(t, analysisPath, edit("  headstones: (2345 +"))
	overlay := waitUntil("the error overlay", overlayJS, func(s string) bool { return s != "" }, 2*time.Second)
	pos := "analyses/mosul-civilian-toll.yaml:" + strconv.Itoa(lineNo) + ":"
	if !strings.Contains(overlay, pos) || !strings.Contains(overlay, " "+strconv.Itoa(lineNo)+" |   headstones: (2345 +") || !strings.Contains(overlay, "^") {
		t.Errorf("the overlay does not name %sCOL with the line and a caret:\n%s", pos, overlay)
	}
	if got := eval[string](t, p, valueJS); got != "2,345" {
		t.Errorf("under the overlay headstones shows %q, want the last report's 2,345", got)
	}

	// Fixed: the overlay goes.
	save(t, analysisPath, edit("  headstones: 2001"))
	waitUntil("the overlay gone", overlayJS, func(s string) bool { return s == "" }, 2*time.Second)
	waitUntil("the fixed value 2,001 shown", valueJS, func(s string) bool { return s == "2,001" }, 2*time.Second)

	p.mu.Lock()
	for _, m := range p.console {
		t.Errorf("%s: %s", p.url, m)
	}
	for _, u := range p.requests {
		if !strings.HasPrefix(u, base) && !strings.HasPrefix(u, "data:") {
			t.Errorf("the page requested %s: a preview asks only its server", u)
		}
	}
	p.mu.Unlock()

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-exited:
		if waitErr != nil {
			t.Errorf("galley serve after SIGTERM: %v\n%s", waitErr, stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("galley serve still running 30 s after SIGTERM")
	}
	if _, err := os.Stat(filepath.Join(project, "reports")); err == nil {
		t.Error("galley serve wrote reports/ without -write")
	}
}

// evalNow evaluates js in the page, returning an error instead of failing
// (a page being reloaded has no context to evaluate in for a moment).
func evalNow(p *page, js string) (string, error) {
	return chromedp.Run(p.ctx, chromedp.Evaluate[string](js))
}
