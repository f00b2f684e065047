package cli

import (
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"sync"
	"syscall"
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
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
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

func writeTemp(path string, data []byte) (string, error) {
	pending.Lock()
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
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
