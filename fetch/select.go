package fetch

import (
	"context"
	"errors"
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/logdiff/logdiff/fetch/internal/iox"
	"github.com/logdiff/logdiff/internal/english"
)

// Errors of Select that a command reports as they are (exit status 2): each
// is wrapped in a message naming the job.
var (
	ErrNoJob        = errors.New("no such job")
	ErrNoFailingRun = errors.New("no failing run")
	ErrNoPassingRun = errors.New("no passing run")
	errNotInLayout  = errors.New("not a job name")
)

// DefaultBaselines is how many passing runs Select chooses by default.
const DefaultBaselines = 3

// ErrNoSuchBuild is Select's error when the given build is not among
// the job's builds.
var ErrNoSuchBuild = errors.New("no such build")

// DefaultScan is how many of a job's newest builds Select examines when
// Query.Scan is zero.
const DefaultScan = 200

// Query says which runs of a job Select chooses.
type Query struct {
	Job string

	// Build is the failing build's id; "" chooses the newest FAILURE.
	Build string

	// FirstFailure chooses the first failing run of the streak instead
	// (Streak.First): the run where the job broke, whose baselines are
	// the passing runs just before it.
	FirstFailure bool

	// Running says the failing run is the caller's own and still running
	// (logdiff attach, at the end of a failing job). With Build, that
	// build (no finished.json yet) counts as a FAILURE in the streak:
	// the streak is the finished failures before it and this run.
	// Without Build the run is not known: no failing run is chosen
	// (Selection.Failing and Streak are zero) and the baselines are the
	// job's newest SUCCESS runs.
	Running bool

	// Baselines is how many passing runs to choose: 0 means
	// DefaultBaselines, a negative number none.
	Baselines int

	// Scan bounds the builds examined for the failing run and again for
	// the baselines; 0 means DefaultScan.
	Scan int
}

// Selection is a failing run and the passing runs to compare it with,
// each with the reason it was chosen. Baselines come newest first, those
// on the failing run's base branch before any others.
type Selection struct {
	Failing   Choice
	Baselines []Choice

	// Streak is the run of failures the failing run belongs to.
	Streak Streak
}

// Streak is the run of FAILURE builds a failing run belongs to: those since
// the newest SUCCESS before it, up to the next SUCCESS after it (or the
// newest build). Running, aborted and unreadable builds between them
// neither count nor end it. Runs of a presubmit test different pull
// requests: there the streak says little. It is the zero Streak (Runs 0)
// when the failing run is a given build that did not fail (or is still
// running, unless Query.Running says it is failing).
type Streak struct {
	// First is the first FAILURE after Pass: where the job broke, as far
	// as the builds examined tell.
	First Build

	// Pass is the newest SUCCESS before First; nil when none was found
	// among the builds examined (Query.Scan), and then First is only the
	// oldest failure examined.
	Pass *Build

	// Newest is the streak's newest FAILURE.
	Newest Build

	// Runs counts the FAILURE builds from First to the failing run, and
	// Total those from First to Newest, both ends included.
	Runs, Total int

	// Since is when First started (First.Time()); zero when unknown.
	Since time.Time
}

// Choice is a build and why it was chosen, for people: "newest SUCCESS
// before 1889120572684636160 (skipped 2 FAILURE), same base branch master".
type Choice struct {
	Build  Build
	Reason string
}

