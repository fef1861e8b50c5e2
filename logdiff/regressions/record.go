package regressions

import (
	"time"

	"github.com/logdiff/logdiff/logdiff"
)

// Status says what a sweep found of a job.
type Status string

// The statuses of a job.
const (
	// Regressed: the job passed, then failed; its first failing run after
	// the newest passing run was compared with the passing runs before it.
	Regressed Status = "regressed"
	// Failing: every finished run examined failed; nothing to compare with.
	Failing Status = "failing"
	// Passing: the newest finished run passed.
	Passing Status = "passing"
	// NoRuns: no run examined has finished with SUCCESS or FAILURE.
	NoRuns Status = "no-runs"
	// Unreadable: the job's runs could not be listed, read or compared;
	// Error says why.
	Unreadable Status = "unreadable"
)

// RecordVersion is the version of the record format: fields may be added
// within a version, none is removed or renamed.
const RecordVersion = 1

// Record is what a sweep found of one job, one JSON object per job in the
// records it writes, for people and for other tools. Its fields are fixed
// (pinned by a test).
type Record struct {
	Version int    `json:"version"`
	Job     string `json:"job"`
	Status  Status `json:"status"`
	Error   string `json:"error,omitempty"`

	// Failing is the run the job's failure is dated from: for a regressed
	// job the first failing run after the newest passing run, for a
	// failing job the oldest failing run examined.
	Failing *Run `json:"failing,omitempty"`
	// Newest is the newest finished run (SUCCESS or FAILURE).
	Newest *Run `json:"newest,omitempty"`
	// FailingRuns counts the failing runs from Failing to Newest.
	FailingRuns int `json:"failing_runs,omitempty"`
	// Baselines are the passing runs Failing was compared with.
	Baselines []Run `json:"baselines,omitempty"`

	// Findings are the comparison's top findings (at most the sweep's
	// Keep, with a few lines each); TotalFindings counts them all.
	Findings      []logdiff.Finding `json:"findings,omitempty"`
	TotalFindings int               `json:"total_findings,omitempty"`
	// Rules are the rule files the comparison used besides the built-in
	// packs.
	Rules []string `json:"rules,omitempty"`
	// Filter is the --kind/--min-score the sweep kept findings by ("" when
	// it kept all), LeftOut how many findings it left out: a record with
	// none left is then told apart from a comparison that found nothing.
	Filter  string `json:"filter,omitempty"`
	LeftOut int    `json:"left_out,omitempty"`

	// Skipped lists builds whose metadata could not be read, each with
	// why; they were passed over, as logdiff job does.
	Skipped []string `json:"skipped,omitempty"`

	// Analysed is when the comparison ran; Checked when this sweep looked
	// at the job. Reused says the comparison was taken from the state of
	// an earlier sweep (the same transition, already compared).
	Analysed time.Time `json:"analysed,omitzero"`
	Checked  time.Time `json:"checked"`
	Reused   bool      `json:"reused,omitempty"`
}

// Run is one build of a job as a record names it.
type Run struct {
	Build  string    `json:"build"`
	Result string    `json:"result"`
	Time   time.Time `json:"time,omitzero"`
	// URL is Prow's view of the run for runs in GCS, else where it is
	// (a local directory).
	URL string `json:"url"`
	// Reason says why the run was chosen.
	Reason string `json:"reason,omitempty"`
}

// Transition is the record's identity in the state: the job and the build
// its failure is dated from.
func (r *Record) Transition() string {
	if r.Failing == nil {
		return ""
	}
	return r.Job + "/" + r.Failing.Build
}
