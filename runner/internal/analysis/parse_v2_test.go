package analysis

import (
	"os"
	"reflect"
	"testing"
)

// TestContractV2Views parses the views of contract v2 as the contract
// writes them.
func TestContractV2Views(t *testing.T) {
	src, err := os.ReadFile("testdata/contract_v2_views.yaml")
	if err != nil {
		t.Fatal(err)
	}
	f, err := Parse("x.yaml", src)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	byName := map[string]*View{}
	for _, v := range f.Views {
		byName[v.Name] = v
	}
	all, long, wide, by, ranked := byName["all_years"], byName["long"], byName["wide"], byName["by_year"], byName["ranked"]
	checks := []struct {
		what      string
		got, want any
	}{
		{"append", all.Append, true},
		{"append sources", all.Sources, []Ref{{"y2019", pos(10, 12)}, {"y2020", pos(10, 19)}, {"y2021", pos(10, 26)}}},
		{"append from", all.From, Ref{"y2019", pos(10, 12)}},
		{"from_column", all.FromColumn, String{"edition", pos(11, 18), true}},
		{"one source", long.Sources, []Ref{{"drug_use", pos(14, 11)}}},
		{"one source is no append", long.Append, false},
		{"unpivot", *long.Unpivot, Unpivot{Pos: pos(15, 5), Columns: []Ref{{"alcohol_use", pos(16, 17)}, {"marijuana_use", pos(16, 30)}, {"cocaine_use", pos(16, 45)}},
			NamesTo: String{"drug", pos(17, 17), true}, ValuesTo: String{"percent", pos(18, 18), true}}},
		{"pivot names_from", wide.Pivot.NamesFrom, Ref{"cause", pos(23, 19)}},
		{"pivot values_from", wide.Pivot.ValuesFrom, Ref{"deaths", pos(24, 20)}},
		{"pivot columns", wide.Pivot.Columns, []PivotColumn{
			{"gunfire", pos(26, 9), Literal{"Gunfire", "!!str", pos(26, 19)}},
			{"crash", pos(27, 9), Literal{"Automobile accident", "!!str", pos(27, 17)}}}},
		{"pivot fill", *wide.Pivot.Fill, Literal{"0", "!!int", pos(28, 13)}},
		{"complete columns", by.Complete.Columns, []Ref{{"year", pos(36, 17)}, {"cause", pos(36, 23)}}},
		{"complete every", by.Complete.Every, []Setting{{Ref{"year", pos(37, 15)}, Literal{"1", "!!int", pos(37, 21)}}}},
		{"complete fill", by.Complete.Fill, []Setting{{Ref{"deaths", pos(38, 14)}, Literal{"0", "!!int", pos(38, 22)}}}},
		{"window partition", ranked.Window.PartitionBy, []Ref{{"category", pos(43, 22)}}},
		{"window order", ranked.Window.OrderBy, []OrderKey{{"median_pay", true, pos(44, 18)}}},
		{"window derive", len(ranked.Window.Derive), 5},
		{"window derive 3", ranked.Window.Derive[2].Expr.Src, "total - lag(total)"},
		{"distinct", ranked.Distinct, Bool{true, pos(51, 5), true}},
		{"limit", ranked.Limit, Int{10, pos(53, 19), true}},
		{"with ties", ranked.WithTies, true},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", c.what, c.got, c.want)
		}
	}
}
