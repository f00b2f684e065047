package analysis

// The JSON Schema in docs/analysis.schema.json lets editors complete and
// check analysis files. These tests keep it in step with the parser: the
// same keys, the same required keys, the same enums, and the example
// analyses valid under it. The schema is checked with a small validator
// for the subset of JSON Schema it uses (no new dependency); a keyword
// outside that subset fails the test, so the validator cannot silently
// ignore part of the schema.

import (
	"encoding/json"
	"fmt"
	"galley/runner/internal/value"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

const schemaPath = "../../../docs/analysis.schema.json"

// schemaRequired are the required keys the parser passes to d.mapping, by
// part (parse.go: file, dataset, citation, column, view, join, claims, table,
// chart, value, mark). They are not exported, so they are written out here: when one
// changes in parse.go, change it here and in the schema.
var schemaRequired = map[string][]string{
	"top":      {"title", "datasets"},
	"dataset":  {"path", "source", "columns"},
	"source":   {"title", "publisher", "accessed", "license"},
	"column":   {"type"},
	"view":     {"from"},
	"join":     {"view", "on"},
	"unpivot":  {"columns", "names_to", "values_to"},
	"pivot":    {"names_from", "values_from", "columns"},
	"complete": {"columns"},
	"window":   {"derive"},
	"limit":    {"rows"},
	"claim":    {"id", "text", "check"},
	"table":    {"view"},
	"chart":    {"type", "data"}, // and, by type, the required keys of one of its oneOf choices
	"cell":     nil,              // exactly one of the cell keys, checked apart
	"value":    {"expr"},
	"mark":     nil, // x, y or both, checked by package chart
}

func schemaLoad(t *testing.T) map[string]any {
	t.Helper()
	b, err := os.ReadFile(schemaPath)
	if err != nil {
		t.Fatalf("reading the schema: %v", err)
	}
	var s map[string]any
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatalf("%s is not valid JSON: %v", schemaPath, err)
	}
	return s
}

// schemaObject returns the object schema of one part of the analysis.
func schemaObject(t *testing.T, root map[string]any, part string) map[string]any {
	t.Helper()
	if part == "top" {
		return root
	}
	defs, _ := root["$defs"].(map[string]any)
	def, ok := defs[part].(map[string]any)
	if !ok {
		t.Fatalf("schema: no $defs/%s", part)
	}
	if part == "column" || part == "value" { // a type name or an expression, or a mapping: the mapping is the second choice
		alts, _ := def["oneOf"].([]any)
		for _, a := range alts {
			if m, ok := a.(map[string]any); ok && m["type"] == "object" {
				return m
			}
		}
		t.Fatalf("schema: $defs/%s has no object form", part)
	}
	return def
}

func schemaKeys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func schemaSorted(list []string) []string {
	out := append([]string{}, list...)
	sort.Strings(out)
	return out
}

