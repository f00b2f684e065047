package dataset

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"galley/runner/internal/analysis"
)

// fuzzRecords makes records from the fuzzer's values: a text, an int, a
// float, a bool and a day, varied row by row, and a nested object.
func fuzzRecords(n uint8, s string, i int64, x float64, b bool) []map[string]any {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		x = 0
	}
	s = strings.ToValidUTF8(s, "?")
	var out []map[string]any
	for k := 0; k < int(n%7)+1; k++ {
		day := time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(uint64(i+int64(k))%40000))
		out = append(out, map[string]any{
			"text": s + strings.Repeat("é", k), "n": i/2 + int64(k), "x": x * float64(k+1), "ok": b != (k%2 == 1),
			"day": day, "where": map[string]any{"name": fmt.Sprint(k, s)},
		})
	}
	return out
}

func fuzzColumns() []*analysis.Column {
	return []*analysis.Column{str("text"), col("n", analysis.TypeInt), col("x", analysis.TypeFloat), col("ok", analysis.TypeBool),
		col("day", analysis.TypeDate), from("name", analysis.TypeString, "where.name")}
}

func wantRow(r map[string]any) []any {
	return []any{r["text"], int(r["n"].(int64)), r["x"], r["ok"], r["day"], r["where"].(map[string]any)["name"]}
}

// FuzzJSON writes generated records with encoding/json, as a JSON array
// under a key or as NDJSON, and checks that they read back the same.
func FuzzJSON(f *testing.F) {
	f.Add(uint8(3), "Mosul", int64(12), 1.5, true, false)
	f.Add(uint8(1), "\"quoted\" \\ \u2028 \x00 \t", int64(-1<<62), math.Copysign(0, -1), false, true)
	f.Add(uint8(6), "", int64(0), 1e300, true, true)
	f.Fuzz(func(t *testing.T, n uint8, s string, i int64, x float64, b bool, ndjson bool) {
		records := fuzzRecords(n, s, i, x, b)
		var buf bytes.Buffer
		path := "datasets/x.json"
		for _, r := range records {
			r["day"] = r["day"].(time.Time).Format(time.DateOnly)
		}
		if ndjson {
			path = "datasets/x.ndjson"
			for _, r := range records {
				line, _ := json.Marshal(r)
				buf.Write(line)
				buf.WriteByte('\n')
			}
		} else {
			doc, _ := json.MarshalIndent(map[string]any{"meta": s, "data": map[string]any{"items": records}}, "", "  ")
			buf.Write(doc)
		}
		root := t.TempDir()
		writeFile(t, root, path, buf.String())
		ds := jsonDataset(path, buf.String(), fuzzColumns()...)
		if !ndjson {
			ds.Records = analysis.String{Value: "data.items", Set: true}
		}
		got, _, err := readAll(ds, Options{Root: root})
		if err != nil {
			t.Fatalf("%v\n%s", err, buf.String())
		}
		if len(got) != len(records) {
			t.Fatalf("%d rows, want %d", len(got), len(records))
		}
		for k, r := range records {
			r["day"], _ = time.Parse(time.DateOnly, r["day"].(string))
			if want := wantRow(r); !reflect.DeepEqual(got[k], want) {
				t.Fatalf("row %d: %#v\nwant   %#v", k, got[k], want)
			}
		}
	})
}

// xmlSafe drops what an XML document cannot hold, which excelize would
// not write either.
func xmlSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || (r >= 0x20 && r < 0xd800) || (r >= 0xe000 && r <= 0xfffd) || r > 0xffff {
			return r
		}
		return -1
	}, s)
}

// FuzzXLSX writes generated records into a sheet with excelize, under a
// title and a blank row, and checks that they read back the same: text
// as text, numbers, booleans and date cells by their type.
func FuzzXLSX(f *testing.F) {
	f.Add(uint8(3), "Mosul", int64(12), 1.5, true)
	f.Add(uint8(1), "  spaced <b>&amp;</b> ", int64(-99999), -0.25, false)
	f.Add(uint8(5), "=SUM(A1)", int64(1<<40), 123456.789, true)
	f.Fuzz(func(t *testing.T, n uint8, s string, i int64, x float64, b bool) {
		s = xmlSafe(s)
		if s == "" || utf8.RuneCountInString(s) > 200 || strings.TrimSpace(s) != s {
			s = "t" + strings.TrimSpace(s) // a cell of spaces alone is no value to compare
		}
		i %= 1 << 50 // a spreadsheet's number is a float64: exact integers to 2^53
		records := fuzzRecords(n, s, i, x, b)
		wb := excelize.NewFile()
		dates, _ := wb.NewStyle(&excelize.Style{NumFmt: 14})
		const sheet = "Data"
		wb.SetSheetName("Sheet1", sheet)
		wb.SetCellValue(sheet, "A1", "A title")
		header := []string{"text", "n", "x", "ok", "day", "name"}
		for c, h := range header {
			cell, _ := excelize.CoordinatesToCellName(c+1, 3)
			wb.SetCellValue(sheet, cell, h)
		}
		for k, r := range records {
			row := []any{r["text"], r["n"], r["x"], r["ok"], r["day"], r["where"].(map[string]any)["name"]}
			for c, v := range row {
				cell, _ := excelize.CoordinatesToCellName(c+1, k+4)
				if err := wb.SetCellValue(sheet, cell, v); err != nil {
					t.Skip(err) // a text excelize refuses (too long)
				}
				if c == 4 {
					wb.SetCellStyle(sheet, cell, cell, dates)
				}
			}
		}
		var buf bytes.Buffer
		if err := wb.Write(&buf); err != nil {
			t.Fatal(err)
		}
		root := t.TempDir()
		writeFile(t, root, "datasets/x.xlsx", buf.String())
		cols := fuzzColumns()
		cols[5] = str("name")
		ds := xlsxDataset("datasets/x.xlsx", buf.Bytes(), cols...)
		ds.Sheet.Value, ds.Range.Value, ds.NullSet, ds.Null = sheet, "A3:F", false, nil
		got, _, err := readAll(ds, Options{Root: root})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(records) {
			t.Fatalf("%d rows, want %d", len(got), len(records))
		}
		for k, r := range records {
			want := wantRow(r)
			// A spreadsheet holds 15 significant digits: excelize writes a
			// float cut to them, as Excel does; the number read back is the
			// one the sheet holds.
			cell, _ := excelize.CoordinatesToCellName(3, k+4)
			held, _ := wb.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
			want[2], _ = strconv.ParseFloat(held, 64)
			if !reflect.DeepEqual(got[k], want) {
				t.Fatalf("row %d: %#v\nwant   %#v", k, got[k], want)
			}
		}
	})
}

// FuzzXLSXBytes: whatever bytes an xlsx file holds, reading it gives rows
// or a positioned error, never a panic.
func FuzzXLSXBytes(f *testing.F) {
	good := buildXLSX(f, []string{"S"}, map[string]sheetCells{"S": {"A1": "a", "B1": "b", "A2": 1, "B2": "x"}})
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		root := t.TempDir()
		writeFile(t, root, "datasets/x.xlsx", string(data))
		ds := newDataset(string(data), col("a", analysis.TypeInt), str("b"))
		ds.Path.Value = "datasets/x.xlsx"
		_, _, err := readAll(ds, Options{Root: root})
		if err != nil && !strings.HasPrefix(err.Error(), "datasets/x.xlsx") && !strings.HasPrefix(err.Error(), "analyses/a.yaml") {
			t.Fatalf("an error that names neither file: %v", err)
		}
	})
}
