package position

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Pos is a place in a file: 1-based line and 1-based column (in bytes). A zero
// Line means the position is unknown; a zero Col means the whole line.
type Pos struct {
	File string
	Line int
	Col  int
	// Sheet names the sheet of a spreadsheet: Line is then the row and
	// Col the column of a cell, and the position prints as
	// `path: sheet "NAME" C17`.
	Sheet string
}

// IsValid reports whether p names a line.
func (p Pos) IsValid() bool { return p.Line > 0 }

// String prints p as path:line:col, the prefix of every error message.
func (p Pos) String() string {
	switch {
	case p.Sheet != "" && p.Line > 0 && p.Col > 0:
		return fmt.Sprintf("%s: sheet %q %s%d", p.File, p.Sheet, ColumnName(p.Col), p.Line)
	case p.Sheet != "" && p.Line > 0:
		return fmt.Sprintf("%s: sheet %q row %d", p.File, p.Sheet, p.Line)
	case p.Sheet != "":
		return fmt.Sprintf("%s: sheet %q", p.File, p.Sheet)
	case p.File == "":
		return fmt.Sprintf("%d:%d", p.Line, p.Col)
	case p.Line == 0:
		return p.File
	case p.Col == 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// ColumnName is a spreadsheet's name of column n, counted from 1: A, Z,
// AA, XFD.
func ColumnName(n int) string {
	var b []byte
	for ; n > 0; n = (n - 1) / 26 {
		b = append([]byte{byte('A' + (n-1)%26)}, b...)
	}
	return string(b)
}

// Error is a message about the thing at Pos, which spans Len bytes of its
// line (0: the error is about a place, not a stretch of text). Hint is the
// likely fix, when there is one: it prints after the message, in
// parentheses, and a program may show it apart.
type Error struct {
	Pos  Pos
	Len  int
	Msg  string
	Hint string
}

// Errorf returns an *Error at p.
func Errorf(p Pos, format string, args ...any) *Error {
	return &Error{Pos: p, Msg: fmt.Sprintf(format, args...)}
}

// Span sets the length of the text the error is about, and returns e.
func (e *Error) Span(n int) *Error {
	e.Len = n
	return e
}

// Hinted sets the likely fix, and returns e.
func (e *Error) Hinted(hint string) *Error {
	e.Hint = hint
	return e
}

// Error prints e as "path:line:col: message (hint)".
func (e *Error) Error() string {
	s := e.Pos.String() + ": " + e.Msg
	if e.Hint != "" {
		s += " (" + e.Hint + ")"
	}
	return s
}

// Excerpt shows where e is in line, the text of its line: the line,
// numbered, and under it a caret under each character of the span, as the
// Go and Rust compilers show an error. A long line is cut around the span.
// It is "" when e has no column or line is not where it points.
func (e *Error) Excerpt(line string) string {
	col := e.Pos.Col - 1
	if e.Pos.Sheet != "" || e.Pos.Line <= 0 || col < 0 || col > len(line) || !utf8.ValidString(line) {
		return ""
	}
	end := min(col+max(e.Len, 1), len(line))
	if end <= col { // at the end of the line: the caret points past it
		end = col
	}
	// Show at most about 100 characters, cut at rune boundaries.
	from, to := 0, len(line)
	if to-from > maxExcerpt {
		from = max(0, col-maxExcerpt/3)
		to = min(len(line), max(end, from+maxExcerpt))
		for from > 0 && !utf8.RuneStart(line[from]) {
			from--
		}
		for to < len(line) && !utf8.RuneStart(line[to]) {
			to++
		}
	}
	// The text is written as shown prints it, and each mark takes the
	// width of what it stands under.
	seg := line[from:to]
	keep := len(strings.TrimRight(seg, "\r")) // a line end's \r is not shown
	var text, marks strings.Builder
	if from > 0 {
		text.WriteString("…")
		marks.WriteString(" ")
	}
	n := 0
	for i, r := range seg {
		s := shown(r)
		if i < keep {
			text.WriteString(s)
		}
		switch at := from + i; {
		case at < col && r == '\t':
			marks.WriteByte('\t') // a tab before the span keeps the caret under it
		case at < col:
			marks.WriteString(strings.Repeat(" ", utf8.RuneCountInString(s)))
		case at < end:
			n += utf8.RuneCountInString(s)
		}
	}
	if to < len(line) {
		text.WriteString("…")
	}
	marks.WriteString(strings.Repeat("^", max(n, 1)))
	num := strconv.Itoa(e.Pos.Line)
	gutter := strings.Repeat(" ", len(num))
	return fmt.Sprintf(" %s | %s\n %s | %s\n", num, text.String(), gutter, marks.String())
}

// shown is how an excerpt prints r. A line may come from a data file, and
// it must show as text and never act on the terminal: a control character
// (an escape sequence that would retitle the window or clear the screen,
// a carriage return that would go back over the line) and a character that
// reorders text (U+202E and its kind) are written as Go escapes, as galley
// show writes them (cli's terminalText). A tab stays a tab, so that the
// caret keeps its place under it.
func shown(r rune) string {
	switch {
	case r == '\t':
		return "\t"
	case r < 0x20, r == 0x7f, r >= 0x80 && r < 0xa0,
		r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c,
		r == 0x2028, r == 0x2029:
		q := strconv.QuoteRune(r)
		return q[1 : len(q)-1]
	}
	return string(r)
}

// maxExcerpt is about the most characters of a line an excerpt shows.
const maxExcerpt = 100

// List is a set of errors reported together, so that one `galley check`
// shows every mistake in an analysis instead of the first only.
type List []*Error

// Add appends an error at p.
func (l *List) Add(p Pos, format string, args ...any) {
	*l = append(*l, Errorf(p, format, args...))
}

// Append appends errors made with Errorf, Span and Hinted.
func (l *List) Append(errs ...*Error) {
	*l = append(*l, errs...)
}

// Sort orders the list by file, line and column, so output is deterministic.
func (l List) Sort() {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i].Pos, l[j].Pos
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
}

// Err returns nil for an empty list and the sorted list otherwise.
func (l List) Err() error {
	if len(l) == 0 {
		return nil
	}
	l.Sort()
	return l
}

func (l List) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Errors flattens err into its positioned errors; an error that carries no
// position comes back as one *Error with a zero Pos.
func Errors(err error) []*Error {
	if err == nil {
		return nil
	}
	var l List
	if errors.As(err, &l) {
		return l
	}
	var e *Error
	if errors.As(err, &e) {
		return []*Error{e}
	}
	return []*Error{{Msg: err.Error()}}
}
