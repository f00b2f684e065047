package cli

import (
	"embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// newProject is what `galley new` writes: each file's path, with .tmpl
// ending its name in the source (so that make rebuilds galley when one
// changes) and "gitignore" standing for .gitignore.
//
//go:embed newproject
var newProject embed.FS

const newAbout = `Makes a new project for a story in DIR: analyses/ with an example that
runs (real data, cited: an excerpt of the IANA time zone database, public
domain), datasets/ with its data, reports/, a Makefile with the targets
make, make check and make test (using the galley on PATH, or
make GALLEY=/path/to/galley), a .gitignore and a README. DIR must not exist,
or be an empty folder.
`

func newCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("galley new", flag.ContinueOnError)
	fs.SetOutput(stderr)
	describedUsage(fs, stderr, "new DIR", newAbout)
	pos, ok, code := parseArgs(fs, args)
	if !ok {
		return code
	}
	if len(pos) != 1 {
		fmt.Fprintf(stderr, "galley new: name the folder to make, once (galley new DIR)\n")
		return exitUsage
	}
	dir := pos[0]
	if dir == "" {
		// Joined to the files' names, "" is the current folder, whatever
		// it holds.
		fmt.Fprintf(stderr, "galley new: name the folder to make (galley new DIR); an empty name is no folder\n")
		return exitUsage
	}
	if st, err := os.Stat(dir); err == nil {
		if !st.IsDir() {
			fmt.Fprintf(stderr, "galley new: %s is a file: name a new folder\n", dir)
			return exitUsage
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			fmt.Fprintf(stderr, "galley new: %s: %v\n", dir, errors.Unwrap(err))
			return exitFailure
		}
		if len(entries) > 0 {
			fmt.Fprintf(stderr, "galley new: %s already holds files: name a new folder, or an empty one\n", dir)
			return exitUsage
		}
	}
	files, err := projectFiles(filepath.Base(filepath.Clean(dir)))
	if err != nil {
		fmt.Fprintf(stderr, "galley new: %v\n", err)
		return exitFailure
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, d := range []string{"analyses", "datasets", "reports"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			fmt.Fprintf(stderr, "galley new: %v\n", err)
			return exitFailure
		}
	}
	for _, n := range names {
		p := filepath.Join(dir, filepath.FromSlash(n))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			fmt.Fprintf(stderr, "galley new: %v\n", err)
			return exitFailure
		}
		if err := writeNew(p, files[n]); err != nil {
			fmt.Fprintf(stderr, "galley new: %v\n", err)
			return exitFailure
		}
	}
	show := filepath.ToSlash(dir)
	fmt.Fprintf(stdout, "made %s/: %s, and reports/\n\n", show, strings.Join(names, ", "))
	fmt.Fprintf(stdout, "Next:\n  cd %s\n", shellWord(dir))
	fmt.Fprint(stdout, "  galley serve                      a live preview of the example; edit analyses/example.yaml\n")
	fmt.Fprint(stdout, "  make                              write reports/\n")
	fmt.Fprint(stdout, "  git init && git add -A && git commit -m \"A new story\"\n")
	return exitOK
}

// writeNew writes a file that must not exist yet: galley new never writes
// over a file, even one made after it looked at the folder.
func writeNew(path string, b []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// projectFiles is every file of a new project, by its slash path in it.
func projectFiles(name string) (map[string][]byte, error) {
	out := map[string][]byte{}
	err := fs.WalkDir(newProject, "newproject", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := newProject.ReadFile(p)
		if err != nil {
			return err
		}
		rel := strings.TrimSuffix(strings.TrimPrefix(p, "newproject/"), ".tmpl")
		if path.Base(rel) == "gitignore" {
			rel = path.Join(path.Dir(rel), ".gitignore")
		}
		if rel == "README.md" {
			b = []byte(strings.Replace(string(b), "# PROJECT", "# "+name, 1))
		}
		out[rel] = b
		return nil
	})
	return out, err
}

// shellWord quotes s for a POSIX shell when it needs it.
func shellWord(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
