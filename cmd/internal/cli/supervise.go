package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"time"
)

// childEnv marks the process that does attach's work, run by attach
// itself (supervise).
const childEnv = "LOGDIFF_ATTACH_CHILD"

// exitHandled is the exit status of a supervised attach that met trouble
// of its own, said it, and wrote logdiff-error.txt: anything else but 0 or
// 1 is a crash.
const exitHandled = 3

// exitStatus is an error that Run maps to its code, saying nothing.
type exitStatus struct {
	code int
	err  error
}

func (e exitStatus) Error() string { return e.err.Error() }
func (e exitStatus) Unwrap() error { return e.err }

// supervise runs attach's work in a child process (this program again,
// with childEnv set) and waits for it, so that attach keeps its promise
// whatever the child meets: a panic in a goroutine, running out of
// memory, a fatal runtime error, a kill by the OOM killer. A recover
// cannot catch those. The child's standard error passes through; on a
// crash, its end goes to logdiff-error.txt. It returns started false when
// the child could not be started: the caller then works in-process.
func (o *AttachOptions) supervise(ctx context.Context, exe string) (started bool, err error) {
	f := o.Factory
	cmd := exec.CommandContext(ctx, exe, f.args...)
	cmd.Env = append(os.Environ(), childEnv+"=1")
	cmd.Stdin, cmd.Stdout = f.IO.In, f.IO.Out
	tail := &tailWriter{w: f.IO.ErrOut, max: 64 << 10}
	cmd.Stderr = tail
	// A signal to attach goes to the child, which removes its files and
	// ends; one that lingers is killed.
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 10 * time.Second
	if err := cmd.Start(); err != nil {
		f.notef("logdiff attach: cannot run in a child process, running in this one: %v", err)
		return false, nil
	}
	err = cmd.Wait()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		// The child ran; what went wrong is waiting for its output.
		return true, o.crashed(err, tail.bytes())
	}
	switch cmd.ProcessState.ExitCode() {
	case 0:
		return true, nil
	case 1:
		return true, errFindings
	case exitHandled:
		if o.ExitCode {
			return true, errSilent{errors.New("trouble")}
		}
		return true, nil
	}
	return true, o.crashed(fmt.Errorf("the child process ended with %v", cmd.ProcessState), tail.bytes())
}

// crashed tells of a child that crashed, and decides the exit status.
func (o *AttachOptions) crashed(why error, stderr []byte) error {
	f := o.Factory
	where := ""
	if o.OutDir != "" {
		text := fmt.Sprintf("logdiff attach could not compare this run; the job's own result stands.\n\nlogdiff crashed (%v): a bug in logdiff, please report it with what follows, the end of its standard error.\n\n%s", why, stderr)
		path := filepath.Join(o.OutDir, errorFile)
		err := writeFileAtomic(path, func(w io.Writer) error {
			_, err := io.WriteString(w, text)
			return err
		})
		if err != nil {
			f.notef("logdiff attach: %v", err)
		} else {
			where = "; see " + path
		}
	}
	if o.ExitCode {
		f.notef("logdiff: attach crashed (%v)%s", why, where)
		return errSilent{why}
	}
	f.notef("logdiff attach: crashed (%v)%s (exiting 0: the job's own result stands)", why, where)
	return nil
}

// tailWriter passes writes on and keeps the last max bytes.
type tailWriter struct {
	w   io.Writer
	max int

	mu  sync.Mutex
	buf []byte
}

func (t *tailWriter) Write(p []byte) (int, error) {
	t.mu.Lock()
	t.buf = append(t.buf, p...)
	if over := len(t.buf) - t.max; over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
	}
	t.mu.Unlock()
	t.w.Write(p) // a lost standard error must not stop the child
	return len(p), nil
}

func (t *tailWriter) bytes() []byte {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]byte(nil), t.buf...)
}
