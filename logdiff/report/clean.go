package report

import (
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sergi/go-diff/diffmatchpatch"
	"golang.org/x/text/width"

	"github.com/logdiff/logdiff/internal/sanitize"
)

// clean makes untrusted text safe to show in every format, with the one
// sanitizer of logdiff's outputs (internal/sanitize): C0 controls (but tab,
// and newline when keepNL), DEL, C1 controls, bytes that are not UTF-8,
// bidirectional controls and the noncharacters become visible escapes
// (\x1b, \u009b, \u202e), so that nothing is illegal in XML 1.0, nothing
// drives a terminal or reorders text, and the reader still sees that
// something was there.
func clean(s string, keepNL bool) string {
	if keepNL {
		return sanitize.Text(s)
	}
	return sanitize.String(s)
}

// cut shortens s to at most n runes, marking the cut with an ellipsis,
// keeping the bytes that are not UTF-8 (which clean shows as \xNN).
func cut(s string, n int) string { return sanitize.Cut(s, n) }

// cutColumns shortens sanitized text to at most n columns of a terminal,
// marking the cut with an ellipsis: a wide character (CJK, most emoji)
// takes two columns, a combining mark none, and the cut never falls inside
// an escape the sanitizer wrote (\x1b, \u202e), which is left out whole.
func cutColumns(s string, n int) string {
	cols, end := 0, -1
	for i, r := range s {
		w := runeColumns(r)
		if cols+w > n-1 && end < 0 {
			end = i // where the text is cut, if it does not fit
		}
		cols += w
		if cols > n {
			break
		}
	}
	if end < 0 || cols <= n {
		return s
	}
	// Back out of an escape: \xNN, \uNNNN, \n, \r.
	if b := strings.LastIndexByte(s[:end], '\\'); b >= 0 && end-b < 6 && isEscape(s[b:]) && b+escapeLen(s[b:]) > end {
		end = b
	}
	return s[:end] + "…"
}

// runeColumns is how many terminal columns r takes.
func runeColumns(r rune) int {
	switch {
	case unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r):
		return 0
	case width.LookupRune(r).Kind() == width.EastAsianWide || width.LookupRune(r).Kind() == width.EastAsianFullwidth:
		return 2
	}
	return 1
}

// escapeLen is the length of the sanitizer's escape at the start of s, 0
// for none.
func escapeLen(s string) int {
	switch {
	case strings.HasPrefix(s, `\u`):
		return 6
	case strings.HasPrefix(s, `\x`):
		return 4
	case strings.HasPrefix(s, `\n`), strings.HasPrefix(s, `\r`):
		return 2
	}
	return 0
}

func isEscape(s string) bool { return escapeLen(s) > 0 }

// shortName names an input in a report: as given when that is short (a
// path a reader can open, "vim +N" landing on the line numbers shown),
// else its last three elements, marked as cut ("…/job/1234/build-log.txt").
func shortName(s string) string {
	clean := path.Clean(strings.ReplaceAll(s, "\\", "/"))
	parts := strings.Split(clean, "/")
	if len(parts) <= 3 || utf8.RuneCountInString(clean) <= shortNameRunes {
		return clean
	}
	return "…/" + strings.Join(parts[len(parts)-3:], "/")
}

// shortNameRunes is how long a name is kept whole.
const shortNameRunes = 60

// count writes n and a noun, plural unless n is 1: "1 finding", "2 findings".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return thousands(n) + " " + noun + "s"
}

// runLabel names a run in a column head: the last two elements of its
// path (build/file), the job being the same on both sides.
func runLabel(s string) string {
	name := strings.TrimPrefix(shortName(s), "…/")
	if i := strings.IndexByte(name, '/'); i >= 0 && strings.Count(name, "/") == 2 {
		return name[i+1:]
	}
	return name
}

