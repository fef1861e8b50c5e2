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
		{"OSC ended by ST stripped", []byte("\x1b]8;;https://x.test/\x1b\\link\x1b]8;;\x1b\\ text\n"), ScanOptions{}, []string{"link text"}},
		{"raw 0x9b (C1 CSI) kept as invalid UTF-8", []byte("\x1b[1merror\x1b[0m \x9b2J\n"), ScanOptions{}, []string{"error \x9b2J"}},
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

// TestScanLimits: an input within MaxBytes and MaxLines is read whole; one
// byte or line more is a *LimitError that says which limit, and matches
// ErrTooLarge. Bytes are counted after gzip decompression.
func TestScanLimits(t *testing.T) {
	text := strings.Repeat("0123456789\n", 100) // 1100 bytes, 100 lines
	tests := []struct {
		name      string
		in        []byte
		opts      ScanOptions
		wantLines bool  // a line limit error, not a byte one
		wantLimit int64 // 0: no error
	}{
		{"at the byte limit", []byte(text), ScanOptions{MaxBytes: 1100}, false, 0},
		{"a byte past it", []byte(text), ScanOptions{MaxBytes: 1099}, false, 1099},
		{"at the line limit", []byte(text), ScanOptions{MaxLines: 100}, false, 0},
		{"a line past it", []byte(text), ScanOptions{MaxLines: 99}, true, 99},
		{"no final newline, at the line limit", []byte(strings.TrimSuffix(text, "\n")), ScanOptions{MaxLines: 100}, false, 0},
		{"gzip counts the text, not the gzip", gz(text), ScanOptions{MaxBytes: 1100}, false, 0},
		{"gzip a byte past it", gz(text), ScanOptions{MaxBytes: 1099}, false, 1099},
		{"a gzip bomb of many members", bytes.Repeat(gz(text), 1000), ScanOptions{MaxBytes: 100 << 10}, false, 100 << 10},
		{"a byte past it in one long line", []byte(strings.Repeat("x", 700<<10)), ScanOptions{MaxBytes: 600 << 10}, false, 600 << 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines, err := scanAll(t, tt.in, tt.opts)
			if tt.wantLimit == 0 {
				if err != nil || len(lines) != 100 {
					t.Fatalf("%d lines, error %v; want 100 lines", len(lines), err)
				}
				return
			}
			var le *LimitError
			if !errors.As(err, &le) || !errors.Is(err, ErrTooLarge) {
				t.Fatalf("error %v, want a *LimitError", err)
			}
			if le.Lines != tt.wantLines || le.Limit != tt.wantLimit {
				t.Errorf("got %+v, want lines %v limit %d", *le, tt.wantLines, tt.wantLimit)
			}
			if strings.Contains(err.Error(), "--") {
				t.Errorf("%q names a flag: the command line adds that", err)
			}
		})
	}
}

func TestScanLimitDefaults(t *testing.T) {
	tests := []struct {
		opts       ScanOptions
		bytes      int64
		lines      int
		bytesLimit string
	}{
		{ScanOptions{}, DefaultMaxBytes, DefaultMaxLines, "8 GiB"},
		{ScanOptions{MaxBytes: 5 << 20, MaxLines: 7}, 5 << 20, 7, "5 MiB"},
		// Line numbers are 32-bit: no more lines than that, whatever is asked.
		{ScanOptions{MaxLines: 1 << 40}, DefaultMaxBytes, 1<<31 - 1, "8 GiB"},
	}
	for _, tt := range tests {
		if b, l := tt.opts.maxBytes(), tt.opts.maxLines(); b != tt.bytes || l != tt.lines {
			t.Errorf("%+v: limits %d bytes, %d lines; want %d, %d", tt.opts, b, l, tt.bytes, tt.lines)
		}
		if msg := (&LimitError{Limit: tt.opts.maxBytes()}).Error(); !strings.Contains(msg, tt.bytesLimit) {
			t.Errorf("%q does not say %s", msg, tt.bytesLimit)
		}
	}
}

// TestScanSkip: a scan that skips lines passes fn the others, numbered and
// shown as a scan of every line shows them, whatever the skipped lines hold
// (lines longer than the reader's buffer, redraws, no final newline); it
// counts them all, stops at the line limit and at a skipper's error.
func TestScanSkip(t *testing.T) {
	long := strings.Repeat("y", 600<<10)
	inputs := map[string][]byte{
		"plain":       []byte("a\nb\nc\nd\ne\n"),
		"no final nl": []byte("a\nb\nc"),
		"long lines":  []byte("a\n" + long + "\nc\n" + long + "\n" + long + "x\ny"),
		"redraws":     []byte("0%\r100%\n\x1b[1mB\x1b[0m\nc\r\n\n\n"),
		"gzip":        gz("one\ntwo\nthree\n" + long + "\nfive\n"),
		"one line":    []byte("only"),
	}
	skips := map[string]func(n int) bool{
		"none":  func(int) bool { return false },
		"all":   func(int) bool { return true },
		"even":  func(n int) bool { return n%2 == 0 },
		"odd":   func(n int) bool { return n%2 == 1 },
		"not 3": func(n int) bool { return n != 3 },
	}
	for in, data := range inputs {
		opts := ScanOptions{MaxLineBytes: 1000}
		all, err := scanAll(t, data, opts)
		if err != nil {
			t.Fatal(err)
		}
		for sk, skip := range skips {
			t.Run(in+"/"+sk, func(t *testing.T) {
				got := map[int]string{}
				asked := 0
				n, err := scanSum(bytes.NewReader(data), opts, nil, func(n int) (bool, error) {
					asked++
					if n != asked {
						t.Fatalf("asked about line %d after %d lines", n, asked-1)
					}
					return skip(n), nil
				}, func(n int, line []byte) error {
					got[n] = string(line)
					return nil
				})
				if err != nil || n != len(all) || asked != len(all) {
					t.Fatalf("scan: %d lines, asked about %d, err %v; want %d lines", n, asked, err, len(all))
				}
				for i, line := range all {
					if text, ok := got[i+1]; ok == skip(i+1) || ok && text != line {
						t.Errorf("line %d: passed %v (%.20q), want passed %v (%.20q)", i+1, ok, text, !skip(i+1), line)
					}
				}
			})
		}
	}
	t.Run("line limit", func(t *testing.T) {
		_, err := scanSum(strings.NewReader("a\nb\nc\n"), ScanOptions{MaxLines: 2}, nil,
			func(int) (bool, error) { return true, nil }, func(int, []byte) error { return nil })
		if !errors.Is(err, ErrTooLarge) {
			t.Errorf("err %v, want ErrTooLarge", err)
		}
	})
	t.Run("skipper error", func(t *testing.T) {
		boom := errors.New("boom")
		n, err := scanSum(strings.NewReader("a\nb\nc\n"), ScanOptions{}, nil,
			func(n int) (bool, error) {
				if n == 3 {
					return false, boom
				}
				return true, nil
			}, func(int, []byte) error { return nil })
		if err != boom || n != 2 {
			t.Errorf("%d lines, err %v; want 2 and the skipper's error", n, err)
		}
	})
}
