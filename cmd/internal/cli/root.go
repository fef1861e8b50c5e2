// Package cli is the logdiff command line: one constructor per verb, all
// output through injected streams, one place that maps errors to exit codes.
package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/logdiff/logdiff/cmd/internal/iostreams"
	"github.com/logdiff/logdiff/fetch"
	"github.com/logdiff/logdiff/internal/sanitize"
	"github.com/logdiff/logdiff/internal/tmpdir"
	"github.com/logdiff/logdiff/logdiff"
)

// Exit codes follow diff(1).
const (
	ExitNoFindings = 0
	ExitFindings   = 1
	ExitTrouble    = 2
)

// Factory holds what commands depend on. Fields that are expensive to build
// (a storage client) are functions, called on first use, so that a command
// that never fetches never builds one.
type Factory struct {
	IO  *iostreams.IOStreams
	Now func() time.Time
	// Getwd returns the working directory (where .logdiff.yaml is searched from).
	Getwd func() (string, error)

	// Executable, when set, returns the path of this program: attach then
	// does its work in a child process of it, so that not even a crash a
	// recover cannot catch (a panic in another goroutine, running out of
	// memory) fails the job it is attached to. Main sets it.
	Executable func() (string, error)

	gcs  gcsClients // built on first use
	temp tempRoot   // made on first use, removed when Run returns
	// closers are run when Run returns (the caches' temporary files).
	closers []func()
	args    []string // the arguments Run was given, for attach's child
	profile profileFlags
}

// tempDir makes a new directory for temporary files, in the process's
// temporary root (see tempRoot): it is removed when the command returns,
// if the command has not removed it before.
func (f *Factory) tempDir(pattern string) (string, error) {
	return f.temp.mkdir(pattern)
}

// notef writes a line to standard error, every argument made safe for a
// terminal (names of files and runs come from outside).
func (f *Factory) notef(format string, args ...any) {
	fmt.Fprintln(f.IO.ErrOut, sanitize.Text(fmt.Sprintf(format, args...)))
}

// errFindings is returned by a command that ran fine and found differences:
// Main maps it to exit status 1 without printing it.
var errFindings = errors.New("findings")

// errSilent wraps an error already reported to the user.
type errSilent struct{ err error }

func (e errSilent) Error() string { return e.err.Error() }
func (e errSilent) Unwrap() error { return e.err }

// usageError marks a mistake in the command line; cmd is the command whose
// help to point at, when known.
type usageError struct {
	err error
	cmd string
}

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usageErrorf(format string, args ...any) error {
	return usageError{err: fmt.Errorf(format, args...)}
}

// version says what the binary was built from: the module version (a
// pseudo-version naming the commit for a build in a clone, a tag for a
// release) and the VCS revision and time Go recorded, "modified" when the
// work tree had changes.
func version(bi *debug.BuildInfo, ok bool) string {
	if !ok {
		return "unknown (no build information)"
	}
	v := bi.Main.Version
	var rev, at string
	modified := false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if rev == "" {
		if v == "(devel)" || v == "" {
			return "(devel), built without VCS information (make build, or go build -buildvcs=true, records the commit)"
		}
		return v
	}
	var parts []string
	parts = append(parts, "commit "+rev[:min(12, len(rev))])
	if at != "" {
		parts = append(parts, at)
	}
	if modified {
		parts = append(parts, "modified")
	}
	return v + " (" + strings.Join(parts, ", ") + ")"
}

