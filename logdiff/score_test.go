package logdiff

import (
	"fmt"
	"strings"
	"testing"
)

// The failures below are written after real logs of each tool, shortened;
// every one carries the echoes that tool prints after it. Ranked without
// any rule pack, the first finding must hold the line that states the
// cause, within its first few lines: the reader meets what broke before
// what only says that something broke.
func TestRankStatingBeforeEchoes(t *testing.T) {
	tests := []struct {
		name        string
		pass, fail  string
		cause       string // a substring of the line that states the cause
		withinLines int    // the cause is among the first finding's first lines
	}{{
		name: "gradle compile error",
		pass: `> Task :compileJava
> Task :classes
> Task :test
BUILD SUCCESSFUL in 12s
`,
		fail: `> Task :compileJava FAILED
/home/runner/work/app/src/main/java/app/Foo.java:86: error: cannot find symbol
        return bar.baz();
                  ^
  symbol:   method baz()
1 error

FAILURE: Build failed with an exception.

* What went wrong:
Execution failed for task ':compileJava'.
> Compilation failed; see the compiler error output for details.

BUILD FAILED in 3s
##[error]Process completed with exit code 1.
`,
		cause: "Foo.java:86: error: cannot find symbol", withinLines: 2,
	}, {
		name: "maven surefire test failure",
		pass: `[INFO] Running com.example.BazTest
[INFO] Tests run: 9, Failures: 0, Errors: 0, Skipped: 0, Time elapsed: 0.5 s - in com.example.BazTest
[INFO] Tests run: 120, Failures: 0, Errors: 0, Skipped: 0
[INFO] Example Parent ..................................... SUCCESS [  1.1 s]
[INFO] Example Core ....................................... SUCCESS [ 10.2 s]
[INFO] BUILD SUCCESS
`,
		fail: `[INFO] Running com.example.BazTest
[ERROR] Tests run: 9, Failures: 1, Errors: 0, Skipped: 0, Time elapsed: 0.6 s <<< FAILURE! - in com.example.BazTest
[ERROR] testQuux(com.example.BazTest)  Time elapsed: 0.1 s  <<< FAILURE!
java.lang.AssertionError: expected:<1> but was:<2>
	at org.junit.Assert.fail(Assert.java:88)
	at com.example.BazTest.testQuux(BazTest.java:42)
[ERROR] Tests run: 120, Failures: 1, Errors: 0, Skipped: 0
[INFO] Example Parent ..................................... SUCCESS [  1.2 s]
[INFO] Example Core ....................................... FAILURE [ 11.0 s]
[INFO] BUILD FAILURE
[ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:2.22.2:test (default-test) on project core: There are test failures.
[ERROR] -> [Help 1]
`,
		cause: "testQuux(com.example.BazTest)", withinLines: 4,
	}, {
		name: "python unittest",
		pass: `test_plain (app.test.smtp.SmtpTest) ... ok
test_html (app.test.smtp.SmtpTest) ... ok
----------------------------------------------------------------------
Ran 2 tests in 0.010s

OK
`,
		fail: `test_plain (app.test.smtp.SmtpTest) ... FAIL
test_html (app.test.smtp.SmtpTest) ... ok

======================================================================
FAIL: test_plain (app.test.smtp.SmtpTest)
----------------------------------------------------------------------
Traceback (most recent call last):
  File "/src/app/test/smtp.py", line 12, in test_plain
    self.assertEqual(body, expected)
AssertionError: 'Content-Type: text/plain' != 'Content-Type: text/html'
----------------------------------------------------------------------
Ran 2 tests in 0.011s

FAILED (failures=1)
`,
		cause: "AssertionError: 'Content-Type", withinLines: 1,
	}, {
		name: "go test",
		pass: `=== RUN   TestParse
--- PASS: TestParse (0.00s)
PASS
ok  	example.com/parse	0.012s
`,
		fail: `=== RUN   TestParse
    parse_test.go:42: Parse("a=b") = 1, want 2
--- FAIL: TestParse (0.00s)
FAIL
FAIL	example.com/parse	0.013s
FAIL
exit status 1
`,
		cause: "parse_test.go:42", withinLines: 1,
	}, {
		name:  "python traceback ends with its exception",
		pass:  "Loading registry\nRegistry loaded\n",
		fail:  "Loading registry\n" + pythonTraceback(30) + "KeyError: 'journal_entry_id'\nRegistry failed\n",
		cause: "KeyError: 'journal_entry_id'", withinLines: 1,
	}, {
		name: "the test's report above what the code under test logged",
		pass: `[INFO] Running com.example.ReportTest
19:40:01.100 [main] INFO c.e.Fixtures - loading fixtures
19:40:01.200 [main] INFO c.e.Fixtures - fixtures loaded
[INFO] Tests run: 3, Failures: 0, Errors: 0, Skipped: 0, Time elapsed: 1.7 s - in com.example.ReportTest
`,
		fail: `[INFO] Running com.example.ReportTest
com.example.visit.TraversalException: java.lang.NullPointerException
    at com.example.visit.Visitor.accept(Visitor.java:109) ~[classes/:na]
19:46:15.300 [main] INFO c.e.Fixtures - loading fixtures
19:46:15.400 [main] INFO c.e.Fixtures - fixtures loaded
[ERROR] Tests run: 3, Failures: 1, Errors: 0, Skipped: 0, Time elapsed: 1.1 s <<< FAILURE! - in com.example.ReportTest
[ERROR] reportBrokenLinks(com.example.ReportTest)  Time elapsed: 0.3 s  <<< FAILURE!
java.lang.AssertionError: expected:<3> but was:<0>
	at com.example.ReportTest.reportBrokenLinks(ReportTest.java:124)
`,
		cause: "reportBrokenLinks(com.example.ReportTest)", withinLines: 3, // after the line it replaced
	}, {
		// A mock's "-> at Foo.bar(Foo.java:30)" points at a frame: it
		// does not lead the block the failure's report begins, though
		// that report's own lines name no test by word.
		name: "a frame pointed at does not lead a failure's report",
		pass: `Running it.IT_Everything
Tests run: 2, Failures: 0, Errors: 0, Skipped: 0, Time elapsed: 14.1 sec - in it.IT_Everything
`,
		fail: `Running it.IT_Everything
Tests run: 2, Failures: 1, Errors: 0, Skipped: 0, Time elapsed: 10.1 sec <<< FAILURE! - in it.IT_Everything
analyzesAll(it.IT_Everything)  Time elapsed: 9.1 sec  <<< FAILURE!
org.mockito.exceptions.verification.junit.ArgumentsAreDifferent:
Argument(s) are different! Wanted:
log.info(
    "Analyzed 26 class(es)."
);
-> at it.IT_Everything.analyzesAll(IT_Everything.java:30)
Actual invocation has different arguments:
log.info(
    "Treating classes as live code."
);
-> at app.Mojo.addAnalyzer(Mojo.java:238)
`,
		cause: "analyzesAll(it.IT_Everything)  Time elapsed", withinLines: 3, // after the line it replaced
	}, {
		// A linter's finding names a place and says what is wrong, with
		// no failure word: it leads the block after the tool's chatter.
		name: "a linter's place and message lead",
		pass: `level=info msg="[loader] Go packages loading at mode 575"
level=info msg="[runner] linters took 2.1s"
`,
		fail: `level=info msg="[config_reader] Config search paths: [./ /src]"
level=info msg="[lintersdb] Active 6 linters"
level=info msg="[loader] Go packages loading at mode 575"
level=info msg="[loader] Total packages loaded: 42"
level=info msg="[runner] linters took 2.4s"
pkg/foo/foo.go:12:5: ineffectual assignment to err (ineffassign)
	err = f()
	^
pkg/bar/bar.go:3:1: Error return value of x.Close is not checked (errcheck)
`,
		cause: "foo.go:12:5: ineffectual", withinLines: 1,
	}, {
		name: "a tool no rule knows",
		pass: `widgetc 2.1 compiling 3 files
widgetc: done, 0 problems
`,
		fail: `widgetc 2.1 compiling 3 files
config/widgets.cfg:12: unknown key 'colour' in section [button]
widgetc: 1 problem found
widgetc: giving up
Process exited with status 3
`,
		cause: "widgets.cfg:12: unknown key", withinLines: 2, // after the line it replaced
	}, {
		name: "a replacement is one finding, told by what the failing run printed",
		pass: `Fetching image layers
Extracting layer 1 of 3
Extracting layer 2 of 3
Pulled image app:1.2
`,
		fail: `Fetching image layers
tar: usr/lib/libfoo.so.1: Wrote only 2724 of 10240 bytes
tar: Exiting with failure status due to previous errors
Error: No space left on device
`,
		// One finding: the three lines gone, then what came instead.
		cause: "No space left on device", withinLines: 6,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := diffTexts(t, tt.fail, tt.pass)
			if len(r.Findings) == 0 {
				t.Fatal("no findings")
			}
			first := r.Findings[0]
			for k, l := range first.Lines {
				if k == tt.withinLines {
					break
				}
				if strings.Contains(l.Text, tt.cause) {
					return
				}
			}
			t.Errorf("the first finding does not hold %q within its first %d lines:\n%s", tt.cause, tt.withinLines, describe(r))
		})
	}
}

