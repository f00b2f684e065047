package expression

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"galley/runner/internal/position"
	"galley/runner/internal/value"
)

// bigRow is fullRow with deaths and low at the ends of the int range.
func bigRow() map[string]any {
	row := fullRow()
	row["deaths"] = math.MaxInt64
	row["low"] = math.MinInt64
	return row
}

const (
	more = "more than the largest int, 9223372036854775807 (convert an operand with float() for an approximate result)"
	less = "less than the smallest int, -9223372036854775808 (convert an operand with float() for an approximate result)"
)

// TestIntOverflow: an int result that does not fit is an error at the
// operator that names the expression, on the null-aware program and on the
// fast one alike; a result at the very edge of the range is given.
func TestIntOverflow(t *testing.T) {
	tests := []struct {
		src string
		err string
	}{
		{`deaths + 1`, `x.yaml:12:19: derive x: 9223372036854775807 + 1 = 9223372036854775808, ` + more},
		{`1 + deaths`, `x.yaml:12:14: derive x: 1 + 9223372036854775807 = 9223372036854775808, ` + more},
		{`-deaths - 2`, `x.yaml:12:20: derive x: -9223372036854775807 - 2 = -9223372036854775809, ` + less},
		{`low - 1`, `x.yaml:12:16: derive x: -9223372036854775808 - 1 = -9223372036854775809, ` + less},
		{`deaths * 2`, `x.yaml:12:19: derive x: 9223372036854775807 * 2 = 18446744073709551614, ` + more},
		{`low * -1`, `x.yaml:12:16: derive x: -9223372036854775808 * -1 = 9223372036854775808, ` + more},
		{`-1 * low`, `x.yaml:12:15: derive x: -1 * -9223372036854775808 = 9223372036854775808, ` + more},
		{`-low`, `x.yaml:12:12: derive x: -(-9223372036854775808) = 9223372036854775808, ` + more},
		{`abs(low)`, `x.yaml:12:12: derive x: abs(-9223372036854775808) = 9223372036854775808, ` + more},
		{`int(1e300)`, `x.yaml:12:12: derive x: int(1e+300): 1e+300 is beyond the int range, -9223372036854775808 to 9223372036854775807`},
		{`int(-9223372036854775807.0 * 2)`, `x.yaml:12:12: derive x: int(-1.8446744073709552e+19): -1.8446744073709552e+19 is beyond the int range, -9223372036854775808 to 9223372036854775807`},
		{`int(float(deaths))`, `x.yaml:12:12: derive x: int(9.223372036854776e+18): 9.223372036854776e+18 is beyond the int range, -9223372036854775808 to 9223372036854775807`},
		{`9223372036854775807 + 1`, `x.yaml:12:32: derive x: 9223372036854775807 + 1 = 9223372036854775808, ` + more},
		{`sum([deaths, 1])`, `x.yaml:12:12: derive x: sum of the list = 9223372036854775808, more than the largest int, 9223372036854775807 (sum(list, float(#)) gives it as a float)`},
		{`sum([low, -1])`, `x.yaml:12:12: derive x: sum of the list = -9223372036854775809, less than the smallest int, -9223372036854775808 (sum(list, float(#)) gives it as a float)`},
		{`sum([1, 2], # * deaths)`, `x.yaml:12:26: derive x: 2 * 9223372036854775807 = 18446744073709551614, ` + more},
		{`sum([deaths, deaths], #)`, `x.yaml:12:12: derive x: sum of the list = 18446744073709551614, more than the largest int, 9223372036854775807 (sum(list, float(#)) gives it as a float)`},
		{`reduce([deaths, 1], #acc + #)`, `x.yaml:12:37: derive x: 9223372036854775807 + 1 = 9223372036854775808, ` + more},
		{`date("2200-01-01") - date("1900-01-01")`, `x.yaml:12:31: derive x: 2200-01-01 - 1900-01-01 is beyond the longest duration, about 292 years (compare the years instead: a.Year() - b.Year())`},
		{`duration("2562047h") + duration("2562047h")`, `x.yaml:12:33: derive x: 2562047h0m0s + 2562047h0m0s is beyond the longest duration, about 292 years`},
		{`(deaths ?? 0) + 1 > 0`, `x.yaml:12:26: derive x: 9223372036854775807 + 1 = 9223372036854775808, ` + more},
		// Go's << drops the bits shifted out: bitshl(1, 63) would be the
		// smallest int and bitshl(1, 64) zero.
		{`bitshl(deaths, 1)`, `x.yaml:12:12: derive x: bitshl(9223372036854775807, 1) = 9223372036854775807 × 2^1, beyond the int range, -9223372036854775808 to 9223372036854775807`},
		{`bitshl(1, 63)`, `x.yaml:12:12: derive x: bitshl(1, 63) = 1 × 2^63, beyond the int range, -9223372036854775808 to 9223372036854775807`},
		{`bitshl(3, 62) < 0`, `x.yaml:12:12: derive x: bitshl(3, 62) = 3 × 2^62, beyond the int range, -9223372036854775808 to 9223372036854775807`},
		{`bitshl(low, 1)`, `x.yaml:12:12: derive x: bitshl(-9223372036854775808, 1) = -9223372036854775808 × 2^1, beyond the int range, -9223372036854775808 to 9223372036854775807`},
		{`bitshl(-1, 64)`, `x.yaml:12:12: derive x: bitshl(-1, 64) = -1 × 2^64, beyond the int range, -9223372036854775808 to 9223372036854775807`},
		{`bitshl(1, deaths)`, `x.yaml:12:12: derive x: bitshl(1, 9223372036854775807) = 1 × 2^9223372036854775807, beyond the int range, -9223372036854775808 to 9223372036854775807`},
	}
	for _, tt := range tests {
		p, err := Compile(at(tt.src, 12, 12), "derive x", rowEnv(), AnyResult)
		if err != nil {
			t.Fatalf("Compile(%q): %v", tt.src, err)
		}
		if p.fast == nil {
			t.Errorf("%s: no fast program", tt.src)
		}
		var m VM
		for _, path := range []struct {
			name string
			run  func() (any, error)
		}{
			{"null-aware", func() (any, error) { return m.Eval(p, bigRow()) }},
			{"present", func() (any, error) { return m.EvalPresent(p, bigRow()) }},
			{"fast program alone", func() (any, error) {
				// Not falling back: the fast program must refuse too.
				v, err := m.m.Run(p.fast, bigRow())
				if err != nil {
					err = runtimeError(p, err)
				}
				return v, err
			}},
		} {
			v, err := path.run()
			if err == nil {
				t.Errorf("%s on the %s path = %v, want an error", tt.src, path.name, v)
				continue
			}
			var pe *position.Error
			if !errors.As(err, &pe) {
				t.Errorf("%s: %T is not a *position.Error", tt.src, err)
			}
			if err.Error() != tt.err {
				t.Errorf("%s on the %s path:\n got %s\nwant %s", tt.src, path.name, err, tt.err)
			}
		}
	}
}

