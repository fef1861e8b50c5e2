package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// committed is the generated tree as checked in, relative to this package.
const committed = "../../testdata/bucket"

// TestCommittedTreeIsCurrent regenerates the bucket and compares it, file by
// file, with the committed one, so that neither can change without the other.
func TestCommittedTreeIsCurrent(t *testing.T) {
	dir := t.TempDir()
	if err := writeTree(dir, bucketFiles()); err != nil {
		t.Fatal(err)
	}
	fresh, err := readTree(dir)
	if err != nil {
		t.Fatal(err)
	}
	old, err := readTree(committed)
	if err != nil {
		t.Fatalf("%v\n(regenerate with: go run ./internal/samplegen -out testdata/bucket)", err)
	}
	for p, b := range fresh {
		ob, ok := old[p]
		switch {
		case !ok:
			t.Errorf("%s: generated but not committed", p)
		case !bytes.Equal(b, ob):
			t.Errorf("%s: committed copy differs from the generator's: %s", p, firstDiff(ob, b))
		}
	}
	for p := range old {
		if _, ok := fresh[p]; !ok {
			t.Errorf("%s: committed but no longer generated", p)
		}
	}
	if t.Failed() {
		t.Log("regenerate with: go run ./internal/samplegen -out testdata/bucket")
	}
}

func readTree(root string) (map[string][]byte, error) {
	files := map[string][]byte{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		files[filepath.ToSlash(rel)] = b
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading tree %s: %w", root, err)
	}
	return files, nil
}

func firstDiff(want, got []byte) string {
	wl, gl := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	for i := range max(len(wl), len(gl)) {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return fmt.Sprintf("line %d:\n  committed: %.200q\n  generated: %.200q", i+1, w, g)
		}
	}
	return "same lines, different bytes"
}

func TestGenerationIsDeterministic(t *testing.T) {
	a, b := bucketFiles(), bucketFiles()
	if len(a) != len(b) {
		t.Fatalf("two generations made %d and %d files", len(a), len(b))
	}
	for p := range a {
		if !bytes.Equal(a[p], b[p]) {
			t.Errorf("%s differs between two generations: %s", p, firstDiff(a[p], b[p]))
		}
	}
}

// generated holds one generation and what the tests need to find their way in it.
type generated struct {
	files map[string][]byte
	runs  []genRun
}

type genRun struct {
	spec runSpec
	id   int64
	dir  string
}

func generate(t *testing.T) generated {
	t.Helper()
	g := generated{files: bucketFiles()}
	for _, s := range story() {
		r := newRun(s, false)
		g.runs = append(g.runs, genRun{spec: s, id: r.id, dir: s.dir(strconv.FormatInt(r.id, 10))})
	}
	return g
}

