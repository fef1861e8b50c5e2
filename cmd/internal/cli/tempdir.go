package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"time"
)

// tempRoot is the one directory under os.TempDir() that a process keeps
// its temporary files in (copies of standard input and pipes, fetched
// runs), named logdiff-<pid>-*. It is made on first use and removed when
// the command returns, whatever it returns with (Run sees to it). A lock
// file in it, locked for the life of the process, tells the root of a
// live process from that of a killed one, which the next run removes
// (sweepStale).
type tempRoot struct {
	mu   sync.Mutex
	dir  string
	lock *os.File
}

// lockName is the lock file in a root. It appears only once locked: it is
// locked under another name, then renamed, so that a sweep never sees it
// unlocked in a live root.
const lockName = ".lock"

// rootPattern matches the names of roots (and of nothing older logdiffs
// made: those had no lock and are left alone).
var rootPattern = regexp.MustCompile(`^logdiff-[0-9]+-.+$`)

// mkdir makes a new directory in the root, the root first if need be.
func (t *tempRoot) mkdir(pattern string) (string, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.dir == "" {
		dir, lock, err := newRoot()
		if err != nil {
			return "", fmt.Errorf("making a temporary directory: %w", err)
		}
		t.dir, t.lock = dir, lock
	}
	return os.MkdirTemp(t.dir, pattern)
}

func newRoot() (string, *os.File, error) {
	dir, err := os.MkdirTemp("", fmt.Sprintf("logdiff-%d-", os.Getpid()))
	if err != nil {
		return "", nil, err
	}
	lock, err := os.OpenFile(filepath.Join(dir, lockName+".new"), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err == nil {
		if err = lockFile(lock); err != nil && !errors.Is(err, errNoLocks) {
			lock.Close()
		} else {
			err = os.Rename(lock.Name(), filepath.Join(dir, lockName))
		}
	}
	if err != nil {
		os.RemoveAll(dir)
		return "", nil, err
	}
	return dir, lock, nil
}

// remove removes the root and all in it.
func (t *tempRoot) remove() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.dir == "" {
		return
	}
	os.RemoveAll(t.dir)
	t.lock.Close()
	t.dir, t.lock = "", nil
}

// staleAge is how old a root without its lock file must be to be
// removed: its process died between making it and locking it, which takes
// microseconds; anything younger may be a root being made.
const staleAge = 10 * time.Minute

// sweepStale removes the roots under tmp whose process is gone: their lock
// can be taken. It returns the roots it removed. Errors are ignored: a
// root that cannot be removed now is tried again by the next run.
func sweepStale(tmp string, now time.Time) []string {
	entries, err := os.ReadDir(tmp)
	if err != nil {
		return nil
	}
	var removed []string
	for _, e := range entries {
		if !e.IsDir() || !rootPattern.MatchString(e.Name()) {
			continue
		}
		dir := filepath.Join(tmp, e.Name())
		lock, err := os.OpenFile(filepath.Join(dir, lockName), os.O_RDWR, 0)
		if errors.Is(err, fs.ErrNotExist) {
			if st, err := os.Stat(dir); err == nil && now.Sub(st.ModTime()) > staleAge {
				os.RemoveAll(dir)
				removed = append(removed, dir)
			}
			continue
		}
		if err != nil {
			continue
		}
		if lockFile(lock) == nil {
			// Its process is gone; the lock is ours while we remove it.
			os.RemoveAll(dir)
			removed = append(removed, dir)
		}
		lock.Close()
	}
	return removed
}
