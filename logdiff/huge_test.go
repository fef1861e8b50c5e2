package logdiff

import (
	"bufio"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// The huge cases (20M lines, 5 GB, a gzip bomb) take minutes and gigabytes
// of disk: they run with LOGDIFF_HUGE=1 (make test-huge), and write their
// inputs, streamed, under t.TempDir(), or with LOGDIFF_HUGE_KEEP=DIR under
// DIR/<test>, where they stay (and are written once) to measure the
// command line on them.
func needHuge(t *testing.T) {
	t.Helper()
	if os.Getenv("LOGDIFF_HUGE") == "" {
		t.Skip("a huge case: set LOGDIFF_HUGE=1 (make test-huge)")
	}
}

// hugeDir returns the directory of a huge case's inputs, and whether they
// are there already.
func hugeDir(t *testing.T) (string, bool) {
	keep := os.Getenv("LOGDIFF_HUGE_KEEP")
	if keep == "" {
		return t.TempDir(), false
	}
	dir := filepath.Join(keep, t.Name())
	if _, err := os.Stat(filepath.Join(dir, "done")); err == nil {
		return dir, true
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if !t.Failed() {
			os.WriteFile(filepath.Join(dir, "done"), nil, 0o644)
		}
	})
	return dir, false
}

// hugeWords name tests: five of them make 32^5 distinct names.
var hugeWords = strings.Fields(`alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima
	mike november oscar papa quebec romeo sierra tango uniform victor whiskey xray yankee zulu
	amber basalt cobalt dune ember frost`)

// suiteLog streams a synthetic CI log of lines lines to w: a test suite in
// blocks of eight lines, one test each, whose RUN and PASS lines name the
// test (unique lines: anchors) around lines that repeat in every block,
// with a blank line, and timestamps, pids, ids, durations and speeds that
// vary with seed. pad adds that many bytes of a fixed message to the
// repeated lines (longer lines, for a log of many bytes). As a failing
// run: the line numbers in drop are left out, and add[n] is written before
// line n (numbers of the passing run).
func suiteLog(w io.Writer, lines int, seed uint64, pad int, drop map[int]bool, add map[int]string) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	x := seed*0x9E3779B97F4A7C15 + 1
	rnd := func(n int) int {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		return int(x % uint64(n))
	}
	padding := strings.Repeat("retrying the request to the API server after a transient error; ", pad/64+1)[:pad]
	var b []byte
	name := hugeTestName
	for n := 1; n <= lines; n++ {
		if l, ok := add[n]; ok {
			bw.WriteString(l)
			bw.WriteByte('\n')
		}
		if drop[n] {
			continue
		}
		b = b[:0]
		k := (n - 1) / 8
		switch (n - 1) % 8 {
		case 0:
			b = fmt.Appendf(b, "I0211 %02d:%02d:%02d.%06d %7d runner.go:42] === RUN ", rnd(24), rnd(60), rnd(60), rnd(1e6), rnd(1e6))
			b = name(b, k)
		case 1:
			b = append(b, "    step 1: creating namespace e2e-tests-"...)
			for range 5 { // a Kubernetes random name suffix
				const a = "bcdfghjklmnpqrstvwxz2456789"
				b = append(b, a[rnd(len(a))])
			}
			b = append(b, ' ')
			b = append(b, padding...)
		case 2:
			b = append(b, "    step 2: waiting for the pod to be Ready "...)
			b = append(b, padding...)
		case 3:
			b = fmt.Appendf(b, "    Downloading https://dl.k8s.io/release/v1.32.1/kubernetes.tar.gz (%dkB at %dkB/s) %s", rnd(9e4), rnd(9e4), padding)
		case 4: // blank: does not count
		case 5:
			b = append(b, "    step 3: checking the results "...)
			b = append(b, padding...)
		case 6:
			b = append(b, "--- PASS: "...)
			b = name(b, k)
			b = fmt.Appendf(b, " (%d.%02ds)", rnd(100), rnd(100))
		case 7:
			b = fmt.Appendf(b, "ok  \tk8s.io/e2e/%s\t%d.%03ds", hugeWords[k%len(hugeWords)], rnd(100), rnd(1000))
		}
		b = append(b, '\n')
		if _, err := bw.Write(b); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// testName appends a distinct test name for each k below 32^5.
func hugeTestName(b []byte, k int) []byte {
	b = append(b, "Test"...)
	for range 5 {
		w := hugeWords[k%len(hugeWords)]
		b = append(b, w[0]-'a'+'A')
		b = append(b, w[1:]...)
		k /= len(hugeWords)
	}
	return b
}

// distinctLog streams a log of lines lines that all differ after
// normalization: the worst case for memory, a key per line. Line numbers
// in drop are left out; add[n] is written before line n.
func distinctLog(w io.Writer, lines int, drop map[int]bool, add map[int]string) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	var b []byte
	for n := 1; n <= lines; n++ {
		if l, ok := add[n]; ok {
			bw.WriteString(l)
			bw.WriteByte('\n')
		}
		if drop[n] {
			continue
		}
		b = append(hugeTestName(append(b[:0], "finished "...), n), '\n')
		if _, err := bw.Write(b); err != nil {
			return err
		}
	}
	return bw.Flush()
}

