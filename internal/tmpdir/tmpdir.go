// Package tmpdir makes the temporary directories of a logdiff process so that
// none outlives it: removed when the command returns (on errors too, and on
// SIGINT or SIGTERM, which cancel the command's context), removed on a second
// signal before exiting, and, when the process was killed outright, removed
// by the next logdiff process that makes one.
//
// Each directory holds a lock file that its process keeps locked (flock(2))
// while it lives; the kernel drops the lock when the process ends, however it
// ends. New first sweeps the parent directory: a logdiff-* directory whose
// lock it can take belongs to a dead process and is removed.
package tmpdir

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Prefix starts the name of every temporary file and directory of logdiff.
// Sweep looks only at names of the form logdiff-<name>-<digits>, which
// os.MkdirTemp and os.CreateTemp make of a pattern "logdiff-<name>-*": a
// user's own logdiff-notes is left alone.
const Prefix = "logdiff-"

// StaleAge is how old an entry without a lock must be for Sweep to remove
// it: files and directories of logdiff versions before this package (their
// logdiff-input-* copies of standard input could be gigabytes), and a
// directory whose process died between making it and locking it. Where
// flock(2) is missing, every entry is judged by age.
const StaleAge = 24 * time.Hour

const lockName = ".lock"

// Dir is a temporary directory of this process.
type Dir struct {
	path string
	lock *os.File // nil where locks are not available

	once sync.Once
	err  error
}

// live holds the directories of this process not removed yet, for
// RemoveAll. It is the one piece of package state: a signal concerns the
// whole process, and so do its directories.
var live sync.Map // *Dir → struct{}

// New removes the stale directories in parent (see Sweep) and makes a new
// one named logdiff-<name>-<random digits>, locked for this process; name
// is lower-case letters, parent "" is os.TempDir(). The caller removes it
// with Remove, deferred as soon as New returns.
func New(parent, name string) (*Dir, error) {
	if !isWord(name) {
		return nil, fmt.Errorf("temporary directory name %q: want lower-case letters", name)
	}
	if parent == "" {
		parent = os.TempDir()
	}
	_, _ = Sweep(parent) // best effort: a stale directory costs disk, not correctness
	path, err := os.MkdirTemp(parent, Prefix+name+"-")
	if err != nil {
		return nil, err
	}
	d := &Dir{path: path}
	if err := d.takeLock(); err != nil {
		os.RemoveAll(path)
		return nil, err
	}
	live.Store(d, struct{}{})
	return d, nil
}

// takeLock makes and locks the lock file under a temporary name, and only
// then renames it into place: Sweep never finds a lock file that is not
// locked yet, and leaves a young directory without one alone.
func (d *Dir) takeLock() error {
	tmp := filepath.Join(d.path, lockName+".new")
	f, err := os.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	held, err := tryLock(f)
	switch {
	case errors.Is(err, errors.ErrUnsupported):
		f.Close()
		return os.Remove(tmp)
	case err != nil || held:
		f.Close()
		if err == nil {
			err = errors.New("locked by another process")
		}
		return &fs.PathError{Op: "lock", Path: tmp, Err: err}
	}
	if err := os.Rename(tmp, filepath.Join(d.path, lockName)); err != nil {
		f.Close()
		return err
	}
	d.lock = f
	return nil
}

// Path is the directory's path.
func (d *Dir) Path() string { return d.path }

// Remove removes the directory and everything in it. Calling it again
// does nothing and returns the first call's error.
func (d *Dir) Remove() error {
	d.once.Do(func() {
		live.Delete(d)
		// Unlocked first (Windows cannot remove an open file): a Sweep
		// that takes the lock meanwhile removes the same files.
		if d.lock != nil {
			d.lock.Close()
		}
		d.err = os.RemoveAll(d.path)
	})
	return d.err
}

// RemoveAll removes every directory of this process not removed yet, for a
// process about to exit without returning from its command.
func RemoveAll() {
	live.Range(func(k, _ any) bool {
		k.(*Dir).Remove()
		return true
	})
}

// Sweep removes the entries of parent named logdiff-* whose process is
// gone: a directory whose lock file it can lock, and an entry without a lock
// file older than StaleAge. It returns what it removed, and the first error
// met while removing (a directory of another user, say), going on after it.
func Sweep(parent string) ([]string, error) {
	entries, err := os.ReadDir(parent)
	if err != nil {
		return nil, err
	}
	var (
		removed []string
		first   error
	)
	for _, e := range entries {
		if !ours(e.Name()) {
			continue
		}
		p := filepath.Join(parent, e.Name())
		stale, err := isStale(p, e)
		if err == nil && stale {
			err = os.RemoveAll(p)
			if err == nil {
				removed = append(removed, p)
			}
		}
		if err != nil && !errors.Is(err, fs.ErrNotExist) && first == nil {
			first = err
		}
	}
	return removed, first
}

// ours reports whether name is logdiff-<lower-case letters>-<digits>.
func ours(name string) bool {
	rest, ok := strings.CutPrefix(name, Prefix)
	if !ok {
		return false
	}
	i := strings.LastIndexByte(rest, '-')
	if i < 0 || !isWord(rest[:i]) || rest[i+1:] == "" || strings.Trim(rest[i+1:], "0123456789") != "" {
		return false
	}
	return true
}

func isWord(s string) bool {
	return s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyz") == ""
}

// isStale tells whether the entry p of a Sweep belongs to no live process.
func isStale(p string, e fs.DirEntry) (bool, error) {
	old := func() bool {
		fi, err := e.Info()
		return err == nil && time.Since(fi.ModTime()) > StaleAge
	}
	if !e.IsDir() {
		return old(), nil
	}
	f, err := os.OpenFile(filepath.Join(p, lockName), os.O_RDWR, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return old(), nil
	}
	if err != nil {
		return false, err
	}
	// Closing drops the lock if taken; no one takes it again, since only
	// the directory's maker locks it, and it is dead.
	defer f.Close()
	held, err := tryLock(f)
	if errors.Is(err, errors.ErrUnsupported) {
		return old(), nil
	}
	return err == nil && !held, err
}

// NotifyContext returns a context that the first of SIGINT and SIGTERM
// (the signals given) cancels, so that the command returns and its
// deferred Removes run. A second signal removes this process's directories
// (RemoveAll) and exits with status 2 at once: the command did not return
// (it was blocked in a read that no context ends, say) and the user insists.
// stop unregisters the signals.
func NotifyContext(parent context.Context, signals ...os.Signal) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancelCause(parent)
	ch := make(chan os.Signal, 2)
	signal.Notify(ch, signals...)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-ch:
			// The cause says why the command stopped ("context canceled"
			// alone does not), as signal.NotifyContext's does.
			cancel(fmt.Errorf("%v signal received", sig))
		case <-done:
			return
		}
		select {
		case <-ch:
			RemoveAll()
			os.Exit(2)
		case <-done:
		}
	}()
	var once sync.Once
	return ctx, func() {
		once.Do(func() {
			signal.Stop(ch)
			close(done)
			cancel(nil)
		})
	}
}
