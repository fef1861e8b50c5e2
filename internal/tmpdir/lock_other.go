//go:build !unix

package tmpdir

import (
	"errors"
	"os"
)

// tryLock cannot lock where flock(2) is missing: Sweep then goes by age
// alone, as for directories without a lock file.
func tryLock(*os.File) (held bool, err error) {
	return false, errors.ErrUnsupported
}
