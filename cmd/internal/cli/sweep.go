package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/logdiff/logdiff/cmd/internal/sweep"
	"github.com/logdiff/logdiff/fetch"
	"github.com/logdiff/logdiff/logdiff/regressions"
	"github.com/logdiff/logdiff/logdiff/report"
)

// SweepOptions are the flags and arguments of `logdiff sweep`.
type SweepOptions struct {
	Factory  *Factory
	Config   string
	Jobs     []string
	Shard    string
	State    string
	Records  string
	Parallel int
	Summary  SummaryFlags
	Fetch    FetchFlags
	Compare  CompareFlags
	Filter   FilterFlags

	flags *pflag.FlagSet // to tell flags given from defaults
	cfg   *sweep.Config  // the configuration with the flags applied
	shard sweep.Shard
}

// SummaryFlags choose how a sweep's summary is written.
type SummaryFlags struct {
	Output   string
	Files    []string
	GroupTop int
}

// AddFlags registers -o and --group-top.
func (o *SummaryFlags) AddFlags(fl *pflag.FlagSet) {
	fl.StringVarP(&o.Output, "output", "o", "text", "summary format: "+report.Names())
	fl.StringArrayVar(&o.Files, "summary-file", nil, "also write the summary to this file, in the format its extension says: .txt, .json, .md, .html or .xml (JUnit) (repeatable)")
	fl.IntVar(&o.GroupTop, "group-top", sweep.DefaultGroupTop, "how many top findings of each job are compared to group jobs into regressions")
}

func (o *SummaryFlags) validate() error {
	if _, err := report.Lookup(o.Output); err != nil {
		return usageErrorf("--output: %v", err)
	}
	for _, f := range o.Files {
		if _, err := report.ForFile(f); err != nil {
			return usageErrorf("--summary-file %v", err)
		}
	}
	if o.GroupTop < 1 || o.GroupTop > 20 {
		return usageErrorf("--group-top %d: want 1 to 20", o.GroupTop)
	}
	return nil
}

// NewCmdSweep builds `logdiff sweep` and `logdiff sweep merge`.
func NewCmdSweep(f *Factory, runF func(*SweepOptions) error) *cobra.Command {
	opts := &SweepOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "sweep [--config sweep.yaml] [JOB...]",
		Short: "Check many jobs for new failures and group them by cause",
		Long: `Sweep the jobs that --config names (by name, or all jobs under a bucket prefix
with include and exclude patterns) and the JOBs given. For each job, find the
newest transition from passing to failing: the first failing run after the
newest passing run. Compare that run with the passing runs before it, as
'logdiff job' does, and record the findings. Jobs whose top findings are each
other's (see --group-top) form one regression; the summary lists the
regressions, most jobs first, with their evidence and runs, then the jobs that
failed in every run examined and those that could not be read.

A job that cannot be read is recorded as such and the sweep goes on. With
--state DIR, comparisons are kept as they are made: a transition compared once
is not compared again, and a sweep that was stopped resumes where it was.

--shard I/N (or JOB_COMPLETION_INDEX and JOB_COMPLETIONS, for a Kubernetes
Indexed Job) sweeps the jobs whose name hashes to I of N, and writes their
records to the --records directory; 'logdiff sweep merge DIR' then builds the
summary from all shards.

Exit status: 0 no new regression, 1 a regression the previous summary (in
--state) did not have, 2 trouble. A shard of more than one exits 0 once its
records are written: the merge tells of regressions.`,
		Example: `  logdiff sweep --config sweep.yaml -o markdown > summary.md
  logdiff sweep --bucket testdata/bucket ci-kubernetes-e2e-windows-gce pull-kubernetes-e2e-windows-gce
  logdiff sweep --config sweep.yaml --shard 2/8 --records /data/sweep/run-1/
  logdiff sweep merge /data/sweep/run-1/ --state /data/sweep/state -o html > summary.html`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Jobs = args
			opts.flags = cmd.Flags()
			if err := opts.validate(); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runSweep(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Config, "config", "", "the sweep's configuration file (YAML; see docs/sweep.md)")
	fl.StringVar(&opts.Shard, "shard", "", "sweep only shard I of N (I from 0), split by a hash of the job's name")
	fl.StringVar(&opts.State, "state", "", "directory of the state kept between sweeps (overrides the config's state)")
	fl.StringVar(&opts.Records, "records", "", "where to write one JSON record per job: FILE.jsonl, or DIR/ for shards (overrides the config's records)")
	fl.IntVar(&opts.Parallel, "parallel", sweep.DefaultParallel, "how many jobs to compare at once")
	opts.Summary.AddFlags(fl)
	opts.Fetch.AddFlags(fl)
	opts.Compare.AddFlags(fl)
	opts.Filter.AddFlags(fl)
	_ = fl.MarkHidden("baseline") // one run for all jobs makes no sense
	cmd.AddCommand(newCmdSweepMerge(f, nil))
	return cmd
}

