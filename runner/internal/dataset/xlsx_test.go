package dataset

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"galley/runner/internal/analysis"
)

// sheetCells are the cells of a sheet the tests write: cell name to value
// (a value, or formula{...}); dates get a date format.
type sheetCells map[string]any

type formula struct {
	f      string
	cached any
}

// buildXLSX writes a workbook of the sheets, in order, and returns its
// bytes.
func buildXLSX(t testing.TB, sheets []string, cells map[string]sheetCells) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		t.Fatal(err)
	}
	thousands, _ := f.NewStyle(&excelize.Style{NumFmt: 3})
	for i, name := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		for cell, v := range cells[name] {
			switch x := v.(type) {
			case formula:
				f.SetCellValue(name, cell, x.cached)
				f.SetCellFormula(name, cell, x.f)
			case time.Time:
				f.SetCellValue(name, cell, x)
				f.SetCellStyle(name, cell, cell, dateStyle)
			case thousandsNumber:
				f.SetCellValue(name, cell, int(x))
				f.SetCellStyle(name, cell, cell, thousands)
			default:
				if err := f.SetCellValue(name, cell, v); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

type thousandsNumber int

// budget is a government spreadsheet: a sheet of notes first, then the
// table under a title and a source line, a blank row and a footnote
// after it.
func budget(t testing.TB, edit func(sheetCells)) []byte {
	table := sheetCells{
		"A1": "City budget 2024", "A2": "Source: the city's finance office",
		"A4": "department", "B4": "adopted", "C4": "fiscal_year", "D4": "approved", "E4": "final", "F4": "code", "G4": "opened",
		"A5": "Parks", "B5": 1292.5, "C5": 2024.0, "D5": time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC), "E5": true, "F5": thousandsNumber(1234567), "G5": "05/03/2024",
		"A6": "Roads", "B6": formula{"B5*2", 2585.0}, "C6": 2024, "D6": nil, "E6": false, "F6": "NA", "G6": "06/03/2024",
		"A7": "Library", "B7": "NA", "C7": formula{"C6", 2025}, "D7": time.Date(2025, 1, 31, 0, 0, 0, 0, time.UTC), "E7": "TRUE", "F7": 7, "G7": nil,
		"A9": "Figures in thousands of dollars.",
	}
	if edit != nil {
		edit(table)
	}
	return buildXLSX(t, []string{"Notes", "Table 3"}, map[string]sheetCells{
		"Notes":   {"A1": "About this file", "A2": "Prepared for the council."},
		"Table 3": table,
	})
}

func xlsxDataset(path string, data []byte, cols ...*analysis.Column) *analysis.Dataset {
	ds := newDataset(string(data), cols...)
	ds.Path.Value = path
	ds.Sheet = analysis.String{Value: "Table 3", Pos: at(6, 12), Set: true}
	ds.Range = analysis.String{Value: "A4:G8", Pos: at(7, 12), Set: true}
	ds.NullSet, ds.Null = true, []analysis.String{{Value: "NA"}}
	return ds
}

func budgetColumns() []*analysis.Column {
	return []*analysis.Column{str("department"), col("adopted", analysis.TypeFloat), col("fiscal_year", analysis.TypeInt),
		col("approved", analysis.TypeDate), col("final", analysis.TypeBool), str("code"),
		{Name: "opened", Type: analysis.TypeDate, Layout: "02/01/2006"}}
}

func TestXLSXRows(t *testing.T) {
	data := budget(t, nil)
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }
	want := [][]any{
		{"Parks", 1292.5, 2024, d(2024, 3, 5), true, "1,234,567", d(2024, 3, 5)},
		{"Roads", 2585.0, 2024, nil, false, nil, d(2024, 3, 6)},
		{"Library", nil, 2025, d(2025, 1, 31), true, "7", nil},
	}
	for _, c := range []struct {
		name, path string
		data       []byte
	}{
		{"xlsx", "datasets/city/budget-2024.xlsx", data},
		{"xlsx gzip", "datasets/city/budget-2024.xlsx.gz", []byte(gzipped(string(data)))},
	} {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			writeFile(t, root, c.path, string(c.data))
			ds := xlsxDataset(c.path, c.data, budgetColumns()...)
			rows, lines, err := readAll(ds, Options{Root: root})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(rows, want) || !reflect.DeepEqual(lines, []int{5, 6, 7}) {
				t.Errorf("rows %v\nwant %v\nat lines %v", rows, want, lines)
			}
		})
	}
	// Without a range, the sheet's first row that holds a cell is the
	// header; A5:G, to the last row, reads the footnote.
	root := t.TempDir()
	writeFile(t, root, "datasets/b.xlsx", string(data))
	ds := xlsxDataset("datasets/b.xlsx", data, str("x"))
	ds.Range = analysis.String{}
	_, _, err := readAll(ds, Options{Root: root})
	if want := `analyses/a.yaml:10:7: dataset "estimates": column "x" is not in the header of datasets/b.xlsx (the header has "City budget 2024")`; err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
	ds = xlsxDataset("datasets/b.xlsx", data, budgetColumns()...)
	ds.Range.Value = "A4:G"
	rows, lines, err := readAll(ds, Options{Root: root})
	if err != nil {
		t.Fatal(err)
	}
	footnote := []any{"Figures in thousands of dollars.", nil, nil, nil, nil, nil, nil}
	if len(rows) != 4 || !reflect.DeepEqual(rows[3], footnote) || lines[3] != 9 {
		t.Errorf("A4:G: rows %v at lines %v; want the footnote, a row of its own, counted", rows, lines)
	}
}

func TestXLSXErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		edit func(sheetCells)
		ds   func(*analysis.Dataset)
		cols []*analysis.Column
		want string
	}{
		{"3.5 in an int column", func(s sheetCells) { s["C6"] = 3.5 }, nil, budgetColumns(),
			`datasets/city/budget-2024.xlsx: sheet "Table 3" C6: column "fiscal_year" (int): the number 3.5 is not an integer (declare the column as float)`},
		{"text in a number column", func(s sheetCells) { s["B7"] = "n/a" }, nil, budgetColumns(),
			`datasets/city/budget-2024.xlsx: sheet "Table 3" B7: column "adopted" (float): cannot read "n/a" as a number`},
		{"a total below the table", func(s sheetCells) { s["B8"] = "Total" }, func(ds *analysis.Dataset) { ds.Range.Value = "A4:G" }, budgetColumns(),
			`datasets/city/budget-2024.xlsx: sheet "Table 3" B8: column "adopted" (float): cannot read "Total" as a number (if row 8 is a total or a note below the table, end the range above it: range: A4:G7)`},
		{"a spreadsheet error", func(s sheetCells) { s["B7"] = "#DIV/0!" }, nil, budgetColumns(),
			`datasets/city/budget-2024.xlsx: sheet "Table 3" B7: column "adopted" (float): the cell holds the spreadsheet error #DIV/0! (if it marks a missing value, add "#DIV/0!" to the null markers)`},
		{"a plain number in a date column", func(s sheetCells) { s["D6"] = 2017 }, nil, budgetColumns(),
			`datasets/city/budget-2024.xlsx: sheet "Table 3" D6: column "approved" (date): the cell is the number 2017, not a date (a date cell is a number the sheet formats as a date; for a year, declare the column int)`},
		{"text not in the date's format", func(s sheetCells) { s["G6"] = "2024-03-06" }, nil, budgetColumns(),
			`datasets/city/budget-2024.xlsx: sheet "Table 3" G6: column "opened" (date): cannot read "2024-03-06" as a date in the form "02/01/2006"`},
		{"required", nil, nil, []*analysis.Column{{Name: "approved", Type: analysis.TypeDate, Required: true}},
			`datasets/city/budget-2024.xlsx: sheet "Table 3" D6: column "approved" (date): the column is required, but the cell is empty`},
		{"no such sheet", nil, func(ds *analysis.Dataset) { ds.Sheet.Value = "Table 2" }, budgetColumns(),
			`analyses/a.yaml:6:12: dataset "estimates": datasets/city/budget-2024.xlsx has no sheet "Table 2" (did you mean "Table 3"?)`},
		{"a range past the sheet", nil, func(ds *analysis.Dataset) { ds.Range.Value = "A40:G50" }, budgetColumns(),
			`datasets/city/budget-2024.xlsx: sheet "Table 3": the sheet ends before row 40, where the range starts; a dataset needs a header row naming its columns`},
		{"a column not in the header", nil, nil, []*analysis.Column{str("departement")},
			`analyses/a.yaml:10:7: dataset "estimates": column "departement" is not in the header of datasets/city/budget-2024.xlsx (did you mean "department"?)`},
	} {
		t.Run(c.name, func(t *testing.T) {
			data := budget(t, c.edit)
			root := t.TempDir()
			path := "datasets/city/budget-2024.xlsx"
			writeFile(t, root, path, string(data))
			ds := xlsxDataset(path, data, c.cols...)
			if c.ds != nil {
				c.ds(ds)
			}
			_, _, err := readAll(ds, Options{Root: root})
			if err == nil || err.Error() != c.want {
				t.Errorf("got  %v\nwant %s", err, c.want)
			}
			ds.SHA256.Value = sum("other")
			if _, _, err = readAll(ds, Options{Root: root}); err == nil || !strings.Contains(err.Error(), "does not match its pin") {
				t.Errorf("with a wrong pin: %v", err)
			}
		})
	}
}

