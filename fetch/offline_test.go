package fetch

import (
	"context"
	"fmt"
	"io"
	"iter"
	"os"
	"path"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/logdiff/logdiff/internal/prowtest"
)

// downable is a bucket whose network can be cut: while down, every request
// fails as the storage client's do with no network, and is written down.
type downable struct {
	Store
	down atomic.Bool

	mu    sync.Mutex
	asked []string // requests made while down
}

func newDownable(t *testing.T, b prowtest.Bucket) *downable {
	s, err := OpenDir(prowtest.WriteDir(t, b))
	if err != nil {
		t.Fatal(err)
	}
	return &downable{Store: s}
}

func (d *downable) fail(op, name string) error {
	d.mu.Lock()
	d.asked = append(d.asked, op+" "+name)
	d.mu.Unlock()
	return fmt.Errorf("%s: retry failed after 3 attempts: dial tcp: lookup storage.googleapis.com: no such host", d.URL(name))
}

func (d *downable) Open(ctx context.Context, name string) (io.ReadCloser, int64, error) {
	if d.down.Load() {
		return nil, 0, d.fail("open", name)
	}
	return d.Store.Open(ctx, name)
}

func (d *downable) Stat(ctx context.Context, name string) (Object, error) {
	if d.down.Load() {
		return Object{}, d.fail("stat", name)
	}
	return d.Store.Stat(ctx, name)
}

func (d *downable) List(ctx context.Context, prefix, delim string) iter.Seq2[Object, error] {
	if d.down.Load() {
		return func(yield func(Object, error) bool) { yield(Object{}, d.fail("list", prefix)) }
	}
	return d.Store.List(ctx, prefix, delim)
}

func (d *downable) URL(name string) string {
	if name == "" {
		return "gs://" + prowtest.BucketName
	}
	return "gs://" + prowtest.BucketName + "/" + name
}

func (d *downable) requests() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Clone(d.asked)
}

