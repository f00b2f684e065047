package chart

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/go-echarts/go-echarts/v2/types"

	"galley/runner/internal/analysis"
	"galley/runner/internal/table"
	"galley/runner/internal/value"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

type golden struct {
	name  string
	chart func() *analysis.Chart
	table func() *table.Table
}

// goldenDrawing is what a golden file holds of a Drawing: everything, the
// formats written as text.
type goldenDrawing struct {
	Height       int          `json:"height,omitempty"`
	NarrowHeight int          `json:"narrowHeight,omitempty"`
	Legend       []LegendItem `json:"legend,omitempty"`
	Columns      []struct {
		Label  string            `json:"label"`
		Format string            `json:"format,omitempty"`
		Names  map[string]string `json:"names,omitempty"`
	} `json:"columns"`
	Panels []struct {
		Title   string          `json:"title,omitempty"`
		Options json.RawMessage `json:"options"`
		Narrow  json.RawMessage `json:"narrow,omitempty"`
	} `json:"panels"`
}

func goldenOf(d *Drawing) goldenDrawing {
	g := goldenDrawing{Height: d.Height, NarrowHeight: d.NarrowHeight, Legend: d.Legend}
	for _, c := range d.Columns {
		g.Columns = append(g.Columns, struct {
			Label  string            `json:"label"`
			Format string            `json:"format,omitempty"`
			Names  map[string]string `json:"names,omitempty"`
		}{c.Label, c.Format.String(), c.Names})
	}
	for _, p := range d.Panels {
		g.Panels = append(g.Panels, struct {
			Title   string          `json:"title,omitempty"`
			Options json.RawMessage `json:"options"`
			Narrow  json.RawMessage `json:"narrow,omitempty"`
		}{p.Title, p.Options, p.Narrow})
	}
	return g
}

func goldens() []golden {
	return []golden{
		{"bar", func() *analysis.Chart {
			c := cell("bar", "counter", "low", "high")
			c.Title = str("Civilian deaths in Mosul, by who counted", 45, 14)
			c.Subtitle = str("Low and high estimates", 46, 17)
			c.YLabel = str("Deaths", 47, 16)
			return c
		}, mosul},
		{"bar_stacked", func() *analysis.Chart {
			c := cell("bar", "counter", "low", "high")
			c.Title = str("Stacked", 45, 14)
			c.Stack = true
			return c
		}, mosul},
		{"bar_horizontal", func() *analysis.Chart {
			c := cell("bar", "counter", "low")
			c.Horizontal = true
			c.Unit = str("deaths", 45, 13)
			c.Format = str("0,0", 46, 15)
			c.XLabel = str("Who counted", 47, 16)
			return c
		}, mosul},
		{"bar_percent", func() *analysis.Chart {
			c := cell("bar", "counter", "share")
			c.Format = str("0.0%", 45, 15)
			return c
		}, mosul},
		{"line_time_series", func() *analysis.Chart {
			c := cell("line", "month", "deaths")
			c.Series = ref("counter", 45, 15)
			c.Title = str("Deaths by month", 46, 14)
			return c
		}, monthly},
		{"area_stacked", func() *analysis.Chart {
			c := cell("area", "month", "deaths")
			c.Series = ref("counter", 45, 15)
			c.Stack = true
			return c
		}, monthly},
		{"scatter", func() *analysis.Chart {
			c := cell("scatter", "low", "high")
			c.Title = str("High against low estimate", 45, 14)
			return c
		}, mosul},
		{"scatter_series", func() *analysis.Chart {
			c := cell("scatter", "rate", "deaths")
			c.Series = ref("counter", 45, 15)
			return c
		}, monthly},
		{"bar_long", func() *analysis.Chart {
			c := cell("bar", "region", "share")
			c.Series = ref("party", 45, 15)
			c.Format = str("0%", 46, 15)
			c.YLabel = str("Vote share", 47, 16)
			return c
		}, votes},
		{"pie", func() *analysis.Chart {
			c := cell("pie", "counter", "low")
			c.Title = str("Share of the low estimates", 45, 14)
			return c
		}, mosul},
		{"bar_labels_formats", func() *analysis.Chart {
			c := cell("bar", "counter", "low", "high")
			c.Labels = []analysis.Label{entry("low", "Low count", 45, 15), entry("US military", "US military (acknowledged)", 45, 30)}
			c.Formats = []analysis.Label{entry("low", "$0,0", 46, 15), entry("high", "$0,0.00", 46, 25)}
			return c
		}, mosul},
		{"bar_years", func() *analysis.Chart {
			c := cell("bar", "year", "deaths")
			c.Marks = []*analysis.Mark{{Pos: pos(47, 9), X: scalar("2019", "!!int", 47, 13), Label: str("Peak", 47, 26)}}
			return c
		}, years},
		{"line_marks", func() *analysis.Chart {
			c := cell("line", "month", "deaths")
			c.Series = ref("counter", 45, 15)
			c.Labels = []analysis.Label{entry("AP", "Associated Press", 46, 15)}
			c.Marks = []*analysis.Mark{
				{Pos: pos(47, 9), X: scalar("strike_day", "!!str", 47, 13), Label: str("A strike", 47, 26)},
				{Pos: pos(48, 9), Y: scalar("acknowledged", "!!str", 48, 13), Label: str("Acknowledged", 48, 26)},
				{Pos: pos(49, 9), X: scalar("2017-03-01", "!!timestamp", 49, 13), Y: scalar("2100", "!!int", 49, 20), Label: str("Peak", 49, 30)},
			}
			return c
		}, monthly},
		{"facet", func() *analysis.Chart {
			c := cell("area", "month", "deaths")
			c.Facet = ref("counter", 45, 15)
			c.Height = analysis.Int{Value: 200, Pos: pos(46, 15), Set: true}
			c.Labels = []analysis.Label{entry("Airwars", "Airwars monitor", 47, 15)}
			return c
		}, monthly},
		{"yearly_dates", func() *analysis.Chart {
			c := cell("line", "start", "deaths")
			c.Formats = []analysis.Label{entry("deaths", "0,0 people", 45, 15)}
			return c
		}, yearly},
	}
}

