package patterns

import (
	"bytes"
	"errors"
	"fmt"
	mbits "math/bits"
	"slices"
	"strconv"
	"strings"
)

// maxStrips bounds how many prefixes Strip removes from one line.
const maxStrips = 8

// Limits on the rules of one kind in a Set, counted apart for the user's
// files and for the built-in packs, so that a pack that grows never makes a
// user's file too big, and an error can say what counts. Together they fit
// the fixed-size candidate sets (cands) and, for strip rules, the 64-bit
// mask of first bytes.
const (
	maxUserKindRules  = 1024
	maxPackKindRules  = 128
	maxKindRules      = maxUserKindRules + maxPackKindRules
	maxStripRules     = 64
	maxPackStripRules = 8
	maxUserStripRules = maxStripRules - maxPackStripRules
)

// Set is a compiled set of rules. It is immutable and safe for concurrent use.
//
// Rules from later files take precedence: they are tried first; within a file,
// from top to bottom. Strip tries the strip rules in that order at the start
// of the line, removes the first prefix that matches and starts again, at most
// 8 times. Mask applies every mask rule in that order, each to the result of
// the ones before. Signature and Hint answer with the first rule that matches.
// Ignore, Signature and Hint expect the line Strip returned (patterns of the
// packs do not expect the prefixes that strip rules remove), not masked.
// Template rules are not applied here: Templates gives them to logdiff,
// which masks keys with them, and MayFitTemplate is their prefilter.
//
// The methods that take a line do not allocate unless a rule applies. Each
// one looks at the line once for the literals of its kind's rules (see
// matcher) and at its first and last bytes for rules anchored there; only
// rules whose literals or anchors are there run their regexps. Regexps are
// Go's (RE2): linear in the length of the line.
type Set struct {
	rules     []Rule // effective rules, in the order of the files
	strip     []*compiled
	stripByte [256]uint64 // bit i: strip rule i can start with this byte
	mask      *matcher
	ignore    *matcher
	// rewrite holds the ignore rules, then the mask rules, for MaskLine:
	// nil when they are too many for one matcher.
	rewrite   *matcher
	signature *matcher
	hint      *matcher
	template  *matcher // template rules, by the prefilter text of each
}

// Compile checks and compiles rules. A rule with a Name replaces the rule of
// the same Name in an earlier file (whatever their kinds); a Disabled rule
// only removes it. Any invalid rule fails the whole Set, and the error names
// the file and line of every bad rule.
func Compile(files ...*File) (*Set, error) {
	type entry struct {
		rule Rule
		file int
		c    *compiled
	}
	var (
		list   []*entry
		byName = map[string]*entry{}
		errs   []error
	)
	for fi, f := range files {
		if f == nil {
			continue
		}
		seen := map[string]string{} // name -> source, within this file
		for i := range f.Rules {
			r := f.Rules[i]
			if r.Source == "" {
				r.Source = f.Name + ":rule " + strconv.Itoa(i+1)
			}
			if r.Name != "" {
				if prev, dup := seen[r.Name]; dup {
					errs = append(errs, sourceError(r.Source, fmt.Sprintf("duplicate name %q (first at %s)", r.Name, prev)))
					continue
				}
				seen[r.Name] = r.Source
				if old := byName[r.Name]; old != nil {
					old.c = nil // replaced or disabled
					delete(byName, r.Name)
				}
			}
			if r.Disabled {
				if r.Name == "" {
					errs = append(errs, sourceError(r.Source, "a disabled rule needs a name: it removes the earlier rule of that name"))
				}
				continue
			}
			c, err := compileRule(&r)
			if err != nil {
				errs = append(errs, sourceError(r.Source, err.msg))
				continue
			}
			c.prepare()
			e := &entry{rule: r, file: fi, c: c}
			c.rule = &e.rule
			list = append(list, e)
			if r.Name != "" {
				byName[r.Name] = e
			}
		}
	}
	if len(errs) > 0 {
		return nil, joinErrors(errs)
	}
	s := &Set{}
	// Precedence: later files first, then file order.
	byKind := map[Kind][]*compiled{}
	for fi := len(files) - 1; fi >= 0; fi-- {
		for _, e := range list {
			if e.file == fi && e.c != nil {
				byKind[e.rule.Kind] = append(byKind[e.rule.Kind], e.c)
			}
		}
	}
	for _, e := range list {
		if e.c != nil {
			r := e.rule
			r.Prefilter = e.c.prefilter()
			s.rules = append(s.rules, r)
		}
	}
	for _, k := range []Kind{Strip, Mask, Ignore, Signature, Hint, Template} {
		if err := checkCount(k, byKind[k]); err != nil {
			return nil, err
		}
	}
	s.strip = byKind[Strip]
	for i, c := range s.strip {
		for b, ok := range c.first {
			if ok {
				s.stripByte[b] |= 1 << i
			}
		}
	}
	s.mask = newMatcher(byKind[Mask])
	s.ignore = newMatcher(byKind[Ignore])
	if both := len(byKind[Ignore]) + len(byKind[Mask]); both > 0 && both <= maxKindRules {
		s.rewrite = newMatcher(append(slices.Clip(byKind[Ignore]), byKind[Mask]...))
		if len(s.rewrite.starts)+len(s.rewrite.ends) < len(s.ignore.starts)+len(s.ignore.ends)+len(s.mask.starts)+len(s.mask.ends) {
			s.rewrite = nil // more anchored rules than one matcher indexes: they would run on every line
		}
	}
	s.signature = newMatcher(byKind[Signature])
	s.hint = newMatcher(byKind[Hint])
	s.template = newMatcher(byKind[Template])
	if err := s.checkPlaceholders(); err != nil {
		return nil, err
	}
	return s, nil
}

