package fetch

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/logdiff/logdiff/internal/prowtest"
)

// remote hides a directory store's local files, so that the Fetcher
// downloads and caches as it does from a bucket, and counts opens.
type remote struct {
	Store
	mu    sync.Mutex
	opens map[string]int
}

func newRemote(t *testing.T, b prowtest.Bucket) *remote {
	s, err := OpenDir(prowtest.WriteDir(t, b))
	if err != nil {
		t.Fatal(err)
	}
	return &remote{Store: s, opens: map[string]int{}}
}

func (r *remote) Open(ctx context.Context, name string) (io.ReadCloser, int64, error) {
	r.mu.Lock()
	r.opens[name]++
	r.mu.Unlock()
	return r.Store.Open(ctx, name)
}

func (r *remote) URL(name string) string {
	if name == "" {
		return "gs://" + prowtest.BucketName
	}
	return "gs://" + prowtest.BucketName + "/" + name
}

func (r *remote) count(name string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.opens[name]
}

func TestResolve(t *testing.T) {
	b := prowtest.Bucket{}
	b.Add(prowtest.Run{Job: "ci-job", ID: "7", Result: "FAILURE"})
	b.Add(prowtest.Run{Job: "pull-job", ID: "8", Result: "SUCCESS", Presubmit: true, Repo: "org_repo", PR: 3})
	b.Add(prowtest.Run{Job: "ci-running", ID: "9"})
	b["elsewhere/run/build-log.txt"] = prowtest.Object{Body: []byte("log\n")}
	b["elsewhere/run/finished.json"] = prowtest.Object{Body: []byte(`{"passed": true}`)}
	b["elsewhere/lone.log"] = prowtest.Object{Body: []byte("log\n")}
	store := newRemote(t, b)
	tests := []struct {
		name, path string
		want       Build // compared on Job, ID, Dir, Log, Presubmit
		result     string
		err        string
	}{
		{"job", "logs/ci-job", Build{Job: "ci-job"}, "", ""},
		{"build", "logs/ci-job/7", Build{Job: "ci-job", ID: "7", Dir: "logs/ci-job/7"}, "FAILURE", ""},
		{"running build", "logs/ci-running/9", Build{Job: "ci-running", ID: "9", Dir: "logs/ci-running/9"}, "RUNNING", ""},
		{"presubmit job", "pr-logs/directory/pull-job", Build{Job: "pull-job", Presubmit: true}, "", ""},
		{"pointer", "pr-logs/directory/pull-job/8.txt",
			Build{Job: "pull-job", ID: "8", Dir: "pr-logs/pull/org_repo/3/pull-job/8", Presubmit: true}, "SUCCESS", ""},
		{"presubmit build", "pr-logs/pull/org_repo/3/pull-job/8",
			Build{Job: "pull-job", ID: "8", Dir: "pr-logs/pull/org_repo/3/pull-job/8", Presubmit: true}, "SUCCESS", ""},
		{"build dir outside the layout", "elsewhere/run", Build{Dir: "elsewhere/run", Log: "elsewhere/run/build-log.txt"}, "SUCCESS", ""},
		{"lone file", "elsewhere/lone.log", Build{Log: "elsewhere/lone.log"}, "RUNNING", ""},
		{"missing build", "logs/ci-job/6", Build{}, "", "build ci-job/6: gs://test-bucket/logs/ci-job/6: not found"},
		{"missing pointer", "pr-logs/directory/pull-job/5.txt", Build{}, "", "pull-job/5"},
		{"missing object", "elsewhere/nothing", Build{}, "", "not found"},
		{"bucket root", "", Build{}, "", "names a bucket"},
		{"logs", "logs", Build{}, "", "directory of jobs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &Fetcher{Store: store}
			got, err := f.Resolve(context.Background(), Source{Kind: KindGCS, Bucket: prowtest.BucketName, Path: tt.path})
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("Resolve(%q) = %+v, %v; want error saying %q", tt.path, got, err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Resolve(%q): %v", tt.path, err)
			}
			if got.Job != tt.want.Job || got.ID != tt.want.ID || got.Dir != tt.want.Dir || got.Log != tt.want.Log || got.Presubmit != tt.want.Presubmit {
				t.Errorf("Resolve(%q) = %+v, want %+v", tt.path, got, tt.want)
			}
			if tt.result != "" && got.Result() != tt.result {
				t.Errorf("Resolve(%q).Result() = %s, want %s", tt.path, got.Result(), tt.result)
			}
		})
	}
	t.Run("retired bucket named in errors", func(t *testing.T) {
		f := &Fetcher{Store: store}
		_, err := f.Resolve(context.Background(), Source{Kind: KindGCS, Bucket: "kubernetes-ci-logs", Renamed: "kubernetes-jenkins", Path: "logs/ci-job/6"})
		if err == nil || !strings.Contains(err.Error(), "kubernetes-jenkins") || !IsNotExist(err) {
			t.Errorf("error %v: want a not-found error naming kubernetes-jenkins", err)
		}
	})
	t.Run("pointer to another bucket", func(t *testing.T) {
		b := prowtest.Bucket{"pr-logs/directory/pull-job/8.txt": {Body: []byte("gs://other-bucket/pr-logs/pull/1/pull-job/8")}}
		f := &Fetcher{Store: newRemote(t, b)}
		_, err := f.Resolve(context.Background(), Source{Kind: KindGCS, Bucket: prowtest.BucketName, Path: "pr-logs/directory/pull-job/8.txt"})
		if err == nil || !strings.Contains(err.Error(), "gs://other-bucket") {
			t.Errorf("error %v: want one naming gs://other-bucket", err)
		}
	})
	t.Run("oversized pointer", func(t *testing.T) {
		b := prowtest.Bucket{"pr-logs/directory/pull-job/8.txt": {Body: []byte("gs://" + prowtest.BucketName + "/" + strings.Repeat("x", 5000))}}
		f := &Fetcher{Store: newRemote(t, b)}
		_, err := f.Resolve(context.Background(), Source{Kind: KindGCS, Bucket: prowtest.BucketName, Path: "pr-logs/directory/pull-job/8.txt"})
		if err == nil || !strings.Contains(err.Error(), "4096 bytes") {
			t.Errorf("error %v: want one about the 4096-byte limit", err)
		}
	})
}

