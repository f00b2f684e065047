package engine

import (
	"reflect"
	"strings"
	"testing"

	"galley/runner/internal/results"
)

// TestAppendDatasets: an append of two datasets and a view, each row's
// input named in from_column, counted by input in the document; each
// dataset read once, for the append and the other views on it together.
func TestAppendDatasets(t *testing.T) {
	y1 := "city,deaths,rate\nMosul,3,0.5\nRaqqa,1,1.5\n"
	y2 := "deaths,city,rate\n7,Homs,2\n0,Idlib,1\n2,Deir,3\n"
	src := "title: T\ndatasets:\n" + dsYAML("y1", y1, "city: string, deaths: int, rate: float") +
		dsYAML("y2", y2, "deaths: int, city: string, rate: int") + `views:
  homs:
    from: y2
    where: city == "Homs"
  all:
    from: [y1, y2, homs]
    from_column: edition
    where: deaths > 0
  by_edition:
    from: all
    group_by: [edition]
    aggregate: {deaths: sum(deaths), top_rate: max(rate)}
values:
  n: len(all)
body:
  - table: all
`
	dir := project{src: src, files: map[string]string{"y1": y1, "y2": y2}}.write(t)
	passes := map[string]int{}
	doc, err := Execute(compile(t, src), Options{Root: dir, Progress: readPasses(passes)})
	if err != nil {
		t.Fatal(err)
	}
	all := doc.View("all")
	if got := columnTypes(all); got != "city:string deaths:int rate:float edition:string" {
		t.Errorf("columns %s", got)
	}
	want := [][]any{{"Mosul", 3, 0.5, "y1"}, {"Raqqa", 1, 1.5, "y1"}, {"Homs", 7, 2.0, "y2"}, {"Deir", 2, 3.0, "y2"}, {"Homs", 7, 2.0, "homs"}}
	if !reflect.DeepEqual(all.Rows, want) {
		t.Errorf("rows %v\nwant %v", all.Rows, want)
	}
	if !reflect.DeepEqual(all.Sources, []string{"y1", "y2", "homs"}) || all.From != "y1" {
		t.Errorf("sources %v from %s", all.Sources, all.From)
	}
	wantInputs := []results.SourceCount{{Name: "y1", Rows: 2}, {Name: "y2", Rows: 3}, {Name: "homs", Rows: 1}}
	if !reflect.DeepEqual(all.Counts.Inputs, wantInputs) || all.Counts.In != 6 || all.Counts.Out != 5 {
		t.Errorf("counts %+v", all.Counts)
	}
	by := doc.View("by_edition")
	if want := [][]any{{"homs", 7, 2.0}, {"y1", 4, 1.5}, {"y2", 9, 3.0}}; !reflect.DeepEqual(by.Rows, want) {
		t.Errorf("by_edition %v, want %v", by.Rows, want)
	}
	if passes["datasets/y1.csv"] != 1 || passes["datasets/y2.csv"] != 1 {
		t.Errorf("reads %v, want each dataset read once", passes)
	}
	for _, d := range doc.Datasets {
		if !strings.Contains(strings.Join(d.Views, " "), "all") {
			t.Errorf("dataset %s: views %v, want the append among them", d.Name, d.Views)
		}
	}
}

func columnTypes(v *results.View) string {
	var out []string
	for _, c := range v.Columns {
		out = append(out, c.Name+":"+c.Type.String())
	}
	return strings.Join(out, " ")
}

// TestV2DocumentCounts: what each new step did is in the document: the
// rows unpivot made, complete added and distinct dropped, a limit that cut
// a tie, and the keys of pivoted, grouped and distinct views.
func TestV2DocumentCounts(t *testing.T) {
	data := "year,cause,deaths,injured\n2000,Gunfire,3,1\n2002,Crash,1,1\n2002,Gunfire,2,1\n2000,Crash,2,0\n"
	src := "title: T\ndatasets:\n" + dsYAML("d", data, "year: int, cause: string, deaths: int, injured: int") + `views:
  long:
    from: d
    unpivot: {columns: [deaths, injured], names_to: kind, values_to: n}
  wide:
    from: filled
    pivot: {names_from: cause, values_from: deaths, columns: {gunfire: Gunfire, crash: Crash}}
  filled:
    from: d
    group_by: [year, cause]
    aggregate: {deaths: sum(deaths)}
    complete: {columns: [year, cause], every: {year: 1}, fill: {deaths: 0}}
  causes:
    from: long
    select: [cause]
    distinct: true
  top:
    from: d
    order_by: [-injured]
    limit: 2
`
	doc := mustExecute(t, project{src: src, files: map[string]string{"d": data}})
	if c := doc.View("long").Counts; c.Unpivoted == nil || *c.Unpivoted != 8 || c.Out != 8 {
		t.Errorf("long counts %+v", c)
	}
	if c := doc.View("filled").Counts; c.Completed == nil || *c.Completed != 2 || c.Out != 6 {
		t.Errorf("filled counts %+v", c)
	}
	if c := doc.View("causes").Counts; c.Repeated == nil || *c.Repeated != 6 || c.Out != 2 {
		t.Errorf("causes counts %+v", c)
	}
	if c := doc.View("top").Counts; c.TiedCut == nil || *c.TiedCut != 1 {
		t.Errorf("top counts %+v: the limit cut a tie at injured 1", c)
	}
	for name, keys := range map[string][]string{"wide": {"year"}, "filled": {"year", "cause"}, "causes": {"cause"}, "long": nil} {
		if got := doc.View(name).Keys; !reflect.DeepEqual(got, keys) {
			t.Errorf("%s keys %v, want %v", name, got, keys)
		}
	}
	// Counts a step does not have stay out of the document.
	b, err := results.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(string(b), `"unpivoted"`) != 1 || strings.Count(string(b), `"tied_cut"`) != 1 {
		t.Errorf("unpivoted or tied_cut written for views without the step")
	}
}
