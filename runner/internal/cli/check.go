package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
)

// check is `galley check`: every analysis is computed and nothing is
// written. With -reports DIR it also proves that DIR holds exactly what the
// analyses and data produce: every analysis is run into a scratch folder,
// and the files there must be the files in DIR, byte for byte, none more
// and none fewer. Comparing whatever a run writes, rather than a list of
// the files a report has, keeps the check right when a run writes a new
// kind of file.
func checkCmd(args []string, stdout, stderr io.Writer) int {
	flags, c := newFlags("check", "check [flags] [ANALYSIS...]", stderr)
	reports := flags.String("reports", "", "also check that `DIR` holds exactly the files a fresh run writes, byte for byte (e.g. reports)")
	if ok, code := parseFlags(flags, args); !ok {
		return code
	}
	// The flags are parsed here once; run gets them again in its own form.
	runArgs := append([]string{"-root", c.root}, flags.Args()...)
	if *reports == "" {
		return run(runArgs, stdout, stderr, false)
	}
	if flags.NArg() > 0 {
		fmt.Fprintf(stderr, "galley check: -reports compares the reports of every analysis in analyses/, so it takes no ANALYSIS (remove %s)\n", flags.Arg(0))
		return exitUsage
	}
	if st, err := os.Stat(*reports); err == nil && !st.IsDir() {
		fmt.Fprintf(stderr, "galley check: -reports %s: not a folder (name the reports folder, e.g. -reports reports)\n", *reports)
		return exitUsage
	}
	scratch, err := os.MkdirTemp("", "galley-check-")
	if err != nil {
		fmt.Fprintf(stderr, "galley check: cannot make a scratch folder: %v\n", err)
		return exitFailure
	}
	defer os.RemoveAll(scratch)
	if code := run(append([]string{"-root", c.root, "-out", scratch}, flags.Args()...), stdout, stderr, true); code != exitOK {
		fmt.Fprintf(stderr, "galley check: %s/ was not compared: the analyses must run first\n", displayPath(c.root, *reports))
		return code
	}
	if !sameFiles(scratch, *reports, c.root, stderr) {
		return exitFailure
	}
	return exitOK
}

// sameFiles reports whether published holds exactly the files of fresh,
// byte for byte, printing each file that is stray, missing or different.
func sameFiles(fresh, published, root string, stderr io.Writer) bool {
	want, err := listDir(fresh)
	if err != nil {
		fmt.Fprintf(stderr, "galley check: cannot read the scratch folder: %v\n", err)
		return false
	}
	have, err := listDir(published)
	if errors.Is(err, fs.ErrNotExist) {
		have, err = nil, nil // no reports yet: each one is missing
	}
	if err != nil {
		fmt.Fprintf(stderr, "galley check: cannot read %s: %v\n", displayPath(root, published), err)
		return false
	}
	names := make([]string, 0, len(want)+len(have))
	for n := range want {
		names = append(names, n)
	}
	for n := range have {
		if _, ok := want[n]; !ok {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	dir := displayPath(root, published) + "/"
	bad := 0
	for _, n := range names {
		show := displayPath(root, filepath.Join(published, n))
		w, inFresh := want[n]
		h, inPublished := have[n]
		switch {
		case !inFresh && h.IsDir():
			fmt.Fprintf(stderr, "%s: a folder, and no analysis writes it (remove it from %s)\n", show, dir)
		case !inFresh:
			fmt.Fprintf(stderr, "%s: no analysis writes this file (remove it; if its analysis was renamed or removed, that is why)\n", show)
		case !inPublished:
			fmt.Fprintf(stderr, "%s: missing: a fresh run writes it (run galley run, then commit it)\n", show)
		case !h.Type().IsRegular():
			fmt.Fprintf(stderr, "%s: not a regular file, and a fresh run writes one (remove it, run galley run, then commit it)\n", show)
		default:
			a, errA := os.ReadFile(filepath.Join(fresh, w.Name()))
			b, errB := os.ReadFile(filepath.Join(published, h.Name()))
			if err := errors.Join(errA, errB); err != nil {
				fmt.Fprintf(stderr, "%s: cannot compare: %v\n", show, err)
			} else if !bytes.Equal(a, b) {
				fmt.Fprintf(stderr, "%s: not what its analysis and data produce now (run galley run, then commit it)\n", show)
			} else {
				continue
			}
		}
		bad++
	}
	if bad > 0 {
		fmt.Fprintf(stderr, "galley check: %s does not match the analyses and data: %d of %d files differ\n", dir, bad, len(names))
		return false
	}
	fmt.Fprintf(stderr, "%s matches the analyses and data: %d files, each byte for byte what a fresh run writes\n", dir, len(names))
	return true
}

// listDir returns the entries of dir by name.
func listDir(dir string) (map[string]fs.DirEntry, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	out := make(map[string]fs.DirEntry, len(entries))
	for _, e := range entries {
		out[e.Name()] = e
	}
	return out, nil
}
