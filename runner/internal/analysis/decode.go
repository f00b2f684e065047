package analysis

import (
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"galley/runner/internal/position"
	"galley/runner/internal/suggest"
)

// decoder walks a yaml.v3 node tree, turning nodes into AST values and
// collecting every error with its position.
type decoder struct {
	path  string
	lines []string // the source, split on \n, to find block scalar indents
	errs  position.List
}

func (d *decoder) pos(n *yaml.Node) position.Pos {
	return position.Pos{File: d.path, Line: n.Line, Col: n.Column}
}

func (d *decoder) errorf(n *yaml.Node, format string, args ...any) {
	d.errs.Append(position.Errorf(d.pos(n), format, args...).Span(span(n)))
}

// span is the length of a scalar written on one line, quotes included: the
// text an error about it is about. A mapping or a list spans nothing.
func span(n *yaml.Node) int {
	if n.Kind != yaml.ScalarNode || strings.Contains(n.Value, "\n") {
		return 0
	}
	switch n.Style {
	case yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle:
		return len(n.Value) + 2
	case yaml.LiteralStyle, yaml.FoldedStyle:
		return 0
	}
	return len(n.Value)
}

var kindNames = map[yaml.Kind]string{
	yaml.DocumentNode: "a document",
	yaml.SequenceNode: "a list",
	yaml.MappingNode:  "a mapping",
	yaml.ScalarNode:   "a single value",
	yaml.AliasNode:    "an alias",
}

// entry is one key of a mapping with its value node.
type entry struct {
	key   string
	keyN  *yaml.Node
	value *yaml.Node
}

// mapping checks that n is a mapping whose keys are all in allowed and none
// repeated, reports the required ones that are missing (at owner, the key
// the mapping belongs to, when there is one), and returns the entries by key.
func (d *decoder) mapping(n, owner *yaml.Node, what string, allowed, required []string) (map[string]entry, bool) {
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "%s must be a mapping of keys to values, not %s", what, kindNames[n.Kind])
		return nil, false
	}
	out := make(map[string]entry, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			d.errorf(k, "%s: a key must be a plain name", what)
			continue
		}
		if prev, dup := out[k.Value]; dup {
			d.errorf(k, "%s: key %q is written twice (first at line %d); keep one", what, k.Value, prev.keyN.Line)
			continue
		}
		if allowed != nil && !slices.Contains(allowed, k.Value) {
			if i >= 2 && n.Style&yaml.FlowStyle != 0 && !identRE.MatchString(k.Value) && n.Content[i-1].Kind == yaml.ScalarNode {
				// {expr: f(a, b)}: the comma ended the value, and YAML
				// read what follows it as a key.
				prev := n.Content[i-2].Value
				d.errorf(k, "%s: unknown key %q: in a {...} mapping a comma ends the entry, even inside ( ), so YAML read what follows it as a key; quote an expression that holds a comma: %s: '%s, %s'",
					what, k.Value, prev, strings.ReplaceAll(n.Content[i-1].Value, "'", "''"), strings.ReplaceAll(k.Value, "'", "''"))
				continue
			}
			d.errorf(k, "%s: unknown key %q%s", what, k.Value, hintOrList(k.Value, allowed, "keys"))
			continue
		}
		out[k.Value] = entry{key: k.Value, keyN: k, value: v}
	}
	at := n
	if owner != nil {
		at = owner
	}
	for _, r := range required {
		if _, ok := out[r]; !ok {
			d.errorf(at, "%s: missing required key %q", what, r)
		}
	}
	return out, true
}

// pairs returns the entries of a mapping whose keys are names chosen by the
// author (datasets, views, columns...), in file order, refusing repeats.
func (d *decoder) pairs(n *yaml.Node, what string) []entry {
	return d.keyed(n, what, keyedWords{"names to definitions", "a name must be a plain word", "is defined twice (first at line %d); rename one"})
}

// keyedWords say, in keyed's messages, what a mapping holds, what its keys
// must be, and what to do about a key written twice.
type keyedWords struct{ holds, key, twice string }

