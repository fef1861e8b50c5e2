package logdiff

import (
	"bytes"
	"compress/gzip"
	"errors"
	"strings"
	"testing"
)

func scanAll(t *testing.T, data []byte, opts ScanOptions) ([]string, error) {
	t.Helper()
	var out []string
	_, err := scanLines(bytes.NewReader(data), opts, func(n int, line []byte) error {
		if n != len(out)+1 {
			t.Fatalf("line numbered %d after %d lines", n, len(out))
		}
		out = append(out, string(line))
		return nil
	})
	return out, err
}

func gz(s string) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return b.Bytes()
}

func TestScanLines(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		opts ScanOptions
		want []string
	}{
		{"plain", []byte("a\nb\n"), ScanOptions{}, []string{"a", "b"}},
		{"no final newline", []byte("a\nb"), ScanOptions{}, []string{"a", "b"}},
		{"blank lines count", []byte("a\n\n\nb\n"), ScanOptions{}, []string{"a", "", "", "b"}},
		{"CRLF", []byte("a\r\nb\r\n"), ScanOptions{}, []string{"a", "b"}},
		{"bare CR redraw keeps what a terminal shows", []byte("  0%\r 50%\r100% done\nnext\n"), ScanOptions{}, []string{"100% done", "next"}},
		{"shorter redraw overwrites the start only", []byte("abcdef\rXY\n"), ScanOptions{}, []string{"XYcdef"}},
		{"erase in line after CR", []byte("downloading 50%\r\x1b[Kdone\n"), ScanOptions{}, []string{"done"}},
		{"ANSI colour stripped", []byte("\x1b[1;31mFAIL\x1b[0m: TestX\n"), ScanOptions{}, []string{"FAIL: TestX"}},
		{"OSC title stripped", []byte("\x1b]0;title\x07text\n"), ScanOptions{}, []string{"text"}},
		{"backspace", []byte("ab\bc\n"), ScanOptions{}, []string{"ac"}},
		{"invalid UTF-8 kept byte for byte", []byte("a\xff\xfeb\n"), ScanOptions{}, []string{"a\xff\xfeb"}},
		{"invalid UTF-8 kept through a redraw", []byte("x\ra\xffb\n"), ScanOptions{}, []string{"a\xffb"}},
		{"gzip by magic bytes", gz("one\ntwo\n"), ScanOptions{}, []string{"one", "two"}},
		{"long line cut with a marker", []byte(strings.Repeat("x", 300) + "\nshort\n"), ScanOptions{MaxLineBytes: 256},
			[]string{strings.Repeat("x", 256) + " …[cut 44 bytes]", "short"}},
		{"line longer than the read buffer", []byte(strings.Repeat("y", 600<<10) + "\nz\n"), ScanOptions{MaxLineBytes: 1000},
			[]string{strings.Repeat("y", 1000) + " …[cut 613400 bytes]", "z"}},
		{"cut never splits a UTF-8 sequence", []byte(strings.Repeat("é", 200) + "\n"), ScanOptions{MaxLineBytes: 257},
			[]string{strings.Repeat("é", 128) + " …[cut 144 bytes]"}},
		{"NUL read as text when asked", []byte("a\x00b\n"), ScanOptions{Text: true}, []string{"a\x00b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := scanAll(t, tt.in, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestScanErrors(t *testing.T) {
	full := gz(strings.Repeat("line of a log\n", 10000))
	tests := []struct {
		name string
		in   []byte
		want error
		msg  string
	}{
		{"empty", nil, ErrEmpty, "empty log"},
		{"empty gzip", gz(""), ErrEmpty, "empty log"},
		{"binary", append([]byte("ELF"), 0, 1, 2), ErrBinary, "NUL byte"},
		{"truncated gzip", full[:len(full)/2], nil, "truncated input"},
		{"corrupt gzip header", []byte{0x1f, 0x8b, 0, 0}, nil, "gzip"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := scanAll(t, tt.in, ScanOptions{})
			if err == nil {
				t.Fatal("no error")
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("error %v, want %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q does not say %q", err, tt.msg)
			}
		})
	}
}
