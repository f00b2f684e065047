package chart

import (
	"strings"

	"galley/runner/internal/analysis"
	"galley/runner/internal/position"
	"galley/runner/internal/suggest"
	"galley/runner/internal/table"
	"galley/runner/internal/value"
)

// chartTypes lists the chart types, in the order the documentation gives them.
var chartTypes = []string{"bar", "line", "area", "scatter", "pie"}

const typeList = "bar, line, area, scatter or pie"

// Check validates a chart cell against the columns of its view, without
// any data: for `galley check`, and as the first step of Options. It
// returns nil or a position.List holding every mistake found, sorted by
// position.
func Check(c *analysis.Chart, cols []table.Column) error {
	var errs position.List
	checkInto(&errs, c, cols)
	return errs.Err()
}

func checkInto(errs *position.List, c *analysis.Chart, cols []table.Column) {
	byName := make(map[string]table.Column, len(cols))
	names := make([]string, 0, len(cols))
	for _, col := range cols {
		byName[col.Name] = col
		names = append(names, col.Name)
	}
	// lookup reports an unknown column and returns whether ref names one.
	lookup := func(ref analysis.Ref, role string) (table.Column, bool) {
		col, ok := byName[ref.Name]
		if !ok {
			errs.Add(ref.Pos, "unknown column %q in chart %s (%s)", ref.Name, role, suggestColumn(ref.Name, names))
		}
		return col, ok
	}

	kind := c.Type.Value
	switch {
	case !c.Type.Set || kind == "":
		errs.Add(c.Pos, "chart has no type (add type: %s)", typeList)
		kind = ""
	case !isType(kind):
		if s := suggest.Near(kind, chartTypes); s != "" {
			errs.Add(c.Type.Pos, "unknown chart type %q (did you mean %q?)", kind, s)
		} else {
			errs.Add(c.Type.Pos, "unknown chart type %q (use %s)", kind, typeList)
		}
		kind = ""
	}

	if c.X.Name == "" {
		if kind == "pie" {
			errs.Add(c.Pos, "chart has no x (add x: COLUMN, the column that names the slices)")
		} else {
			errs.Add(c.Pos, "chart has no x (add x: COLUMN, the column along the x axis)")
		}
	} else {
		lookup(c.X, "x")
	}

	if len(c.Y) == 0 {
		errs.Add(c.Pos, "chart has no y (add y: [COLUMN, ...], the numeric columns to plot)")
	}
	seen := map[string]bool{}
	for _, y := range c.Y {
		if seen[y.Name] {
			errs.Add(y.Pos, "column %q is listed twice in chart y (list each column once)", y.Name)
			continue
		}
		seen[y.Name] = true
		col, ok := lookup(y, "y")
		if !ok {
			continue
		}
		switch col.Type {
		case analysis.TypeInt, analysis.TypeFloat, analysis.TypeAny:
		default:
			errs.Add(y.Pos, "column %q in chart y is a %s column, not a number (y takes int or float columns)", y.Name, col.Type)
		}
	}

	if c.Series.Name != "" {
		if _, ok := lookup(c.Series, "series"); ok {
			switch {
			case c.Series.Name == c.X.Name:
				errs.Add(c.Series.Pos, "column %q is both x and series of the chart (series: names the column whose values become the series)", c.Series.Name)
			case seen[c.Series.Name]:
				errs.Add(c.Series.Pos, "column %q is both y and series of the chart (series: names the column whose values become the series)", c.Series.Name)
			}
		}
		if kind != "pie" && len(c.Y) > 1 {
			errs.Add(c.Series.Pos, "series: takes exactly one y column, got %d (either list columns in y: without series:, or split one y column by series:)", len(c.Y))
		}
	}

	if kind == "pie" {
		if len(c.Y) > 1 {
			errs.Add(c.Y[1].Pos, "a pie chart takes exactly one y column, got %d (use a bar chart to compare columns)", len(c.Y))
		}
		if c.Series.Name != "" {
			errs.Add(c.Series.Pos, "a pie chart takes no series: (it draws one slice per row, named by x)")
		}
	}
	if c.Stack && (kind == "scatter" || kind == "pie") {
		errs.Add(c.Pos, "stack: true applies to bar, line and area charts, not %s (remove stack:)", kind)
	}
	if c.Horizontal && kind != "" && kind != "bar" {
		errs.Add(c.Pos, "horizontal: true applies to bar charts only, not %s (remove horizontal:, or use type: bar)", kind)
	}

	if c.Format.Set {
		f, err := value.ParseFormat(c.Format.Value)
		switch {
		case err != nil:
			errs.Add(c.Format.Pos, "%v", err)
		case f.Percent && c.Unit.Value == "%":
			errs.Add(c.Unit.Pos, "unit: \"%%\" repeats the percent sign of format: %q (drop the unit)", c.Format.Value)
		}
	}
}

func isType(s string) bool {
	for _, t := range chartTypes {
		if s == t {
			return true
		}
	}
	return false
}

// suggestColumn is the parenthesis of an unknown-column error: the likely
// column, or the list of columns to choose from.
func suggestColumn(name string, names []string) string {
	if s := suggest.Near(name, names); s != "" {
		return "did you mean \"" + s + "\"?"
	}
	if len(names) == 0 {
		return "the view has no columns"
	}
	const max = 12
	if len(names) > max {
		return "the view has columns " + strings.Join(names[:max], ", ") + ", ..."
	}
	return "the view has columns " + strings.Join(names, ", ")
}
