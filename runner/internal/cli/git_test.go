package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestGitScripts runs testdata/git/*.txtar: scripts that make a git
// repository and commit to it (galley diff reads the results committed at
// a revision). Besides the commands of TestScripts, a script may say
//
//	replace FILE OLD NEW   replace the one occurrence of OLD in FILE by NEW
//
// and reads the project's own example analyses and data at
// $GALLEY_PROJECT. Git runs with a fixed identity and dates, and no user
// or system configuration.
func TestGitScripts(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	project, err := filepath.Abs(filepath.Join("..", "..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir:           "testdata/git",
		UpdateScripts: *update,
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exits":   exits,
			"replace": replace,
		},
		Setup: func(env *testscript.Env) error {
			env.Setenv("TZ", "UTC")
			env.Setenv("GALLEY_PROJECT", project)
			for k, v := range map[string]string{
				"GIT_CONFIG_NOSYSTEM": "1",
				"GIT_CONFIG_GLOBAL":   os.DevNull,
				"GIT_AUTHOR_NAME":     "Galley Test",
				"GIT_AUTHOR_EMAIL":    "test@example.invalid",
				"GIT_AUTHOR_DATE":     "2026-11-24T12:00:00Z",
				"GIT_COMMITTER_NAME":  "Galley Test",
				"GIT_COMMITTER_EMAIL": "test@example.invalid",
				"GIT_COMMITTER_DATE":  "2026-11-24T12:00:00Z",
			} {
				env.Setenv(k, v)
			}
			return nil
		},
	})
}

// replace replaces the one occurrence of a text in a file: a script edits
// one figure of a dataset so.
func replace(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: replace FILE OLD NEW")
	}
	path := ts.MkAbs(args[0])
	b, err := os.ReadFile(path)
	ts.Check(err)
	if n := strings.Count(string(b), args[1]); n != 1 {
		ts.Fatalf("replace: %q occurs %d times in %s, want once", args[1], n, args[0])
	}
	ts.Check(os.WriteFile(path, []byte(strings.Replace(string(b), args[1], args[2], 1)), 0o644))
}
