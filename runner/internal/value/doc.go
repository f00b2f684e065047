// Package value owns the values a column holds and every text made of them.
//
// A value is one of exactly these Go values: nil (null), string, int,
// float64, bool and time.Time (a date: UTC midnight). Package value gives
// them their column Type, a total order (Compare), a normal form for what
// expr-lang hands back (Normalize), a key for grouping and joining
// (AppendKey), the name a message gives their kind (Describe), and their
// two texts: Text, the display form a reader sees in tables, charts, claims
// and prose, and Plain, the machine form written to CSV downloads and the
// results document. A null displays one way everywhere: NullText.
//
// Numbers are printed from their shortest exact decimal form and rounded
// in decimal, half away from zero (Round), so 2.675 to two places is 2.68
// as a reader expects, never 2.67 as binary floating point would give.
// Format is the number format grammar of the contract,
// [prefix]0[,0][.0...][%][suffix] ("0,0", "0.0%", "$0,0", "£0.0m",
// "0,0 km"), parsed once by ParseFormat and used by tables, charts,
// tooltips, claim boxes and format() alike. A format may also print dates
// by their parts ("YYYY", "MMM YYYY", "D MMM YYYY"); DateFormatFor is the
// one a column of dates takes when none is given, so that dates truncated
// to the year read 1930, not 1930-01-01. Tick prints the ticks of a chart's
// value axis with a column's format and the decimals the ticks' step needs.
//
// Nothing here depends on the locale, the time zone or the clock: the same
// value gives the same text on every machine.
package value
