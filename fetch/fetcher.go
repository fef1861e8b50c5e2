package fetch

import (
	"context"
	"fmt"
	"path"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/logdiff/logdiff/fetch/internal/iox"
)

// StoreOptions say how the stores OpenStore returns read.
type StoreOptions struct {
	// GCS returns the store of a bucket (the gcs package's Client.Bucket,
	// which has its own timeout and Pace); nil refuses GCS sources. Keeping
	// GCS behind a function lets a program that never reads a bucket never
	// link or build a storage client.
	GCS func(bucket string) (Store, error)

	// Timeout is how long a request to a web server may go without
	// progress (no response headers, or no byte of the body) before it is
	// given up; 0 means 60s.
	Timeout time.Duration

	// Pace bounds slow downloads from a web server.
	Pace Pace
}

// OpenStore returns the Store that reads src: a local directory, a web
// server, or, for KindGCS, the bucket that opts.GCS returns.
func OpenStore(src Source, opts StoreOptions) (Store, error) {
	switch src.Kind {
	case KindLocal:
		return OpenDir(src.Root)
	case KindHTTP:
		base, _ := splitURL(src.URL)
		return newHTTPStore(base, nil, opts.Timeout, opts.Pace), nil
	case KindGCS:
		if opts.GCS == nil {
			return nil, fmt.Errorf("%s: reading GCS buckets is not available here", src)
		}
		return opts.GCS(src.Bucket)
	}
	return nil, fmt.Errorf("source of unknown kind %v", src.Kind)
}

// Fetcher finds and downloads runs from one Store. Its zero Cache, Parallel
// and Progress mean no cache, 4 transfers at once, and no progress reports.
type Fetcher struct {
	Store Store
	Cache *Cache

	// Parallel bounds the reads under way at once (metadata while
	// selecting, files while materializing).
	Parallel int

	// Progress, when set, is told of download progress. Calls never
	// overlap, so it need not be safe for concurrent use.
	Progress func(Progress)

	// StaleListings lets a listing that cannot be refreshed (the network
	// is down) come from the cache, with a warning saying how old it is:
	// a job's builds, as Select and Builds list them. With it, listings
	// are kept in the cache. A sweep, which would rather record a job as
	// unreadable than judge it on old builds, leaves it off.
	StaleListings bool

	// Warn, when set, is told what the caller should know but that is not
	// an error, such as a listing read from the cache.
	Warn func(string)

	// Now tells the time (nil: time.Now): when a listing was cached, and
	// whether a build is old enough for its directory to be complete.
	Now func() time.Time

	// MaxBytes bounds each file Materialize and MaterializeJUnit put on
	// disk, counted as read (decompressed); 0 means no bound. A larger
	// object is a *TooLargeError, refused by the size its store announces
	// before a byte is read, or after MaxBytes+1 bytes when it announces
	// none. Callers that read the files with a limit of their own (the
	// engine's ScanOptions.MaxBytes) set the same one.
	MaxBytes int64

	artifactLimit int // tests lower the bound on artifact matches

	offline atomic.Bool // a listing failed: ask the store for nothing more
	warned  sync.Map    // listing URLs told about already
}

func (f *Fetcher) parallel() int {
	if f.Parallel > 0 {
		return f.Parallel
	}
	return 4
}

// local reports the directory in which the store's objects are files,
// when it has one: nothing to download or cache then.
func (f *Fetcher) local() (localPather, bool) {
	lp, ok := f.Store.(localPather)
	return lp, ok
}

type localPather interface{ localPath(name string) string }

// Resolve says what src names in the fetcher's store, reading what it must
// (a pointer file, a build's metadata): a whole job (Build.ID empty), one
// of its builds (with metadata loaded), or a lone file (only Log set).
// src.File and src.Line, when set, are for the caller to use.
func (f *Fetcher) Resolve(ctx context.Context, src Source) (Build, error) {
	b, err := f.resolve(ctx, src)
	if err != nil && src.Renamed != "" && IsNotExist(err) {
		return Build{}, fmt.Errorf("%w (bucket %s was retired; its runs were looked for in %s)", err, src.Renamed, src.Bucket)
	}
	return b, err
}

