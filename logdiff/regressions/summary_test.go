package regressions_test

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/logdiff/logdiff/logdiff"
	"github.com/logdiff/logdiff/logdiff/regressions"
)

var testNow = time.Date(2025, 2, 12, 3, 0, 0, 0, time.UTC)

// rec makes a regressed record whose findings have the keys given, in
// rank order. "flip:K" is a status flip, "cfg:K=V" a configuration change
// to V, "cfg:K" a setting removed.
func rec(job string, keys ...string) regressions.Record {
	r := regressions.Record{Version: 1, Job: job, Status: regressions.Regressed,
		Failing: &regressions.Run{Build: "100", Result: "FAILURE", URL: "https://prow.k8s.io/view/gs/b/logs/" + job + "/100"}}
	for i, k := range keys {
		f := logdiff.Finding{Rank: i + 1, Kind: logdiff.New, Key: "new: " + k, Summary: "summary of " + k,
			Lines: []logdiff.Line{{Side: logdiff.SideFailing, N: 10 + i, Text: "line " + k}}}
		switch {
		case strings.HasPrefix(k, "flip:"):
			f.Kind, f.Key, f.Flip = logdiff.Changed, "changed: "+k[5:], &logdiff.Flip{From: "ok", To: "FAIL"}
		case strings.HasPrefix(k, "cfg:"):
			name, val, changed := strings.Cut(k[4:], "=")
			f.Kind, f.Key = logdiff.Config, "config: "+name
			f.Config = &logdiff.ConfigChange{Key: name, Baseline: "old", InBaseline: true, Failing: val, InFailing: changed}
		}
		r.Findings = append(r.Findings, f)
	}
	return r
}

func TestGroup(t *testing.T) {
	tests := []struct {
		name    string
		records []regressions.Record
		want    [][]string // the jobs of each regression, in summary order
	}{
		{"one cause ranked differently in each job", []regressions.Record{
			rec("a", "env", "download", "cannot"), rec("b", "download", "env", "md5"), rec("c", "cannot", "env", "x"),
		}, [][]string{{"a", "b", "c"}}},
		{"a generic line in every top three but the top of none", []regressions.Record{
			rec("a", "quota", "exit status 1", "a2"), rec("b", "tls", "exit status 1", "b2"), rec("c", "oom", "exit status 1"),
		}, [][]string{{"c"}, {"a"}, {"b"}}}, // by key: oom, quota, tls
		{"the same top line and nothing else", []regressions.Record{
			rec("a", "panic"), rec("b", "panic"),
		}, [][]string{{"a", "b"}}},
		{"one-sided: b's top is not among a's", []regressions.Record{
			rec("a", "generic", "a1", "a2"), rec("b", "b1", "generic", "b2"),
		}, [][]string{{"b"}, {"a"}}}, // by key: b1, generic
		{"below the top three does not count", []regressions.Record{
			rec("a", "a1", "a2", "a3", "shared"), rec("b", "shared", "b1", "b2", "b3"),
		}, [][]string{{"a"}, {"b"}}},
		{"status flips never group", []regressions.Record{
			rec("a", "flip:PASS", "a1"), rec("b", "flip:PASS", "b1"),
		}, [][]string{{"a"}, {"b"}}},
		{"only flips: grouped by them", []regressions.Record{
			rec("a", "flip:PASS"), rec("b", "flip:PASS"),
		}, [][]string{{"a", "b"}}},
		{"a setting changed to different values is two causes", []regressions.Record{
			rec("a", "cfg:image=v2"), rec("b", "cfg:image=v3"), rec("c", "cfg:image=v2"),
		}, [][]string{{"a", "c"}, {"b"}}},
		{"a setting removed is one cause", []regressions.Record{
			rec("a", "cfg:PRESET"), rec("b", "cfg:PRESET"),
		}, [][]string{{"a", "b"}}},
		{"most jobs first, then by key", []regressions.Record{
			rec("z", "zz"), rec("y", "yy"), rec("x1", "xx"), rec("x2", "xx"),
		}, [][]string{{"x1", "x2"}, {"y"}, {"z"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := regressions.Summarize(tt.records, 3, nil, testNow)
			var got [][]string
			for _, g := range s.Regressions {
				got = append(got, g.JobNames())
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("regressions %v, want %v", got, tt.want)
			}
		})
	}
}

// TestSummarizeOrder: the same records in any order give the same summary.
func TestSummarizeOrder(t *testing.T) {
	records := []regressions.Record{
		rec("a", "env", "download"), rec("b", "download", "env"), rec("c", "x"), rec("d", "y", "x"), rec("e", "x", "y"),
		{Version: 1, Job: "f", Status: regressions.Unreadable, Error: "boom"}, {Version: 1, Job: "g", Status: regressions.Passing},
		{Version: 1, Job: "h", Status: regressions.Failing, Failing: &regressions.Run{Build: "1"}},
	}
	want := summaryJSON(t, regressions.Summarize(slices.Clone(records), 3, nil, testNow))
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 1))
	for range 20 {
		shuffled := slices.Clone(records)
		rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		if got := summaryJSON(t, regressions.Summarize(shuffled, 3, nil, testNow)); got != want {
			t.Fatalf("order changed the summary:\n%s\nwant\n%s", got, want)
		}
	}
}

