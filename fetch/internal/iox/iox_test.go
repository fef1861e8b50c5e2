package iox

import (
	"errors"
	"io"
	"io/fs"
	"strings"
	"testing"
	"testing/iotest"
)

func TestChecked(t *testing.T) {
	tests := []struct {
		name        string
		r           io.Reader
		size, limit int64
		want, err   string
	}{
		{"whole", strings.NewReader("abcdef"), 6, 0, "abcdef", ""},
		{"unknown size", strings.NewReader("abcdef"), -1, 0, "abcdef", ""},
		{"short", strings.NewReader("abc"), 6, 0, "abc", "u: truncated download: got 3 of 6 bytes"},
		{"long", strings.NewReader("abcdefg"), 6, 0, "abcdefg", "u: got 7 bytes, 6 announced"},
		{"at the limit", strings.NewReader("abcdef"), -1, 6, "abcdef", ""},
		{"over the limit", strings.NewReader("abcdefg"), -1, 6, "abcdef", "u: larger than the limit of 6 bytes"},
		{"one byte at a time", iotest.OneByteReader(strings.NewReader("abcdefg")), -1, 6, "abcdef", "u: larger than the limit of 6 bytes"},
		{"unexpected EOF", iotest.ErrReader(io.ErrUnexpectedEOF), 6, 0, "", "u: truncated download after 0 bytes"},
		{"other error", iotest.ErrReader(errors.New("reset")), 6, 0, "", "reading u: reset"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := io.ReadAll(Checked(io.NopCloser(tt.r), "u", tt.size, tt.limit))
			if string(got) != tt.want {
				t.Errorf("read %q, want %q", got, tt.want)
			}
			if (err == nil) != (tt.err == "") || err != nil && !strings.HasPrefix(err.Error(), tt.err) {
				t.Errorf("error %v, want %q", err, tt.err)
			}
		})
	}
}

func TestStatusErrors(t *testing.T) {
	cause := errors.New("404 from the server")
	nf := NotFound("gs://b/o", cause)
	if nf.Error() != "gs://b/o: not found" || !errors.Is(nf, fs.ErrNotExist) || errors.Is(nf, fs.ErrPermission) || !errors.Is(nf, cause) {
		t.Errorf("NotFound: %v", nf)
	}
	d := Denied("gs://b/o", "HTTP 403", nil)
	if d.Error() != "gs://b/o: permission denied (HTTP 403)" || !errors.Is(d, fs.ErrPermission) || errors.Is(d, fs.ErrNotExist) {
		t.Errorf("Denied: %v", d)
	}
}