func TestMaterialize(t *testing.T) {
	b := prowtest.Bucket{}
	b.Add(prowtest.Run{Job: "ci-job", ID: "7", Result: "FAILURE", Log: "failing\n",
		Artifacts: map[string]string{"artifacts/node-a1/serial-1.log": "serial a\n", "artifacts/node-a1/other.log": "x", "artifacts/junit.xml": "<x/>"}})
	b.Add(prowtest.Run{Job: "ci-job", ID: "6", Result: "SUCCESS", LogName: "test-build-log.txt", Log: "passing\n",
		Artifacts: map[string]string{"artifacts/node-b2/serial-1.log": "serial b\n"}})
	b.Add(prowtest.Run{Job: "ci-job", ID: "5", Result: "SUCCESS", NoLog: true})
	b.Add(prowtest.Run{Job: "ci-job", ID: "8"}) // running

	dir := prowtest.WriteDir(t, b)
	local, err := OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	rem := newRemote(t, b)
	ctx := context.Background()
	build := func(f *Fetcher, id string) Build {
		t.Helper()
		bl, err := f.Resolve(ctx, Source{Kind: KindGCS, Bucket: "b", Path: "logs/ci-job/" + id})
		if err != nil {
			t.Fatal(err)
		}
		return bl
	}
	for _, tc := range []struct {
		name  string
		store Store
	}{{"local", local}, {"remote", rem}} {
		t.Run(tc.name, func(t *testing.T) {
			var last Progress
			f := &Fetcher{Store: tc.store, Progress: func(p Progress) { last = p }}
			runs, err := f.Materialize(ctx, t.TempDir(), []Build{build(f, "7"), build(f, "6")}, []string{"artifacts/*/serial-1.log"})
			if err != nil {
				t.Fatal(err)
			}
			for i, want := range []struct{ log, rel, art string }{
				{"failing\n", "build-log.txt", "artifacts/node-a1/serial-1.log"},
				{"passing\n", "test-build-log.txt", "artifacts/node-b2/serial-1.log"},
			} {
				r := runs[i]
				// Open the log twice, as the diff engine does.
				for range 2 {
					if got, err := os.ReadFile(r.Log); err != nil || string(got) != want.log {
						t.Errorf("run %d log %s = %q, %v; want %q", i, r.Log, got, err, want.log)
					}
				}
				if filepath.Base(r.Log) != want.rel || !strings.HasSuffix(r.Build.Log, "/"+want.rel) {
					t.Errorf("run %d log %s (%s), want %s", i, r.Log, r.Build.Log, want.rel)
				}
				if !slices.Equal(r.Artifacts, []string{want.art}) {
					t.Errorf("run %d artifacts = %v, want [%s]", i, r.Artifacts, want.art)
				}
				if _, err := os.Stat(filepath.Join(r.Dir, filepath.FromSlash(want.art))); err != nil {
					t.Errorf("run %d artifact: %v", i, err)
				}
				if _, err := os.Stat(filepath.Join(r.Dir, "finished.json")); err != nil {
					t.Errorf("run %d metadata: %v", i, err)
				}
			}
			if tc.name == "local" {
				if !strings.HasPrefix(runs[0].Log, dir) {
					t.Errorf("local run copied to %s, want the file in place under %s", runs[0].Log, dir)
				}
				return
			}
			want := int64(len("failing\n") + len("passing\n") + len("serial a\n") + len("serial b\n"))
			if last.Done != want || last.Total != want || last.FilesDone != 4 || last.Files != 4 {
				t.Errorf("last progress = %+v, want %d bytes of 4 files done", last, want)
			}
		})
	}
	t.Run("missing build log", func(t *testing.T) {
		f := &Fetcher{Store: rem}
		_, err := f.Materialize(ctx, t.TempDir(), []Build{build(f, "5")}, nil)
		if err == nil || !IsNotExist(err) || !strings.Contains(err.Error(), "ci-job/5") || !strings.Contains(err.Error(), "build-log.txt") {
			t.Errorf("error %v: want a not-found error naming ci-job/5 and build-log.txt", err)
		}
	})
	t.Run("bad glob", func(t *testing.T) {
		f := &Fetcher{Store: rem}
		_, err := f.Materialize(ctx, t.TempDir(), []Build{build(f, "7")}, []string{"artifacts/[x"})
		if err == nil || !strings.Contains(err.Error(), "artifacts/[x") {
			t.Errorf("error %v: want one naming the glob", err)
		}
	})
	t.Run("cache", func(t *testing.T) {
		cache, err := OpenCache(t.TempDir(), 0)
		if err != nil {
			t.Fatal(err)
		}
		rem := newRemote(t, b)
		for i := range 2 {
			f := &Fetcher{Store: rem, Cache: cache}
			builds := []Build{build(f, "7"), build(f, "8")}
			runs, err := f.Materialize(ctx, t.TempDir(), builds, nil)
			if err != nil {
				t.Fatal(err)
			}
			if got, _ := os.ReadFile(runs[0].Log); string(got) != "failing\n" {
				t.Errorf("round %d: log = %q", i, got)
			}
		}
		// The finished run was downloaded once; the running one each time.
		for name, want := range map[string]int{
			"logs/ci-job/7/build-log.txt": 1, "logs/ci-job/7/finished.json": 1, "logs/ci-job/7/prowjob.json": 1,
			"logs/ci-job/8/build-log.txt": 2, "logs/ci-job/8/started.json": 2,
		} {
			if got := rem.count(name); got != want {
				t.Errorf("%s opened %d times, want %d", name, got, want)
			}
		}
	})
}

