package table

import (
	"galley/runner/internal/analysis"
	"galley/runner/internal/position"
	"galley/runner/internal/suggest"
	"galley/runner/internal/value"
)

// Display is how a view's columns are shown to readers: the names
// (labels) and formats its labels: and formats: give, by column name. The
// zero Display shows every column by its name and prints its values as
// value.Text does. Machine forms (CSV downloads, the results document's
// rows) never use it.
type Display struct {
	Labels  map[string]string
	Formats map[string]value.Format
}

// Label is the name readers see for the column col.
func (d Display) Label(col string) string {
	if l, ok := d.Labels[col]; ok {
		return l
	}
	return col
}

// Format is the format the column col is printed with, and whether one
// was given.
func (d Display) Format(col string) (value.Format, bool) {
	f, ok := d.Formats[col]
	return f, ok
}

// Over is d's labels and formats over base's: a table's or chart's over
// its view's.
func (d Display) Over(base Display) Display {
	out := Display{Labels: map[string]string{}, Formats: map[string]value.Format{}}
	for _, m := range []Display{base, d} {
		for k, v := range m.Labels {
			out.Labels[k] = v
		}
		for k, v := range m.Formats {
			out.Formats[k] = v
		}
	}
	return out
}

// NewDisplay checks labels: and formats: entries against the columns cols
// they name, and returns them as a Display. what says whose they are in
// messages ("view \"v\"", "table", "chart"). Each entry must name a
// column; a format must parse, and suit its column: a number format an
// int or float column, a date format a date column. Labels whose key names
// no column are returned in rest, in order, when keepRest is set (a
// chart's labels also name values), and are an error otherwise.
func NewDisplay(labels, formats []analysis.Label, cols []Column, what string, keepRest bool) (d Display, rest []analysis.Label, err error) {
	var errs position.List
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	d = Display{Labels: map[string]string{}, Formats: map[string]value.Format{}}
	for _, e := range labels {
		if ColumnIndex(cols, e.Key) < 0 {
			if keepRest {
				rest = append(rest, e)
				continue
			}
			errs.Append(position.Errorf(e.KeyPos, "%s: labels: no column %q", what, e.Key).
				Span(len(e.Key)).Hinted(suggest.DidYouMean(e.Key, names)))
			continue
		}
		d.Labels[e.Key] = e.Text.Value
	}
	for _, e := range formats {
		i := ColumnIndex(cols, e.Key)
		if i < 0 {
			errs.Append(position.Errorf(e.KeyPos, "%s: formats: no column %q", what, e.Key).
				Span(len(e.Key)).Hinted(suggest.DidYouMean(e.Key, names)))
			continue
		}
		f, err := FormatFor(e.Text, cols[i], what+": formats")
		if err != nil {
			errs.Append(err)
			continue
		}
		d.Formats[e.Key] = f
	}
	return d, rest, errs.Err()
}

// FormatFor parses the format s written for the column col and checks
// that it suits the column's type.
func FormatFor(s analysis.String, col Column, what string) (value.Format, *position.Error) {
	f, err := value.ParseFormat(s.Value)
	if err != nil {
		return value.Format{}, position.Errorf(s.Pos, "%s: %v", what, err).Span(len(s.Value))
	}
	switch {
	case f.Suits(col.Type):
	case f.IsDate():
		return value.Format{}, position.Errorf(s.Pos, "%s: %q is a date format, and %q is %s column (a date format applies to date columns)",
			what, s.Value, col.Name, col.Type.WithArticle()).Span(len(s.Value))
	default:
		hint := ""
		if col.Type == analysis.TypeDate {
			hint = value.DateFormatHint
		}
		return value.Format{}, position.Errorf(s.Pos, "%s: %q is a number format, and %q is %s column (a number format applies to int and float columns%s)",
			what, s.Value, col.Name, col.Type.WithArticle(), hint).Span(len(s.Value))
	}
	return f, nil
}

// Shown is how a table or chart shows one column: its label, its format,
// and (on a chart) the display names of its values.
type Shown struct {
	Label  string
	Format value.Format
	Names  map[string]string // by value.Plain
}

// Text prints v as the column shows it: by its display name if it has
// one, else with the column's format.
func (s Shown) Text(v any) string {
	if v != nil {
		if n, ok := s.Names[value.Plain(v)]; ok {
			return n
		}
	}
	return s.Format.Text(v)
}

// Show is how a table shows the column col of a view whose rows are rows
// (the column's index i): its label and format from d, and with no format
// the one its values call for: for dates, the precision they have
// (value.DateFormatFor); for ints in a column named for years, no
// thousands separator (value.IntFormatFor). It is the one place a
// column's default format is decided.
func (d Display) Show(col Column, i int, rows [][]any) Shown {
	sh := Shown{Label: d.Label(col.Name)}
	if f, ok := d.Format(col.Name); ok {
		sh.Format = f
		return sh
	}
	if col.Type != analysis.TypeDate && col.Type != analysis.TypeInt && col.Type != analysis.TypeAny {
		return sh
	}
	vals := make([]any, len(rows))
	for r, row := range rows {
		vals[r] = row[i]
	}
	if col.Type != analysis.TypeInt {
		sh.Format = value.DateFormatFor(vals)
	}
	if sh.Format.IsZero() && col.Type != analysis.TypeDate {
		sh.Format = value.IntFormatFor(col.Name, vals)
	}
	return sh
}
