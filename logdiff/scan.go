package logdiff

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"

	"github.com/logdiff/logdiff/internal/bytesize"
	"github.com/logdiff/logdiff/internal/sniff"
)

// DefaultMaxLineBytes is where a line is cut when ScanOptions.MaxLineBytes is zero.
const DefaultMaxLineBytes = 64 << 10

// DefaultMaxBytes is how much of an input is read, after gzip is
// decompressed, when ScanOptions.MaxBytes is zero: 8 GiB. The largest real CI
// logs are a few hundred MB and logs of 5 GB are read whole, while a gzip
// bomb (25 MB of gzip that inflates to 10.5 GB) is stopped after at most
// 8 GiB, about half a minute of reading, in the memory its lines take.
const DefaultMaxBytes = 8 << 30

// DefaultMaxLines is how many lines of an input are read when
// ScanOptions.MaxLines is zero: 100 million, twice the lines of the 5 GB
// logs logdiff is measured on, and about 1 GB of memory at 10 bytes a line
// (more where most lines differ).
const DefaultMaxLines = 100_000_000

// maxLineNumber is the most lines of one input logdiff can number: line
// numbers and line indexes are kept in 32 bits. A larger
// ScanOptions.MaxLines is lowered to it.
const maxLineNumber = 1<<31 - 1

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
	// MaxBytes stops reading an input that holds more bytes (counted after
	// gzip is decompressed) with an error that matches ErrTooLarge; 0 means
	// DefaultMaxBytes.
	MaxBytes int64
	// MaxLines stops reading an input that holds more lines with an error
	// that matches ErrTooLarge; 0 means DefaultMaxLines. It cannot exceed
	// 2^31-1: a larger value is lowered to that.
	MaxLines int
}

// LineLimit is the length lines are cut at: MaxLineBytes, or
// DefaultMaxLineBytes when it is zero.
func (o ScanOptions) LineLimit() int {
	if o.MaxLineBytes <= 0 {
		return DefaultMaxLineBytes
	}
	return o.MaxLineBytes
}

func (o ScanOptions) maxBytes() int64 {
	if o.MaxBytes <= 0 {
		return DefaultMaxBytes
	}
	return o.MaxBytes
}

func (o ScanOptions) maxLines() int {
	if o.MaxLines <= 0 {
		return DefaultMaxLines
	}
	return min(o.MaxLines, maxLineNumber)
}

// ErrTooLarge matches the error for an input past ScanOptions.MaxBytes or
// MaxLines (a *LimitError, which says which).
var ErrTooLarge = errors.New("input too large")

// LimitError is the error for an input that holds more than a limit of
// ScanOptions allows; it matches ErrTooLarge.
type LimitError struct {
	// Lines is true when the line limit was passed, false for the byte limit.
	Lines bool
	// Limit is the limit passed: lines or bytes.
	Limit int64
}

func (e *LimitError) Error() string {
	if e.Lines {
		return fmt.Sprintf("input too large: more than %d lines", e.Limit)
	}
	if e.Limit >= 1024 {
		return fmt.Sprintf("input too large: more than %s (%d bytes) of log text", bytesize.Format(e.Limit), e.Limit)
	}
	return fmt.Sprintf("input too large: more than %d bytes of log text", e.Limit)
}

func (e *LimitError) Is(target error) bool { return target == ErrTooLarge }

