package logdiff

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/logdiff/logdiff/logdiff/internal/evaldata"
	"github.com/logdiff/logdiff/patterns"
)

// `make eval` runs TestEval: on every labelled set of real CI logs in
// ../shared/data (and the bundled sample), what a reader of logdiff's
// ranked report gets, like for like with plain diff on the same inputs.
// It prints; it fails only when a pair cannot be read. With
// -args -dump=DIR (or LOGDIFF_EVAL_DUMP=DIR) it also writes, for each pair,
// where the cause ranked and the top 5 findings, for studying misses.
var evalDump = flag.String("dump", "", "eval: write each pair's top findings and where its cause ranked into this directory")

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

// evalPair is one failing log with its baselines (nearest first) and what
// is known of its cause.
type evalPair struct {
	name      string
	failing   string
	baselines []string
	truth     evaldata.Truth
	causeText map[int]string
}

// evalEngine is a way of running logdiff.
type evalEngine struct {
	name string
	opts Options
}

// evalEngines are the CLI's default (every built-in rule pack) and no
// rules at all.
func evalEngines(t testing.TB) []evalEngine {
	rules := allPacks(t)
	return []evalEngine{
		{"logdiff", Options{Normalizer: NewNormalizer(rules), Knowledge: rules}},
		{"no rules", Options{}},
	}
}

const plainDiff = "plain diff"

// toEval turns a report into the findings the measures read.
func toEval(r *Report) []evaldata.Finding {
	out := make([]evaldata.Finding, len(r.Findings))
	for i, f := range r.Findings {
		ef := evaldata.Finding{Kind: string(f.Kind), Score: f.Score, Summary: f.Summary}
		for _, l := range f.Lines {
			ef.Lines = append(ef.Lines, evaldata.Line{Baseline: l.Side == SideBaseline, N: l.N, Text: l.Text})
		}
		out[i] = ef
	}
	return out
}

// runLogdiff diffs the failing log against its first nb baselines.
func runLogdiff(t testing.TB, p evalPair, e evalEngine, nb int) []evaldata.Finding {
	t.Helper()
	var bs []Input
	for _, b := range p.baselines[:min(nb, len(p.baselines))] {
		bs = append(bs, FileInput(b))
	}
	r, err := Diff(context.Background(), FileInput(p.failing), bs, e.opts)
	if err != nil {
		t.Fatalf("%s: %v", p.name, err)
	}
	return toEval(r)
}

// shownTexts reads a log's lines as logdiff shows them (ANSI codes
// stripped, carriage-return redraws resolved); texts[i] is line i+1.
func shownTexts(t testing.TB, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var texts []string
	_, err = scanLines(f, ScanOptions{}, func(n int, line []byte) error {
		for len(texts) < n-1 {
			texts = append(texts, "")
		}
		texts = append(texts, string(line))
		return nil
	})
	if err != nil {
		t.Fatalf("reading %s: %v", path, err)
	}
	return texts
}

func causeTexts(texts []string, cause map[int]bool) map[int]string {
	m := map[int]string{}
	for n := range cause {
		if n-1 < len(texts) {
			m[n] = texts[n-1]
		}
	}
	return m
}

// evalVariant is a set measured with a given number of baselines.
type evalVariant struct {
	set   string // the set's name, as in the summary
	title string // what the set is and how it is compared
	nb    int    // baselines per pair (fewer where a pair has fewer)
	pairs []evalPair
	// results by engine ("logdiff", "no rules", "plain diff")
	results map[string][]evaldata.Result
	// published figures, by metric (CiDiff's paper)
	published map[string]string
}

