package logdiff

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/logdiff/logdiff/logdiff/junit"
)

// Test findings: the JUnit results of the failing run that differ from the
// passing runs' (junit.Compare finds them), ranked with the log findings.
// A test whose failure the build log also prints is one finding with the
// log's lines, not two.

// TestChange is a test result that changed, as a Finding of Kind Test
// holds it (JSON "test").
type TestChange struct {
	// Change is flipped (passed in the passing runs, fails now),
	// new-failure (never ran there), still-failing (failed there too) or
	// did-not-run (ran there, absent or skipped now).
	Change string `json:"change"`
	Suite  string `json:"suite"`
	Class  string `json:"class,omitempty"`
	Name   string `json:"name,omitempty"`
	// File is the failing run's JUnit file that reports it.
	File string `json:"file,omitempty"`
	// BaselineStatus is its usual status in the passing runs, Status its
	// status in the failing run: passed, failed, errored, skipped, absent.
	BaselineStatus string `json:"baseline_status"`
	Status         string `json:"status"`
	// Message and Text are the failure's message and the first lines of
	// its text.
	Message string `json:"message,omitempty"`
	Text    string `json:"text,omitempty"`
	// Flaky marks a flipped test that also failed in some passing run.
	Flaky bool `json:"flaky,omitempty"`
	// Count is how many tests a did-not-run change stands for; Names are
	// the first of them.
	Count int      `json:"count,omitempty"`
	Names []string `json:"names,omitempty"`
}

// testTextLines is how many lines of a failure's text a finding keeps.
const testTextLines = 8

// CompareTests compares the test results of the passing runs (each run
// all the cases of its JUnit files) with the failing run's and returns a
// finding for each test that flipped, failed anew or did not run (one per
// suite), ranked among themselves; Report.AddTests joins them with the log
// findings. quorum is as Options.Quorum; norm makes the keys that group
// the same test across jobs (nil: the built-in rules).
func CompareTests(baselines [][]junit.Case, failing []junit.Case, quorum int, norm *Normalizer) []Finding {
	if norm == nil {
		norm = NewNormalizer(nil)
	}
	key := func(s string) string {
		k, _ := norm.Key(nil, []byte(s))
		return string(k)
	}
	var out []Finding
	for _, ch := range junit.Compare(baselines, failing, junit.CompareOptions{Quorum: quorum, Key: key}) {
		out = append(out, testFinding(ch))
	}
	return out
}

func testFinding(ch junit.Change) Finding {
	t := &TestChange{
		Change: ch.Kind.String(), Suite: ch.Suite, Class: ch.Class, Name: ch.Name, File: ch.File,
		BaselineStatus: ch.Before.String(), Status: ch.Now.String(),
		Message: ch.Message, Text: firstLines(ch.Text, testTextLines), Flaky: ch.Flaky,
	}
	name := testName(ch.Class, ch.Name)
	f := Finding{Kind: Test, Test: t, Key: ch.Key}
	msg := quote(firstLine(ch.Message, ch.Text))
	switch ch.Kind {
	case junit.Flipped:
		flaky := ""
		if ch.Flaky {
			flaky = " (flaky: it failed in a passing run too)"
		}
		f.Summary = fmt.Sprintf("test %s %s → %s%s: %s", name, ch.Before, ch.Now, flaky, msg)
	case junit.NewFailure:
		f.Summary = fmt.Sprintf("test %s %s, and ran in no passing run: %s", name, ch.Now, msg)
	case junit.StillFailing:
		f.Summary = fmt.Sprintf("test %s %s, as in the passing runs: %s", name, ch.Now, msg)
	case junit.DidNotRun:
		t.Count, t.Names = ch.Count, ch.Names
		f.Summary = fmt.Sprintf("%s of %s did not run (they ran in the passing runs)", plainCount(ch.Count, "test"), orUnnamed(ch.Group))
	}
	f.Score = testScore(ch)
	return f
}