func summaryJSON(t *testing.T, s *regressions.Summary) string {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(s); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestNew: a regression is new unless the previous summary had its key,
// or had every one of its transitions.
func TestNew(t *testing.T) {
	records := []regressions.Record{rec("a", "k1"), rec("b", "k1"), rec("c", "k2")}
	tests := []struct {
		name string
		prev *regressions.Reported
		want map[string]bool // key -> new
	}{
		{"no previous summary", nil, map[string]bool{"new: k1": true, "new: k2": true}},
		{"empty previous summary", &regressions.Reported{}, map[string]bool{"new: k1": true, "new: k2": true}},
		{"known key, a job more", &regressions.Reported{Regressions: []regressions.ReportedRegression{{Key: "new: k1", Transitions: []string{"a/100"}}}}, map[string]bool{"new: k1": false, "new: k2": true}},
		{"known runs, key grouped otherwise", &regressions.Reported{Regressions: []regressions.ReportedRegression{{Key: "other", Transitions: []string{"c/100"}}}}, map[string]bool{"new: k1": true, "new: k2": false}},
		{"some runs known, key not", &regressions.Reported{Regressions: []regressions.ReportedRegression{{Key: "other", Transitions: []string{"a/100"}}}}, map[string]bool{"new: k1": true, "new: k2": true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := regressions.Summarize(records, 3, tt.prev, testNow)
			n := 0
			for _, g := range s.Regressions {
				if g.New != tt.want[g.Key] {
					t.Errorf("%s: new=%v, want %v", g.Key, g.New, tt.want[g.Key])
				}
				if g.New {
					n++
				}
			}
			if s.New != n {
				t.Errorf("New = %d, want %d", s.New, n)
			}
		})
	}
}

// jsonFields lists the JSON field paths of v's type, recursively.
func jsonFields(t reflect.Type, prefix string, out *[]string) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || t == reflect.TypeOf(time.Time{}) {
		return
	}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		*out = append(*out, prefix+name)
		if !strings.HasPrefix(f.Type.String(), "logdiff.") && !strings.HasPrefix(f.Type.String(), "[]logdiff.") {
			jsonFields(f.Type, prefix+name+".", out)
		}
	}
}

// TestJSONFields pins the fields of the records and of the summary: other
// tools read them.
func TestJSONFields(t *testing.T) {
	tests := []struct {
		v    any
		want string
	}{
		{regressions.Record{}, "version job status error failing failing.build failing.result failing.time failing.url failing.reason newest newest.build newest.result newest.time newest.url newest.reason failing_runs baselines baselines.build baselines.result baselines.time baselines.url baselines.reason findings total_findings rules filter left_out skipped analysed checked reused"},
		{regressions.Summary{}, "version generated group_top jobs counts counts.regressed counts.failing counts.passing counts.no_runs counts.unreadable counts.reused new regressions regressions.key regressions.kind regressions.summary regressions.new regressions.evidence regressions.hint regressions.shared regressions.shared.key regressions.shared.summary regressions.jobs regressions.jobs.job regressions.jobs.rank regressions.jobs.summary regressions.jobs.failing regressions.jobs.failing.build regressions.jobs.failing.result regressions.jobs.failing.time regressions.jobs.failing.url regressions.jobs.failing.reason regressions.jobs.newest regressions.jobs.newest.build regressions.jobs.newest.result regressions.jobs.newest.time regressions.jobs.newest.url regressions.jobs.newest.reason regressions.jobs.failing_runs regressions.jobs.baselines regressions.jobs.baselines.build regressions.jobs.baselines.result regressions.jobs.baselines.time regressions.jobs.baselines.url regressions.jobs.baselines.reason no_findings no_findings.job no_findings.error no_findings.failing no_findings.failing.build no_findings.failing.result no_findings.failing.time no_findings.failing.url no_findings.failing.reason no_findings.newest no_findings.newest.build no_findings.newest.result no_findings.newest.time no_findings.newest.url no_findings.newest.reason no_findings.failing_runs left_out left_out.job left_out.error left_out.failing left_out.failing.build left_out.failing.result left_out.failing.time left_out.failing.url left_out.failing.reason left_out.newest left_out.newest.build left_out.newest.result left_out.newest.time left_out.newest.url left_out.newest.reason left_out.failing_runs filter failing failing.job failing.error failing.failing failing.failing.build failing.failing.result failing.failing.time failing.failing.url failing.failing.reason failing.newest failing.newest.build failing.newest.result failing.newest.time failing.newest.url failing.newest.reason failing.failing_runs unreadable unreadable.job unreadable.error unreadable.failing unreadable.failing.build unreadable.failing.result unreadable.failing.time unreadable.failing.url unreadable.failing.reason unreadable.newest unreadable.newest.build unreadable.newest.result unreadable.newest.time unreadable.newest.url unreadable.newest.reason unreadable.failing_runs rules"},
	}
	for _, tt := range tests {
		ty := reflect.TypeOf(tt.v)
		t.Run(ty.Name(), func(t *testing.T) {
			var got []string
			jsonFields(ty, "", &got)
			if g := strings.Join(got, " "); g != tt.want {
				t.Errorf("JSON fields of %s changed (add fields, never rename or remove within a version):\ngot  %s\nwant %s", ty.Name(), g, tt.want)
			}
		})
	}
	// A record survives its JSON: what merge reads is what the sweep had.
	r := rec("a", "env", "cfg:image=v2", "flip:ok")
	r.Checked = testNow
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var back regressions.Record
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, r) {
		t.Errorf("record changed through JSON:\n%+v\nwant\n%+v", back, r)
	}
}

