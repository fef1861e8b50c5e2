package report

import (
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/logdiff/logdiff/logdiff"
)

// parts are a finding's lines by side and place: the finding's own lines
// (core) and the context before and after them.
type parts struct {
	bBefore, bCore, bAfter []logdiff.Line
	fBefore, fCore, fAfter []logdiff.Line
}

// split sorts a finding's lines by side and place. Context of a side with
// no lines of its own (the failing side of a missing finding) is placed
// around Failing.Start, the line after which the missing lines would stand.
func split(f *logdiff.Finding) parts {
	var p parts
	for _, l := range f.Lines {
		if l.Side == logdiff.SideBaseline {
			p.bCore = append(p.bCore, l)
		} else {
			p.fCore = append(p.fCore, l)
		}
	}
	for _, l := range f.Context {
		core, pivot := p.fCore, f.Failing.Start
		if l.Side == logdiff.SideBaseline {
			core, pivot = p.bCore, 0
			if f.Baseline != nil {
				pivot = f.Baseline.Start - 1
			}
		}
		before := l.N <= pivot
		if len(core) > 0 {
			before = l.N < core[0].N
		}
		switch {
		case l.Side == logdiff.SideBaseline && before:
			p.bBefore = append(p.bBefore, l)
		case l.Side == logdiff.SideBaseline:
			p.bAfter = append(p.bAfter, l)
		case before:
			p.fBefore = append(p.fBefore, l)
		default:
			p.fAfter = append(p.fAfter, l)
		}
	}
	return p
}

// cell is one side of a row of the side-by-side view: a line, or a note
// standing where a line would be.
type cell struct {
	Line  *logdiff.Line
	Class string // "del" (passing only), "add" (failing only), "ctx"
	Note  string
	// Hi are the byte ranges of Line.Text that changed, for a changed pair.
	Hi [][2]int
}

// row is one row of the side-by-side view, passing run on the left.
type row struct {
	B, F cell
	Ctx  bool // context, shown when expanded
	More bool // a line beyond MaxLines, shown when expanded
}

// layout is a finding as rows: Both is false when the finding has no
// passing side (new lines), Omitted counts lines left out past maxRows.
type layout struct {
	Rows    []row
	Both    bool
	Omitted int
}

// aligned lays a finding out side by side: context before aligned at the
// bottom, the finding's lines from the same row on both sides (a changed
// line beside what it was), context after aligned at the top.
func aligned(f *logdiff.Finding, maxLines, maxRows int) layout {
	p := split(f)
	v := viewOf(f.Kind)
	var lay layout
	lay.Both = len(p.bCore)+len(p.bBefore)+len(p.bAfter) > 0 || v.failingNote != ""
	lines := func(ls []logdiff.Line, class string) []cell {
		cs := make([]cell, len(ls))
		for i := range ls {
			cs[i] = cell{Line: &ls[i], Class: class}
		}
		return cs
	}
	add := func(bs, fs []cell, ctx, top bool) {
		n := max(len(bs), len(fs))
		for i := range n {
			var r row
			bi, fi := i, i
			if !top { // align at the bottom
				bi, fi = i-(n-len(bs)), i-(n-len(fs))
			}
			if bi >= 0 && bi < len(bs) {
				r.B = bs[bi]
			}
			if fi >= 0 && fi < len(fs) {
				r.F = fs[fi]
			}
			r.Ctx = ctx
			lay.Rows = append(lay.Rows, r)
		}
	}
	add(lines(p.bBefore, "ctx"), lines(p.fBefore, "ctx"), true, false)
	core := len(lay.Rows)
	bc, fc := lines(p.bCore, "del"), lines(p.fCore, "add")
	if v.failingNote != "" {
		fc = []cell{{Note: v.failingNote}}
	}
	if v.moreNote != "" {
		if rest := neverCame(f, len(bc)); rest > 0 {
			bc = append(bc, cell{Note: fmt.Sprintf(v.moreNote, rest)})
		}
	}
	if v.highlight {
		for i := range min(len(bc), len(fc)) {
			bc[i].Hi, fc[i].Hi = changedTokens(bc[i].Line.Text, fc[i].Line.Text)
		}
	}
	add(bc, fc, false, true)
	for i := core + maxLines; i < len(lay.Rows); i++ {
		lay.Rows[i].More = true
	}
	add(lines(p.bAfter, "ctx"), lines(p.fAfter, "ctx"), true, true)
	if len(lay.Rows) > maxRows {
		lay.Omitted = len(lay.Rows) - maxRows
		lay.Rows = lay.Rows[:maxRows]
	}
	return lay
}

