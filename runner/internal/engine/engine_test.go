package engine

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"galley/runner/internal/check"
	"galley/runner/internal/results"
	"galley/runner/internal/view"
)

const (
	estCSV   = "counter,scope,low,high\nAP,Mosul,9000,11000\nUS,Mosul,326,\nAP,Raqqa,1600,1800\nAirwars,Mosul,5000,6000\n"
	orgsCSV  = "counter,kind\nAP,press\nUS,military\nAirwars,monitor\n"
	otherCSV = "x,y\n1,10\n2,20\n3,30\n"
)

var tourDatasets = "title: T\ndatasets:\n" +
	dsYAML("est", estCSV, "counter: string, scope: string, low: int, high: int") +
	dsYAML("orgs", orgsCSV, "counter: string, kind: string") +
	dsYAML("other", otherCSV, "x: int, y: int")

var tourFiles = map[string]string{"est": estCSV, "orgs": orgsCSV, "other": otherCSV}

// tour has views, values and claims written in the reverse of the order
// they are computed in.
const tourRest = `views:
  top:
    from: mosul
    order_by: [-low]
    limit: 2
  mosul:
    from: est
    join: {view: kinds, on: [counter]}
    where: scope == "Mosul"
    group_by: [counter, kind]
    aggregate:
      low: sum(low)
      high: sum(high)
      rows: count()
  kinds:
    from: orgs
values:
  ratio: ap_low / us_ack
  ap_low: first(filter(mosul, .counter == "AP")).low
  us_ack: first(filter(mosul, .counter == "US")).low
  n_orgs: len(orgs)
  y2: first(filter(other, .x == 2)).y
  k: 3
claims:
  - id: ap-27x
    text: "The AP's count is at least 27 times the US figure."
    check: ratio >= 27
  - id: orgs
    text: "Three organisations."
    check: n_orgs == 3 && k == 3
body:
  - md: "AP counted {{ ap_low }} dead, {{ round(ratio, 1) }} times; most: {{ first(top).counter }}."
  - table: top
`

func tour() project {
	return project{src: tourDatasets + tourRest, files: tourFiles}
}

