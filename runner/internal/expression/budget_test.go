package expression

import (
	"runtime"
	"testing"
)

const (
	once  = "would build more than 1 MiB (1048576 bytes) at once, the most an expression may"
	inAll = "this evaluation would build more than 16 MiB (16777216 bytes) of text in all, the memory budget of one evaluation"
)

// allocated returns what f allocates, in bytes.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestTextBudget: what would build more text than MaxString at once, or
// more than TextBudget in one evaluation, is refused before it is
// allocated, at the call, on both paths. Held by the bytes allocated, not
// by time: repeat(repeat("x", 10000), 100000) allocated 988 MB before the
// budget stopped it, and reduce(1..80000, #acc + "xxxxxxxxxx", "") copied
// its growing string for 20 s.
func TestTextBudget(t *testing.T) {
	tests := []struct {
		name, src, err string
		max            uint64 // bytes the evaluation may allocate
	}{
		{"repeat of a repeat", `repeat(repeat("x", 10000), 100000)`, `x.yaml:12:12: value x: repeat ` + once, 1 << 20},
		{"repeat of 10 GB", `repeat(repeat("x", 100000), 100000)`, `x.yaml:12:12: value x: repeat ` + once, 1 << 20},
		{"repeat of 2 MB", `repeat(repeat("x", 10000), 200)`, `x.yaml:12:12: value x: repeat ` + once, 1 << 20},
		{"repeat with a huge count", `repeat("xy", 9223372036854775807)`, `x.yaml:12:12: value x: repeat ` + once, 1 << 20},
		{"quadratic concatenation", `reduce(1..80000, #acc + "xxxxxxxxxx", "")`, `x.yaml:12:34: value x: +: ` + inAll, 24 << 20},
		{"quadratic concatenation, small", `reduce(1..3000, #acc + "xxxxxxxxxx", "")`, `x.yaml:12:33: value x: +: ` + inAll, 24 << 20},
		{"concatenation of a column", `reduce(1..5000, #acc + city, "")`, `x.yaml:12:33: value x: +: ` + inAll, 24 << 20},
		{"doubling", `reduce(1..40, #acc + #acc, "x")`, `x.yaml:12:31: value x: + ` + once, 4 << 20},
		{"join", `join(map(1..100000, "abcdefghijklmnop"), ",")`, `x.yaml:12:12: value x: join ` + once, 16 << 20},
		{"replace", `replace(repeat("a", 1000), "a", repeat("b", 2000))`, `x.yaml:12:12: value x: replace ` + once, 1 << 20},
		{"split", `split(repeat("a,", 100000), ",")`, `x.yaml:12:12: value x: split ` + once, 1 << 20},
		{"toJSON", `toJSON(1..100000)`, `x.yaml:12:12: value x: toJSON ` + once, 4 << 20},
		{"string of a list", `string(1..200000)`, `x.yaml:12:12: value x: string ` + once, 8 << 20},
		{"upper in a loop", `reduce(1..100, upper(#acc), repeat("x", 500000))`, `x.yaml:12:27: value x: upper: ` + inAll, 24 << 20},
		{"title in a loop", `reduce(1..100, title(#acc), repeat("x", 500000))`, `x.yaml:12:27: value x: title: ` + inAll, 24 << 20},
		{"toBase64", `toBase64(repeat("x", 800000))`, `x.yaml:12:12: value x: toBase64 ` + once, 3 << 20},
		{"a range past the budget", `len(1..2000000)`, `x.yaml:12:16: value x: 1..2000000 has more than 1000000 elements, the memory budget of one evaluation`, 1 << 20},
		{"a range whose size wraps", `len(0..9223372036854775807)`, `x.yaml:12:16: value x: 0..9223372036854775807 has more than 1000000 elements, the memory budget of one evaluation`, 1 << 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Compile(at(tt.src, 12, 12), "value x", rowEnv(), AnyResult)
			if err != nil {
				t.Fatal(err)
			}
			var m VM
			for name, eval := range map[string]func(*Program, any) (any, error){"null-aware": m.Eval, "present": m.EvalPresent} {
				var v any
				var err error
				got := allocated(func() { v, err = eval(p, fullRow()) })
				if err == nil || err.Error() != tt.err {
					t.Errorf("%s path: %.40v, %v\nwant error %s", name, v, err, tt.err)
				}
				if got > tt.max {
					t.Errorf("%s path: allocated %d bytes, want at most %d", name, got, tt.max)
				}
			}
		})
	}
}

// TestTextWithinBudget: text up to the limits is built, and null still
// gives null.
func TestTextWithinBudget(t *testing.T) {
	tests := []struct {
		src  string
		want any
	}{
		{`len(repeat("x", 1048576))`, 1 << 20},
		{`len(reduce(1..1000, #acc + "xxxxxxxxxx", ""))`, 10000},
		{`city + "!" + string(low)`, "Mosul!3"},
		{`join(["a", "b", city], ", ")`, "a, b, Mosul"},
		{`join([])`, ""},
		{`replace(city, "o", "00")`, "M00sul"},
		{`replace("aaa", "a", "bb", 2)`, "bbbba"},
		{`replace("ab", "", "-")`, "-a-b-"},
		{`upper(city) + lower(city)`, "MOSULmosul"},
		{`len(split("a,b,c", ","))`, 3},
		{`len(split("abc", ""))`, 3},
		{`splitAfter("a,b", ",")`, []string{"a,", "b"}},
		{`split("a,b,c", ",", 2)`, []string{"a", "b,c"}},
		{`toBase64("hi")`, "aGk="},
		{`fromJSON("[1, 2]")`, []any{1.0, 2.0}},
		{`toJSON([1, "a"])`, "[\n  1,\n  \"a\"\n]"},
		{`string(share)`, "0.25"},
		{`len(1..499999)`, 499999},
		{`low + high`, 12},
	}
	for _, tt := range tests {
		p, err := Compile(at(tt.src, 1, 1), "value x", rowEnv(), AnyResult)
		if err != nil {
			t.Fatalf("%s: %v", tt.src, err)
		}
		var m VM
		for name, eval := range map[string]func(*Program, any) (any, error){"null-aware": m.Eval, "present": m.EvalPresent} {
			if got, err := eval(p, fullRow()); err != nil || !equal(got, tt.want) {
				t.Errorf("%s on the %s path = %#v, %v; want %#v", tt.src, name, got, err, tt.want)
			}
		}
	}
	for _, src := range []string{`city + "x"`, `repeat(city, 2)`, `upper(city)`, `split(city, ",")`, `replace(city, "a", "b")`, `string(low)`} {
		if got, err := eval(t, src, rowEnv(), nilRow()); err != nil || got != nil {
			t.Errorf("%s over the null row = %#v, %v; want nil", src, got, err)
		}
	}
}
