package cli

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/logdiff/logdiff/internal/sanitize"
	"github.com/logdiff/logdiff/logdiff"
	"github.com/logdiff/logdiff/patterns"
)

// RuleFlags are the flags that choose the rules of a command.
type RuleFlags struct {
	Files       []string
	Packs       []string
	NoUserRules bool
}

// AddFlags registers --rules, --pack and --no-user-rules.
func (r *RuleFlags) AddFlags(fl *pflag.FlagSet) {
	fl.StringSliceVar(&r.Files, "rules", nil, "rule file(s) to apply after the built-in packs (YAML; repeatable)")
	fl.StringSliceVar(&r.Packs, "pack", []string{"all"}, "built-in packs to use: all, none, or names ("+strings.Join(patterns.Packs(), ", ")+")")
	fl.BoolVar(&r.NoUserRules, "no-user-rules", false, "do not read "+patterns.UserFileName+" from the current directory or above (up to the repository's root)")
}

// load compiles the chosen packs, then .logdiff.yaml found upward from the
// working directory (up to the repository's root), then the --rules files:
// later rules override earlier ones of the same name. It returns the set
// and the files it read, which it names on standard error: a file found
// upward can change every result, and must never do so silently.
func (r *RuleFlags) load(f *Factory) (*patterns.Set, []string, error) {
	var files []*patterns.File
	var read []string
	packs, err := r.packNames()
	if err != nil {
		return nil, nil, err
	}
	for _, name := range packs {
		p, err := patterns.Pack(name)
		if err != nil {
			return nil, nil, err
		}
		files = append(files, p)
	}
	if !r.NoUserRules {
		if wd, err := f.Getwd(); err == nil {
			if path, ok := patterns.FindUserFile(wd); ok {
				p, err := patterns.ParseFile(path)
				if err != nil {
					return nil, nil, err
				}
				files = append(files, p)
				read = append(read, path)
			}
		}
	}
	for _, path := range r.Files {
		p, err := patterns.ParseFile(path)
		if err != nil {
			return nil, nil, err
		}
		files = append(files, p)
		read = append(read, path)
	}
	set, err := patterns.Compile(files...)
	if err != nil {
		return nil, nil, err
	}
	if len(read) > 0 {
		f.notef("logdiff: rules from %s", strings.Join(read, ", "))
	}
	return set, read, nil
}

func (r *RuleFlags) packNames() ([]string, error) {
	all := patterns.Packs()
	var out []string
	for _, p := range r.Packs {
		switch p {
		case "all":
			out = append(out, all...)
		case "none", "":
		default:
			if !slices.Contains(all, p) {
				return nil, usageErrorf("--pack %q: no such pack (have %s)", p, strings.Join(all, ", "))
			}
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// NewCmdRules builds `logdiff rules` and its verbs.
func NewCmdRules(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List, check and try normalization rules, signatures and hints",
		Long: `Rules tell logdiff about the logs of a team: prefixes to strip, tokens to mask,
lines to ignore, signatures (lines that matter when they go missing or appear)
and hints (a sentence shown beside a finding). The built-in packs are written
in the same YAML format; a user file comes from --rules FILE and from
` + patterns.UserFileName + ` found upward from the current directory, up to the root of its
git repository (outside one, in the current directory only). The files read
are named on standard error.`,
	}
	cmd.AddCommand(newCmdRulesList(f), newCmdRulesCheck(f), newCmdRulesTest(f))
	return cmd
}

func newCmdRulesList(f *Factory) *cobra.Command {
	var rf RuleFlags
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the rules in force (built-in packs, " + patterns.UserFileName + ", --rules files)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			set, _, err := rf.load(f)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(f.IO.Out, 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "KIND\tNAME\tPACK\tPATTERN\tSOURCE")
			for _, r := range set.Rules() {
				pat := r.Pattern
				if r.Regexp {
					pat = "/" + pat + "/"
				}
				pat = sanitize.Cut(pat, 60) // the whole pattern is in its source file
				if n := keptTexts(r); n > 0 {
					pat += fmt.Sprintf(" (keeps %d)", n) // after the cut: it must show
				}
				pack := r.Pack
				if pack == "" {
					pack = "-"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.Kind, r.Name, pack, pat, r.Source)
			}
			return tw.Flush()
		},
	}
	rf.AddFlags(cmd.Flags())
	return cmd
}

func newCmdRulesCheck(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "check FILE...",
		Short: "Check rule files: every bad rule is reported with its file, line and reason",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			for _, path := range args {
				p, err := patterns.ParseFile(path)
				if err != nil {
					return err
				}
				if _, err := patterns.Compile(p); err != nil {
					return err
				}
				fmt.Fprintf(f.IO.Out, "%s: %d rules, all valid\n", path, len(p.Rules))
			}
			return nil
		},
	}
}

