package dataset

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"galley/runner/internal/analysis"
	"galley/runner/internal/position"
)

// A glob path names every file of one folder whose name matches it (as
// path.Match reads the pattern; a name starting with a dot only when the
// pattern does, as the shell has it). The files are read in byte order of
// their paths, one after the other, as one dataset: each is checked
// against its own pin, a CSV or xlsx file against the first file's header
// too, and every row is counted under its file.

// FileRead is what was read of one file of a dataset.
type FileRead struct {
	Path   string // as the analysis names it, slash form
	SHA256 string // its pin, which it matched
	Rows   int    // rows read from it
}

// FileSum is a file a dataset's path names, with its sha256: what `galley
// pin` writes.
type FileSum struct {
	Path   string
	SHA256 string
}

// locateGlob returns the files ds's glob matches, in byte order of their
// paths, each checked as a single path is (inside the project, a regular
// file, a link only to a file inside). Errors are positioned at the path.
func locateGlob(ds *analysis.Dataset, root string) ([]*located, error) {
	at := or(ds.Path.Pos, ds.Pos)
	fail := func(format string, args ...any) error {
		return position.Errorf(at, "dataset %q: %s", ds.Name, fmt.Sprintf(format, args...))
	}
	pattern := ds.Path.Value
	dir, base := path.Split(pattern)
	dir = strings.TrimSuffix(dir, "/")
	// The folder is checked as a file's path would be: the checks of
	// locate, on a name in it.
	probe := "x"
	if dir != "" {
		probe = dir + "/x"
	}
	if _, err := locate(probe, root); err != nil {
		var pp *pathProblem
		if errors.As(err, &pp) && !strings.Contains(pp.msg, "does not exist") {
			return nil, fail("%s", strings.ReplaceAll(pp.msg, probe, pattern))
		}
	}
	if root == "" {
		root = "."
	}
	folder := filepath.Join(root, filepath.FromSlash(dir))
	entries, err := os.ReadDir(folder)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fail("%s matches no file: there is no folder %s", pattern, or2(dir, "."))
		}
		return nil, fail("the folder %s cannot be read (%s)", or2(dir, "."), reason(err))
	}
	var names, others []string
	for _, e := range entries {
		name := e.Name()
		if ok, _ := path.Match(base, name); ok && (!strings.HasPrefix(name, ".") || strings.HasPrefix(base, ".")) {
			names = append(names, name)
		} else if !strings.HasPrefix(name, ".") {
			others = append(others, name)
		}
	}
	if len(names) == 0 {
		return nil, fail("%s matches no file%s", pattern, folderHint(dir, others))
	}
	sort.Strings(names)
	out := make([]*located, 0, len(names))
	for _, name := range names {
		rel := name
		if dir != "" {
			rel = dir + "/" + name
		}
		loc, err := locate(rel, root)
		if err != nil {
			return nil, fail("%s (it matches %s)", err, pattern)
		}
		out = append(out, loc)
	}
	return out, nil
}