// TestReportedOf follows three nights: what a summary reported is kept for
// the next; a job unreadable for a night keeps its regression, so that it
// is not new again when it can be read.
func TestReportedOf(t *testing.T) {
	s := regressions.Summarize([]regressions.Record{rec("a", "k1"), rec("b", "k1"), rec("c", "k2")}, 3, &regressions.Reported{}, testNow)
	r := regressions.ReportedOf(s, &regressions.Reported{})
	got, _ := json.Marshal(r.Regressions)
	if want := `[{"key":"new: k1","transitions":["a/100","b/100"]},{"key":"new: k2","transitions":["c/100"]}]`; string(got) != want {
		t.Errorf("reported %s\nwant     %s", got, want)
	}
	// The next night c cannot be read and b recovered: c's regression is
	// kept, b's is not; the night after, c is readable and not new.
	s2 := regressions.Summarize([]regressions.Record{rec("a", "k1"), {Version: 1, Job: "b", Status: regressions.Passing}, {Version: 1, Job: "c", Status: regressions.Unreadable, Error: "x"}}, 3, &r, testNow)
	if s2.New != 0 {
		t.Errorf("night 2: %d new", s2.New)
	}
	r2 := regressions.ReportedOf(s2, &r)
	got, _ = json.Marshal(r2.Regressions)
	if want := `[{"key":"new: k1","transitions":["a/100"]},{"key":"new: k2","transitions":["c/100"]}]`; string(got) != want {
		t.Errorf("night 2 reported %s\nwant             %s", got, want)
	}
	s3 := regressions.Summarize([]regressions.Record{rec("a", "k1"), rec("c", "k2")}, 3, &r2, testNow)
	if s3.New != 0 {
		t.Errorf("night 3: %d new, want c's regression known", s3.New)
	}
}

// TestGroupByTest: two jobs whose top finding is the same flipped test
// (the same normalized suite, class and name) are one regression, though
// their failure messages differ in ids; a third job with another test is
// another.
func TestGroupByTest(t *testing.T) {
	test := func(job, key, msg string) regressions.Record {
		r := regressions.Record{Version: 1, Job: job, Status: regressions.Regressed,
			Failing: &regressions.Run{Build: "100", Result: "FAILURE"}}
		r.Findings = []logdiff.Finding{
			{Rank: 1, Kind: logdiff.Test, Key: key, Summary: "test " + key + " passed → failed: " + msg,
				Test: &logdiff.TestChange{Change: "flipped", Suite: "Kubernetes e2e suite", Name: key, BaselineStatus: "passed", Status: "failed", Message: msg}},
			{Rank: 2, Kind: logdiff.Changed, Key: "changed: Test Suite Failed", Summary: "status flipped Passed → Failed",
				Flip: &logdiff.Flip{From: "Passed", To: "Failed"}},
		}
		return r
	}
	const volume = "test: Kubernetes e2e suite /  / [sig-windows] volume mounts should have readOnly permissions"
	s := regressions.Summarize([]regressions.Record{
		test("ci-windows-containerd", volume, "pod pod-901495e3 wrote to the read-only volume"),
		test("ci-windows-docker", volume, "pod pod-5d2a77c1 wrote to the read-only volume"),
		test("ci-windows-dns", "test: Kubernetes e2e suite /  / [sig-windows] DNS should support pod DNS servers", "timed out"),
	}, 3, nil, testNow)
	if len(s.Regressions) != 2 {
		t.Fatalf("%d regressions, want 2: %+v", len(s.Regressions), s.Regressions)
	}
	g := s.Regressions[0]
	if g.Key != volume || g.Kind != logdiff.Test || strings.Join(g.JobNames(), ",") != "ci-windows-containerd,ci-windows-docker" {
		t.Errorf("first regression %q (%s) of %v, want the volume test of both containerd and docker", g.Key, g.Kind, g.JobNames())
	}
}
