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
	"unicode"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/builtin"
	"github.com/expr-lang/expr/conf"
	"github.com/expr-lang/expr/vm/runtime"

	"galley/runner/internal/value"
)

// disabled are expr-lang builtins an analysis may not use: they read the
// clock or the local time zone, or return map order.
var disabled = []string{"now", "date", "timezone", "keys", "values"}

// Functions lists the functions Galley adds to expr-lang's builtins, for
// docs and for the names rule (IsFunction).
var Functions = []string{"date", "date_trunc", "round", "percent", "keys", "values",
	"year", "month", "day", "weekday", "days_between", "add_days", "add_months", "title"}

// Reserved reports whether name cannot be a column or value name because an
// expression would never read it as a name: the keywords and operators.
// A name may be a function's (contract v2): a name followed by ( is the
// function, any other is the column, view or value (IsFunction).
func Reserved(name string) bool {
	switch name {
	case "nil", "true", "false", "not", "and", "or", "in", "matches", "contains",
		"startsWith", "endsWith", "let", "if", "else":
		return true
	}
	return false
}

// IsFunction reports whether name(...) is a function of an expression:
// Galley's, expr-lang's, an aggregate or a window function. A column of
// that name is still read by its name alone.
func IsFunction(name string) bool {
	return slices.Contains(Functions, name) || slices.Contains(builtin.Names, name) ||
		slices.Contains(Aggregates, name) || slices.Contains(WindowFunctions, name)
}

// aliasPrefix names each Galley function a second time: a call of one is
// compiled as a call of its alias (aliasPatch), which no column, view or
// value can be named, so that `year(eow)` calls year() beside a column
// named year. The alias is the same function, under its own name in
// messages.
const aliasPrefix = "_galley_fn_"

// galleyFunc returns the Galley function a call's callee names, through
// its alias too, or "".
func galleyFunc(callee ast.Node) string {
	id, ok := callee.(*ast.IdentifierNode)
	if !ok {
		return ""
	}
	name := strings.TrimPrefix(id.Value, aliasPrefix)
	if slices.Contains(Functions, name) {
		return name
	}
	return ""
}

// aliasOption registers every Galley function under its alias too; it
// comes after the functions' own options.
func aliasOption(c *conf.Config) {
	for _, name := range Functions {
		if f, ok := c.Functions[name]; ok {
			c.Functions[aliasPrefix+name] = f
		}
	}
}

// aliasPatch rewrites each call of a Galley function into a call of its
// alias, before anything is checked: the checker looks a callee up among
// the names of the environment first, where a column of the same name
// would be found and refused as "not callable".
type aliasPatch struct{}

func (aliasPatch) Visit(node *ast.Node) {
	c, ok := (*node).(*ast.CallNode)
	if !ok {
		return
	}
	if id, ok := c.Callee.(*ast.IdentifierNode); ok && slices.Contains(Functions, id.Value) {
		alias := &ast.IdentifierNode{Value: aliasPrefix + id.Value}
		alias.SetLocation(id.Location())
		c.Callee = alias
	}
}

