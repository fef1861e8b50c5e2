package report

import (
	"path"
	"strings"
	"unicode/utf8"
)

// clean makes untrusted text safe to show in every format: invalid UTF-8
// and the noncharacters U+FFFE and U+FFFF become U+FFFD; C0 controls (but
// tab, and newline when keepNL) and DEL become their Control Pictures
// (ESC shows as ␛), so nothing is illegal in XML 1.0, nothing moves a
// terminal's cursor and the reader still sees that something was there;
// bidirectional overrides and isolates become U+FFFD, so no text can
// reorder what is around it.
func clean(s string, keepNL bool) string {
	ok := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' && c != '\t' && (c != '\n' || !keepNL) || c == 0x7f || c >= 0x80 {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case r == '\t' || r == '\n' && keepNL:
			b.WriteRune(r)
		case r < ' ':
			b.WriteRune(0x2400 + r)
		case r == 0x7f:
			b.WriteRune('␡')
		case r == utf8.RuneError, r == 0xFFFE, r == 0xFFFF,
			r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
			b.WriteRune(utf8.RuneError)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// cut shortens s to at most n runes, marking the cut with an ellipsis.
func cut(s string, n int) string {
	if len(s) <= n || utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for k := 0; k < n-1; k++ {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return s[:i] + "…"
}

// shortName keeps the last three elements of a path, enough to tell runs
// apart (job/build/file), as the text report does.
func shortName(s string) string {
	parts := strings.Split(path.Clean(strings.ReplaceAll(s, "\\", "/")), "/")
	if len(parts) > 3 {
		parts = parts[len(parts)-3:]
	}
	return strings.Join(parts, "/")
}

// changedSpan returns the byte range of b that differs from a (common
// prefix and suffix taken off, on rune boundaries), to highlight what
// changed in a changed line.
func changedSpan(a, b string) (start, end int) {
	for start < len(a) && start < len(b) && a[start] == b[start] {
		start++
	}
	for start > 0 && !utf8.RuneStart(b[start]) {
		start--
	}
	end = len(b)
	ea := len(a)
	for end > start && ea > start && a[ea-1] == b[end-1] {
		end--
		ea--
	}
	for end < len(b) && !utf8.RuneStart(b[end]) {
		end++
	}
	return start, end
}
