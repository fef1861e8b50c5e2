// Package compare compares runs of a job that are on local disk: their
// build logs, configurations and artifacts, ranked together. The CLI's
// job and diff commands and the sweep share it.
package compare

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/logdiff/logdiff/fetch"
	"github.com/logdiff/logdiff/logdiff"
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
}

// ViewURL links a run to Prow's view of it, where it came from GCS.
func ViewURL(s fetch.Store, b fetch.Build) string {
	u := s.URL(b.Dir)
	if rest, ok := strings.CutPrefix(u, "gs://"); ok {
		return "https://prow.k8s.io/view/gs/" + rest
	}
	return ""
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
		bs = append(bs, runInput(b, b.Build.Name()+"/"+path.Base(b.Log)))
	}
	report, err := logdiff.Diff(ctx, runInput(rr.Failing, rr.Failing.Build.Name()+"/"+path.Base(rr.Failing.Log)), bs, opts)
	if err != nil {
		return nil, err
	}
	report.Rules = rr.Rules
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
	report.Findings = append(report.Findings, dropSeenEnv(report.Findings, logdiff.CompareConfig(cfgs, configEntries(rr.Failing.Build)))...)
	arts, err := compareArtifacts(ctx, rr, opts)
	if err != nil {
		return nil, err
	}
	report.Findings = append(report.Findings, arts...)
	logdiff.Rerank(report.Findings)
	return report, nil
}

// dropSeenEnv leaves out the configuration findings of environment
// variables that the logs' own environment dumps already show as missing:
// one fact, told once (the log finding shows where).
func dropSeenEnv(logFindings, cfg []logdiff.Finding) []logdiff.Finding {
	seen := map[string]bool{}
	for _, f := range logFindings {
		if f.Kind != logdiff.Missing {
			continue
		}
		for _, l := range f.Lines {
			seen[l.Text] = true
		}
	}
	var out []logdiff.Finding
	for _, f := range cfg {
		if f.Config != nil && strings.HasPrefix(f.Key, "config: env ") && !f.Config.InFailing {
			var kept []logdiff.Line
			for _, l := range f.Lines {
				if !seen[l.Text] {
					kept = append(kept, l)
				}
			}
			if len(kept) == 0 {
				continue
			}
			f.Lines = kept
		}
		out = append(out, f)
	}
	return out
}

// configEntries turns a run's settings into configuration entries. An
// argument's flag becomes part of its key, so that the container's
// arguments compare one by one.
func configEntries(b fetch.Build) []logdiff.ConfigEntry {
	var out []logdiff.ConfigEntry
	for _, s := range b.Config() {
		e := logdiff.ConfigEntry{Section: s.Section, Key: s.Key, Value: s.Value, Source: "prowjob.json"}
		switch s.Section {
		case "ref", "commit", "pull", "metadata":
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
// files of several nodes is one finding.
func compareArtifacts(ctx context.Context, rr *Runs, opts logdiff.Options) ([]logdiff.Finding, error) {
	norm := logdiff.NewNormalizer(nil)
	key := func(p string) string {
		k, _ := norm.Key(nil, []byte(p))
		return string(k)
	}
	var out []logdiff.Finding
	seen := map[string]int{} // finding key -> index in out
	times := map[int]int{}
	for _, fa := range rr.Failing.Artifacts {
		k := key(fa)
		var bs []logdiff.Input
		var runIndex []int // baseline index in rr of each input
		var names []string
		for i, b := range rr.Baselines {
			for _, ba := range b.Artifacts {
				if key(ba) == k {
					in := logdiff.FileInput(path.Join(b.Dir, ba))
					in.Name = b.Build.Name() + "/" + ba
					bs = append(bs, in)
					runIndex = append(runIndex, i)
					names = append(names, ba)
					break
				}
			}
		}
		if len(bs) == 0 {
			continue
		}
		in := logdiff.FileInput(path.Join(rr.Failing.Dir, fa))
		in.Name = rr.Failing.Build.Name() + "/" + fa
		r, err := logdiff.Diff(ctx, in, bs, opts)
		if err != nil {
			if errors.Is(err, logdiff.ErrEmpty) || errors.Is(err, logdiff.ErrBinary) {
				if rr.Warn != nil {
					rr.Warn(fmt.Sprintf("left out %s: %v", fa, err))
				}
				continue // an empty or binary artifact has no lines to compare
			}
			return nil, err
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