func TestTour(t *testing.T) {
	p := tour()
	res := mustExecute(t, p)

	// Views: file order, each computed after what it reads.
	var names []string
	for _, v := range res.Views {
		names = append(names, v.Name)
	}
	if want := []string{"top", "mosul", "kinds"}; !reflect.DeepEqual(names, want) {
		t.Errorf("views %v, want %v", names, want)
	}
	views := []struct {
		name     string
		cols     []string
		rows     [][]any
		counts   view.Counts // as the view counted them
		datasets []string
	}{
		{
			name: "mosul",
			cols: []string{"counter", "kind", "low", "high", "rows"},
			rows: [][]any{
				{"AP", "press", 9000, 11000, 1},
				{"Airwars", "monitor", 5000, 6000, 1},
				{"US", "military", 326, nil, 1},
			},
			counts:   view.Counts{Read: 4, Where: []int{3}, Joined: 4, Out: 3},
			datasets: []string{"est", "orgs"},
		},
		{
			name:     "top",
			cols:     []string{"counter", "kind", "low", "high", "rows"},
			rows:     [][]any{{"AP", "press", 9000, 11000, 1}, {"Airwars", "monitor", 5000, 6000, 1}},
			counts:   view.Counts{Read: 3, Where: []int{}, Out: 2},
			datasets: []string{"est", "orgs"},
		},
		{
			name:     "kinds",
			cols:     []string{"counter", "kind"},
			rows:     [][]any{{"AP", "press"}, {"US", "military"}, {"Airwars", "monitor"}},
			counts:   view.Counts{Read: 3, Where: []int{}, Out: 3},
			datasets: []string{"orgs"},
		},
	}
	for _, w := range views {
		vr := res.View(w.name)
		if vr == nil {
			t.Errorf("no view %q", w.name)
			continue
		}
		var cols []string
		for _, c := range vr.Columns {
			cols = append(cols, c.Name)
		}
		if !reflect.DeepEqual(cols, w.cols) {
			t.Errorf("%s: columns %v, want %v", w.name, cols, w.cols)
		}
		if !reflect.DeepEqual(vr.Rows, w.rows) {
			t.Errorf("%s: rows %v, want %v", w.name, vr.Rows, w.rows)
		}
		if got := countsOf(vr); !reflect.DeepEqual(got, w.counts) {
			t.Errorf("%s: counts %+v, want %+v", w.name, got, w.counts)
		}
		if !reflect.DeepEqual(vr.Datasets, w.datasets) {
			t.Errorf("%s: datasets %v, want %v", w.name, vr.Datasets, w.datasets)
		}
	}
	if res.View("est") != nil || res.View("nope") != nil {
		t.Errorf("View returns a dataset read whole, or an unknown name")
	}

	// Datasets: every one read once, the one read only by a value too.
	for _, d := range []struct {
		name  string
		rows  int
		views []string
	}{{"est", 4, []string{"mosul"}}, {"orgs", 3, []string{"kinds"}}, {"other", 3, []string{}}} {
		dr := datasetResult(t, res, d.name)
		if dr.RowsRead != d.rows || !reflect.DeepEqual(dr.Views, d.views) || dr.SHA256 != sum(p.files[d.name]) {
			t.Errorf("dataset %s: rows %d, views %v, sha %s; want %d, %v, %s", d.name, dr.RowsRead, dr.Views, dr.SHA256, d.rows, d.views, sum(p.files[d.name]))
		}
	}
	if res.RowsRead() != 10 {
		t.Errorf("RowsRead %d, want 10", res.RowsRead())
	}

	// Values: file order, computed in dependency order, with lineage.
	ratio := 9000.0 / 326
	for _, w := range []struct {
		name     string
		v        any
		datasets []string
	}{
		{"ratio", ratio, []string{"est", "orgs"}},
		{"ap_low", 9000, []string{"est", "orgs"}},
		{"us_ack", 326, []string{"est", "orgs"}},
		{"n_orgs", 3, []string{"orgs"}},
		{"y2", 20, []string{"other"}},
		{"k", 3, []string{}},
	} {
		v := valueResult(t, res, w.name)
		if !reflect.DeepEqual(v.Value.V, w.v) {
			t.Errorf("value %s = %#v, want %#v", w.name, v.Value.V, w.v)
		}
		if !reflect.DeepEqual(v.Datasets, w.datasets) {
			t.Errorf("value %s: datasets %v, want %v", w.name, v.Datasets, w.datasets)
		}
	}
	var order []string
	for _, v := range res.Values {
		order = append(order, v.Name)
	}
	if want := []string{"ratio", "ap_low", "us_ack", "n_orgs", "y2", "k"}; !reflect.DeepEqual(order, want) {
		t.Errorf("values in order %v, want file order %v", order, want)
	}

	// Claims: inputs are the values the check read, sorted, at their lines.
	c := claim(t, res, "ap-27x")
	if !c.Holds || !reflect.DeepEqual(c.Datasets, []string{"est", "orgs"}) {
		t.Errorf("ap-27x: pass %v, datasets %v", c.Holds, c.Datasets)
	}
	wantIn := []results.Input{input(t, res, "ratio")}
	if !reflect.DeepEqual(c.Inputs, wantIn) {
		t.Errorf("ap-27x inputs %+v, want %+v", c.Inputs, wantIn)
	}
	if got := fmt.Sprintf("%s:%d:", analysisPath, c.Inputs[0].Line); !strings.HasPrefix(where(t, p.src, "ratio: ap_low"), got) {
		t.Errorf("ratio input at %s, want the line of ratio", got)
	}
	c = claim(t, res, "orgs")
	wantIn = []results.Input{input(t, res, "k"), input(t, res, "n_orgs")}
	if !c.Holds || !reflect.DeepEqual(c.Inputs, wantIn) || !reflect.DeepEqual(c.Datasets, []string{"orgs"}) {
		t.Errorf("orgs: pass %v, inputs %+v, datasets %v", c.Holds, c.Inputs, c.Datasets)
	}
	if res.ClaimsHeld() != 2 {
		t.Errorf("ClaimsHeld %d, want 2", res.ClaimsHeld())
	}

	// Inline values, per cell.
	if want := []any{9000, 27.6, "AP"}; !reflect.DeepEqual(inlineValues(res, 0), want) {
		t.Errorf("inline %#v, want %#v", inlineValues(res, 0), want)
	}
	for i := range res.Body[1:] {
		if got := inlineValues(res, i+1); got != nil {
			t.Errorf("inline values in cell %d: %v", i+1, got)
		}
	}
}

// TestDeterministic: one analysis executed twice, or compiled twice, gives
// the same result.
func TestDeterministic(t *testing.T) {
	p := tour()
	dir := p.write(t)
	c := compile(t, p.src)
	a, err := Execute(c, Options{Root: dir})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Execute(c, Options{Root: dir})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Errorf("two executions differ:\n%+v\n%+v", a, b)
	}
	// A fresh parse gives a new File; everything but the pointers into it agrees.
	d, err := Execute(compile(t, p.src), Options{Root: dir})
	if err != nil {
		t.Fatal(err)
	}
	for i := range a.Views {
		if !reflect.DeepEqual(a.Views[i].Rows, d.Views[i].Rows) || !reflect.DeepEqual(a.Views[i].Counts, d.Views[i].Counts) {
			t.Errorf("view %s differs between compilations", a.Views[i].Name)
		}
	}
	for i := range a.Values {
		if !reflect.DeepEqual(a.Values[i].Value, d.Values[i].Value) {
			t.Errorf("value %s differs between compilations", a.Values[i].Name)
		}
	}
}

