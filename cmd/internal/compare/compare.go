// Package compare compares runs of a job that are on local disk: their
// build logs, configurations and artifacts, ranked together. The CLI's
// job and diff commands and the sweep share it.
package compare

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/logdiff/logdiff/fetch"
	"github.com/logdiff/logdiff/logdiff"
	"github.com/logdiff/logdiff/logdiff/junit"
)

// Runs are a failing run and its baselines on local disk, with why each
// was chosen and where people can see it.
type Runs struct {
	Failing   fetch.LocalRun
	Baselines []fetch.LocalRun
	Reasons   []string // [0] the failing run's, then each baseline's
	URLs      []string // Prow view URLs, "" for local runs
	// Warn, when set, is told of files left out of the comparison.
	Warn func(string)
	// Rules are the rule files the comparison uses besides the built-in
	// packs; the report names them.
	Rules []string
	// Streak is the failing streak the failing run belongs to, for the
	// report to state; nil when not known.
	Streak *logdiff.Streak
	// FailingName names the failing log in the report when its run is not
	// known (logdiff attach without a build id): the configuration and
	// commits, which need the run's metadata, are then not compared.
	FailingName string
}

func runInput(r fetch.LocalRun, name string) logdiff.Input {
	in := logdiff.FileInput(r.Log)
	in.Name = name
	return in
}

// Compare diffs the build logs, the configurations and the artifacts of
// the runs, and ranks all findings together.
func Compare(ctx context.Context, rr *Runs, opts logdiff.Options) (*logdiff.Report, error) {
	var bs []logdiff.Input
	for _, b := range rr.Baselines {
		bs = append(bs, runInput(b, b.Build.Name()+"/"+filepath.Base(b.Log)))
	}
	name := rr.Failing.Build.Name() + "/" + filepath.Base(rr.Failing.Log)
	if rr.FailingName != "" {
		name = rr.FailingName
	}
	report, err := logdiff.Diff(ctx, runInput(rr.Failing, name), bs, opts)
	if err != nil {
		return nil, err
	}
	report.Rules = rr.Rules
	report.Streak = rr.Streak
	report.Failing.URL = rr.URLs[0]
	report.Failing.Reason = rr.Reasons[0]
	for i := range report.Baselines {
		report.Baselines[i].URL = rr.URLs[i+1]
		report.Baselines[i].Reason = rr.Reasons[i+1]
	}
	var cfgs [][]logdiff.ConfigEntry
	for _, b := range rr.Baselines {
		cfgs = append(cfgs, configEntries(b.Build))
	}
	if rr.FailingName == "" {
		report.AddConfig(logdiff.CompareConfig(cfgs, configEntries(rr.Failing.Build)))
	}
	if len(rr.Baselines) > 0 && rr.FailingName == "" {
		report.Commits = commitRanges(fetch.Commits(rr.Baselines[0].Build, rr.Failing.Build))
	}
	report.AddTests(compareTests(rr, opts))
	arts, err := compareArtifacts(ctx, rr, opts)
	if err != nil {
		return nil, err
	}
	report.Findings = append(report.Findings, arts...)
	logdiff.Rerank(report.Findings)
	return report, nil
}

// compareTests compares the test results of the runs' JUnit files (their
// LocalRun.JUnit, which MaterializeJUnit sets). A file that cannot be read
// whole is a warning, and what was read of it counts. Runs without JUnit
// files on either side compare nothing.
func compareTests(rr *Runs, opts logdiff.Options) []logdiff.Finding {
	read := func(r fetch.LocalRun) []junit.Case {
		var cases []junit.Case
		for _, f := range r.JUnit {
			cs, err := junit.ParseFile(filepath.Join(r.Dir, filepath.FromSlash(f)), junit.Options{})
			if err != nil && rr.Warn != nil {
				rr.Warn(fmt.Sprintf("test results of %s: %v", r.Build.Name(), err))
			}
			for i := range cs {
				cs[i].File = f // as the run's directory names it, not the local path
			}
			cases = append(cases, cs...)
		}
		return cases
	}
	if rr.Failing.JUnitIncomplete {
		// A result not had would read as a test that did not run.
		if rr.Warn != nil {
			rr.Warn(fmt.Sprintf("test results of %s are not whole: tests not compared", rr.Failing.Build.Name()))
		}
		return nil
	}
	some := len(rr.Failing.JUnit) > 0
	var baselines [][]junit.Case
	for _, b := range rr.Baselines {
		baselines = append(baselines, read(b))
		some = some || len(b.JUnit) > 0
	}
	if !some {
		return nil
	}
	return logdiff.CompareTests(baselines, read(rr.Failing), opts.Quorum, opts.Normalizer)
}

