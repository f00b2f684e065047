package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"galley/runner/internal/analysis"
	"galley/runner/internal/check"
	"galley/runner/internal/engine"
	"galley/runner/internal/results"
)

var update = flag.Bool("update", false, "rewrite the golden reports under testdata/ (review them as a diff)")

// root is the project root, where the example analyses and their data are.
const root = "../../.."

func build(t *testing.T, name string) *results.Document {
	t.Helper()
	path := "analyses/" + name + ".yaml"
	src, err := os.ReadFile(filepath.Join(root, path))
	if err != nil {
		t.Fatal(err)
	}
	f, err := analysis.Parse(path, src)
	if err != nil {
		t.Fatal(err)
	}
	c, err := check.Analysis(f)
	if err != nil {
		t.Fatal(err)
	}
	res, err := engine.Execute(c, engine.Options{Root: root})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestGolden renders the example analyses (without the 1 MB ECharts build,
// which the page only inlines) and compares them with the reviewed reports
// under testdata/. Run with -update after a deliberate change, and read
// the diff.
func TestGolden(t *testing.T) {
	for _, name := range []string{"mosul-civilian-toll", "feature-tour"} {
		t.Run(name, func(t *testing.T) {
			res := build(t, name)
			got, err := Render(res, Options{Version: "test"})
			if err != nil {
				t.Fatal(err)
			}
			sources, err := Sources(res)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := results.Marshal(res)
			if err != nil {
				t.Fatal(err)
			}
			for file, data := range map[string][]byte{name + ".html": got, name + ".sources.csv": sources, name + ".results.json": doc} {
				golden := filepath.Join("testdata", file)
				if *update {
					if err := os.WriteFile(golden, data, 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run go test -update to create it)", err)
				}
				if !bytes.Equal(data, want) {
					t.Errorf("%s differs from the golden file; if the change is deliberate, run go test ./runner/internal/report -update and review the diff\n%s", file, firstDiff(data, want))
				}
			}
		})
	}
}

// TestDeterministic renders the same analysis under other time zones and
// checks that the bytes do not move: nothing in a report may depend on the
// machine.
func TestDeterministic(t *testing.T) {
	saved := time.Local
	defer func() { time.Local = saved }()
	var first []byte
	for _, zone := range []string{"UTC", "Pacific/Kiritimati", "America/Los_Angeles", "Asia/Kolkata"} {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			loc = time.FixedZone(zone, 13*3600)
		}
		time.Local = loc
		got, err := Render(build(t, "feature-tour"), Options{Version: "test"})
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = got
			continue
		}
		if !bytes.Equal(got, first) {
			t.Fatalf("the report differs under time zone %s:\n%s", zone, firstDiff(got, first))
		}
	}
}

func firstDiff(a, b []byte) string {
	al, bl := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			return "line " + itoa(i+1) + ":\n got: " + clip(al[i]) + "\nwant: " + clip(bl[i])
		}
	}
	return "lengths differ: " + itoa(len(al)) + " lines against " + itoa(len(bl))
}

func clip(s string) string {
	if len(s) > 300 {
		return s[:300] + "..."
	}
	return s
}

func itoa(n int) string { return strconv.Itoa(n) }
