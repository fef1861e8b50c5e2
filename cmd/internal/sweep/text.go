package sweep

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// textLines is how many evidence lines the text summary shows of a
// regression.
const textLines = 8

// headline is the summary's first line, the same in every format.
func headline(s *Summary) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d %s swept: ", s.Jobs, plural(s.Jobs, "job", "jobs"))
	inRegs := s.Counts.Regressed - len(s.NoFindings)
	fmt.Fprintf(&b, "%d %s in %d %s", len(s.Regressions), plural(len(s.Regressions), "regression", "regressions"),
		inRegs, plural(inRegs, "job", "jobs"))
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
	add(s.Counts.Failing, "failing in every run examined")
	add(s.Counts.Unreadable, "unreadable")
	add(s.Counts.Passing, "passing")
	add(s.Counts.NoRuns, "without finished runs")
	return strings.Join(parts, ", ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// WriteText writes the summary for a terminal or a log: the headline, each
// regression with its evidence and jobs, then the jobs that could not be
// compared.
func WriteText(w io.Writer, s *Summary) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, headline(s))
	for i, g := range s.Regressions {
		fmt.Fprintln(bw)
		tag := ""
		if g.New {
			tag = "NEW "
		}
		fmt.Fprintf(bw, "#%d %s%d %s: %s\n", i+1, tag, len(g.Jobs), plural(len(g.Jobs), "job", "jobs"), oneLine(g.Summary))
		fmt.Fprintf(bw, "   key: %s\n", oneLine(g.Key))
		for _, sh := range g.Shared {
			fmt.Fprintf(bw, "   also: %s\n", oneLine(sh.Summary))
		}
		if g.Hint != "" {
			fmt.Fprintf(bw, "   hint: %s\n", oneLine(g.Hint))
		}
		if len(g.Evidence) > 0 {
			fmt.Fprintf(bw, "   evidence (%s):\n", g.EvidenceJob())
			for _, l := range g.Evidence[:min(len(g.Evidence), textLines)] {
				mark := "+"
				if l.Side == "baseline" {
					mark = "-"
				}
				fmt.Fprintf(bw, "     %s %s\n", mark, oneLine(l.Text))
			}
			if n := len(g.Evidence) - textLines; n > 0 {
				fmt.Fprintf(bw, "     … %d more\n", n)
			}
		}
		fmt.Fprintln(bw, "   jobs:")
		for _, j := range g.Jobs {
			fmt.Fprintf(bw, "     %s  %s  %s\n", j.Job, since(&j.Failing, j.FailingRuns), j.Failing.URL)
		}
	}
	lists := []struct {
		title string
		jobs  []JobRun
	}{
		{"Regressed, but the comparison found no difference", s.NoFindings},
		{"Failing in every run examined (nothing to compare with)", s.Failing},
		{"Unreadable", s.Unreadable},
	}
	for _, l := range lists {
		if len(l.jobs) == 0 {
			continue
		}
		fmt.Fprintf(bw, "\n%s:\n", l.title)
		for _, j := range l.jobs {
			switch {
			case j.Error != "":
				fmt.Fprintf(bw, "  %s: %s\n", j.Job, oneLine(j.Error))
			case j.Failing != nil:
				fmt.Fprintf(bw, "  %s  %s  %s\n", j.Job, since(j.Failing, j.FailingRuns), j.Failing.URL)
			default:
				fmt.Fprintf(bw, "  %s\n", j.Job)
			}
		}
	}
	return bw.Flush()
}

// evidenceJob is the job whose lines a regression shows.
func (g *Regression) EvidenceJob() string {
	for _, j := range g.Jobs {
		if j.Rank > 0 {
			return j.Job + "/" + j.Failing.Build
		}
	}
	return ""
}

// since says when a job started failing: "failing since 123 (3 runs)".
func since(r *Run, runs int) string {
	s := "failing since " + r.Build
	if !r.Time.IsZero() {
		s += " (" + r.Time.Format("2006-01-02 15:04") + " UTC"
		if runs > 0 {
			s += fmt.Sprintf(", %d failing %s", runs, plural(runs, "run", "runs"))
		}
		return s + ")"
	}
	if runs > 0 {
		s += fmt.Sprintf(" (%d failing %s)", runs, plural(runs, "run", "runs"))
	}
	return s
}

// oneLine makes log text safe for one line of a terminal: control
// characters (escape sequences among them) become spaces.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return ' '
		}
		return r
	}, s)
}

// WriteJSON writes the summary as indented JSON.
func WriteJSON(w io.Writer, s *Summary) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(s)
}
