package dataset

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/xuri/excelize/v2"

	"galley/runner/internal/analysis"
	"galley/runner/internal/position"
	"galley/runner/internal/suggest"
)

// An xlsx dataset is read with excelize (github.com/xuri/excelize/v2), the
// maintained Go reader of Office Open XML spreadsheets. The file is read
// whole, hashed and checked against its pin, and then those same bytes
// are opened: an xlsx file is a zip archive, whose directory comes at its
// end. excelize inflates the archive's parts in memory, within
// MaxUnzipped (the sum of the sizes the archive declares, which
// archive/zip holds each part to), and the sheet's rows are then read one
// at a time.
//
// Cells are read by their type, through two views excelize gives of each
// row: the raw value (a number as stored, a formula's cached value, 1 or
// 0 for a boolean) and the value as the spreadsheet shows it (its number
// format applied). A number column reads the raw value: an int column
// takes 1292 and 1292.0 and refuses 3.5. A string column takes the text
// shown (a ZIP code formatted 00000 reads 02134). A date column reads text
// in its format, or a date cell: a number the spreadsheet formats (Excel
// stores a date as the days since 1900, or 1904); a plain number, like a
// year, is not taken for a date. An empty cell is null; null markers
// apply to a cell's text ("NA", "#N/A"). Errors name the file, the sheet
// and the cell.

const (
	// MaxSpreadsheet is the most bytes an xlsx file may take, as stored
	// (compressed, for .xlsx.gz): it is read whole, and excelize copies it
	// once more.
	MaxSpreadsheet = 64 << 20
	// MaxUnzipped is the most bytes the parts of an xlsx file may take
	// once inflated: excelize's UnzipSizeLimit, which it checks against
	// the sizes the archive declares before inflating anything (and
	// archive/zip refuses a part longer than declared). UnzipXMLSizeLimit
	// is the same, so that no part is written to a temporary file: a
	// zip bomb is refused before it takes memory, and a workbook is read
	// in at most this much.
	MaxUnzipped = 256 << 20
)

// excelErrors are the error values a formula cell may hold.
var excelErrors = []string{"#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#GETTING_DATA", "#SPILL!", "#CALC!"}

// xlsxSource gives the rows of one sheet.
type xlsxSource struct {
	wb       *excelize.File
	raw, fmt *excelize.Rows
	rel      string
	sheet    string
	cells    cellRange
	width    int // columns read, from cells.col1
	row      int // the row just read
	head     int // the header's row
	date1904 bool
}

func (x *xlsxSource) close() {
	x.raw.Close()
	x.fmt.Close()
	x.wb.Close()
}

func (x *xlsxSource) cellPos(row, col int) position.Pos {
	return position.Pos{File: x.rel, Line: row, Col: col, Sheet: x.sheet}
}

// nextRow reads the next row of the sheet: its raw and shown cells, from
// column 1; ok is false after the last row.
func (x *xlsxSource) nextRow() (raw, shown []string, ok bool, err error) {
	if !x.raw.Next() {
		if err := x.raw.Error(); err != nil {
			return nil, nil, false, position.Errorf(x.cellPos(x.row+1, 0), "the sheet cannot be read (%s)", err)
		}
		return nil, nil, false, nil
	}
	x.fmt.Next()
	x.row++
	if raw, err = x.raw.Columns(excelize.Options{RawCellValue: true}); err == nil {
		shown, err = x.fmt.Columns()
	}
	if err != nil {
		return nil, nil, false, position.Errorf(x.cellPos(x.row, 0), "the sheet cannot be read (%s)", err)
	}
	return raw, shown, true, nil
}

// blank reports whether the cells of the range are all empty.
func (x *xlsxSource) blank(raw []string) bool {
	for i := x.cells.col1 - 1; i < len(raw) && (x.width == 0 || i < x.cells.col1-1+x.width); i++ {
		if raw[i] != "" {
			return false
		}
	}
	return true
}

