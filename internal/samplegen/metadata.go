package main

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

func marshal(v any) []byte {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		// Only strings, numbers, maps and slices go in: cannot happen.
		return []byte(err.Error())
	}
	return append(b, '\n')
}

// repoCommit is the commit Prow's clonerefs checked out for the main repo.
func (r *run) repoCommit() string {
	if r.spec.presubmit {
		return r.pullSHA
	}
	return r.baseSHA
}

func (r *run) reposMap() map[string]string {
	return map[string]string{"kubernetes/kubernetes": r.pullRefs()}
}

// startedJSON is what initupload writes when the test container starts.
func (r *run) startedJSON() []byte {
	type started struct {
		Timestamp   int64             `json:"timestamp"`
		Pull        string            `json:"pull,omitempty"`
		Repos       map[string]string `json:"repos"`
		RepoCommit  string            `json:"repo-commit"`
		Metadata    map[string]any    `json:"metadata"`
		RepoVersion string            `json:"repo-version"`
	}
	s := started{
		Timestamp:   r.spec.start.Unix(),
		Repos:       r.reposMap(),
		RepoCommit:  r.repoCommit(),
		RepoVersion: r.repoCommit(),
		Metadata: map[string]any{
			"pod":         r.prowjobID,
			"repo":        "kubernetes/kubernetes",
			"repo-commit": r.repoCommit(),
			"repos":       r.reposMap(),
		},
	}
	if r.spec.presubmit {
		s.Pull = strconv.Itoa(r.spec.pr)
	}
	return marshal(s)
}

// finishedJSON is what the sidecar writes when the test container exits,
// merged with the metadata.json kubetest left in artifacts/.
func (r *run) finishedJSON(end time.Time) []byte {
	type finished struct {
		Timestamp int64          `json:"timestamp"`
		Passed    bool           `json:"passed"`
		Result    string         `json:"result"`
		Revision  string         `json:"revision"`
		Metadata  map[string]any `json:"metadata"`
	}
	return marshal(finished{
		Timestamp: end.Unix(),
		Passed:    r.spec.outcome == success,
		Result:    r.spec.outcome.result(),
		Revision:  r.repoCommit(),
		Metadata: map[string]any{
			"job-version":    r.version,
			"revision":       r.version,
			"pod":            r.prowjobID,
			"repo":           "kubernetes/kubernetes",
			"repo-commit":    r.repoCommit(),
			"repos":          r.reposMap(),
			"work-namespace": "test-pods",
		},
	})
}

func (r *run) kubetestMetadata() []byte {
	return marshal(map[string]string{"job-version": r.version, "revision": r.version})
}

type volumeMount struct {
	Name      string `json:"name"`
	MountPath string `json:"mountPath"`
	ReadOnly  bool   `json:"readOnly,omitempty"`
}

type volume struct {
	Name   string `json:"name"`
	Secret struct {
		SecretName  string `json:"secretName"`
		DefaultMode int    `json:"defaultMode,omitempty"`
	} `json:"secret"`
}

func secretVolume(name, secret string, mode int) volume {
	v := volume{Name: name}
	v.Secret.SecretName = secret
	v.Secret.DefaultMode = mode
	return v
}

