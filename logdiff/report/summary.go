package report

import (
	"bufio"
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/logdiff/logdiff/logdiff"
	"github.com/logdiff/logdiff/logdiff/regressions"
)

// The formats of a sweep's summary: what regressed, grouped by cause.

// Limits of the summaries.
const (
	sumTextEvidence = 8   // evidence lines the text summary shows of a regression
	sumTableRows    = 50  // regressions in the Markdown table at the top
	sumJobRows      = 30  // jobs listed in a regression before the rest are counted
	sumListRows     = 50  // jobs of each other list
	sumEvidence     = 12  // evidence lines the Markdown summary shows
	sumTextRunes    = 300 // a line or summary is cut here
	sumOpen         = 5   // regressions the HTML summary shows open
)

// SummaryHeadline is a summary's first line, the same in every format.
func SummaryHeadline(s *regressions.Summary) string {
	var b strings.Builder
	inRegs := s.Counts.Regressed - len(s.NoFindings) - len(s.LeftOut)
	fmt.Fprintf(&b, "%s swept", count(s.Jobs, "job"))
	if s.Filter != "" {
		fmt.Fprintf(&b, " (findings kept by %s)", s.Filter)
	}
	fmt.Fprintf(&b, ": %s in %s", count(len(s.Regressions), "regression"), count(inRegs, "job"))
	if s.New > 0 {
		fmt.Fprintf(&b, " (%d new)", s.New)
	}
	parts := []string{b.String()}
	add := func(n int, what string) {
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, what))
		}
	}
	add(len(s.NoFindings), "regressed with no finding")
	add(len(s.LeftOut), "regressed with every finding left out by the filter")
	add(s.Counts.Failing, "failing in every run examined")
	add(s.Counts.Unreadable, "unreadable")
	add(s.Counts.Passing, "passing")
	add(s.Counts.NoRuns, "without finished runs")
	return strings.Join(parts, ", ")
}

// jobList is a list of jobs a summary shows outside its regressions.
type jobList struct {
	Title string
	Jobs  []regressions.JobRun
}

// jobLists are the jobs a summary lists outside its regressions.
func jobLists(s *regressions.Summary) []jobList {
	return []jobList{
		{"Regressed, but the comparison found no difference", s.NoFindings},
		{"Regressed, every finding left out by " + s.Filter, s.LeftOut},
		{"Failing in every run examined (nothing to compare with)", s.Failing},
		{"Unreadable", s.Unreadable},
	}
}

// since says when a job started failing: "failing since 123 (2025-02-11
// 01:26 UTC, 3 failing runs)".
func since(r *regressions.Run, runs int) string {
	s := "failing since " + r.Build
	var more []string
	if !r.Time.IsZero() {
		more = append(more, r.Time.UTC().Format("2006-01-02 15:04")+" UTC")
	}
	if runs > 0 {
		more = append(more, count(runs, "failing run"))
	}
	if len(more) > 0 {
		s += " (" + strings.Join(more, ", ") + ")"
	}
	return s
}

func evidenceMark(side logdiff.Side) string {
	if side == logdiff.SideBaseline {
		return "-"
	}
	return "+"
}

// SummaryText writes the summary for a terminal or a log: the headline,
// each regression with its evidence and jobs, then the jobs that could not
// be compared.
func SummaryText(w io.Writer, s *regressions.Summary, _ Options) error {
	if s == nil {
		return errNoReport("text summary")
	}
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, clean(SummaryHeadline(s), false))
	if len(s.Rules) > 0 {
		fmt.Fprintln(bw, clean("rules: "+strings.Join(s.Rules, ", "), false))
	}
	for i, g := range s.Regressions {
		fmt.Fprintln(bw)
		tag := ""
		if g.New {
			tag = "NEW "
		}
		fmt.Fprintf(bw, "#%d %s%s: %s\n", i+1, tag, count(len(g.Jobs), "job"), clean(g.Summary, false))
		fmt.Fprintf(bw, "   key: %s\n", clean(g.Key, false))
		for _, sh := range g.Shared {
			fmt.Fprintf(bw, "   also: %s\n", clean(sh.Summary, false))
		}
		if g.Hint != "" {
			fmt.Fprintf(bw, "   hint: %s\n", clean(g.Hint, false))
		}
		if len(g.Evidence) > 0 {
			fmt.Fprintf(bw, "   evidence (%s):\n", clean(g.EvidenceJob(), false))
			for _, l := range g.Evidence[:min(len(g.Evidence), sumTextEvidence)] {
				fmt.Fprintf(bw, "     %s %s\n", evidenceMark(l.Side), clean(l.Text, false))
			}
			if n := len(g.Evidence) - sumTextEvidence; n > 0 {
				fmt.Fprintf(bw, "     … %d more\n", n)
			}
		}
		fmt.Fprintln(bw, "   jobs:")
		for _, j := range g.Jobs {
			fmt.Fprintf(bw, "     %s  %s  %s\n", clean(j.Job, false), clean(since(&j.Failing, j.FailingRuns), false), clean(j.Failing.URL, false))
		}
	}
	for _, l := range jobLists(s) {
		if len(l.Jobs) == 0 {
			continue
		}
		fmt.Fprintf(bw, "\n%s:\n", l.Title)
		for _, j := range l.Jobs {
			switch {
			case j.Error != "":
				fmt.Fprintf(bw, "  %s: %s\n", clean(j.Job, false), clean(j.Error, false))
			case j.Failing != nil:
				fmt.Fprintf(bw, "  %s  %s  %s\n", clean(j.Job, false), clean(since(j.Failing, j.FailingRuns), false), clean(j.Failing.URL, false))
			default:
				fmt.Fprintf(bw, "  %s\n", clean(j.Job, false))
			}
		}
	}
	return bw.Flush()
}

