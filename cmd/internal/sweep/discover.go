package sweep

import (
	"context"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/logdiff/logdiff/fetch"
)

// Discover lists the jobs a configuration watches: its named jobs, and the
// jobs found under its prefixes that pass its include and exclude
// patterns, sorted and without duplicates.
func Discover(ctx context.Context, store fetch.Store, c *Config) ([]string, error) {
	jobs := slices.Clone(c.Jobs)
	for _, pre := range c.Prefixes {
		dir, _ := path.Split(pre) // logs/ or pr-logs/directory/
		for o, err := range store.List(ctx, pre, "/") {
			if err != nil {
				return nil, fmt.Errorf("listing the jobs under %s: %w", store.URL(pre), err)
			}
			if !o.Prefix {
				continue // latest-build.txt and the like
			}
			job := strings.TrimSuffix(strings.TrimPrefix(o.Name, dir), "/")
			if validJob(job) && c.wanted(job) {
				jobs = append(jobs, job)
			}
		}
	}
	slices.Sort(jobs)
	return slices.Compact(jobs), nil
}

// wanted applies the include and exclude patterns to a job found under a
// prefix.
func (c *Config) wanted(job string) bool {
	match := func(pats []string) bool {
		for _, p := range pats {
			if ok, _ := path.Match(p, job); ok {
				return true
			}
		}
		return false
	}
	if len(c.Include) > 0 && !match(c.Include) {
		return false
	}
	return !match(c.Exclude)
}