// AddTests adds test findings (CompareTests') to the report's log
// findings. A test whose failure the build log prints (a line of a new or
// changed log finding holds one of its telling lines, junit.LogLines) is
// joined with that log finding: one failure, one finding, with the log's
// lines and place. Tests that did not run are told beside an ended-early
// finding when the log stopped too. Call Rerank after adding findings.
func (r *Report) AddTests(tests []Finding) {
	var ended *Finding
	for i := range r.Findings {
		if r.Findings[i].Kind == EndedEarly {
			ended = &r.Findings[i]
			break
		}
	}
	joined := map[int]bool{} // log findings joined with a test
	var withLog []int        // test findings joined with their log lines
	for _, f := range tests {
		if f.Test == nil {
			continue
		}
		if f.Test.Change == junit.DidNotRun.String() && ended != nil {
			f.Summary += "; the build log ended early too"
			f.Score = max(f.Score, ended.Score-0.01)
		}
		if i := r.logFindingOf(f.Test, joined); i >= 0 {
			lf := r.Findings[i]
			joined[i] = true
			f.Lines, f.Context, f.Failing, f.Baseline = lf.Lines, lf.Context, lf.Failing, lf.Baseline
			f.Log, f.BaselineLog, f.Signature = lf.Log, lf.BaselineLog, lf.Signature
			if f.Hint == "" {
				f.Hint = lf.Hint
			}
			// The test names what broke and the log shows where: it ranks
			// at least as high as either alone, and above both when the
			// test says more than that a step exited non-zero.
			f.Score = max(f.Score, lf.Score)
			if !exitOnly(firstLine(f.Test.Message, f.Test.Text)) {
				f.Score = min(1, f.Score+0.05)
			}
			withLog = append(withLog, len(r.Findings))
		}
		r.Findings = append(r.Findings, f)
	}
	// Echoes once every test has its own log lines: an echo is never
	// taken from the test whose failure it is.
	var names []string // of the failed tests a summary may name
	for _, f := range r.Findings {
		if f.Test != nil && f.Test.Change != junit.DidNotRun.String() && len(f.Test.Name) >= minEchoName {
			names = append(names, f.Test.Name)
		}
	}
	for _, i := range withLog {
		r.joinEchoes(&r.Findings[i], joined, names)
	}
	// Tests that did not run are the effect of what stopped them: when a
	// test of the run failed (flipped or new, not flaky), the largest
	// group of them ranks just below it, as it does below an ended-early
	// log. Left at its own score it falls below the log's echoes, out of
	// the top a reader sees, though "the e2e suite did not run" is what
	// the job did; smaller groups (a step or two of a wrapper) stay where
	// they are.
	stopper, largest := -1.0, -1
	for i, f := range r.Findings {
		switch {
		case f.Test == nil:
		case f.Test.Change == junit.DidNotRun.String():
			if largest < 0 || f.Test.Count > r.Findings[largest].Test.Count {
				largest = i
			}
		case !f.Test.Flaky && (f.Test.Change == junit.Flipped.String() || f.Test.Change == junit.NewFailure.String()):
			stopper = max(stopper, f.Score)
		}
	}
	if largest >= 0 && stopper > 0 {
		r.Findings[largest].Score = max(r.Findings[largest].Score, stopper-0.01)
	}
	if len(joined) > 0 {
		kept := r.Findings[:0]
		for i, f := range r.Findings {
			if !joined[i] {
				kept = append(kept, f)
			}
		}
		r.Findings = kept
	}
}

// echoWindow is how far (in lines of the failing log) from a test's
// failure an echo of it is looked for: a runner's report of one failure
// (its summary, the step that dumps state after it) stands close by.
const echoWindow = 50

// sourceLocation matches a place in source code as runners and compilers
// print it: file.ext:line ("test/e2e/windows/volumes.go:131",
// "FooTest.java:86", "app.test.js:12:5").
var sourceLocation = regexp.MustCompile(`[\w./-]*\w\.([A-Za-z][A-Za-z0-9]{0,5}):[1-9][0-9]{0,6}\b`)

// notSourceExt are the endings of host names: "host.example.com:443" is
// an address, not a place in a file.
var notSourceExt = map[string]bool{"com": true, "org": true, "net": true, "io": true, "dev": true,
	"local": true, "internal": true, "svc": true, "cluster": true, "localhost": true}

// sourceLocations returns the source locations in texts.
func sourceLocations(texts ...string) map[string]bool {
	out := map[string]bool{}
	for _, t := range texts {
		for _, m := range sourceLocation.FindAllStringSubmatch(t, -1) {
			if !notSourceExt[strings.ToLower(m[1])] {
				out[m[0]] = true
			}
		}
	}
	return out
}

