package results

import (
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"galley/runner/internal/value"
)

func sample() *Document {
	day := time.Date(2017, 3, 17, 0, 0, 0, 0, time.UTC)
	return &Document{Format: Format, Version: Version,
		Analysis: Analysis{Path: "analyses/a.yaml", SHA256: strings.Repeat("a", 64), Title: "T <&> \u2028"},
		Datasets: []*Dataset{}, Values: []*Value{
			{Name: "d", Line: 3, Expr: "date('2017-03-17')", Type: "date", Value: Scalar{day}, Text: "2017-03-17", Datasets: []string{}},
			{Name: "f", Line: 4, Expr: "1/3", Type: "float", Value: Scalar{1.0 / 3}, Text: "0.3333333333333333", Datasets: []string{}},
		},
		Views: []*View{{Name: "v", Line: 5, From: "t", Datasets: []string{"t"}, Shown: true, Total: 2,
			Columns: []Column{{Name: "s", Type: value.String}, {Name: "n", Type: value.Int, Label: "Count", Format: "0,0"}, {Name: "x", Type: value.Float}, {Name: "d", Type: value.Date}, {Name: "b", Type: value.Bool}},
			Rows:    [][]any{{"a \"q\"", 1, 2.5, day, true}, {nil, math.MaxInt64, -0.001, nil, false}}}},
		Claims: []*Claim{}, Body: []*Cell{}}
}

// TestMarshal: the canonical form is the same JSON as encoding/json writes,
// laid out one way, with rows on a line each.
func TestMarshal(t *testing.T) {
	doc := sample()
	got, err := Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	var a, b any
	if err := json.Unmarshal(got, &a); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, got)
	}
	plain, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	json.Unmarshal(plain, &b)
	if !reflect.DeepEqual(a, b) {
		t.Errorf("Marshal and encoding/json disagree:\n%s\n%s", got, plain)
	}
	for _, want := range []string{
		`        ["a \"q\"", 1, 2.5, "2017-03-17", true],` + "\n",
		`        [null, 9223372036854775807, -0.001, null, false]` + "\n",
		`      "value": "2017-03-17",` + "\n",
		`"title": "T <&> \u2028"`,
	} {
		if !strings.Contains(string(got), want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	again, _ := Marshal(sample())
	if string(again) != string(got) {
		t.Error("two documents alike give different bytes")
	}
}

// TestNoNaN: a NaN or an infinity is never written.
func TestNoNaN(t *testing.T) {
	for _, bad := range []any{math.NaN(), math.Inf(1), []int{1}} {
		doc := sample()
		doc.Views[0].Rows[0][2] = bad
		if _, err := Marshal(doc); err == nil {
			t.Errorf("Marshal wrote %v", bad)
		}
	}
}

// TestRowsCapped: the JSON holds the rows of shown views only, the first
// MaxRows of them.
func TestRowsCapped(t *testing.T) {
	doc := sample()
	v := doc.Views[0]
	v.Rows = nil
	for i := 0; i < MaxRows+5; i++ {
		v.Rows = append(v.Rows, []any{"s", i, 1.5, nil, true})
	}
	out, err := Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(out), `["s", `); n != MaxRows {
		t.Errorf("%d rows written, want %d", n, MaxRows)
	}
	v.Shown = false
	out, _ = Marshal(doc)
	if strings.Contains(string(out), `"rows"`) {
		t.Error("rows written for a view no table or chart shows")
	}
}
