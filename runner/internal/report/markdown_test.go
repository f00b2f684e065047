package report

import (
	"strings"
	"testing"

	"galley/runner/internal/analysis"
	"galley/runner/internal/engine"
	"galley/runner/internal/position"
)

// TestMarkdownIsSafe: Markdown written in an analysis renders no raw HTML
// and no javascript: link, and an inline value is escaped text even when
// it holds markup or Markdown.
func TestMarkdownIsSafe(t *testing.T) {
	p := position.Pos{File: "a.yaml", Line: 3, Col: 7}
	src := "[x](javascript:alert(1)) <script>alert(1)</script> <img src=x onerror=alert(1)> *{{ v }}*"
	cell := &analysis.Cell{Kind: analysis.CellMarkdown, Pos: p,
		Markdown: analysis.String{Value: src, Pos: p, Set: true},
		Inline:   []analysis.Expr{{Src: " v ", Pos: p, Lines: []position.Pos{p}}}}
	res := &engine.Result{Inline: map[*analysis.Cell][]any{cell: {"<b>**bold**</b> {{ 7*7 }}"}}}
	html, err := markdown(cell, res)
	if err != nil {
		t.Fatal(err)
	}
	got := string(html)
	for _, bad := range []string{"<script", "javascript:", "onerror", "<b>", "<strong>", "49"} {
		if strings.Contains(got, bad) {
			t.Errorf("rendered Markdown holds %q:\n%s", bad, got)
		}
	}
	if !strings.Contains(got, "&lt;b&gt;**bold**&lt;/b&gt; {{ 7*7 }}") {
		t.Errorf("the inline value is not shown as text:\n%s", got)
	}
}