// NewCmdRoot builds the logdiff command with all its verbs.
func NewCmdRoot(f *Factory) *cobra.Command {
	root := &cobra.Command{
		Use:   "logdiff",
		Short: "Tell what changed between passing and failing runs of a CI job",
		Long: `logdiff compares the log of a failing CI run with the logs of passing runs of
the same job. It strips timestamps, masks volatile tokens (ids, hashes, IPs,
durations, sizes) and reports, ranked so that the likely cause comes first:
lines the passing runs share that the failing run lacks, lines new in the
failing run, lines that changed, and where the failing run ended early.

Exit status: 0 no findings, 1 findings, 2 trouble.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(f.IO.In)
	root.SetOut(f.IO.Out)
	root.SetErr(f.IO.ErrOut)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return usageError{err, c.CommandPath()} })
	root.Version = version(debug.ReadBuildInfo())
	root.AddCommand(NewCmdDiff(f, nil))
	root.AddCommand(NewCmdNormalize(f, nil))
	root.AddCommand(NewCmdRules(f))
	root.AddCommand(NewCmdJob(f, nil))
	root.AddCommand(NewCmdSweep(f, nil))
	root.AddCommand(NewCmdAttach(f, nil))
	f.profile.addFlags(root)
	root.PersistentPreRunE = func(*cobra.Command, []string) error { return f.profile.start() }
	return root
}

// Main runs logdiff with the process's arguments and streams and returns the exit status.
func Main() int {
	// SIGTERM too: Kubernetes stops a sweep's pod with it, and the sweep
	// then ends its records cleanly instead of dying mid-write.
	// The first signal cancels ctx and the command winds down, removing
	// its temporary files; a second one, should that take too long,
	// removes them and exits at once (tmpdir.NotifyContext).
	ctx, stop := tmpdir.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	f := &Factory{IO: iostreams.System(), Now: time.Now, Getwd: os.Getwd, Executable: os.Executable}
	return Run(ctx, f, os.Args[1:])
}

// Run executes the command line args and maps the outcome to an exit status.
func Run(ctx context.Context, f *Factory, args []string) int {
	_, _ = tmpdir.Sweep(os.TempDir()) // what killed runs left; best effort
	defer f.temp.remove()
	defer func() {
		for _, c := range f.closers {
			c()
		}
	}()
	f.args = args
	root := NewCmdRoot(f)
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	if perr := f.profile.stop(); err == nil && perr != nil {
		err = perr
	}
	if err != nil && errors.Is(err, context.Canceled) && context.Cause(ctx) != nil && !strings.Contains(err.Error(), context.Cause(ctx).Error()) {
		err = fmt.Errorf("%w (%v)", err, context.Cause(ctx)) // "context canceled" says not why
	}
	// A usage error learns which command's help to point at; one a command
	// has settled itself (attach's exit status) stays as it is.
	var usage usageError
	var settled exitStatus
	if errors.As(err, &usage) && usage.cmd == "" && cmd != nil && !errors.As(err, &settled) {
		err = usageError{usage.err, cmd.CommandPath()}
	}
	return exitCode(f, err)
}

func exitCode(f *Factory, err error) int {
	var status exitStatus
	switch {
	case err == nil:
		return ExitNoFindings
	case errors.Is(err, errFindings):
		return ExitFindings
	case errors.As(err, &status):
		return status.code
	}
	printError(f, err)
	return ExitTrouble
}

// printError tells err on standard error, unless it was told already,
// with a pointer to the help of a command used wrong.
func printError(f *Factory, err error) {
	var silent errSilent
	if !errors.As(err, &silent) {
		fmt.Fprintf(f.IO.ErrOut, "logdiff: %s\n", sanitize.Text(errorText(err)))
	}
	var usage usageError
	if errors.As(err, &usage) {
		cmd := "logdiff"
		if usage.cmd != "" {
			cmd = usage.cmd
		}
		fmt.Fprintf(f.IO.ErrOut, "Run '%s --help' for usage.\n", cmd)
	}
}

// errorText is the message of err (exitCode shows it through
// sanitize.Text: a file name may hold an escape sequence), with the request URLs of network errors
// (long storage API URLs with a dozen query parameters) cut to their host,
// and a hint when the network cannot be reached at all.
func errorText(err error) string {
	msg := err.Error()
	if errors.Is(err, logdiff.ErrBinary) {
		msg += "; --text reads it as text"
	}
	var le *logdiff.LimitError
	if errors.As(err, &le) {
		if le.Lines {
			return msg + " (raise --max-lines to read it)"
		}
		return msg + " (raise --max-bytes to read it)"
	}
	var tl *fetch.TooLargeError // a download over the same bound
	if errors.As(err, &tl) {
		return msg + " (raise --max-bytes to read it)"
	}
	var ue *url.Error
	if !errors.As(err, &ue) {
		return msg
	}
	if short := gcsObjectURL(ue.URL); short != "" {
		msg = strings.ReplaceAll(msg, strconv.Quote(ue.URL), short)
		msg = strings.ReplaceAll(msg, ue.URL, short)
	}
	var dnsErr *net.DNSError
	var opErr *net.OpError
	if errors.As(err, &dnsErr) || errors.As(err, &opErr) {
		msg += " (no network? --bucket DIR reads a local directory laid out like a bucket)"
	}
	return msg
}

// gcsObjectURL is the gs:// object or prefix that a URL of the storage
// client's JSON API reads ("…/storage/v1/b/BUCKET/o/OBJECT?alt=json&…",
// "…/download/storage/v1/b/BUCKET/o/OBJECT?alt=media", a listing's
// "…/b/BUCKET/o?prefix=…"): the name the user gave, not 150 characters of
// API. "" for any other URL, which errors keep whole: it is the input.
func gcsObjectURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host != "storage.googleapis.com" {
		return ""
	}
	p := strings.TrimPrefix(u.Path, "/download")
	rest, ok := strings.CutPrefix(p, "/storage/v1/b/")
	if !ok {
		return ""
	}
	bucket, obj, ok := strings.Cut(rest, "/o")
	if !ok || bucket == "" {
		return ""
	}
	if obj == "" {
		return "gs://" + bucket + "/" + u.Query().Get("prefix")
	}
	if obj[0] != '/' {
		return ""
	}
	return "gs://" + bucket + "/" + obj[1:]
}
