package report

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/logdiff/logdiff/logdiff"
)

// The JUnit test case's name is the same in every run, so TestGrid keeps
// one row for it.
const (
	suiteName     = "logdiff"
	caseName      = "logdiff: failing run compared with passing runs"
	junitMsgRunes = 1000
	junitMaxBody  = 256 << 10
)

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name      string      `xml:"name,attr"`
	Tests     int         `xml:"tests,attr"`
	Failures  int         `xml:"failures,attr"`
	Errors    int         `xml:"errors,attr"`
	Skipped   int         `xml:"skipped,attr"`
	Time      string      `xml:"time,attr"`
	Timestamp string      `xml:"timestamp,attr"`
	Cases     []junitCase `xml:"testcase"`
}

type junitCase struct {
	Classname string        `xml:"classname,attr"`
	Name      string        `xml:"name,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	SystemOut *junitText    `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Body    string `xml:",cdata"`
}

type junitText struct {
	Body string `xml:",cdata"`
}

// JUnit writes the report as JUnit XML for Prow's JUnit lens and TestGrid:
// one suite "logdiff" with one test case, failing when the report has
// findings. The failure's message is the summary and the top finding; its
// body is the text report of the top findings (o.Top, 10 by default) with
// links to the runs. All text is made legal XML 1.0 (invalid UTF-8 and
// control characters are replaced, see clean).
func JUnit(w io.Writer, r *logdiff.Report, o Options) error {
	if r == nil {
		return errNoReport("JUnit")
	}
	c := junitCase{Classname: suiteName, Name: caseName, Time: "0"}
	var runs strings.Builder
	links := o.links()
	runLine := func(role string, in logdiff.LogInfo) {
		fmt.Fprintf(&runs, "%s: %s (%s)", role, in.Name, plainCount(in.Lines, "line"))
		if u := safeHref(links(in, "", 0)); u != "" {
			runs.WriteString(" " + u)
		}
		if in.Reason != "" {
			runs.WriteString(": " + in.Reason)
		}
		runs.WriteString("\n")
	}
	runLine("failing run", r.Failing)
	if l := streakLine(r); l != "" {
		runs.WriteString("streak: " + l + "\n")
	}
	for _, b := range r.Baselines {
		runLine("passing run", b)
	}
	if len(r.Rules) > 0 {
		runs.WriteString("rules: " + strings.Join(r.Rules, ", ") + "\n")
	}
	if len(r.Findings) == 0 {
		// With findings, the text report below leads with them.
		for _, l := range commitText(r) {
			runs.WriteString(l + "\n")
		}
	}
	if len(r.Findings) == 0 {
		c.SystemOut = &junitText{Body: clean("logdiff: "+Headline(r)+"\n"+runs.String(), true)}
	} else {
		var body bytes.Buffer
		body.WriteString(runs.String() + "\n")
		noStreak := *r // the runs above say it
		noStreak.Streak = nil
		if err := Text(&body, &noStreak, Options{Top: o.top(defaultTop), MaxLines: o.maxLines()}); err != nil {
			return fmt.Errorf("writing the JUnit report: %w", err)
		}
		text := body.String()
		if len(text) > junitMaxBody {
			text = strings.ToValidUTF8(text[:junitMaxBody], "") + "\n… cut; the HTML and JSON reports have everything\n"
		}
		top := r.Findings[0]
		msg := fmt.Sprintf("%s; top finding: #%d %s: %s", summary(r), top.Rank, top.Kind, top.Summary)
		c.Failure = &junitFailure{
			Message: cut(clean(msg, false), junitMsgRunes),
			Type:    "logdiff",
			Body:    clean(text, true),
		}
	}
	failures := 0
	if c.Failure != nil {
		failures = 1
	}
	doc := junitSuites{
		Name: suiteName, Tests: 1, Failures: failures, Time: "0",
		Suites: []junitSuite{{
			Name: suiteName, Tests: 1, Failures: failures, Time: "0",
			Timestamp: o.now().Format("2006-01-02T15:04:05Z"),
			Cases:     []junitCase{c},
		}},
	}
	return writeJUnit(w, doc, "JUnit report")
}

func writeJUnit(w io.Writer, doc junitSuites, what string) error {
	out, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		return fmt.Errorf("writing the %s: %w", what, err)
	}
	if _, err := io.WriteString(w, xml.Header+string(out)+"\n"); err != nil {
		return fmt.Errorf("writing the %s: %w", what, err)
	}
	return nil
}
