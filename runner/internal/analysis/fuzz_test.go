package analysis

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"galley/runner/internal/position"
)

// FuzzParse checks that Parse never panics; that every error is positioned,
// and nesting past yaml.v3's limit reads as Galley's; that when it succeeds
// every position it reports lies inside the file, a second parse of the same
// bytes gives the same tree, and the datasets, views, values and claims
// written back out as YAML parse to the same names, sources and expressions.
func FuzzParse(f *testing.F) {
	contract := readContract(f)
	f.Add(contract)
	for _, s := range []string{
		ds,
		ds + view,
		ds + view + "    where: [deaths > 1, 'city == \"Mosul\"']\n    derive: {d2: deaths * 2}\n    group_by: city\n    aggregate:\n      n: count()\n    order_by: [-n]\n    limit: 3\n",
		ds + view + "  w:\n    from: v\n    join: {view: v, on: [city], columns: [deaths]}\n    select: [city]\n",
		ds + "values:\n  a: |\n    1 +\n      2\n  b: 'a ? 1 : 0'\n  c: \"a\\n+ 1\"\n",
		ds + view + "    labels: {city: City, deaths: \"Deaths, \\\"all\\\"\"}\n    formats: {deaths: \"$0,0\"}\nvalues:\n  a: {expr: 1930, format: \"0\"}\n  b: {expr: 'a ? 1 : 0'}\n",
		ds + "body:\n  - chart: {type: line, data: v, x: d, y: n, height: 300, facet: c, labels: {\"2017\": Y, KSEA: Seattle}, formats: {n: \"0%\"},\n      marks: [{x: 2017-03-17, label: s}, {y: 3.5}, {x: 'b', y: n, label: \"p\"}]}\n  - table: {view: v, labels: {a: A}, formats: {a: \"0\"}}\n",
		ds + "claims:\n  - id: c1\n    text: T\n    check: true\nbody:\n  - claim: c1\n",
		ds + "body:\n  - md: >\n      a\n\n      {{ x }}\n",
		ds + "body:\n  - md: a\n      b {{ x }}\n",
		ds + "body:\n  - md: |\n      {{ a }} and {{ b\n",
		ds + "      when: {type: date, format: \"02/01/2006\", from: 3, required: true, null: [\"-\"]}\n    null: NA\n    encoding: latin-1\n",
		"title: &a T\ndatasets: *a\n",
		"title: T\r\ndatasets: {}\r\nvalues:\r\n  a: 1\r\n",
		"title: \"caf\xc3\xa9\"\ndatasets: {}\nvalues:\n  \xc3\xa9: 1\n",
		"",
		"\t",
		"title: T\ndatasets: {}\ndate: 2017-02-30\n",
		ds + "---\nclaims: []\n",
		ds + "values:\n  a: {expr: \"x\" == b, format: '0'}\n  b: [\"q\\\"\" c, 'it''s' d]\n",
		"---\n" + ds + "...\n",
		// Past yaml.v3's own nesting limit (10,000).
		"title: T\ndatasets: " + strings.Repeat("[", 10_001) + "\n",
		"title: T\ndatasets: {}\ndek: " + strings.Repeat("{a: '[', b: ", 10_001) + "\n",
		"title: T\ndatasets: {}\ndek:\n" + strings.Repeat("- ", 10_001) + "\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		f1, err1 := Parse("x.yaml", src)
		f2, err2 := Parse("x.yaml", src)
		if !reflect.DeepEqual(f1, f2) || fmt.Sprint(err1) != fmt.Sprint(err2) {
			t.Fatalf("two parses of the same bytes differ:\n%+v\n%v\n%+v\n%v", f1, err1, f2, err2)
		}
		for _, e := range position.Errors(err1) {
			if e.Pos.File != "x.yaml" || !e.Pos.IsValid() {
				t.Fatalf("error without a position: %q", e.Error())
			}
			if strings.Contains(e.Msg, "max depth") {
				t.Fatalf("yaml.v3's depth limit shows, not Galley's: %q", e.Error())
			}
		}
		if err1 != nil {
			var l position.List
			var pe *position.Error
			if !errors.As(err1, &l) && !errors.As(err1, &pe) {
				t.Fatalf("error %T is not positioned: %v", err1, err1)
			}
			return
		}
		checkPositions(t, src, f1)

		out := encode(f1)
		g, err := Parse("x.yaml", out)
		if err != nil {
			t.Fatalf("the file written back does not parse: %v\n%s", err, out)
		}
		checkPositions(t, out, g)
		if a, b := summary(f1), summary(g); !reflect.DeepEqual(a, b) {
			t.Fatalf("round trip changed the analysis:\n%s\nwas\n%s\nwritten as\n%s", strings.Join(b, "\n"), strings.Join(a, "\n"), out)
		}
	})
}

