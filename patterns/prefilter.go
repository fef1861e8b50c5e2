package patterns

import (
	"fmt"
	mbits "math/bits"
	"regexp/syntax"
	"slices"
	"strings"
)

// choosePrefilter decides how lines are selected for the regexp: by literals
// (found by the matcher's scan, which costs a little for every byte of every
// line, more with short literals) or by the bytes at the start or end of a
// line (free, for anchored patterns).
func (c *compiled) choosePrefilter(tree *syntax.Regexp) {
	if minLen(tree) == 0 {
		return // a pattern that can match the empty string can match any line
	}
	var head, tail []*[256]bool
	start, end := startAnchored(tree), endAnchored(tree)
	if start {
		head = fixedBytes(tree, false)
	}
	if end {
		tail = fixedBytes(tree, true)
	}
	shortest := -1
	for _, l := range c.literals {
		if shortest < 0 || len(l.s) < shortest {
			shortest = len(l.s)
		}
	}
	// The scan's stride is the length of the shortest literal of a kind
	// minus two, or minus three from 7 bytes on (at most 8; see matcher),
	// so short literals slow down every line. An
	// anchor costs nothing until it lets a line through, and then a run of
	// the regexp: one that pins four bytes lets few lines through; one that
	// pins fewer may let through most lines of some logs (those starting
	// with "[" or "S").
	switch {
	case shortest >= 10:
	case start && len(head) >= 4:
		c.anchorStart(tree, head)
	case end && len(tail) >= 4:
		c.anchorEnd(tree, tail)
	case shortest >= 5:
	case start && len(head) >= 3:
		c.anchorStart(tree, head)
	case end && len(tail) >= 3:
		c.anchorEnd(tree, tail)
	case start && len(head) == 2 && shortest < 4:
		c.anchorStart(tree, head)
	case end && len(tail) == 2 && shortest < 4:
		c.anchorEnd(tree, tail)
	case shortest >= 3:
	case start:
		c.anchorStart(tree, head)
	case end:
		c.anchorEnd(tree, tail)
	}
}

func (c *compiled) anchorStart(tree *syntax.Regexp, head []*[256]bool) {
	c.literals, c.first = nil, firstBytes(tree)
	if len(head) > 1 {
		c.head = head[1:]
	}
}

func (c *compiled) anchorEnd(tree *syntax.Regexp, tail []*[256]bool) {
	c.literals, c.last = nil, lastBytes(tree)
	if len(tail) > 1 {
		c.tail = tail[1:]
	}
}

// fits reports whether line has the bytes of c.head after its first byte.
func (c *compiled) fits(line []byte) bool {
	for k, set := range c.head {
		if k+1 >= len(line) || !set[line[k+1]] {
			return false
		}
	}
	return true
}

// prefilter describes the prefilter of the rule for Rule.Prefilter.
func (c *compiled) prefilter() []string {
	var out []string
	for _, l := range c.literals {
		out = append(out, l.s)
	}
	if out == nil && c.first != nil {
		s := "^" + byteClass(c.first)
		for _, set := range c.head {
			s += byteClass(set)
		}
		out = []string{s}
	} else if out == nil && c.last != nil {
		s := byteClass(c.last) + "$"
		for _, set := range c.tail {
			s = byteClass(set) + s
		}
		out = []string{s}
	}
	return out
}

// byteClass writes a set of bytes as a regexp character class.
func byteClass(set *[256]bool) string {
	var b strings.Builder
	b.WriteByte('[')
	for i := 0; i < 256; {
		if !set[i] {
			i++
			continue
		}
		j := i
		for j+1 < 256 && set[j+1] {
			j++
		}
		b.WriteString(classByte(i))
		if j > i+1 {
			b.WriteByte('-')
		}
		if j > i {
			b.WriteString(classByte(j))
		}
		i = j + 1
	}
	b.WriteByte(']')
	return b.String()
}

func classByte(c int) string {
	if c >= ' ' && c < 0x7f && !strings.ContainsRune(`\-[]^`, rune(c)) {
		return string(rune(c))
	}
	return fmt.Sprintf(`\x%02x`, c)
}

// cands is a set of rule indexes: the rules whose literals a line contains.
// maxKindRules bounds the rules of one kind in a Set so that it fits in a
// fixed array on the stack.
type cands [maxKindRules / 64]uint64

func (c *cands) add(i int)      { c[i>>6] |= 1 << (i & 63) }
func (c *cands) has(i int) bool { return c[i>>6]&(1<<(i&63)) != 0 }

