package sweep

import (
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
)

// Shard is one part of a sweep split across processes: Index of Count,
// 0-based like Kubernetes' JOB_COMPLETION_INDEX.
type Shard struct{ Index, Count int }

// Whole is the sweep that is not split.
var Whole = Shard{0, 1}

// ParseShard reads "I/N", 0 <= I < N.
func ParseShard(s string) (Shard, error) {
	i, n, ok := strings.Cut(s, "/")
	if !ok {
		return Shard{}, fmt.Errorf("shard %q: want I/N, such as 0/4 (I counts from 0)", s)
	}
	return newShard(i, n, "shard "+strconv.Quote(s))
}

// ShardFromEnv reads a Kubernetes Indexed Job's JOB_COMPLETION_INDEX and
// JOB_COMPLETIONS. Kubernetes sets only the index: the Job's manifest must
// pass its completions as JOB_COMPLETIONS. ok is false when neither is set.
func ShardFromEnv(getenv func(string) string) (s Shard, ok bool, err error) {
	i, n := getenv("JOB_COMPLETION_INDEX"), getenv("JOB_COMPLETIONS")
	switch {
	case i == "" && n == "":
		return Shard{}, false, nil
	case n == "":
		return Shard{}, false, fmt.Errorf("JOB_COMPLETION_INDEX=%s is set but JOB_COMPLETIONS is not: set it to the Job's .spec.completions", i)
	case i == "":
		return Shard{}, false, fmt.Errorf("JOB_COMPLETIONS=%s is set but JOB_COMPLETION_INDEX is not", n)
	}
	s, err = newShard(i, n, "JOB_COMPLETION_INDEX="+i+", JOB_COMPLETIONS="+n)
	return s, err == nil, err
}

func newShard(i, n, what string) (Shard, error) {
	in, err1 := strconv.Atoi(strings.TrimSpace(i))
	nn, err2 := strconv.Atoi(strings.TrimSpace(n))
	switch {
	case err1 != nil || err2 != nil:
		return Shard{}, fmt.Errorf("%s: want whole numbers", what)
	case nn < 1 || nn > 10000:
		return Shard{}, fmt.Errorf("%s: want 1 to 10000 shards", what)
	case in < 0 || in >= nn:
		return Shard{}, fmt.Errorf("%s: want an index from 0 to %d", what, nn-1)
	}
	return Shard{in, nn}, nil
}

// Has reports whether the job belongs to this shard: FNV-1a of its name,
// modulo Count. The hash depends on the name alone, so every process
// splits the same jobs the same way, whatever order it found them in.
func (s Shard) Has(job string) bool {
	if s.Count <= 1 {
		return true
	}
	h := fnv.New64a()
	h.Write([]byte(job))
	return h.Sum64()%uint64(s.Count) == uint64(s.Index)
}

// Split returns the jobs that belong to this shard, in their order.
func (s Shard) Split(jobs []string) []string {
	var out []string
	for _, j := range jobs {
		if s.Has(j) {
			out = append(out, j)
		}
	}
	return out
}

// String is "I/N".
func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.Index, s.Count) }

// fileName is the shard's part of a file name: 01-of-04, padded so
// that names sort by index.
func (s Shard) fileName() string {
	w := len(strconv.Itoa(s.Count - 1))
	return fmt.Sprintf("%0*d-of-%0*d", w, s.Index, w, s.Count)
}
