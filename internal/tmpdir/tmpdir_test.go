package tmpdir

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The test binary plays the logdiff process in the tests that need one to
// die: with TMPDIR_HELPER set, it runs that helper instead of the tests.
func TestMain(m *testing.M) {
	if mode := os.Getenv("TMPDIR_HELPER"); mode != "" {
		os.Exit(helper(mode, os.Getenv("TMPDIR_PARENT")))
	}
	os.Exit(m.Run())
}

// helper makes a directory, puts a file in it, prints its path and then:
//
//	wait     blocks until killed
//	command  runs like a command: returns when the context is cancelled,
//	         removing the directory as deferred, and exits with status 3
//	stuck    is a command that never returns (a read no context ends)
func helper(mode, parent string) int {
	ctx, stop := NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := func() error {
		d, err := New(parent, "runs")
		if err != nil {
			return err
		}
		defer d.Remove()
		if err := os.WriteFile(filepath.Join(d.Path(), "build-log.txt"), []byte("log\n"), 0o644); err != nil {
			return err
		}
		fmt.Println(d.Path())
		switch mode {
		case "wait", "stuck":
			select {}
		case "command":
			<-ctx.Done()
			return ctx.Err()
		}
		return fmt.Errorf("unknown helper %q", mode)
	}()
	if errors.Is(err, context.Canceled) {
		return 3
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	return 0
}

// start runs the helper and returns it with the directory it made.
func start(t *testing.T, mode, parent string) (*exec.Cmd, string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("no signals or flock on Windows")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "TMPDIR_HELPER="+mode, "TMPDIR_PARENT="+parent)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("helper %s printed no directory: %v", mode, err)
	}
	return cmd, strings.TrimSpace(line)
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func TestNewAndRemove(t *testing.T) {
	parent := t.TempDir()
	d, err := New(parent, "runs")
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(d.Path()) != parent || !strings.HasPrefix(filepath.Base(d.Path()), "logdiff-runs-") {
		t.Errorf("directory %s, want logdiff-runs-* in %s", d.Path(), parent)
	}
	os.WriteFile(filepath.Join(d.Path(), "f"), []byte("x"), 0o644)
	// A live directory, here of this very process, is never swept.
	if removed, err := Sweep(parent); err != nil || len(removed) != 0 || !exists(d.Path()) {
		t.Errorf("Sweep = %v, %v; want the live directory left alone", removed, err)
	}
	if err := d.Remove(); err != nil || exists(d.Path()) {
		t.Errorf("Remove: %v; exists %v", err, exists(d.Path()))
	}
	if err := d.Remove(); err != nil {
		t.Errorf("second Remove: %v", err)
	}
	if _, err := New(filepath.Join(parent, "missing"), "runs"); err == nil {
		t.Error("New in a missing directory: no error")
	}
	if _, err := New(parent, "../escape"); err == nil {
		t.Error("New with a name of more than letters: no error")
	}
}

func TestRemoveAll(t *testing.T) {
	parent := t.TempDir()
	a, err := New(parent, "a")
	if err != nil {
		t.Fatal(err)
	}
	b, err := New(parent, "b")
	if err != nil {
		t.Fatal(err)
	}
	b.Remove()
	RemoveAll()
	if exists(a.Path()) || exists(b.Path()) {
		t.Errorf("after RemoveAll: %s %v, %s %v", a.Path(), exists(a.Path()), b.Path(), exists(b.Path()))
	}
}

func TestSweep(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no flock on Windows: only the age rule applies")
	}
	parent := t.TempDir()
	// A process killed outright (SIGKILL: nothing of it runs) leaves its
	// directory, which the next sweep removes; one alive keeps its own.
	killed, dead := start(t, "wait", parent)
	_, alive := start(t, "wait", parent)
	killed.Process.Kill()
	killed.Wait()
	if !exists(dead) {
		t.Fatalf("the killed process's directory %s is gone already", dead)
	}

	old := time.Now().Add(-StaleAge - time.Hour)
	mk := func(name string, dir bool, mod time.Time) string {
		p := filepath.Join(parent, name)
		if dir {
			os.Mkdir(p, 0o755)
			os.WriteFile(filepath.Join(p, "x"), []byte("x"), 0o644)
		} else {
			os.WriteFile(p, []byte("x"), 0o644)
		}
		os.Chtimes(p, mod, mod)
		return p
	}
	oldInput := mk("logdiff-input-123", false, old)       // a copy of standard input by an older logdiff
	oldRuns := mk("logdiff-runs-456", true, old)          // a directory of an older logdiff
	youngRuns := mk("logdiff-runs-789", true, time.Now()) // maybe being made right now
	other := mk("other-tool-1", true, old)                // not ours
	notes := mk("logdiff-notes", true, old)               // not made by MkdirTemp
	removed, err := Sweep(parent)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(removed)
	want := []string{dead, oldInput, oldRuns}
	slices.Sort(want)
	if !slices.Equal(removed, want) {
		t.Errorf("Sweep removed %v, want %v", removed, want)
	}
	for _, p := range []string{alive, youngRuns, other, notes} {
		if !exists(p) {
			t.Errorf("%s was removed", p)
		}
	}
}

func TestSignals(t *testing.T) {
	tests := []struct {
		name, mode string
		signals    []os.Signal
		code       int
	}{
		// The command sees its context cancelled and returns: deferred
		// removals run, and the exit status is the command's (3 here).
		{"SIGINT", "command", []os.Signal{os.Interrupt}, 3},
		{"SIGTERM", "command", []os.Signal{syscall.SIGTERM}, 3},
		// A command that does not return: the second signal removes the
		// directory and exits.
		{"twice", "stuck", []os.Signal{os.Interrupt, os.Interrupt}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd, dir := start(t, tt.mode, t.TempDir())
			for _, s := range tt.signals {
				if err := cmd.Process.Signal(s); err != nil {
					t.Fatal(err)
				}
				time.Sleep(50 * time.Millisecond) // two signals, not one merged pending signal
			}
			err := cmd.Wait()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != tt.code {
				t.Errorf("helper ended with %v, want exit status %d", err, tt.code)
			}
			if exists(dir) {
				t.Errorf("%s is still there", dir)
			}
		})
	}
}