// TestValueOrder: values are computed after the values they read, whatever
// the file order.
func TestValueOrder(t *testing.T) {
	src := "title: T\ndatasets:\n" + dsYAML("other", otherCSV, "x: int, y: int") + `values:
  e: d + a
  d: c * 2
  c: b + 1
  b: a + len(other)
  a: first(other).y
`
	res := mustExecute(t, project{src: src, files: map[string]string{"other": otherCSV}})
	want := map[string]any{"a": 10, "b": 13, "c": 14, "d": 28, "e": 38}
	for name, v := range want {
		got := valueResult(t, res, name)
		if !reflect.DeepEqual(got.Value.V, v) {
			t.Errorf("%s = %#v, want %#v", name, got.Value.V, v)
		}
		if !reflect.DeepEqual(got.Datasets, []string{"other"}) {
			t.Errorf("%s: datasets %v, want [other]", name, got.Datasets)
		}
	}
}

func TestCycles(t *testing.T) {
	head := "title: T\ndatasets:\n" + dsYAML("other", otherCSV, "x: int, y: int")
	tests := []struct {
		name string
		rest string
		at   string // where the error is
		msg  string
	}{
		{
			name: "values",
			rest: "values:\n  z: 1\n  a: b + 1\n  b: c + z\n  c: a * 2\n",
			at:   "a: b",
			msg:  "values depend on each other in a circle: a → b → c → a",
		},
		{
			name: "a value reads itself",
			rest: "values:\n  a: 1\n  s: s + a\n",
			at:   "s: s",
			msg:  "values depend on each other in a circle: s → s",
		},
		{
			name: "views",
			rest: "views:\n  v1:\n    from: v2\n  v2:\n    from: v3\n  v3:\n    from: v1\n",
			at:   "v1:",
			msg:  "views read each other in a circle: v1 → v2 → v3 → v1",
		},
		{
			name: "views through a join",
			rest: "views:\n  v1:\n    from: other\n    join: {view: v2, on: [x]}\n  v2:\n    from: v1\n",
			at:   "v1:",
			msg:  "views read each other in a circle: v1 → v2 → v1",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := head + tt.rest
			_, err := check.Analysis(parse(t, src))
			want := where(t, src, tt.at) + ": " + tt.msg
			if err == nil || err.Error() != want {
				t.Errorf("error:\n%v\nwant:\n%s", err, want)
			}
		})
	}
}

func TestViewOverView(t *testing.T) {
	src := "title: T\ndatasets:\n" + dsYAML("other", otherCSV, "x: int, y: int") + `views:
  big:
    from: small
    where: y2 > 30
    derive:
      y3: y2 + x
  small:
    from: other
    where: x >= 2
    derive:
      y2: y * 2
values:
  n: len(big)
  top: first(big).y3
`
	res := mustExecute(t, project{src: src, files: map[string]string{"other": otherCSV}})
	small, big := res.View("small"), res.View("big")
	if want := [][]any{{2, 20, 40}, {3, 30, 60}}; !reflect.DeepEqual(small.Rows, want) {
		t.Errorf("small: %v, want %v", small.Rows, want)
	}
	if want := [][]any{{2, 20, 40, 42}, {3, 30, 60, 63}}; !reflect.DeepEqual(big.Rows, want) {
		t.Errorf("big: %v, want %v", big.Rows, want)
	}
	if want := (view.Counts{Read: 3, Where: []int{2}, Out: 2}); !reflect.DeepEqual(countsOf(small), want) {
		t.Errorf("small counts %+v, want %+v", countsOf(small), want)
	}
	if want := (view.Counts{Read: 2, Where: []int{2}, Out: 2}); !reflect.DeepEqual(countsOf(big), want) {
		t.Errorf("big counts %+v, want %+v", countsOf(big), want)
	}
	if !reflect.DeepEqual(big.Datasets, []string{"other"}) {
		t.Errorf("big datasets %v", big.Datasets)
	}
	if d := datasetResult(t, res, "other"); d.RowsRead != 3 || !reflect.DeepEqual(d.Views, []string{"small"}) {
		t.Errorf("other: rows %d, views %v; want 3, [small]", d.RowsRead, d.Views)
	}
	if v := valueResult(t, res, "top"); v.Value.V != 42 || !reflect.DeepEqual(v.Datasets, []string{"other"}) {
		t.Errorf("top = %#v from %v", v.Value.V, v.Datasets)
	}
}

