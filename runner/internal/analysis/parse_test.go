package analysis

import (
	"os"
	"strings"
	"testing"

	"galley/runner/internal/position"
	"galley/runner/internal/value"
)

func pos(line, col int) position.Pos { return position.Pos{File: "x.yaml", Line: line, Col: col} }

func readContract(t testing.TB) []byte {
	t.Helper()
	src, err := os.ReadFile("testdata/contract.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// TestContract parses the example of the contract (copied verbatim from
// /work/shared/design/analysis-format.md) and checks the tree and the
// positions of its key nodes.
func TestContract(t *testing.T) {
	src := readContract(t)
	f, err := Parse("x.yaml", src)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	type check struct {
		what      string
		got, want any
	}
	ds := f.Datasets[0]
	v := f.Views[0]
	md := f.Body[0]
	chart := f.Body[1].Chart
	checks := []check{
		{"title", f.Title, String{"Mosul: counting the civilian dead", pos(1, 9), true}},
		{"byline", f.Byline, String{"Data desk", pos(3, 10), true}},
		{"date", f.Date, String{"2017-12-21", pos(4, 7), true}},
		{"datasets", len(f.Datasets), 1},
		{"dataset name", ds.Name, "estimates"},
		{"dataset pos", ds.Pos, pos(7, 3)},
		{"dataset path", ds.Path, String{"datasets/mosul/estimates.csv", pos(8, 11), true}},
		{"dataset sha256", ds.SHA256.Value, "5d41402abc4b2a76b9719d911017c592..."},
		{"source pos", ds.Source.Pos, pos(10, 5)},
		{"source title", ds.Source.Title, String{"Mosul is a graveyard: Final IS battle kills 9,000 civilians", pos(11, 15), true}},
		{"source publisher", ds.Source.Publisher.Value, "Associated Press"},
		{"source url", ds.Source.URL.Value, "https://apnews.com/..."},
		{"source published", ds.Source.Published.Value, "2017-12-21"},
		{"source accessed", ds.Source.Accessed, String{"2026-11-23", pos(15, 17), true}},
		{"source license", ds.Source.License.Value, "Figures as published"},
		{"columns", len(ds.Columns), 7},
		{"column low", *ds.Columns[3], Column{Name: "low", Pos: pos(21, 7), Type: TypeInt, TypePos: pos(21, 12)}},
		{"column period_end", ds.Columns[6].Type, TypeDate},
		{"null unset", ds.NullSet, false},
		{"views", len(f.Views), 1},
		{"view pos", v.Pos, pos(30, 3)},
		{"view from", v.From, Ref{"estimates", pos(31, 11)}},
		{"where", v.Where, []Expr{{
			Src:   `scope == "Mosul" && period_end <= date("2017-07-31")`,
			Pos:   pos(32, 12),
			Lines: []position.Pos{pos(32, 12)},
		}}},
		{"derive", *v.Derive[0], Named{"midpoint", pos(34, 7), Expr{"(low + high) / 2", pos(34, 17), []position.Pos{pos(34, 17)}}}},
		{"group_by", v.GroupBy, []Ref{{"counter", pos(35, 16)}}},
		{"aggregate names", []string{v.Aggregate[0].Name, v.Aggregate[1].Name, v.Aggregate[2].Name}, []string{"low", "high", "rows"}},
		{"aggregate rows", v.Aggregate[2].Expr.Src, "count()"},
		{"order_by", v.OrderBy, []OrderKey{{"high", true, pos(40, 16)}, {"counter", false, pos(40, 23)}}},
		{"limit", v.Limit, Int{20, pos(41, 12), true}},
		{"values", len(f.Values), 3},
		{"value ap_low", *f.Values[0], Value{Name: "ap_low", Pos: pos(44, 3), Expr: Expr{`first(filter(mosul, .counter == "AP")).low`, pos(44, 11), []position.Pos{pos(44, 11)}}}},
		{"value ratio", f.Values[2].Expr.Pos, pos(46, 10)},
		{"claims", len(f.Claims), 1},
		{"claim", *f.Claims[0], Claim{
			ID: "ap-27x", Pos: pos(49, 5), IDPos: pos(49, 9),
			Text:  String{"The AP's count is at least 27 times the figure the US acknowledges.", pos(50, 12), true},
			Check: Expr{"ratio >= 27", pos(51, 12), []position.Pos{pos(51, 12)}},
		}},
		{"body", len(f.Body), 4},
		{"md kind", md.Kind, CellMarkdown},
		{"md pos", md.Pos, pos(54, 5)},
		{"md text", md.Markdown, String{
			"The AP counted at least {{ ap_low }} dead, {{ round(ratio, 1) }} times the\n{{ us_ack }} that US officials acknowledge.\n",
			pos(55, 7), true}},
		{"inline count", len(md.Inline), 3},
		{"inline ap_low", md.Inline[0].Src, " ap_low "},
		{"inline ap_low pos", md.Inline[0].Pos, pos(55, 33)},
		{"inline round pos", md.Inline[1].Pos, pos(55, 52)},
		{"inline round src", md.Inline[1].Src, " round(ratio, 1) "},
		{"inline us_ack pos", md.Inline[2].Pos, pos(56, 9)},
		{"chart kind", f.Body[1].Kind, CellChart},
		{"chart pos", chart.Pos, pos(57, 5)},
		{"chart type", chart.Type, String{"bar", pos(58, 13), true}},
		{"chart data", chart.Data, Ref{"mosul", pos(59, 13)}},
		{"chart x", chart.X, Ref{"counter", pos(60, 10)}},
		{"chart y", chart.Y, []Ref{{"low", pos(61, 11)}, {"high", pos(61, 16)}}},
		{"chart title", chart.Title, String{"Civilian deaths in Mosul, by who counted", pos(62, 15), true}},
		{"chart y_label", chart.YLabel.Value, "Deaths"},
		{"chart caption", chart.Caption.Value, "Low and high estimates."},
		{"table", *f.Body[2].Table, Table{Pos: pos(65, 5), View: Ref{"mosul", pos(65, 12)}}},
		{"claim cell", f.Body[3].Claim, Ref{"ap-27x", pos(66, 12)}},
		{"source kept", string(f.Source), string(src)},
	}
	for _, c := range checks {
		if !equal(c.got, c.want) {
			t.Errorf("%s:\n got  %+v\n want %+v", c.what, c.got, c.want)
		}
	}
	// Each position that points at an expression's first byte must point at
	// the text of that expression in the file.
	lines := strings.Split(string(src), "\n")
	for _, e := range []Expr{v.Where[0], v.Derive[0].Expr, f.Values[0].Expr, f.Claims[0].Check, md.Inline[0], md.Inline[1], md.Inline[2]} {
		at := lines[e.Pos.Line-1][e.Pos.Col-1:]
		first := strings.SplitN(e.Src, "\n", 2)[0]
		if !strings.HasPrefix(at, first) {
			t.Errorf("%s: Pos %v points at %q, not at %q", e.Src, e.Pos, at, first)
		}
	}
}

// TestExprPositions checks the position of an expression's first byte, and
// of each of its lines, for each scalar style.
func TestExprPositions(t *testing.T) {
	const head = "title: T\ndatasets: {}\nvalues:\n"
	tests := []struct {
		name  string
		value string // the lines after "values:", from line 4
		src   string
		lines []position.Pos
	}{
		{"plain", "  a: x > 1\n", "x > 1", []position.Pos{pos(4, 6)}},
		{"plain after spaces", "  a:     x > 1   # comment\n", "x > 1", []position.Pos{pos(4, 10)}},
		{"single-quoted", "  a: 'x ? 1 : 0'\n", "x ? 1 : 0", []position.Pos{pos(4, 7)}},
		{"double-quoted", "  a: \"x == \\\"b\\\"\"\n", `x == "b"`, []position.Pos{pos(4, 7)}},
		{"literal block", "  a: |\n    x > 1 &&\n      y < 2\n", "x > 1 &&\n  y < 2\n", []position.Pos{pos(5, 5), pos(6, 5), pos(7, 5)}},
		{"literal strip", "  a: |-\n      x\n      + 1\n", "x\n+ 1", []position.Pos{pos(5, 7), pos(6, 7)}},
		{"literal with comment", "  a: | # why\n    x\n", "x\n", []position.Pos{pos(5, 5), pos(6, 5)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse("x.yaml", []byte(head+tt.value))
			if err != nil {
				t.Fatal(err)
			}
			want := Expr{Src: tt.src, Pos: tt.lines[0], Lines: tt.lines}
			if got := f.Values[0].Expr; !equal(got, want) {
				t.Errorf("got  %+v\nwant %+v", got, want)
			}
		})
	}
}

// TestWherePositions checks the list form of where and an expression in a
// flow sequence.
func TestWherePositions(t *testing.T) {
	src := "title: T\ndatasets: {d: {path: p, source: {title: t, publisher: p, accessed: 2020-01-01, license: l}, columns: {x: int}}}\n" +
		"views:\n  v:\n    from: d\n    where: [x > 1, 'x < 9']\n  w:\n    from: v\n    where:\n      - x != 2\n      - \"x != 3\"\n"
	f, err := Parse("x.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var got []position.Pos
	for _, v := range f.Views {
		for _, w := range v.Where {
			got = append(got, w.Pos)
		}
	}
	want := []position.Pos{pos(6, 13), pos(6, 21), pos(10, 9), pos(11, 10)}
	if !equal(got, want) {
		t.Errorf("got  %v\nwant %v", got, want)
	}
}

// TestInlinePositions checks {{ }} positions inside md cells of each style.
func TestInlinePositions(t *testing.T) {
	const head = "title: T\ndatasets: {}\nbody:\n"
	tests := []struct {
		name string
		body string // from line 4
		want []Expr
	}{
		{name: "plain", body: "  - md: a {{ x }} b {{y}}\n", want: []Expr{
			{" x ", pos(4, 13), []position.Pos{pos(4, 13)}},
			{"y", pos(4, 23), []position.Pos{pos(4, 23)}},
		}},
		{name: "double-quoted", body: "  - md: \"{{ x }}\"\n", want: []Expr{{" x ", pos(4, 12), []position.Pos{pos(4, 12)}}}},
		{name: "literal block, second line", body: "  - md: |\n      a\n      b {{ x +\n      1 }}\n", want: []Expr{
			{" x +\n1 ", pos(6, 11), []position.Pos{pos(6, 11), pos(7, 7)}},
		}},
		{name: "literal block after a blank line", body: "  - md: |\n      a\n\n      {{ x }}\n", want: []Expr{
			{" x ", pos(7, 9), []position.Pos{pos(7, 9)}},
		}},
		{name: "folded block, second paragraph", body: "  - md: >\n      a\n\n      {{ x }}\n", want: []Expr{
			{" x ", pos(7, 9), []position.Pos{pos(7, 9)}},
		}},
		{name: "plain scalar over two lines", body: "  - md: a\n      b {{ x }}\n", want: []Expr{
			{" x ", pos(5, 11), []position.Pos{pos(5, 11)}},
		}},
		{name: "double-quoted with \\n escape", body: "  - md: \"a\\n{{ x }}\"\n", want: []Expr{
			{" x ", pos(4, 15), []position.Pos{pos(4, 15)}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse("x.yaml", []byte(head+tt.body))
			if err != nil {
				t.Fatal(err)
			}
			got := f.Body[0].Inline
			md, spans := f.Body[0].Markdown.Value, f.Body[0].Spans
			if len(spans) != len(got) {
				t.Fatalf("%d spans for %d inline values", len(spans), len(got))
			}
			for i, sp := range spans {
				if text := md[sp.From:sp.To]; text != "{{"+got[i].Src+"}}" {
					t.Errorf("span %d is %q, want {{%s}}", i, text, got[i].Src)
				}
			}
			for i := range got {
				// Lines past the expression's own are not part of the contract.
				if n := strings.Count(got[i].Src, "\n") + 1; len(got[i].Lines) > n {
					got[i].Lines = got[i].Lines[:n]
				}
			}
			if !equal(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestExprAt(t *testing.T) {
	e := Expr{Src: "a &&\n  b", Pos: pos(5, 5), Lines: []position.Pos{pos(5, 5), pos(6, 5)}}
	tests := []struct {
		line, col int
		want      position.Pos
	}{
		{1, 0, pos(5, 5)},
		{1, 2, pos(5, 7)},
		{2, 2, pos(6, 7)},
		{3, 1, pos(6, 6)}, // past the last line: clamped
		{0, 4, pos(5, 5)}, // unknown line: the expression
	}
	for _, tt := range tests {
		if got := e.At(tt.line, tt.col); got != tt.want {
			t.Errorf("At(%d, %d) = %v, want %v", tt.line, tt.col, got, tt.want)
		}
	}
	if got := (Expr{Pos: pos(2, 3)}).At(1, 4); got != pos(2, 3) {
		t.Errorf("At on an Expr without Lines = %v, want %v", got, pos(2, 3))
	}
}

func TestValidDate(t *testing.T) {
	tests := []struct {
		s  string
		ok bool
	}{
		{"2017-12-21", true},
		{"2016-02-29", true},
		{"2000-02-29", true},
		{"2017-02-29", false},
		{"2100-02-29", false},
		{"2017-02-30", false},
		{"2017-04-31", false},
		{"2017-13-01", false},
		{"2017-00-10", false},
		{"2017-01-00", false},
		{"2017-1-01", false},
		{"17-01-01", false},
		{"2017-01-01T00:00:00Z", false},
		{"２０１７-01-01", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := validDate(tt.s); got != tt.ok {
			t.Errorf("validDate(%q) = %v, want %v", tt.s, got, tt.ok)
		}
	}
}

func TestColumnForms(t *testing.T) {
	src := ds + "      when: {type: date, format: \"02/01/2006\", from: \"Date of death\", required: true, null: [\"-\"]}\n" +
		"      twelfth: {type: float, from: 12}\n" +
		"    delimiter: \";\"\n    encoding: latin-1\n    null: [\"\", NA]\n    skip_rows: 2\n"
	f, err := Parse("x.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	d := f.Datasets[0]
	when, twelfth := d.Columns[2], d.Columns[3]
	if when.Type != TypeDate || when.Layout != "02/01/2006" || when.From != "Date of death" || when.FromPos != pos(9, 55) ||
		!when.Required || !equal(when.Null, []string{"-"}) || when.Header() != "Date of death" {
		t.Errorf("when = %+v", when)
	}
	if twelfth.Type != TypeFloat || twelfth.FromIdx != 12 || twelfth.From != "" || twelfth.Header() != "twelfth" {
		t.Errorf("twelfth = %+v", twelfth)
	}
	if d.Delimiter.Value != ";" || d.Encoding.Value != "latin-1" || !d.NullSet || d.SkipRows.Value != 2 ||
		len(d.Null) != 2 || d.Null[0].Value != "" || d.Null[1] != (String{"NA", pos(13, 16), true}) {
		t.Errorf("dataset = %+v", d)
	}
	if got := value.TypeNames(); !equal(got, []string{"string", "int", "float", "bool", "date"}) {
		t.Errorf("value.TypeNames() = %q", got)
	}
	if TypeAny.String() != "any" || TypeDate.String() != "date" {
		t.Errorf("ColumnType.String: %q %q", TypeAny, TypeDate)
	}
}

// ds is a minimal valid head: a title and one dataset, lines 1 to 8.
const ds = `title: T
datasets:
  est:
    path: d.csv
    source: {title: S, publisher: P, accessed: 2020-01-01, license: L}
    columns:
      city: string
      deaths: int
`

// view is a valid view on ds, lines 9 to 11.
const view = `views:
  v:
    from: est
`

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		err  string // the whole error, every line
	}{{
		name: "empty file",
		src:  "",
		err:  "x.yaml:1:1: the analysis is empty; start with title: and datasets:",
	}, {
		name: "not UTF-8",
		src:  "title: T\ndatasets: {}\ndek: caf\xe9\n",
		err:  "x.yaml:3:1: the analysis is not valid UTF-8; save it as UTF-8",
	}, {
		name: "too large",
		src:  "title: T\n#" + strings.Repeat("x", MaxFileBytes),
		err:  "x.yaml:1:1: the analysis is 4194314 bytes, over the 4194304-byte limit; keep data in datasets/",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("x.yaml", []byte(tt.src))
			if err == nil {
				t.Fatalf("Parse succeeded, want error:\n%s", tt.err)
			}
			if got := err.Error(); got != tt.err {
				t.Errorf("error:\n got: %s\nwant: %s", got, tt.err)
			}
			for _, e := range position.Errors(err) {
				if e.Pos.File != "x.yaml" || !e.Pos.IsValid() {
					t.Errorf("error without a file position: %#v", e)
				}
			}
		})
	}
}

// TestLoneCarriageReturn is a fuzz finding: yaml.v3 counts a lone \r as a
// line break, so positions fell past the end of the file. It is refused.
func TestLoneCarriageReturn(t *testing.T) {
	src := "title: T\ndatasets:\n  est:\n    path: d.csv\n    source: {title: S, publisher: P,\raccessed: 2020-01-01, license: L}\n    columns:\n      city: string\n"
	_, err := Parse("x.yaml", []byte(src))
	want := "x.yaml:5:37: a carriage return without a line feed; save the analysis with LF (or CRLF) line ends"
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}
