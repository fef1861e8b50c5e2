package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/logdiff/logdiff/cmd/internal/compare"
	"github.com/logdiff/logdiff/fetch"
	"github.com/logdiff/logdiff/logdiff"
)

// DiffOptions are the flags and arguments of `logdiff diff`.
type DiffOptions struct {
	Factory *Factory
	Args    []string
	Out     OutputFlags
	Compare CompareFlags
	Fetch   FetchFlags
}

// NewCmdDiff builds `logdiff diff`. runF replaces the real work in tests.
func NewCmdDiff(f *Factory, runF func(*DiffOptions) error) *cobra.Command {
	opts := &DiffOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "diff PASSING... FAILING | diff RUN-URL",
		Short: "Compare a failing log with one or more passing logs",
		Long: `Compare the log of a failing run (the last argument) with the logs of one or
more passing runs of the same job (baselines). A file may be gzip-compressed;
"-" reads standard input. Any argument may also be a URL of a log or a run:
gs://BUCKET/PATH, a Prow view URL (https://prow.k8s.io/view/gs/...), a gcsweb
URL, https://storage.googleapis.com/..., or a directory laid out like a bucket.

With a single argument naming a run (or a job), logdiff finds the passing
runs to compare with itself, like 'logdiff job', and compares configuration
(environment, images, arguments, refs) too.

Findings, ranked so that the likely cause comes first:
  missing      lines the passing runs share that the failing run lacks
  new          lines of the failing run found in no passing run
  changed      a line that differs in a token or two (a status flip ranks high)
  ended-early  the failing run stopped where the passing runs went on
  config       a setting the passing runs agree on that the failing run lacks

Exit status: 0 no findings, 1 findings, 2 trouble.`,
		Example: `  logdiff diff pass.log fail.log
  logdiff diff pass-1.log pass-2.log fail.log.gz -o json
  kubectl logs pod | logdiff diff pass.log -
  logdiff diff https://prow.k8s.io/view/gs/kubernetes-ci-logs/logs/JOB/BUILD`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageErrorf("diff needs the logs to compare: passing runs first and the failing run last, or the URL of a failing run")
			}
			if len(args) == 1 && (args[0] == "-" || isLocalFile(args[0])) {
				return usageErrorf("diff needs at least two logs, passing runs first and the failing run last (got 1); a single argument must name a run (a URL or a bucket directory)")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Args = args
			if err := opts.validate(); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runDiff(cmd, opts)
		},
	}
	opts.Out.AddFlags(cmd.Flags())
	opts.Compare.AddFlags(cmd.Flags())
	opts.Fetch.AddFlags(cmd.Flags())
	opts.Fetch.AddSelectFlags(cmd.Flags())
	return cmd
}

func (o *DiffOptions) validate() error {
	if err := o.Out.validate(); err != nil {
		return err
	}
	baselines := len(o.Args) - 1
	if len(o.Args) == 1 {
		baselines = 0
	}
	if err := o.Compare.validate(baselines); err != nil {
		return err
	}
	if err := o.Fetch.validate(); err != nil {
		return err
	}
	stdin := 0
	for _, a := range o.Args {
		if a == "-" {
			stdin++
		}
		if strings.TrimSpace(a) == "" {
			return usageErrorf("an empty argument: give a log file, \"-\" or a URL")
		}
	}
	if stdin > 1 {
		return usageErrorf(`"-" (standard input) may be given once`)
	}
	return nil
}

func isLocalFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

