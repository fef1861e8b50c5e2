package cli

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/logdiff/logdiff/logdiff"
)

// DiffOptions are the flags and arguments of `logdiff diff`.
type DiffOptions struct {
	Factory *Factory
	Args    []string
	Output  string
	Color   string
	All     bool
	Top     int
	Quorum  int
	Context int
	Text    bool
	MaxLine int
}

// NewCmdDiff builds `logdiff diff`. runF replaces the real work in tests.
func NewCmdDiff(f *Factory, runF func(*DiffOptions) error) *cobra.Command {
	opts := &DiffOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "diff PASSING... FAILING",
		Short: "Compare a failing log with one or more passing logs",
		Long: `Compare the log of a failing run (the last argument) with the logs of one or
more passing runs of the same job (baselines). A file may be gzip-compressed;
"-" reads standard input.

Findings, ranked so that the likely cause comes first:
  missing      lines the passing runs share that the failing run lacks
  new          lines of the failing run found in no passing run
  changed      a line that differs in a token or two (a status flip ranks high)
  ended-early  the failing run stopped where the passing runs went on

Exit status: 0 no findings, 1 findings, 2 trouble.`,
		Example: `  logdiff diff pass.log fail.log
  logdiff diff pass-1.log pass-2.log fail.log.gz -o json
  kubectl logs pod | logdiff diff pass.log -`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) < 2 {
				return usageErrorf("diff needs at least two logs, passing runs first and the failing run last (got %d)", len(args))
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
	fl := cmd.Flags()
	fl.StringVarP(&opts.Output, "output", "o", "text", "output format: text or json")
	fl.StringVar(&opts.Color, "color", "auto", "colour the text output: auto, always or never (NO_COLOR and CLICOLOR_FORCE are honoured)")
	fl.BoolVar(&opts.All, "all", false, "show every finding and every line of each (JSON always holds all)")
	fl.IntVar(&opts.Top, "top", 10, "how many findings the text output shows")
	fl.IntVar(&opts.Quorum, "quorum", 0, "how many passing runs must share a line for its absence to count (default: all)")
	fl.IntVarP(&opts.Context, "context", "C", 2, "lines of context around each finding")
	fl.BoolVar(&opts.Text, "text", false, "read input that looks binary as text")
	fl.IntVar(&opts.MaxLine, "max-line-bytes", logdiff.DefaultMaxLineBytes, "cut longer lines (with a marker)")
	return cmd
}

func (o *DiffOptions) validate() error {
	switch o.Output {
	case "text", "json":
	default:
		return usageErrorf("--output %q: want text or json", o.Output)
	}
	switch o.Color {
	case "auto", "always", "never":
	default:
		return usageErrorf("--color %q: want auto, always or never", o.Color)
	}
	if o.Top < 1 {
		return usageErrorf("--top %d: want 1 or more", o.Top)
	}
	if o.Quorum < 0 || o.Quorum > len(o.Args)-1 {
		return usageErrorf("--quorum %d: want 1 to %d (the number of passing logs)", o.Quorum, len(o.Args)-1)
	}
	if o.Context < 0 {
		return usageErrorf("--context %d: want 0 or more", o.Context)
	}
	if o.MaxLine < 256 {
		return usageErrorf("--max-line-bytes %d: want 256 or more", o.MaxLine)
	}
	stdin := 0
	for _, a := range o.Args {
		if a == "-" {
			stdin++
		}
	}
	if stdin > 1 {
		return usageErrorf(`"-" (standard input) may be given once`)
	}
	return nil
}

func runDiff(cmd *cobra.Command, opts *DiffOptions) error {
	inputs, cleanup, err := localInputs(opts.Factory, opts.Args)
	if err != nil {
		return err
	}
	defer cleanup()
	n := len(inputs)
	ctxLines := opts.Context
	if ctxLines == 0 {
		ctxLines = -1
	}
	report, err := logdiff.Diff(cmd.Context(), inputs[n-1], inputs[:n-1], logdiff.Options{
		Quorum:  opts.Quorum,
		Context: ctxLines,
		Scan:    logdiff.ScanOptions{MaxLineBytes: opts.MaxLine, Text: opts.Text},
	})
	if err != nil {
		return err
	}
	return writeReport(opts.Factory, report, opts.Output, opts.Color, opts.All, opts.Top)
}

// writeReport renders a report to standard output and returns errFindings
// when it has findings, so the exit status says so.
func writeReport(f *Factory, r *logdiff.Report, output, colorMode string, all bool, top int) error {
	var err error
	switch output {
	case "json":
		err = logdiff.WriteJSON(f.IO.Out, r)
	default:
		err = logdiff.WriteText(f.IO.Out, r, logdiff.TextOptions{Color: f.IO.ColorEnabled(colorMode), All: all, Top: top})
	}
	if err != nil {
		return fmt.Errorf("writing the report: %w", err)
	}
	if len(r.Findings) > 0 {
		return errFindings
	}
	return nil
}

// localInputs turns file arguments into inputs. Standard input ("-") is
// copied to a temporary file first, since each log is read twice.
func localInputs(f *Factory, args []string) ([]logdiff.Input, func(), error) {
	var tmp string
	cleanup := func() {
		if tmp != "" {
			os.Remove(tmp)
		}
	}
	var inputs []logdiff.Input
	for _, a := range args {
		if a != "-" {
			st, err := os.Stat(a)
			if err != nil {
				cleanup()
				return nil, nil, fmt.Errorf("reading %s: %w", a, err)
			}
			if st.IsDir() {
				cleanup()
				return nil, nil, fmt.Errorf("reading %s: is a directory, not a log file", a)
			}
			inputs = append(inputs, logdiff.FileInput(a))
			continue
		}
		tf, err := os.CreateTemp("", "logdiff-stdin-*")
		if err != nil {
			return nil, nil, fmt.Errorf("buffering standard input: %w", err)
		}
		tmp = tf.Name()
		_, err = io.Copy(tf, f.IO.In)
		if cerr := tf.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			cleanup()
			return nil, nil, fmt.Errorf("buffering standard input: %w", err)
		}
		in := logdiff.FileInput(tmp)
		in.Name = "(stdin)"
		inputs = append(inputs, in)
	}
	return inputs, cleanup, nil
}
