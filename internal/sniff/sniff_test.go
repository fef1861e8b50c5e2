package sniff

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"strings"
	"testing"
)

func gz(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestHead: what an input's head says, read the way the CLI reads a pipe
// (through a buffer, gzip undone), and nothing of the input consumed.
func TestHead(t *testing.T) {
	text := []byte(strings.Repeat("a line of a log\n", 1000))
	for _, tt := range []struct {
		name         string
		in           []byte
		gzip, binary bool
		headLen      int
	}{
		{"text", text, false, false, Len},
		{"short text", []byte("one line\n"), false, false, 9},
		{"empty", nil, false, false, 0},
		{"NUL first", append([]byte{0}, text...), false, true, Len},
		{"NUL last of the head", append(bytes.Repeat([]byte("x"), Len-1), 0), false, true, Len},
		{"NUL past the head", append(bytes.Repeat([]byte("x"), Len), 0), false, false, Len},
		{"gzip of text", gz(t, text), true, false, Len},
		{"gzip of zeros", gz(t, make([]byte, 1<<20)), true, true, Len},
		{"bad gzip header", []byte{0x1f, 0x8b, 0, 0}, true, false, 0},
		{"truncated gzip", gz(t, text)[:40], true, false, -1}, // some of the text, not all
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := Gzip(tt.in); got != tt.gzip {
				t.Errorf("Gzip = %v, want %v", got, tt.gzip)
			}
			br := bufio.NewReaderSize(bytes.NewReader(tt.in), 64<<10)
			head, err := Head(br)
			if err != nil {
				t.Fatal(err)
			}
			if got := Binary(head); got != tt.binary {
				t.Errorf("Binary(head) = %v, want %v", got, tt.binary)
			}
			if tt.headLen >= 0 && len(head) != tt.headLen {
				t.Errorf("head of %d bytes, want %d", len(head), tt.headLen)
			}
			if tt.headLen < 0 && (len(head) == 0 || len(head) >= Len) {
				t.Errorf("head of %d bytes, want some", len(head))
			}
			if br.Buffered() != len(tt.in) {
				t.Errorf("%d bytes buffered, want all %d: Head must not consume", br.Buffered(), len(tt.in))
			}
		})
	}
}
