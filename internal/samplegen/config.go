package main

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

type envVar struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// windowsPreset is what the preset-windows-gce label added to the pod. The
// config change at the heart of the story dropped the label, and with it these
// three variables: kube-up then never fetched the Windows node binaries.
func windowsPreset() []envVar {
	return []envVar{
		{"KUBERNETES_NODE_PLATFORM", "windows"},
		{"NODE_OS_DISTRIBUTION", "windows"},
		{"WINDOWS_NODE_OS_DISTRIBUTION", "win2019"},
	}
}

const (
	testArgs = `--ginkgo.focus=\[sig-windows\]|\[Conformance\] --ginkgo.skip=\[LinuxOnly\]|\[Serial\]|\[Disruptive\]|\[Alpha\]|GMSA|Guestbook.application.should.create.and.stop.a.working.application`
	zone     = "us-west1-b"
	region   = "us-west1"
)

// extract is the kubetest --extract value: the newest CI build of the branch.
func (s runSpec) extract() string {
	if s.branch == "master" {
		return "ci/latest"
	}
	return "ci/latest-" + strings.TrimPrefix(s.branch, "release-")
}

// args are the container's args in the job config.
func (s runSpec) args() []string {
	a := []string{
		"/workspace/scenarios/kubernetes_e2e.py",
		"--check-leaked-resources",
		"--cluster=",
		"--extract=" + s.extract(),
		"--gcp-nodes=1",
		"--gcp-zone=" + zone,
		"--ginkgo-parallel=4",
		"--provider=gce",
		"--up",
		"--down",
		"--test",
		"--test_args=" + testArgs,
		"--timeout=150m",
	}
	if s.presubmit {
		a = append(a[:3], append([]string{"--tear-down-previous"}, a[3:]...)...)
	}
	return a
}

// containerEnv is the container's env in the ProwJob: the job's own, then
// what each preset adds, in the order Prow merges them.
func (s runSpec) containerEnv() []envVar {
	env := []envVar{
		{"NUM_WINDOWS_NODES", "3"},
		{"KUBE_GCE_ENABLE_IP_ALIASES", "true"},
		{"KUBE_UP_AUTOMATIC_CLEANUP", "true"},
		{"GINKGO_NO_COLOR", "n"},
		{"GOOGLE_APPLICATION_CREDENTIALS", "/etc/service-account/service-account.json"},
		{"E2E_GOOGLE_APPLICATION_CREDENTIALS", "/etc/service-account/service-account.json"},
		{"JENKINS_GCE_SSH_PRIVATE_KEY_FILE", "/etc/ssh-key-secret/ssh-private"},
		{"JENKINS_GCE_SSH_PUBLIC_KEY_FILE", "/etc/ssh-key-secret/ssh-public"},
	}
	if s.preset {
		env = append(env, windowsPreset()...)
	}
	return env
}

// presetLabels are the job's labels that select presets.
func (s runSpec) presetLabels() map[string]string {
	l := map[string]string{
		"preset-k8s-ssh":         "true",
		"preset-service-account": "true",
	}
	if s.preset {
		l["preset-windows-gce"] = "true"
	}
	return l
}

type pull struct {
	Number     int    `json:"number"`
	Author     string `json:"author"`
	SHA        string `json:"sha"`
	Title      string `json:"title,omitempty"`
	HeadRef    string `json:"head_ref,omitempty"`
	Link       string `json:"link,omitempty"`
	CommitLink string `json:"commit_link,omitempty"`
	AuthorLink string `json:"author_link,omitempty"`
}

type refs struct {
	Org       string `json:"org"`
	Repo      string `json:"repo"`
	RepoLink  string `json:"repo_link,omitempty"`
	BaseRef   string `json:"base_ref"`
	BaseSHA   string `json:"base_sha,omitempty"`
	BaseLink  string `json:"base_link,omitempty"`
	Pulls     []pull `json:"pulls,omitempty"`
	PathAlias string `json:"path_alias,omitempty"`
}

