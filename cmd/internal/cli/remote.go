package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/pflag"

	"github.com/logdiff/logdiff/cmd/internal/compare"
	"github.com/logdiff/logdiff/fetch"
	"github.com/logdiff/logdiff/fetch/gcs"
	"github.com/logdiff/logdiff/logdiff"
	"github.com/logdiff/logdiff/logdiff/report"
)

// FetchFlags choose where runs come from and how they are downloaded.
type FetchFlags struct {
	Bucket       string
	Baselines    int
	BaselineURL  []string
	Artifacts    []string
	NoCache      bool
	CacheDir     string
	CacheSizeMB  int64
	Auth         string
	Timeout      time.Duration
	MinSpeedKiB  int64
	FirstFailure bool
	ProwURL      string
	JUnit        string
	NoJUnit      bool

	flags *pflag.FlagSet // the command's, to read its --max-bytes
}

// DefaultBucket is Kubernetes' public bucket of Prow logs.
const DefaultBucket = "gs://kubernetes-ci-logs"

// AddFlags registers the fetch flags.
func (o *FetchFlags) AddFlags(fl *pflag.FlagSet) {
	o.flags = fl
	fl.StringVar(&o.Bucket, "bucket", DefaultBucket, "where the job's runs are: gs://BUCKET, or a local directory laid out like a bucket")
	fl.IntVar(&o.Baselines, "baselines", fetch.DefaultBaselines, "how many passing runs to compare with")
	fl.StringArrayVar(&o.BaselineURL, "baseline", nil, "a passing run to compare with instead of choosing (URL or path; repeatable)")
	fl.StringArrayVar(&o.Artifacts, "artifact", nil, "artifact files to compare too, a glob under the build directory such as 'artifacts/*/serial-1.log' (repeatable)")
	fl.BoolVar(&o.NoCache, "no-cache", false, "do not read or write the cache of finished runs")
	fl.StringVar(&o.CacheDir, "cache-dir", "", "the cache directory (default: the user cache directory/logdiff)")
	fl.Int64Var(&o.CacheSizeMB, "cache-size", fetch.DefaultCacheSize>>20, "the cache's size cap in MiB; the oldest entries go first")
	fl.StringVar(&o.Auth, "auth", "auto", "GCS credentials: auto (anonymous, then Application Default Credentials when refused), anonymous, or adc")
	fl.StringVar(&o.JUnit, "junit", "", "the runs' JUnit files to compare, a glob: a name under artifacts/ ('junit_*.xml') or a path under the run ('artifacts/**/TEST-*.xml'); default every junit*.xml, TEST-*.xml and test.xml under artifacts/")
	fl.BoolVar(&o.NoJUnit, "no-junit", false, "do not read the runs' JUnit files")
	fl.StringVar(&o.ProwURL, "prow-url", report.DefaultProwURL, "the Prow instance whose pages the reports link runs in GCS to")
	fl.DurationVar(&o.Timeout, "timeout", 20*time.Second, "give up a request (GCS or web server) that makes no progress for this long (it is retried)")
	fl.Int64Var(&o.MinSpeedKiB, "min-speed", fetch.DefaultMinSpeed>>10, "give up a download slower than this many KiB/s over 30s, or twice --timeout (0: no floor)")
}

// AddSelectFlags registers the flags that steer which runs are chosen, for
// the commands that choose them (job, diff RUN-URL).
func (o *FetchFlags) AddSelectFlags(fl *pflag.FlagSet) {
	fl.BoolVar(&o.FirstFailure, "first-failure", false, "compare the first failing run after the newest pass (where the job broke) instead of the newest failure")
}

// pace is the floor on download speed the flags ask for.
func (o *FetchFlags) pace() fetch.Pace {
	if o.MinSpeedKiB == 0 {
		return fetch.Pace{MinSpeed: -1}
	}
	return fetch.Pace{MinSpeed: o.MinSpeedKiB << 10}
}

func (o *FetchFlags) validate() error {
	switch o.Auth {
	case "auto", "anonymous", "adc":
	default:
		return usageErrorf("--auth %q: want auto, anonymous or adc", o.Auth)
	}
	if o.Baselines < 1 && len(o.BaselineURL) == 0 {
		return usageErrorf("--baselines %d: want 1 or more", o.Baselines)
	}
	if o.Timeout < time.Second {
		return usageErrorf("--timeout %v: want 1s or more", o.Timeout)
	}
	if o.JUnit != "" && o.NoJUnit {
		return usageErrorf("--junit and --no-junit: give one")
	}
	if err := report.ValidProwURL(o.ProwURL); err != nil {
		return usageErrorf("--prow-url: %v", err)
	}
	if o.MinSpeedKiB < 0 {
		return usageErrorf("--min-speed %d: want 0 (no floor) or more", o.MinSpeedKiB)
	}
	if o.CacheSizeMB < 1 {
		return usageErrorf("--cache-size %d: want 1 MiB or more", o.CacheSizeMB)
	}
	return nil
}

