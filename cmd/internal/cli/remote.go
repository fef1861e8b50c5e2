package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"strings"
	"sync"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/pflag"

	"github.com/logdiff/logdiff/fetch"
	"github.com/logdiff/logdiff/fetch/gcs"
	"github.com/logdiff/logdiff/logdiff"
)

// FetchFlags choose where runs come from and how they are downloaded.
type FetchFlags struct {
	Bucket      string
	Baselines   int
	BaselineURL []string
	Artifacts   []string
	NoCache     bool
	CacheDir    string
	CacheSizeMB int64
	Auth        string
}

// DefaultBucket is Kubernetes' public bucket of Prow logs.
const DefaultBucket = "gs://kubernetes-ci-logs"

// AddFlags registers the fetch flags.
func (o *FetchFlags) AddFlags(fl *pflag.FlagSet) {
	fl.StringVar(&o.Bucket, "bucket", DefaultBucket, "where the job's runs are: gs://BUCKET, or a local directory laid out like a bucket")
	fl.IntVar(&o.Baselines, "baselines", fetch.DefaultBaselines, "how many passing runs to compare with")
	fl.StringArrayVar(&o.BaselineURL, "baseline", nil, "a passing run to compare with instead of choosing (URL or path; repeatable)")
	fl.StringArrayVar(&o.Artifacts, "artifact", nil, "artifact files to compare too, a glob under the build directory such as 'artifacts/*/serial-1.log' (repeatable)")
	fl.BoolVar(&o.NoCache, "no-cache", false, "do not read or write the cache of finished runs")
	fl.StringVar(&o.CacheDir, "cache-dir", "", "the cache directory (default: the user cache directory/logdiff)")
	fl.Int64Var(&o.CacheSizeMB, "cache-size", fetch.DefaultCacheSize>>20, "the cache's size cap in MiB; the oldest entries go first")
	fl.StringVar(&o.Auth, "auth", "auto", "GCS credentials: auto (anonymous, then Application Default Credentials when refused), anonymous, or adc")
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
	if o.CacheSizeMB < 1 {
		return usageErrorf("--cache-size %d: want 1 MiB or more", o.CacheSizeMB)
	}
	return nil
}

// gcsClients builds one storage client on first use: commands that never
// read a bucket never build one.
type gcsClients struct {
	once   sync.Once
	client *gcs.Client
	err    error
}

func (g *gcsClients) bucket(ctx context.Context, auth string, name string) (fetch.Store, error) {
	g.once.Do(func() {
		a := gcs.AuthAuto
		switch auth {
		case "anonymous":
			a = gcs.AuthAnonymous
		case "adc":
			a = gcs.AuthADC
		}
		g.client, g.err = gcs.New(ctx, gcs.Options{Auth: a})
	})
	if g.err != nil {
		return nil, fmt.Errorf("creating the storage client: %w", g.err)
	}
	return g.client.Bucket(name), nil
}

