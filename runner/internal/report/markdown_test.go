package report

import (
	"galley/runner/internal/results"
	"strings"
	"testing"
)

// TestMarkdownIsSafe: Markdown written in an analysis renders no raw HTML
// and no javascript: link, and an inline value is escaped text even when
// it holds markup or Markdown.
func TestMarkdownIsSafe(t *testing.T) {
	v := "<b>**bold**</b> {{ 7*7 }}"
	md := &results.Markdown{Parts: []results.Part{
		{Markdown: "[x](javascript:alert(1)) <script>alert(1)</script> <img src=x onerror=alert(1)> *"},
		{Value: &results.Inline{Expr: "v", Line: 3, Value: results.Scalar{V: v}, Text: v}},
		{Markdown: "*"},
	}}
	html, err := markdown(md)
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

// TestMarkdownImages: an image of the project is written as the data: URL
// the run made of it, never as a path the browser would fetch.
func TestMarkdownImages(t *testing.T) {
	md := &results.Markdown{
		Parts:  []results.Part{{Markdown: "A dot ![dot](images/dot.gif) and ![again](images/dot.gif)."}},
		Images: []results.Image{{Src: "images/dot.gif", Type: "image/gif", DataURL: "data:image/gif;base64,R0lGODlh"}},
	}
	html, err := markdown(md)
	if err != nil {
		t.Fatal(err)
	}
	got := string(html)
	if strings.Count(got, `<img src="data:image/gif;base64,R0lGODlh"`) != 2 || strings.Contains(got, "images/dot.gif") {
		t.Errorf("images not inlined:\n%s", got)
	}
}
