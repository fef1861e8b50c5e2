package fetch

import (
	"context"
	"fmt"
	"path"
	"slices"
	"strings"
)

// Bounds on artifact globs: a glob that matches a whole tree of node logs
// is a mistake better reported than downloaded.
const (
	maxArtifactMatches = 1000
	maxArtifactListed  = 200_000
)

// Artifacts lists the files of build b whose path relative to the build
// directory matches glob, in path.Match syntax ("*" does not cross "/"):
// artifacts/*/serial-1.log finds every node's serial log. The paths are
// relative to the build directory and sorted, so that a caller can pair
// them across runs.
func (f *Fetcher) Artifacts(ctx context.Context, b Build, glob string) ([]string, error) {
	if _, err := path.Match(glob, ""); err != nil || glob == "" || strings.HasPrefix(glob, "/") {
		return nil, fmt.Errorf("artifact glob %q: want a path below the build directory such as artifacts/*/serial-1.log", glob)
	}
	if b.Dir == "" {
		return nil, fmt.Errorf("artifacts of %s: not a run in Prow's layout", b.Name())
	}
	// List only below the glob's literal leading directories.
	lit := glob
	if i := strings.IndexAny(glob, `*?[\`); i >= 0 {
		lit = glob[:i]
	}
	lit = lit[:strings.LastIndexByte(lit, '/')+1]
	base := b.Dir + "/"
	var found []string
	objs, err := f.list(ctx, base+lit, "", b.settled(f.now()), maxArtifactListed)
	if err != nil {
		return nil, fmt.Errorf("listing artifacts of %s: %w", f.runName(b), err)
	}
	for _, o := range objs {
		rel := strings.TrimPrefix(o.Name, base)
		if o.Prefix || !validFile(rel) {
			continue
		}
		if ok, _ := path.Match(glob, rel); !ok {
			continue
		}
		if len(found) == f.maxMatches() {
			return nil, fmt.Errorf("artifacts of %s: %q matches more than %d files", b.Name(), glob, f.maxMatches())
		}
		found = append(found, rel)
	}
	slices.Sort(found) // listings come in name order, but say so here
	return found, nil
}

func (f *Fetcher) maxMatches() int {
	if f.artifactLimit > 0 {
		return f.artifactLimit
	}
	return maxArtifactMatches
}
