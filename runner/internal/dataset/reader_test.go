package dataset

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"galley/runner/internal/analysis"
	"galley/runner/internal/position"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

const (
	tInt   = analysis.TypeInt
	tFloat = analysis.TypeFloat
	tBool  = analysis.TypeBool
	tDate  = analysis.TypeDate
)

func TestRead(t *testing.T) {
	utf8Hint := "; if the file is in another encoding, declare it in the dataset: encoding: windows-1252 or encoding: latin-1"
	tests := []struct {
		name  string
		data  string
		cols  []*analysis.Column
		mod   func(ds *analysis.Dataset)
		skip  []bool
		want  [][]any
		lines []int
		err   string
	}{{
		name:  "every type",
		data:  "s,i,f,b,d\nMosul,12,1.5,true,2017-07-31\n,-7,+2e3,FALSE,2017-12-21\n",
		cols:  []*analysis.Column{str("s"), col("i", tInt), col("f", tFloat), col("b", tBool), col("d", tDate)},
		want:  [][]any{{"Mosul", 12, 1.5, true, day(2017, 7, 31)}, {nil, -7, 2000.0, false, day(2017, 12, 21)}},
		lines: []int{2, 3},
	}, {
		name: "int with signs and spaces",
		data: "i\n+5\n -7 \n0\n",
		cols: []*analysis.Column{col("i", tInt)},
		want: [][]any{{5}, {-7}, {0}},
	}, {
		name: "int abc",
		data: "name,deaths\nAP,9000\nUS,abc\n",
		cols: []*analysis.Column{str("name"), col("deaths", tInt)},
		want: [][]any{{"AP", 9000}},
		err:  `datasets/x.csv:3:4: column "deaths" (int): cannot read "abc" as an integer`,
	}, {
		name: "int fraction",
		data: "name,deaths\nAP,12.9\n",
		cols: []*analysis.Column{col("deaths", tInt)},
		err:  `datasets/x.csv:2:4: column "deaths" (int): cannot read "12.9" as an integer (it has a fraction or an exponent: declare the column as float)`,
	}, {
		name: "int hex",
		data: "deaths\n0x10\n",
		cols: []*analysis.Column{col("deaths", tInt)},
		err:  `datasets/x.csv:2:1: column "deaths" (int): cannot read "0x10" as an integer (only base-10 digits are read)`,
	}, {
		name: "int thousands, quoted: column of the quote",
		data: "name,deaths\nAP,\"9,000\"\n",
		cols: []*analysis.Column{col("deaths", tInt)},
		err:  `datasets/x.csv:2:4: column "deaths" (int): cannot read "9,000" as an integer (thousands separators are not read: remove them from the file and re-pin it, or declare the column as string)`,
	}, {
		name: "int out of range",
		data: "n\n99999999999999999999\n",
		cols: []*analysis.Column{col("n", tInt)},
		err:  `datasets/x.csv:2:1: column "n" (int): cannot read "99999999999999999999" as an integer (it is out of range: declare the column as float)`,
	}, {
		name: "float NaN refused",
		data: "x\nNaN\n",
		cols: []*analysis.Column{col("x", tFloat)},
		err:  `datasets/x.csv:2:1: column "x" (float): cannot read "NaN" as a number (NaN and infinity are not read; if it marks a missing value, add "NaN" to the dataset's null markers)`,
	}, {
		name: "float Inf refused",
		data: "x\n-Inf\n",
		cols: []*analysis.Column{col("x", tFloat)},
		err:  `datasets/x.csv:2:1: column "x" (float): cannot read "-Inf" as a number (NaN and infinity are not read; if it marks a missing value, add "-Inf" to the dataset's null markers)`,
	}, {
		name: "float decimal comma",
		data: "x;y\n1;12,5\n",
		mod:  func(ds *analysis.Dataset) { ds.Delimiter = analysis.String{Value: ";", Set: true} },
		cols: []*analysis.Column{col("y", tFloat)},
		err:  `datasets/x.csv:2:3: column "y" (float): cannot read "12,5" as a number (the decimal separator must be a point)`,
	}, {
		name: "float out of range and hex",
		data: "x\n1e400\n",
		cols: []*analysis.Column{col("x", tFloat)},
		err:  `datasets/x.csv:2:1: column "x" (float): cannot read "1e400" as a number (it is out of range)`,
	}, {
		name: "float hex refused",
		data: "x\n0x1p4\n",
		cols: []*analysis.Column{col("x", tFloat)},
		err:  `datasets/x.csv:2:1: column "x" (float): cannot read "0x1p4" as a number`,
	}, {
		name: "bool set",
		data: "b\ntrue\nfalse\nTRUE\nFALSE\nTrue\nFalse\n1\n0\nyes\nno\nYes\nNO\n",
		cols: []*analysis.Column{col("b", tBool)},
		want: [][]any{{true}, {false}, {true}, {false}, {true}, {false}, {true}, {false}, {true}, {false}, {true}, {false}},
	}, {
		name: "bool bad",
		data: "b\nmaybe\n",
		cols: []*analysis.Column{col("b", tBool)},
		err:  `datasets/x.csv:2:1: column "b" (bool): cannot read "maybe" as a boolean (use true/false, yes/no or 1/0)`,
	}, {
		name: "date out of range",
		data: "d\n2017-02-28\n2017-02-30\n",
		cols: []*analysis.Column{col("d", tDate)},
		want: [][]any{{day(2017, 2, 28)}},
		err:  `datasets/x.csv:3:1: column "d" (date): cannot read "2017-02-30" as a date: day out of range`,
	}, {
		name: "date in another form",
		data: "d\n31/12/2017\n",
		cols: []*analysis.Column{col("d", tDate)},
		err:  `datasets/x.csv:2:1: column "d" (date): cannot read "31/12/2017" as a date (expected YYYY-MM-DD; for another form declare {type: date, format: "02/01/2006"})`,
	}, {
		name: "date custom layout",
		data: "d\n31/12/2017\n01/02/2017\n",
		cols: []*analysis.Column{{Name: "d", Type: tDate, Layout: "02/01/2006"}},
		want: [][]any{{day(2017, 12, 31)}, {day(2017, 2, 1)}},
	}, {
		name: "date custom layout mismatch",
		data: "d\n2017-12-31\n",
		cols: []*analysis.Column{{Name: "d", Type: tDate, Layout: "02/01/2006"}},
		err:  `datasets/x.csv:2:1: column "d" (date): cannot read "2017-12-31" as a date in the form "02/01/2006"`,
	}, {
		name: "default null is the empty cell, trimmed for non-strings only",
		data: "s,i\n,\n , \n",
		cols: []*analysis.Column{str("s"), col("i", tInt)},
		want: [][]any{{nil, nil}, {" ", nil}},
	}, {
		name: "dataset null markers replace the default",
		data: "s,i\n,NA\nNA, NA \n",
		mod: func(ds *analysis.Dataset) {
			ds.NullSet = true
			ds.Null = []analysis.String{{Value: "NA"}}
		},
		cols: []*analysis.Column{str("s"), col("i", tInt)},
		want: [][]any{{"", nil}, {nil, nil}},
	}, {
		name: "empty null list: an empty int cell is an error",
		data: "s,i\n,\n",
		mod:  func(ds *analysis.Dataset) { ds.NullSet = true },
		cols: []*analysis.Column{str("s"), col("i", tInt)},
		err:  `datasets/x.csv:2:2: column "i" (int): cannot read "" as an integer`,
	}, {
		name: "column null markers add to the dataset's",
		data: "i,j\n-,-\n,3\n",
		cols: []*analysis.Column{{Name: "i", Type: tInt, Null: []string{"-"}}, {Name: "j", Type: tInt, Null: []string{"-"}}},
		want: [][]any{{nil, nil}, {nil, 3}},
	}, {
		name: "required empty",
		data: "a,b\n1,\n",
		cols: []*analysis.Column{{Name: "b", Type: tInt, Required: true}},
		err:  `datasets/x.csv:2:3: column "b" (int): the column is required, but the cell is empty`,
	}, {
		name: "required null marker",
		data: "a,b\n1,NA\n",
		mod: func(ds *analysis.Dataset) {
			ds.NullSet = true
			ds.Null = []analysis.String{{Value: ""}, {Value: "NA"}}
		},
		cols: []*analysis.Column{{Name: "b", Type: analysis.TypeString, Required: true}},
		err:  `datasets/x.csv:2:3: column "b" (string): the column is required, but the cell is "NA", a null marker`,
	}, {
		name: "BOM at the start is removed",
		data: "\xef\xbb\xbfname,n\nMosul,1\n",
		cols: []*analysis.Column{str("name"), col("n", tInt)},
		want: [][]any{{"Mosul", 1}},
	}, {
		name: "BOM elsewhere",
		data: "name,n\nMosul,1\n\xef\xbb\xbfname,n\n",
		cols: []*analysis.Column{str("name")},
		want: [][]any{{"Mosul"}},
		err:  `datasets/x.csv:3:1: a UTF-8 byte-order mark in the middle of the file (were two files joined? remove it, then run galley pin analyses/a.yaml)`,
	}, {
		name:  "CRLF",
		data:  "name,n\r\nMosul,1\r\n\"Raqqa\r\nCity\",2\r\n",
		cols:  []*analysis.Column{str("name"), col("n", tInt)},
		want:  [][]any{{"Mosul", 1}, {"Raqqa\nCity", 2}},
		lines: []int{2, 3},
	}, {
		name: "latin-1",
		data: "name\nMosul\xe9\n\x80\n",
		mod:  func(ds *analysis.Dataset) { ds.Encoding = analysis.String{Value: "latin-1", Set: true} },
		cols: []*analysis.Column{str("name")},
		want: [][]any{{"Mosulé"}, {"\u0080"}},
	}, {
		name: "windows-1252",
		data: "name\nMosul\xe9\n\x80 \x93x\x94\n",
		mod:  func(ds *analysis.Dataset) { ds.Encoding = analysis.String{Value: "windows-1252", Set: true} },
		cols: []*analysis.Column{str("name")},
		want: [][]any{{"Mosulé"}, {"€ “x”"}},
	}, {
		name: "UTF-8 BOM in a latin-1 file",
		data: "\xef\xbb\xbfname\nx\n",
		mod:  func(ds *analysis.Dataset) { ds.Encoding = analysis.String{Value: "latin-1", Set: true} },
		cols: []*analysis.Column{str("name")},
		err:  `datasets/x.csv:1:1: the file starts with a UTF-8 byte-order mark, so it is UTF-8, not latin-1 (remove encoding: latin-1 from the dataset)`,
	}, {
		name: "unknown encoding",
		data: "name\nx\n",
		mod:  func(ds *analysis.Dataset) { ds.Encoding = analysis.String{Value: "utf-16", Pos: at(6, 15), Set: true} },
		cols: []*analysis.Column{str("name")},
		err:  `analyses/a.yaml:6:15: dataset "estimates": unknown encoding "utf-16" (known: utf-8, latin-1, windows-1252; convert the file to UTF-8 first)`,
	}, {
		name: "invalid UTF-8",
		data: "name,n\nBaghdad,1\nMosul\xe9,2\n",
		cols: []*analysis.Column{str("name"), col("n", tInt)},
		want: [][]any{{"Baghdad", 1}},
		err:  `datasets/x.csv:3:6: not valid UTF-8 (byte 0xe9)` + utf8Hint,
	}, {
		name: "invalid UTF-8 in the header",
		data: "nam\xe9,n\nBaghdad,1\n",
		cols: []*analysis.Column{col("n", tInt)},
		err:  `datasets/x.csv:1:4: not valid UTF-8 (byte 0xe9)` + utf8Hint,
	}, {
		name: "invalid UTF-8 cut at the end",
		data: "name\nMosul\xc3",
		cols: []*analysis.Column{str("name")},
		err:  `datasets/x.csv:2:6: not valid UTF-8 (byte 0xc3)` + utf8Hint,
	}, {
		name: "invalid UTF-8 in a column not read",
		data: "name,n\nMosul\xe9,2\n",
		cols: []*analysis.Column{col("n", tInt)},
		err:  `datasets/x.csv:2:6: not valid UTF-8 (byte 0xe9)` + utf8Hint,
	}, {
		name: "row too short",
		data: "a,b\n1,2\n1\n",
		cols: []*analysis.Column{str("a")},
		want: [][]any{{"1"}},
		err:  `datasets/x.csv:3:2: row has 1 field, but the header has 2: it ends before column 2, "b"`,
	}, {
		name: "row too long",
		data: "a,b\n1,2\n1,2,3\n",
		cols: []*analysis.Column{str("a")},
		want: [][]any{{"1"}},
		err:  `datasets/x.csv:3:5: row has 3 fields, but the header has 2: field 3, "3", is past the last column, "b" (is a value holding ',' not quoted?)`,
	}, {
		name: "row too short, its last field quoted over two lines",
		data: "city,deaths,note\r\nMosul,3,x\r\n\"Raqqa\r\nCity\",4\r\n",
		cols: []*analysis.Column{str("city")},
		want: [][]any{{"Mosul"}},
		err:  `datasets/x.csv:4:8: row has 2 fields, but the header has 3: it ends before column 3, "note"`,
	}, {
		name: "row too long, a long field past the last column",
		data: "a;b\n1;2;" + strings.Repeat("é", 30) + "\n",
		mod:  func(ds *analysis.Dataset) { ds.Delimiter = analysis.String{Value: ";", Set: true} },
		cols: []*analysis.Column{str("a")},
		err:  `datasets/x.csv:2:5: row has 3 fields, but the header has 2: field 3, "` + strings.Repeat("é", 20) + `…", is past the last column, "b" (is a value holding ';' not quoted?)`,
	}, {
		name: "bare quote",
		data: "a,b\n1,say \"hi\"\n",
		cols: []*analysis.Column{str("a")},
		err:  `datasets/x.csv:2:7: a " in an unquoted field (quote the whole field and double the quotes inside it: "say ""hi""")`,
	}, {
		name: "unclosed quote",
		data: "a,b\n1,\"open\n2,3\n",
		cols: []*analysis.Column{str("a")},
		err:  `datasets/x.csv:2: the quoted field starting on this line is not closed properly (a " is missing, or a " inside it is not doubled; reading stopped at line 3, column 5)`,
	}, {
		name: "text after a closing quote",
		data: "a,b\n1,\"x\"y\n",
		cols: []*analysis.Column{str("a")},
		err:  `datasets/x.csv:2:5: a quoted field is followed by text before the next delimiter (put the whole field in quotes and double the quotes inside it)`,
	}, {
		name: "duplicate header declared by name",
		data: "name,n,name\nx,1,y\n",
		cols: []*analysis.Column{str("name")},
		err:  `analyses/a.yaml:10:7: dataset "estimates": column "name" occurs twice in the header of datasets/x.csv (columns 1 and 3); declare it by position instead, e.g. from: 1`,
	}, {
		name: "duplicate header declared by position",
		data: "name,n,name\nx,1,y\n",
		cols: []*analysis.Column{{Name: "name2", FromIdx: 3, FromPos: at(11, 13)}, {Name: "n", Type: tInt}},
		want: [][]any{{"y", 1}},
	}, {
		name: "from by name",
		data: "Deaths (low),x\n5,6\n",
		cols: []*analysis.Column{{Name: "low", Type: tInt, From: "Deaths (low)", FromPos: at(11, 13)}},
		want: [][]any{{5}},
	}, {
		name: "from out of range",
		data: "a,b\n5,6\n",
		cols: []*analysis.Column{{Name: "c", Type: tInt, FromIdx: 3, FromPos: at(11, 13)}},
		err:  `analyses/a.yaml:11:13: dataset "estimates": column "c": from: 3, but datasets/x.csv has only 2 columns`,
	}, {
		name: "missing column, did you mean (case)",
		data: "Name,Deaths\nx,1\n",
		cols: []*analysis.Column{str("Name"), col("deaths", tInt)},
		err:  `analyses/a.yaml:11:7: dataset "estimates": column "deaths" is not in the header of datasets/x.csv (did you mean "Deaths"?)`,
	}, {
		name: "missing column, did you mean (typo)",
		data: "name,deaths\nx,1\n",
		cols: []*analysis.Column{col("deths", tInt)},
		err:  `analyses/a.yaml:10:7: dataset "estimates": column "deths" is not in the header of datasets/x.csv (did you mean "deaths"?)`,
	}, {
		name: "missing column, did you mean (spaces around the header)",
		data: "name,  Total deaths \nx,1\n",
		cols: []*analysis.Column{col("total deaths", tInt)},
		err:  `analyses/a.yaml:10:7: dataset "estimates": column "total deaths" is not in the header of datasets/x.csv (did you mean "  Total deaths "?)`,
	}, {
		name: "missing column, did you mean (an accent)",
		data: "name,région\nx,1\n",
		cols: []*analysis.Column{col("region", tInt)},
		err:  `analyses/a.yaml:10:7: dataset "estimates": column "region" is not in the header of datasets/x.csv (did you mean "région"?)`,
	}, {
		name: "missing columns, header listed, all reported",
		data: "a,b\nx,1\n",
		cols: []*analysis.Column{str("zzz"), {Name: "w", From: "Www", FromPos: at(12, 13)}},
		err: `analyses/a.yaml:10:7: dataset "estimates": column "zzz" is not in the header of datasets/x.csv (the header has "a", "b")` + "\n" +
			`analyses/a.yaml:12:13: dataset "estimates": column "Www" is not in the header of datasets/x.csv (the header has "a", "b")`,
	}, {
		name: "empty file",
		data: "",
		cols: []*analysis.Column{str("a")},
		err:  `datasets/x.csv:1: the file is empty; a dataset needs a header row naming its columns`,
	}, {
		name: "only a BOM and blank lines",
		data: "\xef\xbb\xbf\n\n",
		cols: []*analysis.Column{str("a")},
		err:  `datasets/x.csv:1: the file is empty; a dataset needs a header row naming its columns`,
	}, {
		name: "header only",
		data: "a,b\n",
		cols: []*analysis.Column{str("a")},
	}, {
		name: "header only, no final newline",
		data: "a,b",
		cols: []*analysis.Column{str("b")},
	}, {
		name:  "skip columns",
		data:  "a,b,c\nx,12,3\ny,,4\n",
		cols:  []*analysis.Column{str("a"), col("b", tInt), col("c", tInt)},
		skip:  []bool{false, true},
		want:  [][]any{{"x", nil, 3}, {"y", nil, 4}},
		lines: []int{2, 3},
	}, {
		// A skipped column is not converted, but every cell is still checked.
		name: "skipped column still checked",
		data: "a,b,c\nx,notanint,3\n",
		cols: []*analysis.Column{str("a"), col("b", tInt), col("c", tInt)},
		skip: []bool{false, true},
		err:  `datasets/x.csv:2:3: column "b" (int): cannot read "notanint" as an integer`,
	}, {
		name:  "line after quoted newlines",
		data:  "a,b\n\"x\ny\nz\",1\nw,2\n\n\"v\",3",
		cols:  []*analysis.Column{str("a"), col("b", tInt)},
		want:  [][]any{{"x\ny\nz", 1}, {"w", 2}, {"v", 3}},
		lines: []int{2, 5, 7},
	}, {
		name:  "skip_rows",
		data:  "Table 1: deaths \"by city\n\na,b\n1,2\n3,x\n",
		mod:   func(ds *analysis.Dataset) { ds.SkipRows = analysis.Int{Value: 2, Set: true} },
		cols:  []*analysis.Column{col("a", tInt), col("b", tInt)},
		want:  [][]any{{1, 2}},
		lines: []int{4},
		err:   `datasets/x.csv:5:3: column "b" (int): cannot read "x" as an integer`,
	}, {
		name: "skip_rows to the end, the last line without a line break",
		data: "note\nmore",
		mod:  func(ds *analysis.Dataset) { ds.SkipRows = analysis.Int{Value: 2, Pos: at(7, 16), Set: true} },
		cols: []*analysis.Column{str("a")},
		err:  `analyses/a.yaml:7:16: dataset "estimates": skip_rows: 2 skips the whole file (datasets/x.csv has 2 lines)`,
	}, {
		name: "skip_rows past the end",
		data: "a\n1\n",
		mod:  func(ds *analysis.Dataset) { ds.SkipRows = analysis.Int{Value: 3, Pos: at(7, 16), Set: true} },
		cols: []*analysis.Column{str("a")},
		err:  `analyses/a.yaml:7:16: dataset "estimates": skip_rows: 3 skips the whole file (datasets/x.csv has 2 lines)`,
	}, {
		name:  "one column: blank lines are empty cells",
		data:  "n\n1\n\n\r\n4\n\"\"\n6\n",
		cols:  []*analysis.Column{col("n", tInt)},
		want:  [][]any{{1}, {nil}, {nil}, {4}, {nil}, {6}},
		lines: []int{2, 3, 4, 5, 6, 7},
	}, {
		name: "one column: a blank line in a required column",
		data: "n\n1\n\n4\n",
		cols: []*analysis.Column{{Name: "n", Type: tInt, Required: true}},
		want: [][]any{{1}},
		err:  `datasets/x.csv:3:1: column "n" (int): the column is required, but the cell is empty`,
	}, {
		name:  "several columns: blank lines are skipped",
		data:  "a,b\n\n1,2\n\n3,4\n",
		cols:  []*analysis.Column{col("a", tInt)},
		want:  [][]any{{1}, {3}},
		lines: []int{3, 5},
	}, {
		name: "tab delimiter",
		data: "a\tb\n1,5\t2\n",
		mod:  func(ds *analysis.Dataset) { ds.Delimiter = analysis.String{Value: "\t", Set: true} },
		cols: []*analysis.Column{str("a"), col("b", tInt)},
		want: [][]any{{"1,5", 2}},
	}, {
		name: `tab delimiter written \t`,
		data: "a\tb\n1\t2\n",
		mod:  func(ds *analysis.Dataset) { ds.Delimiter = analysis.String{Value: `\t`, Set: true} },
		cols: []*analysis.Column{col("b", tInt)},
		want: [][]any{{2}},
	}, {
		name: "a NUL delimiter, which encoding/csv refuses too",
		data: "a\n",
		mod:  func(ds *analysis.Dataset) { ds.Delimiter = analysis.String{Value: "\x00", Pos: at(6, 16), Set: true} },
		cols: []*analysis.Column{str("a")},
		err:  `analyses/a.yaml:6:16: dataset "estimates": delimiter "\x00" must be one character other than a quote or a line break, e.g. ",", ";" or "\t"`,
	}, {
		name: "bad delimiter",
		data: "a\n",
		mod:  func(ds *analysis.Dataset) { ds.Delimiter = analysis.String{Value: ";;", Pos: at(6, 16), Set: true} },
		cols: []*analysis.Column{str("a")},
		err:  `analyses/a.yaml:6:16: dataset "estimates": delimiter ";;" must be one character other than a quote or a line break, e.g. ",", ";" or "\t"`,
	}, {
		name: "markup stays text",
		data: "a\n<script>alert(1)</script>\n",
		cols: []*analysis.Column{str("a")},
		want: [][]any{{"<script>alert(1)</script>"}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			writeFile(t, root, "datasets/x.csv", tt.data)
			ds := newDataset(tt.data, tt.cols...)
			if tt.mod != nil {
				tt.mod(ds)
			}
			rows, lines, err := readAll(ds, Options{Root: root, Skip: tt.skip})
			got := ""
			if err != nil {
				got = err.Error()
				if len(position.Errors(err)) == 0 || position.Errors(err)[0].Pos.File == "" {
					t.Errorf("error %q (%T) is not positioned", err, err)
				}
			}
			if got != tt.err {
				t.Errorf("error:\n got %s\nwant %s", got, tt.err)
			}
			if !reflect.DeepEqual(rows, tt.want) {
				t.Errorf("rows:\n got %#v\nwant %#v", rows, tt.want)
			}
			if tt.lines != nil && !reflect.DeepEqual(lines, tt.lines) {
				t.Errorf("lines: got %v, want %v", lines, tt.lines)
			}
		})
	}
}

