package expression

import (
	"fmt"
	"sync"
	"time"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"

	"galley/runner/internal/analysis"
	"galley/runner/internal/position"
	"galley/runner/internal/value"
)

// format(x, FORMAT) prints a number or a date with a format of package
// value's grammar, as tables, charts and claim boxes print them:
// format(0.276, "0%") is "28%", format(110000, "$0,0") is "$110,000",
// format(1930, "0") is "1930", format(d, "D MMM YYYY") is "17 Mar 2017".
// FORMAT is written as a literal and checked by `galley check`
// (checkFormatCall); a null x gives null.

func init() { Functions = append(Functions, "format") }

// formatFunction is format(), for functionOptions.
func formatFunction() expr.Option {
	return expr.Function("format", formatFn,
		new(func(int, string) string), new(func(float64, string) string),
		new(func(time.Time, string) string))
}

var formats sync.Map // FORMAT → value.Format: a literal parsed once

func formatFn(p ...any) (any, error) {
	if p[0] == nil {
		return nil, nil
	}
	src, _ := p[1].(string)
	f, ok := formats.Load(src)
	if !ok {
		parsed, err := value.ParseFormat(src)
		if err != nil {
			return nil, fmt.Errorf("format: %v", err)
		}
		f, _ = formats.LoadOrStore(src, parsed)
	}
	switch p[0].(type) {
	case int, float64, time.Time:
		return f.(value.Format).Text(p[0]), nil
	}
	return nil, fmt.Errorf("format needs a number or a date, got %s", value.Describe(p[0]))
}

// checkFormatCall checks the FORMAT of a call of format() before any row
// is read: it must be written as a text, and be a format.
func checkFormatCall(c *ast.CallNode, e analysis.Expr) error {
	if len(c.Arguments) != 2 {
		return nil // the type checker says so
	}
	s, ok := c.Arguments[1].(*ast.StringNode)
	if !ok {
		return position.Errorf(offsetPos(e, c.Arguments[1].Location().From),
			"format: write the format as a quoted text, such as format(x, \"0,0\"); it is checked before the data is read, so it cannot be computed")
	}
	if _, err := value.ParseFormat(s.Value); err != nil {
		return position.Errorf(offsetPos(e, s.Location().From), "format: %v", err).Span(len(s.Value) + 2)
	}
	return nil
}
