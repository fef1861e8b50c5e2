package report

import (
	"bufio"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strconv"
	"strings"

	"github.com/logdiff/logdiff/logdiff"
)

// The HTML report is one file with no external resource: inline CSS, no
// script, and a Content-Security-Policy that forbids loading anything, so
// it works offline and makes no request when opened.
//
// Prow's HTML lens shows an artifact by putting the whole file into an
// iframe's srcdoc attribute with only double quotes escaped, so the browser
// decodes character references once more before it parses the file: a log
// line escaped as &lt;script&gt; would be a script there, running in Deck's
// origin. The template is therefore written to stay inert under one extra
// decoding:
//   - every "<" of report text is written as <span>&lt;</span>: decoded
//     once, "<" followed by "</span>" is a literal "<" to the parser;
//   - report text never goes into an attribute (a decoded &#34; would end
//     it), except link addresses, which are http(s) only and
//     percent-encoded (safeHref, then html/template's URL escaping);
//   - the <title> holds only our words and digits, because the lens copies
//     its text, decoded, into Deck's page.
//
// Large reports stay light: the top findings are rendered in full, each
// line of the others only as text inside a closed <details>, which the
// browser does not lay out until it is opened.

//go:embed report.html.tmpl
var htmlSource string

var htmlTemplate = template.Must(template.New("report").Parse(htmlSource))

const (
	htmlMaxRows      = 200 // lines and context of one full finding
	htmlLineRunes    = 2000
	htmlRestLines    = 8 // lines shown of a folded finding
	htmlRestRunes    = 200
	htmlMaxRuns      = 50
	htmlMaxConfig    = 500
	contentSecPolicy = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
)