// prTitle is the title and head branch of each PR in the story.
func prTitle(pr int) (title, headRef string) {
	switch pr {
	case 129982:
		return "windows: retry HNS endpoint lookup in winkernel proxier", "winkernel-hns-retry"
	case 130054:
		return "[release-1.32] Automated cherry pick of #129310: fix Windows node log collection", "automated-cherry-pick-of-#129310-upstream-release-1.32"
	case 130117:
		return "kubelet: clarify stats provider errors on Windows", "win-stats-errors"
	}
	return "", ""
}

// refs are the repositories Prow cloned: the PR for presubmits, the branch
// for the periodic's extra_refs.
func (r *run) refs() refs {
	s := r.spec
	rf := refs{Org: "kubernetes", Repo: "kubernetes", BaseRef: s.branch, PathAlias: "k8s.io/kubernetes"}
	if !s.presubmit {
		return rf
	}
	rf.RepoLink = "https://github.com/kubernetes/kubernetes"
	rf.BaseSHA = r.baseSHA
	rf.BaseLink = "https://github.com/kubernetes/kubernetes/commit/" + r.baseSHA
	title, head := prTitle(s.pr)
	rf.Pulls = []pull{{
		Number:     s.pr,
		Author:     s.author,
		SHA:        r.pullSHA,
		Title:      title,
		HeadRef:    head,
		Link:       fmt.Sprintf("https://github.com/kubernetes/kubernetes/pull/%d", s.pr),
		CommitLink: fmt.Sprintf("https://github.com/kubernetes/kubernetes/pull/%d/commits/%s", s.pr, r.pullSHA),
		AuthorLink: "https://github.com/" + s.author,
	}}
	return rf
}

type decorationConfig struct {
	Timeout       string            `json:"timeout"`
	GracePeriod   string            `json:"grace_period"`
	UtilityImages map[string]string `json:"utility_images"`
	GCSConfig     map[string]string `json:"gcs_configuration"`
	GCSSecret     string            `json:"gcs_credentials_secret"`
}

func decoration() decorationConfig {
	const tag = "v20250207-1d6e2c4fa"
	return decorationConfig{
		Timeout:     "3h0m0s",
		GracePeriod: "15m0s",
		UtilityImages: map[string]string{
			"clonerefs":  "us-docker.pkg.dev/k8s-infra-prow/images/clonerefs:" + tag,
			"initupload": "us-docker.pkg.dev/k8s-infra-prow/images/initupload:" + tag,
			"entrypoint": "us-docker.pkg.dev/k8s-infra-prow/images/entrypoint:" + tag,
			"sidecar":    "us-docker.pkg.dev/k8s-infra-prow/images/sidecar:" + tag,
		},
		GCSConfig: map[string]string{
			"bucket":        bucket,
			"path_strategy": "explicit",
		},
		GCSSecret: "service-account",
	}
}

// jobSpec is the JOB_SPEC variable Prow's pod utilities export.
func (r *run) jobSpec() string {
	type spec struct {
		Type       string           `json:"type"`
		Job        string           `json:"job"`
		BuildID    string           `json:"buildid"`
		ProwJobID  string           `json:"prowjobid"`
		Refs       *refs            `json:"refs,omitempty"`
		ExtraRefs  []refs           `json:"extra_refs,omitempty"`
		Decoration decorationConfig `json:"decoration_config"`
	}
	js := spec{Job: r.spec.job(), BuildID: r.buildID, ProwJobID: r.prowjobID, Decoration: decoration()}
	rf := r.refs()
	if r.spec.presubmit {
		js.Type = "presubmit"
		js.Refs = &rf
	} else {
		js.Type = "periodic"
		js.ExtraRefs = []refs{rf}
	}
	b, err := json.Marshal(js)
	if err != nil {
		return err.Error() // cannot happen: the struct holds only strings and ints
	}
	return string(b)
}