// SummaryJSON writes the summary as indented JSON, in its fixed shape.
func SummaryJSON(w io.Writer, s *regressions.Summary, _ Options) error {
	if s == nil {
		return errNoReport("JSON summary")
	}
	return writeJSON(w, s)
}

// SummaryMarkdown writes the summary for an issue or a comment: the
// headline, a table of the regressions, then each with its evidence and
// its jobs, then the jobs that could not be compared. It stays within
// o.MaxChars as GitHub counts them (65,536 by default): parts that do not
// fit are left out whole and a note says so.
//
// Log text appears only in code spans and fenced blocks, never as Markdown
// or HTML, so a log cannot format the summary or mention anyone.
func SummaryMarkdown(w io.Writer, s *regressions.Summary, o Options) error {
	if s == nil {
		return errNoReport("Markdown summary")
	}
	limit := o.MaxChars
	if limit <= 0 {
		limit = githubLimit
	}
	limit = max(limit, mdMinChars)
	footer := fmt.Sprintf("<sub>logdiff sweep, %s</sub>\n", s.Generated.UTC().Format("2006-01-02 15:04 UTC"))
	note := func(shown int) string {
		return fmt.Sprintf("> [!NOTE]\n> Cut to stay under %s characters: %d of %d regressions shown in full. The JSON and HTML summaries have all of them.\n\n",
			thousands(limit), shown, len(s.Regressions))
	}
	d := &mdDoc{budget: limit - mdLen(footer) - mdLen(note(len(s.Regressions)))}
	d.add("## " + SummaryHeadline(s) + "\n\n") // counts and our words only
	if len(s.Rules) > 0 {
		var rs []string
		for _, f := range s.Rules {
			rs = append(rs, code(cut(f, sumTextRunes)))
		}
		d.add("Rules: " + strings.Join(rs, ", ") + "\n\n")
	}
	if len(s.Regressions) > 0 {
		var t strings.Builder
		t.WriteString("| # | jobs | | finding |\n|---:|---:|---|---|\n")
		for i, g := range s.Regressions[:min(len(s.Regressions), sumTableRows)] {
			isNew := ""
			if g.New {
				isNew = "**new**"
			}
			fmt.Fprintf(&t, "| %d | %d | %s | %s |\n", i+1, len(g.Jobs), isNew, cellCode(cut(g.Summary, sumTextRunes)))
		}
		if n := len(s.Regressions) - sumTableRows; n > 0 {
			fmt.Fprintf(&t, "\n%d more regressions below.\n", n)
		}
		d.add(t.String() + "\n")
	}
	for i := range s.Regressions {
		if !d.add(mdRegression(i+1, &s.Regressions[i])) {
			d.cut = true
			break
		}
		d.shown++
	}
	for _, l := range jobLists(s) {
		if len(l.Jobs) > 0 && !d.cut {
			d.add(mdJobList(l.Title, l.Jobs))
		}
	}
	if d.cut {
		d.b.WriteString(note(d.shown))
	}
	d.b.WriteString(footer)
	if _, err := io.WriteString(w, d.b.String()); err != nil {
		return fmt.Errorf("writing the Markdown summary: %w", err)
	}
	return nil
}

