package logdiff

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/logdiff/logdiff/patterns"
)

// allPacks compiles every built-in rule pack.
func allPacks(t testing.TB) *patterns.Set {
	t.Helper()
	var files []*patterns.File
	for _, name := range patterns.Packs() {
		f, err := patterns.Pack(name)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	set, err := patterns.Compile(files...)
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// sharedData returns ../shared/data beside the module root, or skips.
func sharedData(t testing.TB, sub string) string {
	t.Helper()
	dir := filepath.Join("..", "..", "shared", "data", sub)
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("real data not present (%s): %v", dir, err)
	}
	return dir
}

// groundTruth holds the labelled lines of one pair, as our line numbers.
type groundTruth struct{ e, c map[int]bool }

// readGroundTruth parses a CiDiff groundtruth file ("E a-b", "E n", "C ...")
// and maps its Java line numbers (\r\n, \r and \n each end a line) to ours
// (only \n does).
func readGroundTruth(t testing.TB, path, failLog string) groundTruth {
	t.Helper()
	raw, err := os.ReadFile(failLog)
	if err != nil {
		t.Fatal(err)
	}
	// javaToOurs[j] is our 1-based line number of Java line j.
	javaToOurs := []int{0}
	ours := 1
	for i := 0; i < len(raw); i++ {
		switch raw[i] {
		case '\n':
			javaToOurs = append(javaToOurs, ours)
			ours++
		case '\r':
			javaToOurs = append(javaToOurs, ours)
			if i+1 < len(raw) && raw[i+1] == '\n' {
				i++
				ours++
			}
		}
	}
	javaToOurs = append(javaToOurs, ours)
	gt := groundTruth{e: map[int]bool{}, c: map[int]bool{}}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) != 2 || (fields[0] != "E" && fields[0] != "C") {
			continue
		}
		lo, hi, ok := strings.Cut(fields[1], "-")
		a, _ := strconv.Atoi(lo)
		b := a
		if ok {
			b, _ = strconv.Atoi(hi)
		}
		for j := a; j <= b; j++ {
			if j < len(javaToOurs) {
				if fields[0] == "E" {
					gt.e[javaToOurs[j]] = true
				} else {
					gt.c[javaToOurs[j]] = true
				}
			}
		}
	}
	return gt
}

type evalRow struct {
	name             string
	eLines, eFound   int
	reported, useful int
	top5             bool
	findings         int
	// toFirst is how many lines (both sides, in rank order) a reader goes
	// through until the first error line: the cost of a ranked report.
	toFirst int
}

// evalPairs diffs every labelled CiDiff pair and measures what a reader gets.
func evalPairs(t testing.TB, opts Options) []evalRow {
	dir := sharedData(t, "cidiff/breakages")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var rows []evalRow
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		d := filepath.Join(dir, e.Name())
		failLog := filepath.Join(d, "fail.log")
		gt := readGroundTruth(t, filepath.Join(d, "groundtruth"), failLog)
		if len(gt.e) == 0 {
			continue
		}
		r, err := Diff(context.Background(), FileInput(failLog), []Input{FileInput(filepath.Join(d, "pass.log"))}, opts)
		if err != nil {
			t.Fatalf("%s: %v", e.Name(), err)
		}
		row := evalRow{name: e.Name(), eLines: len(gt.e), findings: len(r.Findings)}
		reported := map[int]bool{}
		row.toFirst = -1
		seen := 0
	rank:
		for _, f := range r.Findings {
			for _, l := range f.Lines {
				seen++
				if l.Side == SideFailing && gt.e[l.N] {
					row.toFirst = seen
					break rank
				}
			}
		}
		for i, f := range r.Findings {
			for _, l := range f.Lines {
				if l.Side != SideFailing {
					continue
				}
				reported[l.N] = true
				if i < 5 && gt.e[l.N] {
					row.top5 = true
				}
			}
		}
		row.reported = len(reported)
		for n := range reported {
			if gt.e[n] {
				row.eFound++
			}
			if gt.e[n] || gt.c[n] {
				row.useful++
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// medianToFirst is the median of the lines read until the first error line
// (pairs where none is found count as every line reported).
func medianToFirst(rows []evalRow) float64 {
	var v []int
	for _, r := range rows {
		if r.toFirst < 0 {
			v = append(v, r.reported)
		} else {
			v = append(v, r.toFirst)
		}
	}
	sort.Ints(v)
	if len(v) == 0 {
		return 0
	}
	if len(v)%2 == 0 {
		return float64(v[len(v)/2-1]+v[len(v)/2]) / 2
	}
	return float64(v[len(v)/2])
}

func summarize(rows []evalRow) (recall, precision, median, top5 float64) {
	var e, found, rep, useful, t5 int
	var counts []int
	for _, r := range rows {
		e += r.eLines
		found += r.eFound
		rep += r.reported
		useful += r.useful
		counts = append(counts, r.reported)
		if r.top5 {
			t5++
		}
	}
	sort.Ints(counts)
	if n := len(counts); n > 0 {
		median = float64(counts[n/2])
		if n%2 == 0 {
			median = float64(counts[n/2-1]+counts[n/2]) / 2
		}
	}
	return float64(found) / float64(max(e, 1)), float64(useful) / float64(max(rep, 1)), median, float64(t5) / float64(max(len(rows), 1))
}

// TestEval prints, over the labelled CiDiff pairs, the recall of the lines a
// human marked as the error, the precision against error and context lines,
// the median number of failing lines a reader is shown, and how often an
// error line is in the top five findings. `make eval` prints it.
func TestEval(t *testing.T) {
	rows := evalPairs(t, Options{})
	rules := allPacks(t)
	withRules := evalPairs(t, Options{Normalizer: NewNormalizer(rules), Knowledge: rules})
	slices.SortFunc(rows, func(a, b evalRow) int { return strings.Compare(a.name, b.name) })
	var sb strings.Builder
	fmt.Fprintf(&sb, "\n%-32s %6s %6s %8s %6s %5s %8s\n", "pair", "E", "found", "reported", "top5", "finds", "to-first")
	for _, r := range rows {
		fmt.Fprintf(&sb, "%-32s %6d %6d %8d %6v %5d %8d\n", r.name, r.eLines, r.eFound, r.reported, r.top5, r.findings, r.toFirst)
	}
	recall, precision, median, top5 := summarize(rows)
	fmt.Fprintf(&sb, "\npairs %d  recall(E) %.3f  precision(E+C) %.3f  median reported lines %.1f  E in top 5 %.2f  median lines read to the first E line %.1f\n",
		len(rows), recall, precision, median, top5, medianToFirst(rows))
	r2, p2, m2, t2 := summarize(withRules)
	fmt.Fprintf(&sb, "with all rule packs: recall(E) %.3f  precision(E+C) %.3f  median reported lines %.1f  E in top 5 %.2f  median lines read to the first E line %.1f\n", r2, p2, m2, t2, medianToFirst(withRules))
	t.Log(sb.String())
	if r2 < recall-0.005 || t2 < top5-0.03 {
		t.Errorf("the rule packs cost recall or ranking: recall %.3f -> %.3f, top 5 %.2f -> %.2f", recall, r2, top5, t2)
	}
	// Floors that guard against regressions; the aims are higher (README).
	if recall < 0.95 {
		t.Errorf("recall of error lines %.3f, want >= 0.95", recall)
	}
	if top5 < 0.9 {
		t.Errorf("share of pairs with an error line in the top 5: %.2f, want >= 0.9", top5)
	}
}
