// Package junit reads JUnit XML test reports, streaming and with bounded memory, and compares the test results of passing runs with a failing run's.
package junit

// Status is a test case's outcome in one run.
type Status uint8

const (
	// Absent: the run has no such test case (the zero value, used by
	// comparisons; Parse never returns it).
	Absent Status = iota
	Passed
	Failed  // an assertion failed: <failure>
	Errored // the test could not run to its end: <error>
	Skipped // <skipped>, Ginkgo's pending, gtest's notrun
)

var statusNames = [...]string{"absent", "passed", "failed", "errored", "skipped"}

func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return "unknown"
}

// Ran reports whether the test ran: passed, failed or errored.
func (s Status) Ran() bool { return s == Passed || s == Failed || s == Errored }

// Failing reports whether the test failed or errored.
func (s Status) Failing() bool { return s == Failed || s == Errored }

// Case is one test case as read from a JUnit file, with its texts cut to
// the bounds of Options.
type Case struct {
	// Suite is the name of the innermost <testsuite> holding the case (or
	// of <testsuites> when the suite has none); "" when neither is named,
	// as in kubetest's junit_runner.xml.
	Suite string
	Class string // the classname attribute
	Name  string
	File  string // the JUnit file it was read from, as named to Parse

	Status Status
	Time   float64 // seconds; 0 when absent or unreadable

	// Message and Type are the attributes of the first <failure> or
	// <error> (of <skipped> for a skipped case); Text is that element's
	// body: its first lines, leading blank lines dropped. TextCut says
	// that the body went on past the bounds.
	Message string
	Type    string
	Text    string
	TextCut bool

	// Flaky says the case failed and then passed when rerun: Surefire's
	// <flakyFailure> and <flakyError> (Status is Passed). Reruns counts
	// Surefire's <rerunFailure> and <rerunError> of a case that failed
	// every rerun.
	Flaky  bool
	Reruns int

	// SystemOut and SystemErr are the case's own <system-out> and
	// <system-err>, first bytes only (Options.OutputBytes).
	SystemOut, SystemErr string
}

// ID is the case's identity across runs: suite, class and name exactly.
func (c Case) ID() string { return c.Suite + "\x00" + c.Class + "\x00" + c.Name }

// Group is what a case is counted under when many are summed up: its
// suite, or its class when the suite has no name.
func (c Case) Group() string {
	if c.Suite != "" {
		return c.Suite
	}
	return c.Class
}
