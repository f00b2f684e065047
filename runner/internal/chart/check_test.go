package chart

import (
	"errors"
	"testing"

	"galley/runner/internal/analysis"
	"galley/runner/internal/position"
)

func TestCheck(t *testing.T) {
	cols := mosul().Columns
	tests := []struct {
		name string
		edit func(c *analysis.Chart)
		want string // the whole error, "" for none
	}{
		{"example", func(c *analysis.Chart) {}, ""},
		{"every type", func(c *analysis.Chart) {
			for _, typ := range []string{"bar", "line", "area", "scatter"} {
				c2 := *c
				c2.Type = str(typ, 41, 13)
				if _, err := Check(&c2, cols, Env{}); err != nil {
					t.Errorf("type %s: %v", typ, err)
				}
			}
		}, ""},
		{"any column as y", func(c *analysis.Chart) { c.Y = []analysis.Ref{ref("note", 44, 11)} }, ""},
		{"long data", func(c *analysis.Chart) {
			c.X = ref("period_end", 43, 10)
			c.Y = c.Y[:1]
			c.Series = ref("counter", 45, 15)
			c.Stack = true
		}, ""},
		{"no type", func(c *analysis.Chart) { c.Type = analysis.String{} },
			`analyses/mosul.yaml:40:5: chart has no type (add type: bar, line, area, scatter, pie, map or points)`},
		{"misspelt type", func(c *analysis.Chart) { c.Type = str("bars", 41, 13) },
			`analyses/mosul.yaml:41:13: unknown chart type "bars" (did you mean "bar"?)`},
		{"type in capitals", func(c *analysis.Chart) { c.Type = str("Pie", 41, 13) },
			`analyses/mosul.yaml:41:13: unknown chart type "Pie" (did you mean "pie"?)`},
		{"unknown type", func(c *analysis.Chart) { c.Type = str("radar", 41, 13) },
			`analyses/mosul.yaml:41:13: unknown chart type "radar" (use bar, line, area, scatter, pie, map or points)`},
		{"no x", func(c *analysis.Chart) { c.X = analysis.Ref{} },
			`analyses/mosul.yaml:40:5: chart has no x (add x: COLUMN, the column along the x axis)`},
		{"no x for a pie", func(c *analysis.Chart) { c.Type = str("pie", 41, 13); c.X = analysis.Ref{}; c.Y = c.Y[:1] },
			`analyses/mosul.yaml:40:5: chart has no x (add x: COLUMN, the column that names the slices)`},
		{"misspelt x", func(c *analysis.Chart) { c.X = ref("countr", 43, 10) },
			`analyses/mosul.yaml:43:10: unknown column "countr" in chart x (did you mean "counter"?)`},
		{"unknown x", func(c *analysis.Chart) { c.X = ref("zzz", 43, 10) },
			`analyses/mosul.yaml:43:10: unknown column "zzz" in chart x (the view has columns counter, low, high, rows, share, period_end, note)`},
		{"no y", func(c *analysis.Chart) { c.Y = nil },
			`analyses/mosul.yaml:40:5: chart has no y (add y: [COLUMN, ...], the numeric columns to plot)`},
		{"misspelt y", func(c *analysis.Chart) { c.Y[1] = ref("hihg", 44, 17) },
			`analyses/mosul.yaml:44:17: unknown column "hihg" in chart y (did you mean "high"?)`},
		{"string y", func(c *analysis.Chart) { c.Y[0] = ref("counter", 44, 11) },
			`analyses/mosul.yaml:44:11: column "counter" in chart y is a string column, not a number (y takes int or float columns)`},
		{"date y", func(c *analysis.Chart) { c.Y[1] = ref("period_end", 44, 17) },
			`analyses/mosul.yaml:44:17: column "period_end" in chart y is a date column, not a number (y takes int or float columns)`},
		{"y twice", func(c *analysis.Chart) { c.Y[1] = ref("low", 44, 17) },
			`analyses/mosul.yaml:44:17: column "low" is listed twice in chart y (list each column once)`},
		{"misspelt series", func(c *analysis.Chart) { c.Y = c.Y[:1]; c.Series = ref("Counter", 45, 15) },
			`analyses/mosul.yaml:45:15: unknown column "Counter" in chart series (did you mean "counter"?)`},
		{"series with two y", func(c *analysis.Chart) { c.Series = ref("note", 45, 15) },
			`analyses/mosul.yaml:45:15: series: takes exactly one y column, got 2 (either list columns in y: without series:, or split one y column by series:)`},
		{"series is x", func(c *analysis.Chart) { c.Y = c.Y[:1]; c.Series = ref("counter", 45, 15) },
			`analyses/mosul.yaml:45:15: column "counter" is both x and series of the chart (series: names the column whose values become the series)`},
		{"series is y", func(c *analysis.Chart) { c.Y = c.Y[:1]; c.Series = ref("low", 45, 15) },
			`analyses/mosul.yaml:45:15: column "low" is both y and series of the chart (series: names the column whose values become the series)`},
		{"pie with two y", func(c *analysis.Chart) { c.Type = str("pie", 41, 13) },
			`analyses/mosul.yaml:44:17: a pie chart takes exactly one y column, got 2 (use a bar chart to compare columns)`},
		{"pie with series", func(c *analysis.Chart) {
			c.Type = str("pie", 41, 13)
			c.Y = c.Y[:1]
			c.Series = ref("note", 45, 15)
		}, `analyses/mosul.yaml:45:15: a pie chart takes no series: (it draws one slice per row, named by x)`},
		{"stacked pie", func(c *analysis.Chart) { c.Type = str("pie", 41, 13); c.Y = c.Y[:1]; c.Stack = true },
			`analyses/mosul.yaml:40:5: stack: true applies to bar, line and area charts, not pie (remove stack:)`},
		{"stacked scatter", func(c *analysis.Chart) { c.Type = str("scatter", 41, 13); c.Stack = true },
			`analyses/mosul.yaml:40:5: stack: true applies to bar, line and area charts, not scatter (remove stack:)`},
		{"horizontal line", func(c *analysis.Chart) { c.Type = str("line", 41, 13); c.Horizontal = true },
			`analyses/mosul.yaml:40:5: horizontal: true applies to bar charts only, not line (remove horizontal:, or use type: bar)`},
		{"bad format", func(c *analysis.Chart) { c.Format = str("#,##0.0", 45, 15) },
			`analyses/mosul.yaml:45:15: chart: format: number format "#,##0.0" is written as in a spreadsheet; write "0,0.0" (0 stands for the digits)`},
		{"percent twice", func(c *analysis.Chart) { c.Format = str("0%", 45, 15); c.Unit = str("%", 46, 13) },
			`analyses/mosul.yaml:46:13: unit: "%" repeats the percent sign of the format "0%" (drop the unit)`},
		{"several mistakes, sorted by position", func(c *analysis.Chart) {
			c.Type = str("pi", 41, 13)
			c.X = ref("counterr", 43, 10)
			c.Y = []analysis.Ref{ref("counter", 44, 11), ref("lwo", 44, 20)}
		}, `analyses/mosul.yaml:41:13: unknown chart type "pi" (did you mean "pie"?)
analyses/mosul.yaml:43:10: unknown column "counterr" in chart x (did you mean "counter"?)
analyses/mosul.yaml:44:11: column "counter" in chart y is a string column, not a number (y takes int or float columns)
analyses/mosul.yaml:44:20: unknown column "lwo" in chart y (did you mean "low"?)`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := cell("bar", "counter", "low", "high")
			tc.edit(c)
			_, err := Check(c, cols, Env{})
			got := ""
			if err != nil {
				got = err.Error()
				var l position.List
				if !errors.As(err, &l) {
					t.Errorf("error is a %T, want position.List", err)
				}
			}
			if got != tc.want {
				t.Errorf("Check:\n got %s\nwant %s", got, tc.want)
			}
			// Options runs the same checks first.
			if tc.want != "" {
				if _, err := build(c, mosul(), "c1"); err == nil || err.Error() != tc.want {
					t.Errorf("Options: %v", err)
				}
			}
		})
	}
}

