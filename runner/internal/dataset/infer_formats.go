package dataset

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"galley/runner/internal/analysis"
	"galley/runner/internal/geo"
	"galley/runner/internal/position"
)

// galley init on files that are not plain CSV: a gzipped CSV file, an
// xlsx sheet, JSON and NDJSON records, a GeoJSON file's properties. The
// file is read once, hashed as it is read, and a column proposed for
// every header cell, key path or property, typed by what it holds.

func formatNoun(format string) string {
	switch format {
	case "xlsx":
		return "an xlsx"
	case "json":
		return "a JSON"
	case "ndjson":
		return "an NDJSON"
	case "geojson":
		return "a GeoJSON"
	}
	return "a CSV"
}

func inferOther(loc *located, format string, gz, tab bool, skipRows int, sheet string) (*Inferred, error) {
	path := loc.rel
	f, err := os.Open(loc.full)
	if err != nil {
		return nil, position.Errorf(position.Pos{File: path}, "cannot be read (%s)", reason(err))
	}
	defer f.Close()
	switch format {
	case "csv":
		return inferGzipCSV(loc, f, tab, skipRows)
	case "json", "ndjson":
		if sheet != "" {
			return nil, position.Errorf(position.Pos{File: path}, "-sheet applies to xlsx files; %s is %s file", path, formatNoun(format))
		}
		return inferJSON(loc, f, format, gz)
	}
	b, ok, err := readAllLimit(f, MaxSpreadsheet)
	if err != nil || !ok {
		return nil, position.Errorf(position.Pos{File: path}, "cannot be read whole (%s is the most galley init reads of %s file)", formatSize(MaxSpreadsheet), formatNoun(format))
	}
	sum := sha256.Sum256(b)
	inf := &Inferred{Path: path, SHA256: hex.EncodeToString(sum[:]), Encoding: "utf-8", Format: format, Null: []string{""}}
	if gz {
		if b, err = inflate(b, MaxSpreadsheet, path); err != nil {
			return nil, err
		}
	}
	if format == "xlsx" {
		return inf, inferXLSX(inf, b, sheet)
	}
	if sheet != "" {
		return nil, position.Errorf(position.Pos{File: path}, "-sheet applies to xlsx files; %s is %s file", path, formatNoun(format))
	}
	// Each feature's values are counted as it is read, and not kept.
	st := newKeyStats()
	c, err := geo.Read(path, b, geo.Options{MaxNames: MaxColumns, Feature: func(ft *geo.Feature) {
		for _, p := range ft.Props {
			switch v := p.Value.(type) {
			case geo.Number:
				st.add(p.Name, json.Number(v))
			case geo.Composite:
				st.add(p.Name, json.Delim(v[0]))
			default:
				st.add(p.Name, v)
			}
		}
	}})
	if err != nil {
		return nil, err
	}
	inf.Rows = len(c.Features)
	st.columns(inf)
	return inf, nil
}

// inferGzipCSV proposes a declaration for a gzipped CSV file: UTF-8 (the
// text is not sniffed for another encoding), the delimiter of its first
// lines.
func inferGzipCSV(loc *located, f *os.File, tab bool, skipRows int) (*Inferred, error) {
	path := loc.rel
	head := make([]byte, sampleSize)
	n, _ := io.ReadFull(newGunzip(f), head)
	comma := sniffDelimiter(head[:n], true)
	if tab {
		comma = '\t'
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, position.Errorf(position.Pos{File: path}, "cannot be read (%s)", reason(err))
	}
	ds := &analysis.Dataset{Name: path, Path: analysis.String{Value: path, Set: true}, NullSet: true,
		SkipRows: analysis.Int{Value: skipRows, Set: skipRows > 0}}
	tee := newTeePass(f)
	sp := &Spec{ds: ds, enc: "utf-8", comma: comma, skipRows: skipRows}
	r := &Reader{ds: ds, spec: sp, rel: path}
	if err := r.begin(newGunzip(tee), "utf-8", comma); err != nil {
		return nil, err
	}
	stats, err := cellStats(r)
	if err != nil {
		return nil, err
	}
	sum, err := tee.sum()
	if err != nil {
		return nil, position.Errorf(position.Pos{File: path}, "cannot be read (%s)", reason(err))
	}
	inf := &Inferred{Path: path, SHA256: sum, Encoding: "utf-8", Delimiter: string(comma), SkipRows: skipRows, Format: "csv", Rows: r.RowsRead()}
	inferColumns(inf, r.header, stats)
	return inf, nil
}