func functionOptions() []expr.Option {
	opts := make([]expr.Option, 0, 24)
	for _, name := range disabled {
		opts = append(opts, expr.DisableBuiltin(name))
	}
	opts = append(opts,
		expr.Function("date", dateFn, new(func(string) time.Time), new(func(string, string) time.Time)),
		expr.Function("year", datePart("year", func(d time.Time) int { return d.Year() }), new(func(time.Time) int)),
		expr.Function("month", datePart("month", func(d time.Time) int { return int(d.Month()) }), new(func(time.Time) int)),
		expr.Function("day", datePart("day", func(d time.Time) int { return d.Day() }), new(func(time.Time) int)),
		expr.Function("weekday", datePart("weekday", isoWeekday), new(func(time.Time) int)),
		expr.Function("days_between", daysBetween, new(func(time.Time, time.Time) int)),
		expr.Function("add_days", addDays, new(func(time.Time, int) time.Time)),
		expr.Function("add_months", addMonths, new(func(time.Time, int) time.Time)),
		expr.Function("title", titleFn, new(func(string) string)),
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
		aliasOption,
		expr.Patch(aliasPatch{}),
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

// datePart is year(d), month(d), day(d) or weekday(d): null for null.
func datePart(name string, part func(time.Time) int) func(...any) (any, error) {
	return func(p ...any) (any, error) {
		if p[0] == nil {
			return nil, nil
		}
		d, ok := p[0].(time.Time)
		if !ok {
			return nil, fmt.Errorf("%s needs a date, got %s", name, value.Describe(p[0]))
		}
		return part(d), nil
	}
}

// isoWeekday is 1 for Monday to 7 for Sunday, as ISO 8601 (and DuckDB's
// isodow) number them.
func isoWeekday(d time.Time) int {
	return (int(d.Weekday())+6)%7 + 1
}

// civil is the calendar day of d, at UTC midnight: what a date is, whatever
// time of day a layout may have read with it.
func civil(d time.Time) time.Time {
	y, m, day := d.Date()
	return time.Date(y, m, day, 0, 0, 0, 0, time.UTC)
}

func twoDates(name string, p []any) (time.Time, time.Time, bool, error) {
	if p[0] == nil || p[1] == nil {
		return time.Time{}, time.Time{}, false, nil
	}
	a, ok1 := p[0].(time.Time)
	b, ok2 := p[1].(time.Time)
	if !ok1 || !ok2 {
		bad := p[0]
		if ok1 {
			bad = p[1]
		}
		return a, b, false, fmt.Errorf("%s needs two dates, got %s", name, value.Describe(bad))
	}
	return a, b, true, nil
}

// daysBetween is days_between(a, b): the calendar days from a to b, b - a,
// negative when b is before a.
func daysBetween(p ...any) (any, error) {
	a, b, ok, err := twoDates("days_between", p)
	if !ok {
		return nil, err
	}
	return int(civil(b).Sub(civil(a)) / (24 * time.Hour)), nil
}

// The dates an analysis may compute: years 1 to 9999, the years a date
// column reads and a date prints as four digits.
var (
	firstDay = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	lastDay  = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)
)

const daysInRange = 3652058 // from 0001-01-01 to 9999-12-31

func dateAndInt(name string, p []any) (time.Time, int, bool, error) {
	if p[0] == nil || p[1] == nil {
		return time.Time{}, 0, false, nil
	}
	d, ok := p[0].(time.Time)
	if !ok {
		return d, 0, false, fmt.Errorf("%s needs a date, got %s", name, value.Describe(p[0]))
	}
	n, ok := intOf(p[1])
	if !ok {
		return d, 0, false, fmt.Errorf("%s needs a whole number, got %s", name, value.Describe(p[1]))
	}
	return d, n, true, nil
}

func inRange(name string, d time.Time, n int, out time.Time, unit string) (any, error) {
	if out.Before(firstDay) || out.After(lastDay) {
		return nil, arithErrorf("%s(%s, %d): %d %s from %s is outside the years 1 to 9999", name, d.Format(time.DateOnly), n, n, unit, d.Format(time.DateOnly))
	}
	return out, nil
}

// addDays is add_days(d, n): the date n days after d (before it for a
// negative n).
func addDays(p ...any) (any, error) {
	d, n, ok, err := dateAndInt("add_days", p)
	if !ok {
		return nil, err
	}
	if n > daysInRange || n < -daysInRange {
		return inRange("add_days", d, n, lastDay.AddDate(1, 0, 0), "days")
	}
	y, m, day := d.Date()
	return inRange("add_days", d, n, time.Date(y, m, day+n, 0, 0, 0, 0, time.UTC), "days")
}

// addMonths is add_months(d, n): the same day n months later, or the last
// day of that month when it is shorter (2024-01-31 plus one month is
// 2024-02-29), as DuckDB, pandas' DateOffset and lubridate's %m+% do; Go's
// own AddDate would roll over into March.
func addMonths(p ...any) (any, error) {
	d, n, ok, err := dateAndInt("add_months", p)
	if !ok {
		return nil, err
	}
	if n > 12*10000 || n < -12*10000 {
		return inRange("add_months", d, n, lastDay.AddDate(1, 0, 0), "months")
	}
	y, m, day := d.Date()
	months := y*12 + int(m) - 1 + n
	ny, nm := months/12, time.Month(months%12+1)
	if months < 0 {
		ny, nm = (months-11)/12, time.Month((months%12+12)%12+1)
	}
	last := time.Date(ny, nm+1, 0, 0, 0, 0, 0, time.UTC).Day()
	return inRange("add_months", d, n, time.Date(ny, nm, min(day, last), 0, 0, 0, 0, time.UTC), "months")
}

// titleFn is title(s): each word's first letter upper case and the rest
// lower case. A word is a run of letters, digits and apostrophes, so
// "PETROLEUM ENGINEERING" gives "Petroleum Engineering", "O'NEILL" gives
// "O'neill" and "don't" stays "Don't", not Python's "Don'T".
func titleFn(p ...any) (any, error) {
	if p[0] == nil {
		return nil, nil
	}
	s, ok := p[0].(string)
	if !ok {
		return nil, fmt.Errorf("title needs text, got %s", value.Describe(p[0]))
	}
	return titleCase(s), nil
}

func titleCase(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	inWord := false
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if inWord {
				b.WriteRune(unicode.ToLower(r))
			} else {
				b.WriteRune(unicode.ToTitle(r))
			}
			inWord = true
		case inWord && (r == '\'' || r == '’'):
			b.WriteRune(r)
		default:
			b.WriteRune(r)
			inWord = false
		}
	}
	return b.String()
}