// TestJoinDatasetLineage: a view joined to a dataset read whole depends on
// both; values and claims over it too.
func TestJoinDatasetLineage(t *testing.T) {
	src := "title: T\ndatasets:\n" +
		dsYAML("est", estCSV, "counter: string, scope: string, low: int, high: int") +
		dsYAML("orgs", orgsCSV, "counter: string, kind: string") +
		dsYAML("other", otherCSV, "x: int, y: int") + `views:
  press:
    from: est
    join: {view: orgs, on: [counter], columns: [kind]}
    where: kind == "press"
    select: [counter, low]
  lone:
    from: other
values:
  press_low: sum(map(press, .low))
  lone_n: len(lone)
  both: press_low + lone_n
claims:
  - id: c
    text: "t"
    check: both > 0 && press_low > 0
`
	res := mustExecute(t, project{src: src, files: tourFiles})
	if d := res.View("press").Datasets; !reflect.DeepEqual(d, []string{"est", "orgs"}) {
		t.Errorf("press datasets %v", d)
	}
	if want := (view.Counts{Read: 4, Where: []int{2}, Joined: 4, Out: 2}); !reflect.DeepEqual(countsOf(res.View("press")), want) {
		t.Errorf("press counts %+v, want %+v", countsOf(res.View("press")), want)
	}
	for name, want := range map[string][]string{"press_low": {"est", "orgs"}, "lone_n": {"other"}, "both": {"est", "orgs", "other"}} {
		if got := valueResult(t, res, name).Datasets; !reflect.DeepEqual(sorted(got), want) {
			t.Errorf("%s datasets %v, want %v", name, got, want)
		}
	}
	if got := valueResult(t, res, "both").Value.V; got != 10603 {
		t.Errorf("both = %#v, want 10603", got)
	}
	c := claim(t, res, "c")
	if !reflect.DeepEqual(sorted(c.Datasets), []string{"est", "orgs", "other"}) {
		t.Errorf("claim datasets %v", c.Datasets)
	}
	if len(c.Inputs) != 2 || c.Inputs[0].Name != "both" || c.Inputs[1].Name != "press_low" {
		t.Errorf("claim inputs %+v", c.Inputs)
	}
	// orgs is read once, whole, for the join; no view of the file reads it.
	if d := datasetResult(t, res, "orgs"); d.RowsRead != 3 || len(d.Views) != 0 {
		t.Errorf("orgs: rows %d, views %v", d.RowsRead, d.Views)
	}
}

func TestClaimFails(t *testing.T) {
	src := tourDatasets + strings.Replace(tourRest, `  - id: orgs
    text: "Three organisations."
    check: n_orgs == 3 && k == 3`, `  - id: orgs
    text: "Four organisations."
    check: n_orgs == 4 && k == 3
  - id: none
    text: "No value read."
    check: len(mosul) > 5`, 1)
	res, err := execute(t, project{src: src, files: tourFiles})
	if res == nil {
		t.Fatalf("a failing claim returns the result too; error:\n%v", err)
	}
	want := where(t, src, "n_orgs == 4") + `: claim "orgs" failed: n_orgs == 4 && k == 3 (k = 3, n_orgs = 3)` + "\n" +
		where(t, src, "len(mosul) > 5") + `: claim "none" failed: len(mosul) > 5`
	if err == nil || err.Error() != want {
		t.Errorf("error:\n%v\nwant:\n%s", err, want)
	}
	if !claim(t, res, "ap-27x").Holds || claim(t, res, "orgs").Holds || claim(t, res, "none").Holds || res.ClaimsHeld() != 1 {
		t.Errorf("pass: %v %v %v", claim(t, res, "ap-27x").Holds, claim(t, res, "orgs").Holds, claim(t, res, "none").Holds)
	}
	if in := claim(t, res, "none").Inputs; len(in) != 0 {
		t.Errorf("a check that reads no value has no inputs, got %+v", in)
	}
	if d := claim(t, res, "none").Datasets; !reflect.DeepEqual(d, []string{"est", "orgs"}) {
		t.Errorf("none datasets %v", d)
	}

	// Values of each kind are shown as the report shows them.
	src = "title: T\ndatasets:\n" + dsYAML("other", otherCSV, "x: int, y: int") + `values:
  big: 1234567
  f: 2.5
  s: '"a \"b\""'
  n: nil
  d: date("2017-07-31")
claims:
  - id: kinds
    text: "t"
    check: big < 0 && f > 0 && s != "" && n == nil && d > date("2017-01-01")
`
	_, err = execute(t, project{src: src, files: map[string]string{"other": otherCSV}})
	want = where(t, src, "big < 0") + `: claim "kinds" failed: big < 0 && f > 0 && s != "" && n == nil && d > date("2017-01-01")` +
		` (big = 1,234,567, d = 2017-07-31, f = 2.5, n = no value, s = "a \"b\"")`
	if err == nil || err.Error() != want {
		t.Errorf("error:\n%v\nwant:\n%s", err, want)
	}
}