// fetcher opens the store that src reads and a fetcher on it.
func (o *FetchFlags) fetcher(ctx context.Context, f *Factory, src fetch.Source) (*fetch.Fetcher, error) {
	store, err := fetch.OpenStore(src, func(bucket string) (fetch.Store, error) {
		return f.gcs.bucket(ctx, o.Auth, bucket)
	})
	if err != nil {
		return nil, err
	}
	fe := &fetch.Fetcher{Store: store}
	if !o.NoCache {
		c, err := fetch.OpenCache(o.CacheDir, o.CacheSizeMB<<20)
		if err != nil {
			fmt.Fprintf(f.IO.ErrOut, "logdiff: not caching: %v\n", err)
		} else {
			fe.Cache = c
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

// remoteRuns is what a remote comparison works on: the failing run and its
// baselines on local disk, and why each was chosen.
type remoteRuns struct {
	failing   fetch.LocalRun
	baselines []fetch.LocalRun
	reasons   []string // [0] the failing run's, then each baseline's
	urls      []string
	cleanup   func()
}

// selectRuns finds the failing run named by src (a job, or one of its runs)
// and its baselines, and puts their files on local disk.
func (o *FetchFlags) selectRuns(ctx context.Context, f *Factory, src fetch.Source) (*remoteRuns, error) {
	fe, err := o.fetcher(ctx, f, src)
	if err != nil {
		return nil, err
	}
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
	sel, err := fe.Select(ctx, fetch.Query{Job: b.Job, Build: b.ID, Baselines: n})
	if err != nil {
		return nil, err
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
	dir, err := os.MkdirTemp("", "logdiff-runs-")
	if err != nil {
		return nil, err
	}
	rr := &remoteRuns{cleanup: func() { os.RemoveAll(dir) }}
	for i, c := range choices {
		runs, err := stores[i].Materialize(ctx, dir, []fetch.Build{c.Build}, o.Artifacts)
		if err != nil {
			rr.cleanup()
			return nil, err
		}
		if i == 0 {
			rr.failing = runs[0]
		} else {
			rr.baselines = append(rr.baselines, runs[0])
		}
		rr.reasons = append(rr.reasons, c.Reason)
		rr.urls = append(rr.urls, viewURL(stores[i].Store, c.Build))
	}
	fmt.Fprintf(f.IO.ErrOut, "failing run: %s: %s\n", choices[0].Build.Name(), choices[0].Reason)
	for i, c := range choices[1:] {
		fmt.Fprintf(f.IO.ErrOut, "baseline %d:  %s: %s\n", i+1, c.Build.Name(), c.Reason)
	}
	return rr, nil
}

// viewURL links a run to Prow's view of it, where it came from GCS.
func viewURL(s fetch.Store, b fetch.Build) string {
	u := s.URL(b.Dir)
	if rest, ok := strings.CutPrefix(u, "gs://"); ok {
		return "https://prow.k8s.io/view/gs/" + rest
	}
	return ""
}

func runInput(r fetch.LocalRun, name string) logdiff.Input {
	in := logdiff.FileInput(r.Log)
	in.Name = name
	return in
}

// compareRuns diffs the build logs, the configurations and the artifacts of
// the runs, and ranks all findings together.
func compareRuns(ctx context.Context, rr *remoteRuns, opts logdiff.Options) (*logdiff.Report, error) {
	var bs []logdiff.Input
	for _, b := range rr.baselines {
		bs = append(bs, runInput(b, b.Build.Name()+"/"+path.Base(b.Log)))
	}
	report, err := logdiff.Diff(ctx, runInput(rr.failing, rr.failing.Build.Name()+"/"+path.Base(rr.failing.Log)), bs, opts)
	if err != nil {
		return nil, err
	}
	report.Failing.URL = rr.urls[0]
	report.Failing.Reason = rr.reasons[0]
	for i := range report.Baselines {
		report.Baselines[i].URL = rr.urls[i+1]
		report.Baselines[i].Reason = rr.reasons[i+1]
	}
	var cfgs [][]logdiff.ConfigEntry
	for _, b := range rr.baselines {
		cfgs = append(cfgs, configEntries(b.Build))
	}
	report.Findings = append(report.Findings, dropSeenEnv(report.Findings, logdiff.CompareConfig(cfgs, configEntries(rr.failing.Build)))...)
	arts, err := compareArtifacts(ctx, rr, opts)
	if err != nil {
		return nil, err
	}
	report.Findings = append(report.Findings, arts...)
	logdiff.Rerank(report.Findings)
	return report, nil
}

// dropSeenEnv leaves out the configuration findings of environment
// variables that the logs' own environment dumps already show as missing:
// one fact, told once (the log finding shows where).
func dropSeenEnv(logFindings, cfg []logdiff.Finding) []logdiff.Finding {
	seen := map[string]bool{}
	for _, f := range logFindings {
		if f.Kind != logdiff.Missing {
			continue
		}
		for _, l := range f.Lines {
			seen[l.Text] = true
		}
	}
	var out []logdiff.Finding
	for _, f := range cfg {
		if f.Config != nil && strings.HasPrefix(f.Key, "config: env ") && !f.Config.InFailing {
			var kept []logdiff.Line
			for _, l := range f.Lines {
				if !seen[l.Text] {
					kept = append(kept, l)
				}
			}
			if len(kept) == 0 {
				continue
			}
			f.Lines = kept
		}
		out = append(out, f)
	}
	return out
}

// configEntries turns a run's settings into configuration entries. An
// argument's flag becomes part of its key, so that the container's
// arguments compare one by one.
func configEntries(b fetch.Build) []logdiff.ConfigEntry {
	var out []logdiff.ConfigEntry
	for _, s := range b.Config() {
		e := logdiff.ConfigEntry{Section: s.Section, Key: s.Key, Value: s.Value, Source: "prowjob.json"}
		switch s.Section {
		case "ref", "commit", "pull", "metadata":
			e.Source = "started.json"
		case "arg":
			flag, val, _ := strings.Cut(s.Value, "=")
			e.Key, e.Value = s.Key+" "+flag, val
		}
		out = append(out, e)
	}
	return out
}

// compareArtifacts pairs the artifact files of the runs by their path with
// volatile parts masked (node names carry random suffixes) and diffs each
// file the failing run and a baseline share.
func compareArtifacts(ctx context.Context, rr *remoteRuns, opts logdiff.Options) ([]logdiff.Finding, error) {
	norm := logdiff.NewNormalizer(nil)
	key := func(p string) string {
		k, _ := norm.Key(nil, []byte(p))
		return string(k)
	}
	var out []logdiff.Finding
	for _, fa := range rr.failing.Artifacts {
		k := key(fa)
		var bs []logdiff.Input
		for _, b := range rr.baselines {
			for _, ba := range b.Artifacts {
				if key(ba) == k {
					in := logdiff.FileInput(path.Join(b.Dir, ba))
					in.Name = b.Build.Name() + "/" + ba
					bs = append(bs, in)
					break
				}
			}
		}
		if len(bs) == 0 {
			continue
		}
		in := logdiff.FileInput(path.Join(rr.failing.Dir, fa))
		in.Name = rr.failing.Build.Name() + "/" + fa
		r, err := logdiff.Diff(ctx, in, bs, opts)
		if err != nil {
			if errors.Is(err, logdiff.ErrEmpty) {
				continue // an empty artifact has nothing to compare
			}
			return nil, err
		}
		for _, f := range r.Findings {
			f.Log = fa
			f.Summary = fa + ": " + f.Summary
			out = append(out, f)
		}
	}
	return out, nil
}