func openXLSX(sp *Spec, opts Options, loc *located, pin analysis.String, first *Reader) (*Reader, error) {
	ds := sp.ds
	at := or(ds.Path.Pos, ds.Pos)
	if loc.size > MaxSpreadsheet {
		return nil, position.Errorf(at, "dataset %q: %s is %s, over the %s an xlsx file may take (save the sheet as CSV instead)", ds.Name, loc.rel, formatSize(loc.size), formatSize(MaxSpreadsheet))
	}
	f, err := os.Open(loc.full)
	if err != nil {
		return nil, position.Errorf(at, "dataset %q: %s cannot be read (%s)", ds.Name, loc.rel, reason(err))
	}
	b, ok, err := readAllLimit(&progress{r: f, fn: opts.Progress, total: loc.size}, MaxSpreadsheet)
	f.Close()
	switch {
	case err != nil:
		return nil, position.Errorf(at, "dataset %q: %s cannot be read (%s)", ds.Name, loc.rel, reason(err))
	case !ok:
		return nil, position.Errorf(at, "dataset %q: %s grew past %s while it was read", ds.Name, loc.rel, formatSize(MaxSpreadsheet))
	}
	r := newReader(sp, opts, loc, pin)
	r.whole = true
	sum := sha256.Sum256(b)
	if err := r.checkSum(hex.EncodeToString(sum[:])); err != nil {
		return nil, err
	}
	if loc.gzipped() {
		if b, err = inflate(b, MaxSpreadsheet, loc.rel); err != nil {
			return nil, err
		}
	}
	wb, err := openWorkbook(b, loc.rel)
	if err != nil {
		return nil, err
	}
	x := &xlsxSource{wb: wb, rel: loc.rel, cells: sp.cells}
	if err := x.open(r, ds); err != nil {
		wb.Close()
		return nil, err
	}
	r.src = x
	if first != nil {
		if err := r.sameHeader(first, func(i int) position.Pos { return x.cellPos(x.row, x.cells.col1+i) }); err != nil {
			x.close()
			return nil, err
		}
	}
	if err := r.mapColumns(opts.Skip); err != nil {
		x.close()
		return nil, err
	}
	return r, nil
}

// sheetsHint suggests the sheet near name, or lists them.
func sheetsHint(name string, sheets []string) string {
	if hint := suggest.Hint(name, sheets); hint != "" {
		return hint
	}
	q := make([]string, len(sheets))
	for i, s := range sheets {
		q[i] = strconv.Quote(s)
	}
	return " (its sheets: " + strings.Join(q, ", ") + ")"
}

// openWorkbook checks an xlsx file's archive and opens it.
func openWorkbook(b []byte, rel string) (*excelize.File, error) {
	if msg := checkArchive(b); msg != "" {
		return nil, position.Errorf(position.Pos{File: rel}, "%s", msg)
	}
	wb, err := excelize.OpenReader(bytes.NewReader(b), excelize.Options{UnzipSizeLimit: MaxUnzipped, UnzipXMLSizeLimit: MaxUnzipped})
	if err != nil {
		return nil, position.Errorf(position.Pos{File: rel}, "%s", workbookError(err))
	}
	return wb, nil
}

// checkArchive checks an xlsx file's zip archive before excelize opens
// it: excelize takes a part that does not inflate, or whose checksum
// fails, for the bytes it did inflate, and stops reading a sheet at XML
// that is not well formed as if the sheet ended there, which would drop
// rows without a word. So every part is inflated here first, in constant
// memory (the sizes declared within MaxUnzipped, each part's checksum
// checked by archive/zip), and every XML part read through encoding/xml
// to its end. msg says what is wrong, if anything.
func checkArchive(b []byte) (msg string) {
	if bytes.HasPrefix(b, []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")) {
		// An OLE compound file: an encrypted workbook, or an old .xls.
		return "the file is an encrypted workbook or an old .xls file, not an xlsx workbook (open it in a spreadsheet and save an unprotected .xlsx copy)"
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return workbookError(err)
	}
	var total uint64
	for _, f := range zr.File {
		if total += f.UncompressedSize64; total > MaxUnzipped || f.UncompressedSize64 > MaxUnzipped {
			return workbookError(errors.New("unzip size exceeds"))
		}
	}
	for _, f := range zr.File {
		if msg := checkPart(f); msg != "" {
			return msg
		}
	}
	return ""
}

func checkPart(f *zip.File) string {
	rc, err := f.Open()
	if err != nil {
		return fmt.Sprintf("the workbook is corrupt: its part %s cannot be read (%s)", f.Name, err)
	}
	defer rc.Close()
	lower := strings.ToLower(f.Name)
	if strings.HasSuffix(lower, ".xml") || strings.HasSuffix(lower, ".rels") {
		// RawToken, with the elements counted here: Token's namespace
		// work would double the time, and an element left open at the
		// end is all that RawToken does not see.
		d := xml.NewDecoder(rc)
		depth := 0
		for {
			tok, err := d.RawToken()
			switch tok.(type) {
			case xml.StartElement:
				depth++
			case xml.EndElement:
				depth--
			}
			if err == io.EOF && depth > 0 {
				line, _ := d.InputPos()
				err = &xml.SyntaxError{Msg: "unexpected EOF", Line: line}
			}
			if err == io.EOF {
				break
			}
			if err != nil {
				var se *xml.SyntaxError
				if errors.As(err, &se) {
					return fmt.Sprintf("the workbook is corrupt: its part %s is not well-formed XML (line %d: %s)", f.Name, se.Line, se.Msg)
				}
				return fmt.Sprintf("the workbook is corrupt: its part %s does not inflate (%s; fetch it again, then run galley pin)", f.Name, err)
			}
		}
	}
	if _, err := io.Copy(io.Discard, rc); err != nil {
		return fmt.Sprintf("the workbook is corrupt: its part %s does not inflate (%s; fetch it again, then run galley pin)", f.Name, err)
	}
	return ""
}