// uline is a line of the unified (one column) view of a finding.
type uline struct {
	Mark byte // '-' passing only, '+' failing only, ' ' context, '@' a note
	N    int
	Text string
}

// unified lays a finding out as a unified diff: for changed lines, the
// passing lines then the failing ones, inside the failing run's context.
func unified(f *logdiff.Finding) (before, core, after []uline) {
	return viewOf(f.Kind).unified(f, split(f))
}

func conv(ls []logdiff.Line, mark byte) []uline {
	us := make([]uline, len(ls))
	for i, l := range ls {
		us[i] = uline{Mark: mark, N: l.N, Text: l.Text}
	}
	return us
}

// part is a piece of a sentence, linked when Link is set.
type part struct {
	Text string
	Link string
}

// run returns the baseline with index i, or a stand-in when a report
// (read from JSON, say) names a baseline it does not list.
func baselineRun(r *logdiff.Report, i int) logdiff.LogInfo {
	if i >= 0 && i < len(r.Baselines) {
		return r.Baselines[i]
	}
	return logdiff.LogInfo{Name: "baseline " + strconv.Itoa(i)}
}

func lineSpan(a, b int) string {
	if b <= a {
		return "line " + strconv.Itoa(a)
	}
	return fmt.Sprintf("lines %d–%d", a, b)
}

// placer names the places of one finding, each linked to its log line.
type placer struct {
	r     *logdiff.Report
	f     *logdiff.Finding
	links Links
	in    string // " of FILE" for a finding in an artifact
}

func (at placer) failing(a, b int) part {
	return part{Text: lineSpan(a, b) + at.in, Link: at.links(at.r.Failing, at.f.Log, a)}
}

func (at placer) passing() part {
	if at.f.Baseline == nil {
		return part{Text: "a passing run"}
	}
	b := baselineRun(at.r, at.f.Baseline.Index)
	span := lineSpan(at.f.Baseline.Start, at.f.Baseline.End)
	if at.f.Log == "" {
		return part{Text: shortName(b.Name) + " " + span, Link: at.links(b, "", at.f.Baseline.Start)}
	}
	// An artifact: the baseline's own file of it (its node's name differs),
	// in the baseline's run.
	file := at.f.BaselineLog
	if file == "" {
		file = at.f.Log
	}
	run := shortName(path.Dir(strings.ReplaceAll(b.Name, "\\", "/")))
	return part{Text: run + ": " + span + " of " + file, Link: at.links(b, file, at.f.Baseline.Start)}
}

// where says where a finding stands, each place linked to its log line.
func where(r *logdiff.Report, f *logdiff.Finding, links Links) []part {
	at := placer{r: r, f: f, links: links}
	if f.Log != "" {
		at.in = " of " + f.Log
	}
	return viewOf(f.Kind).where(r, f, at)
}

// configRow is one key of a configuration finding.
type configRow struct {
	Rank                 int
	Source, Key          string
	Passing, Failing     string
	InPassing, InFailing bool
}

// configRows lists the settings a configuration finding changes: its
// Settings (several when logdiff merged the variables a removed preset took
// away), or its Config alone in a report of an earlier version.
func configRows(f *logdiff.Finding) []configRow {
	settings := f.Settings
	if len(settings) == 0 && f.Config != nil {
		settings = []logdiff.ConfigChange{*f.Config}
	}
	rows := make([]configRow, len(settings))
	for i, c := range settings {
		rows[i] = configRow{Rank: f.Rank, Source: c.Source, Key: c.Key, Passing: c.Baseline, InPassing: c.InBaseline, Failing: c.Failing, InFailing: c.InFailing}
	}
	return rows
}

// configValue shows one side of a configuration change; real is false for
// our words standing in for a value.
func configValue(v string, present bool) (shown string, real bool) {
	if !present {
		return "(absent)", false
	}
	if v == "" {
		return "(empty)", false
	}
	return v, true
}

// configs are the configuration findings of a report, in rank order.
func configs(r *logdiff.Report) []*logdiff.Finding {
	var out []*logdiff.Finding
	for i := range r.Findings {
		if f := &r.Findings[i]; viewOf(f.Kind).settings && len(configRows(f)) > 0 {
			out = append(out, f)
		}
	}
	return out
}

// summary is Headline with the failing run's short name, as every other
// place of a report names runs.
func summary(r *logdiff.Report) string {
	short := *r
	short.Failing.Name = shortName(r.Failing.Name)
	return Headline(&short)
}