// prowJobJSON is the ProwJob as crier last wrote it: with its final status,
// or as initupload wrote it for a build still running.
func (r *run) prowJobJSON(end time.Time) []byte {
	s := r.spec
	type container struct {
		Image           string                       `json:"image"`
		Command         []string                     `json:"command"`
		Args            []string                     `json:"args"`
		Env             []envVar                     `json:"env"`
		Resources       map[string]map[string]string `json:"resources"`
		VolumeMounts    []volumeMount                `json:"volumeMounts"`
		SecurityContext map[string]bool              `json:"securityContext"`
	}
	type podSpec struct {
		Volumes    []volume    `json:"volumes"`
		Containers []container `json:"containers"`
	}
	type spec struct {
		Type             string            `json:"type"`
		Agent            string            `json:"agent"`
		Cluster          string            `json:"cluster"`
		Namespace        string            `json:"namespace"`
		Job              string            `json:"job"`
		Refs             *refs             `json:"refs,omitempty"`
		ExtraRefs        []refs            `json:"extra_refs,omitempty"`
		Report           bool              `json:"report"`
		Context          string            `json:"context,omitempty"`
		RerunCommand     string            `json:"rerun_command,omitempty"`
		PodSpec          podSpec           `json:"pod_spec"`
		DecorationConfig decorationConfig  `json:"decoration_config"`
		ProwJobDefaults  map[string]string `json:"prowjob_defaults"`
	}
	type status struct {
		StartTime        string            `json:"startTime"`
		PendingTime      string            `json:"pendingTime"`
		CompletionTime   string            `json:"completionTime,omitempty"`
		State            string            `json:"state"`
		Description      string            `json:"description"`
		URL              string            `json:"url"`
		PodName          string            `json:"pod_name"`
		BuildID          string            `json:"build_id"`
		PrevReportStates map[string]string `json:"prev_report_states,omitempty"`
	}
	type meta struct {
		Name              string            `json:"name"`
		Namespace         string            `json:"namespace"`
		UID               string            `json:"uid"`
		ResourceVersion   string            `json:"resourceVersion"`
		Generation        int               `json:"generation"`
		CreationTimestamp string            `json:"creationTimestamp"`
		Labels            map[string]string `json:"labels"`
		Annotations       map[string]string `json:"annotations"`
	}
	type prowJob struct {
		Kind       string `json:"kind"`
		APIVersion string `json:"apiVersion"`
		Metadata   meta   `json:"metadata"`
		Spec       spec   `json:"spec"`
		Status     status `json:"status"`
	}

	labels := s.presetLabels()
	labels["created-by-prow"] = "true"
	labels["prow.k8s.io/build-id"] = r.buildID
	labels["prow.k8s.io/id"] = r.prowjobID
	labels["prow.k8s.io/job"] = s.job()
	labels["prow.k8s.io/refs.base_ref"] = s.branch
	labels["prow.k8s.io/refs.org"] = "kubernetes"
	labels["prow.k8s.io/refs.repo"] = "kubernetes"
	annotations := map[string]string{
		"prow.k8s.io/job":     s.job(),
		"testgrid-dashboards": "sig-windows-gce",
	}
	sp := spec{
		Agent:            "kubernetes",
		Cluster:          "k8s-infra-prow-build",
		Namespace:        "test-pods",
		Job:              s.job(),
		Report:           true,
		DecorationConfig: decoration(),
		ProwJobDefaults:  map[string]string{"tenant_id": "GlobalDefaultID"},
	}
	rf := r.refs()
	if s.presubmit {
		sp.Type = "presubmit"
		sp.Refs = &rf
		sp.Context = s.job()
		sp.RerunCommand = "/test " + s.job()
		labels["prow.k8s.io/type"] = "presubmit"
		labels["prow.k8s.io/context"] = s.job()
		labels["prow.k8s.io/is-optional"] = "true"
		labels["prow.k8s.io/refs.pull"] = strconv.Itoa(s.pr)
		labels["event-GUID"] = r.v("uuid", r.rnd.uuid())
		annotations["prow.k8s.io/context"] = s.job()
		annotations["testgrid-tab-name"] = "pull-windows-gce"
	} else {
		sp.Type = "periodic"
		sp.ExtraRefs = []refs{rf}
		labels["prow.k8s.io/type"] = "periodic"
		annotations["prow.k8s.io/context"] = ""
		annotations["testgrid-tab-name"] = "gce-windows-master"
	}
	sp.PodSpec = podSpec{
		Volumes: []volume{
			secretVolume("service", "service-account", 0),
			secretVolume("ssh", "ssh-key-secret", 0o400),
		},
		Containers: []container{{
			Image:   s.image(),
			Command: []string{"runner.sh"},
			Args:    s.args(),
			Env:     s.containerEnv(),
			Resources: map[string]map[string]string{
				"limits":   {"cpu": "2", "memory": "6Gi"},
				"requests": {"cpu": "2", "memory": "6Gi"},
			},
			VolumeMounts: []volumeMount{
				{Name: "service", MountPath: "/etc/service-account", ReadOnly: true},
				{Name: "ssh", MountPath: "/etc/ssh-key-secret", ReadOnly: true},
			},
			SecurityContext: map[string]bool{"privileged": true},
		}},
	}
	st := status{
		StartTime:   r.rfc3339(r.created),
		PendingTime: r.rfc3339(r.created.Add(1500 * time.Millisecond)),
		URL:         "https://prow.k8s.io/view/gs/" + bucket + "/" + s.dir(r.buildID),
		PodName:     r.prowjobID,
		BuildID:     r.buildID,
	}
	generation := 6
	switch s.outcome {
	case running:
		st.State, st.Description = "pending", "Job triggered."
		generation = 2
	default:
		state := map[outcome]string{success: "success", failure: "failure", aborted: "aborted"}[s.outcome]
		st.State = state
		st.Description = map[outcome]string{success: "Job succeeded.", failure: "Job failed.", aborted: "Job aborted."}[s.outcome]
		st.CompletionTime = r.rfc3339(end.Add(2 * time.Second))
		st.PrevReportStates = map[string]string{"gcsk8sreporter": state, "gcsreporter": state}
		if s.presubmit {
			st.PrevReportStates["github-reporter"] = state
		}
	}
	return marshal(prowJob{
		Kind:       "ProwJob",
		APIVersion: "prow.k8s.io/v1",
		Metadata: meta{
			Name:              r.prowjobID,
			Namespace:         "default",
			UID:               r.v("uuid", r.rnd.uuid()),
			ResourceVersion:   r.v("number", strconv.Itoa(r.rnd.between(1200000000, 1299999999))),
			Generation:        generation,
			CreationTimestamp: r.rfc3339(r.created),
			Labels:            labels,
			Annotations:       annotations,
		},
		Spec:   sp,
		Status: st,
	})
}

