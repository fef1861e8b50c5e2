package sweep_test

import (
	"fmt"
	"hash/fnv"
	"strings"
	"testing"

	"github.com/logdiff/logdiff/cmd/internal/sweep"
)

func TestParseShard(t *testing.T) {
	tests := []struct {
		in   string
		want sweep.Shard
		err  string
	}{
		{"0/1", sweep.Shard{Index: 0, Count: 1}, ""},
		{"3/4", sweep.Shard{Index: 3, Count: 4}, ""},
		{"4/4", sweep.Shard{}, "from 0 to 3"},
		{"-1/4", sweep.Shard{}, "from 0 to 3"},
		{"1/0", sweep.Shard{}, "1 to 10000"},
		{"1", sweep.Shard{}, "want I/N"},
		{"a/b", sweep.Shard{}, "whole numbers"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := sweep.ParseShard(tt.in)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Errorf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("= %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

func TestShardFromEnv(t *testing.T) {
	tests := []struct {
		name        string
		index, jobs string
		want        sweep.Shard
		ok          bool
		err         string
	}{
		{"neither", "", "", sweep.Shard{}, false, ""},
		{"both", "2", "5", sweep.Shard{Index: 2, Count: 5}, true, ""},
		{"index alone", "2", "", sweep.Shard{}, false, "JOB_COMPLETIONS is not"},
		{"count alone", "", "5", sweep.Shard{}, false, "JOB_COMPLETION_INDEX is not"},
		{"index too big", "5", "5", sweep.Shard{}, false, "from 0 to 4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{"JOB_COMPLETION_INDEX": tt.index, "JOB_COMPLETIONS": tt.jobs}
			got, ok, err := sweep.ShardFromEnv(func(k string) string { return env[k] })
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Errorf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil || ok != tt.ok || got != tt.want {
				t.Errorf("= %v, %v, %v; want %v, %v", got, ok, err, tt.want, tt.ok)
			}
		})
	}
}

// TestShardSplit: every job falls in exactly one shard, the one FNV-1a of
// its name says, and the shards are near even.
func TestShardSplit(t *testing.T) {
	var jobs []string
	for i := range 1000 {
		jobs = append(jobs, fmt.Sprintf("ci-kubernetes-e2e-%d", i))
	}
	for _, n := range []int{1, 2, 3, 7, 16} {
		seen := map[string]int{}
		for i := range n {
			part := sweep.Shard{Index: i, Count: n}.Split(jobs)
			if len(part) < 1000/n/2 || len(part) > 1000/n*2 {
				t.Errorf("%d/%d: %d jobs of 1000", i, n, len(part))
			}
			for _, j := range part {
				seen[j]++
				h := fnv.New64a()
				h.Write([]byte(j))
				if int(h.Sum64()%uint64(n)) != i {
					t.Errorf("%s in shard %d/%d, FNV-1a says %d", j, i, n, h.Sum64()%uint64(n))
				}
			}
		}
		for _, j := range jobs {
			if seen[j] != 1 {
				t.Errorf("%d shards: %s in %d shards", n, j, seen[j])
			}
		}
	}
}
