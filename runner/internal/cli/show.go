package cli

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"galley/runner/internal/report"
	"galley/runner/internal/results"
	"galley/runner/internal/suggest"
	"galley/runner/internal/value"
)

// showRows is how many rows of a view show prints by default.
const showRows = 20

// showCellWidth is the most terminal cells a text cell takes in show's
// tables; a longer one is cut with "…" (-csv and -json print it whole).
const showCellWidth = 40

const showAbout = `Computes the analysis, writes nothing, and prints on the terminal what it
computed: with no NAME, a summary of every dataset, view, value and claim;
with NAMEs, each view named as a table (its first rows, the row count, the
column types), each value with its expression, each claim with its status
and the values its check read. A NAME is a view, value or dataset of the
analysis, or a claim's id. Output is the same bytes on every machine.

Exit status: 0 success, 1 the analysis, its data or a claim failed (the
output is printed first when everything was computed), 2 usage.
`

// show is `galley show`: the terminal's look at what an analysis computes,
// for exploring while writing it.
func show(args []string, stdout, stderr io.Writer) int {
	fs, c := newFlags("show", "show [flags] ANALYSIS [NAME...]", stderr)
	limit := fs.Int("limit", showRows, "print at most `N` rows of each view; 0 prints every row (-csv and -json print every row unless -limit is given)")
	asCSV := fs.Bool("csv", false, "print one view's rows as CSV: raw column names and values in their machine form")
	asJSON := fs.Bool("json", false, "print what would be shown as JSON")
	describedUsage(fs, stderr, "show [flags] ANALYSIS [NAME...]", showAbout)
	pos, ok, code := parseArgs(fs, args)
	if !ok {
		return code
	}
	limitSet := false
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "limit" {
			limitSet = true
		}
	})
	switch {
	case len(pos) == 0:
		fmt.Fprintf(stderr, "galley show: name the analysis to show (galley show analyses/NAME.yaml [NAME...])\n")
		return exitUsage
	case *limit < 0:
		fmt.Fprintf(stderr, "galley show: -limit %d: give a number of rows, or 0 for every row\n", *limit)
		return exitUsage
	case *asCSV && *asJSON:
		fmt.Fprintf(stderr, "galley show: -csv and -json print different things: give one\n")
		return exitUsage
	}
	rows := *limit
	if (*asCSV || *asJSON) && !limitSet {
		rows = 0
	}
	files, ok := analyses(c.root, pos[:1], stderr)
	if !ok {
		return exitUsage
	}
	progress := newProgress(stderr)
	doc, err := compute(files[0], c.root, progress.update, oneAnalysis())
	progress.done()
	if doc == nil {
		printErrors(stderr, err, c.root)
		return exitFailure
	}
	items, ok := findNames(doc, pos[1:], stderr)
	if !ok {
		return exitUsage
	}
	var out bytes.Buffer
	switch {
	case *asCSV:
		if len(items) != 1 || items[0].view == nil {
			what := ""
			if len(items) == 1 && items[0].value != nil {
				what = fmt.Sprintf("%s is a value (galley show prints it, -json as JSON); ", items[0].value.Name)
			}
			fmt.Fprintf(stderr, "galley show: -csv prints one view: %sname one (views: %s)\n", what, strings.Join(viewNames(doc), ", "))
			return exitUsage
		}
		v := items[0].view
		b, cerr := report.ViewCSV(v, firstRows(v.Rows, rows))
		if cerr != nil {
			fmt.Fprintf(stderr, "galley show: %v\n", cerr)
			return exitFailure
		}
		out.Write(b)
	case *asJSON:
		b, jerr := showJSON(doc, items, rows)
		if jerr != nil {
			fmt.Fprintf(stderr, "galley show: %v\n", jerr)
			return exitFailure
		}
		out.Write(b)
	case len(items) == 0:
		showSummary(&out, doc)
	default:
		for i, it := range items {
			if i > 0 {
				out.WriteString("\n")
			}
			showItem(&out, doc, it, rows)
		}
	}
	stdout.Write(out.Bytes())
	if err != nil { // claims failed: everything was computed and shown
		printErrors(stderr, err, c.root)
		return exitFailure
	}
	return exitOK
}

