package main

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/logdiff/logdiff/logdiff"
	"github.com/logdiff/logdiff/logdiff/junit"
)

// runCases parses every JUnit file of the run in dir.
func runCases(t *testing.T, g generated, dir string) ([]junit.Case, []string) {
	t.Helper()
	var cases []junit.Case
	var names []string
	for p, b := range g.files {
		rel, ok := strings.CutPrefix(p, dir+"/artifacts/")
		if !ok || !strings.HasPrefix(filepath.Base(rel), "junit") {
			continue
		}
		cs, err := junit.Parse(bytes.NewReader(b), p, junit.Options{})
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, cs...)
		names = append(names, rel)
	}
	slices.Sort(names)
	return cases, names
}

// TestJUnitFiles checks which runs have which JUnit files and what they
// say: junit_runner.xml for every finished run, with the step that failed;
// Ginkgo's junit_01.xml where the suite ran to its end, with every spec
// the log says ran, and the failed one's message.
func TestJUnitFiles(t *testing.T) {
	g := generate(t)
	for _, r := range g.runs {
		t.Run(r.dir, func(t *testing.T) {
			cases, names := runCases(t, g, r.dir)
			var want []string
			switch {
			case r.spec.outcome == success || r.spec.flip != "":
				want = []string{"junit_01.xml", "junit_runner.xml"}
			case r.spec.outcome != running:
				want = []string{"junit_runner.xml"}
			}
			if !slices.Equal(names, want) {
				t.Fatalf("JUnit files %v, want %v", names, want)
			}
			byStatus := map[string][]string{}
			for _, c := range cases {
				byStatus[c.Group()+" "+c.Status.String()] = append(byStatus[c.Group()+" "+c.Status.String()], c.Name)
			}
			log := string(g.files[r.dir+"/build-log.txt"])
			switch {
			case r.spec.outcome == success:
				if n := len(byStatus["Kubernetes e2e suite passed"]); n != 24 || len(byStatus["Kubernetes e2e suite failed"]) != 0 {
					t.Errorf("e2e suite: %d passed, %v failed; want 24 and none", n, byStatus["Kubernetes e2e suite failed"])
				}
				if len(byStatus["e2e.go failed"]) != 0 {
					t.Errorf("kubetest steps failed: %v", byStatus["e2e.go failed"])
				}
			case r.spec.flip != "":
				if got := byStatus["Kubernetes e2e suite failed"]; !slices.Equal(got, []string{r.spec.flip}) || len(byStatus["Kubernetes e2e suite passed"]) != 23 {
					t.Errorf("e2e suite: failed %v, %d passed; want %q and 23", got, len(byStatus["Kubernetes e2e suite passed"]), r.spec.flip)
				}
				if got := byStatus["e2e.go failed"]; !slices.Equal(got, []string{"Test"}) {
					t.Errorf("kubetest steps failed: %v, want [Test]", got)
				}
				for _, c := range cases {
					if c.Status != junit.Failed || c.Group() != "Kubernetes e2e suite" {
						continue
					}
					// The failure's own lines are in the build log.
					lines := junit.LogLines(c.Message, c.Text, 3)
					if len(lines) == 0 || !strings.Contains(lines[0], "wrote to the read-only hostMapPath volume") {
						t.Errorf("LogLines = %q", lines)
					}
					for _, l := range lines {
						if !strings.Contains(log, l) {
							t.Errorf("failure line %q is not in the build log", l)
						}
					}
					if !strings.Contains(c.SystemErr, "STEP: Creating a kubernetes client") {
						t.Errorf("failed spec without its timeline: %.200q", c.SystemErr)
					}
				}
			case r.spec.outcome == failure:
				if got := byStatus["e2e.go failed"]; !slices.Equal(got, []string{"Up"}) {
					t.Errorf("kubetest steps failed: %v, want [Up]", got)
				}
			}
			// Every spec the log reports ran is in junit_01.xml, and passed
			// or failed as the log says.
			for _, c := range cases {
				if c.Group() != "Kubernetes e2e suite" || c.Status == junit.Skipped {
					continue
				}
				if !strings.Contains(log, "\n"+c.Name+"\n") {
					t.Errorf("junit_01.xml has %q, which the log does not report", c.Name)
				}
			}
		})
	}
}

