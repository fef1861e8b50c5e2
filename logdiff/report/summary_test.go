package report

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/logdiff/logdiff/logdiff"
	"github.com/logdiff/logdiff/logdiff/regressions"
)

// regressed is a regressed record of a job whose one finding has key.
func regressed(job, key string) regressions.Record {
	return regressions.Record{Version: 1, Job: job, Status: regressions.Regressed,
		Failing: &regressions.Run{Build: "100", Result: "FAILURE", URL: "https://prow.k8s.io/view/gs/b/logs/" + job + "/100"},
		Findings: []logdiff.Finding{{Rank: 1, Kind: logdiff.New, Key: "new: " + key, Summary: "summary of " + key,
			Lines: []logdiff.Line{{Side: logdiff.SideFailing, N: 10, Text: "line " + key}}}}}
}

// hostileSummary is a summary whose log text tries to format, mention,
// link, script and drive a terminal.
func hostileSummary() *regressions.Summary {
	evil := "```\n@kubernetes/sig-node `code` | pipe <script>alert(1)</script> [x](javascript:alert(1)) #123 \x1b[31mred \u009b2J \u202egnp.exe"
	r := regressed("ci-evil", "k")
	r.Findings[0].Summary = "new: " + evil
	r.Findings[0].Lines = []logdiff.Line{{Side: logdiff.SideFailing, N: 1, Text: evil}, {Side: logdiff.SideFailing, N: 2, Text: "```` four"}}
	r.Failing.URL = "javascript:alert(1)"
	bad := regressions.Record{Version: 1, Job: "ci-bad", Status: regressions.Unreadable, Error: "reading <b>build-log.txt</b> of ci-bad/1: @someone \x1b]0;title\x07"}
	return regressions.Summarize([]regressions.Record{r, bad}, 3, nil, clock())
}

// renderSummary writes s in the format called name.
func renderSummary(t *testing.T, name string, s *regressions.Summary, o Options) string {
	t.Helper()
	f, err := Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := f.Summary(&b, s, o); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestSummaryMarkdownSafe(t *testing.T) {
	md := renderSummary(t, "markdown", hostileSummary(), Options{})
	// Outside code spans and fences, no log text may remain.
	prose := mdParse(t, md)
	for _, bad := range []string{"@kubernetes", "@someone", "<script>", "<b>", "javascript:", "#123", "\x1b", "\u009b", "\u202e"} {
		if strings.Contains(prose, bad) {
			t.Errorf("%q outside code:\n%s\n--- whole:\n%s", bad, prose, md)
		}
	}
	// Evidence lines start with "+ " or "- ", so none can close its fence.
	fence := regexp.MustCompile("(?s)\n(`{3,})diff\n(.*?)\n(`{3,})\n").FindStringSubmatch(md)
	if fence == nil || fence[1] != fence[3] {
		t.Fatalf("no fenced evidence:\n%s", md)
	}
	for _, l := range strings.Split(fence[2], "\n") {
		if !strings.HasPrefix(l, "+ ") && !strings.HasPrefix(l, "- ") {
			t.Errorf("evidence line %q could close its fence", l)
		}
	}
}

func TestSummaryMarkdownLimit(t *testing.T) {
	var records []regressions.Record
	for i := range 400 {
		records = append(records, regressed(fmt.Sprintf("ci-job-%03d", i), fmt.Sprintf("cause %03d %s", i, strings.Repeat("x", 200))))
	}
	s := regressions.Summarize(records, 3, nil, clock())
	for _, limit := range []int{0, 10000} {
		md := renderSummary(t, "markdown", s, Options{MaxChars: limit})
		want := limit
		if want == 0 {
			want = githubLimit
		}
		if n := mdLen(md); n > want {
			t.Errorf("limit %d: %d characters", limit, n)
		}
		if !strings.Contains(md, "of 400 regressions shown in full") {
			t.Errorf("limit %d: no note of what was cut", limit)
		}
	}
}

func TestSummaryHTMLSafe(t *testing.T) {
	h := renderSummary(t, "html", hostileSummary(), Options{})
	for _, bad := range []string{"<script>", "<b>build", `href="javascript`, "\x1b", "\u009b", "\u202e"} {
		if strings.Contains(h, bad) {
			t.Errorf("HTML holds %q", bad)
		}
	}
	if !strings.Contains(h, "&lt;script&gt;") {
		t.Errorf("the log text is not shown escaped")
	}
	if !strings.Contains(h, `http-equiv="Content-Security-Policy"`) {
		t.Errorf("no Content-Security-Policy")
	}
}

func TestSummaryTextSafe(t *testing.T) {
	text := renderSummary(t, "text", hostileSummary(), Options{})
	for _, bad := range []string{"\x1b", "\u009b", "\u202e", "\x07"} {
		if strings.Contains(text, bad) {
			t.Errorf("text summary holds %q:\n%s", bad, text)
		}
	}
}

// TestSummaryJUnit: one failing test case per regression, named by its key
// (TestGrid keeps a row per name), legal XML whatever the log text; one
// passing case when nothing regressed.
func TestSummaryJUnit(t *testing.T) {
	parse := func(s *regressions.Summary) parsedJUnit {
		var got parsedJUnit
		if err := xml.NewDecoder(strings.NewReader(renderSummary(t, "junit", s, Options{}))).Decode(&got); err != nil {
			t.Fatalf("the JUnit summary does not parse: %v", err)
		}
		return got
	}
	s := regressions.Summarize([]regressions.Record{regressed("a", "k1"), regressed("b", "k1"), regressed("c", "k2")}, 3, nil, clock())
	got := parse(s)
	if len(got.Suites) != 1 || got.Suites[0].Failures != 2 || len(got.Suites[0].Cases) != 2 {
		t.Fatalf("want 2 failing cases, got %+v", got)
	}
	if c := got.Suites[0].Cases[0]; c.Name != "new: k1" || c.Failure == nil || !strings.Contains(c.Failure.Message, "2 jobs") {
		t.Errorf("first case %+v", c)
	}
	parse(hostileSummary())
	none := parse(regressions.Summarize(nil, 3, nil, clock()))
	if len(none.Suites[0].Cases) != 1 || none.Suites[0].Cases[0].Failure != nil {
		t.Errorf("no regression: %+v", none)
	}
}

// TestRulesNamed: every format names the rule files a comparison or a
// sweep used (a .logdiff.yaml found upward changes results: a reader must
// see it).
func TestRulesNamed(t *testing.T) {
	const file = "/src/team/.logdiff.yaml"
	r := windowsReport()
	r.Rules = []string{file}
	s := regressions.Summarize([]regressions.Record{regressed("a", "k")}, 3, nil, clock())
	s.Rules = []string{file}
	for _, f := range Formats() {
		var b, sb bytes.Buffer
		if err := f.Report(&b, r, Options{Now: clock}); err != nil {
			t.Fatal(err)
		}
		if err := f.Summary(&sb, s, Options{Now: clock}); err != nil {
			t.Fatal(err)
		}
		outs := map[string]string{"report": b.String(), "summary": sb.String()}
		if f.Name == "text" {
			delete(outs, "report") // the CLI names them on standard error
		}
		for what, out := range outs {
			// Markdown escapes the dot of a name outside code: look for the file name's stem.
			if !strings.Contains(out, "/src/team/") || !strings.Contains(out, "logdiff") {
				t.Errorf("%s %s does not name the rule file", f.Name, what)
			}
		}
	}
}
