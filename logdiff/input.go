package logdiff

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"os"
	"slices"
)

// Input is a log that can be opened more than once: it is read once to
// compare and again to show the lines of the findings.
type Input struct {
	// Name is how the log is called in reports and errors.
	Name string
	// URL links to the log where it has a web view (optional).
	URL string
	// Open opens the log from its start.
	Open func() (io.ReadCloser, error)
}

// FileInput is an Input that reads the named file.
func FileInput(path string) Input {
	return Input{Name: path, Open: func() (io.ReadCloser, error) { return os.Open(path) }}
}

// log is a scanned input: the hash of each line's key, nothing of its text.
type log struct {
	in    Input
	lines int
	keys  []uint64 // keys[n-1] is line n's; 0 for a line that does not count
}

// keySeed makes key hashes; fixed for the life of the process so keys of
// different logs compare.
var keySeed = maphash.MakeSeed()

func hashKey(k []byte) uint64 {
	h := maphash.Bytes(keySeed, k)
	if h == 0 {
		h = 1
	}
	return h
}

// load reads in once and keys every line.
func load(ctx context.Context, in Input, norm *Normalizer, opts ScanOptions) (*log, error) {
	rc, err := in.Open()
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", in.Name, err)
	}
	defer rc.Close()
	l := &log{in: in, keys: make([]uint64, 0, 1<<12)}
	var key []byte
	n, err := scanLines(rc, opts, func(n int, line []byte) error {
		if n&0xffff == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		var ok bool
		key, ok = norm.Key(key[:0], line)
		if ok {
			l.keys = append(l.keys, hashKey(key))
		} else {
			l.keys = append(l.keys, 0)
		}
		return nil
	})
	if err != nil {
		if errors.Is(err, ErrEmpty) || errors.Is(err, ErrBinary) {
			return nil, fmt.Errorf("%s: %w", in.Name, err)
		}
		return nil, fmt.Errorf("reading %s (line %d): %w", in.Name, n+1, err)
	}
	l.lines = n
	return l, nil
}

// texts reads in again and returns the text shown for each of the wanted
// line numbers (sorted, unique).
func texts(in Input, opts ScanOptions, want []int) (map[int]string, error) {
	out := make(map[int]string, len(want))
	if len(want) == 0 {
		return out, nil
	}
	rc, err := in.Open()
	if err != nil {
		return nil, fmt.Errorf("opening %s again: %w", in.Name, err)
	}
	defer rc.Close()
	k := 0
	errDone := errors.New("done")
	_, err = scanLines(rc, opts, func(n int, line []byte) error {
		for k < len(want) && want[k] < n {
			k++
		}
		if k == len(want) {
			return errDone
		}
		if want[k] == n {
			out[n] = string(line)
		}
		return nil
	})
	if err != nil && err != errDone {
		return nil, fmt.Errorf("reading %s again: %w", in.Name, err)
	}
	return out, nil
}

// uniqSorted sorts and de-duplicates line numbers.
func uniqSorted(v []int) []int {
	slices.Sort(v)
	return slices.Compact(v)
}

// NormalizeLines reads in and calls fn with each line's number, key and
// shown text; the key is empty for a line that does not count. Both slices
// are valid only during the call.
func NormalizeLines(in Input, norm *Normalizer, opts ScanOptions, fn func(n int, key, line []byte) error) error {
	rc, err := in.Open()
	if err != nil {
		return fmt.Errorf("opening %s: %w", in.Name, err)
	}
	defer rc.Close()
	var key []byte
	n, err := scanLines(rc, opts, func(n int, line []byte) error {
		var ok bool
		key, ok = norm.Key(key[:0], line)
		if !ok {
			key = key[:0]
		}
		return fn(n, key, line)
	})
	if err != nil {
		if errors.Is(err, ErrEmpty) || errors.Is(err, ErrBinary) {
			return fmt.Errorf("%s: %w", in.Name, err)
		}
		return fmt.Errorf("reading %s (line %d): %w", in.Name, n+1, err)
	}
	return nil
}
