package cli

import (
	"reflect"
	"testing"

	"galley/runner/internal/results"
)

// TestCompareFiles: galley diff says which files of a glob came, went or
// changed.
func TestCompareFiles(t *testing.T) {
	a, b, c := "aaaa", "bbbb", "cccc"
	old := []results.File{{Path: "w/KA.csv", SHA256: a, RowsRead: 2}, {Path: "w/KB.csv", SHA256: b, RowsRead: 3}}
	now := []results.File{{Path: "w/KB.csv", SHA256: c, RowsRead: 4}, {Path: "w/KC.csv", SHA256: a, RowsRead: 1}}
	want := []change{
		{"sha256 of w/KB.csv", b, c},
		{"rows read from w/KB.csv", "3", "4"},
		{"file w/KC.csv", "", "aaaa, 1 row"},
		{"file w/KA.csv", "aaaa, 2 rows", ""},
	}
	if got := compareFiles(old, now); !reflect.DeepEqual(got, want) {
		t.Errorf("got  %v\nwant %v", got, want)
	}
	if got := compareFiles(old, old); len(got) != 0 {
		t.Errorf("no change: %v", got)
	}
}
