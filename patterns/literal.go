package patterns

import (
	"bytes"
	"regexp/syntax"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A lit is a string a line must contain; fold says that ASCII letters match
// in either case (s is then in lower case).
type lit struct {
	s    string
	fold bool
}

// Limits of the literal analysis: beyond them it keeps less precise facts,
// which only makes the prefilter let more lines through.
const (
	maxLitSet = 16 // strings in one set
	maxLitLen = 64 // bytes in one string
)

// facts are what the literal analysis knows about the texts a regexp matches.
type facts struct {
	// exact, when exactOK, is the complete set of texts the regexp matches.
	exact   []lit
	exactOK bool
	// req is a set of strings one of which every match contains; nil if none
	// is known.
	req []lit
}

// requiredLiterals returns strings one of which occurs in every match of re,
// choosing the rarest such set it can find; nil when there is none. The
// analysis is that of Russ Cox's trigram index for code search (exact sets
// through concatenation and alternation, a required set otherwise) kept at
// the level of whole literals.
func requiredLiterals(re *syntax.Regexp) []lit { return literalsOf(analyze(re)) }

// literalsOf is requiredLiterals of a regexp with facts f.
func literalsOf(f facts) []lit {
	if f.exactOK {
		return usable(best(f.req, f.exact))
	}
	return usable(f.req)
}

// usable drops a set that cannot filter anything (it holds "").
func usable(set []lit) []lit {
	for _, l := range set {
		if l.s == "" {
			return nil
		}
	}
	return set
}

func analyze(re *syntax.Regexp) facts { return analyzeMusts(re, nil) }

// analyzeMusts is analyze that also appends to musts, when not nil, the
// required set of re and of every part of it that every match of re goes
// through (see requiredSets).
func analyzeMusts(re *syntax.Regexp, musts *[][]lit) facts {
	f := analyzeNode(re, musts)
	if musts != nil {
		if set := required(f); set != nil {
			*musts = append(*musts, set)
		}
	}
	return f
}

// analyzeNode is analyzeMusts but for re's own set.
func analyzeNode(re *syntax.Regexp, musts *[][]lit) facts {
	switch re.Op {
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText,
		syntax.OpEndText, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return exactly(lit{})
	case syntax.OpLiteral:
		parts := make([]facts, 0, len(re.Rune))
		for _, r := range re.Rune {
			parts = append(parts, runeFacts(r, re.Flags&syntax.FoldCase != 0))
		}
		return concat(parts)
	case syntax.OpCharClass:
		return classFacts(re.Rune)
	case syntax.OpCapture:
		return analyzeMusts(re.Sub[0], musts)
	case syntax.OpQuest:
		f := analyze(re.Sub[0])
		if !f.exactOK || len(f.exact) >= maxLitSet {
			return facts{}
		}
		return facts{exact: union(f.exact, []lit{{}}), exactOK: true}
	case syntax.OpPlus:
		return facts{req: required(analyzeMusts(re.Sub[0], musts))}
	case syntax.OpRepeat:
		if re.Min == 0 {
			return facts{}
		}
		return facts{req: required(analyzeMusts(re.Sub[0], musts))}
	case syntax.OpConcat:
		parts := make([]facts, 0, len(re.Sub))
		for _, s := range re.Sub {
			// x+ and x{n,m} begin with x, or n copies of x: that much
			// joins the literal before them.
			switch {
			case s.Op == syntax.OpPlus:
				parts = append(parts, analyzeMusts(s.Sub[0], musts), facts{})
			case s.Op == syntax.OpRepeat && s.Min >= 1 && s.Min <= 8:
				sub := analyzeMusts(s.Sub[0], musts)
				for range s.Min {
					parts = append(parts, sub)
				}
				if s.Max != s.Min {
					parts = append(parts, facts{})
				}
			default:
				parts = append(parts, analyzeMusts(s, musts))
			}
		}
		return concat(parts)
	case syntax.OpAlternate:
		return alternate(re.Sub)
	}
	// OpAnyChar, OpAnyCharNotNL, OpStar, OpNoMatch: nothing known.
	return facts{}
}

func exactly(l ...lit) facts { return facts{exact: l, exactOK: true} }

// runeFacts describes a literal rune. Under (?i), an ASCII letter becomes a
// folded lower-case letter, unless its case orbit leaves ASCII (k and s also
// match the Kelvin sign and the long s). U+FFFD says nothing: it also matches
// a byte that is not UTF-8.
func runeFacts(r rune, fold bool) facts {
	if r == utf8.RuneError {
		return facts{}
	}
	if !fold || unicode.SimpleFold(r) == r {
		return exactly(lit{s: string(r)})
	}
	lower := unicode.ToLower(r)
	if r >= utf8.RuneSelf || lower == 'k' || lower == 's' {
		return facts{}
	}
	return exactly(lit{s: string(lower), fold: true})
}

// classFacts expands a small character class into its runes.
func classFacts(ranges []rune) facts {
	n := 0
	for i := 0; i+1 < len(ranges); i += 2 {
		lo, hi := ranges[i], ranges[i+1]
		if lo <= utf8.RuneError && utf8.RuneError <= hi {
			return facts{}
		}
		n += int(hi-lo) + 1
		if n > maxLitSet/2 {
			return facts{}
		}
	}
	var set []lit
	for i := 0; i+1 < len(ranges); i += 2 {
		for r := ranges[i]; r <= ranges[i+1]; r++ {
			set = append(set, lit{s: string(r)})
		}
	}
	return exactly(set...)
}

// required is a set one of which every match of a node with facts f contains.
func required(f facts) []lit {
	if f.exactOK {
		return usable(best(f.req, f.exact))
	}
	return f.req
}

// concat combines the facts of consecutive parts: exact sets multiply while
// they stay small; then the run so far becomes a requirement.
func concat(parts []facts) facts {
	run, runOK := []lit{{}}, true
	var req []lit
	all := true
	for _, p := range parts {
		if runOK && p.exactOK {
			if x, ok := cross(run, p.exact); ok {
				run = x
				continue
			}
		}
		all = false
		if runOK {
			req = best(req, usable(run))
		}
		req = best(req, p.req)
		run, runOK = p.exact, p.exactOK
	}
	if all {
		return facts{exact: run, exactOK: true}
	}
	if runOK {
		req = best(req, usable(run))
	}
	return facts{req: req}
}

// cross returns every a followed by every b, if the result stays small.
func cross(a, b []lit) ([]lit, bool) {
	if len(a)*len(b) > maxLitSet {
		return nil, false
	}
	out := make([]lit, 0, len(a)*len(b))
	for _, x := range a {
		for _, y := range b {
			if len(x.s)+len(y.s) > maxLitLen {
				return nil, false
			}
			l := lit{s: x.s + y.s, fold: x.fold || y.fold}
			if l.fold {
				// Matching case-insensitively is weaker than matching
				// exactly, so the folded whole still must occur.
				l.s = asciiLower(l.s)
			}
			out = append(out, l)
		}
	}
	return dedupe(out), true
}

// alternate combines the facts of alternatives: the union of exact sets, or
// the union of their requirements.
func alternate(subs []*syntax.Regexp) facts {
	var exact, req []lit
	exactOK, reqOK := true, true
	for _, s := range subs {
		f := analyze(s)
		if exactOK && f.exactOK && len(exact)+len(f.exact) <= maxLitSet {
			exact = union(exact, f.exact)
		} else {
			exactOK = false
		}
		r := required(f)
		if reqOK && r != nil && len(req)+len(r) <= maxLitSet {
			req = union(req, r)
		} else {
			reqOK = false
		}
	}
	if exactOK {
		return facts{exact: exact, exactOK: true}
	}
	if reqOK {
		return facts{req: req}
	}
	return facts{}
}

func union(a, b []lit) []lit {
	return dedupe(append(slices.Clip(a), b...))
}

func dedupe(set []lit) []lit {
	slices.SortFunc(set, func(x, y lit) int {
		if c := strings.Compare(x.s, y.s); c != 0 {
			return c
		}
		if x.fold == y.fold {
			return 0
		}
		if x.fold {
			return 1
		}
		return -1
	})
	return slices.Compact(set)
}

// best returns the set that lets fewer lines through: the one whose most
// common member is rarest. nil is no set.
func best(a, b []lit) []lit {
	if a == nil {
		return b
	}
	if b == nil {
		return a
	}
	if setScore(b) > setScore(a) {
		return b
	}
	return a
}

// setScore estimates how rare the most common member of a set is.
func setScore(set []lit) int {
	s := -1
	for _, l := range set {
		if v := litScore(l); s < 0 || v < s {
			s = v
		}
	}
	return s
}

// litScore grows with the length of a literal and the rarity of its
// trigrams. A literal of three bytes or more always scores above a shorter
// one: the matcher looks for those at a fraction of the cost.
func litScore(l lit) int {
	if len(l.s) < 3 {
		n := 0
		for i := 0; i < len(l.s); i++ {
			n += 257 - int(byteRank[l.s[i]])
		}
		return n
	}
	// A literal is about as rare as its rarest trigram.
	rarest := 0
	for i := 0; i+3 <= len(l.s); i++ {
		rarest = max(rarest, 256-trigramCommonness(l.s[i:i+3]))
	}
	return 1000 + 8*rarest + min(len(l.s), 64)
}

// startAnchored reports whether every match of re starts at the start of the
// line; endAnchored, whether it ends at the end.
func startAnchored(re *syntax.Regexp) bool { return anchored(re, true) }
func endAnchored(re *syntax.Regexp) bool   { return anchored(re, false) }

func anchored(re *syntax.Regexp, start bool) bool {
	switch re.Op {
	case syntax.OpBeginText, syntax.OpBeginLine:
		return start
	case syntax.OpEndText, syntax.OpEndLine:
		return !start
	case syntax.OpCapture:
		return anchored(re.Sub[0], start)
	case syntax.OpConcat:
		if len(re.Sub) == 0 {
			return false
		}
		if start {
			return anchored(re.Sub[0], start)
		}
		return anchored(re.Sub[len(re.Sub)-1], start)
	case syntax.OpAlternate:
		for _, s := range re.Sub {
			if !anchored(s, start) {
				return false
			}
		}
		return true
	}
	return false
}

func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// firstBytes returns the bytes a match of re can start with (re is not
// nullable: strip patterns never are).
func firstBytes(re *syntax.Regexp) *[256]bool {
	var set [256]bool
	first(re, &set)
	return &set
}

// first adds the bytes a match of re can start with to set and reports
// whether re can match the empty string (so that what follows it counts too).
func first(re *syntax.Regexp, set *[256]bool) (nullable bool) {
	switch re.Op {
	case syntax.OpLiteral:
		if len(re.Rune) == 0 {
			return true
		}
		addRune(set, re.Rune[0], re.Flags&syntax.FoldCase != 0)
		return false
	case syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			lo, hi := re.Rune[i], re.Rune[i+1]
			for r := lo; r <= hi && r < utf8.RuneSelf; r++ {
				set[r] = true
			}
			if hi >= utf8.RuneSelf {
				// The first byte of UTF-8 grows with the rune. U+FFFD
				// also stands for any byte that is not UTF-8.
				if lo <= utf8.RuneError && utf8.RuneError <= hi {
					addHigh(set)
				}
				var a, b [utf8.UTFMax]byte
				utf8.EncodeRune(a[:], max(lo, utf8.RuneSelf))
				utf8.EncodeRune(b[:], hi)
				for c := int(a[0]); c <= int(b[0]); c++ {
					set[c] = true
				}
			}
		}
		return false
	case syntax.OpAnyCharNotNL, syntax.OpAnyChar:
		for b := range set {
			set[b] = b != '\n' || re.Op == syntax.OpAnyChar
		}
		return false
	case syntax.OpCapture:
		return first(re.Sub[0], set)
	case syntax.OpStar, syntax.OpQuest:
		first(re.Sub[0], set)
		return true
	case syntax.OpPlus:
		return first(re.Sub[0], set)
	case syntax.OpRepeat:
		n := first(re.Sub[0], set)
		return n || re.Min == 0
	case syntax.OpConcat:
		for _, s := range re.Sub {
			if !first(s, set) {
				return false
			}
		}
		return true
	case syntax.OpAlternate:
		nullable := false
		for _, s := range re.Sub {
			if first(s, set) {
				nullable = true
			}
		}
		return nullable
	case syntax.OpNoMatch:
		return false
	}
	// Empty-width assertions and the empty match.
	return true
}

