package chart

import (
	"math"
	"strconv"

	"github.com/go-echarts/go-echarts/v2/opts"

	"galley/runner/internal/value"
)

// A value axis is laid out here, not by ECharts: its minimum, maximum and
// interval are set, and the text of every tick is printed by package value
// with the column's format (ECharts's own number text always adds
// thousands separators: a year would read 1,930). The same extent serves
// every panel of a facet, so that their axes are shared, and it takes in
// the marks, which ECharts would draw outside the axis.

// extent is the range of the numbers an axis shows.
type extent struct {
	lo, hi float64
	some   bool
}

func (e *extent) add(x float64) {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return
	}
	if !e.some {
		e.lo, e.hi, e.some = x, x, true
		return
	}
	e.lo, e.hi = min(e.lo, x), max(e.hi, x)
}

// ticks is a laid-out value axis.
type ticks struct {
	lo, hi, step float64
	hug          bool // lo and hi are the data's, not multiples of step
	values       []float64
}

// Tick targets: how many intervals an axis aims for. A horizontal axis
// has fewer, so that its labels fit across a phone.
const (
	verticalTicks   = 5
	horizontalTicks = 4
)

// niceTicks lays out an axis over e in about target intervals of 1, 2 or
// 5 times a power of ten; integer keeps the interval at least 1 (an axis
// of counts has no tick at 2.5). A value axis (y) runs from a multiple of
// the interval at or below the least value to one at or above the
// greatest, so that its ends are labelled. With hug (an x axis of numbers,
// such as years) the axis runs from the least value to the greatest, and
// only the multiples of the interval between are labelled: years 1930 to
// 2020 do not sit on an axis from 1900 to 2050.
func niceTicks(e extent, target int, integer, hug bool) ticks {
	lo, hi := e.lo, e.hi
	if !e.some {
		lo, hi = 0, 1
	}
	if lo == hi {
		switch {
		case hug:
			lo, hi = lo-0.5, hi+0.5
		case lo == 0:
			hi = 1
		case lo > 0:
			lo = 0
		default:
			hi = 0
		}
	}
	// The step of 1, 2 or 5 times a power of ten that gives the number of
	// intervals nearest the target; on a tie, the larger step.
	raw := (hi - lo) / float64(target)
	e10 := math.Floor(math.Log10(raw))
	step, best := 0.0, math.Inf(1)
	for k := e10 - 1; k <= e10+1; k++ {
		for _, m := range []float64{1, 2, 5} {
			st := m * math.Pow(10, k)
			if integer && st < 1 {
				continue
			}
			n := math.Ceil(hi/st-1e-9) - math.Floor(lo/st+1e-9)
			if hug { // the labelled ticks, one more than the intervals between them
				n = math.Floor(hi/st+1e-9) - math.Ceil(lo/st-1e-9)
			}
			if miss := math.Abs(n - float64(target)); miss < best || miss == best && st > step {
				step, best = st, miss
			}
		}
	}
	d := stepDigits(step)
	step = value.Round(step, d)
	t := ticks{step: step, lo: lo, hi: hi, hug: hug}
	if !hug {
		t.lo = value.Round(math.Floor(lo/step+1e-9)*step, d)
		t.hi = value.Round(math.Ceil(hi/step-1e-9)*step, d)
	}
	// As ECharts steps from tick to tick: from the first multiple of the
	// interval, each the last plus the interval, rounded.
	for x := value.Round(math.Ceil(t.lo/step-1e-9)*step, d+2); x <= t.hi+step*1e-6; x = value.Round(x+step, d+2) {
		t.values = append(t.values, x)
	}
	return t
}

// stepDigits is the decimals of a step: 0 for 5 or 20, 2 for 0.25.
func stepDigits(step float64) int {
	s := strconv.FormatFloat(step, 'f', -1, 64)
	for i := range len(s) {
		if s[i] == '.' {
			return len(s) - i - 1
		}
	}
	return 0
}

// texts prints every tick with f and the chart's unit, keyed by the tick
// as JavaScript writes the number.
func (t ticks) texts(f value.Format, unit string) map[string]string {
	out := make(map[string]string, len(t.values))
	for _, x := range t.values {
		out[jsNumber(x)] = f.Tick(x, t.step) + unit
	}
	return out
}

// jsNumber writes x as JavaScript's String(x) does for the numbers an axis
// holds: the shortest decimal form, "0" for zero.
func jsNumber(x float64) string {
	if x == 0 {
		return "0"
	}
	if a := math.Abs(x); a >= 1e21 || a < 1e-6 {
		s := strconv.FormatFloat(x, 'e', -1, 64)
		// Go writes 1e-07 where JavaScript writes 1e-7.
		for i := 0; i < len(s); i++ {
			if s[i] == 'e' {
				mant, exp := s[:i], s[i+1:]
				sign := exp[:1]
				digits := exp[1:]
				for len(digits) > 1 && digits[0] == '0' {
					digits = digits[1:]
				}
				return mant + "e" + sign + digits
			}
		}
		return s
	}
	return strconv.FormatFloat(x, 'f', -1, 64)
}

// valueAxis is a value axis laid out as t, its ticks printed with f. An
// axis whose ends are multiples of the step has its interval set, and
// ECharts ticks every step from the minimum. An axis that hugs its data
// has its least and greatest interval set to the step instead: ECharts
// then ticks the multiples of the step between its ends (the ends
// themselves get a tick without text), where a set interval would tick
// from the minimum, 1929.5, 1949.5...
func valueAxis(t ticks, f value.Format, unit string) *xAxis {
	a := &xAxis{XAxis: opts.XAxis{Type: "value", Min: t.lo, Max: t.hi}, Interval: t.step,
		AxisLabel: &axisLabel{AxisLabel: opts.AxisLabel{FontFamily: FontFamily, Margin: 10, HideOverlap: opts.Bool(true)},
			LineHeight: lineHeight, Ticks: t.texts(f, unit)}}
	if t.hug {
		a.Interval, a.MinInterval, a.MaxInterval = nil, t.step, t.step
	}
	return a
}
