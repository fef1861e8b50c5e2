package logdiff

import (
	"slices"
	"strings"
	"testing"
)

// TestAddTestsJoins: a test whose failure the log prints is one finding
// with the log's lines; a runner's echo of the same failure nearby (it
// names the same place in the source) becomes its context, not a finding
// of its own; a new finding that names another place, or lies far away,
// stays.
func TestAddTestsJoins(t *testing.T) {
	newAt := func(n int, texts ...string) Finding {
		f := Finding{Kind: New, Score: 0.8, Failing: Range{Start: n, End: n + len(texts) - 1}}
		for i, s := range texts {
			f.Lines = append(f.Lines, Line{Side: SideFailing, N: n + i, Text: s})
		}
		f.Summary = "new: " + texts[0]
		return f
	}
	failure := newAt(483, `  [FAILED] pod wrote to the read-only volume: got "ok", want "Access is denied"`, "  In [It] at: test/e2e/windows/volumes.go:131 @ 02/11/25 17:15:23.151")
	echo := newAt(471, "  [FAILED] in [It] - test/e2e/windows/volumes.go:131 @ 02/11/25 17:15:23.151", "  STEP: dump namespace information after failure")
	tests := []struct {
		name      string
		findings  []Finding
		wantKinds string // the report's kinds after AddTests, in order
		context   []int  // the test finding's context lines
	}{
		{"failure and its echo", []Finding{echo, failure}, "test", []int{471, 472}},
		{"another place", []Finding{newAt(471, "  [FAILED] in [It] - test/e2e/storage/other.go:77"), failure}, "new test", nil},
		{"the same place, far away", []Finding{newAt(300, "  [FAILED] in [It] - test/e2e/windows/volumes.go:131"), failure}, "new test", nil},
		{"a host, not a file", []Finding{newAt(471, "dial tcp storage.googleapis.com:131: refused"), func() Finding {
			f := newAt(483, `  [FAILED] pod wrote to the read-only volume: got "ok", want "Access is denied"`, "GET storage.googleapis.com:131")
			return f
		}()}, "new test", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &Report{Findings: tt.findings}
			test := Finding{Kind: Test, Score: 0.9, Summary: "test x passed → failed", Test: &TestChange{
				Change: "flipped", Suite: "e2e", Name: "x", BaselineStatus: "passed", Status: "failed",
				Message: `pod wrote to the read-only volume: got "ok", want "Access is denied"`,
				Text:    "[FAILED] pod wrote to the read-only volume\nIn [It] at: test/e2e/windows/volumes.go:131",
			}}
			r.AddTests([]Finding{test})
			var kinds []string
			var got *Finding
			for i, f := range r.Findings {
				kinds = append(kinds, string(f.Kind))
				if f.Kind == Test {
					got = &r.Findings[i]
				}
			}
			if strings.Join(kinds, " ") != tt.wantKinds {
				t.Fatalf("kinds %v, want %s", kinds, tt.wantKinds)
			}
			if got.Failing.Start != 483 || len(got.Lines) != 2 {
				t.Errorf("the test holds lines %d-%d (%d), want the failure's 483-484", got.Failing.Start, got.Failing.End, len(got.Lines))
			}
			var ctx []int
			for _, l := range got.Context {
				ctx = append(ctx, l.N)
			}
			if !slices.Equal(ctx, tt.context) {
				t.Errorf("context %v, want %v", ctx, tt.context)
			}
		})
	}
}

// TestAddTestsDidNotRun: the largest group of tests that did not run ranks
// just below the failed test that stopped them; smaller groups stay at
// their own score; with no failed test, none is raised.
func TestAddTestsDidNotRun(t *testing.T) {
	didNotRun := func(suite string, n int) Finding {
		return Finding{Kind: Test, Score: 0.4, Summary: suite, Test: &TestChange{Change: "did-not-run", Suite: suite, Count: n}}
	}
	flipped := Finding{Kind: Test, Score: 0.7, Summary: "up", Test: &TestChange{Change: "flipped", Suite: "e2e.go", Name: "Up"}}
	flaky := Finding{Kind: Test, Score: 0.6, Summary: "up", Test: &TestChange{Change: "flipped", Suite: "e2e.go", Name: "Up", Flaky: true}}
	for _, tt := range []struct {
		name  string
		tests []Finding
		want  map[string]float64
	}{
		{"after a failed test", []Finding{flipped, didNotRun("e2e", 24), didNotRun("wrapper", 1)}, map[string]float64{"e2e": 0.69, "wrapper": 0.4}},
		{"after a flaky one", []Finding{flaky, didNotRun("e2e", 24)}, map[string]float64{"e2e": 0.4}},
		{"alone", []Finding{didNotRun("e2e", 24)}, map[string]float64{"e2e": 0.4}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := &Report{}
			r.AddTests(tt.tests)
			for _, f := range r.Findings {
				if want, ok := tt.want[f.Summary]; ok && f.Score != want {
					t.Errorf("%s scores %v, want %v", f.Summary, f.Score, want)
				}
			}
		})
	}
}

