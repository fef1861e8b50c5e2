package patterns

import (
	"bytes"
	"fmt"
	"math"
	"regexp"
	"regexp/syntax"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// compiled is a rule ready to run.
type compiled struct {
	rule *Rule
	lit  []byte         // the pattern of a literal rule
	re   *regexp.Regexp // the pattern of a regexp rule; anchored for strip rules
	tree *syntax.Regexp // re's parse, simplified, until prepare has used it
	// text is the replacement of a mask or the sentence of a hint; expand says
	// that it refers to groups of re.
	text     string
	template []byte // text, for regexp.Expand
	expand   bool
	weight   float64
	// literals is the prefilter: a line must contain one of them (ASCII case
	// folded where fold says so) before the pattern can match. nil: no
	// prefilter, the pattern runs on every line.
	literals []lit
	// first, if set, lists the bytes a pattern anchored at the start of the
	// line can start with; last, those a pattern anchored at the end can end
	// with. Rules without good literals use them instead.
	first, last *[256]bool
	// head (tail) are the bytes that can stand at positions 1, 2, ... from
	// the start (end) of the line, for rules prefiltered by first (last).
	head, tail []*[256]bool
	// musts are further sets of strings a line must contain one of each
	// before the regexp runs (requiredSets), rarest first; checked after the
	// prefilter has let the line through.
	musts [][]needle
	// whole, if set, are the bytes of every position of a strip pattern
	// that has a fixed length (wholeBytes): it is matched without regexp.
	whole []*[256]bool
	// pieces are, for a template rule, the texts every key it fits holds.
	pieces [][]byte
}

// ruleError is a problem with one field of a rule.
type ruleError struct {
	field string // "match", "replace", "hint", ...
	msg   string
}

func badf(field, format string, args ...any) *ruleError {
	return &ruleError{field: field, msg: fmt.Sprintf(format, args...)}
}

// compileRule checks a rule and compiles it. It is the one place that decides
// whether a rule is valid, for rules parsed from YAML and for rules built in Go.
func compileRule(r *Rule) (*compiled, *ruleError) {
	if !validKind(r.Kind) {
		return nil, badf("kind", "unknown kind %q (known: %s)", r.Kind, knownKinds)
	}
	if r.Name != "" && (!validName(r.Name) || len(r.Name) > maxNameLen) {
		return nil, badf("name", "invalid name %q: use letters, digits, '-', '_' and '.', starting with a letter or digit", r.Name)
	}
	switch {
	case r.Pattern == "":
		return nil, badf("match", "match is empty")
	case len(r.Pattern) > maxPatternLen:
		return nil, badf("match", "match is longer than %d bytes", maxPatternLen)
	case strings.ContainsAny(r.Pattern, "\r\n") && !r.Regexp:
		return nil, badf("match", "match spans several lines: logdiff matches one line at a time")
	case r.Kind != Mask && r.Replace != "":
		return nil, badf("replace", "field replace is only for mask rules, not %s rules", r.Kind)
	case r.Kind != Hint && r.Hint != "":
		return nil, badf("hint", "field hint is only for hint rules, not %s rules", r.Kind)
	case r.Kind == Hint && r.Hint == "":
		return nil, badf("hint", "missing field hint: a hint rule needs the sentence to show")
	case r.Kind != Template && r.Keep != nil:
		return nil, badf("keep", "field keep is only for template rules, not %s rules", r.Kind)
	case r.Kind == Template:
		return compileTemplate(r)
	}
	c := &compiled{rule: r, weight: r.Weight}
	if r.Kind == Signature {
		if c.weight == 0 {
			c.weight = 1
		}
		if math.IsNaN(c.weight) || c.weight <= 0 || c.weight > 100 {
			return nil, badf("weight", "weight must be a number greater than 0 and at most 100, found %v", r.Weight)
		}
	}
	if !r.Regexp {
		c.lit = []byte(r.Pattern)
		c.literals = []lit{{s: r.Pattern}}
		if r.Kind == Strip {
			c.first = new([256]bool)
			c.first[r.Pattern[0]] = true
		}
	} else if err := c.compileRegexp(r); err != nil {
		return nil, err
	}
	switch r.Kind {
	case Mask:
		if err := c.setText("replace", r.Replace); err != nil {
			return nil, err
		}
		if err := c.checkPlaceholder(); err != nil {
			return nil, err
		}
	case Hint:
		if err := c.setText("hint", r.Hint); err != nil {
			return nil, err
		}
	}
	return c, nil
}

func (c *compiled) compileRegexp(r *Rule) *ruleError {
	expr := r.Pattern
	if r.Kind == Strip {
		// Strip patterns are anchored at the start of the line whether or
		// not they say so.
		expr = `^(?:` + expr + `)`
	}
	// Go's regexp package parses with syntax.Perl; parsing here as well gives
	// the tree the prefilter is computed from.
	tree, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return badf("match", "invalid regexp: %s", strings.TrimPrefix(err.Error(), "error parsing regexp: "))
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		return badf("match", "invalid regexp: %s", strings.TrimPrefix(err.Error(), "error parsing regexp: "))
	}
	tree = tree.Simplify()
	if (r.Kind == Mask || r.Kind == Strip) && minLen(tree) == 0 {
		what := "would write its placeholder between characters"
		if r.Kind == Strip {
			what = "would strip nothing"
		}
		return badf("match", "a %s pattern must not match the empty string (%q can): it %s", r.Kind, r.Pattern, what)
	}
	c.re, c.tree = re, tree
	return nil
}