// workbookError says why excelize could not open a file.
func workbookError(err error) string {
	switch {
	case errors.Is(err, zip.ErrFormat), errors.Is(err, excelize.ErrWorkbookFileFormat):
		return "the file is not an xlsx workbook (is it an older .xls, a CSV or a web page saved under an .xlsx name? open it in a spreadsheet and save it as .xlsx)"
	case errors.Is(err, excelize.ErrWorkbookPassword):
		return "the workbook is protected by a password (save an unprotected copy)"
	case strings.Contains(err.Error(), "unzip size exceeds"):
		return fmt.Sprintf("the workbook unpacks to more than %s, the limit (is it a zip bomb? save the sheet as CSV instead)", formatSize(MaxUnzipped))
	case errors.Is(err, zip.ErrChecksum), errors.Is(err, io.ErrUnexpectedEOF):
		return "the workbook is corrupt: a part of its zip archive does not inflate (fetch it again, then run galley pin)"
	}
	return "the workbook cannot be read (" + err.Error() + ")"
}

// open finds the sheet and its header.
func (x *xlsxSource) open(r *Reader, ds *analysis.Dataset) error {
	wb := x.wb
	sheets := wb.GetSheetList()
	if len(sheets) == 0 {
		return position.Errorf(position.Pos{File: x.rel}, "the workbook has no sheet")
	}
	x.sheet = sheets[0]
	if r.spec.sheet != "" {
		x.sheet = r.spec.sheet
		found := false
		for _, s := range sheets {
			found = found || s == x.sheet
		}
		if !found {
			return position.Errorf(or(ds.Sheet.Pos, ds.Pos), "dataset %q: %s has no sheet %q%s", ds.Name, x.rel, x.sheet, sheetsHint(x.sheet, sheets))
		}
	}
	if props, err := wb.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		x.date1904 = *props.Date1904
	}
	var err error
	if x.raw, err = wb.Rows(x.sheet); err == nil {
		x.fmt, err = wb.Rows(x.sheet)
	}
	if err != nil {
		return position.Errorf(position.Pos{File: x.rel, Sheet: x.sheet}, "the sheet cannot be read (%s)", err)
	}
	if x.cells.col1 == 0 {
		x.cells.col1 = 1
	}
	if x.cells.col2 > 0 {
		x.width = x.cells.col2 - x.cells.col1 + 1
	}
	// The header: the range's first row, or the sheet's first row that
	// holds a cell.
	for {
		raw, shown, ok, err := x.nextRow()
		if err != nil {
			return err
		}
		if !ok {
			what := "the sheet is empty"
			if x.cells.row1 > 0 {
				what = fmt.Sprintf("the sheet ends before row %d, where the range starts", x.cells.row1)
			}
			return position.Errorf(position.Pos{File: x.rel, Sheet: x.sheet}, "%s; a dataset needs a header row naming its columns", what)
		}
		if x.row < x.cells.row1 || (x.cells.row1 == 0 && x.blank(raw)) {
			continue
		}
		if x.width == 0 {
			x.width = max(len(shown)-(x.cells.col1-1), 0)
			if x.width == 0 {
				return position.Errorf(x.cellPos(x.row, x.cells.col1), "the header row has no cell from column %s on; give the table's range, e.g. range: %s%d:F%d", position.ColumnName(x.cells.col1), position.ColumnName(x.cells.col1), x.row, x.row+100)
			}
		}
		r.header = headerCells(shown, x.cells.col1, x.width)
		// A header of several rows (a units row under the names, as
		// statistical tables have): each column's texts joined.
		for n := 1; n < ds.HeaderRows.Value; n++ {
			_, more, ok, err := x.nextRow()
			if err != nil {
				return err
			}
			if !ok {
				return position.Errorf(x.cellPos(x.row, x.cells.col1), "the sheet ends inside the header: header_rows is %d, and the header starts at row %d", ds.HeaderRows.Value, x.row-n+1)
			}
			joinHeaderRow(r.header, more, x.cells.col1)
		}
		r.line = x.row
		x.head = x.row
		return nil
	}
}