func TestPin(t *testing.T) {
	data := "a\n1\n"
	good := sum(data)
	tests := []struct {
		name string
		pin  analysis.String
		err  string
	}{
		{"good", analysis.String{Value: good, Pos: at(5, 13), Set: true}, ""},
		{"mismatch", analysis.String{Value: strings.Repeat("0", 64), Pos: at(5, 13), Set: true},
			`analyses/a.yaml:5:13: dataset "estimates": sha256 of datasets/x.csv does not match its pin: expected ` + strings.Repeat("0", 64) + `, got ` + good + ` (if the file changed on purpose, run galley pin analyses/a.yaml)`},
		{"missing", analysis.String{},
			`analyses/a.yaml:3:3: dataset "estimates" has no sha256 pin (run galley pin analyses/a.yaml)`},
		{"empty", analysis.String{Value: "", Pos: at(5, 13), Set: true},
			`analyses/a.yaml:3:3: dataset "estimates" has no sha256 pin (run galley pin analyses/a.yaml)`},
		{"short", analysis.String{Value: good[:31], Pos: at(5, 13), Set: true},
			`analyses/a.yaml:5:13: dataset "estimates": sha256 pin has 31 characters, want 64 hex digits (run galley pin analyses/a.yaml)`},
		{"not hex", analysis.String{Value: good[:10] + "g" + good[11:], Pos: at(5, 13), Set: true},
			`analyses/a.yaml:5:13: dataset "estimates": sha256 pin has 'g' at character 11, not a hex digit (run galley pin analyses/a.yaml)`},
		{"upper case", analysis.String{Value: strings.ToUpper(good), Pos: at(5, 13), Set: true},
			`analyses/a.yaml:5:13: dataset "estimates": sha256 pin must be lowercase hex: ` + good},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			writeFile(t, root, "datasets/x.csv", data)
			ds := newDataset(data, str("a"))
			ds.SHA256 = tt.pin
			_, _, err := readAll(ds, Options{Root: root})
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tt.err {
				t.Errorf("error:\n got %s\nwant %s", got, tt.err)
			}
		})
	}
}

