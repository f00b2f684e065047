package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"galley/runner/internal/analysis"
	"galley/runner/internal/dataset"
	"galley/runner/internal/position"
)

func pin(args []string, stdout, stderr io.Writer) int {
	fs, c := newFlags("pin", "pin [flags] [ANALYSIS...]", stderr)
	if ok, code := parseFlags(fs, args); !ok {
		return code
	}
	files, ok := analyses(c.root, fs.Args(), stderr)
	if !ok {
		return exitUsage
	}
	code := exitOK
	for _, path := range files {
		if !pinOne(path, c.root, stderr) {
			code = exitFailure
		}
	}
	return code
}

// splice replaces the bytes [start, end) of the source with text.
type splice struct {
	start, end int
	text       string
}

// pinOne rewrites only the sha256 values of path, adding one where there is
// none, and keeps every comment, quote and key order as written. The file
// it would write is parsed again first: every pin must read back as its
// sum, and the rest of the YAML must be unchanged, or nothing is written.
func pinOne(path, root string, stderr io.Writer) bool {
	display := displayPath(root, path)
	src, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintf(stderr, "%s: cannot read the analysis: %v\n", display, err)
		return false
	}
	f, err := analysis.Parse(display, src)
	if f == nil {
		printErrors(stderr, err, root)
		return false
	}
	doc := yamlDoc(src)
	if doc == nil {
		fmt.Fprintf(stderr, "%s: galley pin cannot read the analysis\n", display)
		return false
	}
	text := sourceText{src: src, lines: lineStarts(src)}
	sums := map[string]string{}
	was := map[string]string{}
	globs := map[string][]dataset.FileSum{}
	var splices []splice
	var errs position.List
	for _, ds := range f.Datasets {
		if ds.IsGlob() {
			files, err := dataset.Sums(ds, dataset.Options{Root: root})
			if err != nil {
				printErrors(stderr, err, root)
				return false
			}
			if stale := stalePins(ds, files); len(stale) > 0 {
				errs = append(errs, stale...)
				continue
			}
			if pinnedAlready(ds, files) {
				continue
			}
			globs[ds.Name] = files
			s, why := text.pinMapSplice(datasetNode(doc, ds.Name), files)
			if why != "" {
				errs.Add(ds.Pos, "dataset %q: %s; write the pins by hand, one line each under sha256:, as PATH: SUM", ds.Name, why)
				continue
			}
			splices = append(splices, s)
			continue
		}
		sum, err := dataset.Sum(ds, dataset.Options{Root: root})
		if err != nil {
			printErrors(stderr, err, root)
			return false
		}
		if ds.SHA256.Set && ds.SHA256.Value == sum {
			continue
		}
		sums[ds.Name], was[ds.Name] = sum, ds.SHA256.Value
		s, why := text.pinSplice(datasetNode(doc, ds.Name), sum)
		if why != "" {
			at := ds.SHA256.Pos
			if !ds.SHA256.Set {
				at = ds.Pos
			}
			errs.Add(at, "dataset %q: %s; write it by hand, on one line: sha256: %s", ds.Name, why, sum)
			continue
		}
		splices = append(splices, s)
	}
	if len(errs) > 0 {
		printErrors(stderr, errs.Err(), root)
		return false
	}
	if len(sums) == 0 && len(globs) == 0 {
		fmt.Fprintf(stderr, "%s: every dataset is pinned already\n", display)
		return true
	}
	// Apply from the end so that earlier offsets stay right.
	sort.Slice(splices, func(i, j int) bool { return splices[i].start > splices[j].start })
	out := src
	for _, s := range splices {
		out = append(out[:s.start:s.start], append([]byte(s.text), out[s.end:]...)...)
	}
	pinned, ok := readBack(display, src, out, f, sums, globs)
	if !ok {
		for _, ds := range f.Datasets {
			if sum, ok := sums[ds.Name]; ok {
				errs.Add(ds.Pos, "dataset %q: galley pin could not write the pin without changing something else; write it by hand, on one line: sha256: %s", ds.Name, sum)
			}
			if _, ok := globs[ds.Name]; ok {
				errs.Add(ds.Pos, "dataset %q: galley pin could not write the pins without changing something else; write them by hand, one line each under sha256:, as PATH: SUM", ds.Name)
			}
		}
		printErrors(stderr, errs.Err(), root)
		return false
	}
	for _, ds := range pinned.Datasets {
		if files, ok := globs[ds.Name]; ok {
			old := map[string]string{}
			for _, was := range f.Datasets {
				if was.Name == ds.Name {
					for _, p := range was.Pins {
						old[cleanRel(p.Path.Value)] = p.SHA256.Value
					}
				}
			}
			for _, p := range ds.Pins {
				for _, fs := range files {
					if fs.Path != p.Path.Value || old[cleanRel(fs.Path)] == fs.SHA256 {
						continue
					}
					if prev := old[cleanRel(fs.Path)]; prev == "" {
						fmt.Fprintf(stderr, "%s:%d: dataset %q: sha256 of %s %s (new)\n", display, p.SHA256.Pos.Line, ds.Name, fs.Path, fs.SHA256)
					} else {
						fmt.Fprintf(stderr, "%s:%d: dataset %q: sha256 of %s %s (was %s)\n", display, p.SHA256.Pos.Line, ds.Name, fs.Path, fs.SHA256, prev)
					}
				}
			}
			continue
		}
		sum, ok := sums[ds.Name]
		if !ok {
			continue
		}
		if was[ds.Name] == "" {
			fmt.Fprintf(stderr, "%s:%d: dataset %q: sha256 %s (new)\n", display, ds.SHA256.Pos.Line, ds.Name, sum)
		} else {
			fmt.Fprintf(stderr, "%s:%d: dataset %q: sha256 %s (was %s)\n", display, ds.SHA256.Pos.Line, ds.Name, sum, was[ds.Name])
		}
	}
	if err := writeFiles(map[string][]byte{path: out}); err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", display, err)
		return false
	}
	return true
}