// limitReader reads r to its end or until it has delivered max bytes and
// finds one more, which is a *LimitError from then on (bufio.Reader.Peek
// drops an error it meets): a plain io.LimitReader would cut an input
// quietly. It adds what it reads to sum, when not nil.
type limitReader struct {
	r    io.Reader
	left int64 // bytes that may still be delivered
	max  int64
	sum  *textSum
	err  error
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	if l.left <= 0 {
		var one [1]byte
		for {
			n, err := l.r.Read(one[:])
			if n > 0 {
				l.err = &LimitError{Limit: l.max}
				return 0, l.err
			}
			if err != nil {
				return 0, err
			}
		}
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	if l.sum != nil {
		if serr := l.sum.add(p[:n]); serr != nil {
			l.err = serr
			return 0, serr
		}
	}
	return n, err
}

// textSum is a running CRC-32C of the text of an input (after gzip), kept
// every sumBlock bytes, so that a later read can check, as far as it reads,
// that it reads what an earlier read did. The CPU computes CRC-32C (SSE
// 4.2, ARMv8) at several bytes a cycle over the reader's large reads.
type textSum struct {
	crc   uint32
	n     int64    // bytes summed
	marks []uint32 // crc after every sumBlock bytes
	// check, when not nil, holds the marks of an earlier read: each mark
	// reached is compared with it, and checked counts them.
	check   []uint32
	checked int
	// cuts counts the lines cut at ScanOptions.MaxLineBytes: what differs
	// past the cut is not compared, which a report must say.
	cuts int
}

const sumBlock = 1 << 20 // more than a bufio.Reader of scanSum holds, see reset

var sumTable = crc32.MakeTable(crc32.Castagnoli)

func (s *textSum) add(p []byte) error {
	for len(p) > 0 {
		k := min(int64(len(p)), sumBlock-s.n%sumBlock)
		s.crc = crc32.Update(s.crc, sumTable, p[:k])
		s.n += k
		p = p[k:]
		if s.n%sumBlock != 0 {
			continue
		}
		if s.check == nil {
			s.marks = append(s.marks, s.crc)
			continue
		}
		i := int(s.n/sumBlock) - 1
		if i >= len(s.check) || s.check[i] != s.crc {
			return fmt.Errorf("%w (its text differs in bytes %d to %d)", ErrChanged, s.n-sumBlock, s.n)
		}
		s.checked++
	}
	return nil
}

// reset forgets what was summed (the gzip of an input, before it was known
// to be one); no mark was reached, as sumBlock is larger than the buffer
// read then.
func (s *textSum) reset() { s.crc, s.n = 0, 0 }

// ErrBinary is returned for input that looks binary; ScanOptions.Text reads it anyway.
var ErrBinary = errors.New("input looks binary (NUL byte in the first 8 KiB)")

// ErrEmpty is returned for an input with no bytes at all.
var ErrEmpty = errors.New("empty log (0 bytes)")

// scanLines calls fn with every line of r, numbered from 1. A line is what
// ends with '\n' (or the end of input); a bare '\r' does not start a line, so
// the numbers match `vim +N` and Prow's #L anchors. The text passed to fn is
// what a terminal would show: ANSI escape codes removed, carriage-return
// redraws resolved, cut at the line limit with a marker. It is only valid
// during the call. Gzip input is recognized by its magic bytes. Past
// opts.MaxBytes bytes (decompressed) or opts.MaxLines lines it stops with a
// *LimitError, in the memory of its buffers: neither a gzip bomb nor an
// endless stream is held.
func scanLines(r io.Reader, opts ScanOptions, fn func(n int, line []byte) error) (int, error) {
	return scanSum(r, opts, nil, nil, fn)
}

// A skipper tells a scan, before it reads line n, whether to skip it: a
// skipped line is counted (and its text summed) but neither shown (its
// ANSI codes and carriage returns resolved) nor passed to fn, and lines the
// reader holds whole are passed over with one bytes.IndexByte each. An error
// ends the scan with that error.
type skipper func(n int) (skip bool, err error)

// scanSum is scanLines that also adds the text it reads (decompressed,
// before ANSI codes and carriage returns are resolved), to sum when it is
// not nil, and passes fn only the lines skip (when not nil) does not skip.
// The reader reads ahead of the lines: when fn is called with line n (or
// skip with n+1), sum covers line n and up to 256 KiB more.
func scanSum(r io.Reader, opts ScanOptions, sum *textSum, skip skipper, fn func(n int, line []byte) error) (int, error) {
	maxBytes := opts.maxBytes()
	raw := &limitReader{r: r, left: maxBytes, max: maxBytes, sum: sum}
	br := bufio.NewReaderSize(raw, 256<<10)
	magic, err := br.Peek(2)
	if err != nil && len(magic) == 0 {
		if err == io.EOF {
			return 0, ErrEmpty
		}
		return 0, err
	}
	if sniff.Gzip(magic) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return 0, fmt.Errorf("reading gzip header: %w", err)
		}
		defer zr.Close()
		raw.left, raw.sum = math.MaxInt64, nil // the limit and the sum are of the text, not of its gzip
		if sum != nil {
			sum.reset()
		}
		br = bufio.NewReaderSize(&limitReader{r: zr, left: maxBytes, max: maxBytes, sum: sum}, 256<<10)
		if _, err := br.Peek(1); err == io.EOF {
			return 0, ErrEmpty
		} else if err != nil {
			return 0, gzipErr(err)
		}
	}
	if !opts.Text {
		if head, _ := br.Peek(sniff.Len); sniff.Binary(head) {
			return 0, ErrBinary
		}
	}
	max, maxLines := opts.LineLimit(), opts.maxLines()
	var (
		n        int
		long     []byte // holds a line longer than the reader's buffer, up to max+1 bytes
		inLong   bool
		dropped  int // bytes of the current line beyond what long holds
		term     terminal
		skipping bool // the current line is skipped
	)
	if sum != nil {
		defer func() { sum.cuts = term.cuts }()
	}
	keep := func(chunk []byte) {
		take := min(max+1-len(long), len(chunk))
		if take < 0 {
			take = 0
		}
		long = append(long, chunk[:take]...)
		dropped += len(chunk) - take
	}
	for {
		// Whether a line is skipped is asked once, when it is known to
		// start (skip may end the scan, which must not happen at the end).
		decided := inLong
		if skip != nil && !inLong {
			// Pass over the skipped lines the reader holds whole; the
			// first one it does not goes the way of every line.
			for br.Buffered() > 0 {
				var err error
				if skipping, err = skip(n + 1); err != nil {
					return n, err
				}
				decided = true
				if !skipping {
					break
				}
				buf, _ := br.Peek(br.Buffered())
				end := bytes.IndexByte(buf, '\n')
				if end < 0 {
					break
				}
				if n == maxLines {
					return n, &LimitError{Lines: true, Limit: int64(maxLines)}
				}
				n++
				br.Discard(end + 1)
				decided, skipping = false, false
			}
		}
		chunk, err := br.ReadSlice('\n')
		if skip != nil && !decided && len(chunk) > 0 {
			var serr error
			if skipping, serr = skip(n + 1); serr != nil {
				return n, serr
			}
		}
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
		if n == maxLines {
			return n, &LimitError{Lines: true, Limit: int64(maxLines)}
		}
		n++
		if !skipping {
			if ferr := fn(n, term.show(line, max, dropped)); ferr != nil {
				return n, ferr
			}
		}
		long, inLong, dropped, skipping = long[:0], false, 0, false
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
