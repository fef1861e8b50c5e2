package regressions

import (
	"slices"
	"strings"
	"time"

	"github.com/logdiff/logdiff/logdiff"
)

// SummaryVersion is the version of the summary's JSON form: fields may be
// added within a version, none is removed or renamed.
const SummaryVersion = 1

// Summary is what a sweep found, grouped: the regressions, most jobs
// first, and the jobs that could not be compared. Its JSON fields are
// fixed (pinned by a test).
type Summary struct {
	Version   int       `json:"version"`
	Generated time.Time `json:"generated"`
	// GroupTop is how many top findings of each job were compared.
	GroupTop int    `json:"group_top"`
	Jobs     int    `json:"jobs"`
	Counts   Counts `json:"counts"`
	// New counts the regressions not in the previous summary.
	New         int          `json:"new"`
	Regressions []Regression `json:"regressions"`
	// NoFindings are regressed jobs whose comparison found nothing.
	NoFindings []JobRun `json:"no_findings"`
	// LeftOut are regressed jobs whose findings the sweep's filter
	// (--kind, --min-score) all left out.
	LeftOut []JobRun `json:"left_out,omitempty"`
	// Filter is the filter the records were made with ("" when none):
	// a filtered sweep's summary says so.
	Filter string `json:"filter,omitempty"`
	// Failing are jobs that failed in every finished run examined.
	Failing []JobRun `json:"failing"`
	// Unreadable are jobs whose runs could not be read or compared.
	Unreadable []JobRun `json:"unreadable"`
	// Rules are the rule files the comparisons used besides the built-in
	// packs (absent when none).
	Rules []string `json:"rules,omitempty"`
}

// Counts are the jobs of a summary by status; Reused counts the regressed
// jobs whose comparison an earlier sweep made.
type Counts struct {
	Regressed  int `json:"regressed"`
	Failing    int `json:"failing"`
	Passing    int `json:"passing"`
	NoRuns     int `json:"no_runs"`
	Unreadable int `json:"unreadable"`
	Reused     int `json:"reused"`
}

// Regression is jobs that broke for the same reason: their top findings
// share Key.
type Regression struct {
	Key     string       `json:"key"`
	Kind    logdiff.Kind `json:"kind"`
	Summary string       `json:"summary"`
	// New is set when the previous summary did not report it.
	New bool `json:"new"`
	// Evidence are the lines of the finding in the first job that has it.
	Evidence []logdiff.Line `json:"evidence"`
	Hint     string         `json:"hint,omitempty"`
	// Shared are other findings in the top of every job of the regression.
	Shared []Shared        `json:"shared,omitempty"`
	Jobs   []RegressionJob `json:"jobs"`
}

// Shared is a finding that every job of a regression has among its top.
type Shared struct {
	Key     string `json:"key"`
	Summary string `json:"summary"`
}

// RegressionJob is one job of a regression: the finding as it ranks in
// that job, and its runs.
type RegressionJob struct {
	Job string `json:"job"`
	// Rank is the finding's position among the job's findings, 0 when the
	// job joined through another shared finding; Summary is the job's top
	// finding then.
	Rank        int    `json:"rank"`
	Summary     string `json:"summary"`
	Failing     Run    `json:"failing"`
	Newest      *Run   `json:"newest,omitempty"`
	FailingRuns int    `json:"failing_runs"`
	Baselines   []Run  `json:"baselines"`
}

// JobRun is a job listed outside the regressions.
type JobRun struct {
	Job         string `json:"job"`
	Error       string `json:"error,omitempty"`
	Failing     *Run   `json:"failing,omitempty"`
	Newest      *Run   `json:"newest,omitempty"`
	FailingRuns int    `json:"failing_runs,omitempty"`
}

