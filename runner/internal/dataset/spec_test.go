package dataset

import (
	"encoding/json"
	"os"
	"reflect"
	"testing"

	"galley/runner/internal/analysis"
	"galley/runner/internal/position"
)

// TestCompile checks each rule on how a dataset is read, with the whole
// error a user sees.
func TestCompile(t *testing.T) {
	set := func(v string, line, col int) analysis.String {
		return analysis.String{Value: v, Pos: at(line, col), Set: true}
	}
	date := func(layout string) *analysis.Column {
		return &analysis.Column{Name: "d", Pos: at(10, 7), Type: tDate, Layout: layout, LayoutPos: at(10, 30)}
	}
	tests := []struct {
		name  string
		mod   func(ds *analysis.Dataset)
		comma rune
		enc   string
		err   string
	}{
		{name: "defaults", comma: ',', enc: "utf-8"},
		{name: "encodings", mod: func(ds *analysis.Dataset) { ds.Encoding = set("windows-1252", 6, 15) }, comma: ',', enc: "windows-1252"},
		{name: "latin-1", mod: func(ds *analysis.Dataset) { ds.Encoding = set("latin-1", 6, 15) }, comma: ',', enc: "latin-1"},
		{name: "utf-8 in another spelling", mod: func(ds *analysis.Dataset) { ds.Encoding = set("utf8", 6, 15) },
			err: `analyses/a.yaml:6:15: dataset "estimates": unknown encoding "utf8" (did you mean utf-8?)`},
		{name: "latin-1 in upper case", mod: func(ds *analysis.Dataset) { ds.Encoding = set("ISO-8859-1", 6, 15) },
			err: `analyses/a.yaml:6:15: dataset "estimates": unknown encoding "ISO-8859-1" (did you mean latin-1?)`},
		{name: "cp1252", mod: func(ds *analysis.Dataset) { ds.Encoding = set("cp1252", 6, 15) },
			err: `analyses/a.yaml:6:15: dataset "estimates": unknown encoding "cp1252" (did you mean windows-1252?)`},
		{name: "an encoding Galley does not read", mod: func(ds *analysis.Dataset) { ds.Encoding = set("ebcdic", 6, 15) },
			err: `analyses/a.yaml:6:15: dataset "estimates": unknown encoding "ebcdic" (known: utf-8, latin-1, windows-1252)`},
		{name: "semicolon", mod: func(ds *analysis.Dataset) { ds.Delimiter = set(";", 6, 16) }, comma: ';', enc: "utf-8"},
		{name: "a tab", mod: func(ds *analysis.Dataset) { ds.Delimiter = set("\t", 6, 16) }, comma: '\t', enc: "utf-8"},
		{name: `a tab written \t`, mod: func(ds *analysis.Dataset) { ds.Delimiter = set(`\t`, 6, 16) }, comma: '\t', enc: "utf-8"},
		{name: "a tab written tab", mod: func(ds *analysis.Dataset) { ds.Delimiter = set("tab", 6, 16) }, comma: '\t', enc: "utf-8"},
		{name: "a character of several bytes", mod: func(ds *analysis.Dataset) { ds.Delimiter = set("§", 6, 16) }, comma: '§', enc: "utf-8"},
		{name: "two characters", mod: func(ds *analysis.Dataset) { ds.Delimiter = set(";;", 6, 16) },
			err: `analyses/a.yaml:6:16: dataset "estimates": delimiter ";;" must be one character other than a quote or a line break, e.g. ",", ";" or "\t"`},
		{name: "empty", mod: func(ds *analysis.Dataset) { ds.Delimiter = set("", 6, 16) },
			err: `analyses/a.yaml:6:16: dataset "estimates": delimiter "" must be one character other than a quote or a line break, e.g. ",", ";" or "\t"`},
		{name: "a quote", mod: func(ds *analysis.Dataset) { ds.Delimiter = set(`"`, 6, 16) },
			err: `analyses/a.yaml:6:16: dataset "estimates": delimiter "\"" must be one character other than a quote or a line break, e.g. ",", ";" or "\t"`},
		{name: "a line feed", mod: func(ds *analysis.Dataset) { ds.Delimiter = set("\n", 6, 16) },
			err: `analyses/a.yaml:6:16: dataset "estimates": delimiter "\n" must be one character other than a quote or a line break, e.g. ",", ";" or "\t"`},
		{name: "a carriage return", mod: func(ds *analysis.Dataset) { ds.Delimiter = set("\r", 6, 16) },
			err: `analyses/a.yaml:6:16: dataset "estimates": delimiter "\r" must be one character other than a quote or a line break, e.g. ",", ";" or "\t"`},
		{name: "not UTF-8", mod: func(ds *analysis.Dataset) { ds.Delimiter = set("\xff", 6, 16) },
			err: `analyses/a.yaml:6:16: dataset "estimates": delimiter "\xff" must be one character other than a quote or a line break, e.g. ",", ";" or "\t"`},
		{name: "a date format", mod: func(ds *analysis.Dataset) { ds.Columns = append(ds.Columns, date("02/01/2006")) }, comma: ',', enc: "utf-8"},
		{name: "a month", mod: func(ds *analysis.Dataset) { ds.Columns = append(ds.Columns, date("2006-01")) }, comma: ',', enc: "utf-8"},
		{name: "a date format in another notation", mod: func(ds *analysis.Dataset) { ds.Columns = append(ds.Columns, date("dd/mm/yyyy")) },
			err: `analyses/a.yaml:10:30: dataset "estimates": column "d": format "dd/mm/yyyy" has no year: write the date 2 January 2006 as the file writes its dates, e.g. "02/01/2006" for 31/12/2017, or "Jan 2, 2006"`},
		{name: "a date format without a year", mod: func(ds *analysis.Dataset) { ds.Columns = append(ds.Columns, date("02/01")) },
			err: `analyses/a.yaml:10:30: dataset "estimates": column "d": format "02/01" has no year: write the date 2 January 2006 as the file writes its dates, e.g. "02/01/2006" for 31/12/2017, or "Jan 2, 2006"`},
		{name: "every problem is reported", mod: func(ds *analysis.Dataset) {
			ds.Encoding = set("utf8", 6, 15)
			ds.Delimiter = set(";;", 7, 16)
		}, err: `analyses/a.yaml:6:15: dataset "estimates": unknown encoding "utf8" (did you mean utf-8?)` + "\n" +
			`analyses/a.yaml:7:16: dataset "estimates": delimiter ";;" must be one character other than a quote or a line break, e.g. ",", ";" or "\t"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds := newDataset("", str("a"))
			if tt.mod != nil {
				tt.mod(ds)
			}
			sp, err := Compile(ds)
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Fatalf("error\n%v\nwant\n%s", err, tt.err)
				}
				if len(position.Errors(err)) == 0 {
					t.Errorf("%T is not positioned", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if sp.comma != tt.comma || sp.enc != tt.enc {
				t.Errorf("delimiter %q, encoding %q; want %q, %q", sp.comma, sp.enc, tt.comma, tt.enc)
			}
		})
	}
}

// TestCompileNulls: the dataset's markers (an empty cell by default)
// replace nothing of a column's, which add to them.
func TestCompileNulls(t *testing.T) {
	ds := newDataset("", str("a"), &analysis.Column{Name: "b", Type: tInt, Null: []string{"-"}})
	sp, err := Compile(ds)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := [][]string{sp.nulls(0), sp.nulls(1)}, [][]string{{""}, {"", "-"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("default: nulls %q, want %q", got, want)
	}
	ds.NullSet, ds.Null = true, []analysis.String{{Value: "NA"}}
	if sp, err = Compile(ds); err != nil {
		t.Fatal(err)
	}
	if got, want := [][]string{sp.nulls(0), sp.nulls(1)}, [][]string{{"NA"}, {"NA", "-"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("null: NA: nulls %q, want %q", got, want)
	}
	ds.Null = nil
	if sp, err = Compile(ds); err != nil {
		t.Fatal(err)
	}
	if got, want := [][]string{sp.nulls(0), sp.nulls(1)}, [][]string{{}, {"-"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("null: []: nulls %q, want %q", got, want)
	}
}

// TestSchemaEncodings: the JSON Schema of the analysis format offers the
// encodings Compile accepts, and only those.
func TestSchemaEncodings(t *testing.T) {
	src, err := os.ReadFile("../../../docs/analysis.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var schema struct {
		Defs struct {
			Dataset struct {
				Properties struct {
					Encoding struct {
						Enum []string `json:"enum"`
					} `json:"encoding"`
				} `json:"properties"`
			} `json:"dataset"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(src, &schema); err != nil {
		t.Fatal(err)
	}
	if got := schema.Defs.Dataset.Properties.Encoding.Enum; !reflect.DeepEqual(got, Encodings) {
		t.Errorf("schema encoding enum %q, dataset.Encodings %q", got, Encodings)
	}
}