// Select finds q.Job under logs/ (periodic and postsubmit jobs) or
// pr-logs/directory/ (presubmits) and chooses the failing run (q.Build, or
// the newest FAILURE, or with q.FirstFailure the first of their streak)
// and the q.Baselines newest SUCCESS runs before it (with q.Running and no
// q.Build, no failing run and the newest SUCCESS runs). Running builds (no
// finished.json), aborted and failed ones are skipped; for presubmits, runs
// on the failing run's base branch come first. The chosen builds have
// their metadata loaded.
//
// It reads finished.json of each build examined (and pointer files for
// presubmits), Parallel at once, at most q.Scan builds for each choice and
// for each side of the streak.
func (f *Fetcher) Select(ctx context.Context, q Query) (Selection, error) {
	if q.Baselines == 0 {
		q.Baselines = DefaultBaselines
	}
	if q.Scan <= 0 {
		q.Scan = DefaultScan
	}
	presubmit, listing, err := f.findJob(ctx, q.Job)
	if err != nil {
		return Selection{}, err
	}
	ids := buildIDs(q.Job, presubmit, listing)
	memo := map[string]Build{} // builds read, by id: each is read once
	var (
		sel     Selection
		anchor  Choice // the given build or the newest failure
		failAt  = -1
		skipped tally // newer than the newest failure
	)
	if q.Build != "" {
		failAt = slices.Index(ids, q.Build)
		if failAt < 0 {
			return Selection{}, fmt.Errorf("build %s of %s: %w: %w", q.Build, q.Job, ErrNoSuchBuild,
				iox.NotFound(f.Store.URL(jobRoot(q.Job, presubmit))+"/"+q.Build, nil))
		}
		b, err := f.status(ctx, q.Job, q.Build, presubmit)
		if err != nil {
			return Selection{}, err
		}
		anchor = Choice{b, fmt.Sprintf("given build %s (%s)", b.ID, b.Result())}
	} else if q.Running {
		// The caller's run is not known: nothing to place it in, the
		// newest passing runs to compare it with.
		if q.Baselines < 0 {
			return sel, nil
		}
		sel.Baselines, err = f.baselines(ctx, q, ids, presubmit, Build{Job: q.Job}, memo)
		return sel, err
	} else {
		err := f.scan(ctx, q.Job, ids, q.Scan, presubmit, false, memo, func(i int, b Build) bool {
			if b.Result() != "FAILURE" {
				skipped.add(b.Result())
				return true
			}
			failAt = i
			reason := "newest FAILURE"
			if s := skipped.String(); s != "" {
				reason += " (newer: " + s + ")"
			}
			anchor = Choice{b, reason}
			return false
		})
		if err != nil {
			return Selection{}, err
		}
		if failAt < 0 {
			n := min(len(ids), q.Scan)
			return Selection{}, fmt.Errorf("%w of %s among its %d newest builds (%s)", ErrNoFailingRun, q.Job, n, skipped.String())
		}
	}
	if presubmit {
		// Its base branch chooses the runs of its streak.
		if err := f.load(ctx, &anchor.Build, true); err != nil {
			return Selection{}, err
		}
	}
	st, firstAt, err := f.streak(ctx, q, ids, failAt, anchor.Build, presubmit, memo)
	if err != nil {
		return Selection{}, err
	}
	sel.Streak, sel.Failing = st, anchor
	if q.FirstFailure && firstAt != failAt {
		failAt = firstAt
		sel.Failing = Choice{st.First, firstReason(st, anchor.Build, q.Scan)}
		sel.Streak.Runs = 1 // the failing run is now the first
	}
	if err := f.load(ctx, &sel.Failing.Build, true); err != nil {
		return Selection{}, err
	}
	if st.Runs > 0 {
		// The first failure with its metadata, for its time and refs.
		if st.First.ID == sel.Failing.Build.ID {
			sel.Streak.First = sel.Failing.Build
		} else if err := f.load(ctx, &sel.Streak.First, true); err != nil {
			return Selection{}, err
		}
		sel.Streak.Since = sel.Streak.First.Time()
	}
	if q.Baselines < 0 {
		return sel, nil
	}
	sel.Baselines, err = f.baselines(ctx, q, ids[failAt+1:], presubmit, sel.Failing.Build, memo)
	if err != nil {
		return Selection{}, err
	}
	return sel, nil
}

// firstReason says why the first failure of the streak was chosen.
func firstReason(st Streak, anchor Build, scan int) string {
	later := fmt.Sprintf("%d failing runs to %s", st.Runs, anchor.ID)
	if st.Pass == nil {
		return fmt.Sprintf("oldest FAILURE in a row among %d builds examined, no SUCCESS found before it (%s)", scan, later)
	}
	return fmt.Sprintf("first FAILURE after SUCCESS %s (%s)", st.Pass.ID, later)
}