func entry(key, text string, line, col int) analysis.Label {
	return analysis.Label{Key: key, KeyPos: pos(line, col), Text: str(text, line, col+len(key)+2)}
}

func scalar(text, tag string, line, col int) analysis.Scalar {
	return analysis.Scalar{Text: text, Tag: tag, Pos: pos(line, col), Set: true}
}

// TestGolden compares the options of each chart type with testdata/NAME.json
// (indented for review; the bytes Options returns are compact). Run
// `go test ./runner/internal/chart -update` to rewrite them.
func TestGolden(t *testing.T) {
	for _, g := range goldens() {
		t.Run(g.name, func(t *testing.T) {
			d, err := draw(g.chart(), g.table(), "c_"+g.name)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range d.Panels {
				checkSafe(t, p.Options)
				if p.Narrow != nil {
					checkSafe(t, p.Narrow)
				}
			}
			out, err := json.Marshal(goldenOf(d))
			if err != nil {
				t.Fatal(err)
			}
			var ind bytes.Buffer
			if err := json.Indent(&ind, out, "", "  "); err != nil {
				t.Fatal(err)
			}
			ind.WriteByte('\n')
			path := filepath.Join("testdata", g.name+".json")
			if *update {
				if err := os.WriteFile(path, ind.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(ind.Bytes(), want) {
				t.Errorf("options differ from %s (run go test -update and review the diff):\n%s", path, ind.Bytes())
			}
		})
	}
}

// checkSafe asserts what the page relies on: no raw <, >, & and hence no
// "</", no JS function markers, valid JSON.
func checkSafe(t *testing.T, out []byte) {
	t.Helper()
	for _, bad := range []string{"<", ">", "&", "__f__"} {
		if bytes.Contains(out, []byte(bad)) {
			t.Errorf("output holds %q", bad)
		}
	}
	if !json.Valid(out) {
		t.Errorf("output is not valid JSON")
	}
}

// TestNoNullOption: a null in the options is a gap in a series's data and
// nothing else. Elsewhere ECharts keeps a key that is present, null or
// not, over its default: go-echarts writes some fields even when unset
// (opts.AxisLabel's showMinLabel and showMaxLabel), and a null there would
// label the ends of a time axis, which ECharts leaves unlabelled.
func TestNoNullOption(t *testing.T) {
	for _, g := range goldens() {
		d, err := draw(g.chart(), g.table(), "c_"+g.name)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range d.Panels {
			for _, raw := range []json.RawMessage{p.Options, p.Narrow} {
				if raw != nil {
					noNull(t, g.name, "", decode(t, raw))
				}
			}
		}
	}
}

func noNull(t *testing.T, chart, path string, v any) {
	t.Helper()
	switch x := v.(type) {
	case nil:
		t.Errorf("%s: %s is null", chart, path)
	case map[string]any:
		for k, e := range x {
			if k == "data" && strings.HasPrefix(path, ".series") {
				continue // a null point is a gap
			}
			noNull(t, chart, path+"."+k, e)
		}
	case []any:
		for i, e := range x {
			noNull(t, chart, fmt.Sprintf("%s[%d]", path, i), e)
		}
	}
}

func decode(t *testing.T, out []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(out, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestDeterministic(t *testing.T) {
	for _, g := range goldens() {
		var first [32]byte
		for i := 0; i < 20; i++ {
			d, err := draw(g.chart(), g.table(), "c_"+g.name)
			if err != nil {
				t.Fatal(err)
			}
			out, _ := json.Marshal(goldenOf(d))
			sum := sha256.Sum256(out)
			if i == 0 {
				first = sum
			} else if sum != first {
				t.Fatalf("%s: run %d gave different bytes", g.name, i+1)
			}
		}
	}
}

func TestCommonOptions(t *testing.T) {
	out, err := build(goldens()[0].chart(), mosul(), "c1")
	if err != nil {
		t.Fatal(err)
	}
	m := decode(t, out)
	if m["animation"] != false {
		t.Errorf("animation = %v, want false", m["animation"])
	}
	aria := m["aria"].(map[string]any)
	if aria["enabled"] != true {
		t.Errorf("aria.enabled = %v", aria["enabled"])
	}
	desc := aria["label"].(map[string]any)["description"].(string)
	want := "Bar chart: Civilian deaths in Mosul, by who counted. Low and high estimates. Deaths by counter. " +
		"low: AP 9,000; Airwars 5,805; Iraqi government 1,260; US military 326. " +
		"high: AP 11,000; Airwars 9,606; Iraqi government no value; US military 326."
	if desc != want {
		t.Errorf("aria description:\n got %q\nwant %q", desc, want)
	}
	// The page prints the title and subtitle, and the legend; the chart
	// does not repeat them.
	if title := m["title"].(map[string]any); title["show"] != false {
		t.Errorf("title = %v, want it hidden", title)
	}
	if legend := m["legend"].(map[string]any); legend["show"] != false {
		t.Errorf("legend = %v, want it hidden", legend)
	}
	d, _ := draw(goldens()[0].chart(), mosul(), "c1")
	if len(d.Legend) != 2 || d.Legend[0] != (LegendItem{"low", Palette[0], "bar"}) || d.Legend[1].Name != "high" {
		t.Errorf("legend = %v", d.Legend)
	}
	colors := m["color"].([]any)
	if len(colors) != len(Palette) || colors[0] != Palette[0] {
		t.Errorf("color = %v", colors)
	}
	// The null high of "Iraqi government" is a gap, not a zero.
	series := m["series"].([]any)
	high := series[1].(map[string]any)["data"].([]any)
	if high[2] != nil {
		t.Errorf("null y became %v, want null", high[2])
	}
	if v := high[0].(map[string]any)["value"]; v != float64(11000) {
		t.Errorf("high series starts with %v, want 11000", v)
	}
}

func TestTimeAxis(t *testing.T) {
	c := cell("line", "month", "deaths")
	c.Series = ref("counter", 45, 15)
	out, err := build(c, monthly(), "c1")
	if err != nil {
		t.Fatal(err)
	}
	m := decode(t, out)
	if typ := m["xAxis"].([]any)[0].(map[string]any)["type"]; typ != "time" {
		t.Errorf("xAxis.type = %v, want time", typ)
	}
	ap := m["series"].([]any)[0].(map[string]any)
	if ap["name"] != "AP" {
		t.Errorf("first series = %v, want AP", ap["name"])
	}
	data := ap["data"].([]any)
	if got, _ := json.Marshal(data[1]); string(got) != `["2017-02-01",null]` {
		t.Errorf("null point = %s, want [\"2017-02-01\",null]", got)
	}
	first := data[0].(map[string]any)["value"].([]any)
	if first[0] != "2017-01-01" || first[1] != float64(1200) {
		t.Errorf("first point = %v", first)
	}
}

func TestPercentFormat(t *testing.T) {
	c := cell("bar", "counter", "share")
	c.Format = str("0.0%", 45, 15)
	out, err := build(c, mosul(), "c1")
	if err != nil {
		t.Fatal(err)
	}
	s := string(out)
	for _, want := range []string{`"value":51.25,`, `"value":2.5,`, `"galleyTicks":{"0":"0%","10":"10%","20":"20%","30":"30%","40":"40%","50":"50%","60":"60%"}`,
		`"min":0,`, `"max":60,`, `"interval":10`, `US military\u003c/b\u003e\u003cbr/\u003eshare: 2.5%`, `AP\u003c/b\u003e\u003cbr/\u003eshare: 51.3%`} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %s:\n%s", want, s)
		}
	}
}

// TestInjection feeds markup and template payloads through every string
// the data and the analysis can put into the options.
func TestInjection(t *testing.T) {
	payloads := []string{
		"</script><script>alert(1)</script>",
		"<img src=x onerror=alert(1)>",
		`"><svg onload=alert(1)>`,
		"{{ 7*7 }}",
		"{a}{b}{c} & <!-- ]]> \u2028",
	}
	tab := &table.Table{
		Name: "evil",
		Columns: []table.Column{
			col("label", analysis.TypeString),
			col("group", analysis.TypeString),
			col("n", analysis.TypeInt),
		},
	}
	for i, p := range payloads {
		tab.Rows = append(tab.Rows, []any{p, p, i + 1})
	}
	for _, typ := range []string{"bar", "line", "area", "scatter", "pie"} {
		for _, long := range []bool{false, true} {
			if long && typ == "pie" {
				continue
			}
			c := cell(typ, "label", "n")
			if long {
				c.Series = ref("group", 45, 15)
			}
			c.Title = str(payloads[0], 46, 14)
			c.Subtitle = str(payloads[1], 47, 17)
			c.XLabel = str(payloads[2], 48, 16)
			c.YLabel = str(payloads[3], 49, 16)
			c.Unit = str(payloads[1], 50, 13)
			out, err := build(c, tab, "evil_1")
			if err != nil {
				t.Fatalf("%s: %v", typ, err)
			}
			checkSafe(t, out)
			for _, p := range payloads {
				raw, _ := json.Marshal(p)
				if !bytes.Contains(out, raw) {
					t.Errorf("%s: %s not found as an escaped JSON string", typ, raw)
				}
			}
			strs := map[string]bool{}
			collect(decode(t, out), strs)
			for _, p := range payloads {
				if !strs[p] {
					t.Errorf("%s (series %v): decoded options lack the exact string %q", typ, long, p)
				}
			}
			// Tooltip texts are HTML: the payloads must be inert there.
			for s := range strs {
				if strings.Contains(s, "<b>") {
					for _, bad := range []string{"<script", "<img", "<svg", "{a}", "{{"} {
						if strings.Contains(s, bad) {
							t.Errorf("%s: tooltip %q holds %q", typ, s, bad)
						}
					}
				}
			}
		}
	}
}

// collect gathers every string value of a decoded JSON tree.
func collect(v any, into map[string]bool) {
	switch x := v.(type) {
	case string:
		into[x] = true
	case []any:
		for _, e := range x {
			collect(e, into)
		}
	case map[string]any:
		for _, e := range x {
			collect(e, into)
		}
	}
}

func TestBadID(t *testing.T) {
	for _, id := range []string{"", "a-b", "x</script>", "a b"} {
		if _, err := build(cell("bar", "counter", "low"), mosul(), id); err == nil {
			t.Errorf("id %q accepted", id)
		}
	}
}

func TestLongDataOrder(t *testing.T) {
	c := cell("bar", "region", "share")
	c.Series = ref("party", 45, 15)
	m := decode(t, mustOptions(t, c, votes()))
	cats := m["xAxis"].([]any)[0].(map[string]any)["data"]
	if got, _ := json.Marshal(cats); string(got) != `["North","South","East"]` {
		t.Errorf("categories = %s", got)
	}
	var names []string
	var green []any
	for _, s := range m["series"].([]any) {
		s := s.(map[string]any)
		names = append(names, s["name"].(string))
		if s["name"] == "Green" {
			green = s["data"].([]any)
		}
	}
	if strings.Join(names, ",") != "Green,Blue,Red" {
		t.Errorf("series = %v", names)
	}
	if len(green) != 3 || green[1] != nil {
		t.Errorf("Green has no South row, want null there: %v", green)
	}
}

func mustOptions(t *testing.T, c *analysis.Chart, tab *table.Table) []byte {
	t.Helper()
	out, err := build(c, tab, "c1")
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestStackedTimeSeriesAligned: ECharts stacks the points of a time axis by
// index, so a stacked chart gives every series a point at every date.
func TestStackedTimeSeriesAligned(t *testing.T) {
	tab := monthly()
	tab.Rows = tab.Rows[1:] // AP has no January row
	c := cell("bar", "month", "deaths")
	c.Series = ref("counter", 45, 15)
	c.Stack = true
	out, err := build(c, tab, "c1")
	if err != nil {
		t.Fatal(err)
	}
	m := decode(t, out)
	var dates [][]string
	for _, s := range m["series"].([]any) {
		var ds []string
		for _, p := range s.(map[string]any)["data"].([]any) {
			switch v := p.(type) {
			case []any:
				ds = append(ds, v[0].(string))
			case map[string]any:
				ds = append(ds, v["value"].([]any)[0].(string))
			}
		}
		dates = append(dates, ds)
	}
	want := []string{"2017-01-01", "2017-02-01", "2017-03-01"}
	for i, ds := range dates {
		if strings.Join(ds, " ") != strings.Join(want, " ") {
			t.Errorf("series %d has dates %v, want %v", i, ds, want)
		}
	}
}

func TestNiceTicks(t *testing.T) {
	tests := []struct {
		lo, hi       float64
		target       int
		integer, hug bool
		want         string // lo hi step: first tick ... last tick
	}{
		{0, 51.25, 5, false, false, "0 60 10: 0 ... 60"},
		{0, 9606, 5, false, false, "0 10000 2000: 0 ... 10000"},
		{0, 3, 5, true, false, "0 3 1: 0 ... 3"},
		{0, 0.3, 5, false, false, "0 0.3 0.05: 0 ... 0.3"},
		{-40, 25, 5, false, false, "-40 40 20: -40 ... 40"},
		{0, 0, 5, false, false, "0 1 0.2: 0 ... 1"},
		{7, 7, 5, true, false, "0 8 2: 0 ... 8"},
		// An x axis of years hugs the data and labels the round years.
		{1929.5, 2020.5, 4, true, true, "1929.5 2020.5 20: 1940 ... 2020"},
		{2016, 2019, 4, true, true, "2016 2019 1: 2016 ... 2019"},
		{1.21, 2.37, 4, false, true, "1.21 2.37 0.2: 1.4 ... 2.2"},
	}
	for _, tt := range tests {
		tk := niceTicks(extent{tt.lo, tt.hi, true}, tt.target, tt.integer, tt.hug)
		got := fmt.Sprint(tk.lo, " ", tk.hi, " ", tk.step, ": ", tk.values[0], " ... ", tk.values[len(tk.values)-1])
		if got != tt.want {
			t.Errorf("niceTicks(%v, %v, %d, %v, %v) = %s, want %s", tt.lo, tt.hi, tt.target, tt.integer, tt.hug, got, tt.want)
		}
	}
	if got := niceTicks(extent{0, 0.3, true}, 5, false, false).texts(value.Format{}, ""); got["0.15"] != "0.15" || got["0.3"] != "0.30" || len(got) != 7 {
		t.Errorf("ticks of 0 to 0.3: %v", got)
	}
}

func TestJSNumber(t *testing.T) {
	for x, want := range map[float64]string{0: "0", 1930: "1930", 0.3: "0.3", -2.5: "-2.5", 1e21: "1e+21", 1e-7: "1e-7", 1.5e-7: "1.5e-7", 123456789012: "123456789012"} {
		if got := jsNumber(x); got != want {
			t.Errorf("jsNumber(%v) = %q, want %q", x, got, want)
		}
	}
}

// TestSeriesKeepsGoEchartsOptions: what go-echarts' series options set in
// the fields Galley's series replaces (label, markLine, markPoint) is
// written, not dropped.
func TestSeriesKeepsGoEchartsOptions(t *testing.T) {
	s := newSeries(types.ChartLine, "s", []any{},
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true)}),
		charts.WithMarkLineNameYAxisItemOpts(opts.MarkLineNameYAxisItem{Name: "m", YAxis: 3}),
		charts.WithMarkPointStyleOpts(opts.MarkPointStyle{Symbol: []string{"pin"}}))
	out, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"label":{"show":true}`, `"markLine":{"data":[{"name":"m","yAxis":3}],"silent":false}`, `"symbol":"pin"`} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("series lacks %s:\n%s", want, out)
		}
	}
}