func schemaStrings(v any) []string {
	out := []string{}
	list, _ := v.([]any)
	for _, x := range list {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}

func TestSchemaKeysMatchParser(t *testing.T) {
	root := schemaLoad(t)
	parts := map[string][]string{
		"top": TopKeys, "dataset": DatasetKeys, "source": SourceKeys, "column": ColumnKeys,
		"view": ViewKeys, "join": JoinKeys, "claim": ClaimKeys, "cell": CellKeys,
		"table": TableKeys, "chart": ChartKeys, "value": ValueKeys, "mark": MarkKeys,
		"unpivot": UnpivotKeys, "pivot": PivotKeys, "complete": CompleteKeys, "window": WindowKeys, "limit": LimitKeys,
	}
	for part, keys := range parts {
		obj := schemaObject(t, root, part)
		props, _ := obj["properties"].(map[string]any)
		if got, want := schemaKeys(props), schemaSorted(keys); !reflect.DeepEqual(got, want) {
			t.Errorf("schema %s: properties %v, parser accepts %v", part, got, want)
		}
		if obj["additionalProperties"] != false {
			t.Errorf("schema %s: additionalProperties must be false, as the parser refuses unknown keys", part)
		}
		got := schemaSorted(schemaStrings(obj["required"]))
		if want := schemaSorted(schemaRequired[part]); !reflect.DeepEqual(got, want) {
			t.Errorf("schema %s: required %v, parser requires %v", part, got, want)
		}
	}
	// A chart requires more by its type: x and y, or a map's keys.
	chart := schemaObject(t, root, "chart")
	alts, _ := chart["oneOf"].([]any)
	want := [][]string{{"x", "y"}, mapRequired("map")[2:], mapRequired("points")[2:]}
	if len(alts) != len(want) {
		t.Fatalf("schema chart: %d oneOf choices, want %d", len(alts), len(want))
	}
	for i, a := range alts {
		if got := schemaStrings(a.(map[string]any)["required"]); !reflect.DeepEqual(got, want[i]) {
			t.Errorf("schema chart: oneOf %d requires %v, parser requires %v", i, got, want[i])
		}
	}
	cell := schemaObject(t, root, "cell")
	if cell["minProperties"] != 1.0 || cell["maxProperties"] != 1.0 {
		t.Errorf("schema cell: a body cell holds exactly one key (minProperties and maxProperties 1)")
	}
}

func TestSchemaEnumsMatchParser(t *testing.T) {
	root := schemaLoad(t)
	defs := root["$defs"].(map[string]any)
	check := func(what string, got any, want []string) {
		t.Helper()
		if g := schemaStrings(got); !reflect.DeepEqual(g, want) {
			t.Errorf("schema %s enum %v, parser has %v", what, g, want)
		}
	}
	check("columnType", defs["columnType"].(map[string]any)["enum"], value.TypeNames())
	dsProps := schemaObject(t, root, "dataset")["properties"].(map[string]any)
	check("format", dsProps["format"].(map[string]any)["enum"], Formats)
}

// Named maps (datasets, views, values, columns, derive, aggregate) take
// the names the parser accepts, and only those.
func TestSchemaNamePatterns(t *testing.T) {
	root := schemaLoad(t)
	var walk func(path string, v any)
	n := 0
	walk = func(path string, v any) {
		switch x := v.(type) {
		case map[string]any:
			if pp, ok := x["patternProperties"].(map[string]any); ok {
				n++
				for pat := range pp {
					if pat != identRE.String() {
						t.Errorf("schema %s: name pattern %q, parser uses %q", path, pat, identRE.String())
					}
				}
				if x["additionalProperties"] != false {
					t.Errorf("schema %s: a named map must refuse names outside its pattern", path)
				}
			}
			for _, k := range schemaKeys(x) {
				walk(path+"/"+k, x[k])
			}
		case []any:
			for i, e := range x {
				walk(fmt.Sprintf("%s/%d", path, i), e)
			}
		}
	}
	walk("#", root)
	if n < 5 {
		t.Errorf("schema: %d named maps, want at least 5 (datasets, views, values, columns, and derive and aggregate)", n)
	}
	claimID := schemaObject(t, root, "claim")["properties"].(map[string]any)["id"].(map[string]any)
	if claimID["pattern"] != claimIDRE.String() {
		t.Errorf("schema claim id pattern %v, parser uses %q", claimID["pattern"], claimIDRE.String())
	}
}

// Every property of the schema carries a description, which editors show.
func TestSchemaDescriptions(t *testing.T) {
	root := schemaLoad(t)
	defs := root["$defs"].(map[string]any)
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for _, key := range []string{"properties", "patternProperties"} {
				props, _ := x[key].(map[string]any)
				for name, p := range props {
					ps, _ := p.(map[string]any)
					if _, ok := ps["description"]; ok {
						continue
					}
					// A bare $ref is described by its target.
					if ref, ok := ps["$ref"].(string); ok {
						if d, ok := defs[strings.TrimPrefix(ref, "#/$defs/")].(map[string]any); ok && d["description"] != nil {
							continue
						}
					}
					t.Errorf("schema %s/%s/%s has no description", path, key, name)
				}
			}
			for _, k := range schemaKeys(x) {
				walk(path+"/"+k, x[k])
			}
		case []any:
			for i, e := range x {
				walk(fmt.Sprintf("%s/%d", path, i), e)
			}
		}
	}
	walk("#", root)
}

// schemaNode turns a YAML node into the value a YAML-aware JSON Schema
// validator sees (YAML 1.2 core schema: a date is a string).
func schemaNode(n *yaml.Node) (any, error) {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return schemaNode(n.Content[0])
	case yaml.MappingNode:
		m := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			v, err := schemaNode(n.Content[i+1])
			if err != nil {
				return nil, err
			}
			m[n.Content[i].Value] = v
		}
		return m, nil
	case yaml.SequenceNode:
		out := []any{}
		for _, c := range n.Content {
			v, err := schemaNode(c)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			return nil, nil
		case "!!bool":
			var b bool
			err := n.Decode(&b)
			return b, err
		case "!!int", "!!float":
			var f float64
			err := n.Decode(&f)
			return f, err
		}
		return n.Value, nil
	}
	return nil, fmt.Errorf("line %d: unsupported YAML node", n.Line)
}