func TestPath(t *testing.T) {
	outside := t.TempDir()
	writeFile(t, outside, "secret.csv", "a\n1\n")
	tests := []struct {
		name  string
		path  string
		setup func(t *testing.T, root string)
		err   string
	}{
		{name: "ok", path: "datasets/x.csv"},
		{name: "dot dot inside", path: "datasets/../datasets/x.csv"},
		{name: "escape", path: "../secret.csv",
			err: `analyses/a.yaml:4:11: dataset "estimates": path "../secret.csv" leaves the project root (keep datasets inside the project, e.g. under datasets/)`},
		{name: "escape deeper", path: "datasets/../../secret.csv",
			err: `analyses/a.yaml:4:11: dataset "estimates": path "datasets/../../secret.csv" leaves the project root (keep datasets inside the project, e.g. under datasets/)`},
		{name: "absolute", path: filepath.ToSlash(filepath.Join(outside, "secret.csv")),
			err: `analyses/a.yaml:4:11: dataset "estimates": path "` + filepath.ToSlash(filepath.Join(outside, "secret.csv")) + `" is absolute (write it relative to the project root, e.g. datasets/secret.csv)`},
		{name: "backslashes", path: `datasets\x.csv`,
			err: `analyses/a.yaml:4:11: dataset "estimates": path "datasets\\x.csv" uses backslashes (write it with forward slashes: datasets/x.csv)`},
		{name: "symlink out of the root", path: "datasets/link.csv",
			setup: func(t *testing.T, root string) {
				if err := os.Symlink(filepath.Join(outside, "secret.csv"), filepath.Join(root, "datasets", "link.csv")); err != nil {
					t.Skip("no symlinks:", err)
				}
			},
			err: `analyses/a.yaml:4:11: dataset "estimates": datasets/link.csv is a symbolic link to a file outside the project root (copy the file into the project instead)`},
		{name: "symlinked directory out of the root", path: "ext/secret.csv",
			setup: func(t *testing.T, root string) {
				if err := os.Symlink(outside, filepath.Join(root, "ext")); err != nil {
					t.Skip("no symlinks:", err)
				}
			},
			err: `analyses/a.yaml:4:11: dataset "estimates": ext/secret.csv is a symbolic link to a file outside the project root (copy the file into the project instead)`},
		{name: "symlink inside the root", path: "datasets/alias.csv",
			setup: func(t *testing.T, root string) {
				if err := os.Symlink("x.csv", filepath.Join(root, "datasets", "alias.csv")); err != nil {
					t.Skip("no symlinks:", err)
				}
			}},
		{name: "dangling symlink", path: "datasets/rel.csv",
			setup: func(t *testing.T, root string) {
				if err := os.Symlink("gone.csv", filepath.Join(root, "datasets", "rel.csv")); err != nil {
					t.Skip("no symlinks:", err)
				}
			},
			err: `analyses/a.yaml:4:11: dataset "estimates": datasets/rel.csv is a symbolic link whose target does not exist (point it at the file, or write the file's own path)`},
		{name: "missing, a dangling symlink is no suggestion", path: "datasets/rel.csv",
			setup: func(t *testing.T, root string) {
				if err := os.Symlink("gone.csv", filepath.Join(root, "datasets", "rel2.csv")); err != nil {
					t.Skip("no symlinks:", err)
				}
				if err := os.Remove(filepath.Join(root, "datasets", "x.csv")); err != nil {
					t.Fatal(err)
				}
			},
			err: `analyses/a.yaml:4:11: dataset "estimates": datasets/rel.csv does not exist`},
		{name: "directory", path: "datasets",
			err: `analyses/a.yaml:4:11: dataset "estimates": datasets is a directory, not a CSV file`},
		{name: "root itself", path: "./",
			err: `analyses/a.yaml:4:11: dataset "estimates": path "./" is the project root, not a CSV file`},
		{name: "missing, did you mean", path: "datasets/X.csv",
			err: `analyses/a.yaml:4:11: dataset "estimates": datasets/X.csv does not exist (did you mean datasets/x.csv?)`},
		{name: "missing, typo", path: "datasets/xy.csv",
			err: `analyses/a.yaml:4:11: dataset "estimates": datasets/xy.csv does not exist (did you mean datasets/x.csv?)`},
		{name: "missing, nothing close", path: "datasets/mosul_estimates.csv",
			err: `analyses/a.yaml:4:11: dataset "estimates": datasets/mosul_estimates.csv does not exist`},
		{name: "missing directory", path: "data/x.csv",
			err: `analyses/a.yaml:4:11: dataset "estimates": data/x.csv does not exist (there is no directory data)`},
		{name: "through a file", path: "datasets/x.csv/y.csv",
			err: `analyses/a.yaml:4:11: dataset "estimates": datasets/x.csv/y.csv does not exist`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			writeFile(t, root, "datasets/x.csv", "a\n1\n")
			if tt.setup != nil {
				tt.setup(t, root)
			}
			ds := newDataset("a\n1\n", str("a"))
			ds.Path.Value = tt.path
			_, _, err := readAll(ds, Options{Root: root})
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tt.err {
				t.Errorf("Open error:\n got %s\nwant %s", got, tt.err)
			}
			s, err := Sum(ds, Options{Root: root})
			got = ""
			if err != nil {
				got = err.Error()
			} else if s != sum("a\n1\n") {
				t.Errorf("Sum = %s", s)
			}
			if got != tt.err {
				t.Errorf("Sum error:\n got %s\nwant %s", got, tt.err)
			}
		})
	}
}