func pythonTraceback(frames int) string {
	var b strings.Builder
	b.WriteString("Traceback (most recent call last):\n")
	for i := range frames {
		fmt.Fprintf(&b, "  File \"/src/app/mod%d.py\", line %d, in f%d\n    g%d(x)\n", i, 10+i, i, i)
	}
	return b.String()
}

func describe(r *Report) string {
	var b strings.Builder
	for _, f := range r.Findings {
		fmt.Fprintf(&b, "#%d %s %.2f %s\n", f.Rank, f.Kind, f.Score, f.Summary)
		for _, l := range f.Lines {
			fmt.Fprintf(&b, "    %s %d %s\n", l.Side, l.N, l.Text)
		}
	}
	return b.String()
}

// TestRankReplacementIsOneFinding: lines gone and the lines printed in their
// place are one finding, ranked by what the failing run printed.
func TestRankReplacementIsOneFinding(t *testing.T) {
	pass := "start\nExtracting /cache/a.tar\ndone\n"
	fail := "start\ntar: /cache/a.tar: Cannot open: No such file or directory\ndone\n"
	r := diffTexts(t, fail, pass)
	if len(r.Findings) != 1 {
		t.Fatalf("got %d findings, want 1:\n%s", len(r.Findings), describe(r))
	}
	f := r.Findings[0]
	if f.Kind != Changed || !strings.HasPrefix(f.Summary, "replaced: ") || len(f.Lines) != 2 {
		t.Errorf("want one replaced finding with both lines:\n%s", describe(r))
	}
	if f.Score < tierBands[tierFails][0] {
		t.Errorf("score %.2f: a replacement by an error line ranks as the error line", f.Score)
	}
}

