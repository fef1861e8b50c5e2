package evaldata

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"regexp"
	"regexp/syntax"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Labels are hand-made labels of the cause lines of a set's failing logs
// (testdata/eval/*.yaml): regexps matched against the shown text of each
// line, so the logs themselves need not be copied.
type Labels struct {
	// Context patterns apply to every pair of the set.
	Context []*regexp.Regexp
	Pairs   map[string]*PairLabels
	// Skipped maps pairs left out of the measures to the reason.
	Skipped map[string]string
}

// PairLabels are one pair's patterns.
type PairLabels struct {
	Cause   []*regexp.Regexp
	Context []*regexp.Regexp
	Note    string
}

type labelsFile struct {
	Context []string `yaml:"context"`
	Pairs   map[string]struct {
		Cause   []string `yaml:"cause"`
		Context []string `yaml:"context"`
		Note    string   `yaml:"note"`
		Skip    string   `yaml:"skip"`
	} `yaml:"pairs"`
}

// LoadLabels reads and compiles a labels file; every error names the file,
// and the pair and pattern where there is one.
func LoadLabels(path string) (*Labels, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading labels: %w", err)
	}
	return ParseLabels(path, data)
}

// ParseLabels compiles the labels in data; name is used in errors.
func ParseLabels(name string, data []byte) (*Labels, error) {
	var f labelsFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	l := &Labels{Pairs: map[string]*PairLabels{}, Skipped: map[string]string{}}
	var errs []error
	compile := func(where string, pats []string) []*regexp.Regexp {
		var out []*regexp.Regexp
		for _, p := range pats {
			re, err := regexp.Compile(p)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %s: %w", name, where, err))
				continue
			}
			if re.MatchString("") {
				errs = append(errs, fmt.Errorf("%s: %s: pattern %q matches the empty line, so every line", name, where, p))
				continue
			}
			out = append(out, re)
		}
		return out
	}
	l.Context = compile("context", f.Context)
	for _, pair := range sortedKeys(f.Pairs) {
		p := f.Pairs[pair]
		if p.Skip != "" {
			if len(p.Cause)+len(p.Context) > 0 {
				errs = append(errs, fmt.Errorf("%s: pair %s is skipped and labelled: choose one", name, pair))
			}
			l.Skipped[pair] = p.Skip
			continue
		}
		if len(p.Cause) == 0 {
			errs = append(errs, fmt.Errorf("%s: pair %s has no cause pattern (or skip: with the reason)", name, pair))
			continue
		}
		l.Pairs[pair] = &PairLabels{
			Cause:   compile("pair "+pair+" cause", p.Cause),
			Context: compile("pair "+pair+" context", p.Context),
			Note:    p.Note,
		}
	}
	if len(l.Pairs) == 0 && len(errs) == 0 {
		errs = append(errs, fmt.Errorf("%s: no pairs", name))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return l, nil
}

// Truth matches a pair's patterns against the shown text of its failing
// log (texts[i] is line i+1), at most its first MatchBytes bytes: Travis
// logs hold lines of hundreds of kilobytes of download progress, which no
// cause line is. Unmatched lists the cause patterns that match no line: a
// label that has rotted, or a pattern that never fit.
func (l *Labels) Truth(pair string, texts []string) (t Truth, unmatched []string, err error) {
	p := l.Pairs[pair]
	if p == nil {
		return Truth{}, nil, fmt.Errorf("pair %s is not labelled", pair)
	}
	t = Truth{Cause: map[int]bool{}, Useful: map[int]bool{}}
	hit := make([]bool, len(p.Cause))
	context := Split(append(slices.Clip(p.Context), l.Context...))
	for i, s := range texts {
		n := i + 1
		s = s[:min(len(s), MatchBytes)]
		for k, re := range p.Cause {
			if re.MatchString(s) {
				t.Cause[n] = true
				t.Useful[n] = true
				hit[k] = true
			}
		}
		if t.Useful[n] {
			continue
		}
		if context.MatchString(s) {
			t.Useful[n] = true
		}
	}
	BlankInBlocks(texts, t.Useful)
	for k, ok := range hit {
		if !ok {
			unmatched = append(unmatched, p.Cause[k].String())
		}
	}
	return t, unmatched, nil
}

// BlankInBlocks marks as useful the blank lines that stand inside a
// labelled block: a run of blank lines whose nearest lines on both sides
// are useful. A pattern cannot label a blank line (one that matched it
// would match every blank line of the log), while CiDiff's labels are
// ranges that hold the blank separators of the blocks they span; without
// this a blank line inside a reported error block would count against
// precision under pattern labels only.
func BlankInBlocks(texts []string, useful map[int]bool) {
	for i := 0; i < len(texts); {
		if strings.TrimSpace(texts[i]) != "" {
			i++
			continue
		}
		j := i
		for j < len(texts) && strings.TrimSpace(texts[j]) == "" {
			j++
		}
		// Lines i+1..j (1-based) are blank; i and j+1 are their neighbours.
		if i > 0 && j < len(texts) && useful[i] && useful[j+1] {
			for n := i + 1; n <= j; n++ {
				useful[n] = true
			}
		}
		i = j
	}
}

// AnyOf matches a line when one of its regexps does.
type AnyOf []*regexp.Regexp

// MatchString reports whether any regexp matches s.
func (a AnyOf) MatchString(s string) bool {
	for _, re := range a {
		if re.MatchString(s) {
			return true
		}
	}
	return false
}

// Split returns the regexps with each top-level alternation split into
// its branches. Go's regexp scans fast for a literal a pattern starts with,
// and slowly for an alternation of them (20 µs a line, which matters on
// logs of 20,000 lines), so "BUILD FAILURE|^Caused by: " runs as two.
func Split(res []*regexp.Regexp) AnyOf {
	var out AnyOf
	for _, re := range res {
		tree, err := syntax.Parse(re.String(), syntax.Perl)
		if err != nil || tree.Op != syntax.OpAlternate {
			out = append(out, re)
			continue
		}
		for _, sub := range tree.Sub {
			out = append(out, regexp.MustCompile(sub.String()))
		}
	}
	return out
}

// MatchBytes is how much of a line label patterns see.
const MatchBytes = 4096

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
