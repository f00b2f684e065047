package view

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"galley/runner/internal/expression"
)

// TestValuesCountedAsListed: the value of every rank, the median and the
// quantiles of values, listed or counted, added one by one or merged from
// chunks of any size, are those of the sorted list of all the values: for values that repeat (counted),
// that never do (listed), that repeat and then stop (counted, then listed
// again), with -0, NaN-free floats beyond the int range and ties.
func TestValuesCountedAsListed(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 17))
	sets := map[string][]float64{}
	add := func(name string, n int, gen func(i int) float64) {
		for i := range n {
			sets[name] = append(sets[name], gen(i))
		}
	}
	add("few distinct", 20_000, func(int) float64 { return float64(r.IntN(19)) })
	add("all distinct", 20_000, func(int) float64 { return r.Float64() * 1e6 })
	add("repeat, then not", 30_000, func(i int) float64 {
		if i < 10_000 {
			return float64(r.IntN(5))
		}
		return r.Float64()
	})
	negZero := math.Copysign(0, -1)
	add("zeros of both signs", 9_000, func(i int) float64 { return []float64{0, negZero, 1.5, -2}[(i+1)%4] })
	add("few zeros of both signs", 50, func(i int) float64 { return []float64{negZero, 0, 1}[i%3] })
	add("huge", 9_000, func(int) float64 { return []float64{-math.MaxFloat64, math.MaxFloat64, 1e300, 3}[r.IntN(4)] })
	add("small", 7, func(i int) float64 { return float64(i % 3) })

	ps := []float64{0, 0.01, 0.1, 0.25, 0.5, 0.9, 0.99, 0.999, 1}
	for name, xs := range sets {
		sorted := slices.Clone(xs)
		for i, x := range sorted {
			if x == 0 {
				sorted[i] = 0
			}
		}
		slices.Sort(sorted)
		want := map[float64]float64{}
		for _, p := range ps {
			want[p] = typeSeven(sorted, p)
		}
		wantMedian := expression.Median(slices.Clone(sorted))
		for _, size := range []int{1, 3, 1000, 5000, len(xs)} {
			var v values
			for i := 0; i < len(xs); i += size {
				var chunk values
				for _, x := range xs[i:min(i+size, len(xs))] {
					chunk.add(x)
				}
				v.merge(&chunk)
			}
			if name == "few distinct" && size >= 1000 && v.counts == nil {
				t.Errorf("%s, chunks of %d: listed; want counted", name, size)
			}
			if (name == "all distinct" || name == "repeat, then not") && v.counts != nil {
				t.Errorf("%s, chunks of %d: counted; want listed", name, size)
			}
			for _, p := range ps {
				if got := v.quantile(p); math.Float64bits(got) != math.Float64bits(want[p]) {
					t.Errorf("%s, chunks of %d: quantile %v = %v, want %v", name, size, p, got, want[p])
				}
			}
			if got := v.median(); math.Float64bits(got) != math.Float64bits(wantMedian) {
				t.Errorf("%s, chunks of %d: median = %v, want %v", name, size, got, wantMedian)
			}
			v.order()
			for k, x := range sorted {
				if got := v.at(k); math.Float64bits(got) != math.Float64bits(x) {
					t.Errorf("%s, chunks of %d: the value of rank %d is %v, want %v", name, size, k, got, x)
					break
				}
			}
			if v.n != len(xs) {
				t.Errorf("%s, chunks of %d: %d values, want %d", name, size, v.n, len(xs))
			}
		}
	}
}

// typeSeven is the p-quantile of sorted values as R's type 7 defines it.
func typeSeven(sorted []float64, p float64) float64 {
	h := float64(len(sorted)-1) * p
	i := int(math.Floor(h))
	if i+1 >= len(sorted) {
		return sorted[i]
	}
	a, b, f := sorted[i], sorted[i+1], h-math.Floor(h)
	if f == 0 {
		return a
	}
	if d := b - a; !math.IsInf(d, 0) {
		return a + f*d
	}
	return (1-f)*a + f*b
}
