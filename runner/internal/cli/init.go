package cli

import (
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"galley/runner/internal/analysis"
	"galley/runner/internal/dataset"
)

func initCmd(args []string, stdout, stderr io.Writer) int {
	fs, c := newFlags("init", "init [flags] DATASET.{csv,tsv,xlsx,json,ndjson,geojson}[.gz] (or a glob of such files, quoted)", stderr)
	accessed := fs.String("accessed", "", "the date you fetched the file, YYYY-MM-DD (default today)")
	name := fs.String("name", "", "the dataset's name in the analysis (default: from the file name)")
	skip := fs.Int("skip-rows", 0, "lines before the header (a title, notes) to skip")
	sheet := fs.String("sheet", "", "the sheet of an xlsx file to read (default: the first)")
	if ok, code := parseFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return exitUsage
	}
	if *accessed == "" {
		// The one place Galley reads the clock for content: a suggestion a
		// reporter pastes and can edit, never part of a report.
		*accessed = time.Now().Format(time.DateOnly)
	}
	path := filepath.ToSlash(fs.Arg(0))
	if *skip < 0 {
		fmt.Fprintf(stderr, "galley init: -skip-rows must be 0 or more, not %d\n", *skip)
		return exitUsage
	}
	var inf *dataset.Inferred
	var err error
	if *sheet != "" && *skip > 0 {
		fmt.Fprintf(stderr, "galley init: -skip-rows applies to CSV files, -sheet to xlsx files: give one\n")
		return exitUsage
	}
	switch {
	case analysis.IsGlob(path):
		inf, err = dataset.InferGlob(path, c.root, *skip, *sheet)
	case *sheet != "":
		inf, err = dataset.InferSheet(path, c.root, *sheet)
	default:
		inf, err = dataset.Infer(path, c.root, *skip)
	}
	if err != nil {
		printErrors(stderr, err, ".")
		return exitFailure
	}
	if *name == "" {
		*name = datasetName(path)
	}
	fmt.Fprint(stdout, formatInit(inf, *name, *accessed))
	nulls := 0
	for _, col := range inf.Columns {
		nulls += col.Nulls
	}
	what := inf.Encoding
	switch inf.Format {
	case "xlsx":
		what = fmt.Sprintf("sheet %q", inf.Sheet)
	case "json", "ndjson", "geojson":
		what = inf.Format
	}
	files := ""
	if inf.Files != nil {
		files = fmt.Sprintf("%d files, ", len(inf.Files))
	}
	fmt.Fprintf(stderr, "%s: %s%d rows, %d columns, %s, %d null cells; paste the block under datasets: and fill in source:\n",
		path, files, inf.Rows, len(inf.Columns), what, nulls)
	if inf.Range != "" {
		fmt.Fprintf(stderr, "%s: the table seems to start at %s: check range: (its first row is the header; the rows below it, notes included, are read)\n", path, strings.SplitN(inf.Range, ":", 2)[0])
	}
	if inf.HeaderRows > 1 {
		fmt.Fprintf(stderr, "%s: the row under the header seems to continue it (units?): check header_rows: %d, which joins the two rows' texts into the column names\n", path, inf.HeaderRows)
	}
	if len(inf.Sheets) > 1 {
		q := make([]string, len(inf.Sheets))
		for i, s := range inf.Sheets {
			q[i] = strconv.Quote(s)
		}
		fmt.Fprintf(stderr, "%s: the workbook has %d sheets, %s; this block reads %q (for another: galley init -sheet NAME %s)\n", path, len(inf.Sheets), strings.Join(q, ", "), inf.Sheet, path)
	}
	if len(inf.Skipped) > 0 {
		fmt.Fprintf(stderr, "%s: no column proposed for %s, which hold lists or objects\n", path, strings.Join(inf.Skipped, ", "))
	}
	return exitOK
}

// datasetName makes an identifier from a file name; for a glob whose file
// name is all pattern (*.csv), from its folder's name.
func datasetName(path string) string {
	base := filepath.Base(path)
	if analysis.IsGlob(base) && !strings.ContainsFunc(strings.TrimSuffix(base, filepath.Ext(base)), unicode.IsLetter) {
		base = filepath.Base(filepath.Dir(path))
	}
	if strings.HasSuffix(strings.ToLower(base), ".gz") {
		base = base[:len(base)-len(".gz")]
	}
	base = strings.TrimSuffix(base, filepath.Ext(base))
	var b strings.Builder
	for _, r := range strings.ToLower(base) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			if b.Len() > 0 && !strings.HasSuffix(b.String(), "_") {
				b.WriteByte('_')
			}
		}
	}
	s := strings.Trim(b.String(), "_")
	if s == "" || (s[0] >= '0' && s[0] <= '9') {
		s = "data_" + s
	}
	return s
}