func mdRegression(n int, g *regressions.Regression) string {
	var b strings.Builder
	isNew := ""
	if g.New {
		isNew = " (new)"
	}
	fmt.Fprintf(&b, "### %d. %s%s\n\n", n, count(len(g.Jobs), "job"), isNew)
	fmt.Fprintf(&b, "Finding: %s\n\nKey: %s\n\n", code(cut(g.Summary, sumTextRunes)), code(cut(g.Key, sumTextRunes)))
	for _, sh := range g.Shared {
		fmt.Fprintf(&b, "- also in every job: %s\n", code(cut(sh.Summary, sumTextRunes)))
	}
	if len(g.Shared) > 0 {
		b.WriteString("\n")
	}
	if g.Hint != "" {
		fmt.Fprintf(&b, "Hint: %s\n\n", code(cut(g.Hint, sumTextRunes)))
	}
	if len(g.Evidence) > 0 {
		var lines []string
		for _, l := range g.Evidence[:min(len(g.Evidence), sumEvidence)] {
			lines = append(lines, evidenceMark(l.Side)+" "+cut(clean(l.Text, false), sumTextRunes))
		}
		if k := len(g.Evidence) - sumEvidence; k > 0 {
			lines = append(lines, fmt.Sprintf("… %d more lines", k))
		}
		fmt.Fprintf(&b, "Evidence from %s:\n\n%s\n", code(g.EvidenceJob()), fenced("diff", strings.Join(lines, "\n")+"\n"))
	}
	b.WriteString("| job | failing since | failing runs | run |\n|---|---|---:|---|\n")
	for _, j := range g.Jobs[:min(len(g.Jobs), sumJobRows)] {
		when := cellCode(cut(j.Failing.Build, sumTextRunes))
		if !j.Failing.Time.IsZero() {
			when = j.Failing.Time.UTC().Format("2006-01-02 15:04") // digits and our punctuation
		}
		fmt.Fprintf(&b, "| %s | %s | %d | %s |\n", cellCode(cut(j.Job, sumTextRunes)), when, j.FailingRuns, runLink(j.Failing))
	}
	if k := len(g.Jobs) - sumJobRows; k > 0 {
		fmt.Fprintf(&b, "\nand %d more jobs (all in the JSON summary).\n", k)
	}
	return b.String() + "\n"
}

// runLink links a run's build id to its page, or shows it as code.
func runLink(r regressions.Run) string {
	return mdLink(cellCode(cut(r.Build, sumTextRunes)), r.URL)
}

func mdJobList(title string, jobs []regressions.JobRun) string {
	var b strings.Builder
	fmt.Fprintf(&b, "### %s (%d)\n\n", title, len(jobs))
	for _, j := range jobs[:min(len(jobs), sumListRows)] {
		switch {
		case j.Error != "":
			fmt.Fprintf(&b, "- %s: %s\n", code(j.Job), code(cut(j.Error, sumTextRunes)))
		case j.Failing != nil:
			fmt.Fprintf(&b, "- %s since %s\n", code(j.Job), runLink(*j.Failing))
		default:
			fmt.Fprintf(&b, "- %s\n", code(j.Job))
		}
	}
	if k := len(jobs) - sumListRows; k > 0 {
		fmt.Fprintf(&b, "- and %d more\n", k)
	}
	return b.String() + "\n"
}

// SummaryHTML writes the summary as one self-contained HTML page (no
// resource, a Content-Security-Policy that forbids any request): the
// headline, the regressions with their evidence (folded past the first
// few) and jobs linked to Prow, then the jobs that could not be compared.
// html/template escapes every piece of log text.
func SummaryHTML(w io.Writer, s *regressions.Summary, _ Options) error {
	if s == nil {
		return errNoReport("HTML summary")
	}
	if err := summaryPage.Execute(w, struct {
		CSP      string
		S        *regressions.Summary
		Headline string
	}{contentSecPolicy, s, SummaryHeadline(s)}); err != nil {
		return fmt.Errorf("writing the HTML summary: %w", err)
	}
	return nil
}

