package logdiff

import (
	"encoding/json"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"

	"github.com/fatih/color"
)

// TextOptions control the text report.
type TextOptions struct {
	Color bool
	// All shows every finding and every line of each; otherwise Top findings
	// and at most MaxLines lines of each.
	All      bool
	Top      int // 0 means 10
	MaxLines int // 0 means 12
}

// WriteJSON writes the report as indented JSON.
func WriteJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

type palette struct {
	head, kind, del, add, ctx, hint, dim *color.Color
}

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

// Summary is the one-line summary of a report.
func Summary(r *Report) string {
	counts := map[Kind]int{}
	for _, f := range r.Findings {
		counts[f.Kind]++
	}
	var parts []string
	for _, k := range []Kind{Config, Missing, New, Changed, EndedEarly} {
		if counts[k] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[k], strings.ReplaceAll(string(k), "-", " ")))
		}
	}
	what := "no findings"
	if len(r.Findings) > 0 {
		what = fmt.Sprintf("%d finding%s (%s)", len(r.Findings), plural(len(r.Findings)), strings.Join(parts, ", "))
	}
	return fmt.Sprintf("%s in %s (%d lines) against %d passing run%s",
		what, r.Failing.Name, r.Failing.Lines, len(r.Baselines), plural(len(r.Baselines)))
}

// WriteText writes the report for a terminal: the top findings with their
// context, then a one-line summary.
func WriteText(w io.Writer, r *Report, opts TextOptions) error {
	p := newPalette(opts.Color)
	top := opts.Top
	if top <= 0 {
		top = 10
	}
	maxLines := opts.MaxLines
	if maxLines <= 0 {
		maxLines = 12
	}
	shown := r.Findings
	if !opts.All && len(shown) > top {
		shown = shown[:top]
	}
	bw := &errWriter{w: w}
	for _, f := range shown {
		writeFinding(bw, p, r, f, opts.All, maxLines)
	}
	fmt.Fprintln(bw, p.head.Sprint("logdiff: "+Summary(r)))
	if len(shown) < len(r.Findings) {
		fmt.Fprintln(bw, p.dim.Sprintf("showing the top %d of %d findings; --all shows every one", len(shown), len(r.Findings)))
	}
	return bw.err
}

func baseFile(r *Report, f Finding) string {
	if f.BaselineLog != "" {
		return f.BaselineLog
	}
	return baseName(r, f.Baseline.Index)
}

func baseName(r *Report, i int) string {
	if i >= 0 && i < len(r.Baselines) {
		return shortName(r.Baselines[i].Name)
	}
	return fmt.Sprintf("baseline %d", i)
}

// shortName keeps the last three elements of a path: enough to tell runs apart.
func shortName(s string) string {
	parts := strings.Split(path.Clean(strings.ReplaceAll(s, "\\", "/")), "/")
	if len(parts) > 3 {
		parts = parts[len(parts)-3:]
	}
	return strings.Join(parts, "/")
}

func writeFinding(w io.Writer, p palette, r *Report, f Finding, all bool, maxLines int) {
	fmt.Fprintf(w, "%s %s %s %s\n", p.head.Sprintf("#%d", f.Rank), p.kind.Sprintf("%-11s", f.Kind), p.dim.Sprintf("%.2f", f.Score), f.Summary)
	fail := shortName(r.Failing.Name)
	if f.Log != "" { // an artifact of the runs, not their build logs
		fail = f.Log
	}
	var where string
	switch {
	case f.Baseline == nil && (f.Kind == Missing || f.Kind == EndedEarly):
		// A hand-edited or truncated JSON report: say what is known.
		where = fmt.Sprintf("%s:%d", fail, f.Failing.Start)
	case f.Kind == Missing:
		where = fmt.Sprintf("%s:%d-%d, would stand after %s:%d", baseFile(r, f), f.Baseline.Start, f.Baseline.End, fail, f.Failing.Start)
	case f.Kind == EndedEarly:
		where = fmt.Sprintf("%s ends at line %d; %s:%d-%d never came", fail, f.Failing.Start, baseFile(r, f), f.Baseline.Start, f.Baseline.End)
	case f.Kind == Config:
		where = ""
	default:
		where = fmt.Sprintf("%s:%d-%d", fail, f.Failing.Start, f.Failing.End)
		if f.Baseline != nil {
			where += fmt.Sprintf(" (was %s:%d-%d)", baseFile(r, f), f.Baseline.Start, f.Baseline.End)
		}
	}
	if where != "" {
		fmt.Fprintln(w, "   "+p.dim.Sprint(where))
	}
	if f.Hint != "" {
		fmt.Fprintln(w, "   "+p.hint.Sprint("hint: "+f.Hint))
	}
	if f.Kind == Config {
		for _, l := range f.Lines {
			if l.Side == SideBaseline {
				fmt.Fprintln(w, "   "+p.del.Sprint("- "+l.Text))
			} else {
				fmt.Fprintln(w, "   "+p.add.Sprint("+ "+l.Text))
			}
		}
		fmt.Fprintln(w)
		return
	}
	// Context on the side the finding is read against: the baseline for
	// missing lines, the failing run otherwise.
	ctxSide := SideFailing
	if f.Kind == Missing {
		ctxSide = SideBaseline
	}
	var before, after []Line
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
		} else if l.N > last && f.Kind != EndedEarly {
			after = append(after, l)
		}
	}
	width := 1
	for _, l := range slices.Concat(before, f.Lines, after) {
		width = max(width, len(fmt.Sprint(l.N)))
	}
	line := func(c *color.Color, mark string, l Line) {
		fmt.Fprintf(w, "   %s %s %s\n", c.Sprint(mark), p.dim.Sprintf("%*d", width, l.N), c.Sprint(visible(l.Text)))
	}
	for _, l := range before {
		line(p.ctx, " ", l)
	}
	n := 0
	for _, l := range f.Lines {
		if !all && n == maxLines {
			fmt.Fprintln(w, "   "+p.dim.Sprintf("… %d more lines (--all shows them)", len(f.Lines)-n))
			break
		}
		n++
		if l.Side == SideBaseline {
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

// visible shows control characters (a NUL, a bell, a stray escape) as their
// Unicode control pictures, so that a log cannot drive the reader's terminal.
func visible(s string) string {
	if !strings.ContainsFunc(s, isControl) {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t':
			return r
		case r < 0x20:
			return 0x2400 + r
		case r == 0x7f:
			return 0x2421
		}
		return r
	}, s)
}

func isControl(r rune) bool { return r < 0x20 && r != '\t' || r == 0x7f }
