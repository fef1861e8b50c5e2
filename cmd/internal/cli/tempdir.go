package cli

import (
	"fmt"
	"os"
	"sync"

	"github.com/logdiff/logdiff/internal/tmpdir"
)

// tempRoot is the one temporary directory a process keeps its files in
// (copies of standard input and pipes, fetched runs), logdiff-run-* under
// os.TempDir(). It is made on first use and removed when the command
// returns, whatever it returns with (Run sees to it); tmpdir's lock tells
// it from the directory of a killed process, which the next run removes.
type tempRoot struct {
	mu  sync.Mutex
	dir *tmpdir.Dir
}

// mkdir makes a new directory in the root, the root first if need be.
func (t *tempRoot) mkdir(pattern string) (string, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.dir == nil {
		d, err := tmpdir.New("", "run")
		if err != nil {
			return "", fmt.Errorf("making a temporary directory: %w", err)
		}
		t.dir = d
	}
	return os.MkdirTemp(t.dir.Path(), pattern)
}

// path is the root's path, "" before it is made.
func (t *tempRoot) path() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.dir == nil {
		return ""
	}
	return t.dir.Path()
}

// remove removes the root and all in it.
func (t *tempRoot) remove() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.dir != nil {
		t.dir.Remove()
		t.dir = nil
	}
}