// item is one thing a NAME names.
type item struct {
	dataset *results.Dataset
	view    *results.View
	value   *results.Value
	claim   *results.Claim
}

// findNames resolves each NAME, in the order given, once each. A name
// may be a claim's id as well as a view's or value's name: both show.
func findNames(doc *results.Document, names []string, stderr io.Writer) ([]item, bool) {
	var out []item
	seen := map[string]bool{}
	for _, n := range names {
		if seen[n] {
			continue
		}
		seen[n] = true
		found := false
		for _, d := range doc.Datasets {
			if d.Name == n {
				out, found = append(out, item{dataset: d}), true
			}
		}
		if v := doc.View(n); v != nil {
			out, found = append(out, item{view: v}), true
		}
		for _, v := range doc.Values {
			if v.Name == n {
				out, found = append(out, item{value: v}), true
			}
		}
		if cl := doc.Claim(n); cl != nil {
			out, found = append(out, item{claim: cl}), true
		}
		if !found {
			var all []string
			for _, d := range doc.Datasets {
				all = append(all, d.Name)
			}
			all = append(all, viewNames(doc)...)
			for _, v := range doc.Values {
				all = append(all, v.Name)
			}
			for _, cl := range doc.Claims {
				all = append(all, cl.ID)
			}
			fmt.Fprintf(stderr, "galley show: %s has no view, value, claim or dataset named %q%s\n",
				doc.Analysis.Path, n, suggest.Hint(n, all))
			return nil, false
		}
	}
	return out, true
}

func viewNames(doc *results.Document) []string {
	var out []string
	for _, v := range doc.Views {
		out = append(out, v.Name)
	}
	return out
}

// firstRows is the first n rows (every row for n == 0).
func firstRows(rows [][]any, n int) [][]any {
	if n == 0 || n >= len(rows) {
		return rows
	}
	return rows[:n]
}

// rowsText is "1 row" or "12 rows".
func rowsText(n int) string {
	if n == 1 {
		return "1 row"
	}
	return value.Text(n) + " rows"
}

