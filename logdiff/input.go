package logdiff

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"time"
)

// Input is a log that can be opened more than once: it is read once to
// compare and again to show the lines of the findings.
type Input struct {
	// Name is how the log is called in reports and errors.
	Name string
	// URL links to the log where it has a web view (optional).
	URL string
	// Open opens the log from its start. Every call must give the same
	// text: a later read that finds other text (or, when the reader has a
	// Stat method as an *os.File has, another size or modification time)
	// fails with ErrChanged.
	Open func() (io.ReadCloser, error)
}

// FileInput is an Input that reads the named file.
func FileInput(path string) Input {
	return Input{Name: path, Open: func() (io.ReadCloser, error) { return os.Open(path) }}
}

// ErrChanged matches the error for an input whose second read does not
// give the text its first read compared.
var ErrChanged = errors.New("changed while being read")

// log is a scanned input: the key id of each line that counts, nothing of
// its text. At about 4 bytes a line (and 4 more per line that does not
// count), plus what the interner holds per distinct key.
type log struct {
	in    Input
	lines int
	ids   paged[int32]  // key id of each counting line, in order
	skip  paged[uint32] // numbers of the lines that do not count (blank, ignored), ascending
	sum   textSum       // of its text, to check later reads by
	stamp fileStamp
}

// cutLines is how many of its lines were cut at ScanOptions.MaxLineBytes.
func (l *log) cutLines() int { return l.sum.cuts }

// len returns the number of lines that count.
func (l *log) len() int { return l.ids.len() }

// id returns the key id of counting line i (0-based).
func (l *log) id(i int) int32 { return l.ids.at(i) }

// line returns the line number of counting line i (0-based).
func (l *log) line(i int) int {
	// Before the j-th skipped line (0-based) stand skip[j]-1-j counting
	// lines, a count that never decreases with j.
	j := l.skip.search(func(j int) bool { return int(l.skip.at(j))-1-j > i })
	return i + 1 + j
}

// pos returns the index of line number n among the counting lines, or of
// the first counting line after it.
func (l *log) pos(n int) int {
	j := l.skip.search(func(j int) bool { return int(l.skip.at(j)) >= n })
	return n - 1 - j
}

// numbered calls fn with the index and line number of each counting line, in order.
func (l *log) numbered(fn func(i, n int)) {
	n, j := 1, 0
	for i := range l.len() {
		for j < l.skip.len() && int(l.skip.at(j)) == n {
			n++
			j++
		}
		fn(i, n)
		n++
	}
}

// fileStamp is the size and modification time of an input that is a
// regular file, taken when it is opened.
type fileStamp struct {
	ok   bool
	size int64
	mod  time.Time
}

func stampOf(r io.Reader) fileStamp {
	st, ok := r.(interface{ Stat() (fs.FileInfo, error) })
	if !ok {
		return fileStamp{}
	}
	fi, err := st.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		return fileStamp{}
	}
	return fileStamp{ok: true, size: fi.Size(), mod: fi.ModTime()}
}

