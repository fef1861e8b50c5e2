package junit

import (
	"encoding/xml"
	"unicode/utf8"

	"github.com/logdiff/logdiff/internal/sanitize"
)

// Test reporters write what the tests printed into the XML as it came:
// terminal colour codes (raw ESC bytes, or "&#27;" references), other
// control characters, invalid UTF-8. XML 1.0 forbids all of them and
// encoding/xml stops at the first one, which would lose every test case
// after it. So the filter cleans them on their way to the decoder: escape
// sequences are dropped (as a terminal would show the text), other
// forbidden characters and references to them are dropped, and invalid
// UTF-8 becomes U+FFFD. The escape sequences are sanitize.Escape's (a raw
// byte 0x9B, a C1 CSI, starts one too).

// plain marks the bytes copied as they are: printable ASCII but '&', and
// tab, newline and carriage return.
var plain = func() (t [256]bool) {
	for b := 0x20; b < 0x80; b++ {
		t[b] = b != '&'
	}
	t['\t'], t['\n'], t['\r'] = true, true, true
	return t
}()

// cutMark stands, in the filter's output, for text it cut away; the
// parser sees it and drops it. A U+E000 of the input (a private-use
// character, in no test report) becomes U+FFFD so that the mark is only
// ever the filter's.
const cutMark = "\uE000"

// clean appends src, cleaned, to dst, and returns how much of src it
// used: all of it unless src ends inside a construct that needs more
// bytes to judge and final is false, or it reached stop. It stops at
// stop or just after, never inside a rune or a reference, so where it
// stops depends on the text alone, not on how reads split it. In CDATA
// ('cdata'), '&' is text.
func (f *filter) clean(dst, src []byte, final, cdata bool, stop int) ([]byte, int) {
	i := 0
	for i < len(src) && i < stop {
		b := src[i]
		if f.esc.Active() {
			if f.escByte(b) {
				i++
			}
			continue
		}
		if plain[b] || cdata && b == '&' {
			j := i + 1
			for j < len(src) && j < stop && (plain[src[j]] || cdata && src[j] == '&') {
				j++
			}
			dst = append(dst, src[i:j]...)
			i = j
			continue
		}
		switch {
		case b == sanitize.ESC:
			f.esc.Start(b)
			i++
		case b < 0x20: // not \t, \n or \r, which are plain
			i++
		case b == '&':
			code, n, complete := charRef(src[i:])
			if n == 0 && complete && src[i+1] != '#' {
				n, complete = entityRef(src[i:])
				code = 'x' // any character XML allows
			}
			if !complete && !final {
				return dst, i
			}
			switch {
			case n == 0:
				// A bare '&', or one that starts a reference without
				// ending it: XML would refuse it, and a reference
				// dropped after it could make one of it ("&#&#27;7;").
				// Escape it.
				dst = append(dst, "&amp;"...)
				i++
			case xmlChar(code):
				dst = append(dst, src[i:i+n]...)
				i += n
			case code == sanitize.ESC:
				f.esc.Start(sanitize.ESC)
				i += n
			default:
				i += n
			}
		default: // 0x80 and up
			if !utf8.FullRune(src[i:]) && !final {
				return dst, i
			}
			r, n := utf8.DecodeRune(src[i:])
			if r == utf8.RuneError && n == 1 && b == sanitize.CSI {
				f.esc.Start(b)
			} else if r == utf8.RuneError && n == 1 || !xmlChar(r) || r == 0xE000 {
				dst = append(dst, "\uFFFD"...)
			} else {
				dst = append(dst, src[i:i+n]...)
			}
			i += n
		}
	}
	if final && i == len(src) {
		// src ends at markup (a quote, a tag) or at the end of the
		// input: a sequence never spans it.
		f.esc.End()
	}
	return dst, i
}

var predefined = map[string]bool{"lt": true, "gt": true, "amp": true, "apos": true, "quot": true}

// entityRef reads an entity reference (&name;) at the start of b: its
// length, or 0 when b does not start with one the decoder knows (XML's
// own and HTML's); complete is false when b
// ends before that can be told.
func entityRef(b []byte) (n int, complete bool) {
	const maxLen = 40 // longer than any entity a report uses
	for i := 1; i < len(b) && i < maxLen; i++ {
		c := b[i]
		switch {
		case c == ';' && i > 1:
			if !predefined[string(b[1:i])] && xml.HTMLEntity[string(b[1:i])] == "" {
				return 0, true // the decoder would refuse it
			}
			return i + 1, true
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9' && i > 1,
			(c == '.' || c == '-' || c == '_' || c == ':') && i > 1:
		default:
			return 0, true
		}
	}
	return 0, len(b) >= maxLen
}

// escByte steps through an escape sequence, which is dropped, and says
// whether b belonged to it. Markup characters always end a sequence
// unconsumed, so that a stray ESC can never eat a quote or a tag.
func (f *filter) escByte(b byte) bool {
	if b == '<' || b == '>' || b == '&' || b == '"' || b == '\'' || b == '\n' {
		f.esc.End()
		return false
	}
	return f.esc.Step(b)
}

// charRef reads a character reference (&#N; or &#xH;) at the start of b:
// its code point and length, or n 0 when b does not start with one;
// complete is false when b ends before that can be told.
func charRef(b []byte) (code rune, n int, complete bool) {
	const maxLen = 12 // &#x10FFFF; and a little slack
	if len(b) < 2 {
		return 0, 0, false
	}
	if b[1] != '#' {
		return 0, 0, true
	}
	i, base := 2, rune(10)
	if i < len(b) && (b[i] == 'x' || b[i] == 'X') {
		i, base = 3, 16
	}
	start := i
	for ; i < len(b) && i < maxLen; i++ {
		c := b[i]
		var d rune
		switch {
		case c >= '0' && c <= '9':
			d = rune(c - '0')
		case base == 16 && c >= 'a' && c <= 'f':
			d = rune(c-'a') + 10
		case base == 16 && c >= 'A' && c <= 'F':
			d = rune(c-'A') + 10
		case c == ';' && i > start:
			return code, i + 1, true
		default:
			return 0, 0, true
		}
		code = code*base + d
		if code > utf8.MaxRune {
			return 0, 0, true
		}
	}
	return 0, 0, i >= maxLen
}

// xmlChar reports whether XML 1.0 allows r in a document.
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0a || r == 0x0d ||
		r >= 0x20 && r <= 0xd7ff ||
		r >= 0xe000 && r <= 0xfffd ||
		r >= 0x10000 && r <= 0x10ffff
}