// checkPositions walks f and checks each position it holds against src:
// the line exists and the column is at most one past its end. An expression's
// Lines are checked for the lines its text spans; the column of a value line
// that is empty is not checked (there is no first byte to point at).
func checkPositions(t *testing.T, src []byte, f *File) {
	t.Helper()
	lines := strings.Split(string(src), "\n")
	in := func(where string, p position.Pos, empty bool) {
		if p.File != "x.yaml" || p.Line < 1 || p.Line > len(lines) || p.Col < 1 ||
			(!empty && p.Col > len(lines[p.Line-1])+1) {
			t.Fatalf("%s: position %v is outside the file (%d lines)", where, p, len(lines))
		}
	}
	var walk func(where string, v reflect.Value)
	walk = func(where string, v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer, reflect.Interface:
			if !v.IsNil() {
				walk(where, v.Elem())
			}
		case reflect.Slice:
			if v.Type().Elem().Kind() == reflect.Uint8 {
				return // Source
			}
			for i := 0; i < v.Len(); i++ {
				walk(where+"["+strconv.Itoa(i)+"]", v.Index(i))
			}
		case reflect.Struct:
			switch x := v.Interface().(type) {
			case position.Pos:
				if x != (position.Pos{}) {
					in(where, x, false)
				}
				return
			case Expr:
				if x.Src == "" {
					return
				}
				in(where+" ("+strconv.Quote(x.Src)+")", x.Pos, false)
				for i, l := range strings.Split(x.Src, "\n") {
					if i >= len(x.Lines) {
						t.Fatalf("%s: %q has %d Lines, fewer than its lines of text", where, x.Src, len(x.Lines))
					}
					in(fmt.Sprintf("%s (%q) line %d", where, x.Src, i+1), x.Lines[i], l == "")
				}
				return
			}
			for i := 0; i < v.NumField(); i++ {
				walk(where+"."+v.Type().Field(i).Name, v.Field(i))
			}
		}
	}
	walk("File", reflect.ValueOf(f))
}

// The test-only encoder: datasets, views, values and claims back to YAML.

func scalar(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }

func intNode(n int) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(n)}
}

func boolNode(b bool) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(b)}
}

func mapNode(kv ...any) *yaml.Node {
	m := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	for i := 0; i < len(kv); i += 2 {
		m.Content = append(m.Content, scalar(kv[i].(string)), kv[i+1].(*yaml.Node))
	}
	return m
}

func (m *yamlMap) set(k string, v *yaml.Node) { m.Content = append(m.Content, scalar(k), v) }

type yamlMap struct{ *yaml.Node }

func newMap() yamlMap { return yamlMap{mapNode()} }

func seq(items ...*yaml.Node) *yaml.Node {
	return &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: items}
}

func refSeq(refs []Ref) *yaml.Node {
	s := seq()
	for _, r := range refs {
		s.Content = append(s.Content, scalar(r.Name))
	}
	return s
}

func setString(m yamlMap, k string, s String) {
	if s.Set {
		m.set(k, scalar(s.Value))
	}
}

