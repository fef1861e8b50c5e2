//go:build unix

package main

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSignalsLeaveNoTempFiles runs the binary on an input that must be
// copied (standard input, a FIFO) whose writer stops mid-way, so that the
// copy is blocked in a read, and stops it with a signal. SIGTERM: the
// command winds down and removes its temporary files itself. SIGKILL:
// they stay, and the next run removes them.
func TestSignalsLeaveNoTempFiles(t *testing.T) {
	bin, err := exec.LookPath("logdiff") // put there by testscript.Main
	if err != nil {
		t.Fatal(err)
	}
	bucket, err := filepath.Abs(filepath.Join("..", "..", "testdata", "bucket"))
	if err != nil {
		t.Fatal(err)
	}
	chunk := bytes.Repeat([]byte("a line of a log that goes on and on\n"), 1<<15) // about 1 MiB
	for _, tt := range []struct {
		name     string
		sig      syscall.Signal
		fifo     bool
		args     []string
		wantTerm int // exit status after SIGTERM
	}{
		{"diff stdin SIGTERM", syscall.SIGTERM, false, []string{"diff", "pass.log", "-"}, 2},
		{"diff fifo SIGTERM", syscall.SIGTERM, true, []string{"diff", "pass.log", "in.fifo"}, 2},
		{"normalize stdin SIGINT", syscall.SIGINT, false, []string{"normalize", "-"}, 2},
		{"attach stdin SIGTERM", syscall.SIGTERM, false, []string{"attach", "--bucket", bucket, "--no-cache", "--job", "ci-kubernetes-e2e-windows-gce", "--out", "artifacts"}, 0},
		{"diff stdin SIGKILL", syscall.SIGKILL, false, []string{"diff", "pass.log", "-"}, 0},
		{"diff fifo SIGKILL", syscall.SIGKILL, true, []string{"diff", "pass.log", "in.fifo"}, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			work, tmp := t.TempDir(), t.TempDir()
			if err := os.WriteFile(filepath.Join(work, "pass.log"), []byte("a\nb\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(bin, tt.args...)
			cmd.Dir = work
			cmd.Env = append(os.Environ(), "TMPDIR="+tmp, "XDG_CACHE_HOME="+filepath.Join(work, ".cache"))
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			// The writer writes a chunk and then nothing, without closing:
			// the copy waits in a read when the signal comes.
			pr, pw, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			defer pw.Close()
			if tt.fifo {
				pr.Close()
				fifo := filepath.Join(work, "in.fifo")
				if err := syscall.Mkfifo(fifo, 0o600); err != nil {
					t.Fatal(err)
				}
				go func() {
					w, err := os.OpenFile(fifo, os.O_WRONLY, 0) // waits for the reader
					if err != nil {
						return
					}
					w.Write(chunk)
					pw.Close() // stays open in w until the test ends
					defer w.Close()
					<-t.Context().Done()
				}()
			} else {
				cmd.Stdin = pr
				go pw.Write(chunk)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			if !tt.fifo {
				pr.Close()
			}
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			waitForCopy(t, tmp, int64(len(chunk)), exited, &stderr)

			if err := cmd.Process.Signal(tt.sig); err != nil {
				t.Fatal(err)
			}
			err = <-exited
			if tt.sig == syscall.SIGKILL {
				if left := leftovers(t, tmp); len(left) == 0 {
					t.Fatal("SIGKILL left no temporary files: the test did not stop the copy mid-way")
				}
				// The next run, whatever it does, removes what the killed one left.
				next := exec.Command(bin, "diff", "pass.log", "pass.log")
				next.Dir, next.Env = work, cmd.Env
				if out, err := next.CombinedOutput(); err != nil {
					t.Fatalf("the next run: %v\n%s", err, out)
				}
			} else {
				code := 0
				var ee *exec.ExitError
				if errors.As(err, &ee) {
					code = ee.ExitCode()
				}
				if code != tt.wantTerm {
					t.Errorf("exit status %d after %v, want %d; stderr:\n%s", code, tt.sig, tt.wantTerm, stderr.String())
				}
				if !strings.Contains(stderr.String(), "signal received") {
					t.Errorf("stderr does not say why the command stopped:\n%s", stderr.String())
				}
			}
			if left := leftovers(t, tmp); len(left) > 0 {
				t.Errorf("left in TMPDIR: %s; stderr:\n%s", strings.Join(left, ", "), stderr.String())
			}
		})
	}
}

// waitForCopy waits until a file under tmp holds n bytes: the command is
// then blocked reading what never comes.
func waitForCopy(t *testing.T, tmp string, n int64, exited <-chan error, stderr *bytes.Buffer) {
	t.Helper()
	for {
		select {
		case err := <-exited:
			t.Fatalf("the command ended before the signal: %v\n%s", err, stderr.String())
		case <-time.After(10 * time.Millisecond):
		}
		done := false
		filepath.WalkDir(tmp, func(p string, d fs.DirEntry, err error) error {
			if err == nil && d.Type().IsRegular() {
				if fi, err := d.Info(); err == nil && fi.Size() >= n {
					done = true
				}
			}
			return nil
		})
		if done {
			return
		}
	}
}

func leftovers(t *testing.T, tmp string) []string {
	t.Helper()
	entries, err := os.ReadDir(tmp)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}