// maxFixed is how many bytes at the start (end) of a line an anchored rule
// checks before running its regexp.
const maxFixed = 8

// maxWhole bounds the length of a pattern matched without its regexp.
const maxWhole = 64

// fixedBytes returns, for the first positions of every match of re (the last
// ones if fromEnd, the last first), the set of bytes that can stand there,
// as far as they are fixed: up to maxFixed positions (a few more after a
// multi-byte rune), fewer when the regexp branches or repeats.
func fixedBytes(re *syntax.Regexp, fromEnd bool) []*[256]bool {
	var out []*[256]bool
	fixed(re, fromEnd, &out, maxFixed)
	return out
}

// fixed appends the sets of re's fixed bytes to out, up to limit of them,
// and reports whether re was followed to its end (so that what comes after
// it is fixed too).
func fixed(re *syntax.Regexp, fromEnd bool, out *[]*[256]bool, limit int) bool {
	if len(*out) >= limit {
		return false
	}
	switch re.Op {
	case syntax.OpBeginText, syntax.OpBeginLine, syntax.OpEndText, syntax.OpEndLine,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary, syntax.OpEmptyMatch:
		return true
	case syntax.OpLiteral:
		runes := re.Rune
		for i := range runes {
			r := runes[i]
			if fromEnd {
				r = runes[len(runes)-1-i]
			}
			if len(*out) >= limit || r == utf8.RuneError {
				return false
			}
			if r >= utf8.RuneSelf {
				if re.Flags&syntax.FoldCase != 0 && unicode.SimpleFold(r) != r {
					return false
				}
				var buf [utf8.UTFMax]byte
				enc := buf[:utf8.EncodeRune(buf[:], r)]
				for j := range enc {
					b := enc[j]
					if fromEnd {
						b = enc[len(enc)-1-j]
					}
					var set [256]bool
					set[b] = true
					*out = append(*out, &set)
				}
				continue
			}
			var set [256]bool
			fold := re.Flags&syntax.FoldCase != 0 && unicode.SimpleFold(r) != r
			for _, c := range cases(byte(r), fold) {
				if f := unicode.SimpleFold(rune(c)); fold && (f >= utf8.RuneSelf || unicode.SimpleFold(f) >= utf8.RuneSelf) {
					return false // k and s also match non-ASCII runes
				}
				set[c] = true
			}
			*out = append(*out, &set)
		}
		return true
	case syntax.OpCharClass:
		var set [256]bool
		for i := 0; i+1 < len(re.Rune); i += 2 {
			if re.Rune[i+1] >= utf8.RuneSelf {
				return false
			}
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				set[r] = true
			}
		}
		*out = append(*out, &set)
		return true
	case syntax.OpCapture:
		return fixed(re.Sub[0], fromEnd, out, limit)
	case syntax.OpConcat:
		for i := range re.Sub {
			s := re.Sub[i]
			if fromEnd {
				s = re.Sub[len(re.Sub)-1-i]
			}
			if !fixed(s, fromEnd, out, limit) {
				return false
			}
		}
		return true
	case syntax.OpPlus:
		fixed(re.Sub[0], fromEnd, out, limit)
		return false
	case syntax.OpAlternate:
		// The positions every alternative fixes, with the bytes of all.
		var alts [][]*[256]bool
		n := limit - len(*out)
		for _, s := range re.Sub {
			var a []*[256]bool
			fixed(s, fromEnd, &a, n)
			n = min(n, len(a))
			alts = append(alts, a)
		}
		for i := range n {
			var set [256]bool
			for _, a := range alts {
				for b, ok := range a[i] {
					set[b] = set[b] || ok
				}
			}
			*out = append(*out, &set)
		}
		return false
	case syntax.OpRepeat:
		for range re.Min {
			if !fixed(re.Sub[0], fromEnd, out, limit) {
				return false
			}
		}
		return re.Max == re.Min
	}
	return false
}