var summaryPage = template.Must(template.New("sweep").Funcs(template.FuncMap{
	"link":   safeHref,
	"add":    func(a, b int) int { return a + b },
	"since":  since,
	"clean":  func(s string) string { return clean(s, false) },
	"jobs":   func(n int) string { return count(n, "job") },
	"mark":   evidenceMark,
	"del":    func(side logdiff.Side) bool { return side == logdiff.SideBaseline },
	"open":   func(i int) bool { return i < sumOpen },
	"stamp":  func(s *regressions.Summary) string { return s.Generated.UTC().Format("2006-01-02 15:04 UTC") },
	"lists":  jobLists,
	"hasErr": func(j regressions.JobRun) bool { return j.Error != "" },
}).Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{.CSP}}">
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
<p>{{clean .Headline}}</p>
{{with .S.Rules}}<p>rules: {{range $i, $r := .}}{{if $i}}, {{end}}<code>{{clean $r}}</code>{{end}}</p>{{end}}
{{range $i, $g := .S.Regressions}}
<details{{if open $i}} open{{end}}><summary><b>#{{add $i 1}}</b> {{if $g.New}}<span class="new">new</span>{{end}}<b>{{jobs (len $g.Jobs)}}</b>: <code>{{clean $g.Summary}}</code></summary>
<p class="key">key: <code>{{clean $g.Key}}</code></p>
{{with $g.Shared}}<ul>{{range .}}<li>also in every job: <code>{{clean .Summary}}</code></li>{{end}}</ul>{{end}}
{{with $g.Hint}}<p>hint: {{clean .}}</p>{{end}}
{{if $g.Evidence}}<p>evidence from <code>{{clean $g.EvidenceJob}}</code>:</p>
<pre>{{range $g.Evidence}}<span class="{{if del .Side}}del{{else}}ins{{end}}">{{mark .Side}} {{clean .Text}}</span>
{{end}}</pre>{{end}}
<table><tr><th>job</th><th>failing since</th><th>failing runs</th><th>baselines</th></tr>
{{range $g.Jobs}}<tr><td><code>{{clean .Job}}</code></td><td>{{with link .Failing.URL}}<a href="{{.}}">{{end}}{{clean .Failing.Build}}{{if link .Failing.URL}}</a>{{end}}{{if not .Failing.Time.IsZero}} ({{.Failing.Time.UTC.Format "2006-01-02 15:04"}}){{end}}</td><td>{{.FailingRuns}}</td><td>{{range $k, $b := .Baselines}}{{if $k}}, {{end}}{{with link $b.URL}}<a href="{{.}}">{{clean $b.Build}}</a>{{else}}{{clean $b.Build}}{{end}}{{end}}</td></tr>
{{end}}</table>
</details>
{{end}}
{{range lists .S}}{{if .Jobs}}<h2>{{.Title}} ({{len .Jobs}})</h2><ul>{{range .Jobs}}<li><code>{{clean .Job}}</code>{{if hasErr .}}: {{clean .Error}}{{else}}{{with .Failing}} since {{with link .URL}}<a href="{{.}}">{{end}}{{clean .Build}}{{if link .URL}}</a>{{end}}{{end}}{{end}}</li>{{end}}</ul>{{end}}{{end}}
<p><small>logdiff sweep, {{stamp .S}}</small></p>
</body></html>
`))

// SummaryJUnit writes the summary as JUnit XML, for a sweep that runs as a
// Prow job: one test case per regression, failing, named by its key so
// that TestGrid keeps one row per regression from night to night; one
// passing case when nothing regressed.
func SummaryJUnit(w io.Writer, s *regressions.Summary, o Options) error {
	if s == nil {
		return errNoReport("JUnit summary")
	}
	suite := junitSuite{Name: "logdiff sweep", Time: "0", Timestamp: s.Generated.UTC().Format("2006-01-02T15:04:05Z")}
	for _, g := range s.Regressions {
		var body strings.Builder
		for _, j := range g.Jobs {
			fmt.Fprintf(&body, "%s  %s  %s\n", j.Job, since(&j.Failing, j.FailingRuns), j.Failing.URL)
		}
		if len(g.Evidence) > 0 {
			fmt.Fprintf(&body, "\nevidence (%s):\n", g.EvidenceJob())
			for _, l := range g.Evidence[:min(len(g.Evidence), sumEvidence)] {
				fmt.Fprintf(&body, "%s %s\n", evidenceMark(l.Side), cut(l.Text, sumTextRunes))
			}
		}
		if g.Hint != "" {
			body.WriteString("\nhint: " + g.Hint + "\n")
		}
		if len(s.Rules) > 0 {
			body.WriteString("\nrules: " + strings.Join(s.Rules, ", ") + "\n")
		}
		suite.Cases = append(suite.Cases, junitCase{
			Classname: "logdiff sweep",
			Name:      cut(clean(g.Key, false), junitMsgRunes),
			Time:      "0",
			Failure: &junitFailure{
				Message: cut(clean(fmt.Sprintf("%s: %s", count(len(g.Jobs), "job"), g.Summary), false), junitMsgRunes),
				Type:    "regression",
				Body:    clean(body.String(), true),
			},
		})
		suite.Failures++
	}
	if len(suite.Cases) == 0 {
		suite.Cases = append(suite.Cases, junitCase{Classname: "logdiff sweep", Name: "logdiff sweep: no regression", Time: "0",
			SystemOut: &junitText{Body: clean(SummaryHeadline(s)+rulesLine(s.Rules), true)}})
	}
	suite.Tests = len(suite.Cases)
	return writeJUnit(w, junitSuites{Name: suite.Name, Tests: suite.Tests, Failures: suite.Failures, Time: "0", Suites: []junitSuite{suite}}, "JUnit summary")
}

// rulesLine names the rule files used, on a line of its own; "" for none.
func rulesLine(rules []string) string {
	if len(rules) == 0 {
		return ""
	}
	return "\nrules: " + strings.Join(rules, ", ")
}
