package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/logdiff/logdiff/fetch/internal/iox"
)

// OpenDir returns a Store whose root is the local directory dir: object
// a/b/c is the file dir/a/b/c. Names cannot reach outside dir, not even
// through symbolic links.
func OpenDir(dir string) (Store, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("opening directory %s: %w", dir, err)
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return nil, fmt.Errorf("opening directory: %w", err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("opening directory %s: not a directory", abs)
	}
	return dirStore{root: abs}, nil
}

type dirStore struct{ root string }

func (d dirStore) URL(name string) string {
	if name == "" {
		return d.root
	}
	return filepath.Join(d.root, filepath.FromSlash(name))
}

// localPath lets Materialize use the files in place instead of copying them.
func (d dirStore) localPath(name string) string { return d.URL(name) }

// fsName checks name and turns "" into "." for os.Root.
func (d dirStore) fsName(name string) (string, error) {
	name = strings.TrimSuffix(name, "/")
	if name == "" {
		return ".", nil
	}
	if !fs.ValidPath(name) {
		return "", fmt.Errorf("%s: invalid object name %q", d.root, name)
	}
	return name, nil
}

// wrap gives os errors the store's wording while keeping errors.Is working.
func (d dirStore) wrap(name string, err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return iox.NotFound(d.URL(name), err)
	case errors.Is(err, fs.ErrPermission):
		return iox.Denied(d.URL(name), "", err)
	}
	return fmt.Errorf("%s: %w", d.URL(name), err)
}

func (d dirStore) Open(ctx context.Context, name string) (io.ReadCloser, int64, error) {
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}
	n, err := d.fsName(name)
	if err != nil {
		return nil, 0, err
	}
	root, err := os.OpenRoot(d.root)
	if err != nil {
		return nil, 0, d.wrap("", err)
	}
	defer root.Close()
	f, err := root.Open(n)
	if err != nil {
		return nil, 0, d.wrap(name, err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, d.wrap(name, err)
	}
	if fi.IsDir() {
		f.Close()
		return nil, 0, fmt.Errorf("%s: is a directory, not a file", d.URL(name))
	}
	return iox.Checked(f, d.URL(name), fi.Size(), 0), fi.Size(), nil
}

func (d dirStore) Stat(ctx context.Context, name string) (Object, error) {
	if err := ctx.Err(); err != nil {
		return Object{}, err
	}
	n, err := d.fsName(name)
	if err != nil {
		return Object{}, err
	}
	root, err := os.OpenRoot(d.root)
	if err != nil {
		return Object{}, d.wrap("", err)
	}
	defer root.Close()
	fi, err := root.Stat(n)
	if err != nil {
		return Object{}, d.wrap(name, err)
	}
	if fi.IsDir() {
		// A directory is a prefix, not an object: GCS would say not found.
		return Object{}, iox.NotFound(d.URL(name), nil)
	}
	return Object{Name: name, Size: fi.Size(), Updated: fi.ModTime()}, nil
}

func (d dirStore) List(ctx context.Context, prefix, delim string) iter.Seq2[Object, error] {
	return func(yield func(Object, error) bool) {
		objs, err := d.list(ctx, prefix, delim)
		if err != nil {
			yield(Object{}, err)
			return
		}
		for _, o := range objs {
			if !yield(o, nil) {
				return
			}
		}
	}
}

// list reads the whole listing: local directories are small next to the
// memory a listing costs, and sorting needs it all.
func (d dirStore) list(ctx context.Context, prefix, delim string) ([]Object, error) {
	if delim != "" && delim != "/" {
		return nil, fmt.Errorf("listing %s: delimiter %q not supported (only \"/\" or none)", d.URL(prefix), delim)
	}
	// Objects named by prefix live under its directory part.
	dir, rest := "", prefix
	if i := strings.LastIndexByte(prefix, '/'); i >= 0 {
		dir, rest = prefix[:i+1], prefix[i+1:]
	}
	fsDir, err := d.fsName(dir)
	if err != nil {
		return nil, err
	}
	root, err := os.OpenRoot(d.root)
	if err != nil {
		return nil, d.wrap("", err)
	}
	defer root.Close()
	fsys := root.FS()
	entries, err := fs.ReadDir(fsys, fsDir)
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrInvalid) {
		return nil, nil // an empty prefix, as in a bucket
	}
	if err != nil {
		return nil, fmt.Errorf("listing %s: %w", d.URL(prefix), d.wrap(dir, err))
	}
	var objs []Object
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if !strings.HasPrefix(e.Name(), rest) {
			continue
		}
		name := dir + e.Name()
		fi, err := fs.Stat(fsys, name) // follows symbolic links inside the root
		if err != nil {
			continue // a dangling or escaping link is no object
		}
		if !fi.IsDir() {
			if fi.Mode().IsRegular() {
				objs = append(objs, Object{Name: name, Size: fi.Size(), Updated: fi.ModTime()})
			}
			continue
		}
		if delim == "/" {
			objs = append(objs, Object{Name: name + "/", Prefix: true})
			continue
		}
		err = fs.WalkDir(fsys, name, func(p string, e fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			if e.IsDir() {
				return nil
			}
			fi, err := fs.Stat(fsys, p)
			if err != nil || !fi.Mode().IsRegular() {
				return nil
			}
			objs = append(objs, Object{Name: path.Clean(p), Size: fi.Size(), Updated: fi.ModTime()})
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("listing %s: %w", d.URL(prefix), err)
		}
	}
	// GCS lists in byte order of the full name ("a-b" before "a/").
	slices.SortFunc(objs, func(a, b Object) int { return strings.Compare(a.Name, b.Name) })
	return objs, nil
}