// commitRanges turns fetch's pairing of two runs' repositories into the
// report's, keeping the repositories with a commit to show.
func commitRanges(changes []fetch.Change) []logdiff.CommitRange {
	var out []logdiff.CommitRange
	for _, c := range changes {
		r := logdiff.CommitRange{Repo: c.Repo, BaselineRef: c.Passing.BaseRef, BaselineSHA: c.Passing.BaseSHA,
			FailingRef: c.Failing.BaseRef, FailingSHA: c.Failing.BaseSHA, CompareURL: c.CompareURL}
		for _, p := range c.Pulls {
			r.Pulls = append(r.Pulls, logdiff.PullChange{Number: p.Number, SHA: p.SHA, URL: p.URL, CompareURL: p.CompareURL})
		}
		if r.BaselineSHA == "" && r.FailingSHA == "" && len(r.Pulls) == 0 {
			continue
		}
		out = append(out, r)
	}
	return out
}

// configEntries turns a run's settings into configuration entries, but
// the commits (Report.Commits has them). An argument's flag becomes part
// of its key, so that the container's arguments compare one by one.
func configEntries(b fetch.Build) []logdiff.ConfigEntry {
	var out []logdiff.ConfigEntry
	for _, s := range b.Config() {
		e := logdiff.ConfigEntry{Section: s.Section, Key: s.Key, Value: s.Value, Source: "prowjob.json"}
		switch s.Section {
		case "commit", "pull":
			// Every run tests another commit: the report's commits section
			// says which, with a link to what changed; as findings they
			// would make two passing runs never compare clean.
			continue
		case "ref", "metadata":
			e.Source = "started.json"
		case "arg":
			flag, val, _ := strings.Cut(s.Value, "=")
			e.Key, e.Value = s.Key+" "+flag, val
		}
		out = append(out, e)
	}
	return out
}

// compareArtifacts pairs the artifact files of the runs by their path with
// volatile parts masked (node names carry random suffixes) and diffs each
// file the failing run and a baseline share. The same difference in the
// files of several nodes is one finding. An artifact is extra evidence,
// not the log: one that cannot be compared (empty, binary, truncated, over
// the limits, changed while read) is left out with a warning naming it,
// and only a cancelled ctx stops the comparison.
//
// Each path is keyed once: O(n+m) keys for n failing and m baseline files.
func compareArtifacts(ctx context.Context, rr *Runs, opts logdiff.Options) ([]logdiff.Finding, error) {
	norm := logdiff.NewNormalizer(nil)
	key := func(p string) string {
		k, _ := norm.Key(nil, []byte(p))
		return string(k)
	}
	// byKey[i] maps a masked path to baseline i's first file (in sorted
	// order) that has it.
	byKey := make([]map[string]string, len(rr.Baselines))
	for i, b := range rr.Baselines {
		byKey[i] = map[string]string{}
		for _, ba := range b.Artifacts {
			if k := key(ba); byKey[i][k] == "" {
				byKey[i][k] = ba
			}
		}
	}
	var out []logdiff.Finding
	seen := map[string]int{} // finding key -> index in out
	times := map[int]int{}
	for _, fa := range rr.Failing.Artifacts {
		if err := ctx.Err(); err != nil {
			return nil, err // a small file is read before Diff looks at ctx
		}
		k := key(fa)
		var bs []logdiff.Input
		var runIndex []int // baseline index in rr of each input
		var names []string
		for i, b := range rr.Baselines {
			ba, ok := byKey[i][k]
			if !ok {
				continue
			}
			in := logdiff.FileInput(filepath.Join(b.Dir, filepath.FromSlash(ba)))
			in.Name = b.Build.Name() + "/" + ba
			bs = append(bs, in)
			runIndex = append(runIndex, i)
			names = append(names, ba)
		}
		if len(bs) == 0 {
			continue
		}
		in := logdiff.FileInput(filepath.Join(rr.Failing.Dir, filepath.FromSlash(fa)))
		in.Name = rr.Failing.Build.Name() + "/" + fa
		r, err := logdiff.Diff(ctx, in, bs, opts)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			// The error names the file of whichever run it is in.
			if rr.Warn != nil {
				rr.Warn(fmt.Sprintf("left out %s: %v", fa, err))
			}
			continue
		}
		for _, f := range r.Findings {
			if j, ok := seen[f.Key]; ok {
				times[j]++
				continue
			}
			f.Log = fa
			if f.Baseline != nil {
				f.BaselineLog = names[f.Baseline.Index]
				f.Baseline.Index = runIndex[f.Baseline.Index]
			}
			f.Summary = fa + ": " + f.Summary
			seen[f.Key] = len(out)
			out = append(out, f)
		}
	}
	for j, n := range times {
		out[j].Summary += fmt.Sprintf(" (in %d files like it)", n+1)
	}
	return out, nil
}
