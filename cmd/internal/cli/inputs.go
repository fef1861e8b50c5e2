package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/logdiff/logdiff/fetch"
	"github.com/logdiff/logdiff/logdiff"
)

// resolved are the arguments of diff as inputs and, for those that name a
// run (a URL, a run's directory), the run on local disk with its metadata
// and where Prow shows it.
type resolved struct {
	inputs []logdiff.Input
	runs   []*fetch.LocalRun // nil for a file or standard input
	urls   []string
}

// allRuns reports whether every argument named a run: then the runs'
// configuration and test results are compared too.
func (r *resolved) allRuns() bool {
	for _, run := range r.runs {
		if run == nil || run.Build.Job == "" {
			return false
		}
	}
	return len(r.runs) > 0
}

// resolveInputs turns each argument into an input: a local file as it is,
// standard input buffered, anything else (a URL, a run in a bucket) fetched
// to local disk first, with the artifacts globs match when every argument
// is a run.
func resolveInputs(ctx context.Context, f *Factory, ff *FetchFlags, args []string, scan logdiff.ScanOptions) (*resolved, func(), error) {
	var remote []int
	isRemote := make([]bool, len(args))
	for i, a := range args {
		if a == "-" || isLocalFile(a) || !looksRemote(a) {
			continue
		}
		remote = append(remote, i)
		isRemote[i] = true
	}
	res := &resolved{runs: make([]*fetch.LocalRun, len(args)), urls: make([]string, len(args))}
	if len(remote) == 0 {
		inputs, cleanup, err := localInputs(ctx, f, args, scan)
		res.inputs = inputs
		return res, cleanup, err
	}
	var globs []string
	if len(remote) == len(args) {
		globs = ff.Artifacts
	}
	dir, err := f.tempDir("runs-")
	if err != nil {
		return nil, nil, err
	}
	cleanups := []func(){func() { os.RemoveAll(dir) }}
	cleanup := func() {
		for _, c := range cleanups {
			c()
		}
	}
	inputs := make([]logdiff.Input, len(args))
	for _, i := range remote {
		src, err := fetch.Detect(args[i])
		if err != nil {
			cleanup()
			return nil, nil, err
		}
		fe, err := ff.fetcher(ctx, f, src)
		if err != nil {
			cleanup()
			return nil, nil, err
		}
		b, err := fe.Resolve(ctx, src)
		if err != nil {
			cleanup()
			return nil, nil, err
		}
		if b.Job != "" && b.ID == "" {
			cleanup()
			return nil, nil, fmt.Errorf("%s names the whole job %s: give one run, or give it alone to let logdiff choose", args[i], b.Job)
		}
		// A directory of its own: two logs named build-log.txt must not meet.
		runs, err := fe.Materialize(ctx, filepath.Join(dir, strconv.Itoa(i)), []fetch.Build{b}, globs)
		if err != nil {
			cleanup()
			return nil, nil, err
		}
		if err := ff.fetchJUnit(ctx, fe, runs, func(s string) { f.notef("logdiff: %s", s) }); err != nil {
			cleanup()
			return nil, nil, err
		}
		in := logdiff.FileInput(runs[0].Log)
		in.Name = args[i]
		inputs[i] = in
		res.runs[i] = &runs[0]
		res.urls[i] = ff.viewURL(fe.Store, b)
	}
	var rest []string
	var at []int
	for i, a := range args {
		if !isRemote[i] {
			rest = append(rest, a)
			at = append(at, i)
		}
	}
	if len(rest) > 0 {
		li, c, err := localInputs(ctx, f, rest, scan)
		if err != nil {
			cleanup()
			return nil, nil, err
		}
		cleanups = append(cleanups, c)
		for k, i := range at {
			inputs[i] = li[k]
		}
	}
	res.inputs = inputs
	return res, cleanup, nil
}

// looksRemote tells a URL from a path that does not exist (which is then
// reported as a missing file).
func looksRemote(a string) bool {
	if strings.Contains(a, "://") {
		return true
	}
	st, err := os.Stat(a)
	return err == nil && st.IsDir()
}