func TestArtifacts(t *testing.T) {
	b := prowtest.Bucket{}
	arts := map[string]string{}
	for _, n := range []string{"artifacts/a/serial-1.log", "artifacts/b/serial-1.log", "artifacts/b/serial-2.log", "artifacts/a/deep/serial-1.log", "artifacts-x/a/serial-1.log"} {
		arts[n] = "x"
	}
	b.Add(prowtest.Run{Job: "j", ID: "1", Result: "SUCCESS", Artifacts: arts})
	f := &Fetcher{Store: newRemote(t, b)}
	bl := Build{Job: "j", ID: "1", Dir: "logs/j/1"}
	for glob, want := range map[string][]string{
		"artifacts/*/serial-1.log":  {"artifacts/a/serial-1.log", "artifacts/b/serial-1.log"},
		"artifacts/b/*":             {"artifacts/b/serial-1.log", "artifacts/b/serial-2.log"},
		"artifacts*/a/serial-1.log": {"artifacts-x/a/serial-1.log", "artifacts/a/serial-1.log"},
		"*.json":                    {"finished.json", "prowjob.json", "started.json"},
		"artifacts/none":            nil,
	} {
		t.Run(glob, func(t *testing.T) {
			got, err := f.Artifacts(context.Background(), bl, glob)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, want) {
				t.Errorf("Artifacts(%q) = %v, want %v", glob, got, want)
			}
		})
	}
	t.Run("too many matches", func(t *testing.T) {
		b := prowtest.Bucket{}
		many := map[string]string{}
		for i := range 11 {
			many[fmt.Sprintf("artifacts/n%d/serial-1.log", i)] = ""
		}
		b.Add(prowtest.Run{Job: "j", ID: "1", Result: "SUCCESS", Artifacts: many})
		f := &Fetcher{Store: newRemote(t, b), artifactLimit: 10}
		_, err := f.Artifacts(context.Background(), bl, "artifacts/*/serial-1.log")
		if err == nil || !strings.Contains(err.Error(), "matches more than") {
			t.Errorf("error %v, want one about too many matches", err)
		}
	})
}

func TestForEachStopsAtFirstError(t *testing.T) {
	var ran atomic.Int32
	err := forEach(context.Background(), 100, 2, func(ctx context.Context, i int) error {
		ran.Add(1)
		switch {
		case i == 3:
			return fmt.Errorf("boom %d", i)
		case i > 3:
			// A call running beside the failing one ends only when the
			// error has cancelled the rest: no timing decides the test.
			<-ctx.Done()
			return ctx.Err()
		}
		return nil
	})
	if err == nil || err.Error() != "boom 3" {
		t.Errorf("forEach = %v, want boom 3", err)
	}
	// Calls 0-3 and at most one beside the failing one (2 at once).
	if n := ran.Load(); n > 5 {
		t.Errorf("%d calls ran after the error, want the rest skipped", n)
	}
}
