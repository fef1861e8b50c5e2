package sweep

import (
	"context"
	"fmt"
	"path"
	"sync"

	"github.com/logdiff/logdiff/fetch"
)

// history is what the newest builds of a job say about its transition.
type history struct {
	// failing are the FAILURE runs newer than the newest SUCCESS, newest
	// first: the last one is the first failing run after the newest pass.
	failing []fetch.Build
	// passing is the newest SUCCESS run, nil when none was found among the
	// builds examined.
	passing *fetch.Build
	// skipped are builds whose metadata could not be read.
	skipped []string
}

// scanWindow is how many builds' metadata are read at once for one job:
// most jobs are decided by their newest one or two builds.
const scanWindow = 4

// history walks the job's builds from the newest, reading each one's
// metadata, until the newest SUCCESS or s.Scan builds. Running, aborted
// and errored builds are passed over, as are builds whose metadata cannot
// be read (listed in skipped).
func (s *Sweeper) history(ctx context.Context, job string) (history, error) {
	ids, presubmit, err := s.listBuilds(ctx, job)
	if err != nil {
		return history{}, err
	}
	var h history
	ids = ids[:min(len(ids), s.scan())]
	for start := 0; start < len(ids); start += scanWindow {
		window := ids[start:min(len(ids), start+scanWindow)]
		builds, errs := s.resolveAll(ctx, job, window, presubmit)
		if err := ctx.Err(); err != nil {
			return history{}, err
		}
		for i, b := range builds {
			if errs[i] != nil {
				if !fetch.IsNotExist(errs[i]) {
					h.skipped = append(h.skipped, fmt.Sprintf("%s/%s: %v", job, window[i], errs[i]))
				}
				continue
			}
			switch b.Result() {
			case "SUCCESS":
				h.passing = &b
				return h, nil
			case "FAILURE":
				h.failing = append(h.failing, b)
			}
		}
	}
	return h, nil
}

// resolveAll reads the metadata of the builds ids of job at once.
func (s *Sweeper) resolveAll(ctx context.Context, job string, ids []string, presubmit bool) ([]fetch.Build, []error) {
	builds := make([]fetch.Build, len(ids))
	errs := make([]error, len(ids))
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Go(func() {
			src := s.Source
			src.File, src.Line = "", 0
			src.Path = path.Join(fetch.NonPRLogs, job, id)
			if presubmit {
				src.Path = path.Join(fetch.PRLogs, "directory", job, id+".txt")
			}
			builds[i], errs[i] = s.Fetcher.Resolve(ctx, src)
		})
	}
	wg.Wait()
	return builds, errs
}

// listBuilds returns the job's build ids, newest first, and whether it is a
// presubmit: fetch's listing, the one logdiff job uses.
func (s *Sweeper) listBuilds(ctx context.Context, job string) (ids []string, presubmit bool, err error) {
	return s.Fetcher.Builds(ctx, job)
}
