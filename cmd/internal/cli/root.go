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
	"os/signal"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/logdiff/logdiff/cmd/internal/iostreams"
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

	gcs gcsClients // built on first use
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

// version is the module version the binary was built from ("(devel)" for
// a build in a checkout), with the VCS revision when Go recorded it.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := bi.Main.Version
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			v += " " + s.Value[:12]
		}
	}
	return v
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
	root.Version = version()
	root.AddCommand(NewCmdDiff(f, nil))
	root.AddCommand(NewCmdNormalize(f, nil))
	root.AddCommand(NewCmdRules(f))
	root.AddCommand(NewCmdJob(f, nil))
	root.AddCommand(NewCmdSweep(f, nil))
	root.AddCommand(NewCmdAttach(f, nil))
	return root
}

// Main runs logdiff with the process's arguments and streams and returns the exit status.
func Main() int {
	// SIGTERM too: Kubernetes stops a sweep's pod with it, and the sweep
	// then ends its records cleanly instead of dying mid-write.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	f := &Factory{IO: iostreams.System(), Now: time.Now, Getwd: os.Getwd}
	return Run(ctx, f, os.Args[1:])
}

// Run executes the command line args and maps the outcome to an exit status.
func Run(ctx context.Context, f *Factory, args []string) int {
	root := NewCmdRoot(f)
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	var usage usageError
	if errors.As(err, &usage) && usage.cmd == "" && cmd != nil {
		err = usageError{usage.err, cmd.CommandPath()}
	}
	return exitCode(f, err)
}

func exitCode(f *Factory, err error) int {
	switch {
	case err == nil:
		return ExitNoFindings
	case errors.Is(err, errFindings):
		return ExitFindings
	}
	var silent errSilent
	if !errors.As(err, &silent) {
		fmt.Fprintf(f.IO.ErrOut, "logdiff: %s\n", errorText(err))
	}
	var usage usageError
	if errors.As(err, &usage) {
		cmd := "logdiff"
		if usage.cmd != "" {
			cmd = usage.cmd
		}
		fmt.Fprintf(f.IO.ErrOut, "Run '%s --help' for usage.\n", cmd)
	}
	return ExitTrouble
}

// errorText is the message of err, with the request URLs of network errors
// (long storage API URLs with a dozen query parameters) cut to their host,
// and a hint when the network cannot be reached at all.
func errorText(err error) string {
	msg := err.Error()
	var le *logdiff.LimitError
	if errors.As(err, &le) {
		if le.Lines {
			return msg + " (raise --max-lines to read it)"
		}
		return msg + " (raise --max-bytes to read it)"
	}
	var ue *url.Error
	if !errors.As(err, &ue) {
		return msg
	}
	if u, perr := url.Parse(ue.URL); perr == nil && u.Host != "" {
		msg = strings.ReplaceAll(msg, strconv.Quote(ue.URL), u.Host)
		msg = strings.ReplaceAll(msg, ue.URL, u.Host)
	}
	var dnsErr *net.DNSError
	var opErr *net.OpError
	if errors.As(err, &dnsErr) || errors.As(err, &opErr) {
		msg += " (no network? --bucket DIR reads a local directory laid out like a bucket)"
	}
	return msg
}
