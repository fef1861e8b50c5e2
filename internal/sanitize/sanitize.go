// Package sanitize makes untrusted text safe to show on a terminal: every
// byte or rune a terminal may act on instead of print becomes a visible
// escape.
//
// Escaped: C0 controls (U+0000–U+001F) except tab, DEL (U+007F), C1
// controls (U+0080–U+009F), every byte that is not part of valid UTF-8
// (the raw byte 0x9B is read as CSI by many terminals), and the
// bidirectional controls that reorder what follows them (U+061C,
// U+200E, U+200F, U+202A–U+202E, U+2066–U+2069), and the noncharacters
// U+FFFE and U+FFFF, which XML forbids. A newline is shown as
// \n, a carriage return as \r, another byte as \xNN, a rune as \uNNNN.
// Everything else, a backslash included, is kept, so clean text comes back
// unchanged and String(String(s)) == String(s).
package sanitize

import (
	"encoding/binary"
	"unicode/utf8"
)

// String returns s with every unsafe byte or rune escaped, newlines too:
// the result is one line. It returns s itself when nothing needs escaping.
func String(s string) string { return clean(s, false) }

// Text is String for text of several lines, such as an error that joins
// several errors: newlines are kept.
func Text(s string) string { return clean(s, true) }

// Append appends s to dst with every unsafe byte or rune escaped, newlines
// too, as String does, without building a string.
func Append(dst, s []byte) []byte {
	for i := 0; i < len(s); {
		// Runs of printable ASCII, nearly all of a log, are appended in
		// one piece (logdiff normalize shows every key through here).
		k := plainRun(s, i)
		for k < len(s) && plainASCII[s[k]] {
			k++
		}
		if k > i {
			dst = append(dst, s[i:k]...)
			i = k
			continue
		}
		c := s[i]
		if c < utf8.RuneSelf {
			dst = appendByte(dst, c)
			i++
			continue
		}
		r, size := utf8.DecodeRune(s[i:])
		dst = appendRune(dst, s[i:i+size], r, size)
		i += size
	}
	return dst
}

func clean(s string, keepNewline bool) string {
	i := firstUnsafe(s, keepNewline)
	if i < 0 {
		return s
	}
	b := make([]byte, 0, len(s)+16)
	b = append(b, s[:i]...)
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			if unsafeASCII[c] && !(keepNewline && c == '\n') {
				b = appendByte(b, c)
			} else {
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		b = appendRune(b, []byte(s[i:i+size]), r, size)
		i += size
	}
	return string(b)
}

// firstUnsafe returns the index of the first byte that starts something
// to escape, or -1.
func firstUnsafe(s string, keepNewline bool) int {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if unsafeASCII[c] && !(keepNewline && c == '\n') {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || unsafeRune(r) {
			return i
		}
		i += size
	}
	return -1
}

// appendRune appends the rune r, whose encoding in the input is enc, or
// its escape.
func appendRune(dst, enc []byte, r rune, size int) []byte {
	switch {
	case r == utf8.RuneError && size == 1:
		return appendByte(dst, enc[0])
	case unsafeRune(r):
		const hex = "0123456789abcdef"
		return append(dst, '\\', 'u', hex[r>>12&0xf], hex[r>>8&0xf], hex[r>>4&0xf], hex[r&0xf])
	}
	return append(dst, enc...)
}

func appendByte(dst []byte, c byte) []byte {
	const hex = "0123456789abcdef"
	switch c {
	case '\n':
		return append(dst, '\\', 'n')
	case '\r':
		return append(dst, '\\', 'r')
	}
	return append(dst, '\\', 'x', hex[c>>4], hex[c&0xf])
}

// unsafeRune reports a rune at or above U+0080 that must be escaped: a C1
// control, a bidirectional control, or the noncharacters U+FFFE and
// U+FFFF, which XML forbids (the JUnit and HTML reports use this too).
func unsafeRune(r rune) bool {
	switch {
	case r >= 0x80 && r <= 0x9f:
		return true
	case r == 0xfffe, r == 0xffff:
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f:
		return true
	case r >= 0x202a && r <= 0x202e:
		return true
	case r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

// plainRun returns the end of the run of printable ASCII (0x20 to 0x7e)
// that starts at s[i], or an earlier index from where the run goes on with
// a tab or ends: it looks at eight bytes at a time.
func plainRun(s []byte, i int) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for i+8 <= len(s) {
		x := binary.LittleEndian.Uint64(s[i:])
		// A byte of x below 0x20 (x - 0x20.. borrows into its high bit),
		// at or above 0x80 (its high bit), or 0x7f (x ^ 0x7f.. has a zero
		// byte) ends the run.
		del := x ^ 0x7f*ones
		if ((x-0x20*ones)|x|(del-ones)&^del)&highs != 0 {
			break
		}
		i += 8
	}
	return i
}

// plainASCII marks the ASCII bytes kept as they are: indexed by any byte,
// so that Append's loop over them needs no bounds check.
var plainASCII = func() (t [256]bool) {
	for c := range utf8.RuneSelf {
		t[c] = !unsafeASCII[c]
	}
	return t
}()

// unsafeASCII marks the C0 controls but tab, and DEL.
var unsafeASCII = func() (t [utf8.RuneSelf]bool) {
	for c := range 0x20 {
		t[c] = c != '\t'
	}
	t[0x7f] = true
	return t
}()

// Cut shortens s to at most n runes, the last an ellipsis when it cuts,
// counting a byte that is not UTF-8 as one rune and keeping it as it is
// (a conversion to []rune would make it U+FFFD, and the reader would lose
// the byte the sanitizer shows as \xNN). It never splits a rune.
func Cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i, k := 0, 0
	for ; i < len(s) && k < n; k++ {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	if i == len(s) {
		return s
	}
	if n <= 0 {
		return ""
	}
	// n runes do not hold s: keep n-1 and the ellipsis.
	i = 0
	for k = 0; k < n-1; k++ {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return s[:i] + "…"
}
