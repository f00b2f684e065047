package cli

import (
	"errors"
	"flag"
	"galley/runner/internal/fixture"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
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
	testscript.Run(t, testscript.Params{
		Dir:           "testdata/script",
		UpdateScripts: *update,
		Cmds:          map[string]func(ts *testscript.TestScript, neg bool, args []string){"exits": exits, "gzip": fixture.Gzip, "xlsx": fixture.XLSX},
		Setup: func(env *testscript.Env) error {
			// A project holds analyses and data only: galley carries the
			// ECharts build it inlines.
			env.Setenv("TZ", "UTC")
			return nil
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

// TestVersionFromBuild builds galley from this checkout, as make does, and
// checks that galley version names the module and the commit it was built
// from.
func TestVersionFromBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds galley")
	}
	root := filepath.Join("..", "..", "..")
	head, err := exec.Command("git", "-C", root, "rev-parse", "HEAD").Output()
	if err != nil {
		t.Skipf("not a git checkout: %v", err)
	}
	if st, err := os.Stat(filepath.Join(root, ".git")); err != nil || !st.IsDir() {
		t.Skip("a git worktree: the go command stamps the revision only where .git is a folder")
	}
	bin := filepath.Join(t.TempDir(), "galley")
	// -buildvcs=auto, as the Makefile builds: a GOFLAGS of -buildvcs=false
	// (this machine's) would otherwise leave the revision out.
	build := exec.Command("go", "build", "-trimpath", "-buildvcs=auto", "-o", bin, "./runner/cmd/galley")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "version").Output()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != 3 || lines[0] != "galley "+Version || !strings.HasPrefix(lines[1], "module galley ") ||
		!strings.HasPrefix(lines[2], "revision "+strings.TrimSpace(string(head))+" of ") {
		t.Errorf("galley version printed:\n%s\nwant the version, the module and revision %s", out, head)
	}
}

func TestParallelism(t *testing.T) {
	tests := []struct{ cores, analyses, atOnce, workers int }{
		{2, 1, 1, 2},
		{2, 2, 2, 1},
		{2, 5, 2, 1},
		{8, 3, 3, 2},
		{1, 4, 1, 1},
		{0, 0, 1, 1},
	}
	for _, tt := range tests {
		a, w := parallelism(tt.cores, tt.analyses)
		if a != tt.atOnce || w != tt.workers {
			t.Errorf("parallelism(%d cores, %d analyses) = %d at once, %d workers; want %d, %d", tt.cores, tt.analyses, a, w, tt.atOnce, tt.workers)
		}
	}
}