func writeFile(t testing.TB, path string, write func(io.Writer) error) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := write(f); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// peakMemory samples, until stop is called, the memory the Go runtime holds
// from the system for the heap (in use, free but not yet returned), which
// is what a process's RSS follows, above what it held when called.
func peakMemory() (stop func() uint64) {
	samples := []metrics.Sample{
		{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/memory/classes/heap/unused:bytes"},
		{Name: "/memory/classes/heap/free:bytes"},
	}
	read := func() uint64 {
		metrics.Read(samples)
		var n uint64
		for _, s := range samples {
			n += s.Value.Uint64()
		}
		return n
	}
	debug.FreeOSMemory() // what an earlier test freed is not this one's
	base := read()
	var peak atomic.Uint64
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		for {
			if n := read(); n > peak.Load() {
				peak.Store(n)
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() uint64 {
		close(done)
		<-finished
		if p := peak.Load(); p > base {
			return p - base
		}
		return 0
	}
}

// hugeDiff writes a passing run and a failing run of lines lines each (the
// failing run lacks one line and has an error line more), diffs them, and
// checks that the two are found, at their line numbers, and nothing else;
// it returns the peak memory of the Diff per line of input.
func hugeDiff(t *testing.T, lines, pad int) {
	dir, written := hugeDir(t)
	pass, fail := filepath.Join(dir, "pass.log"), filepath.Join(dir, "fail.log")
	dropAt, addAt := lines/2+3, lines*3/4+1 // a "step 2" line, and before a RUN line
	const errLine = "ERROR: failed to pull image registry.k8s.io/pause:3.10: not found"
	if !written {
		writeFile(t, pass, func(w io.Writer) error { return suiteLog(w, lines, 1, pad, nil, nil) })
		writeFile(t, fail, func(w io.Writer) error {
			return suiteLog(w, lines, 2, pad, map[int]bool{dropAt: true}, map[int]string{addAt: errLine})
		})
	}
	sp, _ := os.Stat(pass)
	t.Logf("two logs of %d lines, %.2f GB each", lines, float64(sp.Size())/1e9)
	stop := peakMemory()
	start := time.Now()
	r, err := Diff(context.Background(), FileInput(fail), []Input{FileInput(pass)}, Options{})
	peak := stop()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("diffed in %s, peak heap %.0f MiB: %.1f bytes a line of input", time.Since(start).Round(time.Millisecond), float64(peak)/(1<<20), float64(peak)/float64(2*lines))
	if len(r.Findings) != 2 {
		for _, f := range r.Findings[:min(5, len(r.Findings))] {
			t.Logf("%s: %s", f.Kind, f.Summary)
		}
		t.Fatalf("got %d findings, want the missing and the new line", len(r.Findings))
	}
	for _, f := range r.Findings {
		switch f.Kind {
		case Missing:
			if f.Baseline.Start != dropAt || f.Baseline.End != dropAt || f.Failing.Start != dropAt-1 {
				t.Errorf("missing at baseline %+v after failing %d, want baseline line %d after failing line %d", *f.Baseline, f.Failing.Start, dropAt, dropAt-1)
			}
		case New:
			if f.Failing.Start != addAt-1 || f.Lines[0].Text != errLine {
				t.Errorf("new at failing %+v (%q), want line %d", f.Failing, f.Lines[0].Text, addAt-1)
			}
		default:
			t.Errorf("unexpected %s finding: %s", f.Kind, f.Summary)
		}
	}
	if r.Failing.Lines != lines || r.Baselines[0].Lines != lines {
		t.Errorf("lines %d and %d, want %d", r.Failing.Lines, r.Baselines[0].Lines, lines)
	}
	if perLine := float64(peak) / float64(2*lines); perLine > 16 {
		t.Errorf("peak heap %.1f bytes a line, want at most 16", perLine)
	}
}

func TestHuge20MLines(t *testing.T) {
	needHuge(t)
	hugeDiff(t, 20_000_000, 0)
}

func TestHuge5GB(t *testing.T) {
	needHuge(t)
	// 45M lines of about 112 bytes: 5 GB a log, within DefaultMaxLines.
	hugeDiff(t, 45_000_000, 120)
}

// gzipBomb writes members gzip members, each of copies times line.
func gzipBomb(t testing.TB, path, line string, copies, members int) {
	var member strings.Builder
	zw, _ := gzip.NewWriterLevel(&member, gzip.BestCompression)
	chunk := strings.Repeat(line, 4096)
	for i := 0; i < copies; i += 4096 {
		io.WriteString(zw, chunk[:min(4096, copies-i)*len(line)])
	}
	zw.Close()
	writeFile(t, path, func(w io.Writer) error {
		for range members {
			if _, err := io.WriteString(w, member.String()); err != nil {
				return err
			}
		}
		return nil
	})
}

// TestHugeGzipBomb: 100 gzip members of 4M lines each, 10.5 GB inflated,
// end with an error that names the input, in bounded memory.
func TestHugeGzipBomb(t *testing.T) {
	needHuge(t)
	dir, written := hugeDir(t)
	bomb := filepath.Join(dir, "bomb.log.gz")
	pass := filepath.Join(dir, "pass.log")
	if !written {
		gzipBomb(t, bomb, "hello this is a log line\n", 4<<20, 100)
		writeFile(t, pass, func(w io.Writer) error { return suiteLog(w, 1000, 1, 0, nil, nil) })
	}
	st, _ := os.Stat(bomb)
	t.Logf("bomb: %.1f MB of gzip", float64(st.Size())/1e6)
	stop := peakMemory()
	_, err := Diff(context.Background(), FileInput(bomb), []Input{FileInput(pass)}, Options{})
	peak := stop()
	t.Logf("peak heap %.0f MiB; %v", float64(peak)/(1<<20), err)
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), bomb) {
		t.Fatalf("got %v, want ErrTooLarge naming %s", err, bomb)
	}
	// The line limit stops it first, after DefaultMaxLines lines of one key.
	if max := uint64(4*DefaultMaxLines + 64<<20); peak > max {
		t.Errorf("peak heap %d MiB, want at most %d MiB", peak>>20, max>>20)
	}
}
