package report

import (
	"fmt"

	"github.com/logdiff/logdiff/internal/english"
	"github.com/logdiff/logdiff/logdiff"
)

// span is a piece of the streak's sentence: our words, or a run's name
// (Name) with the address of its page when it has one.
type span struct {
	Text string
	Link string
	Name bool
}

// streakSpans says since when the job fails, as every format writes it:
// "failing since JOB/ID (2025-02-11 07:03 UTC, 3 failing runs), after
// SUCCESS ID", with the runs' names apart for the formats that link them.
// The date and count come in the order of the sweep's summary. Nil when
// the report has no streak.
func streakSpans(r *logdiff.Report) []span {
	st := r.Streak
	if st == nil || st.Runs <= 0 || st.First.Name == "" {
		return nil
	}
	out := []span{{Text: "failing since "}, {Text: st.First.Name, Link: st.First.URL, Name: true}}
	var b string
	if !st.Since.IsZero() {
		b = st.Since.UTC().Format("2006-01-02 15:04") + " UTC, "
	}
	total := max(st.Total, st.Runs)
	b += count(total, "failing run")
	if st.Running {
		b += " counting this one"
	}
	if st.Runs == total {
		out = append(out, span{Text: " (" + b + ")"})
	} else {
		// The run compared is not the newest failure (--first-failure, a
		// given build): say which of them it is.
		out = append(out, span{Text: " (" + b + " to the newest, "}, span{Text: st.Newest.Build, Link: st.Newest.URL, Name: true})
		which := "the run compared"
		if st.Running {
			which = "this run"
		}
		out = append(out, span{Text: fmt.Sprintf("; %s is the %s)", which, english.Ordinal(st.Runs))})
	}
	if st.Pass != nil {
		out = append(out, span{Text: ", after SUCCESS "}, span{Text: st.Pass.Build, Link: st.Pass.URL, Name: true})
	} else {
		out = append(out, span{Text: "; no SUCCESS among the runs examined before it"})
	}
	return out
}

// streakLine is the streak as one line of plain text, the first failing
// run's address at its end, named as that.
func streakLine(r *logdiff.Report) string {
	spans := streakSpans(r)
	if spans == nil {
		return ""
	}
	var s string
	for _, p := range spans {
		s += p.Text
	}
	if u := safeHref(r.Streak.First.URL); u != "" {
		s += "; first failing run: " + u // named, or it reads as the pass's
	}
	return s
}
