package badinput

import (
	"strings"
	"testing"

	"galley/runner/internal/analysis"
	"galley/runner/internal/position"
)

const inlineHead = `title: T
datasets: {}
values:
  x: 1
body:
`

// inlineSource puts text in a Markdown cell written in one of the YAML
// styles a reporter uses: literal block, folded block, plain, double-quoted.
func inlineSource(style uint8, text string) string {
	var b strings.Builder
	b.WriteString(inlineHead)
	switch style % 4 {
	case 0, 1:
		b.WriteString("  - md: " + string("|>"[style%2]) + "\n")
		for _, l := range strings.Split(text, "\n") {
			b.WriteString("      " + l + "\n")
		}
	case 2:
		b.WriteString("  - md: " + strings.ReplaceAll(text, "\n", "\n      ") + "\n")
	case 3:
		q := strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(text)
		b.WriteString("  - md: \"" + strings.ReplaceAll(q, "\n", "\n      ") + "\"\n")
	}
	b.WriteString("  - md: after\n")
	return b.String()
}

// FuzzInline parses Markdown cells holding random {{ }} templates through
// analysis.Parse: it must not panic, every error must be positioned in the
// file, and every inline expression's position (and that of each of its
// lines) must lie inside the file; in a literal block, where the text is
// the file's own, the expression must start at its position.
func FuzzInline(f *testing.F) {
	for _, s := range []string{
		"The AP counted {{ x }} dead.",
		"{{ round(x, 1) }} and {{ percent(x) }}",
		"{{x}}{{x}}{{",
		"a {{ x\n + 1 }} b",
		"{{ '}}' }} {{ \"{{\" }}",
		"}} {{ }} {{{{ x }}}}",
		"{{ x ? 1 : 2 }}: {{ [1, 2][0] }}",
		"é {{ x }} \t {{ x }}\r\n{{ x }}",
		"# {{ x }}\n\n- {{ x }}\n\n```\n{{ x }}\n```",
	} {
		for style := range uint8(4) {
			f.Add(style, s)
		}
	}
	f.Fuzz(func(t *testing.T, style uint8, text string) {
		src := inlineSource(style, text)
		lines := strings.Split(src, "\n")
		inside := func(p position.Pos) bool {
			return p.File == "a.yaml" && p.Line >= 1 && p.Line <= len(lines) && p.Col >= 1 && p.Col <= len(lines[p.Line-1])+1
		}
		file, err := analysis.Parse("a.yaml", []byte(src))
		for _, e := range position.Errors(err) {
			if !inside(e.Pos) {
				t.Fatalf("error outside the file: %q\n%s", e.Error(), src)
			}
		}
		if file == nil {
			return
		}
		for _, c := range file.Body {
			for _, e := range c.Inline {
				if !inside(e.Pos) {
					t.Fatalf("inline %q at %v, outside the file\n%s", e.Src, e.Pos, src)
				}
				for _, l := range e.Lines {
					if !inside(l) {
						t.Fatalf("inline %q has a line at %v, outside the file\n%s", e.Src, l, src)
					}
				}
				if style%4 == 0 && e.Src != "" && !strings.ContainsAny(text, "\r\t") {
					line := lines[e.Pos.Line-1] + "\n"
					if !strings.HasPrefix(line[e.Pos.Col-1:], e.Src[:1]) {
						t.Fatalf("inline %q at %v, but the file has %q there\n%s", e.Src, e.Pos, line[e.Pos.Col-1:], src)
					}
				}
			}
		}
	})
}
