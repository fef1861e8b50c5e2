package fetch

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// defaultJUnit are the base name patterns, comma-separated, of the files
// JUnitFiles takes, anywhere below a run's artifacts/, when no glob is
// given: Ginkgo's junit_01.xml (one per process) and kubetest's
// junit_runner.xml, Surefire's and Gradle's TEST-*.xml, Bazel's test.xml;
// pytest and gotestsum write whatever name they are told, in Prow jobs
// mostly junit*.xml.
const defaultJUnit = "junit*.xml,TEST-*.xml,test.xml"

// MaxJUnitFiles bounds the JUnit files of one run: a run has a few, or a
// few per test shard; more matches of a glob are an error.
const MaxJUnitFiles = 1000

const maxJUnitBytes = 1 << 30 // a file larger than this is no test report

// JUnitFiles lists the JUnit files of build b, as paths relative to its
// build directory, sorted. With glob "", every file below artifacts/
// named junit*.xml, TEST-*.xml or test.xml (defaultJUnit); else the files glob
// matches: a glob with a "/" matches paths below the build directory
// ("*" within one directory, "**" across any number of them:
// artifacts/**/test-results/**/*.xml), one without matches base names
// below artifacts/.
//
// A build outside Prow's layout whose log lies at the root of a local
// directory (logdiff diff DIR ...) is that directory's run. A lone file,
// or a build read through a plain web server, which cannot be listed,
// has none: nil, nil.
func (f *Fetcher) JUnitFiles(ctx context.Context, b Build, glob string) ([]string, error) {
	objs, err := f.junitObjects(ctx, b, glob)
	var names []string
	for _, o := range objs {
		names = append(names, o.Name)
	}
	return names, err
}

// junitObjects is JUnitFiles with the files' sizes; names are relative to
// the build directory.
func (f *Fetcher) junitObjects(ctx context.Context, b Build, glob string) ([]Object, error) {
	m, err := newJUnitMatcher(glob)
	if err != nil {
		return nil, err
	}
	base, ok := f.buildDir(b)
	if !ok {
		return nil, nil
	}
	prefix := base + m.dir
	var found []Object
	// Through the cache, as artifact listings are: a settled run's listing
	// does not change, and offline it is what there is.
	objs, err := f.list(ctx, prefix, "", b.settled(f.now()), maxArtifactListed)
	if err != nil {
		return nil, fmt.Errorf("listing JUnit files of %s: %w", f.runName(b), err)
	}
	for _, o := range objs {
		rel := strings.TrimPrefix(o.Name, base)
		if o.Prefix || !validFile(rel) || !m.match(rel) {
			continue
		}
		if len(found) == MaxJUnitFiles {
			return nil, fmt.Errorf("JUnit files of %s: %s matches more than %d files", f.runName(b), m, MaxJUnitFiles)
		}
		o.Name = rel
		found = append(found, o)
	}
	slices.SortFunc(found, func(a, b Object) int { return strings.Compare(a.Name, b.Name) })
	return found, nil
}

// buildDir is the prefix of b's files in the store ("" at the root, else
// ending in "/"), and whether b has such a directory.
func (f *Fetcher) buildDir(b Build) (string, bool) {
	if b.Dir != "" {
		return b.Dir + "/", true
	}
	if _, local := f.local(); local && b.Log != "" && !strings.Contains(b.Log, "/") {
		return "", true
	}
	return "", false
}

// MaterializeJUnit finds the JUnit files of each of runs (see JUnitFiles)
// and puts them on local disk in the run's directory, as Materialize put
// its log, setting the run's JUnit; files of a local directory are used in
// place, files already fetched as artifacts are not fetched again.
//
// A JUnit file is extra evidence, not the log: trouble with one (a
// listing refused, a download cut, a file over 1 GiB) leaves it out and
// goes into the error returned, which names the run and the file, while
// every file that could be had is set. Only a cancelled ctx stops it all.
func (f *Fetcher) MaterializeJUnit(ctx context.Context, runs []LocalRun, glob string) error {
	if _, err := newJUnitMatcher(glob); err != nil {
		return err
	}
	type file struct {
		run       int
		rel       string
		cacheable bool
	}
	var (
		mu    sync.Mutex
		files []file
		errs  []error
	)
	fail := func(run int, err error) {
		mu.Lock()
		errs = append(errs, err)
		runs[run].JUnitIncomplete = true
		mu.Unlock()
	}
	_, isLocal := f.local()
	_ = forEach(ctx, len(runs), f.parallel(), func(ctx context.Context, i int) error {
		r := &runs[i]
		found, err := f.junitObjects(ctx, r.Build, glob)
		if err != nil {
			fail(i, err)
			return nil
		}
		done := r.Build.Finished != nil && r.Build.ID != ""
		mu.Lock()
		defer mu.Unlock()
		for _, o := range found {
			switch {
			case isLocal || slices.Contains(r.Artifacts, o.Name):
				r.JUnit = append(r.JUnit, o.Name) // in place, or fetched already
			case o.Size > maxJUnitBytes:
				errs = append(errs, fmt.Errorf("JUnit file %s of %s: %d bytes, more than %d: left out", o.Name, f.runName(r.Build), o.Size, maxJUnitBytes))
				r.JUnitIncomplete = true
			default:
				files = append(files, file{i, o.Name, done})
			}
		}
		return nil
	})
	if err := ctx.Err(); err != nil {
		return err
	}
	p := &progress{report: f.Progress, files: len(files)}
	got := make([]bool, len(files))
	_ = forEach(ctx, len(files), f.parallel(), func(ctx context.Context, i int) error {
		fl := files[i]
		r := runs[fl.run]
		base, _ := f.buildDir(r.Build)
		dst := filepath.Join(r.Dir, filepath.FromSlash(fl.rel))
		err := os.MkdirAll(filepath.Dir(dst), 0o755)
		if err == nil {
			err = f.download(ctx, base+fl.rel, dst, fl.cacheable, p)
		}
		if err != nil {
			fail(fl.run, fmt.Errorf("downloading JUnit file %s of %s: %w", fl.rel, f.runName(r.Build), err))
			return nil
		}
		got[i] = true
		return nil
	})
	if err := ctx.Err(); err != nil {
		return err
	}
	for i, fl := range files {
		if got[i] {
			runs[fl.run].JUnit = append(runs[fl.run].JUnit, fl.rel)
		}
	}
	for i := range runs {
		slices.Sort(runs[i].JUnit)
	}
	slices.SortFunc(errs, func(a, b error) int { return strings.Compare(a.Error(), b.Error()) })
	return errors.Join(errs...)
}

