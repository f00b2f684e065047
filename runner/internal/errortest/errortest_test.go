package errortest

import (
	"fmt"
	"strings"
	"testing"

	"galley/runner/internal/position"
)

// recorder is a testing.TB that keeps what Check reports.
type recorder struct {
	testing.TB
	msgs []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.msgs = append(r.msgs, fmt.Sprintf(format, args...))
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.msgs = append(r.msgs, fmt.Sprintf(format, args...))
	panic(r)
}

func run(src string, errs ...*position.Error) (msgs []string) {
	r := &recorder{TB: &testing.T{}}
	defer func() {
		if p := recover(); p != nil && p != any(r) {
			panic(p)
		}
		msgs = r.msgs
	}()
	var l position.List
	l.Append(errs...)
	Check(r, "a.yaml", []byte(src), l.Err())
	return r.msgs
}

func TestCheck(t *testing.T) {
	at := func(line, col int, msg string) *position.Error {
		return position.Errorf(position.Pos{File: "a.yaml", Line: line, Col: col}, "%s", msg)
	}
	src := "a: 1\nb: x  # ERROR 4 \"^bad \\\"x\\\"$\"\n"
	tests := []struct {
		name string
		src  string
		errs []*position.Error
		want []string // substrings of what Check reports, in order; none for a pass
	}{
		{"met", src, []*position.Error{at(2, 4, `bad "x"`)}, nil},
		{"wrong column", src, []*position.Error{at(2, 5, `bad "x"`)}, []string{"unexpected error: a.yaml:2:5", "a.yaml:2:4: no error matching"}},
		{"wrong message", src, []*position.Error{at(2, 4, `bad "y"`)}, []string{"unexpected error", "no error matching"}},
		{"missing", src, nil, []string{"a.yaml:2:4: no error matching"}},
		{"one too many", src, []*position.Error{at(2, 4, `bad "x"`), at(2, 4, `bad "x"`)}, []string{"unexpected error"}},
		{"hint matched too", "x  # ERROR \"^m \\(did you mean\"\n", []*position.Error{at(1, 1, "m").Hinted("did you mean z?")}, nil},
		{"named line", "# ERROR L3:1 \"^m$\"\n|\n  text\n", []*position.Error{at(3, 1, "m")}, nil},
		{"no comment", "a: 1\n", nil, []string{"has no ERROR comment"}},
	}
	for _, tt := range tests {
		got := run(tt.src, tt.errs...)
		if len(got) != len(tt.want) {
			t.Errorf("%s: Check reported %q, want %d messages", tt.name, got, len(tt.want))
			continue
		}
		for i, w := range tt.want {
			if !strings.Contains(got[i], w) {
				t.Errorf("%s: message %d is %q, want it to hold %q", tt.name, i, got[i], w)
			}
		}
	}
}
