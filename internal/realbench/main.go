// Command realbench times logdiff against GNU diff on a pair of real CI logs
// (make bench): wall time best of three, MB/s of input, the ratio to GNU
// diff's time in the same run, CPU and peak RSS of each command.
//
// The pair is made once from the Treeherder logs of ../shared/data (see
// package benchpair). Each command runs as a child process; its peak RSS and CPU time
// are the child's rusage as wait4(2) returns it (Go's ProcessState), its
// wall time is measured around the child's start and end.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/logdiff/logdiff/internal/benchpair"
)

func main() {
	var (
		logdiff = flag.String("logdiff", "bin/logdiff", "the logdiff binary to time")
		src     = flag.String("src", "../shared/data/treeherder-logs", "the Treeherder logs (gzip) the pair is made of")
		dir     = flag.String("dir", filepath.Join(os.TempDir(), "logdiff-bench-real-v1"), "where the pair is written once")
		size    = flag.Int64("size", benchpair.Size, "bytes of each side of the pair")
		runs    = flag.Int("runs", 3, "runs of each command; the fastest counts")
		only    = flag.String("only", "", "run only the commands whose name contains this")
	)
	flag.Parse()
	if err := run(*logdiff, *src, *dir, *size, *runs, *only); err != nil {
		fmt.Fprintln(os.Stderr, "realbench:", err)
		os.Exit(2)
	}
}

// bench is one command to time.
type bench struct {
	name  string
	argv  []string
	env   []string // added to the environment
	input int64    // bytes of input, for MB/s
	ratio bool     // compare with GNU diff's time
}

// result is the best of the runs of a bench.
type result struct {
	wall   time.Duration // the fastest run's
	cpu    time.Duration // user + system of the fastest run
	maxRSS int64         // KiB, the largest of all runs
}

func run(logdiff, src, dir string, size int64, runs int, only string) error {
	if _, err := os.Stat(src); err != nil {
		// As the tests that need ../shared/data do without it.
		fmt.Printf("real logs: skipped, %s is not there\n", src)
		return nil
	}
	logdiff, err := filepath.Abs(logdiff)
	if err != nil {
		return err
	}
	a, b, err := benchpair.Make(src, dir, size)
	if err != nil {
		return fmt.Errorf("making the pair in %s: %w", dir, err)
	}
	sa, sb := fileSize(a), fileSize(b)
	la, _ := benchpair.Lines(a)
	lb, _ := benchpair.Lines(b)
	fmt.Printf("real pair (Treeherder logs, %s): a.log %.1f MB, %d lines; b.log %.1f MB, %d lines (clocks +1h23m17s, 1%% of lines dropped)\n",
		dir, mb(sa), la, mb(sb), lb)
	fmt.Printf("machine: %d cores (GOMAXPROCS), %s; best of %d runs; MB = 10^6 bytes; peak RSS from wait4(2)\n", runtime.NumCPU(), cpuModel(), runs)
	one := []string{"GOMAXPROCS=1"}
	benches := []bench{
		{name: "GNU diff a.log b.log", argv: []string{"diff", a, b}, input: sa + sb},
		{name: "logdiff diff -o json (default packs)", argv: []string{logdiff, "diff", a, b, "-o", "json"}, input: sa + sb, ratio: true},
		{name: "logdiff diff -o json --pack none", argv: []string{logdiff, "diff", a, b, "-o", "json", "--pack", "none"}, input: sa + sb, ratio: true},
		{name: "logdiff diff -o json a.log a.log (no difference)", argv: []string{logdiff, "diff", a, a, "-o", "json"}, input: 2 * sa, ratio: true},
		{name: "logdiff normalize a.log, one core (default packs)", argv: []string{logdiff, "normalize", a}, env: one, input: sa},
		{name: "logdiff normalize a.log, one core, --pack none", argv: []string{logdiff, "normalize", a, "--pack", "none"}, env: one, input: sa},
	}
	fmt.Printf("%-52s %8s %6s %10s %7s %5s %9s\n", "command", "wall", "MB/s", "GNU diff/", "CPU", "", "peak RSS")
	var gnu time.Duration
	for _, bn := range benches {
		if only != "" && !strings.Contains(bn.name, only) && !strings.HasPrefix(bn.name, "GNU") {
			continue
		}
		r, err := measure(bn, dir, runs)
		if err != nil {
			return err
		}
		if strings.HasPrefix(bn.name, "GNU") {
			gnu = r.wall
		}
		ratio := ""
		if bn.ratio && gnu > 0 {
			ratio = fmt.Sprintf("%.2f×", gnu.Seconds()/r.wall.Seconds())
		}
		fmt.Printf("%-52s %7.2fs %6.0f %10s %6.2fs %4.0f%% %5.0f MiB  (%.2f of input)\n", bn.name, r.wall.Seconds(),
			mb(bn.input)/r.wall.Seconds(), ratio, r.cpu.Seconds(), 100*r.cpu.Seconds()/r.wall.Seconds(), float64(r.maxRSS)/1024,
			float64(r.maxRSS*1024)/float64(bn.input))
	}
	return nil
}

// measure runs bn runs times, its output discarded, in dir (so that no
// .logdiff.yaml of the caller's tree applies).
func measure(bn bench, dir string, runs int) (result, error) {
	var best result
	for i := range runs {
		cmd := exec.Command(bn.argv[0], bn.argv[1:]...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), bn.env...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		start := time.Now()
		err := cmd.Run()
		wall := time.Since(start)
		// diff and logdiff diff exit 1 when they find differences.
		if ee, ok := err.(*exec.ExitError); err != nil && (!ok || ee.ExitCode() > 1) {
			return best, fmt.Errorf("%s: %v: %s", bn.name, err, stderr.Bytes())
		}
		ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
		if !ok {
			return best, fmt.Errorf("%s: no rusage on this system", bn.name)
		}
		cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		if i == 0 || wall < best.wall {
			best.wall, best.cpu = wall, cpu
		}
		best.maxRSS = max(best.maxRSS, ru.Maxrss) // KiB on Linux
	}
	return best, nil
}

func fileSize(p string) int64 {
	st, err := os.Stat(p)
	if err != nil {
		return 0
	}
	return st.Size()
}

func mb(n int64) float64 { return float64(n) / 1e6 }

// cpuModel returns the processor's name from /proc/cpuinfo, where there is one.
func cpuModel() string {
	data, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	for line := range strings.Lines(string(data)) {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}
