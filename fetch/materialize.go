package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// LocalRun is a build whose files are on local disk, to be opened as many
// times as needed.
type LocalRun struct {
	Build Build

	// Dir is the local directory laid out like the build directory: it
	// holds the build log, the metadata files and the artifacts found.
	Dir string

	// Log is the local path of the build log.
	Log string

	// Artifacts are the artifact files found, as paths relative to Dir
	// (and to the build directory in the store), sorted.
	Artifacts []string

	// JUnit are the JUnit files found by MaterializeJUnit, relative to
	// Dir like Artifacts, sorted.
	JUnit []string
	// JUnitIncomplete says some of the run's JUnit files could not be had
	// (a listing refused, a file too large, a download cut): its test
	// results are then not whole, and a test missing from them may have
	// run.
	JUnitIncomplete bool
}

// Progress reports downloads under way, summed over all files of one
// Materialize call. Total grows as downloads start and announce their
// sizes; files of unknown size add nothing to it.
type Progress struct {
	Done, Total      int64 // bytes
	FilesDone, Files int
}

// Materialize puts the build logs of builds on local disk, with their
// metadata and the artifacts matching globs (see Artifacts), and returns
// them in the order of builds. Files are downloaded into new directories
// under dir (which the caller removes when done), at most Parallel at once,
// through the Cache for finished builds. Builds of a local directory are
// not copied: their LocalRun points at the files in place.
//
// A build without a build log is an error naming the build.
func (f *Fetcher) Materialize(ctx context.Context, dir string, builds []Build, globs []string) ([]LocalRun, error) {
	runs := make([]LocalRun, len(builds))
	type file struct {
		run       int
		name      string // in the store
		rel       string // below the run's local directory
		cacheable bool
		artifact  bool
	}
	var (
		mu    sync.Mutex
		files []file
	)
	// First find what to fetch: the log's name may need a listing, and
	// artifacts always do.
	err := forEach(ctx, len(builds), f.parallel(), func(ctx context.Context, i int) error {
		b := builds[i]
		log, err := f.findLog(ctx, b)
		if err != nil {
			return err
		}
		b.Log = log
		var arts []string
		for _, g := range globs {
			found, err := f.Artifacts(ctx, b, g)
			if err != nil {
				return err
			}
			arts = append(arts, found...)
		}
		arts = sortedUnique(arts)
		local, isLocal := f.local()
		r := LocalRun{Build: b, Artifacts: arts}
		if isLocal {
			r.Dir, r.Log = local.localPath(b.Dir), local.localPath(log)
			runs[i] = r
			return nil
		}
		r.Dir = filepath.Join(dir, runDirName(i, b))
		r.Log = filepath.Join(r.Dir, filepath.FromSlash(relName(b, log)))
		runs[i] = r
		if err := os.MkdirAll(r.Dir, 0o755); err != nil {
			return fmt.Errorf("materializing %s: %w", f.runName(b), err)
		}
		// Metadata was read while resolving or selecting: write it as read.
		for name, body := range b.raw {
			if err := os.WriteFile(filepath.Join(r.Dir, name), body, 0o644); err != nil {
				return fmt.Errorf("materializing %s: %w", f.runName(b), err)
			}
		}
		mu.Lock()
		defer mu.Unlock()
		done := b.Finished != nil && b.ID != ""
		files = append(files, file{i, log, relName(b, log), done, false})
		for _, a := range arts {
			files = append(files, file{i, path.Join(b.Dir, a), a, done, true})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	p := &progress{report: f.Progress, files: len(files)}
	tooLarge := make([]bool, len(files))
	err = forEach(ctx, len(files), f.parallel(), func(ctx context.Context, i int) error {
		fl := files[i]
		dst := filepath.Join(runs[fl.run].Dir, filepath.FromSlash(fl.rel))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return fmt.Errorf("materializing %s: %w", f.runName(runs[fl.run].Build), err)
		}
		err := f.download(ctx, fl.name, dst, fl.cacheable, p)
		var tl *TooLargeError
		if err != nil && fl.artifact && errors.As(err, &tl) {
			// An artifact is extra evidence: one over the bound is left
			// out, as the comparison leaves out one it cannot read.
			tooLarge[i] = true
			if f.Warn != nil {
				f.Warn(fmt.Sprintf("left out %s of %s: %v", fl.rel, f.runName(runs[fl.run].Build), err))
			}
			p.fileDone()
			return nil
		}
		if err != nil {
			return fmt.Errorf("downloading %s of %s: %w", fl.rel, f.runName(runs[fl.run].Build), err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for i, fl := range files {
		if tooLarge[i] {
			r := &runs[fl.run]
			r.Artifacts = slices.DeleteFunc(r.Artifacts, func(a string) bool { return a == fl.rel })
		}
	}
	if f.cacheable() {
		_ = f.Cache.trim() // a cache over its cap costs disk, not correctness
	}
	return runs, nil
}

// TooLargeError is the error for an object over Fetcher.MaxBytes.
type TooLargeError struct {
	URL   string // the object
	Size  int64  // the size its store announced; -1 when it announced none
	Limit int64  // Fetcher.MaxBytes
}

func (e *TooLargeError) Error() string {
	if e.Size >= 0 {
		return fmt.Sprintf("%s: %d bytes, more than the limit of %d bytes", e.URL, e.Size, e.Limit)
	}
	return fmt.Sprintf("%s: more than the limit of %d bytes", e.URL, e.Limit)
}

// download copies one object to the new file dst, from the cache when it
// is there, and into the cache afterwards when cacheable; an object over
// f.MaxBytes is a *TooLargeError, and leaves no dst.
func (f *Fetcher) download(ctx context.Context, name, dst string, cacheable bool, p *progress) error {
	cacheable = cacheable && f.cacheable()
	key := f.Store.URL(name)
	if cacheable && f.Cache.linkOut(key, dst) {
		// Cached under a larger bound, maybe: the same answer as a download.
		if st, err := os.Stat(dst); err == nil && f.MaxBytes > 0 && st.Size() > f.MaxBytes {
			os.Remove(dst)
			return &TooLargeError{URL: key, Size: st.Size(), Limit: f.MaxBytes}
		}
		p.fileDone()
		return nil
	}
	if f.offline.Load() {
		return f.offlineError(name)
	}
	r, size, err := f.Store.Open(ctx, name)
	if err != nil {
		return err
	}
	defer r.Close()
	if f.MaxBytes > 0 && size > f.MaxBytes {
		return &TooLargeError{URL: key, Size: size, Limit: f.MaxBytes}
	}
	p.start(size)
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	var src io.Reader = &countingReader{r: r, add: p.add}
	if f.MaxBytes > 0 {
		src = io.LimitReader(src, f.MaxBytes+1) // one byte past the bound tells it was passed
	}
	n, err := io.Copy(out, src)
	if err == nil && f.MaxBytes > 0 && n > f.MaxBytes {
		err = &TooLargeError{URL: key, Size: -1, Limit: f.MaxBytes}
	}
	if err == nil {
		err = out.Sync() // the file may be linked into the cache: make it whole on disk
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(dst)
		return err
	}
	p.fileDone()
	if cacheable {
		_ = f.Cache.putFile(key, dst)
	}
	return nil
}

// runDirName names a run's local directory: its position (so that two
// builds never share one) and a readable name.
func runDirName(i int, b Build) string {
	name := b.ID
	if name == "" {
		name = path.Base(strings.TrimSuffix(b.Name(), "/"))
	}
	return strconv.Itoa(i) + "-" + safeName(name)
}

// relName is the log's path below the run's local directory.
func relName(b Build, log string) string {
	if b.Dir != "" {
		if rel, ok := strings.CutPrefix(log, b.Dir+"/"); ok && validFile(rel) {
			return rel
		}
	}
	base := path.Base(log)
	if i := strings.IndexAny(base, "?#"); i > 0 {
		base = base[:i] // a query string is no part of a file name
	}
	return safeName(base)
}

// safeName keeps a name usable as one path element.
func safeName(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == 0 || r == ':' {
			return '_'
		}
		return r
	}, s)
	if s == "" || s == "." || s == ".." {
		return "_"
	}
	return s
}

func sortedUnique(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	out := append([]string(nil), s...)
	slices.Sort(out)
	j := 0
	for i := range out {
		if i == 0 || out[i] != out[j-1] {
			out[j] = out[i]
			j++
		}
	}
	return out[:j]
}

// progress sums downloads and serializes calls to the callback.
type progress struct {
	mu     sync.Mutex
	report func(Progress)
	p      Progress
	files  int
}

func (p *progress) update(fn func(*Progress)) {
	if p.report == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.p.Files = p.files
	fn(&p.p)
	p.report(p.p)
}

func (p *progress) start(size int64) {
	p.update(func(q *Progress) {
		if size > 0 {
			q.Total += size
		}
	})
}
func (p *progress) add(n int64) { p.update(func(q *Progress) { q.Done += n }) }
func (p *progress) fileDone()   { p.update(func(q *Progress) { q.FilesDone++ }) }

type countingReader struct {
	r   io.Reader
	add func(int64)
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	if n > 0 {
		c.add(int64(n))
	}
	return n, err
}
