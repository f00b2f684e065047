package cli

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"galley/runner/internal/chart"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"galley": func() { os.Exit(Main(os.Args[1:], os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs the command from outside, as a reporter would: each
// testdata/script/*.txtar is a small project, the commands run in it and
// their exit codes, stdout and stderr are checked.
func TestScripts(t *testing.T) {
	script, err := os.ReadFile(filepath.Join("..", "..", "..", filepath.FromSlash(chart.ScriptPath)))
	if err != nil {
		t.Fatalf("the pinned ECharts build is missing (run make, or npm ci): %v", err)
	}
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			// Every project gets the pinned ECharts build galley inlines.
			dir := filepath.Join(env.WorkDir, filepath.FromSlash(filepath.Dir(chart.ScriptPath)))
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return err
			}
			env.Setenv("TZ", "UTC")
			return os.WriteFile(filepath.Join(env.WorkDir, filepath.FromSlash(chart.ScriptPath)), script, 0o644)
		},
	})
}
