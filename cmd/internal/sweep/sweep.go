// Package sweep checks many Prow jobs for new failures, compares each
// job's first failing run with the passing runs before it, and groups the
// jobs that broke for the same reason.
package sweep

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/logdiff/logdiff/cmd/internal/compare"
	"github.com/logdiff/logdiff/fetch"
	"github.com/logdiff/logdiff/logdiff"
	"github.com/logdiff/logdiff/logdiff/regressions"
	"github.com/logdiff/logdiff/logdiff/report"
)

// Sweeper checks jobs of one store. The zero values of its numbers mean
// the defaults of Config.
type Sweeper struct {
	Fetcher *fetch.Fetcher
	// Source is the store's canonical source (a bucket or directory,
	// Path ""): builds are resolved by path in it.
	Source fetch.Source
	// Options are the comparison's (rules, quorum, context).
	Options logdiff.Options

	Baselines, Scan, Keep, Parallel int
	Artifacts                       []string
	// JUnit chooses the runs' JUnit files to compare (fetch.JUnitFiles'
	// glob, "" for the default); NoJUnit reads none.
	JUnit   string
	NoJUnit bool
	// Rules are the rule files of Options besides the built-in packs;
	// each comparison's report names them.
	Rules []string
	// Filter, when set, keeps only the findings it is true of (--kind,
	// --min-score): the others are neither recorded nor grouped, only
	// counted (Record.LeftOut). FilterName says it ("--kind test"): records
	// carry it, and a comparison is taken from State only when made with
	// the same filter, since a record keeps only its top findings and
	// what one filter left out another cannot get back.
	Filter     func(*logdiff.Finding) bool
	FilterName string

	// TempDir holds the runs of the jobs being compared (os.TempDir()
	// when ""); each job's files are removed once it is compared.
	TempDir string
	Now     func() time.Time
	// ProwURL is the Prow instance whose view the records link runs in
	// GCS to (report.DefaultProwURL when "").
	ProwURL string

	// State, when set, gives comparisons made by earlier sweeps (a
	// transition already compared is not compared again) and keeps the
	// new ones, each as soon as it is made.
	State *State
	// Out, when set, is given each job's record as soon as it is done.
	Out RecordWriter
	// Progress, when set, is told how many jobs are done. Calls never
	// overlap.
	Progress func(done, total int)
}

// RecordWriter takes the records of a sweep as the jobs are done.
type RecordWriter interface {
	Write(r *regressions.Record) error
}

func (s *Sweeper) scan() int {
	if s.Scan > 0 {
		return s.Scan
	}
	return DefaultScan
}

