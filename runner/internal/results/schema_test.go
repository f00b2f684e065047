package results

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// TestSchema validates the committed results of the example analyses, and
// the golden ones, against docs/results.schema.json, with a validator of
// the whole JSON Schema 2020-12 (santhosh-tekuri/jsonschema). A document
// the schema does not describe fails, and so does a schema that allows
// what Marshal never writes (checked by the bad cases below).
func TestSchema(t *testing.T) {
	c := jsonschema.NewCompiler()
	sch, err := c.Compile("../../../docs/results.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("../../../reports/*.results.json")
	golden, _ := filepath.Glob("../report/testdata/*.results.json")
	files = append(files, golden...)
	if len(files) < 4 {
		t.Fatalf("found %d results documents, want the examples' and the golden ones", len(files))
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if err := sch.Validate(doc); err != nil {
			t.Errorf("%s does not match the schema:\n%v", f, err)
		}
	}
	// The schema is not vacuous: each of these edits of a real document is
	// refused.
	b, err := os.ReadFile(golden[0])
	if err != nil {
		t.Fatal(err)
	}
	for name, edit := range map[string]func(m map[string]any){
		"unknown field": func(m map[string]any) { m["extra"] = 1 },
		"wrong version": func(m map[string]any) { m["version"] = 2 },
		"bad pin":       func(m map[string]any) { m["datasets"].([]any)[0].(map[string]any)["sha256"] = "xyz" },
		"no pin":        func(m map[string]any) { delete(m["datasets"].([]any)[0].(map[string]any), "sha256") },
		"pin and files": func(m map[string]any) {
			m["datasets"].([]any)[0].(map[string]any)["files"] = []any{map[string]any{"path": "a.csv", "sha256": strings.Repeat("a", 64), "rows_read": 1}}
		},
		"file without rows": func(m map[string]any) {
			ds := m["datasets"].([]any)[0].(map[string]any)
			delete(ds, "sha256")
			ds["files"] = []any{map[string]any{"path": "a.csv", "sha256": strings.Repeat("a", 64)}}
		},
		"value as an object": func(m map[string]any) { m["values"].([]any)[0].(map[string]any)["value"] = map[string]any{} },
		"unknown cell kind":  func(m map[string]any) { m["body"].([]any)[0].(map[string]any)["kind"] = "video" },
		"labels as an object": func(m map[string]any) {
			for _, c := range m["body"].([]any) {
				if t, ok := c.(map[string]any)["table"].(map[string]any); ok {
					t["labels"] = map[string]any{"a": "A"}
					return
				}
			}
		},
		"empty view format": func(m map[string]any) {
			m["views"].([]any)[0].(map[string]any)["columns"].([]any)[0].(map[string]any)["format"] = ""
		},
	} {
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		edit(m)
		raw, _ := json.Marshal(m)
		doc, _ := jsonschema.UnmarshalJSON(strings.NewReader(string(raw)))
		if sch.Validate(doc) == nil {
			t.Errorf("%s: the schema accepts it", name)
		}
	}
}
