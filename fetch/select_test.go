package fetch

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/logdiff/logdiff/internal/prowtest"
)

// selectBucket lays out the jobs the selection tests share.
func selectBucket() prowtest.Bucket {
	b := prowtest.Bucket{}
	for id, result := range map[string]string{
		"95": "SUCCESS", "96": "SUCCESS", "97": "FAILURE", "98": "SUCCESS", "99": "ABORTED",
		"100": "SUCCESS", "101": "", "102": "FAILURE", "103": "FAILURE", "104": "SUCCESS", "105": "",
	} {
		b.Add(prowtest.Run{Job: "ci-win", ID: id, Result: result})
	}
	// Ids that sort wrongly as text: 9 > 10.
	for id, result := range map[string]string{"8": "SUCCESS", "9": "SUCCESS", "10": "FAILURE"} {
		b.Add(prowtest.Run{Job: "ci-numeric", ID: id, Result: result})
	}
	for id, result := range map[string]string{"1": "FAILURE", "2": "ABORTED", "3": "FAILURE", "4": ""} {
		b.Add(prowtest.Run{Job: "ci-broken", ID: id, Result: result})
	}
	for id := range []int{1, 2} {
		b.Add(prowtest.Run{Job: "ci-green", ID: string(rune('1' + id)), Result: "SUCCESS"})
	}
	for _, r := range []prowtest.Run{
		{ID: "200", Result: "SUCCESS", PR: 1, Repo: "kubernetes_kubernetes"},
		{ID: "201", Result: "SUCCESS", PR: 2, Repo: "kubernetes_kubernetes", BaseRef: "release-1.30"},
		{ID: "202", Result: "SUCCESS", PR: 3}, // the bucket's default repository: no repo in the path
		{ID: "203", Result: "FAILURE", PR: 4, Repo: "kubernetes_kubernetes", BaseRef: "release-1.30"},
		{ID: "204", Result: "FAILURE", PR: 5, Repo: "kubernetes_kubernetes"},
		{ID: "205", Result: "FAILURE", PR: 6, Repo: "kubernetes_kubernetes", BaseRef: "release-1.29"},
	} {
		r.Job, r.Presubmit = "pull-win", true
		b.Add(r)
	}
	return b
}

func ids(cs []Choice) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Build.ID)
	}
	return out
}

