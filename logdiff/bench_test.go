package logdiff

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/logdiff/logdiff/internal/benchpair"
)

// genLog writes a synthetic CI log of about size bytes: klog, Go log, RFC
// 3339 and Ginkgo lines with timestamps, ids, IPs, durations and speeds that
// differ with the seed, over a fixed set of templates, so two seeds give two
// runs of one job. inject adds lines before the lines with these indexes (a failing run).
func genLog(w io.Writer, size int, seed uint64, inject map[int]string) {
	r := rand.New(rand.NewPCG(seed, 7))
	templates := []string{
		"I0211 %02d:%02d:%02d.%06d    %d round_trippers.go:553] GET https://%d.%d.%d.%d:6443/api/v1/namespaces/kube-system/pods?limit=500 200 OK in %d milliseconds\n",
		"2025/02/11 %02d:%02d:%02d process.go:153: Running: ./hack/e2e-internal/e2e-status.sh step %d\n",
		"%04d-02-11T%02d:%02d:%02d.%07dZ Downloading https://dl.k8s.io/release/v1.32.1/kubernetes-node-linux-amd64.tar.gz (%d kB at %d kB/s)\n",
		"  STEP: Creating a pod test-pod-%s in namespace e2e-tests-%s @ 02/11/25 %02d:%02d:%02d.%02d\n",
		"[sig-node] Pods should be submitted and removed [Conformance] [%d.%03d seconds]\n",
		"node e2e-%d-minion-group-%s has IP %d.%d.%d.%d and uuid %08x-1234-4abc-8def-%012x\n",
		"Trace[%d]: \"List\" url:/api/v1/nodes,user-agent:kubectl/v1.32.1 (linux/amd64) total time: %dms\n",
	}
	suffix := func() string {
		const a = "bcdfghjklmnpqrstvwxz2456789"
		b := make([]byte, 5)
		for i := range b {
			b[i] = a[r.IntN(len(a))]
		}
		return string(b)
	}
	bw := &bytes.Buffer{}
	n, i := 0, 0
	for n < size {
		t := i % len(templates)
		bw.Reset()
		h, m, s := r.IntN(24), r.IntN(60), r.IntN(60)
		switch t {
		case 0:
			fmt.Fprintf(bw, templates[t], h, m, s, r.IntN(1e6), r.IntN(1e5), 10, r.IntN(255), r.IntN(255), r.IntN(255), r.IntN(900))
		case 1:
			fmt.Fprintf(bw, templates[t], h, m, s, i)
		case 2:
			fmt.Fprintf(bw, templates[t], 2025, h, m, s, r.IntN(1e7), r.IntN(9e4), r.IntN(9e4))
		case 3:
			fmt.Fprintf(bw, templates[t], suffix(), suffix(), h, m, s, r.IntN(100))
		case 4:
			fmt.Fprintf(bw, templates[t], r.IntN(100), r.IntN(1000))
		case 5:
			fmt.Fprintf(bw, templates[t], r.IntN(1e9), suffix(), 10, r.IntN(255), r.IntN(255), r.IntN(255), r.Uint32(), r.Uint64()&0xffffffffffff)
		case 6:
			fmt.Fprintf(bw, templates[t], r.IntN(1e9), r.IntN(9000))
		}
		if l, ok := inject[i]; ok {
			io.WriteString(w, l)
			n += len(l)
		}
		w.Write(bw.Bytes())
		n += bw.Len()
		i++
	}
}

