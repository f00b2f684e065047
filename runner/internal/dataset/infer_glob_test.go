package dataset

import (
	"fmt"
	"strings"
	"testing"
)

func TestInferGlob(t *testing.T) {
	for _, c := range []struct {
		name  string
		files map[string]string // under datasets/g/
		want  string            // the columns, "name type note" each, or the error
	}{
		{"int and float widen to float", map[string]string{"a.csv": "x\n1\n2\n", "b.csv": "x\n2.5\n"}, "x float"},
		{"a column all null in one file", map[string]string{"a.csv": "x,y\n1,\n", "b.csv": "x,y\n2,2024-01-31\n"}, "x int; y date"},
		{"date forms that differ", map[string]string{"a.csv": "d\n2024-01-31\n", "b.csv": "d\n31 Jan 2024\n"},
			"d string date (2006-01-02) in some files, date (2 Jan 2006) in others: read as text"},
		{"int and bool", map[string]string{"a.csv": "x\n1\n2\n", "b.csv": "x\ntrue\n"}, "x string int in some files, bool in others: read as text"},
		{"another header", map[string]string{"a.csv": "x,y\n1,2\n", "b.csv": "x,z\n1,2\n"},
			`datasets/g/b.csv: the header differs from that of datasets/g/a.csv, the glob's first file: column 2 is "z" here, "y" there (a glob reads files of one shape)`},
		{"more columns", map[string]string{"a.csv": "x\n1\n", "b.csv": "x,y\n1,2\n"},
			`datasets/g/b.csv: it has 2 columns, datasets/g/a.csv, the glob's first file, has 1: a glob reads files of one shape (give this one a dataset of its own)`},
		{"another delimiter", map[string]string{"a.csv": "x,y\n1,2\n", "b.csv": "x;y\n1;2\n"},
			`datasets/g/b.csv: its delimiter is ";", that of datasets/g/a.csv, the glob's first file, is ",": a glob reads files of one shape (convert this one, or give it a dataset of its own)`},
	} {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			for name, data := range c.files {
				writeFile(t, root, "datasets/g/"+name, data)
			}
			inf, err := InferGlob("datasets/g/*.csv", root, 0, "")
			var got string
			if err != nil {
				got = err.Error()
			} else {
				var cols []string
				for _, col := range inf.Columns {
					cols = append(cols, strings.TrimSpace(fmt.Sprintf("%s %s %s", col.Name, col.Type, col.Note)))
				}
				got = strings.Join(cols, "; ")
				if len(inf.Files) != 2 || inf.Files[0].Path != "datasets/g/a.csv" || inf.Files[1].SHA256 != sum(c.files["b.csv"]) {
					t.Errorf("files %+v", inf.Files)
				}
			}
			if got != c.want {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
		})
	}
}