// readBack parses out, the pinned file, and reports whether every dataset
// reads back with its new pin and the same path, and the YAML is src's but
// for the sha256 keys of the datasets.
func readBack(display string, src, out []byte, f *analysis.File, sums map[string]string, globs map[string][]dataset.FileSum) (*analysis.File, bool) {
	g, _ := analysis.Parse(display, out)
	if g == nil || len(g.Datasets) != len(f.Datasets) {
		return nil, false
	}
	for i, ds := range g.Datasets {
		old := f.Datasets[i]
		if ds.Name != old.Name || ds.Path.Value != old.Path.Value {
			return nil, false
		}
		if sum, ok := sums[ds.Name]; ok && (!ds.SHA256.Set || ds.SHA256.Value != sum) {
			return nil, false
		}
		if files, ok := globs[ds.Name]; ok {
			if len(ds.Pins) != len(files) {
				return nil, false
			}
			for i, p := range ds.Pins {
				if p.Path.Value != files[i].Path || p.SHA256.Value != files[i].SHA256 {
					return nil, false
				}
			}
		}
	}
	a, b := yamlDoc(src), yamlDoc(out)
	if a == nil || b == nil {
		return nil, false
	}
	for name := range sums {
		dropKey(datasetNode(a, name), "sha256")
		dropKey(datasetNode(b, name), "sha256")
	}
	for name := range globs {
		dropKey(datasetNode(a, name), "sha256")
		dropKey(datasetNode(b, name), "sha256")
	}
	if !reflect.DeepEqual(shape(a), shape(b)) {
		return nil, false
	}
	return g, true
}

// yamlDoc reads the first YAML document of src as a tree, or nil.
func yamlDoc(src []byte) *yaml.Node {
	var doc yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(src)).Decode(&doc); err != nil || len(doc.Content) == 0 {
		return nil
	}
	return doc.Content[0]
}

