package fetch

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseStartedFinished(t *testing.T) {
	t.Run("started", func(t *testing.T) {
		s, err := parseStarted([]byte(`{"timestamp": 1739236157, "node": "n1", "pull": 372,
			"repos": {"kubernetes-csi/csi-proxy": "master:abc,372:def"}, "repo-version": "abc",
			"metadata": {"infra-commit": "f00"}, "job-version": "v1.31.0"}`))
		if err != nil {
			t.Fatal(err)
		}
		if !s.Timestamp.Equal(time.Unix(1739236157, 0)) || s.Pull != "372" || s.RepoCommit != "abc" ||
			s.Metadata["infra-commit"] != "f00" || s.Metadata["job-version"] != "v1.31.0" {
			t.Errorf("parsed %+v", s)
		}
	})
	for _, tt := range []struct {
		name, json, result string
	}{
		{"result", `{"timestamp": 1739236757, "passed": false, "result": "FAILURE"}`, "FAILURE"},
		{"lower-case result", `{"result": "success", "passed": true}`, "SUCCESS"},
		{"passed only", `{"timestamp": 1739236757.5, "passed": true}`, "SUCCESS"},
		{"failed only", `{"passed": false}`, "FAILURE"},
		{"aborted", `{"passed": false, "result": "ABORTED"}`, "ABORTED"},
		{"empty object", `{}`, "UNKNOWN"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f, err := parseFinished([]byte(tt.json))
			if err != nil {
				t.Fatal(err)
			}
			if got := (Build{Finished: f}).Result(); got != tt.result {
				t.Errorf("Result() = %s, want %s", got, tt.result)
			}
		})
	}
	if got := (Build{}).Result(); got != "RUNNING" {
		t.Errorf("Result() without finished.json = %s, want RUNNING", got)
	}
	for _, bad := range []string{``, `{`, `[]`, `{"timestamp": "soon"}`, `{"passed": "yes"}`, `{} {}`, "\xff\xfe", `{"timestamp": 1e300}`} {
		if _, err := parseFinished([]byte(bad)); err == nil {
			t.Errorf("parseFinished(%q) succeeded, want an error", bad)
		}
	}
}

// windowsProwJob is a trimmed prowjob.json of the Windows-node story: the
// passing runs had the preset's KUBERNETES_NODE_PLATFORM=windows.
func windowsProwJob(withPreset bool) string {
	env := `{"name": "GINKGO_PARALLEL", "value": "y"}`
	if withPreset {
		env += `, {"name": "KUBERNETES_NODE_PLATFORM", "value": "windows"}, {"name": "WINDOWS_NODE_OS_DISTRIBUTION", "value": "win2019"}`
	}
	return `{
  "kind": "ProwJob",
  "metadata": {
    "name": "f00",
    "labels": {"prow.k8s.io/build-id": "1889120572684636160", "prow.k8s.io/id": "f00", "preset-k8s-ssh": "true",
               "prow.k8s.io/refs.base_ref": "master"},
    "annotations": {"testgrid-dashboards": "sig-windows-gce"}
  },
  "spec": {
    "type": "periodic", "job": "ci-kubernetes-e2e-windows-gce", "cluster": "k8s-infra-prow-build",
    "extra_refs": [{"org": "kubernetes", "repo": "kubernetes", "base_ref": "master", "base_sha": "abc"},
                   {"org": "kubernetes-sigs", "repo": "windows-testing", "base_ref": "master"}],
    "pod_spec": {
      "containers": [
        {"name": "test", "image": "gcr.io/k8s-staging-test-infra/kubekins-e2e:v20250210", "command": ["runner.sh"],
         "args": ["--provider=gce", "--test_args=--ginkgo.focus=\\[Conformance\\]", "--provider=gce"],
         "env": [` + env + `, {"name": "TOKEN", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}],
         "resources": {"requests": {"cpu": "4", "memory": "14Gi"}}},
        {"name": "sidecar", "image": "busybox", "env": [{"name": "GINKGO_PARALLEL", "value": "n"}]}
      ],
      "nodeSelector": {"pool": "e2e"}
    }
  }
}`
}

