package cli

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"

	"github.com/logdiff/logdiff/internal/sniff"
	"github.com/logdiff/logdiff/logdiff"
)

// bufferInput copies an input that can be read only once (standard input,
// a pipe, a device) to the file path, since each log is read twice. open
// opens it; it may block (a FIFO waits for its writer) and is called in
// the copy's goroutine.
//
// Nothing is written before the first bytes are looked at: an input that
// looks binary (a NUL byte in its first 8000 bytes, after gzip is
// undone) is refused unless scan.Text, as the engine would refuse it
// after the copy; /dev/zero and /dev/urandom end there. The copy stops at
// scan.MaxBytes (--max-bytes), counted on the bytes as they come: for a
// gzip input that is its compressed size, which the limit on its
// decompressed size, applied by the engine, bounds too.
//
// When ctx ends, bufferInput returns at once with ctx's error, even if a
// read is blocked: the copy is left to its goroutine, the file to the
// caller's removal of its directory.
func bufferInput(ctx context.Context, name string, open func() (io.ReadCloser, error), path string, scan logdiff.ScanOptions) error {
	done := make(chan error, 1)
	var (
		src io.ReadCloser
		dst *os.File
	)
	opened := make(chan struct{})
	go func() {
		var err error
		defer func() { done <- err }()
		if src, err = open(); err != nil {
			close(opened)
			return
		}
		if dst, err = os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600); err != nil {
			close(opened)
			return
		}
		close(opened)
		err = copyInput(dst, src, scan)
		if cerr := dst.Close(); err == nil {
			err = cerr
		}
	}()
	select {
	case err := <-done:
		if src != nil {
			src.Close()
		}
		if err != nil {
			return fmt.Errorf("reading %s: %w", name, err)
		}
		return nil
	case <-ctx.Done():
		// Unblock the copy where the source allows it (a FIFO we opened
		// does; standard input may not): closing either end stops it.
		select {
		case <-opened:
			if src != nil {
				src.Close()
			}
			if dst != nil {
				dst.Close()
			}
		default:
		}
		return fmt.Errorf("reading %s: %w", name, context.Cause(ctx))
	}
}

// copyInput sniffs src's head, then copies src to dst, at most
// scan.MaxBytes bytes: one more is the engine's *logdiff.LimitError, so
// that the message and its hint are those of an input read from a file.
func copyInput(dst io.Writer, src io.Reader, scan logdiff.ScanOptions) error {
	br := bufio.NewReaderSize(src, 64<<10)
	if !scan.Text {
		head, err := sniff.Head(br)
		if err != nil {
			return err
		}
		if sniff.Binary(head) {
			return logdiff.ErrBinary
		}
	}
	limit := scan.MaxBytes
	if limit <= 0 {
		limit = DefaultMaxBytes
	}
	lines := &lineLimit{w: dst, max: int64(scan.MaxLines)}
	if lines.max <= 0 {
		lines.max = logdiff.DefaultMaxLines
	}
	if magic, _ := br.Peek(2); sniff.Gzip(magic) {
		lines.max = math.MaxInt64 // its lines are counted once inflated, by the engine
	}
	n, err := io.Copy(lines, io.LimitReader(br, limit+1))
	if lines.over {
		// A runaway pipe of short lines ('yes') stops at --max-lines,
		// not after --max-bytes of them on disk.
		return &logdiff.LimitError{Lines: true, Limit: lines.max}
	}
	if err != nil {
		return err
	}
	if n > limit {
		return &logdiff.LimitError{Limit: limit}
	}
	return nil
}

// lineLimit writes to w until more than max lines (newlines) went
// through, then fails.
type lineLimit struct {
	w    io.Writer
	max  int64
	n    int64
	over bool
}

var errTooManyLines = errors.New("too many lines")

func (l *lineLimit) Write(p []byte) (int, error) {
	l.n += int64(bytes.Count(p, []byte{'\n'}))
	if l.n > l.max {
		l.over = true
		return 0, errTooManyLines
	}
	return l.w.Write(p)
}