func TestLayout(t *testing.T) {
	g := generate(t)
	for _, r := range g.runs {
		t.Run(r.dir, func(t *testing.T) {
			for _, f := range []string{"build-log.txt", "started.json", "prowjob.json", "clone-records.json"} {
				if _, ok := g.files[r.dir+"/"+f]; !ok {
					t.Errorf("missing %s", f)
				}
			}
			_, hasFinished := g.files[r.dir+"/finished.json"]
			if want := r.spec.outcome != running; hasFinished != want {
				t.Errorf("finished.json present = %v, want %v", hasFinished, want)
			}

			var started struct {
				Timestamp int64             `json:"timestamp"`
				Pull      string            `json:"pull"`
				Repos     map[string]string `json:"repos"`
			}
			mustJSON(t, g.files[r.dir+"/started.json"], &started)
			if started.Timestamp != r.spec.start.Unix() {
				t.Errorf("started.json timestamp %d, want %d", started.Timestamp, r.spec.start.Unix())
			}
			// Prow's build id encodes when the ProwJob was created, a few
			// seconds before the container started.
			if lag := time.Unix(started.Timestamp, 0).Sub(snowflakeTime(r.id)); lag < 0 || lag > 10*time.Second {
				t.Errorf("build id %d encodes %v, %v before started.json's timestamp", r.id, snowflakeTime(r.id), lag)
			}
			if r.spec.presubmit {
				if started.Pull != strconv.Itoa(r.spec.pr) {
					t.Errorf("started.json pull %q, want %d", started.Pull, r.spec.pr)
				}
				if ref := started.Repos["kubernetes/kubernetes"]; !strings.HasPrefix(ref, r.spec.branch+":") || !strings.Contains(ref, fmt.Sprintf(",%d:", r.spec.pr)) {
					t.Errorf("started.json repos %q, want base:sha,pr:sha", ref)
				}
			} else if started.Repos["kubernetes/kubernetes"] != "master" {
				t.Errorf("started.json repos %v, want master", started.Repos)
			}

			if hasFinished {
				var finished struct {
					Timestamp int64  `json:"timestamp"`
					Passed    bool   `json:"passed"`
					Result    string `json:"result"`
				}
				mustJSON(t, g.files[r.dir+"/finished.json"], &finished)
				if finished.Result != r.spec.outcome.result() || finished.Passed != (r.spec.outcome == success) {
					t.Errorf("finished.json says %s (passed %v), want %s", finished.Result, finished.Passed, r.spec.outcome.result())
				}
				if d := finished.Timestamp - started.Timestamp; d < 10*60 || d > 3*3600 {
					t.Errorf("run took %ds by its timestamps", d)
				}
			}

			var pj struct {
				APIVersion string `json:"apiVersion"`
				Kind       string `json:"kind"`
				Metadata   struct {
					Labels map[string]string `json:"labels"`
				} `json:"metadata"`
				Spec struct {
					Type    string `json:"type"`
					Job     string `json:"job"`
					Refs    *refs  `json:"refs"`
					PodSpec struct {
						Containers []struct {
							Image   string   `json:"image"`
							Command []string `json:"command"`
							Env     []envVar `json:"env"`
						} `json:"containers"`
					} `json:"pod_spec"`
				} `json:"spec"`
				Status struct {
					BuildID string `json:"build_id"`
				} `json:"status"`
			}
			mustJSON(t, g.files[r.dir+"/prowjob.json"], &pj)
			if pj.APIVersion != "prow.k8s.io/v1" || pj.Kind != "ProwJob" || pj.Spec.Job != r.spec.job() || pj.Status.BuildID != strconv.FormatInt(r.id, 10) {
				t.Errorf("prowjob.json: %s %s job %s build %s", pj.APIVersion, pj.Kind, pj.Spec.Job, pj.Status.BuildID)
			}
			if len(pj.Spec.PodSpec.Containers) != 1 || pj.Spec.PodSpec.Containers[0].Command[0] != "runner.sh" {
				t.Fatalf("prowjob.json: want one container running runner.sh, got %+v", pj.Spec.PodSpec.Containers)
			}
			c := pj.Spec.PodSpec.Containers[0]
			if !strings.HasPrefix(c.Image, imageRepo+":v2025") {
				t.Errorf("image %s", c.Image)
			}
			hasPreset := pj.Metadata.Labels["preset-windows-gce"] == "true"
			hasEnv := false
			for _, e := range c.Env {
				if e.Name == "KUBERNETES_NODE_PLATFORM" && e.Value == "windows" {
					hasEnv = true
				}
			}
			if hasPreset != r.spec.preset || hasEnv != r.spec.preset {
				t.Errorf("preset label %v, KUBERNETES_NODE_PLATFORM in env %v; want both %v", hasPreset, hasEnv, r.spec.preset)
			}
			if r.spec.presubmit && (pj.Spec.Refs == nil || len(pj.Spec.Refs.Pulls) != 1 || pj.Spec.Refs.Pulls[0].Number != r.spec.pr || pj.Spec.Refs.BaseRef != r.spec.branch) {
				t.Errorf("presubmit refs %+v", pj.Spec.Refs)
			}
		})
	}
}

func mustJSON(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("parsing %.60q...: %v", b, err)
	}
}

func TestPointers(t *testing.T) {
	g := generate(t)
	newest := map[string]genRun{}
	for _, r := range g.runs {
		dirs := []string{"logs/" + r.spec.job()}
		if r.spec.presubmit {
			dirs = []string{"pr-logs/directory/" + presubmitJob, fmt.Sprintf("pr-logs/pull/kubernetes_kubernetes/%d/%s", r.spec.pr, presubmitJob)}
			id := strconv.FormatInt(r.id, 10)
			want := "gs://" + bucket + "/" + r.dir
			if got := string(g.files["pr-logs/directory/"+presubmitJob+"/"+id+".txt"]); got != want {
				t.Errorf("pointer for %s is %q, want %q", id, got, want)
			}
		}
		for _, d := range dirs {
			if cur, ok := newest[d]; !ok || cur.id < r.id {
				newest[d] = r
			}
		}
	}
	for d, r := range newest {
		if got, want := string(g.files[d+"/latest-build.txt"]), strconv.FormatInt(r.id, 10); got != want {
			t.Errorf("%s/latest-build.txt is %q, want %q", d, got, want)
		}
	}
	// Build ids grow with time within each job.
	var prev genRun
	for _, r := range g.runs {
		if prev.dir != "" && prev.spec.job() == r.spec.job() && prev.id >= r.id {
			t.Errorf("build %d of %s is not newer than %d", r.id, r.spec.job(), prev.id)
		}
		prev = r
	}
}

