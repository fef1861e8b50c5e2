package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/logdiff/logdiff/cmd/internal/iostreams"
)

// testChild makes this test binary the child process of a supervised
// attach (supervise): "crash" crashes as no recover can help, "main" runs
// the real command line.
const testChild = "LOGDIFF_CLI_TEST_CHILD"

func TestMain(m *testing.M) {
	switch os.Getenv(testChild) {
	case "crash":
		go func() { panic("crash in a goroutine") }()
		select {}
	case "main":
		os.Exit(Main())
	}
	os.Exit(m.Run())
}

// TestAttachSupervised runs attach as Main does, its work in a child
// process: a crash of the child that a recover cannot catch still exits 0
// (2 with --exit-code) and is written to logdiff-error.txt; the child's
// own outcomes pass through.
func TestAttachSupervised(t *testing.T) {
	bucket, err := filepath.Abs(filepath.Join("..", "..", "..", "testdata", "bucket"))
	if err != nil {
		t.Fatal(err)
	}
	log := filepath.Join(bucket, "logs", "ci-kubernetes-e2e-windows-gce", "1889253625822187520", "build-log.txt")
	for _, tt := range []struct {
		name       string
		child      string
		args       []string
		wantExit   int
		wantStderr []string
		wantReport string // in logdiff-error.txt; "" for no file
	}{
		{"crash", "crash", nil, 0, []string{"panic: crash in a goroutine", "logdiff attach: crashed (the child process ended with exit status 2)", "exiting 0"}, "panic: crash in a goroutine"},
		{"crash --exit-code", "crash", []string{"--exit-code"}, 2, []string{"panic: crash in a goroutine", "logdiff: attach crashed"}, "panic: crash in a goroutine"},
		{"trouble", "main", []string{"--job", "no-such-job"}, 0, []string{"no-such-job", "exiting 0"}, "no-such-job"},
		{"trouble --exit-code", "main", []string{"--job", "no-such-job", "--exit-code"}, 2, []string{"logdiff: ", "no-such-job"}, "no-such-job"},
		// A usage error of the child (a bad --bucket) is trouble it told,
		// not a crash.
		{"usage error", "main", []string{"--bucket", "/nonexistent"}, 0, []string{"--bucket: cannot read", "exiting 0"}, "--bucket: cannot read"},
		{"findings", "main", nil, 0, []string{"reports in"}, ""},
		{"findings --exit-code", "main", []string{"--exit-code"}, 1, []string{"reports in"}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(testChild, tt.child)
			t.Setenv("TMPDIR", t.TempDir())
			t.Setenv("XDG_CACHE_HOME", t.TempDir())
			out := t.TempDir()
			ios, _, _, errOut := iostreams.Test()
			f := &Factory{IO: ios, Now: func() time.Time { return time.Unix(0, 0) }, Getwd: os.Getwd, Executable: os.Executable}
			args := append([]string{"attach", "--bucket", bucket, "--no-cache", "--job", "ci-kubernetes-e2e-windows-gce", "--out", out}, tt.args...)
			code := Run(context.Background(), f, append(args, log))
			if code != tt.wantExit {
				t.Errorf("exit status %d, want %d; stderr:\n%s", code, tt.wantExit, errOut)
			}
			if tt.child == "main" && strings.Contains(errOut.String(), "crashed") {
				t.Errorf("the child's own outcome taken for a crash:\n%s", errOut)
			}
			for _, want := range tt.wantStderr {
				if !strings.Contains(errOut.String(), want) {
					t.Errorf("stderr lacks %q:\n%s", want, errOut)
				}
			}
			report, err := os.ReadFile(filepath.Join(out, errorFile))
			switch {
			case tt.wantReport == "" && err == nil:
				t.Errorf("%s written:\n%s", errorFile, report)
			case tt.wantReport != "" && !strings.Contains(string(report), tt.wantReport):
				t.Errorf("%s (%v) lacks %q:\n%s", errorFile, err, tt.wantReport, report)
			}
		})
	}
}