func TestSelect(t *testing.T) {
	store, err := OpenDir(prowtest.WriteDir(t, selectBucket()))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name          string
		q             Query
		failing       string
		failingReason string
		baselines     []string
		reasons       []string
	}{
		{
			name: "newest failure", q: Query{Job: "ci-win"},
			failing: "103", failingReason: "newest FAILURE (newer: 1 RUNNING, 1 SUCCESS)",
			baselines: []string{"100", "98", "96"},
			reasons: []string{
				"newest SUCCESS before 103 (skipped 1 FAILURE, 1 RUNNING)",
				"2nd newest SUCCESS before 103 (skipped 1 ABORTED)",
				"3rd newest SUCCESS before 103 (skipped 1 FAILURE)",
			},
		},
		{
			name: "given build", q: Query{Job: "ci-win", Build: "102", Baselines: 2},
			failing: "102", failingReason: "given build 102 (FAILURE)",
			baselines: []string{"100", "98"},
		},
		{
			name: "given passing build", q: Query{Job: "ci-win", Build: "98", Baselines: 1},
			failing: "98", failingReason: "given build 98 (SUCCESS)", baselines: []string{"96"},
		},
		{
			name: "numeric order", q: Query{Job: "ci-numeric"},
			failing: "10", baselines: []string{"9", "8"},
		},
		{
			name: "no baselines asked", q: Query{Job: "ci-win", Baselines: -1},
			failing: "103",
		},
		{
			name: "scan bound", q: Query{Job: "ci-win", Scan: 4},
			failing: "103", baselines: []string{"100"},
		},
		{
			name: "presubmit same base branch only", q: Query{Job: "pull-win", Build: "203", Baselines: 2},
			failing: "203", baselines: []string{"201"},
			reasons: []string{"newest SUCCESS before 203, same base branch release-1.30"},
		},
		{
			name: "presubmit other branches when the branch has no passing run", q: Query{Job: "pull-win", Build: "205", Baselines: 2},
			failing: "205", baselines: []string{"202", "201"},
			reasons: []string{
				"SUCCESS before 205 on base branch master, not release-1.29 (none on release-1.29 among 5 builds examined)",
				"SUCCESS before 205 on base branch release-1.30, not release-1.29 (none on release-1.29 among 5 builds examined)",
			},
		},
		{
			name: "presubmit on master", q: Query{Job: "pull-win", Build: "204"},
			failing: "204", baselines: []string{"202", "200"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &Fetcher{Store: store}
			sel, err := f.Select(context.Background(), tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if sel.Failing.Build.ID != tt.failing {
				t.Errorf("failing = %s (%s), want %s", sel.Failing.Build.ID, sel.Failing.Reason, tt.failing)
			}
			if tt.failingReason != "" && sel.Failing.Reason != tt.failingReason {
				t.Errorf("failing reason = %q, want %q", sel.Failing.Reason, tt.failingReason)
			}
			if got := ids(sel.Baselines); !slices.Equal(got, tt.baselines) {
				t.Errorf("baselines = %v, want %v", got, tt.baselines)
			}
			for i, want := range tt.reasons {
				if i < len(sel.Baselines) && sel.Baselines[i].Reason != want {
					t.Errorf("baseline %d reason = %q, want %q", i, sel.Baselines[i].Reason, want)
				}
			}
			// Chosen builds come with their metadata.
			for _, c := range append([]Choice{sel.Failing}, sel.Baselines...) {
				b := c.Build
				if b.Started == nil || b.prowJob == nil || b.Finished == nil {
					t.Errorf("build %s: metadata not loaded (started %v, prowjob %v, finished %v)", b.Name(), b.Started != nil, b.prowJob != nil, b.Finished != nil)
				}
				if b.Job != tt.q.Job || b.Dir == "" {
					t.Errorf("build %+v: want job %s and a directory", b, tt.q.Job)
				}
			}
		})
	}
}