func sampleRun(t *testing.T, g generated, job string, pick func(runSpec) bool) []genRun {
	t.Helper()
	var out []genRun
	for _, r := range g.runs {
		if r.spec.job() == job && pick(r.spec) {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		t.Fatalf("no such run of %s", job)
	}
	return out
}

// TestJUnitStories compares the JUnit results of each story's failing
// run with its passing runs': the Windows job's suite did not run; the
// containerd job's one spec flipped.
func TestJUnitStories(t *testing.T) {
	g := generate(t)
	brief := func(chs []junit.Change) []string {
		var out []string
		for _, c := range chs {
			s := fmt.Sprintf("%s %s: %s", c.Kind, c.Group, c.Name)
			if c.Kind == junit.DidNotRun {
				s = fmt.Sprintf("%s %s: %d", c.Kind, c.Group, c.Count)
			}
			out = append(out, s)
		}
		return out
	}
	for _, tc := range []struct {
		job  string
		want []string
	}{
		{periodicJob, []string{"flipped e2e.go: Up", "did-not-run Kubernetes e2e suite: 24", "did-not-run e2e.go: 1"}},
		{containerdJob, []string{"flipped Kubernetes e2e suite: " + hostMapSpec, "flipped e2e.go: Test"}},
	} {
		t.Run(tc.job, func(t *testing.T) {
			fail := sampleRun(t, g, tc.job, func(s runSpec) bool { return s.outcome == failure })
			pass := sampleRun(t, g, tc.job, func(s runSpec) bool { return s.outcome == success && s.branch == "master" })
			var baselines [][]junit.Case
			for _, p := range pass[len(pass)-3:] {
				cs, _ := runCases(t, g, p.dir)
				baselines = append(baselines, cs)
			}
			now, _ := runCases(t, g, fail[len(fail)-1].dir)
			if got := brief(junit.Compare(baselines, now, junit.CompareOptions{})); !slices.Equal(got, tc.want) {
				t.Errorf("got\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(tc.want, "\n\t"))
			}
			// Passing runs against each other: nothing.
			for i := 1; i < len(baselines); i++ {
				if chs := junit.Compare(baselines[:i], baselines[i], junit.CompareOptions{}); len(chs) > 0 {
					t.Errorf("passing runs differ: %v", brief(chs))
				}
			}
		})
	}
}

// TestContainerdStoryLogs diffs the committed containerd job's build logs:
// its passing runs find nothing against each other, and its failing run's
// findings are the failed spec's and the verdicts it causes, the spec's
// own failure message among the first.
func TestContainerdStoryLogs(t *testing.T) {
	g := generate(t)
	pass := sampleRun(t, g, containerdJob, func(s runSpec) bool { return s.outcome == success })
	fail := sampleRun(t, g, containerdJob, func(s runSpec) bool { return s.outcome == failure })[0]
	in := func(r genRun) logdiff.Input {
		return logdiff.FileInput(filepath.Join(committed, filepath.FromSlash(r.dir), "build-log.txt"))
	}
	ctx := context.Background()
	for i, a := range pass {
		for _, b := range pass[i+1:] {
			rep, err := logdiff.Diff(ctx, in(b), []logdiff.Input{in(a)}, logdiff.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Findings) > 0 {
				t.Errorf("%s vs %s: %d findings, first: %s", a.dir, b.dir, len(rep.Findings), rep.Findings[0].Summary)
			}
		}
	}
	var bs []logdiff.Input
	for _, p := range pass {
		bs = append(bs, in(p))
	}
	rep, err := logdiff.Diff(ctx, in(fail), bs, logdiff.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Every finding is about the failure: its spec (the steps it never
	// reached too), the suite's verdict, kubetest's and the runner's exit.
	about := regexp.MustCompile(`FAIL|Failed|hostMapPath|\[FAILED\]|Something went wrong|Traceback|File "|raise |main\(|mode\.start|check_env|check_call|CalledProcessError|exit code: 1|Exiting 1|dump namespace|events|dump\.go|delete the pod|to disappear|no longer exists`)
	msgRank := 0
	for _, f := range rep.Findings {
		text := f.Summary
		for _, l := range f.Lines {
			text += "\n" + l.Text
		}
		if !about.MatchString(text) {
			t.Errorf("finding #%d is not about the failed spec: %s", f.Rank, f.Summary)
		}
		if msgRank == 0 && strings.Contains(text, "wrote to the read-only hostMapPath volume") {
			msgRank = f.Rank
		}
	}
	if msgRank == 0 || msgRank > 5 {
		t.Errorf("the failure message ranks %d, want it in the top 5", msgRank)
	}
}