// TestIntEdges: results at the very edge of the int range are given, on
// both paths.
func TestIntEdges(t *testing.T) {
	tests := []struct {
		src  string
		want any
	}{
		{`deaths + 0`, math.MaxInt64},
		{`deaths - 1 + 1`, math.MaxInt64},
		{`low + deaths`, -1},
		{`low + 1 - 1`, math.MinInt64},
		{`-deaths`, -math.MaxInt64},
		{`-deaths - 1`, math.MinInt64},
		{`abs(low + 1)`, math.MaxInt64},
		{`low * 1`, math.MinInt64},
		{`(low / 2) * 2`, -9.223372036854775808e18},
		{`low % -1`, 0},
		{`deaths % 10`, 7},
		{`int(-9223372036854775807.0 - 1)`, math.MinInt64},
		{`sum([deaths, 1, -1])`, math.MaxInt64},
		{`sum([deaths, low, 1])`, 0},
		{`sum([deaths, 0.5])`, 9.223372036854775808e18},
		{`sum([])`, 0},
		{`sum([1, 2], # * 2)`, 6},
		{`sum([1.5, 2])`, 3.5},
		{`sum([0.1, 0.2, 0.3])`, 0.6},
		{`3 * 4 - 2 ** 3 + 7 % 4`, 7.0},
		{`(date("2200-01-01") - date("1990-01-01")).Hours()`, 1840824.0},
		{`bitshl(1, 62)`, 1 << 62},
		{`bitshl(-1, 63)`, math.MinInt64},
		{`bitshl(low / 2 > 0 ? 0 : -4611686018427387904, 1)`, math.MinInt64},
		{`bitshl(0, 100)`, 0},
		{`bitshl(5, 0)`, 5},
		{`bitshr(low, 70)`, -1},
	}
	for _, tt := range tests {
		p, err := Compile(at(tt.src, 12, 12), "derive x", rowEnv(), AnyResult)
		if err != nil {
			t.Fatalf("Compile(%q): %v", tt.src, err)
		}
		var m VM
		for name, eval := range map[string]func(*Program, any) (any, error){"null-aware": m.Eval, "present": m.EvalPresent} {
			got, err := eval(p, bigRow())
			if err != nil || !equal(got, tt.want) {
				t.Errorf("%s on the %s path = %#v, %v; want %#v", tt.src, name, got, err, tt.want)
			}
		}
	}
}