func (f *Fetcher) resolve(ctx context.Context, src Source) (Build, error) {
	if src.Kind == KindHTTP {
		_, name := splitURL(src.URL)
		return Build{Log: name}, nil
	}
	p := src.Path
	if l, ok := parseLayout(p); ok {
		switch {
		case l.pointer:
			b, err := f.pointer(ctx, l.job, l.id)
			if err != nil {
				return Build{}, err
			}
			return b, f.load(ctx, &b, true)
		case l.id == "":
			return Build{Job: l.job, Presubmit: l.presubmit}, nil
		}
		b := Build{Job: l.job, ID: l.id, Dir: l.dir, Presubmit: l.presubmit}
		if err := f.load(ctx, &b, true); err != nil {
			return Build{}, err
		}
		if b.Started == nil && b.Finished == nil {
			// Prow writes started.json first; without it, make sure the
			// directory exists at all before going on.
			if err := f.mustExist(ctx, b.Dir); err != nil {
				return Build{}, fmt.Errorf("build %s: %w", b.Name(), err)
			}
		}
		return b, nil
	}
	switch p {
	case "":
		// A directory of its own (a local build directory, say): a build
		// outside Prow's layout, if it holds a log.
		b := Build{}
		if log, err := f.findLog(ctx, b); err == nil {
			b.Log = log
			return b, f.load(ctx, &b, true)
		}
		if f.laidOutLikeBucket(ctx) {
			return Build{}, fmt.Errorf("%s names a bucket, not a job or a run: give logs/JOB, a run's directory or a log", f.Store.URL(""))
		}
		return Build{}, fmt.Errorf("%s holds no build log (build-log.txt, or CONTAINER-build-log.txt) and is not laid out like a bucket (no logs/ or pr-logs/): give a log file or a run's directory", f.Store.URL(""))
	case NonPRLogs, PRLogs, PRLogs + "/directory", PRLogs + "/pull":
		return Build{}, fmt.Errorf("%s names a directory of jobs, not a job or a run", f.Store.URL(p))
	}
	// Outside Prow's layout: an object is a lone file; a prefix holding a
	// build log is a build directory.
	_, err := f.Store.Stat(ctx, p)
	if err == nil {
		return Build{Log: p}, nil
	}
	if !IsNotExist(err) {
		return Build{}, err
	}
	b := Build{Dir: p}
	log, lerr := f.findLog(ctx, b)
	if lerr != nil {
		return Build{}, err
	}
	b.Log = log
	return b, f.load(ctx, &b, true)
}

// mustExist returns a not-found error when nothing lies under dir.
func (f *Fetcher) mustExist(ctx context.Context, dir string) error {
	for _, err := range f.Store.List(ctx, dir+"/", "/") {
		return err
	}
	return iox.NotFound(f.Store.URL(dir), nil)
}

// pointer reads pr-logs/directory/<job>/<id>.txt, whose body is the gs://
// URL of the presubmit build's directory.
func (f *Fetcher) pointer(ctx context.Context, job, id string) (Build, error) {
	name := path.Join(PRLogs, "directory", job, id+".txt")
	body, err := f.readMeta(ctx, name, pointerLimit, true, false)
	if err != nil {
		return Build{}, fmt.Errorf("reading the pointer to build %s/%s: %w", job, id, err)
	}
	target := strings.TrimSpace(string(body))
	src, ok, err := detectGS(target)
	if !ok || err != nil || src.Path == "" {
		return Build{}, &badMetaError{fmt.Errorf("pointer %s: %q is not a gs:// URL of a build directory", f.Store.URL(name), target)}
	}
	if own, ok := strings.CutPrefix(strings.TrimSuffix(f.Store.URL(""), "/"), "gs://"); ok && own != src.Bucket {
		return Build{}, fmt.Errorf("pointer %s: build %s/%s is in another bucket, gs://%s: open it by that URL", f.Store.URL(name), job, id, src.Bucket)
	}
	b := Build{Job: job, ID: id, Dir: src.Path, Presubmit: true}
	if l, ok := parseLayout(src.Path); ok && l.id != "" && l.file == "" {
		b.Dir = l.dir
	}
	return b, nil
}

// badMetaError marks metadata that exists but does not parse.
type badMetaError struct{ err error }

func (e *badMetaError) Error() string { return e.err.Error() }
func (e *badMetaError) Unwrap() error { return e.err }

// load reads the build's finished.json and, when full, started.json and
// prowjob.json. Missing files leave their fields nil.
func (f *Fetcher) load(ctx context.Context, b *Build, full bool) error {
	read := func(file string, cacheable bool, parse func([]byte) error) error {
		name := path.Join(b.Dir, file)
		// A settled build's missing file stays missing: that is cached
		// too (never for finished.json, whose absence says "running").
		settled := file != finishedJSON && b.settled(f.now())
		body, err := f.readMeta(ctx, name, metaLimit, cacheable, settled)
		if IsNotExist(err) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading %s of %s: %w", file, f.runName(*b), err)
		}
		if err := parse(body); err != nil {
			if cacheable && f.cacheable() {
				f.Cache.remove(f.Store.URL(name)) // in case the cached copy is what is broken
			}
			return &badMetaError{fmt.Errorf("reading %s of %s: %s: %w", file, f.runName(*b), f.Store.URL(name), err)}
		}
		if b.raw == nil {
			b.raw = map[string][]byte{}
		}
		b.raw[file] = body
		return nil
	}
	if b.Finished == nil {
		// finished.json never changes once written: cache it.
		err := read(finishedJSON, true, func(body []byte) (err error) {
			b.Finished, err = parseFinished(body)
			return err
		})
		if err != nil {
			return err
		}
	}
	if !full {
		return nil
	}
	done := b.Finished != nil // a running build's files may still change
	if err := read(startedJSON, done, func(body []byte) (err error) {
		b.Started, err = parseStarted(body)
		return err
	}); err != nil {
		return err
	}
	return read(prowJobJSON, done, func(body []byte) (err error) {
		b.prowJob, err = parseProwJob(body)
		return err
	})
}

