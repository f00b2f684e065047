package browsertest

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

var screenshots = flag.String("screenshots", "", "write the documentation's screenshots of the example reports to this directory (make screenshots)")

// screenshotHeight is how much of the page, from the top, a screenshot shows.
const screenshotHeight = 2400

// TestScreenshot writes desktop and phone screenshots of the Mosul report,
// as `make` built it in reports/, for the README, and of single figures of
// the example reports for the reporter's guide (figures). It runs only
// with -screenshots=DIR.
func TestScreenshot(t *testing.T) {
	if *screenshots == "" {
		t.Skip("no -screenshots=DIR given (make screenshots)")
	}
	chromiumPath(t)
	report := filepath.Join(projectRoot(t), "reports", "mosul-civilian-toll.html")
	if _, err := os.Stat(report); err != nil {
		t.Fatalf("%v: run `make` first", err)
	}
	if err := os.MkdirAll(*screenshots, 0o755); err != nil {
		t.Fatal(err)
	}
	bctx := newBrowser(t)
	for _, s := range []struct {
		name   string
		width  int64
		mobile bool
	}{
		{"mosul-civilian-toll.png", 1200, false},
		{"mosul-civilian-toll-phone.png", 390, true},
	} {
		t.Run(s.name, func(t *testing.T) {
			// The viewport is as tall as the shot, so that the page lays out
			// once, at its final size, and the charts draw at their width.
			p := open(t, bctx, fileURL(report), s.width, screenshotHeight, s.mobile)
			p.checkQuiet(t)
			png, err := chromedp.Run(p.ctx, chromedp.CaptureScreenshot())
			if err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(*screenshots, s.name)
			if err := os.WriteFile(out, png, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("wrote %s (%dx%d)", out, s.width, screenshotHeight)
		})
	}
}

// figures are the figures of the example reports the reporter's guide
// shows: each the figure whose heading reads title, at a width.
var figures = []struct {
	report, title, name string
	width               int64
	mobile              bool
}{
	{"mosul-civilian-toll.html", "Independent counts against the acknowledged toll", "guide-mark-line.png", 760, false},
	{"mosul-civilian-toll.html", "Independent counts against the acknowledged toll", "guide-mark-line-phone.png", 375, true},
	{"mosul-civilian-toll.html", "The al-Jadida strike, 17 March 2017", "guide-mark-point.png", 760, false},
	{"feature-tour.html", "Requests by month", "guide-marks.png", 760, false},
	{"feature-tour.html", "Each category, month by month", "guide-facet.png", 760, false},
	{"feature-tour.html", "Districts, busiest for their size first.", "guide-table.png", 760, false},
	{"feature-tour.html", "Requests by year: dates truncated to the year print as years.", "guide-years.png", 760, false},
}

// TestScreenshotFigures writes the screenshots of figures.
func TestScreenshotFigures(t *testing.T) {
	if *screenshots == "" {
		t.Skip("no -screenshots=DIR given (make screenshots)")
	}
	chromiumPath(t)
	if err := os.MkdirAll(*screenshots, 0o755); err != nil {
		t.Fatal(err)
	}
	bctx := newBrowser(t)
	for _, f := range figures {
		t.Run(f.name, func(t *testing.T) {
			report := filepath.Join(projectRoot(t), "reports", f.report)
			if _, err := os.Stat(report); err != nil {
				t.Fatalf("%v: run `make` first", err)
			}
			p := open(t, bctx, fileURL(report), f.width, screenshotHeight, f.mobile)
			p.checkQuiet(t)
			find := fmt.Sprintf(`[...document.querySelectorAll("figure")].filter(f => { const h = f.querySelector("h3"); return h && h.textContent === %q; })`, f.title)
			nodes, err := chromedp.Run(p.ctx, chromedp.Nodes(chromedp.JSPath(find)))
			if err != nil || len(nodes) == 0 {
				t.Fatalf("no figure titled %q in %s: %v", f.title, f.report, err)
			}
			png, err := chromedp.Run(p.ctx, chromedp.ScreenshotNodes(nodes[:1], 1))
			if err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(*screenshots, f.name)
			if err := os.WriteFile(out, png, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("wrote %s", out)
		})
	}
}
