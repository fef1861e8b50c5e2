// Package prowtest lays out Prow runs for tests: in a directory, or as
// objects served by fake-gcs-server. fetch, its backends, the sweep and the
// CLI test against it; internal/samplegen writes the richer, realistic bucket
// committed as testdata/bucket, and is separate on purpose (its runs tell a
// story; these are made to order).
package prowtest

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"testing"

	"github.com/fsouza/fake-gcs-server/fakestorage"
)

// BucketName is the bucket the runs' pointers name.
const BucketName = "test-bucket"

// Object is one object's content, stored gzip-encoded when Gzip.
type Object struct {
	Body []byte
	Gzip bool
}

// Bucket maps object names to objects.
type Bucket map[string]Object

// Run describes one build of a job.
type Run struct {
	Job, ID string
	// Result is SUCCESS, FAILURE or ABORTED; "" leaves out finished.json
	// (a running build).
	Result string

	// Presubmit runs live under pr-logs/pull/<Repo>/<PR>/ (Repo "" for the
	// default repository), with a pointer in pr-logs/directory/.
	Presubmit bool
	Repo      string
	PR        int
	BaseRef   string // default "master"

	Log     string // build-log.txt; default "log of <job>/<id>\n"
	LogName string // default build-log.txt
	NoLog   bool   // leave out the build log
	GzipLog bool   // store the build log gzip-encoded (only it)

	// Started is started.json's timestamp (Unix seconds); 0 means
	// 1700000000 plus the id's last six digits in seconds.
	Started int64
	// BadFinished writes a finished.json that does not parse.
	BadFinished bool

	Env       map[string]string // the test container's environment
	Artifacts map[string]string // relative to the build directory
	Gzip      bool              // store every object gzip-encoded
}

// Dir is the run's build directory.
func (r Run) Dir() string {
	if !r.Presubmit {
		return path.Join("logs", r.Job, r.ID)
	}
	return path.Join("pr-logs", "pull", r.Repo, strconv.Itoa(r.PR), r.Job, r.ID)
}

// Add lays out r in b.
func (b Bucket) Add(r Run) {
	if r.BaseRef == "" {
		r.BaseRef = "master"
	}
	dir := r.Dir()
	put := func(name string, body []byte) {
		b[path.Join(dir, name)] = Object{Body: body, Gzip: r.Gzip}
	}
	ts := r.Started
	if ts == 0 {
		id, _ := strconv.ParseInt(r.ID, 10, 64)
		ts = 1700000000 + id%1000000
	}
	put("started.json", mustJSON(map[string]any{
		"timestamp":   ts,
		"repos":       map[string]string{"kubernetes/kubernetes": r.BaseRef + ":abc" + r.ID},
		"repo-commit": "abc" + r.ID,
	}))
	if r.Result != "" {
		put("finished.json", mustJSON(map[string]any{
			"timestamp": ts + 600,
			"passed":    r.Result == "SUCCESS",
			"result":    r.Result,
			"metadata":  map[string]any{"job-version": "v1.31.0-" + r.ID},
		}))
	}
	if r.BadFinished {
		put("finished.json", []byte("{not json"))
	}
	var env []map[string]string
	keys := make([]string, 0, len(r.Env))
	for k := range r.Env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		env = append(env, map[string]string{"name": k, "value": r.Env[k]})
	}
	typ := "periodic"
	refs := map[string]any{"org": "kubernetes", "repo": "kubernetes", "base_ref": r.BaseRef, "base_sha": "abc" + r.ID}
	if r.Presubmit {
		typ = "presubmit"
		refs["pulls"] = []map[string]any{{"number": r.PR, "sha": "def" + r.ID}}
	}
	put("prowjob.json", mustJSON(map[string]any{
		"metadata": map[string]any{
			"labels": map[string]string{"prow.k8s.io/build-id": r.ID, "preset-windows": "true"},
		},
		"spec": map[string]any{
			"type": typ, "job": r.Job, "cluster": "test-cluster", "refs": refs,
			"pod_spec": map[string]any{"containers": []map[string]any{{
				"name": "test", "image": "gcr.io/k8s/kubekins:v1", "command": []string{"runner.sh"},
				"args": []string{"--provider=gce"}, "env": env,
			}}},
		},
	}))
	if !r.NoLog {
		name := r.LogName
		if name == "" {
			name = "build-log.txt"
		}
		log := r.Log
		if log == "" {
			log = fmt.Sprintf("log of %s/%s\n", r.Job, r.ID)
		}
		put(name, []byte(log))
		if r.GzipLog {
			b[path.Join(dir, name)] = Object{Body: []byte(log), Gzip: true}
		}
	}
	for name, body := range r.Artifacts {
		put(name, []byte(body))
	}
	if r.Presubmit {
		b[path.Join("pr-logs", "directory", r.Job, r.ID+".txt")] = Object{Body: []byte("gs://" + BucketName + "/" + dir + "\n")}
		b[path.Join("pr-logs", "directory", r.Job, "latest-build.txt")] = Object{Body: []byte(r.ID)}
	} else {
		b[path.Join("logs", r.Job, "latest-build.txt")] = Object{Body: []byte(r.ID)}
	}
}

// Encoded returns the object's stored bytes: gzip-compressed when Gzip.
func (o Object) Encoded() []byte {
	if !o.Gzip {
		return o.Body
	}
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(o.Body)
	w.Close()
	return buf.Bytes()
}

// FakeServer serves b in process (no socket unless opts.Host is set) as
// the bucket name, for the real storage client to read through its
// HTTPClient. An object stored gzip-encoded whose body is gzip already (a
// corrupt one, say) is stored as it is.
func FakeServer(t testing.TB, name string, b Bucket, opts fakestorage.Options) *fakestorage.Server {
	t.Helper()
	for objName, o := range b {
		attrs := fakestorage.ObjectAttrs{BucketName: name, Name: objName, ContentType: "text/plain"}
		body := o.Encoded()
		if o.Gzip {
			attrs.ContentEncoding = "gzip"
			if bytes.HasPrefix(o.Body, []byte("\x1f\x8b")) {
				body = o.Body
			}
		}
		opts.InitialObjects = append(opts.InitialObjects, fakestorage.Object{ObjectAttrs: attrs, Content: body})
	}
	if opts.Host == "" {
		opts.NoListener = true
	}
	srv, err := fakestorage.NewServerWithOptions(opts)
	if err != nil {
		t.Fatal(err)
	}
	srv.CreateBucketWithOpts(fakestorage.CreateBucketOpts{Name: name})
	t.Cleanup(srv.Stop)
	return srv
}

// WriteDir writes b under a new temporary directory, decompressed (as
// gsutil would copy it), and returns the directory.
func WriteDir(t testing.TB, b Bucket) string {
	t.Helper()
	dir := t.TempDir()
	WriteDirTo(t, dir, b)
	return dir
}

// WriteDirTo writes b under dir, decompressed.
func WriteDirTo(t testing.TB, dir string, b Bucket) {
	t.Helper()
	for name, o := range b {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, o.Body, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func mustJSON(v any) []byte {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		panic(err)
	}
	return b
}
