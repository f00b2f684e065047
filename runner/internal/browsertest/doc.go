// Package browsertest opens Galley's reports in a real browser (headless
// Chromium, driven through the DevTools protocol with chromedp) and checks
// what only a browser can show. It holds tests and nothing else.
//
// TestBrowserReports builds galley, runs every analysis of the project into
// a temporary directory and opens each report from file://, at 1,200 and
// at 375 CSS pixels wide (a phone). Every .chart element must hold a drawn
// SVG (or canvas); the console must stay free of errors, warnings and
// uncaught exceptions; the page must request nothing but file: and data:
// URLs; each chart must have its <details> data table; every tick of a
// value axis must read as Galley printed it; and document.title must be
// the analysis title. And no label may be unreadable (overlap_test.go):
// every text element of every chart's SVG is measured as drawn, its glyph
// box carried through its transforms (a slanted label is the slanted
// rectangle it fills) and cut to its clip paths; no two may cross by more
// than 1 px (the depth of the overlap of two convex boxes, by the
// separating axis theorem), none may pass the chart's edge by more than 1
// px, and none may end in the ellipsis ECharts puts where it truncated a
// label.
//
// TestBrowserOverlapDetects shows that this check fails when a label is
// made to collide: a label of the Mosul report moved onto another, one
// moved past the edge, and slanted labels drawn close and far, clipped and
// not.
//
// TestBrowserInjection writes a small project whose dataset cells and
// citation are script-injection payloads (</script>, <img onerror>, <svg
// onload>, {{ 7*7 }}, javascript:, attribute breakers), used as category
// labels, series names, pie slices, table cells and inline values. The
// report must run none of them (window.__pwned stays undefined, even with
// the charts' tooltips shown), hold exactly the three script elements the
// template writes, hold no img, svg[onload] or on* attribute, and show every
// payload as literal text, with {{ 7*7 }} never evaluated.
//
// TestBrowserServe runs `galley serve` on a copy of the Mosul example and
// keeps its report open while the analysis is edited on disk: the new value
// must show within 2 seconds of the save, at the same scroll position; a
// broken analysis must show the overlay naming its file, line and column
// with the line and a caret; fixed, the overlay must go. The browser
// reaches the server's address and nothing else.
//
// TestScreenshot, run only with -screenshots=DIR (make screenshots), writes
// screenshots of reports/mosul-civilian-toll.html at desktop (1200px) and
// phone (390px) widths to DIR.
//
// The browser runs headless with a fresh profile and no network: every
// request goes to a proxy that does not exist and every host name fails to
// resolve, and the tests record each request the page makes and fail on any
// that is not file: or data:. The tests need GALLEY_CHROMIUM, the path of a
// Chromium binary; without it they skip. `make test` (or `make browser`)
// installs Chromium when missing and sets it.
package browsertest
