package check

import (
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"

	"galley/runner/internal/analysis"
	"galley/runner/internal/position"
)

// images refuses the images of a Markdown cell that a reader's browser
// would fetch from the network (issue 14, item 8): a report loads nothing
// from any address. The cell is parsed as the report renders it, by
// goldmark, so that what is refused is exactly what would become an <img>.
func images(cell *analysis.Cell) error {
	src := []byte(cell.Markdown.Value)
	doc := goldmark.DefaultParser().Parse(text.NewReader(src))
	var errs position.List
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		img, ok := n.(*ast.Image)
		if !entering || !ok {
			return ast.WalkContinue, nil
		}
		dest := string(img.Destination)
		errs.Add(placeOf(cell, dest), "an image would be fetched from %s each time the report is read; a report loads nothing from the network or the disk (show the figure as a chart, or link to it instead: [caption](%s))",
			describeDest(dest), dest)
		return ast.WalkSkipChildren, nil
	})
	return errs.Err()
}

func describeDest(dest string) string {
	if i := strings.Index(dest, ":"); i > 0 && !strings.ContainsAny(dest[:i], "/?#") || strings.HasPrefix(dest, "//") {
		return "the network (" + dest + ")"
	}
	return "a file beside the page (" + dest + ")"
}

// placeOf is where dest is written in a Markdown cell: the line it is on,
// found in the file's text, or the cell's first line.
func placeOf(cell *analysis.Cell, dest string) position.Pos {
	p := cell.Markdown.Pos
	if i := strings.Index(cell.Markdown.Value, dest); i >= 0 && dest != "" {
		p.Line += strings.Count(cell.Markdown.Value[:i], "\n")
	}
	return p
}
