package check

import (
	"testing"

	"galley/runner/internal/analysis"
	"galley/runner/internal/errortest"
)

// TestErrors checks every analysis under testdata/errors: each error Parse
// and Analysis report must be written beside its line as an ERROR comment
// (package errortest), and each ERROR comment must be met by one error.
func TestErrors(t *testing.T) {
	errortest.Files(t, "testdata/errors/*.yaml", func(path string, src []byte) error {
		f, err := analysis.Parse(path, src)
		if err == nil {
			_, err = Analysis(f)
		}
		return err
	})
}