// schemaKeywords is the subset of JSON Schema schemaValidate implements.
var schemaKeywords = map[string]bool{
	"$schema": true, "$id": true, "$defs": true, "$ref": true, "title": true, "description": true,
	"type": true, "enum": true, "pattern": true, "minLength": true, "minimum": true,
	"properties": true, "patternProperties": true, "additionalProperties": true, "required": true,
	"minProperties": true, "maxProperties": true, "items": true, "oneOf": true,
}

func TestSchemaUsesOnlyValidatedKeywords(t *testing.T) {
	root := schemaLoad(t)
	var walk func(path string, s map[string]any)
	walk = func(path string, s map[string]any) {
		for _, k := range schemaKeys(s) {
			if !schemaKeywords[k] {
				t.Errorf("schema %s: keyword %q is not implemented by the test's validator", path, k)
			}
			switch k {
			case "properties", "patternProperties", "$defs":
				for name, sub := range s[k].(map[string]any) {
					walk(path+"/"+k+"/"+name, sub.(map[string]any))
				}
			case "items", "additionalProperties":
				if sub, ok := s[k].(map[string]any); ok {
					walk(path+"/"+k, sub)
				}
			case "oneOf":
				for i, sub := range s[k].([]any) {
					walk(fmt.Sprintf("%s/oneOf/%d", path, i), sub.(map[string]any))
				}
			}
		}
	}
	walk("#", root)
}

type schemaValidator struct {
	root map[string]any
}

// validate returns the problems of v under s, each with its JSON path.
func (sv schemaValidator) validate(s map[string]any, v any, path string) []string {
	var errs []string
	add := func(format string, args ...any) { errs = append(errs, path+": "+fmt.Sprintf(format, args...)) }
	if ref, ok := s["$ref"].(string); ok {
		target, found := sv.resolve(ref)
		if !found {
			add("unresolved $ref %q", ref)
			return errs
		}
		errs = append(errs, sv.validate(target, v, path)...)
	}
	if t, ok := s["type"]; ok {
		var types []string
		if str, ok := t.(string); ok {
			types = []string{str}
		} else {
			types = schemaStrings(t)
		}
		match := false
		for _, ty := range types {
			match = match || schemaHasType(v, ty)
		}
		if !match {
			add("is %s, want %s", schemaTypeName(v), strings.Join(types, " or "))
			return errs
		}
	}
	if enum, ok := s["enum"].([]any); ok {
		found := false
		for _, e := range enum {
			found = found || reflect.DeepEqual(e, v)
		}
		if !found {
			add("%v is not one of %v", v, enum)
		}
	}
	if str, ok := v.(string); ok {
		if p, ok := s["pattern"].(string); ok && !regexp.MustCompile(p).MatchString(str) {
			add("%q does not match %s", str, p)
		}
		if n, ok := s["minLength"].(float64); ok && float64(len([]rune(str))) < n {
			add("%q is shorter than %v", str, n)
		}
	}
	if f, ok := v.(float64); ok {
		if n, ok := s["minimum"].(float64); ok && f < n {
			add("%v is less than %v", f, n)
		}
	}
	if m, ok := v.(map[string]any); ok {
		props, _ := s["properties"].(map[string]any)
		pprops, _ := s["patternProperties"].(map[string]any)
		for _, k := range schemaKeys(m) {
			matched := false
			if p, ok := props[k].(map[string]any); ok {
				matched = true
				errs = append(errs, sv.validate(p, m[k], path+"/"+k)...)
			}
			for pat, p := range pprops {
				if regexp.MustCompile(pat).MatchString(k) {
					matched = true
					errs = append(errs, sv.validate(p.(map[string]any), m[k], path+"/"+k)...)
				}
			}
			if !matched {
				switch ap := s["additionalProperties"].(type) {
				case bool:
					if !ap {
						add("unknown key %q", k)
					}
				case map[string]any:
					errs = append(errs, sv.validate(ap, m[k], path+"/"+k)...)
				}
			}
		}
		for _, r := range schemaStrings(s["required"]) {
			if _, ok := m[r]; !ok {
				add("missing required key %q", r)
			}
		}
		if n, ok := s["minProperties"].(float64); ok && float64(len(m)) < n {
			add("has %d keys, want at least %v", len(m), n)
		}
		if n, ok := s["maxProperties"].(float64); ok && float64(len(m)) > n {
			add("has %d keys, want at most %v", len(m), n)
		}
	}
	if list, ok := v.([]any); ok {
		if items, ok := s["items"].(map[string]any); ok {
			for i, e := range list {
				errs = append(errs, sv.validate(items, e, fmt.Sprintf("%s/%d", path, i))...)
			}
		}
	}
	if alts, ok := s["oneOf"].([]any); ok {
		valid := 0
		var first []string
		for i, a := range alts {
			e := sv.validate(a.(map[string]any), v, path)
			if len(e) == 0 {
				valid++
			} else if i == len(alts)-1 || first == nil {
				first = append(first, e...)
			}
		}
		if valid != 1 {
			add("matches %d of the oneOf choices, want exactly 1 (%s)", valid, strings.Join(first, "; "))
		}
	}
	return errs
}

