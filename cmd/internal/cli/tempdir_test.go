package cli

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"
)

func TestSweepStale(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no flock: stale roots are not told from live ones")
	}
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	mk := func(name string, files ...string) string {
		dir := filepath.Join(tmp, name)
		if err := os.MkdirAll(filepath.Join(dir, "inputs-1"), 0o700); err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if err := os.WriteFile(filepath.Join(dir, f), nil, 0o600); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}
	var live tempRoot
	if _, err := live.mkdir("inputs-"); err != nil {
		t.Fatal(err)
	}
	defer live.remove()
	dead := mk("logdiff-4242-1", lockName, "inputs-1/0") // a killed run: its lock is free
	young := mk("logdiff-4243-2")                        // being made: no lock yet
	old := mk("logdiff-4244-3")                          // died before it locked
	oldTime := time.Now().Add(-2 * staleAge)
	if err := os.Chtimes(old, oldTime, oldTime); err != nil {
		t.Fatal(err)
	}
	others := []string{mk("logdiff-sweep-5"), mk("logdiff-input-6"), mk("other-7", lockName)}

	removed := sweepStale(tmp, time.Now())
	slices.Sort(removed)
	if want := []string{dead, old}; !slices.Equal(removed, want) {
		t.Errorf("removed %v, want %v", removed, want)
	}
	for _, dir := range append([]string{live.dir, young}, others...) {
		if _, err := os.Stat(dir); err != nil {
			t.Errorf("%s: %v, want it kept", dir, err)
		}
	}
	for _, dir := range []string{dead, old} {
		if _, err := os.Stat(dir); !os.IsNotExist(err) {
			t.Errorf("%s is still there", dir)
		}
	}
	root := live.dir
	live.remove()
	if _, err := os.Stat(root); !os.IsNotExist(err) {
		t.Errorf("remove left %s", root)
	}
}