func TestInline(t *testing.T) {
	head := "title: T\ndatasets:\n" + dsYAML("other", otherCSV, "x: int, y: int") + "values:\n  a: 1234\n  n: nil\n"
	t.Run("kinds of value", func(t *testing.T) {
		src := head + `body:
  - md: "{{ a }} {{ a / 8 }} {{ 'x' + 'y' }} {{ a > 1 }} {{ n }} {{ date('2017-07-31') }} {{ first(other).y }} {{ len(other) }}"
  - md: "none here"
  - md: "{{ percent(0.25) }}"
`
		res := mustExecute(t, project{src: src, files: map[string]string{"other": otherCSV}})
		want := []any{1234, 154.25, "xy", true, nil, day("2017-07-31"), 10, 3}
		if got := inlineValues(res, 0); !reflect.DeepEqual(got, want) {
			t.Errorf("inline %#v, want %#v", got, want)
		}
		if got := inlineValues(res, 1); got != nil {
			t.Errorf("a cell without {{ }}: %#v", got)
		}
		if got := inlineValues(res, 2); len(got) != 1 || got[0] != "25%" {
			t.Errorf("percent: %#v", got)
		}
	})
	for _, tt := range []struct{ name, expr, kind string }{
		{"a list", "filter(other, .x > 1)", "a list"},
		{"a view", "other", "a list"},
		{"a record", "first(other)", "a record"},
		{"a list of numbers", "map(other, .x)", "a list"},
		// Issue 14: a duration was called "a list or a record".
		{"a duration", "duration('1h')", "a duration"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			src := head + "body:\n  - md: \"a is {{ a }}, list {{ " + tt.expr + " }}.\"\n"
			_, err := execute(t, project{src: src, files: map[string]string{"other": otherCSV}})
			want := where(t, src, " "+tt.expr+" }}") + ": {{ " + tt.expr + " }} gives " + tt.kind + ", not one value; pick one, e.g. first(...).column"
			if err == nil || err.Error() != want {
				t.Errorf("error:\n%v\nwant:\n%s", err, want)
			}
		})
	}
}

// TestUnreadDataset: a dataset nothing reads is still read through once:
// its rows are counted and a bad cell is an error.
func TestUnreadDataset(t *testing.T) {
	head := "title: T\ndatasets:\n" + dsYAML("est", estCSV, "counter: string, scope: string, low: int, high: int")
	rest := "views:\n  all:\n    from: est\n"
	src := head + dsYAML("other", otherCSV, "x: int, y: int") + rest
	res := mustExecute(t, project{src: src, files: tourFiles})
	if d := datasetResult(t, res, "other"); d.RowsRead != 3 || len(d.Views) != 0 || d.SHA256 != sum(otherCSV) {
		t.Errorf("other: rows %d, views %v, sha %s", d.RowsRead, d.Views, d.SHA256)
	}
	if res.RowsRead() != 7 {
		t.Errorf("RowsRead %d, want 7", res.RowsRead())
	}

	bad := "x,y\n1,10\n2,twenty\n"
	src = head + dsYAML("other", bad, "x: int, y: int") + rest
	_, err := execute(t, project{src: src, files: map[string]string{"est": estCSV, "other": bad}})
	want := `datasets/other.csv:3:3: column "y" (int): cannot read "twenty" as an integer`
	if err == nil || err.Error() != want {
		t.Errorf("error:\n%v\nwant:\n%s", err, want)
	}
}

// TestReservedColumnNames: a column may be named after a function (the
// v2 names rule: a name followed by ( is the function), not after a
// keyword or operator, which an expression never reads as a name.
func TestReservedColumnNames(t *testing.T) {
	data := "in,not,n\n2017-01-01,3,4\n"
	src := "title: T\ndatasets:\n" + dsYAML("d", data, "in: date, not: int, n: int")
	_, err := check.Analysis(parse(t, src))
	want := where(t, src, "in: date") + `: dataset "d": column "in" is an expression keyword or operator, never read as a name; rename it and read it with from:, e.g. in_: {type: date, from: in}` + "\n" +
		where(t, src, "not: int") + `: dataset "d": column "not" is an expression keyword or operator, never read as a name; rename it and read it with from:, e.g. not_: {type: int, from: not}`
	if err == nil || err.Error() != want {
		t.Errorf("error:\n%v\nwant:\n%s", err, want)
	}

	// The fix the message gives works.
	src = "title: T\ndatasets:\n" + dsYAML("d", data, "in_: {type: date, from: in}, not_: {type: int, from: not}, n: int") +
		"values:\n  c: first(d).not_\n"
	res := mustExecute(t, project{src: src, files: map[string]string{"d": data}})
	if v := valueResult(t, res, "c").Value.V; v != 3 {
		t.Errorf("c = %#v, want 3", v)
	}

	// Columns named date and count, beside date() and count().
	data = "date,count\n2017-01-01,3\n2017-02-01,4\n"
	src = "title: T\ndatasets:\n" + dsYAML("d", data, "date: date, count: int") + `views:
  v:
    from: d
    where: date >= date("2017-02-01")
    derive:
      year: year(date)
      month: month(date) + count
  g:
    from: d
    aggregate:
      count: count()
      total: sum(count)
values:
  y: first(v).year
  m: first(v).month
  n: first(g).count
  s: first(g).total
`
	res = mustExecute(t, project{src: src, files: map[string]string{"d": data}})
	for name, want := range map[string]any{"y": 2017, "m": 6, "n": 2, "s": 7} {
		if v := valueResult(t, res, name).Value.V; v != want {
			t.Errorf("%s = %#v, want %v", name, v, want)
		}
	}
}

