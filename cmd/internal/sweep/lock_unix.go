//go:build unix

package sweep

import (
	"os"
	"syscall"
)

// lockFile takes an exclusive lock on f, or fails at once if another
// process holds one. The lock goes with the file's closing or the
// process's end, however it ends.
func lockFile(f *os.File) error {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
}