func namedMap(list []*Named) *yaml.Node {
	m := newMap()
	for _, n := range list {
		m.set(n.Name, scalar(n.Expr.Src))
	}
	return m.Node
}

func entryMap(list []Label) *yaml.Node {
	m := newMap()
	for _, e := range list {
		m.set(e.Key, scalar(e.Text.Value))
	}
	return m.Node
}

func encode(f *File) []byte {
	top := newMap()
	top.set("title", scalar(f.Title.Value))
	dss := newMap()
	for _, d := range f.Datasets {
		m := newMap()
		setString(m, "path", d.Path)
		setString(m, "sha256", d.SHA256)
		src := newMap()
		c := d.Source
		for _, kv := range []struct {
			k string
			s String
		}{{"title", c.Title}, {"publisher", c.Publisher}, {"author", c.Author}, {"url", c.URL},
			{"published", c.Published}, {"accessed", c.Accessed}, {"license", c.License}, {"note", c.Note}} {
			setString(src, kv.k, kv.s)
		}
		m.set("source", src.Node)
		cols := newMap()
		for _, col := range d.Columns {
			cm := newMap()
			cm.set("type", scalar(col.Type.String()))
			if col.Layout != "" {
				cm.set("format", scalar(col.Layout))
			}
			if col.FromIdx > 0 {
				cm.set("from", intNode(col.FromIdx))
			} else if col.From != "" {
				cm.set("from", scalar(col.From))
			}
			if col.Required {
				cm.set("required", boolNode(true))
			}
			if col.Null != nil {
				s := seq()
				for _, n := range col.Null {
					s.Content = append(s.Content, scalar(n))
				}
				cm.set("null", s)
			}
			cols.set(col.Name, cm.Node)
		}
		m.set("columns", cols.Node)
		setString(m, "delimiter", d.Delimiter)
		setString(m, "encoding", d.Encoding)
		if d.NullSet {
			s := seq()
			for _, n := range d.Null {
				s.Content = append(s.Content, scalar(n.Value))
			}
			m.set("null", s)
		}
		if d.SkipRows.Set {
			m.set("skip_rows", intNode(d.SkipRows.Value))
		}
		dss.set(d.Name, m.Node)
	}
	top.set("datasets", dss.Node)
	if len(f.Views) > 0 {
		vs := newMap()
		for _, v := range f.Views {
			m := newMap()
			m.set("from", scalar(v.From.Name))
			if j := v.Join; j != nil {
				jm := newMap()
				jm.set("view", scalar(j.View.Name))
				jm.set("on", refSeq(j.On))
				if j.Columns != nil {
					jm.set("columns", refSeq(j.Columns))
				}
				m.set("join", jm.Node)
			}
			if v.Where != nil {
				s := seq()
				for _, w := range v.Where {
					s.Content = append(s.Content, scalar(w.Src))
				}
				m.set("where", s)
			}
			if v.Derive != nil {
				m.set("derive", namedMap(v.Derive))
			}
			if v.GroupBy != nil {
				m.set("group_by", refSeq(v.GroupBy))
			}
			if v.Aggregate != nil {
				m.set("aggregate", namedMap(v.Aggregate))
			}
			if v.Select != nil {
				m.set("select", refSeq(v.Select))
			}
			if v.OrderBy != nil {
				s := seq()
				for _, k := range v.OrderBy {
					name := k.Name
					if k.Desc {
						name = "-" + name
					}
					s.Content = append(s.Content, scalar(name))
				}
				m.set("order_by", s)
			}
			if v.Limit.Set {
				m.set("limit", intNode(v.Limit.Value))
			}
			if v.Labels != nil {
				m.set("labels", entryMap(v.Labels))
			}
			if v.Formats != nil {
				m.set("formats", entryMap(v.Formats))
			}
			vs.set(v.Name, m.Node)
		}
		top.set("views", vs.Node)
	}
	if len(f.Values) > 0 {
		vs := newMap()
		for _, v := range f.Values {
			if v.Format.Set {
				vs.set(v.Name, mapNode("expr", scalar(v.Expr.Src), "format", scalar(v.Format.Value)))
			} else {
				vs.set(v.Name, scalar(v.Expr.Src))
			}
		}
		top.set("values", vs.Node)
	}
	if len(f.Claims) > 0 {
		s := seq()
		for _, c := range f.Claims {
			s.Content = append(s.Content, mapNode("id", scalar(c.ID), "text", scalar(c.Text.Value), "check", scalar(c.Check.Src)))
		}
		top.set("claims", s)
	}
	out, err := yaml.Marshal(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{top.Node}})
	if err != nil {
		panic(err)
	}
	return out
}

