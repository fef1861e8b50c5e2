package sweep_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/logdiff/logdiff/cmd/internal/cli"
	"github.com/logdiff/logdiff/cmd/internal/iostreams"
	"github.com/logdiff/logdiff/cmd/internal/sweep"
	"github.com/logdiff/logdiff/fetch"
	"github.com/logdiff/logdiff/logdiff/regressions"
)

// The test binary doubles as the processes some tests start: the logdiff
// command (SWEEP_TEST_HELPER=cli) and a sweep that kills itself with
// SIGKILL after a number of records (SWEEP_TEST_HELPER=kill). Arguments
// come as JSON in SWEEP_TEST_ARGS, out of the test flags' way.
func TestMain(m *testing.M) {
	var args []string
	if a := os.Getenv("SWEEP_TEST_ARGS"); a != "" {
		if err := json.Unmarshal([]byte(a), &args); err != nil {
			fmt.Fprintln(os.Stderr, "SWEEP_TEST_ARGS:", err)
			os.Exit(3)
		}
	}
	switch os.Getenv("SWEEP_TEST_HELPER") {
	case "cli":
		f := &cli.Factory{IO: iostreams.System(), Now: time.Now, Getwd: os.Getwd}
		os.Exit(cli.Run(context.Background(), f, args))
	case "kill":
		os.Exit(killHelper(args))
	case "gcs":
		os.Exit(gcsHelper(args))
	}
	os.Exit(m.Run())
}

// helper returns the command that runs the test binary as a helper.
func helper(t *testing.T, mode string, args ...string) *exec.Cmd {
	t.Helper()
	a, err := json.Marshal(args)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "SWEEP_TEST_HELPER="+mode, "SWEEP_TEST_ARGS="+string(a),
		"JOB_COMPLETION_INDEX=", "JOB_COMPLETIONS=", "XDG_CACHE_HOME="+t.TempDir())
	return cmd
}

// killHelper sweeps the bucket directory args[0] with the state args[1]
// and records args[2], and kills its own process with SIGKILL (no
// deferred function, no flush) once it has written args[3] records.
func killHelper(args []string) int {
	if len(args) != 4 {
		fmt.Fprintln(os.Stderr, "kill helper: want BUCKET STATE RECORDS N")
		return 3
	}
	n, _ := strconv.Atoi(args[3])
	store, err := fetch.OpenDir(args[0])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	st, err := sweep.OpenState(args[1], sweep.Whole)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	out, err := sweep.CreateRecords(args[2], sweep.Whole)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	jobs, err := sweep.Discover(context.Background(), store, &sweep.Config{Prefixes: []string{"logs/", "pr-logs/directory/"}})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	tmp, _ := os.MkdirTemp("", "sweep-kill-")
	sw := &sweep.Sweeper{
		Fetcher: &fetch.Fetcher{Store: store}, Source: fetch.Source{Kind: fetch.KindLocal, Root: args[0]},
		Options: compareOptions(), Baselines: 2, Parallel: 4, TempDir: tmp, State: st,
		Out: &killer{w: out, after: n},
	}
	sw.Run(context.Background(), jobs)
	fmt.Fprintln(os.Stderr, "kill helper: the sweep ended before it was killed")
	return 4
}

type killer struct {
	w     sweep.RecordWriter
	n     int
	after int
}

func (k *killer) Write(r *regressions.Record) error {
	if err := k.w.Write(r); err != nil {
		return err
	}
	if k.n++; k.n == k.after {
		syscall.Kill(os.Getpid(), syscall.SIGKILL)
		select {} // the signal is on its way
	}
	return nil
}
