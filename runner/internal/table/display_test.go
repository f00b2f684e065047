package table

import (
	"testing"
	"time"

	"galley/runner/internal/analysis"
	"galley/runner/internal/position"
	"galley/runner/internal/value"
)

func pos(line, col int) position.Pos { return position.Pos{File: "a.yaml", Line: line, Col: col} }

func label(key, text string, col int) analysis.Label {
	return analysis.Label{Key: key, KeyPos: pos(3, col), Text: analysis.String{Value: text, Pos: pos(3, col+len(key)+2), Set: true}}
}

var cols = []Column{
	{Name: "city", Type: analysis.TypeString},
	{Name: "n", Type: analysis.TypeInt},
	{Name: "share", Type: analysis.TypeFloat},
	{Name: "day", Type: analysis.TypeDate},
	{Name: "x", Type: analysis.TypeAny},
}

func TestNewDisplay(t *testing.T) {
	d, rest, err := NewDisplay([]analysis.Label{label("city", "City", 12), label("KSEA", "Seattle", 24)},
		[]analysis.Label{label("share", "0.0%", 12), label("day", "YYYY", 26), label("x", "$0,0", 40)}, cols, "chart", true)
	if err != nil {
		t.Fatal(err)
	}
	if d.Label("city") != "City" || d.Label("n") != "n" || len(rest) != 1 || rest[0].Key != "KSEA" {
		t.Errorf("labels %v, rest %v", d.Labels, rest)
	}
	if f, ok := d.Format("share"); !ok || f.Text(0.276) != "27.6%" {
		t.Errorf("share format %v %v", f, ok)
	}
	tests := []struct {
		labels, formats []analysis.Label
		want            string
	}{
		{[]analysis.Label{label("cty", "City", 12)}, nil,
			`a.yaml:3:12: view "v": labels: no column "cty" (did you mean "city"?)`},
		{nil, []analysis.Label{label("citi", "0", 12)},
			`a.yaml:3:12: view "v": formats: no column "citi" (did you mean "city"?)`},
		{nil, []analysis.Label{label("city", "0,0", 12)},
			`a.yaml:3:18: view "v": formats: "0,0" is a number format, and "city" is a string column (a number format applies to int and float columns)`},
		{nil, []analysis.Label{label("n", "D MMM YYYY", 12)},
			`a.yaml:3:15: view "v": formats: "D MMM YYYY" is a date format, and "n" is an int column (a date format applies to date columns)`},
		{nil, []analysis.Label{label("share", "#0%", 12)},
			`a.yaml:3:19: view "v": formats: number format "#0%" is written as in a spreadsheet; write "0%" (0 stands for the digits)`},
	}
	for _, tt := range tests {
		_, _, err := NewDisplay(tt.labels, tt.formats, cols, `view "v"`, false)
		if err == nil || err.Error() != tt.want {
			t.Errorf("got %v\nwant %s", err, tt.want)
		}
	}
}

func TestOverAndShow(t *testing.T) {
	view := Display{Labels: map[string]string{"n": "Members", "city": "City"}, Formats: map[string]value.Format{"share": value.MustFormat("0%")}}
	own := Display{Labels: map[string]string{"n": "People"}, Formats: map[string]value.Format{"share": value.MustFormat("0.0%")}}
	d := own.Over(view)
	if d.Label("n") != "People" || d.Label("city") != "City" {
		t.Errorf("labels over: %v", d.Labels)
	}
	if f, _ := d.Format("share"); f.String() != "0.0%" {
		t.Errorf("format over: %v", f)
	}
	if view.Label("n") != "Members" {
		t.Error("Over changed the view's display")
	}
	day := func(y int, m time.Month) time.Time { return time.Date(y, m, 1, 0, 0, 0, 0, time.UTC) }
	rows := [][]any{{"Oslo", 1, 0.5, day(1930, 1), nil}, {"Rome", 2, 0.25, day(1931, 1), nil}}
	if sh := d.Show(cols[3], 3, rows); sh.Format.String() != "YYYY" || sh.Text(day(1930, 1)) != "1930" {
		t.Errorf("a column of years shows as %q: %q", sh.Format, sh.Text(day(1930, 1)))
	}
	if sh := d.Show(cols[2], 2, rows); sh.Text(0.5) != "50.0%" || sh.Label != "share" {
		t.Errorf("share shows as %q %q", sh.Label, sh.Text(0.5))
	}
	named := Shown{Names: map[string]string{"KSEA": "Seattle"}}
	if named.Text("KSEA") != "Seattle" || named.Text("KPHX") != "KPHX" || named.Text(nil) != value.NullText {
		t.Errorf("names: %q %q %q", named.Text("KSEA"), named.Text("KPHX"), named.Text(nil))
	}
}
