package logdiff

import "sync"

// Rules is what the normalizer asks of a rule set (patterns.Set satisfies
// it): user strip prefixes and masks, and lines that never count. Its
// methods must be safe for concurrent use.
type Rules interface {
	Strip(line []byte) []byte
	Mask(dst, line []byte) []byte
	Ignore(line []byte) bool
}

// Normalizer turns a line as shown into its comparison key: leading
// timestamps and log headers removed, volatile tokens masked, runs of white
// space folded. A Normalizer is immutable and safe for concurrent use; the
// caller passes the buffer the key is appended to.
type Normalizer struct {
	rules Rules
	lines lineMasker // rules, when they can ignore and mask in one look
}

// lineMasker is a Rules that also does Ignore and then Mask in one look at
// a line (patterns.Set does): it returns dst as it was when the line is
// ignored or unchanged, which saves copying it.
type lineMasker interface {
	MaskLine(dst, line []byte) (out []byte, changed, ignored bool)
}

// NewNormalizer returns a normalizer that applies rules (nil for none)
// between the built-in prefix stripping and the built-in token masking.
func NewNormalizer(rules Rules) *Normalizer {
	n := &Normalizer{rules: rules}
	n.lines, _ = rules.(lineMasker)
	return n
}

// maskBufs hold the output of rule masks until the built-in masker has read it.
var maskBufs = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

// Key appends the key of line to dst and reports whether the line counts:
// blank lines and lines a rule ignores do not.
func (n *Normalizer) Key(dst, line []byte) ([]byte, bool) {
	body := stripPrefixes(line)
	if n != nil && n.rules != nil {
		body = n.rules.Strip(body)
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
	return dst, len(dst) > start
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
