package expression

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// TestSumFloats checks Sum's floats against a sum in big.Float with enough
// precision to be exact, in several orders and groupings.
func TestSumFloats(t *testing.T) {
	vals := []float64{1e16, 1, -1e16, 0.1, 0.2, 0.3, 1e-30, 3.14159, -2.71828, 1 << 60, -(1 << 60), 7.0 / 3}
	for i := 0; i < 200; i++ {
		vals = append(vals, float64(i%13)/7-float64(i%5)*1e8)
	}
	exact := new(big.Float).SetPrec(4096)
	for _, v := range vals {
		exact.Add(exact, new(big.Float).SetPrec(4096).SetFloat64(v))
	}
	want, _ := exact.Float64()
	for _, split := range []int{1, 3, 17, len(vals)} {
		for _, reverse := range []bool{false, true} {
			vs := append([]float64(nil), vals...)
			if reverse {
				for i, j := 0, len(vs)-1; i < j; i, j = i+1, j-1 {
					vs[i], vs[j] = vs[j], vs[i]
				}
			}
			var total Sum
			for i := 0; i < len(vs); i += split {
				var part Sum
				for _, v := range vs[i:min(i+split, len(vs))] {
					part.AddFloat(v)
				}
				total.Merge(&part)
			}
			if got, _ := total.Float(); got != want {
				t.Errorf("split %d reverse %v: %v, want %v", split, reverse, got, want)
			}
		}
	}
	var s Sum
	s.AddFloat(1.5)
	s.AddInt(1<<62 + 1)
	if got, _ := s.Float(); got != float64(1<<62+1)+1.5 {
		t.Errorf("plus a large int: %v", got)
	}
}

// TestSumInts: the ints are added in 128 bits, so a partial sum past the
// int range does not wrap, a total within it is exact whatever the order
// and grouping, and a total beyond it is reported, never wrapped.
func TestSumInts(t *testing.T) {
	tests := []struct {
		vals []int
		fits bool
		want string // the exact total
	}{
		{[]int{math.MaxInt64, 1}, false, "9223372036854775808"},
		{[]int{math.MaxInt64, 1, -1}, true, "9223372036854775807"},
		{[]int{math.MinInt64, -1}, false, "-9223372036854775809"},
		{[]int{math.MinInt64, -1, 1}, true, "-9223372036854775808"},
		{[]int{math.MaxInt64, math.MaxInt64, math.MaxInt64, math.MinInt64, math.MinInt64, math.MinInt64}, true, "-3"},
		{[]int{math.MaxInt64, math.MaxInt64, math.MaxInt64}, false, "27670116110564327421"},
		{[]int{math.MinInt64, math.MinInt64}, false, "-18446744073709551616"},
		{nil, true, "0"},
	}
	for _, tt := range tests {
		for _, split := range []int{1, 2, 5} {
			var total Sum
			for i := 0; i < len(tt.vals); i += split {
				var part Sum
				for _, v := range tt.vals[i:min(i+split, len(tt.vals))] {
					part.AddInt(v)
				}
				total.Merge(&part)
			}
			n, ok := total.Int()
			if ok != tt.fits || total.IntText() != tt.want || (ok && big.NewInt(int64(n)).String() != tt.want) {
				t.Errorf("%v in parts of %d: %d, %v (%s), want %s, fits %v", tt.vals, split, n, ok, total.IntText(), tt.want, tt.fits)
			}
			wantF, _ := new(big.Float).SetPrec(200).SetString(tt.want)
			f, _ := wantF.Float64()
			if got, _ := total.Float(); got != f {
				t.Errorf("%v as a float: %v, want %v", tt.vals, got, f)
			}
		}
	}
	// Random ints near the limits, against math/big.
	r := rand.New(rand.NewPCG(14, 2))
	for range 200 {
		var s Sum
		exact := new(big.Int)
		for range 1 + r.IntN(20) {
			v := int(r.Uint64())
			if r.IntN(3) == 0 {
				v = math.MaxInt64 - r.IntN(3)
			}
			s.AddInt(v)
			exact.Add(exact, big.NewInt(int64(v)))
		}
		n, ok := s.Int()
		if s.IntText() != exact.String() || ok != exact.IsInt64() || (ok && int64(n) != exact.Int64()) {
			t.Fatalf("sum %s, want %s", s.IntText(), exact)
		}
	}
}

