package fetch

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/logdiff/logdiff/fetch/internal/iox"
	"github.com/logdiff/logdiff/internal/tmpdir"
)

// DefaultCacheSize is the size cap of a cache opened with maxBytes 0.
const DefaultCacheSize = 1 << 30

// Cache keeps the files of finished runs on disk: a finished run never
// changes, so it is downloaded once. Files are keyed by the object's URL.
//
// Writes are atomic (a temporary file renamed into place), so two logdiff
// processes may share a cache: a reader sees a whole file or none. When the
// cache grows past its size cap, the files used least recently are removed
// (a hit refreshes a file's time).
//
// Only the Fetcher writes to it, and only files of runs that have a
// finished.json (and the finished.json itself, and pointer files).
type Cache struct {
	dir string // holds objects/ and tmp/
	max int64

	// tmpDir is this process's directory under tmp/ for files being
	// written, made on the first write: one that a killed process leaves
	// is removed when the next process opens the cache.
	tmpMu  sync.Mutex
	tmpDir *tmpdir.Dir
}

// OpenCache opens (creating it if needed) the cache in dir, os.UserCacheDir()
// /logdiff when dir is "", holding at most maxBytes (DefaultCacheSize when 0).
func OpenCache(dir string, maxBytes int64) (*Cache, error) {
	if dir == "" {
		d, err := os.UserCacheDir()
		if err != nil {
			return nil, fmt.Errorf("opening the cache: %w", err)
		}
		dir = filepath.Join(d, "logdiff")
	}
	if maxBytes <= 0 {
		maxBytes = DefaultCacheSize
	}
	c := &Cache{dir: filepath.Join(dir, "v1"), max: maxBytes}
	for _, d := range []string{c.objects(), c.tmp()} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, fmt.Errorf("opening the cache: %w", err)
		}
	}
	_, _ = tmpdir.Sweep(c.tmp()) // partial writes of processes that died; best effort
	return c, nil
}

// Close removes this process's temporary files of the cache, if any are
// left (there are none after successful writes). The cache stays usable:
// a later write makes a new temporary directory.
func (c *Cache) Close() error {
	c.tmpMu.Lock()
	d := c.tmpDir
	c.tmpDir = nil
	c.tmpMu.Unlock()
	if d == nil {
		return nil
	}
	return d.Remove()
}

// procTmp returns this process's directory for temporary files.
func (c *Cache) procTmp() (string, error) {
	c.tmpMu.Lock()
	defer c.tmpMu.Unlock()
	if c.tmpDir == nil {
		d, err := tmpdir.New(c.tmp(), "cache")
		if err != nil {
			return "", err
		}
		c.tmpDir = d
	}
	return c.tmpDir.Path(), nil
}

func (c *Cache) objects() string { return filepath.Join(c.dir, "objects") }
func (c *Cache) tmp() string     { return filepath.Join(c.dir, "tmp") }

// path is where the object with this key is kept: the key is hashed, so no
// object name can reach outside the cache.
func (c *Cache) path(key string) string {
	sum := sha256.Sum256([]byte(key))
	h := hex.EncodeToString(sum[:])
	return filepath.Join(c.objects(), h[:2], h)
}

// lookup returns the file holding key, refreshing its time for eviction.
func (c *Cache) lookup(key string) (string, bool) {
	p := c.path(key)
	fi, err := os.Stat(p)
	if err != nil || !fi.Mode().IsRegular() {
		return "", false
	}
	now := time.Now()
	_ = os.Chtimes(p, now, now) // best effort: only eviction order depends on it
	return p, true
}

// read returns a small cached object.
func (c *Cache) read(key string, limit int64) ([]byte, bool) {
	p, ok := c.lookup(key)
	if !ok {
		return nil, false
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, false
	}
	b, err := iox.ReadAll(f, p, limit)
	if err != nil {
		return nil, false
	}
	return b, true
}

// putBytes stores b under key.
func (c *Cache) putBytes(key string, b []byte) error {
	return c.put(key, func(tmp string) error {
		return os.WriteFile(tmp, b, 0o644)
	})
}

// putFile stores the complete file src under key, hard-linking it when the
// file system allows (no copy), else copying it.
func (c *Cache) putFile(key, src string) error {
	return c.put(key, func(tmp string) error {
		if os.Link(src, tmp) == nil {
			return nil
		}
		return copyFile(src, tmp)
	})
}

// put writes a temporary file with write, then renames it into place.
func (c *Cache) put(key string, write func(tmp string) error) error {
	dir, err := c.procTmp()
	if err != nil {
		return fmt.Errorf("writing to the cache: %w", err)
	}
	var rnd [12]byte
	_, _ = rand.Read(rnd[:])
	tmp := filepath.Join(dir, hex.EncodeToString(rnd[:]))
	if err := write(tmp); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing to the cache: %w", err)
	}
	p := c.path(key)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing to the cache: %w", err)
	}
	// Another process may have put the same key meanwhile: the content is
	// the same (a finished run), and rename replaces atomically.
	if err := os.Rename(tmp, p); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing to the cache: %w", err)
	}
	return nil
}

// linkOut makes dst a copy of the cached object (a hard link when
// possible): dst stays readable even if another process evicts the entry.
func (c *Cache) linkOut(key, dst string) bool {
	p, ok := c.lookup(key)
	if !ok {
		return false
	}
	if os.Link(p, dst) == nil {
		return true
	}
	return copyFile(p, dst) == nil
}

// remove drops an entry.
func (c *Cache) remove(key string) { os.Remove(c.path(key)) }

// trim removes the least recently used files until the cache holds at most
// nine tenths of its cap (so that it is not trimmed again at once), and
// temporary files left by processes that died.
func (c *Cache) trim() error {
	type entry struct {
		path string
		size int64
		mod  time.Time
	}
	var (
		all   []entry
		total int64
	)
	err := filepath.WalkDir(c.objects(), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil // removed by another process meanwhile
			}
			return err
		}
		if d.IsDir() {
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return nil
		}
		all = append(all, entry{p, fi.Size(), fi.ModTime()})
		total += fi.Size()
		return nil
	})
	if err != nil {
		return fmt.Errorf("trimming the cache: %w", err)
	}
	if tmps, err := os.ReadDir(c.tmp()); err == nil {
		for _, t := range tmps {
			if strings.HasPrefix(t.Name(), tmpdir.Prefix) {
				continue // a process's directory: tmpdir.Sweep knows whether it lives
			}
			// A file of an older logdiff, which wrote here directly.
			if fi, err := t.Info(); err == nil && time.Since(fi.ModTime()) > time.Hour {
				os.Remove(filepath.Join(c.tmp(), t.Name()))
			}
		}
	}
	if total <= c.max {
		return nil
	}
	slices.SortFunc(all, func(a, b entry) int { return a.mod.Compare(b.mod) })
	for _, e := range all {
		if total <= c.max/10*9 {
			break
		}
		if err := os.Remove(e.path); err == nil || errors.Is(err, fs.ErrNotExist) {
			total -= e.size
		}
	}
	return nil
}

// copyFile copies src to a new file dst.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		os.Remove(dst)
		return err
	}
	return out.Close()
}
