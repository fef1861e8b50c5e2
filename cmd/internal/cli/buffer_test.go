package cli

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/logdiff/logdiff/cmd/internal/iostreams"
	"github.com/logdiff/logdiff/internal/sniff"
	"github.com/logdiff/logdiff/logdiff"
)

func gz(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

// TestBufferStdin checks what standard input goes through before the
// engine sees it: the binary check on its first bytes (gzip undone) before
// anything is written, and the --max-bytes bound on the copy.
func TestBufferStdin(t *testing.T) {
	text := []byte(strings.Repeat("a line of a log\n", 1000))  // 16,000 bytes
	nulLate := append(bytes.Repeat([]byte("x"), sniff.Len), 0) // NUL past the sniffed head
	for _, tt := range []struct {
		name    string
		in      []byte
		scan    logdiff.ScanOptions
		wantErr string // "" when the copy must equal in
	}{
		{"text", text, logdiff.ScanOptions{}, ""},
		{"empty (the engine says so)", nil, logdiff.ScanOptions{}, ""},
		{"NUL first", append([]byte{0}, text...), logdiff.ScanOptions{}, "reading standard input: input looks binary"},
		{"NUL in the head", append(bytes.Repeat([]byte("x"), sniff.Len-1), 0), logdiff.ScanOptions{}, "reading standard input: input looks binary"},
		{"NUL past the head", nulLate, logdiff.ScanOptions{}, ""},
		{"NUL with --text", append([]byte{0}, text...), logdiff.ScanOptions{Text: true}, ""},
		{"gzip of text", gz(t, text), logdiff.ScanOptions{}, ""},
		{"gzip of zeros", gz(t, make([]byte, 1<<20)), logdiff.ScanOptions{}, "reading standard input: input looks binary"},
		{"gzip of zeros with --text", gz(t, make([]byte, 1<<20)), logdiff.ScanOptions{Text: true}, ""},
		{"at the limit", text, logdiff.ScanOptions{MaxBytes: int64(len(text))}, ""},
		// Over the limit, the copy fails as the engine would on a file:
		// a *logdiff.LimitError, which errorText gives its hint.
		{"over the limit", text, logdiff.ScanOptions{MaxBytes: int64(len(text)) - 1}, "reading standard input: input too large: more than 15.6 KiB (15999 bytes) of log text (raise --max-bytes to read it)"},
		{"over 1MiB", bytes.Repeat(text, 100), logdiff.ScanOptions{MaxBytes: 1 << 20}, "reading standard input: input too large: more than 1 MiB (1048576 bytes) of log text (raise --max-bytes to read it)"},
		// A runaway pipe of short lines stops at the line limit, before
		// the byte limit has filled the disk.
		{"over the line limit", text, logdiff.ScanOptions{MaxLines: 999}, "reading standard input: input too large: more than 999 lines (raise --max-lines to read it)"},
		{"at the line limit", text, logdiff.ScanOptions{MaxLines: 1000}, ""},
		{"gzip: lines counted once inflated", gz(t, text), logdiff.ScanOptions{MaxLines: 1}, ""},
		{"over a few bytes", text, logdiff.ScanOptions{MaxBytes: 100}, "reading standard input: input too large: more than 100 bytes of log text (raise --max-bytes to read it)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("TMPDIR", t.TempDir())
			ios, in, _, _ := iostreams.Test()
			in.Write(tt.in)
			f := &Factory{IO: ios}
			defer f.temp.remove()
			inputs, cleanup, err := localInputs(context.Background(), f, []string{"-"}, tt.scan)
			if tt.wantErr != "" {
				if err == nil || !strings.HasPrefix(errorText(err), tt.wantErr) {
					t.Fatalf("error %v, want %s", err, tt.wantErr)
				}
				if n := filesIn(t, f.temp.path()); n > 0 {
					t.Errorf("%d files left after the error", n)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer cleanup()
			rc, err := inputs[0].Open()
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(rc)
			rc.Close()
			if !bytes.Equal(got, tt.in) || inputs[0].Name != "standard input" {
				t.Errorf("buffered %d bytes as %s, want the %d of the input", len(got), inputs[0].Name, len(tt.in))
			}
		})
	}
}

func filesIn(t *testing.T, dir string) int {
	t.Helper()
	if dir == "" {
		return 0
	}
	n := 0
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.Name() != ".lock" {
			sub, _ := os.ReadDir(dir + "/" + e.Name())
			n += 1 + len(sub)
		}
	}
	return n
}

// TestBufferCancelled checks that a copy blocked in a read (a pipe whose
// writer went quiet) ends when the context does.
func TestBufferCancelled(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	pr, pw := io.Pipe()
	defer pw.Close()
	go pw.Write([]byte("some lines\nthen nothing\n"))
	ios, _, _, _ := iostreams.Test()
	ios.In = pr
	f := &Factory{IO: ios}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		// Cancel once the copy has started: its directory is there.
		for {
			if f.temp.path() != "" {
				cancel()
				return
			}
			runtime.Gosched()
		}
	}()
	_, _, err := localInputs(ctx, f, []string{"-"}, logdiff.ScanOptions{})
	if !errors.Is(err, context.Canceled) || !strings.HasPrefix(err.Error(), "reading standard input: ") {
		t.Fatalf("error %v, want reading standard input: context canceled", err)
	}
	root := f.temp.path()
	f.temp.remove()
	if _, err := os.Stat(root); !os.IsNotExist(err) {
		t.Errorf("%s left", root)
	}
}
