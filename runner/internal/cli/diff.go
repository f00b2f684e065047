package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"galley/runner/internal/results"
)

const diffAbout = `Runs each analysis now, writes nothing, and compares what it computes with
reports/NAME.results.json as committed at REV (default HEAD), read with git:
datasets whose pin or citation changed, with rows read before and after;
values, old -> new with the difference; claims whose status changed; the
values computed in the text; and the rows of every view a table or chart
shows, added, removed or changed, matched by the view's group_by columns
(or, without them, as whole rows: a multiset, so a repeated row counts as
often as it appears). As in git, an argument naming an existing file is an
analysis and anything else a revision. With no ANALYSIS, every
analyses/*.yaml. The output is the same bytes on every machine.

The data-update workflow: replace the file, galley pin, galley diff, review,
make, commit (docs/reviewer-guide.md).

Exit status: 0 compared; 1 an analysis or its data failed, a claim fails now,
or (with -exit-code) anything changed; 2 usage.
`

// diffCmd is `galley diff`: which numbers, sentences and claims of the
// published story change with the analysis and data of now.
func diffCmd(args []string, stdout, stderr io.Writer) int {
	fs, c := newFlags("diff", "diff [flags] [REV] [ANALYSIS...]", stderr)
	asHTML := fs.Bool("html", false, "print the comparison as one self-contained HTML page, for an editor (galley diff -html > review.html)")
	exitCode := fs.Bool("exit-code", false, "exit 1 when anything changed, as git diff --exit-code does")
	describedUsage(fs, stderr, "diff [flags] [REV] [ANALYSIS...]", diffAbout)
	pos, ok, code := parseArgs(fs, args)
	if !ok {
		return code
	}
	rev := ""
	var names []string
	for i, a := range pos {
		if st, err := os.Stat(a); err == nil && !st.IsDir() {
			names = append(names, a)
			continue
		}
		if i == 0 {
			rev = a
			continue
		}
		fmt.Fprintf(stderr, "galley diff: %s: no such analysis file (a revision comes first: galley diff [REV] [ANALYSIS...])\n", a)
		return exitUsage
	}
	if err := gitRepo(c.root); err != nil {
		fmt.Fprintf(stderr, "galley diff: %s: %v (galley diff compares with the results committed in git)\n", displayRoot(c.root), err)
		return exitFailure
	}
	if rev == "" {
		rev = "HEAD"
		if !isRevision(c.root, rev) {
			fmt.Fprintf(stderr, "galley diff: the repository has no commit yet: there are no committed results to compare with (run galley run and commit reports/)\n")
			return exitFailure
		}
	} else if !isRevision(c.root, rev) {
		fmt.Fprintf(stderr, "galley diff: %s: neither an analysis file nor a revision of the git repository (galley diff [REV] [ANALYSIS...])\n", rev)
		return exitUsage
	}
	files, ok := analyses(c.root, names, stderr)
	if !ok {
		return exitUsage
	}

	var diffs []*docDiff
	var claimErrs []error
	failed := false
	for _, f := range files {
		display := displayPath(c.root, f)
		resultsPath := "reports/" + reportName(f) + ".results.json"
		now, err := compute(f, c.root, nil, oneAnalysis())
		if now == nil {
			printErrors(stderr, err, c.root)
			failed = true
			continue
		}
		if err != nil {
			claimErrs = append(claimErrs, err)
		}
		b, found, err := committedFile(c.root, rev, resultsPath)
		if err != nil {
			fmt.Fprintf(stderr, "galley diff: %s at %s: %v\n", resultsPath, rev, err)
			failed = true
			continue
		}
		d := &docDiff{Rev: rev, Missing: true}
		if found {
			old, err := results.Unmarshal(b)
			if err != nil {
				fmt.Fprintf(stderr, "%s at %s: %v\n", resultsPath, rev, err)
				failed = true
				continue
			}
			d = compareDocs(old, now, rev)
		}
		d.Analysis, d.Results = display, resultsPath
		diffs = append(diffs, d)
	}

	var out bytes.Buffer
	if *asHTML {
		if err := writeDiffHTML(&out, diffs, rev); err != nil {
			fmt.Fprintf(stderr, "galley diff: %v\n", err)
			return exitFailure
		}
	} else {
		for i, d := range diffs {
			if i > 0 {
				out.WriteString("\n")
			}
			writeDiffText(&out, d)
		}
	}
	stdout.Write(out.Bytes())
	for _, err := range claimErrs {
		printErrors(stderr, err, c.root)
	}
	changed := false
	for _, d := range diffs {
		changed = changed || !d.empty()
	}
	if failed || len(claimErrs) > 0 || *exitCode && changed {
		return exitFailure
	}
	return exitOK
}