// load reads in once and gives every line that counts its key's id.
func load(ctx context.Context, in Input, norm *Normalizer, it *interner, opts ScanOptions) (*log, error) {
	rc, err := in.Open()
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", in.Name, err)
	}
	defer rc.Close()
	l := &log{in: in, stamp: stampOf(rc)}
	var (
		key []byte
		hs  = make([]uint64, 0, internBatch)
		ids = make([]int32, internBatch)
		sum textSum
		kc  = newKeyCache(keyCacheSlots)
	)
	flush := func() error {
		if err := it.ids(hs, ids); err != nil {
			return err
		}
		for _, id := range ids[:len(hs)] {
			l.ids.append(id)
		}
		hs = hs[:0]
		return nil
	}
	n, err := scanSum(rc, opts, &sum, nil, func(n int, line []byte) error {
		if n&0xffff == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		var ok bool
		key, ok = kc.key(norm, key[:0], line)
		if !ok {
			l.skip.append(uint32(n))
			return nil
		}
		hs = append(hs, hashKey(key))
		if len(hs) == internBatch {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return nil, inputErr(in.Name, n, err)
	}
	l.lines = n
	l.sum = sum
	return l, nil
}

// inputErr says which input (and where) a read failed.
func inputErr(name string, n int, err error) error {
	if errors.Is(err, ErrEmpty) || errors.Is(err, ErrBinary) || errors.Is(err, ErrTooLarge) || errors.Is(err, ErrChanged) {
		return fmt.Errorf("%s: %w", name, err)
	}
	return fmt.Errorf("reading %s (line %d): %w", name, n+1, err)
}

// errStop ends a read early without error.
var errStop = errors.New("stop")

// rereadLines is rereadSome that calls fn with the lines numbered in want
// (sorted, unique) alone, and stops after the last of them.
func (l *log) rereadLines(ctx context.Context, opts ScanOptions, want []int, fn func(n int, line []byte) error) error {
	k := 0 // want[k] is the next line wanted
	return l.rereadSome(ctx, opts, func(n int) (bool, bool) {
		for k < len(want) && want[k] < n {
			k++
		}
		return k < len(want) && want[k] == n, k < len(want)
	}, fn)
}

// rereadSome reads l's input again and calls fn with the lines wants
// wants, until fn returns errStop or the input ends. Asked about line n,
// wants says whether fn wants it and whether it may want a later line (if
// not, the read stops as when fn returns errStop); nil wants every line.
// The lines fn does not see are counted and summed, not shown (see
// skipper). It checks that it reads what load compared: the same size and
// modification time where the input is a file, and the same text as far as
// it reads, to the next mark of the text's sum (at most 1 MiB past where
// fn stopped) or to the end. Anything else is ErrChanged.
func (l *log) rereadSome(ctx context.Context, opts ScanOptions, wants func(n int) (want, more bool), fn func(n int, line []byte) error) error {
	name := l.in.Name
	opened, err := l.in.Open()
	if err != nil {
		return fmt.Errorf("opening %s again: %w", name, err)
	}
	defer opened.Close()
	rc := readCloser{ctxReader{ctx, opened}, opened}
	if now := stampOf(opened); l.stamp.ok && now.ok {
		switch {
		case now.size != l.stamp.size:
			return fmt.Errorf("%s: %w (its size went from %d to %d bytes)", name, ErrChanged, l.stamp.size, now.size)
		case !now.mod.Equal(l.stamp.mod):
			return fmt.Errorf("%s: %w (modified at %s)", name, ErrChanged, now.mod.Format(time.RFC3339Nano))
		}
	}
	changed := func(how string) error { return fmt.Errorf("%w (%s)", ErrChanged, how) }
	sum := textSum{check: l.sum.marks}
	done, doneAt := false, 0
	skip := func(n int) (bool, error) {
		if n > l.lines {
			return false, changed(fmt.Sprintf("it has more than the %d lines it had", l.lines))
		}
		if done {
			if sum.checked > doneAt { // a mark past the last line fn saw
				return false, errStop
			}
			return true, nil
		}
		if wants == nil {
			return false, nil
		}
		want, more := wants(n)
		if !want && !more {
			done, doneAt = true, sum.checked
		}
		return !want, nil
	}
	n, err := scanSum(rc, opts, &sum, skip, func(n int, line []byte) error {
		err := fn(n, line)
		if err == errStop {
			done, doneAt = true, sum.checked
			return nil
		}
		return err
	})
	switch {
	case err == errStop:
		return nil
	case errors.Is(err, ErrChanged):
	case errors.Is(err, ErrEmpty):
		err = changed("it is empty now")
	case err != nil:
		return fmt.Errorf("reading %s again: %w", name, err)
	case n != l.lines:
		err = changed(fmt.Sprintf("it has %d lines, it had %d", n, l.lines))
	case sum.n != l.sum.n || sum.crc != l.sum.crc:
		err = changed(fmt.Sprintf("its text differs in bytes %d to %d", sum.n-sum.n%sumBlock, sum.n))
	default:
		return nil
	}
	return fmt.Errorf("%s: %w", name, err)
}

// texts reads l again and returns the text shown for each of the wanted
// line numbers (sorted, unique).
func texts(ctx context.Context, l *log, opts ScanOptions, want []int) (map[int]string, error) {
	out := make(map[int]string, len(want))
	if len(want) == 0 {
		return out, nil
	}
	err := l.rereadLines(ctx, opts, want, func(n int, line []byte) error {
		out[n] = string(line)
		return nil
	})
	return out, err
}

// uniqSorted sorts and de-duplicates line numbers.
func uniqSorted(v []int) []int {
	slices.Sort(v)
	return slices.Compact(v)
}

// NormalizeLines reads in and calls fn with each line's number, key and
// shown text; the key is empty for a line that does not count. Both slices
// are valid only during the call.
func NormalizeLines(ctx context.Context, in Input, norm *Normalizer, opts ScanOptions, fn func(n int, key, line []byte) error) error {
	opened, err := in.Open()
	if err != nil {
		return fmt.Errorf("opening %s: %w", in.Name, err)
	}
	defer opened.Close()
	rc := ctxReader{ctx, opened}
	var key []byte
	kc := newKeyCache(keyCacheSlots)
	n, err := scanLines(rc, opts, func(n int, line []byte) error {
		var ok bool
		key, ok = kc.key(norm, key[:0], line)
		if !ok {
			key = key[:0]
		}
		return fn(n, key, line)
	})
	if err != nil {
		return inputErr(in.Name, n, err)
	}
	return nil
}

// ctxReader ends a read when its context is done: a command interrupted
// while it reads an input again (for the findings' text, for learning)
// stops there, as it does while it reads it the first time.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// readCloser is a Reader with the Closer (and so the Stat, see stampOf) of
// the file it reads.
type readCloser struct {
	io.Reader
	io.Closer
}