// wholeBytes returns the bytes of every position of a match of re, if re
// (anchored at the start) matches exactly the texts of one fixed length that
// have those bytes: a sequence of ASCII characters, classes and counted
// repetitions, with no assertion but the anchor. Then a match needs no regexp.
func wholeBytes(re *syntax.Regexp) []*[256]bool {
	var out []*[256]bool
	var walk func(re *syntax.Regexp, start bool) bool
	walk = func(re *syntax.Regexp, start bool) bool {
		switch re.Op {
		case syntax.OpBeginText, syntax.OpBeginLine:
			return start
		case syntax.OpLiteral, syntax.OpCharClass:
			return fixed(re, false, &out, maxWhole)
		case syntax.OpCapture:
			return walk(re.Sub[0], start)
		case syntax.OpRepeat:
			for range re.Min {
				if !walk(re.Sub[0], false) {
					return false
				}
			}
			return re.Min == re.Max
		case syntax.OpConcat:
			for i, s := range re.Sub {
				if !walk(s, start && i == 0) {
					return false
				}
			}
			return true
		}
		return false
	}
	if !walk(re, true) || len(out) == 0 {
		return nil
	}
	return out
}

// lastBytes returns the bytes a match of re can end with (re is not
// nullable).
func lastBytes(re *syntax.Regexp) *[256]bool {
	var set [256]bool
	last(re, &set)
	return &set
}