// podInfoJSON is the sidecar's small report on the test pod.
func (r *run) podInfoJSON(end time.Time) []byte {
	s := r.spec
	exit := 0
	reason := "Completed"
	if s.outcome != success {
		exit, reason = 1, "Error"
	}
	digest := "sha256:" + md5hex(s.image()) + md5hex(s.image()+"@")
	started := r.rfc3339(s.start)
	type event struct {
		Reason         string `json:"reason"`
		Message        string `json:"message"`
		Type           string `json:"type"`
		FirstTimestamp string `json:"firstTimestamp"`
	}
	podinfo := map[string]any{
		"pod": map[string]any{
			"metadata": map[string]any{
				"name":              r.prowjobID,
				"namespace":         "test-pods",
				"uid":               r.v("uuid", r.rnd.uuid()),
				"creationTimestamp": r.rfc3339(r.created.Add(800 * time.Millisecond)),
				"labels": map[string]string{
					"created-by-prow":      "true",
					"prow.k8s.io/build-id": r.buildID,
					"prow.k8s.io/id":       r.prowjobID,
					"prow.k8s.io/job":      s.job(),
				},
			},
			"spec": map[string]any{"nodeName": r.buildNode},
			"status": map[string]any{
				"phase":     map[bool]string{true: "Succeeded", false: "Failed"}[exit == 0],
				"podIP":     r.podIP,
				"startTime": r.rfc3339(r.created.Add(1500 * time.Millisecond)),
				"containerStatuses": []map[string]any{{
					"name":    "test",
					"image":   s.image(),
					"imageID": imageRepo + "@" + digest,
					"state": map[string]any{"terminated": map[string]any{
						"exitCode":    exit,
						"reason":      reason,
						"startedAt":   started,
						"finishedAt":  r.rfc3339(end),
						"containerID": "containerd://" + r.v("hex", r.rnd.hex(64)),
					}},
				}},
			},
		},
		"events": []event{
			{"Scheduled", fmt.Sprintf("Successfully assigned test-pods/%s to %s", r.prowjobID, r.buildNode), "Normal", r.rfc3339(r.created.Add(time.Second))},
			{"Pulled", fmt.Sprintf("Container image %q already present on machine", s.image()), "Normal", started},
			{"Created", "Created container test", "Normal", started},
			{"Started", "Started container test", "Normal", started},
		},
	}
	return marshal(podinfo)
}

