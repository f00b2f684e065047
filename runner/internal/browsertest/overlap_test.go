package browsertest

import (
	"fmt"
	"strings"
	"testing"
)

// The widths every report is checked at: a desktop browser, and a phone
// (an iPhone SE or mini is 375 CSS pixels wide).
var widths = []struct {
	width  int64
	mobile bool
}{{1200, false}, {375, true}}

// overlapSlack is how far, in CSS pixels, two labels may cross (or a label
// pass the chart's edge) before it counts: anti-aliasing and the rounding of
// glyph boxes.
const overlapSlack = 1

// textProblem is one label that a reader cannot read whole.
type textProblem struct {
	Chart string  `json:"chart"`
	Kind  string  `json:"kind"` // "overlap", "cut" or "truncated"
	A     string  `json:"a"`
	B     string  `json:"b"`     // the other label, for an overlap
	Depth float64 `json:"depth"` // how far they cross, or how far past the edge, in px
}

func (p textProblem) String() string {
	switch p.Kind {
	case "cut":
		return fmt.Sprintf("chart #%s: label %q is cut off by the chart's edge (%.1f px past it)", p.Chart, p.A, p.Depth)
	case "truncated":
		return fmt.Sprintf("chart #%s: label %q is truncated (ends in an ellipsis): its text cannot be read whole", p.Chart, p.A)
	}
	return fmt.Sprintf("chart #%s: labels %q and %q overlap by %.1f px", p.Chart, p.A, p.B, p.Depth)
}

// textCheck is what textJS finds in a page: the labels it measured and the
// problems among them.
type textCheck struct {
	Charts   int           `json:"charts"`
	Texts    int           `json:"texts"`
	Problems []textProblem `json:"problems"`
}

