package patterns

import (
	"bytes"
	"iter"
	"strings"
)

// Template rules. Their match is a template of keys, as logdiff learns
// them from passing runs (logdiff normalize --learn): a key, the line after
// logdiff's built-in masking (<num>, <id>...), with <*> at the positions
// that vary. logdiff applies them to the key after its built-in masking
// (logdiff.NewTemplates says how a key fits); this file checks them and
// gives the prefilter that spares the keys no template can fit.
//
// A key is split into fields at spaces, and a field into words at the
// bytes of templateSeps; a <*> stands for one word, or for a whole field
// when it is one. The check refuses the templates that would silently
// never mask: a <*> glued to other text is no variable, a tab is in no
// key, and a template longer than logdiff looks at in a key (63 fields,
// 256 words and separators) never fits.

// templateSeps are the bytes that separate words inside a field of a key:
// logdiff's learnSep. They are written out here because patterns does not
// import logdiff; logdiff's TestTemplateRuleSeparators keeps them equal.
const templateSeps = "\t=:,;/\\\"'`()[]{}|@&?"

// Limits of logdiff's template learner: past them the rest of a key is one
// word that must match exactly.
const (
	templateMaxFields = 63
	templateMaxSubs   = 256
)

var isTemplateSep = func() (t [256]bool) {
	for i := 0; i < len(templateSeps); i++ {
		t[templateSeps[i]] = true
	}
	return t
}()

// compileTemplate checks a template rule and compiles its prefilter: the
// longest text between spaces and <*>, which every key the template fits
// holds.
func compileTemplate(r *Rule) (*compiled, *ruleError) {
	if r.Regexp {
		return nil, badf("match", "the match of a template rule is its template, a plain string (a key with <*> where it varies), not a regexp")
	}
	text := r.Pattern
	if !strings.Contains(text, "<*>") {
		return nil, badf("match", "template %q has no <*>: a template rule masks the words or fields marked <*>", text)
	}
	if strings.IndexByte(text, '\t') >= 0 {
		return nil, badf("match", "template %q holds a tab: keys have none (logdiff folds white space into one space)", text)
	}
	fields, subs, literal, vars := 0, 0, false, 0
	for f := range keyFields(text) {
		fields++
		if strings.Contains(f, "<*>") {
			vars++
		}
		for i := 0; i < len(f); {
			j := i + 1
			if !isTemplateSep[f[i]] {
				for j < len(f) && !isTemplateSep[f[j]] {
					j++
				}
				w := f[i:j]
				if strings.Contains(w, "<*>") && w != "<*>" {
					return nil, badf("match", "template %q: the <*> in %q is part of a word, so it would stand for itself: a variable <*> stands alone between spaces or the separators %s", text, w, sepList())
				}
				literal = literal || w != "<*>" && hasWordChar(w)
			}
			subs++
			i = j
		}
	}
	switch {
	case !literal:
		return nil, badf("match", "template %q has no word besides placeholders (<*>, <num>...): it would fit far too many keys", text)
	case fields > templateMaxFields:
		return nil, badf("match", "template %q has %d fields: logdiff's templates have at most %d (separated by spaces)", text, fields, templateMaxFields)
	case subs > templateMaxSubs:
		return nil, badf("match", "template %q has %d words and separators: logdiff's templates have at most %d", text, subs, templateMaxSubs)
	}
	if len(r.Keep) > 1 && len(r.Keep) != vars {
		return nil, badf("keep", "keep has %d lists and template %q %d fields with a <*>: give one list of texts for every field, or one list per field", len(r.Keep), text, vars)
	}
	n := 0
	for _, list := range r.Keep {
		if n += len(list); n > maxKeep {
			return nil, badf("keep", "keep has more than %d texts", maxKeep)
		}
		for _, k := range list {
			if len(k) > maxTextLen {
				return nil, badf("keep", "kept text %q... is longer than %d bytes", k[:40], maxTextLen)
			}
			if k == "" || strings.IndexByte(k, ' ') >= 0 || strings.IndexByte(k, '\t') >= 0 {
				return nil, badf("keep", "kept text %q is empty or holds white space: a kept text is one field of a key, the whole text a <*> field stands for", k)
			}
		}
	}
	// The prefilter: every key the template fits holds each of its texts
	// between spaces and placeholders (placeholders are common in keys, so
	// they are left out). The matcher looks for one, the longest up to 10
	// bytes (its stride grows with the shortest literal of all the rules),
	// the rarest of those by the measure regexp rules are prefiltered by;
	// MayFitTemplate checks the others on the keys it lets through.
	c := &compiled{rule: r}
	var best lit
	for f := range keyFields(text) {
		for _, piece := range splitPlaceholders(f) {
			c.pieces = append(c.pieces, []byte(piece))
			l := lit{s: piece}
			if n, m := min(len(l.s), 10), min(len(best.s), 10); n > m || n == m && litScore(l) > litScore(best) {
				best = l
			}
		}
	}
	c.literals = []lit{best}
	return c, nil
}

