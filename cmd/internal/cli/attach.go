package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/logdiff/logdiff/cmd/internal/compare"
	"github.com/logdiff/logdiff/fetch"
	"github.com/logdiff/logdiff/logdiff"
	"github.com/logdiff/logdiff/logdiff/report"
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
	Filter   FilterFlags
	Fetch    FetchFlags

	// supervised is set in the child process of supervise: trouble of
	// its own then exits exitHandled, for the parent to tell from a crash.
	supervised bool
	// compare replaces compare.Compare in tests (to inject a panic).
	compare func(context.Context, *compare.Runs, logdiff.Options) (*logdiff.Report, error)
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

It never fails the job it is attached to because of its own trouble, a bug
included (its work runs in a child process, whose crash it survives): it says
what went wrong on standard error and in $ARTIFACTS/logdiff-error.txt, and
exits 0, unless --exit-code is given (then: 0 no findings, 1 findings, 2
trouble).`,
		Example: `  # the end of a job's script (bash): attach on failure, keep the tests' status
  ./run-tests.sh 2>&1 | tee "$ARTIFACTS/test.log"
  status=${PIPESTATUS[0]}
  if [ "$status" -ne 0 ]; then logdiff attach "$ARTIFACTS/test.log"; fi
  exit "$status"`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Log = "-"
			if len(args) == 1 {
				opts.Log = args[0]
			}
			if f.Executable != nil && runF == nil && f.IO.Getenv(childEnv) == "" {
				opts.fromEnv(f.IO.Getenv)
				if err := opts.validate(); err != nil {
					return opts.settle(err)
				}
				if exe, err := f.Executable(); err == nil {
					if started, err := opts.supervise(cmd.Context(), exe); started {
						return err
					}
				}
			}
			opts.supervised = f.IO.Getenv(childEnv) != ""
			return opts.settle(opts.run(cmd.Context(), runF))
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Job, "job", "", "the job's name (default $JOB_NAME, or JOB_SPEC's job)")
	fl.StringVar(&opts.Build, "build", "", "the current build's id (default $BUILD_ID, or JOB_SPEC's buildid)")
	fl.StringVar(&opts.OutDir, "out", "", "where to write the reports (default $ARTIFACTS)")
	fl.BoolVar(&opts.ExitCode, "exit-code", false, "exit 1 on findings and 2 on trouble instead of always 0")
	opts.Compare.AddFlags(fl)
	opts.Filter.AddFlags(fl)
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
	if len(o.Fetch.BaselineURL) > 0 || len(o.Fetch.Artifacts) > 0 {
		return usageErrorf("--baseline, --artifact: attach chooses the passing runs and compares the job's own log ('logdiff diff' and 'logdiff job' take these)")
	}
	if err := o.Compare.validate(0); err != nil {
		return err
	}
	if err := o.Filter.validate(); err != nil {
		return err
	}
	return o.Fetch.validate()
}

// run validates the options and runs attach (or runF), a panic turned
// into an error that carries its stack.
func (o *AttachOptions) run(ctx context.Context, runF func(*AttachOptions) error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &panicError{value: p, stack: debug.Stack()}
		}
	}()
	o.fromEnv(o.Factory.IO.Getenv)
	if err := o.validate(); err != nil {
		return err
	}
	if runF != nil {
		return runF(o)
	}
	return runAttach(ctx, o)
}

// settle decides what attach's outcome does to the job it is attached
// to. Its own trouble, a panic included, never fails the job: it is said
// on standard error and in logdiff-error.txt beside the reports, and
// attach exits 0, unless --exit-code.
func (o *AttachOptions) settle(err error) error {
	f := o.Factory
	if err == nil || errors.Is(err, errFindings) {
		if o.OutDir != "" {
			os.Remove(filepath.Join(o.OutDir, errorFile)) // an earlier run's
		}
		if o.ExitCode {
			return err
		}
		return nil
	}
	if o.OutDir != "" {
		if werr := writeErrorReport(o.OutDir, err); werr != nil {
			f.notef("logdiff attach: %v", werr)
		}
	}
	switch {
	case o.supervised && o.ExitCode:
		printError(f, err)
		return exitStatus{exitHandled, err}
	case o.ExitCode:
		return err
	}
	f.notef("logdiff attach: %s (exiting 0: the job's own result stands)", errorText(err))
	if o.supervised {
		return exitStatus{exitHandled, err}
	}
	return nil
}

// errorFile is where attach tells its own trouble, beside the reports:
// standard error of a CI step is easily lost.
const errorFile = "logdiff-error.txt"

func writeErrorReport(dir string, err error) error {
	if mkErr := os.MkdirAll(dir, 0o755); mkErr != nil {
		return mkErr
	}
	text := "logdiff attach could not compare this run; the job's own result stands.\n\n" + errorText(err) + "\n"
	return writeFileAtomic(filepath.Join(dir, errorFile), func(w io.Writer) error {
		_, werr := io.WriteString(w, text)
		return werr
	})
}

// panicError is a panic recovered in attach.
type panicError struct {
	value any
	stack []byte
}

func (p *panicError) Error() string {
	return fmt.Sprintf("panic: %v (a bug in logdiff: please report it with what follows)\n\n%s", p.value, p.stack)
}

func runAttach(ctx context.Context, opts *AttachOptions) error {
	f := opts.Factory
	eo, rules, err := opts.Compare.options(f)
	if err != nil {
		return err
	}
	logPath := opts.Log
	if st, serr := os.Stat(logPath); logPath == "-" || (serr == nil && !st.IsDir()) {
		// Standard input, a pipe or a device is read once, and a log
		// twice; a file may be the job's own log, still being written
		// (a second read would find it changed): each is copied first,
		// named as Prow names a run's log (the name shows in the reports).
		name, open := logPath, func() (io.ReadCloser, error) { return os.Open(opts.Log) }
		if logPath == "-" {
			name, open = "standard input", func() (io.ReadCloser, error) { return io.NopCloser(f.IO.In), nil }
		}
		tdir, err := f.tempDir("attach-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tdir)
		logPath = filepath.Join(tdir, "build-log.txt")
		if err := bufferInput(ctx, name, open, logPath, eo.Scan); err != nil {
			return err
		}
	} else if st, err := os.Stat(logPath); err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // "stat" is not the user's word
		}
		return fmt.Errorf("reading %s: %w", logPath, err)
	} else if st.IsDir() {
		return fmt.Errorf("reading %s: a directory, not a log file", logPath)
	}
	src, err := fetch.Detect(opts.Fetch.Bucket)
	if err != nil {
		return usageErrorf("--bucket: %v", err)
	}
	fe, err := opts.Fetch.fetcher(ctx, f, src)
	if err != nil {
		return err
	}
	// This run is still running: Running counts it in the streak, and
	// without a build id leaves it out of the job's history (see below).
	sel, err := fe.Select(ctx, fetch.Query{Job: opts.Job, Build: opts.Build, Baselines: opts.Fetch.Baselines, Running: true})
	// Why this run is not one logdiff can read, when it is not: no build
	// id, or one the bucket does not hold (another bucket than the job
	// uploads to, or a run whose first upload did not happen).
	unknown := ""
	switch {
	case opts.Build == "":
		unknown = "no build id (BUILD_ID, JOB_SPEC's buildid or --build)"
	case errors.Is(err, fetch.ErrNoSuchBuild):
		unknown = fmt.Sprintf("build %s of %s not found in %s (--bucket names where the job uploads)", opts.Build, opts.Job, fe.Store.URL(""))
		sel, err = fe.Select(ctx, fetch.Query{Job: opts.Job, Baselines: opts.Fetch.Baselines, Running: true})
	}
	if err != nil {
		return err
	}
	dir, err := f.tempDir("runs-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	rr := compare.Runs{
		Failing: fetch.LocalRun{Build: sel.Failing.Build, Log: logPath, Dir: opts.OutDir},
		Reasons: []string{"this run"},
		URLs:    []string{opts.Fetch.viewURL(fe.Store, sel.Failing.Build)},
		Warn:    func(s string) { f.notef("logdiff attach: %s", s) },
		Rules:   rules,
		Streak:  opts.Fetch.streak(sel.Streak, sel.Failing.Build, fe.Store),
	}
	if unknown != "" {
		// Without a build id (or one the bucket does not hold) this run
		// is none of the job's runs that logdiff can read: its log is
		// compared with the newest passing runs, named as the file it
		// is, and what needs the run's metadata (configuration, commits,
		// streak, link) is left out rather than taken from another run.
		// Prow always sets BUILD_ID; elsewhere a report is still worth
		// more than a refusal.
		name := opts.Log
		if name == "-" {
			name = "standard input"
		}
		rr.Failing.Build = fetch.Build{Job: opts.Job}
		rr.FailingName = name
		rr.Reasons[0] = "this run, " + unknown + ": compared without its configuration, commits or streak"
		rr.URLs[0] = ""
		rr.Streak = nil
		f.notef("logdiff attach: %s: comparing %s with the newest passing runs of %s, without this run's configuration, commits or streak", unknown, name, opts.Job)
	}
	if !opts.Fetch.NoJUnit {
		own, err := ownJUnit(opts.OutDir, opts.Fetch.JUnit)
		switch {
		case err != nil:
			rr.Warn(fmt.Sprintf("test results of this run: %v: tests not compared", err))
			rr.Failing.JUnitIncomplete = true
		case len(own) == 0 && opts.Fetch.JUnit != "":
			rr.Warn(fmt.Sprintf("no JUnit file of this run in %s matches --junit %s", opts.OutDir, opts.Fetch.JUnit))
		}
		rr.Failing.JUnit = own
	}
	for i, c := range sel.Baselines {
		// A directory of its own: Materialize names run directories by
		// their place in one call.
		runs, err := fe.Materialize(ctx, filepath.Join(dir, strconv.Itoa(i)), []fetch.Build{c.Build}, nil)
		if err != nil {
			return err
		}
		if err := opts.Fetch.fetchJUnit(ctx, fe, runs, rr.Warn); err != nil {
			return err
		}
		rr.Baselines = append(rr.Baselines, runs[0])
		rr.Reasons = append(rr.Reasons, c.Reason)
		rr.URLs = append(rr.URLs, opts.Fetch.viewURL(fe.Store, c.Build))
		f.notef("baseline: %s: %s", c.Build.Name(), c.Reason)
	}
	cmp := opts.compare
	if cmp == nil {
		cmp = compare.Compare
	}
	r, err := cmp(ctx, &rr, eo)
	if err != nil {
		return err
	}
	noteReport(f, r, eo)
	opts.Filter.apply(r, f.IO.ErrOut)
	if err := writeAttachments(f, r, opts.OutDir); err != nil {
		return err
	}
	f.notef("logdiff: %s; reports in %s", report.Headline(r), opts.OutDir)
	if len(r.Findings) > 0 {
		return errFindings
	}
	return nil
}

// ownJUnit lists the JUnit files the current run has left in its
// artifacts directory dir so far, relative to it: those fetch would find
// under a fetched run's artifacts/ for the same glob (fetch.JUnitMatcher),
// never the reports attach writes itself. More than fetch.MaxJUnitFiles
// is an error, as for a fetched run, and so is a directory that cannot be
// read; the caller warns.
func ownJUnit(dir, glob string) ([]string, error) {
	match, err := fetch.JUnitMatcher(glob)
	if err != nil {
		return nil, err
	}
	// $ARTIFACTS may be a link to where the job writes: WalkDir would
	// not enter a linked root, and the results would read as none.
	root, err := filepath.EvalSymlinks(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil // no directory yet: the job wrote no test results
	}
	if err != nil {
		return nil, err
	}
	dir = root
	var out []string
	var errs []error
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			errs = append(errs, err) // an unreadable corner leaves its files out
			return nil
		}
		if d.IsDir() {
			return nil
		}
		for _, format := range report.Formats() {
			if d.Name() == format.Attach {
				return nil
			}
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil || !match("artifacts/"+filepath.ToSlash(rel)) {
			return nil
		}
		if len(out) == fetch.MaxJUnitFiles {
			return fmt.Errorf("JUnit files of this run: more than %d in %s match: none compared", fetch.MaxJUnitFiles, dir)
		}
		out = append(out, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.Sort(out) // as fetch lists them: the walk's order is not the paths'
	return out, errors.Join(errs...)
}

// writeAttachments writes every report format into dir, each file
// atomically (a temporary file renamed), so Prow's upload never sees half.
func writeAttachments(f *Factory, r *logdiff.Report, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, format := range report.Formats() {
		if format.Attach == "" {
			continue
		}
		err := writeFileAtomic(filepath.Join(dir, format.Attach), func(w io.Writer) error {
			return render(f, w, r, OutputFlags{Output: format.Name, Color: "never"})
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// writeFileAtomic writes a file through a temporary file in its directory,
// renamed once written, readable by all.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	err = write(tmp)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644) // CreateTemp makes it private
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
