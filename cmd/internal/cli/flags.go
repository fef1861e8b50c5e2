package cli

import (
	"math"

	"github.com/spf13/pflag"

	"github.com/logdiff/logdiff/logdiff"
)

// OutputFlags choose how a report is written.
type OutputFlags struct {
	Output string
	Color  string
	All    bool
	Top    int
	flags  *pflag.FlagSet // to tell a --top given from its default
}

// AddFlags registers -o, --color, --all and --top.
func (o *OutputFlags) AddFlags(fl *pflag.FlagSet) {
	fl.StringVarP(&o.Output, "output", "o", "text", "output format: "+outputFormats)
	fl.StringVar(&o.Color, "color", "auto", "colour the text output: auto, always or never (NO_COLOR and CLICOLOR_FORCE are honoured)")
	fl.BoolVar(&o.All, "all", false, "show every finding and every line of each (JSON always holds all)")
	fl.IntVar(&o.Top, "top", 10, "how many findings the text output shows")
	o.flags = fl
}

func (o *OutputFlags) validate() error {
	if !validOutput(o.Output) {
		return usageErrorf("--output %q: want %s", o.Output, outputFormats)
	}
	switch o.Color {
	case "auto", "always", "never":
	default:
		return usageErrorf("--color %q: want auto, always or never", o.Color)
	}
	if o.Top < 1 {
		return usageErrorf("--top %d: want 1 or more", o.Top)
	}
	return nil
}

// CompareFlags control reading, normalizing and comparing logs.
type CompareFlags struct {
	Quorum   int
	Context  int
	Text     bool
	MaxLine  int
	MaxBytes int64
	MaxLines int
	NoLearn  bool
	Rules    RuleFlags
}

// AddFlags registers the comparison flags.
func (o *CompareFlags) AddFlags(fl *pflag.FlagSet) {
	fl.IntVar(&o.Quorum, "quorum", 0, "how many passing runs must share a line for its absence to count (default: all)")
	fl.IntVarP(&o.Context, "context", "C", 2, "lines of context around each finding")
	fl.BoolVar(&o.Text, "text", false, "read input that looks binary as text")
	fl.IntVar(&o.MaxLine, "max-line-bytes", logdiff.DefaultMaxLineBytes, "cut longer lines (with a marker)")
	fl.Int64Var(&o.MaxBytes, "max-bytes", logdiff.DefaultMaxBytes, "refuse an input holding more bytes (counted after gzip decompression)")
	fl.IntVar(&o.MaxLines, "max-lines", logdiff.DefaultMaxLines, "refuse an input holding more lines")
	fl.BoolVar(&o.NoLearn, "no-learn", false, "do not learn what varies between two or more passing runs")
	o.Rules.AddFlags(fl)
}

func (o *CompareFlags) validate(baselines int) error {
	if o.Quorum < 0 || (baselines > 0 && o.Quorum > baselines) {
		return usageErrorf("--quorum %d: want 1 to %d (the number of passing logs)", o.Quorum, baselines)
	}
	if o.Context < 0 {
		return usageErrorf("--context %d: want 0 or more", o.Context)
	}
	if o.MaxLine < 256 {
		return usageErrorf("--max-line-bytes %d: want 256 or more", o.MaxLine)
	}
	if o.MaxBytes < 1 {
		return usageErrorf("--max-bytes %d: want 1 or more", o.MaxBytes)
	}
	if o.MaxLines < 1 || o.MaxLines > math.MaxInt32 {
		return usageErrorf("--max-lines %d: want 1 to %d", o.MaxLines, math.MaxInt32)
	}
	return nil
}

// options loads the rules and returns the engine's options.
func (o *CompareFlags) options(f *Factory) (logdiff.Options, error) {
	rules, _, err := o.Rules.load(f)
	if err != nil {
		return logdiff.Options{}, err
	}
	ctxLines := o.Context
	if ctxLines == 0 {
		ctxLines = -1
	}
	return logdiff.Options{
		Quorum:     o.Quorum,
		Context:    ctxLines,
		Scan:       logdiff.ScanOptions{MaxLineBytes: o.MaxLine, Text: o.Text, MaxBytes: o.MaxBytes, MaxLines: o.MaxLines},
		Normalizer: logdiff.NewNormalizer(rules),
		Knowledge:  rules,
		NoLearn:    o.NoLearn,
	}, nil
}