// TestOptionsDataErrors covers what only the data can show.
func TestOptionsDataErrors(t *testing.T) {
	tests := []struct {
		name  string
		chart func() *analysis.Chart
		rows  func(t [][]any) [][]any
		want  string
	}{
		{"duplicate x", func() *analysis.Chart { return cell("bar", "counter", "low") },
			func(r [][]any) [][]any { return append(r, []any{"AP", 1, 2, 1, 0.1, date("2017-01-01"), nil}) },
			`analyses/mosul.yaml:43:10: x value "AP" occurs in rows 1 and 5 of view "mosul"; a bar chart needs one row per x value (aggregate the view with group_by: [counter])`},
		{"duplicate pair", func() *analysis.Chart {
			c := cell("line", "period_end", "low")
			c.Series = ref("rows", 45, 15)
			return c
		}, func(r [][]any) [][]any { r[3][3] = 2; return r },
			`analyses/mosul.yaml:45:15: x value "2017-07-31" with series value "2" occurs in rows 2 and 4 of view "mosul"; a line chart needs one row per pair (aggregate the view with group_by: [period_end, rows])`},
		{"duplicate date", func() *analysis.Chart { return cell("area", "period_end", "low") }, nil,
			`analyses/mosul.yaml:43:10: x value "2017-07-31" occurs in rows 1 and 2 of view "mosul"; an area chart needs one row per x value (aggregate the view with group_by: [period_end])`},
		{"string in an any column", func() *analysis.Chart { return cell("bar", "counter", "note") }, nil,
			`analyses/mosul.yaml:44:11: column "note" in chart y holds "x" (a string) in row 1 of view "mosul"; a chart plots numbers (convert it in the view)`},
		{"infinite y", func() *analysis.Chart { return cell("bar", "counter", "share") },
			func(r [][]any) [][]any { r[2][4] = posInf(); return r },
			`analyses/mosul.yaml:44:11: column "share" in chart y is +Inf in row 3 of view "mosul", which a chart cannot plot (a division by zero? guard it in the view)`},
		{"null date", func() *analysis.Chart { return cell("line", "period_end", "low") },
			func(r [][]any) [][]any { r[3][5] = nil; return r[2:] },
			`analyses/mosul.yaml:43:10: column "period_end" in chart x is empty in row 2 of view "mosul", and a time axis cannot place it (filter it out in the view: where: period_end != nil)`},
		{"negative slice", func() *analysis.Chart { return cell("pie", "counter", "low") },
			func(r [][]any) [][]any { r[1][1] = -3; return r },
			`analyses/mosul.yaml:44:11: column "low" is negative (-3) in row 2 of view "mosul"; a pie shows the parts of a whole (use a bar chart)`},
		{"label of no value", func() *analysis.Chart {
			c := cell("bar", "counter", "low")
			c.Labels = []analysis.Label{entry("Airwar", "Airwars monitor", 45, 15)}
			return c
		}, nil, `analyses/mosul.yaml:45:15: chart: labels: "Airwar" is neither a column of view "mosul" nor a value of x "counter" in its rows (did you mean "Airwars"?)`},
		{"mark of no category", func() *analysis.Chart {
			c := cell("bar", "counter", "low")
			c.Marks = []*analysis.Mark{{Pos: pos(46, 9), X: scalar("US militray", "!!str", 46, 13), Label: str("L", 46, 30)}}
			return c
		}, nil, `analyses/mosul.yaml:46:13: chart: mark x: "US militray" is not a category of x "counter" in view "mosul" (did you mean "US military"?)`},
		{"mark at a null value", func() *analysis.Chart {
			c := cell("bar", "counter", "low")
			c.Marks = []*analysis.Mark{{Pos: pos(46, 9), Y: scalar("nothing", "!!str", 46, 13), Label: str("L", 46, 30)}}
			return c
		}, nil, `analyses/mosul.yaml:46:13: chart: mark y: value "nothing" is null (no value), so the mark has no place; guard it, or leave the mark out`},
		{"mark at a date on a value axis", func() *analysis.Chart {
			c := cell("scatter", "low", "high")
			c.Marks = []*analysis.Mark{{Pos: pos(46, 9), X: scalar("strike_day", "!!str", 46, 13), Label: str("L", 46, 30)}}
			return c
		}, nil, `analyses/mosul.yaml:46:13: chart: mark x: "strike_day" is not a number, and x "low" is a value axis`},
		{"too many panels", func() *analysis.Chart {
			c := cell("bar", "counter", "low")
			c.Facet = ref("rows", 45, 15)
			return c
		}, func(r [][]any) [][]any {
			for i := 0; i < MaxPanels; i++ {
				r = append(r, []any{"AP", 1, 2, 10 + i, 0.1, date("2017-01-01"), nil})
			}
			return r
		}, `analyses/mosul.yaml:45:15: facet: column "rows" has 27 values in view "mosul", more than the 24 panels a chart draws; filter the view (where:) or facet by a column with fewer values`},
		{"duplicate x in a panel", func() *analysis.Chart {
			c := cell("bar", "counter", "low")
			c.Facet = ref("period_end", 45, 15)
			return c
		}, func(r [][]any) [][]any { return append(r, []any{"AP", 1, 2, 1, 0.1, date("2017-07-31"), nil}) },
			`analyses/mosul.yaml:43:10: x value "AP" occurs in rows 1 and 5 of view "mosul"; a bar chart needs one row per x value (aggregate the view with group_by: [counter])`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tab := mosul()
			if tc.rows != nil {
				tab.Rows = tc.rows(tab.Rows)
			}
			_, err := build(tc.chart(), tab, "c1")
			if err == nil {
				t.Fatalf("no error, want %s", tc.want)
			}
			if err.Error() != tc.want {
				t.Errorf("\n got %s\nwant %s", err, tc.want)
			}
			var pe *position.Error
			if !errors.As(err, &pe) {
				t.Errorf("error is a %T, want *position.Error", err)
			}
		})
	}
}

func posInf() float64 { var z float64; return 1 / z }

func TestEmptyTable(t *testing.T) {
	for _, typ := range Types {
		tab := mosul()
		tab.Rows = nil
		c := cell(typ, "counter", "low")
		out, err := build(c, tab, "c1")
		if err != nil {
			t.Fatalf("%s: %v", typ, err)
		}
		checkSafe(t, out)
	}
}
