package gcs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/iotest"
	"time"

	"github.com/fsouza/fake-gcs-server/fakestorage"

	"github.com/logdiff/logdiff/fetch"
	"github.com/logdiff/logdiff/internal/prowtest"
)

// newFake serves b in process (no socket), as bucket prowtest.BucketName.
func newFake(t *testing.T, b prowtest.Bucket, opts fakestorage.Options) *fakestorage.Server {
	return newFakeNamed(t, prowtest.BucketName, b, opts)
}

func newFakeNamed(t *testing.T, bucket string, b prowtest.Bucket, opts fakestorage.Options) *fakestorage.Server {
	return prowtest.FakeServer(t, bucket, b, opts)
}

// faults sits in front of the fake server: hook may answer a request
// itself (return a response or an error) or pass it on (return nil, nil).
type faults struct {
	base http.RoundTripper
	hook func(req *http.Request) (*http.Response, error)

	mu   sync.Mutex
	seen []string // method and path of every request
}

func (f *faults) RoundTrip(req *http.Request) (*http.Response, error) {
	f.mu.Lock()
	f.seen = append(f.seen, req.Method+" "+req.URL.Path)
	f.mu.Unlock()
	if f.hook != nil {
		if resp, err := f.hook(req); resp != nil || err != nil {
			return resp, err
		}
	}
	return f.base.RoundTrip(req)
}

func (f *faults) count(substr string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, s := range f.seen {
		if strings.Contains(s, substr) {
			n++
		}
	}
	return n
}

func status(req *http.Request, code int, body string) *http.Response {
	return &http.Response{
		StatusCode: code, Status: fmt.Sprintf("%d %s", code, http.StatusText(code)),
		Header: http.Header{"Content-Type": {"application/json"}}, Request: req,
		Body: io.NopCloser(strings.NewReader(body)), ContentLength: int64(len(body)),
	}
}

