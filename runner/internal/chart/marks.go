package chart

import (
	"time"

	"github.com/go-echarts/go-echarts/v2/opts"

	"galley/runner/internal/position"
	"galley/runner/internal/suggest"
	"galley/runner/internal/value"
)

// resolvedMark is a mark placed on the chart's axes: x as a category's
// index, a plotted number or a date; y as a plotted number.
type resolvedMark struct {
	label        string
	hasX, hasY   bool
	cat          int
	x, y         float64
	date         time.Time
	xText, yText string // as the aria description says them
}

// resolveMarks places every mark, reading the values they name.
func (b *builder) resolveMarks() ([]resolvedMark, error) {
	var out []resolvedMark
	for _, m := range b.s.Marks {
		rm := resolvedMark{label: m.Label}
		if m.X.Set {
			if err := b.placeX(m.X, &rm); err != nil {
				return nil, err
			}
		}
		if m.Y.Set {
			v, err := b.markValue(m.Y, "y")
			if err != nil {
				return nil, err
			}
			if !isNumber(v) || !finite(v) {
				return nil, position.Errorf(m.Y.Pos, "chart: mark y: value %q is %s (%s), not a number for the value axis", m.Y.Value, value.Describe(v), value.Text(v)).Span(len(m.Y.Text))
			}
			rm.hasY, rm.yText = true, b.yf.Text(v)+b.unit
			rm.y, _ = toFloat(b.yf.Scaled(v))
		}
		out = append(out, rm)
	}
	return out, nil
}

// markValue is the literal of at, or the value it names.
func (b *builder) markValue(at At, axis string) (any, error) {
	if at.Value == "" {
		return at.Literal, nil
	}
	v, ok := b.values[at.Value]
	if !ok {
		return nil, position.Errorf(at.Pos, "internal error: chart: mark %s: value %q was not computed", axis, at.Value)
	}
	if v == nil {
		return nil, position.Errorf(at.Pos, "chart: mark %s: value %q is null (%s), so the mark has no place; guard it, or leave the mark out", axis, at.Value, value.NullText).Span(len(at.Text))
	}
	return v, nil
}

// placeX places a mark's x on the chart's x axis.
func (b *builder) placeX(at At, rm *resolvedMark) error {
	v, err := b.markValue(at, "x")
	if err != nil {
		return err
	}
	rm.hasX = true
	switch b.x {
	case axisCategory:
		text := value.Plain(v)
		if at.Value != "" {
			return position.Errorf(at.Pos, "chart: mark x: %q names a value, and x %q is a category axis; write the category itself", at.Text, b.s.X.Name).Span(len(at.Text))
		}
		var names []string
		for i, c := range b.cats {
			if value.Plain(c.v) == text || c.text == text {
				rm.cat, rm.xText = i, c.text
				return nil
			}
			names = append(names, value.Plain(c.v))
		}
		return position.Errorf(at.Pos, "chart: mark x: %q is not a category of x %q in view %q", text, b.s.X.Name, b.t.Name).
			Span(len(at.Text)).Hinted(suggest.DidYouMean(text, names))
	case axisTime:
		d, ok := v.(time.Time)
		if !ok {
			return position.Errorf(at.Pos, "chart: mark x: %q is not a date, and x %q is a time axis (write the date YYYY-MM-DD)", at.Text, b.s.X.Name).Span(len(at.Text))
		}
		rm.date, rm.xText = d, b.xs.Text(d)
		// A date the axis's format would round (a day, on an axis of
		// months) is said whole.
		if p := b.xs.Format.Precision(); p == value.Year && d.YearDay() != 1 || p == value.Month && d.Day() != 1 {
			rm.xText = value.Plain(d)
		}
	default:
		f, ok := toFloat(b.xs.Format.Scaled(v))
		if !ok || !isNumber(v) {
			return position.Errorf(at.Pos, "chart: mark x: %q is not a number, and x %q is a value axis", at.Text, b.s.X.Name).Span(len(at.Text))
		}
		rm.x, rm.xText = f, b.xs.Text(v)
	}
	return nil
}

// hasVerticalLines reports whether some mark draws a line across the x
// axis, whose label stands above the plot.
func (b *builder) hasVerticalLines(marks []resolvedMark) bool {
	for _, m := range marks {
		if !b.s.Horizontal && m.hasX && !m.hasY || b.s.Horizontal && m.hasY && !m.hasX {
			return true
		}
	}
	return false
}

