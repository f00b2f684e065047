package dataset

import (
	"reflect"
	"strconv"
	"testing"

	"galley/runner/internal/analysis"
)

func TestInfer(t *testing.T) {
	tests := []struct {
		name string
		data string
		want Inferred // Path and SHA256 are filled in
		err  string
	}{{
		name: "types, names and nulls",
		data: "City,Deaths (low),high,Share %,Verified,Date,US date,ZIP,date,,City,Flag\n" +
			"Mosul,9000,11000,0.5,yes,2017-07-31,12/31/2017,02134,x,a,M,1\n" +
			"Raqqa,-,NA,1e3,No,,1/2/2017,10001,y,b,R,0\n" +
			"Aleppo,12,13,7,TRUE,2017-02-28,2/28/2017,99999,z,c,A,1\n",
		want: Inferred{Encoding: "utf-8", Delimiter: ",", Null: []string{"", "NA", "-"}, Rows: 3, Columns: []InferredColumn{
			{Name: "city", FromIdx: 1, Type: analysis.TypeString},
			{Name: "deaths_low", From: "Deaths (low)", Type: analysis.TypeInt, Nulls: 1},
			{Name: "high", Type: analysis.TypeInt, Nulls: 1},
			{Name: "share", From: "Share %", Type: analysis.TypeFloat},
			{Name: "verified", From: "Verified", Type: analysis.TypeBool},
			{Name: "date", From: "Date", Type: analysis.TypeDate, Nulls: 1},
			{Name: "us_date", From: "US date", Type: analysis.TypeDate, Layout: "1/2/2006"},
			{Name: "zip", From: "ZIP", Type: analysis.TypeString},
			{Name: "date_2", From: "date", Type: analysis.TypeString},
			{Name: "col_10", FromIdx: 10, Type: analysis.TypeString},
			{Name: "city_2", FromIdx: 11, Type: analysis.TypeString},
			{Name: "flag", From: "Flag", Type: analysis.TypeInt},
		}},
	}, {
		name: "a marker in a string column only is not proposed",
		data: "a,b\n-,1\nx,.\n",
		want: Inferred{Encoding: "utf-8", Delimiter: ",", Null: []string{"", "."}, Rows: 2, Columns: []InferredColumn{
			{Name: "a", Type: analysis.TypeString},
			{Name: "b", Type: analysis.TypeInt, Nulls: 1},
		}},
	}, {
		name: "ambiguous day and month stay strings; invalid dates too",
		data: "d;e;f\n01/02/2017;2017-02-30;31.12.2017\n03/04/2017;2017-01-01;1.2.2017\n",
		want: Inferred{Encoding: "utf-8", Delimiter: ";", Null: []string{""}, Rows: 2, Columns: []InferredColumn{
			{Name: "d", Type: analysis.TypeString},
			{Name: "e", Type: analysis.TypeString},
			{Name: "f", Type: analysis.TypeDate, Layout: "2.1.2006"},
		}},
	}, {
		name: "semicolons with decimal commas",
		data: "\xef\xbb\xbfname;value\nAP;1,5\nUS;2,25\n",
		want: Inferred{Encoding: "utf-8", Delimiter: ";", Null: []string{""}, Rows: 2, Columns: []InferredColumn{
			{Name: "name", Type: analysis.TypeString},
			{Name: "value", Type: analysis.TypeString},
		}},
	}, {
		name: "tabs, windows-1252",
		data: "D\xe9c\xe8s\tn\n\x93x\x94\t1\r\n",
		want: Inferred{Encoding: "windows-1252", Delimiter: "\t", Null: []string{""}, Rows: 1, Columns: []InferredColumn{
			{Name: "deces", From: "Décès", Type: analysis.TypeString},
			{Name: "n", Type: analysis.TypeInt},
		}},
	}, {
		name: "pipes, latin-1",
		data: "a|b\nx\x81|1.5\n",
		want: Inferred{Encoding: "latin-1", Delimiter: "|", Null: []string{""}, Rows: 1, Columns: []InferredColumn{
			{Name: "a", Type: analysis.TypeString},
			{Name: "b", Type: analysis.TypeFloat},
		}},
	}, {
		name: "one column, blank lines are nulls",
		data: "n\n1\n\n3\n",
		want: Inferred{Encoding: "utf-8", Delimiter: ",", Null: []string{""}, Rows: 3, Columns: []InferredColumn{
			{Name: "n", Type: analysis.TypeInt, Nulls: 1},
		}},
	}, {
		name: "header only",
		data: "a,b\n",
		want: Inferred{Encoding: "utf-8", Delimiter: ",", Null: []string{""}, Columns: []InferredColumn{
			{Name: "a", Type: analysis.TypeString},
			{Name: "b", Type: analysis.TypeString},
		}},
	}, {
		name: "empty",
		data: "",
		err:  "datasets/x.csv:1: the file is empty; a dataset needs a header row naming its columns",
	}, {
		name: "a byte-order mark in the middle",
		data: "a,b\n1,2\n3,\xef\xbb\xbf4\n",
		err:  "datasets/x.csv:3:3: a UTF-8 byte-order mark in the middle of the file (were two files joined? remove it, then run galley pin)",
	}, {
		name: "a byte-order mark at the start is dropped",
		data: "\xef\xbb\xbfa\n1\n",
		want: Inferred{Encoding: "utf-8", Delimiter: ",", Null: []string{""}, Rows: 1, Columns: []InferredColumn{
			{Name: "a", Type: analysis.TypeInt},
		}},
	}, {
		name: "ragged",
		data: "a,b\n1\n",
		err:  `datasets/x.csv:2:2: row has 1 field, but the header has 2: it ends before column 2, "b"`,
	}, {
		// The message names the delimiter found, not the zero rune.
		name: "a row too long",
		data: "a,b\n1,2,3\n",
		err:  `datasets/x.csv:2:5: row has 3 fields, but the header has 2: field 3, "3", is past the last column, "b" (is a value holding ',' not quoted?)`,
	}, {
		name: "a row too long, semicolons",
		data: "a;b;c\n1;2;3\n4;5;6\n7;8;9;10\n",
		err:  `datasets/x.csv:4:7: row has 4 fields, but the header has 3: field 4, "10", is past the last column, "c" (is a value holding ';' not quoted?)`,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			writeFile(t, root, "datasets/x.csv", tt.data)
			got, err := Infer("datasets/x.csv", root, 0)
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Fatalf("error %v, want %s", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.want.Path = "datasets/x.csv"
			tt.want.SHA256 = sum(tt.data)
			if !reflect.DeepEqual(*got, tt.want) {
				t.Errorf("got\n%+v\nwant\n%+v", *got, tt.want)
			}
		})
	}
}