func TestRelativeRoot(t *testing.T) {
	root := t.TempDir()
	writeFile(t, root, "datasets/x.csv", "a\n1\n")
	t.Chdir(root)
	rows, _, err := readAll(newDataset("a\n1\n", col("a", tInt)), Options{})
	if err != nil || !reflect.DeepEqual(rows, [][]any{{1}}) {
		t.Fatalf("got %v, %v", rows, err)
	}
}

func TestReaderAPI(t *testing.T) {
	root := t.TempDir()
	data := "a,b\n1,2\n3,4\n"
	writeFile(t, root, "datasets/x.csv", data)
	var calls [][2]int64
	r, err := openDataset(newDataset(data, col("a", tInt)), Options{Root: root, Progress: func(read, total int64) {
		calls = append(calls, [2]int64{read, total})
	}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Path() != "datasets/x.csv" {
		t.Errorf("Path = %q", r.Path())
	}
	if !reflect.DeepEqual(r.Header(), []string{"a", "b"}) {
		t.Errorf("Header = %q", r.Header())
	}
	for {
		if _, err := r.Read(); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := r.Read(); err != io.EOF {
		t.Errorf("Read after EOF: %v", err)
	}
	if r.RowsRead() != 2 || r.Line() != 3 {
		t.Errorf("RowsRead = %d, Line = %d", r.RowsRead(), r.Line())
	}
	if err := r.Close(); err != nil {
		t.Error(err)
	}
	if err := r.Close(); err != nil {
		t.Error("second Close:", err)
	}
	n := int64(len(data))
	if want := [][2]int64{{n, n}}; !reflect.DeepEqual(calls, want) {
		t.Errorf("progress calls %v, want %v", calls, want)
	}
}

// A file bigger than the buffers, with a multi-byte rune and a long quoted
// field across buffer boundaries, keeps exact line numbers.
func TestBigFile(t *testing.T) {
	var b strings.Builder
	b.WriteString("name,n,note\n")
	long := strings.Repeat("é", 200_000) // 400 KB in one field
	for i := range 20_000 {
		if i == 10_000 {
			b.WriteString("\"" + long + "\n\",-1,x\n")
			continue
		}
		b.WriteString("Mosul é,")
		b.WriteString(strings.Repeat("7", i%7+1))
		b.WriteString(",some note here\n")
	}
	b.WriteString("bad,\xff,x\n")
	data := b.String()
	root := t.TempDir()
	writeFile(t, root, "datasets/x.csv", data)
	ds := newDataset(data, str("name"), col("n", tInt))
	var last int64
	rows, lines, err := readAll(ds, Options{Root: root, Progress: func(read, total int64) {
		if read < last || read > total || total != int64(len(data)) {
			t.Errorf("progress %d/%d after %d", read, total, last)
		}
		last = read
	}})
	want := `datasets/x.csv:20003:5: not valid UTF-8 (byte 0xff); if the file is in another encoding, declare it in the dataset: encoding: windows-1252 or encoding: latin-1`
	if err == nil || err.Error() != want {
		t.Fatalf("error %v, want %s", err, want)
	}
	if len(rows) != 20_000 || lines[10_000] != 10_002 || lines[10_001] != 10_004 || rows[10_000][0] != long+"\n" {
		t.Errorf("%d rows, lines %v", len(rows), lines[9_999:10_002])
	}
}

func TestStringsNotShared(t *testing.T) {
	root := t.TempDir()
	data := "a,b,c\nxx,yy,zz\nuu,vv,ww\n"
	writeFile(t, root, "datasets/x.csv", data)
	rows, _, err := readAll(newDataset(data, str("a"), str("c")), Options{Root: root})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rows, [][]any{{"xx", "zz"}, {"uu", "ww"}}) {
		t.Errorf("rows %v", rows)
	}
}

func TestErrorsArePositioned(t *testing.T) {
	var pe *position.Error
	root := t.TempDir()
	_, err := openDataset(newDataset("", str("a")), Options{Root: root})
	if !errors.As(err, &pe) {
		t.Fatalf("%T %v", err, err)
	}
}
