package geo

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
)

// node is one JSON value with the byte offset where it starts, so that an
// error about any part of a GeoJSON file names its line and column.
// encoding/json reads the text (its syntax rules, string unescaping and
// number syntax); this file only keeps where each value was.
type node struct {
	off   int
	kind  kind
	text  string   // a string, or a number as written
	b     bool     // a boolean
	keys  []string // an object's keys, in file order
	koffs []int    // where each key starts
	elems []*node  // an object's values (parallel to keys) or an array's elements
}

type kind byte

const (
	kNull kind = iota
	kBool
	kNumber
	kString
	kObject
	kArray
)

// kindNames say what a value is, for errors: "a string".
var kindNames = map[kind]string{kNull: "null", kBool: "a boolean", kNumber: "a number", kString: "a string", kObject: "an object", kArray: "an array"}

// get returns the value of key in an object node, or nil.
func (n *node) get(key string) *node {
	for i, k := range n.keys {
		if k == key {
			return n.elems[i]
		}
	}
	return nil
}

// syntaxError is a JSON syntax error at a byte offset.
type syntaxError struct {
	off int
	msg string
}

func (e *syntaxError) Error() string { return e.msg }

// parseJSON reads src, which holds one JSON value and nothing after it.
// Numbers keep their text (json.Number); strings are unescaped.
func parseJSON(src []byte) (*node, error) {
	p := &jsonParser{src: src, dec: json.NewDecoder(bytes.NewReader(src))}
	p.dec.UseNumber()
	tok, err := p.token()
	if err != nil {
		return nil, err
	}
	n, err := p.value(tok)
	if err != nil {
		return nil, err
	}
	end := p.start()
	if _, err := p.dec.Token(); err != io.EOF {
		return nil, &syntaxError{off: end, msg: "text after the end of the JSON value (a GeoJSON file holds one FeatureCollection)"}
	}
	return n, nil
}

type jsonParser struct {
	src  []byte
	dec  *json.Decoder
	last int // where the token just read starts
}

// start is where the next token begins: past white space and the
// separators encoding/json has not yet consumed.
func (p *jsonParser) start() int {
	i := int(p.dec.InputOffset())
	for i < len(p.src) {
		switch p.src[i] {
		case ' ', '\t', '\n', '\r', ',', ':':
			i++
			continue
		}
		break
	}
	return i
}

func (p *jsonParser) token() (json.Token, error) {
	p.last = p.start()
	tok, err := p.dec.Token()
	if err != nil {
		var se *json.SyntaxError
		switch {
		case errors.As(err, &se):
			return nil, &syntaxError{off: int(se.Offset), msg: "the file is not valid JSON: " + se.Error()}
		case err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF):
			return nil, &syntaxError{off: len(p.src), msg: "the file ends in the middle of a JSON value"}
		}
		return nil, &syntaxError{off: p.last, msg: "the file is not valid JSON: " + err.Error()}
	}
	return tok, nil
}

func (p *jsonParser) value(tok json.Token) (*node, error) {
	n := &node{off: p.last}
	switch t := tok.(type) {
	case nil:
		n.kind = kNull
	case bool:
		n.kind, n.b = kBool, t
	case json.Number:
		n.kind, n.text = kNumber, string(t)
	case string:
		n.kind, n.text = kString, t
	case json.Delim:
		switch t {
		case '{':
			n.kind = kObject
			for {
				tok, err := p.token()
				if err != nil {
					return nil, err
				}
				if tok == json.Delim('}') {
					return n, nil
				}
				key, _ := tok.(string) // encoding/json gives a string here, or an error
				n.keys = append(n.keys, key)
				n.koffs = append(n.koffs, p.last)
				if tok, err = p.token(); err != nil {
					return nil, err
				}
				v, err := p.value(tok)
				if err != nil {
					return nil, err
				}
				n.elems = append(n.elems, v)
			}
		case '[':
			n.kind = kArray
			for {
				tok, err := p.token()
				if err != nil {
					return nil, err
				}
				if tok == json.Delim(']') {
					return n, nil
				}
				v, err := p.value(tok)
				if err != nil {
					return nil, err
				}
				n.elems = append(n.elems, v)
			}
		}
	}
	return n, nil
}
