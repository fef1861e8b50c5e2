package fetch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/logdiff/logdiff/fetch/internal/iox"
)

// What the cache keeps besides objects, each under a key no object URL has:
// listings (with their time), the absence of an object, and the name of a
// build's log when it had to be found by a listing.
func listKey(url, delim string) string { return "list:" + delim + ":" + url }
func absentKey(url string) string      { return "absent:" + url }
func logNameKey(dirURL string) string  { return "log:" + dirURL }

// Bounds on listings read whole: a job's builds, and the files under a
// build directory that an artifact glob looks at.
const (
	maxJobListed     = 500_000
	listingSizeLimit = 256 << 20 // a cached listing of maxJobListed names
)

// settleTime is how long after its finished.json a build's directory is
// taken to be complete: Prow's sidecar uploads the artifacts with it, not
// necessarily before it. Listings and absences of a settled build are
// cached for good; before, only the objects themselves are.
const settleTime = 15 * time.Minute

// settled reports whether b's directory no longer changes.
func (b Build) settled(now time.Time) bool {
	if b.Finished == nil || b.ID == "" {
		return false
	}
	t := b.Finished.Timestamp
	return !t.IsZero() && now.Sub(t) > settleTime
}

// errOffline marks a read that was not tried: the store could not be
// reached for a listing earlier, and the object is not in the cache.
var errOffline = errors.New("not in the cache, and the store could not be reached")

// offlineError names the object that could not be read offline.
func (f *Fetcher) offlineError(name string) error {
	return fmt.Errorf("%s: %w", f.Store.URL(name), errOffline)
}

// unreachable reports whether err is a failed request (the network, the
// service), not an answer: not found and permission denied are answers.
func unreachable(ctx context.Context, err error) bool {
	return err != nil && ctx.Err() == nil && !IsNotExist(err) && !IsPermission(err)
}

type cachedListing struct {
	Listed  time.Time `json:"listed"`
	Objects []Object  `json:"objects"`
}

func (c *Cache) putListing(key string, objs []Object, at time.Time) error {
	b, err := json.Marshal(cachedListing{Listed: at.UTC(), Objects: objs})
	if err != nil {
		return err
	}
	return c.putBytes(key, b)
}

func (c *Cache) readListing(key string) ([]Object, time.Time, bool) {
	b, ok := c.read(key, listingSizeLimit)
	if !ok {
		return nil, time.Time{}, false
	}
	var l cachedListing
	if err := json.Unmarshal(b, &l); err != nil {
		c.remove(key)
		return nil, time.Time{}, false
	}
	return l.Objects, l.Listed, true
}

// list returns the whole listing of prefix (see Store.List), at most limit
// entries. Through the cache:
//
//   - a listing that cannot change (settled: under a settled build) is
//     read from the cache when it is there, and kept there when it is not;
//   - with StaleListings, any other listing is asked of the store and kept;
//     when the store cannot be reached, the cached one is used with a
//     warning saying how old it is, and the Fetcher goes offline: later
//     listings come from the cache straight away, and objects missing from
//     it are not asked for.
func (f *Fetcher) list(ctx context.Context, prefix, delim string, settled bool, limit int) ([]Object, error) {
	url := f.Store.URL(prefix)
	cached := f.cacheable() && (settled || f.StaleListings)
	key := listKey(url, delim)
	if cached && (settled || f.offline.Load()) {
		if objs, at, ok := f.Cache.readListing(key); ok {
			if !settled {
				f.warnStale(url, at)
			}
			return objs, nil
		}
		if f.offline.Load() {
			return nil, fmt.Errorf("listing %s: %w", url, errOffline)
		}
	}
	var objs []Object
	for o, err := range f.Store.List(ctx, prefix, delim) {
		if err != nil {
			if cached && !settled && unreachable(ctx, err) {
				if objs, at, ok := f.Cache.readListing(key); ok {
					f.offline.Store(true)
					f.warn(fmt.Sprintf("%v; using the listing cached %s", err, age(f.now(), at)))
					f.warned.Store(url, true)
					return objs, nil
				}
			}
			return nil, err
		}
		if len(objs) == limit {
			return nil, fmt.Errorf("listing %s: more than %d entries", url, limit)
		}
		objs = append(objs, o)
	}
	if cached {
		_ = f.Cache.putListing(key, objs, f.now()) // a cache that cannot be written costs time
	}
	return objs, nil
}

// warnStale says once per listing that it came from the cache.
func (f *Fetcher) warnStale(url string, at time.Time) {
	if _, done := f.warned.LoadOrStore(url, true); !done {
		f.warn(fmt.Sprintf("offline: using the listing of %s cached %s", url, age(f.now(), at)))
	}
}

func (f *Fetcher) warn(msg string) {
	if f.Warn != nil {
		f.Warn(msg)
	}
}

func (f *Fetcher) now() time.Time {
	if f.Now != nil {
		return f.Now()
	}
	return time.Now()
}

// age says when t was, for people: "3h12m ago (2025-02-11 07:16 UTC)".
func age(now, t time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		d = d.Round(time.Second)
	case d < 48*time.Hour:
		d = d.Round(time.Minute)
	default:
		d = d.Round(time.Hour)
	}
	return fmt.Sprintf("%v ago (%s)", d, t.UTC().Format("2006-01-02 15:04 UTC"))
}

// notFoundCached is the error for an object the cache knows is absent.
func (f *Fetcher) notFoundCached(name string) error {
	return iox.NotFound(f.Store.URL(name), nil)
}
