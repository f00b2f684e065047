package browsertest

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

var screenshots = flag.String("screenshots", "", "write screenshots of reports/mosul-civilian-toll.html to this directory (make screenshots)")

// screenshotHeight is how much of the page, from the top, a screenshot shows.
const screenshotHeight = 2400

// TestScreenshot writes desktop and phone screenshots of the Mosul report,
// as `make` built it in reports/, for the documentation. It runs only with
// -screenshots=DIR.
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