// genPair writes a passing and a failing synthetic log of about size bytes
// each into dir (once per size and process) and returns their paths.
func genPair(b *testing.B, size int) (pass, fail string) {
	b.Helper()
	dir := filepath.Join(os.TempDir(), "logdiff-bench-v2")
	os.MkdirAll(dir, 0o755)
	pass = filepath.Join(dir, fmt.Sprintf("pass-%d.log", size))
	fail = filepath.Join(dir, fmt.Sprintf("fail-%d.log", size))
	for _, p := range []struct {
		path   string
		seed   uint64
		inject map[int]string
	}{{pass, 1, nil}, {fail, 2, map[int]string{5001: "ERROR: failed to pull image \"registry.k8s.io/pause:3.10\": not found\n"}}} {
		if st, err := os.Stat(p.path); err == nil && st.Size() >= int64(size) {
			continue
		}
		f, err := os.Create(p.path)
		if err != nil {
			b.Fatal(err)
		}
		genLog(f, size, p.seed, p.inject)
		if err := f.Close(); err != nil {
			b.Fatal(err)
		}
	}
	return pass, fail
}

var sizes = []struct {
	name string
	n    int
}{{"1MB", 1 << 20}, {"10MB", 10 << 20}, {"100MB", 100 << 20}}

// diffSizes add a row of 1000 MB to sizes for whole diffs: time stays
// linear in the input (2 GB of logs under $TMPDIR, written once).
var diffSizes = append(sizes[:len(sizes):len(sizes)], struct {
	name string
	n    int
}{"1000MB", 1000 << 20})

func BenchmarkScan(b *testing.B) {
	for _, sz := range sizes {
		b.Run(sz.name, func(b *testing.B) {
			pass, _ := genPair(b, sz.n)
			data, _ := os.ReadFile(pass)
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				scanLines(bytes.NewReader(data), ScanOptions{}, func(int, []byte) error { return nil })
			}
		})
	}
}

func BenchmarkNormalize(b *testing.B) {
	for _, sz := range sizes {
		b.Run(sz.name, func(b *testing.B) {
			pass, _ := genPair(b, sz.n)
			data, _ := os.ReadFile(pass)
			benchNormalize(b, data)
		})
	}
	b.Run("real/prow-build-log", func(b *testing.B) {
		data, err := os.ReadFile(filepath.Join(sharedData(b, "prow-buildlogs"), "maelvls-prowdig", "build-log.txt"))
		if err != nil {
			b.Fatal(err)
		}
		benchNormalize(b, data)
	})
	b.Run("real/treeherder-largest", func(b *testing.B) {
		benchNormalize(b, largestTreeherder(b))
	})
	// With every built-in rule pack, as the CLI runs by default.
	b.Run("packs/100MB", func(b *testing.B) {
		pass, _ := genPair(b, 100<<20)
		data, _ := os.ReadFile(pass)
		benchNormalizeWith(b, data, NewNormalizer(allPacks(b)))
	})
	b.Run("packs/real/prow-build-log", func(b *testing.B) {
		data, err := os.ReadFile(filepath.Join(sharedData(b, "prow-buildlogs"), "maelvls-prowdig", "build-log.txt"))
		if err != nil {
			b.Fatal(err)
		}
		benchNormalizeWith(b, data, NewNormalizer(allPacks(b)))
	})
	b.Run("packs/real/treeherder-largest", func(b *testing.B) {
		benchNormalizeWith(b, largestTreeherder(b), NewNormalizer(allPacks(b)))
	})
	// The first side of make bench's real pair (100 MiB of Treeherder logs).
	b.Run("real/treeherder-pair", func(b *testing.B) {
		benchNormalize(b, readFile(b, realBenchPair(b).a))
	})
	b.Run("packs/real/treeherder-pair", func(b *testing.B) {
		benchNormalizeWith(b, readFile(b, realBenchPair(b).a), NewNormalizer(allPacks(b)))
	})
}

func readFile(b *testing.B, path string) []byte {
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	return data
}

// benchPair is the pair of real logs make bench times.
type benchPair struct{ a, b string }

// realBenchPair returns make bench's pair of real logs (benchpair.Make), made
// once under $TMPDIR.
func realBenchPair(b *testing.B) benchPair {
	src := sharedData(b, "treeherder-logs")
	pa, pb, err := benchpair.Make(src, filepath.Join(os.TempDir(), "logdiff-bench-real-v1"), benchpair.Size)
	if err != nil {
		b.Fatal(err)
	}
	return benchPair{pa, pb}
}