func (sv schemaValidator) resolve(ref string) (map[string]any, bool) {
	name, ok := strings.CutPrefix(ref, "#/$defs/")
	if !ok {
		return nil, false
	}
	defs, _ := sv.root["$defs"].(map[string]any)
	s, ok := defs[name].(map[string]any)
	return s, ok
}

func schemaHasType(v any, ty string) bool {
	switch ty {
	case "object":
		_, ok := v.(map[string]any)
		return ok
	case "array":
		_, ok := v.([]any)
		return ok
	case "string":
		_, ok := v.(string)
		return ok
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "number":
		_, ok := v.(float64)
		return ok
	case "integer":
		f, ok := v.(float64)
		return ok && f == math.Trunc(f)
	case "null":
		return v == nil
	}
	return false
}

func schemaTypeName(v any) string {
	switch v.(type) {
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case float64:
		return "a number"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", v)
}

func schemaValidateYAML(t *testing.T, src []byte) []string {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		t.Fatalf("YAML: %v", err)
	}
	v, err := schemaNode(&doc)
	if err != nil {
		t.Fatal(err)
	}
	root := schemaLoad(t)
	return schemaValidator{root: root}.validate(root, v, "#")
}

func TestSchemaAcceptsExamples(t *testing.T) {
	files, _ := filepath.Glob("../../../analyses/*.yaml")
	if len(files) < 2 {
		t.Fatalf("found %d example analyses in analyses/, want the two examples", len(files))
	}
	if _, err := os.Stat("testdata/contract.yaml"); err == nil {
		files = append(files, "testdata/contract.yaml")
	} else {
		t.Logf("testdata/contract.yaml (the contract's example) is missing; not validated")
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range schemaValidateYAML(t, src) {
			t.Errorf("%s: %s", f, e)
		}
	}
}

