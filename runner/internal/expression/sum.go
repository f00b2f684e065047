package expression

import (
	"math"
	"math/big"
)

// Sum adds ints and floats exactly, whatever their order: the ints in 128
// bits, so that no partial sum wraps, and the floats without rounding
// error (Shewchuk's algorithm, as in Python's math.fsum), keeping the
// exact sum as a few non-overlapping partials rounded once at the end.
// The sum aggregate and mean of a view, and the sum and mean builtins on
// lists, use it, so a file read in chunks and merged in any grouping sums
// to the very same value as a single pass, and a total that does not fit
// is found at the end, not wrapped along the way.
type Sum struct {
	lo     int // the ints' total modulo 2^64, as two's complement
	carry  int // how many times lo wrapped: the total is lo + carry·2^64
	floats []float64
	// big counts the 2^1023s taken out of the floats so that no partial
	// sum overflows: 1.7e308 + 1.7e308 - 1.7e308 is 1.7e308 in any order
	// (math.fsum refuses the first order with "intermediate overflow").
	big int
}

const twoTo1023 = 0x1p1023

// AddInt adds x.
func (s *Sum) AddInt(x int) {
	n := s.lo + x
	if x > 0 && n < s.lo {
		s.carry++
	} else if x < 0 && n > s.lo {
		s.carry--
	}
	s.lo = n
}

// AddFloat adds x, a finite float.
func (s *Sum) AddFloat(x float64) {
	s.floats = s.addPartial(s.floats, x)
}

// Merge adds everything o has added.
func (s *Sum) Merge(o *Sum) {
	s.AddInt(o.lo)
	s.carry += o.carry
	s.big += o.big
	for _, p := range o.floats {
		s.AddFloat(p)
	}
}

// Int returns the total of the ints, and whether it fits in an int.
func (s *Sum) Int() (int, bool) {
	return s.lo, s.carry == 0
}

// Float returns the total, ints and floats, correctly rounded to a float,
// and false when it is beyond the largest float.
func (s *Sum) Float() (float64, bool) {
	if s.big != 0 {
		f, _ := s.Exact().Float64() // to nearest, ties to even; ±Inf beyond
		return f, !math.IsInf(f, 0)
	}
	t := Sum{floats: append([]float64(nil), s.floats...)}
	// The ints' total, lo + carry·2^64, in parts a float holds exactly:
	// carry·2^64 (carry is far below 2^53), the top 38 bits of lo and
	// its low 26 bits.
	if s.carry != 0 {
		t.AddFloat(float64(s.carry) * (1 << 64))
	}
	if s.lo != 0 {
		hi := s.lo >> 26 << 26
		t.AddFloat(float64(hi))
		t.AddFloat(float64(s.lo - hi))
	}
	if t.big != 0 {
		return t.Float()
	}
	f := roundPartials(t.floats)
	return f, !math.IsInf(f, 0)
}

// Mean returns the total divided by n, which is never beyond the float
// range even when the total is.
func (s *Sum) Mean(n int) float64 {
	if f, ok := s.Float(); ok {
		return f / float64(n)
	}
	m, _ := s.Exact().Quo(s.Exact(), new(big.Float).SetInt64(int64(n))).Float64()
	return m
}

// Exact returns the exact total.
func (s *Sum) Exact() *big.Float {
	t := new(big.Float).SetPrec(2200).SetInt64(int64(s.carry))
	t.SetMantExp(t, 64)
	t.Add(t, new(big.Float).SetInt64(int64(s.lo)))
	if s.big != 0 {
		t.Add(t, new(big.Float).SetMantExp(big.NewFloat(float64(s.big)), 1023))
	}
	for _, p := range s.floats {
		t.Add(t, big.NewFloat(p))
	}
	return t
}

// IntText is the exact total of the ints in decimal.
func (s *Sum) IntText() string {
	t := new(big.Int).Lsh(big.NewInt(int64(s.carry)), 64)
	return t.Add(t, big.NewInt(int64(s.lo))).String()
}

// addPartial adds x to the non-overlapping partials p, exactly. Where a
// partial sum would overflow, 2^1023 is taken out of the larger operand
// (exactly: it is between 2^1023 and 2^1024) and counted in s.big.
func (s *Sum) addPartial(p []float64, x float64) []float64 {
	i := 0
	for _, y := range p {
		for math.IsInf(x+y, 0) {
			if math.Abs(x) >= math.Abs(y) {
				x, s.big = takeBig(x, s.big)
			} else {
				y, s.big = takeBig(y, s.big)
			}
		}
		if math.Abs(x) < math.Abs(y) {
			x, y = y, x
		}
		hi := x + y
		lo := y - (hi - x)
		if lo != 0 {
			p[i] = lo
			i++
		}
		x = hi
	}
	return append(p[:i], x)
}

// takeBig takes 2^1023 out of x, |x| >= 2^1023, towards zero.
func takeBig(x float64, big int) (float64, int) {
	if x > 0 {
		return x - twoTo1023, big + 1
	}
	return x + twoTo1023, big - 1
}

// roundPartials rounds the exact sum of the partials to the nearest float,
// ties to even, as math.fsum does.
func roundPartials(p []float64) float64 {
	n := len(p)
	if n == 0 {
		return 0
	}
	n--
	hi := p[n]
	lo := 0.0
	for n > 0 {
		x := hi
		n--
		y := p[n]
		hi = x + y
		lo = y - (hi - x)
		if lo != 0 {
			break
		}
	}
	// Round half to even across the partials left below.
	if n > 0 && ((lo < 0 && p[n-1] < 0) || (lo > 0 && p[n-1] > 0)) {
		y := lo * 2
		x := hi + y
		if y == x-hi {
			hi = x
		}
	}
	return hi
}

// AddProduct adds x·y, x and y each an int or a finite float, exactly: an
// int product that fits an int is added as an int; any other is split
// into floats whose products are exact (two-product, through FMA), so
// that a sum of squares or of cross products, like a sum, never depends on
// the order of the rows. (A float product below about 1e-292 loses the
// part of it below the smallest float, 5e-324.) It returns false, adding nothing, when the
// product itself is beyond the float range.
func (s *Sum) AddProduct(x, y any) bool {
	if a, ok := x.(int); ok {
		if b, ok := y.(int); ok {
			if p, ok := mulInt(a, b); ok {
				s.AddInt(p)
				return true
			}
		}
	}
	xs, ys := floatParts(x), floatParts(y)
	for _, a := range xs {
		for _, b := range ys {
			if p := a * b; math.IsInf(p, 0) || math.IsNaN(p) {
				return false
			}
		}
	}
	for _, a := range xs {
		for _, b := range ys {
			p := a * b
			s.AddFloat(p)
			if e := math.FMA(a, b, -p); e != 0 {
				s.AddFloat(e)
			}
		}
	}
	return true
}

// floatParts writes an int or a float as floats whose sum it is exactly:
// one float for a float or an int of at most 53 bits, else the int's high
// and low 32 bits.
func floatParts(v any) []float64 {
	switch x := v.(type) {
	case float64:
		return []float64{x}
	case int:
		if x < 1<<53 && x > -(1<<53) {
			return []float64{float64(x)}
		}
		hi := x >> 32 << 32
		return []float64{float64(hi), float64(x - hi)}
	}
	return nil
}