// fileColumn names a glob's file_column: file, unless a column has the
// name.
func fileColumn(inf *dataset.Inferred) string {
	for _, name := range []string{"file", "source_file", "file_name"} {
		if !slices.ContainsFunc(inf.Columns, func(c dataset.InferredColumn) bool { return c.Name == name }) {
			return name
		}
	}
	return "file_of_the_row"
}

// formatInit prints the datasets: block. Every string is quoted with
// strconv.Quote, which YAML reads back as the same string.
func formatInit(inf *dataset.Inferred, name, accessed string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "datasets:\n  %s:\n", name)
	fmt.Fprintf(&b, "    path: %s\n", strconv.Quote(inf.Path))
	if inf.Files != nil {
		// A glob: a pin per file, and a column saying which file a row
		// came from.
		fmt.Fprintf(&b, "    sha256:\n")
		for _, f := range inf.Files {
			fmt.Fprintf(&b, "      %s: %s\n", strconv.Quote(f.Path), f.SHA256)
		}
		fmt.Fprintf(&b, "    file_column: %s\n", fileColumn(inf))
	} else {
		fmt.Fprintf(&b, "    sha256: %s\n", inf.SHA256)
	}
	fmt.Fprintf(&b, "    source:\n")
	fmt.Fprintf(&b, "      title: \"TODO: the dataset's title, as its publisher gives it\"\n")
	fmt.Fprintf(&b, "      publisher: \"TODO: who published it\"\n")
	fmt.Fprintf(&b, "      # url: https://...\n")
	fmt.Fprintf(&b, "      # published: YYYY-MM-DD\n")
	fmt.Fprintf(&b, "      accessed: %s\n", accessed)
	fmt.Fprintf(&b, "      license: \"TODO: the license or terms of use\"\n")
	if inf.Sheet != "" {
		fmt.Fprintf(&b, "    sheet: %s\n", strconv.Quote(inf.Sheet))
	}
	if inf.Range != "" {
		fmt.Fprintf(&b, "    range: %s\n", inf.Range)
	}
	if inf.HeaderRows > 1 {
		fmt.Fprintf(&b, "    header_rows: %d\n", inf.HeaderRows)
	}
	if inf.Records != "" {
		fmt.Fprintf(&b, "    records: %s\n", strconv.Quote(inf.Records))
	}
	if inf.Encoding != "" && inf.Encoding != "utf-8" {
		fmt.Fprintf(&b, "    encoding: %s\n", inf.Encoding)
	}
	if inf.SkipRows > 0 {
		fmt.Fprintf(&b, "    skip_rows: %d\n", inf.SkipRows)
	}
	if inf.Delimiter != "" && inf.Delimiter != "," {
		fmt.Fprintf(&b, "    delimiter: %s\n", strconv.Quote(inf.Delimiter))
	}
	if len(inf.Null) > 1 || (len(inf.Null) == 1 && inf.Null[0] != "") {
		q := make([]string, len(inf.Null))
		for i, n := range inf.Null {
			q[i] = strconv.Quote(n)
		}
		fmt.Fprintf(&b, "    null: [%s]\n", strings.Join(q, ", "))
	}
	fmt.Fprintf(&b, "    columns:   # %d rows\n", inf.Rows)
	for _, c := range inf.Columns {
		var opts []string
		if c.Layout != "" {
			opts = append(opts, "format: "+strconv.Quote(c.Layout))
		}
		switch {
		case c.FromIdx > 0:
			opts = append(opts, "from: "+strconv.Itoa(c.FromIdx))
		case c.From != "":
			opts = append(opts, "from: "+strconv.Quote(c.From))
		}
		comment := ""
		if c.Nulls > 0 {
			comment = fmt.Sprintf("   # %d null", c.Nulls)
		}
		if c.Note != "" {
			if comment == "" {
				comment = "   #"
			} else {
				comment += ";"
			}
			comment += " " + c.Note
		}
		if len(opts) == 0 {
			fmt.Fprintf(&b, "      %s: %s%s\n", c.Name, c.Type, comment)
			continue
		}
		fmt.Fprintf(&b, "      %s: {type: %s, %s}%s\n", c.Name, c.Type, strings.Join(opts, ", "), comment)
	}
	return b.String()
}
