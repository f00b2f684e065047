package analysis

import (
	"os"
	"strings"
	"testing"

	"galley/runner/internal/position"
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
		{"value ap_low", *f.Values[0], Named{"ap_low", pos(44, 3), Expr{`first(filter(mosul, .counter == "AP")).low`, pos(44, 11), []position.Pos{pos(44, 11)}}}},
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
	if got := TypeNames(); !equal(got, []string{"string", "int", "float", "bool", "date"}) {
		t.Errorf("TypeNames() = %q", got)
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
		name: "only comments",
		src:  "# nothing yet\n\n",
		err:  "x.yaml:1:1: the analysis is empty; start with title: and datasets:",
	}, {
		name: "not a mapping",
		src:  "- title: T\n",
		err:  "x.yaml:1:1: the analysis must be a mapping of keys to values, not a list",
	}, {
		name: "not UTF-8",
		src:  "title: T\ndatasets: {}\ndek: caf\xe9\n",
		err:  "x.yaml:3:1: the analysis is not valid UTF-8; save it as UTF-8",
	}, {
		name: "too large",
		src:  "title: T\n#" + strings.Repeat("x", MaxFileBytes),
		err:  "x.yaml:1:1: the analysis is 4194314 bytes, over the 4194304-byte limit; keep data in datasets/",
	}, {
		name: "tab indent",
		src:  "title: T\ndatasets:\n\test: {}\n",
		err:  "x.yaml:3:1: found character that cannot start any token (YAML indents with spaces, not tabs)",
	}, {
		name: "tab after spaces",
		src:  "title: T\n\tdatasets: {}\n",
		err:  "x.yaml:2:1: found a tab character that violates indentation (indent with spaces, not tabs)",
	}, {
		name: "unquoted conditional",
		src:  ds + "values:\n  is3: deaths >= 3 ? 1 : 0\n",
		err:  "x.yaml:10:24: mapping values are not allowed in this context (an expression holding \": \", such as a ? b : c, must be quoted: 'a ? b : c')",
	}, {
		name: "anchor",
		src:  "title: &t T\ndek: *t\ndatasets: {}\n",
		err:  "x.yaml:1:8: anchors and aliases (& and *) are not supported; write each part out so it reads top to bottom",
	}, {
		name: "merge key",
		src:  ds + "views:\n  a: &base {from: est}\n  b:\n    <<: *base\n",
		err:  "x.yaml:10:6: anchors and aliases (& and *) are not supported; write each part out so it reads top to bottom",
	}, {
		name: "alias without anchor",
		src:  "title: T\ndek: *t\ndatasets: {}\n",
		err:  "x.yaml:2:6: anchors and aliases (& and *) are not supported; write each part out so it reads top to bottom",
	}, {
		name: "too deep",
		src:  "title: T\ndatasets: {}\ndek: " + strings.Repeat("[", 70) + strings.Repeat("]", 70) + "\n",
		err:  "x.yaml:3:69: the analysis nests deeper than 64 levels",
	}, {
		name: "unknown top key with hint",
		src:  ds + "view:\n  v: {from: est}\n",
		err:  `x.yaml:9:1: the analysis: unknown key "view" (did you mean "views"?)`,
	}, {
		name: "unknown top key listing the known ones",
		src:  ds + "output: html\n",
		err:  `x.yaml:9:1: the analysis: unknown key "output" (known keys: body, byline, claims, datasets, date, dek, title, values, views)`,
	}, {
		name: "unknown dataset key",
		src:  ds + "    sha: abc\n",
		err:  `x.yaml:9:5: dataset "est": unknown key "sha" (known keys: columns, delimiter, encoding, null, path, sha256, skip_rows, source)`,
	}, {
		name: "unknown view key with hint",
		src:  ds + view + "    wher: deaths > 1\n",
		err:  `x.yaml:12:5: view "v": unknown key "wher" (did you mean "where"?)`,
	}, {
		name: "unknown source key with hint",
		src:  strings.Replace(ds, "license: L", "licence: L", 1),
		err: "x.yaml:5:5: dataset \"est\": source: missing required key \"license\"\n" +
			`x.yaml:5:60: dataset "est": source: unknown key "licence" (did you mean "license"?)`,
	}, {
		name: "unknown chart key",
		src:  ds + view + "body:\n  - chart: {type: bar, data: v, x: city, y: deaths, ylabel: D}\n",
		err:  `x.yaml:13:53: chart: unknown key "ylabel" (did you mean "y_label"?)`,
	}, {
		name: "missing title and datasets",
		src:  "dek: D\n",
		err: "x.yaml:1:1: the analysis: missing required key \"title\"\n" +
			`x.yaml:1:1: the analysis: missing required key "datasets"`,
	}, {
		name: "missing from",
		src:  ds + "views:\n  v: {where: deaths > 1}\n",
		err:  `x.yaml:10:3: view "v": missing required key "from"`,
	}, {
		name: "missing source keys",
		src:  strings.Replace(ds, "publisher: P, accessed: 2020-01-01, license: L", "url: https://e.org", 1),
		err: "x.yaml:5:5: dataset \"est\": source: missing required key \"publisher\"\n" +
			"x.yaml:5:5: dataset \"est\": source: missing required key \"accessed\"\n" +
			`x.yaml:5:5: dataset "est": source: missing required key "license"`,
	}, {
		name: "missing claim keys",
		src:  ds + "claims:\n  - id: a\n",
		err: "x.yaml:10:5: claim: missing required key \"text\"\n" +
			`x.yaml:10:5: claim: missing required key "check"`,
	}, {
		name: "duplicate key",
		src:  "title: A\ntitle: B\ndatasets: {}\n",
		err:  `x.yaml:2:1: the analysis: key "title" is written twice (first at line 1); keep one`,
	}, {
		name: "duplicate view",
		src:  ds + "views:\n  v: {from: est}\n  v: {from: est}\n",
		err:  `x.yaml:11:3: views: "v" is defined twice (first at line 10); rename one`,
	}, {
		name: "duplicate column",
		src:  ds + "      city: string\n",
		err:  `x.yaml:9:7: dataset "est": columns: "city" is defined twice (first at line 7); rename one`,
	}, {
		name: "view named as a dataset",
		src:  ds + "views:\n  est: {from: est}\n",
		err: "x.yaml:10:3: view \"est\" has the same name as the dataset at line 3; names are shared by datasets, views and values\n" +
			`x.yaml:10:15: view "est" reads from itself`,
	}, {
		name: "value named as a view",
		src:  ds + view + "values:\n  v: 1\n",
		err:  `x.yaml:13:3: value "v" has the same name as the view at line 10; names are shared by datasets, views and values`,
	}, {
		name: "duplicate claim id",
		src:  ds + "claims:\n  - {id: a, text: T, check: 'true'}\n  - {id: a, text: U, check: 'true'}\n",
		err:  `x.yaml:11:10: claim id "a" is used twice (first at line 10)`,
	}, {
		name: "undefined from with hint",
		src:  ds + "views:\n  v: {from: ests}\n",
		err:  `x.yaml:10:13: view "v": from: no dataset or view named "ests" (did you mean "est"?)`,
	}, {
		name: "undefined from",
		src:  ds + "views:\n  v: {from: other}\n",
		err:  `x.yaml:10:13: view "v": from: no dataset or view named "other"`,
	}, {
		name: "undefined join view",
		src:  ds + view + "  w:\n    from: v\n    join: {view: vv, on: [city]}\n",
		err:  `x.yaml:14:18: view "w": join: no view named "vv" (did you mean "v"?)`,
	}, {
		name: "join without keys",
		src:  ds + view + "  w:\n    from: v\n    join: {view: v, on: []}\n",
		err:  `x.yaml:14:25: view "w": join: on needs at least one key column`,
	}, {
		name: "table of an undefined view",
		src:  ds + view + "body:\n  - table: w\n",
		err:  `x.yaml:13:12: table: no view named "w" (did you mean "v"?)`,
	}, {
		name: "table of a dataset",
		src:  ds + "body:\n  - table: {view: est}\n",
		err:  `x.yaml:10:19: table: no view named "est" ("est" is a dataset; show it through a view: views: {all_rows: {from: est}})`,
	}, {
		name: "chart of an undefined view",
		src:  ds + view + "body:\n  - chart: {type: bar, data: vv, x: city, y: deaths}\n",
		err:  `x.yaml:13:30: chart: data: no view named "vv" (did you mean "v"?)`,
	}, {
		name: "undefined claim in body",
		src:  ds + "claims:\n  - {id: big-gap, text: T, check: 'true'}\nbody:\n  - claim: big-gaps\n",
		err:  `x.yaml:12:12: no claim with id "big-gaps" (did you mean "big-gap"?)`,
	}, {
		name: "bad date",
		src:  "title: T\ndate: 2017-02-30\ndatasets: {}\n",
		err:  `x.yaml:2:7: date must be a date written YYYY-MM-DD, not "2017-02-30"`,
	}, {
		name: "bad source dates",
		src:  strings.Replace(ds, "accessed: 2020-01-01", "accessed: 2020-1-1, published: \"2019-02-29\"", 1),
		err: "x.yaml:5:48: dataset \"est\": source: accessed must be a date written YYYY-MM-DD, not \"2020-1-1\"\n" +
			`x.yaml:5:69: dataset "est": source: published must be a date written YYYY-MM-DD, not "2019-02-29"`,
	}, {
		name: "unknown type with hint",
		src:  ds + "      when: dat\n",
		err:  `x.yaml:9:13: dataset "est": column "when": unknown type "dat" (did you mean "date"?)`,
	}, {
		name: "unknown type listing the known ones",
		src:  ds + "      when: timestamp\n",
		err:  `x.yaml:9:13: dataset "est": column "when": unknown type "timestamp" (known types: bool, date, float, int, string)`,
	}, {
		name: "unknown type in the long form",
		src:  ds + "      when: {type: dates}\n",
		err:  `x.yaml:9:20: dataset "est": column "when": unknown type "dates" (did you mean "date"?)`,
	}, {
		name: "unknown chart type listing the known ones",
		src:  ds + view + "body:\n  - chart: {type: histogram, data: v, x: city, y: deaths}\n",
		err:  `x.yaml:13:19: chart: unknown type "histogram" (known chart types: area, bar, line, pie, scatter)`,
	}, {
		name: "unknown chart type",
		src:  ds + view + "body:\n  - chart: {type: bars, data: v, x: city, y: deaths}\n",
		err:  `x.yaml:13:19: chart: unknown type "bars" (did you mean "bar"?)`,
	}, {
		name: "bad dataset name",
		src:  strings.Replace(ds, "  est:", "  my-data:", 1),
		err:  `x.yaml:3:3: dataset name "my-data" must be letters, digits and _, starting with a letter or _ (it is used in expressions)`,
	}, {
		name: "bad view name",
		src:  ds + "views:\n  2016: {from: est}\n",
		err:  `x.yaml:10:3: view name "2016" must be letters, digits and _, starting with a letter or _ (it is used in expressions)`,
	}, {
		name: "bad column name",
		src:  ds + "      \"death toll\": int\n",
		err:  `x.yaml:9:7: column name "death toll" must be letters, digits and _, starting with a letter or _ (it is used in expressions)`,
	}, {
		name: "bad value name",
		src:  ds + "values:\n  total.deaths: 1\n",
		err:  `x.yaml:10:3: value name "total.deaths" must be letters, digits and _, starting with a letter or _ (it is used in expressions)`,
	}, {
		name: "bad derive name",
		src:  ds + view + "    derive: {é: 1}\n",
		err:  `x.yaml:12:14: column name "é" must be letters, digits and _, starting with a letter or _ (it is used in expressions)`,
	}, {
		name: "bad claim id",
		src:  ds + "claims:\n  - {id: \"big gap\", text: T, check: 'true'}\n",
		err:  `x.yaml:10:10: claim id "big gap" must be letters, digits, - and _ (it becomes a link anchor)`,
	}, {
		name: "unclosed inline",
		src:  ds + "body:\n  - md: |\n      Deaths: {{ total\n",
		err:  "x.yaml:11:15: {{ is not closed; write {{ value }}",
	}, {
		name: "unclosed inline after a closed one",
		src:  ds + "body:\n  - md: \"{{ a }} and {{ b\"\n",
		err:  "x.yaml:10:22: {{ is not closed; write {{ value }}",
	}, {
		name: "empty inline",
		src:  ds + "body:\n  - md: a {{ }} b\n",
		err:  "x.yaml:10:13: empty {{ }}; write an expression inside, such as {{ total }}",
	}, {
		name: "empty expression",
		src:  ds + view + "    where: \"  \"\n",
		err:  `x.yaml:12:12: view "v": where is empty; write an expression`,
	}, {
		name: "expression not a scalar",
		src:  ds + "values:\n  total: {sum: deaths}\n",
		err:  `x.yaml:10:10: value total must be a single value, not a mapping`,
	}, {
		name: "empty md",
		src:  ds + "body:\n  - md:\n",
		err:  "x.yaml:10:8: md is empty; give it a value or remove the key",
	}, {
		name: "url scheme",
		src:  strings.Replace(ds, "license: L", "license: L, url: apnews.com", 1),
		err:  `x.yaml:5:77: dataset "est": source: url must start with https:// or http://, not "apnews.com"`,
	}, {
		name: "null not a list",
		src:  ds + "    null: {NA: 1}\n",
		err:  `x.yaml:9:11: dataset "est": null must be a list of markers such as ["", "NA"]`,
	}, {
		name: "empty columns",
		src:  strings.Replace(ds, "    columns:\n      city: string\n      deaths: int\n", "    columns: {}\n", 1),
		err:  `x.yaml:6:14: dataset "est": columns is empty; declare at least one column (galley init prints them)`,
	}, {
		name: "format on a non-date",
		src:  ds + "      when: {type: string, format: \"02/01/2006\"}\n",
		err:  `x.yaml:9:28: dataset "est": column "when": format applies to dates only`,
	}, {
		name: "column position from 0",
		src:  ds + "      when: {type: date, from: 0}\n",
		err:  `x.yaml:9:32: dataset "est": column "when": from: a column position counts from 1, not "0"`,
	}, {
		name: "required not a bool",
		src:  ds + "      when: {type: date, required: yes}\n",
		err:  `x.yaml:9:36: dataset "est": column "when": required must be true or false, not "yes"`,
	}, {
		name: "skip_rows negative",
		src:  ds + "    skip_rows: -1\n",
		err:  `x.yaml:9:16: dataset "est": skip_rows must be a whole number of at least 0, not "-1"`,
	}, {
		name: "limit zero",
		src:  ds + view + "    limit: 0\n",
		err:  `x.yaml:12:12: view "v": limit must be a whole number of at least 1, not "0"`,
	}, {
		name: "group_by a mapping",
		src:  ds + view + "    group_by: {city: 1}\n",
		err:  `x.yaml:12:15: view "v": group_by must be a name or a list of names, not a mapping`,
	}, {
		name: "chart stack not a bool",
		src:  ds + view + "body:\n  - chart: {type: bar, data: v, x: city, y: deaths, stack: 1}\n",
		err:  `x.yaml:13:60: chart: stack must be true or false, not "1"`,
	}, {
		name: "chart missing keys",
		src:  ds + view + "body:\n  - chart: {type: pie, data: v}\n",
		err: "x.yaml:13:5: chart: missing required key \"x\"\n" +
			`x.yaml:13:5: chart: missing required key "y"`,
	}, {
		name: "cell with two kinds",
		src:  ds + view + "body:\n  - md: a\n    table: v\n",
		err:  "x.yaml:13:5: a body cell holds one of md, chart, table or claim; start a new `- ` item for each",
	}, {
		name: "empty cell",
		src:  ds + "body:\n  - {}\n",
		err:  "x.yaml:10:5: a body cell needs one of md, chart, table or claim",
	}, {
		name: "cell with an unknown kind",
		src:  ds + "body:\n  - text: a\n",
		err:  `x.yaml:10:5: body cell: unknown key "text" (known keys: chart, claim, md, table)`,
	}, {
		name: "claims not a list",
		src:  ds + "claims:\n  a: {text: T, check: 'true'}\n",
		err:  "x.yaml:10:3: claims must be a list of {id, text, check}, not a mapping",
	}, {
		name: "body not a list",
		src:  ds + "body: hello\n",
		err:  "x.yaml:9:7: body must be a list of cells (- md:, - chart:, - table:, - claim:), not a single value",
	}, {
		name: "every error, in file order",
		src:  "tittle: T\ndatasets:\n  a-b: {}\nviews:\n  v: {}\n",
		err: "x.yaml:1:1: the analysis: unknown key \"tittle\" (did you mean \"title\"?)\n" +
			"x.yaml:1:1: the analysis: missing required key \"title\"\n" +
			"x.yaml:3:3: dataset name \"a-b\" must be letters, digits and _, starting with a letter or _ (it is used in expressions)\n" +
			`x.yaml:5:3: view "v": missing required key "from"`,
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