// inferXLSX proposes the first sheet: its header is the row, among the
// first 50, with the most cells; the range starts there when that is not
// A1.
func inferXLSX(inf *Inferred, b []byte, sheet string) error {
	path := inf.Path
	wb, err := openWorkbook(b, path)
	if err != nil {
		return err
	}
	defer wb.Close()
	sheets := wb.GetSheetList()
	if len(sheets) == 0 {
		return position.Errorf(position.Pos{File: path}, "the workbook has no sheet")
	}
	x := &xlsxSource{wb: wb, rel: path, sheet: sheets[0], cells: cellRange{col1: 1}}
	if sheet != "" {
		if !slices.Contains(sheets, sheet) {
			return position.Errorf(position.Pos{File: path}, "the workbook has no sheet %q%s", sheet, sheetsHint(sheet, sheets))
		}
		x.sheet = sheet
	}
	inf.Sheet, inf.Sheets = x.sheet, sheets
	if props, err := wb.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		x.date1904 = *props.Date1904
	}
	if x.raw, err = wb.Rows(x.sheet); err == nil {
		x.fmt, err = wb.Rows(x.sheet)
	}
	if err != nil {
		return position.Errorf(position.Pos{File: path, Sheet: x.sheet}, "the sheet cannot be read (%s)", err)
	}
	defer x.raw.Close()
	defer x.fmt.Close()
	// The header: the widest of the first rows; then every row after it.
	type row struct {
		n          int
		raw, shown []string
	}
	var first []row
	for len(first) < 50 {
		raw, shown, ok, err := x.nextRow()
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		first = append(first, row{x.row, raw, shown})
	}
	// The table: the widest of the first rows. Its header: the first row
	// at or above it whose cells are all text and at least half as many
	// (a title or a note above has fewer), with the columns of the widest
	// row; a row of text under it with fewer cells (units: "(thousands)")
	// is a second header row.
	cells := func(r row) (n, lo, last int, text bool) {
		text = true
		for k, c := range r.shown {
			if c == "" {
				continue
			}
			if n == 0 {
				lo = k + 1
			}
			n, last = n+1, k+1
			if k < len(r.raw) && isNumber(r.raw[k]) {
				text = false
			}
		}
		return n, lo, last, text
	}
	hi, width, col1, last := -1, 0, 1, 0
	for i, r := range first {
		if n, lo, end, _ := cells(r); n > width {
			hi, width, col1, last = i, n, lo, end
		}
	}
	if hi < 0 {
		return position.Errorf(position.Pos{File: path, Sheet: x.sheet}, "the sheet is empty")
	}
	for i := range hi {
		if n, lo, _, text := cells(first[i]); text && n >= 2 && 2*n >= width {
			hi, col1 = i, min(lo, col1)
			break
		}
	}
	header := headerCells(first[hi].shown, col1, last-col1+1)
	if hi+2 < len(first) {
		n, _, _, text := cells(first[hi+1])
		hn, _, _, _ := cells(first[hi])
		if _, _, _, nextText := cells(first[hi+2]); n > 0 && n < hn && text && !nextText {
			joinHeaderRow(header, first[hi+1].shown, col1)
			inf.HeaderRows = 2
		}
	}
	if hi > 0 || col1 > 1 {
		inf.Range = fmt.Sprintf("%s%d:%s", position.ColumnName(col1), first[hi].n, position.ColumnName(col1+len(header)-1))
	}
	if inf.HeaderRows > 1 {
		hi++ // the data starts under the second header row
	}
	stats := make([]colStat, len(header))
	for i := range stats {
		stats[i] = newColStat()
	}
	add := func(raw, shown []string) {
		blank := true
		for k := col1 - 1; k < len(raw) && k < col1-1+len(header); k++ {
			blank = blank && raw[k] == ""
		}
		if blank {
			return
		}
		inf.Rows++
		for i := range stats {
			k := col1 - 1 + i
			var r, s string
			if k < len(raw) {
				r, s = raw[k], shown[min(k, len(shown)-1)]
			}
			stats[i].add([]byte(x.typedText(r, s)))
		}
	}
	for _, r := range first[hi+1:] {
		add(r.raw, r.shown)
	}
	for {
		raw, shown, ok, err := x.nextRow()
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		add(raw, shown)
	}
	inferColumns(inf, header, stats)
	return nil
}

