package expression

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/builtin"
	"github.com/expr-lang/expr/vm/runtime"

	"galley/runner/internal/value"
)

// disabled are expr-lang builtins an analysis may not use: they read the
// clock or the local time zone, or return map order.
var disabled = []string{"now", "date", "timezone", "keys", "values"}

// Functions lists the functions Galley adds to expr-lang's builtins, for
// docs and for the column-name clash check.
var Functions = []string{"date", "date_trunc", "round", "percent", "keys", "values"}

// Reserved reports whether name cannot be a column or value name because an
// expression would read it as a function or keyword.
func Reserved(name string) bool {
	if slices.Contains(Functions, name) || slices.Contains(builtin.Names, name) {
		return true
	}
	switch name {
	case "nil", "true", "false", "not", "and", "or", "in", "matches", "contains",
		"startsWith", "endsWith", "let", "if", "else":
		return true
	}
	return false
}

func functionOptions() []expr.Option {
	opts := make([]expr.Option, 0, 24)
	for _, name := range disabled {
		opts = append(opts, expr.DisableBuiltin(name))
	}
	opts = append(opts,
		expr.Function("date", dateFn, new(func(string) time.Time), new(func(string, string) time.Time)),
		expr.Function("date_trunc", dateTrunc, new(func(string, time.Time) time.Time)),
		expr.Function("round", roundFn,
			new(func(float64) float64), new(func(float64, int) float64),
			new(func(int) float64), new(func(int, int) float64)),
		expr.Function("percent", percentFn,
			new(func(float64) string), new(func(float64, int) string),
			new(func(int) string), new(func(int, int) string)),
		expr.Function("keys", keysFn, new(func(map[string]any) []any)),
		expr.Function("values", valuesFn, new(func(map[string]any) []any)),
		formatFunction(),
	)
	// The null-aware operators the checked tree is rewritten into.
	for name, fn := range compareOps {
		opts = append(opts, expr.Function(name, fn, new(func(any, any) bool)))
	}
	opts = append(opts,
		expr.Function(fnNot, not),
		expr.Function(fnTruthy, truthy, new(func(any) bool)),
		expr.Function(fnAnyNil, anyNil),
	)
	return opts
}

const (
	fnNot    = "_galley_not"
	fnTruthy = "_galley_truthy"
	fnAnyNil = "_galley_anynil"
)

func anyNil(p ...any) (any, error) {
	for _, v := range p {
		if v == nil {
			return true, nil
		}
	}
	return false, nil
}

var opNames = map[string]string{
	"<": "_galley_lt", ">": "_galley_gt", "<=": "_galley_le", ">=": "_galley_ge",
	"==": "_galley_eq", "!=": "_galley_ne", "in": "_galley_in", "contains": "_galley_contains",
	"startsWith": "_galley_startswith", "endsWith": "_galley_endswith", "matches": "_galley_matches",
}

func compare(f func(a, b any) bool) func(...any) (any, error) {
	return func(p ...any) (any, error) {
		if p[0] == nil || p[1] == nil {
			return false, nil
		}
		return f(p[0], p[1]), nil
	}
}

var compareOps = map[string]func(...any) (any, error){
	"_galley_lt": compare(runtime.Less),
	"_galley_gt": compare(runtime.More),
	"_galley_le": compare(runtime.LessOrEqual),
	"_galley_ge": compare(runtime.MoreOrEqual),
	"_galley_in": compare(runtime.In),
	"_galley_contains": compare(func(a, b any) bool {
		x, _ := a.(string)
		y, _ := b.(string)
		return strings.Contains(x, y)
	}),
	"_galley_startswith": compare(func(a, b any) bool {
		x, _ := a.(string)
		y, _ := b.(string)
		return strings.HasPrefix(x, y)
	}),
	"_galley_endswith": compare(func(a, b any) bool {
		x, _ := a.(string)
		y, _ := b.(string)
		return strings.HasSuffix(x, y)
	}),
	"_galley_matches": matches,
	"_galley_eq":      func(p ...any) (any, error) { return runtime.Equal(p[0], p[1]), nil },
	"_galley_ne":      func(p ...any) (any, error) { return !runtime.Equal(p[0], p[1]), nil },
}

var (
	regexMu    sync.Mutex
	regexCache = map[string]*regexp.Regexp{}
)

// matches is `a matches b`; the compiled patterns are cached because the
// pattern is nearly always a literal evaluated once per row.
func matches(p ...any) (any, error) {
	if p[0] == nil || p[1] == nil {
		return false, nil
	}
	s, _ := p[0].(string)
	pat, _ := p[1].(string)
	regexMu.Lock()
	re, ok := regexCache[pat]
	if !ok {
		var err error
		if re, err = regexp.Compile(pat); err != nil {
			regexMu.Unlock()
			return nil, fmt.Errorf("matches: bad pattern %q: %v", pat, err)
		}
		regexCache[pat] = re
	}
	regexMu.Unlock()
	return re.MatchString(s), nil
}