func TestConfig(t *testing.T) {
	build := func(withPreset bool) Build {
		pj, err := parseProwJob([]byte(windowsProwJob(withPreset)))
		if err != nil {
			t.Fatal(err)
		}
		st, _ := parseStarted([]byte(`{"timestamp": 1, "repo-commit": "abc", "repos": {"k8s.io/kubernetes": "master"}, "metadata": {"k": {"nested": 1}}}`))
		fi, _ := parseFinished([]byte(`{"passed": true, "metadata": {"job-version": "v1.33.0-alpha"}}`))
		return Build{prowJob: pj, Started: st, Finished: fi}
	}
	passing, failing := build(true).Config(), build(false).Config()
	if !slices.IsSortedFunc(passing, func(a, b Setting) int {
		return strings.Compare(a.Section+"\x00"+a.Key+"\x00"+a.Value, b.Section+"\x00"+b.Key+"\x00"+b.Value)
	}) {
		t.Errorf("settings not sorted: %v", passing)
	}
	has := func(s []Setting, want Setting) bool { return slices.Contains(s, want) }
	for _, want := range []Setting{
		{"env", "KUBERNETES_NODE_PLATFORM", "windows"},
		{"env", "GINKGO_PARALLEL", "y"},
		{"env", "sidecar/GINKGO_PARALLEL", "n"},
		{"env", "TOKEN", `valueFrom {"secretKeyRef":{"key":"k","name":"s"}}`},
		{"image", "test", "gcr.io/k8s-staging-test-infra/kubekins-e2e:v20250210"},
		{"image", "sidecar", "busybox"},
		{"command", "test", "runner.sh"},
		{"arg", "test", "--test_args=--ginkgo.focus=\\[Conformance\\]"},
		{"resources", "test requests.cpu", "4"},
		{"node-selector", "pool", "e2e"},
		{"label", "preset-k8s-ssh", "true"},
		{"annotation", "testgrid-dashboards", "sig-windows-gce"},
		{"job", "type", "periodic"},
		{"job", "cluster", "k8s-infra-prow-build"},
		{"ref", "kubernetes/kubernetes", "master"},
		{"ref", "kubernetes-sigs/windows-testing", "master"},
		{"commit", "kubernetes/kubernetes", "abc"},
		{"commit", "repo-commit", "abc"},
		{"metadata", "job-version", "v1.33.0-alpha"},
		{"metadata", "k.nested", "1"},
	} {
		if !has(passing, want) {
			t.Errorf("passing config lacks %v", want)
		}
	}
	// An argument given twice is kept twice: settings are a multiset.
	n := 0
	for _, s := range passing {
		if s == (Setting{"arg", "test", "--provider=gce"}) {
			n++
		}
	}
	if n != 2 {
		t.Errorf("--provider=gce appears %d times, want 2", n)
	}
	if has(failing, Setting{"env", "KUBERNETES_NODE_PLATFORM", "windows"}) {
		t.Error("failing config has the preset's variable")
	}
	for _, s := range passing {
		if strings.HasPrefix(s.Key, "prow.k8s.io/") || s.Section == "ref" && s.Key == "k8s.io/kubernetes" {
			t.Errorf("per-run or duplicate setting %v", s)
		}
	}
	t.Run("started.json only", func(t *testing.T) {
		st, _ := parseStarted([]byte(`{"repos": {"k8s.io/kubernetes": "release-1.30:abc,1234:def"}}`))
		got := Build{Started: st}.Config()
		want := []Setting{{"commit", "k8s.io/kubernetes", "abc"}, {"pull", "k8s.io/kubernetes#1234", "def"}, {"ref", "k8s.io/kubernetes", "release-1.30"}}
		if !slices.Equal(got, want) {
			t.Errorf("Config() = %v, want %v", got, want)
		}
		if b := (Build{Started: st}); b.BaseRef() != "release-1.30" {
			t.Errorf("BaseRef() = %q", b.BaseRef())
		}
	})
}