// Summarize groups the records of a sweep (see group) and marks the
// regressions that prev, the previous summary's, does not hold (all of
// them when prev is nil). It depends on its arguments alone: the same
// records summarize the same, in whatever order they come.
func Summarize(records []Record, groupTop int, prev *Reported, now time.Time) *Summary {
	if groupTop <= 0 {
		groupTop = DefaultGroupTop
	}
	s := &Summary{Version: SummaryVersion, Generated: now.UTC(), GroupTop: groupTop, Jobs: len(records),
		Regressions: []Regression{}, NoFindings: []JobRun{}, Failing: []JobRun{}, Unreadable: []JobRun{}}
	var regressed []*Record
	for i := range records {
		r := &records[i]
		switch r.Status {
		case Regressed:
			s.Counts.Regressed++
			if r.Reused {
				s.Counts.Reused++
			}
			switch {
			case len(r.Findings) == 0 && r.LeftOut > 0:
				s.LeftOut = append(s.LeftOut, jobRun(r))
			case len(r.Findings) == 0:
				s.NoFindings = append(s.NoFindings, jobRun(r))
			default:
				regressed = append(regressed, r)
			}
		case Failing:
			s.Counts.Failing++
			s.Failing = append(s.Failing, jobRun(r))
		case Passing:
			s.Counts.Passing++
		case NoRuns:
			s.Counts.NoRuns++
		default:
			s.Counts.Unreadable++
			s.Unreadable = append(s.Unreadable, jobRun(r))
		}
	}
	for _, g := range group(regressed, groupTop) {
		s.Regressions = append(s.Regressions, regression(g, groupTop, prev))
	}
	slices.SortFunc(s.Regressions, byJobsThenKey)
	for _, g := range s.Regressions {
		if g.New {
			s.New++
		}
	}
	for _, r := range records {
		if r.Filter != "" && !slices.Contains(strings.Split(s.Filter, "; "), r.Filter) {
			if s.Filter != "" {
				s.Filter += "; " // records of differently filtered sweeps, merged
			}
			s.Filter += r.Filter
		}
	}
	for _, l := range [][]JobRun{s.NoFindings, s.LeftOut, s.Failing, s.Unreadable} {
		slices.SortFunc(l, func(a, b JobRun) int { return cmpString(a.Job, b.Job) })
	}
	return s
}

func regression(g []*Record, n int, prev *Reported) Regression {
	key := leadKey(g, n)
	reg := Regression{Key: key}
	for _, r := range g {
		f, rank := findingWithKey(r, key)
		if f != nil && reg.Summary == "" {
			reg.Kind, reg.Summary, reg.Evidence, reg.Hint = f.Kind, f.Summary, f.Lines, f.Hint
		}
		j := RegressionJob{Job: r.Job, Rank: rank, Failing: *r.Failing, Newest: r.Newest, FailingRuns: r.FailingRuns, Baselines: r.Baselines}
		if f == nil {
			f = &r.Findings[0]
		}
		j.Summary = f.Summary
		if j.Baselines == nil {
			j.Baselines = []Run{}
		}
		reg.Jobs = append(reg.Jobs, j)
	}
	if reg.Evidence == nil {
		reg.Evidence = []logdiff.Line{}
	}
	for _, k := range sharedKeys(g, key, n) {
		if len(g) < 2 {
			break // "also in every job" says nothing of one job
		}
		f, _ := findingWithKey(g[0], k)
		reg.Shared = append(reg.Shared, Shared{Key: k, Summary: f.Summary})
	}
	if prev == nil {
		reg.New = true
	} else {
		var ts []string
		for _, j := range reg.Jobs {
			ts = append(ts, j.Job+"/"+j.Failing.Build)
		}
		reg.New = !prev.known(key, ts)
	}
	return reg
}

func jobRun(r *Record) JobRun {
	return JobRun{Job: r.Job, Error: r.Error, Failing: r.Failing, Newest: r.Newest, FailingRuns: r.FailingRuns}
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// EvidenceJob is the job whose lines a regression shows.
func (g *Regression) EvidenceJob() string {
	for _, j := range g.Jobs {
		if j.Rank > 0 {
			return j.Job + "/" + j.Failing.Build
		}
	}
	return ""
}

// JobNames lists the jobs of a regression, in its order.
func (g *Regression) JobNames() []string {
	out := make([]string, len(g.Jobs))
	for i, j := range g.Jobs {
		out[i] = j.Job
	}
	return out
}