func showSummary(w io.Writer, doc *results.Document) {
	a := doc.Analysis
	fmt.Fprintf(w, "%s: %s\n", a.Path, terminalText(a.Title))
	fmt.Fprintf(w, "%s read from %d dataset%s; %d of %d claims hold\n", rowsText(doc.RowsRead()),
		len(doc.Datasets), plural(len(doc.Datasets)), doc.ClaimsHeld(), len(doc.Claims))

	if len(doc.Datasets) > 0 {
		fmt.Fprintf(w, "\ndatasets\n")
		g := &grid{indent: "  ", right: []bool{false, true, false, false, true}}
		g.add("name", "rows read", "path", "sha256", "line")
		for _, d := range doc.Datasets {
			pin := shortPin(d.SHA256)
			if d.Files != nil {
				pin = fmt.Sprintf("%d files", len(d.Files))
			}
			g.add(terminalText(d.Name), value.Text(d.RowsRead), terminalText(d.Path), pin, strconv.Itoa(d.Line))
		}
		g.write(w)
	}
	if len(doc.Views) > 0 {
		fmt.Fprintf(w, "\nviews\n")
		g := &grid{indent: "  ", right: []bool{false, true, true, false, false, true}}
		g.add("name", "rows", "columns", "from", "in the report", "line")
		for _, v := range doc.Views {
			g.add(v.Name, value.Text(v.Total), strconv.Itoa(len(v.Columns)), viewFrom(v), strings.Join(shownAs(doc, v.Name), ", "), strconv.Itoa(v.Line))
		}
		g.write(w)
	}
	if len(doc.Values) > 0 {
		fmt.Fprintf(w, "\nvalues\n")
		g := &grid{indent: "  ", right: []bool{false, false, false, true}}
		g.add("name", "type", "value", "line")
		for _, v := range doc.Values {
			g.add(v.Name, v.Type, cut(terminalText(v.Text), showCellWidth), strconv.Itoa(v.Line))
		}
		g.write(w)
	}
	if len(doc.Claims) > 0 {
		fmt.Fprintf(w, "\nclaims: %d of %d hold\n", doc.ClaimsHeld(), len(doc.Claims))
		for _, cl := range doc.Claims {
			fmt.Fprintf(w, "  %-5s  %s (line %d): %s\n", status(cl.Holds), cl.ID, cl.Line, terminalText(cl.Check))
			if in := inputsText(cl.Inputs); in != "" {
				fmt.Fprintf(w, "         %s\n", in)
			}
		}
	}
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func status(holds bool) string {
	if holds {
		return "holds"
	}
	return "FAILS"
}

// shortPin is the start of a sha256, enough to tell two files apart by eye.
func shortPin(sum string) string {
	if len(sum) > 12 {
		return sum[:12]
	}
	return sum
}

func viewFrom(v *results.View) string {
	if v.Join != "" {
		return v.From + " + " + v.Join
	}
	return inputs(v)
}

// inputs names what v reads: its from, or every input of an append.
func inputs(v *results.View) string {
	if len(v.Sources) > 0 {
		return strings.Join(v.Sources, ", ")
	}
	return v.From
}

// shownAs lists how the body shows the view: "table", "chart".
func shownAs(doc *results.Document, name string) []string {
	var out []string
	for _, c := range doc.Body {
		kind := ""
		switch {
		case c.Table != nil && c.Table.View == name:
			kind = "table"
		case c.Chart != nil && c.Chart.View == name:
			kind = "chart"
		}
		if kind != "" && !slices.Contains(out, kind) {
			out = append(out, kind)
		}
	}
	return out
}

func inputsText(in []results.Input) string {
	parts := make([]string, len(in))
	for i, x := range in {
		parts[i] = x.Name + " = " + inputText(x)
	}
	return strings.Join(parts, ", ")
}

// inputText is a value a claim read, as its failure message prints it: a
// string quoted, so that "more than" reads as one value.
func inputText(in results.Input) string {
	return cut(terminalText(quotedText(in.Value.V, in.Text)), showCellWidth)
}

func showItem(w io.Writer, doc *results.Document, it item, limit int) {
	path := doc.Analysis.Path
	switch {
	case it.dataset != nil:
		d := it.dataset
		fmt.Fprintf(w, "dataset %s (%s:%d): %s, %s read\n", d.Name, path, d.Line, terminalText(d.Path), rowsText(d.RowsRead))
		if d.Files == nil {
			fmt.Fprintf(w, "  sha256 %s\n", d.SHA256)
		}
		for _, f := range d.Files {
			fmt.Fprintf(w, "  %s: sha256 %s, %s read\n", terminalText(f.Path), f.SHA256, rowsText(f.RowsRead))
		}
		fmt.Fprintf(w, "  source: %s, %s\n", terminalText(d.Source.Publisher), terminalText(d.Source.Title))
		if len(d.Views) > 0 {
			fmt.Fprintf(w, "  read by the views %s (show one to see its rows)\n", strings.Join(d.Views, ", "))
		} else {
			fmt.Fprintf(w, "  no view reads it (write a view from it to see its rows)\n")
		}
	case it.view != nil:
		showView(w, path, it.view, limit)
	case it.value != nil:
		v := it.value
		exact := ""
		if x := value.Text(v.Value.V); v.Format != "" && x != v.Text {
			// The format rounds or scales: the number it was made from.
			exact = ", " + terminalText(x) + " before its format " + strconv.Quote(v.Format)
		}
		fmt.Fprintf(w, "value %s = %s (%s%s)\n", v.Name, terminalText(v.Text), v.Type, exact)
		fmt.Fprintf(w, "  %s:%d: %s\n", path, v.Line, terminalText(v.Expr))
	case it.claim != nil:
		cl := it.claim
		fmt.Fprintf(w, "claim %s: %s\n", cl.ID, status(cl.Holds))
		fmt.Fprintf(w, "  %s:%d: %s\n", path, cl.Line, terminalText(cl.Text))
		fmt.Fprintf(w, "  check: %s\n", terminalText(cl.Check))
		for _, in := range cl.Inputs {
			fmt.Fprintf(w, "  %s = %s (line %d)\n", in.Name, inputText(in), in.Line)
		}
	}
}

// showView prints a view as an aligned table: a header of column names
// (and labels, where the view gives them), their types, the first limit
// rows, and how many rows there are.
func showView(w io.Writer, path string, v *results.View, limit int) {
	what := "from " + inputs(v)
	if v.Join != "" {
		what += ", joined to " + v.Join
	}
	switch {
	case len(v.Keys) > 0 && len(v.Keys) == len(v.Columns):
		what += ", distinct rows"
	case len(v.Keys) > 0:
		what += ", one row per " + strings.Join(v.Keys, " and ")
	}
	fmt.Fprintf(w, "view %s (%s:%d): %s, %s\n", v.Name, path, v.Line, rowsText(v.Total), what)
	g := &grid{indent: "  "}
	names := make([]string, len(v.Columns))
	types := make([]string, len(v.Columns))
	labels := make([]string, len(v.Columns))
	labelled := false
	formats := make([]value.Format, len(v.Columns))
	for i, c := range v.Columns {
		if c.Format != "" {
			formats[i], _ = value.ParseFormat(c.Format) // written by the run, so it parses
		}
		g.right = append(g.right, c.Type.Numeric())
		names[i] = terminalText(c.Name)
		types[i] = c.Type.String()
		if l := columnLabel(v, i); l != "" {
			labels[i], labelled = cut(terminalText(l), showCellWidth), true
		}
	}
	g.add(names...)
	if labelled {
		g.add(labels...)
	}
	g.add(types...)
	g.rule()
	rows := firstRows(v.Rows, limit)
	for _, r := range rows {
		cells := make([]string, len(r))
		for i, x := range r {
			cells[i] = cut(terminalText(formats[i].Text(x)), showCellWidth)
		}
		g.add(cells...)
	}
	g.write(w)
	if len(rows) < v.Total {
		fmt.Fprintf(w, "  first %d of %s (-limit N shows more, -limit 0 every row)\n", len(rows), rowsText(v.Total))
	} else {
		fmt.Fprintf(w, "  %s\n", rowsText(v.Total))
	}
	if note := report.TieNote(v); note != "" {
		fmt.Fprintf(w, "  %s\n", note)
	}
}

// columnLabel is how the report names column i of v: the view's label for
// it, or "" when it has none.
func columnLabel(v *results.View, i int) string { return v.Columns[i].Label }

// shownView is a view in show's JSON: its columns and types and its first
// rows, in their machine form.
type shownView struct {
	Name    string           `json:"name"`
	Line    int              `json:"line"`
	From    string           `json:"from"`
	Join    string           `json:"join,omitempty"`
	Columns []results.Column `json:"columns"`
	Keys    []string         `json:"keys"`
	Total   int              `json:"total"`
	Rows    []results.Row    `json:"rows"`
}

// shownDoc is what show -json prints.
type shownDoc struct {
	Analysis string             `json:"analysis"`
	Datasets []*results.Dataset `json:"datasets"`
	Views    []shownView        `json:"views"`
	Values   []*results.Value   `json:"values"`
	Claims   []*results.Claim   `json:"claims"`
}

func showJSON(doc *results.Document, items []item, limit int) ([]byte, error) {
	out := shownDoc{Analysis: doc.Analysis.Path, Datasets: []*results.Dataset{}, Views: []shownView{},
		Values: []*results.Value{}, Claims: []*results.Claim{}}
	addView := func(v *results.View) {
		sv := shownView{Name: v.Name, Line: v.Line, From: v.From, Join: v.Join, Columns: v.Columns,
			Keys: v.Keys, Total: v.Total, Rows: []results.Row{}}
		if sv.Keys == nil {
			sv.Keys = []string{}
		}
		for _, r := range firstRows(v.Rows, limit) {
			sv.Rows = append(sv.Rows, r)
		}
		out.Views = append(out.Views, sv)
	}
	if len(items) == 0 {
		out.Datasets = append(out.Datasets, doc.Datasets...)
		for _, v := range doc.Views {
			addView(v)
		}
		out.Values = append(out.Values, doc.Values...)
		out.Claims = append(out.Claims, doc.Claims...)
	}
	for _, it := range items {
		switch {
		case it.dataset != nil:
			out.Datasets = append(out.Datasets, it.dataset)
		case it.view != nil:
			addView(it.view)
		case it.value != nil:
			out.Values = append(out.Values, it.value)
		case it.claim != nil:
			out.Claims = append(out.Claims, it.claim)
		}
	}
	return results.Canonical(out)
}
