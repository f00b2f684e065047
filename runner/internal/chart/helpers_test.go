package chart

import (
	"time"

	"galley/runner/internal/analysis"
	"galley/runner/internal/position"
	"galley/runner/internal/table"
)

const file = "analyses/mosul.yaml"

func pos(line, col int) position.Pos { return position.Pos{File: file, Line: line, Col: col} }

func str(v string, line, col int) analysis.String {
	return analysis.String{Value: v, Pos: pos(line, col), Set: true}
}

func ref(name string, line, col int) analysis.Ref {
	return analysis.Ref{Name: name, Pos: pos(line, col)}
}

// cell is the example chart of the analysis format: a chart cell starting
// on line 40, one key per line below it.
func cell(typ, x string, ys ...string) *analysis.Chart {
	c := &analysis.Chart{
		Pos:  pos(40, 5),
		Type: str(typ, 41, 13),
		Data: ref("mosul", 42, 13),
		X:    ref(x, 43, 10),
	}
	for i, y := range ys {
		c.Y = append(c.Y, ref(y, 44, 11+i*6))
	}
	return c
}

func col(name string, t analysis.ColumnType) table.Column {
	return table.Column{Name: name, Type: t, Pos: pos(10, 7)}
}

func date(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

// mosul is the example view: who counted how many dead.
func mosul() *table.Table {
	return &table.Table{
		Name: "mosul",
		Columns: []table.Column{
			col("counter", analysis.TypeString),
			col("low", analysis.TypeInt),
			col("high", analysis.TypeInt),
			col("rows", analysis.TypeInt),
			col("share", analysis.TypeFloat),
			col("period_end", analysis.TypeDate),
			col("note", analysis.TypeAny),
		},
		Rows: [][]any{
			{"AP", 9000, 11000, 3, 0.5125, date("2017-07-31"), "x"},
			{"Airwars", 5805, 9606, 2, 0.3, date("2017-07-31"), nil},
			{"Iraqi government", 1260, nil, 1, 0.1625, date("2017-07-10"), nil},
			{"US military", 326, 326, 1, 0.025, date("2017-07-31"), 1.5},
		},
	}
}

// monthly is long data: deaths by month and by who counted.
func monthly() *table.Table {
	return &table.Table{
		Name: "monthly",
		Columns: []table.Column{
			col("month", analysis.TypeDate),
			col("counter", analysis.TypeString),
			col("deaths", analysis.TypeInt),
			col("rate", analysis.TypeFloat),
			col("year", analysis.TypeInt),
		},
		Rows: [][]any{
			{date("2017-01-01"), "AP", 1200, 0.25, 2017},
			{date("2017-01-01"), "Airwars", 800, 0.5, 2017},
			{date("2017-02-01"), "AP", nil, 0.6, 2017},
			{date("2017-02-01"), "Airwars", 950, 0.07, 2017},
			{date("2017-03-01"), "AP", 2100, 1.125, 2018},
			{date("2017-03-01"), "Airwars", 0, 0, 2018},
		},
	}
}

// years is deaths by year: an int x.
func years() *table.Table {
	return &table.Table{
		Name:    "years",
		Columns: []table.Column{col("year", analysis.TypeInt), col("deaths", analysis.TypeInt)},
		Rows:    [][]any{{2016, 1200}, {2017, 9000}, {2019, 40}, {2018, 300}},
	}
}

// yearly is deaths by year, the dates truncated to the year.
func yearly() *table.Table {
	return &table.Table{
		Name:    "yearly",
		Columns: []table.Column{col("start", analysis.TypeDate), col("deaths", analysis.TypeInt)},
		Rows:    [][]any{{date("1930-01-01"), 1200}, {date("1931-01-01"), 2500}, {date("1935-01-01"), 800}},
	}
}

// votes is long data on categories, with one pair missing.
func votes() *table.Table {
	return &table.Table{
		Name: "votes",
		Columns: []table.Column{
			col("region", analysis.TypeString),
			col("party", analysis.TypeString),
			col("share", analysis.TypeFloat),
		},
		Rows: [][]any{
			{"North", "Green", 0.125},
			{"North", "Blue", 0.4},
			{"South", "Blue", 0.55},
			{"East", "Green", 0.3},
			{"East", "Blue", 0.35},
			{"South", "Red", 0.2},
		},
	}
}

// draw checks c against the table's columns, then draws it, as the check
// stage and the engine do one after the other.
func draw(c *analysis.Chart, tab *table.Table, id string) (*Drawing, error) {
	s, err := Check(c, tab.Columns, Env{Values: []string{"acknowledged", "strike_day", "nothing"}})
	if err != nil {
		return nil, err
	}
	return Options(s, tab, id, map[string]any{"acknowledged": 326, "strike_day": date("2017-02-15"), "nothing": nil})
}

// build is draw, for a chart of one panel: its options.
func build(c *analysis.Chart, tab *table.Table, id string) ([]byte, error) {
	d, err := draw(c, tab, id)
	if err != nil {
		return nil, err
	}
	return d.Panels[0].Options, nil
}