func newCmdRulesTest(f *Factory) *cobra.Command {
	var scan logdiff.ScanOptions
	var rf RuleFlags
	cmd := &cobra.Command{
		Use:   "test RULES LOG",
		Short: "Show which lines of LOG each rule of RULES touches, before and after",
		Long: `Show which lines of LOG each rule of RULES touches, before and after: each
rule alone, on the line without its timestamps; a template rule on the
line's key, made with the built-in packs of --pack.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			packs, err := rf.packNames()
			if err != nil {
				return err
			}
			file, err := patterns.ParseFile(args[0])
			if err != nil {
				return err
			}
			if _, err := patterns.Compile(file); err != nil {
				return err
			}
			return runRulesTest(cmd.Context(), f, file, args[1], scan, packs)
		},
	}
	cmd.Flags().BoolVar(&scan.Text, "text", false, "read input that looks binary as text")
	cmd.Flags().StringSliceVar(&rf.Packs, "pack", []string{"all"}, "built-in packs that make the keys template rules are tried on: all, none, or names ("+strings.Join(patterns.Packs(), ", ")+")")
	return cmd
}

// runRulesTest compiles each rule alone and reports every line it changes.
func runRulesTest(ctx context.Context, f *Factory, file *patterns.File, logPath string, scan logdiff.ScanOptions, packs []string) error {
	type one struct {
		rule patterns.Rule
		set  *patterns.Set
		tmpl *logdiff.Templates // of a template rule
		hits int
	}
	var rules []*one
	for _, r := range file.Rules {
		set, err := patterns.Compile(&patterns.File{Name: file.Name, Rules: []patterns.Rule{r}})
		if err != nil {
			return err
		}
		o := &one{rule: r, set: set}
		if r.Kind == patterns.Template {
			o.tmpl = logdiff.NewTemplates([]logdiff.Template{{Text: r.Pattern, KeptIn: r.Keep}})
		}
		rules = append(rules, o)
	}
	inputs, cleanup, err := localInputs(ctx, f, []string{logPath}, scan)
	if err != nil {
		return err
	}
	defer cleanup()
	w := bufio.NewWriter(f.IO.Out)
	name := filepath.Base(logPath)
	builtin := logdiff.NewNormalizer(nil)
	// Template rules rewrite keys, which the packs help make: they are
	// tried on the keys the packs give, as every command makes them.
	var packFiles []*patterns.File
	for _, p := range packs {
		f, err := patterns.Pack(p)
		if err != nil {
			return err
		}
		packFiles = append(packFiles, f)
	}
	packSet, err := patterns.Compile(packFiles...)
	if err != nil {
		return err
	}
	keyNorm := logdiff.NewNormalizer(packSet)
	var key, masked []byte
	err = logdiff.NormalizeLines(ctx, inputs[0], builtin, scan, func(n int, _, raw []byte) error {
		// Rules see the line without the timestamps the built-in scanner
		// knows; template rules, its key.
		line := builtin.Stripped(raw)
		key, _ = keyNorm.Key(key[:0], raw)
		for _, o := range rules {
			what, before, after := "", line, ""
			switch o.rule.Kind {
			case patterns.Template:
				var ok bool
				if masked, ok = o.tmpl.Mask(masked[:0], key); ok && !bytes.Equal(masked, key) {
					what, before, after = "template", key, string(masked)
				}
			case patterns.Strip:
				if out := o.set.Strip(line); len(out) != len(line) {
					what, after = "strip", string(out)
				}
			case patterns.Mask:
				if out := o.set.Mask(nil, line); !bytes.Equal(out, line) {
					what, after = "mask", string(out)
				}
			case patterns.Ignore:
				if o.set.Ignore(line) {
					what, after = "ignore", "(line does not count)"
				}
			case patterns.Signature:
				if wt, ok := o.set.Signature(line); ok {
					what, after = "signature", fmt.Sprintf("(weight %g)", wt)
				}
			case patterns.Hint:
				if h, ok := o.set.Hint(line); ok {
					what, after = "hint", h
				}
			}
			if what == "" {
				continue
			}
			o.hits++
			fmt.Fprintf(w, "%s:%d: %s %s\n  before: %s\n  after:  %s\n", name, n, what, ruleName(o.rule), before, after)
		}
		return nil
	})
	for _, o := range rules {
		fmt.Fprintf(w, "%-10s %-40s %6d lines\n", o.rule.Kind, ruleName(o.rule), o.hits)
	}
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	return err
}

// keptTexts counts the texts a template rule keeps.
func keptTexts(r patterns.Rule) int {
	n := 0
	for _, in := range r.Keep {
		n += len(in)
	}
	return n
}

func ruleName(r patterns.Rule) string {
	if r.Name == "" {
		return "(" + r.Source + ")"
	}
	return r.Name + " (" + r.Source + ")"
}