// checkPlaceholders refuses mask rules whose placeholder another mask rule
// rewrites: masking would then not be idempotent.
func (s *Set) checkPlaceholders() error {
	var errs []error
	for _, c := range s.mask.rules {
		t := []byte(c.literalText())
		if len(t) == 0 {
			continue
		}
		for _, o := range s.mask.rules {
			if o != c && o.rewrites(t) {
				errs = append(errs, sourceError(c.rule.Source, fmt.Sprintf("replace %q is changed by the mask rule at %s, so masking a line twice would change it again", c.text, o.rule.Source)))
				break
			}
		}
	}
	if len(errs) > 0 {
		return joinErrors(errs)
	}
	return nil
}

// sourceError makes an *Error from a "file:line" source.
func sourceError(source, reason string) error {
	if i := strings.LastIndexByte(source, ':'); i > 0 {
		if n, err := strconv.Atoi(source[i+1:]); err == nil {
			return &Error{File: source[:i], Line: n, Reason: reason}
		}
	}
	return &Error{File: source, Reason: reason}
}

func joinErrors(errs []error) error {
	if len(errs) == 1 {
		return errs[0]
	}
	if len(errs) > maxErrorsShown {
		errs = append(errs[:maxErrorsShown:maxErrorsShown], fmt.Errorf("%d more errors", len(errs)-maxErrorsShown))
	}
	return errors.Join(errs...)
}

// Rules returns the rules of the Set in the order of their files, with
// Prefilter set.
func (s *Set) Rules() []Rule {
	out := make([]Rule, len(s.rules))
	for i, r := range s.rules {
		r.Prefilter = append([]string(nil), r.Prefilter...)
		out[i] = r
	}
	return out
}

// Strip removes the prefixes strip rules match at the start of line and
// returns the rest of line.
func (s *Set) Strip(line []byte) []byte {
	for n := 0; n < maxStrips && len(line) > 0; n++ {
		cand := s.stripByte[line[0]]
		if cand == 0 {
			break
		}
		stripped := false
		// The candidates only, in order: a line's first byte leaves one or
		// two of the rules.
		for ; cand != 0; cand &= cand - 1 {
			c := s.strip[mbits.TrailingZeros64(cand)]
			if c.re == nil {
				if bytes.HasPrefix(line, c.lit) {
					line, stripped = line[len(c.lit):], true
					break
				}
			} else if c.whole != nil {
				if n := len(c.whole); n <= len(line) && fitsAll(c.whole, line) {
					line, stripped = line[n:], true
					break
				}
			} else if !c.fits(line) || !c.mayMatch(line) {
				continue
			} else if m := c.re.Find(line); m != nil {
				// The pattern is anchored: the match starts at 0.
				line, stripped = line[len(m):], true
				break
			}
		}
		if !stripped {
			break
		}
	}
	return line
}

// fitsAll reports whether line starts with bytes of the sets.
func fitsAll(sets []*[256]bool, line []byte) bool {
	for i, set := range sets {
		if !set[line[i]] {
			return false
		}
	}
	return true
}

// Mask appends line to dst with the mask rules applied.
func (s *Set) Mask(dst, line []byte) []byte {
	m := s.mask
	if len(m.rules) == 0 {
		return append(dst, line...)
	}
	var c cands
	if !m.scan(line, &c) {
		return append(dst, line...)
	}
	out, changed := s.maskCands(dst, line, &c)
	if !changed {
		return append(dst, line...)
	}
	return out
}