// Mistakes the parser refuses, the schema refuses too.
func TestSchemaRejectsWhatParserRejects(t *testing.T) {
	const head = "title: t\ndatasets:\n  d:\n    path: datasets/d.csv\n    source: {title: t, publisher: p, accessed: 2026-01-01, license: l}\n    columns: {a: int}\n"
	cases := map[string]string{
		"unknown top key":          "titel: t\ndatasets: {}\n",
		"missing title":            "datasets: {}\n",
		"unknown column type":      strings.Replace(head, "a: int", "a: integer", 1),
		"column without type":      strings.Replace(head, "a: int", "a: {required: true}", 1),
		"bad dataset name":         strings.Replace(head, "  d:", "  2d:", 1),
		"source without title":     strings.Replace(head, "title: t, publisher", "publisher", 1),
		"bad url":                  strings.Replace(head, "license: l}", "license: l, url: www.x.org}", 1),
		"bad accessed date":        strings.Replace(head, "2026-01-01", "1/1/2026", 1),
		"view without from":        head + "views:\n  v: {where: a > 1}\n",
		"unknown view key":         head + "views:\n  v: {from: d, filter: a > 1}\n",
		"limit zero":               head + "views:\n  v: {from: d, limit: 0}\n",
		"join without on":          head + "views:\n  v: {from: d, join: {view: d}}\n",
		"claim without check":      head + "claims:\n  - {id: c, text: t}\n",
		"bad claim id":             head + "claims:\n  - {id: a b, text: t, check: true}\n",
		"two keys in a cell":       head + "body:\n  - {md: x, claim: c}\n",
		"empty cell":               head + "body:\n  - {}\n",
		"chart without y":          head + "body:\n  - chart: {type: bar, data: v, x: a}\n",
		"stack not a boolean":      head + "body:\n  - chart: {type: bar, data: v, x: a, y: a, stack: yes please}\n",
		"table without view":       head + "body:\n  - table: {caption: c}\n",
		"value without expr":       head + "values:\n  n: {format: \"0\"}\n",
		"unknown value key":        head + "values:\n  n: {expr: 1, fmt: \"0\"}\n",
		"empty label":              head + "views:\n  v: {from: d, labels: {a: \"\"}}\n",
		"label not a text":         head + "views:\n  v: {from: d, labels: {a: [x]}}\n",
		"table labels a list":      head + "body:\n  - table: {view: v, labels: [a]}\n",
		"marks not a list":         head + "body:\n  - chart: {type: bar, data: v, x: a, y: a, marks: {y: 1}}\n",
		"unknown mark key":         head + "body:\n  - chart: {type: bar, data: v, x: a, y: a, marks: [{z: 1}]}\n",
		"height not a number":      head + "body:\n  - chart: {type: bar, data: v, x: a, y: a, height: tall}\n",
		"facet a list":             head + "body:\n  - chart: {type: bar, data: v, x: a, y: a, facet: [a, b]}\n",
		"limit without rows":       head + "views:\n  v: {from: d, limit: {with_ties: true}}\n",
		"with_ties not a bool":     head + "views:\n  v: {from: d, limit: {rows: 3, with_ties: maybe}}\n",
		"unpivot without names_to": head + "views:\n  v: {from: d, unpivot: {columns: [a], values_to: v}}\n",
		"pivot without columns":    head + "views:\n  v: {from: d, pivot: {names_from: a, values_from: a}}\n",
		"pivot column not a name":  head + "views:\n  v: {from: d, pivot: {names_from: a, values_from: a, columns: {2x: 1}}}\n",
		"complete without columns": head + "views:\n  v: {from: d, complete: {every: {a: 1}}}\n",
		"complete every zero":      head + "views:\n  v: {from: d, complete: {columns: a, every: {a: 0}}}\n",
		"complete every decade":    head + "views:\n  v: {from: d, complete: {columns: a, every: {a: decade}}}\n",
		"window without derive":    head + "views:\n  v: {from: d, window: {order_by: a}}\n",
		"unknown window key":       head + "views:\n  v: {from: d, window: {order: a, derive: {r: rank()}}}\n",
		"distinct not a bool":      head + "views:\n  v: {from: d, distinct: yes}\n",
	}
	for name, src := range cases {
		if _, err := Parse("x.yaml", []byte(src)); err == nil {
			t.Errorf("%s: the parser accepts it; this case no longer tests the schema", name)
		}
		if errs := schemaValidateYAML(t, []byte(src)); len(errs) == 0 {
			t.Errorf("%s: the schema accepts what the parser refuses:\n%s", name, src)
		}
	}
	ok := head + "views:\n  v: {from: d, where: [a > 1], order_by: -a, limit: 3, join: {view: d, on: a}}\n" +
		"  w: {from: [d, v], from_column: src, distinct: true, limit: {rows: 2, with_ties: true}, order_by: a}\n" +
		"  u: {from: d, unpivot: {columns: [a], names_to: k, values_to: x}}\n" +
		"  p: {from: u, pivot: {names_from: k, values_from: x, columns: {a: \"a\", b: 2}, fill: 0}}\n" +
		"  c: {from: d, complete: {columns: [a], every: {a: 1}, fill: {b: null}}}\n" +
		"  e: {from: d, complete: {columns: [a], every: {a: month}}}\n" +
		"  r: {from: d, window: {partition_by: a, order_by: [-a], derive: {r: rank()}}}\n" +
		"values:\n  n: len(v)\n  five: 5\n  share: {expr: n / 2, format: \"0.0%\"}\n  when: {expr: 1930, format: \"YYYY\"}\nclaims:\n  - {id: c-1, text: t, check: true}\n" +
		"body:\n  - md: \"{{ n }}\"\n  - table: v\n  - table: {view: v, columns: [a], limit: 2}\n" +
		"  - chart: {type: bar, data: v, x: a, y: a, stack: true, format: \"0,0.0\"}\n  - claim: c-1\n" +
		"  - table: {view: v, labels: {a: \"A\"}, formats: {a: \"$0,0\"}}\n" +
		"  - chart: {type: line, data: v, x: a, y: a, labels: {\"2017\": Year, a: A}, formats: {a: \"0.0%\"}, height: 400, facet: a,\n" +
		"      marks: [{x: 2017-03-17, label: strike}, {y: 326}, {x: 3, y: n, label: \"a point\"}]}\n"
	if _, err := Parse("x.yaml", []byte(ok)); err != nil {
		t.Fatalf("the valid case does not parse: %v", err)
	}
	for _, e := range schemaValidateYAML(t, []byte(ok)) {
		t.Errorf("valid case: %s", e)
	}
}