func or2(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// folderHint lists a few of the files that are in the folder.
func folderHint(dir string, names []string) string {
	if len(names) == 0 {
		return fmt.Sprintf(" (the folder %s has no files)", or2(dir, "."))
	}
	sort.Strings(names)
	const most = 5
	more := ""
	if len(names) > most {
		more = fmt.Sprintf(" and %d more", len(names)-most)
		names = names[:most]
	}
	return fmt.Sprintf(" (the folder %s has %s%s)", or2(dir, "."), strings.Join(names, ", "), more)
}

// globPins matches the files found with the pins written: every file needs
// a pin, and every pin a file. It returns each file's pin.
func globPins(ds *analysis.Dataset, files []*located) ([]analysis.String, error) {
	if !ds.PinsSet || len(ds.Pins) == 0 {
		return nil, position.Errorf(ds.Pos, "dataset %q has no sha256 pins: its glob matches %s (run %s)", ds.Name, plural(len(files), "file"), pinCommand(ds))
	}
	byPath := make(map[string]analysis.Pin, len(ds.Pins))
	for _, p := range ds.Pins {
		byPath[path.Clean(p.Path.Value)] = p
	}
	var errs position.List
	pins := make([]analysis.String, len(files))
	found := map[string]bool{}
	for i, f := range files {
		p, ok := byPath[path.Clean(f.rel)]
		if !ok {
			errs.Add(ds.Pos, "dataset %q: %s is a new file: run %s (the glob %s matches it, and it has no pin)", ds.Name, f.rel, pinCommand(ds), ds.Path.Value)
			continue
		}
		found[path.Clean(f.rel)] = true
		if err := checkPinValue(ds, p.SHA256, fmt.Sprintf("dataset %q: the sha256 pin of %s", ds.Name, f.rel)); err != nil {
			errs.Append(err)
			continue
		}
		pins[i] = p.SHA256
	}
	for _, p := range ds.Pins {
		if !found[path.Clean(p.Path.Value)] {
			errs.Add(or(p.Path.Pos, ds.Pos), "dataset %q: the pin of %s names a file the glob %s no longer matches (it was removed or renamed: restore it, or remove its pin)", ds.Name, p.Path.Value, ds.Path.Value)
		}
	}
	if len(errs) == 1 {
		return nil, errs[0]
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return pins, nil
}

// Sums returns every file the dataset's path names, with its sha256: one
// file, or each file its glob matches, in byte order of their paths. It is
// what `galley pin` writes.
func Sums(ds *analysis.Dataset, opts Options) ([]FileSum, error) {
	if !ds.IsGlob() {
		sum, err := Sum(ds, opts)
		if err != nil {
			return nil, err
		}
		return []FileSum{{ds.Path.Value, sum}}, nil
	}
	files, err := locateGlob(ds, opts.Root)
	if err != nil {
		return nil, err
	}
	out := make([]FileSum, len(files))
	for i, loc := range files {
		sum, err := sumFile(ds, loc, opts)
		if err != nil {
			return nil, err
		}
		out[i] = FileSum{loc.rel, sum}
	}
	return out, nil
}

// sumFile is the sha256 of one located file of ds, for galley pin.
func sumFile(ds *analysis.Dataset, loc *located, opts Options) (string, error) {
	f, err := os.Open(loc.full)
	if err != nil {
		return "", position.Errorf(or(ds.Path.Pos, ds.Pos), "dataset %q: %s cannot be read (%s)", ds.Name, loc.rel, reason(err))
	}
	defer f.Close()
	sum, err := hashFile(f, &progress{fn: opts.Progress, total: loc.size}, loc.rel)
	if err != nil {
		return "", position.Errorf(or(ds.Path.Pos, ds.Pos), "dataset %q: %s", ds.Name, err)
	}
	return sum, nil
}

// globRead is the reading of a glob's files, in turn.
type globRead struct {
	sp    *Spec
	opts  Options
	files []*located
	pins  []analysis.String

	mu   sync.Mutex // rds: Stream opens files on a goroutine of its own
	rds  []*Reader  // each file's Reader, once opened
	rows []int      // rows read from each file
	at   int        // the file Read reads

	err       error
	verified  bool
	verifyErr error
}

func openGlob(sp *Spec, opts Options) (*Reader, error) {
	ds := sp.ds
	files, err := locateGlob(ds, opts.Root)
	if err != nil {
		return nil, err
	}
	pins, err := globPins(ds, files)
	if err != nil {
		return nil, err
	}
	g := &globRead{sp: sp, opts: opts, files: files, pins: pins, rds: make([]*Reader, len(files)), rows: make([]int, len(files))}
	r := &Reader{ds: ds, spec: sp, rel: ds.Path.Value, glob: g}
	if _, err := g.open(0); err != nil {
		return nil, g.pinsFirst(err)
	}
	return r, nil
}

// open opens file k, once; a file after the first must have its header.
func (g *globRead) open(k int) (*Reader, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.rds[k] != nil {
		return g.rds[k], nil
	}
	var first *Reader
	if k > 0 {
		first = g.rds[0]
	}
	rd, err := openFile(g.sp, g.opts, g.files[k], g.pins[k], first)
	if err != nil {
		return nil, err
	}
	g.rds[k] = rd
	return rd, nil
}

// opened returns the Readers opened so far.
func (g *globRead) opened() []*Reader {
	g.mu.Lock()
	defer g.mu.Unlock()
	var out []*Reader
	for _, rd := range g.rds {
		if rd != nil {
			out = append(out, rd)
		}
	}
	return out
}

// pinsFirst returns the first wrong pin of the glob, if any, instead of
// err: a changed file explains any other error.
func (g *globRead) pinsFirst(err error) error {
	if perr := g.verify(); perr != nil {
		return perr
	}
	return err
}

// verify checks every file against its pin, in order: a file read is
// checked by its Reader, one not opened (the reading stopped before it) is
// read through sha256 here.
func (g *globRead) verify() error {
	if g.verified {
		return g.verifyErr
	}
	g.verified = true
	ds := g.sp.ds
	for k, loc := range g.files {
		g.mu.Lock()
		rd := g.rds[k]
		g.mu.Unlock()
		var err error
		if rd != nil {
			err = rd.Verify()
		} else {
			var sum string
			if sum, err = sumFile(ds, loc, Options{}); err == nil {
				err = checkSum(ds, loc.rel, g.pins[k], sum)
			}
		}
		if err != nil {
			g.verifyErr = err
			return err
		}
	}
	return nil
}

// read gives the next row of the glob's files, read in turn.
func (g *globRead) read(r *Reader) ([]any, error) {
	for g.err == nil {
		cur := g.rds[g.at]
		row, err := cur.Read()
		if err == nil {
			return row, nil
		}
		if err != io.EOF {
			g.fail(err)
			break
		}
		g.rows[g.at] = cur.RowsRead()
		cur.Close()
		if g.at+1 == len(g.files) {
			if err := g.verify(); err != nil {
				g.err = err
				break
			}
			return nil, io.EOF
		}
		g.at++
		if _, err := g.open(g.at); err != nil {
			g.fail(err)
		}
	}
	return nil, g.err
}

func (g *globRead) fail(err error) {
	g.err = g.pinsFirst(err)
}

func (g *globRead) cur() *Reader { return g.rds[g.at] }

func (g *globRead) header() []string { return g.rds[0].header }

func (g *globRead) rowsRead() int {
	n := 0
	for k, rows := range g.rows {
		if k == g.at && g.rds[k] != nil && rows == 0 {
			rows = g.rds[k].RowsRead()
		}
		n += rows
	}
	return n
}

func (g *globRead) close() error {
	for _, rd := range g.opened() {
		rd.Close()
	}
	// What was not read is hashed, so that Verify can still answer.
	g.verify()
	return nil
}

// Files lists the files read, each with its pin and the rows read from it,
// in the order they were read. Call it once Verify (or Stream) returned
// nil.
func (r *Reader) Files() []FileRead {
	if r.glob == nil {
		rows := r.rows
		if r.streamed {
			rows = r.total
		}
		return []FileRead{{r.rel, r.pin.Value, rows}}
	}
	g := r.glob
	out := make([]FileRead, len(g.files))
	for k, loc := range g.files {
		out[k] = FileRead{loc.rel, g.pins[k].Value, g.rows[k]}
	}
	return out
}

// sameHeader checks that the header just read is first's, the header of a
// glob's first file: the files of a glob are one table. at gives the
// position of column i of this file's header.
func (r *Reader) sameHeader(first *Reader, at func(i int) position.Pos) error {
	a, b := first.header, r.header
	for i := 0; i < min(len(a), len(b)); i++ {
		if a[i] != b[i] {
			return position.Errorf(at(i), "the header differs from that of %s, the glob's first file: column %d is %q here, %q there (the files of a glob share one header)",
				first.rel, i+1, clip([]byte(b[i])), clip([]byte(a[i])))
		}
	}
	if len(a) != len(b) {
		i := min(len(a), len(b))
		pos := at(len(b) - 1)
		if len(b) > len(a) {
			pos = at(i)
			return position.Errorf(pos, "the header differs from that of %s, the glob's first file: it has %s, %s has %d; column %d, %q, is not there (the files of a glob share one header)",
				first.rel, plural(len(b), "column"), path.Base(first.rel), len(a), i+1, clip([]byte(b[i])))
		}
		return position.Errorf(pos, "the header differs from that of %s, the glob's first file: it has %s, %s has %d; column %d, %q, is missing here (the files of a glob share one header)",
			first.rel, plural(len(b), "column"), path.Base(first.rel), len(a), i+1, clip([]byte(a[i])))
	}
	return nil
}