// TestAddTestsEchoesNotShared: two failed tests whose traces share frames
// (every JUnit trace ends in ParentRunner.java:366) keep their own log
// lines: a frame is not a place a failure is stated at, and a test's own
// lines are never taken as another's echo.
func TestAddTestsEchoesNotShared(t *testing.T) {
	frame := "\tat org.junit.runners.ParentRunner.runLeaf(ParentRunner.java:366)"
	logAt := func(n int, msg string) Finding {
		return Finding{Kind: New, Score: 0.8, Summary: "new: " + msg, Failing: Range{Start: n, End: n + 1},
			Lines: []Line{{Side: SideFailing, N: n, Text: "java.lang.AssertionError: " + msg}, {Side: SideFailing, N: n + 1, Text: frame}}}
	}
	test := func(name, msg string) Finding {
		return Finding{Kind: Test, Score: 0.9, Summary: name, Test: &TestChange{Change: "flipped", Suite: "s", Name: name,
			Message: msg, Text: "java.lang.AssertionError: " + msg + "\n" + frame}}
	}
	r := &Report{Findings: []Finding{logAt(100, "expected 1 but was 2"), logAt(120, "expected a but was b")}}
	r.AddTests([]Finding{test("testA", "expected 1 but was 2"), test("testB", "expected a but was b")})
	if len(r.Findings) != 2 {
		t.Fatalf("%d findings, want the two tests", len(r.Findings))
	}
	for _, f := range r.Findings {
		want := map[string]int{"testA": 100, "testB": 120}[f.Test.Name]
		if f.Failing.Start != want || len(f.Context) != 0 {
			t.Errorf("%s holds lines from %d with %d lines of context; want its own, from %d, and none", f.Test.Name, f.Failing.Start, len(f.Context), want)
		}
	}
}

// TestAddTestsSummaryEcho: a runner's summary that names the failed test
// (far from its failure) joins the test; a summary of another test, or a
// line naming it without a failure, does not.
func TestAddTestsSummaryEcho(t *testing.T) {
	name := "container should have readOnly permissions on hostMapPath"
	newAt := func(n int, text string) Finding {
		return Finding{Kind: New, Score: 0.8, Summary: text, Failing: Range{Start: n, End: n}, Lines: []Line{{Side: SideFailing, N: n, Text: text}}}
	}
	r := &Report{Findings: []Finding{
		newAt(483, `[FAILED] pod wrote to the read-only volume`),
		newAt(1078, "  [FAIL] [sig-windows] "+name),
		newAt(1090, "  [FAIL] [sig-windows] container should have write permissions on hostPath"),
		newAt(2000, "Ran: "+name),
	}}
	r.AddTests([]Finding{{Kind: Test, Score: 0.9, Summary: "t", Test: &TestChange{Change: "flipped", Suite: "e2e", Name: name,
		Message: "pod wrote to the read-only volume"}}})
	var kept []int
	var ctx []int
	for _, f := range r.Findings {
		if f.Kind == Test {
			for _, l := range f.Context {
				ctx = append(ctx, l.N)
			}
			continue
		}
		kept = append(kept, f.Failing.Start)
	}
	if !slices.Equal(ctx, []int{1078}) || !slices.Equal(kept, []int{1090, 2000}) {
		t.Errorf("the test's context %v, findings left at %v; want [1078] and [1090 2000]", ctx, kept)
	}
}

// TestAddTestsSummaryEchoNames: a summary line is a test's echo only when
// it names that test whole (not a longer name it begins), and a summary
// of several failed tests is no one test's echo.
func TestAddTestsSummaryEchoNames(t *testing.T) {
	a, b := "test_create_user_in_database", "test_delete_user_in_database"
	newAt := func(n int, texts ...string) Finding {
		f := Finding{Kind: New, Score: 0.8, Summary: texts[0], Failing: Range{Start: n, End: n + len(texts) - 1}}
		for i, s := range texts {
			f.Lines = append(f.Lines, Line{Side: SideFailing, N: n + i, Text: s})
		}
		return f
	}
	test := func(name, msg string) Finding {
		return Finding{Kind: Test, Score: 0.9, Summary: name, Test: &TestChange{Change: "flipped", Suite: "s", Name: name, Message: msg}}
	}
	for _, tt := range []struct {
		name    string
		summary Finding
		joined  bool
	}{
		{"names it whole", newAt(900, "FAILED tests/test_users.py::"+a+" - IntegrityError"), true},
		{"a longer name", newAt(900, "FAILED tests/test_users.py::"+a+"_twice - IntegrityError"), false},
		{"several failures", newAt(900, "FAILED tests/test_users.py::"+a+" - IntegrityError", "FAILED tests/test_users.py::"+b+" - KeyError"), false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := &Report{Findings: []Finding{newAt(100, "IntegrityError: duplicate key"), newAt(200, "KeyError: 'user'"), tt.summary}}
			r.AddTests([]Finding{test(a, "IntegrityError: duplicate key"), test(b, "KeyError: 'user'")})
			left := 0
			for _, f := range r.Findings {
				if f.Kind == New {
					left++
				}
			}
			if joined := left == 0; joined != tt.joined {
				t.Errorf("summary joined a test: %v, want %v (findings: %d new left)", joined, tt.joined, left)
			}
		})
	}
}