// changedTokens returns the byte ranges of a and of b that the other line
// lacks, token by token (words, numbers, runs of spaces, single
// punctuation marks), to highlight what changed in a changed line. Lines
// of more than maxTokens tokens get one range each, from the first byte
// that differs to the last.
func changedTokens(a, b string) (ra, rb [][2]int) {
	ta, tb := tokens(a), tokens(b)
	if len(ta) > maxTokens || len(tb) > maxTokens {
		sa, ea, sb, eb := changedSpan(a, b)
		return [][2]int{{sa, ea}}, [][2]int{{sb, eb}}
	}
	// Each distinct token becomes one rune (from the supplementary private
	// use planes), so the rune diff is a token diff.
	ids := map[string]rune{}
	conv := func(ts []string) []rune {
		rs := make([]rune, len(ts))
		for i, t := range ts {
			id, ok := ids[t]
			if !ok {
				id = 0xF0000 + rune(len(ids))
				ids[t] = id
			}
			rs[i] = id
		}
		return rs
	}
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0 // deterministic; maxTokens bounds the work
	diffs := dmp.DiffMainRunes(conv(ta), conv(tb), false)
	ia, ib, oa, ob := 0, 0, 0, 0 // token index and byte offset in a and b
	mark := func(rs [][2]int, ts []string, i, off, n int) ([][2]int, int, int) {
		for k := i; k < i+n; k++ {
			if len(rs) > 0 && rs[len(rs)-1][1] == off {
				rs[len(rs)-1][1] = off + len(ts[k])
			} else {
				rs = append(rs, [2]int{off, off + len(ts[k])})
			}
			off += len(ts[k])
		}
		return rs, i + n, off
	}
	skip := func(ts []string, i, off, n int) (int, int) {
		for k := i; k < i+n; k++ {
			off += len(ts[k])
		}
		return i + n, off
	}
	for _, d := range diffs {
		n := utf8.RuneCountInString(d.Text)
		switch d.Type {
		case diffmatchpatch.DiffEqual:
			ia, oa = skip(ta, ia, oa, n)
			ib, ob = skip(tb, ib, ob, n)
		case diffmatchpatch.DiffDelete:
			ra, ia, oa = mark(ra, ta, ia, oa, n)
		case diffmatchpatch.DiffInsert:
			rb, ib, ob = mark(rb, tb, ib, ob, n)
		}
	}
	return trimSpaces(a, ra), trimSpaces(b, rb)
}

// trimSpaces takes the spaces off both ends of each range, and drops the
// ranges that were only spaces: a change of alignment is not a change.
func trimSpaces(s string, rs [][2]int) [][2]int {
	out := rs[:0]
	for _, r := range rs {
		for r[0] < r[1] && (s[r[0]] == ' ' || s[r[0]] == '\t') {
			r[0]++
		}
		for r[1] > r[0] && (s[r[1]-1] == ' ' || s[r[1]-1] == '\t') {
			r[1]--
		}
		if r[0] < r[1] {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

const maxTokens = 2000

// tokens splits s into words (letters, digits, underscore), runs of
// spaces, and single other characters; joined, they are s again.
func tokens(s string) []string {
	class := func(c byte) int {
		switch {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c >= 0x80:
			return 1
		case c == ' ' || c == '\t':
			return 2
		}
		return 3
	}
	var ts []string
	for i := 0; i < len(s); {
		j, c := i+1, class(s[i])
		if c != 3 {
			for j < len(s) && class(s[j]) == c {
				j++
			}
		}
		ts = append(ts, s[i:j])
		i = j
	}
	return ts
}

// changedSpan returns the byte ranges of a and b between their common
// prefix and suffix, on rune boundaries.
func changedSpan(a, b string) (sa, ea, sb, eb int) {
	p := 0
	for p < len(a) && p < len(b) && a[p] == b[p] {
		p++
	}
	for p > 0 && (p < len(a) && !utf8.RuneStart(a[p]) || p < len(b) && !utf8.RuneStart(b[p])) {
		p--
	}
	ea, eb = len(a), len(b)
	for ea > p && eb > p && a[ea-1] == b[eb-1] {
		ea--
		eb--
	}
	for ea < len(a) && !utf8.RuneStart(a[ea]) || eb < len(b) && !utf8.RuneStart(b[eb]) {
		ea++
		eb++
	}
	return p, ea, p, eb
}

// plural is "s" unless n is 1.
func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
