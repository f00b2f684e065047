package expression

import (
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// TestDeepNesting: a source nested far deeper than MaxDepth, which ran
// expr-lang's parser out of stack (a fatal error that kills the process),
// is refused by the scan before any parsing, at the place where the limit
// is passed; nesting up to the limit still compiles.
func TestDeepNesting(t *testing.T) {
	const deep = 600_000
	tests := []struct {
		name string
		src  string
		col  int // of the error, in the expression's one line written at column 12
	}{
		{"parentheses", strings.Repeat("(", deep) + "1" + strings.Repeat(")", deep), 12 + MaxDepth},
		{"brackets", strings.Repeat("[", deep) + "1" + strings.Repeat("]", deep), 12 + MaxDepth},
		{"braces", strings.Repeat("{", deep), 12 + MaxDepth},
		{"unary minus", strings.Repeat("-", deep) + "1", 12 + MaxDepth},
		{"unary minus spaced", strings.Repeat("- ", deep) + "1", 12 + 2*MaxDepth},
		{"not", strings.Repeat("!", deep) + "ok", 12 + MaxDepth},
		{"not as a word", strings.Repeat("not ", deep) + "ok", 12 + 4*MaxDepth},
		{"minus and parentheses", strings.Repeat("-(", deep) + "1" + strings.Repeat(")", deep), 12 + MaxDepth},
		{"conditionals", strings.Repeat("ok ? 1 : ", deep) + "2", 12 + 9*MaxDepth + 3},
		{"lets", strings.Repeat("let a = 1; ", deep) + "a", 12 + 11*MaxDepth},
		{"after a string holding brackets", `"(((" + ` + strings.Repeat("(", deep), 12 + 8 + MaxDepth},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := at(tt.src, 12, 12)
			want := "x.yaml:12:" + itoa(tt.col) + ": expression nested more than 256 levels deep (brackets, prefix operators such as - and !, conditionals); split it into values or derived columns"
			_, err := Compile(e, "where", rowEnv(), AnyResult)
			if err == nil || err.Error() != want {
				t.Errorf("Compile:\n got %v\nwant %s", err, want)
			}
			if _, err := SplitAggregate(e, "aggregate x"); err == nil || err.Error() != want {
				t.Errorf("SplitAggregate:\n got %v\nwant %s", err, want)
			}
			if names := Names(e); names != nil {
				t.Errorf("Names = %v, want nil", names)
			}
		})
	}
}

// TestNestingWithinTheLimit: MaxDepth levels of each kind compile and
// evaluate, and the scan is not fooled by operators that are not prefix
// ones.
func TestNestingWithinTheLimit(t *testing.T) {
	for _, src := range []string{
		strings.Repeat("(", MaxDepth) + "1" + strings.Repeat(")", MaxDepth),
		strings.Repeat("-", MaxDepth) + "1",
		strings.Repeat("[", MaxDepth) + "1" + strings.Repeat("]", MaxDepth),
		strings.Repeat("low - ", 300) + "1",         // binary minus: no nesting
		strings.Repeat("-low + ", 300) + "1",        // each prefix ends at the next +
		strings.Repeat("(low) + ", 300) + "1",       // brackets closed
		strings.Repeat("low > 1 ? 1 : ", 100) + "2", // a chain of 100 conditionals
		`city not in ["a", "b"] && !(low != 1) && 1..3 == [1, 2, 3] && "(((" != ")"`,
	} {
		if tooDeep(src) >= 0 {
			t.Errorf("%.40s...: refused", src)
			continue
		}
		if _, err := Compile(at(src, 1, 1), "derive x", rowEnv(), AnyResult); err != nil {
			t.Errorf("%.40s...: %v", src, err)
		}
	}
}

// TestDepthScanIsLinear: the scan of a 600,000-byte source allocates
// nothing per byte (it runs before the parser, on any input).
func TestDepthScanIsLinear(t *testing.T) {
	src := strings.Repeat("(-", 300_000)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if tooDeep(src) < 0 {
		t.Fatal("not refused")
	}
	runtime.ReadMemStats(&after)
	if got := after.TotalAlloc - before.TotalAlloc; got > 64<<10 {
		t.Errorf("the scan allocated %d bytes", got)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
