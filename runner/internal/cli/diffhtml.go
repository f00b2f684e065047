package cli

import (
	"html/template"
	"io"
)

// diffPage is `galley diff -html`: the same comparison as the terminal
// report, as one page an editor opens in a browser. It loads nothing, runs
// no script, and everything from the data or the analysis goes through
// html/template as text.
var diffPage = template.Must(template.New("diff").Funcs(template.FuncMap{
	"status": status,
	"rows":   rowsText,
	"class": func(holds bool) string {
		if holds {
			return "holds"
		}
		return "fails"
	},
}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>galley diff: what changes since {{.Rev}}</title>
<style>
body { font: 16px/1.45 system-ui, sans-serif; color: #1a1a1a; max-width: 72rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.25rem; margin-top: 2.5rem; border-top: 1px solid #ccc; padding-top: 1rem; }
h3 { font-size: 1rem; margin: 1.5rem 0 .5rem; }
code, .mono, td { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .875rem; }
table { border-collapse: collapse; margin: .25rem 0 1rem; }
th, td { text-align: left; padding: .2rem .6rem; border-bottom: 1px solid #e4e4e4; vertical-align: top; }
th { font-family: system-ui, sans-serif; font-weight: 600; }
td.num { text-align: right; }
.old { color: #8a1c1c; } .new { color: #115e2b; }
tr.removed td { background: #fdecec; } tr.added td { background: #e9f7ee; }
.fails { color: #8a1c1c; font-weight: 600; } .holds { color: #115e2b; font-weight: 600; }
.note { color: #555; }
.wide { overflow-x: auto; } .wide td { max-width: 24rem; }
td { overflow-wrap: anywhere; } code { white-space: nowrap; }
</style>
</head>
<body>
<h1>What changes since {{.Rev}}</h1>
<p class="note">Each analysis run now, compared with its <code>reports/NAME.results.json</code> as committed at <code>{{.Rev}}</code>. Written by <code>galley diff -html</code>.</p>
{{range .Diffs}}
<section>
<h2><code>{{.Analysis}}</code></h2>
{{if .Missing}}<p>New: <code>{{.Results}}</code> is not in {{.Rev}}, so everything it computes is new.</p>
{{else if .Empty}}<p>No change since {{.Rev}}.</p>
{{else}}<p>Changed since {{.Rev}}: {{.Counts}}.</p>
{{with .Datasets}}<h3>Datasets</h3>
{{range .}}<p><code>{{.Name}}</code> (line {{.Line}}): <code>{{.Path}}</code>{{if eq .Status "added"}} (new){{else if eq .Status "removed"}} (removed){{end}}</p>
{{template "changes" .Changes}}{{end}}{{end}}
{{with .Values}}<h3>Values</h3>
<table><tr><th>value</th><th>line</th><th>before</th><th>now</th><th>change</th></tr>
{{range .}}<tr><td>{{.Name}}</td><td class="num">{{.Line}}</td><td class="old">{{if eq .Status "added"}}(new){{else}}{{.Old}}{{end}}</td><td class="new">{{if eq .Status "removed"}}(removed){{else}}{{.New}}{{end}}</td><td>{{.Change}}</td></tr>
{{end}}</table>{{end}}
{{with .Claims}}<h3>Claims</h3>
{{range .}}<p><code>{{.ID}}</code> (line {{.Line}}):
{{if eq .Status "added"}}new, <span class="{{class .NewHolds}}">{{status .NewHolds}}</span>
{{else if eq .Status "removed"}}removed
{{else}}<span class="{{class .OldHolds}}">{{status .OldHolds}}</span> → <span class="{{class .NewHolds}}">{{status .NewHolds}}</span>{{end}}</p>
<p>{{.Text}}<br>check: <code>{{.Check}}</code></p>
{{with .Inputs}}<table><tr><th>value it reads</th><th>before</th><th>now</th></tr>
{{range .}}<tr><td>{{.What}}</td><td class="old">{{.Old}}</td><td class="new">{{.New}}</td></tr>
{{end}}</table>{{end}}{{end}}{{end}}
{{with .Text}}<h3>Values in the text</h3>
<table><tr><th>line</th><th>expression</th><th>before</th><th>now</th></tr>
{{range .}}<tr><td class="num">{{.Line}}</td><td>{{"{{"}} {{.Expr}} {{"}}"}}</td><td class="old">{{.Old}}</td><td class="new">{{.New}}</td></tr>
{{end}}</table>{{end}}
{{with .Views}}<h3>Views</h3>
{{range .}}<p><code>{{.Name}}</code> (line {{.Line}}{{if .Shown}}, {{.Shown}}{{end}}):
{{if eq .Status "added"}}new{{else if eq .Status "removed"}}removed{{else}}{{.Summary}}{{end}}</p>
{{with .Note}}<p class="note">{{.}}</p>{{end}}
{{template "changes" .Changes}}
{{range .Changed}}<p class="mono">{{.Key}}</p>{{template "changes" .Cells}}{{end}}
{{if or .Added .Removed}}<div class="wide"><table><tr><th></th>{{range .Columns}}<th>{{.Name}}</th>{{end}}</tr>
{{$v := .}}{{$cols := .Columns}}{{range .Removed}}<tr class="removed"><td>−</td>{{range $i, $x := .}}<td{{if (index $cols $i).Type.Numeric}} class="num"{{end}}>{{$v.Cell $i $x}}</td>{{end}}</tr>
{{end}}{{range .Added}}<tr class="added"><td>+</td>{{range $i, $x := .}}<td{{if (index $cols $i).Type.Numeric}} class="num"{{end}}>{{$v.Cell $i $x}}</td>{{end}}</tr>
{{end}}</table></div>{{end}}{{end}}{{end}}
{{end}}
</section>
{{end}}
</body>
</html>
{{define "changes"}}{{with .}}<table>{{range .}}<tr><td>{{.What}}</td><td class="old">{{.Old}}</td><td>→</td><td class="new">{{.New}}</td></tr>{{end}}</table>{{end}}{{end}}
`))

// diffPageDoc is one analysis's comparison as the page reads it.
type diffPageDoc struct {
	*docDiff
}

func (d diffPageDoc) Empty() bool    { return d.empty() }
func (d diffPageDoc) Counts() string { return d.counts() }

func writeDiffHTML(w io.Writer, diffs []*docDiff, rev string) error {
	docs := make([]diffPageDoc, len(diffs))
	for i, d := range diffs {
		docs[i] = diffPageDoc{d}
	}
	return diffPage.Execute(w, struct {
		Rev   string
		Diffs []diffPageDoc
	}{rev, docs})
}
