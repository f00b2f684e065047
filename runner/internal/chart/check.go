package chart

import (
	"slices"
	"strings"

	"galley/runner/internal/analysis"
	"galley/runner/internal/position"
	"galley/runner/internal/suggest"
	"galley/runner/internal/table"
	"galley/runner/internal/value"
)

// Types lists the chart types, in the order the documentation gives them.
var Types = []string{"bar", "line", "area", "scatter", "pie", "map", "points"}

const typeList = "bar, line, area, scatter, pie, map or points"

// Check validates a chart cell against the columns of its view, without
// any data, and returns the Spec that Options builds from. Every rule of
// what a chart cell may say lives here, and only here. The error is a
// position.List holding every mistake found, sorted by position.
func Check(c *analysis.Chart, cols []table.Column) (*Spec, error) {
	var errs position.List
	s := checkInto(&errs, c, cols)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return s, nil
}

func checkInto(errs *position.List, c *analysis.Chart, cols []table.Column) *Spec {
	s := &Spec{Pos: c.Pos, Type: c.Type.Value, Series: Column{Index: -1},
		Title: c.Title.Value, Subtitle: c.Subtitle.Value, Caption: c.Caption.Value,
		XLabel: Label{c.XLabel.Value, c.XLabel.Set}, YLabel: Label{c.YLabel.Value, c.YLabel.Set},
		Unit: c.Unit.Value, Stack: c.Stack, Horizontal: c.Horizontal}
	names := make([]string, 0, len(cols))
	for _, col := range cols {
		names = append(names, col.Name)
	}
	// lookup reports an unknown column and returns whether ref names one.
	lookup := func(ref analysis.Ref, role string) (table.Column, Column, bool) {
		i := table.ColumnIndex(cols, ref.Name)
		if i < 0 {
			errs.Append(position.Errorf(ref.Pos, "unknown column %q in chart %s", ref.Name, role).Span(len(ref.Name)).Hinted(suggestColumn(ref.Name, names)))
			return table.Column{}, Column{}, false
		}
		return cols[i], Column{Name: ref.Name, Index: i, Pos: ref.Pos}, true
	}

	kind := c.Type.Value
	switch {
	case !c.Type.Set || kind == "":
		errs.Add(c.Pos, "chart has no type (add type: %s)", typeList)
		kind = ""
	case !isType(kind):
		hint := suggest.DidYouMean(kind, Types)
		if hint == "" {
			hint = "use " + typeList
		}
		errs.Append(position.Errorf(c.Type.Pos, "unknown chart type %q", kind).Span(len(kind)).Hinted(hint))
		kind = ""
	}

	if c.X.Name == "" {
		if kind == "pie" {
			errs.Add(c.Pos, "chart has no x (add x: COLUMN, the column that names the slices)")
		} else {
			errs.Add(c.Pos, "chart has no x (add x: COLUMN, the column along the x axis)")
		}
	} else {
		_, s.X, _ = lookup(c.X, "x")
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
		col, ref, ok := lookup(y, "y")
		if !ok {
			continue
		}
		s.Y = append(s.Y, ref)
		switch col.Type {
		case analysis.TypeInt, analysis.TypeFloat, analysis.TypeAny:
		default:
			errs.Add(y.Pos, "column %q in chart y is a %s column, not a number (y takes int or float columns)", y.Name, col.Type)
		}
	}

	if c.Series.Name != "" {
		if _, ref, ok := lookup(c.Series, "series"); ok {
			s.Series = ref
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

	mapKeysOnChart(errs, c)
	if c.Format.Set {
		f, err := value.ParseFormat(c.Format.Value)
		s.Format = f
		switch {
		case err != nil:
			errs.Add(c.Format.Pos, "%v", err)
		case f.Percent && c.Unit.Value == "%":
			errs.Add(c.Unit.Pos, "unit: \"%%\" repeats the percent sign of format: %q (drop the unit)", c.Format.Value)
		}
	}
	return s
}

func isType(s string) bool { return slices.Contains(Types, s) }

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
