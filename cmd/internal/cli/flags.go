package cli

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/logdiff/logdiff/logdiff"
	"github.com/logdiff/logdiff/logdiff/report"
)

// OutputFlags choose how a report is written.
type OutputFlags struct {
	Output string
	Color  string
	All    bool
	Top    int
	Width  int
	Filter FilterFlags
	flags  *pflag.FlagSet // to tell a --top or --width given from its default
}

// FilterFlags choose which findings a report keeps.
type FilterFlags struct {
	Kinds    []string
	MinScore float64
}

// AddFlags registers --kind and --min-score.
func (o *FilterFlags) AddFlags(fl *pflag.FlagSet) {
	var names []string
	for _, k := range logdiff.Kinds() {
		names = append(names, string(k))
	}
	fl.StringSliceVar(&o.Kinds, "kind", nil, "report only findings of these kinds: "+strings.Join(names, ", ")+" (comma-separated or repeated)")
	fl.Float64Var(&o.MinScore, "min-score", 0, "report only findings scored at least this (0 to 1)")
}

func (o *FilterFlags) validate() error {
	for _, k := range o.Kinds {
		if _, ok := logdiff.ParseKind(k); !ok {
			var names []string
			for _, k := range logdiff.Kinds() {
				names = append(names, string(k))
			}
			return usageErrorf("--kind %q: want one or more of %s", k, strings.Join(names, ", "))
		}
	}
	if !(o.MinScore >= 0 && o.MinScore <= 1) { // NaN too: no finding scores at least NaN
		return usageErrorf("--min-score %v: want 0 to 1", o.MinScore)
	}
	return nil
}

// keep tells the findings the flags keep; nil when they keep all.
func (o *FilterFlags) keep() func(*logdiff.Finding) bool {
	if len(o.Kinds) == 0 && o.MinScore == 0 {
		return nil
	}
	return func(f *logdiff.Finding) bool {
		return (len(o.Kinds) == 0 || slices.Contains(o.Kinds, string(f.Kind))) && f.Score >= o.MinScore
	}
}

// String says the filter as its flags: "--kind test,new --min-score 0.5";
// "" when it keeps all.
func (o *FilterFlags) String() string {
	var parts []string
	if len(o.Kinds) > 0 {
		parts = append(parts, "--kind "+strings.Join(o.Kinds, ","))
	}
	if o.MinScore > 0 {
		parts = append(parts, "--min-score "+strconv.FormatFloat(o.MinScore, 'g', -1, 64))
	}
	return strings.Join(parts, " ")
}

// apply drops the findings the flags leave out and says on w how many.
func (o *FilterFlags) apply(r *logdiff.Report, w io.Writer) {
	keep := o.keep()
	if keep == nil {
		return
	}
	dropped := r.Filter(keep)
	if dropped > 0 {
		fmt.Fprintf(w, "logdiff: %d findings left out by --kind/--min-score\n", dropped)
	}
}

// AddFlags registers -o, --color, --all and --top.
func (o *OutputFlags) AddFlags(fl *pflag.FlagSet) {
	fl.StringVarP(&o.Output, "output", "o", "text", "output format: "+report.Names())
	fl.StringVar(&o.Color, "color", "auto", "colour the text output: auto, always or never (NO_COLOR and CLICOLOR_FORCE are honoured)")
	fl.BoolVar(&o.All, "all", false, "show every finding and every line of each (JSON always holds all)")
	fl.IntVar(&o.Top, "top", 10, "how many findings the text output shows")
	o.Filter.AddFlags(fl)
	fl.IntVar(&o.Width, "width", 0, "cut the text output's lines to this many columns (default: the terminal's width when standard output is one; 0 never cuts)")
	o.flags = fl
}

func (o *OutputFlags) validate() error {
	if _, err := report.Lookup(o.Output); err != nil {
		return usageErrorf("--output: %v", err)
	}
	switch o.Color {
	case "auto", "always", "never":
	default:
		return usageErrorf("--color %q: want auto, always or never", o.Color)
	}
	if o.Top < 1 {
		return usageErrorf("--top %d: want 1 or more", o.Top)
	}
	if o.Width < 0 {
		return usageErrorf("--width %d: want 0 (never cut) or more", o.Width)
	}
	if err := o.Filter.validate(); err != nil {
		return err
	}
	return nil
}

// Default limits on one input. A 5 GB log of 20M lines is read with room
// to spare; a runaway pipe (yes | logdiff diff pass.log -) stops there.
const (
	DefaultMaxBytes = logdiff.DefaultMaxBytes
	DefaultMaxLines = logdiff.DefaultMaxLines
)

// ScanFlags control how each input is read.
type ScanFlags struct {
	Text     bool
	MaxLine  int
	MaxBytes byteSize
	MaxLines int
}

// AddFlags registers --text, --max-line-bytes, --max-bytes and --max-lines.
func (o *ScanFlags) AddFlags(fl *pflag.FlagSet) {
	fl.BoolVar(&o.Text, "text", false, "read input that looks binary as text")
	fl.IntVar(&o.MaxLine, "max-line-bytes", logdiff.DefaultMaxLineBytes, "cut longer lines (with a marker)")
	o.MaxBytes = DefaultMaxBytes
	fl.Var(&o.MaxBytes, "max-bytes", "refuse an input of more bytes, counted decompressed (500MiB, 8GiB, or bytes)")
	fl.IntVar(&o.MaxLines, "max-lines", DefaultMaxLines, "refuse an input of more lines")
}

func (o *ScanFlags) validate() error {
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

func (o *ScanFlags) options() logdiff.ScanOptions {
	return logdiff.ScanOptions{MaxLineBytes: o.MaxLine, Text: o.Text, MaxBytes: int64(o.MaxBytes), MaxLines: o.MaxLines}
}

// CompareFlags control reading, normalizing and comparing logs.
type CompareFlags struct {
	Quorum  int
	Context int
	Scan    ScanFlags
	NoLearn bool
	Rules   RuleFlags
}

// AddFlags registers the comparison flags.
func (o *CompareFlags) AddFlags(fl *pflag.FlagSet) {
	fl.IntVar(&o.Quorum, "quorum", 0, "how many passing runs must share a line for its absence to count (default: all)")
	fl.IntVarP(&o.Context, "context", "C", 2, "lines of context around each finding")
	o.Scan.AddFlags(fl)
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
	return o.Scan.validate()
}

// options loads the rules and returns the engine's options, and the rule
// files read besides the built-in packs, which the caller puts in the
// report.
func (o *CompareFlags) options(f *Factory) (logdiff.Options, []string, error) {
	rules, files, err := o.Rules.load(f)
	if err != nil {
		return logdiff.Options{}, nil, err
	}
	ctxLines := o.Context
	if ctxLines == 0 {
		ctxLines = -1
	}
	return logdiff.Options{
		Quorum:     o.Quorum,
		Context:    ctxLines,
		Scan:       o.Scan.options(),
		Normalizer: logdiff.NewNormalizer(rules),
		Knowledge:  rules,
		NoLearn:    o.NoLearn,
	}, files, nil
}