func not(p ...any) (any, error) {
	switch b := p[0].(type) {
	case nil:
		return nil, nil
	case bool:
		return !b, nil
	}
	return nil, fmt.Errorf("not needs true or false, got %s", value.Describe(p[0]))
}

func truthy(p ...any) (any, error) {
	switch b := p[0].(type) {
	case nil:
		return false, nil
	case bool:
		return b, nil
	}
	return nil, fmt.Errorf("&& and || need true or false, got %s", value.Describe(p[0]))
}

// dateFn is date(s) or date(s, layout): a date at UTC midnight, whatever
// the machine's time zone.
func dateFn(p ...any) (any, error) {
	if p[0] == nil {
		return nil, nil
	}
	s, _ := p[0].(string)
	layout := time.DateOnly
	if len(p) > 1 {
		layout, _ = p[1].(string)
	}
	t, err := time.ParseInLocation(layout, s, time.UTC)
	if err != nil {
		return nil, fmt.Errorf("date(%q): not a date in the layout %q", s, layout)
	}
	return t, nil
}

// TruncUnits are the units date_trunc accepts.
var TruncUnits = []string{"day", "week", "month", "quarter", "year"}

// dateTrunc(unit, d) returns the first day of d's day, ISO week (Monday),
// month, quarter or year.
func dateTrunc(p ...any) (any, error) {
	unit, _ := p[0].(string)
	if p[1] == nil {
		return nil, nil
	}
	d, ok := p[1].(time.Time)
	if !ok {
		return nil, fmt.Errorf("date_trunc needs a date, got %s", value.Describe(p[1]))
	}
	return Trunc(unit, d)
}

// Trunc is date_trunc for Go callers.
func Trunc(unit string, d time.Time) (time.Time, error) {
	y, m, day := d.Date()
	switch unit {
	case "day":
		return time.Date(y, m, day, 0, 0, 0, 0, time.UTC), nil
	case "week":
		wd := (int(d.Weekday()) + 6) % 7 // Monday = 0
		return time.Date(y, m, day-wd, 0, 0, 0, 0, time.UTC), nil
	case "month":
		return time.Date(y, m, 1, 0, 0, 0, 0, time.UTC), nil
	case "quarter":
		return time.Date(y, m-(m-1)%3, 1, 0, 0, 0, 0, time.UTC), nil
	case "year":
		return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), nil
	}
	return time.Time{}, fmt.Errorf("date_trunc: unknown unit %q (use one of %s)", unit, strings.Join(TruncUnits, ", "))
}

func number(v any) (float64, bool) {
	switch x := v.(type) {
	case int:
		return float64(x), true
	case float64:
		return x, true
	}
	return 0, false
}

func digits(p []any) (int, error) {
	if len(p) < 2 {
		return 0, nil
	}
	n, ok := p[1].(int)
	if !ok || n < 0 || n > 12 {
		return 0, fmt.Errorf("the number of decimals must be a whole number from 0 to 12")
	}
	return n, nil
}

// roundFn is round(x) or round(x, decimals), halves away from zero.
func roundFn(p ...any) (any, error) {
	if p[0] == nil {
		return nil, nil
	}
	x, ok := number(p[0])
	if !ok {
		return nil, fmt.Errorf("round needs a number, got %s", value.Describe(p[0]))
	}
	n, err := digits(p)
	if err != nil {
		return nil, err
	}
	return value.Round(x, n), nil
}

// percentFn is percent(fraction) or percent(fraction, decimals): 0.276 is
// "28%", percent(0.276, 1) is "27.6%".
func percentFn(p ...any) (any, error) {
	if p[0] == nil {
		return nil, nil
	}
	x, ok := number(p[0])
	if !ok {
		return nil, fmt.Errorf("percent needs a number, got %s", value.Describe(p[0]))
	}
	n, err := digits(p)
	if err != nil {
		return nil, err
	}
	pc := value.Round(value.Shift(x, 2), n)
	if pc-pc != 0 {
		return nil, notFinite(fmt.Sprintf("percent(%s) (%s × 100)", formatFloat(x), formatFloat(x)), pc)
	}
	return strconv.FormatFloat(pc, 'f', n, 64) + "%", nil
}

func sortedKeys(m map[string]any) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func keysFn(p ...any) (any, error) {
	m, ok := p[0].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("keys needs a map, got %s", value.Describe(p[0]))
	}
	out := []any{}
	for _, k := range sortedKeys(m) {
		out = append(out, k)
	}
	return out, nil
}

func valuesFn(p ...any) (any, error) {
	m, ok := p[0].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("values needs a map, got %s", value.Describe(p[0]))
	}
	out := []any{}
	for _, k := range sortedKeys(m) {
		out = append(out, m[k])
	}
	return out, nil
}