// keyed returns the entries of a mapping whose keys the author chooses, in
// file order, refusing a key that is not a single value and a key written
// twice, in the words w.
func (d *decoder) keyed(n *yaml.Node, what string, w keyedWords) []entry {
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "%s must be a mapping of %s, not %s", what, w.holds, kindNames[n.Kind])
		return nil
	}
	var out []entry
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			d.errorf(k, "%s: %s", what, w.key)
			continue
		}
		if line, dup := seen[k.Value]; dup {
			d.errorf(k, "%s: %q "+w.twice, what, k.Value, line)
			continue
		}
		seen[k.Value] = k.Line
		out = append(out, entry{key: k.Value, keyN: k, value: v})
	}
	return out
}

// hintOrList suggests the near name, or else lists the known ones; noun
// says what they are ("keys", "types").
func hintOrList(name string, allowed []string, noun string) string {
	if h := suggest.Hint(name, allowed); h != "" {
		return h
	}
	sorted := append([]string(nil), allowed...)
	sort.Strings(sorted)
	return " (known " + noun + ": " + strings.Join(sorted, ", ") + ")"
}

// scalar returns n's text, reporting anything that is not a single value.
func (d *decoder) scalar(n *yaml.Node, what string) (string, bool) {
	if n.Kind != yaml.ScalarNode {
		d.errorf(n, "%s must be a single value, not %s", what, kindNames[n.Kind])
		return "", false
	}
	return n.Value, true
}

func (d *decoder) str(n *yaml.Node, what string) String {
	s, ok := d.scalar(n, what)
	if !ok {
		return String{}
	}
	if n.Tag == "!!null" {
		d.errorf(n, "%s is empty; give it a value or remove the key", what)
		return String{}
	}
	return String{Value: s, Pos: d.contentPos(n), Set: true}
}

func (d *decoder) integer(n *yaml.Node, what string, min int) Int {
	s, ok := d.scalar(n, what)
	if !ok {
		return Int{}
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < min {
		if num, unit, ok := withUnit(s); ok {
			d.errorf(n, "%s is a number written without a unit: %s, not %q (%s is understood)", what, num, s, unit)
			return Int{}
		}
		d.errorf(n, "%s must be a whole number of at least %d, not %q", what, min, s)
		return Int{}
	}
	return Int{Value: v, Pos: d.pos(n), Set: true}
}

// withUnit splits "3000px" or "10 rows" into the number and its unit.
func withUnit(s string) (num, unit string, ok bool) {
	i := strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' })
	if i <= 0 {
		return "", "", false
	}
	num, unit = s[:i], strings.TrimSpace(s[i:])
	if unit == "" || strings.ContainsAny(unit, "0123456789.,") {
		return "", "", false
	}
	return num, unit, true
}

func (d *decoder) boolean(n *yaml.Node, what string) bool {
	s, ok := d.scalar(n, what)
	if !ok {
		return false
	}
	switch s {
	case "true":
		return true
	case "false":
		return false
	}
	d.errorf(n, "%s must be true or false, not %q", what, s)
	return false
}

var isoDate = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// date checks a YYYY-MM-DD scalar, including the calendar (no 2017-02-30).
func (d *decoder) date(n *yaml.Node, what string) String {
	s := d.str(n, what)
	if s.Set && !validDate(s.Value) {
		d.errorf(n, "%s must be a date written YYYY-MM-DD, not %q", what, s.Value)
		return String{}
	}
	return s
}

func validDate(s string) bool {
	if !isoDate.MatchString(s) {
		return false
	}
	y, _ := strconv.Atoi(s[:4])
	m, _ := strconv.Atoi(s[5:7])
	day, _ := strconv.Atoi(s[8:])
	if m < 1 || m > 12 || day < 1 {
		return false
	}
	days := [...]int{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m-1]
	if m == 2 && (y%4 == 0 && (y%100 != 0 || y%400 == 0)) {
		days = 29
	}
	return day <= days
}

var identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// name checks that a defined name can be written in an expression.
func (d *decoder) name(k *yaml.Node, what string) bool {
	if !identRE.MatchString(k.Value) {
		d.errorf(k, "%s name %q must be letters, digits and _, starting with a letter or _ (it is used in expressions)", what, k.Value)
		return false
	}
	return true
}

// strings reads a list of names, also accepting a single name.
func (d *decoder) refs(n *yaml.Node, what string) []Ref {
	if n.Kind == yaml.ScalarNode {
		if n.Value == "" {
			return nil
		}
		return []Ref{{Name: n.Value, Pos: d.contentPos(n)}}
	}
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, "%s must be a name or a list of names, not %s", what, kindNames[n.Kind])
		return nil
	}
	var out []Ref
	for _, item := range n.Content {
		if s, ok := d.scalar(item, what+" entry"); ok {
			out = append(out, Ref{Name: s, Pos: d.contentPos(item)})
		}
	}
	return out
}

