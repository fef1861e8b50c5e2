//go:build unix

package tmpdir

import (
	"errors"
	"os"
	"syscall"
)

// tryLock takes an exclusive lock on f without waiting. held reports that
// another open file, of this process or another, has it: the directory's
// owner lives. The lock goes with the file's closing or the process's
// end, however it ends (flock(2)).
func tryLock(f *os.File) (held bool, err error) {
	err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return true, nil
	}
	return false, err
}