// MaskLine does what Ignore and then Mask do, looking at the line once for
// the literals of both kinds of rules: it reports whether an ignore rule
// matches line (ignored; out is then dst), and otherwise appends line with
// the mask rules applied to dst when one changes it (changed). When none
// does, out is dst as it was: the line is its own result, and is not
// copied. line is what Strip returned.
func (s *Set) MaskLine(dst, line []byte) (out []byte, changed, ignored bool) {
	// Every return leaves dst as it was unless a rule changed the line:
	// the caller keeps out (a buffer append may have grown) only then.
	m := s.rewrite
	if m == nil { // no rules, or too many for one matcher
		if s.Ignore(line) {
			return dst, false, true
		}
		var c cands
		if len(s.mask.rules) == 0 || !s.mask.scan(line, &c) {
			return dst, false, false
		}
		out, changed = s.maskCands(dst, line, &c)
		return out, changed, false
	}
	var c cands
	if !m.scan(line, &c) {
		return dst, false, false
	}
	n := len(s.ignore.rules)
	for i := c.next(0); i >= 0 && i < n; i = c.next(i + 1) {
		r := m.rules[i]
		// A literal rule is its prefilter: being a candidate is a match.
		if r.re == nil || r.mayMatch(line) && r.re.Match(line) {
			return dst, false, true
		}
	}
	mc := c.from(n)
	if mc.next(0) < 0 {
		return dst, false, false
	}
	out, changed = s.maskCands(dst, line, &mc)
	return out, changed, false
}

// maskCands appends line to dst with the mask rules applied, starting from
// the candidates c that the mask matcher (or MaskLine's) found in line, and
// reports whether any applied; if none did, out is dst as it was.
func (s *Set) maskCands(dst, line []byte, c *cands) (out []byte, changed bool) {
	m := s.mask
	// The first rule that applies writes into dst; any later one into tmp,
	// whose result is then copied back.
	start, cur := len(dst), line
	var tmp []byte
	for i := c.next(0); i >= 0; i = c.next(i + 1) {
		r := m.rules[i]
		if !r.mayMatch(cur) {
			continue
		}
		if !changed {
			out, ok := r.mask(dst, line)
			if !ok {
				continue
			}
			dst = out
		} else {
			out, ok := r.mask(tmp[:0], cur)
			if !ok {
				continue
			}
			tmp = out
			dst = append(dst[:start], out...)
		}
		cur, changed = dst[start:], true
		// The line has changed: the rules after this one look for their
		// literals in the new text.
		*c = cands{}
		m.scan(cur, c)
	}
	return dst, changed
}

// checkCount refuses more rules of kind k than a Set holds: the user's
// files and the built-in packs each have their own limit.
func checkCount(k Kind, rules []*compiled) error {
	maxUser, maxPack := maxUserKindRules, maxPackKindRules
	if k == Strip {
		maxUser, maxPack = maxUserStripRules, maxPackStripRules
	}
	user, pack := 0, 0
	for _, c := range rules {
		if c.rule.Pack != "" {
			pack++
		} else {
			user++
		}
	}
	if user > maxUser {
		return fmt.Errorf("too many %s rules in the rule files: %d, at most %d (the built-in packs' rules are not counted)", k, user, maxUser)
	}
	if pack > maxPack {
		return fmt.Errorf("too many %s rules in the built-in packs: %d, at most %d", k, pack, maxPack)
	}
	return nil
}

// mask appends line to dst with every match of the rule replaced, and reports
// whether there was a match.
func (c *compiled) mask(dst, line []byte) ([]byte, bool) {
	if c.re == nil {
		lit := c.lit
		i := bytes.Index(line, lit)
		if i < 0 {
			return dst, false
		}
		for i >= 0 {
			dst = append(dst, line[:i]...)
			dst = append(dst, c.text...)
			line = line[i+len(lit):]
			i = bytes.Index(line, lit)
		}
		return append(dst, line...), true
	}
	ms := c.re.FindAllSubmatchIndex(line, -1) // no allocation without a match
	if ms == nil {
		return dst, false
	}
	last := 0
	for _, m := range ms {
		dst = append(dst, line[last:m[0]]...)
		if c.expand {
			dst = c.re.Expand(dst, c.template, line, m)
		} else {
			dst = append(dst, c.text...)
		}
		last = m[1]
	}
	return append(dst, line[last:]...), true
}

// Ignore reports whether an ignore rule matches line: the line never counts.
func (s *Set) Ignore(line []byte) bool {
	return s.ignore.first(line) >= 0
}

// Signature returns the weight of the first signature rule that matches line.
func (s *Set) Signature(line []byte) (weight float64, ok bool) {
	i := s.signature.first(line)
	if i < 0 {
		return 0, false
	}
	return s.signature.rules[i].weight, true
}

// Hint returns the sentence of the first hint rule that matches line, with
// the groups it refers to filled in.
func (s *Set) Hint(line []byte) (hint string, ok bool) {
	i := s.hint.first(line)
	if i < 0 {
		return "", false
	}
	c := s.hint.rules[i]
	if !c.expand {
		return c.text, true
	}
	return string(c.re.Expand(nil, c.template, line, c.re.FindSubmatchIndex(line))), true
}

// first returns the index of the first rule that matches line, or -1.
func (m *matcher) first(line []byte) int {
	if len(m.rules) == 0 {
		return -1
	}
	var c cands
	if !m.scan(line, &c) {
		return -1
	}
	for i := c.next(0); i >= 0; i = c.next(i + 1) {
		r := m.rules[i]
		// A literal rule is its prefilter: being a candidate is a match.
		if r.re == nil || r.mayMatch(line) && r.re.Match(line) {
			return i
		}
	}
	return -1
}