func benchNormalize(b *testing.B, data []byte) {
	benchNormalizeWith(b, data, NewNormalizer(nil))
}

// benchNormalizeWith normalizes every line of data as a read does (load,
// NormalizeLines): through a cache of the keys of recent lines, new for
// each pass.
func benchNormalizeWith(b *testing.B, data []byte, norm *Normalizer) {
	b.SetBytes(int64(len(data)))
	var key []byte
	for b.Loop() {
		kc := newKeyCache(keyCacheSlots)
		for line := range bytes.Lines(data) {
			key, _ = kc.key(norm, key[:0], line[:len(line)-1])
		}
	}
}

// largestTreeherder returns the decompressed text of the largest real log in ../shared/data.
func largestTreeherder(b *testing.B) []byte {
	dir := sharedData(b, "treeherder-logs")
	matches, _ := filepath.Glob(filepath.Join(dir, "*.gz"))
	sort.Slice(matches, func(i, j int) bool {
		si, _ := os.Stat(matches[i])
		sj, _ := os.Stat(matches[j])
		return si.Size() > sj.Size()
	})
	if len(matches) == 0 {
		b.Skip("no treeherder logs")
	}
	f, err := os.Open(matches[0])
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		b.Fatal(err)
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		b.Fatal(err)
	}
	return data
}

