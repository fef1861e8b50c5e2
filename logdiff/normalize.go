package logdiff

import (
	"hash/maphash"
	"iter"
	"sync"
)

// Rules is what the normalizer asks of a rule set (patterns.Set satisfies
// it): user strip prefixes and masks, and lines that never count. Its
// methods must be safe for concurrent use.
type Rules interface {
	Strip(line []byte) []byte
	Mask(dst, line []byte) []byte
	Ignore(line []byte) bool
}

// TemplateRules is what the normalizer asks of a rule set that may hold
// templates of keys (patterns.Set, rules of kind template): unlike masks,
// which rewrite the line before the built-in masking, they rewrite the key
// after it, as learned templates do (NewTemplates). Its methods must be
// safe for concurrent use.
type TemplateRules interface {
	// Templates yields the text of each template (a key with <*> at its
	// variable positions) and the texts its variable fields keep: one
	// list for every field that holds a <*>, or one list per such field
	// (Template.KeptIn).
	Templates() iter.Seq2[string, [][]string]
	// MayFitTemplate is a prefilter: it may report false only for a key
	// that no template fits (one that lacks a text of each template).
	MayFitTemplate(key []byte) bool
}

// Normalizer turns a line as shown into its comparison key: leading
// timestamps and log headers removed, volatile tokens masked, runs of white
// space folded. A Normalizer is immutable and safe for concurrent use; the
// caller passes the buffer the key is appended to.
type Normalizer struct {
	rules Rules
	// tmpl are the rules' templates, nil when they have none: the key of
	// a line that mayFit lets through is masked with them.
	tmpl   *Templates
	mayFit func(key []byte) bool
	lines  lineMasker // rules, when they can ignore and mask in one look
}

// lineMasker is a Rules that also does Ignore and then Mask in one look at
// a line (patterns.Set does): it returns dst as it was when the line is
// ignored or unchanged, which saves copying it.
type lineMasker interface {
	MaskLine(dst, line []byte) (out []byte, changed, ignored bool)
}

// NewNormalizer returns a normalizer that applies rules (nil for none)
// between the built-in prefix stripping and the built-in token masking,
// and, if rules is also TemplateRules and holds templates, the templates
// to the key the built-in masking made.
func NewNormalizer(rules Rules) *Normalizer {
	n := &Normalizer{rules: rules}
	if tr, ok := rules.(TemplateRules); ok {
		var ts []Template
		for text, keep := range tr.Templates() {
			ts = append(ts, Template{Text: text, KeptIn: keep})
		}
		if len(ts) > 0 {
			n.tmpl, n.mayFit = NewTemplates(ts), tr.MayFitTemplate
		}
	}
	n.lines, _ = rules.(lineMasker)
	return n
}

// maskBufs hold the output of rule masks until the built-in masker has read it.
var maskBufs = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

// Key appends the key of line to dst and reports whether the line counts:
// blank lines and lines a rule ignores do not.
func (n *Normalizer) Key(dst, line []byte) ([]byte, bool) {
	return n.keyOf(dst, n.Stripped(line))
}

// keyOf is Key of a line that Stripped has stripped: body. When it reports
// false, it appended nothing to dst.
func (n *Normalizer) keyOf(dst, body []byte) ([]byte, bool) {
	if n != nil && n.rules != nil {
		// Rules are written for the line without its timestamps.
		if n.lines != nil {
			buf := maskBufs.Get().(*[]byte)
			defer maskBufs.Put(buf)
			out, changed, ignored := n.lines.MaskLine((*buf)[:0], body)
			if ignored {
				return dst, false
			}
			if changed {
				*buf, body = out, out
			}
		} else {
			if n.rules.Ignore(body) {
				return dst, false
			}
			buf := maskBufs.Get().(*[]byte)
			defer maskBufs.Put(buf)
			*buf = n.rules.Mask((*buf)[:0], body)
			body = *buf
		}
	}
	start := len(dst)
	dst = maskTokens(dst, body)
	if k := dst[start:]; string(k) == phProgress || string(k) == "S" {
		// A line of test-runner progress marks: how many there are
		// depends on parallelism, never on the outcome.
		return dst[:start], false
	}
	if n != nil && n.tmpl != nil {
		dst = n.maskKey(dst, start)
	}
	return dst, len(dst) > start
}

// maskKey masks the key dst[start:] with the rules' templates. It is a
// function of its own so that Key, without templates, stays as lean as
// it was.
func (n *Normalizer) maskKey(dst []byte, start int) []byte {
	key := dst[start:]
	if len(key) == 0 || !n.tmpl.fieldsMayFit(key) || !n.mayFit(key) {
		return dst
	}
	buf := maskBufs.Get().(*[]byte)
	var ok bool
	if *buf, ok = n.tmpl.Mask((*buf)[:0], key); ok {
		dst = append(dst[:start], *buf...)
	}
	maskBufs.Put(buf)
	return dst
}

// Stripped returns line without its timestamps and log headers, built-in
// and from rules: what ignore, signature and hint rules are matched against.
func (n *Normalizer) Stripped(line []byte) []byte {
	body := stripPrefixes(line)
	if n != nil && n.rules != nil {
		body = n.rules.Strip(body)
	}
	return body
}

// keyCache remembers the keys of recent line bodies (lines without their
// timestamps and headers), in slots chosen by a hash of the body: about a
// third of the text of a real CI log repeats a recent line once its
// timestamps are gone (a build's "Entering directory", a compiler's
// banners, test runners' status lines), and a key found costs a hash and a
// compare instead of the rules and the masking. A key is a function of the
// body alone, so what the cache gives is what Key would. One read owns a
// cache: it is not safe for concurrent use.
type keyCache struct {
	seed  maphash.Seed
	slots []keySlot
}

// keySlot holds a body and its key, one after the other in text.
type keySlot struct {
	text  []byte
	nBody int
	ok    bool
}

const (
	keyCacheSlots = 1024 // a power of two; 28% of the bytes of the bench pair hit (29% with 4096 slots, 31% could)
	// Longer bodies, and keys longer than twice that, are not kept: long
	// lines seldom repeat, and it bounds the cache to 1.5 MB.
	keyCacheMaxBody = 512
)

// newKeyCache returns a cache of slots slots, a power of two.
func newKeyCache(slots int) *keyCache {
	return &keyCache{seed: maphash.MakeSeed(), slots: make([]keySlot, slots)}
}

// key is n.Key(dst, line), looked up in c first and kept there after.
func (c *keyCache) key(n *Normalizer, dst, line []byte) ([]byte, bool) {
	body := n.Stripped(line)
	if len(body) > keyCacheMaxBody {
		return n.keyOf(dst, body)
	}
	s := &c.slots[maphash.Bytes(c.seed, body)&uint64(len(c.slots)-1)]
	if s.text != nil && string(s.text[:s.nBody]) == string(body) {
		return append(dst, s.text[s.nBody:]...), s.ok
	}
	start := len(dst)
	dst, ok := n.keyOf(dst, body)
	if key := dst[start:]; len(key) <= 2*keyCacheMaxBody {
		s.text = append(append(s.text[:0], body...), key...)
		s.nBody, s.ok = len(body), ok
	}
	return dst, ok
}
