package check

import (
	"os"
	"path/filepath"
	"testing"

	"galley/runner/internal/analysis"
	"galley/runner/internal/errortest"
)

// TestErrors checks every analysis under testdata/errors: each error Parse
// and Analysis report must be written beside its line as an ERROR comment
// (package errortest), and each ERROR comment must be met by one error.
func TestErrors(t *testing.T) {
	files, err := filepath.Glob("testdata/errors/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test files: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			f, err := analysis.Parse(file, src)
			if err == nil {
				_, err = Analysis(f)
			}
			errortest.Check(t, file, src, err)
		})
	}
}
