package sweep_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/fsouza/fake-gcs-server/fakestorage"

	"github.com/logdiff/logdiff/cmd/internal/sweep"
	"github.com/logdiff/logdiff/fetch"
	"github.com/logdiff/logdiff/fetch/gcs"
	"github.com/logdiff/logdiff/logdiff"
	"github.com/logdiff/logdiff/logdiff/regressions"
	"github.com/logdiff/logdiff/patterns"
)

// The layout of Prow runs below is a small copy of fetch's internal
// fetchtest (which packages outside fetch cannot import): started.json,
// finished.json, prowjob.json with the test container's environment, the
// build log, and for presubmits the pointer in pr-logs/directory/.

const bucketName = "test-bucket"

type object struct {
	body []byte
	gzip bool // stored gzip-encoded (Content-Encoding: gzip in GCS)
}

type bucket map[string]object

// run is one build of a job.
type run struct {
	job, id   string
	result    string // SUCCESS, FAILURE; "" leaves out finished.json
	presubmit bool
	env       map[string]string
	log       []byte
	noLog     bool
	gzipLog   bool // store the build log gzip-encoded
	badFinish bool // finished.json that does not parse
}

func (r run) dir() string {
	if !r.presubmit {
		return path.Join("logs", r.job, r.id)
	}
	return path.Join("pr-logs", "pull", "kubernetes_kubernetes", "123", r.job, r.id)
}

func (b bucket) add(r run) {
	dir := r.dir()
	put := func(name string, body []byte) { b[path.Join(dir, name)] = object{body: body} }
	id, _ := strconv.ParseInt(r.id, 10, 64)
	ts := 1700000000 + id%1000000*3600
	put("started.json", mustJSON(map[string]any{
		"timestamp": ts, "repos": map[string]string{"kubernetes/kubernetes": "master:abc" + r.id}, "repo-commit": "abc" + r.id,
	}))
	if r.result != "" {
		put("finished.json", mustJSON(map[string]any{
			"timestamp": ts + 600, "passed": r.result == "SUCCESS", "result": r.result,
			"metadata": map[string]any{"job-version": "v1.31.0-" + r.id},
		}))
	}
	if r.badFinish {
		put("finished.json", []byte("{not json"))
	}
	var env []map[string]string
	keys := make([]string, 0, len(r.env))
	for k := range r.env {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		env = append(env, map[string]string{"name": k, "value": r.env[k]})
	}
	typ, refs := "periodic", map[string]any{"org": "kubernetes", "repo": "kubernetes", "base_ref": "master", "base_sha": "abc" + r.id}
	if r.presubmit {
		typ = "presubmit"
		refs["pulls"] = []map[string]any{{"number": 123, "sha": "def" + r.id}}
	}
	put("prowjob.json", mustJSON(map[string]any{
		"metadata": map[string]any{"labels": map[string]string{"prow.k8s.io/build-id": r.id}},
		"spec": map[string]any{
			"type": typ, "job": r.job, "cluster": "test-cluster", "refs": refs,
			"pod_spec": map[string]any{"containers": []map[string]any{{
				"name": "test", "image": "gcr.io/k8s/kubekins:v1", "command": []string{"runner.sh"}, "env": env,
			}}},
		},
	}))
	switch {
	case r.noLog:
	case r.gzipLog:
		b[path.Join(dir, "build-log.txt")] = object{body: r.log, gzip: true}
	default:
		put("build-log.txt", r.log)
	}
	if r.presubmit {
		b[path.Join("pr-logs", "directory", r.job, r.id+".txt")] = object{body: []byte("gs://" + bucketName + "/" + dir + "\n")}
	} else {
		b[path.Join("logs", r.job, "latest-build.txt")] = object{body: []byte(r.id)}
	}
}

func mustJSON(v any) []byte {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		panic(err)
	}
	return b
}

// encoded is the object as stored: gzip-compressed when gzip.
func (o object) encoded() []byte {
	if !o.gzip {
		return o.body
	}
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(o.body)
	w.Close()
	return buf.Bytes()
}

