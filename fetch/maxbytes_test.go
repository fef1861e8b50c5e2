package fetch

import (
	"context"
	"errors"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/logdiff/logdiff/internal/prowtest"
)

// metered is a remote store that can hide the sizes of objects (as GCS
// does for gzip-encoded ones) and counts the bytes read of each.
type metered struct {
	*remote
	unsized bool
	mu      sync.Mutex
	read    map[string]int64
}

func (m *metered) Open(ctx context.Context, name string) (io.ReadCloser, int64, error) {
	r, size, err := m.remote.Open(ctx, name)
	if err != nil {
		return nil, 0, err
	}
	if m.unsized {
		size = -1
	}
	return &meteredReader{ReadCloser: r, m: m, name: name}, size, nil
}

func (m *metered) bytesRead(name string) int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.read[name]
}

type meteredReader struct {
	io.ReadCloser
	m    *metered
	name string
}

func (r *meteredReader) Read(p []byte) (int, error) {
	n, err := r.ReadCloser.Read(p)
	r.m.mu.Lock()
	r.m.read[r.name] += int64(n)
	r.m.mu.Unlock()
	return n, err
}

// TestMaterializeMaxBytes: a download over Fetcher.MaxBytes is refused by
// its announced size before a byte is read, or after limit+1 bytes when
// no size is announced, with a TooLargeError naming the object; an
// artifact over it is left out with a warning, the log still read.
func TestMaterializeMaxBytes(t *testing.T) {
	const limit = 1000
	b := prowtest.Bucket{}
	b.Add(prowtest.Run{Job: "ci-job", ID: "1", Result: "FAILURE", Log: strings.Repeat("x", limit-1) + "\n"})
	b.Add(prowtest.Run{Job: "ci-job", ID: "2", Result: "FAILURE", Log: strings.Repeat("big log\n", 1000)})
	b.Add(prowtest.Run{Job: "ci-job", ID: "3", Result: "FAILURE", Log: "small\n",
		Artifacts: map[string]string{"artifacts/a/serial-1.log": "fine\n", "artifacts/b/serial-1.log": strings.Repeat("big serial\n", 1000)}})
	ctx := context.Background()
	for _, unsized := range []bool{false, true} {
		name := "announced"
		if unsized {
			name = "unknown size"
		}
		t.Run(name, func(t *testing.T) {
			store := &metered{remote: newRemote(t, b), unsized: unsized, read: map[string]int64{}}
			var warnings []string
			f := &Fetcher{Store: store, MaxBytes: limit, Warn: func(s string) { warnings = append(warnings, s) }}
			build := func(id string) Build {
				t.Helper()
				bl, err := f.Resolve(ctx, Source{Kind: KindGCS, Bucket: "b", Path: "logs/ci-job/" + id})
				if err != nil {
					t.Fatal(err)
				}
				return bl
			}
			t.Run("at the limit", func(t *testing.T) {
				if _, err := f.Materialize(ctx, t.TempDir(), []Build{build("1")}, nil); err != nil {
					t.Error(err)
				}
			})
			t.Run("log over the limit", func(t *testing.T) {
				dir := t.TempDir()
				_, err := f.Materialize(ctx, dir, []Build{build("2")}, nil)
				var tl *TooLargeError
				if !errors.As(err, &tl) || tl.Limit != limit || !strings.Contains(err.Error(), "gs://test-bucket/logs/ci-job/2/build-log.txt") {
					t.Fatalf("error %v, want a TooLargeError naming the log", err)
				}
				got := store.bytesRead("logs/ci-job/2/build-log.txt")
				switch {
				case !unsized && (tl.Size != 8000 || got != 0):
					t.Errorf("announced 8000 bytes: error's size %d, %d bytes read; want 8000, none read", tl.Size, got)
				case unsized && (tl.Size != -1 || got > limit+1):
					t.Errorf("size unknown: error's size %d, %d bytes read; want -1, at most %d", tl.Size, got, limit+1)
				}
				if left, _ := filepath.Glob(filepath.Join(dir, "*", "build-log.txt")); len(left) > 0 {
					t.Errorf("%s left of a refused download", left)
				}
			})
			t.Run("artifact over the limit", func(t *testing.T) {
				warnings = nil
				runs, err := f.Materialize(ctx, t.TempDir(), []Build{build("3")}, []string{"artifacts/*/serial-1.log"})
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(runs[0].Artifacts, []string{"artifacts/a/serial-1.log"}) {
					t.Errorf("artifacts %v, want only the one within the limit", runs[0].Artifacts)
				}
				if len(warnings) != 1 || !strings.Contains(warnings[0], "artifacts/b/serial-1.log") || !strings.Contains(warnings[0], "ci-job/3") {
					t.Errorf("warnings %q, want one naming the artifact left out and its run", warnings)
				}
			})
		})
	}
	t.Run("cached under a larger bound", func(t *testing.T) {
		cache, err := OpenCache(t.TempDir(), 0)
		if err != nil {
			t.Fatal(err)
		}
		rem := newRemote(t, b)
		for _, bound := range []int64{0, limit} {
			f := &Fetcher{Store: rem, Cache: cache, MaxBytes: bound}
			bl, err := f.Resolve(ctx, Source{Kind: KindGCS, Bucket: "b", Path: "logs/ci-job/2"})
			if err != nil {
				t.Fatal(err)
			}
			_, err = f.Materialize(ctx, t.TempDir(), []Build{bl}, nil)
			var tl *TooLargeError
			if bound == 0 && err != nil || bound > 0 && (!errors.As(err, &tl) || tl.Size != 8000) {
				t.Errorf("MaxBytes %d: error %v", bound, err)
			}
		}
		if n := rem.count("logs/ci-job/2/build-log.txt"); n != 1 {
			t.Errorf("the log was opened %d times, want once (then read from the cache)", n)
		}
	})
}
