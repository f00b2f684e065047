package geo

import (
	"bytes"
	"encoding/json"
	"errors"
	"hash/maphash"
	"io"
)

// A GeoJSON file is read in two passes over its bytes, which are in memory
// (at most MaxBytes). checkSyntax has encoding/json say whether the text is
// JSON and, when it is not, where and why. Then, the text known to be valid,
// the reader walks it by offsets (a value is where it starts in the file,
// so that every error names its line and column) and builds only what it
// keeps: the geometries and the properties asked for. Nothing holds a node
// per value, so memory grows with what is kept, not with every value
// written.

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

// syntaxError is a JSON syntax error at a byte offset.
type syntaxError struct {
	off int
	msg string
}

func (e *syntaxError) Error() string { return e.msg }

// checkSyntax returns nil when src holds one JSON value and nothing after
// it, or a *syntaxError saying where and why not. json.Valid answers for
// almost every file, without allocating; when it refuses, encoding/json's
// Decoder reads the tokens, as the reader always has, to word the error
// and place it (and to accept what only Valid refuses: nesting deeper than
// 10,000 levels, which the Decoder reads and the reader then refuses for
// what it is).
func checkSyntax(src []byte) error {
	if json.Valid(src) {
		return nil
	}
	p := &tokens{src: src, dec: json.NewDecoder(bytes.NewReader(src))}
	p.dec.UseNumber()
	for depth := 0; ; {
		tok, err := p.token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
		if depth == 0 {
			break
		}
	}
	end := p.start()
	if _, err := p.dec.Token(); err != io.EOF {
		return &syntaxError{off: end, msg: "text after the end of the JSON value (a GeoJSON file holds one FeatureCollection)"}
	}
	return nil
}

// tokens reads src with encoding/json's Decoder, keeping where each token
// starts.
type tokens struct {
	src  []byte
	dec  *json.Decoder
	last int // where the token just read starts
}

