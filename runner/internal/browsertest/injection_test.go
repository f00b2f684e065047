package browsertest

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// payloads are dataset cells that would run script, or be evaluated, if a
// report ever put data into the page as markup or as a template.
var payloads = []string{
	`</script><script>window.__pwned=1</script>`,
	`<img src=x onerror="window.__pwned=1">`,
	`"><svg onload="window.__pwned=1">`,
	`{{ 7*7 }}`,
	`javascript:window.__pwned=1`,
	`</textarea><script>window.__pwned=1</script>`,
	`' onmouseover='window.__pwned=1`,
}

// templateScripts is how many script elements page.html.tmpl writes in a
// report with charts: the ld+json metadata, the inlined ECharts build and
// the script that draws the charts.
const templateScripts = 3

// yq quotes s as a single-quoted YAML scalar.
func yq(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// evilProject writes a project whose dataset and citation are payloads, and
// returns its root.
func evilProject(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	for _, d := range []string{"datasets", "analyses"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}

	// One row per payload: the payload is the category label, another
	// payload the series name. n avoids 49 so that a 7*7 evaluated would show.
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write([]string{"id", "label", "grp", "n"})
	for i, p := range payloads {
		w.Write([]string{fmt.Sprint(i + 1), p, payloads[(i+3)%len(payloads)], fmt.Sprint(i + 2)})
	}
	w.Flush()
	if err := os.WriteFile(filepath.Join(root, "datasets", "evil.csv"), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}

	var md strings.Builder
	md.WriteString("      First label: {{ first(evil_view).label }}. First series: {{ first(evil_view).grp }}.\n\n")
	for i := range payloads {
		fmt.Fprintf(&md, "      - Row %d: {{ first(filter(evil_view, .id == %d)).label }}\n", i+1, i+1)
	}
	md.WriteString("\n      The value named first_label: {{ first_label }}.\n")

	a := `title: "Galley injection fixture"
dek: "Every string cell of the dataset is an injection payload."
date: 2026-01-01

datasets:
  evil:
    path: datasets/evil.csv
    source:
      title: ` + yq(payloads[0]) + `
      publisher: ` + yq(payloads[1]) + `
      author: ` + yq(payloads[2]) + `
      published: 2026-01-01
      accessed: 2026-01-02
      license: ` + yq(payloads[5]+" "+payloads[6]) + `
      note: ` + yq(payloads[3]+" "+payloads[4]) + `
    columns:
      id: {type: int, required: true}
      label: string
      grp: string
      n: int

views:
  evil_view:
    from: evil
    order_by: [id]

values:
  first_label: first(evil_view).label

body:
  - md: |
` + md.String() + `
  - chart:
      type: bar
      data: evil_view
      x: label
      series: grp
      y: [n]
      title: "Bars labelled and named by the payloads"
  - chart:
      type: pie
      data: evil_view
      x: label
      y: [n]
      title: "Slices named by the payloads"
  - table: evil_view
`
	if err := os.WriteFile(filepath.Join(root, "analyses", "evil.yaml"), []byte(a), 0o644); err != nil {
		t.Fatal(err)
	}
	return root
}

// injectionState is what the page says about scripts, markup and text.
type injectionState struct {
	Pwned         string   `json:"pwned"`
	Scripts       int      `json:"scripts"`
	ScriptTypes   []string `json:"scriptTypes"`
	Imgs          int      `json:"imgs"`
	SVGOnload     int      `json:"svgOnload"`
	OnAttrs       []string `json:"onAttrs"`
	JSLinks       []string `json:"jsLinks"`
	Text          string   `json:"text"`
	TextNo49      string   `json:"textNo49"`
	ChartText     string   `json:"chartText"`
	Tooltips      []string `json:"tooltips"`
	TooltipMarkup int      `json:"tooltipMarkup"`
	PwnedAfterTip string   `json:"pwnedAfterTip"`
}

const injectionJS = `(async () => {
  const out = {};
  out.pwned = typeof window.__pwned;
  const scripts = document.querySelectorAll("script");
  out.scripts = scripts.length;
  out.scriptTypes = Array.from(scripts, s => s.type || "(classic)");
  out.imgs = document.querySelectorAll("img").length;
  out.svgOnload = document.querySelectorAll("svg[onload]").length;
  const describe = el => {
    const where = el.closest(".chart") ? "inside a chart" : "outside the charts";
    return el.tagName.toLowerCase() + " " + where + ": " + el.outerHTML.slice(0, 160);
  };
  out.onAttrs = [];
  for (const el of document.querySelectorAll("*")) {
    for (const a of el.attributes) {
      if (/^on/i.test(a.name)) out.onAttrs.push(a.name + " on " + describe(el));
    }
  }
  out.jsLinks = Array.from(document.querySelectorAll("[href], [src], [action], [formaction]"))
    .filter(el => /^\s*javascript:/i.test(el.getAttribute("href") || el.getAttribute("src") || el.getAttribute("action") || el.getAttribute("formaction") || ""))
    .map(describe);
  out.text = document.body.innerText;
  // The page's text but for the analysis listing (its line numbers), the
  // sha256 hashes and the footer (the analysis path, a temporary directory),
  // where 49 may occur for other reasons.
  const clone = document.body.cloneNode(true);
  for (const el of clone.querySelectorAll("#computation, code.hash, footer, script, style")) el.remove();
  out.textNo49 = clone.textContent;
  out.chartText = Array.from(document.querySelectorAll(".chart svg"), s => s.textContent).join("\n");

  // Show a tooltip on every data point: ECharts writes tooltips as HTML.
  out.tooltips = [];
  out.tooltipMarkup = 0;
  for (const el of document.querySelectorAll(".chart")) {
    const chart = echarts.getInstanceByDom(el);
    const series = chart.getOption().series;
    for (let s = 0; s < series.length; s++) {
      for (let d = 0; d < series[s].data.length; d++) {
        if (series[s].data[d] == null || series[s].data[d].value == null) continue;
        chart.dispatchAction({type: "showTip", seriesIndex: s, dataIndex: d});
        await new Promise(r => setTimeout(r, 0));
        for (const tip of el.querySelectorAll("div")) {
          if (tip.style.position === "absolute" && tip.innerText.trim() !== "") {
            out.tooltips.push(tip.innerText);
            out.tooltipMarkup += tip.querySelectorAll("img, svg, script, iframe, textarea, [onload], [onerror], [onmouseover]").length;
          }
        }
      }
    }
    chart.dispatchAction({type: "hideTip"});
  }
  await new Promise(r => setTimeout(r, 100));
  out.pwnedAfterTip = typeof window.__pwned;
  return out;
})()`

// TestBrowserInjection renders a dataset of injection payloads and checks
// in the browser that none of them runs and all of them show as text.
func TestBrowserInjection(t *testing.T) {
	chromiumPath(t)
	realRoot := projectRoot(t)
	bin := buildGalley(t, realRoot)
	root := evilProject(t)
	galley(t, bin, "pin", "-root", root)
	out := t.TempDir()
	galley(t, bin, "run", "-root", root, "-out", out)
	checkInjection(t, newBrowser(t), filepath.Join(out, "evil.html"))
}

// checkInjection opens the report of the payload project and checks that
// no payload ran or became markup, and that each shows as text.
func checkInjection(t *testing.T, bctx context.Context, report string) {
	t.Helper()
	p := open(t, bctx, fileURL(report), 1200, 900, false)
	st := eval[chartState](t, p, chartStateJS)
	if st.Figures != 2 {
		t.Fatalf("%s: %d charts, want 2", p.url, st.Figures)
	}
	checkCharts(t, p, st)
	in := eval[injectionState](t, p, injectionJS)

	if in.Pwned != "undefined" {
		t.Errorf("window.__pwned is %s after load: a payload ran", in.Pwned)
	}
	if in.PwnedAfterTip != "undefined" {
		t.Errorf("window.__pwned is %s after showing the tooltips: a payload ran", in.PwnedAfterTip)
	}
	if in.Scripts != templateScripts {
		t.Errorf("%d script elements (%v), want the template's %d: data became a script", in.Scripts, in.ScriptTypes, templateScripts)
	}
	if in.Imgs != 0 {
		t.Errorf("%d img elements, want none", in.Imgs)
	}
	if in.SVGOnload != 0 {
		t.Errorf("%d svg[onload] elements, want none", in.SVGOnload)
	}
	for _, a := range in.OnAttrs {
		t.Errorf("event-handler attribute: %s", a)
	}
	for _, l := range in.JSLinks {
		t.Errorf("javascript: URL: %s", l)
	}
	for _, pl := range payloads {
		// innerText shows what a reader sees: the payload as literal text.
		if n := strings.Count(in.Text, pl); n < 3 {
			t.Errorf("payload %q shows %d times as visible text, want at least 3 (table cell, inline value, series or citation)", pl, n)
		}
	}
	if strings.Contains(in.TextNo49, "49") {
		i := strings.Index(in.TextNo49, "49")
		t.Errorf("the page's text holds 49, as if {{ 7*7 }} had been evaluated: …%s…", in.TextNo49[max(0, i-80):min(len(in.TextNo49), i+20)])
	}
	if !strings.Contains(in.ChartText, "<img src=x onerror=") && !strings.Contains(in.ChartText, "</script><script>") {
		t.Errorf("no payload drawn as text in the charts' svg (legend, labels); chart text:\n%s", in.ChartText)
	}
	if len(in.Tooltips) == 0 {
		t.Error("no tooltip was shown")
	}
	if in.TooltipMarkup != 0 {
		t.Errorf("tooltips hold %d elements made from the data", in.TooltipMarkup)
	}
	tips := strings.Join(in.Tooltips, "\n")
	for _, pl := range payloads {
		if !strings.Contains(tips, pl) {
			t.Errorf("no tooltip shows the payload %q as text; tooltips:\n%s", pl, tips)
		}
	}
	p.checkQuiet(t)
	if t.Failed() {
		return
	}
	t.Logf("%d payloads shown as text in %d tooltips, tables, inline values and the citation; none ran", len(payloads), len(in.Tooltips))
}