// TestOffline fetches runs once with the network up, then again with it
// down: what was fetched comes from the cache without a request, and a
// job's listing, which could have changed, comes from the cache with a
// warning saying how old it is.
func TestOffline(t *testing.T) {
	b := prowtest.Bucket{}
	b.Add(prowtest.Run{Job: "ci-job", ID: "10"}) // running when fetched
	b.Add(prowtest.Run{Job: "ci-job", ID: "9", Result: "FAILURE", Log: "failing\n",
		Artifacts: map[string]string{"artifacts/node-a/serial-1.log": "serial a\n", "artifacts/junit_01.xml": "<testsuite/>\n"}})
	b.Add(prowtest.Run{Job: "ci-job", ID: "8", Result: "ABORTED"})
	b.Add(prowtest.Run{Job: "ci-job", ID: "7", Result: "SUCCESS", LogName: "test-build-log.txt", Log: "passing 7\n",
		Artifacts: map[string]string{"artifacts/node-b/serial-1.log": "serial b\n", "artifacts/junit_01.xml": "<testsuite/>\n"}})
	b.Add(prowtest.Run{Job: "ci-job", ID: "6", Result: "SUCCESS", Log: "passing 6\n"})
	delete(b, "logs/ci-job/6/prowjob.json") // an absence that is cached too
	b.Add(prowtest.Run{Job: "pull-job", ID: "5", Result: "SUCCESS", Presubmit: true, PR: 1, Log: "pull passing\n"})
	b.Add(prowtest.Run{Job: "pull-job", ID: "6", Result: "FAILURE", Presubmit: true, PR: 2, Log: "pull failing\n"})
	globs := []string{"artifacts/*/serial-1.log"}

	fetched := time.Date(2025, 2, 11, 7, 16, 0, 0, time.UTC)
	later := fetched.Add(3 * time.Hour)
	ctx := context.Background()

	// logs materializes builds and returns their logs and artifacts.
	logs := func(t *testing.T, f *Fetcher, builds []Build) []string {
		t.Helper()
		runs, err := f.Materialize(ctx, t.TempDir(), builds, globs)
		if err != nil {
			t.Fatal(err)
		}
		// The JUnit files too: their listing comes from the cache as the
		// artifacts' does.
		if err := f.MaterializeJUnit(ctx, runs, ""); err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range runs {
			got, err := os.ReadFile(r.Log)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, r.Build.ID+": "+string(got)+strings.Join(r.Artifacts, ",")+" junit "+strings.Join(r.JUnit, ","))
		}
		return out
	}

	t.Run("two run URLs", func(t *testing.T) {
		store := newDownable(t, b)
		cache, err := OpenCache(t.TempDir(), 0)
		if err != nil {
			t.Fatal(err)
		}
		diff := func(now time.Time) ([]string, []Build) {
			var builds []Build
			for _, p := range []string{"logs/ci-job/7", "logs/ci-job/6", "logs/ci-job/9"} {
				// A Fetcher per URL, as the CLI makes one per argument.
				f := &Fetcher{Store: store, Cache: cache, Now: func() time.Time { return now }}
				bl, err := f.Resolve(ctx, Source{Kind: KindGCS, Bucket: prowtest.BucketName, Path: p, File: "build-log.txt"})
				if err != nil {
					t.Fatal(err)
				}
				builds = append(builds, bl)
			}
			f := &Fetcher{Store: store, Cache: cache, Now: func() time.Time { return now }}
			return logs(t, f, builds), builds
		}
		online, _ := diff(fetched)
		store.down.Store(true)
		offline, builds := diff(later)
		if !slices.Equal(offline, online) {
			t.Errorf("offline: %q, online: %q", offline, online)
		}
		if asked := store.requests(); len(asked) > 0 {
			t.Errorf("offline, every object cached: %d requests, want none: %v", len(asked), asked)
		}
		if builds[1].Result() != "SUCCESS" || builds[1].Started == nil {
			t.Errorf("offline metadata of run 6: %s, started %v", builds[1].Result(), builds[1].Started)
		}
	})

	for _, job := range []string{"ci-job", "pull-job"} {
		t.Run("job "+job, func(t *testing.T) {
			store := newDownable(t, b)
			cache, err := OpenCache(t.TempDir(), 0)
			if err != nil {
				t.Fatal(err)
			}
			var warnings []string
			choose := func(now time.Time) ([]string, Selection, error) {
				f := &Fetcher{Store: store, Cache: cache, StaleListings: true,
					Now: func() time.Time { return now }, Warn: func(s string) { warnings = append(warnings, s) }}
				sel, err := f.Select(ctx, Query{Job: job, Baselines: 2})
				if err != nil {
					return nil, sel, err
				}
				builds := []Build{sel.Failing.Build}
				for _, c := range sel.Baselines {
					builds = append(builds, c.Build)
				}
				return logs(t, f, builds), sel, nil
			}
			online, _, err := choose(fetched)
			if err != nil {
				t.Fatal(err)
			}
			if len(warnings) != 0 {
				t.Errorf("online: warnings %q", warnings)
			}
			store.down.Store(true)
			offline, sel, err := choose(later)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(offline, online) {
				t.Errorf("offline: %q, online: %q", offline, online)
			}
			// One listing tried (logs/<job>/ first), none after it.
			if asked := store.requests(); len(asked) != 1 || !strings.HasPrefix(asked[0], "list logs/"+job+"/") {
				t.Errorf("offline requests: %q, want the first listing only", asked)
			}
			want := "using the listing cached 3h0m0s ago (2025-02-11 07:16 UTC)"
			if len(warnings) == 0 || !strings.Contains(warnings[0], want) || !strings.Contains(warnings[0], "no such host") {
				t.Errorf("warnings %q, want one saying %q and why", warnings, want)
			}
			if job == "ci-job" && !strings.Contains(sel.Failing.Reason, "1 UNREACHABLE") {
				t.Errorf("failing run's reason %q: want the running build, unknown offline, named", sel.Failing.Reason)
			}
		})
	}

	t.Run("nothing cached", func(t *testing.T) {
		store := newDownable(t, b)
		store.down.Store(true)
		cache, err := OpenCache(t.TempDir(), 0)
		if err != nil {
			t.Fatal(err)
		}
		f := &Fetcher{Store: store, Cache: cache, StaleListings: true}
		_, err = f.Select(ctx, Query{Job: "ci-job"})
		if err == nil || !strings.Contains(err.Error(), "no such host") || !strings.Contains(err.Error(), "ci-job") {
			t.Errorf("error %v, want the store's, naming the job", err)
		}
	})

	t.Run("without StaleListings", func(t *testing.T) {
		store := newDownable(t, b)
		cache, err := OpenCache(t.TempDir(), 0)
		if err != nil {
			t.Fatal(err)
		}
		f := &Fetcher{Store: store, Cache: cache}
		if _, err := f.Select(ctx, Query{Job: "ci-job"}); err != nil {
			t.Fatal(err)
		}
		store.down.Store(true)
		_, err = f.Select(ctx, Query{Job: "ci-job"})
		if err == nil || !strings.Contains(err.Error(), "no such host") {
			t.Errorf("error %v, want the store's: a sweep does not judge a job on an old listing", err)
		}
		// And no listing was kept for it.
		if _, _, ok := cache.readListing(listKey(store.URL(path.Join("logs", "ci-job")+"/"), "/")); ok {
			t.Error("a job's listing was cached without StaleListings")
		}
	})
}