// measure runs every engine and plain diff on every pair of the variant,
// and writes the dump when asked.
func (v *evalVariant) measure(t *testing.T, engines []evalEngine, dump string) {
	v.results = map[string][]evaldata.Result{}
	var tsv strings.Builder
	if dump != "" {
		fmt.Fprintln(&tsv, "pair\tengine\tfirst_rank\tlines_read\tcauses\tfound\trecall\tprecision\tfindings\tlines\tfailing_lines")
	}
	for _, p := range v.pairs {
		row := func(engine string, r evaldata.Result) {
			v.results[engine] = append(v.results[engine], r)
			if dump != "" {
				fmt.Fprintf(&tsv, "%s\t%s\t%d\t%s\t%d\t%d\t%.3f\t%s\t%d\t%d\t%d\n", p.name, engine, r.FirstRank, evaldata.Num(r.LinesRead(), 0),
					r.Units, r.Found, r.Recall(), evaldata.Num(r.Precision(), 3), r.Findings, r.Lines, r.Reported)
			}
		}
		for k, e := range engines {
			fs := runLogdiff(t, p, e, v.nb)
			r := evaldata.Measure(fs, p.truth)
			row(e.name, r)
			if dump != "" && k == 0 {
				writeDump(t, dump, v.set, p, fs, r, fmt.Sprintf("%s: %s\nengine: %s (all built-in rule packs), %d baseline(s)\nfailing: %s\nbaselines: %s",
					v.set, p.name, e.name, min(v.nb, len(p.baselines)), p.failing, strings.Join(p.baselines[:min(v.nb, len(p.baselines))], " ")))
			}
		}
		fs, err := evaldata.PlainDiff(p.baselines[0], p.failing)
		if err != nil {
			t.Fatal(err)
		}
		row(plainDiff, evaldata.Measure(fs, p.truth))
	}
	if dump != "" {
		name := filepath.Join(dump, safeName(v.set)+".tsv")
		if err := os.WriteFile(name, []byte(tsv.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func writeDump(t *testing.T, dir, set string, p evalPair, fs []evaldata.Finding, r evaldata.Result, title string) {
	d := filepath.Join(dir, safeName(set))
	if err := os.MkdirAll(d, 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(d, safeName(p.name)+".txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	err = evaldata.WriteDump(f, evaldata.DumpPair{Title: title, Findings: fs, Truth: p.truth, Result: r, CauseText: p.causeText}, 5)
	if err != nil {
		t.Fatal(err)
	}
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

func safeName(s string) string { return strings.Trim(unsafeName.ReplaceAllString(s, "_"), "_") }

// The targets of issue 11, for the CLI's default engine.
var (
	targetFirst     = evaldata.AtLeast(0.90, "≥ 0.90")
	targetWithin5   = evaldata.AtLeast(0.95, "≥ 0.95")
	targetRecall    = evaldata.AtLeast(0.99, "≥ 0.99")
	targetPrecision = evaldata.AtLeast(0.80, "≥ 0.80")
)

// evalMetric is one row of a set's table.
type evalMetric struct {
	key    string // for published figures
	name   string
	value  func(evaldata.Summary) float64
	format func(float64) string
	target evaldata.Target
}

func share(v float64) string { return evaldata.Num(v, 2) }
func ratio(v float64) string { return evaldata.Num(v, 3) }

var evalMetrics = []evalMetric{
	{"pairs", "pairs", func(s evaldata.Summary) float64 { return float64(s.Pairs) }, evaldata.Med, evaldata.Target{}},
	{"first", "first finding states the cause (share of pairs)", func(s evaldata.Summary) float64 { return s.First }, share, targetFirst},
	{"read", "lines read to the first cause line (median)", func(s evaldata.Summary) float64 { return s.MedianRead }, evaldata.Med, evaldata.Target{}},
	{"within5", "a cause line within the first 5 lines read (share)", func(s evaldata.Summary) float64 { return s.Within5 }, share, targetWithin5},
	{"recall", "recall of cause lines, mean over pairs", func(s evaldata.Summary) float64 { return s.RecallMean }, ratio, targetRecall},
	{"recall-pooled", "recall of cause lines, pooled", func(s evaldata.Summary) float64 { return s.RecallPooled }, ratio, evaldata.Target{}},
	{"precision", "precision, mean over pairs", func(s evaldata.Summary) float64 { return s.PrecisionMean }, ratio, targetPrecision},
	{"precision-pooled", "precision, pooled", func(s evaldata.Summary) float64 { return s.PrecisionPooled }, ratio, evaldata.Target{}},
	{"findings", "findings per pair (median)", func(s evaldata.Summary) float64 { return s.MedianFindings }, evaldata.Med, evaldata.Target{}},
	{"reported", "failing lines reported per pair (median)", func(s evaldata.Summary) float64 { return s.MedianReported }, evaldata.Med, evaldata.Target{}},
	{"lines", "lines of all findings per pair, both sides (median)", func(s evaldata.Summary) float64 { return s.MedianLines }, evaldata.Med, evaldata.Target{}},
}

// table prints a variant's figures for each engine, plain diff and the
// published figures, with the targets marked on the default engine.
func (v *evalVariant) table() string {
	cols := []string{"logdiff", "no rules", plainDiff}
	sums := map[string]evaldata.Summary{}
	for _, c := range cols {
		sums[c] = evaldata.Summarize(v.results[c])
	}
	tb := evaldata.Table{Header: []string{"metric", "logdiff", "no rules", plainDiff}}
	if v.published != nil {
		tb.Header = append(tb.Header, "CiDiff (paper)")
	}
	tb.Header = append(tb.Header, "target")
	for _, m := range evalMetrics {
		row := []string{m.name}
		for _, c := range cols {
			row = append(row, m.format(m.value(sums[c])))
		}
		if v.published != nil {
			row = append(row, v.published[m.key])
		}
		tgt := ""
		if m.target.Text != "" {
			tgt = m.target.Text + " " + m.target.Mark(m.value(sums["logdiff"]))
		}
		row = append(row, tgt)
		tb.Add(row...)
	}
	return fmt.Sprintf("== %s\n%s\n%s", v.set, v.title, tb.String())
}

// report prints in verbose runs (make eval) and logs otherwise, so
// `go test ./...` stays quiet.
func report(t *testing.T, s string) {
	if testing.Verbose() {
		fmt.Print(s + "\n")
		return
	}
	t.Log(s)
}

// TestEval measures every set and prints one table per set, the noise
// between passing runs, and a summary (set × metric) with the targets.
func TestEval(t *testing.T) {
	if testing.Short() {
		t.Skip("the eval diffs some 600 pairs of real logs: make eval runs it")
	}
	dump := *evalDump
	if dump == "" {
		dump = os.Getenv("LOGDIFF_EVAL_DUMP")
	}
	if dump != "" {
		if err := os.MkdirAll(dump, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	engines := evalEngines(t)
	report(t, fmt.Sprintf(`How it is counted. A cause line states what broke (labelled per set, below). "Lines
read" counts the lines of the findings in rank order, both sides, up to and including the first
cause line; a pair whose cause is not reported counts as ∞. Recall and precision are taken per
pair, then averaged over pairs (CiDiff's way: each pair counts once) or pooled over all lines of
all pairs (labelled "pooled"). Precision is the share of the failing run's reported lines that
are cause or context lines. Plain diff: %s of the raw failing log against
its nearest baseline, each hunk a finding, in file order. logdiff: the CLI's default (every
built-in rule pack); "no rules": none.
`, evaldata.PlainDiffTool()))
	var variants []*evalVariant
	sets := []struct {
		name string
		load func(*testing.T) []*evalVariant
	}{{"cidiff", cidiffSet}, {"bugswarm-dissection", dissectionSet}, {"bugswarm-pairs", bugswarmPairsSet}, {"ozone", ozoneSet}, {"sample", sampleSet}}
	for _, set := range sets {
		var vs []*evalVariant
		ok := t.Run(set.name, func(t *testing.T) { vs = set.load(t) })
		if !ok {
			t.FailNow()
		}
		for _, v := range vs {
			if len(v.pairs) == 0 {
				continue
			}
			v.measure(t, engines, dump)
			report(t, v.table())
			variants = append(variants, v)
		}
	}
	noise := evalNoise(t, engines, dump)
	report(t, noise.table())
	report(t, evalSummary(variants, noise))
}

// evalSummary is the set × metric table of the default engine, with an
// "all labelled" column that counts every labelled pair once (with three
// baselines where a set has that variant).
func evalSummary(variants []*evalVariant, noise *noiseReport) string {
	tb := evaldata.Table{Header: []string{"logdiff (default)"}}
	sums := make([]evaldata.Summary, len(variants))
	var all []evaldata.Result
	seen := map[string]bool{}
	for i := len(variants) - 1; i >= 0; i-- {
		v := variants[i]
		sums[i] = evaldata.Summarize(v.results["logdiff"])
		base := strings.SplitN(v.set, ",", 2)[0]
		if !seen[base] { // the last variant of a set is its three-baseline one
			seen[base] = true
			all = append(all, v.results["logdiff"]...)
		}
	}
	for _, v := range variants {
		tb.Header = append(tb.Header, v.set)
	}
	tb.Header = append(tb.Header, "all labelled", "target")
	allSum := evaldata.Summarize(all)
	for _, m := range evalMetrics {
		row := []string{m.name}
		for i := range variants {
			row = append(row, m.format(m.value(sums[i]))+m.target.Mark(m.value(sums[i])))
		}
		row = append(row, m.format(m.value(allSum))+m.target.Mark(m.value(allSum)), m.target.Text)
		tb.Add(row...)
	}
	return "== summary (✓/✗: the target of issue 11 met or not)\n" + tb.String() + noise.summary()
}

// cidiffSet is the 36 labelled CiDiff pairs (one baseline each): the
// cause lines are the `E` lines, precision counts `E` and `C` lines.
func cidiffSet(t *testing.T) []*evalVariant {
	dir := sharedData(t, "cidiff/breakages")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	v := &evalVariant{
		set: "cidiff", nb: 1,
		title: "CiDiff's labelled pass/fail pairs (Jenkins+Maven, GitHub Actions): cause = the `E` lines of `groundtruth`, precision against `E`+`C`; one baseline",
		published: map[string]string{
			"recall": "~0.99", "precision": "~0.5", "reported": "~35 (diff ~330)",
		},
	}
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
		useful := map[int]bool{}
		for n := range gt.e {
			useful[n] = true
		}
		for n := range gt.c {
			useful[n] = true
		}
		v.pairs = append(v.pairs, evalPair{
			name: e.Name(), failing: failLog, baselines: []string{filepath.Join(d, "pass.log")},
			truth:     evaldata.Truth{Cause: gt.e, Useful: useful},
			causeText: causeTexts(shownTexts(t, failLog), gt.e),
		})
	}
	return []*evalVariant{v}
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

// labelledPair builds a pair from a labels file, failing the test when a
// cause pattern matches nothing (TestEvalLabels says which).
func labelledPair(t *testing.T, l *evaldata.Labels, name, failing, baseline string) evalPair {
	texts := shownTexts(t, failing)
	truth, unmatched, err := l.Truth(name, texts)
	if err != nil {
		t.Fatal(err)
	}
	if len(unmatched) > 0 {
		t.Fatalf("%s: cause patterns match no line of %s: %q", name, failing, unmatched)
	}
	return evalPair{name: name, failing: failing, baselines: []string{baseline}, truth: truth, causeText: causeTexts(texts, truth.Cause)}
}

const (
	dissectionLabels    = "../testdata/eval/bugswarm-dissection.yaml"
	bugswarmPairsLabels = "../testdata/eval/bugswarm-pairs.yaml"
)

// dissectionSet is the 57 BugSwarm-dissection pairs, labelled by hand.
func dissectionSet(t *testing.T) []*evalVariant {
	dir := sharedData(t, "bugswarm-dissection/BugSwarm")
	l, err := evaldata.LoadLabels(dissectionLabels)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	v := &evalVariant{set: "bugswarm-dissection", nb: 1}
	total := 0
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		total++
		if l.Pairs[e.Name()] == nil {
			continue
		}
		d := filepath.Join(dir, e.Name())
		v.pairs = append(v.pairs, labelledPair(t, l, e.Name(), filepath.Join(d, "failing.log"), filepath.Join(d, "passing.log")))
	}
	v.title = fmt.Sprintf("BugSwarm-dissection Travis pairs (Java, Python), %d labelled of %d (%s%s); one baseline: the passing job of the fixing commit",
		len(v.pairs), total, dissectionLabels[3:], skippedText(l))
	return []*evalVariant{v}
}

// skippedText names the pairs a labels file leaves out.
func skippedText(l *evaldata.Labels) string {
	if len(l.Skipped) == 0 {
		return ""
	}
	return "; skipped, see the file: " + strings.Join(sortedKeys(l.Skipped), ", ")
}

// bugswarmPairs reads pairs.csv: pair, failed log, passed log, passed job id.
func bugswarmPairs(t testing.TB, dir string) [][4]string {
	f, err := os.Open(filepath.Join(dir, "pairs.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", f.Name(), err)
	}
	var out [][4]string
	for _, r := range rows[1:] {
		if len(r) < 9 {
			t.Fatalf("%s: a row of %d fields, want 9: %q", f.Name(), len(r), r)
		}
		out = append(out, [4]string{r[0], filepath.Join(dir, r[2]), filepath.Join(dir, r[6]), r[5]})
	}
	return out
}

// bugswarmPairsSet is the 18 BugSwarm pairs, labelled by hand.
func bugswarmPairsSet(t *testing.T) []*evalVariant {
	dir := sharedData(t, "bugswarm-pairs")
	l, err := evaldata.LoadLabels(bugswarmPairsLabels)
	if err != nil {
		t.Fatal(err)
	}
	v := &evalVariant{set: "bugswarm-pairs", nb: 1}
	rows := bugswarmPairs(t, dir)
	for _, r := range rows {
		if l.Pairs[r[0]] != nil {
			v.pairs = append(v.pairs, labelledPair(t, l, r[0], r[1], r[2]))
		}
	}
	v.title = fmt.Sprintf("BugSwarm Travis pairs (Java, Maven/Gradle), %d labelled of %d (%s%s); one baseline: the passing job",
		len(v.pairs), len(rows), bugswarmPairsLabels[3:], skippedText(l))
	return []*evalVariant{v}
}

// ozoneSet is every failing check of the Ozone nightlies whose cause can
// be derived (evaldata.OzoneCause), against the nearest passing nights of
// the same check: one, and three (fewer where the check passed fewer
// nights).
func ozoneSet(t *testing.T) []*evalVariant {
	root := sharedData(t, "ozone-ci")
	nights, err := evaldata.OzoneNights(root)
	if err != nil {
		t.Fatal(err)
	}
	var pairs []evalPair
	skipped := map[string]int{}
	fewer := 0
	for i, n := range nights {
		for _, check := range sortedChecks(n) {
			if n.Checks[check] != "failure" {
				continue
			}
			bs := evaldata.NearestPassing(nights, i, check, 3)
			if len(bs) == 0 {
				skipped[check+" (no passing night)"]++
				continue
			}
			summary, err := os.ReadFile(n.Summary(check))
			if err != nil && !errors.Is(err, os.ErrNotExist) {
				t.Fatal(err)
			}
			texts := shownTexts(t, n.Log(check))
			cause, err := evaldata.OzoneCause(check, summary, texts)
			if errors.Is(err, evaldata.ErrNoSummary) {
				skipped[check+" (no summary.txt)"]++
				continue
			}
			if err != nil {
				t.Fatalf("%s/%s: %v", n.Name, check, err)
			}
			if len(bs) < 3 {
				fewer++
			}
			p := evalPair{name: n.Name + "/" + check, failing: n.Log(check), causeText: causeTexts(texts, cause),
				truth: evaldata.Truth{Cause: cause, Useful: ozoneUseful(texts, cause)}}
			for _, b := range bs {
				p.baselines = append(p.baselines, b.Log(check))
			}
			pairs = append(pairs, p)
		}
	}
	var skip []string
	for _, k := range sortedKeys(skipped) {
		skip = append(skip, fmt.Sprintf("%s %d", k, skipped[k]))
	}
	title := fmt.Sprintf("Apache Ozone nightlies, %d failing checks (skipped: %s); cause derived from each check's summary.txt; baselines: the nearest passing nights of the same check",
		len(pairs), strings.Join(skip, ", "))
	return []*evalVariant{
		{set: "ozone, 1 baseline", nb: 1, pairs: pairs, title: title},
		{set: "ozone, 3 baselines", nb: 3, pairs: pairs, title: title + fmt.Sprintf(" (%d checks have fewer than 3 passing nights: integration passed once)", fewer)},
	}
}

var ozoneContext = evaldata.Split([]*regexp.Regexp{regexp.MustCompile(`\[ERROR\]|BUILD FAILURE|^\s+at \S+\(.*\)\s*$|^Caused by: |Tests run: .*(Failures: [1-9]|Errors: [1-9])|<<< (FAILURE|ERROR)!|^(Failed tests|Tests in error):|FAILED!|\| FAIL \|`)})

// ozoneUseful is the cause lines and the lines of Maven's and Robot's
// error reports around them (the same context as the BugSwarm labels).
func ozoneUseful(texts []string, cause map[int]bool) map[int]bool {
	u := map[int]bool{}
	for i, s := range texts {
		if cause[i+1] || ozoneContext.MatchString(s) {
			u[i+1] = true
		}
	}
	evaldata.BlankInBlocks(texts, u)
	return u
}

func sortedChecks(n evaldata.OzoneNight) []string { return sortedKeys(n.Checks) }

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// The bundled sample's causes are lines the failing runs lack.
var sampleCauses = []*regexp.Regexp{
	regexp.MustCompile(`^KUBERNETES_NODE_PLATFORM=windows$`),
	regexp.MustCompile(`^Will download and extract kubernetes-node-windows-amd64\.tar\.gz from `),
}

// samplePair is a failing run of the sample with the passing runs before
// it, newest first.
func samplePair(id string) evalPair {
	p := evalPair{name: id, failing: filepath.Join(sampleJob, id, "build-log.txt")}
	for _, b := range samplePassing { // newest first
		if b < id {
			p.baselines = append(p.baselines, filepath.Join(sampleJob, b, "build-log.txt"))
		}
	}
	for _, re := range sampleCauses {
		p.truth.Missing = append(p.truth.Missing, re)
	}
	return p
}

// sampleSet is the bundled sample's two failing runs, against the passing
// run before each and against the three before each.
func sampleSet(t *testing.T) []*evalVariant {
	var pairs []evalPair
	for _, id := range sampleFailing {
		pairs = append(pairs, samplePair(id))
	}
	title := "the bundled sample (testdata/bucket, the Windows preset incident), 2 failing runs; cause: the missing KUBERNETES_NODE_PLATFORM=windows and \"Will download and extract kubernetes-node-windows-amd64.tar.gz\" lines (precision: n/a, the causes are missing lines)"
	return []*evalVariant{
		{set: "sample, 1 baseline", nb: 1, pairs: pairs, title: title},
		{set: "sample, 3 baselines", nb: 3, pairs: pairs, title: title},
	}
}
