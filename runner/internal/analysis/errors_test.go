package analysis

import (
	"testing"

	"galley/runner/internal/errortest"
)

// TestErrorFiles parses every analysis under testdata/errors: each error
// Parse reports must be written beside its line as an ERROR comment
// (package errortest), and each ERROR comment must be met by one error.
// The few cases a file cannot hold (a file that is empty, not UTF-8 or too
// large) are in TestParseErrors.
func TestErrorFiles(t *testing.T) {
	errortest.Files(t, "testdata/errors/*.yaml", func(path string, src []byte) error {
		_, err := Parse(path, src)
		return err
	})
}