// hugeRow is fullRow with share near the largest float.
func hugeRow() map[string]any {
	row := fullRow()
	row["share"] = 1.7e308
	return row
}

const beyond = "is beyond the largest float, about 1.8e308"

// TestNotFinite: a float result that would be infinite or not a number is
// an error at the operator naming the expression, on both paths, so that
// no NaN or infinity reaches a derive, a value or a claim.
func TestNotFinite(t *testing.T) {
	tests := []struct {
		src string
		err string
	}{
		{`1e308 * 10`, `x.yaml:12:18: derive x: 1e+308 * 10 ` + beyond},
		{`-1e308 * 10`, `x.yaml:12:19: derive x: (-1e+308) * 10 is beyond the smallest float, about -1.8e308`},
		{`share + share`, `x.yaml:12:18: derive x: 1.7e+308 + 1.7e+308 ` + beyond},
		{`share - -share`, `x.yaml:12:18: derive x: 1.7e+308 - (-1.7e+308) ` + beyond},
		{`share * deaths`, `x.yaml:12:18: derive x: 1.7e+308 * 12 ` + beyond},
		{`share / 0.5`, `x.yaml:12:18: derive x: 1.7e+308 / 0.5 ` + beyond},
		{`1 / 0`, `x.yaml:12:14: derive x: 1 / 0: division by zero`},
		{`0 / 0`, `x.yaml:12:14: derive x: 0 / 0: division by zero`},
		{`share / (low - 3)`, `x.yaml:12:18: derive x: 1.7e+308 / 0: division by zero`},
		{`-share / 0.0`, `x.yaml:12:19: derive x: (-1.7e+308) / 0: division by zero`},
		{`(-8) ** 0.5`, `x.yaml:12:17: derive x: (-8) ** 0.5 is not a number`},
		{`10 ** 400`, `x.yaml:12:15: derive x: 10 ** 400 ` + beyond},
		{`0 ** -1`, `x.yaml:12:14: derive x: 0 ** (-1) ` + beyond},
		{`float("NaN")`, `x.yaml:12:12: derive x: float("NaN"): not a number Galley reads (write digits, a sign, a point and an exponent; no NaN or infinity)`},
		{`float("-Inf")`, `x.yaml:12:12: derive x: float("-Inf"): not a number Galley reads (write digits, a sign, a point and an exponent; no NaN or infinity)`},
		{`float("1e400")`, `x.yaml:12:12: derive x: float("1e400"): not a number Galley reads (write digits, a sign, a point and an exponent; no NaN or infinity)`},
		{`sum([share, share])`, `x.yaml:12:12: derive x: the sum of the list, 3.4e+308, ` + beyond},
		{`sum([share, share, -share, share])`, `x.yaml:12:12: derive x: the sum of the list, 3.4e+308, ` + beyond},
		{`percent(1e307)`, `x.yaml:12:12: derive x: percent(1e+307) (1e+307 × 100) ` + beyond},
		{`!(share * 10 < 1000)`, `x.yaml:12:20: derive x: 1.7e+308 * 10 ` + beyond},
		{`duration("1h") * 1e300`, `x.yaml:12:27: derive x: 1h0m0s * 1e+300 ` + beyond},
		{`int(share)`, `x.yaml:12:12: derive x: int(1.7e+308): 1.7e+308 is beyond the int range, -9223372036854775808 to 9223372036854775807`},
	}
	for _, tt := range tests {
		p, err := Compile(at(tt.src, 12, 12), "derive x", rowEnv(), AnyResult)
		if err != nil {
			t.Fatalf("Compile(%q): %v", tt.src, err)
		}
		var m VM
		for _, path := range []struct {
			name string
			run  func() (any, error)
		}{
			{"null-aware", func() (any, error) { return m.Eval(p, hugeRow()) }},
			{"present", func() (any, error) { return m.EvalPresent(p, hugeRow()) }},
			{"fast program alone", func() (any, error) {
				v, err := m.m.Run(p.fast, hugeRow())
				if err != nil {
					err = runtimeError(p, err)
				}
				return v, err
			}},
		} {
			v, err := path.run()
			if err == nil {
				t.Errorf("%s on the %s path = %v, want an error", tt.src, path.name, v)
				continue
			}
			if err.Error() != tt.err {
				t.Errorf("%s on the %s path:\n got %s\nwant %s", tt.src, path.name, err, tt.err)
			}
		}
	}
}

