package sweep

import (
	"fmt"
	"html/template"
	"io"
	"net/url"
)

// WriteHTML writes the summary as one self-contained HTML page: the
// headline, the regressions with their evidence (folded past the first
// few) and jobs linked to Prow, then the jobs that could not be compared.
// html/template escapes every piece of log text.
func WriteHTML(w io.Writer, s *Summary) error {
	if err := htmlPage.Execute(w, struct {
		S        *Summary
		Headline string
	}{s, headline(s)}); err != nil {
		return fmt.Errorf("writing the HTML summary: %w", err)
	}
	return nil
}

// safeURL lets only http(s) addresses become links.
func safeURL(addr string) string {
	u, err := url.Parse(addr)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return ""
	}
	return u.String()
}

var htmlPage = template.Must(template.New("sweep").Funcs(template.FuncMap{
	"link":    safeURL,
	"add":     func(a, b int) int { return a + b },
	"since":   since,
	"oneLine": oneLine,
	"plural":  plural,
	"mark": func(side string) string {
		if side == "baseline" {
			return "-"
		}
		return "+"
	},
	"open":  func(i int) bool { return i < 5 },
	"stamp": func(s *Summary) string { return s.Generated.Format("2006-01-02 15:04 UTC") },
}).Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>logdiff sweep: {{len .S.Regressions}} regressions</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:1.5em auto;max-width:72em;padding:0 1em;color:#1f2328}
h1{font-size:1.3em} h2{font-size:1.1em;margin-top:1.6em}
code,pre{font:12.5px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace}
pre{background:#f6f8fa;padding:.6em .8em;overflow-x:auto;white-space:pre-wrap;word-break:break-all}
.new{background:#cf222e;color:#fff;border-radius:3px;padding:0 .35em;font-size:.85em;margin-right:.4em}
.del{color:#82071e} .ins{color:#116329}
table{border-collapse:collapse;margin:.5em 0} td,th{border:1px solid #d0d7de;padding:.2em .5em;text-align:left;vertical-align:top}
details{margin:.6em 0} summary{cursor:pointer} .key{color:#59636e}
</style></head><body>
<h1>logdiff sweep</h1>
<p>{{.Headline}}</p>
{{range $i, $g := .S.Regressions}}
<details{{if open $i}} open{{end}}><summary><b>#{{add $i 1}}</b> {{if $g.New}}<span class="new">new</span>{{end}}<b>{{len $g.Jobs}} {{plural (len $g.Jobs) "job" "jobs"}}</b>: <code>{{oneLine $g.Summary}}</code></summary>
<p class="key">key: <code>{{$g.Key}}</code></p>
{{with $g.Shared}}<ul>{{range .}}<li>also in every job: <code>{{oneLine .Summary}}</code></li>{{end}}</ul>{{end}}
{{with $g.Hint}}<p>hint: {{.}}</p>{{end}}
{{if $g.Evidence}}<p>evidence from <code>{{$g.EvidenceJob}}</code>:</p>
<pre>{{range $g.Evidence}}<span class="{{if eq (mark (printf "%s" .Side)) "-"}}del{{else}}ins{{end}}">{{mark (printf "%s" .Side)}} {{oneLine .Text}}</span>
{{end}}</pre>{{end}}
<table><tr><th>job</th><th>failing since</th><th>failing runs</th><th>baselines</th></tr>
{{range $g.Jobs}}<tr><td><code>{{.Job}}</code></td><td>{{with link .Failing.URL}}<a href="{{.}}">{{end}}{{.Failing.Build}}{{if link .Failing.URL}}</a>{{end}}{{if not .Failing.Time.IsZero}} ({{.Failing.Time.Format "2006-01-02 15:04"}}){{end}}</td><td>{{.FailingRuns}}</td><td>{{range $k, $b := .Baselines}}{{if $k}}, {{end}}{{with link $b.URL}}<a href="{{.}}">{{$b.Build}}</a>{{else}}{{$b.Build}}{{end}}{{end}}</td></tr>
{{end}}</table>
</details>
{{end}}
{{with .S.NoFindings}}<h2>Regressed, but the comparison found no difference ({{len .}})</h2><ul>{{range .}}<li><code>{{.Job}}</code>{{with .Failing}} since {{with link .URL}}<a href="{{.}}">{{end}}{{.Build}}{{if link .URL}}</a>{{end}}{{end}}</li>{{end}}</ul>{{end}}
{{with .S.Failing}}<h2>Failing in every run examined ({{len .}})</h2><ul>{{range .}}<li><code>{{.Job}}</code>{{with .Failing}} since {{with link .URL}}<a href="{{.}}">{{end}}{{.Build}}{{if link .URL}}</a>{{end}}{{end}}</li>{{end}}</ul>{{end}}
{{with .S.Unreadable}}<h2>Unreadable ({{len .}})</h2><ul>{{range .}}<li><code>{{.Job}}</code>: {{oneLine .Error}}</li>{{end}}</ul>{{end}}
<p><small>logdiff sweep, {{stamp .S}}</small></p>
</body></html>
`))