// BenchmarkDiff measures a whole diff of two logs of one size, a large file
// with a small change; MB/s counts the input of both.
func BenchmarkDiff(b *testing.B) {
	for _, sz := range diffSizes {
		b.Run(sz.name, func(b *testing.B) {
			pass, fail := genPair(b, sz.n)
			sp, _ := os.Stat(pass)
			sf, _ := os.Stat(fail)
			b.SetBytes(sp.Size() + sf.Size())
			for b.Loop() {
				r, err := Diff(context.Background(), FileInput(fail), []Input{FileInput(pass)}, Options{})
				if err != nil {
					b.Fatal(err)
				}
				if len(r.Findings) == 0 {
					b.Fatal("the dropped lines were not found")
				}
			}
		})
	}
	b.Run("real/treeherder-largest", func(b *testing.B) {
		data := largestTreeherder(b)
		dir := b.TempDir()
		pass, fail := filepath.Join(dir, "pass.log"), filepath.Join(dir, "fail.log")
		os.WriteFile(pass, data, 0o644)
		// The failing run: the same log with one line in the middle removed.
		mid := bytes.IndexByte(data[len(data)/2:], '\n') + len(data)/2 + 1
		end := mid + bytes.IndexByte(data[mid:], '\n') + 1
		os.WriteFile(fail, append(append([]byte{}, data[:mid]...), data[end:]...), 0o644)
		b.SetBytes(int64(2*len(data) - (end - mid)))
		for b.Loop() {
			if _, err := Diff(context.Background(), FileInput(fail), []Input{FileInput(pass)}, Options{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	// make bench's pair: 1% of the lines dropped, every clock shifted; with
	// the built-in rule packs as the CLI runs by default, and without.
	for _, packs := range []bool{true, false} {
		name := "real/treeherder-pair/packs"
		if !packs {
			name = "real/treeherder-pair/none"
		}
		b.Run(name, func(b *testing.B) {
			p := realBenchPair(b)
			opts := Options{}
			if packs {
				set := allPacks(b)
				opts.Normalizer, opts.Knowledge = NewNormalizer(set), set
			}
			sa, _ := os.Stat(p.a)
			sb, _ := os.Stat(p.b)
			b.SetBytes(sa.Size() + sb.Size())
			for b.Loop() {
				r, err := Diff(context.Background(), FileInput(p.b), []Input{FileInput(p.a)}, opts)
				if err != nil {
					b.Fatal(err)
				}
				if len(r.Findings) == 0 {
					b.Fatal("the dropped lines were not found")
				}
			}
		})
	}
	// Three baselines (the pair's first side and two more runs of it), with
	// the packs: the reads that learn from the baselines and mask with what
	// they learned come in.
	b.Run("real/treeherder-pair/3-baselines", func(b *testing.B) {
		p := realBenchPair(b)
		dir := filepath.Dir(p.a)
		var bases []Input
		size := int64(0)
		for k, path := range []string{p.a, filepath.Join(dir, "c.log"), filepath.Join(dir, "d.log")} {
			if k > 0 {
				var err error
				if path, err = benchpair.Derive(p.a, path, uint64(k), time.Duration(k)*2*time.Hour); err != nil {
					b.Fatal(err)
				}
			}
			st, _ := os.Stat(path)
			size += st.Size()
			bases = append(bases, FileInput(path))
		}
		st, _ := os.Stat(p.b)
		b.SetBytes(size + st.Size())
		set := allPacks(b)
		opts := Options{Normalizer: NewNormalizer(set), Knowledge: set}
		for b.Loop() {
			if _, err := Diff(context.Background(), FileInput(p.b), bases, opts); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// memoryCase is a pair of generated logs for BenchmarkDiffMemory.
type memoryCase struct {
	name  string
	lines int // lines of each log
	write func(w io.Writer, fail bool) error
}

var memoryCases = []memoryCase{
	// The case: short lines of a thousand keys, 49 MB a log.
	{"repeated-10M-short-lines", 10_000_000, func(w io.Writer, fail bool) error {
		bw := bufio.NewWriterSize(w, 1<<20)
		for i := range 10_000_000 {
			if fail && i == 5_000_000 {
				bw.WriteString("ERROR: boom\n")
				continue
			}
			fmt.Fprintf(bw, "l%d\n", i%1000)
		}
		return bw.Flush()
	}},
	// The worst case: every line a key of its own.
	{"distinct-5M-lines", 5_000_000, func(w io.Writer, fail bool) error {
		if fail {
			return distinctLog(w, 5_000_000, map[int]bool{1_000_000: true}, map[int]string{4_000_000: "ERROR: boom"})
		}
		return distinctLog(w, 5_000_000, nil, nil)
	}},
	// A test suite: a unique name every four lines, the rest repeated.
	{"suite-10M-lines", 10_000_000, func(w io.Writer, fail bool) error {
		if fail {
			return suiteLog(w, 10_000_000, 2, 0, map[int]bool{5_000_003: true}, map[int]string{7_500_001: "ERROR: boom"})
		}
		return suiteLog(w, 10_000_000, 1, 0, nil, nil)
	}},
}

// memoryPair writes the pass and fail logs of a memory case into the
// benchmarks' cache directory (once) and returns their paths.
func memoryPair(b *testing.B, mc memoryCase) (pass, fail string) {
	b.Helper()
	dir := filepath.Join(os.TempDir(), "logdiff-bench-v2")
	os.MkdirAll(dir, 0o755)
	pass, fail = filepath.Join(dir, mc.name+"-pass.log"), filepath.Join(dir, mc.name+"-fail.log")
	for _, p := range []struct {
		path string
		fail bool
	}{{pass, false}, {fail, true}} {
		if _, err := os.Stat(p.path); err == nil {
			continue
		}
		tmp := p.path + ".tmp"
		writeFile(b, tmp, func(w io.Writer) error { return mc.write(w, p.fail) })
		if err := os.Rename(tmp, p.path); err != nil {
			b.Fatal(err)
		}
	}
	return pass, fail
}

// BenchmarkDiffMemory reports the peak memory of a whole Diff per line of
// input (B/line: the heap the runtime holds, in use or free, at its
// highest), on the 10M short lines, on a log whose every line
// differs (a key per line), on a test suite, and on two real logs.
func BenchmarkDiffMemory(b *testing.B) {
	for _, mc := range memoryCases {
		b.Run(mc.name, func(b *testing.B) {
			pass, fail := memoryPair(b, mc)
			benchMemory(b, pass, fail, 2*mc.lines)
		})
	}
	b.Run("real/treeherder-2x100MB", func(b *testing.B) {
		pass, fail, lines := realPair(b, 100<<20)
		benchMemory(b, pass, fail, lines)
	})
}

func benchMemory(b *testing.B, pass, fail string, lines int) {
	sp, _ := os.Stat(pass)
	sf, _ := os.Stat(fail)
	b.SetBytes(sp.Size() + sf.Size())
	var peak uint64
	for b.Loop() {
		stop := peakMemory()
		_, err := Diff(context.Background(), FileInput(fail), []Input{FileInput(pass)}, Options{})
		peak = max(peak, stop())
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(peak)/float64(lines), "B/line")
	b.ReportMetric(float64(peak)/float64(sp.Size()+sf.Size()), "B/B")
}

// realPair writes two logs of about size bytes each made of the real
// Treeherder logs of ../shared/data one after another: a passing run, and
// a failing run that lacks a line in its middle and has an error line at
// three quarters. It returns their paths and their lines.
func realPair(b *testing.B, size int) (pass, fail string, lines int) {
	dir := sharedData(b, "treeherder-logs")
	matches, _ := filepath.Glob(filepath.Join(dir, "*.gz"))
	if len(matches) < 2 {
		b.Skip("no treeherder logs")
	}
	sort.Strings(matches)
	var text []byte
	for _, m := range matches {
		if len(text) >= size {
			break
		}
		f, err := os.Open(m)
		if err != nil {
			b.Fatal(err)
		}
		zr, err := gzip.NewReader(f)
		if err != nil {
			b.Fatal(err)
		}
		data, err := io.ReadAll(zr)
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
		if len(data) > 0 && data[len(data)-1] != '\n' {
			data = append(data, '\n')
		}
		text = append(text, data...)
	}
	out := filepath.Join(os.TempDir(), "logdiff-bench-v2")
	os.MkdirAll(out, 0o755)
	pass, fail = filepath.Join(out, "treeherder-pass.log"), filepath.Join(out, "treeherder-fail.log")
	lineAt := func(at int) int { return at + bytes.IndexByte(text[at:], '\n') + 1 } // the start of the next line
	mid := lineAt(len(text) / 2)
	end := lineAt(mid)
	q := lineAt(len(text) * 3 / 4)
	writeFile(b, pass, func(w io.Writer) error { _, err := w.Write(text); return err })
	writeFile(b, fail, func(w io.Writer) error {
		for _, part := range [][]byte{text[:mid], text[end:q], []byte("ERROR: failed to pull image registry.k8s.io/pause:3.10: not found\n"), text[q:]} {
			if _, err := w.Write(part); err != nil {
				return err
			}
		}
		return nil
	})
	return pass, fail, 2 * bytes.Count(text, []byte{'\n'})
}

// BenchmarkReread measures the second read of a log, which fetches the
// text of the lines findings show: make bench's real log, every hundredth
// line wanted (its pair drops 1% of the lines).
func BenchmarkReread(b *testing.B) {
	p := realBenchPair(b)
	l, err := load(context.Background(), FileInput(p.a), NewNormalizer(nil), newInterner(), ScanOptions{})
	if err != nil {
		b.Fatal(err)
	}
	var want []int
	for n := 1; n <= l.lines; n += 100 {
		want = append(want, n)
	}
	st, _ := os.Stat(p.a)
	b.SetBytes(st.Size())
	for b.Loop() {
		got, err := texts(context.Background(), l, ScanOptions{}, want)
		if err != nil {
			b.Fatal(err)
		}
		if len(got) != len(want) {
			b.Fatalf("%d texts, want %d", len(got), len(want))
		}
	}
}