// writeDir writes b under dir as gsutil would copy it: objects stored
// gzip-encoded are written compressed only when their body is not gzip
// already (a corrupt "gzip" body is written as it is).
func writeDir(t testing.TB, dir string, b bucket) {
	t.Helper()
	for name, o := range b {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, o.body, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// fakeGCS serves b in process (no socket) and returns a store on it.
func fakeGCS(t testing.TB, b bucket) fetch.Store {
	t.Helper()
	var objs []fakestorage.Object
	for name, o := range b {
		attrs := fakestorage.ObjectAttrs{BucketName: bucketName, Name: name, ContentType: "text/plain"}
		body := o.encoded()
		if o.gzip {
			attrs.ContentEncoding = "gzip"
			if bytes.HasPrefix(o.body, []byte("\x1f\x8b")) {
				body = o.body // already "gzip" (a corrupt one): as it is
			}
		}
		objs = append(objs, fakestorage.Object{ObjectAttrs: attrs, Content: body})
	}
	srv, err := fakestorage.NewServerWithOptions(fakestorage.Options{InitialObjects: objs, NoListener: true})
	if err != nil {
		t.Fatal(err)
	}
	srv.CreateBucketWithOpts(fakestorage.CreateBucketOpts{Name: bucketName})
	t.Cleanup(srv.Stop)
	c, err := gcs.New(context.Background(), gcs.Options{HTTPClient: srv.HTTPClient(), Auth: gcs.AuthAnonymous, Attempts: 2, Backoff: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c.Bucket(bucketName)
}

// kind is what happens to a generated job.
type kind int

const (
	shared     kind = iota // the Windows preset removed: env gone, download missing
	own                    // its own error
	flaky                  // passed, failed, passed
	allFailing             // failed in every run
	noLog                  // the failing run has no build log
	badGzip                // the failing run's build log is corrupt gzip
	passing                // always passed
	running                // only a run still going
)

// scenario is the generated sweep: jobs by kind, and their runs.
type scenario struct {
	bucket bucket
	jobs   map[kind][]string
	all    []string
}

// ownCauses are distinct after normalization (no numbers, no ids): each
// job that breaks by itself breaks differently.
var ownCauses = []string{
	"failed to create instance: quota exceeded for resource alpha in region europe",
	"error pulling image: TLS handshake timeout talking to registry bravo",
	"error: x509: certificate signed by unknown authority charlie",
	"failed to start container delta of the apiserver: OOMKilled",
	"error unpacking echo: no space left on device",
	"failed to write key: etcdserver: request timed out on foxtrot",
	"error opening golf credentials: permission denied",
	"failed to pull image for hotel sidecar: back-off pulling image",
}

// genScenario lays out dozens of jobs with 4 runs each (ids 1001-1004,
// newest last) and logs of about logLines lines.
func genScenario(counts map[kind]int, logLines int) *scenario {
	s := &scenario{bucket: bucket{}, jobs: map[kind][]string{}}
	names := map[kind]string{shared: "win", own: "own", flaky: "flaky", allFailing: "broken", noLog: "nolog", badGzip: "badgzip", passing: "green", running: "running"}
	for k := shared; k <= running; k++ {
		for i := range counts[k] {
			job := fmt.Sprintf("ci-sweep-%s-%02d", names[k], i)
			presubmit := k == shared && i%5 == 4 // a few presubmits share the cause
			if presubmit {
				job = fmt.Sprintf("pull-sweep-%s-%02d", names[k], i)
			}
			s.jobs[k] = append(s.jobs[k], job)
			s.all = append(s.all, job)
			results := map[kind][]string{
				shared: {"SUCCESS", "SUCCESS", "FAILURE", "FAILURE"}, own: {"SUCCESS", "SUCCESS", "FAILURE", "FAILURE"},
				flaky: {"SUCCESS", "FAILURE", "SUCCESS", "SUCCESS"}, allFailing: {"FAILURE", "FAILURE", "FAILURE", "FAILURE"},
				noLog: {"SUCCESS", "SUCCESS", "FAILURE", "FAILURE"}, badGzip: {"SUCCESS", "SUCCESS", "FAILURE", "FAILURE"},
				passing: {"SUCCESS", "SUCCESS", "SUCCESS", "SUCCESS"}, running: {"", "", "", ""},
			}[k]
			for n, res := range results {
				id := strconv.Itoa(1001 + n)
				fail := res == "FAILURE"
				r := run{job: job, id: id, result: res, presubmit: presubmit, env: map[string]string{"PROVIDER": "gce"}}
				windows := !(k == shared && fail)
				if windows {
					r.env["KUBERNETES_NODE_PLATFORM"] = "windows"
				}
				cause := ""
				if k == own && fail {
					cause = ownCauses[i%len(ownCauses)]
				}
				seed := uint64(len(s.all))*100 + uint64(n)
				r.log = genLog(job, id, seed, logLines, windows, fail, cause)
				if fail && n == 2 { // the transition's failing run
					switch k {
					case noLog:
						r.noLog = true
					case badGzip:
						r.log = []byte("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xffthis is not deflate data at all")
						r.gzipLog = true
					}
				}
				if k == flaky && n == 3 {
					r.badFinish = true // one unreadable build's metadata: passed over, said so
				}
				s.bucket.add(r)
			}
		}
	}
	slices.Sort(s.all)
	return s
}

// genLog writes a build log: kube-up with or without the Windows preset,
// lines with volatile tokens, then the tests' result.
func genLog(job, id string, seed uint64, lines int, windows, fail bool, cause string) []byte {
	rng := rand.New(rand.NewPCG(seed, 11))
	var b bytes.Buffer
	ts := func() string {
		return fmt.Sprintf("2025-02-11T%02d:%02d:%02d.%06dZ", rng.IntN(24), rng.IntN(60), rng.IntN(60), rng.IntN(1e6))
	}
	fmt.Fprintf(&b, "%s + ./hack/e2e-internal/e2e-up.sh for %s build %s\n", ts(), job, id)
	fmt.Fprintf(&b, "PROVIDER=gce\nNUM_NODES=3\n")
	if windows {
		fmt.Fprintf(&b, "KUBERNETES_NODE_PLATFORM=windows\n")
	}
	url := fmt.Sprintf("https://storage.googleapis.com/k8s-release-dev/ci/v1.33.0-alpha.%d+%x", rng.IntN(400), rng.Uint64())
	fmt.Fprintf(&b, "Will download kubernetes-server-linux-amd64.tar.gz from %s\n", url)
	if windows {
		fmt.Fprintf(&b, "Will download and extract kubernetes-node-windows-amd64.tar.gz from %s\n", url)
	} else {
		fmt.Fprintf(&b, "!!! Cannot find kubernetes-node-windows-amd64.tar.gz\n")
	}
	for i := range lines {
		switch i % 4 {
		case 0:
			fmt.Fprintf(&b, "I0211 %02d:%02d:%02d.%06d %d round_trippers.go:553] GET https://10.%d.%d.%d:6443/api/v1/nodes 200 OK in %d milliseconds\n",
				rng.IntN(24), rng.IntN(60), rng.IntN(60), rng.IntN(1e6), rng.IntN(1e5), rng.IntN(255), rng.IntN(255), rng.IntN(255), rng.IntN(900))
		case 1:
			fmt.Fprintf(&b, "%s STEP: Creating a pod test-pod-%x in namespace e2e-tests-%d\n", ts(), rng.Uint32(), rng.IntN(1e5))
		case 2:
			fmt.Fprintf(&b, "%s Waiting for pod e2e-%x to be running (%d.%03ds elapsed)\n", ts(), rng.Uint32(), rng.IntN(60), rng.IntN(1000))
		case 3:
			fmt.Fprintf(&b, "%s [sig-node] step %d of the node suite passed\n", ts(), i)
		}
	}
	if cause != "" {
		fmt.Fprintf(&b, "%s E0211 kubelet.go:%d] %s\n", ts(), rng.IntN(2000), cause)
	}
	if fail {
		fmt.Fprintf(&b, "%s Error: error during ./hack/e2e-internal/e2e-up.sh: exit status 1\n", ts())
	}
	fmt.Fprintf(&b, "%s Ran 42 of 700 Specs in %d.%03d seconds\n", ts(), rng.IntN(3000), rng.IntN(1000))
	if fail {
		fmt.Fprintf(&b, "FAIL! -- 41 Passed | 1 Failed | 0 Pending | 658 Skipped\n")
	} else {
		fmt.Fprintf(&b, "SUCCESS! -- 42 Passed | 0 Failed | 0 Pending | 658 Skipped\n")
	}
	return b.Bytes()
}

// compareOptions are logdiff job's defaults: every built-in pack.
func compareOptions() logdiff.Options {
	var files []*patterns.File
	for _, name := range patterns.Packs() {
		f, err := patterns.Pack(name)
		if err != nil {
			panic(err)
		}
		files = append(files, f)
	}
	set, err := patterns.Compile(files...)
	if err != nil {
		panic(err)
	}
	return logdiff.Options{Normalizer: logdiff.NewNormalizer(set), Knowledge: set}
}

// newSweeper sweeps store, whose canonical source is src.
func newSweeper(t testing.TB, store fetch.Store, src fetch.Source) *sweep.Sweeper {
	return &sweep.Sweeper{
		Fetcher: &fetch.Fetcher{Store: store}, Source: src, Options: compareOptions(),
		Baselines: 2, Parallel: 4, TempDir: t.TempDir(), Now: func() time.Time { return testNow },
	}
}

// byJob indexes records.
func byJob(records []regressions.Record) map[string]regressions.Record {
	m := map[string]regressions.Record{}
	for _, r := range records {
		m[r.Job] = r
	}
	return m
}

func sortedCopy(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
