package fetch

import (
	"context"
	"path"
	"sort"
	"strings"
	"time"
)

// Build is one run of a job in a store, or a lone log file (Job, ID and Dir
// empty, Log set).
type Build struct {
	Job       string // the job's name
	ID        string // the build id; "" when the Build names a whole job
	Dir       string // the build directory in the store, "logs/<job>/<id>"
	Presubmit bool   // found under pr-logs/

	// Log is the build log's name in the store. It is set by Resolve for a
	// lone file, else found by Materialize: build-log.txt, or
	// <container>-build-log.txt for jobs with several containers.
	Log string

	Started  *Started  // nil when started.json is missing
	Finished *Finished // nil while the build runs (no finished.json)

	prowJob *prowJob
	raw     map[string][]byte // metadata files as read, by file name
}

// Name is "<job>/<id>" for people and error messages, or the log's name
// for a lone file.
func (b Build) Name() string {
	switch {
	case b.Job != "" && b.ID != "":
		return b.Job + "/" + b.ID
	case b.Job != "":
		return b.Job
	case b.Dir != "":
		return b.Dir
	}
	return b.Log
}

// Result is the build's outcome as Prow writes it: SUCCESS, FAILURE,
// ABORTED, ERROR; RUNNING when finished.json is missing; UNKNOWN when it
// says nothing.
func (b Build) Result() string {
	switch {
	case b.Finished == nil:
		return "RUNNING"
	case b.Finished.Result != "":
		return b.Finished.Result
	case b.Finished.Passed != nil && *b.Finished.Passed:
		return "SUCCESS"
	case b.Finished.Passed != nil:
		return "FAILURE"
	}
	return "UNKNOWN"
}

// BaseRef is the branch the build tested (refs.base_ref of prowjob.json,
// else the branch of the only repository in started.json), or "".
func (b Build) BaseRef() string {
	if b.prowJob != nil && b.prowJob.Spec.Refs != nil && b.prowJob.Spec.Refs.BaseRef != "" {
		return b.prowJob.Spec.Refs.BaseRef
	}
	if b.Started != nil && len(b.Started.Repos) == 1 {
		for _, v := range b.Started.Repos {
			branch, _, _ := strings.Cut(v, ":")
			branch, _, _ = strings.Cut(branch, ",")
			return branch
		}
	}
	return ""
}

// Time is when the build started: started.json's timestamp, else the time
// in a snowflake id, else zero.
func (b Build) Time() time.Time {
	if b.Started != nil && !b.Started.Timestamp.IsZero() {
		return b.Started.Timestamp
	}
	t, _ := BuildTime(b.ID)
	return t
}

// containerNames lists the pod's containers in their order.
func (b Build) containerNames() []string {
	if b.prowJob == nil || b.prowJob.Spec.PodSpec == nil {
		return nil
	}
	var names []string
	for _, c := range b.prowJob.Spec.PodSpec.Containers {
		names = append(names, c.Name)
	}
	return names
}

// pickLog chooses the build log among a build directory's file names:
// build-log.txt, else the first container's <name>-build-log.txt, else the
// first such file in name order.
func (b Build) pickLog(names []string) string {
	var logs []string
	for _, n := range names {
		base := path.Base(n)
		if base == "build-log.txt" {
			return n
		}
		if strings.HasSuffix(base, "-build-log.txt") {
			logs = append(logs, n)
		}
	}
	if len(logs) == 0 {
		return ""
	}
	for _, c := range b.containerNames() {
		for _, l := range logs {
			if path.Base(l) == c+"-build-log.txt" {
				return l
			}
		}
	}
	sort.Strings(logs)
	return logs[0]
}

// runName names b in errors: its job and build, or, for a run of no job
// (a pasted URL, a local directory), where it is read. A bare object name
// ("x.log of x.log") or nothing at all (" of :") would not tell which
// input failed.
func (f *Fetcher) runName(b Build) string {
	if b.Job != "" || f.Store == nil {
		return b.Name()
	}
	if b.Dir != "" || b.Log == "" {
		return f.Store.URL(b.Dir)
	}
	return f.Store.URL(b.Log)
}

// laidOutLikeBucket reports whether the store's root holds logs/ or
// pr-logs/, Prow's top directories: a directory without them and without
// a build log is neither a bucket nor a run, and an error says so.
func (f *Fetcher) laidOutLikeBucket(ctx context.Context) bool {
	for o, err := range f.Store.List(ctx, "", "/") {
		if err != nil {
			return false
		}
		if o.Prefix && (o.Name == NonPRLogs+"/" || o.Name == PRLogs+"/") {
			return true
		}
	}
	return false
}
