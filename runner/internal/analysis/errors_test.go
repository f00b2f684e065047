package analysis

import (
	"os"
	"path/filepath"
	"testing"

	"galley/runner/internal/errortest"
)

// TestErrorFiles parses every analysis under testdata/errors: each error
// Parse reports must be written beside its line as an ERROR comment
// (package errortest), and each ERROR comment must be met by one error.
// The few cases a file cannot hold (a file that is empty, not UTF-8 or too
// large) are in TestParseErrors.
func TestErrorFiles(t *testing.T) {
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
			_, err = Parse(file, src)
			errortest.Check(t, file, src, err)
		})
	}
}