// last is first, from the end.
func last(re *syntax.Regexp, set *[256]bool) (nullable bool) {
	switch re.Op {
	case syntax.OpLiteral:
		if len(re.Rune) == 0 {
			return true
		}
		r := re.Rune[len(re.Rune)-1]
		if r >= utf8.RuneSelf {
			addHigh(set)
		}
		for f := unicode.SimpleFold(r); re.Flags&syntax.FoldCase != 0 && f != r; f = unicode.SimpleFold(f) {
			if f >= utf8.RuneSelf {
				addHigh(set)
			}
		}
		addRune(set, r, re.Flags&syntax.FoldCase != 0)
		return false
	case syntax.OpCapture, syntax.OpPlus:
		return last(re.Sub[0], set)
	case syntax.OpStar, syntax.OpQuest:
		last(re.Sub[0], set)
		return true
	case syntax.OpRepeat:
		n := last(re.Sub[0], set)
		return n || re.Min == 0
	case syntax.OpConcat:
		for i := len(re.Sub) - 1; i >= 0; i-- {
			if !last(re.Sub[i], set) {
				return false
			}
		}
		return true
	case syntax.OpAlternate:
		nullable := false
		for _, s := range re.Sub {
			if last(s, set) {
				nullable = true
			}
		}
		return nullable
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		var ascii [256]bool
		first(re, &ascii)
		for c := 0; c < utf8.RuneSelf; c++ {
			set[c] = set[c] || ascii[c]
		}
		if re.Op != syntax.OpCharClass || re.Rune[len(re.Rune)-1] >= utf8.RuneSelf {
			addHigh(set) // continuation bytes, and bytes that are not UTF-8
		}
		return false
	case syntax.OpNoMatch:
		return false
	}
	// Empty-width assertions and the empty match.
	return true
}