// streak finds the streak of failing, the build at ids[failAt]: the
// FAILURE builds before it back to the newest SUCCESS, and after it up to
// the next SUCCESS. It returns where the first one is in ids.
func (f *Fetcher) streak(ctx context.Context, q Query, ids []string, failAt int, failing Build, presubmit bool, memo map[string]Build) (Streak, int, error) {
	if r := failing.Result(); r != "FAILURE" && (r != "RUNNING" || !q.Running) {
		return Streak{}, failAt, nil // a given build that did not fail: no streak
	}
	st := Streak{First: failing, Newest: failing, Runs: 1, Total: 1}
	firstAt := failAt
	// A presubmit's runs test pull requests to several branches: the
	// streak, like the baselines, is of the failing run's base branch.
	other := func(b Build) bool { return presubmit && b.BaseRef() != failing.BaseRef() }
	err := f.scan(ctx, q.Job, ids[failAt+1:], q.Scan, presubmit, true, memo, func(i int, b Build) bool {
		if other(b) {
			return true
		}
		switch b.Result() {
		case "SUCCESS":
			st.Pass = &b
			return false
		case "FAILURE":
			st.First, firstAt = b, failAt+1+i
			st.Runs++
			st.Total++
		}
		return true
	})
	if err != nil {
		return Streak{}, 0, err
	}
	// Newer builds: newest first in ids, so walk them backwards from the
	// failing run. The newest failure has none that failed.
	newer := slices.Clone(ids[max(0, failAt-q.Scan):failAt])
	slices.Reverse(newer)
	if q.Build != "" && len(newer) > 0 {
		err := f.scan(ctx, q.Job, newer, q.Scan, presubmit, false, memo, func(_ int, b Build) bool {
			if other(b) {
				return true
			}
			switch b.Result() {
			case "SUCCESS":
				return false
			case "FAILURE":
				st.Newest = b
				st.Total++
			}
			return true
		})
		if err != nil {
			return Streak{}, 0, err
		}
	}
	return st, firstAt, nil
}

// baselines chooses q.Baselines SUCCESS runs among older (newest first).
func (f *Fetcher) baselines(ctx context.Context, q Query, older []string, presubmit bool, failing Build, memo map[string]Build) ([]Choice, error) {
	branch := ""
	if presubmit {
		branch = failing.BaseRef()
	}
	before := "" // a failing run not known (Query.Running) is after them all
	if failing.ID != "" {
		before = " before " + failing.ID
	}
	var (
		same, other []Choice
		skipped     tally // since the last choice on the branch
		all         tally
		examined    int
	)
	err := f.scan(ctx, q.Job, older, q.Scan, presubmit, true, memo, func(_ int, b Build) bool {
		examined++
		r := b.Result()
		all.add(r)
		if r != "SUCCESS" {
			skipped.add(r)
			return true
		}
		reason := ordinal(len(same)+1) + " SUCCESS" + before
		if s := skipped.String(); s != "" {
			reason += " (skipped " + s + ")"
		}
		switch {
		case branch == "":
			same = append(same, Choice{b, reason})
			skipped = tally{}
		case b.BaseRef() == branch:
			same = append(same, Choice{b, reason + ", same base branch " + branch})
			skipped = tally{}
		default:
			other = append(other, Choice{b, "SUCCESS" + before + " on base branch " + orNone(b.BaseRef()) + ", not " + branch})
		}
		return len(same) < q.Baselines
	})
	if err != nil {
		return nil, err
	}
	chosen := same
	if len(chosen) == 0 && len(other) > 0 {
		// No passing run on the branch: others, saying so. They are not
		// mixed in when the branch has some: another branch's log differs
		// in versions and steps, and with the usual quorum (every
		// baseline) it would hide real differences.
		chosen = other[:min(len(other), q.Baselines)]
		for i := range chosen {
			chosen[i].Reason += fmt.Sprintf(" (none on %s among %d builds examined)", branch, examined)
		}
	}
	if len(chosen) == 0 {
		what := fmt.Sprintf("%d builds examined", examined)
		if s := all.String(); s != "" {
			what += ": " + s
		}
		return nil, fmt.Errorf("%w of %s%s (%s)", ErrNoPassingRun, q.Job, strings.Replace(before, "before", "before build", 1), what)
	}
	return chosen, nil
}

// scan loads the status of ids (in the order given, newest first when
// looking back), up to limit of them, a window of Parallel at a time, and
// calls visit in order until it returns false. With full, SUCCESS builds
// (and a presubmit's FAILURE builds) get all their metadata loaded. A build whose metadata or pointer cannot
// be read or parsed is passed on with Result UNREADABLE: one bad build does
// not stop the search. Builds in memo are not read again; those read are
// put there.
func (f *Fetcher) scan(ctx context.Context, job string, ids []string, limit int, presubmit, full bool, memo map[string]Build, visit func(i int, b Build) bool) error {
	ids = ids[:min(len(ids), limit)]
	step := f.parallel() * 2
	for start := 0; start < len(ids); start += step {
		window := ids[start:min(len(ids), start+step)]
		builds := make([]Build, len(window))
		// memo is read by the goroutines and written after them.
		err := forEach(ctx, len(window), f.parallel(), func(ctx context.Context, i int) error {
			b, seen := memo[window[i]]
			var err error
			if !seen {
				b, err = f.status(ctx, job, window[i], presubmit)
			}
			// A presubmit's failures are loaded too: their base branch
			// says whether they belong to the failing run's streak.
			if err == nil && full && (b.Result() == "SUCCESS" || presubmit && b.Result() == "FAILURE") && b.Started == nil && b.prowJob == nil {
				err = f.load(ctx, &b, true)
			}
			var bad *badMetaError
			switch {
			case errors.As(err, &bad) || IsNotExist(err):
				b = Build{Job: job, ID: window[i], Finished: &Finished{Result: "UNREADABLE"}}
				err = nil
			case errors.Is(err, errOffline):
				// Offline, and not finished when last read (or never
				// read): passed over, as running builds are.
				b = Build{Job: job, ID: window[i], Finished: &Finished{Result: "UNREACHABLE"}}
				err = nil
			}
			builds[i] = b
			return err
		})
		if err != nil {
			return err
		}
		for i, b := range builds {
			memo[window[i]] = b
		}
		for i, b := range builds {
			if !visit(start+i, b) {
				return nil
			}
		}
	}
	return nil
}