// TestPinCheckedFirst: every pin is checked before anything computed is
// used, so a wrong pin on the second dataset is the error, not what
// computing the first found; each file is read once, its bytes hashed as
// they are parsed (b, never parsed, is read through for its pin).
func TestPinCheckedFirst(t *testing.T) {
	badA := "n\n1\n0\nx\n"
	src := "title: T\ndatasets:\n" + dsYAML("a", badA, "n: int") +
		dsYAML2("b", otherCSV, strings.Repeat("0", 64), "x: int, y: int") + `views:
  va:
    from: a
    derive:
      r: 10 % n
  vb:
    from: b
`
	dir := project{src: src, files: map[string]string{"a": badA, "b": otherCSV}}.write(t)
	passes := map[string]int{}
	_, err := Execute(compile(t, src), Options{Root: dir, Progress: readPasses(passes)})
	want := where(t, src, strings.Repeat("0", 64)) + `: dataset "b": sha256 of datasets/b.csv does not match its pin: expected ` +
		strings.Repeat("0", 64) + ", got " + sum(otherCSV) + " (if the file changed on purpose, run galley pin analyses/a.yaml)"
	if err == nil || err.Error() != want {
		t.Errorf("error:\n%v\nwant:\n%s", err, want)
	}
	if want := map[string]int{"datasets/a.csv": 1, "datasets/b.csv": 1}; !reflect.DeepEqual(passes, want) {
		t.Errorf("read passes %v, want %v", passes, want)
	}
}

// readPasses counts, per dataset path, the reads that reached the end of the
// file: Progress reports (size, size) once per read.
func readPasses(passes map[string]int) func(string, int64, int64) {
	return func(ds string, read, total int64) {
		if read == total {
			passes[ds]++
		}
	}
}

// TestOneRead: a dataset read by several views and by a value is read once;
// a view joined to another view of the same file needs a second read, which
// does not count its rows twice.
func TestOneRead(t *testing.T) {
	src := tourDatasets + `views:
  ap:
    from: est
    where: counter == "AP"
  mosul:
    from: est
    where: scope == "Mosul"
  sums:
    from: est
    group_by: [scope]
    aggregate:
      n: count()
values:
  all: len(est)
  o: len(other)
`
	dir := project{src: src, files: tourFiles}.write(t)
	passes := map[string]int{}
	res, err := Execute(compile(t, src), Options{Root: dir, Progress: readPasses(passes)})
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]int{"datasets/est.csv": 1, "datasets/orgs.csv": 1, "datasets/other.csv": 1}; !reflect.DeepEqual(passes, want) {
		t.Errorf("read passes %v, want %v", passes, want)
	}
	if res.RowsRead() != 10 || len(res.View("ap").Rows) != 2 || len(res.View("mosul").Rows) != 3 || valueResult(t, res, "all").Value.V != 4 {
		t.Errorf("rows %d, ap %v, mosul %v, all %v", res.RowsRead(), res.View("ap").Rows, res.View("mosul").Rows, valueResult(t, res, "all").Value.V)
	}
	if want := [][]any{{"Mosul", 3}, {"Raqqa", 1}}; !reflect.DeepEqual(res.View("sums").Rows, want) {
		t.Errorf("sums %v, want %v", res.View("sums").Rows, want)
	}
	if d := datasetResult(t, res, "est"); !reflect.DeepEqual(d.Views, []string{"ap", "mosul", "sums"}) {
		t.Errorf("est views %v", d.Views)
	}

	src = tourDatasets + `views:
  with_n:
    from: est
    join: {view: counts, on: [counter]}
  counts:
    from: est
    group_by: [counter]
    aggregate:
      n: count()
`
	res = mustExecute(t, project{src: src, files: tourFiles})
	want := [][]any{
		{"AP", "Mosul", 9000, 11000, 2}, {"US", "Mosul", 326, nil, 1},
		{"AP", "Raqqa", 1600, 1800, 2}, {"Airwars", "Mosul", 5000, 6000, 1},
	}
	if got := res.View("with_n").Rows; !reflect.DeepEqual(got, want) {
		t.Errorf("with_n %v, want %v", got, want)
	}
	if d := datasetResult(t, res, "est"); d.RowsRead != 4 || !reflect.DeepEqual(d.Views, []string{"with_n", "counts"}) {
		t.Errorf("est: rows %d, views %v", d.RowsRead, d.Views)
	}
	if d := res.View("with_n").Datasets; !reflect.DeepEqual(d, []string{"est"}) {
		t.Errorf("with_n datasets %v", d)
	}
}

func TestRuntimeErrorsNameTheRow(t *testing.T) {
	data := "n\n1\n0\n"
	head := "title: T\ndatasets:\n" + dsYAML("a", data, "n: int")
	tests := []struct{ name, rest, at, want string }{
		{
			name: "a view over the dataset",
			rest: "views:\n  v:\n    from: a\n    derive:\n      r: 10 % n\n",
			at:   "% n",
			want: "modulo by zero (evaluating datasets/a.csv line 3)",
		},
		{
			name: "a view over a view",
			rest: "views:\n  w:\n    from: v\n    derive:\n      r: 10 % n\n  v:\n    from: a\n",
			at:   "% n",
			want: `modulo by zero (evaluating row 2 of view "v")`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := head + tt.rest
			_, err := execute(t, project{src: src, files: map[string]string{"a": data}})
			want := where(t, src, tt.at) + ": " + tt.want
			if err == nil || err.Error() != want {
				t.Errorf("error:\n%v\nwant:\n%s", err, want)
			}
		})
	}
}

