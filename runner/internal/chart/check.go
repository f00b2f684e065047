package chart

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"galley/runner/internal/analysis"
	"galley/runner/internal/position"
	"galley/runner/internal/suggest"
	"galley/runner/internal/table"
)

// Types lists the chart types, in the order the documentation gives them.
var Types = []string{"bar", "line", "area", "scatter", "pie", "map", "points"}

const typeList = "bar, line, area, scatter, pie, map or points"

// Heights a chart may ask for, in pixels.
const (
	MinHeight = 120
	MaxHeight = 3000
)

// Env is what a chart cell is checked in besides its view's columns: how
// the view shows its columns, and the values of the analysis (which a
// mark may name).
type Env struct {
	Display table.Display
	Values  []string
}

// Check validates a chart cell against the columns of its view, without
// any data, and returns the Spec that Options builds from. Every rule of
// what a chart cell may say lives here, and only here. The error is a
// position.List holding every mistake found, sorted by position.
func Check(c *analysis.Chart, cols []table.Column, env Env) (*Spec, error) {
	var errs position.List
	s := checkInto(&errs, c, cols, env)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return s, nil
}

func checkInto(errs *position.List, c *analysis.Chart, cols []table.Column, env Env) *Spec {
	s := &Spec{Pos: c.Pos, Type: c.Type.Value, Series: Column{Index: -1}, Facet: Column{Index: -1},
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
	if c.Facet.Name != "" {
		if _, ref, ok := lookup(c.Facet, "facet"); ok {
			s.Facet = ref
			switch {
			case kind == "pie":
				errs.Add(c.Facet.Pos, "facet: applies to bar, line, area and scatter charts, not pie (draw one pie per view, or a bar chart with facet:)")
			case c.Facet.Name == c.X.Name:
				errs.Add(c.Facet.Pos, "column %q is both x and facet of the chart (facet: names the column whose values become the panels)", c.Facet.Name)
			case seen[c.Facet.Name]:
				errs.Add(c.Facet.Pos, "column %q is both y and facet of the chart (facet: names the column whose values become the panels)", c.Facet.Name)
			}
		}
	}

	s.Display = checkDisplay(errs, c, cols, env, s, kind)

	if c.Height.Set && (c.Height.Value < MinHeight || c.Height.Value > MaxHeight) {
		errs.Add(c.Height.Pos, "chart: height is %d pixels; give %d to %d (or leave it out: the chart takes the height its data needs)", c.Height.Value, MinHeight, MaxHeight)
	}
	s.Height = c.Height.Value

	if len(c.Marks) > 0 && kind == "pie" {
		errs.Add(c.Marks[0].Pos, "marks: a pie chart has no axes to mark (use a bar chart, or say it in the caption)")
	} else {
		xType := analysis.TypeAny
		if s.X.Index >= 0 {
			xType = cols[s.X.Index].Type
		}
		for _, m := range c.Marks {
			s.Marks = append(s.Marks, checkMark(errs, m, kind, c.Horizontal, c.X.Name, xType, env.Values))
		}
	}
	return s
}

// checkDisplay resolves the chart's labels and formats over its view's:
// labels that name no column name values (of x, series or facet), and
// format: applies to every y column that formats: does not name.
func checkDisplay(errs *position.List, c *analysis.Chart, cols []table.Column, env Env, s *Spec, kind string) table.Display {
	own, rest, err := table.NewDisplay(c.Labels, c.Formats, cols, "chart", true)
	errs.Append(position.Errors(err)...)
	d := own.Over(env.Display)
	for _, e := range rest {
		s.Names = append(s.Names, Name{Value: e.Key, Label: e.Text.Value, Pos: e.KeyPos})
	}
	if len(rest) > 0 && kind != "" && s.Series.Index < 0 && s.Facet.Index < 0 && !categorical(kind, c.Horizontal, columnType(cols, s.X)) {
		e := rest[0]
		names := make([]string, len(cols))
		for i, col := range cols {
			names[i] = col.Name
		}
		errs.Append(position.Errorf(e.KeyPos, "chart: labels: no column %q, and the chart has no categories, series or panels whose values a label could name", e.Key).
			Span(len(e.Key)).Hinted(suggest.DidYouMean(e.Key, names)))
	}
	if c.Format.Set {
		for _, y := range s.Y {
			if _, named := own.Formats[y.Name]; named {
				continue
			}
			f, err := table.FormatFor(c.Format, cols[y.Index], "chart: format")
			if err != nil {
				errs.Append(err)
				break
			}
			d.Formats[y.Name] = f
		}
	}
	// The y columns share one axis: they must all be percents, or none.
	for i, y := range s.Y {
		if i == 0 {
			continue
		}
		a, b := d.Formats[s.Y[0].Name], d.Formats[y.Name]
		if a.Percent != b.Percent {
			pc, plain := s.Y[0], y
			if b.Percent {
				pc, plain = y, s.Y[0]
			}
			errs.Add(y.Pos, "chart y: %q prints as a percent (format %q) and %q does not, and they share one axis; give them formats of one kind (formats: {%s: %q})",
				pc.Name, d.Formats[pc.Name].String(), plain.Name, plain.Name, d.Formats[pc.Name].String())
			break
		}
	}
	if len(s.Y) > 0 && d.Formats[s.Y[0].Name].Percent && c.Unit.Value == "%" {
		errs.Add(c.Unit.Pos, "unit: \"%%\" repeats the percent sign of the format %q (drop the unit)", d.Formats[s.Y[0].Name].String())
	}
	return d
}

func columnType(cols []table.Column, c Column) analysis.ColumnType {
	if c.Index < 0 {
		return analysis.TypeAny
	}
	return cols[c.Index].Type
}

// categorical reports whether the chart's x values are categories (or
// slices), as far as the x column's type tells before the data is read.
func categorical(kind string, horizontal bool, xType analysis.ColumnType) bool {
	switch {
	case kind == "pie" || horizontal:
		return true
	case xType == analysis.TypeDate || xType.Numeric():
		return false
	}
	return true
}

var markName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// checkMark reads where a mark stands: its x in the terms of the x axis
// (a category's text, a date, a number), its y a number; a number or a
// date may also be the name of a value.
func checkMark(errs *position.List, m *analysis.Mark, kind string, horizontal bool, xName string, xType analysis.ColumnType, values []string) Mark {
	out := Mark{Pos: m.Pos, Label: m.Label.Value}
	if !m.X.Set && !m.Y.Set {
		errs.Add(m.Pos, "chart: a mark needs x (a vertical line), y (a horizontal line) or both (a point), e.g. {y: 326, label: \"Acknowledged\"}")
		return out
	}
	if m.X.Set {
		switch {
		case kind == "":
		case categorical(kind, horizontal, xType) && xType != analysis.TypeAny:
			out.X = At{Set: true, Literal: m.X.Text, Text: m.X.Text, Pos: m.X.Pos}
		case xType == analysis.TypeDate:
			out.X = markAt(errs, m.X, "x", "a date (YYYY-MM-DD), as x "+strconv.Quote(xName)+" holds dates", values, true, false)
		case xType.Numeric():
			out.X = markAt(errs, m.X, "x", "a number, as x "+strconv.Quote(xName)+" holds numbers", values, false, true)
		default: // a column of unknown type: the data decides
			out.X = markAt(errs, m.X, "x", "a number, a date or a category", values, true, true)
			if out.X.Literal == nil && out.X.Value == "" {
				out.X = At{Set: true, Literal: m.X.Text, Text: m.X.Text, Pos: m.X.Pos}
			}
		}
	}
	if m.Y.Set {
		out.Y = markAt(errs, m.Y, "y", "a number, as the value axis holds numbers", values, false, true)
	}
	if !m.Label.Set && m.X.Set && m.Y.Set {
		errs.Add(m.Pos, "chart: a point mark needs a label (a point without one says nothing), e.g. {x: ..., y: ..., label: \"...\"}")
	}
	return out
}

// markAt reads a mark's x or y: a date, a number, or the name of a value
// (written bare, not quoted). A column of unknown type takes a bare word
// that names no value as a category (lenient set).
func markAt(errs *position.List, sc analysis.Scalar, axis, want string, values []string, dates, numbers bool) At {
	at := At{Set: true, Text: sc.Text, Pos: sc.Pos}
	if dates {
		if d, err := time.ParseInLocation(time.DateOnly, sc.Text, time.UTC); err == nil {
			at.Literal = d
			return at
		}
	}
	if numbers {
		if n, err := strconv.Atoi(sc.Text); err == nil {
			at.Literal = n
			return at
		}
		if f, err := strconv.ParseFloat(sc.Text, 64); err == nil && !strings.ContainsAny(sc.Text, "xXpP_") && finite(f) {
			at.Literal = f
			return at
		}
	}
	if !sc.Quoted && markName.MatchString(sc.Text) {
		if slices.Contains(values, sc.Text) {
			at.Value = sc.Text
			return at
		}
		if dates && numbers { // unknown axis: a category, checked against the data
			return at
		}
		errs.Append(position.Errorf(sc.Pos, "chart: mark %s: no value named %q; a mark's %s is %s, or the name of a value", axis, sc.Text, axis, want).
			Span(len(sc.Text)).Hinted(suggest.DidYouMean(sc.Text, values)))
		return at
	}
	if dates && numbers {
		return at
	}
	errs.Append(position.Errorf(sc.Pos, "chart: mark %s: %q is not %s (or the name of a value)", axis, sc.Text, want).Span(len(sc.Text)))
	return at
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