// cutSheet is an xlsx whose sheet's XML is cut in the middle, stored
// with a checksum that matches: excelize would read the rows before the
// cut and stop there without a word.
func cutSheet(t *testing.T) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	good := budget(t, nil)
	zr, _ := zip.NewReader(bytes.NewReader(good), int64(len(good)))
	for _, f := range zr.File {
		if f.Name != "xl/worksheets/sheet2.xml" {
			zw.Copy(f)
			continue
		}
		rc, _ := f.Open()
		var xml bytes.Buffer
		xml.ReadFrom(rc)
		w, _ := zw.Create(f.Name)
		w.Write(xml.Bytes()[:xml.Len()*2/3])
	}
	zw.Close()
	return b.Bytes()
}

// zipBomb is an xlsx whose sheet declares size bytes once inflated, and
// holds n zero bytes, deflated.
func zipBomb(t *testing.T, size uint64, n int) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	good := budget(t, nil)
	zr, err := zip.NewReader(bytes.NewReader(good), int64(len(good)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == "xl/worksheets/sheet2.xml" {
			var z bytes.Buffer
			fw, _ := flate.NewWriter(&z, flate.BestCompression)
			fw.Write(make([]byte, n))
			fw.Close()
			w, err := zw.CreateRaw(&zip.FileHeader{Name: f.Name, Method: zip.Deflate, UncompressedSize64: size, CompressedSize64: uint64(z.Len())})
			if err != nil {
				t.Fatal(err)
			}
			w.Write(z.Bytes())
			continue
		}
		if err := zw.Copy(f); err != nil {
			t.Fatal(err)
		}
	}
	zw.Close()
	return b.Bytes()
}

func TestXLSXBadFiles(t *testing.T) {
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"not a workbook", []byte("department,adopted\nParks,1\n"),
			`datasets/b.xlsx: the file is not an xlsx workbook (is it an older .xls, a CSV or a web page saved under an .xlsx name? open it in a spreadsheet and save it as .xlsx)`},
		{"cut short", budget(t, nil)[:3000],
			`datasets/b.xlsx: the file is not an xlsx workbook (is it an older .xls, a CSV or a web page saved under an .xlsx name? open it in a spreadsheet and save it as .xlsx)`},
		{"an encrypted workbook or an .xls", append([]byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), make([]byte, 512)...),
			`datasets/b.xlsx: the file is an encrypted workbook or an old .xls file, not an xlsx workbook (open it in a spreadsheet and save an unprotected .xlsx copy)`},
		{"XML cut short", cutSheet(t),
			`datasets/b.xlsx: the workbook is corrupt: its part xl/worksheets/sheet2.xml is not well-formed XML (line 2: unexpected EOF)`},
		{"a zip bomb", zipBomb(t, 1<<40, 1<<20),
			`datasets/b.xlsx: the workbook unpacks to more than 256 MiB, the limit (is it a zip bomb? save the sheet as CSV instead)`},
		{"a part longer than it says", zipBomb(t, 100, 8<<20),
			`datasets/b.xlsx: the workbook is corrupt: its part xl/worksheets/sheet2.xml does not inflate (zip: not a valid zip file; fetch it again, then run galley pin)`},
	} {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			writeFile(t, root, "datasets/b.xlsx", string(c.data))
			ds := xlsxDataset("datasets/b.xlsx", c.data, budgetColumns()...)
			_, _, err := readAll(ds, Options{Root: root})
			if err == nil || err.Error() != c.want {
				t.Errorf("got  %v\nwant %s", err, c.want)
			}
		})
	}
}

