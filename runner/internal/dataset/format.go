package dataset

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"galley/runner/internal/position"
)

// cellRange is the cells of a sheet an xlsx dataset reads: columns
// col1..col2 and rows row1..row2, counted from 1; a zero col2 or row2
// runs to the last column of the header or the sheet's last row. The zero
// cellRange reads the sheet from its first row that holds a cell.
type cellRange struct {
	col1, row1, col2, row2 int
}

// Spreadsheet bounds, as Excel has them.
const (
	maxSheetRows = 1_048_576
	maxSheetCols = 16_384
)

var rangeRE = regexp.MustCompile(`^([A-Za-z]{1,3})([1-9][0-9]{0,6})(?::([A-Za-z]{1,3})([1-9][0-9]{0,6})?)?$`)

// parseRange reads A5:F120, A5:F (to the last row) or A5 (from A5 to the
// header's last cell and the last row).
func parseRange(s string) (cellRange, string) {
	m := rangeRE.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return cellRange{}, `is not a range of cells: write its top-left and bottom-right cells, e.g. A5:F120, or A5:F to read to the sheet's last row`
	}
	var c cellRange
	c.col1 = columnNumber(m[1])
	c.row1, _ = strconv.Atoi(m[2])
	if m[3] != "" {
		c.col2 = columnNumber(m[3])
	}
	if m[4] != "" {
		c.row2, _ = strconv.Atoi(m[4])
	}
	switch {
	case c.col1 > maxSheetCols || c.col2 > maxSheetCols:
		return c, "names a column past XFD, the last of a sheet"
	case c.row1 > maxSheetRows || c.row2 > maxSheetRows:
		return c, fmt.Sprintf("names a row past %d, the last of a sheet", maxSheetRows)
	case c.col2 > 0 && c.col2 < c.col1:
		return c, "ends in a column before the one it starts in (write the top-left cell first)"
	case c.row2 > 0 && c.row2 < c.row1:
		return c, "ends on a row before the one it starts on (write the top-left cell first)"
	}
	return c, ""
}

// columnNumber reads a column's letters: A is 1, AA 27.
func columnNumber(s string) int {
	n := 0
	for _, r := range strings.ToUpper(s) {
		n = n*26 + int(r-'A'+1)
	}
	return n
}

// keyPath splits a dotted key path; ok is false when a part is empty.
func keyPath(s string) ([]string, bool) {
	parts := strings.Split(s, ".")
	for _, p := range parts {
		if p == "" {
			return nil, false
		}
	}
	return parts, true
}

// compileFormat checks the keys of the dataset's format: an xlsx range, a
// JSON records path and each JSON column's key path.
func (sp *Spec) compileFormat(errs *position.List) {
	ds := sp.ds
	if ds.IsGlob() && sp.format == "geojson" {
		errs.Add(or(ds.Path.Pos, ds.Pos), "dataset %q: a GeoJSON dataset is one file, not a glob (a map draws one set of areas)", ds.Name)
	}
	switch sp.format {
	case "xlsx":
		sp.sheet = ds.Sheet.Value
		if ds.Range.Set {
			var msg string
			if sp.cells, msg = parseRange(ds.Range.Value); msg != "" {
				errs.Add(or(ds.Range.Pos, ds.Pos), "dataset %q: range %q %s", ds.Name, ds.Range.Value, msg)
			}
		}
	case "json", "ndjson":
		if ds.Records.Set {
			var ok bool
			if sp.records, ok = keyPath(ds.Records.Value); !ok {
				errs.Add(or(ds.Records.Pos, ds.Pos), "dataset %q: records %q is not a dotted path of keys, e.g. data.items", ds.Name, ds.Records.Value)
			}
		}
		sp.keys = make([][]string, len(ds.Columns))
		for i, c := range ds.Columns {
			if c.FileName {
				continue
			}
			k, ok := keyPath(c.Header())
			if !ok {
				errs.Add(or(c.FromPos, c.Pos), "dataset %q: column %q: from: %q is not a dotted path of keys, e.g. location.lat", ds.Name, c.Name, c.Header())
			}
			sp.keys[i] = k
		}
	}
}