// summary lists what the round trip must keep: names, sources and
// expressions, without positions.
func summary(f *File) []string {
	var out []string
	add := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	refs := func(rs []Ref) []string {
		var s []string
		for _, r := range rs {
			s = append(s, r.Name)
		}
		return s
	}
	for _, d := range f.Datasets {
		c := d.Source
		add("dataset %q path=%q sha256=%q delimiter=%q encoding=%q skip=%d", d.Name, d.Path.Value, d.SHA256.Value, d.Delimiter.Value, d.Encoding.Value, d.SkipRows.Value)
		add("  source %q %q %q %q %q %q %q %q", c.Title.Value, c.Publisher.Value, c.Author.Value, c.URL.Value, c.Published.Value, c.Accessed.Value, c.License.Value, c.Note.Value)
		var nulls []string
		for _, n := range d.Null {
			nulls = append(nulls, n.Value)
		}
		add("  null %v %q", d.NullSet, nulls)
		for _, col := range d.Columns {
			add("  column %q %s layout=%q from=%q/%d required=%v null=%q", col.Name, col.Type, col.Layout, col.From, col.FromIdx, col.Required, col.Null)
		}
	}
	for _, v := range f.Views {
		add("view %q from=%q", v.Name, v.From.Name)
		if v.Join != nil {
			add("  join %q on=%q columns=%q", v.Join.View.Name, refs(v.Join.On), refs(v.Join.Columns))
		}
		for _, w := range v.Where {
			add("  where %q", w.Src)
		}
		for _, d := range v.Derive {
			add("  derive %q %q", d.Name, d.Expr.Src)
		}
		add("  group_by %q", refs(v.GroupBy))
		for _, a := range v.Aggregate {
			add("  aggregate %q %q", a.Name, a.Expr.Src)
		}
		add("  select %q", refs(v.Select))
		for _, k := range v.OrderBy {
			add("  order_by %q desc=%v", k.Name, k.Desc)
		}
		add("  limit %d", v.Limit.Value)
		for _, e := range v.Labels {
			add("  label %q %q", e.Key, e.Text.Value)
		}
		for _, e := range v.Formats {
			add("  format %q %q", e.Key, e.Text.Value)
		}
	}
	for _, v := range f.Values {
		add("value %q %q format=%v %q", v.Name, v.Expr.Src, v.Format.Set, v.Format.Value)
	}
	for _, c := range f.Claims {
		add("claim %q %q %q", c.ID, c.Text.Value, c.Check.Src)
	}
	return out
}

// TestRoundTripContract runs the round trip of FuzzParse on the contract.
func TestRoundTripContract(t *testing.T) {
	f, err := Parse("x.yaml", readContract(t))
	if err != nil {
		t.Fatal(err)
	}
	out := encode(f)
	g, err := Parse("x.yaml", out)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if a, b := summary(f), summary(g); !reflect.DeepEqual(a, b) {
		t.Errorf("round trip:\n%s\nwant\n%s", strings.Join(b, "\n"), strings.Join(a, "\n"))
	}
	if len(summary(f)) < 20 {
		t.Errorf("summary too short to mean anything: %q", summary(f))
	}
}
