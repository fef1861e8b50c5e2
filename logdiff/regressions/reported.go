package regressions

import (
	"slices"
	"strings"
	"time"
)

// Reported is what the last summary reported: its regressions, each by
// key with the transitions (job/build) of its jobs. A regression is new
// when its key is not among these and one of its transitions is not
// either.
type Reported struct {
	Version     int                  `json:"version"`
	Written     time.Time            `json:"written"`
	Regressions []ReportedRegression `json:"regressions"`
}

// ReportedRegression is one regression of a summary.
type ReportedRegression struct {
	Key         string   `json:"key"`
	Transitions []string `json:"transitions"`
}

// known reports whether a key, or else every transition, was reported.
func (r *Reported) known(key string, transitions []string) bool {
	seen := map[string]bool{}
	for _, g := range r.Regressions {
		if g.Key == key {
			return true
		}
		for _, t := range g.Transitions {
			seen[t] = true
		}
	}
	for _, t := range transitions {
		if !seen[t] {
			return false
		}
	}
	return len(transitions) > 0
}

// ReportedOf is what s reports, to be kept for the next summary: its
// regressions, and the previous summary's regressions of jobs that s
// could not read (a job unreadable for a night is not new again the night
// after).
func ReportedOf(s *Summary, prev *Reported) Reported {
	r := Reported{Version: 1, Written: s.Generated, Regressions: []ReportedRegression{}}
	for _, g := range s.Regressions {
		rr := ReportedRegression{Key: g.Key}
		for _, j := range g.Jobs {
			rr.Transitions = append(rr.Transitions, j.Job+"/"+j.Failing.Build)
		}
		slices.Sort(rr.Transitions)
		r.Regressions = append(r.Regressions, rr)
	}
	if prev != nil {
		unreadable := map[string]bool{}
		for _, j := range s.Unreadable {
			unreadable[j.Job] = true
		}
		for _, g := range prev.Regressions {
			kept := ReportedRegression{Key: g.Key}
			for _, t := range g.Transitions {
				job, _, _ := strings.Cut(t, "/")
				if unreadable[job] {
					kept.Transitions = append(kept.Transitions, t)
				}
			}
			if len(kept.Transitions) > 0 {
				r.Regressions = append(r.Regressions, kept)
			}
		}
	}
	return r
}
