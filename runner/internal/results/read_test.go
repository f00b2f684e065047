package results

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestUnmarshalRoundTrip: what Marshal writes, Unmarshal reads back with
// every value of its Go type, and Marshal writes again byte for byte.
func TestUnmarshalRoundTrip(t *testing.T) {
	doc := sample()
	doc.Claims = []*Claim{{ID: "c", Line: 9, Text: "t", Check: "f > 0", Holds: true, Datasets: []string{},
		Inputs: []Input{{Name: "f", Line: 4, Value: Scalar{1.0 / 3}, Text: "0.3333333333333333"}, {Name: "d", Line: 3, Value: Scalar{time.Date(2017, 3, 17, 0, 0, 0, 0, time.UTC)}, Text: "2017-03-17"}}}}
	doc.Body = []*Cell{{Kind: CellMarkdown, Line: 10, Markdown: &Markdown{Datasets: []string{}, Parts: []Part{
		{Markdown: "On "}, {Value: &Inline{Expr: "d", Line: 3, Value: Scalar{time.Date(2017, 3, 17, 0, 0, 0, 0, time.UTC)}, Text: "2017-03-17"}},
		{Markdown: ", "}, {Value: &Inline{Expr: "round(f, 1)", Line: 10, Value: Scalar{0.3}, Text: "0.3"}},
		{Markdown: " of "}, {Value: &Inline{Expr: "3 * 4", Line: 10, Value: Scalar{12}, Text: "12"}}}}}}
	b, err := Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Unmarshal(b)
	if err != nil {
		t.Fatalf("Unmarshal: %v\n%s", err, b)
	}
	if !reflect.DeepEqual(got.Views[0].Rows, doc.Views[0].Rows) {
		t.Errorf("rows read back as\n%#v\nwant\n%#v", got.Views[0].Rows, doc.Views[0].Rows)
	}
	for i, v := range doc.Values {
		if !reflect.DeepEqual(got.Values[i].Value, v.Value) {
			t.Errorf("value %s read back as %#v, want %#v", v.Name, got.Values[i].Value, v.Value)
		}
	}
	if !reflect.DeepEqual(got.Claims[0].Inputs, doc.Claims[0].Inputs) {
		t.Errorf("inputs read back as %#v", got.Claims[0].Inputs)
	}
	parts := got.Body[0].Markdown.Parts
	if parts[1].Value.Value.V != doc.Body[0].Markdown.Parts[1].Value.Value.V || parts[3].Value.Value.V != 0.3 || parts[5].Value.Value.V != 12 {
		t.Errorf("inline values read back as %#v, %#v, %#v", parts[1].Value.Value.V, parts[3].Value.Value.V, parts[5].Value.Value.V)
	}
	again, err := Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again, b) {
		t.Errorf("Marshal(Unmarshal(b)) differs from b:\n%s\nwant\n%s", again, b)
	}
}

// TestUnmarshalCommitted reads every committed and golden results
// document and writes it again, byte for byte.
func TestUnmarshalCommitted(t *testing.T) {
	files, _ := filepath.Glob("../../../reports/*.results.json")
	golden, _ := filepath.Glob("../report/testdata/*.results.json")
	files = append(files, golden...)
	if len(files) < 4 {
		t.Fatalf("found %d results documents", len(files))
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := Unmarshal(b)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		again, err := Marshal(doc)
		if err != nil {
			t.Errorf("%s: %v", f, err)
		} else if !bytes.Equal(again, b) {
			t.Errorf("%s: Marshal(Unmarshal(b)) differs from b", f)
		}
	}
}

func TestUnmarshalErrors(t *testing.T) {
	b, err := Marshal(sample())
	if err != nil {
		t.Fatal(err)
	}
	good := string(b)
	for _, c := range []struct{ name, from, to, want string }{
		{"not JSON", `"format"`, `"format" oops`, "2:12: not a valid results document: invalid character 'o' after object key"},
		{"format", `"galley-results"`, `"other"`, `not a Galley results document (its format is "other", not "galley-results")`},
		{"version", `"version": 1`, `"version": 7`, "a results document of version 7, which this Galley (version 1) does not read: use the Galley that wrote it, or a later one"},
		{"int as string", `["a \"q\"", 1,`, `["a \"q\"", "1",`, `view "v", row 1, column "n": the string "1" is not a value of type int`},
		{"int overflow", `9223372036854775807`, `9223372036854775808`, `view "v", row 2, column "n": 9223372036854776000 is not an int`},
		{"int as float", `["a \"q\"", 1,`, `["a \"q\"", 1.5,`, `view "v", row 1, column "n": 1.5 is not an int`},
		{"date", `2.5, "2017-03-17"`, `2.5, "2017-02-30"`, `view "v", row 1, column "d": "2017-02-30" is not a date (YYYY-MM-DD)`},
		{"short row", `[null, 9223372036854775807, -0.001, null, false]`, `[null, 9223372036854775807]`, `view "v", row 2: 2 values for 5 columns`},
		{"list as value", `"value": "2017-03-17"`, `"value": [1]`, `not a valid results document: a list is not a value (a string, number, boolean or null)`},
		{"value type", `"type": "float",`, `"type": "bool",`, `value "f": the number 0.3333333333333333 is not a value of type bool`},
		{"trailing", "\n}\n", "\n}\n{}", "55:1: not a valid results document: invalid character '{' after top-level value"},
	} {
		in := strings.Replace(good, c.from, c.to, 1)
		if c.name == "trailing" {
			in = strings.TrimSuffix(good, c.from) + c.to
		}
		if in == good && c.from != c.to {
			t.Fatalf("%s: %q not in the document", c.name, c.from)
		}
		_, err := Unmarshal([]byte(in))
		switch {
		case err == nil:
			t.Errorf("%s: no error", c.name)
		case err.Error() != c.want:
			t.Errorf("%s:\n got %v\nwant %s", c.name, err, c.want)
		}
	}
}

// FuzzUnmarshal: Unmarshal never panics, and what it accepts Marshal
// writes, Unmarshal reads again and Marshal writes the same bytes.
func FuzzUnmarshal(f *testing.F) {
	b, err := Marshal(sample())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	files, _ := filepath.Glob("../../../reports/*.results.json")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"format": "galley-results", "version": 1, "views": [{"name": "v", "columns": [{"name": "x", "type": "any"}], "shown": true, "rows": [[-0], [1e400], [1.0], ["2017-03-17"]]}]}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		doc, err := Unmarshal(in)
		if err != nil {
			return
		}
		b1, err := Marshal(doc)
		if err != nil {
			t.Fatalf("Marshal of a document Unmarshal accepted: %v", err)
		}
		doc2, err := Unmarshal(b1)
		if err != nil {
			t.Fatalf("Unmarshal of what Marshal wrote: %v\n%s", err, b1)
		}
		b2, err := Marshal(doc2)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b1, b2) {
			t.Fatalf("not stable:\n%s\n%s", b1, b2)
		}
	})
}
