package sanitize

import (
	"strings"
	"testing"
)

// strip drops every sequence of line the way the log reader does: with
// SkipEscape at each ESC and at each raw CSI byte.
func strip(line string) (string, []string) {
	var out strings.Builder
	var finals []string
	b := []byte(line)
	for i := 0; i < len(b); {
		if b[i] != ESC && b[i] != CSI {
			out.WriteByte(b[i])
			i++
			continue
		}
		next, final, param := SkipEscape(b, i)
		if final != 0 {
			finals = append(finals, string(final)+":"+itoa(param))
		}
		i = next
	}
	return out.String(), finals
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var s []byte
	for ; n > 0; n /= 10 {
		s = append([]byte{byte('0' + n%10)}, s...)
	}
	return string(s)
}

// streamStrip drops every sequence of line the way the JUnit filter does,
// a byte at a time with Escape, split in reads of one byte.
func streamStrip(line string) string {
	var e Escape
	var out strings.Builder
	for i := 0; i < len(line); i++ {
		b := line[i]
		if e.Active() && e.Step(b) {
			continue
		}
		if b == ESC || b == CSI {
			e.Start(b)
			continue
		}
		out.WriteByte(b)
	}
	return out.String()
}

func TestEscape(t *testing.T) {
	for _, tt := range []struct {
		name, in, want string
		finals         []string // CSI final bytes and first parameters
	}{
		{"plain", "no escapes", "no escapes", nil},
		{"CSI colour", "\x1b[1;31mred\x1b[0m text", "red text", []string{"m:1", "m:0"}},
		{"CSI without parameters", "a\x1b[mb", "ab", []string{"m:0"}},
		{"CSI erase in line", "x\x1b[2Ky", "xy", []string{"K:2"}},
		{"CSI private parameters", "\x1b[?25lhidden cursor", "hidden cursor", []string{"l:0"}},
		{"CSI intermediate", "\x1b[1 qblock", "block", []string{"q:1"}},
		{"CSI huge parameter capped", "\x1b[99999999999Gx", "x", []string{"G:65536"}},
		{"CSI cut by a non-final byte", "\x1b[12\x07rest", "\x07rest", nil},
		{"CSI at the end", "text\x1b[12", "text", nil},
		{"C1 CSI 0x9b", "error \x9b2Jcleared", "error cleared", []string{"J:2"}},
		{"C1 CSI 0x9b alone", "end\x9b", "end", nil},
		{"OSC ended by BEL", "\x1b]0;title\x07after", "after", nil},
		{"OSC ended by ST", "\x1b]8;;https://x.test/\x1b\\link\x1b]8;;\x1b\\ text", "link text", nil},
		{"OSC unterminated", "a\x1b]0;title to the end", "a", nil},
		{"OSC cut by another escape", "\x1b]0;t\x1b[1mbold", "bold", []string{"m:1"}},
		{"DCS", "\x1bPq#0;2;0;0;0\x1b\\after", "after", nil},
		{"APC and PM", "\x1b_apc\x07\x1b^pm\x07x", "x", nil},
		{"lone ESC", "a\x1bb", "a", nil},
		{"lone ESC at the end", "a\x1b", "a", nil},
		{"lone ESC before a control", "a\x1b\tb", "a\tb", nil},
		{"ESC ESC", "a\x1b\x1b[1mb", "ab", []string{"m:1"}},
		{"ESC with intermediates", "\x1b(Bascii \x1b#8x", "ascii x", nil},
		{"ESC with a cut intermediate", "\x1b(\tx", "\tx", nil},
		{"two-byte escapes", "\x1b7saved\x1b8\x1bM", "saved", nil},
		{"UTF-8 after ESC kept", "\x1bé", "é", nil}, // its first byte ends the lone ESC
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, finals := strip(tt.in)
			if got != tt.want {
				t.Errorf("SkipEscape: %q gives %q, want %q", tt.in, got, tt.want)
			}
			if strings.Join(finals, " ") != strings.Join(tt.finals, " ") {
				t.Errorf("SkipEscape: %q gives CSI %v, want %v", tt.in, finals, tt.finals)
			}
			if got := streamStrip(tt.in); got != tt.want {
				t.Errorf("Escape, a byte at a time: %q gives %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