// TestXLSXTooLarge: a workbook over MaxSpreadsheet is refused before a
// byte of it is read (a sparse file: its size alone is large).
func TestXLSXTooLarge(t *testing.T) {
	root := t.TempDir()
	data := budget(t, nil)
	writeFile(t, root, "datasets/b.xlsx", string(data))
	if err := os.Truncate(filepath.Join(root, "datasets/b.xlsx"), MaxSpreadsheet+1); err != nil {
		t.Fatal(err)
	}
	ds := xlsxDataset("datasets/b.xlsx", data, budgetColumns()...)
	_, _, err := readAll(ds, Options{Root: root})
	want := `analyses/a.yaml:4:11: dataset "estimates": datasets/b.xlsx is 67108865 bytes, over the 64 MiB an xlsx file may take (save the sheet as CSV instead)`
	if err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
}

// reoffending is laid out as statistical tables are: a title and a
// subtitle, the header with a units row under it, a group's label on its
// first row only, blank rows between groups, and a column with no header.
func reoffending(t testing.TB) []byte {
	return buildXLSX(t, []string{"Table 1"}, map[string]sheetCells{"Table 1": {
		"A1": "The cost of reoffending", "A2": "England and Wales, 2016 cohort",
		"A4": "Reoffence group", "B4": "Age", "C4": "Total cost",
		"C5": "(thousands)",
		"A6": "Drug offences", "B6": "Adults", "C6": 35000.0, "D6": 35015818.42,
		"B7": "Children", "C7": 5400.0, "D7": 5358346.9,
		"A9": "Robbery", "B9": "Adults", "C9": 968100.0, "D9": 968126744.36,
	}})
}

func TestXLSXHeaderRows(t *testing.T) {
	data := reoffending(t)
	root := t.TempDir()
	writeFile(t, root, "datasets/r.xlsx", string(data))
	ds := xlsxDataset("datasets/r.xlsx", data, str("group"), str("age"), col("cost", analysis.TypeFloat), col("raw", analysis.TypeFloat))
	ds.Columns[0].From = "Reoffence group"
	ds.Columns[1].From = "Age"
	ds.Columns[2].From = "Total cost (thousands)"
	ds.Columns[3].FromIdx = 4
	ds.Sheet.Value = "Table 1"
	ds.Range.Value = "A4:D"
	ds.HeaderRows = analysis.Int{Value: 2, Set: true}
	rows, lines, err := readAll(ds, Options{Root: root})
	if err != nil {
		t.Fatal(err)
	}
	want := [][]any{
		{"Drug offences", "Adults", 35000.0, 35015818.42},
		{nil, "Children", 5400.0, 5358346.9},
		{"Robbery", "Adults", 968100.0, 968126744.36},
	}
	if !reflect.DeepEqual(rows, want) || !reflect.DeepEqual(lines, []int{6, 7, 9}) {
		t.Errorf("rows %v at lines %v\nwant %v at 6, 7, 9", rows, lines, want)
	}

	// With one header row, the units row is read as data, and says so.
	ds.HeaderRows = analysis.Int{}
	ds.Columns[2].From = "Total cost"
	_, _, err = readAll(ds, Options{Root: root})
	if want := `datasets/r.xlsx: sheet "Table 1" C5: column "cost" (float): cannot read "(thousands)" as a number`; err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}

	// galley init finds the header under the title, and the units row.
	inf, err := InferSheet("datasets/r.xlsx", root, "Table 1")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range inf.Columns {
		names = append(names, header(&c))
	}
	if inf.Range != "A4:D" || inf.HeaderRows != 2 || inf.Rows != 3 || strings.Join(names, "|") != "Reoffence group|Age|Total cost (thousands)|col_4" {
		t.Errorf("init: range %q, header rows %d, %d rows, columns %q", inf.Range, inf.HeaderRows, inf.Rows, names)
	}
}