// TestLimits: Options.Limits reach the views; zero means the defaults.
func TestLimits(t *testing.T) {
	src := "title: T\ndatasets:\n" + dsYAML("other", otherCSV, "x: int, y: int") + "views:\n  v:\n    from: other\n"
	dir := project{src: src, files: map[string]string{"other": otherCSV}}.write(t)
	c := compile(t, src)
	_, err := Execute(c, Options{Root: dir, Limits: view.Limits{MaxGroups: 10, MaxRows: 2}})
	want := where(t, src, "v:") + `: view "v" outputs more than 2 rows, the limit for one view; group or filter it`
	if err == nil || err.Error() != want {
		t.Errorf("error:\n%v\nwant:\n%s", err, want)
	}
	if _, err := Execute(c, Options{Root: dir}); err != nil {
		t.Errorf("default limits: %v", err)
	}

	// A dataset that values or a join read whole is named as the dataset
	// it is, not as a view the analysis does not have (issue 14, "Smaller").
	for _, rest := range []string{
		"values:\n  n: len(other)\n",
		"views:\n  v:\n    from: keys\n    join: {view: other, on: [x]}\n",
	} {
		src := "title: T\ndatasets:\n" + dsYAML("other", otherCSV, "x: int, y: int") + dsYAML("keys", "x\n1\n", "x: int") + rest
		dir := project{src: src, files: map[string]string{"other": otherCSV, "keys": "x\n1\n"}}.write(t)
		_, err := Execute(compile(t, src), Options{Root: dir, Limits: view.Limits{MaxGroups: 10, MaxRows: 2}})
		want := where(t, src, "other:") + `: dataset "other" has more than 2 rows, the most a value, a claim or a join reads whole; read it through a view that groups or filters it`
		if err == nil || err.Error() != want {
			t.Errorf("%s: error:\n%v\nwant:\n%s", rest, err, want)
		}
	}
}

