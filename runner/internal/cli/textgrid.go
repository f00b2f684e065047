package cli

import (
	"fmt"
	"io"
	"strings"
	"unicode"

	"golang.org/x/text/width"
)

// grid is a table printed on a terminal: columns padded to a common
// width, as a person reads it, measured in terminal cells (a Chinese
// character takes two, a combining accent none).
type grid struct {
	indent string
	right  []bool // a column aligned right (numbers)
	rows   [][]string
	rules  []int // rows before which a rule is drawn
}

// add appends a row of cells, already made terminal-safe.
func (g *grid) add(cells ...string) { g.rows = append(g.rows, cells) }

// rule draws a line of dashes under the rows added so far.
func (g *grid) rule() { g.rules = append(g.rules, len(g.rows)) }

func (g *grid) write(w io.Writer) {
	var widths []int
	for _, r := range g.rows {
		for i, c := range r {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], cellWidth(c))
		}
	}
	rule := 0
	for n := 0; n <= len(g.rows); n++ {
		for rule < len(g.rules) && g.rules[rule] == n {
			var b strings.Builder
			b.WriteString(g.indent)
			for i, wd := range widths {
				if i > 0 {
					b.WriteString("  ")
				}
				b.WriteString(strings.Repeat("-", wd))
			}
			fmt.Fprintln(w, b.String())
			rule++
		}
		if n == len(g.rows) {
			break
		}
		var b strings.Builder
		b.WriteString(g.indent)
		for i, c := range g.rows[n] {
			if i > 0 {
				b.WriteString("  ")
			}
			pad := strings.Repeat(" ", widths[i]-cellWidth(c))
			if i < len(g.right) && g.right[i] {
				b.WriteString(pad + c)
			} else {
				b.WriteString(c + pad)
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

// cellWidth is how many terminal cells s takes.
func cellWidth(s string) int {
	n := 0
	for _, r := range s {
		n += runeWidth(r)
	}
	return n
}

func runeWidth(r rune) int {
	switch {
	case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf):
		return 0
	}
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return 2
	}
	return 1
}

// terminalText makes text from a dataset or an analysis safe to print on a
// terminal: a control character (a line break, a tab, an escape sequence
// that would move the cursor or retitle the window) and a character that
// reorders text (U+202E and its kind) are written as Go escapes, so that
// data shows as text and never acts on the terminal.
func terminalText(s string) string {
	clean := true
	for _, r := range s {
		if unsafeRune(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if !unsafeRune(r) {
			b.WriteRune(r)
			continue
		}
		switch r {
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if r < 0x100 {
				fmt.Fprintf(&b, `\x%02x`, r)
			} else {
				fmt.Fprintf(&b, `\u%04x`, r)
			}
		}
	}
	return b.String()
}

func unsafeRune(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r < 0xa0:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return true
	case r == 0x2028 || r == 0x2029:
		return true
	}
	return false
}

// cut shortens s to at most n terminal cells, ending it with "…" when it
// was longer.
func cut(s string, n int) string {
	if cellWidth(s) <= n {
		return s
	}
	var b strings.Builder
	w := 0
	for _, r := range s {
		rw := runeWidth(r)
		if w+rw > n-1 {
			break
		}
		b.WriteRune(r)
		w += rw
	}
	return b.String() + "…"
}