// addHigh adds every byte >= 0x80: the bytes of multi-byte runes, and the
// bytes that are not UTF-8, which U+FFFD in a pattern matches.
func addHigh(set *[256]bool) {
	for b := 0x80; b < 256; b++ {
		set[b] = true
	}
}

// addRune adds the first byte of r, and of its other cases under (?i).
func addRune(set *[256]bool, r rune, fold bool) {
	var buf [utf8.UTFMax]byte
	add := func(r rune) {
		if r == utf8.RuneError {
			for b := 0x80; b < 256; b++ {
				set[b] = true
			}
		}
		utf8.EncodeRune(buf[:], r)
		set[buf[0]] = true
	}
	add(r)
	if fold {
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			add(f)
		}
	}
}

// maxMusts bounds the literal sets a rule checks after its prefilter.
const maxMusts = 3

// requiredSets returns sets of strings such that every match of re contains
// one string of each set: the required set of re itself and those of the
// parts every match goes through (each part of a concatenation, the body
// of x+ and x{n,m} with n >= 1). A line that lacks one set cannot match, so
// checking them (a few passes of bytes.Index) before the regexp saves its
// run on lines that passed the prefilter by one literal but lack another:
// a strip rule for "job<TAB>step<TAB>2024-01-02T…Z " on a line with a tab
// but no "Z ". Kept: the maxMusts rarest sets whose strings are all two
// bytes or longer.
func requiredSets(re *syntax.Regexp) [][]lit {
	_, sets := prefilterLiterals(re)
	return sets
}

