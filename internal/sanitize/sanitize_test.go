package sanitize

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestString(t *testing.T) {
	for _, tt := range []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"plain", "error: cannot find kubernetes-node.tar.gz", "error: cannot find kubernetes-node.tar.gz"},
		{"tab kept", "a\tb", "a\tb"},
		{"backslash kept", `C:\logs\x1b.log`, `C:\logs\x1b.log`},
		{"unicode kept", "naïve — 日本語 ✓", "naïve — 日本語 ✓"},
		{"ESC", "file\x1b[31mred.log", `file\x1b[31mred.log`},
		{"newline", "a\nb", `a\nb`},
		{"carriage return", "ok\rFAIL", `ok\rFAIL`},
		{"NUL and BEL", "a\x00b\x07", `a\x00b\x07`},
		{"DEL", "a\x7fb", `a\x7fb`},
		{"C1 encoded", "error: \u009d0;pwned\u009c", `error: \u009d0;pwned\u009c`},
		{"C1 NEL", "a\u0085b", `a\u0085b`},
		{"raw CSI byte", "a\x9b2J", `a\x9b2J`},
		{"raw byte 0x80", "\x80", `\x80`},
		{"Latin-1 byte", "caf\xe9", `caf\xe9`},
		{"truncated rune", "ab\xe6\x97", `ab\xe6\x97`},
		{"bidi override", "evil\u202egol.exe", `evil\u202egol.exe`},
		{"bidi isolates", "\u2066x\u2069", `\u2066x\u2069`},
		{"bidi marks", "\u200e\u200f\u061c", `\u200e\u200f\u061c`},
		{"bidi embedding", "\u202a\u202b\u202c\u202d", `\u202a\u202b\u202c\u202d`},
		{"neighbours kept", "\u00a0\u2065\u206a\u202f\u200d", "\u00a0\u2065\u206a\u202f\u200d"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := String(tt.in); got != tt.want {
				t.Errorf("String(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if got := string(Append([]byte("> "), []byte(tt.in))); got != "> "+tt.want {
				t.Errorf("Append(%q) = %q, want %q", tt.in, got, "> "+tt.want)
			}
			if got, want := Text(tt.in), strings.ReplaceAll(tt.want, `\n`, "\n"); got != want {
				t.Errorf("Text(%q) = %q, want %q", tt.in, got, want)
			}
		})
	}
}

// TestAppendEveryByte puts every byte value at every position of a line
// longer than the eight bytes Append looks at at once: Append escapes it
// as String, which looks at one byte at a time, does.
func TestAppendEveryByte(t *testing.T) {
	clean := []byte("a clean line, long enough: ~20 bytes")
	for c := range 256 {
		for at := range 20 {
			in := append([]byte(nil), clean...)
			in[at] = byte(c)
			if got, want := string(Append(nil, in)), String(string(in)); got != want {
				t.Fatalf("byte %#02x at %d: Append = %q, String = %q", c, at, got, want)
			}
		}
	}
}

// TestCleanNotCopied checks the cheap exit: clean text is returned as it is.
func TestCleanNotCopied(t *testing.T) {
	s := strings.Repeat("a clean line of a log ", 100)
	if n := testing.AllocsPerRun(100, func() { _ = String(s) }); n != 0 {
		t.Errorf("String of clean text allocates %v times", n)
	}
}

// unsafeOut reports the first rune of s a terminal may act on (allowed
// lets newlines through), or -1.
func unsafeOut(s string, allowNewline bool) rune {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return utf8.RuneError
			}
		}
		switch {
		case r == '\t', r == '\n' && allowNewline:
		case r < 0x20, r == 0x7f, unsafeRune(r):
			return r
		}
	}
	return -1
}

func FuzzString(f *testing.F) {
	for _, s := range []string{"", "plain", "a\x1b[2Jb", "\xc2\x9d0;x\xc2\x9c \x9b2J", "\u202eabc", "\xff\xfe", `\x1b`, "a\nb\r"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := String(s)
		if r := unsafeOut(out, false); r >= 0 {
			t.Fatalf("String(%q) = %q holds %U", s, out, r)
		}
		if again := String(out); again != out {
			t.Fatalf("String is not idempotent: %q, then %q", out, again)
		}
		if unsafeOut(s, false) < 0 && out != s {
			t.Fatalf("String changed clean text %q to %q", s, out)
		}
		if b := Append(nil, []byte(s)); string(b) != out {
			t.Fatalf("Append(%q) = %q, String = %q", s, b, out)
		}
		text := Text(s)
		if r := unsafeOut(text, true); r >= 0 {
			t.Fatalf("Text(%q) = %q holds %U", s, text, r)
		}
		if strings.Count(text, "\n") != strings.Count(s, "\n") {
			t.Fatalf("Text(%q) = %q changed the lines", s, text)
		}
	})
}

func TestCut(t *testing.T) {
	for _, tt := range []struct {
		s    string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"exactly", 7, "exactly"},
		{"one too long", 11, "one too lo…"},
		{"héllo wörld", 11, "héllo wörld"}, // 13 bytes, 11 runes
		{"héllo wörld", 6, "héllo…"},
		{"a\xff\xfeb tail", 5, "a\xff\xfeb…"}, // invalid bytes kept, one rune each
		{"\xff\xff\xff\xff", 4, "\xff\xff\xff\xff"},
		{"日本語のテキスト", 4, "日本語…"},
		{"abc", 0, ""},
	} {
		if got := Cut(tt.s, tt.n); got != tt.want {
			t.Errorf("Cut(%q, %d) = %q, want %q", tt.s, tt.n, got, tt.want)
		}
	}
}