// cloneRecordsJSON is clonerefs' record of checking out the refs.
func (r *run) cloneRecordsJSON() []byte {
	type command struct {
		Command  string `json:"command"`
		Output   string `json:"output"`
		Error    string `json:"error"`
		Duration int64  `json:"duration"`
	}
	type record struct {
		Refs     refs      `json:"refs"`
		Commands []command `json:"commands"`
		FinalSHA string    `json:"final_sha"`
		Duration int64     `json:"duration"`
	}
	const remote = "https://github.com/kubernetes/kubernetes.git"
	s := r.spec
	ns := func(lo, hi float64) int64 { return int64(r.rnd.float(lo, hi) * 1e9) }
	cmds := []command{
		{"/usr/bin/git init", "Initialized empty Git repository in /home/prow/go/src/k8s.io/kubernetes/.git/\n", "", ns(0.002, 0.006)},
		{"/usr/bin/git config --local user.name ci-robot", "", "", ns(0.001, 0.003)},
		{"/usr/bin/git config --local user.email ci-robot@k8s.io", "", "", ns(0.001, 0.003)},
		{"/usr/bin/git fetch " + remote + " --tags --prune", "From " + remote + "\n * branch                    HEAD       -> FETCH_HEAD\n", "", ns(28, 46)},
		{"/usr/bin/git fetch " + remote + " " + s.branch, "From " + remote + "\n * branch                    " + s.branch + " -> FETCH_HEAD\n", "", ns(0.6, 1.4)},
	}
	final := r.baseSHA
	if s.presubmit {
		final = r.v("sha", r.rnd.hex(40))
		cmds = append(cmds,
			command{"/usr/bin/git checkout " + r.baseSHA, "", "", ns(3, 6)},
			command{"/usr/bin/git branch --force " + s.branch + " " + r.baseSHA, "", "", ns(0.005, 0.02)},
			command{"/usr/bin/git checkout " + s.branch, "", "Switched to branch '" + s.branch + "'\n", ns(0.3, 0.8)},
			command{fmt.Sprintf("/usr/bin/git fetch %s pull/%d/head", remote, s.pr), "From " + remote + fmt.Sprintf("\n * branch                    refs/pull/%d/head -> FETCH_HEAD\n", s.pr), "", ns(0.7, 1.5)},
			command{"/usr/bin/git merge --no-ff " + r.pullSHA, "Merge made by the 'ort' strategy.\n", "", ns(0.2, 0.6)},
		)
	} else {
		cmds = append(cmds,
			command{"/usr/bin/git checkout FETCH_HEAD", "", "", ns(3, 6)},
			command{"/usr/bin/git branch --force " + s.branch + " FETCH_HEAD", "", "", ns(0.005, 0.02)},
			command{"/usr/bin/git checkout " + s.branch, "", "Switched to branch '" + s.branch + "'\n", ns(0.3, 0.8)},
		)
	}
	cmds = append(cmds, command{"/usr/bin/git submodule update --init --recursive", "", "", ns(0.01, 0.03)})
	var total int64
	for _, c := range cmds {
		total += c.Duration
	}
	return marshal([]record{{Refs: r.refs(), Commands: cmds, FinalSHA: final, Duration: total + ns(0.05, 0.2)}})
}