// from returns the set of the indexes >= k, less k: the candidates of the
// rules after the first k of a matcher, numbered from 0.
func (c *cands) from(k int) cands {
	var out cands
	w, s := k>>6, uint(k&63)
	for i := range out {
		if w+i >= len(c) {
			break
		}
		out[i] = c[w+i] >> s
		if s > 0 && w+i+1 < len(c) {
			out[i] |= c[w+i+1] << (64 - s)
		}
	}
	return out
}

// next returns the smallest index >= i in the set, or -1.
func (c *cands) next(i int) int {
	for w := i >> 6; w < len(c); w++ {
		x := c[w]
		if w == i>>6 {
			x &^= 1<<(i&63) - 1
		}
		if x != 0 {
			return w<<6 | mbits.TrailingZeros64(x)
		}
	}
	return -1
}

// A matcher finds the rules of one kind whose literals occur in a line,
// without looking at the line once per rule.
//
// It is a sampled q-gram filter, after Wu and Manber's multi-pattern search.
// Let m be the length of the shortest literal of three bytes or more. The
// filter looks at grams of q = 4 bytes when m >= 7 (three otherwise) and
// samples the line with a stride S = min(8, m-q+1). Each literal registers S
// consecutive grams of itself (the rarest such window, by the trigram and
// byte tables of freq.go and trigrams.go) in a 64 Ki-bit table (8 KiB, stays
// in cache). Every occurrence of a literal then has one of its registered
// grams at a position that is a multiple of S, so the scan hashes one gram
// every S bytes and tests one bit; only on a hit does it look up the literals
// registered under that hash and compare them in place. The cost of a line is
// about len/S table lookups plus one look-up per hit, whatever the number of
// rules. Grams of four bytes cost one more sample in six for m = 8 but hit far
// less often: a literal's words recur in unrelated lines as trigrams (the
// "wor" of "Using worker: " in the "/builds/worker/" of every line of a
// Mozilla log), much less as four bytes, and the table's false hits are the
// same. Literals of one or two bytes use exact tables at every position
// instead.
type matcher struct {
	rules     []*compiled // in precedence order: the index of a rule is its bit
	always    cands       // rules without a prefilter
	hasAlways bool
	stride    int
	gram      int // q: the bytes of a sampled gram, 3 or 4
	tri       *[1 << 16 / 64]uint64
	long      []anchor // sorted by key
	// bucket[k>>6] is the index in long of the first anchor with a key >= k&^63.
	bucket *[1<<16/64 + 1]int32
	// short literals (one or two bytes), keyed by their bytes
	pairs  *[1 << 16 / 64]uint64
	single *[256]bool
	short  []anchor // sorted by key
	// Rules anchored at the start (end) of the line and without good
	// literals: bit j of byFirst[b] says that rule starts[j] can start with b.
	starts, ends    []int
	byFirst, byLast *[256]uint64
}

// maxAnchored bounds the rules of a kind prefiltered by their first (last)
// byte; more become rules without a prefilter.
const maxAnchored = 64

// anchor is one literal of one rule, found by a key at offset off of it.
type anchor struct {
	key  uint16
	off  int
	lit  lit
	rule int
}

// trigramHash maps three or four bytes (little-endian in x) to 16 bits.
func trigramHash(x uint32) uint16 { return uint16(x * 0x9e3779b1 >> 16) }

// quadGrams is the length of the shortest literal from which the matcher
// samples grams of four bytes: the stride is then at least 4.
const quadGrams = 7

