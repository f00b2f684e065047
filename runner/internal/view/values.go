package view

import (
	"maps"
	"math"
	"slices"
	"sort"

	"galley/runner/internal/expression"
)

// values are the numbers of one group that a median or quantile is taken
// of. They are listed as they come; once a group has many values but few
// distinct ones (counts of deaths, ages, years, ratings: the usual case),
// they are counted instead, each distinct value with how many times it
// came, so that memory follows the distinct values, not the rows, and
// nothing is sorted but them. The result is the same either way, and the
// same whichever way a file was split into chunks: the k-th smallest value
// is the k-th smallest value.
type values struct {
	list   []float64       // the values, while listed (counts is nil)
	counts map[float64]int // once counted: each distinct value, how many times
	n      int             // how many values, either way
	next   int             // the length of list at which to try counting next (0: countFrom)
	// After order: the values in order, or the distinct values in order
	// (keys) and, for each, how many values are at most it (upto).
	ordered bool
	keys    []float64
	upto    []int
}

const (
	// countFrom is the length of a list first tried for counting; below
	// it a group's values are always listed (a small group costs no map).
	countFrom = 4096
	// A list is counted when it has at most one distinct value in
	// countRatio; counted values go back to a list when they have more
	// than one in listRatio (a map entry costs about three listed values).
	countRatio = 8
	listRatio  = 3
)

// add adds one value. -0 is added as 0, so that which of the two a rank
// finds never depends on the order of the rows.
func (v *values) add(x float64) {
	if x == 0 {
		x = 0
	}
	v.n++
	v.ordered = false
	if v.counts != nil && x == x { // NaN is never a key: it is listed
		v.counts[x]++
		if len(v.counts) > v.n/listRatio {
			v.toList()
		}
		return
	}
	if v.counts != nil {
		v.toList()
	}
	v.list = append(v.list, x)
	v.tryCount()
}

// merge adds o's values to v's.
func (v *values) merge(o *values) {
	if o.n == 0 {
		return
	}
	v.ordered = false
	switch {
	case v.counts != nil && o.counts != nil:
		for x, c := range o.counts {
			v.counts[x] += c
		}
		v.n += o.n
		if len(v.counts) > v.n/listRatio {
			v.toList()
		}
	case v.counts != nil:
		for _, x := range o.list {
			v.add(x)
		}
	case o.counts != nil:
		list := v.list
		v.list, v.n = nil, o.n
		v.counts = maps.Clone(o.counts)
		for _, x := range list {
			v.add(x)
		}
	default:
		v.list = append(v.list, o.list...)
		v.n += o.n
		v.tryCount()
	}
}

// tryCount counts a listed group's values when the list has grown to the
// next length to try and has few distinct values; otherwise the next try
// is at twice the length, so that trying costs a constant per value.
func (v *values) tryCount() {
	if len(v.list) < max(v.next, countFrom) {
		return
	}
	v.next = 2 * len(v.list)
	counts := make(map[float64]int)
	for _, x := range v.list {
		if x != x || len(counts) > len(v.list)/countRatio {
			return
		}
		counts[x]++
	}
	if len(counts) > len(v.list)/countRatio {
		return
	}
	v.counts, v.list = counts, nil
}

// toList lists counted values again, in order.
func (v *values) toList() {
	list := make([]float64, 0, v.n)
	for _, x := range slices.Sorted(maps.Keys(v.counts)) {
		for range v.counts[x] {
			list = append(list, x)
		}
	}
	v.list, v.counts = list, nil
	v.next = 2 * len(list)
}

// order readies at: it sorts a list, or the distinct values of counts.
func (v *values) order() {
	if v.ordered {
		return
	}
	v.ordered = true
	if v.counts == nil {
		sort.Float64s(v.list)
		return
	}
	v.keys = slices.Sorted(maps.Keys(v.counts))
	v.upto = make([]int, len(v.keys))
	total := 0
	for i, x := range v.keys {
		total += v.counts[x]
		v.upto[i] = total
	}
}

// at is the k-th smallest value, from 0, after order.
func (v *values) at(k int) float64 {
	if v.counts == nil {
		return v.list[k]
	}
	return v.keys[sort.SearchInts(v.upto, k+1)]
}

// median is the middle value, or the mean of the two middle ones, of
// values that are not empty; as expression.Median of the list.
func (v *values) median() float64 {
	v.order()
	m := v.n / 2
	if v.n%2 == 1 {
		return v.at(m)
	}
	return expression.Median([]float64{v.at(m - 1), v.at(m)})
}

// quantile is the p-quantile of values that are not empty, linear between
// the closest ranks: R's type 7, the default of R, NumPy and pandas, and
// DuckDB's quantile_cont.
func (v *values) quantile(p float64) float64 {
	v.order()
	h := float64(v.n-1) * p
	lo := math.Floor(h)
	i := int(lo)
	if i+1 >= v.n || h == lo {
		return v.at(i)
	}
	a, b, f := v.at(i), v.at(i+1), h-lo
	if d := b - a; !math.IsInf(d, 0) {
		return a + f*d
	}
	return (1-f)*a + f*b // never beyond the range, when b - a is
}
