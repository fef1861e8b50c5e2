// Package benchpair makes the pair of real CI logs logdiff's speed is
// measured on (make bench, and the benchmarks of package logdiff): the
// Treeherder logs of ../shared/data one after another, about 100 MB a side,
// the second side with every clock shifted and 1% of its lines dropped, the
// same on every machine.
package benchpair

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"
)

// Shift is how far every clock of the second log is moved.
const Shift = time.Hour + 23*time.Minute + 17*time.Second

// dropEvery drops one line in a hundred from the second log: a line goes
// when a fixed hash of its number falls in the hundredth bucket, so which
// lines go is the same on every machine.
const dropEvery = 100

// Size is the size of a side of the pair make bench times: 100 MiB.
const Size = 100 << 20

// Make writes a.log and b.log into dir, unless they are there: the
// Treeherder logs of src (gzip) decompressed one after another in name
// order, up to the first line end at or past size bytes; b.log is a.log with
// every clock shifted by Shift and 1% of its lines dropped. It returns their
// paths. The files are written under temporary names and renamed, so that
// a pair that is there is whole.
func Make(src, dir string, size int64) (a, b string, err error) {
	a, b = filepath.Join(dir, "a.log"), filepath.Join(dir, "b.log")
	if _, err := os.Stat(b); err == nil {
		return a, b, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", "", err
	}
	logs, err := filepath.Glob(filepath.Join(src, "*.gz"))
	if err != nil {
		return "", "", err
	}
	if len(logs) == 0 {
		return "", "", fmt.Errorf("no *.gz logs in %s", src)
	}
	sort.Strings(logs)
	fa, err := os.Create(a + ".tmp")
	if err != nil {
		return "", "", err
	}
	defer fa.Close()
	fb, err := os.Create(b + ".tmp")
	if err != nil {
		return "", "", err
	}
	defer fb.Close()
	wa, wb := bufio.NewWriterSize(fa, 1<<20), bufio.NewWriterSize(fb, 1<<20)
	var written int64
	n := uint64(0)
	var shifted []byte
	for _, path := range logs {
		if written >= size {
			break
		}
		f, err := os.Open(path)
		if err != nil {
			return "", "", err
		}
		zr, err := gzip.NewReader(f)
		if err != nil {
			f.Close()
			return "", "", fmt.Errorf("%s: %w", path, err)
		}
		br := bufio.NewReaderSize(zr, 1<<20)
		for written < size {
			line, rerr := br.ReadSlice('\n')
			if rerr == bufio.ErrBufferFull {
				// Longer lines than the buffer are rare; take them whole.
				rest, err := br.ReadBytes('\n')
				line = append(append([]byte{}, line...), rest...)
				rerr = err
			}
			if len(line) > 0 {
				if line[len(line)-1] != '\n' {
					line = append(line, '\n')
				}
				wa.Write(line)
				written += int64(len(line))
				n++
				if mix(n)%dropEvery != 0 {
					shifted = ShiftClocks(shifted[:0], line, Shift)
					wb.Write(shifted)
				}
			}
			if rerr == io.EOF {
				break
			}
			if rerr != nil {
				f.Close()
				return "", "", fmt.Errorf("%s: %w", path, rerr)
			}
		}
		f.Close()
	}
	for _, w := range []*bufio.Writer{wa, wb} {
		if err := w.Flush(); err != nil {
			return "", "", err
		}
	}
	if err := os.Rename(a+".tmp", a); err != nil {
		return "", "", err
	}
	return a, b, os.Rename(b+".tmp", b)
}

// mix is SplitMix64's finalizer: a fixed hash of a line number.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// ShiftClocks appends line to dst with every clock in it moved by d: a time
// of day "15:04:05" (with its date before it, "2006-01-02T" or
// "2006-01-02 ", when there is one, so that a clock that passes midnight
// moves its date too). Digits around a clock leave it alone: "1:23:45:67"
// is not one.
func ShiftClocks(dst, line []byte, d time.Duration) []byte {
	last := 0
	for i := 2; i+6 <= len(line); i++ {
		if line[i] != ':' || line[i+3] != ':' {
			continue
		}
		h, m, s := line[i-2:i], line[i+1:i+3], line[i+4:i+6]
		if !digits(h) || !digits(m) || !digits(s) || i >= 3 && isDigit(line[i-3]) || i+6 < len(line) && (isDigit(line[i+6]) || line[i+6] == ':') {
			continue
		}
		start := i - 2
		clock := string(line[start : i+6])
		layout := "15:04:05"
		if start >= 11 && (line[start-1] == 'T' || line[start-1] == ' ') && isDate(line[start-11:start-1]) {
			start -= 11
			layout = "2006-01-02" + string(line[start+10]) + layout
			clock = string(line[start : i+6])
		}
		t, err := time.Parse(layout, clock)
		if err != nil {
			continue // 25:61:61 is no clock
		}
		dst = append(dst, line[last:start]...)
		dst = t.Add(d).AppendFormat(dst, layout)
		last = i + 6
		i += 5
	}
	return append(dst, line[last:]...)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func digits(b []byte) bool { return isDigit(b[0]) && isDigit(b[1]) }

// isDate reports whether b is "2006-01-02".
func isDate(b []byte) bool {
	return len(b) == 10 && b[4] == '-' && b[7] == '-' && digits(b[0:2]) && digits(b[2:4]) && digits(b[5:7]) && digits(b[8:10])
}

// Lines counts the lines of a file.
func Lines(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	n, buf := 0, make([]byte, 1<<20)
	for {
		k, err := f.Read(buf)
		n += bytes.Count(buf[:k], []byte{'\n'})
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
}

// Derive writes to out (unless it is there) another run of the log at path,
// as Make writes b.log from a.log: every clock shifted by shift and one line
// in a hundred dropped, which ones chosen by seed. It returns out.
func Derive(path, out string, seed uint64, shift time.Duration) (string, error) {
	if _, err := os.Stat(out); err == nil {
		return out, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	f, err := os.Create(out + ".tmp")
	if err != nil {
		return "", err
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	var shifted []byte
	n := uint64(0)
	for line := range bytes.Lines(data) {
		n++
		if mix(n^seed<<32)%dropEvery != 0 {
			shifted = ShiftClocks(shifted[:0], line, shift)
			w.Write(shifted)
		}
	}
	if err := w.Flush(); err != nil {
		return "", err
	}
	return out, os.Rename(out+".tmp", out)
}
