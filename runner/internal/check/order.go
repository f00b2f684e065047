package check

import (
	"slices"
	"strings"

	"galley/runner/internal/analysis"
	"galley/runner/internal/expression"
	"galley/runner/internal/position"
)

// viewOrder lists what a run computes, in order: an implicit view for each
// dataset in readWhole, in file order, then the views, each after what it
// reads and joins. A cycle is an error naming it.
func viewOrder(f *analysis.File, readWhole map[string]bool) ([]*analysis.View, error) {
	var order []*analysis.View
	for _, ds := range f.Datasets {
		if readWhole[ds.Name] {
			from := analysis.Ref{Name: ds.Name, Pos: ds.Pos}
			order = append(order, &analysis.View{Name: ds.Name, Pos: ds.Pos, From: from, Sources: []analysis.Ref{from}})
		}
	}
	byName := map[string]*analysis.View{}
	for _, v := range f.Views {
		byName[v.Name] = v
	}
	sorted, err := dependencyOrder(f.Views, byName, func(v *analysis.View) []string {
		var d []string
		for _, from := range v.Sources {
			if _, ok := byName[from.Name]; ok {
				d = append(d, from.Name)
			}
		}
		if v.Join != nil {
			if _, ok := byName[v.Join.View.Name]; ok {
				d = append(d, v.Join.View.Name)
			}
		}
		return d
	}, func(v *analysis.View, cycle []string) error {
		return position.Errorf(v.Pos, "views read each other in a circle: %s", strings.Join(cycle, " → "))
	})
	return append(order, sorted...), err
}

// valueOrder orders values so each comes after the values it reads; a
// cycle is an error naming it.
func valueOrder(values []*analysis.Value) ([]*analysis.Value, error) {
	byName := map[string]*analysis.Value{}
	for _, v := range values {
		byName[v.Name] = v
	}
	return dependencyOrder(values, byName, func(v *analysis.Value) []string {
		var d []string
		for _, n := range expression.Names(v.Expr) { // sorted
			if _, ok := byName[n]; ok {
				d = append(d, n)
			}
		}
		return d
	}, func(v *analysis.Value, cycle []string) error {
		return position.Errorf(v.Pos, "values depend on each other in a circle: %s", strings.Join(cycle, " → "))
	})
}

// dependencyOrder sorts items, named by byName, so that each comes after
// its deps, keeping file order otherwise (a depth-first walk in file
// order). The first cycle met is reported through cycleErr, with the names
// around it.
func dependencyOrder[T comparable](items []T, byName map[string]T, deps func(T) []string, cycleErr func(T, []string) error) ([]T, error) {
	name := make(map[T]string, len(byName))
	for n, it := range byName {
		name[it] = n
	}
	var out []T
	state := map[string]int{} // 1 visiting, 2 done
	var path []string
	var visit func(it T) error
	visit = func(it T) error {
		n := name[it]
		switch state[n] {
		case 2:
			return nil
		case 1:
			i := slices.Index(path, n)
			return cycleErr(it, append(append([]string(nil), path[i:]...), n))
		}
		state[n] = 1
		path = append(path, n)
		for _, d := range deps(it) {
			if err := visit(byName[d]); err != nil {
				return err
			}
		}
		path = path[:len(path)-1]
		state[n] = 2
		out = append(out, it)
		return nil
	}
	for _, it := range items {
		if err := visit(it); err != nil {
			return nil, err
		}
	}
	return out, nil
}