func TestInferPath(t *testing.T) {
	root := t.TempDir()
	_, err := Infer("datasets/nope.csv", root, 0)
	want := "datasets/nope.csv: does not exist (there is no directory datasets)"
	if err == nil || err.Error() != want {
		t.Errorf("error %v, want %s", err, want)
	}
}

func TestSafeName(t *testing.T) {
	names := newNamer()
	for _, c := range []struct{ in, want string }{
		{"Period start", "period_start"},
		{"Deaths (low)", "deaths_low"},
		{"Décès", "deces"},
		{"2017", "col_2017"},
		{"", "col_5"},
		{"%%%", "col_6"},
		{"sum", "sum"}, // a function's name is a column's too (contract v2)
		{"Sum", "sum_2"},
		{"count", "count"},
		{"in", "in_"}, // a keyword is not
		{"already_snake", "already_snake"},
		{"__x__", "x"},
		{"X", "x_2"},
		{"日本", "col_14"},
	} {
		i := len(names.taken)
		if got := names.name(c.in, i); got != c.want {
			t.Errorf("name(%q, %d) = %q, want %q", c.in, i, got, c.want)
		}
	}
}

// TestNamesNearLinear names 20,000 columns all called a (80 KB of header,
// which galley init took 27 s to name) and columns whose names take the
// suffixes the others would: the names tried must grow with the columns,
// not with their square.
func TestNamesNearLinear(t *testing.T) {
	const n = 20_000
	names := newNamer()
	for i := range n {
		want := "a"
		if i > 0 {
			want = "a_" + strconv.Itoa(i+1)
		}
		if got := names.name("a", i); got != want {
			t.Fatalf("column %d: %q, want %q", i+1, got, want)
		}
	}
	if names.probes > 2*n {
		t.Errorf("%d names tried for %d columns, want at most %d", names.probes, n, 2*n)
	}

	// Suffixes taken by other columns are skipped, each once.
	names = newNamer()
	for i := range n {
		names.name("b_"+strconv.Itoa(2*i+2), i) // b_2, b_4, …
	}
	got := ""
	for i := range n {
		got = names.name("b", n+i)
	}
	if want := "b_" + strconv.Itoa(2*n-1); got != want { // b, b_3, b_5, …
		t.Errorf("last name %q, want %q", got, want)
	}
	if names.probes > 5*n {
		t.Errorf("%d names tried for %d columns, want at most %d", names.probes, 2*n, 5*n)
	}
}
