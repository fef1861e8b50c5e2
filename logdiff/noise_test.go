package logdiff

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/logdiff/logdiff/logdiff/internal/evaldata"
)

// A passing run diffed against other passing runs of the same job should
// give next to nothing once volatile tokens are masked: what it gives is
// noise. noiseComparison is one such diff: a passing log and the passing
// logs it is compared with, nearest first.
type noiseComparison struct {
	name      string
	failing   string
	baselines []string
}

// noiseSource is a set of passing runs, compared with one baseline and
// with three.
type noiseSource struct {
	name  string
	note  string
	one   []noiseComparison
	three []noiseComparison
	// target: "zero" (no finding in any comparison, both counts) or
	// "median3" (median zero with three baselines)
	target string
}

type noiseRow struct {
	source, note, target string
	nb                   int
	findings             map[string][]float64 // by engine
	lines                map[string][]float64 // by engine, and plain diff
}

type noiseReport struct{ rows []noiseRow }

// evalNoise diffs the passing runs of every source that has enough of
// them: the sample's, the Ozone nightlies' (per check), and the BugSwarm
// projects' (passing jobs of other commits: much of what differs is real).
func evalNoise(t *testing.T, engines []evalEngine, dump string) *noiseReport {
	var sources []noiseSource
	sources = append(sources, sampleNoise())
	for _, load := range []struct {
		name string
		load func(*testing.T) noiseSource
	}{{"ozone", ozoneNoise}, {"bugswarm-dissection", dissectionNoise}, {"bugswarm-pairs", bugswarmPairsNoise}} {
		var src noiseSource
		t.Run("noise "+load.name, func(t *testing.T) { src = load.load(t) })
		if len(src.one) > 0 {
			sources = append(sources, src)
		}
	}
	rep := &noiseReport{}
	for _, src := range sources {
		for _, c := range []struct {
			nb   int
			comp []noiseComparison
		}{{1, src.one}, {3, src.three}} {
			if len(c.comp) == 0 {
				continue
			}
			row := noiseRow{source: src.name, note: src.note, target: src.target, nb: c.nb,
				findings: map[string][]float64{}, lines: map[string][]float64{}}
			var tsv strings.Builder
			fmt.Fprintln(&tsv, "comparison\tfailing\tbaselines\tfindings\tlines\ttop findings")
			for _, cmp := range c.comp {
				p := evalPair{name: cmp.name, failing: cmp.failing, baselines: cmp.baselines}
				for _, e := range engines {
					fs := runLogdiff(t, p, e, c.nb)
					n := 0
					for _, f := range fs {
						n += len(f.Lines)
					}
					row.findings[e.name] = append(row.findings[e.name], float64(len(fs)))
					row.lines[e.name] = append(row.lines[e.name], float64(n))
					if dump != "" && e.name == "logdiff" {
						var top []string
						for _, f := range fs[:min(3, len(fs))] {
							top = append(top, fmt.Sprintf("#%d %s %.2f %s", len(top)+1, f.Kind, f.Score, f.Summary))
						}
						fmt.Fprintf(&tsv, "%s\t%s\t%s\t%d\t%d\t%s\n", cmp.name, cmp.failing, strings.Join(cmp.baselines[:c.nb], " "), len(fs), n, strings.Join(top, " | "))
					}
				}
				fs, err := evaldata.PlainDiff(cmp.baselines[0], cmp.failing)
				if err != nil {
					t.Fatal(err)
				}
				n := 0
				for _, f := range fs {
					n += len(f.Lines)
				}
				row.lines[plainDiff] = append(row.lines[plainDiff], float64(n))
			}
			rep.rows = append(rep.rows, row)
			if dump != "" {
				name := filepath.Join(dump, safeName(fmt.Sprintf("noise %s %d", src.name, c.nb))+".tsv")
				if err := os.WriteFile(name, []byte(tsv.String()), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	return rep
}

func (r noiseRow) mark(engine string) string {
	f := r.findings[engine]
	switch {
	case r.target == "zero":
		return evaldata.AtMost(0, "0").Mark(slices.Max(f))
	case r.target == "median3" && r.nb == 3:
		return evaldata.AtMost(0, "0").Mark(evaldata.Median(f))
	}
	return ""
}

func (r noiseRow) targetText() string {
	switch {
	case r.target == "zero":
		return "0 in every comparison"
	case r.target == "median3" && r.nb == 3:
		return "median 0"
	}
	return ""
}

func mean(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

func zeroShare(v []float64) float64 {
	z := 0
	for _, x := range v {
		if x == 0 {
			z++
		}
	}
	return float64(z) / float64(max(len(v), 1))
}

func (rep *noiseReport) table() string {
	tb := evaldata.Table{Header: []string{"passing vs passing", "baselines", "comparisons",
		"findings median", "mean", "max", "none (share)", "no rules: median", "lines median", "plain diff lines median", "target"}}
	var notes []string
	for _, r := range rep.rows {
		f := r.findings["logdiff"]
		tgt := r.targetText()
		if tgt != "" {
			tgt += " " + r.mark("logdiff")
		}
		tb.Add(r.source, fmt.Sprint(r.nb), fmt.Sprint(len(f)), evaldata.Med(evaldata.Median(f)), evaldata.Num(mean(f), 1),
			evaldata.Med(slices.Max(f)), share(zeroShare(f)), evaldata.Med(evaldata.Median(r.findings["no rules"])),
			evaldata.Med(evaldata.Median(r.lines["logdiff"])), evaldata.Med(evaldata.Median(r.lines[plainDiff])), tgt)
		if r.nb == 1 && r.note != "" {
			notes = append(notes, r.source+": "+r.note)
		}
	}
	return "== noise: findings between passing runs of one job (logdiff: the default engine)\n" +
		strings.Join(notes, "\n") + "\n" + tb.String()
}

// summary is the noise part of the summary: the default engine's findings.
func (rep *noiseReport) summary() string {
	tb := evaldata.Table{Header: []string{"noise (logdiff default)", "baselines", "findings median", "max", "target"}}
	for _, r := range rep.rows {
		f := r.findings["logdiff"]
		tgt := r.targetText()
		if tgt != "" {
			tgt += " " + r.mark("logdiff")
		}
		tb.Add(r.source, fmt.Sprint(r.nb), evaldata.Med(evaldata.Median(f)), evaldata.Med(slices.Max(f)), tgt)
	}
	return tb.String()
}

// sampleNoise: every pair of the sample's passing runs with one baseline
// (the newer against the older), and each passing run against the other
// three.
func sampleNoise() noiseSource {
	src := noiseSource{name: "sample", target: "zero", note: "the bundled sample's 4 passing runs: every pair; each against the other three"}
	log := func(id string) string { return filepath.Join(sampleJob, id, "build-log.txt") }
	for i, a := range samplePassing { // newest first
		for _, b := range samplePassing[i+1:] {
			src.one = append(src.one, noiseComparison{name: a + " vs " + b, failing: log(a), baselines: []string{log(b)}})
		}
		var bs []string
		for _, b := range samplePassing {
			if b != a {
				bs = append(bs, log(b))
			}
		}
		src.three = append(src.three, noiseComparison{name: a + " vs the others", failing: log(a), baselines: bs})
	}
	return src
}

// ozoneNoise: each passing check of each night against the nearest other
// passing night of the check, and against the nearest three.
func ozoneNoise(t *testing.T) noiseSource {
	root := sharedData(t, "ozone-ci")
	nights, err := evaldata.OzoneNights(root)
	if err != nil {
		t.Fatal(err)
	}
	src := noiseSource{name: "ozone", target: "median3", note: "every passing check of every night against the nearest passing nights of the same check (a new image or JDK between nights is a true finding)"}
	for i, n := range nights {
		for _, check := range sortedChecks(n) {
			if n.Checks[check] != "success" {
				continue
			}
			bs := evaldata.NearestPassing(nights, i, check, 3)
			var logs []string
			for _, b := range bs {
				logs = append(logs, b.Log(check))
			}
			name := n.Name + "/" + check
			if len(logs) >= 1 {
				src.one = append(src.one, noiseComparison{name: name, failing: n.Log(check), baselines: logs[:1]})
			}
			if len(logs) == 3 {
				src.three = append(src.three, noiseComparison{name: name, failing: n.Log(check), baselines: logs})
			}
		}
	}
	return src
}

// projectNoise groups passing logs by project (the pair's name without its
// job id), oldest first, and compares each with the one before it, and
// with the three before it.
func projectNoise(name, note string, logs map[string][]string) noiseSource {
	src := noiseSource{name: name, note: note}
	for _, p := range sortedKeys(logs) {
		ls := logs[p]
		for i := 1; i < len(ls); i++ {
			src.one = append(src.one, noiseComparison{name: p, failing: ls[i], baselines: []string{ls[i-1]}})
			if i >= 3 {
				src.three = append(src.three, noiseComparison{name: p, failing: ls[i], baselines: []string{ls[i-1], ls[i-2], ls[i-3]}})
			}
		}
	}
	return src
}

var jobIDSuffix = regexp.MustCompile(`-(\d+)$`)

func dissectionNoise(t *testing.T) noiseSource {
	dir := sharedData(t, "bugswarm-dissection/BugSwarm")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	logs := map[string][]string{}
	for _, e := range entries { // names sort by project, then job id of equal length
		if e.IsDir() {
			p := jobIDSuffix.ReplaceAllString(e.Name(), "")
			logs[p] = append(logs[p], filepath.Join(dir, e.Name(), "passing.log"))
		}
	}
	for p, ls := range logs {
		slices.SortFunc(ls, func(a, b string) int { return jobOrder(a, b) })
		logs[p] = ls
	}
	return projectNoise("bugswarm-dissection", "passing jobs of one project at other commits, months apart: much of what differs is real", logs)
}

func bugswarmPairsNoise(t *testing.T) noiseSource {
	dir := sharedData(t, "bugswarm-pairs")
	logs := map[string][]string{}
	for _, r := range bugswarmPairs(t, dir) {
		p := jobIDSuffix.ReplaceAllString(r[0], "")
		logs[p] = append(logs[p], r[2])
	}
	for p, ls := range logs {
		slices.SortFunc(ls, func(a, b string) int { return jobOrder(a, b) })
		logs[p] = ls
	}
	return projectNoise("bugswarm-pairs", "passing jobs of one project at other commits: much of what differs is real", logs)
}

// jobOrder orders logs by the Travis job id in their directory's name.
func jobOrder(a, b string) int {
	id := func(p string) string {
		m := jobIDSuffix.FindStringSubmatch(filepath.Base(filepath.Dir(p)))
		if m == nil {
			return p
		}
		return fmt.Sprintf("%020s", m[1])
	}
	return strings.Compare(id(a), id(b))
}