// newMatcher indexes the literals of rules.
func newMatcher(rules []*compiled) *matcher {
	m := &matcher{rules: rules, stride: 8, gram: 4}
	shortest := -1
	for _, r := range rules {
		for _, l := range r.literals {
			if len(l.s) >= 3 && (shortest < 0 || len(l.s) < shortest) {
				shortest = len(l.s)
			}
		}
	}
	if shortest >= 0 && shortest < quadGrams {
		m.gram = 3
	}
	if shortest >= 0 {
		m.stride = min(m.stride, shortest-m.gram+1)
	}
	for i, r := range rules {
		if r.literals == nil {
			switch {
			case r.first != nil && len(m.starts) < maxAnchored:
				if m.byFirst == nil {
					m.byFirst = new([256]uint64)
				}
				addBytes(m.byFirst, r.first, len(m.starts))
				m.starts = append(m.starts, i)
			case r.last != nil && len(m.ends) < maxAnchored:
				if m.byLast == nil {
					m.byLast = new([256]uint64)
				}
				addBytes(m.byLast, r.last, len(m.ends))
				m.ends = append(m.ends, i)
			default:
				m.always.add(i)
				m.hasAlways = true
			}
			continue
		}
		for _, l := range r.literals {
			switch len(l.s) {
			case 1:
				if m.single == nil {
					m.single = new([256]bool)
				}
				for _, c := range cases(l.s[0], l.fold) {
					m.single[c] = true
					m.short = append(m.short, anchor{key: uint16(c), lit: l, rule: i})
				}
			case 2:
				if m.pairs == nil {
					m.pairs = new([1 << 16 / 64]uint64)
				}
				for _, a := range cases(l.s[0], l.fold) {
					for _, b := range cases(l.s[1], l.fold) {
						k := uint16(a) | uint16(b)<<8
						m.pairs[k>>6] |= 1 << (k & 63)
						// Keys of pairs are >= 256 unless the second byte is
						// NUL; a literal of one byte with its NUL is impossible
						// to confuse since the comparison checks the length.
						m.short = append(m.short, anchor{key: k, off: 0, lit: l, rule: i})
					}
				}
			default:
				if m.tri == nil {
					m.tri = new([1 << 16 / 64]uint64)
				}
				k := rarestWindow(l, m.gram, m.stride)
				for off := k; off < k+m.stride; off++ {
					for _, x := range gramCases(l.s[off:off+m.gram], l.fold) {
						h := trigramHash(x)
						m.tri[h>>6] |= 1 << (h & 63)
						m.long = append(m.long, anchor{key: h, off: off, lit: l, rule: i})
					}
				}
			}
		}
	}
	byKey := func(x, y anchor) int { return int(x.key) - int(y.key) }
	slices.SortStableFunc(m.long, byKey)
	slices.SortStableFunc(m.short, byKey)
	if m.tri != nil {
		m.bucket = new([1<<16/64 + 1]int32)
		j := 0
		for b := range m.bucket {
			for j < len(m.long) && int(m.long[j].key>>6) < b {
				j++
			}
			m.bucket[b] = int32(j)
		}
	}
	return m
}

// addBytes sets bit j of table[b] for every byte b in set.
func addBytes(table *[256]uint64, set *[256]bool, j int) {
	for b, ok := range set {
		if ok {
			table[b] |= 1 << j
		}
	}
}

// cases returns c, and its other ASCII case if fold.
func cases(c byte, fold bool) []byte {
	switch {
	case fold && 'a' <= c && c <= 'z':
		return []byte{c, c - 'a' + 'A'}
	case fold && 'A' <= c && c <= 'Z':
		return []byte{c, c - 'A' + 'a'}
	}
	return []byte{c}
}

// foldedCommonness is the trigramCommonness of t, of its most common case
// if fold. Compiling the packs asks it for every trigram of every literal: it
// does not allocate.
func foldedCommonness(t string, fold bool) int {
	c := 0
	var b [3]byte
	a0, n0 := caseArray(t[0], fold)
	a1, n1 := caseArray(t[1], fold)
	a2, n2 := caseArray(t[2], fold)
	for _, b[0] = range a0[:n0] {
		for _, b[1] = range a1[:n1] {
			for _, b[2] = range a2[:n2] {
				c = max(c, trigramCommonness(string(b[:])))
			}
		}
	}
	return c
}

// caseArray is cases without allocating.
func caseArray(c byte, fold bool) ([2]byte, int) {
	switch {
	case fold && 'a' <= c && c <= 'z':
		return [2]byte{c, c - 'a' + 'A'}, 2
	case fold && 'A' <= c && c <= 'Z':
		return [2]byte{c, c - 'A' + 'a'}, 2
	}
	return [2]byte{c}, 1
}

// gramCases returns the three or four bytes of t as a little-endian number,
// in every ASCII case if fold.
func gramCases(t string, fold bool) []uint32 {
	out := []uint32{0}
	for i := 0; i < len(t); i++ {
		var next []uint32
		for _, x := range out {
			for _, c := range cases(t[i], fold) {
				next = append(next, x|uint32(c)<<(8*i))
			}
		}
		out = next
	}
	return out
}

// rarestWindow returns the offset of the run of n consecutive grams of q
// bytes of l whose most common gram is expected to be the rarest in logs. A
// gram of four bytes is at most as common as the rarer of its two trigrams.
func rarestWindow(l lit, q, n int) int {
	score := func(i int) int { // higher: more common
		c := -1
		for j := i; j+3 <= i+q; j++ {
			if t := foldedCommonness(l.s[j:j+3], l.fold); c < 0 || t < c {
				c = t
			}
		}
		// Among grams that are equally common (or rare), prefer rare bytes.
		r := 0
		for j := i; j < i+q; j++ {
			r += int(byteRank[l.s[j]])
		}
		return c<<10 + r
	}
	scores := make([]int, len(l.s)-q+1)
	for i := range scores {
		scores[i] = score(i)
	}
	best, bestScore := 0, -1
	for k := 0; k+n <= len(scores); k++ {
		worst := slices.Max(scores[k : k+n])
		if bestScore < 0 || worst < bestScore {
			best, bestScore = k, worst
		}
	}
	return best
}

