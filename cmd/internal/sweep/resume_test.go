package sweep_test

import (
	"context"
	"encoding/json"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/logdiff/logdiff/cmd/internal/sweep"
	"github.com/logdiff/logdiff/fetch"
	"github.com/logdiff/logdiff/logdiff/regressions"
	"github.com/logdiff/logdiff/logdiff/report"
)

// resumeScenario is a smaller sweep for the resume tests: 20 jobs, 13 of
// them compared.
var resumeCounts = map[kind]int{shared: 8, own: 4, flaky: 2, allFailing: 1, noLog: 1, passing: 3, running: 1}

// cleanSummary is the summary of an uninterrupted sweep, for comparison.
func cleanSummary(t *testing.T, dir string, jobs []string) string {
	t.Helper()
	store, _ := fetch.OpenDir(dir)
	sw := newSweeper(t, store, fetch.Source{Kind: fetch.KindLocal, Root: dir})
	rs, err := sw.Run(context.Background(), jobs)
	if err != nil {
		t.Fatal(err)
	}
	return summaryJSON(t, regressions.Summarize(rs, 3, nil, testNow))
}

// resumeAndCheck sweeps again with the state in stateDir and checks that
// nothing was lost or done twice: every comparison is in the state once,
// the comparisons the stopped sweep made are reused and not made again,
// and the summary is the uninterrupted sweep's.
func resumeAndCheck(t *testing.T, dir, stateDir string, jobs []string, comparedBefore map[string]bool, want string) {
	t.Helper()
	store, _ := fetch.OpenDir(dir)
	st, err := sweep.OpenState(stateDir, sweep.Whole)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	recs := filepath.Join(t.TempDir(), "records.jsonl")
	out, err := sweep.CreateRecords(recs, sweep.Whole)
	if err != nil {
		t.Fatal(err)
	}
	sw := newSweeper(t, store, fetch.Source{Kind: fetch.KindLocal, Root: dir})
	sw.State, sw.Out = st, out
	rs, err := sw.Run(context.Background(), jobs)
	if err != nil {
		t.Fatal(err)
	}
	if err := out.Finish(testNow); err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if r.Status != regressions.Regressed {
			continue
		}
		if r.Reused != comparedBefore[r.Job] {
			t.Errorf("%s: reused=%v, but compared before the stop: %v", r.Job, r.Reused, comparedBefore[r.Job])
		}
	}
	// Every transition compared once, in all of the state's lines.
	seen := map[string]int{}
	regressed := 0
	for _, r := range rs {
		if r.Status == regressions.Regressed {
			regressed++
		}
	}
	for _, l := range lines(t, filepath.Join(stateDir, "analyses-0-of-1.jsonl")) {
		var r regressions.Record
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("state line %q: %v", l, err)
		}
		seen[r.Job+"/"+r.Failing.Build]++
	}
	if len(seen) != regressed {
		t.Errorf("state holds %d transitions, the sweep has %d regressed jobs", len(seen), regressed)
	}
	for tr, n := range seen {
		if n != 1 {
			t.Errorf("transition %s compared %d times", tr, n)
		}
	}
	if n := len(lines(t, recs)); n != len(jobs) {
		t.Errorf("records file has %d lines, want %d jobs", n, len(jobs))
	}
	got := regressions.Summarize(rs, 3, nil, testNow)
	got.Counts.Reused = 0 // the only difference allowed
	if s := summaryJSON(t, got); s != want {
		t.Errorf("resumed summary differs from the uninterrupted one:\n%s\nwant\n%s", s, want)
	}
}

// TestResumeCancel stops a sweep by its context after some jobs are done,
// then resumes it.
func TestResumeCancel(t *testing.T) {
	sc := genScenario(resumeCounts, 30)
	dir := t.TempDir()
	writeDir(t, dir, sc.bucket)
	want := cleanSummary(t, dir, sc.all)

	stateDir := t.TempDir()
	st, err := sweep.OpenState(stateDir, sweep.Whole)
	if err != nil {
		t.Fatal(err)
	}
	store, _ := fetch.OpenDir(dir)
	sw := newSweeper(t, store, fetch.Source{Kind: fetch.KindLocal, Root: dir})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sw.State, sw.Parallel = st, 2
	sw.Progress = func(done, _ int) {
		if done == 10 {
			cancel()
		}
	}
	rs, err := sw.Run(ctx, sc.all)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("stopped sweep: %v, want context.Canceled", err)
	}
	if len(rs) < 10 || len(rs) >= len(sc.all) {
		t.Fatalf("stopped sweep kept %d records of %d, want 10 or a few more", len(rs), len(sc.all))
	}
	st.Close()
	compared := map[string]bool{}
	for _, r := range rs {
		if r.Status == regressions.Regressed {
			compared[r.Job] = true
		}
	}
	if len(compared) == 0 {
		t.Fatal("the stopped sweep compared nothing: the test proves nothing")
	}
	resumeAndCheck(t, dir, stateDir, sc.all, compared, want)
}

// TestResumeKill kills a sweep process with SIGKILL after 11 records, then
// resumes it.
func TestResumeKill(t *testing.T) {
	sc := genScenario(resumeCounts, 30)
	dir := t.TempDir()
	writeDir(t, dir, sc.bucket)
	want := cleanSummary(t, dir, sc.all)

	stateDir := t.TempDir()
	recs := filepath.Join(t.TempDir(), "killed.jsonl")
	cmd := helper(t, "kill", dir, stateDir, recs, "11")
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("helper: %v, want killed by SIGKILL\n%s", err, out)
	}
	killed := lines(t, recs)
	if len(killed) != 11 {
		t.Fatalf("killed sweep wrote %d records, want 11", len(killed))
	}
	if _, err := sweep.ReadRecords([]string{recs}); err == nil || !strings.Contains(err.Error(), "not marked complete") {
		t.Errorf("the killed sweep's records read as complete: %v", err)
	}
	compared := map[string]bool{}
	for _, l := range lines(t, filepath.Join(stateDir, "analyses-0-of-1.jsonl")) {
		var r regressions.Record
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("state line after SIGKILL %q: %v", l, err)
		}
		compared[r.Job] = true
	}
	for _, l := range killed {
		var r regressions.Record
		json.Unmarshal([]byte(l), &r)
		if r.Status == regressions.Regressed && !compared[r.Job] {
			t.Errorf("%s: recorded as compared, but not in the state", r.Job)
		}
	}
	if len(compared) == 0 {
		t.Fatal("the killed sweep compared nothing: the test proves nothing")
	}
	resumeAndCheck(t, dir, stateDir, sc.all, compared, want)
}

// summaryJSON is a summary in its JSON form, to compare two summaries.
func summaryJSON(t *testing.T, s *regressions.Summary) string {
	t.Helper()
	var b strings.Builder
	if err := report.SummaryJSON(&b, s, report.Options{}); err != nil {
		t.Fatal(err)
	}
	return b.String()
}
