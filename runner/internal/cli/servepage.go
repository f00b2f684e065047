package cli

import "html/template"

// liveData is what the preview adds to a served page.
type liveData struct {
	Errors      []errorItem // the analysis does not run: why
	Claims      []errorItem // it runs, and these claims fail
	Held, Total int
	HasPage     bool // a report that ran is under the errors
	Version     int
	VersionURL  string
	ScrollKey   string
}

// liveBlock is added to every page galley serve sends, before </body>,
// and to no report written to disk: the error over the last report that
// ran, the claims that fail, and a script that asks the server for the
// page's version every quarter second and reloads the page, where it was
// scrolled to, when a run changed it. Asking, rather than holding a
// connection open, keeps any number of tabs working under a browser's
// limit of connections to one server, and lets the server stop at once.
// Everything shown goes through html/template: an error quoting a cell
// of the data shows it as text.
var liveBlock = template.Must(template.New("live").Parse(`<div id="galley-serve">
{{- if .Errors}}
<div id="galley-error" role="alert">
<p class="galley-head">galley serve: this analysis does not run.{{if .HasPage}} Below is the last report that ran.{{end}} Fix it and save: the page reloads.</p>
{{range .Errors}}<p class="galley-msg">{{.Text}}</p>
{{with .Excerpt}}<pre>{{.}}</pre>
{{end}}{{end}}</div>
{{- end}}
{{- if .Claims}}
<div id="galley-claims" role="status">
<p class="galley-head">galley serve: {{.Held}} of {{.Total}} claims hold. galley run would refuse to write this report; the failing claims are marked ✗ in it.</p>
{{range .Claims}}<p class="galley-msg">{{.Text}}</p>
{{with .Excerpt}}<pre>{{.}}</pre>
{{end}}{{end}}</div>
{{- end}}
</div>
<style>
#galley-error, #galley-claims { position: fixed; left: 0; right: 0; z-index: 2147483647; max-height: 45vh; overflow: auto;
  margin: 0; padding: .75rem 1rem; font: 14px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; color: #1a1a1a;
  box-shadow: 0 2px 12px rgba(0,0,0,.25); }
#galley-error { top: 0; background: #fff4f2; border-bottom: 3px solid #b3261e; }
#galley-claims { bottom: 0; background: #fff8e6; border-top: 3px solid #a86b00; }
#galley-serve .galley-head { font-family: system-ui, sans-serif; font-weight: 600; margin: 0 0 .5rem; }
#galley-serve .galley-msg { margin: .5rem 0 .25rem; white-space: pre-wrap; }
#galley-serve pre { margin: 0 0 .5rem; padding: .25rem .5rem; background: #fff; border: 1px solid #e0d9d0; overflow-x: auto; }
</style>
<script>
(() => {
  const version = {{.Version}}, url = {{.VersionURL}}, key = {{.ScrollKey}};
  if ("scrollRestoration" in history) history.scrollRestoration = "manual";
  const saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    const y = Number(saved);
    const go = () => window.scrollTo(0, y);
    go();
    if (document.readyState !== "complete") window.addEventListener("load", go);
  }
  const poll = async () => {
    let wait = 250;
    try {
      const r = await fetch(url, {cache: "no-store"});
      if (r.ok && Number(await r.text()) !== version) {
        sessionStorage.setItem(key, String(window.scrollY));
        location.reload();
        return;
      }
    } catch (e) {
      wait = 2000; // the server stopped: ask less often
    }
    setTimeout(poll, wait);
  };
  setTimeout(poll, 250);
})();
</script>
`))

// emptyPage is served for an analysis that has not run once: the error is
// all there is to show.
var emptyPage = template.Must(template.New("empty").Parse(`<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{{.}}</title></head>
<body>
</body>
</html>
`))

// indexPage lists the analyses served.
var indexPage = template.Must(template.New("index").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>galley serve</title>
<style>
body { font: 16px/1.45 system-ui, sans-serif; color: #1a1a1a; max-width: 48rem; margin: 2rem auto; padding: 0 1rem; }
li { margin: .5rem 0; } .status { color: #5c5c5c; font-size: .9rem; } .bad { color: #a4473f; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; }
</style>
</head>
<body>
<h1>galley serve</h1>
<p>The reports of these analyses, run again when an analysis or its data is saved.</p>
<ul>
{{range .}}<li><a href="/{{.Name}}.html">{{.Title}}</a> <code>{{.Name}}</code><br><span class="status{{if not .OK}} bad{{end}}">{{.Status}}</span></li>
{{end}}</ul>
</body>
</html>
`))