// scan adds to c (empty on entry) the rules that may match line and reports
// whether there are any.
func (m *matcher) scan(line []byte, c *cands) bool {
	found := false
	if m.hasAlways {
		*c = m.always
		found = true
	}
	if m.tri != nil {
		for i := 0; ; i += m.stride {
			var h uint16
			if i, h = m.nextTrigram(line, i); i < 0 {
				break
			}
			if m.hitLong(line, i, h, c) {
				found = true
			}
		}
	}
	if m.pairs != nil || m.single != nil {
		if m.scanShort(line, c) {
			found = true
		}
	}
	if len(line) > 0 {
		if m.byFirst != nil && m.addAnchored(m.byFirst[line[0]], m.starts, line, false, c) {
			found = true
		}
		if m.byLast != nil && m.addAnchored(m.byLast[line[len(line)-1]], m.ends, line, true, c) {
			found = true
		}
	}
	return found
}

// addAnchored adds rules[j] to c for every bit j of bits, if the line has the
// bytes the rule needs at its start (end).
func (m *matcher) addAnchored(bits uint64, rules []int, line []byte, fromEnd bool, c *cands) bool {
	found := false
next:
	for ; bits != 0; bits &= bits - 1 {
		i := rules[mbits.TrailingZeros64(bits)]
		r := m.rules[i]
		if !fromEnd && !r.fits(line) {
			continue
		}
		for k, set := range r.tail {
			if p := len(line) - 2 - k; fromEnd && (p < 0 || !set[line[p]]) {
				continue next
			}
		}
		c.add(i)
		found = true
	}
	return found
}

// nextTrigram returns the first position from i on, in steps of the stride,
// where the gram of line is in the table, and its hash; -1 if none. It is
// the loop every line goes through: it makes no calls and keeps its state in
// registers.
func (m *matcher) nextTrigram(line []byte, i int) (int, uint16) {
	tri, s := m.tri, m.stride
	if m.gram == 4 {
		for ; i+3 < len(line); i += s {
			b := line[i : i+4 : i+4]
			h := trigramHash(uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24)
			if tri[h>>6]&(1<<(h&63)) != 0 {
				return i, h
			}
		}
		return -1, 0
	}
	for ; i+2 < len(line); i += s {
		_ = line[i+2]
		h := trigramHash(uint32(line[i]) | uint32(line[i+1])<<8 | uint32(line[i+2])<<16)
		if tri[h>>6]&(1<<(h&63)) != 0 {
			return i, h
		}
	}
	return -1, 0
}

// hitLong checks the literals registered under the trigram hash h at line[i].
func (m *matcher) hitLong(line []byte, i int, h uint16, c *cands) bool {
	b := h >> 6
	return m.check(m.long[m.bucket[b]:m.bucket[b+1]], line, i, h, c)
}

// scanShort looks for the literals of one and two bytes at every position.
func (m *matcher) scanShort(line []byte, c *cands) bool {
	found := false
	for i, b := range line {
		if m.single != nil && m.single[b] && m.hit(m.short, line, i, uint16(b), c) {
			found = true
		}
		if m.pairs != nil && i+1 < len(line) {
			k := uint16(b) | uint16(line[i+1])<<8
			if m.pairs[k>>6]&(1<<(k&63)) != 0 && m.hit(m.short, line, i, k, c) {
				found = true
			}
		}
	}
	return found
}

// hit checks the short literals registered under key at line[i].
func (m *matcher) hit(anchors []anchor, line []byte, i int, key uint16, c *cands) bool {
	j, _ := slices.BinarySearchFunc(anchors, key, func(a anchor, k uint16) int { return int(a.key) - int(k) })
	return m.check(anchors[j:], line, i, key, c)
}

// check compares the literals of anchors with key (a prefix of anchors, sorted
// by key) with line, for an anchor found at line[i], and adds the rules of
// those that are there.
func (m *matcher) check(anchors []anchor, line []byte, i int, key uint16, c *cands) bool {
	found := false
	for j := range anchors {
		a := &anchors[j]
		if a.key != key {
			if a.key > key {
				break
			}
			continue
		}
		if c.has(a.rule) {
			continue
		}
		start := i - a.off
		end := start + len(a.lit.s)
		if start < 0 || end > len(line) {
			continue
		}
		if a.lit.fold && equalFoldASCII(line[start:end], a.lit.s) || !a.lit.fold && string(line[start:end]) == a.lit.s {
			c.add(a.rule)
			found = true
		}
	}
	return found
}

// equalFoldASCII reports whether b equals the lower-case s, ignoring the case
// of ASCII letters in b.
func equalFoldASCII(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := 0; i < len(b); i++ {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != s[i] {
			return false
		}
	}
	return true
}