// validate checks the flags, reads the configuration and applies the
// flags given over it.
func (o *SweepOptions) validate() error {
	fl := o.flags
	if fl.Changed("baseline") {
		return usageErrorf("--baseline: a sweep chooses each job's baselines (use --baselines N)")
	}
	if err := o.Summary.validate(); err != nil {
		return err
	}
	if err := o.Fetch.validate(); err != nil {
		return err
	}
	if err := o.Compare.validate(0); err != nil {
		return err
	}
	if err := o.Filter.validate(); err != nil {
		return err
	}
	if o.Parallel < 1 || o.Parallel > 256 {
		return usageErrorf("--parallel %d: want 1 to 256", o.Parallel)
	}
	for _, j := range o.Jobs {
		if j == "" || strings.ContainsAny(j, "/ \t\n") {
			return usageErrorf("job %q: want a job name such as ci-kubernetes-e2e-gci-gce", j)
		}
	}
	cfg := &sweep.Config{Baselines: o.Fetch.Baselines, Scan: sweep.DefaultScan, GroupTop: o.Summary.GroupTop, Keep: sweep.DefaultKeep, Parallel: o.Parallel}
	if o.Config != "" {
		var err error
		if cfg, err = sweep.LoadConfig(o.Config); err != nil {
			return err
		}
	} else if len(o.Jobs) == 0 {
		return usageErrorf("nothing to sweep: give --config sweep.yaml or job names")
	}
	cfg.Jobs = append(cfg.Jobs, o.Jobs...)
	if fl.Changed("bucket") || cfg.Bucket == "" {
		cfg.Bucket = o.Fetch.Bucket
	}
	if fl.Changed("baselines") {
		cfg.Baselines = o.Fetch.Baselines
	}
	if fl.Changed("parallel") {
		cfg.Parallel = o.Parallel
	}
	if fl.Changed("group-top") {
		cfg.GroupTop = o.Summary.GroupTop
		cfg.Keep = max(cfg.Keep, cfg.GroupTop)
	}
	if fl.Changed("state") {
		cfg.State = o.State
	}
	if fl.Changed("records") {
		cfg.Records = o.Records
	}
	cfg.Artifacts = append(cfg.Artifacts, o.Fetch.Artifacts...)
	// Rules: the config's files, then those given; packs and
	// --no-user-rules from the flags when given.
	o.Compare.Rules.Files = append(cfg.Rules, o.Compare.Rules.Files...)
	if !fl.Changed("pack") && cfg.Packs != nil {
		o.Compare.Rules.Packs = cfg.Packs
	}
	o.Compare.Rules.NoUserRules = o.Compare.Rules.NoUserRules || cfg.NoUserRules
	o.cfg = cfg

	o.shard = sweep.Whole
	switch {
	case o.Shard != "":
		s, err := sweep.ParseShard(o.Shard)
		if err != nil {
			return usageErrorf("--shard: %v", err)
		}
		o.shard = s
	default:
		s, ok, err := sweep.ShardFromEnv(o.Factory.IO.Getenv)
		if err != nil {
			return usageErrorf("%v", err)
		}
		if ok {
			o.shard = s
		}
	}
	if o.shard.Count > 1 {
		if o.Filter.keep() != nil && !fl.Changed("records") {
			return usageErrorf("shard %s: %s: give --records DIR/ for the filtered shards' records (the config's are the unfiltered sweep's)", o.shard, o.Filter.String())
		}
		if cfg.Records == "" {
			return usageErrorf("shard %s: give --records DIR/ (or records: in the config), where all shards write and 'logdiff sweep merge' reads", o.shard)
		}
		if !sweep.IsDir(cfg.Records) {
			return usageErrorf("shard %s: --records %s: want a directory (end it with /) that all shards share", o.shard, cfg.Records)
		}
		if fl.Changed("output") || len(o.Summary.Files) > 0 {
			return usageErrorf("--output, --summary-file: a shard writes records only; 'logdiff sweep merge' writes the summary")
		}
	}
	return nil
}

