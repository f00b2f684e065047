package cli

import (
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"sync"
	"syscall"
	"time"
)

// pending holds the temporary files being written, so that an interrupt
// removes them: the old report stays, or the new one is whole.
var pending = struct {
	sync.Mutex
	files map[string]bool
	once  sync.Once
}{files: map[string]bool{}}

func watchSignals() {
	pending.once.Do(func() {
		ch := make(chan os.Signal, 1)
		signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
		go func() {
			s := <-ch
			pending.Lock()
			for f := range pending.files {
				os.Remove(f)
			}
			// Stay locked: no rename may start after the clean-up.
			fmt.Fprintf(os.Stderr, "galley: stopped by %v; no partial report was left\n", s)
			os.Exit(exitFailure)
		}()
	})
}

// writeFiles writes each file whole or not at all: to a temporary file in
// the same folder, synced, then renamed over the old one. The renames happen
// only once every file is written, so a report and its manifest change
// together.
func writeFiles(files map[string][]byte) error {
	watchSignals()
	return writeAll(files)
}

// writeAll is writeFiles for a command that handles interrupts itself
// (galley serve stops once the files being written are renamed).
func writeAll(files map[string][]byte) error {
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		removeStale(p)
	}
	temps := map[string]string{}
	cleanup := func() {
		pending.Lock()
		for _, t := range temps {
			os.Remove(t)
			delete(pending.files, t)
		}
		pending.Unlock()
	}
	for _, p := range paths {
		t, err := writeTemp(p, files[p])
		if t != "" {
			temps[p] = t
		}
		if err != nil {
			cleanup()
			return err
		}
	}
	pending.Lock()
	defer pending.Unlock()
	for _, p := range paths {
		if err := os.Rename(temps[p], p); err != nil {
			for _, t := range temps {
				os.Remove(t)
			}
			return fmt.Errorf("cannot write %s: %v", filepath.ToSlash(p), err)
		}
		delete(pending.files, temps[p])
	}
	return nil
}

// staleAfter is the age past which a temporary file is taken to be left by
// a run that was killed (SIGKILL, a crash, a power cut): a run writes and
// renames its temporary files within moments.
const staleAfter = time.Minute

// removeStale removes the temporary files of path that a killed run left,
// those older than staleAfter. Younger ones may belong to a run going on
// at the same time, and are left alone: their names are random, so they
// never get in the way.
func removeStale(path string) {
	matches, _ := filepath.Glob(filepath.Join(filepath.Dir(path), tempPrefix(path)+"*"))
	for _, m := range matches {
		if st, err := os.Lstat(m); err == nil && st.Mode().IsRegular() && time.Since(st.ModTime()) > staleAfter {
			os.Remove(m)
		}
	}
}

// tempPrefix is the start of the names of path's temporary files: hidden,
// next to it.
func tempPrefix(path string) string {
	return "." + filepath.Base(path) + ".tmp-"
}

func writeTemp(path string, data []byte) (string, error) {
	pending.Lock()
	f, err := os.CreateTemp(filepath.Dir(path), tempPrefix(path)+"*")
	if err == nil {
		pending.files[f.Name()] = true
	}
	pending.Unlock()
	if err != nil {
		return "", fmt.Errorf("cannot write %s: %v", filepath.ToSlash(path), err)
	}
	name := f.Name()
	if _, err := f.Write(data); err != nil {
		f.Close()
		return name, fmt.Errorf("cannot write %s: %v", filepath.ToSlash(path), err)
	}
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		return name, fmt.Errorf("cannot write %s: %v", filepath.ToSlash(path), err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return name, fmt.Errorf("cannot write %s: %v", filepath.ToSlash(path), err)
	}
	if err := f.Close(); err != nil {
		return name, fmt.Errorf("cannot write %s: %v", filepath.ToSlash(path), err)
	}
	return name, nil
}