// namesTest reports whether line names the test name whole: followed by
// the end of the line or a byte that does not go on a name
// (test_create_user is not named by test_create_user_duplicate, nor
// TestReconcile by TestReconcile/subtest).
func namesTest(line, name string) bool {
	for off := 0; ; {
		k := strings.Index(line[off:], name)
		if k < 0 {
			return false
		}
		end := off + k + len(name)
		if end == len(line) || strings.IndexByte(" \t-:,;)]\"'", line[end]) >= 0 && !(line[end] == '-' && end+1 < len(line) && line[end+1] != ' ') {
			return true
		}
		off += k + 1
	}
}

// minEchoName is the shortest test name an echo is found by anywhere in
// the log ("Up", kubetest's step, would be found by chance).
const minEchoName = 16

// maxEchoLines is how many lines of its echoes a test finding keeps as
// context.
const maxEchoLines = 10

// joinEchoes makes the new log findings near f (a test joined with the
// log lines of its failure) that state a failure at the place in the
// source its failure names their context: a runner's echo of the failure
// ("[FAILED] in [It] - volumes.go:131" above the failure it reports) says
// the same, so it is one finding with it, not a finding of its own. The
// places are the test's own message and text, not the frames of its
// trace, which other failures share (ParentRunner.java:366,
// testing.go:1595); and an echo's line must say that something failed.
func (r *Report) joinEchoes(f *Finding, taken map[int]bool, names []string) {
	var texts []string
	for _, t := range []string{f.Test.Message, f.Test.Text} {
		for l := range strings.Lines(t) {
			if !isFrame(strings.TrimSpace(l)) {
				texts = append(texts, l)
			}
		}
	}
	locs := sourceLocations(texts...)
	// A runner's summary names the failed test anywhere in the log
	// ("[FAIL] [sig-windows] ... should have readOnly permissions",
	// "FAILED tests/test_x.py::test_name"): by a name long enough not to
	// be found by chance.
	name := f.Test.Name
	if len(name) < minEchoName {
		name = ""
	}
	if len(locs) == 0 && name == "" {
		return
	}
	for i := range r.Findings {
		e := &r.Findings[i]
		if taken[i] || e.Kind != New || e.Log != f.Log {
			continue
		}
		near := e.Failing.End >= f.Failing.Start-echoWindow && e.Failing.Start <= f.Failing.End+echoWindow
		echo, others := false, false
		for _, l := range e.Lines {
			if l.Side != SideFailing || !readLine(l.Text).failing() {
				continue
			}
			for _, n := range names {
				if namesTest(l.Text, n) {
					echo = echo || n == name
					others = others || n != name
				}
			}
			for loc := range sourceLocations(l.Text) {
				echo = echo || near && locs[loc]
			}
		}
		if !echo || others {
			// A summary of several failures is no one test's echo.
			continue
		}
		taken[i] = true
		f.Score = max(f.Score, e.Score)
		n := 0
		for _, l := range e.Lines {
			if l.Side == SideFailing && n < maxEchoLines && !slices.ContainsFunc(f.Context, func(c Line) bool { return c.Side == l.Side && c.N == l.N }) {
				f.Context = append(f.Context, l)
				n++
			}
		}
	}
	slices.SortFunc(f.Context, func(a, b Line) int { return cmp.Or(cmp.Compare(a.Side, b.Side), cmp.Compare(a.N, b.N)) })
}

// logFindingOf returns the index of the first new or changed log finding
// whose failing lines hold one of the test failure's telling lines, or -1.
func (r *Report) logFindingOf(t *TestChange, taken map[int]bool) int {
	if t.Change == junit.DidNotRun.String() {
		return -1
	}
	want := junit.LogLines(t.Message, t.Text, 3)
	if len(want) == 0 {
		return -1
	}
	for i, f := range r.Findings {
		if taken[i] || f.Kind != New && f.Kind != Changed {
			continue
		}
		for _, l := range f.Lines {
			if l.Side != SideFailing {
				continue
			}
			for _, w := range want {
				if strings.Contains(l.Text, w) {
					return i
				}
			}
		}
	}
	return -1
}

func testName(class, name string) string {
	if class == "" || strings.HasPrefix(name, class) {
		return quote(name)
	}
	return quote(class + ": " + name)
}

func orUnnamed(group string) string {
	if group == "" {
		return "an unnamed suite"
	}
	return group
}

// firstLine is the first non-empty line of the first non-empty text.
func firstLine(texts ...string) string {
	for _, t := range texts {
		for l := range strings.SplitSeq(t, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				return l
			}
		}
	}
	return ""
}

// firstLines keeps the first n lines of s.
func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.TrimRight(strings.Join(lines, "\n"), "\n")
}

func plainCount(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
