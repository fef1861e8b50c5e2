package sweep_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/logdiff/logdiff/cmd/internal/sweep"
	"github.com/logdiff/logdiff/fetch"
	"github.com/logdiff/logdiff/logdiff/regressions"
)

// defaultCounts is the generated sweep of the tests: 36 jobs.
var defaultCounts = map[kind]int{shared: 12, own: 6, flaky: 4, allFailing: 2, noLog: 2, badGzip: 2, passing: 6, running: 2}

var testNow = time.Date(2025, 2, 12, 3, 0, 0, 0, time.UTC)

// stores lays the scenario out as a local directory and in a fake GCS.
func stores(t *testing.T, s *scenario) map[string]struct {
	store fetch.Store
	src   fetch.Source
} {
	dir := t.TempDir()
	writeDir(t, dir, s.bucket)
	ds, err := fetch.OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	return map[string]struct {
		store fetch.Store
		src   fetch.Source
	}{
		"dir": {ds, fetch.Source{Kind: fetch.KindLocal, Root: dir}},
		"gcs": {fakeGCS(t, s.bucket), fetch.Source{Kind: fetch.KindGCS, Bucket: bucketName}},
	}
}

// TestSweep sweeps the generated jobs from a directory and from a fake
// GCS: the shared cause is one regression naming all its jobs, jobs that
// broke by themselves are one regression each, unreadable jobs are
// recorded and the sweep goes on, flaky and passing jobs are no
// regression.
func TestSweep(t *testing.T) {
	sc := genScenario(defaultCounts, 40)
	for name, st := range stores(t, sc) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			cfg := &sweep.Config{Prefixes: []string{"logs/ci-sweep-", "pr-logs/directory/"}, Exclude: []string{"*-green-05"}}
			jobs, err := sweep.Discover(ctx, st.store, cfg)
			if err != nil {
				t.Fatal(err)
			}
			want := slices.DeleteFunc(slices.Clone(sc.all), func(j string) bool { return strings.HasSuffix(j, "-green-05") })
			if !slices.Equal(jobs, want) {
				t.Fatalf("Discover = %d jobs %v\nwant %d %v", len(jobs), jobs, len(want), want)
			}
			sw := newSweeper(t, st.store, st.src)
			records, err := sw.Run(ctx, jobs)
			if err != nil {
				t.Fatal(err)
			}
			if len(records) != len(jobs) {
				t.Fatalf("%d records for %d jobs", len(records), len(jobs))
			}
			rs := byJob(records)
			wantStatus := map[kind]regressions.Status{shared: regressions.Regressed, own: regressions.Regressed, flaky: regressions.Passing,
				allFailing: regressions.Failing, noLog: regressions.Unreadable, badGzip: regressions.Unreadable, passing: regressions.Passing, running: regressions.NoRuns}
			for k, js := range sc.jobs {
				for _, j := range js {
					r, ok := rs[j]
					if !ok {
						continue // excluded
					}
					if r.Status != wantStatus[k] {
						t.Errorf("%s: status %s (error %q), want %s", j, r.Status, r.Error, wantStatus[k])
					}
				}
			}
			// The transition: the first failing run after the newest pass.
			for _, j := range append(slices.Clone(sc.jobs[shared]), sc.jobs[own]...) {
				r := rs[j]
				if r.Failing == nil || r.Failing.Build != "1003" || r.Newest.Build != "1004" || r.FailingRuns != 2 {
					t.Errorf("%s: failing %+v newest %+v runs %d, want 1003, 1004, 2", j, r.Failing, r.Newest, r.FailingRuns)
				}
				if len(r.Baselines) != 2 || r.Baselines[0].Build != "1002" || r.Baselines[1].Build != "1001" {
					t.Errorf("%s: baselines %+v, want 1002 and 1001", j, r.Baselines)
				}
			}
			for _, j := range append(slices.Clone(sc.jobs[noLog]), sc.jobs[badGzip]...) {
				r := rs[j]
				if !strings.Contains(r.Error, j) || r.Failing == nil || r.Failing.Build != "1003" {
					t.Errorf("%s: unreadable with error %q and failing run %+v: want an error naming the job, and the run", j, r.Error, r.Failing)
				}
			}
			for _, j := range sc.jobs[flaky] {
				if r := rs[j]; len(r.Skipped) != 1 || !strings.Contains(r.Skipped[0], j+"/1004") || r.Newest == nil || r.Newest.Build != "1003" {
					t.Errorf("%s: skipped %q, newest %+v: want build 1004 passed over (bad finished.json) and 1003 newest", j, r.Skipped, r.Newest)
				}
			}
			if r := rs[sc.jobs[allFailing][0]]; r.Failing.Build != "1001" || r.FailingRuns != 4 {
				t.Errorf("always failing: failing %+v, %d runs; want 1001, 4", r.Failing, r.FailingRuns)
			}

			s := regressions.Summarize(records, 3, nil, testNow)
			if len(s.Regressions) != 1+len(sc.jobs[own]) {
				for _, g := range s.Regressions {
					t.Logf("regression %q: %v", g.Key, g.JobNames())
				}
				t.Fatalf("%d regressions, want the shared one and %d of their own", len(s.Regressions), len(sc.jobs[own]))
			}
			top := s.Regressions[0]
			if got, want := top.JobNames(), sortedCopy(sc.jobs[shared]); !slices.Equal(got, want) {
				t.Errorf("first regression %q has jobs %v, want the %d jobs of the shared cause %v", top.Key, got, len(want), want)
			}
			if !strings.Contains(top.Key, "KUBERNETES_NODE_PLATFORM") && !strings.Contains(top.Key, "kubernetes-node-windows-amd64.tar.gz") {
				t.Errorf("shared regression's key %q names neither the variable nor the download", top.Key)
			}
			evidence := top.Summary
			for _, sh := range top.Shared {
				evidence += "\n" + sh.Summary
			}
			for _, l := range top.Evidence {
				evidence += "\n" + l.Text
			}
			if !strings.Contains(evidence, "KUBERNETES_NODE_PLATFORM") || !strings.Contains(evidence, "kubernetes-node-windows-amd64.tar.gz") {
				t.Errorf("shared regression's evidence lacks the variable or the download:\n%s", evidence)
			}
			for _, j := range top.Jobs {
				if j.Failing.URL == "" || (name == "gcs" && !strings.HasPrefix(j.Failing.URL, "https://prow.k8s.io/view/gs/"+bucketName+"/")) {
					t.Errorf("%s: run URL %q", j.Job, j.Failing.URL)
				}
			}
			for i, g := range s.Regressions[1:] {
				if len(g.Jobs) != 1 || !g.New {
					t.Errorf("regression %d: %v new=%v, want one job, new", i+2, g.JobNames(), g.New)
				}
				if !slices.ContainsFunc(ownCauses, func(c string) bool { return strings.Contains(g.Summary, c) }) {
					t.Errorf("regression %d of %v: summary %q is not the job's own cause", i+2, g.JobNames(), g.Summary)
				}
			}
			if len(s.Unreadable) != 4 || len(s.Failing) != 2 || s.Counts.Passing != len(sc.jobs[flaky])+len(sc.jobs[passing])-1 || s.Counts.NoRuns != 2 {
				t.Errorf("summary counts %+v, %d unreadable, %d failing", s.Counts, len(s.Unreadable), len(s.Failing))
			}
		})
	}
}
