package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/logdiff/logdiff/logdiff"
)

// kindView is how every format shows one kind of finding. Adding a kind of
// finding to the reports is adding its entry here: formats ask the view,
// they do not switch on kinds.
type kindView struct {
	// class is the HTML report's CSS class, from a fixed set: report text
	// never goes into an attribute.
	class string
	// contextSide is the side whose context frames the finding's lines in
	// the text report: the baseline for lines that went missing, the
	// failing run otherwise.
	contextSide logdiff.Side
	// noContextAfter leaves out the context after the lines (nothing came
	// after the end of a log that ended early).
	noContextAfter bool
	// textWhere says where the finding stands, in the text report.
	textWhere func(r *logdiff.Report, f *logdiff.Finding) string
	// textLines, when set, writes the finding's lines in the text report
	// instead of the usual diff with context.
	textLines func(w io.Writer, p palette, f *logdiff.Finding, o Options)
	// where says where the finding stands, each place linked, in the
	// Markdown, HTML and JUnit reports.
	where func(r *logdiff.Report, f *logdiff.Finding, at placer) []part
	// unified lays the finding out as one column (Markdown, folded HTML).
	unified func(f *logdiff.Finding, p parts) (before, core, after []uline)
	// failingNote stands in the failing column of the side-by-side view
	// when the failing run has no line of the finding; "" leaves the
	// failing lines there.
	failingNote string
	// moreNote, when set, follows the passing lines shown in the
	// side-by-side view with the number of lines of the baseline range
	// beyond them (%d).
	moreNote string
	// highlight marks the words that changed between a passing line and
	// the failing line beside it.
	highlight bool
	// notes, when set, are lines of text the finding holds beyond its log
	// lines (a test's failure message), shown as log text.
	notes func(f *logdiff.Finding) []string
	// settings: the finding is a configuration change, shown in the
	// reports' configuration table rather than as lines of a log.
	settings bool
}

var kindViews = map[logdiff.Kind]kindView{
	logdiff.Missing: {
		class:       "k-missing",
		contextSide: logdiff.SideBaseline,
		textWhere: func(r *logdiff.Report, f *logdiff.Finding) string {
			if f.Baseline == nil { // a hand-edited or truncated JSON report: say what is known
				return fmt.Sprintf("%s:%d", failFile(r, f), f.Failing.Start)
			}
			return fmt.Sprintf("%s:%d-%d, would stand after %s:%d", baseFile(r, f), f.Baseline.Start, f.Baseline.End, failFile(r, f), f.Failing.Start)
		},
		where: func(r *logdiff.Report, f *logdiff.Finding, at placer) []part {
			ps := []part{{Text: "in "}, at.passing(), {Text: "; in the failing run they would stand "}}
			if f.Failing.Start <= 0 {
				return append(ps, part{Text: "at the start" + at.in})
			}
			return append(ps, part{Text: "after "}, at.failing(f.Failing.Start, f.Failing.Start))
		},
		unified: func(_ *logdiff.Finding, p parts) (before, core, after []uline) {
			return conv(p.bBefore, ' '), conv(p.bCore, '-'), conv(p.bAfter, ' ')
		},
		failingNote: "the missing lines would stand here",
	},
	logdiff.New: {
		class:       "k-new",
		contextSide: logdiff.SideFailing,
		textWhere:   textFailingRange,
		where:       whereFailing,
		unified:     unifiedChange,
	},
	logdiff.Changed: {
		class:       "k-changed",
		contextSide: logdiff.SideFailing,
		textWhere:   textFailingRange,
		where: func(_ *logdiff.Report, f *logdiff.Finding, at placer) []part {
			return []part{{Text: "failing run "}, at.failing(f.Failing.Start, f.Failing.End), {Text: ", was "}, at.passing()}
		},
		unified:   unifiedChange,
		highlight: true,
	},
	logdiff.EndedEarly: {
		class:          "k-ended",
		contextSide:    logdiff.SideFailing,
		noContextAfter: true,
		textWhere: func(r *logdiff.Report, f *logdiff.Finding) string {
			if f.Baseline == nil {
				return fmt.Sprintf("%s:%d", failFile(r, f), f.Failing.Start)
			}
			return fmt.Sprintf("%s %s line %d; %s:%d-%d never came", failFile(r, f), endVerb(r, f), f.Failing.Start, baseFile(r, f), f.Baseline.Start, f.Baseline.End)
		},
		where: func(_ *logdiff.Report, f *logdiff.Finding, at placer) []part {
			return []part{{Text: "the failing run " + endVerb(at.r, f) + " "}, at.failing(f.Failing.Start, f.Failing.Start), {Text: "; never came: "}, at.passing()}
		},
		unified: func(f *logdiff.Finding, p parts) (before, core, after []uline) {
			core = append([]uline{{Mark: '@', Text: "the failing log ends here; the passing run went on with:"}}, conv(p.bCore, '-')...)
			if rest := neverCame(f, len(p.bCore)); rest > 0 {
				core = append(core, uline{Mark: '@', Text: fmt.Sprintf("… and %d more lines", rest)})
			}
			return conv(p.fBefore, ' '), core, conv(p.fAfter, ' ')
		},
		failingNote: "the failing log ends here",
		moreNote:    "… and %d more lines that never came",
	},
	logdiff.Config: {
		class:       "k-config",
		contextSide: logdiff.SideFailing,
		textWhere:   func(*logdiff.Report, *logdiff.Finding) string { return "" },
		textLines:   textSettings,
		where: func(_ *logdiff.Report, f *logdiff.Finding, _ placer) []part {
			if f.Config != nil {
				return []part{{Text: "configuration, from " + f.Config.Source}}
			}
			return []part{{Text: "configuration"}}
		},
		unified:  unifiedChange,
		settings: true,
	},
}

