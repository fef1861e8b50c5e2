package report

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/fatih/color"

	"github.com/logdiff/logdiff/logdiff"
)

// Text writes the report for a terminal: the top findings (o.Top, 10 by
// default; every one with o.All) with their context, then the one-line
// headline. Every piece of log text and every name is sanitized (see
// clean): a log cannot drive the reader's terminal.
func Text(w io.Writer, r *logdiff.Report, o Options) error {
	if r == nil {
		return errNoReport("text")
	}
	p := newPalette(o.Color)
	maxLines := o.maxLines()
	shown := r.Findings
	if top := o.top(defaultTop); !o.All && len(shown) > top {
		shown = shown[:top]
	}
	bw := &errWriter{w: w}
	// Since when the job fails and the commits between the runs first:
	// after the log, the change is what a triage engineer opens.
	head := commitText(r)
	if l := streakLine(r); l != "" {
		head = append([]string{"streak:  " + l}, head...)
	}
	for _, l := range head {
		fmt.Fprintln(bw, p.dim.Sprint(clean(l, false)))
	}
	if len(head) > 0 {
		fmt.Fprintln(bw)
	}
	for i := range shown {
		writeFinding(bw, p, r, &shown[i], o, maxLines)
	}
	fmt.Fprintln(bw, p.head.Sprint(clean("logdiff: "+Headline(r), false)))
	if len(shown) < len(r.Findings) {
		fmt.Fprintln(bw, p.dim.Sprintf("showing the top %d of %d findings%s", len(shown), len(r.Findings), o.hint("; %s shows every one")))
	}
	return bw.err
}

type palette struct {
	head, kind, del, add, ctx, hint, dim *color.Color
}

// newPalette makes the colours, each switched on or off on its own
// instance (never through fatih/color's global switch).
func newPalette(on bool) palette {
	mk := func(attrs ...color.Attribute) *color.Color {
		c := color.New(attrs...)
		if on {
			c.EnableColor()
		} else {
			c.DisableColor()
		}
		return c
	}
	return palette{
		head: mk(color.Bold),
		kind: mk(color.FgMagenta, color.Bold),
		del:  mk(color.FgRed),
		add:  mk(color.FgGreen),
		ctx:  mk(color.Faint),
		hint: mk(color.FgYellow),
		dim:  mk(color.Faint),
	}
}

func writeFinding(w io.Writer, p palette, r *logdiff.Report, f *logdiff.Finding, o Options, maxLines int) {
	fmt.Fprintf(w, "%s %s %s %s\n", p.head.Sprintf("#%d", f.Rank), p.kind.Sprintf("%-11s", clean(string(f.Kind), false)),
		p.dim.Sprintf("%.2f", f.Score), o.cutToWidth(clean(f.Summary, false), len(fmt.Sprint(f.Rank))+1+1+11+1+4+1))
	v := viewOf(f.Kind)
	if where := v.textWhere(r, f); where != "" {
		fmt.Fprintln(w, "   "+p.dim.Sprint(o.cutToWidth(clean(where, false), 3)))
	}
	if f.Hint != "" {
		fmt.Fprintln(w, "   "+p.hint.Sprint(o.cutToWidth(clean("hint: "+f.Hint, false), 3)))
	}
	if v.notes != nil {
		for _, n := range v.notes(f) {
			fmt.Fprintln(w, "   "+p.ctx.Sprint(o.cutToWidth(clean(n, false), 3)))
		}
	}
	if len(f.Lines) == 0 && len(f.Context) == 0 {
		fmt.Fprintln(w)
		return
	}
	if v.textLines != nil {
		v.textLines(w, p, f, o)
		fmt.Fprintln(w)
		return
	}
	// Context on the side the finding is read against: the baseline for
	// missing lines, the failing run otherwise.
	ctxSide := v.contextSide
	var before, after []logdiff.Line
	var first, last int
	for _, l := range f.Lines {
		if l.Side == ctxSide {
			if first == 0 {
				first = l.N
			}
			last = l.N
		}
	}
	if first == 0 { // ended early: the failing run's last lines stand before
		first, last = f.Failing.Start+1, f.Failing.Start
	}
	for _, l := range f.Context {
		if l.Side != ctxSide {
			continue
		}
		if l.N < first {
			before = append(before, l)
		} else if l.N > last && !v.noContextAfter {
			after = append(after, l)
		}
	}
	width := 1
	for _, l := range slices.Concat(before, f.Lines, after) {
		width = max(width, len(fmt.Sprint(l.N)))
	}
	// Each line shows its run (p passing, f failing) before its number:
	// a missing finding's context is the passing run's.
	line := func(c *color.Color, mark string, l logdiff.Line) {
		text := o.cutToWidth(clean(l.Text, false), 3+len(mark)+2+width+1)
		fmt.Fprintf(w, "   %s %s %s\n", c.Sprint(mark), p.dim.Sprintf("%s%*d", sideLetter(l.Side), width, l.N), c.Sprint(text))
	}
	for _, l := range before {
		line(p.ctx, " ", l)
	}
	n := 0
	for _, l := range f.Lines {
		if !o.All && n == maxLines {
			fmt.Fprintln(w, "   "+p.dim.Sprintf("… %d more line%s%s", len(f.Lines)-n, plural(len(f.Lines)-n), o.hint(" (%s shows them)")))
			break
		}
		n++
		if l.Side == logdiff.SideBaseline {
			line(p.del, "-", l)
		} else {
			line(p.add, "+", l)
		}
	}
	for _, l := range after {
		line(p.ctx, " ", l)
	}
	fmt.Fprintln(w)
}

