package results

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// Marshal writes d as canonical JSON: the fields of each object in the
// order of its Go struct, two spaces of indentation per level, a list of
// scalars (a row, a list of names) on one line, and so an object of
// scalars when it fits in inlineWidth characters, no HTML escaping, and a
// final newline. The output depends on d alone.
func Marshal(d *Document) ([]byte, error) {
	return Canonical(d)
}

// Canonical writes v as JSON in Marshal's layout: `galley show -json`
// prints its own documents so, rows on a line each.
func Canonical(v any) ([]byte, error) {
	var compact bytes.Buffer
	enc := json.NewEncoder(&compact)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("writing the results: %v", err)
	}
	dec := json.NewDecoder(&compact)
	dec.UseNumber()
	n, err := readNode(dec)
	if err != nil {
		return nil, fmt.Errorf("writing the results: %v", err)
	}
	var out strings.Builder
	n.write(&out, 0)
	out.WriteByte('\n')
	return []byte(out.String()), nil
}

// inlineWidth is the longest object of scalars written on one line.
const inlineWidth = 100

// node is a JSON value read in order: a scalar's text, or an array's or
// object's members (keys set for an object).
type node struct {
	scalar string
	object bool
	array  bool
	keys   []string
	items  []*node
}

func readNode(dec *json.Decoder) (*node, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch tok {
	case json.Delim('{'):
		n := &node{object: true}
		for dec.More() {
			key, err := dec.Token()
			if err != nil {
				return nil, err
			}
			item, err := readNode(dec)
			if err != nil {
				return nil, err
			}
			n.keys = append(n.keys, scalarText(key))
			n.items = append(n.items, item)
		}
		_, err := dec.Token()
		return n, err
	case json.Delim('['):
		n := &node{array: true}
		for dec.More() {
			item, err := readNode(dec)
			if err != nil {
				return nil, err
			}
			n.items = append(n.items, item)
		}
		_, err := dec.Token()
		return n, err
	}
	return &node{scalar: scalarText(tok)}, nil
}

// flat reports whether every member of n is a scalar.
func (n *node) flat() bool {
	for _, it := range n.items {
		if it.object || it.array {
			return false
		}
	}
	return true
}

// inline is n on one line.
func (n *node) inline() string {
	var b strings.Builder
	open, close := "[", "]"
	if n.object {
		open, close = "{", "}"
	}
	b.WriteString(open)
	for i, it := range n.items {
		if i > 0 {
			b.WriteString(", ")
		}
		if n.object {
			b.WriteString(n.keys[i] + ": ")
		}
		b.WriteString(it.scalar)
	}
	b.WriteString(close)
	return b.String()
}

func (n *node) write(out *strings.Builder, depth int) {
	switch {
	case !n.object && !n.array:
		out.WriteString(n.scalar)
		return
	case len(n.items) == 0 || n.flat() && (n.array || len(n.inline()) <= inlineWidth):
		out.WriteString(n.inline())
		return
	}
	open, close := "[", "]"
	if n.object {
		open, close = "{", "}"
	}
	out.WriteString(open + "\n")
	for i, it := range n.items {
		if i > 0 {
			out.WriteString(",\n")
		}
		out.WriteString(strings.Repeat("  ", depth+1))
		if n.object {
			out.WriteString(n.keys[i] + ": ")
		}
		it.write(out, depth+1)
	}
	out.WriteString("\n" + strings.Repeat("  ", depth) + close)
}

// scalarText writes a key, string, number, bool or null token as JSON.
func scalarText(tok json.Token) string {
	switch x := tok.(type) {
	case string:
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		enc.Encode(x)
		return strings.TrimRight(b.String(), "\n")
	case json.Number:
		return x.String()
	case bool:
		if x {
			return "true"
		}
		return "false"
	}
	return "null"
}
