// Package evaldata measures what a reader gets from a ranked list of
// findings on labelled pass/fail pairs of real CI logs: where the first
// line that states the cause stands, how much of it is reported, and how
// much else. It knows nothing of logdiff's engine, so the same measures
// apply to plain diff's hunks.
package evaldata

import (
	"math"
	"slices"
)

// Line is one line a finding shows.
type Line struct {
	// Baseline is true for a line of a passing run (a missing line), false
	// for a line of the failing run.
	Baseline bool
	N        int // 1-based line number in its log
	Text     string
}

// Finding is one reported difference, in the order a reader meets it.
type Finding struct {
	Kind    string
	Score   float64
	Summary string
	Lines   []Line
}

// Truth is what is known of one pair's failing run.
type Truth struct {
	// Cause holds the failing run's lines that state the cause.
	Cause map[int]bool
	// Useful holds the failing run's lines that count for precision: the
	// cause lines and the lines that help to read them. Nil when precision
	// is not measured for the pair.
	Useful map[int]bool
	// Missing are causes that are lines the failing run lacks, matched
	// against the baseline lines of findings; each pattern is one cause.
	Missing []Matcher
}

// Matcher tells whether a line's text is one that is looked for.
type Matcher interface{ MatchString(string) bool }

// Units is the number of causes to find: each cause line and each
// missing-line pattern counts once.
func (t Truth) Units() int { return len(t.Cause) + len(t.Missing) }

// IsCause tells whether l states (or, for a missing line, is) a cause.
func (t Truth) IsCause(l Line) bool {
	if !l.Baseline {
		return t.Cause[l.N]
	}
	for _, m := range t.Missing {
		if m.MatchString(l.Text) {
			return true
		}
	}
	return false
}

// Result is what one report gives a reader on one pair.
type Result struct {
	Findings int // findings in the report
	Lines    int // lines of all findings, both sides
	Reported int // distinct failing-run lines reported
	Useful   int // of Reported, those in Truth.Useful
	// Units and Found count the causes and those reported.
	Units, Found int
	// FirstRank is the rank (1-based) of the first finding that holds a
	// cause line, 0 when none does.
	FirstRank int
	// Read is the number of lines read, in rank order, up to and including
	// the first cause line: every line of every finding before it counts,
	// both sides, as a reader goes through the report. 0 when no cause is
	// reported.
	Read int
	// HasPrecision is false when the pair has no Useful set, or nothing of
	// the failing run was reported.
	HasPrecision bool
}

// Measure reads the findings in order against the truth.
func Measure(findings []Finding, t Truth) Result {
	r := Result{Findings: len(findings), Units: t.Units()}
	reported := map[int]bool{}
	foundMissing := make([]bool, len(t.Missing))
	foundCause := map[int]bool{}
	for i, f := range findings {
		for _, l := range f.Lines {
			r.Lines++
			cause := t.IsCause(l)
			if cause && r.FirstRank == 0 {
				r.FirstRank = i + 1
				r.Read = r.Lines
			}
			if !l.Baseline {
				reported[l.N] = true
				if cause {
					foundCause[l.N] = true
				}
				continue
			}
			for k, m := range t.Missing {
				if m.MatchString(l.Text) {
					foundMissing[k] = true
				}
			}
		}
	}
	r.Reported = len(reported)
	r.Found = len(foundCause)
	for _, ok := range foundMissing {
		if ok {
			r.Found++
		}
	}
	if t.Useful != nil && r.Reported > 0 {
		r.HasPrecision = true
		for n := range reported {
			if t.Useful[n] {
				r.Useful++
			}
		}
	}
	return r
}

// Recall is the share of causes reported (1 when there is none to find).
func (r Result) Recall() float64 {
	if r.Units == 0 {
		return 1
	}
	return float64(r.Found) / float64(r.Units)
}

// Precision is the share of reported failing lines that are useful.
func (r Result) Precision() float64 {
	if !r.HasPrecision {
		return math.NaN()
	}
	return float64(r.Useful) / float64(r.Reported)
}

// LinesRead is Read, or +Inf when no cause was reported: a reader who
// reads everything still has not seen it.
func (r Result) LinesRead() float64 {
	if r.FirstRank == 0 {
		return math.Inf(1)
	}
	return float64(r.Read)
}

// Summary aggregates the results of one set of pairs.
type Summary struct {
	Pairs int
	// First is the share of pairs whose first finding holds a cause line.
	First float64
	// MedianRead is the median of LinesRead (+Inf when more than half the
	// pairs have no cause reported).
	MedianRead float64
	// Within5 is the share of pairs with a cause line within the first 5
	// lines read.
	Within5 float64
	// RecallMean is the mean over pairs of each pair's recall (CiDiff's
	// way: every pair counts once); RecallPooled divides all causes found
	// by all causes, so big pairs weigh more.
	RecallMean, RecallPooled float64
	// PrecisionMean and PrecisionPooled likewise, over the pairs where
	// precision is measured (PrecisionPairs of them); NaN when none.
	PrecisionMean, PrecisionPooled float64
	PrecisionPairs                 int
	// Medians per pair of the findings, of the distinct failing lines
	// reported, and of all lines of all findings.
	MedianFindings, MedianReported, MedianLines float64
}

// Summarize aggregates results; an empty slice gives NaN figures.
func Summarize(rs []Result) Summary {
	s := Summary{Pairs: len(rs)}
	nan := math.NaN()
	if len(rs) == 0 {
		return Summary{First: nan, MedianRead: nan, Within5: nan, RecallMean: nan, RecallPooled: nan,
			PrecisionMean: nan, PrecisionPooled: nan, MedianFindings: nan, MedianReported: nan, MedianLines: nan}
	}
	var first, within5, units, found, useful, reported int
	var recallSum, precSum float64
	read := make([]float64, 0, len(rs))
	findings := make([]float64, 0, len(rs))
	rep := make([]float64, 0, len(rs))
	lines := make([]float64, 0, len(rs))
	for _, r := range rs {
		if r.FirstRank == 1 {
			first++
		}
		if r.FirstRank > 0 && r.Read <= 5 {
			within5++
		}
		units += r.Units
		found += r.Found
		recallSum += r.Recall()
		if r.HasPrecision {
			s.PrecisionPairs++
			precSum += r.Precision()
			useful += r.Useful
			reported += r.Reported
		}
		read = append(read, r.LinesRead())
		findings = append(findings, float64(r.Findings))
		rep = append(rep, float64(r.Reported))
		lines = append(lines, float64(r.Lines))
	}
	n := float64(len(rs))
	s.First = float64(first) / n
	s.Within5 = float64(within5) / n
	s.RecallMean = recallSum / n
	s.RecallPooled = 1
	if units > 0 {
		s.RecallPooled = float64(found) / float64(units)
	}
	s.PrecisionMean, s.PrecisionPooled = nan, nan
	if s.PrecisionPairs > 0 {
		s.PrecisionMean = precSum / float64(s.PrecisionPairs)
		s.PrecisionPooled = float64(useful) / float64(reported)
	}
	s.MedianRead = Median(read)
	s.MedianFindings = Median(findings)
	s.MedianReported = Median(rep)
	s.MedianLines = Median(lines)
	return s
}

// Median of v (NaN for none); v is not changed. +Inf values sort last.
func Median(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	s := slices.Clone(v)
	slices.Sort(s)
	m := len(s) / 2
	if len(s)%2 == 1 {
		return s[m]
	}
	return (s[m-1] + s[m]) / 2
}
