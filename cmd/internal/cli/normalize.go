package cli

import (
	"bufio"
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/logdiff/logdiff/internal/sanitize"
	"github.com/logdiff/logdiff/logdiff"
)

// NormalizeOptions are the flags and arguments of `logdiff normalize`.
type NormalizeOptions struct {
	Factory  *Factory
	File     string
	Original bool
	Scan     ScanFlags
	Rules    RuleFlags
	Learn    []string
	// Output is the form of --learn's templates: text (a listing) or rules
	// (a rule file of template rules).
	Output string
}

// NewCmdNormalize builds `logdiff normalize`.
func NewCmdNormalize(f *Factory, runF func(*NormalizeOptions) error) *cobra.Command {
	opts := &NormalizeOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "normalize FILE | normalize --learn PASSING...",
		Short: "Print the comparison key of every line, to see why two lines match",
		Long: `Print the key logdiff compares for each line of FILE ("-" for standard input):
timestamps and log headers stripped, volatile tokens masked (<num>, <id> for
hashes and random suffixes, <uuid>, <ip>, <ts>, <time>, <date>, <dur>, <size>,
<progress>). Lines that do not count (blank, ignored by a rule) print as empty
lines.

With --original each line prints as: line number, key, original text,
separated by tabs.

With --learn, FILE and the other arguments are passing runs of one job: the
command prints the templates logdiff learns from what varies between them
(as diff does with two or more baselines), each with its variable
positions (<*>), how many lines and runs it covers, and whether it masks.
With -o rules it writes those that mask as a rule file of template rules
instead: with --rules FILE, one baseline then masks what the passing runs
taught (logdiff rules check FILE accepts it).`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.Scan.validate(); err != nil {
				return err
			}
			learn, _ := cmd.Flags().GetBool("learn")
			switch {
			case opts.Output != "text" && opts.Output != "rules":
				return usageErrorf("--output %q: want text or rules", opts.Output)
			case opts.Output == "rules" && !learn:
				return usageErrorf("-o rules writes learned templates: give --learn and the passing runs")
			case learn:
				opts.Learn = args
				if runF != nil {
					return runF(opts)
				}
				return runLearn(cmd.Context(), opts)
			}
			if len(args) != 1 {
				return usageErrorf("normalize takes one file (or --learn and passing runs)")
			}
			opts.File = args[0]
			if runF != nil {
				return runF(opts)
			}
			return runNormalize(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Original, "original", false, "print line number, key and original text, tab-separated")
	opts.Scan.AddFlags(cmd.Flags())
	opts.Rules.AddFlags(cmd.Flags())
	cmd.Flags().Bool("learn", false, "learn templates from the given passing runs and print them")
	cmd.Flags().StringVarP(&opts.Output, "output", "o", "text", "with --learn: text (a listing) or rules (a rule file of the templates that mask)")
	return cmd
}

func runNormalize(ctx context.Context, opts *NormalizeOptions) error {
	scan := opts.Scan.options()
	inputs, cleanup, err := localInputs(ctx, opts.Factory, []string{opts.File}, scan)
	if err != nil {
		return err
	}
	defer cleanup()
	rules, _, err := opts.Rules.load(opts.Factory)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(opts.Factory.IO.Out, 64<<10)
	// Keys and lines are log text: shown through the one sanitizer, as
	// every other output is (a log cannot drive the terminal).
	var buf []byte
	err = logdiff.NormalizeLines(ctx, inputs[0], logdiff.NewNormalizer(rules), scan,
		func(n int, key, line []byte) error {
			buf = buf[:0]
			if opts.Original {
				buf = strconv.AppendInt(buf, int64(n), 10)
				buf = append(buf, '\t')
				buf = sanitize.Append(buf, key)
				buf = append(buf, '\t')
				buf = sanitize.Append(buf, line)
			} else {
				buf = sanitize.Append(buf, key)
			}
			buf = append(buf, '\n')
			_, err := w.Write(buf)
			return err
		})
	if ferr := w.Flush(); err == nil && ferr != nil {
		err = fmt.Errorf("writing keys: %w", ferr)
	}
	return err
}

func runLearn(ctx context.Context, opts *NormalizeOptions) error {
	if len(opts.Learn) < 2 {
		return usageErrorf("--learn needs two passing runs or more (what varies between them is learned)")
	}
	scan := opts.Scan.options()
	inputs, cleanup, err := localInputs(ctx, opts.Factory, opts.Learn, scan)
	if err != nil {
		return err
	}
	defer cleanup()
	rules, read, err := opts.Rules.load(opts.Factory)
	if err != nil {
		return err
	}
	if opts.Output == "rules" {
		ts, err := logdiff.LearnForRules(ctx, inputs, logdiff.NewNormalizer(rules), scan)
		if err != nil {
			return err
		}
		packs, _ := opts.Rules.packNames() // load checked them
		src := learnSource{Now: opts.Factory.Now(), Runs: opts.Learn, Packs: packs, Files: read}
		if opts.Factory.Getwd != nil {
			src.Dir, _ = opts.Factory.Getwd()
		}
		return writeLearnedRules(opts.Factory.IO.Out, ts, src)
	}
	tm, err := logdiff.Learn(ctx, inputs, logdiff.NewNormalizer(rules), scan)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(opts.Factory.IO.Out)
	n := 0
	for t := range tm.All() {
		if len(t.Variable) == 0 {
			continue
		}
		n++
		masks := "masks"
		if !t.Masks {
			masks = "seen in one run: masks nothing"
		}
		fmt.Fprintf(w, "%s\n    %d lines in %d runs, %d variable, %s", sanitize.String(t.Text), t.Lines, t.Runs, len(t.Variable), masks)
		if len(t.Kept) > 0 {
			fmt.Fprintf(w, "; kept: %s", sanitize.String(strings.Join(t.Kept, ", ")))
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "%d templates with variable positions, learned from %d runs\n", n, len(inputs))
	if n == 0 {
		fmt.Fprintln(w, "nothing to learn: no line varies between the runs in a way a template captures (the masks and rules already hide what differs)")
	}
	return w.Flush()
}