func (x *xlsxSource) next(r *Reader) ([]any, error) {
	for {
		if x.cells.row2 > 0 && x.row >= x.cells.row2 {
			return nil, io.EOF
		}
		raw, shown, ok, err := x.nextRow()
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, io.EOF
		}
		if x.blank(raw) {
			continue // a blank row, as a CSV file's blank line
		}
		r.line = x.row
		for i := range r.cols {
			c := &r.cols[i]
			if c.file {
				r.row[i] = r.fileTag
				continue
			}
			k := x.cells.col1 - 1 + c.idx
			var cr, cs string
			if k < len(raw) {
				cr = raw[k]
			}
			if k < len(shown) {
				cs = shown[k]
			}
			v, msg := x.value(c, cr, cs)
			if msg != "" {
				return nil, position.Errorf(x.cellPos(x.row, k+1), "column %q (%s): %s%s", c.col.Name, c.col.Type, msg, x.belowHint(cr))
			}
			if c.skip {
				v = nil
			}
			r.row[i] = v
		}
		return r.row, nil
	}
}

// headerCells is the header in a row as the sheet shows it: width cells
// from column col1 (counted from 1), "" past the row's last cell.
func headerCells(shown []string, col1, width int) []string {
	header := make([]string, width)
	for i := range header {
		if k := col1 - 1 + i; k < len(shown) {
			header[i] = shown[k]
		}
	}
	return header
}

// joinHeaderRow adds to header the texts of a further header row, from
// column col1: a units row under the names ("(thousands)") makes "Total
// cost to society (thousands)".
func joinHeaderRow(header, shown []string, col1 int) {
	for i := range header {
		if k := col1 - 1 + i; k < len(shown) && strings.TrimSpace(shown[k]) != "" {
			header[i] = strings.TrimSpace(strings.TrimSpace(header[i]) + " " + strings.TrimSpace(shown[k]))
		}
	}
}

// belowHint is the end of the message for a cell of the row just read
// that cannot be typed when the row may be a total or a note under the
// table, as government spreadsheets put there: a text cell below rows that
// read. It gives the range that ends above the row.
func (x *xlsxSource) belowHint(raw string) string {
	if x.cells.row2 > 0 || x.row <= x.head+1 || x.width == 0 || strings.HasPrefix(raw, "#") || !strings.ContainsFunc(raw, unicode.IsLetter) {
		return ""
	}
	return fmt.Sprintf(" (if row %d is a total or a note below the table, end the range above it: range: %s%d:%s%d)",
		x.row, position.ColumnName(x.cells.col1), x.head, position.ColumnName(x.cells.col1+x.width-1), x.row-1)
}

// value reads one cell, raw as stored and shown as the sheet shows it, as
// column c's type; msg says why it cannot.
func (x *xlsxSource) value(c *colReader, raw, shown string) (any, string) {
	col := c.col
	if raw == "" && shown == "" {
		if col.Required {
			return nil, "the column is required, but the cell is empty"
		}
		return nil, ""
	}
	s := strings.TrimSpace(raw)
	for _, m := range c.nulls {
		if m != "" && (raw == m || s == m || shown == m) {
			if col.Required {
				return nil, fmt.Sprintf("the column is required, but the cell is %q, a null marker", raw)
			}
			return nil, ""
		}
	}
	switch col.Type {
	case analysis.TypeString:
		if shown == "" {
			return raw, ""
		}
		return shown, ""
	case analysis.TypeInt:
		if n, ok := parseInt([]byte(s)); ok {
			return n, ""
		}
		if validFloat([]byte(s)) {
			return jsonInt(s) // 1292.0, 1.292E3
		}
	case analysis.TypeFloat:
		if f, ok := parseFloat(s); ok {
			return f, ""
		}
	case analysis.TypeBool:
		if b, ok := parseBool(s); ok {
			return b, ""
		}
	case analysis.TypeDate:
		if t, err := parseDate(col.Layout, s); err == nil {
			return t, ""
		}
		if t, err := parseDate(col.Layout, strings.TrimSpace(shown)); err == nil {
			return t, ""
		}
		if f, ok := parseFloat(s); ok {
			if shown == raw {
				return nil, fmt.Sprintf("the cell is the number %s, not a date (a date cell is a number the sheet formats as a date; for a year, declare the column int)", s)
			}
			return x.serialDate(f)
		}
	}
	for _, e := range excelErrors {
		if s == e {
			return nil, fmt.Sprintf("the cell holds the spreadsheet error %s (if it marks a missing value, add %q to the null markers)", e, e)
		}
	}
	return nil, cellError(col, raw, s)
}

// lastSerial is 9999-12-31, the last date a spreadsheet holds.
const lastSerial = 2958465

// serialDate reads a date cell: days since the workbook's epoch (a time
// of day, the fraction, is dropped).
func (x *xlsxSource) serialDate(f float64) (any, string) {
	if f < 0 || f >= lastSerial+1 {
		return nil, fmt.Sprintf("the date cell holds %v, outside the dates a spreadsheet holds", f)
	}
	t, err := excelize.ExcelDateToTime(math.Floor(f), x.date1904)
	if err != nil {
		return nil, fmt.Sprintf("the date cell holds %v, which is not a date (%s)", f, err)
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), ""
}
