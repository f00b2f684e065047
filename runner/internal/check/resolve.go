package check

import (
	"slices"
	"strconv"

	"galley/runner/internal/analysis"
	"galley/runner/internal/position"
	"galley/runner/internal/suggest"
)

// resolve checks that every name used is defined: views read from datasets
// or views, tables and charts show views, body cells cite claims, and no two
// datasets, views or values share a name (expressions see them all).
func resolve(f *analysis.File) error {
	var errs position.List
	kinds := map[string]string{}
	first := map[string]position.Pos{}
	define := func(name, kind string, p position.Pos) {
		if k, dup := kinds[name]; dup {
			errs.Add(p, "%s %q has the same name as the %s at line %d; names are shared by datasets, views and values", kind, name, k, first[name].Line)
			return
		}
		kinds[name], first[name] = kind, p
	}
	var datasets, views []string
	for _, ds := range f.Datasets {
		define(ds.Name, "dataset", ds.Pos)
		datasets = append(datasets, ds.Name)
	}
	for _, v := range f.Views {
		define(v.Name, "view", v.Pos)
		views = append(views, v.Name)
	}
	for _, v := range f.Values {
		define(v.Name, "value", v.Pos)
	}
	sources := append(append([]string(nil), datasets...), views...)
	for _, v := range f.Views {
		for _, from := range v.Sources {
			if from.Name != "" && !slices.Contains(sources, from.Name) {
				errs.Append(position.Errorf(from.Pos, "view %q: from: no dataset or view named %q", v.Name, from.Name).
					Span(len(from.Name)).Hinted(suggest.DidYouMean(from.Name, sources)))
			}
			if from.Name == v.Name {
				errs.Add(from.Pos, "view %q reads from itself", v.Name)
			}
		}
		if v.Join != nil && v.Join.View.Name != "" && !slices.Contains(sources, v.Join.View.Name) {
			errs.Append(position.Errorf(v.Join.View.Pos, "view %q: join: no view named %q", v.Name, v.Join.View.Name).
				Span(len(v.Join.View.Name)).Hinted(suggest.DidYouMean(v.Join.View.Name, sources)))
		}
	}
	claimIDs := map[string]position.Pos{}
	var ids []string
	for _, c := range f.Claims {
		if p, dup := claimIDs[c.ID]; dup {
			errs.Add(c.IDPos, "claim id %q is used twice (first at line %d)", c.ID, p.Line)
			continue
		}
		claimIDs[c.ID] = c.IDPos
		ids = append(ids, c.ID)
	}
	for _, c := range f.Body {
		switch c.Kind {
		case analysis.CellClaim:
			if _, ok := claimIDs[c.Claim.Name]; !ok {
				errs.Add(c.Claim.Pos, "no claim with id %q%s", c.Claim.Name, suggest.Hint(c.Claim.Name, ids))
			}
		case analysis.CellTable:
			if n := c.Table.View.Name; n != "" && !slices.Contains(views, n) {
				errs.Add(c.Table.View.Pos, "table: no view named %q%s", n, hintView(n, views, datasets))
			}
		case analysis.CellChart:
			if n := c.Chart.Data.Name; n != "" && !slices.Contains(views, n) {
				errs.Add(c.Chart.Data.Pos, "chart: data: no view named %q%s", n, hintView(n, views, datasets))
			}
		}
	}
	return errs.Err()
}

// hintView suggests a near view, or explains that datasets are shown
// through a view.
func hintView(name string, views, datasets []string) string {
	if slices.Contains(datasets, name) {
		return " (" + strconv.Quote(name) + " is a dataset; show it through a view: views: {all_rows: {from: " + name + "}})"
	}
	return suggest.Hint(name, views)
}