// displayRoot names the project root in a message.
func displayRoot(root string) string {
	if root == "." || root == "" {
		return "this folder"
	}
	return root
}

// writeDiffText writes the terminal report of one analysis.
func writeDiffText(w io.Writer, d *docDiff) {
	switch {
	case d.Missing:
		fmt.Fprintf(w, "%s: new: %s is not in %s, so everything it computes is new\n", d.Analysis, d.Results, d.Rev)
		return
	case d.empty():
		fmt.Fprintf(w, "%s: no change since %s\n", d.Analysis, d.Rev)
		return
	}
	fmt.Fprintf(w, "%s: changed since %s: %s\n", d.Analysis, d.Rev, d.counts())
	if len(d.Datasets) > 0 {
		fmt.Fprintf(w, "\ndatasets\n")
		for _, ds := range d.Datasets {
			fmt.Fprintf(w, "  %s (line %d): %s%s\n", ds.Name, ds.Line, terminalText(ds.Path), statusNote(ds.Status))
			writeChanges(w, "    ", ds.Changes)
		}
	}
	if len(d.Values) > 0 {
		fmt.Fprintf(w, "\nvalues\n")
		g := &grid{indent: "  "}
		for _, v := range d.Values {
			old, now := v.Old, v.New
			switch v.Status {
			case diffAdded:
				old = "(new)"
			case diffRemoved:
				now = "(removed)"
			}
			g.add(v.Name, "line "+strconv.Itoa(v.Line), terminalText(old), "→", terminalText(now), v.Change)
		}
		g.write(w)
	}
	if len(d.Claims) > 0 {
		fmt.Fprintf(w, "\nclaims\n")
		for _, cl := range d.Claims {
			var st string
			switch cl.Status {
			case diffAdded:
				st = "new, " + status(cl.NewHolds)
			case diffRemoved:
				st = "removed (it " + map[bool]string{true: "held", false: "failed"}[cl.OldHolds] + ")"
			default:
				st = status(cl.OldHolds) + " → " + status(cl.NewHolds)
			}
			fmt.Fprintf(w, "  %s (line %d): %s\n", cl.ID, cl.Line, st)
			fmt.Fprintf(w, "    %s\n", terminalText(cl.Text))
			fmt.Fprintf(w, "    check: %s\n", terminalText(cl.Check))
			g := &grid{indent: "    "}
			for _, in := range cl.Inputs {
				if in.Old == in.New || cl.Status == diffAdded {
					g.add(in.What, terminalText(in.New))
				} else {
					g.add(in.What, terminalText(orNone(in.Old))+" → "+terminalText(in.New))
				}
			}
			g.write(w)
		}
	}
	if len(d.Text) > 0 {
		fmt.Fprintf(w, "\ntext\n")
		g := &grid{indent: "  "}
		for _, t := range d.Text {
			g.add("line "+strconv.Itoa(t.Line), "{{ "+terminalText(t.Expr)+" }}", terminalText(t.Old), "→", terminalText(t.New))
		}
		g.write(w)
	}
	if len(d.Views) > 0 {
		fmt.Fprintf(w, "\nviews\n")
		for _, v := range d.Views {
			writeViewDiff(w, &v)
		}
	}
}