// HTML writes the report as one self-contained HTML file: the summary,
// links to the runs, the configuration changes, and the findings ranked,
// each with the passing and failing sides aligned, its context behind a
// <details> toggle and its line numbers linked to the raw logs. Findings
// past o.Top (100 by default) are folded.
func HTML(w io.Writer, r *logdiff.Report, o Options) error {
	if r == nil {
		return errNoReport("HTML")
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	if err := htmlTemplate.Execute(bw, htmlView(r, o)); err != nil {
		return fmt.Errorf("writing the HTML report: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("writing the HTML report: %w", err)
	}
	return nil
}

// seg is a piece of report text. LT pieces are a single "<" (see above);
// Mark pieces are what changed in a changed line.
type seg struct {
	T    string
	LT   bool
	Mark bool
}

// text cuts report text into segments, marking the byte ranges hi
// (sorted, not overlapping) of the text before it is cut to maxRunes.
func text(s string, hi [][2]int, maxRunes int) []seg {
	var out []seg
	piece := func(t string, mark bool) {
		t = clean(t, true)
		for {
			i := strings.IndexByte(t, '<')
			if i < 0 {
				break
			}
			if i > 0 {
				out = append(out, seg{T: t[:i], Mark: mark})
			}
			out = append(out, seg{LT: true, Mark: mark})
			t = t[i+1:]
		}
		if t != "" {
			out = append(out, seg{T: t, Mark: mark})
		}
	}
	full := len(s)
	s = cut(s, maxRunes)
	end := len(s) // marks stop where the text was cut
	if len(s) < full {
		end -= len("…")
	}
	at := 0
	for _, h := range hi {
		a, b := max(h[0], at), min(h[1], end)
		if b <= a {
			continue
		}
		piece(s[at:a], false)
		piece(s[a:b], true)
		at = b
	}
	piece(s[at:], false)
	return out
}

type htmlRun struct {
	Role   string
	Name   []seg
	Link   string
	Lines  string
	Reason []seg
}

type htmlCommit struct {
	Repo, Span []seg
	Link       string
	Pulls      []htmlPull
}

type htmlPull struct {
	Number        int
	Link, Changes string
}

type htmlPart struct {
	Text []seg
	Link string
}

type htmlCell struct {
	N     int
	Link  string
	Class string
	Text  []seg
	Note  string
}

type htmlRow struct {
	Class string
	B, F  htmlCell
}

type htmlConfig struct {
	Rank                     int
	Key, Source              []seg
	Passing, Failing         []seg
	PassingNote, FailingNote string
}

type htmlFinding struct {
	Rank      int
	Kind      string
	KindClass string
	Score     string
	Summary   []seg
	Where     []htmlPart
	Hint      []seg
	Notes     []seg
	Bare      bool // no log lines to show (a test the log does not print)
	Config    bool
	Both      bool
	BWidth    string // "wide" when the passing side holds the lines
	BName     []seg
	FName     []seg
	Rows      []htmlRow
	Context   int // context rows, hidden until expanded
	More      int // lines past MaxLines, hidden until expanded
	Omitted   int
}

type htmlFolded struct {
	Rank    int
	Kind    string
	Score   string
	Summary []seg
	Body    []seg
}

type htmlData struct {
	CSP        string
	Title      string
	Summary    []seg
	Generated  string
	Runs       []htmlRun
	MoreRuns   int
	Rules      []seg // the rule files used besides the built-in packs
	Streak     []htmlPart
	Commits    []htmlCommit
	Config     []htmlConfig
	MoreConfig int
	Full       []htmlFinding
	Folded     []htmlFolded
}

func htmlView(r *logdiff.Report, o Options) htmlData {
	links := o.links()
	d := htmlData{
		CSP:       contentSecPolicy,
		Title:     "logdiff: " + count(len(r.Findings), "finding"),
		Summary:   text(summary(r), nil, htmlLineRunes),
		Generated: o.now().Format(stamp),
	}
	run := func(role string, in logdiff.LogInfo) htmlRun {
		return htmlRun{Role: role, Name: text(shortName(in.Name), nil, htmlRestRunes), Link: safeHref(links(in, "", 0)),
			Lines: thousands(in.Lines), Reason: text(in.Reason, nil, htmlLineRunes)}
	}
	d.Runs = append(d.Runs, run("failing", r.Failing))
	for _, b := range r.Baselines[:min(len(r.Baselines), htmlMaxRuns)] {
		d.Runs = append(d.Runs, run("passing", b))
	}
	d.MoreRuns = max(0, len(r.Baselines)-htmlMaxRuns)
	for _, p := range streakSpans(r) {
		d.Streak = append(d.Streak, htmlPart{Text: text(p.Text, nil, htmlRestRunes), Link: safeHref(p.Link)})
	}
	if len(r.Rules) > 0 {
		d.Rules = text(strings.Join(r.Rules, ", "), nil, htmlLineRunes)
	}
	for _, c := range r.Commits[:min(len(r.Commits), htmlMaxRuns)] {
		hc := htmlCommit{Repo: text(c.Repo, nil, htmlRestRunes), Span: text(commitSpan(c), nil, htmlRestRunes), Link: safeHref(c.CompareURL)}
		for _, p := range c.Pulls {
			hc.Pulls = append(hc.Pulls, htmlPull{Number: p.Number, Link: safeHref(p.URL), Changes: safeHref(p.CompareURL)})
		}
		d.Commits = append(d.Commits, hc)
	}
	for _, f := range configs(r) {
		for _, c := range configRows(f) {
			if len(d.Config) == htmlMaxConfig {
				d.MoreConfig++
				continue
			}
			d.Config = append(d.Config, htmlConfigRow(c))
		}
	}
	top := o.top(defaultTopHTML)
	for i := range r.Findings {
		f := &r.Findings[i]
		if i < top {
			d.Full = append(d.Full, htmlFull(r, f, links, o.maxLines()))
		} else {
			d.Folded = append(d.Folded, htmlFold(r, f, links))
		}
	}
	return d
}

func htmlConfigRow(c configRow) htmlConfig {
	row := htmlConfig{Rank: c.Rank, Key: text(c.Key, nil, htmlRestRunes), Source: text(c.Source, nil, htmlRestRunes)}
	if v, real := configValue(c.Passing, c.InPassing); real {
		row.Passing = text(v, nil, htmlLineRunes)
	} else {
		row.PassingNote = v
	}
	if v, real := configValue(c.Failing, c.InFailing); real {
		row.Failing = text(v, nil, htmlLineRunes)
	} else {
		row.FailingNote = v
	}
	return row
}

func htmlParts(ps []part) []htmlPart {
	out := make([]htmlPart, len(ps))
	for i, p := range ps {
		out[i] = htmlPart{Text: text(p.Text, nil, htmlRestRunes), Link: safeHref(p.Link)}
	}
	return out
}

func htmlFull(r *logdiff.Report, f *logdiff.Finding, links Links, maxLines int) htmlFinding {
	h := htmlFinding{
		Rank:      f.Rank,
		Kind:      mdKind(f.Kind),
		KindClass: viewOf(f.Kind).class,
		Score:     strconv.FormatFloat(f.Score, 'f', 2, 64),
		Summary:   text(f.Summary, nil, htmlLineRunes),
		Where:     htmlParts(where(r, f, links)),
		Hint:      text(f.Hint, nil, htmlLineRunes),
		FName:     text(runLabel(r.Failing.Name), nil, htmlRestRunes),
	}
	if viewOf(f.Kind).settings && len(configRows(f)) > 0 {
		h.Config = true // the table above has it
		return h
	}
	if notes := viewOf(f.Kind).notes; notes != nil {
		h.Notes = text(strings.Join(notes(f), "\n"), nil, htmlLineRunes*4)
	}
	if len(f.Lines) == 0 && len(f.Context) == 0 {
		h.Bare = true
		return h
	}
	var base logdiff.LogInfo
	if f.Baseline != nil {
		base = baselineRun(r, f.Baseline.Index)
		h.BName = text(runLabel(base.Name), nil, htmlRestRunes)
	}
	lay := aligned(f, maxLines, htmlMaxRows)
	h.Both, h.Omitted = lay.Both, lay.Omitted
	if viewOf(f.Kind).failingNote != "" {
		h.BWidth = "wide" // the failing side has only a note and context
	}
	mk := func(c cell, run logdiff.LogInfo) htmlCell {
		if c.Line == nil && c.Note != "" {
			return htmlCell{Note: c.Note, Class: "note"}
		}
		if c.Line == nil {
			return htmlCell{Class: "empty"}
		}
		return htmlCell{N: c.Line.N, Link: safeHref(links(run, f.Log, c.Line.N)), Class: c.Class, Text: text(c.Line.Text, c.Hi, htmlLineRunes)}
	}
	for _, rw := range lay.Rows {
		var hr htmlRow
		switch {
		case rw.Ctx:
			hr.Class = "ctx"
			h.Context++
		case rw.More:
			hr.Class = "more"
			h.More++
		}
		hr.B, hr.F = mk(rw.B, base), mk(rw.F, r.Failing)
		h.Rows = append(h.Rows, hr)
	}
	return h
}

// htmlFold is a finding past the top: its summary, and as plain text where
// it stands and its first lines.
func htmlFold(r *logdiff.Report, f *logdiff.Finding, links Links) htmlFolded {
	var b strings.Builder
	for _, p := range where(r, f, links) {
		b.WriteString(p.Text)
	}
	b.WriteString("\n")
	if notes := viewOf(f.Kind).notes; notes != nil {
		for _, n := range notes(f) {
			b.WriteString(cut(n, htmlRestRunes) + "\n")
		}
	}
	settings := viewOf(f.Kind).settings
	if settings {
		for _, c := range configRows(f) {
			pv, _ := configValue(c.Passing, c.InPassing)
			fv, _ := configValue(c.Failing, c.InFailing)
			fmt.Fprintf(&b, "%s: passing %s, failing %s\n", cut(c.Key, htmlRestRunes), cut(pv, htmlRestRunes), cut(fv, htmlRestRunes))
		}
	}
	var core []uline
	if !settings {
		_, core, _ = unified(f)
	}
	for i, l := range core {
		if i == htmlRestLines {
			fmt.Fprintf(&b, "… %d more lines\n", len(core)-i)
			break
		}
		if l.Mark == '@' {
			b.WriteString(l.Text + "\n")
			continue
		}
		fmt.Fprintf(&b, "%c %d  %s\n", l.Mark, l.N, cut(l.Text, htmlRestRunes))
	}
	return htmlFolded{
		Rank:    f.Rank,
		Kind:    mdKind(f.Kind),
		Score:   strconv.FormatFloat(f.Score, 'f', 2, 64),
		Summary: text(f.Summary, nil, htmlRestRunes),
		Body:    text(strings.TrimSuffix(b.String(), "\n"), nil, 1<<20),
	}
}
