package dataset

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"galley/runner/internal/suggest"
)

// located is a dataset file that passed the path checks.
type located struct {
	rel  string // as written, slash form
	full string // the file to open, symlinks resolved
	size int64
}

// gzipped reports whether the file is a gzip stream: its name ends in
// .gz (a glob may match plain and gzipped files alike).
func (l *located) gzipped() bool { return strings.HasSuffix(strings.ToLower(l.rel), ".gz") }

// pathProblem is a path check failure; the caller places it in the analysis.
type pathProblem struct{ msg string }

func (p *pathProblem) Error() string { return p.msg }

func problemf(format string, args ...any) *pathProblem {
	return &pathProblem{fmt.Sprintf(format, args...)}
}

// locate checks that rel names a regular file inside root and returns where
// it is. Errors are *pathProblem.
func locate(rel, root string) (*located, error) {
	if root == "" {
		root = "."
	}
	switch {
	case rel == "":
		return nil, problemf("path is empty (give the CSV file's path relative to the project root, e.g. datasets/x.csv)")
	case strings.Contains(rel, `\`):
		return nil, problemf("path %q uses backslashes (write it with forward slashes: %s)", rel, strings.ReplaceAll(rel, `\`, "/"))
	case strings.HasPrefix(rel, "/") || filepath.IsAbs(rel) || filepath.VolumeName(rel) != "":
		return nil, problemf("path %q is absolute (write it relative to the project root, e.g. datasets/%s)", rel, path.Base(rel))
	case strings.ContainsRune(rel, 0) || !utf8.ValidString(rel):
		return nil, problemf("path %q is not a valid file name", rel)
	}
	clean := path.Clean(rel)
	if clean == ".." || strings.HasPrefix(clean, "../") {
		return nil, problemf("path %q leaves the project root (keep datasets inside the project, e.g. under datasets/)", rel)
	}
	if clean == "." {
		return nil, problemf("path %q is the project root, not a CSV file", rel)
	}
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return nil, problemf("cannot resolve the project root %q", root)
	}
	realRoot, err := filepath.EvalSymlinks(absRoot)
	if err != nil {
		return nil, problemf("the project root %s cannot be read", root)
	}
	full := filepath.Join(absRoot, filepath.FromSlash(clean))
	fi, err := os.Stat(full)
	if err != nil {
		switch {
		case errors.Is(err, fs.ErrNotExist) || isNotDir(err):
			if li, lerr := os.Lstat(full); lerr == nil && li.Mode()&fs.ModeSymlink != 0 {
				return nil, problemf("%s is a symbolic link whose target does not exist (point it at the file, or write the file's own path)", rel)
			}
			return nil, problemf("%s does not exist%s", rel, suggestSibling(full, clean))
		case errors.Is(err, fs.ErrPermission):
			return nil, problemf("%s cannot be read (permission denied)", rel)
		}
		return nil, problemf("%s cannot be read (%s)", rel, reason(err))
	}
	real, err := filepath.EvalSymlinks(full)
	if err != nil {
		return nil, problemf("%s cannot be read (%s)", rel, reason(err))
	}
	if r, err := filepath.Rel(realRoot, real); err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) || filepath.IsAbs(r) {
		return nil, problemf("%s is a symbolic link to a file outside the project root (copy the file into the project instead)", rel)
	}
	if fi.IsDir() {
		return nil, problemf("%s is a directory, not a CSV file", rel)
	}
	if !fi.Mode().IsRegular() {
		return nil, problemf("%s is not a regular file", rel)
	}
	return &located{rel: rel, full: real, size: fi.Size()}, nil
}

func isNotDir(err error) bool {
	var pe *fs.PathError
	return errors.As(err, &pe) && strings.Contains(pe.Err.Error(), "not a directory")
}

// reason words an OS error without its Go internals (the absolute path and
// the operation).
func reason(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		err = le.Err
	}
	return err.Error()
}

// suggestSibling proposes a file next to the missing one whose name is close.
func suggestSibling(full, clean string) string {
	dir := path.Dir(clean)
	entries, err := os.ReadDir(filepath.Dir(full))
	if err != nil {
		if dir != "." {
			if _, err := os.Stat(filepath.Dir(full)); err != nil {
				return fmt.Sprintf(" (there is no directory %s)", dir)
			}
		}
		return ""
	}
	// Only a file that can be read is a suggestion: not the missing name
	// itself (a symbolic link whose target is gone), nor another such link.
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		if e.Name() == path.Base(clean) {
			continue
		}
		if e.Type()&fs.ModeSymlink != 0 {
			if fi, err := os.Stat(filepath.Join(filepath.Dir(full), e.Name())); err != nil || !fi.Mode().IsRegular() {
				continue
			}
		}
		names = append(names, e.Name())
	}
	if best := suggest.Near(path.Base(clean), names); best != "" {
		if dir != "." {
			best = dir + "/" + best
		}
		return fmt.Sprintf(" (did you mean %s?)", best)
	}
	return ""
}
