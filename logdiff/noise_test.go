package logdiff

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestNoise diffs passing runs of one job against each other: the BugSwarm
// pairs hold one passing log per pair, and several pairs of one project
// are passing runs of its CI job (at other commits). It prints the number
// of findings and of lines logdiff reports, against the lines that differ
// as raw text (what a plain diff shows at the least).
func TestNoise(t *testing.T) {
	dir := sharedData(t, "bugswarm-pairs")
	f, err := os.Open(filepath.Join(dir, "pairs.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	byProject := map[string][]string{}
	var projects []string
	suffix := regexp.MustCompile(`-\d+$`)
	for _, r := range rows[1:] {
		p := suffix.ReplaceAllString(r[0], "")
		if byProject[p] == nil {
			projects = append(projects, p)
		}
		byProject[p] = append(byProject[p], filepath.Join(dir, r[6]))
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "\n%-45s %8s %8s %10s\n", "passing vs passing", "findings", "reported", "raw-diff")
	var totalRep, totalRaw int
	for _, p := range projects {
		logs := byProject[p]
		for i := 0; i+1 < len(logs); i++ {
			r, err := Diff(context.Background(), FileInput(logs[i+1]), []Input{FileInput(logs[i])}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			rep := 0
			for _, f := range r.Findings {
				rep += len(f.Lines)
			}
			raw := rawDiffLines(t, logs[i], logs[i+1])
			totalRep += rep
			totalRaw += raw
			fmt.Fprintf(&sb, "%-45s %8d %8d %10d\n", filepath.Base(filepath.Dir(logs[i+1])), len(r.Findings), rep, raw)
		}
	}
	fmt.Fprintf(&sb, "total reported lines %d, raw differing lines %d (%.1f%%)\n", totalRep, totalRaw, 100*float64(totalRep)/float64(max(totalRaw, 1)))
	t.Log(sb.String())
	// These runs are of other commits: much of what differs is real (other
	// versions, other stack traces). The guard is against regressions.
	if float64(totalRep) > 0.35*float64(totalRaw) {
		t.Errorf("logdiff reports %d lines between passing runs, more than 35%% of the %d raw differences", totalRep, totalRaw)
	}
}

// rawDiffLines counts the lines of either file that the other lacks, as
// multisets of raw text: a lower bound of what a plain diff prints.
func rawDiffLines(t *testing.T, a, b string) int {
	count := func(p string) map[string]int {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		m := map[string]int{}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<24)
		for sc.Scan() {
			m[sc.Text()]++
		}
		return m
	}
	ca, cb := count(a), count(b)
	n := 0
	for k, v := range ca {
		n += max(0, v-cb[k])
	}
	for k, v := range cb {
		n += max(0, v-ca[k])
	}
	return n
}
