package logdiff

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/logdiff/logdiff/logdiff/internal/evaldata"
)

// TestEvalLabels keeps the eval's labels from rotting: every labelled pair
// exists, every pair of a labelled set is labelled, every cause pattern
// matches at least one line of its failing log, every failing Ozone check
// with a summary has cause lines, and the sample's cause lines are in its
// passing runs. The labels files must parse even without the data.
func TestEvalLabels(t *testing.T) {
	for _, file := range []string{dissectionLabels, bugswarmPairsLabels} {
		if _, err := evaldata.LoadLabels(file); err != nil {
			t.Error(err)
		}
	}
	t.Run("sample", func(t *testing.T) {
		for _, id := range samplePassing {
			texts := shownTexts(t, filepath.Join(sampleJob, id, "build-log.txt"))
			for _, re := range sampleCauses {
				if !slices.ContainsFunc(texts, re.MatchString) {
					t.Errorf("passing run %s has no line matching the sample's cause %v", id, re)
				}
			}
		}
	})
	t.Run("bugswarm-dissection", func(t *testing.T) {
		dir := sharedData(t, "bugswarm-dissection/BugSwarm")
		l, err := evaldata.LoadLabels(dissectionLabels)
		if err != nil {
			t.Fatal(err)
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, e := range entries {
			if e.IsDir() {
				names = append(names, e.Name())
			}
		}
		checkLabels(t, l, names, func(name string) string { return filepath.Join(dir, name, "failing.log") })
	})
	t.Run("bugswarm-pairs", func(t *testing.T) {
		dir := sharedData(t, "bugswarm-pairs")
		l, err := evaldata.LoadLabels(bugswarmPairsLabels)
		if err != nil {
			t.Fatal(err)
		}
		failing := map[string]string{}
		var names []string
		for _, r := range bugswarmPairs(t, dir) {
			names = append(names, r[0])
			failing[r[0]] = r[1]
		}
		checkLabels(t, l, names, func(name string) string { return failing[name] })
	})
	t.Run("ozone", func(t *testing.T) {
		root := sharedData(t, "ozone-ci")
		nights, err := evaldata.OzoneNights(root)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range nights {
			for _, check := range sortedChecks(n) {
				if n.Checks[check] != "failure" {
					continue
				}
				summary, err := os.ReadFile(n.Summary(check))
				if err != nil && !errors.Is(err, os.ErrNotExist) {
					t.Fatal(err)
				}
				_, err = evaldata.OzoneCause(check, summary, shownTexts(t, n.Log(check)))
				if err != nil && !errors.Is(err, evaldata.ErrNoSummary) {
					t.Errorf("%s/%s: %v", n.Name, check, err)
				}
			}
		}
	})
}

// checkLabels checks a set's labels against its pairs.
func checkLabels(t *testing.T, l *evaldata.Labels, names []string, failing func(string) string) {
	t.Helper()
	have := map[string]bool{}
	for _, name := range names {
		have[name] = true
		if _, ok := l.Skipped[name]; ok {
			continue
		}
		if l.Pairs[name] == nil {
			t.Errorf("pair %s is neither labelled nor skipped", name)
			continue
		}
		_, unmatched, err := l.Truth(name, shownTexts(t, failing(name)))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range unmatched {
			t.Errorf("%s: cause pattern %q matches no line of %s", name, p, failing(name))
		}
	}
	for _, name := range append(sortedKeys(l.Pairs), sortedKeys(l.Skipped)...) {
		if !have[name] {
			t.Errorf("labelled pair %s is not in the data", name)
		}
	}
}