// prepare computes the prefilter of a compiled rule: the literals or anchors
// that select the lines its regexp runs on, and the musts. Parse, which
// compiles rules only to check them, leaves it out.
func (c *compiled) prepare() {
	tree := c.tree
	if tree == nil {
		return // a literal rule: its pattern is its prefilter
	}
	c.tree = nil
	lits, musts := prefilterLiterals(tree)
	c.literals = lits
	if c.rule.Kind == Strip {
		c.whole = wholeBytes(tree)
		c.first = firstBytes(tree)
		if h := fixedBytes(tree, false); len(h) > 1 {
			c.head = h[1:]
		}
		// Strip checks its rules one by one: every required set is a must.
		c.literals = nil
		c.setMusts(musts)
		return
	}
	c.choosePrefilter(tree)
	c.setMusts(musts)
}

// setMusts sets c.musts to the required sets, but for the set the prefilter
// already looks for.
func (c *compiled) setMusts(sets [][]lit) {
	for _, set := range sets {
		if slices.Equal(set, c.literals) {
			continue
		}
		ns := make([]needle, len(set))
		for i, l := range set {
			ns[i] = needle{b: []byte(l.s), fold: l.fold}
		}
		c.musts = append(c.musts, ns)
	}
}

// mayMatch reports whether line holds a string of every set of c.musts: if
// not, the regexp cannot match it.
func (c *compiled) mayMatch(line []byte) bool {
	for _, set := range c.musts {
		if !containsAny(line, set) {
			return false
		}
	}
	return true
}

// setText checks the template of a mask or hint and stores it.
func (c *compiled) setText(field, text string) *ruleError {
	c.text, c.template = text, []byte(text)
	if c.re == nil || !strings.Contains(text, "$") {
		return nil
	}
	for rest := text; ; {
		i := strings.IndexByte(rest, '$')
		if i < 0 {
			break
		}
		rest = rest[i+1:]
		if strings.HasPrefix(rest, "$") {
			rest = rest[1:]
			continue
		}
		name, n, ok := groupRef(rest)
		if !ok {
			return badf(field, "%s has a $ that names no group: write $$ for a dollar sign, $1 or ${name} for a group", field)
		}
		rest = rest[n:]
		if !c.hasGroup(name) {
			return badf(field, "%s refers to $%s, but the regexp has no group %s (write ${1}x, not $1x, before letters or digits; $$ for a dollar sign)", field, name, name)
		}
	}
	c.expand = true
	return nil
}

// groupRef reads a group reference after '$' as regexp.Expand does: a name
// of letters, digits and '_', or the same in braces.
func groupRef(s string) (name string, n int, ok bool) {
	brace := strings.HasPrefix(s, "{")
	if brace {
		s = s[1:]
	}
	i := 0
	for i < len(s) && (s[i] == '_' || s[i] < 0x80 && (unicode.IsLetter(rune(s[i])) || unicode.IsDigit(rune(s[i])))) {
		i++
	}
	if i == 0 {
		return "", 0, false
	}
	name, n = s[:i], i
	if brace {
		if i >= len(s) || s[i] != '}' {
			return "", 0, false
		}
		n += 2
	}
	return name, n, true
}

func (c *compiled) hasGroup(name string) bool {
	if n, err := strconv.Atoi(name); err == nil {
		return n >= 0 && n <= c.re.NumSubexp()
	}
	return c.re.SubexpIndex(name) >= 0
}

// literalText is the template with group references left out: the part of
// a placeholder the rule itself writes.
func (c *compiled) literalText() string {
	if !c.expand {
		return c.text
	}
	var b strings.Builder
	for rest := c.text; rest != ""; {
		i := strings.IndexByte(rest, '$')
		if i < 0 {
			b.WriteString(rest)
			break
		}
		b.WriteString(rest[:i])
		rest = rest[i+1:]
		if strings.HasPrefix(rest, "$") {
			b.WriteByte('$')
			rest = rest[1:]
			continue
		}
		_, n, _ := groupRef(rest)
		rest = rest[n:]
	}
	return b.String()
}

// checkPlaceholder refuses placeholders that would make masking change its
// own output or that the normalizer would mask again.
func (c *compiled) checkPlaceholder() *ruleError {
	t := c.literalText()
	for _, r := range t {
		if unicode.IsDigit(r) {
			return badf("replace", "replace %q contains a digit: logdiff masks numbers after the mask rules, so a placeholder must have none (use <session>, not <id1>)", c.text)
		}
	}
	if c.rewrites([]byte(t)) {
		return badf("replace", "replace %q is changed by the rule's own pattern, so masking a line twice would change it again", c.text)
	}
	return nil
}

// rewrites reports whether masking text with the rule changes it.
func (c *compiled) rewrites(text []byte) bool {
	out, ok := c.mask(nil, text)
	return ok && !bytes.Equal(out, text)
}

// matches reports whether the rule's pattern occurs in line.
func (c *compiled) matches(line []byte) bool {
	if c.re != nil {
		return c.re.Match(line)
	}
	return bytes.Contains(line, c.lit)
}

// minLen returns the length in bytes of the shortest text re can match.
func minLen(re *syntax.Regexp) int {
	switch re.Op {
	case syntax.OpLiteral:
		n := 0
		for _, r := range re.Rune {
			n += len(string(r))
		}
		return n
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return 1
	case syntax.OpCapture, syntax.OpPlus:
		return minLen(re.Sub[0])
	case syntax.OpRepeat:
		return re.Min * minLen(re.Sub[0])
	case syntax.OpConcat:
		n := 0
		for _, s := range re.Sub {
			n += minLen(s)
		}
		return n
	case syntax.OpAlternate:
		n := -1
		for _, s := range re.Sub {
			if m := minLen(s); n < 0 || m < n {
				n = m
			}
		}
		return max(n, 0)
	case syntax.OpNoMatch:
		return 1 // never matches, so never matches empty
	}
	// Empty-width assertions, empty match, star and quest.
	return 0
}