// value returns the value of key in mapping m, with the key node, or nils.
func mappingValue(m *yaml.Node, key string) (k, v *yaml.Node) {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Kind == yaml.ScalarNode && m.Content[i].Value == key {
			return m.Content[i], m.Content[i+1]
		}
	}
	return nil, nil
}

// datasetNode returns the mapping of the dataset name in the analysis root.
func datasetNode(root *yaml.Node, name string) *yaml.Node {
	_, datasets := mappingValue(root, "datasets")
	_, ds := mappingValue(datasets, name)
	if ds == nil || ds.Kind != yaml.MappingNode {
		return nil
	}
	return ds
}

func dropKey(m *yaml.Node, key string) {
	if m == nil {
		return
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content = append(m.Content[:i:i], m.Content[i+2:]...)
			return
		}
	}
}

// shape is what a YAML tree says, without positions, styles or comments.
func shape(n *yaml.Node) any {
	kids := make([]any, len(n.Content))
	for i, c := range n.Content {
		kids[i] = shape(c)
	}
	return []any{n.Kind, n.Tag, n.Value, n.Anchor, kids}
}

// sourceText is the analysis with the byte offset of each line.
type sourceText struct {
	src   []byte
	lines []int
}

func lineStarts(src []byte) []int {
	starts := []int{0}
	for i, c := range src {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// offset is the byte offset of n in the source. yaml.v3 counts columns in
// characters, not bytes.
func (t sourceText) offset(n *yaml.Node) (int, bool) {
	if n.Line < 1 || n.Line > len(t.lines) {
		return 0, false
	}
	i := t.lines[n.Line-1]
	for range n.Column - 1 {
		if i >= len(t.src) || t.src[i] == '\n' {
			return 0, false
		}
		_, size := utf8.DecodeRune(t.src[i:])
		i += size
	}
	return i, true
}

// span returns the bytes [start, end) a scalar is written in, for a plain or
// quoted scalar; a block scalar (| or >), a tagged one or one the source
// does not show as expected has none.
func (t sourceText) span(n *yaml.Node) (int, int, bool) {
	start, ok := t.offset(n)
	if !ok || n.Kind != yaml.ScalarNode {
		return 0, 0, false
	}
	s := t.src
	switch n.Style {
	case 0:
		end := start + len(n.Value)
		if end > len(s) || string(s[start:end]) != n.Value || (end < len(s) && !strings.ContainsRune(" \t\r\n,]}", rune(s[end]))) {
			return 0, 0, false
		}
		return start, end, true
	case yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle:
		q := s[start]
		if q != '"' && q != '\'' {
			return 0, 0, false
		}
		for i := start + 1; i < len(s); i++ {
			switch {
			case q == '"' && s[i] == '\\':
				i++
			case q == '\'' && s[i] == '\'' && i+1 < len(s) && s[i+1] == '\'':
				i++
			case s[i] == q:
				return start, i + 1, true
			}
		}
	}
	return 0, 0, false
}

// pinSplice is the edit that sets the sha256 of the dataset mapping ds to
// sum, or why there is none.
func (t sourceText) pinSplice(ds *yaml.Node, sum string) (splice, string) {
	if ds == nil {
		return splice{}, "galley pin cannot find the dataset's mapping"
	}
	if _, old := mappingValue(ds, "sha256"); old != nil {
		start, end, ok := t.span(old)
		if !ok {
			if old.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
				return splice{}, "galley pin cannot rewrite a pin written as a block (| or >)"
			}
			return splice{}, "galley pin cannot rewrite a pin written this way"
		}
		// Keep the quotes as written; a plain sum that YAML would read as
		// a number (all digits) is quoted.
		text := plainSum(sum)
		if q := t.src[start]; q == '"' || q == '\'' {
			text = string(q) + sum + string(q)
		}
		return splice{start, end, text}, ""
	}
	key, path := mappingValue(ds, "path")
	if path == nil {
		return splice{}, "galley pin cannot find the dataset's path"
	}
	keyStart, ok := t.offset(key)
	if !ok {
		return splice{}, "galley pin cannot find the dataset's path"
	}
	entry := "sha256: " + plainSum(sum)
	if ds.Style&yaml.FlowStyle != 0 {
		// {path: x, ...}: the pin follows the path, inside the braces.
		_, end, ok := t.span(path)
		if !ok {
			return splice{}, "galley pin cannot find where the dataset's path ends"
		}
		return splice{end, end, ", " + entry}, ""
	}
	// A block mapping: the pin gets a line of its own at the path's indent,
	// after the path when the path is on one line with its key (the usual
	// case), above the key otherwise (a folded path, or one on the next line).
	lineStart := t.lines[key.Line-1]
	indent := string(t.src[lineStart:keyStart])
	if strings.Trim(indent, " ") != "" {
		return splice{}, "galley pin cannot place a pin beside a path: key that does not start its line"
	}
	if _, end, ok := t.span(path); ok && !bytes.Contains(t.src[keyStart:end], []byte("\n")) {
		nl := bytes.IndexByte(t.src[end:], '\n')
		if nl < 0 {
			return splice{len(t.src), len(t.src), "\n" + indent + entry}, ""
		}
		at := end + nl + 1
		return splice{at, at, indent + entry + "\n"}, ""
	}
	return splice{lineStart, lineStart, indent + entry + "\n"}, ""
}

// plainSum writes sum as a plain YAML scalar, quoted if YAML would read it
// as something other than text (a sum of digits only is a number).
func plainSum(sum string) string {
	var v any
	if err := yaml.Unmarshal([]byte(sum), &v); err != nil || v != sum {
		return `"` + sum + `"`
	}
	return sum
}

func cleanRel(p string) string { return path.Clean(p) }

// stalePins are the errors for the pins of a glob whose files it no
// longer matches: galley pin does not drop a pin by itself, since a file
// gone may be a mistake.
func stalePins(ds *analysis.Dataset, files []dataset.FileSum) position.List {
	have := map[string]bool{}
	for _, f := range files {
		have[path.Clean(f.Path)] = true
	}
	var errs position.List
	for _, p := range ds.Pins {
		if !have[path.Clean(p.Path.Value)] {
			errs.Add(p.Path.Pos, "dataset %q: the pin of %s names a file the glob %s no longer matches (it was removed or renamed: restore it, or remove its pin)", ds.Name, p.Path.Value, ds.Path.Value)
		}
	}
	return errs
}

// pinnedAlready reports whether a glob's pins are its files' sums, in
// their order.
func pinnedAlready(ds *analysis.Dataset, files []dataset.FileSum) bool {
	if len(ds.Pins) != len(files) {
		return false
	}
	for i, p := range ds.Pins {
		if p.Path.Value != files[i].Path || p.SHA256.Value != files[i].SHA256 {
			return false
		}
	}
	return true
}

// yamlKey writes a path as a YAML key: plain when YAML reads it back as
// the same text, quoted otherwise.
func yamlKey(p string) string {
	var v any
	if err := yaml.Unmarshal([]byte(p+": x"), &v); err == nil {
		if m, ok := v.(map[string]any); ok && len(m) == 1 {
			if _, ok := m[p]; ok && !strings.ContainsAny(p, "#{}[],&*!|>'\"%@`") {
				return p
			}
		}
	}
	return strconv.Quote(p)
}

// pinMapSplice is the edit that writes a glob's pins, every file's, in
// the order of files: a sha256: map of its own under the dataset (the map
// as it was is replaced whole), or why there is none.
func (t sourceText) pinMapSplice(ds *yaml.Node, files []dataset.FileSum) (splice, string) {
	if ds == nil {
		return splice{}, "galley pin cannot find the dataset's mapping"
	}
	entries := func(indent string) string {
		var b strings.Builder
		for _, f := range files {
			b.WriteString(indent + yamlKey(f.Path) + ": " + plainSum(f.SHA256) + "\n")
		}
		return b.String()
	}
	flow := func() string {
		var parts []string
		for _, f := range files {
			parts = append(parts, yamlKey(f.Path)+": "+plainSum(f.SHA256))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	key, old := mappingValue(ds, "sha256")
	if old == nil {
		key, p := mappingValue(ds, "path")
		if p == nil {
			return splice{}, "galley pin cannot find the dataset's path"
		}
		if ds.Style&yaml.FlowStyle != 0 {
			_, end, ok := t.span(p)
			if !ok {
				return splice{}, "galley pin cannot find where the dataset's path ends"
			}
			return splice{end, end, ", sha256: " + flow()}, ""
		}
		keyStart, ok := t.offset(key)
		if !ok {
			return splice{}, "galley pin cannot find the dataset's path"
		}
		indent := string(t.src[t.lines[key.Line-1]:keyStart])
		_, end, ok := t.span(p)
		if strings.Trim(indent, " ") != "" || !ok || bytes.Contains(t.src[keyStart:end], []byte("\n")) {
			return splice{}, "galley pin cannot place the pins beside this path: key"
		}
		at := len(t.src)
		prefix := "\n"
		if nl := bytes.IndexByte(t.src[end:], '\n'); nl >= 0 {
			at, prefix = end+nl+1, ""
		}
		return splice{at, at, prefix + indent + "sha256:\n" + entries(indent+"  ")}, ""
	}
	keyStart, ok := t.offset(key)
	if !ok {
		return splice{}, "galley pin cannot find the sha256: key"
	}
	indent := string(t.src[t.lines[key.Line-1]:keyStart])
	if old.Kind == yaml.MappingNode && old.Style&yaml.FlowStyle == 0 && len(old.Content) > 0 {
		// A block map: its lines, from its first key's to its last value's,
		// are written anew.
		first, last := old.Content[0], old.Content[len(old.Content)-1]
		if last.Kind != yaml.ScalarNode || last.Line < first.Line {
			return splice{}, "galley pin cannot rewrite the pins written this way"
		}
		start := t.lines[first.Line-1]
		firstStart, ok := t.offset(first)
		if !ok {
			return splice{}, "galley pin cannot rewrite the pins written this way"
		}
		end := len(t.src)
		if last.Line < len(t.lines) {
			end = t.lines[last.Line]
		}
		return splice{start, end, entries(string(t.src[start:firstStart]))}, ""
	}
	// A scalar or a flow map (sha256: {} written by hand): from the value
	// to the end of its line.
	start, ok := t.offset(old)
	if !ok || old.Line != key.Line {
		return splice{}, "galley pin cannot rewrite the pins written this way"
	}
	end := len(t.src)
	if old.Line < len(t.lines) {
		end = t.lines[old.Line] - 1
	}
	if ds.Style&yaml.FlowStyle != 0 {
		// {path: x, sha256: {a: 1, b: 2}, ...}: the map, in braces, anew.
		if end, ok := t.flowEnd(start); ok && old.Kind == yaml.MappingNode {
			return splice{start, end, flow()}, ""
		}
		return splice{}, "galley pin cannot rewrite the pins of a dataset written on one line"
	}
	rest := string(t.src[start:end])
	if i := strings.Index(rest, " #"); i >= 0 {
		end = start + i
	}
	return splice{start - 1, end, "\n" + strings.TrimRight(entries(indent+"  "), "\n")}, ""
}

// flowEnd returns the offset just past the flow collection that starts
// at start ({ or [), skipping quoted text.
func (t sourceText) flowEnd(start int) (int, bool) {
	s := t.src
	depth := 0
	for i := start; i < len(s); i++ {
		switch s[i] {
		case '{', '[':
			depth++
		case '}', ']':
			if depth--; depth == 0 {
				return i + 1, true
			}
		case '"', '\'':
			q := s[i]
			for i++; i < len(s) && s[i] != q; i++ {
				if q == '"' && s[i] == '\\' {
					i++
				}
			}
		}
	}
	return 0, false
}