// splitPlaceholders returns the texts of a field between its placeholders
// (<*>, <num>, <session>...), the empty ones left out.
func splitPlaceholders(f string) []string {
	var out []string
	start := 0
	for i := 0; i < len(f); i++ {
		if f[i] != '<' {
			continue
		}
		j := i + 1
		for j < len(f) && (f[j] == '*' || 'a' <= f[j] && f[j] <= 'z' || 'A' <= f[j] && f[j] <= 'Z' || f[j] == '_') {
			j++
		}
		if j == i+1 || j == len(f) || f[j] != '>' {
			continue
		}
		if i > start {
			out = append(out, f[start:i])
		}
		start, i = j+1, j
	}
	if start < len(f) {
		out = append(out, f[start:])
	}
	return out
}

// keyFields yields the fields of a key: its texts between spaces. Only
// the space separates them: logdiff folds every other white space of a
// line into it.
func keyFields(key string) iter.Seq[string] {
	return func(yield func(string) bool) {
		for f := range strings.SplitSeq(key, " ") {
			if f != "" && !yield(f) {
				return
			}
		}
	}
}

// hasWordChar reports whether w has a letter or digit outside the
// placeholders (<num>, <id>, <session>...) it holds.
func hasWordChar(w string) bool {
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c == '<' {
			if j := strings.IndexByte(w[i:], '>'); j > 0 {
				i += j
				continue
			}
		}
		if c >= 0x80 || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
			return true
		}
	}
	return false
}

// sepList writes the separators for an error message.
func sepList() string {
	var b strings.Builder
	for i := 0; i < len(templateSeps); i++ {
		if templateSeps[i] == '\t' {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteByte(templateSeps[i])
	}
	return b.String()
}

// Templates yields the template of each template rule and the texts it
// keeps (Rule.Keep), in precedence order (logdiff.TemplateRules).
func (s *Set) Templates() iter.Seq2[string, [][]string] {
	return func(yield func(string, [][]string) bool) {
		for _, c := range s.template.rules {
			if !yield(c.rule.Pattern, c.rule.Keep) {
				return
			}
		}
	}
}

// MayFitTemplate reports whether key holds every text of some template
// rule besides its placeholders: for a key that does not, no template fits
// (logdiff.TemplateRules). It looks at the key once for the prefilter
// texts of all the rules (see matcher), then for the other texts of those
// whose prefilter text it holds.
func (s *Set) MayFitTemplate(key []byte) bool {
	m := s.template
	if len(m.rules) == 0 {
		return false
	}
	var c cands
	if !m.scan(key, &c) {
		return false
	}
next:
	for i := c.next(0); i >= 0; i = c.next(i + 1) {
		for _, p := range m.rules[i].pieces {
			if !bytes.Contains(key, p) {
				continue next
			}
		}
		return true
	}
	return false
}
