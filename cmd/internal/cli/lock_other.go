//go:build !unix

package cli

import (
	"errors"
	"os"
)

// errNoLocks is lockFile's error where there is no flock(2): roots are
// then never taken for stale (sweepStale removes none with a lock file).
var errNoLocks = errors.New("file locks are not supported here")

func lockFile(*os.File) error { return errNoLocks }