// sideLetter marks the run a line is from: p for a passing run, f for the
// failing run.
func sideLetter(s logdiff.Side) string {
	if s == logdiff.SideBaseline {
		return "p"
	}
	return "f"
}

// textSettings writes the settings of a configuration finding, one line a
// side: what the passing runs set, what the failing run sets.
func textSettings(w io.Writer, p palette, f *logdiff.Finding, o Options) {
	for _, l := range f.Lines {
		text := o.cutToWidth(clean(l.Text, false), 5)
		if l.Side == logdiff.SideBaseline {
			fmt.Fprintln(w, "   "+p.del.Sprint("- "+text))
		} else {
			fmt.Fprintln(w, "   "+p.add.Sprint("+ "+text))
		}
	}
}

// baseFile names the baseline's file a finding's lines come from.
func baseFile(r *logdiff.Report, f *logdiff.Finding) string {
	if f.BaselineLog != "" {
		return f.BaselineLog
	}
	if f.Baseline == nil {
		return "a passing run"
	}
	i := f.Baseline.Index
	if i >= 0 && i < len(r.Baselines) {
		return shortName(r.Baselines[i].Name)
	}
	return fmt.Sprintf("baseline %d", i)
}

// failFile names the failing run's file a finding's lines come from: its
// build log, or the artifact the finding is in.
func failFile(r *logdiff.Report, f *logdiff.Finding) string {
	if f.Log != "" {
		return f.Log
	}
	return shortName(r.Failing.Name)
}

// errWriter keeps the first write error so rendering code can stay linear.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(b []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(b)
	e.err = err
	return n, err
}

// Headline is the one-line summary of a report: how many findings of each
// kind, in which log, against how many passing runs.
func Headline(r *logdiff.Report) string {
	counts := map[logdiff.Kind]int{}
	for _, f := range r.Findings {
		counts[f.Kind]++
	}
	var parts []string
	for _, k := range logdiff.Kinds() {
		if counts[k] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[k], strings.ReplaceAll(string(k), "-", " ")))
		}
	}
	what := "no findings"
	if r.LeftOut > 0 {
		what = fmt.Sprintf("no findings kept (%s left out by the filter)", plainCount(r.LeftOut, "finding"))
	}
	if len(r.Findings) > 0 {
		what = fmt.Sprintf("%s (%s)", plainCount(len(r.Findings), "finding"), strings.Join(parts, ", "))
	}
	return fmt.Sprintf("%s in %s (%s) against %s",
		what, r.Failing.Name, plainCount(r.Failing.Lines, "line"), plainCount(len(r.Baselines), "passing run"))
}

// plainCount writes n and a noun, plural unless n is 1, without thousands
// separators (the text headline has always been written so).
func plainCount(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