func init() {
	// Set here: testView's functions refer to kindViews' neighbours.
	kindViews[logdiff.Test] = testView
}

// testView shows a test result that changed: its failure message and
// first lines, and the build log's lines of the same failure when the log
// prints it.
var testView = kindView{
	class:       "k-test",
	contextSide: logdiff.SideFailing,
	textWhere: func(r *logdiff.Report, f *logdiff.Finding) string {
		where := "test results"
		if f.Test != nil && f.Test.File != "" {
			where += " " + f.Test.File
		}
		if len(f.Lines) > 0 {
			where += "; the build log prints it at " + fmt.Sprintf("%s:%d-%d", failFile(r, f), f.Failing.Start, f.Failing.End)
		}
		return where
	},
	where: func(_ *logdiff.Report, f *logdiff.Finding, at placer) []part {
		ps := []part{{Text: "test results"}}
		if f.Test != nil && f.Test.File != "" {
			ps[0].Text += ", from " + f.Test.File
		}
		if len(f.Lines) > 0 {
			ps = append(ps, part{Text: "; the build log prints it at "}, at.failing(f.Failing.Start, f.Failing.End))
		}
		return ps
	},
	unified: unifiedChange,
	notes:   testNotes,
}

// testNotes are a test finding's message, the first lines of its failure
// text, and for tests that did not run the first of their names.
func testNotes(f *logdiff.Finding) []string {
	t := f.Test
	if t == nil {
		return nil
	}
	var out []string
	if t.Message != "" {
		out = append(out, "message: "+strings.TrimSpace(t.Message))
	}
	// The failure's text, unless the build log's own lines of it follow.
	if t.Text != "" && len(f.Lines) == 0 && strings.TrimSpace(t.Text) != strings.TrimSpace(t.Message) {
		for l := range strings.SplitSeq(t.Text, "\n") {
			out = append(out, "  "+l)
		}
	}
	if len(t.Names) > 0 {
		out = append(out, "tests that did not run:")
		for _, n := range t.Names {
			out = append(out, "  "+n)
		}
		if t.Count > len(t.Names) {
			out = append(out, fmt.Sprintf("  … and %d more", t.Count-len(t.Names)))
		}
	}
	return out
}

// otherView shows a kind this version does not know (a report read from
// the JSON of a later version) as lines of the failing run.
var otherView = kindView{
	class:       "k-other",
	contextSide: logdiff.SideFailing,
	textWhere:   textFailingRange,
	where:       whereFailing,
	unified:     unifiedChange,
}

func viewOf(k logdiff.Kind) kindView {
	if v, ok := kindViews[k]; ok {
		return v
	}
	return otherView
}

func textFailingRange(r *logdiff.Report, f *logdiff.Finding) string {
	where := fmt.Sprintf("%s:%d-%d", failFile(r, f), f.Failing.Start, f.Failing.End)
	if f.Baseline != nil {
		where += fmt.Sprintf(" (was %s:%d-%d)", baseFile(r, f), f.Baseline.Start, f.Baseline.End)
	}
	return where
}

func whereFailing(_ *logdiff.Report, f *logdiff.Finding, at placer) []part {
	return []part{{Text: "failing run "}, at.failing(f.Failing.Start, f.Failing.End)}
}

// unifiedChange shows the passing lines, then the failing ones, inside the
// failing run's context.
func unifiedChange(_ *logdiff.Finding, p parts) (before, core, after []uline) {
	return conv(p.fBefore, ' '), append(conv(p.bCore, '-'), conv(p.fCore, '+')...), conv(p.fAfter, ' ')
}

// endVerb says where an ended-early finding's failing run stops: at its
// end, or where it stopped matching and printed only new lines.
func endVerb(r *logdiff.Report, f *logdiff.Finding) string {
	if f.Log == "" && f.Failing.Start < r.Failing.Lines {
		return "matches no more after"
	}
	return "ends at"
}

// neverCame counts the lines of an ended-early finding's baseline range
// beyond the shown ones.
func neverCame(f *logdiff.Finding, shown int) int {
	if f.Baseline == nil {
		return 0
	}
	return f.Baseline.End - f.Baseline.Start + 1 - shown
}