// JUnitMatcher returns the test JUnitFiles applies to the files of a build
// directory for glob (see JUnitFiles): match reports whether the file at
// rel, a slash-separated path below the build directory
// ("artifacts/junit_01.xml"), is one of them. The error names a bad glob.
// A run that keeps its own files (attach, in $ARTIFACTS) finds them as a
// fetched run's would be found.
func JUnitMatcher(glob string) (match func(rel string) bool, err error) {
	m, err := newJUnitMatcher(glob)
	if err != nil {
		return nil, err
	}
	return func(rel string) bool { return validFile(rel) && m.match(rel) }, nil
}

// junitMatcher matches paths below a build directory against a JUnit
// glob.
type junitMatcher struct {
	glob  string
	dir   string   // the literal directories to list, "" or ending in "/"
	parts []string // the glob's elements; nil to match base names
	names []string // base name patterns, when parts is nil
}

func newJUnitMatcher(glob string) (junitMatcher, error) {
	if glob == "" {
		return junitMatcher{dir: "artifacts/", names: strings.Split(defaultJUnit, ",")}, nil
	}
	bad := func(why string) (junitMatcher, error) {
		return junitMatcher{}, fmt.Errorf("JUnit glob %q: %s; want a file name pattern such as 'junit_*.xml' or a path below the build directory such as 'artifacts/**/TEST-*.xml'", glob, why)
	}
	if !strings.Contains(glob, "/") {
		if _, err := path.Match(glob, ""); err != nil {
			return bad(err.Error())
		}
		return junitMatcher{glob: glob, dir: "artifacts/", names: []string{glob}}, nil
	}
	if strings.HasPrefix(glob, "/") {
		return bad("an absolute path")
	}
	m := junitMatcher{glob: glob, parts: strings.Split(glob, "/")}
	literal := true
	for i, p := range m.parts {
		switch {
		case p == "" || p == "." || p == "..":
			return bad("an empty, . or .. element")
		case p == "**":
		case strings.Contains(p, "**"):
			return bad(`"**" is a whole element`)
		default:
			if _, err := path.Match(p, ""); err != nil {
				return bad(err.Error())
			}
		}
		// List only below the leading elements without metacharacters.
		if literal && i < len(m.parts)-1 && !strings.ContainsAny(p, `*?[\`) {
			m.dir += p + "/"
		} else {
			literal = false
		}
	}
	return m, nil
}

func (m junitMatcher) String() string {
	if m.glob == "" {
		return "artifacts/**/{" + strings.Join(m.names, ",") + "}"
	}
	return m.glob
}

func (m junitMatcher) match(rel string) bool {
	if m.parts == nil {
		if !strings.HasPrefix(rel, m.dir) {
			return false
		}
		base := path.Base(rel)
		for _, n := range m.names {
			if ok, _ := path.Match(n, base); ok {
				return true
			}
		}
		return false
	}
	return matchParts(m.parts, strings.Split(rel, "/"))
}

// matchParts matches path elements against glob elements, "**" standing
// for any number of elements, in O(len(glob)·len(name)).
func matchParts(glob, name []string) bool {
	// ok[j]: glob[:i] matches name[:j], row by row.
	ok := make([]bool, len(name)+1)
	ok[0] = true
	for _, g := range glob {
		next := make([]bool, len(name)+1)
		for j := range next {
			switch {
			case g == "**":
				next[j] = ok[j] || j > 0 && next[j-1]
			case j > 0 && ok[j-1]:
				next[j], _ = path.Match(g, name[j-1])
			}
		}
		ok = next
	}
	return ok[len(name)]
}
