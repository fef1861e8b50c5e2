package main

import (
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"time"
)

const (
	bucket        = "kubernetes-ci-logs"
	periodicJob   = "ci-kubernetes-e2e-windows-gce"
	presubmitJob  = "pull-kubernetes-e2e-windows-gce"
	containerdJob = "ci-kubernetes-e2e-windows-containerd-gce" // the second story: one test flips
	imageRepo     = "gcr.io/k8s-staging-test-infra/kubekins-e2e"
	oldImageTag   = "v20250206-4fa9b1c2d7" // what the passing runs ran in
	newImageTag   = "v20250210-8b7e2f4a1c" // the autobump that landed with the config change
	snowflakeBase = 1288834974657          // Twitter's epoch, which Prow's build ids count from (ms)
)

type outcome int

const (
	success outcome = iota
	failure
	aborted
	running
)

// result is the finished.json result; a running build has none.
func (o outcome) result() string {
	return [...]string{"SUCCESS", "FAILURE", "ABORTED", ""}[o]
}

// runSpec is one row of the story. Everything else about a run is drawn from
// its seed, so editing a row changes that run and no other.
type runSpec struct {
	seed      uint64
	name      string // a periodic job other than periodicJob
	presubmit bool
	start     time.Time // when the test container started (started.json)
	outcome   outcome
	preset    bool   // whether the job still carried preset-windows-gce
	branch    string // base ref
	pr        int
	author    string
	imageTag  string
	flip      string // the text of the spec that fails in this run, if one does
}

func (s runSpec) job() string {
	switch {
	case s.presubmit:
		return presubmitJob
	case s.name != "":
		return s.name
	}
	return periodicJob
}

// image is the kubekins image; release branches run the image built for
// that branch.
func (s runSpec) image() string {
	suffix := "master"
	if s.branch != "master" {
		suffix = s.branch[len("release-"):]
	}
	return imageRepo + ":" + s.imageTag + "-" + suffix
}

// at is a time in February 2025, UTC.
func at(month, day, hour, minute, sec int) time.Time {
	return time.Date(2025, time.Month(month), day, hour, minute, sec, 0, time.UTC)
}

// story lists every run, oldest first within each job. The config change that
// dropped preset-windows-gce (and, in the same hour, the image autobump)
// landed at about 2025-02-11 06:30 UTC. The containerd job's runs are the
// second story: nothing changed in its configuration, and in its newest run
// one spec failed.
func story() []runSpec {
	return []runSpec{
		{seed: 0x51, start: at(2, 10, 16, 2, 41), outcome: success, preset: true, branch: "master", imageTag: oldImageTag},
		{seed: 0x52, start: at(2, 10, 19, 3, 17), outcome: success, preset: true, branch: "master", imageTag: oldImageTag},
		{seed: 0x53, start: at(2, 10, 22, 1, 52), outcome: aborted, preset: true, branch: "master", imageTag: oldImageTag},
		{seed: 0x54, start: at(2, 11, 1, 2, 8), outcome: success, preset: true, branch: "master", imageTag: oldImageTag},
		{seed: 0x55, start: at(2, 11, 4, 4, 33), outcome: success, preset: true, branch: "master", imageTag: oldImageTag},
		{seed: 0x56, start: at(2, 11, 7, 3, 5), outcome: failure, preset: false, branch: "master", imageTag: newImageTag},
		{seed: 0x57, start: at(2, 11, 10, 2, 29), outcome: failure, preset: false, branch: "master", imageTag: newImageTag},
		{seed: 0x58, start: at(2, 11, 13, 5, 11), outcome: running, preset: false, branch: "master", imageTag: newImageTag},

		{seed: 0x61, presubmit: true, start: at(2, 10, 17, 41, 26), outcome: success, preset: true, branch: "master", pr: 129982, author: "winnode-dev", imageTag: oldImageTag},
		{seed: 0x62, presubmit: true, start: at(2, 10, 23, 12, 49), outcome: success, preset: true, branch: "master", pr: 129982, author: "winnode-dev", imageTag: oldImageTag},
		{seed: 0x63, presubmit: true, start: at(2, 11, 3, 20, 14), outcome: success, preset: true, branch: "release-1.32", pr: 130054, author: "tpetrov-k8s", imageTag: oldImageTag},
		{seed: 0x64, presubmit: true, start: at(2, 11, 11, 47, 38), outcome: failure, preset: false, branch: "master", pr: 130117, author: "aramirez-gce", imageTag: newImageTag},

		{seed: 0x71, name: containerdJob, start: at(2, 11, 8, 12, 40), outcome: success, preset: true, branch: "master", imageTag: newImageTag},
		{seed: 0x72, name: containerdJob, start: at(2, 11, 11, 9, 5), outcome: success, preset: true, branch: "master", imageTag: newImageTag},
		{seed: 0x73, name: containerdJob, start: at(2, 11, 14, 4, 51), outcome: success, preset: true, branch: "master", imageTag: newImageTag},
		{seed: 0x74, name: containerdJob, start: at(2, 11, 17, 6, 22), outcome: failure, preset: true, branch: "master", imageTag: newImageTag, flip: hostMapSpec},
	}
}

// snowflake is a Prow build id: milliseconds since snowflakeBase in the high
// bits, then the generating node (1) and a per-millisecond sequence.
func snowflake(t time.Time, seq int64) int64 {
	return (t.UnixMilli()-snowflakeBase)<<22 | 1<<12 | seq
}

// snowflakeTime inverts snowflake.
func snowflakeTime(id int64) time.Time {
	return time.UnixMilli(id>>22 + snowflakeBase).UTC()
}

func md5hex(s string) string {
	sum := md5.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

// dir is the run's directory relative to the bucket root.
func (s runSpec) dir(buildID string) string {
	if s.presubmit {
		return fmt.Sprintf("pr-logs/pull/kubernetes_kubernetes/%d/%s/%s", s.pr, presubmitJob, buildID)
	}
	return fmt.Sprintf("logs/%s/%s", s.job(), buildID)
}
