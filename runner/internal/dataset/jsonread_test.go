package dataset

import (
	"bytes"
	"compress/gzip"
	"reflect"
	"strings"
	"testing"
	"time"

	"galley/runner/internal/analysis"
)

// jsonDataset declares datasets/x.json (or another path), pinned to data.
func jsonDataset(path, data string, cols ...*analysis.Column) *analysis.Dataset {
	ds := newDataset(data, cols...)
	ds.Path.Value = path
	return ds
}

func from(name string, typ analysis.ColumnType, key string) *analysis.Column {
	return &analysis.Column{Name: name, Type: typ, From: key, FromPos: at(20, 9)}
}

const grants = `{"meta": {"source": "x", "skip": [1, {"a": [2]}]},
 "data": {"count": 2, "items": [
  {"recipient": "Ana", "amount": 1200.5, "year": 2021, "location": {"lat": 36.3, "lon": 43.1}, "ok": true, "since": "2021-03-04"},
  {"recipient": "Bo", "amount": 12, "year": 2022.0, "ok": false, "extra": {"deep": [1, 2, 3]}, "since": null}
 ]},
 "after": [1, 2]}
`

func TestJSONRows(t *testing.T) {
	cols := func() []*analysis.Column {
		return []*analysis.Column{str("recipient"), col("amount", analysis.TypeFloat), col("year", analysis.TypeInt),
			from("lat", analysis.TypeFloat, "location.lat"), col("ok", analysis.TypeBool), col("since", analysis.TypeDate)}
	}
	want := [][]any{
		{"Ana", 1200.5, 2021, 36.3, true, time.Date(2021, 3, 4, 0, 0, 0, 0, time.UTC)},
		{"Bo", 12.0, 2022, nil, false, nil},
	}
	ndjson := `{"recipient": "Ana", "amount": 1200.5, "year": 2021, "location": {"lat": 36.3}, "ok": true, "since": "2021-03-04"}

{"recipient": "Bo", "amount": 12, "year": 2022.0, "ok": false, "since": null}
`
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(ndjson))
	zw.Close()
	for _, c := range []struct {
		name, path, data, records string
		lines                     []int
	}{
		{"json under records", "datasets/x.json", grants, "data.items", []int{3, 4}},
		{"json array", "datasets/x.json", "[" + strings.Join(strings.Split(ndjson, "\n\n"), ",\n") + "]", "", []int{1, 2}},
		{"ndjson", "datasets/x.ndjson", ndjson, "", []int{1, 3}},
		{"ndjson gzip", "datasets/x.jsonl.gz", gz.String(), "", []int{1, 3}},
	} {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			writeFile(t, root, c.path, c.data)
			ds := jsonDataset(c.path, c.data, cols()...)
			if c.records != "" {
				ds.Records = analysis.String{Value: c.records, Set: true}
			}
			rows, lines, err := readAll(ds, Options{Root: root})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(rows, want) || !reflect.DeepEqual(lines, c.lines) {
				t.Errorf("rows %v at lines %v", rows, lines)
			}
		})
	}
}

