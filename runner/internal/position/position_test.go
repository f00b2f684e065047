package position

import (
	"strings"
	"testing"
)

func TestError(t *testing.T) {
	e := Errorf(Pos{File: "a.yaml", Line: 13, Col: 31}, "unknown column %q in where", "deths").Span(5).Hinted(`did you mean "deaths"?`)
	if got, want := e.Error(), `a.yaml:13:31: unknown column "deths" in where (did you mean "deaths"?)`; got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
}

func TestExcerpt(t *testing.T) {
	long := strings.Repeat("a,", 100) + "BAD" + strings.Repeat(",b", 100)
	tests := []struct {
		name string
		line string
		pos  Pos
		len  int
		want string
	}{
		{"span", `    where: city == "Mosul" && deths > 1`, Pos{Line: 13, Col: 31}, 5,
			"" +
				" 13 |     where: city == \"Mosul\" && deths > 1\n" +
				"    |                               ^^^^^\n"},
		{"point", "city,deaths", Pos{Line: 3, Col: 6}, 0,
			" 3 | city,deaths\n" +
				"   |      ^\n"},
		{"tabs keep the caret aligned", "\tx:\tbad", Pos{Line: 2, Col: 5}, 3,
			" 2 | \tx:\tbad\n" +
				"   | \t  \t^^^\n"},
		{"wide characters count once", "Médecins,Mosul", Pos{Line: 1, Col: 11}, 5,
			" 1 | Médecins,Mosul\n" +
				"   |          ^^^^^\n"},
		{"past the end", "abc", Pos{Line: 7, Col: 4}, 0,
			" 7 | abc\n" +
				"   |    ^\n"},
		{"long line cut around the span", long, Pos{Line: 1, Col: 201}, 3,
			" 1 | …" + long[167:267] + "…\n" +
				"   |  " + strings.Repeat(" ", 33) + "^^^\n"},
		{"no column", "abc", Pos{Line: 7}, 0, ""},
		{"column beyond the line", "abc", Pos{Line: 7, Col: 9}, 0, ""},
		{"not UTF-8", "caf\xe9", Pos{Line: 1, Col: 2}, 0, ""},
		// A line of a data file must not act on the terminal: an escape
		// sequence would retitle the window or clear the screen, a
		// carriage return or U+202E hide or reorder what follows.
		{"control characters written as escapes", "x\x1b]0;PWNED\x07\x1b[2J\u202e,y\rz,\x1b[31m", Pos{Line: 2, Col: 20}, 4,
			` 2 | x\x1b]0;PWNED\a\x1b[2J\u202e,y\rz,\x1b[31m` + "\n" +
				"   |" + strings.Repeat(" ", 30) + "^^^^^\n"},
	}
	for _, tt := range tests {
		e := &Error{Pos: tt.pos, Len: tt.len, Msg: "m"}
		if got := e.Excerpt(tt.line); got != tt.want {
			t.Errorf("%s:\n got:\n%s\nwant:\n%s", tt.name, got, tt.want)
		}
	}
}

func TestSheetPos(t *testing.T) {
	for _, c := range []struct {
		p    Pos
		want string
	}{
		{Pos{File: "d/b.xlsx", Line: 17, Col: 3, Sheet: "Table 3"}, `d/b.xlsx: sheet "Table 3" C17`},
		{Pos{File: "d/b.xlsx", Line: 2, Col: 28, Sheet: "S"}, `d/b.xlsx: sheet "S" AB2`},
		{Pos{File: "d/b.xlsx", Line: 1, Col: 16384, Sheet: "S"}, `d/b.xlsx: sheet "S" XFD1`},
		{Pos{File: "d/b.xlsx", Line: 9, Sheet: "S"}, `d/b.xlsx: sheet "S" row 9`},
		{Pos{File: "d/b.xlsx", Sheet: "S"}, `d/b.xlsx: sheet "S"`},
	} {
		if got := c.p.String(); got != c.want {
			t.Errorf("%+v: got %s, want %s", c.p, got, c.want)
		}
	}
	e := Errorf(Pos{File: "d/b.xlsx", Line: 1, Col: 1, Sheet: "S"}, "x")
	if got := e.Excerpt("A,B"); got != "" {
		t.Errorf("a cell has no excerpt, got %q", got)
	}
}
