package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/logdiff/logdiff/cmd/internal/compare"
	"github.com/logdiff/logdiff/fetch"
	"github.com/logdiff/logdiff/logdiff"
)

// AttachOptions are the flags and arguments of `logdiff attach`.
type AttachOptions struct {
	Factory  *Factory
	Log      string
	Job      string
	Build    string
	OutDir   string
	ExitCode bool
	Compare  CompareFlags
	Fetch    FetchFlags
}

// attachFiles are the reports attach writes, by format.
var attachFiles = []struct{ name, format string }{
	{"logdiff.html", "html"},
	{"logdiff.md", "markdown"},
	{"logdiff.json", "json"},
	{"junit_logdiff.xml", "junit"},
}

// NewCmdAttach builds `logdiff attach`.
func NewCmdAttach(f *Factory, runF func(*AttachOptions) error) *cobra.Command {
	opts := &AttachOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "attach [LOG|-]",
		Short: "At the end of a failing Prow job: diff its own log against passing runs, write reports into $ARTIFACTS",
		Long: `Run at the end of a failing CI job. logdiff reads Prow's environment (JOB_NAME,
BUILD_ID, JOB_TYPE, PULL_NUMBER, REPO_OWNER, REPO_NAME, JOB_SPEC, ARTIFACTS),
takes the current run's log from LOG or standard input, picks passing runs of
the job from GCS like 'logdiff job', and writes logdiff.html, logdiff.md,
logdiff.json and junit_logdiff.xml into $ARTIFACTS, where Prow's lenses and
TestGrid show them beside the failed tests.

It never fails the job it is attached to because of its own trouble: it says
what went wrong on standard error and exits 0, unless --exit-code is given
(then: 0 no findings, 1 findings, 2 trouble).`,
		Example: `  # the last step of a job's script:
  ./run-tests.sh 2>&1 | tee "$ARTIFACTS/test.log" || logdiff attach "$ARTIFACTS/test.log"`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Log = "-"
			if len(args) == 1 {
				opts.Log = args[0]
			}
			opts.fromEnv(f.IO.Getenv)
			var err error
			if err = opts.validate(); err == nil {
				if runF != nil {
					return runF(opts)
				}
				err = runAttach(cmd, opts)
			}
			if opts.ExitCode || err == nil {
				return err
			}
			// Our own trouble must not fail the job we are attached to.
			if !errors.Is(err, errFindings) {
				f.notef("logdiff attach: %v (exiting 0: the job's own result stands)", err)
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Job, "job", "", "the job's name (default $JOB_NAME, or JOB_SPEC's job)")
	fl.StringVar(&opts.Build, "build", "", "the current build's id (default $BUILD_ID, or JOB_SPEC's buildid)")
	fl.StringVar(&opts.OutDir, "out", "", "where to write the reports (default $ARTIFACTS)")
	fl.BoolVar(&opts.ExitCode, "exit-code", false, "exit 1 on findings and 2 on trouble instead of always 0")
	opts.Compare.AddFlags(fl)
	opts.Fetch.AddFlags(fl)
	return cmd
}

// fromEnv fills what the flags left empty from Prow's environment.
func (o *AttachOptions) fromEnv(getenv func(string) string) {
	var spec struct {
		Job     string `json:"job"`
		BuildID string `json:"buildid"`
	}
	if s := getenv("JOB_SPEC"); s != "" {
		_ = json.Unmarshal([]byte(s), &spec) // a bad JOB_SPEC only loses the fallback
	}
	pick := func(cur *string, vals ...string) {
		for _, v := range vals {
			if *cur == "" {
				*cur = v
			}
		}
	}
	pick(&o.Job, getenv("JOB_NAME"), spec.Job)
	pick(&o.Build, getenv("BUILD_ID"), spec.BuildID)
	pick(&o.OutDir, getenv("ARTIFACTS"))
}

func (o *AttachOptions) validate() error {
	if o.Job == "" {
		return usageErrorf("no job: set JOB_NAME (Prow does) or --job")
	}
	if o.OutDir == "" {
		return usageErrorf("no output directory: set ARTIFACTS (Prow does) or --out")
	}
	if err := o.Compare.validate(0); err != nil {
		return err
	}
	return o.Fetch.validate()
}

func runAttach(cmd *cobra.Command, opts *AttachOptions) error {
	ctx := cmd.Context()
	f := opts.Factory
	eo, err := opts.Compare.options(f)
	if err != nil {
		return err
	}
	logPath := opts.Log
	if logPath == "-" {
		// Named as Prow names it: the name shows in the reports.
		tdir, err := os.MkdirTemp("", "logdiff-attach-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tdir)
		tmp, err := os.Create(filepath.Join(tdir, "build-log.txt"))
		if err != nil {
			return err
		}
		_, err = io.Copy(tmp, f.IO.In)
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("buffering standard input: %w", err)
		}
		logPath = tmp.Name()
	} else if !isLocalFile(logPath) {
		return fmt.Errorf("reading %s: not a readable file", logPath)
	}
	src, err := fetch.Detect(opts.Fetch.Bucket)
	if err != nil {
		return usageErrorf("--bucket: %v", err)
	}
	fe, err := opts.Fetch.fetcher(ctx, f, src)
	if err != nil {
		return err
	}
	sel, err := fe.Select(ctx, fetch.Query{Job: opts.Job, Build: opts.Build, Baselines: opts.Fetch.Baselines})
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "logdiff-attach-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	rr := compare.Runs{
		Failing: fetch.LocalRun{Build: sel.Failing.Build, Log: logPath},
		Reasons: []string{"this run"},
		URLs:    []string{compare.ViewURL(fe.Store, sel.Failing.Build)},
	}
	for i, c := range sel.Baselines {
		// A directory of its own: Materialize names run directories by
		// their place in one call.
		runs, err := fe.Materialize(ctx, filepath.Join(dir, strconv.Itoa(i)), []fetch.Build{c.Build}, nil)
		if err != nil {
			return err
		}
		rr.Baselines = append(rr.Baselines, runs[0])
		rr.Reasons = append(rr.Reasons, c.Reason)
		rr.URLs = append(rr.URLs, compare.ViewURL(fe.Store, c.Build))
		f.notef("baseline: %s: %s", c.Build.Name(), c.Reason)
	}
	r, err := compare.Compare(ctx, &rr, eo)
	if err != nil {
		return err
	}
	if err := writeAttachments(f, r, opts.OutDir); err != nil {
		return err
	}
	f.notef("logdiff: %s; reports in %s", logdiff.Summary(r), opts.OutDir)
	if len(r.Findings) > 0 {
		return errFindings
	}
	return nil
}

// writeAttachments writes every report format into dir, each file
// atomically (a temporary file renamed), so Prow's upload never sees half.
func writeAttachments(f *Factory, r *logdiff.Report, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, a := range attachFiles {
		tmp, err := os.CreateTemp(dir, "."+a.name+".*")
		if err != nil {
			return err
		}
		err = render(f, tmp, r, OutputFlags{Output: a.format, Color: "never", Top: 10})
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Chmod(tmp.Name(), 0o644) // CreateTemp makes it private
		}
		if err == nil {
			err = os.Rename(tmp.Name(), filepath.Join(dir, a.name))
		}
		if err != nil {
			os.Remove(tmp.Name())
			return fmt.Errorf("writing %s: %w", filepath.Join(dir, a.name), err)
		}
	}
	return nil
}
