package cli

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/logdiff/logdiff/fetch"
)

// JobOptions are the flags and arguments of `logdiff job`.
type JobOptions struct {
	Factory *Factory
	Job     string
	Build   string
	Out     OutputFlags
	Compare CompareFlags
	Fetch   FetchFlags
}

// NewCmdJob builds `logdiff job`.
func NewCmdJob(f *Factory, runF func(*JobOptions) error) *cobra.Command {
	opts := &JobOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "job JOB [BUILD]",
		Short: "Compare a job's failing run with the passing runs before it, fetched from GCS",
		Long: `Find a Prow job's runs in a bucket (periodic and postsubmit jobs under logs/,
presubmits under pr-logs/, found by themselves), take the failing run (BUILD,
or the newest FAILURE) and the newest passing runs before it (--baselines,
skipping running and aborted runs; for presubmits the same base branch first),
fetch their build logs and metadata, and compare logs and configuration.
Which runs were chosen, and why, is printed on standard error, with the
failing streak: the first failing run after the newest pass, how many
failing runs, since when (--first-failure compares that first one).

--bucket is gs://BUCKET (default gs://kubernetes-ci-logs, readable without
credentials) or a local directory laid out like a bucket. Finished runs are
cached under the user cache directory (--no-cache to bypass).

Exit status: 0 no findings, 1 findings, 2 trouble (no such job, no passing
run, unreadable logs).`,
		Example: `  logdiff job ci-kubernetes-e2e-windows-gce --bucket testdata/bucket
  logdiff job ci-kubernetes-e2e-gci-gce 1889120572684636160 -o json
  logdiff job pull-kubernetes-e2e-gce --artifact 'artifacts/*/serial-1.log'`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Job = args[0]
			if len(args) == 2 {
				opts.Build = args[1]
			}
			if err := opts.validate(); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runJob(cmd, opts)
		},
	}
	opts.Out.AddFlags(cmd.Flags())
	opts.Compare.AddFlags(cmd.Flags())
	opts.Fetch.AddFlags(cmd.Flags())
	opts.Fetch.AddSelectFlags(cmd.Flags())
	return cmd
}

func (o *JobOptions) validate() error {
	if strings.ContainsAny(o.Job, "/ ") || o.Job == "" {
		return usageErrorf("job %q: want a job name such as ci-kubernetes-e2e-gci-gce (a URL goes to 'logdiff diff URL')", o.Job)
	}
	if o.Build != "" && strings.Trim(o.Build, "0123456789") != "" {
		return usageErrorf("build %q: want a build id (digits)", o.Build)
	}
	if err := o.Out.validate(); err != nil {
		return err
	}
	if err := o.Compare.validate(0); err != nil {
		return err
	}
	return o.Fetch.validate()
}

// jobSource names the job (or one of its runs) in the bucket given by --bucket.
func (o *JobOptions) jobSource() (fetch.Source, error) {
	src, err := fetch.Detect(o.Fetch.Bucket)
	if err != nil {
		return fetch.Source{}, usageErrorf("--bucket: %v", err)
	}
	if src.Path != "" {
		return fetch.Source{}, usageErrorf("--bucket %s: want a bucket (gs://BUCKET) or the root directory of one, not a path inside it", o.Fetch.Bucket)
	}
	src.Path = "logs/" + o.Job
	if o.Build != "" {
		src.Path += "/" + o.Build
	}
	return src, nil
}

func runJob(cmd *cobra.Command, opts *JobOptions) error {
	ctx := cmd.Context()
	eo, rules, err := opts.Compare.options(opts.Factory)
	if err != nil {
		return err
	}
	src, err := opts.jobSource()
	if err != nil {
		return err
	}
	return runRemote(ctx, opts.Factory, &opts.Fetch, src, eo, rules, opts.Out)
}
