package check

import (
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"

	"galley/runner/internal/analysis"
	"galley/runner/internal/position"
)

// Image is an image a Markdown cell shows: a file of the project, which
// the report carries inside itself as a data: URL.
type Image struct {
	Src string // as written: a path relative to the project root
	Pos position.Pos
}

// images lists the images of a Markdown cell, and refuses those a reader's
// browser would fetch from the network (issue 14, item 8): a report loads
// nothing from any address. A file of the project is inlined by the run; a
// data: URL written in the cell is left to the renderer. The cell is parsed
// as the report renders it, by goldmark, so that what is checked is
// exactly what would become an <img>.
func images(cell *analysis.Cell) ([]Image, error) {
	src := []byte(cell.Markdown.Value)
	doc := goldmark.DefaultParser().Parse(text.NewReader(src))
	var errs position.List
	var out []Image
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		img, ok := n.(*ast.Image)
		if !entering || !ok {
			return ast.WalkContinue, nil
		}
		dest := string(img.Destination)
		switch lower := strings.ToLower(dest); {
		case strings.HasPrefix(lower, "data:") && !strings.HasPrefix(lower, "data:image/png;") && !strings.HasPrefix(lower, "data:image/jpeg;") &&
			!strings.HasPrefix(lower, "data:image/gif;") && !strings.HasPrefix(lower, "data:image/webp;"):
			errs.Add(placeOf(cell, dest), "an image written as a data: URL must be a PNG, JPEG, GIF or WebP image (data:image/png;base64,...); the report would show nothing for %s", strings.SplitN(dest, ",", 2)[0])
		case strings.HasPrefix(lower, "data:"):
		case remote(dest):
			errs.Add(placeOf(cell, dest), "an image would be fetched from the network (%s) each time the report is read; a report loads nothing from the network (save the image in the project, e.g. images/name.png, and show it by that path; or link to it: [caption](%s))",
				dest, dest)
		default:
			out = append(out, Image{Src: dest, Pos: placeOf(cell, dest)})
		}
		return ast.WalkSkipChildren, nil
	})
	return out, errs.Err()
}

// remote reports whether dest names a place a browser would fetch: it has
// a scheme (https:, file:) or names a host (//cdn.example/x.png).
func remote(dest string) bool {
	i := strings.Index(dest, ":")
	return i > 0 && !strings.ContainsAny(dest[:i], "/?#") || strings.HasPrefix(dest, "//")
}

// placeOf is where dest is written in a Markdown cell: its line and
// column, counted from where the cell's text starts (exact for a block of
// text and for a value on one line without escapes), or the cell's start.
func placeOf(cell *analysis.Cell, dest string) position.Pos {
	p := cell.Markdown.Pos
	i := strings.Index(cell.Markdown.Value, dest)
	if i < 0 || dest == "" {
		return p
	}
	before := cell.Markdown.Value[:i]
	if nl := strings.LastIndexByte(before, '\n'); nl >= 0 {
		p.Line += strings.Count(before, "\n")
		p.Col += i - nl - 1 // a later line of a block starts at the block's indent
	} else {
		p.Col += i
	}
	return p
}
