package compare_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/logdiff/logdiff/cmd/internal/compare"
	"github.com/logdiff/logdiff/fetch"
	"github.com/logdiff/logdiff/logdiff"
)

const sampleJob = "ci-kubernetes-e2e-windows-gce"

// sampleRuns selects the bundled sample's newest failing run and n
// passing runs, with the artifacts matching globs, as logdiff job does.
func sampleRuns(t *testing.T, n int, globs ...string) *compare.Runs {
	t.Helper()
	ctx := context.Background()
	store, err := fetch.OpenDir(filepath.Join("..", "..", "..", "testdata", "bucket"))
	if err != nil {
		t.Fatal(err)
	}
	fe := &fetch.Fetcher{Store: store}
	sel, err := fe.Select(ctx, fetch.Query{Job: sampleJob, Baselines: n})
	if err != nil {
		t.Fatal(err)
	}
	choices := append([]fetch.Choice{sel.Failing}, sel.Baselines...)
	var builds []fetch.Build
	for _, c := range choices {
		builds = append(builds, c.Build)
	}
	runs, err := fe.Materialize(ctx, t.TempDir(), builds, globs)
	if err != nil {
		t.Fatal(err)
	}
	rr := &compare.Runs{Failing: runs[0], Baselines: runs[1:]}
	for _, c := range choices {
		rr.Reasons = append(rr.Reasons, c.Reason)
		rr.URLs = append(rr.URLs, "https://prow.example/view/gs/b/logs/"+sampleJob+"/"+c.Build.ID)
	}
	return rr
}

// TestCompareSample: the log's findings and the configuration's are ranked
// together, the cause on top; an environment variable the log shows
// missing is not told again by the configuration; reasons and URLs reach
// the report.
func TestCompareSample(t *testing.T) {
	rr := sampleRuns(t, 3)
	r, err := compare.Compare(context.Background(), rr, logdiff.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if f := r.Findings[0]; f.Kind != logdiff.Missing || !strings.Contains(f.Summary, "KUBERNETES_NODE_PLATFORM") {
		t.Errorf("top finding: %s %s", f.Kind, f.Summary)
	}
	var label bool
	for i, f := range r.Findings {
		if f.Rank != i+1 {
			t.Errorf("finding %d has rank %d: not ranked together", i, f.Rank)
		}
		if f.UnsetEnv() {
			for _, s := range f.Settings {
				if s.Key == "KUBERNETES_NODE_PLATFORM" {
					t.Errorf("KUBERNETES_NODE_PLATFORM told twice: by the log and by %q", f.Summary)
				}
			}
		}
		if f.Kind == logdiff.Config && f.Config.Key == "label preset-windows-gce" {
			label = true
		}
	}
	if !label {
		t.Error("the removed preset label is not a finding")
	}
	if len(r.Commits) != 1 || r.Commits[0].Repo != "kubernetes/kubernetes" || r.Commits[0].BaselineSHA == r.Commits[0].FailingSHA ||
		!strings.HasPrefix(r.Commits[0].CompareURL, "https://github.com/kubernetes/kubernetes/compare/"+r.Commits[0].BaselineSHA+"...") {
		t.Errorf("commits: %+v", r.Commits)
	}
	if r.Failing.Reason != rr.Reasons[0] || r.Failing.URL != rr.URLs[0] || len(r.Baselines) != 3 || r.Baselines[2].URL != rr.URLs[3] {
		t.Errorf("runs: failing %+v, baselines %+v", r.Failing, r.Baselines)
	}
}

// TestCompareArtifacts: artifact files are paired across runs although
// their node names differ, their findings name the files on both sides and
// the baseline run they were placed against, and the same difference in
// several files is one finding.
func TestCompareArtifacts(t *testing.T) {
	rr := sampleRuns(t, 2, "artifacts/*/serial-1.log")
	if len(rr.Failing.Artifacts) == 0 {
		t.Fatal("the sample's failing run has no serial-1.log")
	}
	r, err := compare.Compare(context.Background(), rr, logdiff.Options{})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	n := 0
	for _, f := range r.Findings {
		if f.Log == "" {
			continue
		}
		n++
		if !strings.HasPrefix(f.Log, "artifacts/") || !strings.HasSuffix(f.Log, "serial-1.log") || !strings.HasPrefix(f.Summary, f.Log+": ") {
			t.Errorf("artifact finding names %q: %s", f.Log, f.Summary)
		}
		if f.Baseline != nil {
			b := rr.Baselines[f.Baseline.Index]
			if !slices.Contains(b.Artifacts, f.BaselineLog) {
				t.Errorf("baseline file %q is not an artifact of baseline %d", f.BaselineLog, f.Baseline.Index)
			}
		}
		if seen[f.Key] {
			t.Errorf("the same difference twice: %s", f.Key)
		}
		seen[f.Key] = true
	}
	if n == 0 {
		t.Error("no finding in the artifacts")
	}
}

// localRun writes files (slash paths relative to the run's directory) into
// a new directory and returns the run, its artifacts every file below
// artifacts/.
func localRun(t *testing.T, id string, files map[string][]byte) fetch.LocalRun {
	t.Helper()
	dir := t.TempDir()
	r := fetch.LocalRun{Build: fetch.Build{Job: "job", ID: id}, Dir: dir, Log: filepath.Join(dir, "build-log.txt")}
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, body, 0o644); err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(name, "artifacts/") {
			r.Artifacts = append(r.Artifacts, name)
		}
	}
	slices.Sort(r.Artifacts)
	return r
}

