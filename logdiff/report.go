package logdiff

import "time"

// Version is the version of the JSON report format. Fields may be added
// within a version; none is removed or renamed.
const Version = 1

// Side names the run a Line comes from.
type Side string

const (
	SideFailing  Side = "failing"
	SideBaseline Side = "baseline"
)

// Report is the result of one comparison, ready to render.
type Report struct {
	Version   int       `json:"version"`
	Failing   LogInfo   `json:"failing"`
	Baselines []LogInfo `json:"baselines"`
	Findings  []Finding `json:"findings"`
	// Commits says, per repository, which commit the nearest passing run
	// (Baselines[0]) and the failing run tested, and links to what changed
	// between them; absent when the runs carry no refs (bare logs).
	Commits []CommitRange `json:"commits,omitempty"`
	// Rules are the rule files the comparison used besides the built-in
	// packs (a .logdiff.yaml found upward, --rules files), so that a
	// result shaped by a file is never a silent one. Set by the caller.
	Rules []string `json:"rules,omitempty"`
	// Streak says since when the job fails: the failing runs since its
	// newest passing run, where the failing run is one of them. Set by
	// the caller from the job's history; absent for logs not of a job's
	// run, and for a run that did not fail.
	Streak *Streak `json:"streak,omitempty"`
	// LeftOut counts the findings a filter (Filter: --kind, --min-score)
	// left out of Findings.
	LeftOut int `json:"left_out,omitempty"`
}

// Streak is the run of failures of a job that the failing run belongs
// to: the failing runs after the newest passing run before them, up to
// the next passing run or the newest run. Runs that were aborted, are
// still running or could not be read neither count nor end it.
type Streak struct {
	// First is the first failing run after Pass: where the job broke, as
	// far as the runs examined tell.
	First StreakRun `json:"first"`
	// Since is when First started; absent when unknown.
	Since time.Time `json:"since,omitzero"`
	// Runs counts the failing runs from First to the failing run
	// compared, Total those from First to Newest, both ends included.
	Runs  int `json:"runs"`
	Total int `json:"total"`
	// Newest is the streak's newest failing run.
	Newest StreakRun `json:"newest"`
	// Pass is the newest passing run before First; nil when none was
	// found among the runs examined (First is then the oldest failure
	// examined).
	Pass *StreakRun `json:"pass,omitempty"`
	// Running says the failing run compared is still running (logdiff
	// attach, at the end of a failing job): it is counted as failing.
	Running bool `json:"running,omitempty"`
}

// StreakRun is a run of a job that a Streak names.
type StreakRun struct {
	Build string `json:"build"`         // the build id
	Name  string `json:"name"`          // job/build
	URL   string `json:"url,omitempty"` // Prow's view of the run; empty when not in GCS
}

// LogInfo describes one input log.
type LogInfo struct {
	Name  string `json:"name"`
	Lines int    `json:"lines"`
	// URL links to the log where it came from a remote source (a Prow view URL).
	URL string `json:"url,omitempty"`
	// Reason says why the run was chosen, where logdiff chose it.
	Reason string `json:"reason,omitempty"`
	// CutLines counts its lines longer than the line limit
	// (ScanOptions.MaxLineBytes, --max-line-bytes): they were compared on
	// their first bytes only, and what differs past the cut is not seen.
	CutLines int `json:"cut_lines,omitempty"`
}

// Finding is one ranked difference.
type Finding struct {
	Rank    int     `json:"rank"`
	Kind    Kind    `json:"kind"`
	Score   float64 `json:"score"`
	Summary string  `json:"summary"`
	// Failing is the range of failing-run lines involved, 1-based and
	// inclusive. For a Missing finding it is the failing line after which the
	// missing lines would have stood (0: before the first line).
	Failing Range `json:"failing"`
	// Baseline is the range in the baseline the finding was placed against;
	// nil for findings that involve no baseline line.
	Baseline *BaselineRange `json:"baseline,omitempty"`
	// Lines are the lines involved, baseline lines first, each in log order.
	Lines []Line `json:"lines"`
	// Context holds up to a few lines around the finding, on both sides.
	Context []Line `json:"context,omitempty"`
	// Flip is set when the finding is a flip of a status word (ok to FAIL,
	// exit 0 to exit 1).
	Flip *Flip `json:"flip,omitempty"`
	// Config is set for Kind Config: the (first) setting that changed.
	Config *ConfigChange `json:"config,omitempty"`
	// Hint is a sentence from a rule that matched one of the lines.
	Hint string `json:"hint,omitempty"`
	// Signature is true when the finding involves a line that every
	// baseline has exactly once, or a line a rule marks as a signature.
	Signature bool `json:"signature,omitempty"`
	// Log is the file the line numbers refer to when it is not the build
	// log: an artifact's path in the build directory. BaselineLog is the
	// baseline's file of it (node names differ between runs).
	Log         string `json:"log,omitempty"`
	BaselineLog string `json:"baseline_log,omitempty"`
	// Key is the normalized form of the finding's first line, the same for
	// the same difference in other jobs (used to group regressions).
	Key string `json:"key,omitempty"`
	// Test is set for Kind Test.
	Test *TestChange `json:"test,omitempty"`
	// Settings are every setting a Config finding holds: one, or the
	// several environment variables a removed preset took away.
	Settings []ConfigChange `json:"settings,omitempty"`
}

// Range is a 1-based inclusive range of line numbers.
type Range struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// BaselineRange is a Range in the baseline with the given index.
type BaselineRange struct {
	Index int `json:"index"`
	Start int `json:"start"`
	End   int `json:"end"`
}

// Line is one line of a log as shown to the user: ANSI codes stripped,
// carriage-return redraws resolved, cut at the line limit.
type Line struct {
	Side Side   `json:"side"`
	N    int    `json:"n"`
	Text string `json:"text"`
}

// Flip records a status word that changed.
type Flip struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// ConfigChange is one difference of configuration. Baseline or Failing is
// empty when the key is absent on that side.
type ConfigChange struct {
	Source   string `json:"source"`  // e.g. "prowjob.json env", "started.json"
	Section  string `json:"section"` // env, image, arg, label, ref, commit...
	Key      string `json:"key"`
	Baseline string `json:"baseline,omitempty"`
	Failing  string `json:"failing,omitempty"`
	// InBaseline and InFailing tell an empty value from an absent key.
	InBaseline bool `json:"in_baseline"`
	InFailing  bool `json:"in_failing"`
}

// CommitRange is what changed in one repository between the nearest
// passing run compared and the failing run.
type CommitRange struct {
	Repo string `json:"repo"` // org/repo
	// The branch and commit each run tested; empty when unknown, or when
	// that run did not check the repository out.
	BaselineRef string `json:"baseline_ref,omitempty"`
	BaselineSHA string `json:"baseline_sha,omitempty"`
	FailingRef  string `json:"failing_ref,omitempty"`
	FailingSHA  string `json:"failing_sha,omitempty"`
	// CompareURL shows the commits between the two (GitHub's
	// compare/PASS...FAIL); empty when unknown or the same.
	CompareURL string `json:"compare_url,omitempty"`
	// Pulls are the failing run's pull requests that the passing run did
	// not test at the same commit (a presubmit's change).
	Pulls []PullChange `json:"pulls,omitempty"`
}

// PullChange is a pull request the failing run tested.
type PullChange struct {
	Number     int    `json:"number"`
	SHA        string `json:"sha"`
	URL        string `json:"url,omitempty"`
	CompareURL string `json:"compare_url,omitempty"`
}