// environment is what kubernetes_e2e.py sees and prints: the container's env,
// what the pod utilities add, and what the image sets.
func (r *run) environment() []envVar {
	s := r.spec
	env := append([]envVar{}, s.containerEnv()...)
	env = append(env,
		envVar{"ARTIFACTS", "/logs/artifacts"},
		envVar{"BOSKOS_HOST", "boskos.test-pods.svc.cluster.local"},
		envVar{"BUILD_ID", r.buildID},
		envVar{"BUILD_NUMBER", r.buildID},
		envVar{"CI", "true"},
		envVar{"CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK", "true"},
		envVar{"CLOUDSDK_CONFIG", "/root/.config/gcloud"},
		envVar{"CLOUDSDK_CORE_DISABLE_PROMPTS", "1"},
		envVar{"CLOUDSDK_EXPERIMENTAL_FAST_COMPONENT_UPDATE", "false"},
		envVar{"GOPATH", "/home/prow/go"},
		envVar{"GO_TARBALL", "go1.23.6.linux-amd64.tar.gz"},
		envVar{"HOME", "/root"},
		envVar{"HOSTNAME", r.prowjobID},
		envVar{"IMAGE", s.image()},
		envVar{"INSTANCE_PREFIX", r.cluster},
		envVar{"JOB_NAME", s.job()},
		envVar{"JOB_SPEC", r.jobSpec()},
		envVar{"JOB_TYPE", map[bool]string{false: "periodic", true: "presubmit"}[s.presubmit]},
		envVar{"KUBERNETES_PORT", "tcp://10.35.240.1:443"},
		envVar{"KUBERNETES_SERVICE_HOST", "10.35.240.1"},
		envVar{"KUBERNETES_SERVICE_PORT", "443"},
		envVar{"KUBE_GCE_INSTANCE_PREFIX", r.cluster},
		envVar{"KUBE_GCE_NETWORK", r.cluster},
		envVar{"KUBE_GCE_ZONE", zone},
		envVar{"KUBE_VERBOSE", "0"},
		envVar{"NODE_NAME", r.buildNode},
		envVar{"PATH", "/google-cloud-sdk/bin:/workspace:/usr/local/go/bin:/home/prow/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"},
		envVar{"POD_NAME", r.prowjobID},
		envVar{"PROW_JOB_ID", r.prowjobID},
		envVar{"PWD", "/home/prow/go/src/k8s.io/kubernetes"},
		envVar{"REPO_NAME", "kubernetes"},
		envVar{"REPO_OWNER", "kubernetes"},
		envVar{"SHLVL", "2"},
		envVar{"WORKSPACE", "/workspace"},
	)
	if s.presubmit {
		env = append(env,
			envVar{"PULL_BASE_REF", s.branch},
			envVar{"PULL_BASE_SHA", r.baseSHA},
			envVar{"PULL_NUMBER", strconv.Itoa(s.pr)},
			envVar{"PULL_PULL_SHA", r.pullSHA},
			envVar{"PULL_REFS", r.pullRefs()},
		)
	}
	sort.SliceStable(env, func(i, j int) bool { return env[i].Name < env[j].Name })
	return env
}

// pullRefs is Prow's "base:sha,pr:sha" form, used by PULL_REFS and started.json.
func (r *run) pullRefs() string {
	if !r.spec.presubmit {
		return r.spec.branch
	}
	return fmt.Sprintf("%s:%s,%d:%s", r.spec.branch, r.baseSHA, r.spec.pr, r.pullSHA)
}

// kubetestArgs is what kubernetes_e2e.py hands to kubetest.
func (r *run) kubetestArgs() []string {
	a := []string{
		"kubetest",
		"--dump=/logs/artifacts",
		"--gcp-service-account=/etc/service-account/service-account.json",
		"--up",
		"--down",
		"--test",
		"--provider=gce",
		"--cluster=" + r.cluster,
		"--gcp-network=" + r.cluster,
		"--check-leaked-resources",
		"--extract=" + r.spec.extract(),
		"--gcp-nodes=1",
		"--gcp-zone=" + zone,
		"--ginkgo-parallel=4",
		"--test_args=" + testArgs,
		"--timeout=150m",
	}
	return a
}

// pyTuple prints args the way Python prints a tuple of strings.
func pyTuple(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = "'" + strings.ReplaceAll(a, `\`, `\\`) + "'"
	}
	return "(" + strings.Join(q, ", ") + ")"
}
