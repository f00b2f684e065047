package dataset

import (
	"errors"
	"fmt"
	"strings"

	"galley/runner/internal/analysis"
	"galley/runner/internal/position"
)

// InferredFile is one file of a glob: its path and sha256.
type InferredFile struct {
	Path   string
	SHA256 string
}

// InferGlob is Infer for a glob (pattern, slash form, relative to root):
// every file it matches is read, in the order a glob dataset reads them,
// and the declaration proposed is one that reads them all. The files must
// share their format, encoding, delimiter, sheet, range, records and
// header, as a glob dataset requires; an error names the first file that
// does not. A column's type is the narrowest that every file's cells read
// as (an int column in one file and a float column in another is float; a
// column all null in one file takes the others' type). The result's Files
// lists each file with its pin, and Rows and each column's Nulls count
// every file.
func InferGlob(pattern, root string, skipRows int, sheet string) (*Inferred, error) {
	probe := &analysis.Dataset{Name: "init", Path: analysis.String{Value: pattern}}
	files, err := locateGlob(probe, root)
	if err != nil {
		// locateGlob names the dataset, which init does not have yet, at
		// its place in an analysis, which init does not have either.
		var pe *position.Error
		if errors.As(err, &pe) {
			return nil, position.Errorf(position.Pos{File: pattern}, "%s", strings.TrimPrefix(pe.Msg, `dataset "init": `))
		}
		return nil, err
	}
	var out *Inferred
	var first string
	for _, f := range files {
		inf, err := infer(f.rel, root, skipRows, sheet)
		if err != nil {
			return nil, err
		}
		if out == nil {
			out, first = inf, f.rel
			out.Files = []InferredFile{{Path: f.rel, SHA256: inf.SHA256}}
			out.Path, out.SHA256 = pattern, ""
			continue
		}
		if err := mergeInferred(out, inf, f.rel, first); err != nil {
			return nil, err
		}
		out.Files = append(out.Files, InferredFile{Path: f.rel, SHA256: inf.SHA256})
	}
	return out, nil
}

// mergeInferred adds what was inferred of the file rel to out, inferred
// from the files before it, the first of them first.
func mergeInferred(out, inf *Inferred, rel, first string) error {
	at := position.Pos{File: rel}
	for _, d := range []struct{ what, here, there string }{
		{"format", inf.Format, out.Format},
		{"encoding", inf.Encoding, out.Encoding},
		{"delimiter", inf.Delimiter, out.Delimiter},
		{"sheet", inf.Sheet, out.Sheet},
		{"range", inf.Range, out.Range},
		{"records", inf.Records, out.Records},
	} {
		if d.here != d.there {
			return position.Errorf(at, "its %s is %q, that of %s, the glob's first file, is %q: a glob reads files of one shape (convert this one, or give it a dataset of its own)", d.what, d.here, first, d.there)
		}
	}
	if len(inf.Columns) != len(out.Columns) {
		return position.Errorf(at, "it has %d columns, %s, the glob's first file, has %d: a glob reads files of one shape (give this one a dataset of its own)", len(inf.Columns), first, len(out.Columns))
	}
	for i := range inf.Columns {
		here, there := &inf.Columns[i], &out.Columns[i]
		if here.Name != there.Name || here.From != there.From || here.FromIdx != there.FromIdx {
			return position.Errorf(at, "the header differs from that of %s, the glob's first file: column %d is %q here, %q there (a glob reads files of one shape)", first, i+1, header(here), header(there))
		}
	}
	out.Null = union(out.Null, inf.Null)
	for i := range inf.Columns {
		mergeColumn(&out.Columns[i], &inf.Columns[i], out.Rows, inf.Rows)
	}
	out.Rows += inf.Rows
	out.Skipped = union(out.Skipped, inf.Skipped)
	return nil
}

// header is the header of an inferred column as the file writes it.
func header(c *InferredColumn) string {
	if c.From != "" {
		return c.From
	}
	return c.Name
}

// mergeColumn widens c, inferred from rows rows, to take o, inferred from
// orows rows of the next file.
func mergeColumn(c, o *InferredColumn, rows, orows int) {
	allNull := func(col *InferredColumn, n int) bool { return col.Nulls == n }
	switch {
	case allNull(o, orows):
		// o says nothing of the type.
	case allNull(c, rows):
		c.Type, c.Layout, c.Note = o.Type, o.Layout, o.Note
	case c.Type == o.Type && c.Layout == o.Layout:
		if c.Note == "" {
			c.Note = o.Note
		}
	case (c.Type == analysis.TypeInt && o.Type == analysis.TypeFloat) || (c.Type == analysis.TypeFloat && o.Type == analysis.TypeInt):
		c.Type = analysis.TypeFloat
	default:
		c.Note = fmt.Sprintf("%s in some files, %s in others: read as text", typeText(c), typeText(o))
		c.Type, c.Layout = analysis.TypeString, ""
	}
	c.Nulls += o.Nulls
}

func typeText(c *InferredColumn) string {
	switch {
	case c.Layout != "":
		return fmt.Sprintf("%s (%s)", c.Type, c.Layout)
	case c.Type == analysis.TypeDate:
		return "date (2006-01-02)"
	}
	return c.Type.String()
}

func union(a, b []string) []string {
	for _, s := range b {
		if !contains(a, s) {
			a = append(a, s)
		}
	}
	return a
}