func (s *Sweeper) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Run checks the jobs, at most Parallel at once, and returns their
// records sorted by job. A job that cannot be read is recorded as
// Unreadable and the sweep goes on. Each record is kept (State) and
// written (Out) as soon as its job is done, so that a sweep that is
// stopped loses nothing it finished. When ctx ends, Run returns the
// records done so far with ctx's error; jobs under way are not recorded.
// Another error is trouble with the state or the output, and stops the
// sweep.
func (s *Sweeper) Run(ctx context.Context, jobs []string) ([]regressions.Record, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	parallel := s.Parallel
	if parallel <= 0 {
		parallel = DefaultParallel
	}
	todo := make(chan string)
	done := make(chan regressions.Record)
	var wg sync.WaitGroup
	for range min(parallel, max(len(jobs), 1)) {
		wg.Go(func() {
			for job := range todo {
				r, ok := s.check(ctx, job)
				if !ok {
					continue // the sweep was stopped: nothing to record
				}
				select {
				case done <- r:
				case <-ctx.Done():
				}
			}
		})
	}
	go func() {
		defer close(todo)
		for _, j := range jobs {
			select {
			case todo <- j:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(done) }()

	var (
		records []regressions.Record
		fatal   error
	)
	for r := range done {
		if fatal != nil {
			continue // draining
		}
		if err := s.keep(&r); err != nil {
			fatal = err
			cancel()
			continue
		}
		records = append(records, r)
		if s.Progress != nil {
			s.Progress(len(records), len(jobs))
		}
	}
	slices.SortFunc(records, func(a, b regressions.Record) int { return strings.Compare(a.Job, b.Job) })
	if fatal != nil {
		return records, fatal
	}
	return records, ctx.Err()
}

// keep writes a finished record to the state (a new comparison) and the
// output.
func (s *Sweeper) keep(r *regressions.Record) error {
	if s.State != nil && r.Status == regressions.Regressed && !r.Reused {
		if err := s.State.add(r); err != nil {
			return err
		}
	}
	if s.Out != nil {
		if err := s.Out.Write(r); err != nil {
			return err
		}
	}
	return nil
}

// check finds the job's transition and compares it. ok is false when the
// sweep was stopped meanwhile.
func (s *Sweeper) check(ctx context.Context, job string) (r regressions.Record, ok bool) {
	r = regressions.Record{Version: regressions.RecordVersion, Job: job, Checked: s.now().UTC()}
	unreadable := func(err error) (regressions.Record, bool) {
		if ctx.Err() != nil {
			return regressions.Record{}, false
		}
		r.Status, r.Error = regressions.Unreadable, err.Error()
		return r, true
	}
	h, err := s.history(ctx, job)
	if err != nil {
		return unreadable(err)
	}
	r.Skipped = h.skipped
	switch {
	case len(h.failing) == 0 && h.passing != nil:
		r.Status = regressions.Passing
		r.Newest = s.run(*h.passing, "")
		return r, true
	case len(h.failing) == 0:
		r.Status = regressions.NoRuns
		return r, true
	}
	first := h.failing[len(h.failing)-1]
	r.Failing = s.run(first, "")
	r.Newest = s.run(h.failing[0], "")
	r.FailingRuns = len(h.failing)
	if h.passing == nil {
		r.Status = regressions.Failing
		r.Failing.Reason = fmt.Sprintf("oldest of %d failing runs; no passing run among the %d newest builds", len(h.failing), s.scan())
		return r, true
	}
	r.Status = regressions.Regressed
	r.Failing.Reason = "first failing run after " + h.passing.ID + ", the newest passing run"
	if s.State != nil {
		if prev, ok := s.State.lookup(r.Transition(), s.FilterName); ok {
			r.Baselines, r.Findings, r.TotalFindings = prev.Baselines, prev.Findings, prev.TotalFindings
			r.Filter, r.LeftOut = prev.Filter, prev.LeftOut
			r.Analysed, r.Reused = prev.Analysed, true
			return r, true
		}
	}
	if err := s.compare(ctx, &r, first); err != nil {
		return unreadable(err)
	}
	return r, true
}

// compare compares the failing build with the passing runs before it and
// fills r's baselines and findings.
func (s *Sweeper) compare(ctx context.Context, r *regressions.Record, failing fetch.Build) error {
	sel, err := s.Fetcher.Select(ctx, fetch.Query{Job: r.Job, Build: failing.ID, Baselines: max(s.Baselines, 1), Scan: s.scan()})
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp(s.TempDir, "logdiff-sweep-")
	if err != nil {
		return fmt.Errorf("comparing %s: %w", failing.Name(), err)
	}
	defer os.RemoveAll(dir)
	choices := append([]fetch.Choice{sel.Failing}, sel.Baselines...)
	builds := make([]fetch.Build, len(choices))
	rr := &compare.Runs{Rules: s.Rules}
	for i, c := range choices {
		builds[i] = c.Build
		rr.Reasons = append(rr.Reasons, c.Reason)
		rr.URLs = append(rr.URLs, report.ViewURL(s.ProwURL, s.Fetcher.Store.URL(c.Build.Dir)))
		if i > 0 {
			r.Baselines = append(r.Baselines, *s.run(c.Build, c.Reason))
		}
	}
	local, err := s.Fetcher.Materialize(ctx, dir, builds, s.Artifacts)
	if err != nil {
		return err
	}
	if !s.NoJUnit {
		// Test results are evidence beside the log: a file that cannot be
		// had leaves it out, as Materialize's warnings do.
		if err := s.Fetcher.MaterializeJUnit(ctx, local, s.JUnit); err != nil && ctx.Err() != nil {
			return err
		}
	}
	rr.Failing, rr.Baselines = local[0], local[1:]
	report, err := compare.Compare(ctx, rr, s.Options)
	if err != nil {
		return err
	}
	if s.Filter != nil {
		r.Filter, r.LeftOut = s.FilterName, report.Filter(s.Filter)
	}
	r.TotalFindings = len(report.Findings)
	r.Rules = report.Rules
	keep := s.Keep
	if keep <= 0 {
		keep = DefaultKeep
	}
	for _, f := range report.Findings[:min(len(report.Findings), keep)] {
		r.Findings = append(r.Findings, trimFinding(f))
	}
	r.Analysed = s.now().UTC()
	return nil
}

// run names a build in a record.
func (s *Sweeper) run(b fetch.Build, reason string) *regressions.Run {
	u := report.ViewURL(s.ProwURL, s.Fetcher.Store.URL(b.Dir))
	if u == "" {
		u = s.Fetcher.Store.URL(b.Dir)
	}
	t := b.Time()
	if !t.IsZero() {
		t = t.UTC()
	}
	return &regressions.Run{Build: b.ID, Result: b.Result(), Time: t, URL: u, Reason: reason}
}

// Limits on what a record keeps of a finding: enough to show and group,
// not the whole log.
const (
	maxRecordLines = 20
	maxRecordText  = 2000
)

func trimFinding(f logdiff.Finding) logdiff.Finding {
	trim := func(ls []logdiff.Line, n int) []logdiff.Line {
		ls = slices.Clone(ls[:min(len(ls), n)])
		for i := range ls {
			ls[i].Text = cutText(ls[i].Text, maxRecordText)
		}
		return ls
	}
	f.Lines = trim(f.Lines, maxRecordLines)
	f.Context = trim(f.Context, 6)
	f.Summary = cutText(f.Summary, maxRecordText)
	return f
}

// cutText cuts s to at most n bytes on a rune boundary, marking the cut.
func cutText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := n
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}
