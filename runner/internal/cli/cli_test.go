package cli

import (
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"galley/runner/internal/chart"
)

var update = flag.Bool("update", false, "rewrite the files that cmp compares with in testdata/script/*.txtar (testscript's UpdateScripts; then read the diff)")

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"galley": func() { os.Exit(Main(os.Args[1:], os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs the command from outside, as a reporter would: each
// testdata/script/*.txtar is a small project, the commands run in it and
// their exit codes, stdout and stderr are checked. Besides testscript's own
// commands, a script may say
//
//	exits N PROGRAM [ARGS...]   run PROGRAM, which must exit with status N
//
// (exec and ! exec tell only success from failure). With -update, a cmp
// whose second file is in the script rewrites that file with what the
// command gave.
func TestScripts(t *testing.T) {
	script, err := os.ReadFile(filepath.Join("..", "..", "..", filepath.FromSlash(chart.ScriptPath)))
	if err != nil {
		t.Fatalf("the pinned ECharts build is missing (run make, or npm ci): %v", err)
	}
	testscript.Run(t, testscript.Params{
		Dir:           "testdata/script",
		UpdateScripts: *update,
		Cmds:          map[string]func(ts *testscript.TestScript, neg bool, args []string){"exits": exits},
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

// exits runs a program and checks its exit status.
func exits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits N PROGRAM [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("usage: exits N PROGRAM [ARGS...]: %v", err)
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			ts.Fatalf("%s: %v", args[1], err)
		}
		got = exit.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited with status %d, want %d", args[1], got, want)
	}
}
