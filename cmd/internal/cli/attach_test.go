package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/logdiff/logdiff/cmd/internal/compare"
	"github.com/logdiff/logdiff/cmd/internal/iostreams"
	"github.com/logdiff/logdiff/logdiff"
)

// TestAttachPanic injects a panic in the middle of attach's work (the
// comparison, after runs were fetched and standard input copied): attach
// recovers, tells it with its stack on standard error and in
// logdiff-error.txt, and exits 0, or 2 with --exit-code. Its temporary
// files go all the same.
func TestAttachPanic(t *testing.T) {
	bucket, err := filepath.Abs(filepath.Join("..", "..", "..", "testdata", "bucket"))
	if err != nil {
		t.Fatal(err)
	}
	log, err := os.ReadFile(filepath.Join(bucket, "logs", "ci-kubernetes-e2e-windows-gce", "1889253625822187520", "build-log.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name     string
		args     []string
		wantExit int
	}{
		{"exit 0", nil, ExitNoFindings},
		{"--exit-code", []string{"--exit-code"}, ExitTrouble},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("TMPDIR", t.TempDir())
			out := t.TempDir()
			ios, in, _, errOut := iostreams.Test()
			in.Write(log)
			f := &Factory{IO: ios, Now: func() time.Time { return time.Unix(0, 0) }, Getwd: func() (string, error) { return t.TempDir(), nil }}
			cmd := NewCmdAttach(f, func(o *AttachOptions) error {
				o.compare = func(context.Context, *compare.Runs, logdiff.Options) (*logdiff.Report, error) {
					panic("injected for a test")
				}
				return runAttach(context.Background(), o)
			})
			cmd.SetArgs(append([]string{"--bucket", bucket, "--no-cache", "--job", "ci-kubernetes-e2e-windows-gce", "--out", out}, tt.args...))
			cmd.SetOut(ios.Out)
			cmd.SetErr(ios.ErrOut)
			err := cmd.ExecuteContext(context.Background())
			if got := exitCode(f, err); got != tt.wantExit {
				t.Errorf("exit status %d, want %d", got, tt.wantExit)
			}
			if f.temp.path() == "" {
				t.Fatal("attach made no temporary directory: standard input was not copied")
			}
			// Unwound by the panic, attach removed its files itself.
			if n := filesIn(t, f.temp.path()); n > 0 {
				t.Errorf("%d temporary files left", n)
			}
			f.temp.remove()
			for _, want := range []string{"panic: injected for a test", "goroutine ", "attach_test.go"} {
				if !strings.Contains(errOut.String(), want) {
					t.Errorf("standard error lacks %q:\n%s", want, errOut.String())
				}
			}
			report, err := os.ReadFile(filepath.Join(out, errorFile))
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{"the job's own result stands", "panic: injected for a test", "attach_test.go"} {
				if !strings.Contains(string(report), want) {
					t.Errorf("%s lacks %q:\n%s", errorFile, want, report)
				}
			}
		})
	}
}