// textJS measures every text element of every chart's SVG as the browser
// draws it: its glyph box (getBBox) carried through its transforms to the
// screen (getScreenCTM), so that a rotated label is the rotated rectangle
// it fills, and cut to the clip paths it is drawn through. Two labels
// overlap when their boxes, so drawn, cross by more than the slack (the
// depth is the least distance that would part them: the separating axis
// theorem on the two convex boxes); a label is cut off when its box passes
// the edge of the chart's SVG by more than the slack; it is truncated when
// it ends in the ellipsis ECharts puts where it shortened a label that did
// not fit. Labels that are not
// drawn (display none, hidden, transparent, clipped away, empty) are not
// measured.
const textJS = `((slack) => {
  const out = {charts: 0, texts: 0, problems: []};
  const dot = (p, q) => p.x * q.x + p.y * q.y;
  const area = (poly) => {
    let a = 0;
    for (let i = 0; i < poly.length; i++) {
      const p = poly[i], q = poly[(i + 1) % poly.length];
      a += p.x * q.y - q.x * p.y;
    }
    return a / 2;
  };
  // The box of a rectangle {x, y, width, height} in user space of an
  // element whose matrix to the screen is m, as a polygon on the screen.
  const quad = (b, m) => {
    const pt = (x, y) => ({x: m.a * x + m.c * y + m.e, y: m.b * x + m.d * y + m.f});
    return [pt(b.x, b.y), pt(b.x + b.width, b.y), pt(b.x + b.width, b.y + b.height), pt(b.x, b.y + b.height)];
  };
  // Both polygons counter-clockwise on the screen (y down: area < 0 means
  // counter-clockwise as drawn), so that clipping knows inside from out.
  const orient = (poly) => area(poly) > 0 ? poly.slice().reverse() : poly;
  // Sutherland-Hodgman: the part of poly inside the convex polygon clip.
  const clipTo = (poly, clip) => {
    clip = orient(clip);
    let res = orient(poly);
    for (let i = 0; i < clip.length && res.length; i++) {
      const a = clip[i], b = clip[(i + 1) % clip.length];
      const side = (p) => (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x);
      const input = res;
      res = [];
      for (let j = 0; j < input.length; j++) {
        const p = input[j], q = input[(j + 1) % input.length];
        const sp = side(p), sq = side(q);
        if (sp <= 0) res.push(p);
        if ((sp < 0 && sq > 0) || (sp > 0 && sq < 0)) {
          const t = sp / (sp - sq);
          res.push({x: p.x + t * (q.x - p.x), y: p.y + t * (q.y - p.y)});
        }
      }
    }
    return res;
  };
  // How far two convex polygons cross: the least overlap of their
  // projections on the normals of their edges; 0 when they do not meet.
  const depth = (p, q) => {
    let least = Infinity;
    for (const poly of [p, q]) {
      for (let i = 0; i < poly.length; i++) {
        const a = poly[i], b = poly[(i + 1) % poly.length];
        const len = Math.hypot(b.x - a.x, b.y - a.y);
        if (len < 1e-6) continue;
        const n = {x: -(b.y - a.y) / len, y: (b.x - a.x) / len};
        let pmin = Infinity, pmax = -Infinity, qmin = Infinity, qmax = -Infinity;
        for (const v of p) { const d = dot(v, n); pmin = Math.min(pmin, d); pmax = Math.max(pmax, d); }
        for (const v of q) { const d = dot(v, n); qmin = Math.min(qmin, d); qmax = Math.max(qmax, d); }
        const o = Math.min(pmax, qmax) - Math.max(pmin, qmin);
        if (o <= 0) return 0;
        least = Math.min(least, o);
      }
    }
    return least === Infinity ? 0 : least;
  };
  const drawn = (el, svg) => {
    let opacity = 1;
    for (let n = el; n && n !== svg.parentNode; n = n.parentNode) {
      const s = getComputedStyle(n);
      if (s.display === "none") return false;
      opacity *= parseFloat(s.opacity);
    }
    const s = getComputedStyle(el);
    if (s.visibility !== "visible" || s.fill === "none" || parseFloat(s.fillOpacity) === 0 && (s.stroke === "none" || parseFloat(s.strokeOpacity) === 0)) return false;
    if (/rgba\([^)]*,\s*0\)$/.test(s.fill) && (s.stroke === "none" || /rgba\([^)]*,\s*0\)$/.test(s.stroke))) return false;
    return opacity > 0.01 && el.textContent.trim() !== "";
  };
  // The clip paths a text is drawn through, as polygons on the screen: a
  // clip path's shapes are in the user space of the element it clips.
  const clips = (el, svg) => {
    const out = [];
    for (let n = el; n && n !== svg; n = n.parentNode) {
      const ref = n.getAttribute && n.getAttribute("clip-path");
      const m = ref && /url\(["']?#([^"')]+)["']?\)/.exec(ref);
      if (!m) continue;
      const cp = svg.querySelector("clipPath[id='" + CSS.escape(m[1]) + "']") || document.getElementById(m[1]);
      if (!cp) continue;
      const ctm = n.getScreenCTM();
      for (const shape of cp.children) {
        let mm = ctm;
        const tl = shape.transform && shape.transform.baseVal.consolidate();
        if (tl) mm = ctm.multiply(tl.matrix);
        out.push(quad(shape.getBBox(), mm));
      }
    }
    return out;
  };
  for (const chart of document.querySelectorAll(".chart")) {
    const svg = chart.querySelector("svg");
    if (!svg) continue;
    if (!chart.classList.contains("map")) out.charts++; // a map may draw no text at all
    const fig = chart.closest("figure");
    const id = fig ? fig.id : "";
    const edge = svg.getBoundingClientRect();
    const edgePoly = [{x: edge.left, y: edge.top}, {x: edge.right, y: edge.top}, {x: edge.right, y: edge.bottom}, {x: edge.left, y: edge.bottom}];
    const texts = [];
    for (const el of svg.querySelectorAll("text")) {
      if (!drawn(el, svg)) continue;
      const b = el.getBBox(), m = el.getScreenCTM();
      if (!m || b.width <= 0 || b.height <= 0) continue;
      let poly = quad(b, m);
      for (const c of clips(el, svg)) poly = clipTo(poly, c);
      if (poly.length < 3 || Math.abs(area(poly)) < 1) continue;
      texts.push({el, poly, text: el.textContent});
    }
    out.texts += texts.length;
    for (const t of texts) {
      // How far the label passes the edge: the largest distance of a
      // corner outside the chart's rectangle.
      let past = 0;
      for (const v of t.poly) {
        past = Math.max(past, edge.left - v.x, v.x - edge.right, edge.top - v.y, v.y - edge.bottom);
      }
      if (past > slack) out.problems.push({chart: id, kind: "cut", a: t.text, b: "", depth: Math.round(past * 10) / 10});
      // ECharts shortens a label that overflows its width with "...".
      if (/(\.\.\.|\u2026)$/.test(t.text.trim())) out.problems.push({chart: id, kind: "truncated", a: t.text, b: "", depth: 0});
    }
    for (let i = 0; i < texts.length; i++) {
      for (let j = i + 1; j < texts.length; j++) {
        const d = depth(texts[i].poly, texts[j].poly);
        if (d > slack) out.problems.push({chart: id, kind: "overlap", a: texts[i].text, b: texts[j].text, depth: Math.round(d * 10) / 10});
      }
    }
  }
  return out;
})(SLACK)`