// fetchJUnit puts the runs' JUnit files beside them, unless --no-junit. A
// file that cannot be had is a warning: test results are evidence beside
// the log, not the log.
func (o *FetchFlags) fetchJUnit(ctx context.Context, fe *fetch.Fetcher, runs []fetch.LocalRun, warn func(string)) error {
	if o.NoJUnit {
		return nil
	}
	err := fe.MaterializeJUnit(ctx, runs, o.JUnit)
	if err != nil && ctx.Err() == nil {
		warn(fmt.Sprintf("test results: %v", err))
		return nil
	}
	return err
}

// viewURL is Prow's page of a build in GCS ("" for other stores).
func (o *FetchFlags) viewURL(s fetch.Store, b fetch.Build) string {
	return report.ViewURL(o.ProwURL, s.URL(b.Dir))
}

// gcsClients builds one storage client on first use: commands that never
// read a bucket never build one.
type gcsClients struct {
	once   sync.Once
	client *gcs.Client
	err    error
}

func (g *gcsClients) bucket(ctx context.Context, auth string, timeout time.Duration, pace fetch.Pace, name string) (fetch.Store, error) {
	g.once.Do(func() {
		a := gcs.AuthAuto
		switch auth {
		case "anonymous":
			a = gcs.AuthAnonymous
		case "adc":
			a = gcs.AuthADC
		}
		g.client, g.err = gcs.New(ctx, gcs.Options{Auth: a, Timeout: timeout, Attempts: 3, Pace: pace})
	})
	if g.err != nil {
		return nil, fmt.Errorf("creating the storage client: %w", g.err)
	}
	return g.client.Bucket(name), nil
}

// maxBytes is the command's --max-bytes (0 when it has none): the bound
// the engine reads each input with bounds its download too, so that a file
// the comparison would refuse is not fetched whole first. It is looked up
// rather than passed so that every command that fetches shares it.
func (o *FetchFlags) maxBytes() int64 {
	if o.flags == nil {
		return 0
	}
	if fl := o.flags.Lookup("max-bytes"); fl != nil {
		if n, ok := fl.Value.(*byteSize); ok {
			return int64(*n)
		}
	}
	return 0
}

// fetcher opens the store that src reads and a fetcher on it.
func (o *FetchFlags) fetcher(ctx context.Context, f *Factory, src fetch.Source) (*fetch.Fetcher, error) {
	store, err := fetch.OpenStore(src, fetch.StoreOptions{
		GCS: func(bucket string) (fetch.Store, error) {
			return f.gcs.bucket(ctx, o.Auth, o.Timeout, o.pace(), bucket)
		},
		Timeout: o.Timeout,
		Pace:    o.pace(),
	})
	if err != nil {
		return nil, err
	}
	fe := &fetch.Fetcher{Store: store, Now: f.Now, Warn: func(s string) { f.notef("logdiff: %s", s) }, MaxBytes: o.maxBytes()}
	if !o.NoCache {
		c, err := fetch.OpenCache(o.CacheDir, o.CacheSizeMB<<20)
		if err != nil {
			f.notef("logdiff: not caching: %v", err)
		} else {
			fe.Cache = c
			f.closers = append(f.closers, func() { c.Close() })
		}
	}
	if f.IO.IsStderrTTY() {
		fe.Progress = progressBar(f)
	}
	return fe, nil
}

// progressBar draws download progress on standard error, which the caller
// has checked is a terminal (progressbar draws into pipes otherwise).
func progressBar(f *Factory) func(fetch.Progress) {
	var bar *progressbar.ProgressBar
	return func(p fetch.Progress) {
		if bar == nil {
			bar = progressbar.NewOptions64(-1,
				progressbar.OptionSetWriter(f.IO.ErrOut),
				progressbar.OptionShowBytes(true),
				progressbar.OptionSetDescription("fetching logs"),
				progressbar.OptionClearOnFinish(),
				progressbar.OptionThrottle(100_000_000),
			)
		}
		if p.Total > 0 {
			bar.ChangeMax64(p.Total)
		}
		bar.Set64(p.Done)
		if p.Files > 0 && p.FilesDone == p.Files {
			bar.Finish()
		}
	}
}

// remoteRuns are the runs a remote comparison works on, and how to remove
// their files.
type remoteRuns struct {
	compare.Runs
	cleanup func()
}

