package browsertest

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

// mapState is what the page draws of each map: the filled areas (paths
// filled with a colour the map's options give an area), the circles (paths
// filled with the points' colour) and the size of the report.
type mapState struct {
	ID      string `json:"id"`
	Areas   int    `json:"areas"`
	Circles int    `json:"circles"`
	Labels  int    `json:"labels"`
	Legend  int    `json:"legend"`
	Rows    int    `json:"rows"`
}

const mapStateJS = `(() => {
  const norm = c => { const d = document.createElement("div"); d.style.color = c; document.body.appendChild(d); const v = getComputedStyle(d).color; d.remove(); return v; };
  const out = [];
  for (const c of document.querySelectorAll(".chart.map")) {
    const opt = JSON.parse(c.getAttribute("data-echarts-options"));
    const s = opt.series[0];
    const areaColors = new Set();
    if (s.type === "map") { for (const d of s.data) areaColors.add(norm(d.itemStyle.areaColor)); }
    const pointColor = s.type === "scatter" ? norm(s.itemStyle.color) : null;
    let areas = 0, circles = 0;
    for (const p of c.querySelectorAll("svg path")) {
      const f = p.getAttribute("fill");
      if (!f || f === "none") continue;
      const col = norm(f);
      if (areaColors.has(col)) areas++;
      if (pointColor && col === pointColor) circles++;
    }
    const fig = c.closest("figure");
    out.push({id: fig.id, areas, circles,
      labels: c.querySelectorAll("svg text").length,
      legend: fig.querySelectorAll(".map-legend li").length,
      rows: fig.querySelectorAll("details.data tbody tr").length});
  }
  return out;
})()`

// TestBrowserMaps runs the examples with maps and opens their reports in
// Chromium with the network off: the US choropleths fill every state and
// the District of Columbia (48 or more areas, as issue 12 asks), the points
// maps draw one circle per row, the Mosul locator names its two cities,
// and nothing is requested but the page itself and data: URLs. It states
// each report's size, which must stay under 2.5 MB.
func TestBrowserMaps(t *testing.T) {
	chromiumPath(t)
	root := projectRoot(t)
	bin := buildGalley(t, root)
	project := t.TempDir()
	for _, dir := range []string{"analyses", "datasets"} {
		if err := os.CopyFS(filepath.Join(project, dir), os.DirFS(filepath.Join(root, dir))); err != nil {
			t.Fatal(err)
		}
	}
	for _, a := range []string{"analyses/us-states.yaml", "analyses/mosul-civilian-toll.yaml"} {
		run := exec.Command(bin, "run", a)
		run.Dir = project
		if out, err := run.CombinedOutput(); err != nil {
			t.Fatalf("galley run %s: %v\n%s", a, err, out)
		}
	}
	bctx := newBrowser(t)
	for _, c := range []struct {
		report string
		want   []mapState // areas and circles at least, the rest exactly
	}{
		{"us-states", []mapState{
			{Areas: 51, Legend: 1, Rows: 51},
			{Areas: 51, Legend: 4, Rows: 51},
			{Circles: 50, Legend: 2, Rows: 50},
		}},
		{"mosul-civilian-toll", []mapState{{Circles: 2, Labels: 2, Rows: 2}}},
	} {
		t.Run(c.report, func(t *testing.T) {
			path := filepath.Join(project, "reports", c.report+".html")
			info, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if info.Size() >= 2_500_000 {
				t.Errorf("%s.html is %d bytes; a report with a map stays under 2.5 MB", c.report, info.Size())
			}
			p := open(t, bctx, fileURL(path), 1200, 900, false)
			got := eval[[]mapState](t, p, mapStateJS)
			if len(got) != len(c.want) {
				t.Fatalf("%d maps, want %d", len(got), len(c.want))
			}
			for i, w := range c.want {
				g := got[i]
				b, _ := json.Marshal(g)
				if g.Areas < w.Areas || g.Circles < w.Circles || g.Legend != w.Legend || g.Rows != w.Rows || w.Labels > 0 && g.Labels != w.Labels {
					t.Errorf("map %d: %s, want %+v", i+1, b, w)
				}
				if w.Areas > 0 && g.Areas < 48 {
					t.Errorf("map %d fills %d areas; a map of the US states fills 48 or more", i+1, g.Areas)
				}
				t.Logf("map %d: %s", i+1, b)
			}
			p.checkQuiet(t)
			t.Logf("%s.html: %d bytes, %d requests, all file: or data:", c.report, info.Size(), len(p.requests))
		})
	}
}

// TestScreenshotMaps writes a picture of each map of the examples, as
// `make` built them in reports/, for the reporter's guide. It runs only
// with -screenshots=DIR (make screenshots).
func TestScreenshotMaps(t *testing.T) {
	if *screenshots == "" {
		t.Skip("no -screenshots=DIR given (make screenshots)")
	}
	chromiumPath(t)
	if err := os.MkdirAll(*screenshots, 0o755); err != nil {
		t.Fatal(err)
	}
	bctx := newBrowser(t)
	for _, r := range []struct {
		report string
		names  []string // one per map, in order
	}{
		{"us-states", []string{"map-continuous.png", "map-bins.png", "map-points.png"}},
		{"mosul-civilian-toll", []string{"map-locator.png"}},
	} {
		t.Run(r.report, func(t *testing.T) {
			report := filepath.Join(projectRoot(t), "reports", r.report+".html")
			if _, err := os.Stat(report); err != nil {
				t.Fatalf("%v: run `make` first", err)
			}
			p := open(t, bctx, fileURL(report), 900, 2400, false)
			p.checkQuiet(t)
			ids := eval[[]string](t, p, `[...document.querySelectorAll(".chart.map")].map(c => c.closest("figure").id)`)
			if len(ids) != len(r.names) {
				t.Fatalf("%d maps, want %d", len(ids), len(r.names))
			}
			for i, id := range ids {
				// The figure without its data table: title, legend, map, notes.
				eval[bool](t, p, `(document.querySelectorAll("details.data").forEach(d => d.style.display = "none"), true)`)
				png, err := chromedp.Run(p.ctx, chromedp.Screenshot("#"+id))
				if err != nil {
					t.Fatal(err)
				}
				out := filepath.Join(*screenshots, r.names[i])
				if err := os.WriteFile(out, png, 0o644); err != nil {
					t.Fatal(err)
				}
				t.Logf("wrote %s", out)
			}
		})
	}
}
