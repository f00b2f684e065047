package results

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"galley/runner/internal/value"
)

// Unmarshal reads a results document that Marshal wrote (a committed
// reports/NAME.results.json, for `galley diff`) back into a Document whose
// values have their Go types again: JSON gives numbers and strings, and the
// document says what they were. A view's rows are typed by its columns, a
// value by its type, a claim's input by the type of the value it names.
// Where nothing says (a column of type any, an inline value of the text
// that names no value), a number written as an integer is an int, any
// other number a float, and a string a string: a date in such a place
// reads back as its text, "2017-03-17", which is how it is written.
//
// What the JSON does not hold stays empty: the analysis's source lines,
// the charts' options, the view columns a table or chart shows. So
// Marshal(Unmarshal(b)) is b for any b that Marshal wrote.
//
// A document of another format, or of a later version than this Galley
// reads, is refused; fields it does not know are ignored (a version adds
// fields without changing the ones it has). An error about the JSON itself
// gives its line and column.
func Unmarshal(b []byte) (*Document, error) {
	var head struct {
		Format  string `json:"format"`
		Version int    `json:"version"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return nil, jsonError(b, err)
	}
	switch {
	case head.Format != Format:
		return nil, fmt.Errorf("not a Galley results document (its format is %q, not %q)", head.Format, Format)
	case head.Version < 1 || head.Version > Version:
		return nil, fmt.Errorf("a results document of version %d, which this Galley (version %d) does not read: use the Galley that wrote it, or a later one", head.Version, Version)
	}
	d := &Document{}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(d); err != nil {
		return nil, jsonError(b, err)
	}
	if err := d.retype(); err != nil {
		return nil, err
	}
	return d, nil
}

// jsonError places a JSON error at its line and column.
func jsonError(b []byte, err error) error {
	var off int64 = -1
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		off = syn.Offset
	case errors.As(err, &typ):
		off = typ.Offset
	}
	if off < 1 || off > int64(len(b)) {
		return fmt.Errorf("not a valid results document: %v", err)
	}
	// Offset counts the bytes read, the offending one included.
	at := off - 1
	line := 1 + bytes.Count(b[:at], []byte("\n"))
	col := int(at) - bytes.LastIndexByte(b[:at], '\n')
	return fmt.Errorf("%d:%d: not a valid results document: %v", line, col, err)
}

// UnmarshalJSON reads a scalar as JSON gives it, a number as an int when
// it is written as one and a float otherwise; Document.retype then gives
// it the type its place in the document says. A Scalar the document says
// nothing more of (a map's key) keeps that reading.
func (s *Scalar) UnmarshalJSON(b []byte) error {
	v, err := untyped(b)
	if err != nil {
		return err
	}
	s.V = v
	return nil
}

// untyped reads one JSON scalar: nil, a bool, a string, an int or a float.
func untyped(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch x := tok.(type) {
	case nil, bool, string:
		return x, nil
	case json.Number:
		if i, err := strconv.ParseInt(string(x), 10, 64); err == nil && strconv.FormatInt(i, 10) == string(x) {
			return int(i), nil
		}
		f, err := strconv.ParseFloat(string(x), 64)
		if err != nil {
			return nil, fmt.Errorf("%s is not a number this Galley reads", x)
		}
		return f, nil
	}
	return nil, fmt.Errorf("%s is not a value (a string, number, boolean or null)", describeJSON(b))
}

func describeJSON(b []byte) string {
	switch bytes.TrimSpace(b)[0] {
	case '[':
		return "a list"
	case '{':
		return "an object"
	}
	return string(b)
}

// UnmarshalJSON reads a view, its rows untyped; retype types them.
func (v *View) UnmarshalJSON(b []byte) error {
	type plain View
	in := struct {
		*plain
		Rows [][]Scalar `json:"rows"`
	}{plain: (*plain)(v)}
	if err := json.Unmarshal(b, &in); err != nil {
		return err
	}
	v.Rows = make([][]any, len(in.Rows))
	for i, r := range in.Rows {
		row := make([]any, len(r))
		for j, s := range r {
			row[j] = s.V
		}
		v.Rows[i] = row
	}
	if len(in.Rows) == 0 {
		v.Rows = nil
	}
	return nil
}

// retype gives every scalar the Go type of its place: rows by their
// columns, values by their types, inputs by the values they name.
func (d *Document) retype() error {
	for _, v := range d.Views {
		if v == nil {
			return errors.New("a view is null")
		}
		for i, r := range v.Rows {
			if len(r) != len(v.Columns) {
				return fmt.Errorf("view %q, row %d: %d values for %d columns", v.Name, i+1, len(r), len(v.Columns))
			}
			for j, x := range r {
				t, err := typed(x, v.Columns[j].Type)
				if err != nil {
					return fmt.Errorf("view %q, row %d, column %q: %v", v.Name, i+1, v.Columns[j].Name, err)
				}
				r[j] = t
			}
		}
	}
	types := map[string]value.Type{}
	for _, v := range d.Values {
		if v == nil {
			return errors.New("a value is null")
		}
		t, ok := value.ParseType(v.Type)
		if !ok {
			// "null", or what a value that is not one scalar holds
			// ("list", "record"): written as null.
			if v.Value.V != nil {
				return fmt.Errorf("value %q of type %q holds %v; only null is written for it", v.Name, v.Type, v.Value.V)
			}
			continue
		}
		types[v.Name] = t
		x, err := typed(v.Value.V, t)
		if err != nil {
			return fmt.Errorf("value %q: %v", v.Name, err)
		}
		v.Value.V = x
	}
	for _, c := range d.Claims {
		if c == nil {
			return errors.New("a claim is null")
		}
		for i := range c.Inputs {
			in := &c.Inputs[i]
			x, err := typedAs(in.Value.V, types, in.Name)
			if err != nil {
				return fmt.Errorf("claim %q, input %q: %v", c.ID, in.Name, err)
			}
			in.Value.V = x
		}
	}
	for _, cell := range d.Body {
		if cell == nil {
			return errors.New("a cell of the body is null")
		}
		if cell.Markdown == nil {
			continue
		}
		for _, p := range cell.Markdown.Parts {
			if p.Value == nil {
				continue
			}
			x, err := typedAs(p.Value.Value.V, types, p.Value.Expr)
			if err != nil {
				return fmt.Errorf("{{ %s }} at line %d: %v", p.Value.Expr, p.Value.Line, err)
			}
			p.Value.Value.V = x
		}
	}
	return nil
}

// typedAs types x as the value named name, when there is one.
func typedAs(x any, types map[string]value.Type, name string) (any, error) {
	t, ok := types[name]
	if !ok {
		t = value.Any
	}
	return typed(x, t)
}

// typed is x, as untyped read it, as a value of type t.
func typed(x any, t value.Type) (any, error) {
	if x == nil {
		return nil, nil
	}
	switch t {
	case value.String:
		if s, ok := x.(string); ok {
			return s, nil
		}
	case value.Bool:
		if b, ok := x.(bool); ok {
			return b, nil
		}
	case value.Int:
		switch n := x.(type) {
		case int:
			return n, nil
		case float64:
			return nil, fmt.Errorf("%s is not an int", value.Plain(n))
		}
	case value.Float:
		switch n := x.(type) {
		case float64:
			return n, nil
		case int:
			// A float with no fraction is written as an integer.
			return float64(n), nil
		}
	case value.Date:
		if s, ok := x.(string); ok {
			d, err := time.Parse(time.DateOnly, s)
			if err != nil || d.Format(time.DateOnly) != s {
				return nil, fmt.Errorf("%q is not a date (YYYY-MM-DD)", s)
			}
			return d, nil
		}
	case value.Any:
		return x, nil
	}
	return nil, fmt.Errorf("%s is not a value of type %s", describe(x), t)
}

func describe(x any) string {
	switch v := x.(type) {
	case int, float64:
		return "the number " + value.Plain(v)
	case string:
		return "the string " + strconv.Quote(v)
	case bool:
		return "the boolean " + strconv.FormatBool(v)
	}
	return strings.TrimSpace(fmt.Sprint(x))
}