func runDiff(cmd *cobra.Command, opts *DiffOptions) error {
	ctx := cmd.Context()
	eo, rules, err := opts.Compare.options(opts.Factory)
	if err != nil {
		return err
	}
	if len(opts.Args) == 1 {
		src, err := fetch.Detect(opts.Args[0])
		if err != nil && isJobName(opts.Args[0]) {
			// A job's name: in the --bucket, as logdiff job does.
			jo := &JobOptions{Job: opts.Args[0], Fetch: opts.Fetch}
			src, err = jo.jobSource()
		}
		if err != nil {
			return err
		}
		return runRemote(ctx, opts.Factory, &opts.Fetch, src, eo, rules, opts.Out)
	}
	res, cleanup, err := resolveInputs(ctx, opts.Factory, &opts.Fetch, opts.Args, eo.Scan)
	if err != nil {
		return err
	}
	defer cleanup()
	ignored := []string{"baseline", "baselines", "first-failure"}
	if !res.allRuns() {
		ignored = append(ignored, "artifact")
	}
	for _, name := range ignored {
		if cmd.Flags().Changed(name) {
			opts.Factory.notef("logdiff: --%s is ignored: it applies when a single run URL is given and logdiff chooses the baselines", name)
		}
	}
	inputs := res.inputs
	n := len(inputs)
	var report *logdiff.Report
	if res.allRuns() {
		// Runs, not bare logs: their configuration, test results and
		// artifacts are compared too, as logdiff job does.
		rr := &compare.Runs{Failing: *res.runs[n-1], URLs: append(res.urls[n-1:], res.urls[:n-1]...), Rules: rules,
			Warn: func(s string) { opts.Factory.notef("logdiff: %s", s) }}
		rr.Reasons = append(rr.Reasons, "given")
		for _, r := range res.runs[:n-1] {
			rr.Baselines = append(rr.Baselines, *r)
			rr.Reasons = append(rr.Reasons, "given")
		}
		report, err = compare.Compare(ctx, rr, eo)
	} else {
		report, err = logdiff.Diff(ctx, inputs[n-1], inputs[:n-1], eo)
	}
	if err != nil {
		return err
	}
	report.Rules = rules
	noteReport(opts.Factory, report, eo)
	if !res.allRuns() && report.LooksReversed() {
		// Logs given by hand, not runs chosen by their results.
		opts.Factory.notef("logdiff: %s ends as a passing run would, where the passing runs failed: were the logs given in order? (logdiff diff PASSING... FAILING: the failing log last)", report.Failing.Name)
	}
	return writeReport(opts.Factory, report, opts.Out)
}

// localInputs turns file arguments into inputs. Standard input ("-"),
// pipes and devices are copied to temporary files first (bufferInput),
// since each log is read twice; the files go when cleanup is called, or
// when the command returns.
func localInputs(ctx context.Context, f *Factory, args []string, scan logdiff.ScanOptions) (_ []logdiff.Input, _ func(), err error) {
	var dir string
	cleanup := func() {
		if dir != "" {
			os.RemoveAll(dir)
		}
	}
	defer func() {
		if err != nil {
			cleanup()
		}
	}()
	var inputs []logdiff.Input
	for i, a := range args {
		name := a
		open := func() (io.ReadCloser, error) { return os.Open(a) }
		if a == "-" {
			name = "standard input" // as attach names it
			open = func() (io.ReadCloser, error) { return io.NopCloser(f.IO.In), nil }
		} else {
			st, err := os.Stat(a)
			if err != nil {
				return nil, nil, fmt.Errorf("reading %s: %w", a, err)
			}
			if st.IsDir() {
				return nil, nil, fmt.Errorf("reading %s: is a directory, not a log file", a)
			}
			if st.Mode().IsRegular() {
				inputs = append(inputs, logdiff.FileInput(a))
				continue
			}
			// A pipe (mkfifo, <(cmd)) or a device can be read once; logs
			// are read twice.
		}
		if dir == "" {
			if dir, err = f.tempDir("inputs-"); err != nil {
				return nil, nil, err
			}
		}
		tmp := filepath.Join(dir, strconv.Itoa(i))
		if err := bufferInput(ctx, name, open, tmp, scan); err != nil {
			return nil, nil, err
		}
		in := logdiff.FileInput(tmp)
		in.Name = name
		inputs = append(inputs, in)
	}
	return inputs, cleanup, nil
}

// isJobName reports a bare Prow job name (no path, no URL, not a file name
// such as fail.log that was mistyped).
func isJobName(s string) bool {
	if s == "" || strings.ContainsAny(s, "/:\\ ") || strings.HasPrefix(s, ".") {
		return false
	}
	for _, ext := range []string{".log", ".txt", ".gz", ".json", ".out"} {
		if strings.HasSuffix(strings.ToLower(s), ext) {
			return false
		}
	}
	return true
}
