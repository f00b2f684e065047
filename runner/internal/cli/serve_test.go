package cli

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"galley/runner/internal/echarts"
)

const serveAnalysis = `title: Deaths by city
datasets:
  t:
    path: datasets/t.csv
    source: {title: A table, publisher: Someone, accessed: 2026-11-24, license: CC0}
    columns:
      city: string
      deaths: int
views:
  cities:
    from: t
values:
  total: sum(map(t, .deaths))
  scale: 1
claims:
  - id: small
    text: "Fewer than 100 died."
    check: total * scale < 100
body:
  - md: "In all, {{ total * scale }} died."
  - table: cities
  - claim: small
`

const serveData = "city,deaths\nMosul,10\nRaqqa,5\n"

// newServeProject writes a project of one analysis, pinned, in a new
// folder, and returns the folder.
func newServeProject(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range map[string]string{"analyses/a.yaml": serveAnalysis, "datasets/t.csv": serveData, "secret.txt": "do not serve me\n"} {
		writeFile(t, filepath.Join(dir, name), text)
	}
	var errOut bytes.Buffer
	if code := Main([]string{"pin", "-root", dir, filepath.Join(dir, "analyses/a.yaml")}, io.Discard, &errOut); code != 0 {
		t.Fatalf("galley pin: %s", errOut.String())
	}
	return dir
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	// As an editor saves: a new file renamed over the old one.
	tmp := path + ".tmp~"
	if err := os.WriteFile(tmp, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

// syncBuffer is a bytes.Buffer safe for the server and the test at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// running is a serve started by a test.
type running struct {
	addr   string
	client *http.Client
	stderr *syncBuffer
	stop   func() int // cancels serve and returns its exit status
}

func startServe(t *testing.T, opts serveOptions) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	opts.Ready = func(addr string) { ready <- addr }
	if opts.Debounce == 0 {
		opts.Debounce = 20 * time.Millisecond
	}
	stderr := &syncBuffer{}
	exit := make(chan int, 1)
	go func() { exit <- serve(ctx, opts, io.Discard, stderr) }()
	r := &running{stderr: stderr, client: &http.Client{Transport: &http.Transport{},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	select {
	case r.addr = <-ready:
	case code := <-exit:
		t.Fatalf("serve exited with %d before serving:\n%s", code, stderr.String())
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not start within 30 s")
	}
	stopped := false
	r.stop = func() int {
		if stopped {
			return 0
		}
		stopped = true
		cancel()
		r.client.CloseIdleConnections()
		select {
		case code := <-exit:
			return code
		case <-time.After(30 * time.Second):
			t.Fatal("serve did not stop within 30 s of its context ending")
		}
		return -1
	}
	t.Cleanup(func() { r.stop() })
	return r
}

// get fetches a path, sent as written (no cleaning), from the server.
func (r *running) get(t *testing.T, path string) (int, string) {
	t.Helper()
	req, err := http.NewRequest("GET", "http://"+r.addr+"/", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.URL.Opaque = path
	resp, err := r.client.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// waitFor fetches path until its body satisfies ok, up to a deadline.
func (r *running) waitFor(t *testing.T, path, what string, ok func(string) bool) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		code, body := r.get(t, path)
		if code == 200 && ok(body) {
			return body
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: after 10 s, still not %s; stderr:\n%s\nbody:\n%s", path, what, r.stderr.String(), body)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestServe: the reports are served with the preview's block, a saved
// analysis or dataset runs again, errors show with their place and line,
// failing claims show as failing, nothing but the reports is served,
// nothing is written, and serve stops leaving no goroutine behind.
func TestServe(t *testing.T) {
	dir := newServeProject(t)
	before := runtime.NumGoroutine()
	r := startServe(t, serveOptions{Root: dir, Files: []string{filepath.Join(dir, "analyses/a.yaml")}, All: true})

	code, index := r.get(t, "/")
	if code != 200 || !strings.Contains(index, `<a href="/a.html">Deaths by city</a>`) {
		t.Errorf("GET /: %d\n%s", code, index)
	}
	code, page := r.get(t, "/a.html")
	if code != 200 || !strings.Contains(page, `<a class="value" href="#L21" title="total * scale">15</a>`) {
		t.Fatalf("GET /a.html: %d\n%s", code, page)
	}
	if !strings.Contains(page, `id="galley-serve"`) || strings.Contains(page, `id="galley-error"`) || strings.Contains(page, `id="galley-claims"`) {
		t.Errorf("the page lacks the preview's block, or shows an error:\n%s", page)
	}

	// Nothing but the reports: no file of the project or of the disk, by
	// any spelling of a path.
	for _, p := range []string{"/analyses/a.yaml", "/datasets/t.csv", "/secret.txt", "/a.yaml", "/a", "/a.html/",
		"/../secret.txt", "/../../../../etc/passwd", "/%2e%2e/secret.txt", "/..%2fsecret.txt", "/a.html/../secret.txt",
		"/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/..\\secret.txt", "/.%2e/.%2e/etc/passwd", "//etc/passwd", "/_galley/version/../../secret.txt",
		"/_galley/version/nope", "/reports/a.html", "/a.sources.csv", "/a.results.json"} {
		code, body := r.get(t, p)
		if code == 200 || strings.Contains(body, "do not serve me") || strings.Contains(body, "Mosul,10") || strings.Contains(body, "root:") {
			t.Errorf("GET %s: %d, %q: only the reports are served", p, code, body)
		}
	}
	for _, host := range []string{"evil.example", "127.0.0.1"} {
		req, _ := http.NewRequest("GET", "http://"+r.addr+"/a.html", nil)
		req.Host = host
		resp, err := r.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMisdirectedRequest {
			t.Errorf("Host %s: %d, want 421", host, resp.StatusCode)
		}
	}
	if resp, err := r.client.Post("http://"+r.addr+"/a.html", "text/plain", strings.NewReader("x")); err != nil {
		t.Fatal(err)
	} else if resp.Body.Close(); resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d, want 405", resp.StatusCode)
	}

	// A saved analysis runs again.
	analysisPath := filepath.Join(dir, "analyses/a.yaml")
	src, _ := os.ReadFile(analysisPath)
	writeFile(t, analysisPath, strings.Replace(string(src), "scale: 1", "scale: 2", 1))
	r.waitFor(t, "/a.html", "showing 30", func(b string) bool { return strings.Contains(b, `title="total * scale">30</a>`) })

	// Broken: the error over the last report, positioned, with its line.
	writeFile(t, analysisPath, strings.Replace(string(src), "scale: 1", "scale: (1 +", 1))
	page = r.waitFor(t, "/a.html", "showing the error", func(b string) bool { return strings.Contains(b, `id="galley-error"`) })
	for _, want := range []string{
		`<p class="galley-msg">analyses/a.yaml:15:13: value scale: unexpected token EOF</p>`,
		"<pre> 15 |   scale: (1 &#43;\n    |             ^\n</pre>",
		`title="total * scale">30</a>`, // the last report that ran, under it
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q:\n%s", want, page)
		}
	}
	// Fixed, and a claim that fails: shown failing, not hidden.
	writeFile(t, analysisPath, strings.Replace(string(src), "scale: 1", "scale: 10", 1))
	page = r.waitFor(t, "/a.html", "without the error", func(b string) bool { return !strings.Contains(b, `id="galley-error"`) })
	for _, want := range []string{`id="galley-claims"`, `analyses/a.yaml:19:12: claim &#34;small&#34; failed`, `class="claim fail"`, `title="total * scale">150</a>`} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q:\n%s", want, page)
		}
	}
	if _, index = r.get(t, "/"); !strings.Contains(index, "0 of 1 claims hold") {
		t.Errorf("the index does not say the claim fails:\n%s", index)
	}

	// A saved dataset runs again: here its pin no longer holds.
	writeFile(t, analysisPath, string(src))
	r.waitFor(t, "/a.html", "showing 15", func(b string) bool { return strings.Contains(b, `title="total * scale">15</a>`) })
	writeFile(t, filepath.Join(dir, "datasets/t.csv"), serveData+"Aleppo,1\n")
	page = r.waitFor(t, "/a.html", "showing the pin error", func(b string) bool { return strings.Contains(b, `id="galley-error"`) })
	if !strings.Contains(page, "does not match its pin") {
		t.Errorf("the page does not show the pin error:\n%s", page)
	}
	var errOut bytes.Buffer
	if code := Main([]string{"pin", "-root", dir, analysisPath}, io.Discard, &errOut); code != 0 {
		t.Fatal(errOut.String())
	}
	r.waitFor(t, "/a.html", "showing 16", func(b string) bool { return strings.Contains(b, `title="total * scale">16</a>`) })

	// A new analysis in analyses/ is served too.
	src, _ = os.ReadFile(analysisPath)
	writeFile(t, filepath.Join(dir, "analyses/b.yaml"), strings.Replace(string(src), "Deaths by city", "Second", 1))
	r.waitFor(t, "/", "listing b", func(b string) bool { return strings.Contains(b, `<a href="/b.html">Second</a>`) })

	if code := r.stop(); code != 0 {
		t.Errorf("serve exited with %d", code)
	}
	if _, err := os.Stat(filepath.Join(dir, "reports")); err == nil {
		t.Error("serve without -write wrote reports/")
	}
	if !strings.HasSuffix(r.stderr.String(), "galley serve: stopped\n") {
		t.Errorf("stderr does not end with the stop:\n%s", r.stderr.String())
	}
	waitGoroutines(t, before)
}

// waitGoroutines waits, up to a deadline, for the goroutines to be back to
// n, and fails listing them when they are not.
func waitGoroutines(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > n {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("%d goroutines left running, %d before serve:\n%s", runtime.NumGoroutine(), n, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestServeWrite: with -write, a run whose claims hold writes reports/ as
// galley run does, byte for byte, without the preview's block.
func TestServeWrite(t *testing.T) {
	dir := newServeProject(t)
	script, err := echarts.Script()
	if err != nil {
		t.Fatal(err)
	}
	r := startServe(t, serveOptions{Root: dir, Files: []string{filepath.Join(dir, "analyses/a.yaml")}, Write: true, Script: script})
	if code := r.stop(); code != 0 {
		t.Fatalf("serve exited with %d:\n%s", code, r.stderr.String())
	}
	fresh := t.TempDir()
	var errOut bytes.Buffer
	if code := Main([]string{"run", "-root", dir, "-out", fresh, filepath.Join(dir, "analyses/a.yaml")}, io.Discard, &errOut); code != 0 {
		t.Fatal(errOut.String())
	}
	for _, f := range []string{"a.html", "a.sources.csv", "a.results.json"} {
		a, err1 := os.ReadFile(filepath.Join(dir, "reports", f))
		b, err2 := os.ReadFile(filepath.Join(fresh, f))
		if err1 != nil || err2 != nil {
			t.Fatalf("%v %v", err1, err2)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("reports/%s written by serve -write differs from galley run's", f)
		}
		if bytes.Contains(a, []byte("galley-serve")) {
			t.Errorf("reports/%s holds the preview's block", f)
		}
	}
}

// TestServeSignals runs galley serve as a process and stops it with
// SIGTERM and with SIGINT (Ctrl-C): it stops cleanly, exit status 0.
func TestServeSignals(t *testing.T) {
	bin, err := exec.LookPath("galley") // the test binary, as testscript put it on PATH
	if err != nil {
		t.Skip("no galley on PATH")
	}
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			dir := newServeProject(t)
			cmd := exec.Command(bin, "serve", "-port", "0")
			cmd.Dir = dir
			var stderr syncBuffer
			cmd.Stderr = &stderr
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			line, err := bufio.NewReader(out).ReadString('\n')
			if err != nil {
				cmd.Process.Kill()
				t.Fatalf("reading the address: %v\n%s", err, stderr.String())
			}
			url := strings.TrimSpace(line)
			if !strings.HasPrefix(url, "http://127.0.0.1:") {
				t.Errorf("stdout: %q, want the address on 127.0.0.1", line)
			}
			resp, err := http.Get(url + "a.html")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Errorf("GET a.html: %d", resp.StatusCode)
			}
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			select {
			case err := <-exited:
				if err != nil {
					t.Errorf("galley serve after %v: %v\n%s", sig, err, stderr.String())
				}
			case <-time.After(30 * time.Second):
				cmd.Process.Kill()
				t.Fatalf("galley serve still running 30 s after %v", sig)
			}
			if !strings.HasSuffix(stderr.String(), "galley serve: stopped\n") {
				t.Errorf("stderr:\n%s", stderr.String())
			}
			if _, err := net.Dial("tcp", strings.TrimSuffix(strings.TrimPrefix(url, "http://"), "/")); err == nil {
				t.Error("the port still answers")
			}
		})
	}
}

// TestServeUsage: flags and refusals.
func TestServeUsage(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"serve", "-port", "70000"}, 2, "galley serve: -port 70000: not a port (give 1 to 65535, or 0 for any free one)\n"},
		{[]string{"serve", "nope.yaml"}, 2, "galley: nope.yaml: no such analysis file\n"},
	} {
		var stderr bytes.Buffer
		if code := Main(c.args, io.Discard, &stderr); code != c.code || stderr.String() != c.want {
			t.Errorf("galley %s: exit %d, %q; want %d, %q", strings.Join(c.args, " "), code, stderr.String(), c.code, c.want)
		}
	}
	var stderr bytes.Buffer
	if code := Main([]string{"serve", "-h"}, io.Discard, &stderr); code != 0 || !strings.HasPrefix(stderr.String(), "Usage: galley serve [flags] [ANALYSIS...]\n") {
		t.Errorf("galley serve -h: %d\n%s", code, stderr.String())
	}
	// A port in use is refused with the way out.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	dir := newServeProject(t)
	stderr.Reset()
	code := serve(context.Background(), serveOptions{Root: dir, Files: []string{filepath.Join(dir, "analyses/a.yaml")}, Port: port}, io.Discard, &stderr)
	if want := fmt.Sprintf("galley serve: cannot listen on 127.0.0.1:%d: address already in use (another galley serve? give another port with -port, or -port 0 for any free one)\n", port); code != 1 || !strings.HasSuffix(stderr.String(), want) {
		t.Errorf("a port in use: exit %d\n%s\nwant the end:\n%s", code, stderr.String(), want)
	}
}