// typedText is a cell as galley init weighs it: a date cell (a number the
// sheet formats as a date) as its date, a number as stored, text as shown.
func (x *xlsxSource) typedText(raw, shown string) string {
	f, isNum := parseFloat(strings.TrimSpace(raw))
	switch {
	case !isNum, (raw == "1" || raw == "0") && (shown == "TRUE" || shown == "FALSE"): // text, a boolean cell
		return shown
	case shown != raw && strings.ContainsAny(shown, "-/") && f >= 1 && f < lastSerial:
		if t, msg := x.serialDate(f); msg == "" {
			return t.(time.Time).Format(defaultLayout)
		}
	}
	return raw
}

// keyStats gathers what each key path of a JSON dataset holds, in the
// order first seen.
type keyStats struct {
	order []string
	by    map[string]*keyStat
}

type keyStat struct {
	present, nulls, ints, floats, bools, texts, nested int
	text                                               colStat
}

func newKeyStats() *keyStats { return &keyStats{by: map[string]*keyStat{}} }

func (ks *keyStats) add(path string, tok json.Token) {
	st := ks.by[path]
	if st == nil {
		if len(ks.order) >= MaxColumns {
			return
		}
		st = &keyStat{text: newColStat()}
		ks.by[path] = st
		ks.order = append(ks.order, path)
	}
	st.present++
	switch v := tok.(type) {
	case nil:
		st.nulls++
	case bool:
		st.bools++
	case json.Number:
		if _, msg := jsonInt(string(v)); msg == "" {
			st.ints++
		} else {
			st.floats++
		}
	case string:
		st.texts++
		st.text.add([]byte(v))
	case json.Delim:
		st.nested++
	}
}

// parent reports whether path is an object in some record: a key path
// under it was seen.
func (ks *keyStats) parent(path string) bool {
	for _, p := range ks.order {
		if strings.HasPrefix(p, path+".") {
			return true
		}
	}
	return false
}

// columns proposes a column for each key path holding single values.
func (ks *keyStats) columns(inf *Inferred) {
	names := newNamer()
	for i, path := range ks.order {
		st := ks.by[path]
		if st.nested > 0 {
			inf.Skipped = append(inf.Skipped, path)
			continue
		}
		if st.nulls == st.present && ks.parent(path) {
			continue // null where other records have an object: its keys are columns
		}
		col := InferredColumn{Name: names.name(path, i), Type: analysis.TypeString}
		if col.Name != path {
			col.From = path
		}
		col.Nulls = st.nulls + (inf.Rows - st.present)
		kinds := 0
		for _, n := range []int{st.ints + st.floats, st.bools, st.texts} {
			if n > 0 {
				kinds++
			}
		}
		switch {
		case kinds > 1:
			col.Note = "values of several kinds (text, numbers, true/false): check this column"
		case st.floats > 0:
			col.Type = analysis.TypeFloat
		case st.ints > 0:
			col.Type = analysis.TypeInt
		case st.bools > 0:
			col.Type = analysis.TypeBool
		case st.texts > 0:
			if t, layout := st.text.kind(); t == analysis.TypeDate {
				col.Type, col.Layout = t, layout
			}
		}
		inf.Columns = append(inf.Columns, col)
	}
}