// cacheable reports whether reads go through the cache: there is one and
// the store is not local files already.
func (f *Fetcher) cacheable() bool {
	if f.Cache == nil {
		return false
	}
	_, local := f.local()
	return !local
}

// readMeta reads a small object, through the cache when it is an object
// that never changes; with settled, its absence never changes either, and
// is cached too.
func (f *Fetcher) readMeta(ctx context.Context, name string, limit int64, cacheable, settled bool) ([]byte, error) {
	cacheable = cacheable && f.cacheable()
	key := f.Store.URL(name)
	if cacheable {
		if b, ok := f.Cache.read(key, limit); ok {
			return b, nil
		}
		if settled {
			if _, ok := f.Cache.lookup(absentKey(key)); ok {
				return nil, f.notFoundCached(name)
			}
		}
	}
	if f.offline.Load() {
		return nil, f.offlineError(name)
	}
	b, err := readLimited(ctx, f.Store, name, limit)
	if IsNotExist(err) && cacheable && settled {
		_ = f.Cache.putBytes(absentKey(key), nil)
	}
	if err != nil {
		return nil, err
	}
	if cacheable {
		// A cache that cannot be written costs time, not correctness.
		_ = f.Cache.putBytes(key, b)
	}
	return b, nil
}

// findLog returns the name of b's build log.
func (f *Fetcher) findLog(ctx context.Context, b Build) (string, error) {
	if b.Log != "" {
		return b.Log, nil
	}
	if b.Job != "" && b.ID == "" {
		return "", fmt.Errorf("%s names a job, not one of its runs", b.Name())
	}
	name := path.Join(b.Dir, "build-log.txt")
	// A finished build's objects stay: one in the cache exists, and a
	// settled build's log found by listing stays the one.
	cacheable := f.cacheable() && b.Finished != nil && b.ID != ""
	settled := cacheable && b.settled(f.now())
	if cacheable {
		if _, ok := f.Cache.lookup(f.Store.URL(name)); ok {
			return name, nil
		}
	}
	logKey := logNameKey(f.Store.URL(b.Dir))
	if settled {
		if l, ok := f.Cache.read(logKey, 4<<10); ok {
			return string(l), nil
		}
	}
	if f.offline.Load() {
		return "", fmt.Errorf("reading the build log of %s: %w", f.runName(b), f.offlineError(name))
	}
	_, err := f.Store.Stat(ctx, name)
	if err == nil {
		return name, nil
	}
	if !IsNotExist(err) {
		return "", fmt.Errorf("reading build-log.txt of %s: %w", f.runName(b), err)
	}
	prefix := b.Dir + "/"
	if b.Dir == "" {
		prefix = ""
	}
	var names []string
	for o, err := range f.Store.List(ctx, prefix, "/") {
		if err != nil {
			return "", fmt.Errorf("listing %s: %w", f.Store.URL(b.Dir), err)
		}
		if !o.Prefix {
			names = append(names, o.Name)
		}
	}
	if l := b.pickLog(names); l != "" {
		if settled {
			_ = f.Cache.putBytes(logKey, []byte(l))
		}
		return l, nil
	}
	return "", fmt.Errorf("reading the build log of %s: %w", f.runName(b),
		iox.NotFound(f.Store.URL(name)+" (nor any <container>-build-log.txt)", nil))
}

// forEach runs fn(0..n-1) with at most p at once, and returns the first
// error; after one, calls not yet started are skipped.
func forEach(ctx context.Context, n, p int, fn func(ctx context.Context, i int) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
		sem   = make(chan struct{}, p)
	)
	for i := 0; i < n && ctx.Err() == nil; i++ {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break // select picks at random when both are ready
		}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			if err := fn(ctx, i); err != nil {
				mu.Lock()
				if first == nil {
					first = err
					cancel()
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if first == nil && ctx.Err() != nil {
		// The caller's context ended (our cancel runs only after an error).
		return ctx.Err()
	}
	return first
}