// selectRuns finds the failing run named by src (a job, or one of its runs)
// and its baselines, and puts their files on local disk.
func (o *FetchFlags) selectRuns(ctx context.Context, f *Factory, src fetch.Source) (*remoteRuns, error) {
	fe, err := o.fetcher(ctx, f, src)
	if err != nil {
		return nil, err
	}
	fe.StaleListings = true // offline, a job's cached listing, with a warning
	b, err := fe.Resolve(ctx, src)
	if err != nil {
		return nil, err
	}
	if b.Job == "" {
		return nil, fmt.Errorf("%s is a single file, not a run of a job: give passing logs before it (logdiff diff PASSING... FAILING), or the URL of the run's directory", src)
	}
	n := o.Baselines
	if len(o.BaselineURL) > 0 {
		n = -1
	}
	sel, err := fe.Select(ctx, fetch.Query{Job: b.Job, Build: b.ID, Baselines: n, FirstFailure: o.FirstFailure})
	if err != nil {
		return nil, err
	}
	if n > 0 && len(sel.Baselines) < n {
		f.notef("logdiff: only %s found of the %d asked for (--baselines), among at most %d builds before the failing run", plural(len(sel.Baselines), "passing run"), n, fetch.DefaultScan)
	}
	choices := append([]fetch.Choice{sel.Failing}, sel.Baselines...)
	stores := []*fetch.Fetcher{fe}
	for range sel.Baselines {
		stores = append(stores, fe)
	}
	for _, u := range o.BaselineURL {
		bs, err := fetch.Detect(u)
		if err != nil {
			return nil, fmt.Errorf("--baseline: %w", err)
		}
		bfe, err := o.fetcher(ctx, f, bs)
		if err != nil {
			return nil, err
		}
		bb, err := bfe.Resolve(ctx, bs)
		if err != nil {
			return nil, fmt.Errorf("--baseline %s: %w", u, err)
		}
		if bb.Job != "" && bb.ID == "" {
			return nil, fmt.Errorf("--baseline %s names the whole job %s: give one run", u, bb.Job)
		}
		choices = append(choices, fetch.Choice{Build: bb, Reason: "given with --baseline"})
		stores = append(stores, bfe)
	}
	dir, err := f.tempDir("runs-")
	if err != nil {
		return nil, err
	}
	rr := &remoteRuns{cleanup: func() { os.RemoveAll(dir) }}
	rr.Warn = func(s string) { f.notef("logdiff: %s", s) }
	for i, c := range choices {
		// A directory of its own: Materialize names run directories by
		// their place in one call, and each call has one.
		runs, err := stores[i].Materialize(ctx, filepath.Join(dir, strconv.Itoa(i)), []fetch.Build{c.Build}, o.Artifacts)
		if err != nil {
			rr.cleanup()
			return nil, err
		}
		if err := o.fetchJUnit(ctx, stores[i], runs, rr.Warn); err != nil {
			rr.cleanup()
			return nil, err
		}
		if i == 0 {
			rr.Failing = runs[0]
		} else {
			rr.Baselines = append(rr.Baselines, runs[0])
		}
		rr.Reasons = append(rr.Reasons, c.Reason)
		rr.URLs = append(rr.URLs, o.viewURL(stores[i].Store, c.Build))
	}
	if o.JUnit != "" && len(rr.Failing.JUnit) == 0 {
		f.notef("logdiff: no JUnit file of the failing run matches --junit %s", o.JUnit)
	}
	if len(o.Artifacts) > 0 && len(rr.Failing.Artifacts) == 0 {
		f.notef("logdiff: no artifact of the failing run matches %s", strings.Join(o.Artifacts, ", "))
	}
	// The streak is the report's to state (its header, every format):
	// not repeated here.
	rr.Streak = o.streak(sel.Streak, sel.Failing.Build, fe.Store)
	f.notef("failing run: %s: %s", choices[0].Build.Name(), choices[0].Reason)
	for i, c := range choices[1:] {
		f.notef("baseline %d:  %s: %s", i+1, c.Build.Name(), c.Reason)
	}
	return rr, nil
}

// streak is the report's account of the failing streak of failing (the
// run compared), its runs linked to Prow; nil when failing did not fail.
// A failing run still running (attach's own) counts as failing.
func (o *FetchFlags) streak(st fetch.Streak, failing fetch.Build, store fetch.Store) *logdiff.Streak {
	if st.Runs == 0 {
		return nil
	}
	run := func(b fetch.Build) logdiff.StreakRun {
		return logdiff.StreakRun{Build: b.ID, Name: b.Name(), URL: o.viewURL(store, b)}
	}
	out := &logdiff.Streak{First: run(st.First), Runs: st.Runs, Total: st.Total, Newest: run(st.Newest),
		Running: failing.Result() == "RUNNING"}
	if !st.Since.IsZero() {
		out.Since = st.Since.UTC()
	}
	if st.Pass != nil {
		p := run(*st.Pass)
		out.Pass = &p
	}
	return out
}

// runRemote compares the failing run src names (or its job's newest
// failure) with the passing runs chosen for it, and writes the report.
func runRemote(ctx context.Context, f *Factory, ff *FetchFlags, src fetch.Source, eo logdiff.Options, rules []string, out OutputFlags) error {
	rr, err := ff.selectRuns(ctx, f, src)
	if err != nil {
		return err
	}
	defer rr.cleanup()
	rr.Rules = rules
	report, err := compare.Compare(ctx, &rr.Runs, eo)
	if err != nil {
		return err
	}
	noteReport(f, report, eo)
	return writeReport(f, report, out)
}