// Variation is not change: a poll line the baselines repeat a different
// number of times, progress dots and ids that happen to be all digits find
// nothing; with one baseline a count that differs ranks below an error.
func TestRankVariationIsNotChange(t *testing.T) {
	poll := func(n int) string {
		return strings.Repeat("Waiting for 4 ready nodes. 1 ready nodes, 4 registered. Retrying.\n", n)
	}
	t.Run("poll counts the baselines disagree on", func(t *testing.T) {
		pass1 := "up\n" + poll(5) + "ready\n"
		pass2 := "up\n" + poll(3) + "ready\n"
		fail := "up\n" + poll(2) + "ready\n"
		if r := diffTexts(t, fail, pass1, pass2); len(r.Findings) != 0 {
			t.Errorf("want nothing:\n%s", describe(r))
		}
	})
	t.Run("progress dots and digit-only ids", func(t *testing.T) {
		pass := "Creating cluster kubernetes-staging-8d7821257d\n........Kubernetes cluster created.\n"
		fail := "Creating cluster kubernetes-staging-3005041317\n......................Kubernetes cluster created.\n"
		if r := diffTexts(t, fail, pass); len(r.Findings) != 0 {
			t.Errorf("want nothing:\n%s", describe(r))
		}
	})
	t.Run("one baseline: a count below an error", func(t *testing.T) {
		pass := "up\n" + poll(5) + "ready\n"
		fail := "up\n" + poll(2) + "ready\nerror: cannot reach the API server\n"
		r := diffTexts(t, fail, pass)
		if len(r.Findings) != 2 || r.Findings[0].Kind != New || r.Findings[1].Score >= tierBands[tierEcho][0] {
			t.Errorf("want the error first and the count as noise:\n%s", describe(r))
		}
	})
}

// The same template in many places is one finding: fifteen modules of a
// reactor flipping to FAILURE.
func TestRankTemplateInManyPlaces(t *testing.T) {
	var pass, fail strings.Builder
	for i := range 15 {
		name := fmt.Sprintf("Module %s", strings.Repeat("x", i+1))
		fmt.Fprintf(&pass, "[INFO] %s ...... SUCCESS [ %d.0 s]\n", name, i+1)
		fmt.Fprintf(&fail, "[INFO] %s ...... FAILURE [ %d.5 s]\n", name, i+2)
		fmt.Fprintf(&pass, "[INFO] step %d\n", i)
		fmt.Fprintf(&fail, "[INFO] step %d\n", i)
	}
	r := diffTexts(t, fail.String(), pass.String())
	if len(r.Findings) != 1 || !strings.HasSuffix(r.Findings[0].Summary, "(in 15 places)") || len(r.Findings[0].Lines) != 30 {
		t.Errorf("want one finding in 15 places with every line:\n%s", describe(r))
	}
}
