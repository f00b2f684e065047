package value

import "fmt"

// Type is the type of a column: what every one of its non-null values is.
type Type int

const (
	String Type = iota
	Int
	Float
	Bool
	Date
	// Any is never declared: it is the type of a computed column whose
	// expression cannot be typed statically.
	Any
)

var typeNames = [...]string{"string", "int", "float", "bool", "date", "any"}

func (t Type) String() string {
	if t < 0 || int(t) >= len(typeNames) {
		return "unknown"
	}
	return typeNames[t]
}

// WithArticle is the type's name after "a" or "an": "an int", "a date".
func (t Type) WithArticle() string {
	if t == Int || t == Any {
		return "an " + t.String()
	}
	return "a " + t.String()
}

// TypeNames lists the types an analysis may declare, in order.
func TypeNames() []string { return append([]string(nil), typeNames[:Any]...) }

// ParseType returns the declarable type named s.
func ParseType(s string) (Type, bool) {
	for i, n := range typeNames[:Any] {
		if n == s {
			return Type(i), true
		}
	}
	return 0, false
}

// Numeric reports whether t holds numbers (or may: Any).
func (t Type) Numeric() bool { return t == Int || t == Float }

// MarshalText writes a type by its name, as analyses and the results
// document do.
func (t Type) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// UnmarshalText reads a type's name, "any" included.
func (t *Type) UnmarshalText(b []byte) error {
	for i, n := range typeNames {
		if n == string(b) {
			*t = Type(i)
			return nil
		}
	}
	return fmt.Errorf("unknown type %q", b)
}
