package sweep_test

import (
	"bufio"
	"context"
	"fmt"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fsouza/fake-gcs-server/fakestorage"

	"github.com/logdiff/logdiff/cmd/internal/sweep"
	"github.com/logdiff/logdiff/fetch"
	"github.com/logdiff/logdiff/fetch/gcs"
	"github.com/logdiff/logdiff/logdiff/regressions"
)

// The benchmark's bucket: 500 jobs of 4 runs, build logs of about 1 MB.
// 200 jobs break for one shared cause and 100 for one of 8 others (their
// newest run fails after 3 passes, so all 4 logs are compared), 150 pass
// and 50 failed in every run. It is generated once, on first use, under
// $TMPDIR (about 2 GB), never by the normal test suite.
const (
	benchJobs    = 500
	benchLogSize = 1 << 20
	benchVersion = "v1"
)

func benchBucket(b *testing.B) (dir string, compared int64) {
	b.Helper()
	dir = filepath.Join(os.TempDir(), "logdiff-sweep-bench-"+benchVersion)
	done := filepath.Join(dir, "complete")
	if data, err := os.ReadFile(done); err == nil {
		n, _ := strconv.ParseInt(strings.TrimSpace(string(data)), 10, 64)
		return dir, n
	}
	b.Logf("generating the benchmark's bucket in %s (once)", dir)
	os.RemoveAll(dir)
	lines := benchLogSize / 95 // the generated lines average about 95 bytes
	for i := range benchJobs {
		job := fmt.Sprintf("ci-bench-%03d", i)
		results := []string{"SUCCESS", "SUCCESS", "SUCCESS", "FAILURE"}
		k := shared
		switch i % 10 {
		case 4, 5:
			k = own
		case 6, 7, 8:
			k, results = passing, []string{"SUCCESS", "SUCCESS", "SUCCESS", "SUCCESS"}
		case 9:
			k, results = allFailing, []string{"FAILURE", "FAILURE", "FAILURE", "FAILURE"}
		}
		bk := bucket{}
		for n, res := range results {
			id := strconv.Itoa(1001 + n)
			fail := res == "FAILURE"
			windows := !(k == shared && fail)
			cause := ""
			if k == own && fail {
				cause = ownCauses[i%len(ownCauses)] + " in zone " + job
			}
			r := run{job: job, id: id, result: res, env: map[string]string{"PROVIDER": "gce"}}
			if windows {
				r.env["KUBERNETES_NODE_PLATFORM"] = "windows"
			}
			r.log = genLog(job, id, uint64(i*10+n), lines, windows, fail, cause)
			if k == shared || k == own {
				compared += int64(len(r.log))
			}
			add(bk, r)
		}
		writeDir(b, dir, bk)
	}
	if err := os.WriteFile(done, []byte(strconv.FormatInt(compared, 10)), 0o644); err != nil {
		b.Fatal(err)
	}
	return dir, compared
}

// BenchmarkSweep sweeps the benchmark's bucket from the local directory
// and from fake-gcs-server in another process (so that its copy of the
// bucket is not counted in this process's memory), and reports jobs per
// second and peak memory: VmHWM (the peak resident set, reset before
// the sweep) and the Go heap's peak in use, sampled every 20 ms. SetBytes
// is the size of the logs compared.
func BenchmarkSweep(b *testing.B) {
	dir, compared := benchBucket(b)
	b.Run("dir", func(b *testing.B) {
		store, err := fetch.OpenDir(dir)
		if err != nil {
			b.Fatal(err)
		}
		benchSweep(b, store, fetch.Source{Kind: fetch.KindLocal, Root: dir}, compared)
	})
	b.Run("gcs", func(b *testing.B) {
		host := serveBench(b, dir)
		b.Setenv("STORAGE_EMULATOR_HOST", host)
		c, err := gcs.New(context.Background(), gcs.Options{Auth: gcs.AuthAnonymous})
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		benchSweep(b, c.Bucket(bucketName), fetch.Source{Kind: fetch.KindGCS, Bucket: bucketName}, compared)
	})
}

