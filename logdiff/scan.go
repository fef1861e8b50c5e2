package logdiff

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
)

// DefaultMaxLineBytes is where a line is cut when ScanOptions.MaxLineBytes is zero.
const DefaultMaxLineBytes = 64 << 10

// cutMarker ends a line that was cut at the line limit; the number of bytes
// dropped follows it.
const cutMarker = " …[cut "

// ScanOptions control how a log is read.
type ScanOptions struct {
	// MaxLineBytes cuts longer lines (after ANSI codes are removed) and marks
	// the cut; 0 means DefaultMaxLineBytes.
	MaxLineBytes int
	// Text reads input that looks binary (has a NUL byte in its first 8 KiB)
	// instead of refusing it.
	Text bool
	// MaxBytes bounds the bytes read from one input, counted after
	// decompression, and MaxLines its lines; past either, reading the
	// input is an error naming it. The CLI sets them from --max-bytes and
	// --max-lines. (The scanner that enforces them comes from another
	// branch: here they are plain fields, and the CLI bounds the copies it
	// makes of standard input and pipes with MaxBytes.)
	MaxBytes int64
	MaxLines int
}

func (o ScanOptions) maxLine() int {
	if o.MaxLineBytes <= 0 {
		return DefaultMaxLineBytes
	}
	return o.MaxLineBytes
}

// ErrBinary is returned for input that looks binary; ScanOptions.Text reads it anyway.
var ErrBinary = errors.New("input looks binary (NUL byte in the first 8 KiB)")

// ErrEmpty is returned for an input with no bytes at all.
var ErrEmpty = errors.New("empty log (0 bytes)")

// sniffLen is how much of the input is looked at to decide whether it is binary; git uses the same.
const sniffLen = 8000

// scanLines calls fn with every line of r, numbered from 1. A line is what
// ends with '\n' (or the end of input); a bare '\r' does not start a line, so
// the numbers match `vim +N` and Prow's #L anchors. The text passed to fn is
// what a terminal would show: ANSI escape codes removed, carriage-return
// redraws resolved, cut at the line limit with a marker. It is only valid
// during the call. Gzip input is recognized by its magic bytes.
func scanLines(r io.Reader, opts ScanOptions, fn func(n int, line []byte) error) (int, error) {
	br := bufio.NewReaderSize(r, 256<<10)
	magic, err := br.Peek(2)
	if err != nil && len(magic) == 0 {
		if err == io.EOF {
			return 0, ErrEmpty
		}
		return 0, err
	}
	if len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return 0, fmt.Errorf("reading gzip header: %w", err)
		}
		defer zr.Close()
		br = bufio.NewReaderSize(zr, 256<<10)
		if _, err := br.Peek(1); err == io.EOF {
			return 0, ErrEmpty
		} else if err != nil {
			return 0, gzipErr(err)
		}
	}
	if !opts.Text {
		head, _ := br.Peek(sniffLen)
		if bytes.IndexByte(head, 0) >= 0 {
			return 0, ErrBinary
		}
	}
	max := opts.maxLine()
	var (
		n       int
		long    []byte // holds a line longer than the reader's buffer, up to max+1 bytes
		inLong  bool
		dropped int // bytes of the current line beyond what long holds
		term    terminal
	)
	keep := func(chunk []byte) {
		take := min(max+1-len(long), len(chunk))
		if take < 0 {
			take = 0
		}
		long = append(long, chunk[:take]...)
		dropped += len(chunk) - take
	}
	for {
		chunk, err := br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			keep(chunk)
			inLong = true
			continue
		}
		if len(chunk) == 0 && !inLong {
			if err == nil || err == io.EOF {
				return n, nil
			}
			return n, gzipErr(err)
		}
		chunk = bytes.TrimSuffix(chunk, []byte{'\n'})
		line := chunk
		if inLong {
			keep(chunk)
			line = long
		}
		n++
		if ferr := fn(n, term.show(line, max, dropped)); ferr != nil {
			return n, ferr
		}
		long, inLong, dropped = long[:0], false, 0
		if err != nil {
			if err == io.EOF {
				return n, nil
			}
			return n, gzipErr(err)
		}
	}
}

func gzipErr(err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("truncated input (unexpected end of data): %w", err)
	}
	if errors.Is(err, gzip.ErrChecksum) {
		return fmt.Errorf("corrupt gzip data: %w", err)
	}
	return err
}