// TestCompareArtifactTrouble: an artifact that cannot be compared (a
// truncated gzip, one over --max-bytes, one gone) on either side is left
// out with a warning naming it, and the other artifacts are compared; only
// a cancelled context stops the comparison.
func TestCompareArtifactTrouble(t *testing.T) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(strings.Repeat("serial console line\n", 200)))
	zw.Close()
	truncated := gz.Bytes()[:gz.Len()/2]
	large := []byte(strings.Repeat("a line of a large artifact\n", 200)) // over the limit below
	const (
		good = "artifacts/node-a/serial-1.log"
		bad  = "artifacts/node-b/serial-1.log"
	)
	log := []byte("starting\nrunning tests\ndone\n")
	goodPass := []byte("boot\nkubelet started\nnode ready\n")
	goodFail := []byte("boot\nkubelet crashed: out of memory\n")
	for _, tc := range []struct {
		name          string
		failing, pass []byte // the bad artifact on each side; failing nil: listed but gone
	}{
		{"truncated gzip in the failing run", truncated, goodPass},
		{"truncated gzip in a baseline", goodFail, truncated},
		{"over the byte limit", large, goodPass},
		{"gone from the disk", nil, goodPass},
	} {
		t.Run(tc.name, func(t *testing.T) {
			failFiles := map[string][]byte{"build-log.txt": log, good: goodFail}
			if tc.failing != nil {
				failFiles[bad] = tc.failing
			}
			failing := localRun(t, "2", failFiles)
			if tc.failing == nil {
				failing.Artifacts = append(failing.Artifacts, bad) // listed, then lost
			}
			rr := &compare.Runs{
				Failing:   failing,
				Baselines: []fetch.LocalRun{localRun(t, "1", map[string][]byte{"build-log.txt": log, good: goodPass, bad: tc.pass})},
				Reasons:   []string{"failing", "passing"},
				URLs:      []string{"", ""},
			}
			var warnings []string
			rr.Warn = func(s string) { warnings = append(warnings, s) }
			opts := logdiff.Options{Scan: logdiff.ScanOptions{MaxBytes: 1000}}
			r, err := compare.Compare(context.Background(), rr, opts)
			if err != nil {
				t.Fatalf("Compare: %v (one bad artifact must not stop the comparison)", err)
			}
			if len(warnings) != 1 || !strings.Contains(warnings[0], "node-b/serial-1.log") {
				t.Errorf("warnings %q, want one naming %s", warnings, bad)
			}
			var found bool
			for _, f := range r.Findings {
				found = found || f.Log == good
				if f.Log == bad {
					t.Errorf("a finding in the bad artifact: %s", f.Summary)
				}
			}
			if !found {
				t.Errorf("no finding in %s, the artifact that could be compared", good)
			}
		})
	}
	t.Run("cancelled", func(t *testing.T) {
		// The first artifact (node-a) is bad; its warning cancels the
		// context, which stops the comparison of the second.
		rr := &compare.Runs{
			Failing:   localRun(t, "2", map[string][]byte{"build-log.txt": log, "artifacts/node-a/serial-1.log": truncated, bad: goodFail}),
			Baselines: []fetch.LocalRun{localRun(t, "1", map[string][]byte{"build-log.txt": log, "artifacts/node-a/serial-1.log": goodPass, bad: goodPass})},
			Reasons:   []string{"failing", "passing"},
			URLs:      []string{"", ""},
		}
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		rr.Warn = func(string) { cancel() }
		if _, err := compare.Compare(ctx, rr, logdiff.Options{}); !errors.Is(err, context.Canceled) {
			t.Errorf("Compare with a cancelled context: %v, want context.Canceled", err)
		}
	})
}

// TestCompareTestsUnread: when the failing run's test results could not
// be found (attach's $ARTIFACTS unreadable), its tests are not compared:
// the baselines' passing tests would otherwise read as tests that did not
// run. With its results known to be absent they are that finding.
func TestCompareTestsUnread(t *testing.T) {
	run := func(name, junitXML string) fetch.LocalRun {
		dir := filepath.Join(t.TempDir(), name)
		if err := os.MkdirAll(filepath.Join(dir, "artifacts"), 0o755); err != nil {
			t.Fatal(err)
		}
		r := fetch.LocalRun{Build: fetch.Build{Job: "j", ID: name}, Dir: dir, Log: filepath.Join(dir, "build-log.txt")}
		if err := os.WriteFile(r.Log, []byte("step one\nstep two\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if junitXML != "" {
			r.JUnit = []string{"artifacts/junit_01.xml"}
			if err := os.WriteFile(filepath.Join(dir, "artifacts", "junit_01.xml"), []byte(junitXML), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return r
	}
	passed := `<testsuite name="e2e"><testcase classname="e2e" name="works"/></testsuite>`
	for _, tc := range []struct {
		name   string
		unread bool
		tests  int
	}{
		{"no results", false, 1},
		{"results unread", true, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rr := &compare.Runs{Failing: run("2", ""), Baselines: []fetch.LocalRun{run("1", passed)},
				Reasons: []string{"", ""}, URLs: []string{"", ""}}
			rr.Failing.JUnitIncomplete = tc.unread
			r, err := compare.Compare(context.Background(), rr, logdiff.Options{})
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, f := range r.Findings {
				if f.Kind == logdiff.Test {
					n++
				}
			}
			if n != tc.tests {
				t.Errorf("%d test findings, want %d: %+v", n, tc.tests, r.Findings)
			}
		})
	}
}
