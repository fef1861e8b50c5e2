package logdiff

import (
	"fmt"
	"slices"
	"strings"
)

// ConfigEntry is one item of a run's configuration: an environment
// variable of the job's container, its image, an argument, a label, a ref.
type ConfigEntry struct {
	Section string // "env", "image", "arg", "label", "ref", "commit", ...
	Key     string
	Value   string
	// Source says where it was read ("prowjob.json", "started.json").
	Source string
}

// CompareConfig returns a finding for each configuration item that the
// passing runs agree on and the failing run lacks or sets otherwise, and
// for each item only the failing run has. Items the passing runs disagree
// on (a commit that moves every run) are volatile: only refs and commits
// among them are reported, low, against the newest baseline (index 0).
func CompareConfig(baselines [][]ConfigEntry, failing []ConfigEntry) []Finding {
	type id struct{ section, key string }
	index := func(es []ConfigEntry) map[id]ConfigEntry {
		m := make(map[id]ConfigEntry, len(es))
		for _, e := range es {
			m[id{e.Section, e.Key}] = e
		}
		return m
	}
	f := index(failing)
	bs := make([]map[id]ConfigEntry, len(baselines))
	all := map[id]bool{}
	for i, b := range baselines {
		bs[i] = index(b)
		for k := range bs[i] {
			all[k] = true
		}
	}
	for k := range f {
		all[k] = true
	}
	keys := make([]id, 0, len(all))
	for k := range all {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b id) int {
		if c := strings.Compare(a.section, b.section); c != 0 {
			return c
		}
		return strings.Compare(a.key, b.key)
	})
	var out []Finding
	for _, k := range keys {
		fe, inF := f[k]
		var first ConfigEntry
		agree, inAll, inNone := true, true, true
		for i, b := range bs {
			e, ok := b[k]
			if !ok {
				inAll = false
				agree = agree && i == 0 // absent in some: no agreement unless absent everywhere
				continue
			}
			inNone = false
			if i == 0 {
				first = e
			} else if e.Value != first.Value {
				agree = false
			}
		}
		if !inAll && !inNone {
			agree = false
		}
		if len(bs) == 0 {
			continue
		}
		var ch *ConfigChange
		switch {
		case inNone && inF:
			ch = &ConfigChange{Source: fe.Source, Key: k.key, Failing: fe.Value, InFailing: true}
		case inAll && agree && !inF:
			ch = &ConfigChange{Source: first.Source, Key: k.key, Baseline: first.Value, InBaseline: true}
		case inAll && agree && inF && fe.Value != first.Value:
			ch = &ConfigChange{Source: first.Source, Key: k.key, Baseline: first.Value, InBaseline: true, Failing: fe.Value, InFailing: true}
		case !agree && (k.section == "ref" || k.section == "commit"):
			if b, ok := bs[0][k]; ok && inF && b.Value != fe.Value {
				ch = &ConfigChange{Source: b.Source, Key: k.key, Baseline: b.Value, InBaseline: true, Failing: fe.Value, InFailing: true}
			}
		}
		if ch == nil {
			continue
		}
		out = append(out, configFinding(k.section, ch, agree))
	}
	return mergeUnsetEnv(out)
}

// UnsetEnv reports a configuration finding of environment variables that
// the passing runs set and the failing run lacks.
func (f *Finding) UnsetEnv() bool {
	return f.Kind == Config && f.Config != nil && f.Config.Section == "env" && !f.Config.InFailing
}

// mergeUnsetEnv makes one finding of the environment variables the failing
// run lacks: a preset removed takes several at once, and it is one cause.
func mergeUnsetEnv(fs []Finding) []Finding {
	var out []Finding
	first := -1
	for _, f := range fs {
		if !f.UnsetEnv() {
			out = append(out, f)
			continue
		}
		if first < 0 {
			first = len(out)
			out = append(out, f)
			continue
		}
		m := &out[first]
		m.Lines = append(m.Lines, f.Lines...)
		m.Settings = append(m.Settings, f.Settings...)
		m.Key += "," + f.Config.Key
		m.Summary = unsetEnvSummary(m)
	}
	return out
}

// unsetEnvSummary says which variables a merged finding holds.
func unsetEnvSummary(f *Finding) string {
	var names []string
	for _, s := range f.Settings {
		names = append(names, s.Key+"="+s.Baseline)
	}
	return fmt.Sprintf("env %s are set in the passing runs and not in the failing run (%s)", strings.Join(names, ", "), f.Config.Source)
}

func configFinding(section string, ch *ConfigChange, agree bool) Finding {
	name := section + " " + ch.Key
	ch.Section = section
	if section != "env" {
		ch.Key = name // "image test", "label preset-windows-gce": the key alone says too little
	}
	var summary string
	switch {
	case !ch.InFailing:
		summary = fmt.Sprintf("%s=%s is set in the passing runs and not in the failing run", name, ch.Baseline)
	case !ch.InBaseline:
		summary = fmt.Sprintf("%s=%s is set in the failing run only", name, ch.Failing)
	default:
		summary = fmt.Sprintf("%s changed: %s → %s", name, ch.Baseline, ch.Failing)
	}
	if ch.Source != "" {
		summary += " (" + ch.Source + ")"
	}
	score := configScore(section, ch, agree)
	// The lines say what was set on each side, for readers of the JSON.
	var lines []Line
	if ch.InBaseline {
		lines = append(lines, Line{Side: SideBaseline, Text: ch.Key + "=" + ch.Baseline})
	}
	if ch.InFailing {
		lines = append(lines, Line{Side: SideFailing, Text: ch.Key + "=" + ch.Failing})
	}
	f := Finding{
		Kind:     Config,
		Score:    score,
		Summary:  summary,
		Settings: []ConfigChange{*ch},
		Lines:    lines,
		Key:      "config: " + name,
	}
	f.Config = &f.Settings[0] // the first setting, for readers of version 1
	return f
}

// AddConfig adds configuration findings (CompareConfig's) to the report's
// log findings. An environment variable that the logs' own environment
// dump already shows missing is left out: one fact, told once, by the log
// finding, which shows where. Call Rerank after adding findings.
func (r *Report) AddConfig(cfg []Finding) {
	seen := map[string]bool{}
	for _, f := range r.Findings {
		if f.Kind == Missing {
			for _, l := range f.Lines {
				seen[l.Text] = true
			}
		}
	}
	for _, f := range cfg {
		if f.UnsetEnv() {
			var kept []ConfigChange
			var lines []Line
			for i, s := range f.Settings {
				if !seen[s.Key+"="+s.Baseline] {
					kept = append(kept, s)
					lines = append(lines, f.Lines[i])
				}
			}
			if len(kept) == 0 {
				continue
			}
			if len(kept) < len(f.Settings) {
				f.Settings, f.Lines = kept, lines
				f.Config = &f.Settings[0]
				if len(kept) > 1 {
					f.Summary = unsetEnvSummary(&f)
				} else {
					f.Summary = configFinding("env", &kept[0], true).Summary
				}
			}
		}
		r.Findings = append(r.Findings, f)
	}
}