// TestFiniteEdges: sums, means and medians whose partial results pass the
// float range but whose result does not are given, exactly.
func TestFiniteEdges(t *testing.T) {
	tests := []struct {
		src  string
		want any
	}{
		{`sum([share, share, -share])`, 1.7e308},
		{`sum([share, -share, share])`, 1.7e308},
		{`sum([-share, share, share])`, 1.7e308},
		{`mean([share, share])`, 1.7e308},
		{`mean(share, share, share)`, 1.7e308},
		{`mean([share, -share])`, 0.0},
		{`median([share, share])`, 1.7e308},
		{`median(-share, -share, 1)`, -1.7e308},
		{`median([share, 1, share, 3])`, 1.7e308 / 2},
		{`mean([[1, 2], [3]])`, 2.0},
		{`share * 0.5 + share * 0.5`, 1.7e308},
		{`1.7976931348623157e308 - 1e308`, 7.976931348623157e307},
		{`round(share / 1e300, 2)`, 1.7e8},
	}
	for _, tt := range tests {
		p, err := Compile(at(tt.src, 12, 12), "derive x", rowEnv(), AnyResult)
		if err != nil {
			t.Fatalf("Compile(%q): %v", tt.src, err)
		}
		var m VM
		for name, eval := range map[string]func(*Program, any) (any, error){"null-aware": m.Eval, "present": m.EvalPresent} {
			got, err := eval(p, hugeRow())
			if err != nil || !equal(got, tt.want) {
				t.Errorf("%s on the %s path = %#v, %v; want %#v", tt.src, name, got, err, tt.want)
			}
		}
	}
}

// TestEmptyLists: the mean and median of no numbers are null, as the
// aggregates give (expr-lang gave 0); min and max of nothing are null; the
// sum of nothing is 0, the empty sum.
func TestEmptyLists(t *testing.T) {
	tests := []struct {
		src  string
		want any
	}{
		{`mean([])`, nil},
		{`median([])`, nil},
		{`mean(filter([1, 2], # > 5))`, nil},
		{`median(filter([1.5], # > 5))`, nil},
		{`min([])`, nil},
		{`max([])`, nil},
		{`sum([])`, 0},
		{`mean([2, 4])`, 3.0},
		{`median([2, 4, 9])`, 4.0},
	}
	for _, tt := range tests {
		got, err := eval(t, tt.src, rowEnv(), fullRow())
		if err != nil || !equal(got, tt.want) {
			t.Errorf("%s = %#v, %v; want %#v", tt.src, got, err, tt.want)
		}
	}
}

// TestDescribe: a duration an expression gives (duration("1h"), the
// difference of two dates) is named as one in messages, through
// value.Describe, which the engine's inline-value check uses too (it was
// called "a list or a record").
func TestDescribe(t *testing.T) {
	for _, src := range []string{`duration("1h30m")`, `day - date("2016-01-01")`} {
		got, err := eval(t, src, rowEnv(), fullRow())
		if _, ok := got.(time.Duration); err != nil || !ok || value.Describe(got) != "a duration" {
			t.Errorf("%s = %#v, %v, described as %q", src, got, err, value.Describe(got))
		}
	}
	if _, err := eval(t, `join([duration("1h")])`, rowEnv(), fullRow()); err == nil || !strings.Contains(err.Error(), "join needs a list of text, but element 0 is a duration") {
		t.Errorf("join of a duration: %v", err)
	}
}
