package cli

import (
	"flag"
	"io"
	"slices"
	"strings"
	"testing"
)

func TestTerminalText(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Mosul", "Mosul"},
		{"東京 ü", "東京 ü"},
		{"a\nb\tc\rd", `a\nb\tc\rd`},
		{"\x1b]0;pwned\x07title", `\x1b]0;pwned\x07title`},
		{"\x1b[2J", `\x1b[2J`},
		{"evil\u202eexe.txt", `evil\u202eexe.txt`},
		{"\u0085next line", `\x85next line`},
		{"del\x7f", `del\x7f`},
	} {
		if got := terminalText(c.in); got != c.want {
			t.Errorf("terminalText(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestCellWidthAndCut(t *testing.T) {
	for _, c := range []struct {
		in    string
		width int
		cut5  string
	}{
		{"abc", 3, "abc"},
		{"東京", 4, "東京"},
		{"東京都庁舎", 10, "東京…"},
		{"e\u0301te\u0301", 3, "e\u0301te\u0301"},
		{"abcdefgh", 8, "abcd…"},
	} {
		if got := cellWidth(c.in); got != c.width {
			t.Errorf("cellWidth(%q) = %d, want %d", c.in, got, c.width)
		}
		if got := cut(c.in, 5); got != c.cut5 {
			t.Errorf("cut(%q, 5) = %q, want %q", c.in, got, c.cut5)
		}
	}
}

func TestGrid(t *testing.T) {
	g := &grid{indent: "  ", right: []bool{false, true}}
	g.add("city", "deaths")
	g.rule()
	g.add("東京", "7")
	g.add("Mosul", "1,234")
	var b strings.Builder
	g.write(&b)
	want := "" +
		"  city   deaths\n" +
		"  -----  ------\n" +
		"  東京        7\n" +
		"  Mosul   1,234\n"
	if b.String() != want {
		t.Errorf("grid:\n%s\nwant:\n%s", b.String(), want)
	}
}

// TestParseArgs: flags may stand anywhere among the arguments; after "--"
// everything is an argument.
func TestParseArgs(t *testing.T) {
	for _, c := range []struct {
		args, want []string
		limit      int
	}{
		{[]string{"a.yaml", "v"}, []string{"a.yaml", "v"}, 20},
		{[]string{"a.yaml", "-limit", "3", "v"}, []string{"a.yaml", "v"}, 3},
		{[]string{"-limit=4", "a.yaml", "v", "--limit", "5"}, []string{"a.yaml", "v"}, 5},
		{[]string{"a.yaml", "--", "-limit", "6"}, []string{"a.yaml", "-limit", "6"}, 20},
	} {
		fs := flag.NewFlagSet("x", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		limit := fs.Int("limit", 20, "")
		got, ok, _ := parseArgs(fs, c.args)
		if !ok || !slices.Equal(got, c.want) || *limit != c.limit {
			t.Errorf("parseArgs(%q) = %q, limit %d, ok %v; want %q, limit %d", c.args, got, *limit, ok, c.want, c.limit)
		}
	}
}
