package sweep_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/fsouza/fake-gcs-server/fakestorage"

	"github.com/logdiff/logdiff/cmd/internal/sweep"
	"github.com/logdiff/logdiff/fetch"
	"github.com/logdiff/logdiff/fetch/gcs"
	"github.com/logdiff/logdiff/internal/prowtest"
	"github.com/logdiff/logdiff/logdiff"
	"github.com/logdiff/logdiff/logdiff/regressions"
	"github.com/logdiff/logdiff/patterns"
)

// The runs are laid out by internal/prowtest; bucketName is its bucket.
const bucketName = prowtest.BucketName

type bucket = prowtest.Bucket

// run is one build of a job, as the scenarios need it.
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

// add lays r out in b, an hour apart per build id (the summaries show
// the time a job started failing).
func add(b bucket, r run) {
	id, _ := strconv.ParseInt(r.id, 10, 64)
	b.Add(prowtest.Run{
		Job: r.job, ID: r.id, Result: r.result, Presubmit: r.presubmit, Repo: "kubernetes_kubernetes", PR: 123,
		Env: r.env, Log: string(r.log), NoLog: r.noLog, GzipLog: r.gzipLog, BadFinished: r.badFinish,
		Started: 1700000000 + id%1000000*3600,
	})
}

// writeDir writes b under dir as gsutil would copy it.
func writeDir(t testing.TB, dir string, b bucket) {
	t.Helper()
	prowtest.WriteDirTo(t, dir, b)
}

// fakeGCS serves b in process (no socket) and returns a store on it.
func fakeGCS(t testing.TB, b bucket) fetch.Store {
	t.Helper()
	srv := prowtest.FakeServer(t, bucketName, b, fakestorage.Options{})
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
				add(s.bucket, r)
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
