package cli

import (
	"bufio"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/logdiff/logdiff/logdiff"
)

// NormalizeOptions are the flags and arguments of `logdiff normalize`.
type NormalizeOptions struct {
	Factory  *Factory
	File     string
	Original bool
	Text     bool
	MaxLine  int
}

// NewCmdNormalize builds `logdiff normalize`.
func NewCmdNormalize(f *Factory, runF func(*NormalizeOptions) error) *cobra.Command {
	opts := &NormalizeOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "normalize FILE",
		Short: "Print the comparison key of every line, to see why two lines match",
		Long: `Print the key logdiff compares for each line of FILE ("-" for standard input):
timestamps and log headers stripped, volatile tokens masked (<num>, <id> for
hashes and random suffixes, <uuid>, <ip>, <ts>, <time>, <date>, <dur>, <size>,
<progress>). Lines that
do not count (blank, ignored by a rule) print as empty lines.

With --original each line prints as: line number, key, original text,
separated by tabs.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.File = args[0]
			if runF != nil {
				return runF(opts)
			}
			return runNormalize(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Original, "original", false, "print line number, key and original text, tab-separated")
	cmd.Flags().BoolVar(&opts.Text, "text", false, "read input that looks binary as text")
	cmd.Flags().IntVar(&opts.MaxLine, "max-line-bytes", logdiff.DefaultMaxLineBytes, "cut longer lines (with a marker)")
	return cmd
}

func runNormalize(opts *NormalizeOptions) error {
	inputs, cleanup, err := localInputs(opts.Factory, []string{opts.File})
	if err != nil {
		return err
	}
	defer cleanup()
	w := bufio.NewWriterSize(opts.Factory.IO.Out, 64<<10)
	err = logdiff.NormalizeLines(inputs[0], logdiff.NewNormalizer(nil), logdiff.ScanOptions{MaxLineBytes: opts.MaxLine, Text: opts.Text},
		func(n int, key, line []byte) error {
			if opts.Original {
				fmt.Fprintf(w, "%d\t%s\t%s\n", n, key, line)
				return nil
			}
			w.Write(key)
			return w.WriteByte('\n')
		})
	if ferr := w.Flush(); err == nil && ferr != nil {
		err = fmt.Errorf("writing keys: %w", ferr)
	}
	return err
}