// prefilterLiterals returns requiredLiterals(re) and requiredSets(re) from
// one analysis of re.
func prefilterLiterals(re *syntax.Regexp) ([]lit, [][]lit) {
	var all [][]lit
	f := analyzeMusts(re, &all)
	var out [][]lit
	for _, set := range all {
		ok := len(set) > 0
		for _, l := range set {
			ok = ok && len(l.s) >= 2
		}
		if ok && !slices.ContainsFunc(out, func(o []lit) bool { return slices.Equal(o, set) }) {
			out = append(out, set)
		}
	}
	scores := make(map[*lit]int, len(out)) // setScore looks up every trigram
	for _, set := range out {
		scores[&set[0]] = setScore(set)
	}
	slices.SortStableFunc(out, func(a, b []lit) int { return scores[&b[0]] - scores[&a[0]] })
	return literalsOf(f), out[:min(len(out), maxMusts)]
}

// A needle is a string of a must, as bytes; fold says that ASCII letters
// match in either case (b is then in lower case).
type needle struct {
	b    []byte
	fold bool
}

// containsAny reports whether line contains one of set.
func containsAny(line []byte, set []needle) bool {
	for _, n := range set {
		if n.fold && indexFold(line, n.b) >= 0 || !n.fold && bytes.Contains(line, n.b) {
			return true
		}
	}
	return false
}

// indexFold returns the index of the first occurrence of the lower-case
// lower in b, ignoring the case of ASCII letters in b; -1 if none. It jumps
// from one place the first byte stands (in either case) to the next, each
// found once by bytes.IndexByte.
func indexFold(b, lower []byte) int {
	if len(lower) == 0 {
		return 0
	}
	last := len(b) - len(lower) // the last place a match can start
	c, u := lower[0], lower[0]
	if 'a' <= c && c <= 'z' {
		u = c - 'a' + 'A'
	}
	nextC, nextU := -1, -1
	if u == c {
		nextU = len(b) // never
	}
	for i := 0; i <= last; {
		if nextC < i {
			nextC = indexFrom(b[:last+1], c, i)
		}
		if nextU < i {
			nextU = indexFrom(b[:last+1], u, i)
		}
		j := min(nextC, nextU)
		if j > last {
			return -1
		}
		if equalFoldBytes(b[j:j+len(lower)], lower) {
			return j
		}
		i = j + 1
	}
	return -1
}

// indexFrom returns the index of the first c in b at or after i, or len(b).
func indexFrom(b []byte, c byte, i int) int {
	if k := bytes.IndexByte(b[i:], c); k >= 0 {
		return i + k
	}
	return len(b)
}

// equalFoldBytes reports whether b equals the lower-case lower, ignoring the
// case of ASCII letters in b.
func equalFoldBytes(b, lower []byte) bool {
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}