func (d *decoder) ref(n *yaml.Node, what string) Ref {
	s, ok := d.scalar(n, what)
	if !ok {
		return Ref{}
	}
	return Ref{Name: s, Pos: d.contentPos(n)}
}

// contentPos is the position of the first byte of a scalar's text: past the
// opening quote of a quoted scalar, on the next line for a block scalar.
func (d *decoder) contentPos(n *yaml.Node) position.Pos {
	lines := d.scalarLines(n)
	if len(lines) == 0 {
		return d.pos(n)
	}
	return lines[0]
}

// scalarLines maps each line of a scalar's value to the file position of its
// first byte. Exact for plain, quoted and literal (|) scalars on one line and
// for literal blocks; folded and multi-line flow scalars map each value line
// to the best source line we can find.
func (d *decoder) scalarLines(n *yaml.Node) []position.Pos {
	count := strings.Count(n.Value, "\n") + 1
	out := make([]position.Pos, 0, count)
	switch n.Style {
	case yaml.LiteralStyle, yaml.FoldedStyle:
		if n.Line >= len(d.lines) {
			// An empty block at the end of the file (md: > and nothing
			// after): no line follows the indicator.
			return append(out, d.pos(n))
		}
		// The text starts on the line after the indicator, at the block's indent.
		line := n.Line + 1
		indent := 0
		for l := line; l <= len(d.lines); l++ {
			t := d.lines[l-1]
			if strings.TrimSpace(t) != "" {
				indent = len(t) - len(strings.TrimLeft(t, " "))
				line = l
				break
			}
		}
		if n.Style == yaml.FoldedStyle {
			out = append(out, position.Pos{File: d.path, Line: line, Col: indent + 1})
			return out
		}
		first := n.Line + 1
		for i := 0; i < count; i++ {
			out = append(out, position.Pos{File: d.path, Line: first + i, Col: indent + 1})
		}
		return out
	case yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle:
		out = append(out, position.Pos{File: d.path, Line: n.Line, Col: n.Column + 1})
	default:
		out = append(out, position.Pos{File: d.path, Line: n.Line, Col: n.Column})
	}
	for i := 1; i < count; i++ {
		// A quoted scalar's escaped \n is no source line: stay inside the file.
		l := min(n.Line+i, len(d.lines))
		t := d.lines[l-1]
		col := len(t) - len(strings.TrimLeft(t, " \t")) + 1
		out = append(out, position.Pos{File: d.path, Line: l, Col: col})
	}
	return out
}

// literal reads a scalar written for a value: its text and what YAML
// read it as.
func (d *decoder) literal(n *yaml.Node, what string) (Literal, bool) {
	s, ok := d.scalar(n, what)
	if !ok {
		return Literal{}, false
	}
	if d.localTag(n, what) {
		return Literal{}, false
	}
	return Literal{Text: s, Tag: n.ShortTag(), Pos: d.contentPos(n)}, true
}

// localTag refuses a scalar YAML read as a tag: `where: !canine` is the
// tag !canine on an empty value, not the expression !canine.
func (d *decoder) localTag(n *yaml.Node, what string) bool {
	if n.Style&yaml.TaggedStyle == 0 || strings.HasPrefix(n.Tag, "!!") {
		return false
	}
	text := strings.TrimSpace(n.Tag + " " + n.Value)
	d.errorf(n, "%s: YAML reads %s as a tag, not as text; quote it: '%s'", what, n.Tag, text)
	return true
}

// expr reads an expression scalar. Numbers and booleans written bare are
// expressions too (`check: true`).
func (d *decoder) expr(n *yaml.Node, what string) Expr {
	s, ok := d.scalar(n, what)
	if !ok {
		return Expr{}
	}
	if d.localTag(n, what) {
		return Expr{}
	}
	if strings.TrimSpace(s) == "" {
		d.errorf(n, "%s is empty; write an expression", what)
		return Expr{}
	}
	lines := d.scalarLines(n)
	return Expr{Src: s, Pos: lines[0], Lines: lines}
}