func TestJSONErrors(t *testing.T) {
	deep := `[{"a": 1, "b": {"c": {"d": "x"}}},
{"a": 2, "b": {"c": {"d": 7}}}]`
	for _, c := range []struct {
		name, path, data, records string
		cols                      []*analysis.Column
		want                      string
	}{
		{"a wrong type deep in a record", "datasets/x.json", deep, "", []*analysis.Column{col("a", analysis.TypeInt), from("d", analysis.TypeString, "b.c.d")},
			`datasets/x.json:2:27: record 2, column "d" (string): the value is the number 7, not text (declare the column as int or float)`},
		{"3.5 in an int column", "datasets/x.ndjson", "{\"a\": 1}\n{\"a\": 3.5}\n", "", []*analysis.Column{col("a", analysis.TypeInt)},
			`datasets/x.ndjson:2:7: record 2, column "a" (int): the number 3.5 is not an integer (declare the column as float)`},
		{"not an object where a key is read", "datasets/x.json", `[{"b": 5}]`, "", []*analysis.Column{from("d", analysis.TypeInt, "b.c")},
			`datasets/x.json:1:8: record 1, column "d": b is the number 5, not an object holding "c"`},
		{"an object in a column", "datasets/x.json", `[{"b": {"c": 1}}]`, "", []*analysis.Column{col("b", analysis.TypeInt)},
			`datasets/x.json:1:8: record 1, column "b" (int): the value is an object; a column holds one value`},
		{"a record that is no object", "datasets/x.json", `[{"a": 1}, 2]`, "", []*analysis.Column{col("a", analysis.TypeInt)},
			`datasets/x.json:1:12: record 2 is the number 2, not an object (each record is an object of keys and values)`},
		{"an object without records", "datasets/x.json", `{"data": []}`, "", []*analysis.Column{col("a", analysis.TypeInt)},
			`datasets/x.json:1:1: the file holds an object, not an array of records: name the array with records: (e.g. records: data)`},
		{"records not found", "datasets/x.json", grants, "data.itmes", []*analysis.Column{col("a", analysis.TypeInt)},
			`datasets/x.json:2:10: records: "data.itmes": data has no key "itmes" (did you mean "items"?)`},
		{"records not an array", "datasets/x.json", grants, "data.count", []*analysis.Column{col("a", analysis.TypeInt)},
			`datasets/x.json:2:20: records: "data.count" is the number 2, not an array of records`},
		{"a key no record has", "datasets/x.json", grants, "data.items", []*analysis.Column{str("recipient"), col("amont", analysis.TypeFloat)},
			`analyses/a.yaml:11:7: dataset "estimates": column "amont": no record of datasets/x.json has the key "amont" (did you mean "amount"?)`},
		{"cut short", "datasets/x.json", grants[:200], "data.items", []*analysis.Column{str("recipient")},
			`datasets/x.json:3:117: the file ends in the middle of a JSON value (is it cut short?)`},
		{"bad syntax", "datasets/x.ndjson", "{\"a\": 1}\n{\"a\": 1,}\n", "", []*analysis.Column{col("a", analysis.TypeInt)},
			`datasets/x.ndjson:2:9: the file is not valid JSON: invalid character '}' looking for beginning of object key string`},
		{"text after the array", "datasets/x.json", `[{"a": 1}] [2]`, "", []*analysis.Column{col("a", analysis.TypeInt)},
			`datasets/x.json:1:12: a list after the end of the JSON value (a JSON dataset holds one array of records, or one object around it)`},
		{"not UTF-8", "datasets/x.ndjson", "{\"a\": \"x\"}\n{\"a\": \"\xff\"}\n", "", []*analysis.Column{str("a")},
			`datasets/x.ndjson:2:8: not valid UTF-8 (byte 0xff); if the file is in another encoding, declare it in the dataset: encoding: windows-1252 or encoding: latin-1`},
		{"a key twice", "datasets/x.json", `[{"a": 1, "a": 2}]`, "", []*analysis.Column{col("a", analysis.TypeInt)},
			`datasets/x.json:1:11: record 1: the key "a" is written twice in one object (keep one)`},
		{"required", "datasets/x.ndjson", "{\"a\": 1}\n{\"b\": 1}\n", "", []*analysis.Column{{Name: "a", Type: analysis.TypeInt, Required: true}},
			`datasets/x.ndjson:2:1: record 2, column "a" (int): the column is required, but the value is null or missing`},
		{"a gzip file cut short", "datasets/x.json.gz", gzipped(grants)[:60], "data.items", []*analysis.Column{str("recipient")},
			`datasets/x.json.gz:1:10: the gzip stream is cut short: the file ends before the compressed data does (it is truncated; fetch it again, then run galley pin)`},
	} {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			writeFile(t, root, c.path, c.data)
			ds := jsonDataset(c.path, c.data, c.cols...)
			if c.records != "" {
				ds.Records = analysis.String{Value: c.records, Set: true}
			}
			_, _, err := readAll(ds, Options{Root: root})
			if err == nil || err.Error() != c.want {
				t.Errorf("got  %v\nwant %s", err, c.want)
			}
			// A wrong pin is the error, whatever the reading finds.
			ds.SHA256.Value = sum("other")
			_, _, err = readAll(ds, Options{Root: root})
			if err == nil || !strings.Contains(err.Error(), "does not match its pin") {
				t.Errorf("with a wrong pin: %v", err)
			}
		})
	}
}

func gzipped(s string) string {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(s))
	zw.Close()
	return b.String()
}

// TestInputBounds: a record past MaxRecord stops the reading where it
// starts, in JSON text and in a gzip stream that inflates without end.
func TestInputBounds(t *testing.T) {
	long := strings.Repeat("x", 1000)
	for _, c := range []struct {
		name, path, data string
		cols             []*analysis.Column
		want             string
	}{
		{"ndjson", "datasets/x.ndjson", "{\"a\": \"b\"}\n{\"a\": \"" + long + "\"}\n", []*analysis.Column{str("a")},
			`datasets/x.ndjson:2:1: a record is longer than 256 bytes, the limit (is a bracket or a quote left open?)`},
		{"json, white space", "datasets/x.json", "[{\"a\": \"b\"}," + strings.Repeat("\n", 1000) + "{\"a\": \"c\"}]", []*analysis.Column{str("a")},
			`datasets/x.json:257:1: a record is longer than 256 bytes, the limit (is a bracket or a quote left open?)`},
		{"gzip bomb", "datasets/x.csv.gz", gzipped("a\nb\n" + strings.Repeat("0", 1<<20)), []*analysis.Column{str("a")},
			`datasets/x.csv.gz:3:257: a record is longer than 256 bytes, the limit (line 3 has no line break in its first 256 bytes: is this a CSV file?)`},
	} {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			writeFile(t, root, c.path, c.data)
			_, _, err := readAll(jsonDataset(c.path, c.data, c.cols...), Options{Root: root, MaxRecord: 256})
			if err == nil || err.Error() != c.want {
				t.Errorf("got  %v\nwant %s", err, c.want)
			}
		})
	}
}