// start is where the next token begins: past white space and the
// separators encoding/json has not yet consumed.
func (p *tokens) start() int {
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

func (p *tokens) token() (json.Token, error) {
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

// What follows reads text that checkSyntax has passed: each function is
// given the offset of a value's first byte and trusts the syntax.

// space is the offset of the first byte at or after i that is not white
// space.
func space(src []byte, i int) int {
	for i < len(src) {
		switch src[i] {
		case ' ', '\t', '\n', '\r':
			i++
			continue
		}
		break
	}
	return i
}

// kindAt is the kind of the value at off.
func kindAt(src []byte, off int) kind {
	switch src[off] {
	case '{':
		return kObject
	case '[':
		return kArray
	case '"':
		return kString
	case 't', 'f':
		return kBool
	case 'n':
		return kNull
	}
	return kNumber
}

// valueEnd is the offset just past the value at off.
func valueEnd(src []byte, off int) int {
	switch src[off] {
	case '"':
		return stringEnd(src, off)
	case 't', 'n':
		return off + 4
	case 'f':
		return off + 5
	case '{', '[':
		depth := 0
		for i := off; i < len(src); i++ {
			switch src[i] {
			case '"':
				i = stringEnd(src, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
		}
		return len(src)
	}
	i := off
	for i < len(src) {
		switch c := src[i]; {
		case c >= '0' && c <= '9', c == '-', c == '+', c == '.', c == 'e', c == 'E':
			i++
			continue
		}
		break
	}
	return i
}

// stringEnd is the offset just past the string whose quote is at off.
func stringEnd(src []byte, off int) int {
	for i := off + 1; i < len(src); i++ {
		switch src[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(src)
}

// stringBytes is the text of the string at off, unescaped: the bytes of
// the file themselves when it has no escape.
func stringBytes(src []byte, off int) []byte {
	raw := src[off:stringEnd(src, off)]
	if bytes.IndexByte(raw, '\\') < 0 {
		return raw[1 : len(raw)-1]
	}
	var s string
	json.Unmarshal(raw, &s) // valid JSON text: it unescapes as encoding/json's Decoder does
	return []byte(s)
}

// stringText is the text of the string at off, as a string.
func stringText(src []byte, off int) string {
	return string(stringBytes(src, off))
}

// items walks the elements of an array, or the members of an object,
// whose bracket is at off:
//
//	for it := items(src, off); it.next(); { ... it.val ... }
//
// A caller that read the value at it.val may set it.end, and spare the
// walk reading it again.
type items struct {
	src  []byte
	obj  bool
	at   int // where to look for the next element
	key  int // a member's key: the offset of its quote
	val  int // the element's, or the member value's, offset; -1 before the first
	end  int // just past the value at val, once known; else 0
	done int // just past the closing bracket, once next has returned false
}

func walk(src []byte, off int) items {
	return items{src: src, obj: src[off] == '{', at: off + 1, val: -1}
}

func (it *items) next() bool {
	src, i := it.src, it.at
	if it.val >= 0 {
		if it.end == 0 {
			it.end = valueEnd(src, it.val)
		}
		i = it.end
	}
	i = space(src, i)
	switch src[i] {
	case ']', '}':
		it.done = i + 1
		return false
	case ',':
		i = space(src, i+1)
	}
	if it.obj {
		it.key = i
		i = space(src, stringEnd(src, i)) + 1 // past the colon
		i = space(src, i)
	}
	it.val, it.end = i, 0
	return true
}

// keySet finds a key that an object repeats. It holds where each key is
// written, not a copy: 4 to 8 bytes a key, so an object of a million keys
// takes 8 MiB here, and a property that nobody reads is never copied. The
// table is open-addressed and hashed with a per-reader random seed, so that
// no file can be written to make its keys collide; which key is reported as
// repeated does not depend on the seed (always the first, in file order,
// equal to an earlier one).
//
// A slot holds a key's offset (26 bits: a file is at most MaxBytes) and 5
// bits of its hash, so that a probe reads the key in the file, a cache miss
// in a large one, only when those bits match: one time in 32.
type keySet struct {
	slots []uint32 // used<<31 | tag<<26 | offset; 0 is empty
	n     int
	seed  maphash.Seed
}

const (
	slotUsed   = 1 << 31
	offsetBits = 26
	offsetMask = 1<<offsetBits - 1
)

// A file's offsets fit the slots.
const _ = uint(offsetMask + 1 - MaxBytes)

// reset empties the set for the next object, handing back a table a wide
// object grew.
func (k *keySet) reset() {
	if len(k.slots) > 1024 {
		k.slots = nil
	} else {
		clear(k.slots)
	}
	k.n = 0
}

// slot is what the slots hold for the key at off whose hash is h.
func slot(h uint64, off int) uint32 {
	return slotUsed | uint32(h>>59)<<offsetBits | uint32(off)
}

// add records the key at off, whose text is key, and reports whether the
// object had it already.
func (k *keySet) add(src []byte, off int, key []byte) (repeated bool) {
	if 2*(k.n+1) > len(k.slots) {
		k.grow(src)
	}
	h := maphash.Bytes(k.seed, key)
	s, mask := slot(h, off), len(k.slots)-1
	for i := int(h) & mask; ; i = (i + 1) & mask {
		t := k.slots[i]
		if t == 0 {
			k.slots[i] = s
			k.n++
			return false
		}
		if t&^offsetMask == s&^offsetMask && bytes.Equal(stringBytes(src, int(t&offsetMask)), key) {
			return true
		}
	}
}

func (k *keySet) grow(src []byte) {
	old := k.slots
	k.slots = make([]uint32, max(16, 2*len(old)))
	mask := len(k.slots) - 1
	for _, t := range old {
		if t == 0 {
			continue
		}
		i := int(maphash.Bytes(k.seed, stringBytes(src, int(t&offsetMask)))) & mask
		for k.slots[i] != 0 {
			i = (i + 1) & mask
		}
		k.slots[i] = t
	}
}