func statusNote(status string) string {
	switch status {
	case diffAdded:
		return " (new)"
	case diffRemoved:
		return " (removed)"
	}
	return ""
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// writeChanges writes one field a line: "what  old → new". A change too
// long for one line puts the new value under the old one.
func writeChanges(w io.Writer, indent string, changes []change) {
	width := 0
	for _, c := range changes {
		width = max(width, cellWidth(c.What))
	}
	for _, c := range changes {
		pad := strings.Repeat(" ", width-cellWidth(c.What))
		old, now := terminalText(c.Old), terminalText(c.New)
		switch {
		case c.Old == "":
			fmt.Fprintf(w, "%s%s%s  %s (new)\n", indent, c.What, pad, now)
		case c.New == "":
			fmt.Fprintf(w, "%s%s%s  %s (gone)\n", indent, c.What, pad, old)
		case cellWidth(old)+cellWidth(now) > 60:
			fmt.Fprintf(w, "%s%s%s  %s\n", indent, c.What, pad, old)
			fmt.Fprintf(w, "%s%s→ %s\n", indent, strings.Repeat(" ", width), now)
		default:
			fmt.Fprintf(w, "%s%s%s  %s → %s\n", indent, c.What, pad, old, now)
		}
	}
}

func writeViewDiff(w io.Writer, v *viewDiff) {
	where := "line " + strconv.Itoa(v.Line)
	if v.Shown != "" {
		where += ", " + v.Shown
	}
	switch v.Status {
	case diffAdded:
		fmt.Fprintf(w, "  %s (%s): new, %s rows\n", v.Name, where, v.Changes[0].New)
		return
	case diffRemoved:
		fmt.Fprintf(w, "  %s (%s): removed (it had %s rows)\n", v.Name, where, v.Changes[0].Old)
		return
	}
	if head := v.Summary(); head != "" {
		fmt.Fprintf(w, "  %s (%s): %s\n", v.Name, where, head)
	} else {
		fmt.Fprintf(w, "  %s (%s)\n", v.Name, where)
	}
	if v.Note != "" {
		fmt.Fprintf(w, "    (%s)\n", v.Note)
	}
	writeChanges(w, "    ", v.Changes)
	for _, r := range v.Changed {
		fmt.Fprintf(w, "    %s\n", terminalText(r.Key))
		writeChanges(w, "      ", r.Cells)
	}
	if len(v.Added)+len(v.Removed) > 0 {
		g := &grid{indent: "    ", right: []bool{false}}
		head := []string{""}
		for _, c := range v.Columns {
			head = append(head, terminalText(c.Name))
			g.right = append(g.right, c.Type.Numeric())
		}
		g.add(head...)
		for _, r := range v.Removed {
			g.add(v.rowCells("-", r)...)
		}
		for _, r := range v.Added {
			g.add(v.rowCells("+", r)...)
		}
		g.write(w)
	}
}

// Summary says how many rows changed, were removed or added, and how they
// were matched.
func (v *viewDiff) Summary() string {
	var what []string
	for _, n := range []struct {
		n    int
		verb string
	}{{len(v.Changed), "changed"}, {len(v.Removed), "removed"}, {len(v.Added), "added"}} {
		if n.n > 0 {
			what = append(what, fmt.Sprintf("%s %s", rowsText(n.n), n.verb))
		}
	}
	head := strings.Join(what, ", ")
	if v.Match != "" {
		head += "; " + v.Match
	}
	return head
}

// rowCells is a row as the report prints it, after a mark.
func (v *viewDiff) rowCells(mark string, r []any) []string {
	out := []string{mark}
	for i, x := range r {
		out = append(out, terminalText(v.Cell(i, x)))
	}
	return out
}