// TestRunsOfOneConfigDifferOnlyInVolatileTokens renders runs with every
// volatile token replaced by its kind: runs of the same configuration must
// then print the same bytes.
func TestRunsOfOneConfigDifferOnlyInVolatileTokens(t *testing.T) {
	masked := map[string][]string{} // by configuration
	for _, s := range story() {
		if s.outcome == running {
			continue
		}
		key := fmt.Sprintf("job=%s outcome=%v preset=%v branch=%s image=%s flip=%q", s.job(), s.outcome, s.preset, s.branch, s.imageTag, s.flip)
		masked[key] = append(masked[key], newRun(s, true).buildLog())
	}
	compared := 0
	for key, logs := range masked {
		for i := 1; i < len(logs); i++ {
			compared++
			if logs[i] != logs[0] {
				t.Errorf("%s: masked build logs differ: %s", key, firstDiff([]byte(logs[0]), []byte(logs[i])))
			}
		}
	}
	// Three pairs of passing Windows periodics, one of failing ones, one of
	// passing presubmits, two of passing containerd periodics.
	if compared < 7 {
		t.Errorf("compared only %d pairs of runs", compared)
	}
}

// TestTheStory checks the lines that tell a passing run from a failing one.
func TestTheStory(t *testing.T) {
	g := generate(t)
	for _, r := range g.runs {
		t.Run(r.dir, func(t *testing.T) {
			log := string(g.files[r.dir+"/build-log.txt"])
			lines := strings.Split(log, "\n")
			count := func(s string) int {
				n := 0
				for _, l := range lines {
					if l == s {
						n++
					}
				}
				return n
			}
			has := func(s string) bool { return strings.Contains(log, s) }
			windowsEnv := []string{"KUBERNETES_NODE_PLATFORM=windows", "NODE_OS_DISTRIBUTION=windows", "WINDOWS_NODE_OS_DISTRIBUTION=win2019"}
			for _, e := range windowsEnv {
				if got := count(e) == 1; got != r.spec.preset {
					t.Errorf("env line %s present %v, want %v", e, got, r.spec.preset)
				}
			}
			if got := has("Will download and extract kubernetes-node-windows-amd64.tar.gz from https://"); got != r.spec.preset {
				t.Errorf("Windows node download announced %v, want %v", got, r.spec.preset)
			}
			if got := count("!!! Cannot find kubernetes-node-windows-amd64.tar.gz") == 1; got == r.spec.preset {
				t.Errorf("'Cannot find' present %v, want %v", got, !r.spec.preset)
			}
			waiting := count("Waiting for 4 ready nodes. 1 ready nodes, 4 registered. Retrying.")
			switch r.spec.outcome {
			case success:
				for _, s := range []string{"Cluster validation succeeded", "Running Suite: Kubernetes e2e suite", "Ran 24 of ", "Test Suite Passed", "• [SLOW TEST] [", "wrapper.sh] Exiting 0"} {
					if !has(s) {
						t.Errorf("passing run lacks %q", s)
					}
				}
				if waiting != 2 {
					t.Errorf("passing run waits %d times with 1 of 4 nodes ready, want 2", waiting)
				}
			case failure:
				if r.spec.flip != "" {
					// The second story: the cluster came up, one spec failed.
					for _, s := range []string{"Cluster validation succeeded", "Running Suite: Kubernetes e2e suite", "• [FAILED] [",
						"Summarizing 1 Failure:", "[FAIL]\x1b[0m " + r.spec.flip, "23 Passed", "1 Failed", "Test Suite Failed",
						"wrote to the read-only hostMapPath volume", "Something went wrong: encountered 1 errors", "wrapper.sh] Exiting 1"} {
						if !has(s) {
							t.Errorf("failing run lacks %q", s)
						}
					}
					if waiting != 2 {
						t.Errorf("run with a failed spec waits %d times with 1 of 4 nodes ready, want 2", waiting)
					}
					break
				}
				if waiting < 50 {
					t.Errorf("failing run waits only %d times", waiting)
				}
				for _, s := range []string{"Error: error during ./hack/e2e-internal/e2e-up.sh: exit status 1", "Something went wrong: starting e2e cluster", "wrapper.sh] Exiting 1"} {
					if !has(s) {
						t.Errorf("failing run lacks %q", s)
					}
				}
				if has("Running Suite:") {
					t.Error("failing run reached the tests")
				}
			case aborted:
				for _, s := range []string{"Entrypoint received interrupt: terminated", "Interrupted by User", "Test Suite Failed"} {
					if !has(s) {
						t.Errorf("aborted run lacks %q", s)
					}
				}
			case running:
				if !strings.HasSuffix(log, "Retrying.\n") {
					t.Errorf("running build's log should stop while waiting for nodes; ends %q", log[max(0, len(log)-80):])
				}
			}
			if r.spec.outcome == success && (len(lines) < 1000 || len(lines) > 2500) {
				t.Errorf("passing build-log.txt has %d lines, want 1,000-2,500", len(lines))
			}

			serials := 0
			for p, b := range g.files {
				if !strings.HasPrefix(p, r.dir+"/artifacts/") || !strings.HasSuffix(p, "/serial-1.log") {
					continue
				}
				serials++
				broke := bytes.Contains(b, []byte("Cannot bind argument to parameter 'Path' because it is an empty string."))
				if broke == r.spec.preset {
					t.Errorf("%s: PowerShell error present %v, want %v", p, broke, !r.spec.preset)
				}
			}
			if want := map[bool]int{true: 0, false: 3}[r.spec.outcome == running]; serials != want {
				t.Errorf("%d Windows serial logs, want %d", serials, want)
			}
		})
	}
}