// newClient returns a client of srv through f, with test-sized timings.
func newClient(t *testing.T, srv *fakestorage.Server, f *faults, opts Options) *Client {
	t.Helper()
	f.base = srv.HTTPClient().Transport
	opts.HTTPClient = &http.Client{Transport: f}
	if opts.Backoff == 0 {
		opts.Backoff = time.Millisecond
	}
	c, err := New(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	c.newADC = func(context.Context, http.RoundTripper) (*http.Client, error) {
		return nil, errors.New("no credentials in tests")
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func readAll(t *testing.T, s fetch.Store, name string) (string, error) {
	t.Helper()
	r, _, err := s.Open(context.Background(), name)
	if err != nil {
		return "", err
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	return string(b), err
}

// manyBuilds lays out job with n builds 1..n, newest first: FAILURE,
// running, ABORTED, then SUCCESS (gzip-encoded), FAILURE and SUCCESS in
// turn down to build 1, a FAILURE. Presubmit runs alternate between a
// repository directory and none (the bucket's default repository).
func manyBuilds(b prowtest.Bucket, job string, n int, presubmit bool) {
	for i := 1; i <= n; i++ {
		r := prowtest.Run{Job: job, ID: strconv.Itoa(i), Result: "SUCCESS", Presubmit: presubmit, PR: i}
		if i%2 == 0 {
			r.Repo = "org_repo"
		}
		switch {
		case i == n:
			r.Result, r.Log = "FAILURE", "!!! Cannot find kubernetes-node-windows-amd64.tar.gz\n"
		case i == n-1:
			r.Result = ""
		case i == n-2:
			r.Result = "ABORTED"
		case i == n-3:
			r.Gzip, r.Log = true, "Will download and extract kubernetes-node-windows-amd64.tar.gz\n"
			r.Env = map[string]string{"KUBERNETES_NODE_PLATFORM": "windows"}
		case i%2 == 0 || i == 1:
			r.Result = "FAILURE"
		}
		b.Add(r)
	}
}

func TestSelectAndMaterialize(t *testing.T) {
	// Enough builds for many listing pages, few enough objects for the
	// fake's quadratic loading.
	const n, pageSize = 60, 5
	b := prowtest.Bucket{}
	manyBuilds(b, "ci-many", n, false)
	manyBuilds(b, "pull-many", n, true)
	for i := 1; i <= 6; i++ {
		r := prowtest.Run{Job: "pull-branches", ID: strconv.Itoa(1000 + i), Result: "SUCCESS", Presubmit: true, Repo: "org_repo", PR: i}
		if i == 6 {
			r.Result = "FAILURE"
		}
		if i%3 == 0 {
			r.BaseRef = "release-1.30"
		}
		b.Add(r)
	}
	srv := newFake(t, b, fakestorage.Options{})
	ctx := context.Background()

	for _, job := range []string{"ci-many", "pull-many"} {
		t.Run(job, func(t *testing.T) {
			f := &faults{}
			store := newClient(t, srv, f, Options{PageSize: pageSize}).Bucket(prowtest.BucketName)
			fe := &fetch.Fetcher{Store: store}
			sel, err := fe.Select(ctx, fetch.Query{Job: job})
			if err != nil {
				t.Fatal(err)
			}
			if job == "pull-many" {
				// n pointers and latest-build.txt, pageSize a page. (The
				// fake pages objects, not prefixes: only the presubmit
				// listing shows paging.)
				if pages, want := f.count("GET /storage/v1/b/"+prowtest.BucketName+"/o"), (n+1+pageSize-1)/pageSize; pages < want {
					t.Errorf("listing took %d requests, want at least %d pages of %d", pages, want, pageSize)
				}
			}
			want := []string{strconv.Itoa(n - 3), strconv.Itoa(n - 5), strconv.Itoa(n - 7)}
			if sel.Failing.Build.ID != strconv.Itoa(n) || !slices.Equal(ids(sel.Baselines), want) {
				t.Fatalf("failing %s, baselines %v; want %d and %v", sel.Failing.Build.ID, ids(sel.Baselines), n, want)
			}
			reason := fmt.Sprintf("newest SUCCESS before %d (skipped 1 ABORTED, 1 RUNNING)", n)
			if job == "pull-many" {
				reason += ", same base branch master"
			}
			if r := sel.Baselines[0].Reason; r != reason {
				t.Errorf("reason %q, want %q", r, reason)
			}
			// The gzip-encoded run's metadata parsed, and its log reads decompressed.
			gz := sel.Baselines[0].Build
			if !slices.Contains(gz.Config(), fetch.Setting{Section: "env", Key: "KUBERNETES_NODE_PLATFORM", Value: "windows"}) {
				t.Errorf("config of the gzip-encoded run lacks the preset: %v", gz.Config())
			}
			cache, err := fetch.OpenCache(t.TempDir(), 0)
			if err != nil {
				t.Fatal(err)
			}
			fe.Cache = cache
			runs, err := fe.Materialize(ctx, t.TempDir(), []fetch.Build{sel.Failing.Build, gz}, nil)
			if err != nil {
				t.Fatal(err)
			}
			for i, want := range []string{"!!! Cannot find kubernetes-node-windows-amd64.tar.gz\n", "Will download and extract kubernetes-node-windows-amd64.tar.gz\n"} {
				if got, err := os.ReadFile(runs[i].Log); err != nil || string(got) != want {
					t.Errorf("run %d log = %q, %v; want %q", i, got, err, want)
				}
			}
			_, err = fe.Select(ctx, fetch.Query{Job: job, Build: "2", Baselines: 1})
			if !errors.Is(err, fetch.ErrNoPassingRun) || !strings.Contains(err.Error(), job+" before build 2") {
				t.Errorf("error %v, want ErrNoPassingRun naming %s", err, job)
			}
		})
	}
	fe := &fetch.Fetcher{Store: newClient(t, srv, &faults{}, Options{}).Bucket(prowtest.BucketName)}
	t.Run("presubmit base branch", func(t *testing.T) {
		sel, err := fe.Select(ctx, fetch.Query{Job: "pull-branches", Baselines: 2})
		if err != nil {
			t.Fatal(err)
		}
		if sel.Failing.Build.ID != "1006" || !slices.Equal(ids(sel.Baselines), []string{"1003"}) {
			t.Errorf("failing %s, baselines %v; want 1006 and [1003] (the release-1.30 run; other branches only when it has none)", sel.Failing.Build.ID, ids(sel.Baselines))
		}
		if d := sel.Failing.Build.Dir; d != "pr-logs/pull/org_repo/6/pull-branches/1006" {
			t.Errorf("failing run's directory %s", d)
		}
	})
	t.Run("no such job", func(t *testing.T) {
		_, err := fe.Select(ctx, fetch.Query{Job: "ci-none"})
		if !errors.Is(err, fetch.ErrNoJob) || !strings.Contains(err.Error(), `"ci-none" in gs://test-bucket`) {
			t.Errorf("error %v, want ErrNoJob naming ci-none", err)
		}
	})
}

func ids(cs []fetch.Choice) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Build.ID)
	}
	return out
}

func TestErrors(t *testing.T) {
	b := prowtest.Bucket{}
	b.Add(prowtest.Run{Job: "ci-job", ID: "1", Result: "SUCCESS", Log: strings.Repeat("log line\n", 1000)})
	b.Add(prowtest.Run{Job: "ci-job", ID: "2", Result: "FAILURE", NoLog: true})
	srv := newFake(t, b, fakestorage.Options{})
	const obj = "logs/ci-job/1/build-log.txt"
	ctx := context.Background()

	t.Run("404", func(t *testing.T) {
		s := newClient(t, srv, &faults{}, Options{}).Bucket(prowtest.BucketName)
		_, err := readAll(t, s, "logs/ci-job/1/nothing.txt")
		if !fetch.IsNotExist(err) || err.Error() != "gs://test-bucket/logs/ci-job/1/nothing.txt: not found" {
			t.Errorf("Open: %v", err)
		}
		if _, err := s.Stat(ctx, "logs/ci-job/1/nothing.txt"); !fetch.IsNotExist(err) {
			t.Errorf("Stat: %v", err)
		}
		other := newClient(t, srv, &faults{}, Options{}).Bucket("no-such-bucket")
		for _, err := range other.List(ctx, "logs/", "/") {
			if !fetch.IsNotExist(err) || !strings.Contains(err.Error(), "gs://no-such-bucket") {
				t.Errorf("List of a missing bucket: %v", err)
			}
		}
	})
	t.Run("missing build log", func(t *testing.T) {
		fe := &fetch.Fetcher{Store: newClient(t, srv, &faults{}, Options{}).Bucket(prowtest.BucketName)}
		bl, err := fe.Resolve(ctx, fetch.Source{Kind: fetch.KindGCS, Bucket: prowtest.BucketName, Path: "logs/ci-job/2"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = fe.Materialize(ctx, t.TempDir(), []fetch.Build{bl}, nil)
		if !fetch.IsNotExist(err) || !strings.Contains(err.Error(), "ci-job/2") || !strings.Contains(err.Error(), "gs://test-bucket/logs/ci-job/2/build-log.txt") {
			t.Errorf("error %v, want not found naming the run and its build-log.txt", err)
		}
	})

	deny := func(req *http.Request) (*http.Response, error) {
		if req.Header.Get("Authorization") != "" {
			return nil, nil
		}
		if strings.HasPrefix(req.URL.Path, "/storage/v1/") {
			return status(req, 403, `{"error": {"code": 403, "message": "Anonymous caller does not have storage.objects.list access"}}`), nil
		}
		return status(req, 403, `<?xml version='1.0' encoding='UTF-8'?><Error><Code>AccessDenied</Code><Message>Anonymous caller does not have storage.objects.get access.</Message></Error>`), nil
	}
	t.Run("403 anonymous", func(t *testing.T) {
		s := newClient(t, srv, &faults{hook: deny}, Options{Auth: AuthAnonymous}).Bucket(prowtest.BucketName)
		_, err := readAll(t, s, obj)
		if !fetch.IsPermission(err) || !strings.Contains(err.Error(), "gs://test-bucket/"+obj+": permission denied (HTTP 403: Anonymous caller does not have storage.objects.get access.)") {
			t.Errorf("Open: %v", err)
		}
		for _, err := range s.List(ctx, "logs/", "/") {
			if !fetch.IsPermission(err) || !strings.Contains(err.Error(), "storage.objects.list") {
				t.Errorf("List: %v", err)
			}
		}
	})
	t.Run("403 then no credentials", func(t *testing.T) {
		s := newClient(t, srv, &faults{hook: deny}, Options{}).Bucket(prowtest.BucketName)
		_, err := readAll(t, s, obj)
		if !fetch.IsPermission(err) || !strings.Contains(err.Error(), "no Application Default Credentials: no credentials in tests") {
			t.Errorf("Open: %v", err)
		}
	})
	t.Run("403 then credentials", func(t *testing.T) {
		f := &faults{hook: deny}
		c := newClient(t, srv, f, Options{})
		c.newADC = func(_ context.Context, base http.RoundTripper) (*http.Client, error) {
			return &http.Client{Transport: roundTripFunc(func(req *http.Request) (*http.Response, error) {
				req = req.Clone(req.Context())
				req.Header.Set("Authorization", "Bearer test")
				return base.RoundTrip(req)
			})}, nil
		}
		s := c.Bucket(prowtest.BucketName)
		for range 2 {
			if got, err := readAll(t, s, obj); err != nil || !strings.HasPrefix(got, "log line\n") {
				t.Fatalf("Open with credentials: %q, %v", got[:min(len(got), 20)], err)
			}
		}
		var names []string
		for o, err := range s.List(ctx, "logs/ci-job/", "/") {
			if err != nil {
				t.Fatal(err)
			}
			names = append(names, o.Name)
		}
		slices.Sort(names) // each page holds its objects before its prefixes
		if !slices.Equal(names, []string{"logs/ci-job/1/", "logs/ci-job/2/", "logs/ci-job/latest-build.txt"}) {
			t.Errorf("List = %v", names)
		}
		// Refused once; then the bucket is read with credentials straight away.
		if n := f.count("GET /" + prowtest.BucketName + "/"); n != 3 {
			t.Errorf("%d object reads, want 3 (one refused, two with credentials)", n)
		}
	})
	t.Run("503 twice, then served", func(t *testing.T) {
		for _, code := range []int{503, 429} {
			tries := map[string]int{}
			var mu sync.Mutex
			f := &faults{hook: func(req *http.Request) (*http.Response, error) {
				mu.Lock()
				defer mu.Unlock()
				if tries[req.URL.Path]++; tries[req.URL.Path] <= 2 {
					return status(req, code, `{"error": {"code": `+strconv.Itoa(code)+`, "message": "try later"}}`), nil
				}
				return nil, nil
			}}
			s := newClient(t, srv, f, Options{}).Bucket(prowtest.BucketName)
			if got, err := readAll(t, s, obj); err != nil || len(got) != 9000 {
				t.Errorf("%d: Open = %d bytes, %v", code, len(got), err)
			}
			for _, err := range s.List(ctx, "logs/", "/") {
				if err != nil {
					t.Errorf("%d: List: %v", code, err)
				}
			}
			if n := f.count("GET /" + prowtest.BucketName + "/" + obj); n != 3 {
				t.Errorf("%d: %d tries of the read, want 3", code, n)
			}
		}
	})
	t.Run("503 until giving up", func(t *testing.T) {
		f := &faults{hook: func(req *http.Request) (*http.Response, error) {
			return status(req, 503, `{"error": {"code": 503, "message": "down"}}`), nil
		}}
		s := newClient(t, srv, f, Options{Attempts: 3}).Bucket(prowtest.BucketName)
		_, err := readAll(t, s, obj)
		if err == nil || !strings.Contains(err.Error(), "gs://test-bucket/"+obj) || f.count(obj) != 3 {
			t.Errorf("error %v after %d tries, want one naming the object after 3", err, f.count(obj))
		}
	})
	t.Run("hang", func(t *testing.T) {
		f := &faults{hook: func(req *http.Request) (*http.Response, error) {
			<-req.Context().Done()
			return nil, req.Context().Err()
		}}
		s := newClient(t, srv, f, Options{Timeout: 50 * time.Millisecond, Attempts: 2}).Bucket(prowtest.BucketName)
		start := time.Now()
		_, err := readAll(t, s, obj)
		if err == nil || !strings.Contains(err.Error(), "no response for 50ms") || !strings.Contains(err.Error(), "gs://test-bucket/"+obj) {
			t.Errorf("error %v, want a timeout naming the object", err)
		}
		if d := time.Since(start); d > 10*time.Second { // a guard against hanging, not a speed test
			t.Errorf("gave up after %v", d)
		}
		for _, err := range s.List(ctx, "logs/", "/") {
			if err == nil || !strings.Contains(err.Error(), "no response for 50ms") {
				t.Errorf("List: %v, want a timeout", err)
			}
		}
	})
	t.Run("hang in the body", func(t *testing.T) {
		f := &faults{}
		f.hook = func(req *http.Request) (*http.Response, error) {
			if req.Method != http.MethodGet || !strings.HasSuffix(req.URL.Path, obj) {
				return nil, nil
			}
			if req.Header.Get("Range") != "" {
				// The client reopens where the body stalled: hang there.
				<-req.Context().Done()
				return nil, req.Context().Err()
			}
			resp, err := f.base.RoundTrip(req)
			if err != nil {
				return nil, err
			}
			resp.Body = &stallingBody{r: io.LimitReader(resp.Body, 100), ctx: req.Context()}
			return resp, nil
		}
		s := newClient(t, srv, f, Options{Timeout: 50 * time.Millisecond, Attempts: 2}).Bucket(prowtest.BucketName)
		start := time.Now()
		_, err := readAll(t, s, obj)
		if err == nil || !strings.Contains(err.Error(), "no response for 50ms") {
			t.Errorf("error %v, want a timeout", err)
		}
		if d := time.Since(start); d > 10*time.Second { // a guard against hanging, not a speed test
			t.Errorf("gave up after %v", d)
		}
	})
	t.Run("trickle", func(t *testing.T) {
		// One byte per read, and a clock that moves 50ms per look: 20 B/s,
		// below a floor of 1000 B/s over a second. No real waiting.
		f := &faults{}
		f.hook = func(req *http.Request) (*http.Response, error) {
			if req.Method != http.MethodGet || !strings.HasSuffix(req.URL.Path, obj) || strings.HasPrefix(req.URL.Path, "/storage/v1/") {
				return nil, nil
			}
			resp, err := f.base.RoundTrip(req)
			if err != nil {
				return nil, err
			}
			resp.Body = io.NopCloser(iotest.OneByteReader(resp.Body))
			return resp, nil
		}
		var mu sync.Mutex
		now := time.Unix(1_700_000_000, 0)
		clock := func() time.Time {
			mu.Lock()
			defer mu.Unlock()
			now = now.Add(50 * time.Millisecond)
			return now
		}
		s := newClient(t, srv, f, Options{Pace: fetch.Pace{MinSpeed: 1000, Window: time.Second, Now: clock}}).Bucket(prowtest.BucketName)
		got, err := readAll(t, s, obj)
		want := "gs://test-bucket/" + obj + ": download from storage.googleapis.com too slow: 20 B in the last 1s (20 B/s), below the floor of 1000 B/s"
		if err == nil || err.Error() != want {
			t.Errorf("error %v, want %q", err, want)
		}
		if len(got) > 100 {
			t.Errorf("read %d bytes before giving up, want about 20", len(got))
		}
	})
	t.Run("truncated", func(t *testing.T) {
		f := &faults{}
		f.hook = func(req *http.Request) (*http.Response, error) {
			if req.Method != http.MethodGet || !strings.HasSuffix(req.URL.Path, obj) {
				return nil, nil
			}
			resp, err := f.base.RoundTrip(req)
			if err != nil {
				return nil, err
			}
			// Half the body, with the full length announced and no hash to
			// give it away: only the length check can tell.
			resp.Body = io.NopCloser(io.LimitReader(resp.Body, resp.ContentLength/2))
			resp.Header.Del("X-Goog-Hash")
			return resp, nil
		}
		s := newClient(t, srv, f, Options{}).Bucket(prowtest.BucketName)
		_, err := readAll(t, s, obj)
		if err == nil || err.Error() != "gs://test-bucket/"+obj+": truncated download: got 4500 of 9000 bytes" {
			t.Errorf("error %v, want a truncated download naming the object", err)
		}
	})
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// stallingBody gives what r holds, then blocks until ctx ends.
type stallingBody struct {
	r   io.Reader
	ctx context.Context
}

func (s *stallingBody) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if err == io.EOF {
		<-s.ctx.Done()
		return n, s.ctx.Err()
	}
	return n, err
}

func (s *stallingBody) Close() error { return nil }

// TestGzipEncoded reads gzip-encoded objects both ways GCS serves them:
// decompressed by the service (no Accept-Encoding: the in-process
// transport) and compressed for the client to decompress (a real
// connection, whose transport asks for gzip), through STORAGE_EMULATOR_HOST.
func TestGzipEncoded(t *testing.T) {
	const body = "line 1\nKUBERNETES_NODE_PLATFORM=windows\n"
	b := prowtest.Bucket{
		"logs/j/1/build-log.txt": {Body: []byte(strings.Repeat(body, 50)), Gzip: true},
		"logs/j/1/finished.json": {Body: []byte(`{"passed": true, "result": "SUCCESS"}`), Gzip: true},
	}
	check := func(t *testing.T, s fetch.Store) {
		t.Helper()
		got, err := readAll(t, s, "logs/j/1/build-log.txt")
		if err != nil || got != strings.Repeat(body, 50) {
			t.Errorf("build log = %q..., %v; want the decompressed content", got[:min(len(got), 40)], err)
		}
		fe := &fetch.Fetcher{Store: s}
		bl, err := fe.Resolve(context.Background(), fetch.Source{Kind: fetch.KindGCS, Bucket: prowtest.BucketName, Path: "logs/j/1"})
		if err != nil || bl.Result() != "SUCCESS" {
			t.Errorf("Resolve = %v (%s), want the gzip-encoded finished.json read", err, bl.Result())
		}
	}
	t.Run("in process", func(t *testing.T) {
		srv := newFake(t, b, fakestorage.Options{})
		check(t, newClient(t, srv, &faults{}, Options{}).Bucket(prowtest.BucketName))
	})
	t.Run("STORAGE_EMULATOR_HOST", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Skip("no loopback listener:", err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		l.Close()
		host := "127.0.0.1:" + strconv.Itoa(port)
		newFake(t, b, fakestorage.Options{Scheme: "http", Host: "127.0.0.1", Port: uint16(port), PublicHost: host})
		t.Setenv("STORAGE_EMULATOR_HOST", host)
		c, err := New(context.Background(), Options{Backoff: time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		check(t, c.Bucket(prowtest.BucketName))
	})
}

// TestGeneratedBucket reads the bundled testdata/bucket through the real
// client, served by fake-gcs-server, as a user's bucket would be.
func TestGeneratedBucket(t *testing.T) {
	root := "../../testdata/bucket" // committed: its absence is a failure
	dir, err := fetch.OpenDir(root)
	if err != nil {
		t.Fatal(err)
	}
	b := prowtest.Bucket{}
	for o, err := range dir.List(context.Background(), "", "") {
		if err != nil {
			t.Fatal(err)
		}
		r, _, err := dir.Open(context.Background(), o.Name)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		b[o.Name] = prowtest.Object{Body: body, Gzip: strings.HasSuffix(o.Name, ".txt")}
	}
	// Serve it under the bucket its pointers name.
	bucket := "kubernetes-ci-logs"
	srv := newFakeNamed(t, bucket, b, fakestorage.Options{})
	remote := newClient(t, srv, &faults{}, Options{PageSize: 3}).Bucket(bucket)
	jobs := map[string]bool{}
	for _, top := range []string{"logs/", "pr-logs/directory/"} {
		for o, err := range dir.List(context.Background(), top, "/") {
			if err != nil {
				t.Fatal(err)
			}
			if o.Prefix {
				jobs[strings.TrimSuffix(strings.TrimPrefix(o.Name, top), "/")] = true
			}
		}
	}
	if len(jobs) < 3 {
		t.Fatalf("testdata/bucket holds %d jobs, want its periodic jobs and its presubmit", len(jobs))
	}
	for job := range jobs {
		t.Run(job, func(t *testing.T) {
			ctx := context.Background()
			local, err := (&fetch.Fetcher{Store: dir}).Select(ctx, fetch.Query{Job: job})
			if err != nil {
				t.Fatalf("selecting from the directory: %v", err)
			}
			fe := &fetch.Fetcher{Store: remote}
			got, err := fe.Select(ctx, fetch.Query{Job: job})
			if err != nil {
				t.Fatal(err)
			}
			if got.Failing.Build.ID != local.Failing.Build.ID || !slices.Equal(ids(got.Baselines), ids(local.Baselines)) {
				t.Errorf("over GCS: %s %v; from the directory: %s %v", got.Failing.Build.ID, ids(got.Baselines), local.Failing.Build.ID, ids(local.Baselines))
			}
			runs, err := fe.Materialize(ctx, t.TempDir(), []fetch.Build{got.Failing.Build}, nil)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := os.ReadFile(root + "/" + runs[0].Build.Log)
			if have, _ := os.ReadFile(runs[0].Log); string(have) != string(want) {
				t.Errorf("downloaded log differs from %s", runs[0].Build.Log)
			}
		})
	}
}
