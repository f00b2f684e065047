package analysis

import (
	"path"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Formats lists the dataset formats `format:` names. The extension gives
// the format when format: is not written (FileFormat).
var Formats = []string{"csv", "xlsx", "json", "ndjson", "geojson"}

// extFormats maps a file's extension (after any .gz) to its format.
var extFormats = map[string]string{
	".csv": "csv", ".tsv": "csv", ".txt": "csv",
	".xlsx": "xlsx", ".xlsm": "xlsx",
	".json": "json", ".ndjson": "ndjson", ".jsonl": "ndjson",
	".geojson": "geojson",
}

// FileFormat is the dataset's format: as written, or from the path's
// extension (.xlsx, .json, .ndjson or .jsonl, .geojson, each perhaps
// followed by .gz), csv otherwise.
func (ds *Dataset) FileFormat() string {
	if ds.Format.Set && ds.Format.Value != "" {
		return ds.Format.Value
	}
	if f, ok := extFormats[strings.ToLower(path.Ext(ds.baseName()))]; ok {
		return f
	}
	return "csv"
}

// baseName is the path without a .gz ending.
func (ds *Dataset) baseName() string {
	p := ds.Path.Value
	if ds.Compressed() {
		p = p[:len(p)-len(".gz")]
	}
	return p
}

// Compressed reports whether the dataset's files are gzip-compressed: the
// path ends in .gz. Its pins are of the files as stored.
func (ds *Dataset) Compressed() bool {
	return strings.HasSuffix(strings.ToLower(ds.Path.Value), ".gz")
}

// TabSeparated reports whether the path ends in .tsv (perhaps .tsv.gz):
// its default delimiter is a tab.
func (ds *Dataset) TabSeparated() bool {
	return strings.EqualFold(path.Ext(ds.baseName()), ".tsv")
}

// IsGlob reports whether the path is a glob (it holds * ? or [), which
// names every file of its folder that matches.
func (ds *Dataset) IsGlob() bool { return IsGlob(ds.Path.Value) }

// IsGlob reports whether p holds a glob's special characters.
func IsGlob(p string) bool { return strings.ContainsAny(p, "*?[") }

// formatNouns name a dataset of each format in messages.
var formatNouns = map[string]string{"csv": "a CSV", "xlsx": "an xlsx", "json": "a JSON", "ndjson": "an NDJSON", "geojson": "a GeoJSON"}

// formatKeys are the dataset keys that only some formats take, and which.
var formatKeys = []struct {
	key     string
	formats []string
	what    string // the files it applies to
}{
	{"delimiter", []string{"csv"}, "CSV files"},
	{"encoding", []string{"csv"}, "CSV files"},
	{"skip_rows", []string{"csv"}, "CSV files"},
	{"sheet", []string{"xlsx"}, "xlsx files"},
	{"range", []string{"xlsx"}, "xlsx files"},
	{"header_rows", []string{"xlsx"}, "xlsx files"},
	{"records", []string{"json"}, "JSON files (an array of records under a key)"},
}

// formatDataset checks what a dataset may say given its format: the format
// is known, it sets only the keys its format takes, its columns are read
// as its format reads them, and a glob's pins and file_column are well
// formed.
func (d *decoder) formatDataset(ds *Dataset, m map[string]entry, what string) {
	if e, ok := m["format"]; ok && ds.Format.Set && !slices.Contains(Formats, ds.Format.Value) {
		d.errorf(e.value, "%s: unknown format %q (known: %s; without format:, the extension decides)", what, ds.Format.Value, strings.Join(Formats, ", "))
		return
	}
	format := ds.FileFormat()
	for _, fk := range formatKeys {
		if e, ok := m[fk.key]; ok && !slices.Contains(fk.formats, format) {
			d.errorf(e.keyN, "%s: %s applies to %s, not to %s dataset (remove it)", what, fk.key, fk.what, formatNouns[format])
		}
	}
	switch format {
	case "json", "ndjson", "geojson":
		noun := "a JSON column is read from a key, by name (from: NAME, or from: a.b for a nested key)"
		if format == "geojson" {
			noun = "a GeoJSON column is read from a property, by name (from: NAME)"
		}
		for _, c := range ds.Columns {
			if c.FromIdx > 0 {
				d.errs.Add(c.FromPos, "%s: column %q: from: %d is a CSV column position; %s", what, c.Name, c.FromIdx, noun)
			}
		}
	}
	d.globDataset(ds, m, what)
}

// globDataset checks a glob path with its map of pins, or a single path
// with its one pin, and adds file_column's column.
func (d *decoder) globDataset(ds *Dataset, m map[string]entry, what string) {
	if ds.IsGlob() {
		dir, pattern := path.Split(ds.Path.Value)
		switch {
		case IsGlob(dir):
			d.errs.Add(ds.Path.Pos, "%s: path %q: a glob matches the files of one folder; write the folder without * ? or [, e.g. datasets/weather/*.csv", what, ds.Path.Value)
		case !validPattern(pattern):
			d.errs.Add(ds.Path.Pos, "%s: path %q is not a valid glob (a [ is not closed, or a \\ ends it)", what, ds.Path.Value)
		}
		if e, ok := m["sha256"]; ok && !ds.PinsSet {
			d.errorf(e.value, "%s: a glob takes one pin per file: write sha256: as a map of each file's path to its sum (run galley pin)", what)
		}
	} else if e, ok := m["sha256"]; ok && ds.PinsSet {
		d.errorf(e.value, "%s: sha256 is a map of pins, which only a glob path takes; path %q names one file: write sha256: SUM (run galley pin)", what, ds.Path.Value)
	}
	if e, ok := m["file_column"]; ok && ds.FileColumn.Value != "" {
		if !identRE.MatchString(ds.FileColumn.Value) {
			d.errorf(e.value, "%s: file_column %q must be letters, digits and _, starting with a letter or _ (it names a column)", what, ds.FileColumn.Value)
			return
		}
		for _, c := range ds.Columns {
			if c.Name == ds.FileColumn.Value {
				d.errorf(e.value, "%s: file_column %q is also a declared column (line %d); give the file names another column name", what, c.Name, c.Pos.Line)
				return
			}
		}
		ds.Columns = append(ds.Columns, &Column{Name: ds.FileColumn.Value, Pos: ds.FileColumn.Pos, Type: TypeString,
			TypePos: ds.FileColumn.Pos, FileName: true})
	}
}

// validPattern reports whether path.Match accepts p as a pattern.
func validPattern(p string) bool {
	_, err := path.Match(p, "")
	return err == nil
}

// pins reads a glob's sha256 map: each key a file's path, each value its
// sum.
func (d *decoder) pins(n *yaml.Node, what string) []Pin {
	out := []Pin{}
	for _, e := range d.pairs(n, what) {
		p := Pin{Path: String{Value: e.key, Pos: d.contentPos(e.keyN), Set: true}}
		p.SHA256 = d.str(e.value, what+": "+e.key)
		out = append(out, p)
	}
	return out
}