func TestFileForm(t *testing.T) {
	g := generate(t)
	total := 0
	for p, b := range g.files {
		total += len(b)
		if !utf8.Valid(b) {
			t.Errorf("%s is not UTF-8", p)
		}
		if bytes.Contains(b, []byte("\r\n")) {
			t.Errorf("%s has CRLF line endings", p)
		}
		pointer := strings.HasSuffix(p, "latest-build.txt") || strings.HasPrefix(p, "pr-logs/directory/")
		if !pointer && !bytes.HasSuffix(b, []byte("\n")) {
			t.Errorf("%s does not end with a newline", p)
		}
		for i, l := range strings.Split(string(b), "\n") {
			if strings.Contains(l, "\r") && !strings.HasPrefix(l, "\r  0     0    0     0") {
				t.Errorf("%s:%d: bare carriage return outside curl's progress meter: %.80q", p, i+1, l)
			}
		}
		if strings.HasSuffix(p, ".json") {
			var v any
			if err := json.Unmarshal(b, &v); err != nil {
				t.Errorf("%s: %v", p, err)
			}
		}
	}
	if total > 3<<20 {
		t.Errorf("tree holds %d bytes, want under 3 MiB", total)
	}
}

func TestWriteTree(t *testing.T) {
	t.Run("refuses a directory it did not write", func(t *testing.T) {
		dir := t.TempDir()
		mine := filepath.Join(dir, "notes.txt")
		if err := os.WriteFile(mine, []byte("keep me"), 0o644); err != nil {
			t.Fatal(err)
		}
		err := writeTree(dir, map[string][]byte{"README.md": []byte(readmeTitle + "\n")})
		if err == nil || !strings.Contains(err.Error(), dir) {
			t.Errorf("writeTree into a foreign directory: err = %v, want a refusal naming it", err)
		}
		if _, err := os.Stat(mine); err != nil {
			t.Errorf("foreign file gone: %v", err)
		}
	})
	t.Run("removes what it no longer generates", func(t *testing.T) {
		dir := t.TempDir()
		first := map[string][]byte{"README.md": []byte(readmeTitle + "\n"), "logs/j/1/build-log.txt": []byte("a\n")}
		second := map[string][]byte{"README.md": []byte(readmeTitle + "\n"), "logs/j/2/build-log.txt": []byte("b\n")}
		if err := writeTree(dir, first); err != nil {
			t.Fatal(err)
		}
		if err := writeTree(dir, second); err != nil {
			t.Fatal(err)
		}
		got, err := readTree(dir)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || string(got["logs/j/2/build-log.txt"]) != "b\n" {
			t.Errorf("tree after rewrite: %v", got)
		}
		if _, err := os.Stat(filepath.Join(dir, "logs/j/1")); err == nil {
			t.Error("emptied directory logs/j/1 left behind")
		}
	})
	t.Run("refuses a file", func(t *testing.T) {
		f := filepath.Join(t.TempDir(), "f")
		if err := os.WriteFile(f, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := writeTree(f, nil); err == nil {
			t.Error("writeTree onto a file succeeded")
		}
	})
}

func TestSnowflake(t *testing.T) {
	// A real Prow build id and the time it encodes.
	const id = 1889120572684636160
	if got, want := snowflakeTime(id), time.Date(2025, 2, 11, 1, 13, 37, 348e6, time.UTC); !got.Equal(want) {
		t.Errorf("snowflakeTime(%d) = %v, want %v", id, got, want)
	}
	if got := snowflake(time.Date(2025, 2, 11, 1, 13, 37, 348e6, time.UTC), 0); got != id {
		t.Errorf("snowflake = %d, want %d", got, id)
	}
}
