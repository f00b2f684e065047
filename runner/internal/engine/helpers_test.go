package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"galley/runner/internal/analysis"
	"galley/runner/internal/check"
	"galley/runner/internal/results"
	"galley/runner/internal/view"
)

const analysisPath = "analyses/a.yaml"

func sum(data string) string {
	h := sha256.Sum256([]byte(data))
	return hex.EncodeToString(h[:])
}

// dataset is one entry of datasets: for the CSV data at datasets/NAME.csv,
// pinned to data; cols is the inside of a flow mapping, "a: int, b: string".
func dsYAML(name, data, cols string) string {
	return dsYAML2(name, data, sum(data), cols)
}

func dsYAML2(name, data, pin, cols string) string {
	return fmt.Sprintf("  %s:\n    path: datasets/%s.csv\n    sha256: %s\n"+
		"    source: {title: S, publisher: P, accessed: 2020-01-01, license: L}\n"+
		"    columns: {%s}\n", name, name, pin, cols)
}

// project writes the analysis and its CSV files into a new directory.
type project struct {
	src   string            // the analysis
	files map[string]string // dataset name → CSV data
}

func (p project) write(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	write := func(rel, data string) {
		full := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(analysisPath, p.src)
	for name, data := range p.files {
		write("datasets/"+name+".csv", data)
	}
	return dir
}

func parse(t *testing.T, src string) *analysis.File {
	t.Helper()
	f, err := analysis.Parse(analysisPath, []byte(src))
	if err != nil {
		t.Fatalf("parse:\n%v\nsource:\n%s", err, numbered(src))
	}
	return f
}

// compile parses and compiles the analysis, failing the test on an error.
func compile(t *testing.T, src string) *check.Plan {
	t.Helper()
	c, err := check.Analysis(parse(t, src))
	if err != nil {
		t.Fatalf("compile:\n%v\nsource:\n%s", err, numbered(src))
	}
	return c
}

// execute writes p, compiles and executes it.
func execute(t *testing.T, p project) (*results.Document, error) {
	t.Helper()
	dir := p.write(t)
	return Execute(compile(t, p.src), Options{Root: dir})
}

func mustExecute(t *testing.T, p project) *results.Document {
	t.Helper()
	res, err := execute(t, p)
	if err != nil {
		t.Fatalf("execute:\n%v\nsource:\n%s", err, numbered(p.src))
	}
	return res
}

// where returns the position "analyses/a.yaml:LINE:COL" of the first
// occurrence of needle in src.
func where(t *testing.T, src, needle string) string {
	t.Helper()
	i := strings.Index(src, needle)
	if i < 0 {
		t.Fatalf("%q not in the source", needle)
	}
	line := strings.Count(src[:i], "\n") + 1
	col := i - strings.LastIndex(src[:i], "\n")
	return fmt.Sprintf("%s:%d:%d", analysisPath, line, col)
}

func numbered(src string) string {
	var b strings.Builder
	for i, l := range strings.Split(src, "\n") {
		fmt.Fprintf(&b, "%3d %s\n", i+1, l)
	}
	return b.String()
}

func valueResult(t *testing.T, res *results.Document, name string) *results.Value {
	t.Helper()
	for _, v := range res.Values {
		if v.Name == name {
			return v
		}
	}
	t.Fatalf("no value %q", name)
	return nil
}

func claim(t *testing.T, res *results.Document, id string) *results.Claim {
	t.Helper()
	for _, c := range res.Claims {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("no claim %q", id)
	return nil
}

func datasetResult(t *testing.T, res *results.Document, name string) *results.Dataset {
	t.Helper()
	for _, d := range res.Datasets {
		if d.Name == name {
			return d
		}
	}
	t.Fatalf("no dataset %q", name)
	return nil
}

// countsOf is a view's counts as the view package counts them.
func countsOf(v *results.View) view.Counts {
	c := view.Counts{Read: v.Counts.In, Out: v.Counts.Out, Where: []int{}}
	if v.Counts.Joined != nil {
		c.Joined, c.Unmatched = *v.Counts.Joined, *v.Counts.Unmatched
	}
	for _, w := range v.Counts.Where {
		c.Where = append(c.Where, w.Kept)
	}
	return c
}

// input is the claim input the value name gives.
func input(t *testing.T, res *results.Document, name string) results.Input {
	v := valueResult(t, res, name)
	return results.Input{Name: name, Line: v.Line, Value: v.Value, Text: v.Text}
}

// inlineValues lists the inline values of body cell i, nil when it has none.
func inlineValues(res *results.Document, i int) []any {
	var out []any
	if md := res.Body[i].Markdown; md != nil {
		for _, p := range md.Parts {
			if p.Value != nil {
				out = append(out, p.Value.Value.V)
			}
		}
	}
	return out
}