func runSweep(ctx context.Context, o *SweepOptions) error {
	f, cfg := o.Factory, o.cfg
	eo, rules, err := o.Compare.options(f)
	if err != nil {
		return err
	}
	src, err := fetch.Detect(cfg.Bucket)
	if err != nil {
		return usageErrorf("bucket: %v", err)
	}
	if src.Path != "" || src.Kind == fetch.KindHTTP {
		return usageErrorf("bucket %s: want a bucket (gs://BUCKET) or the root directory of one", cfg.Bucket)
	}
	fe, err := o.Fetch.fetcher(ctx, f, src)
	if err != nil {
		return err
	}
	fe.Progress = nil // one bar for the jobs, not one per download
	fe.Parallel = 4
	all, err := sweep.Discover(ctx, fe.Store, cfg)
	if err != nil {
		return err
	}
	if len(all) == 0 {
		return fmt.Errorf("no jobs to sweep in %s: the configuration names none and its prefixes match none", fe.Store.URL(""))
	}
	jobs := o.shard.Split(all)
	tmp, err := f.tempDir("sweep-")
	if err != nil {
		return err
	}

	if o.Filter.keep() != nil {
		// The configuration's state and records are the nightly,
		// unfiltered sweep's: its summary's record of what was reported
		// and the records others read. A filtered sweep leaves them be
		// unless given its own; its comparisons are kept apart from the
		// unfiltered ones in a state anyway (see sweep.Sweeper.Filter).
		if cfg.State != "" && !o.flags.Changed("state") {
			f.notef("logdiff: %s: not using the state in %s (give --state DIR for the filtered sweeps' own)", o.Filter.String(), cfg.State)
			cfg.State = ""
		}
		if cfg.Records != "" && !o.flags.Changed("records") {
			f.notef("logdiff: %s: not writing the records to %s (give --records to write the filtered ones)", o.Filter.String(), cfg.Records)
			cfg.Records = ""
		}
	}
	sw := &sweep.Sweeper{
		Fetcher: fe, Source: src, Options: eo,
		Baselines: cfg.Baselines, Scan: cfg.Scan, Keep: cfg.Keep, Parallel: cfg.Parallel,
		Artifacts: cfg.Artifacts, Now: f.Now, TempDir: tmp, Rules: rules, ProwURL: o.Fetch.ProwURL,
		JUnit: o.Fetch.JUnit, NoJUnit: o.Fetch.NoJUnit, Filter: o.Filter.keep(), FilterName: o.Filter.String(),
	}
	if cfg.State != "" {
		st, err := sweep.OpenState(cfg.State, o.shard)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, w := range st.Warnings {
			f.notef("logdiff: warning: %s", w)
		}
		sw.State = st
	}
	var out *sweep.RecordsFile
	if cfg.Records != "" {
		if out, err = sweep.CreateRecords(cfg.Records, o.shard); err != nil {
			return err
		}
		defer out.Close()
		sw.Out = out
	}
	if f.IO.IsStderrTTY() && len(jobs) > 0 {
		bar := progressbar.NewOptions(len(jobs),
			progressbar.OptionSetWriter(f.IO.ErrOut),
			progressbar.OptionSetDescription("sweeping jobs"),
			progressbar.OptionShowCount(),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionThrottle(100_000_000),
		)
		sw.Progress = func(done, _ int) { bar.Set(done) }
		defer bar.Finish()
	}
	records, err := sw.Run(ctx, jobs)
	if err != nil {
		return fmt.Errorf("sweep stopped after %d of %d jobs (what was done is kept; run it again to go on): %w", len(records), len(jobs), err)
	}
	if out != nil {
		if err := out.Finish(f.Now()); err != nil {
			return err
		}
	}
	fmt.Fprintln(f.IO.ErrOut, tally(o.shard, len(all), records, out))
	unreadable := 0
	for _, r := range records {
		if r.Status == regressions.Unreadable {
			unreadable++
		}
	}
	// A sweep that could read nothing is trouble, not news: its summary
	// is written, the state's record of what was reported is not.
	trouble := len(records) > 0 && unreadable == len(records)
	var err2 error
	if trouble {
		err2 = fmt.Errorf("no job could be read (the first: %s: %s)", records[0].Job, records[0].Error)
	}
	if o.shard.Count > 1 {
		return err2
	}
	state := cfg.State
	if trouble {
		state = ""
	}
	if err := writeSummary(f, records, cfg.GroupTop, state, o.Summary, rules); err != nil && !trouble {
		return err
	}
	return err2
}

