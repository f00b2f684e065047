package dataset

import (
	"strings"
	"time"
	"unicode/utf8"

	"galley/runner/internal/analysis"
	"galley/runner/internal/position"
)

// Encodings are the encodings a dataset may declare, the default first.
// docs/analysis.schema.json lists the same (TestSchemaEncodings).
var Encodings = []string{"utf-8", "latin-1", "windows-1252"}

// Spec is a dataset declaration checked and turned into what its reader
// needs: the reading rules of a dataset are checked here and nowhere else.
type Spec struct {
	ds       *analysis.Dataset
	enc      string // one of Encodings
	comma    rune
	skipRows int
	markers  []string // the dataset's null markers; a column's own add to them

	format  string     // csv, xlsx, json, ndjson or geojson
	sheet   string     // xlsx: the sheet, "" for the first
	cells   cellRange  // xlsx: the cells read
	records []string   // json: the keys leading to the array of records
	keys    [][]string // json, ndjson: each column's key path; nil for file_column's
}

// Compile checks how ds says its file is to be read (encoding, delimiter,
// null markers, skip_rows, date formats) and returns the settings its reader
// uses. It reads no file: a bad declaration is an error at its place in the
// analysis before any data is read. Every problem is reported, as a
// position.List when there are several.
func Compile(ds *analysis.Dataset) (*Spec, error) {
	sp := &Spec{ds: ds, enc: "utf-8", comma: ',', skipRows: ds.SkipRows.Value, format: ds.FileFormat()}
	if ds.TabSeparated() {
		sp.comma = '\t'
	}
	var errs position.List
	sp.compileFormat(&errs)
	if ds.Encoding.Set {
		sp.enc = ds.Encoding.Value
		if !contains(Encodings, sp.enc) {
			errs.Add(or(ds.Encoding.Pos, ds.Pos), "dataset %q: unknown encoding %q%s", ds.Name, sp.enc, knownEncodings(sp.enc))
		}
	}
	if ds.Delimiter.Set {
		r, msg := delimiter(ds.Delimiter.Value)
		if msg != "" {
			errs.Add(or(ds.Delimiter.Pos, ds.Pos), "dataset %q: delimiter %q %s", ds.Name, ds.Delimiter.Value, msg)
		}
		sp.comma = r
	}
	if ds.NullSet {
		sp.markers = []string{}
		for _, n := range ds.Null {
			sp.markers = append(sp.markers, n.Value)
		}
	} else {
		sp.markers = []string{""} // the default: an empty cell is null
	}
	for _, c := range ds.Columns {
		if c.Type == analysis.TypeDate && c.Layout != "" {
			if msg := checkLayout(c.Layout); msg != "" {
				errs.Add(or(c.LayoutPos, c.Pos), "dataset %q: column %q: format %q %s", ds.Name, c.Name, c.Layout, msg)
			}
		}
	}
	if len(errs) == 1 {
		return nil, errs[0]
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return sp, nil
}

// nulls returns the cells column i reads as null: the dataset's markers and
// the column's own. The list is shared: never change it.
func (sp *Spec) nulls(i int) []string {
	if own := sp.ds.Columns[i].Null; len(own) > 0 {
		return append(append([]string(nil), sp.markers...), own...)
	}
	return sp.markers
}

// Dataset returns the declaration the Spec was compiled from.
func (sp *Spec) Dataset() *analysis.Dataset { return sp.ds }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// knownEncodings is the end of the message for an unknown encoding s: the
// known ones, and the one s names in another spelling, if any.
func knownEncodings(s string) string {
	known := strings.Join(Encodings, ", ")
	key := strings.NewReplacer("-", "", "_", "", " ", "").Replace(strings.ToLower(s))
	switch key {
	case "utf8":
		return " (did you mean utf-8?)"
	case "latin1", "iso88591", "l1":
		return " (did you mean latin-1?)"
	case "windows1252", "cp1252", "win1252":
		return " (did you mean windows-1252?)"
	case "utf16", "utf16le", "utf16be", "ucs2", "utf32":
		return " (known: " + known + "; convert the file to UTF-8 first)"
	}
	return " (known: " + known + ")"
}

// delimiter reads a declared delimiter: one character other than a quote,
// a line break or NUL; a tab may also be written \t (YAML reads "\t" as a
// tab only between double quotes) or tab. msg says what is wrong, if
// anything.
func delimiter(s string) (r rune, msg string) {
	switch s {
	case `\t`, "tab", "TAB":
		return '\t', ""
	}
	r, size := utf8.DecodeRuneInString(s)
	if s == "" || size != len(s) || r == utf8.RuneError || r == 0 || r == '"' || r == '\r' || r == '\n' {
		return 0, `must be one character other than a quote or a line break, e.g. ",", ";" or "\t"`
	}
	return r, ""
}

// checkLayout says what is wrong with a date format, if anything: it must
// be a Go layout, the date 2 January 2006 written as the file writes its
// dates, and hold at least the year.
func checkLayout(layout string) string {
	ref := time.Date(1999, time.December, 31, 0, 0, 0, 0, time.UTC)
	t, err := time.Parse(layout, ref.Format(layout))
	if err != nil || t.Year() != ref.Year() {
		return `has no year: write the date 2 January 2006 as the file writes its dates, e.g. "02/01/2006" for 31/12/2017, or "Jan 2, 2006"`
	}
	return ""
}
