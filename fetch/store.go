package fetch

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"iter"
	"time"

	"github.com/logdiff/logdiff/fetch/internal/iox"
)

// Store reads objects by name from one bucket-like namespace: a GCS bucket,
// a local directory, a web server. Names are slash-separated, relative to the
// store's root, with no leading slash.
//
// Every backend reports a missing object with an error for which IsNotExist
// is true, and a refused one with an error for which IsPermission is true;
// both errors name the object by its URL.
type Store interface {
	// Open returns the object's content, decompressed when it is stored
	// gzip-encoded, and its size in bytes as it will be read (-1 when
	// unknown). Reading ends in an error naming the object when fewer bytes
	// arrive than announced (a truncated download).
	Open(ctx context.Context, name string) (io.ReadCloser, int64, error)

	// Stat returns the object's attributes.
	Stat(ctx context.Context, name string) (Object, error)

	// List yields the objects whose names start with prefix. With delim
	// "/" it yields each "subdirectory" once, as an Object with Prefix set
	// and a name ending in "/"; with delim "" it lists recursively. The
	// order is the backend's (GCS gives each page's objects before its
	// prefixes): sort when it matters. Paging, if any, is hidden: the
	// sequence ends at the first error, which it yields.
	List(ctx context.Context, prefix, delim string) iter.Seq2[Object, error]

	// URL names the object for people and error messages, for example
	// gs://bucket/name or /home/me/bucket/name.
	URL(name string) string
}

// Object describes an object in a Store.
type Object struct {
	Name    string    // full name in the store; ends in "/" when Prefix
	Size    int64     // stored size in bytes (compressed size if stored gzip-encoded)
	Updated time.Time // last modification; zero when unknown
	Prefix  bool      // a common prefix from a delimited listing, not an object
}

// IsNotExist reports whether err says an object, bucket or directory does
// not exist, whatever the backend.
func IsNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }

// IsPermission reports whether err says access was refused, whatever the
// backend.
func IsPermission(err error) bool { return errors.Is(err, fs.ErrPermission) }

// readLimited reads a whole object that must not be larger than limit bytes
// (pointer files, JSON metadata): untrusted input is read with a bound.
func readLimited(ctx context.Context, s Store, name string, limit int64) ([]byte, error) {
	r, _, err := s.Open(ctx, name)
	if err != nil {
		return nil, err
	}
	return iox.ReadAll(r, s.URL(name), limit)
}