func day(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

// sorted is a sorted copy: the order of a lineage list is deterministic but
// not part of what these tests check.
func sorted(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}

// TestManyValuesCostLinearly is a finding of the outside attack (issue 14,
// item 13): 5,000 trivial values took 19 s and 3.1 GB, a chain of 10,000
// 111 s and 15 GB, because every value was checked, and evaluated, over an
// environment holding every value before it. Checking and running a chain
// four times as long must take about four times the memory, not sixteen;
// memory allocated is counted, not time.
func TestManyValuesCostLinearly(t *testing.T) {
	chain := func(n int) string {
		var b strings.Builder
		b.WriteString("title: T\ndatasets:\n" + dsYAML("d", "a\n1\n", "a: int") + "values:\n  v0: sum(map(d, .a))\n")
		for i := 1; i < n; i++ {
			fmt.Fprintf(&b, "  v%d: v%d + 1\n", i, i-1)
		}
		return b.String()
	}
	allocated := func(n int) uint64 {
		p := project{src: chain(n), files: map[string]string{"d": "a\n1\n"}}
		dir := p.write(t)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		res, err := Execute(compile(t, p.src), Options{Root: dir})
		runtime.ReadMemStats(&after)
		if err != nil {
			t.Fatal(err)
		}
		if got := valueResult(t, res, fmt.Sprintf("v%d", n-1)).Value.V; got != n {
			t.Fatalf("v%d = %v, want %d", n-1, got, n)
		}
		return after.TotalAlloc - before.TotalAlloc
	}
	small, large := allocated(500), allocated(2000)
	if ratio := float64(large) / float64(small); ratio > 6 {
		t.Errorf("a chain of 2,000 values allocates %.1f times what one of 500 does (%d and %d bytes); linear is 4", ratio, large, small)
	}
}

// TestCaps is a finding of the outside attack (issue 14, item 14): a chart
// over 999,000 groups wrote a 444 MB page. A chart draws at most
// results.MaxChartRows rows and says what to do past that; a table prints
// at most results.MaxTableRows; the document keeps at most results.MaxRows
// rows of a shown view.
func TestCaps(t *testing.T) {
	var data strings.Builder
	data.WriteString("k,n\n")
	for i := 0; i <= results.MaxChartRows; i++ {
		fmt.Fprintf(&data, "k%d,%d\n", i, i)
	}
	head := "title: T\ndatasets:\n" + dsYAML("big", data.String(), "k: string, n: int") + "views:\n  all: {from: big}\n"
	files := map[string]string{"big": data.String()}

	src := head + "body:\n  - chart: {type: bar, data: all, x: k, y: n}\n"
	_, err := execute(t, project{src: src, files: files})
	want := where(t, src, "all, x:") + `: chart of view "all": the view has 10,001 rows, more than the 10,000 a chart draws; aggregate it (group_by) or filter it (where) to the rows the chart shows`
	if err == nil || err.Error() != want {
		t.Errorf("error:\n%v\nwant:\n%s", err, want)
	}

	res := mustExecute(t, project{src: head + "body:\n  - table: all\n  - table: {view: all, limit: 5}\n", files: files})
	if tb := res.Body[0].Table; tb.Shown != results.MaxTableRows || tb.Total != results.MaxChartRows+1 {
		t.Errorf("table shows %d of %d rows, want %d of %d", tb.Shown, tb.Total, results.MaxTableRows, results.MaxChartRows+1)
	}
	if tb := res.Body[1].Table; tb.Shown != 5 {
		t.Errorf("a table with limit 5 shows %d", tb.Shown)
	}
	out, err := results.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(regexp.MustCompile(`\["k\d`).FindAllIndex(out, -1)); n != results.MaxRows {
		t.Errorf("the document holds %d rows of the view, want %d", n, results.MaxRows)
	}
}

// TestYearsReadAsYears (issue 12): a value or column named for years prints
// 1930, not 1,930, unless it says otherwise; other ints keep their
// thousands separators.
func TestYearsReadAsYears(t *testing.T) {
	data := "year,deaths\n1930,1200\n1931,980\n"
	src := "title: T\ndatasets:\n" + dsYAML("d", data, "year: int, deaths: int") + `views:
  by_year: {from: d}
values:
  worst_year: first(sortBy(d, .deaths, "desc")).year
  worst_deaths: first(sortBy(d, .deaths, "desc")).deaths
  year_grouped: {expr: "1930", format: "0,0"}
body:
  - table: by_year
claims:
  - {id: c, text: t, check: worst_year == 1930 && worst_deaths > 0 && year_grouped > 0}
`
	res := mustExecute(t, project{src: src, files: map[string]string{"d": data}})
	for name, want := range map[string]string{"worst_year": "1930", "worst_deaths": "1,200", "year_grouped": "1,930"} {
		if got := valueResult(t, res, name).Text; got != want {
			t.Errorf("%s prints %q, want %q", name, got, want)
		}
	}
	if in := claim(t, res, "c").Inputs; in[0].Name != "worst_deaths" || in[1].Text != "1930" {
		t.Errorf("claim inputs %+v", in)
	}
	cols := res.View("by_year").Columns
	if cols[0].Format != "0" || cols[1].Format != "" {
		t.Errorf("column formats %q and %q, want \"0\" for year and none for deaths", cols[0].Format, cols[1].Format)
	}
}

// TestImages: an image of the project that a passage shows travels inside
// the report as a data: URL; one that is not an image, or lies outside the
// project, or is missing, is refused at its place.
func TestImages(t *testing.T) {
	// The smallest GIF: one transparent pixel.
	gif := "GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
	head := "title: T\ndatasets:\n" + dsYAML("d", "a\n1\n", "a: int")
	run := func(md string, files map[string]string) (*results.Document, string, error) {
		src := head + "body:\n  - md: \"" + md + "\"\n"
		p := project{src: src, files: map[string]string{"d": "a\n1\n"}}
		dir := p.write(t)
		for name, data := range files {
			if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(name)), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		res, err := Execute(compile(t, src), Options{Root: dir})
		return res, src, err
	}
	res, _, err := run("A dot: ![dot](images/dot.gif)", map[string]string{"images/dot.gif": gif})
	if err != nil {
		t.Fatal(err)
	}
	imgs := res.Body[0].Markdown.Images
	if len(imgs) != 1 || imgs[0].Type != "image/gif" || imgs[0].Bytes != len(gif) || !strings.HasPrefix(imgs[0].DataURL, "data:image/gif;base64,R0lGOD") {
		t.Errorf("images %+v", imgs)
	}
	for _, tt := range []struct{ name, md, want string }{
		{"not an image", "![x](images/x.gif)", `image images/x.gif is text/plain; charset=utf-8, not a PNG, JPEG, GIF or WebP image (save it as one of those)`},
		{"outside", "![x](../x.gif)", `image ../x.gif: path "../x.gif" leaves the project root (keep datasets inside the project, e.g. under datasets/) (a report carries its images inside itself; keep each under 2 MiB, in the project)`},
		{"missing", "![x](images/none.gif)", `image images/none.gif: images/none.gif does not exist (there is no directory images) (a report carries its images inside itself; keep each under 2 MiB, in the project)`},
	} {
		files := map[string]string{}
		if tt.name == "not an image" {
			files["images/x.gif"] = "<svg onload=alert(1)>"
		}
		_, src, err := run(tt.md, files)
		want := where(t, src, tt.md[strings.Index(tt.md, "(")+1:]) + ": " + tt.want
		if err == nil || err.Error() != want {
			t.Errorf("%s:\n got %v\nwant %s", tt.name, err, want)
		}
	}
}
