//go:build unix

package cli

import (
	"errors"
	"os"
	"syscall"
)

// errNoLocks is lockFile's error where there is no flock(2).
var errNoLocks = errors.New("file locks are not supported here")

// lockFile takes an exclusive lock on f, or fails at once if another open
// file holds one. The lock goes with the file's closing or the process's
// end, however it ends.
func lockFile(f *os.File) error {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
}
