package regressions

import (
	"cmp"
	"slices"
	"strings"

	"github.com/logdiff/logdiff/logdiff"
)

// DefaultGroupTop is how many top findings of each job are compared to
// group jobs into regressions.
const DefaultGroupTop = 3

// topKeys are the distinct group keys of a record's first n findings that
// may group, in rank order. A status flip (ok to FAIL, SUCCESS! to FAIL!)
// never groups: every failing run has one, whatever broke it. A record
// whose findings are all flips is grouped by them all the same.
func topKeys(r *Record, n int) []string {
	var keys []string
	for _, flips := range []bool{false, true} {
		for i := range r.Findings {
			f := &r.Findings[i]
			if len(keys) == n {
				break
			}
			if (f.Flip != nil) != flips {
				continue
			}
			if k := f.GroupKey(); !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
		if len(keys) > 0 {
			break
		}
	}
	return keys
}

// group splits records (regressed, each with findings) into regressions:
// two jobs are one regression when each one's top finding is among the
// other's top n findings, and a regression is every job linked so.
//
// Asking it of both jobs keeps lines that every failing run prints (an
// "exit status 1", a status flipped to FAIL) from joining jobs that broke
// for different reasons: such a line is in the top findings of many jobs
// but the top one of few. The result depends on the records alone, not on
// their order.
func group(records []*Record, n int) [][]*Record {
	slices.SortFunc(records, func(a, b *Record) int { return strings.Compare(a.Job, b.Job) })
	keys := make([][]string, len(records))
	byKey := map[string][]int{} // key -> records with it in their top n
	for i, r := range records {
		keys[i] = topKeys(r, n)
		for _, k := range keys[i] {
			byKey[k] = append(byKey[k], i)
		}
	}
	parent := make([]int, len(records))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for i := range records {
		top := keys[i][0]
		for _, j := range byKey[top] {
			if j != i && slices.Contains(keys[i], keys[j][0]) {
				a, b := find(i), find(j)
				parent[max(a, b)] = min(a, b)
			}
		}
	}
	var groups [][]*Record
	index := map[int]int{}
	for i, r := range records {
		root := find(i)
		g, ok := index[root]
		if !ok {
			g = len(groups)
			index[root] = g
			groups = append(groups, nil)
		}
		groups[g] = append(groups[g], r)
	}
	return groups
}

// leadKey is the key in the top n of most of the group's jobs; ties go to
// the key ranked higher overall, then to the first in byte order.
func leadKey(g []*Record, n int) string {
	type tally struct {
		jobs, posSum int
	}
	t := map[string]*tally{}
	for _, r := range g {
		for pos, k := range topKeys(r, n) {
			if t[k] == nil {
				t[k] = &tally{}
			}
			t[k].jobs++
			t[k].posSum += pos
		}
	}
	var best string
	var bt *tally
	for k, v := range t {
		if bt == nil || v.jobs > bt.jobs || (v.jobs == bt.jobs && (v.posSum < bt.posSum || (v.posSum == bt.posSum && k < best))) {
			best, bt = k, v
		}
	}
	return best
}

// findingWithKey returns the record's first finding with the group key,
// and its 1-based position; nil when none.
func findingWithKey(r *Record, key string) (*logdiff.Finding, int) {
	for i := range r.Findings {
		if r.Findings[i].GroupKey() == key {
			return &r.Findings[i], i + 1
		}
	}
	return nil, 0
}

// sharedKeys are the keys besides lead in the top n of every job of g, in
// the order of the first job's findings.
func sharedKeys(g []*Record, lead string, n int) []string {
	var out []string
	for _, k := range topKeys(g[0], n) {
		if k == lead {
			continue
		}
		all := true
		for _, r := range g[1:] {
			if !slices.Contains(topKeys(r, n), k) {
				all = false
				break
			}
		}
		if all {
			out = append(out, k)
		}
	}
	return out
}

// byJobsThenKey orders regressions: most jobs first, then by key.
func byJobsThenKey(a, b Regression) int {
	if c := cmp.Compare(len(b.Jobs), len(a.Jobs)); c != 0 {
		return c
	}
	return strings.Compare(a.Key, b.Key)
}
