package cli

import (
	"strings"
	"testing"

	"galley/runner/internal/analysis"
)

// TestReadBack checks the last guard of galley pin: the file it would
// write is parsed again, and is refused unless every pin reads back as its
// sum and nothing else changed. The broken files are what pin wrote before
// it learnt the forms (issue 14).
func TestReadBack(t *testing.T) {
	const sum = "328caf72e618e5405c5b60659908f2a573fbfbc32486755adce234e762a588ba"
	const rest = "    source: {title: T, publisher: P, accessed: 2026-11-24, license: CC0}\n    columns: {n: int}\n"
	tests := []struct {
		name     string
		src, out string
		ok       bool
	}{{
		name: "a pin added",
		src:  "title: T\ndatasets:\n  t:\n    path: d.csv\n" + rest,
		out:  "title: T\ndatasets:\n  t:\n    path: d.csv\n    sha256: " + sum + "\n" + rest,
		ok:   true,
	}, {
		name: "a pin rewritten, comments kept",
		src:  "title: T  # a title\ndatasets:\n  t:\n    path: d.csv\n    sha256: '00'  # old\n" + rest,
		out:  "title: T  # a title\ndatasets:\n  t:\n    path: d.csv\n    sha256: '" + sum + "'  # old\n" + rest,
		ok:   true,
	}, {
		name: "the pin of a flow mapping written as a dataset of its own",
		src:  "title: T\ndatasets:\n  t: {path: d.csv, source: {title: T, publisher: P, accessed: 2026-11-24, license: CC0}, columns: {n: int}}\n",
		out:  "title: T\ndatasets:\n  t: {path: d.csv, source: {title: T, publisher: P, accessed: 2026-11-24, license: CC0}, columns: {n: int}}\n  sha256: " + sum + "\n",
	}, {
		name: "the pin written into a folded path",
		src:  "title: T\ndatasets:\n  t:\n    path: >-\n      d.csv\n" + rest,
		out:  "title: T\ndatasets:\n  t:\n    path: >-\n      d.csv\n      sha256: " + sum + "\n" + rest,
	}, {
		name: "an escaped pin overwritten by its length once decoded",
		src:  "title: T\ndatasets:\n  t:\n    path: d.csv\n    sha256: \"\\x30" + strings.Repeat("0", 63) + "\"\n" + rest,
		out:  "title: T\ndatasets:\n  t:\n    path: d.csv\n    sha256: " + sum + "00\"\n" + rest,
	}, {
		name: "something else changed",
		src:  "title: T\ndatasets:\n  t:\n    path: d.csv\n" + rest,
		out:  "title: U\ndatasets:\n  t:\n    path: d.csv\n    sha256: " + sum + "\n" + rest,
	}, {
		name: "a number made text",
		src:  "title: T\ndek: 1\ndatasets:\n  t:\n    path: d.csv\n" + rest,
		out:  "title: T\ndek: '1'\ndatasets:\n  t:\n    path: d.csv\n    sha256: " + sum + "\n" + rest,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, _ := analysis.Parse("a.yaml", []byte(tt.src))
			if f == nil {
				t.Fatal("the analysis does not parse")
			}
			_, ok := readBack("a.yaml", []byte(tt.src), []byte(tt.out), f, map[string]string{"t": sum}, nil)
			if ok != tt.ok {
				t.Errorf("readBack = %v, want %v", ok, tt.ok)
			}
		})
	}
}