// fraction is where along the x axis (0 at its start, 1 at its end) the
// mark's x stands, to align its label away from the chart's edge.
func (b *builder) fraction(m resolvedMark, la layoutAxes, horizontalValue bool) float64 {
	switch {
	case horizontalValue:
		if la.yTick.hi > la.yTick.lo {
			return (m.y - la.yTick.lo) / (la.yTick.hi - la.yTick.lo)
		}
	case b.x == axisCategory:
		if len(b.cats) > 0 {
			return (float64(m.cat) + 0.5) / float64(len(b.cats))
		}
	case b.x == axisValue:
		if la.xTick.hi > la.xTick.lo {
			return (m.x - la.xTick.lo) / (la.xTick.hi - la.xTick.lo)
		}
	case b.x == axisTime:
		lo, _ := time.Parse(time.DateOnly, la.tmin)
		hi, _ := time.Parse(time.DateOnly, la.tmax)
		if hi.After(lo) {
			return float64(m.date.Sub(lo)) / float64(hi.Sub(lo))
		}
	}
	return 0.5
}

// align is a label's alignment at the fraction f of the axis: away from
// the nearer edge, so that it is not cut off.
func align(f float64) string {
	switch {
	case f < 0.3:
		return "left"
	case f > 0.7:
		return "right"
	}
	return "center"
}

// markLabel is a mark's label: its name, on a halo of the page's colour.
func markLabel() *label {
	return &label{Label: opts.Label{Show: opts.Bool(true), Formatter: "{b}", FontFamily: FontFamily, FontSize: fontSize, LineHeight: lineHeight, Color: markColor},
		TextBorderColor: paper, TextBorderWidth: 3}
}

// xAt is the mark's x as the x axis takes it.
func (b *builder) xAt(m resolvedMark) any {
	switch b.x {
	case axisCategory:
		return m.cat
	case axisTime:
		return value.Plain(m.date)
	}
	return m.x
}

// applyMarks draws the marks on s, the first series of a panel: lines as
// a markLine, points as a markPoint.
func (b *builder) applyMarks(s *series, marks []resolvedMark, la layoutAxes) {
	var lines []any
	var points []any
	for _, m := range marks {
		l := markLabel()
		switch {
		case m.hasX && m.hasY:
			x, y := b.xAt(m), any(m.y)
			coord := []any{x, y}
			if b.s.Horizontal {
				coord = []any{y, x}
			}
			// Above the point (the value axis leaves room for it there), or
			// on a horizontal bar chart beside it, away from the far edge.
			l.Position = "top"
			if b.s.Horizontal {
				l.Position = "right"
				if (m.y-la.yTick.lo)/max(la.yTick.hi-la.yTick.lo, 1e-300) > 0.6 {
					l.Position = "left"
				}
			}
			points = append(points, markPointAt{MarkPointNameCoordItem: opts.MarkPointNameCoordItem{Name: m.label, Coordinate: coord}, Label: l})
		case m.hasX && !b.s.Horizontal:
			// A vertical line; its label above the plot, aligned away from
			// the nearer edge.
			l.Position, l.Align = "end", align(b.fraction(m, la, false))
			lines = append(lines, markLineX{MarkLineNameXAxisItem: opts.MarkLineNameXAxisItem{Name: m.label, XAxis: b.xAt(m)}, Label: l})
		case m.hasX: // a category of a horizontal bar chart: a horizontal line
			l.Position = "insideEndTop"
			lines = append(lines, markLineY{MarkLineNameYAxisItem: opts.MarkLineNameYAxisItem{Name: m.label, YAxis: b.xAt(m)}, Label: l})
		case !b.s.Horizontal: // a y: a horizontal line
			l.Position = "insideEndTop"
			lines = append(lines, markLineY{MarkLineNameYAxisItem: opts.MarkLineNameYAxisItem{Name: m.label, YAxis: m.y}, Label: l})
		default: // a y of a horizontal bar chart: a vertical line, which runs
			// down the inverted category axis: its label at its start, on top
			l.Position, l.Align = "start", align(b.fraction(m, la, true))
			lines = append(lines, markLineX{MarkLineNameXAxisItem: opts.MarkLineNameXAxisItem{Name: m.label, XAxis: m.y}, Label: l})
		}
	}
	if len(lines) > 0 {
		s.MarkLine = &markLine{Silent: true, MarkLines: opts.MarkLines{Data: lines, MarkLineStyle: opts.MarkLineStyle{
			Symbol: []string{"none", "none"}, LineStyle: &opts.LineStyle{Color: markColor, Type: "dashed", Width: 1}}}}
	}
	if len(points) > 0 {
		s.MarkPoint = &markPoint{Silent: true, Symbol: "circle", ItemStyle: &opts.ItemStyle{Color: markColor},
			MarkPoints: opts.MarkPoints{Data: points, MarkPointStyle: opts.MarkPointStyle{SymbolSize: 7}}}
	}
}