// inferJSON reads the records of a JSON or NDJSON file: every key path
// (nested objects joined with dots) is a column. In a JSON file whose top
// is an object, the records are the first array found inside it.
func inferJSON(loc *located, f *os.File, format string, gz bool) (*Inferred, error) {
	path := loc.rel
	tee := newTeePass(f)
	var src io.Reader = tee
	if gz {
		src = newGunzip(tee)
	}
	j := &jsonSource{rel: path, ndjson: format == "ndjson", in: &jsonInput{src: src, max: MaxRecord, line: 1}}
	j.dec = json.NewDecoder(j.in)
	j.dec.UseNumber()
	inf := &Inferred{Path: path, Encoding: "utf-8", Format: format, Null: []string{""}}
	st := newKeyStats()
	var records []string
	if format == "json" {
		tok, off, err := j.token()
		if err != nil {
			return nil, err
		}
		switch tok {
		case json.Delim('['):
		case json.Delim('{'):
			path, ok, err := j.findArray(nil)
			if err != nil {
				return nil, err
			}
			if !ok {
				return nil, j.errorAt(off, "no array of records found in the file's objects (name it with records: in the dataset)")
			}
			records, j.closes = path, len(path)
		default:
			return nil, j.errorAt(off, "the file holds %s, not an array of records", tokenNoun(tok))
		}
	}
	for {
		j.in.markAt(j.dec.InputOffset())
		tok, off, err := j.tokenOrEOF()
		if err == io.EOF && j.ndjson {
			break
		}
		if err == io.EOF {
			err = j.readErr(err, off)
		}
		if err != nil {
			return nil, err
		}
		if !j.ndjson && tok == json.Delim(']') {
			if err := j.finishArray(); err != nil {
				return nil, err
			}
			break
		}
		j.n++
		if tok != json.Delim('{') {
			return nil, j.errorAt(off, "record %d is %s, not an object (each record is an object of keys and values)", j.n, tokenNoun(tok))
		}
		inf.Rows++
		if err := j.flatten(st, ""); err != nil {
			return nil, err
		}
	}
	sum, err := tee.sum()
	if err != nil {
		return nil, position.Errorf(position.Pos{File: path}, "cannot be read (%s)", reason(err))
	}
	inf.SHA256 = sum
	inf.Records = strings.Join(records, ".")
	st.columns(inf)
	return inf, nil
}

// findArray reads the rest of an object, down to the first array in it
// or in an object inside it (three levels at most), and returns the keys
// leading there; ok is false when there is none.
func (j *jsonSource) findArray(prefix []string) (path []string, ok bool, err error) {
	for {
		kt, _, err := j.token()
		if err != nil || kt == json.Delim('}') {
			return nil, false, err
		}
		key := append(prefix[:len(prefix):len(prefix)], kt.(string))
		tok, _, err := j.token()
		if err != nil {
			return nil, false, err
		}
		switch {
		case tok == json.Delim('['):
			return key, true, nil
		case tok == json.Delim('{') && len(key) < 3:
			if path, ok, err := j.findArray(key); err != nil || ok {
				return path, ok, err
			}
		case tok == json.Delim('{'):
			if err := j.skipRest(); err != nil {
				return nil, false, err
			}
		}
	}
}

// flatten reads the rest of an object, adding each value at its dotted
// path.
func (j *jsonSource) flatten(st *keyStats, prefix string) error {
	for {
		kt, _, err := j.token()
		if err != nil {
			return err
		}
		if kt == json.Delim('}') {
			return nil
		}
		key := prefix + kt.(string)
		tok, _, err := j.token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'):
			if err := j.flatten(st, key+"."); err != nil {
				return err
			}
		case json.Delim('['):
			st.add(key, tok)
			if err := j.skipRest(); err != nil {
				return err
			}
		default:
			st.add(key, tok)
		}
	}
}

// isNumber reports whether a cell as stored is a number.
func isNumber(raw string) bool {
	_, err := strconv.ParseFloat(strings.TrimSpace(raw), 64)
	return err == nil
}
