package fetch

import (
	"strconv"
	"strings"
	"time"
)

// Prow's names for the two trees of a bucket (pkg/pod-utils/gcs/target.go).
const (
	// PRLogs holds presubmit runs: pr-logs/pull/<org_repo>/<pr>/<job>/<build>/
	// (the repository part is "repo" or absent for a bucket's default
	// repository, "batch" replaces it and the PR for batch runs), and
	// pr-logs/directory/<job>/<build>.txt pointers to them.
	PRLogs = "pr-logs"
	// NonPRLogs holds periodic and postsubmit runs: logs/<job>/<build>/.
	NonPRLogs = "logs"
)

// layout is what an object path means in Prow's layout.
type layout struct {
	job       string
	id        string // build id; "" when the path names the job
	dir       string // the build directory; "" when id is
	file      string // the rest of the path below dir
	presubmit bool
	pointer   bool // the path is pr-logs/directory/<job>/<id>.txt
}

// parseLayout reads an object path (no leading slash) as Prow's layout:
// a job, a build directory or a file in one, or a presubmit pointer. ok is
// false when the path is not in that layout.
func parseLayout(p string) (l layout, ok bool) {
	seg := strings.Split(strings.Trim(p, "/"), "/")
	build := func(n int, jobAt int) (layout, bool) {
		// seg[:n] is the build directory, seg[jobAt] the job.
		l := layout{job: seg[jobAt], presubmit: seg[0] == PRLogs}
		if !validJob(l.job) {
			return layout{}, false
		}
		if len(seg) == jobAt+1 {
			return l, true
		}
		if !isBuildID(seg[jobAt+1]) {
			return layout{}, false
		}
		l.id = seg[jobAt+1]
		l.dir = strings.Join(seg[:n], "/")
		l.file = strings.Join(seg[n:], "/")
		if l.file != "" && !validFile(l.file) {
			return layout{}, false
		}
		return l, true
	}
	switch {
	case len(seg) >= 2 && seg[0] == NonPRLogs:
		return build(3, 1)
	case len(seg) >= 3 && seg[0] == PRLogs && seg[1] == "directory":
		if len(seg) == 3 {
			return build(3, 2)
		}
		id, isTxt := strings.CutSuffix(seg[3], ".txt")
		if len(seg) == 4 && isTxt && isBuildID(id) && validJob(seg[2]) {
			return layout{job: seg[2], id: id, presubmit: true, pointer: true}, true
		}
	case len(seg) >= 4 && seg[0] == PRLogs && seg[1] == "pull":
		// pr-logs/pull/batch/<job>/<build>
		if seg[2] == "batch" {
			return build(5, 3)
		}
		// pr-logs/pull/<org_repo>/<pr>/<job>/<build>
		if len(seg) >= 5 && isBuildID(seg[3]) && !isBuildID(seg[2]) {
			if l, ok := build(6, 4); ok {
				return l, true
			}
		}
		// pr-logs/pull/<pr>/<job>/<build>: the bucket's default repository.
		if isBuildID(seg[2]) {
			return build(5, 3)
		}
	}
	return layout{}, false
}

// validJob accepts the names Prow gives jobs, and nothing that is a path
// element of its own.
func validJob(j string) bool {
	return j != "" && j != "." && j != ".." && !strings.ContainsAny(j, "/\\\x00")
}

// validFile accepts a relative path below a build directory.
func validFile(f string) bool {
	for _, part := range strings.Split(f, "/") {
		if part == "" || part == "." || part == ".." {
			return false
		}
	}
	return true
}

// isBuildID reports whether s is a build id: decimal digits.
func isBuildID(s string) bool { return allDigits(s) }

// compareIDs orders build ids as numbers, whatever their length: snowflake
// ids (19 digits) and old small integers sort together.
func compareIDs(a, b string) int {
	a, b = strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0")
	if len(a) != len(b) {
		if len(a) < len(b) {
			return -1
		}
		return 1
	}
	return strings.Compare(a, b)
}

// snowflakeEpoch is Prow's snowflake epoch, in Unix milliseconds.
const snowflakeEpoch = 1288834974657

// BuildTime returns when a build started according to its id, for Prow's
// snowflake ids (time = (id >> 22) + 1288834974657 ms). Old ids are small
// integers that carry no time: ok is false for them.
func BuildTime(id string) (t time.Time, ok bool) {
	n, err := strconv.ParseUint(id, 10, 64)
	if err != nil || n < 1<<32 {
		return time.Time{}, false
	}
	return time.UnixMilli(int64(n>>22) + snowflakeEpoch).UTC(), true
}