// measureText measures the labels of the page's charts.
func measureText(t *testing.T, p *page) textCheck {
	t.Helper()
	return eval[textCheck](t, p, strings.Replace(textJS, "SLACK", fmt.Sprint(overlapSlack), 1))
}

// checkText fails the test for every label of the page's charts that
// overlaps another or is cut off by the chart's edge.
func checkText(t *testing.T, p *page, width int64) textCheck {
	t.Helper()
	tc := measureText(t, p)
	for _, pr := range tc.Problems {
		t.Errorf("%s at %d px: %s", p.url, width, pr)
	}
	if tc.Charts > 0 && tc.Texts == 0 {
		t.Errorf("%s at %d px: %d charts and no label measured: the check is measuring nothing", p.url, width, tc.Charts)
	}
	return tc
}

// problemsText lists problems one a line, for a message.
func problemsText(ps []textProblem) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString("\n\t" + p.String())
	}
	return b.String()
}

// moveJS moves a label of the report's first chart (not a map) as drawn, by a transform on its element:
// the label at index from onto the one at index to (to >= 0), or past the
// chart's left edge (to < 0). It returns the texts of the two labels.
const moveJS = `((from, to) => {
  const svg = document.querySelector(".chart:not(.map) svg");
  const texts = Array.from(svg.querySelectorAll("text")).filter(t => t.textContent.trim() !== "" && t.getBBox().width > 0);
  const a = texts[from], ra = a.getBoundingClientRect();
  let dx, dy, other = "";
  if (to >= 0) {
    const b = texts[to], rb = b.getBoundingClientRect();
    dx = rb.left - ra.left + 2; dy = rb.top - ra.top + 1; other = b.textContent;
  } else {
    dx = svg.getBoundingClientRect().left - ra.right + 10; dy = 0;
  }
  a.setAttribute("transform", "translate(" + dx + " " + dy + ") " + (a.getAttribute("transform") || ""));
  return [a.textContent, other];
})`