// tally is the line a sweep ends with on standard error.
func tally(s sweep.Shard, all int, records []regressions.Record, out *sweep.RecordsFile) string {
	n := map[regressions.Status]int{}
	reused := 0
	for _, r := range records {
		n[r.Status]++
		if r.Reused {
			reused++
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "swept %s", plural(len(records), "job"))
	if s.Count > 1 {
		fmt.Fprintf(&b, " (shard %s of %d jobs)", s, all)
	}
	fmt.Fprintf(&b, ": %d regressed (%d compared by an earlier sweep), %d failing in every run, %d passing, %d without finished runs, %d unreadable",
		n[regressions.Regressed], reused, n[regressions.Failing], n[regressions.Passing], n[regressions.NoRuns], n[regressions.Unreadable])
	if out != nil {
		fmt.Fprintf(&b, "; records in %s", out.Name())
	}
	return b.String()
}

// writeSummary groups records, writes the summary to its files and to
// standard output and, once it is written, keeps what it reported in the
// state. It returns
// errFindings when a regression is new.
func writeSummary(f *Factory, records []regressions.Record, groupTop int, state string, o SummaryFlags, rules []string) error {
	var prev *regressions.Reported
	if state != "" {
		var err error
		if prev, err = sweep.ReadReported(state); err != nil {
			return err
		}
	}
	s := regressions.Summarize(records, groupTop, prev, f.Now())
	s.Rules = rules
	render := func(format report.Format) ([]byte, error) {
		var buf bytes.Buffer
		err := format.Summary(&buf, s, report.Options{Now: f.Now})
		return buf.Bytes(), err
	}
	for _, name := range o.Files {
		format, err := report.ForFile(name)
		if err != nil {
			return err
		}
		data, err := render(format)
		if err != nil {
			return err
		}
		if err := os.WriteFile(name, data, 0o644); err != nil {
			return fmt.Errorf("writing the summary: %w", err)
		}
	}
	format, err := report.Lookup(o.Output)
	if err != nil {
		return err
	}
	data, err := render(format)
	if err != nil {
		return err
	}
	if _, err := f.IO.Out.Write(data); err != nil {
		return fmt.Errorf("writing the summary: %w", err)
	}
	if state != "" {
		if err := sweep.WriteReported(state, s, prev); err != nil {
			return err
		}
	}
	if s.New > 0 {
		return errFindings
	}
	return nil
}

// SweepMergeOptions are the flags and arguments of `logdiff sweep merge`.
type SweepMergeOptions struct {
	Factory *Factory
	Paths   []string
	Config  string
	State   string
	Shards  int
	Wait    time.Duration
	Summary SummaryFlags

	flags *pflag.FlagSet
}

func newCmdSweepMerge(f *Factory, runF func(*SweepMergeOptions) error) *cobra.Command {
	opts := &SweepMergeOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "merge [RECORDS...]",
		Short: "Build a sweep's summary from the records of its shards",
		Long: `Read the records that the shards of a sweep wrote (each RECORDS a directory
holding shard-I-of-N.jsonl for every I of one N, or a records file; by default
the config's records) and write the summary, as an unsharded sweep would.
Every file must be marked complete by its shard: a shard that has not finished,
or was stopped, is an error naming it.

Exit status: 0 no new regression, 1 a regression the previous summary (in
--state) did not have, 2 trouble.`,
		Example: `  logdiff sweep merge /data/sweep/run-1/ --state /data/sweep/state -o markdown
  logdiff sweep merge /data/sweep/run-1/ --shards 8 --wait 2h -o html > summary.html`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Paths = args
			opts.flags = cmd.Flags()
			if err := opts.Summary.validate(); err != nil {
				return err
			}
			if opts.Shards < 0 || opts.Shards > 10000 || opts.Wait < 0 {
				return usageErrorf("--shards %d, --wait %v: want 0 to 10000 shards and a wait of 0 or more", opts.Shards, opts.Wait)
			}
			if opts.Wait > 0 && opts.Shards == 0 {
				return usageErrorf("--wait: give --shards N, the shards to wait for")
			}
			if runF != nil {
				return runF(opts)
			}
			return runSweepMerge(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Config, "config", "", "the sweep's configuration file: its records, state and group_top are the defaults")
	cmd.Flags().StringVar(&opts.State, "state", "", "directory of the sweep state: the previous summary, to tell new regressions")
	cmd.Flags().IntVar(&opts.Shards, "shards", 0, "the number of shards each RECORDS directory must hold (default: whatever count its files say)")
	cmd.Flags().DurationVar(&opts.Wait, "wait", 0, "wait up to this long for the --shards shards to finish (as the first pod of an Indexed Job does)")
	opts.Summary.AddFlags(cmd.Flags())
	return cmd
}

func runSweepMerge(ctx context.Context, o *SweepMergeOptions) error {
	groupTop, state, paths := o.Summary.GroupTop, o.State, o.Paths
	if o.Config != "" {
		cfg, err := sweep.LoadConfig(o.Config)
		if err != nil {
			return err
		}
		if !o.flags.Changed("group-top") {
			groupTop = cfg.GroupTop
		}
		if !o.flags.Changed("state") {
			state = cfg.State
		}
		if len(paths) == 0 && cfg.Records != "" {
			paths = []string{cfg.Records}
		}
	}
	if len(paths) == 0 {
		return usageErrorf("merge: give the records directories (or --config with records:)")
	}
	if o.Shards > 0 {
		if err := waitShards(ctx, o, paths); err != nil {
			return err
		}
	}
	records, err := sweep.ReadRecords(paths)
	if err != nil {
		return err
	}
	if len(records) == 0 {
		return fmt.Errorf("merge: no records in %s", strings.Join(paths, ", "))
	}
	fmt.Fprintf(o.Factory.IO.ErrOut, "merged the records of %d jobs\n", len(records))
	return writeSummary(o.Factory, records, groupTop, state, o.Summary, rulesOf(records))
}

// waitShards waits until every directory holds o.Shards complete shards,
// for at most o.Wait, checking every few seconds.
func waitShards(ctx context.Context, o *SweepMergeOptions, paths []string) error {
	deadline := time.Now().Add(o.Wait)
	for {
		var pending []string
		for _, p := range paths {
			for _, s := range sweep.Pending(p, o.Shards) {
				pending = append(pending, p+": "+s)
			}
		}
		if len(pending) == 0 {
			return nil
		}
		if !time.Now().Before(deadline) {
			var other []string
			for _, p := range paths {
				if n := sweep.SplitOf(p); n != 0 && n != o.Shards {
					other = append(other, fmt.Sprintf("%s holds the shards of a sweep split %d ways, not %d", p, n, o.Shards))
				}
			}
			if len(other) > 0 {
				return fmt.Errorf("merge: shards not finished after %v: %s (%s)", o.Wait, strings.Join(pending, ", "), strings.Join(other, "; "))
			}
			return fmt.Errorf("merge: shards not finished after %v: %s", o.Wait, strings.Join(pending, ", "))
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(min(5*time.Second, time.Until(deadline)+time.Millisecond)):
		}
	}
}

// rulesOf are the rule files the records' comparisons used: a merged
// summary names those of every shard.
func rulesOf(records []regressions.Record) []string {
	var out []string
	for _, r := range records {
		for _, f := range r.Rules {
			if !slices.Contains(out, f) {
				out = append(out, f)
			}
		}
	}
	return out
}

// plural writes n and a noun, plural unless n is 1.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