// status returns a build with its directory and finished.json read.
func (f *Fetcher) status(ctx context.Context, job, id string, presubmit bool) (Build, error) {
	b := Build{Job: job, ID: id, Dir: path.Join(NonPRLogs, job, id)}
	if presubmit {
		var err error
		if b, err = f.pointer(ctx, job, id); err != nil {
			return Build{}, err
		}
	}
	err := f.load(ctx, &b, false)
	return b, err
}

// findJob tells where a job's builds are, under logs/ (presubmit false) or
// pr-logs/directory/, and lists them there.
func (f *Fetcher) findJob(ctx context.Context, job string) (presubmit bool, listing []Object, err error) {
	if !validJob(job) {
		return false, nil, fmt.Errorf("%w: %q", errNotInLayout, job)
	}
	for _, presubmit := range []bool{false, true} {
		objs, err := f.list(ctx, jobRoot(job, presubmit)+"/", "/", false, maxJobListed)
		if err != nil {
			return false, nil, fmt.Errorf("listing the builds of %s: %w", job, err)
		}
		if len(objs) > 0 {
			return presubmit, objs, nil
		}
	}
	return false, nil, fmt.Errorf("%w %q in %s (looked under %s/ and %s/directory/)", ErrNoJob, job, f.Store.URL(""), NonPRLogs, PRLogs)
}

// jobRoot is Prow's RootForSpec: where a job's builds are listed.
func jobRoot(job string, presubmit bool) string {
	if presubmit {
		return path.Join(PRLogs, "directory", job)
	}
	return path.Join(NonPRLogs, job)
}

// buildIDs returns the build ids in a listing of the job's root, newest
// (largest) first.
func buildIDs(job string, presubmit bool, listing []Object) []string {
	root := jobRoot(job, presubmit) + "/"
	var ids []string
	for _, o := range listing {
		name := strings.TrimSuffix(strings.TrimPrefix(o.Name, root), "/")
		if presubmit {
			if o.Prefix {
				continue
			}
			var ok bool
			if name, ok = strings.CutSuffix(name, ".txt"); !ok {
				continue
			}
		} else if !o.Prefix {
			continue // latest-build.txt and the like
		}
		if isBuildID(name) {
			ids = append(ids, name)
		}
	}
	slices.SortFunc(ids, func(a, b string) int { return compareIDs(b, a) })
	return slices.Compact(ids)
}

// tally counts skipped builds by result.
type tally map[string]int

func (t *tally) add(result string) {
	if *t == nil {
		*t = tally{}
	}
	(*t)[result]++
}

// String lists the counts, most common first: "2 FAILURE, 1 RUNNING".
func (t tally) String() string {
	keys := make([]string, 0, len(t))
	for k := range t {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if t[a] != t[b] {
			return t[b] - t[a]
		}
		return strings.Compare(a, b)
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = strconv.Itoa(t[k]) + " " + k
	}
	return strings.Join(parts, ", ")
}

// ordinal is "newest", "2nd newest", "3rd newest", ...
func ordinal(n int) string {
	if n == 1 {
		return "newest"
	}
	return english.Ordinal(n) + " newest"
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// Builds returns the ids of a job's builds, newest first (ids sort as
// numbers), and whether the job is a presubmit (listed under
// pr-logs/directory/). A job found in neither place is ErrNoJob.
func (f *Fetcher) Builds(ctx context.Context, job string) (ids []string, presubmit bool, err error) {
	presubmit, listing, err := f.findJob(ctx, job)
	if err != nil {
		return nil, false, err
	}
	return buildIDs(job, presubmit, listing), presubmit, nil
}