// drawJS adds two labels to the SVG of the report's first chart (not a map), each rotated by 45°, the
// second the distance gap below the first across their baselines, and
// optionally clips the second to a rectangle that leaves out where they
// would meet. Their unrotated boxes (what getBoundingClientRect gives)
// overlap however far apart they are drawn.
const drawJS = `((gap, clip) => {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.querySelector(".chart:not(.map) svg");
  for (const el of svg.querySelectorAll(".galley-test")) el.remove();
  const mk = (text, dy) => {
    const t = document.createElementNS(ns, "text");
    t.setAttribute("class", "galley-test");
    t.setAttribute("x", "0");
    t.setAttribute("y", String(dy));
    t.setAttribute("font-size", "12");
    t.setAttribute("font-family", "sans-serif");
    t.textContent = text;
    const g = document.createElementNS(ns, "g");
    g.setAttribute("class", "galley-test");
    g.setAttribute("transform", "translate(120 120) rotate(-45)");
    g.appendChild(t);
    return g;
  };
  svg.appendChild(mk("first slanted label", 0));
  const second = mk("second slanted label", gap);
  if (clip) {
    const defs = document.createElementNS(ns, "clipPath");
    defs.setAttribute("id", "galley-test-clip");
    defs.setAttribute("class", "galley-test");
    const r = document.createElementNS(ns, "rect");
    r.setAttribute("x", "-10"); r.setAttribute("y", String(gap - 4)); r.setAttribute("width", "400"); r.setAttribute("height", "40");
    defs.appendChild(r);
    svg.appendChild(defs);
    second.firstChild.setAttribute("clip-path", "url(#galley-test-clip)");
  }
  svg.appendChild(second);
  return true;
})`

// TestBrowserOverlapDetects shows that the label check fails when a label
// is made to collide: it opens the Mosul report, whose labels pass, moves a
// label onto another and one past the chart's edge, and draws slanted and
// clipped labels whose boxes, as drawn, cross or do not.
func TestBrowserOverlapDetects(t *testing.T) {
	chromiumPath(t)
	out := runExamples(t, projectRoot(t))
	report := fileURL(out + "/mosul-civilian-toll.html")
	bctx := newBrowser(t)
	p := open(t, bctx, report, 1200, 900, false)
	if tc := measureText(t, p); len(tc.Problems) != 0 || tc.Texts == 0 {
		t.Fatalf("before any label is moved: %d labels, problems:%s", tc.Texts, problemsText(tc.Problems))
	}

	// A label moved onto another: one overlap, naming both.
	moved := eval[[]string](t, p, moveJS+"(0, 1)")
	tc := measureText(t, p)
	found := false
	for _, pr := range tc.Problems {
		if pr.Kind == "overlap" && (pr.A == moved[0] && pr.B == moved[1] || pr.A == moved[1] && pr.B == moved[0]) && pr.Depth > overlapSlack {
			found = true
		}
	}
	if !found {
		t.Errorf("label %q moved onto %q: not reported; problems:%s", moved[0], moved[1], problemsText(tc.Problems))
	}

	// A label moved past the chart's left edge: cut off.
	p = open(t, bctx, report, 1200, 900, false)
	moved = eval[[]string](t, p, moveJS+"(2, -1)")
	tc = measureText(t, p)
	found = false
	for _, pr := range tc.Problems {
		if pr.Kind == "cut" && pr.A == moved[0] {
			found = true
		}
	}
	if !found {
		t.Errorf("label %q moved past the edge: not reported; problems:%s", moved[0], problemsText(tc.Problems))
	}

	// Slanted labels are measured as drawn: 18 px apart across their
	// baselines they do not touch, though their upright boxes overlap; 8 px
	// apart they do. Clipped to what does not meet, they do not.
	p = open(t, bctx, report, 1200, 900, false)
	for _, c := range []struct {
		gap     int
		clip    bool
		overlap bool
	}{{18, false, false}, {8, false, true}, {8, true, false}} {
		eval[bool](t, p, fmt.Sprintf("%s(%d, %v)", drawJS, c.gap, c.clip))
		tc := measureText(t, p)
		got := false
		for _, pr := range tc.Problems {
			if pr.Kind == "overlap" && strings.Contains(pr.A+pr.B, "slanted label") {
				got = true
			}
		}
		if got != c.overlap {
			t.Errorf("slanted labels %d px apart (clipped %v): overlap reported %v, want %v; problems:%s", c.gap, c.clip, got, c.overlap, problemsText(tc.Problems))
		}
	}
}