// TestSumFloatOverflow: partial sums past the largest float do not stop an
// exact total within it, whatever the order and grouping (Python's
// math.fsum refuses [1.7e308, 1.7e308, -1.7e308] with "intermediate
// overflow" and gives 1.7e308 for [1.7e308, -1.7e308, 1.7e308]); a total
// beyond it is reported. Checked against math/big on random huge values.
func TestSumFloatOverflow(t *testing.T) {
	const h = 1.7e308
	orders := [][]float64{{h, h, -h}, {h, -h, h}, {-h, h, h}}
	for _, vals := range orders {
		for _, split := range []int{1, 2, 3} {
			var total Sum
			for i := 0; i < len(vals); i += split {
				var part Sum
				for _, v := range vals[i:min(i+split, len(vals))] {
					part.AddFloat(v)
				}
				total.Merge(&part)
			}
			if got, ok := total.Float(); !ok || got != h {
				t.Errorf("%v in parts of %d: %v, %v; want %v", vals, split, got, ok, h)
			}
			if got := total.Mean(3); got != h/3 {
				t.Errorf("%v mean: %v, want %v", vals, got, h/3)
			}
		}
	}
	var s Sum
	s.AddFloat(h)
	s.AddFloat(h)
	if got, ok := s.Float(); ok {
		t.Errorf("1.7e308 + 1.7e308 = %v, want beyond the range", got)
	}
	if got := s.Mean(2); got != h {
		t.Errorf("mean of two 1.7e308 = %v", got)
	}
	r := rand.New(rand.NewPCG(14, 3))
	for range 300 {
		var s Sum
		exact := new(big.Float).SetPrec(2200)
		n := 1 + r.IntN(12)
		for range n {
			v := math.Ldexp(r.Float64()*2-1, 1020+r.IntN(5)) // up to ±2^1024, not reaching it
			if r.IntN(4) == 0 {
				v = math.Ldexp(r.Float64(), -r.IntN(1070))
			}
			if r.IntN(5) == 0 {
				iv := int(r.Uint64())
				s.AddInt(iv)
				exact.Add(exact, new(big.Float).SetInt64(int64(iv)))
				continue
			}
			s.AddFloat(v)
			exact.Add(exact, big.NewFloat(v))
		}
		want, _ := exact.Float64()
		got, ok := s.Float()
		if ok != !math.IsInf(want, 0) || (ok && got != want) {
			t.Fatalf("sum %v (%v), want %v (exact %s)", got, ok, want, exact.Text('g', 20))
		}
		wantMean, _ := new(big.Float).SetPrec(2200).Quo(exact, big.NewFloat(float64(n))).Float64()
		if gotMean := s.Mean(n); ok && gotMean != got/float64(n) || !ok && gotMean != wantMean {
			t.Fatalf("mean %v, want %v", gotMean, wantMean)
		}
	}
}

// TestAddProduct: sums of products are exact, so the order of the rows
// never changes them.
func TestAddProduct(t *testing.T) {
	exact := func(pairs [][2]any) *big.Float {
		t := new(big.Float).SetPrec(4000)
		for _, p := range pairs {
			a, b := new(big.Float).SetPrec(4000), new(big.Float).SetPrec(4000)
			for i, x := range []any{p[0], p[1]} {
				dst := a
				if i == 1 {
					dst = b
				}
				switch v := x.(type) {
				case int:
					dst.SetInt64(int64(v))
				case float64:
					dst.SetFloat64(v)
				}
			}
			t.Add(t, new(big.Float).SetPrec(4000).Mul(a, b))
		}
		return t
	}
	cases := [][][2]any{
		{{0.1, 0.1}, {0.2, 0.2}, {-0.3, 0.1}},
		{{1e150, 1e150}, {-1e150, 1e150}, {1e-100, 1e-100}},
		{{math.MaxInt64, math.MaxInt64}, {math.MinInt64, 3}, {7, 0.1}},
		{{1 << 40, 1 << 40}, {3, 5}, {-(1 << 40), 1 << 40}},
		{{1.0 / 3, 3.0}, {2.0 / 3, -3.0}, {1e16, 1e-16}},
	}
	for i, pairs := range cases {
		var s Sum
		for _, p := range pairs {
			if !s.AddProduct(p[0], p[1]) {
				t.Fatalf("case %d: %v refused", i, p)
			}
		}
		if got, want := s.Exact(), exact(pairs); got.Cmp(want) != 0 {
			t.Errorf("case %d: sum of products %s, want %s", i, got.Text('g', 40), want.Text('g', 40))
		}
		// In the other order, the same.
		var r Sum
		for k := len(pairs) - 1; k >= 0; k-- {
			r.AddProduct(pairs[k][0], pairs[k][1])
		}
		if r.Exact().Cmp(s.Exact()) != 0 {
			t.Errorf("case %d: order changed the sum", i)
		}
	}
	var s Sum
	if s.AddProduct(1e200, 1e200) {
		t.Errorf("1e200 × 1e200 was added; it is beyond the float range")
	}
}
