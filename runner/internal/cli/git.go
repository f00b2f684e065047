package cli

import (
	"bytes"
	"errors"
	"fmt"
	"os/exec"
	"strings"
)

// git runs the git command in dir with exactly the arguments given (no
// shell, so nothing in a revision or a path is interpreted) and returns
// its standard output. The error holds git's own message.
func git(dir string, args ...string) ([]byte, error) {
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			return nil, fmt.Errorf("cannot run git: %v (galley diff reads the committed results with git: install it)", err)
		}
		msg := strings.TrimSpace(errOut.String())
		msg = strings.TrimPrefix(msg, "fatal: ")
		if msg == "" {
			msg = err.Error()
		}
		return nil, errors.New(msg)
	}
	return out.Bytes(), nil
}

// gitRepo checks that root is inside a git work tree.
func gitRepo(root string) error {
	out, err := git(root, "rev-parse", "--is-inside-work-tree")
	if err != nil {
		return err
	}
	if strings.TrimSpace(string(out)) != "true" {
		return errors.New("not inside a git work tree")
	}
	return nil
}

// isRevision reports whether rev names a commit of the repository at root.
// A revision starting with "-" would read as an option: it is none.
func isRevision(root, rev string) bool {
	if rev == "" || strings.HasPrefix(rev, "-") {
		return false
	}
	_, err := git(root, "rev-parse", "--verify", "--quiet", rev+"^{commit}")
	return err == nil
}

// committedFile returns the bytes of path (relative to root, slash
// separated) as committed at rev, and false when rev has no such file.
func committedFile(root, rev, path string) ([]byte, bool, error) {
	spec := rev + ":./" + path
	if _, err := git(root, "cat-file", "-e", spec); err != nil {
		return nil, false, nil
	}
	b, err := git(root, "show", "--no-textconv", spec)
	if err != nil {
		return nil, false, err
	}
	return b, true, nil
}
