package cli

import (
	"bytes"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/logdiff/logdiff/logdiff"
	"github.com/logdiff/logdiff/patterns"
)

// The rule file logdiff normalize --learn -o rules writes: the learned
// templates that mask, as template rules.

// learnSource says where, when and from what templates were learned, for
// the header of the rule file.
type learnSource struct {
	Now   time.Time
	Dir   string   // the working directory
	Runs  []string // the passing runs, as given
	Packs []string // the built-in packs in force
	Files []string // the rule files read
}

// Limits of a user's rule file (patterns'): the template rules of one
// file, and its size. A learned file keeps the templates that cover the
// most lines within them, leaving room for its comments.
const (
	maxTemplateRules = 1024
	maxRuleFileSize  = 1 << 20
	commentRoom      = 64 << 10
	maxLeftOutShown  = 50
)

// writeLearnedRules writes templates that mask (LearnForRules) as a rule
// file: one template rule each, named after its text, with the texts it
// keeps, in the order of learning (which decides between templates of as
// many literal words). A template the rule check refuses (no word besides
// placeholders, text that is not UTF-8...) is left out and named in a
// comment at the end, as are those past the limits of a rule file (those
// covering the fewest lines); a second template of the same text is left
// out silently, since Mask never uses it. What it writes is parsed and
// compiled again before it is written: the file always passes logdiff
// rules check.
func writeLearnedRules(w io.Writer, ts []logdiff.Template, src learnSource) error {
	type rule struct {
		r     patterns.Rule
		node  *yaml.Node
		size  int // of node in YAML, about
		lines int
	}
	var (
		rules []*rule
		out   []string // comments on what was left out
		names = map[string]bool{}
		texts = map[string]bool{}
	)
	for _, t := range ts {
		if !t.Masks || len(t.Variable) == 0 || texts[t.Text] {
			continue
		}
		texts[t.Text] = true
		r := patterns.Rule{Kind: patterns.Template, Name: learnedName(t.Text, names), Pattern: t.Text, Keep: learnedKeep(t.KeptIn)}
		if err := checkLearnedRule(r); err != nil {
			out = append(out, fmt.Sprintf("%s: %v", commentText(t.Text), err))
			continue
		}
		names[r.Name] = true
		node := ruleNode(r)
		y, err := yaml.Marshal(node)
		if err != nil {
			return fmt.Errorf("writing the learned rules: %w", err)
		}
		rules = append(rules, &rule{r, node, len(y) + 4*(1+strings.Count(string(y), "\n")), t.Lines})
	}
	// Within the limits, the templates that cover the most lines.
	byLines := slices.Clone(rules)
	slices.SortStableFunc(byLines, func(a, b *rule) int { return b.lines - a.lines })
	drop := map[*rule]bool{}
	n, size := 0, 0
	for _, r := range byLines {
		if n == maxTemplateRules || size+r.size > maxRuleFileSize-commentRoom {
			drop[r] = true
			out = append(out, fmt.Sprintf("%s: covers %d lines, no more than the %d kept; a rule file holds at most %d template rules and %d bytes", commentText(r.r.Pattern), r.lines, n, maxTemplateRules, maxRuleFileSize))
			continue
		}
		n, size = n+1, size+r.size
	}
	rules = slices.DeleteFunc(rules, func(r *rule) bool { return drop[r] })

	var b bytes.Buffer
	fmt.Fprintf(&b, "# Templates learned by logdiff normalize --learn -o rules on %s\n", src.Now.UTC().Format(time.RFC3339))
	if src.Dir != "" {
		fmt.Fprintf(&b, "# in %s\n", commentText(src.Dir))
	}
	fmt.Fprintf(&b, "# from %d passing runs:\n", len(src.Runs))
	for _, r := range src.Runs {
		fmt.Fprintf(&b, "#   %s\n", commentText(r))
	}
	packs := "none"
	if len(src.Packs) > 0 {
		packs = strings.Join(src.Packs, ", ")
	}
	fmt.Fprintf(&b, "# with the built-in packs: %s\n", packs)
	for _, f := range src.Files {
		fmt.Fprintf(&b, "# and the rules of %s\n", commentText(f))
	}
	b.WriteString("# Use it with the same packs and rules: they make the keys the templates fit.\n")
	switch {
	case len(rules) > 0:
		fmt.Fprintf(&b, "# %d templates that mask, each a template rule: a key with <*> where the runs\n", len(rules))
		b.WriteString("# differed; keep lists the values left as they are: those seen in two runs or\n")
		b.WriteString("# more, and those of the lines every run has.\n")
	case len(out) > 0:
		// Every template was refused: the list at the end says why.
		b.WriteString("# No rules: every template learned was left out (see the end of the file).\n")
	default:
		// An empty list with no word of why reads as a failure: say
		// that nothing varied, which is what it means.
		b.WriteString("# Nothing to learn, so no rules: no line varies between these runs in a way a\n")
		b.WriteString("# template captures. Either every run has the same lines (the built-in masks\n")
		b.WriteString("# and the rules already hide what differs: timestamps, ids, numbers), or the\n")
		b.WriteString("# lines one run has and another lacks share no template with a <*> seen in two\n")
		b.WriteString("# runs or more. More runs, or runs further apart, may give some.\n")
	}

	list := &yaml.Node{Kind: yaml.SequenceNode}
	for _, r := range rules {
		list.Content = append(list.Content, r.node)
	}
	root := &yaml.Node{Kind: yaml.MappingNode}
	addYAML(root, "version", &yaml.Node{Kind: yaml.ScalarNode, Value: "1"})
	addYAML(root, "description", yamlText(fmt.Sprintf("templates learned from %d passing runs", len(src.Runs))))
	if len(rules) == 0 {
		list.Style = yaml.FlowStyle // rules: []
	}
	addYAML(root, "rules", list)
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(root); err != nil {
		return fmt.Errorf("writing the learned rules: %w", err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("writing the learned rules: %w", err)
	}
	if len(out) > 0 {
		fmt.Fprintf(&b, "# %d templates left out:\n", len(out))
		for i, o := range out {
			if i == maxLeftOutShown {
				fmt.Fprintf(&b, "#   and %d more\n", len(out)-i)
				break
			}
			if len(o) > 500 {
				o = strings.ToValidUTF8(o[:500], "") + "…"
			}
			fmt.Fprintf(&b, "#   %s\n", o)
		}
	}
	// The file must pass the check its users will run.
	f, err := patterns.Parse("learned rules", b.Bytes())
	if err == nil {
		_, err = patterns.Compile(f)
	}
	if err == nil && b.Len() > maxRuleFileSize {
		err = fmt.Errorf("%d bytes, more than %d", b.Len(), maxRuleFileSize)
	}
	if err != nil {
		return fmt.Errorf("writing the learned rules: the file written would be refused (a bug): %w", err)
	}
	_, err = w.Write(b.Bytes())
	return err
}

// ruleNode is a template rule in YAML.
func ruleNode(r patterns.Rule) *yaml.Node {
	m := &yaml.Node{Kind: yaml.MappingNode}
	addYAML(m, "kind", yamlText(string(r.Kind)))
	addYAML(m, "name", yamlText(r.Name))
	addYAML(m, "match", yamlText(r.Pattern))
	switch len(r.Keep) {
	case 0:
	case 1:
		addYAML(m, "keep", yamlList(r.Keep[0]))
	default:
		keep := &yaml.Node{Kind: yaml.SequenceNode}
		for _, in := range r.Keep {
			l := yamlList(in)
			l.Style = yaml.FlowStyle
			keep.Content = append(keep.Content, l)
		}
		addYAML(m, "keep", keep)
		m.Content[len(m.Content)-2].LineComment = "one list per field with a <*>, in order"
	}
	return m
}

// checkLearnedRule says why the rule check would refuse a learned rule.
func checkLearnedRule(r patterns.Rule) error {
	texts := []string{r.Pattern}
	for _, in := range r.Keep {
		texts = append(texts, in...)
	}
	for _, s := range texts {
		if !utf8.ValidString(s) {
			return errors.New("not valid UTF-8, which a rule file must be")
		}
	}
	_, err := patterns.Compile(&patterns.File{Name: "template", Rules: []patterns.Rule{r}})
	var perr *patterns.Error
	if errors.As(err, &perr) {
		return errors.New(perr.Reason)
	}
	return err
}

// learnedKeep writes the texts a template keeps as a rule's keep: none;
// one list, when every field with a <*> keeps the same texts (most
// templates have one such field); else one list per field. A text kept in
// one field is masked in another, so the lists must not be merged.
func learnedKeep(in [][]string) [][]string {
	same, any := true, false
	for _, l := range in {
		same = same && slices.Equal(l, in[0])
		any = any || len(l) > 0
	}
	switch {
	case !any:
		return nil
	case same:
		return in[:1]
	}
	return in
}

// learnedName names the rule of a template after its first words and a
// hash of its text, so that learning again gives the same names: a file
// learned later replaces the rules of the same templates. taken are the
// names given so far.
func learnedName(text string, taken map[string]bool) string {
	var words []string
	for rest := text; len(words) < 3 && rest != ""; {
		if rest[0] == '<' {
			// A placeholder (<num>, <*>) says nothing of the line.
			if j := strings.IndexByte(rest, '>'); j > 0 {
				rest = rest[j+1:]
				continue
			}
		}
		j := 0
		for j < len(rest) && isAlnum(rest[j]) {
			j++
		}
		if j == 0 {
			rest = rest[1:]
			continue
		}
		words = append(words, strings.ToLower(rest[:min(j, 12)]))
		rest = rest[j:]
	}
	h := fnv.New32a()
	h.Write([]byte(text))
	name := strings.Join(append([]string{"learned"}, words...), "-") + fmt.Sprintf("-%08x", h.Sum32())
	for n, base := 2, name; taken[name]; n++ {
		name = fmt.Sprintf("%s-%d", base, n)
	}
	return name
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// commentText writes s for a comment of the rule file: as it is when every
// character of it is printable, else quoted with Go's escapes.
func commentText(s string) string {
	for _, r := range s {
		if r == utf8.RuneError || !unicode.IsPrint(r) {
			return strconv.Quote(s)
		}
	}
	return s
}

// yamlList is a list of strings.
func yamlList(texts []string) *yaml.Node {
	l := &yaml.Node{Kind: yaml.SequenceNode}
	for _, t := range texts {
		l.Content = append(l.Content, yamlText(t))
	}
	return l
}

func addYAML(m *yaml.Node, key string, v *yaml.Node) {
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: key}, v)
}

// yamlText is a string node, quoted where YAML would read it as another
// type (null, true, 1).
func yamlText(s string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
}
