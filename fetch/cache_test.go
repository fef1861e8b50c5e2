package fetch

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"
)

func TestCacheConcurrentWriters(t *testing.T) {
	dir := t.TempDir()
	content := bytes.Repeat([]byte("0123456789abcdef"), 64<<10) // 1 MiB: a torn write would show
	const writers = 6
	var (
		wg     sync.WaitGroup
		caches []*Cache
	)
	errs := make(chan error, 100)
	for w := range writers {
		// Separate Cache values, as two processes would have.
		c, err := OpenCache(dir, 0)
		if err != nil {
			t.Fatal(err)
		}
		caches = append(caches, c)
		wg.Add(2)
		go func() { // a writer: the shared key and one of its own
			defer wg.Done()
			for range 5 {
				if err := c.putBytes("gs://b/shared", content); err != nil {
					errs <- err
				}
			}
			if err := c.putBytes(fmt.Sprintf("gs://b/own-%d", w), []byte{byte(w)}); err != nil {
				errs <- err
			}
		}()
		go func() { // a reader: whole content or nothing
			defer wg.Done()
			for range 20 {
				if b, ok := c.read("gs://b/shared", 2<<20); ok && !bytes.Equal(b, content) {
					errs <- fmt.Errorf("read %d bytes of a %d-byte entry", len(b), len(content))
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for _, c := range caches {
		c.Close()
	}
	c, _ := OpenCache(dir, 0)
	if b, ok := c.read("gs://b/shared", 2<<20); !ok || !bytes.Equal(b, content) {
		t.Errorf("shared entry: ok %v, %d bytes; want the content", ok, len(b))
	}
	for w := range writers {
		if b, ok := c.read(fmt.Sprintf("gs://b/own-%d", w), 10); !ok || !bytes.Equal(b, []byte{byte(w)}) {
			t.Errorf("entry of writer %d = %v, %v", w, b, ok)
		}
	}
	if tmps, _ := os.ReadDir(c.tmp()); len(tmps) != 0 {
		t.Errorf("%d temporary files left behind", len(tmps))
	}
}

func TestCacheEviction(t *testing.T) {
	c, err := OpenCache(t.TempDir(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	base := time.Now().Add(-time.Hour)
	for i := range 5 {
		key := fmt.Sprintf("k%d", i)
		if err := c.putBytes(key, bytes.Repeat([]byte{'x'}, 300)); err != nil {
			t.Fatal(err)
		}
		// Entries written a minute apart, k0 oldest.
		tm := base.Add(time.Duration(i) * time.Minute)
		if err := os.Chtimes(c.path(key), tm, tm); err != nil {
			t.Fatal(err)
		}
	}
	// Using k0 makes it the most recent.
	if _, ok := c.lookup("k0"); !ok {
		t.Fatal("k0 missing before trim")
	}
	// A temporary file left by a process that died.
	stale := filepath.Join(c.tmp(), "dead")
	os.WriteFile(stale, []byte("x"), 0o644)
	old := time.Now().Add(-2 * time.Hour)
	os.Chtimes(stale, old, old)

	if err := c.trim(); err != nil {
		t.Fatal(err)
	}
	// 1500 bytes over a 1000 cap: trimmed to 900 (k1, k2 go), least recently used first.
	for key, want := range map[string]bool{"k0": true, "k1": false, "k2": false, "k3": true, "k4": true} {
		if _, err := os.Stat(c.path(key)); (err == nil) != want {
			t.Errorf("%s kept = %v, want %v", key, err == nil, want)
		}
	}
	if _, err := os.Stat(stale); err == nil {
		t.Error("stale temporary file kept")
	}
}

func TestCacheFailedWriteLeavesNothing(t *testing.T) {
	c, err := OpenCache(t.TempDir(), 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.putFile("k", filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Fatal("putFile of a missing file succeeded")
	}
	if _, ok := c.lookup("k"); ok {
		t.Error("failed write left an entry")
	}
	if n := tempFiles(t, c); n != 0 {
		t.Errorf("failed write left %d temporary files", n)
	}
	c.Close()
	if tmps, _ := os.ReadDir(c.tmp()); len(tmps) != 0 {
		t.Errorf("Close left %d entries in %s", len(tmps), c.tmp())
	}
	if err := c.putBytes("k", []byte("x")); err != nil {
		t.Errorf("write after Close: %v", err)
	}
	c.Close()
}

func TestCacheKeysStayInside(t *testing.T) {
	dir := t.TempDir()
	c, err := OpenCache(dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"../../escape", "/etc/passwd", "gs://b/../../x", ""} {
		p := c.path(key)
		if rel, err := filepath.Rel(c.objects(), p); err != nil || filepath.IsAbs(rel) || rel[:2] == ".." {
			t.Errorf("key %q stored at %s, outside %s", key, p, c.objects())
		}
	}
}

func TestOpenCacheDefaultDir(t *testing.T) {
	home := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", home)
	t.Setenv("HOME", home)
	c, err := OpenCache("", 0)
	if err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(home, "logdiff")
	if rel, err := filepath.Rel(want, c.dir); err != nil || rel[:2] == ".." {
		t.Errorf("cache in %s, want under %s", c.dir, want)
	}
	if c.max != DefaultCacheSize {
		t.Errorf("cap %d, want %d", c.max, DefaultCacheSize)
	}
}

// TestCacheTwoProcesses runs two processes that write, read and trim one
// cache at once: neither fails, and no reader ever sees a partial entry.
func TestCacheTwoProcesses(t *testing.T) {
	dir := t.TempDir()
	var cmds []*exec.Cmd
	for id := range 2 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCacheHelperProcess$", "-test.count=1")
		cmd.Env = append(os.Environ(), "LOGDIFF_TEST_CACHE_DIR="+dir, "LOGDIFF_TEST_CACHE_ID="+strconv.Itoa(id))
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if t.Failed() {
				t.Logf("process %d:\n%s", id, out.String())
			}
		})
		cmds = append(cmds, cmd)
	}
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Errorf("process %d: %v", i, err)
		}
	}
	// The processes ended without Close, as killed ones would: their
	// temporary directories go when the cache is opened next.
	c, _ := OpenCache(dir, 0)
	if tmps, _ := os.ReadDir(c.tmp()); len(tmps) != 0 {
		t.Errorf("%d temporary entries left behind", len(tmps))
	}
}

// tempFiles counts the files being written in c's temporary directories.
func tempFiles(t *testing.T, c *Cache) int {
	t.Helper()
	n := 0
	filepath.WalkDir(c.tmp(), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && d.Name() != ".lock" {
			n++
		}
		return nil
	})
	return n
}

// TestCacheHelperProcess is one of TestCacheTwoProcesses's processes.
func TestCacheHelperProcess(t *testing.T) {
	dir := os.Getenv("LOGDIFF_TEST_CACHE_DIR")
	if dir == "" {
		t.Skip("run by TestCacheTwoProcesses")
	}
	id := os.Getenv("LOGDIFF_TEST_CACHE_ID")
	content := bytes.Repeat([]byte("0123456789abcdef"), 32<<10) // 512 KiB
	c, err := OpenCache(dir, 3<<20)                             // room for 6: trims run while the other writes
	if err != nil {
		t.Fatal(err)
	}
	for i := range 15 {
		if err := c.putBytes("gs://b/shared", content); err != nil {
			t.Fatal(err)
		}
		if err := c.putBytes(fmt.Sprintf("gs://b/%s-%d", id, i), content); err != nil {
			t.Fatal(err)
		}
		if b, ok := c.read("gs://b/shared", 1<<20); ok && !bytes.Equal(b, content) {
			t.Fatalf("read %d bytes of a %d-byte entry", len(b), len(content))
		}
		if err := c.trim(); err != nil {
			t.Fatal(err)
		}
	}
}