func benchSweep(b *testing.B, store fetch.Store, src fetch.Source, compared int64) {
	ctx := context.Background()
	jobs, err := sweep.Discover(ctx, store, &sweep.Config{Prefixes: []string{"logs/"}})
	if err != nil || len(jobs) != benchJobs {
		b.Fatalf("%d jobs, %v", len(jobs), err)
	}
	sw := newSweeper(b, store, src)
	sw.Baselines, sw.Parallel = 3, 4
	b.SetBytes(compared)
	runtime.GC()
	os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) // resets VmHWM (Linux)
	var peakHeap atomic.Uint64
	stop := make(chan struct{})
	go func() {
		var ms runtime.MemStats
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peakHeap.Load() {
				peakHeap.Store(ms.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	start := time.Now()
	found := 0
	for range b.N {
		rs, err := sw.Run(ctx, jobs)
		if err != nil {
			b.Fatal(err)
		}
		s := regressions.Summarize(rs, 3, nil, testNow)
		if len(s.Regressions) == 0 || len(s.Regressions[0].Jobs) != 200 || s.Counts.Unreadable != 0 {
			b.Fatalf("summary: %d regressions, the first of %d jobs; %+v", len(s.Regressions), len(s.Regressions[0].Jobs), s.Counts)
		}
		found = len(s.Regressions)
	}
	elapsed := time.Since(start)
	b.StopTimer()
	close(stop)
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	hwm := vmHWM()
	b.ReportMetric(float64(benchJobs*b.N)/elapsed.Seconds(), "jobs/s")
	b.ReportMetric(float64(hwm)/(1<<20), "VmHWM-MB")
	b.ReportMetric(float64(peakHeap.Load())/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(after.HeapSys)/(1<<20), "HeapSys-MB")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/(1<<20), "alloc-MB/op")
	b.Logf("%d jobs in %v (%d regressions), %.0f MB of logs compared per sweep", benchJobs*b.N, elapsed.Round(time.Millisecond), found, float64(compared)/(1<<20))
}

// vmHWM reads the peak resident set of this process, in bytes (0 where
// /proc is missing).
func vmHWM() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// serveBench starts fake-gcs-server on a loopback port in another process
// (this test binary as a helper), serving dir as the bucket, and returns
// its host:port. The server ends with the benchmark.
func serveBench(b *testing.B, dir string) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Skip("no loopback listener:", err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	host := "127.0.0.1:" + strconv.Itoa(port)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "SWEEP_TEST_HELPER=gcs", fmt.Sprintf(`SWEEP_TEST_ARGS=[%q, %q]`, dir, strconv.Itoa(port)))
	cmd.Stderr = os.Stderr
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { stdin.Close(); cmd.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || strings.TrimSpace(line) != "ready" {
		b.Fatalf("fake GCS server: %q, %v", line, err)
	}
	return host
}

// gcsHelper serves the directory args[0] as bucketName on port args[1]
// until its standard input closes.
func gcsHelper(args []string) int {
	port, _ := strconv.Atoi(args[1])
	var objs []fakestorage.Object
	err := filepath.WalkDir(args[0], func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Base(p) == "complete" {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(args[0], p)
		objs = append(objs, fakestorage.Object{ObjectAttrs: fakestorage.ObjectAttrs{BucketName: bucketName, Name: filepath.ToSlash(rel), ContentType: "text/plain"}, Content: data})
		return nil
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	host := "127.0.0.1:" + args[1]
	srv, err := fakestorage.NewServerWithOptions(fakestorage.Options{InitialObjects: objs, Scheme: "http", Host: "127.0.0.1", Port: uint16(port), PublicHost: host})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	srv.CreateBucketWithOpts(fakestorage.CreateBucketOpts{Name: bucketName})
	fmt.Println("ready")
	bufio.NewReader(os.Stdin).ReadString('\n') // until EOF
	srv.Stop()
	return 0
}