func TestSelectErrors(t *testing.T) {
	store, err := OpenDir(prowtest.WriteDir(t, selectBucket()))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		q       Query
		is      error
		notFoud bool
		says    []string
	}{
		{"no such job", Query{Job: "ci-nope"}, ErrNoJob, false, []string{`"ci-nope"`, "logs/", "pr-logs/directory/"}},
		{"no passing run", Query{Job: "ci-broken"}, ErrNoPassingRun, false, []string{"ci-broken", "before build 3", "2 builds examined", "1 ABORTED", "1 FAILURE"}},
		{"no failing run", Query{Job: "ci-green"}, ErrNoFailingRun, false, []string{"ci-green", "2 newest builds", "2 SUCCESS"}},
		{"no such build", Query{Job: "ci-win", Build: "999"}, nil, true, []string{"build 999 of ci-win", "not found"}},
		{"job name with a slash", Query{Job: "logs/ci-win"}, nil, false, []string{`"logs/ci-win"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &Fetcher{Store: store}
			_, err := f.Select(context.Background(), tt.q)
			if err == nil {
				t.Fatal("Select succeeded, want an error")
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error %q is not %v", err, tt.is)
			}
			if tt.notFoud && !IsNotExist(err) {
				t.Errorf("error %q: IsNotExist false", err)
			}
			for _, s := range tt.says {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not say %q", err, s)
				}
			}
		})
	}
}

// TestSelectUnreadable: a build whose finished.json is garbage is skipped
// and counted, not fatal and not taken for a pass.
func TestSelectUnreadable(t *testing.T) {
	b := prowtest.Bucket{}
	for id, result := range map[string]string{"1": "SUCCESS", "2": "SUCCESS", "3": "FAILURE"} {
		b.Add(prowtest.Run{Job: "ci-x", ID: id, Result: result})
	}
	b["logs/ci-x/2/finished.json"] = prowtest.Object{Body: []byte("{not json")}
	store, err := OpenDir(prowtest.WriteDir(t, b))
	if err != nil {
		t.Fatal(err)
	}
	sel, err := (&Fetcher{Store: store}).Select(context.Background(), Query{Job: "ci-x"})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(sel.Baselines); !slices.Equal(got, []string{"1"}) {
		t.Errorf("baselines = %v, want [1]", got)
	}
	if r := sel.Baselines[0].Reason; !strings.Contains(r, "1 UNREADABLE") {
		t.Errorf("reason %q does not count the unreadable build", r)
	}
}

func TestSelectStreak(t *testing.T) {
	store, err := OpenDir(prowtest.WriteDir(t, selectBucket()))
	if err != nil {
		t.Fatal(err)
	}
	// ci-win, newest first: 105 running, 104 SUCCESS, 103 FAILURE, 102
	// FAILURE, 101 running, 100 SUCCESS, 99 ABORTED, 98 SUCCESS, 97
	// FAILURE, 96 SUCCESS, 95 SUCCESS. ci-broken: 4 running, 3 FAILURE,
	// 2 ABORTED, 1 FAILURE.
	tests := []struct {
		name                string
		q                   Query
		failing, reason     string
		first, pass, newest string // pass "" when none
		runs, total         int
		baselines           []string
	}{
		{name: "newest failure", q: Query{Job: "ci-win"},
			failing: "103", first: "102", pass: "100", newest: "103", runs: 2, total: 2,
			baselines: []string{"100", "98", "96"}},
		{name: "first failure", q: Query{Job: "ci-win", FirstFailure: true},
			failing: "102", reason: "first FAILURE after SUCCESS 100 (2 failing runs to 103)",
			first: "102", pass: "100", newest: "103", runs: 1, total: 2,
			baselines: []string{"100", "98", "96"}},
		{name: "given build in a streak", q: Query{Job: "ci-win", Build: "102"},
			failing: "102", first: "102", pass: "100", newest: "103", runs: 1, total: 2,
			baselines: []string{"100", "98", "96"}},
		{name: "given build, first failure", q: Query{Job: "ci-win", Build: "103", FirstFailure: true, Baselines: 1},
			failing: "102", first: "102", pass: "100", newest: "103", runs: 1, total: 2,
			baselines: []string{"100"}},
		{name: "a failure between passes", q: Query{Job: "ci-win", Build: "97", Baselines: 1},
			failing: "97", first: "97", pass: "96", newest: "97", runs: 1, total: 1,
			baselines: []string{"96"}},
		{name: "no pass found", q: Query{Job: "ci-broken", Baselines: -1, FirstFailure: true},
			failing: "1", reason: "oldest FAILURE in a row among 200 builds examined, no SUCCESS found before it (2 failing runs to 3)",
			first: "1", newest: "3", runs: 1, total: 2},
		{name: "scan bound", q: Query{Job: "ci-broken", Build: "3", Baselines: -1, Scan: 1},
			failing: "3", first: "3", newest: "3", runs: 1, total: 1},
		// Running: attach's own build, no finished.json yet, counted as
		// a failure.
		{name: "running, after a pass", q: Query{Job: "ci-win", Build: "105", Running: true, Baselines: 1},
			failing: "105", first: "105", pass: "104", newest: "105", runs: 1, total: 1,
			baselines: []string{"104"}},
		{name: "running, in a streak", q: Query{Job: "ci-broken", Build: "4", Running: true, Baselines: -1},
			failing: "4", first: "1", newest: "4", runs: 3, total: 3},
		// pull-win, newest first: 205 FAILURE (release-1.29), 204 FAILURE
		// (master), 203 FAILURE (release-1.30), 202 SUCCESS (master), 201
		// SUCCESS (release-1.30), 200 SUCCESS (master). A presubmit's
		// streak, like its baselines, is of its own base branch.
		{name: "presubmit on master", q: Query{Job: "pull-win", Build: "204", Baselines: -1},
			failing: "204", first: "204", pass: "202", newest: "204", runs: 1, total: 1},
		{name: "presubmit on a release branch", q: Query{Job: "pull-win", Build: "203", Baselines: -1},
			failing: "203", first: "203", pass: "201", newest: "203", runs: 1, total: 1},
		{name: "running, failures after it", q: Query{Job: "ci-win", Build: "101", Running: true, Baselines: 1},
			failing: "101", first: "101", pass: "100", newest: "103", runs: 1, total: 3,
			baselines: []string{"100"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sel, err := (&Fetcher{Store: store}).Select(context.Background(), tt.q)
			if err != nil {
				t.Fatal(err)
			}
			st := sel.Streak
			pass := ""
			if st.Pass != nil {
				pass = st.Pass.ID
			}
			if sel.Failing.Build.ID != tt.failing || st.First.ID != tt.first || pass != tt.pass || st.Newest.ID != tt.newest || st.Runs != tt.runs || st.Total != tt.total {
				t.Errorf("failing %s, streak first %s pass %q newest %s runs %d total %d; want %s, %s %q %s %d %d",
					sel.Failing.Build.ID, st.First.ID, pass, st.Newest.ID, st.Runs, st.Total,
					tt.failing, tt.first, tt.pass, tt.newest, tt.runs, tt.total)
			}
			if tt.reason != "" && sel.Failing.Reason != tt.reason {
				t.Errorf("reason %q, want %q", sel.Failing.Reason, tt.reason)
			}
			if got := ids(sel.Baselines); !slices.Equal(got, tt.baselines) {
				t.Errorf("baselines %v, want %v", got, tt.baselines)
			}
			// fetchtest starts build N at 1700000000+N.
			if want := time.Unix(1700000000+int64(mustAtoi(t, tt.first)), 0).UTC(); !st.Since.Equal(want) {
				t.Errorf("since %v, want %v", st.Since, want)
			}
			if st.First.Started == nil {
				t.Error("the first failure's metadata is not loaded")
			}
		})
	}
	t.Run("running build, not said to be failing", func(t *testing.T) {
		sel, err := (&Fetcher{Store: store}).Select(context.Background(), Query{Job: "ci-win", Build: "105", Baselines: 1})
		if err != nil {
			t.Fatal(err)
		}
		if sel.Streak.Runs != 0 {
			t.Errorf("a running build given without Running has a streak of %d runs; want none", sel.Streak.Runs)
		}
	})
	t.Run("given passing build", func(t *testing.T) {
		sel, err := (&Fetcher{Store: store}).Select(context.Background(), Query{Job: "ci-win", Build: "98", Baselines: 1, FirstFailure: true})
		if err != nil {
			t.Fatal(err)
		}
		if sel.Failing.Build.ID != "98" || sel.Streak.Runs != 0 {
			t.Errorf("failing %s, streak of %d runs; want 98 and no streak", sel.Failing.Build.ID, sel.Streak.Runs)
		}
	})
}

// TestSelectRunningUnknown: the caller's running build not known (attach
// without a build id): no failing run, and the job's newest passing runs,
// whatever failed last.
func TestSelectRunningUnknown(t *testing.T) {
	store, err := OpenDir(prowtest.WriteDir(t, selectBucket()))
	if err != nil {
		t.Fatal(err)
	}
	f := &Fetcher{Store: store}
	sel, err := f.Select(context.Background(), Query{Job: "ci-win", Running: true})
	if err != nil {
		t.Fatal(err)
	}
	if sel.Failing.Build.ID != "" || sel.Streak.Runs != 0 {
		t.Errorf("failing %q, streak of %d runs; want none", sel.Failing.Build.ID, sel.Streak.Runs)
	}
	if got := ids(sel.Baselines); !slices.Equal(got, []string{"104", "100", "98"}) {
		t.Errorf("baselines %v, want [104 100 98]", got)
	}
	want := []string{"newest SUCCESS (skipped 1 RUNNING)", "2nd newest SUCCESS (skipped 2 FAILURE, 1 RUNNING)", "3rd newest SUCCESS (skipped 1 ABORTED)"}
	for i, c := range sel.Baselines {
		if c.Reason != want[i] {
			t.Errorf("baseline %d reason %q, want %q", i, c.Reason, want[i])
		}
	}
	_, err = f.Select(context.Background(), Query{Job: "ci-broken", Running: true})
	if !errors.Is(err, ErrNoPassingRun) || strings.Contains(err.Error(), "before") {
		t.Errorf("error %v: want ErrNoPassingRun, naming no build", err)
	}
}

func mustAtoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
