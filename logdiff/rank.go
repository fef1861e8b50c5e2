package logdiff

import (
	"slices"
	"strings"

	"github.com/logdiff/logdiff/logdiff/junit"
)

// Ranking puts the likely cause first: what each line says (says.go)
// puts a finding in a tier, and its place among the findings of its tier
// orders it within (score.go). This file holds the vocabulary and the
// comparisons of keys that the pairing of changed lines and flips uses.
// Ties break on the failing line, then the kind, so the order is stable.

var failureTerms = []string{
	"error", "fail", "fatal", "panic", "cannot", "can't", "could not", "couldn't", "unable to",
	"not found", "no such", "timed out", "timeout", "exit status", "exit code", "exception",
	"traceback", "denied", "refused", "killed", "oomkilled", "segmentation fault", "aborted",
	"!!!", "undefined", "missing", "invalid", "unexpected", "went wrong",
}

// severity reads a line's log level: 1 for an error (Maven's [ERROR],
// ERROR:, FATAL, klog's E and F lines), -1 for a warning, 0 otherwise.
func severity(line string) int {
	t := strings.TrimLeft(line, " \t")
	if len(t) > 5 && (t[0] == 'E' || t[0] == 'F' || t[0] == 'W') && isDigit(t[1]) && isDigit(t[4]) {
		if t[0] == 'W' {
			return -1
		}
		return 1
	}
	t = string(stripPrefixes([]byte(t)))
	for _, p := range []string{"[ERROR]", "ERROR", "Error:", "error:", "FATAL", "[FATAL]", "fatal:", "panic:", "##[error]"} {
		if strings.HasPrefix(t, p) {
			return 1
		}
	}
	for _, p := range []string{"[WARNING]", "[WARN]", "WARNING", "WARN", "Warning:", "warning:", "##[warning]"} {
		if strings.HasPrefix(t, p) {
			return -1
		}
	}
	return 0
}

// tokens splits a key into words and single punctuation bytes.
func tokens(k string) []string {
	var out []string
	for i := 0; i < len(k); {
		if k[i] == ' ' {
			i++
			continue
		}
		j := i
		if k[i] == '<' { // a placeholder is one token
			if e := strings.IndexByte(k[i:], '>'); e > 0 && e < 8 {
				j = i + e + 1
			}
		}
		if j == i {
			for j < len(k) && isWordByte(k[j]) {
				j++
			}
		}
		if j == i {
			j = i + 1
		}
		out = append(out, k[i:j])
		i = j
	}
	return out
}

// neutralKey blanks status words, and numbers after status words, so a
// line and its flipped twin share a key. ok is false for a line with no
// status word.
func neutralKey(k string) (string, bool) {
	if !mentionsStatus(k) {
		return "", false // most lines: no word to blank, and no tokens made
	}
	ts := tokens(k)
	found := false
	for i, t := range ts {
		if statusClass(t) != 0 || isStatusNumber(ts, i) {
			ts[i] = "<status>"
			found = true
		}
	}
	return strings.Join(ts, " "), found
}

// mentionsStatus reports a word of k that is a status word or one after
// which a number is a status, without making tokens: neutralKey needs one
// of them, and pairing asks it of every new line.
func mentionsStatus(k string) bool {
	for i := 0; i < len(k); {
		if !isWordByte(k[i]) {
			i++
			continue
		}
		j := i
		for j < len(k) && isWordByte(k[j]) {
			j++
		}
		if w := []byte(k[i:j]); outcomeOf(w) != noOutcome || isStatusWord(w) {
			return true
		}
		i = j
	}
	return false
}

func isStatusNumber(ts []string, i int) bool {
	if ts[i] == "" || !isDigit(ts[i][0]) {
		return false
	}
	for j := i - 1; j >= 0 && j >= i-3; j-- {
		switch ts[j] {
		case ":", "=", "(", "#":
			continue
		}
		return isStatusWord([]byte(ts[j]))
	}
	return false
}

// statusFlip reports the status word that changed from a passing key to a
// failing one: a pass word became a fail word, or a status number became
// non-zero.
func statusFlip(from, to string) (string, string, bool) {
	a, b := tokens(from), tokens(to)
	if len(a) != len(b) {
		return "", "", false
	}
	var f, t string
	for i := range a {
		if a[i] == b[i] {
			continue
		}
		ca, cb := statusClass(a[i]), statusClass(b[i])
		switch {
		case ca == 1 && cb == 2:
		case isStatusNumber(a, i) && isStatusNumber(b, i) && a[i] == "0":
		default:
			return "", "", false
		}
		if f == "" {
			f, t = a[i], b[i]
		}
	}
	return f, t, f != ""
}

// similar reports two keys that differ in a word or two: the same line
// with a changed value. Punctuation does not count.
func similar(a, b string) bool {
	ta, tb := words(tokens(a)), words(tokens(b))
	if len(ta) < 2 || len(tb) < 2 {
		return false
	}
	limit := min(3, max(1, min(len(ta), len(tb))/4))
	return tokenDistance(ta, tb, limit) <= limit
}

// idVariant reports two keys that differ in one place only, where one
// holds a placeholder and the other a word with digits in it, and the
// punctuation that joins such a name: the same id, masked on one side only
// because its random characters happened to look like a word there
// (pip-vww31p_r-build against pip-<id>-build).
func idVariant(a, b string) bool {
	ta, tb := tokens(a), tokens(b)
	p := 0
	for p < len(ta) && p < len(tb) && ta[p] == tb[p] {
		p++
	}
	s := 0
	for s < len(ta)-p && s < len(tb)-p && ta[len(ta)-1-s] == tb[len(tb)-1-s] {
		s++
	}
	ma, mb := ta[p:len(ta)-s], tb[p:len(tb)-s]
	if len(mb) == 1 && isPlaceholder(mb[0]) {
		ma, mb = mb, ma
	}
	if len(ma) != 1 || !isPlaceholder(ma[0]) || len(mb) == 0 {
		return false
	}
	digit := false
	for _, t := range mb {
		switch {
		case t == "_" || t == "-" || t == ".":
		case isWordByte(t[0]):
			digit = digit || strings.ContainsAny(t, "0123456789")
		default:
			return false
		}
	}
	return digit
}

func isPlaceholder(t string) bool {
	switch t {
	case phID, phNum, phUUID:
		return true
	}
	return false
}

func words(ts []string) []string {
	out := ts[:0:0]
	for _, t := range ts {
		if isWordByte(t[0]) || t[0] == '<' {
			out = append(out, t)
		}
	}
	return out
}

// tokenDistance is the edit distance between token lists, giving up (and
// returning bound+1) once it exceeds bound.
func tokenDistance(a, b []string, bound int) int {
	if abs(len(a)-len(b)) > bound {
		return bound + 1
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > bound {
			return bound + 1
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// configScore scores a configuration finding. Removed environment is the
// typical cause of a configuration break (a preset gone); a change of
// image or arguments comes next; refs that move on every run say least.
func configScore(section string, ch *ConfigChange, agree bool) float64 {
	switch {
	case section == "env" && !ch.InFailing:
		return 0.95
	case section == "env" && ch.InBaseline:
		return 0.8
	case section == "env":
		return 0.55
	case section == "image" || section == "arg" || section == "command":
		return 0.6
	case section == "label" || section == "annotation":
		return 0.45
	case !agree: // a ref that moves on every run
		return 0.2
	}
	return 0.5
}

// testScore scores a test finding. A test that passed and fails now names
// what broke, and ranks with the likeliest causes; one that also failed in
// a passing run is flaky and ranks lower; a failure whose message says no
// more than an exit status is a runner's step echoing what failed inside
// it (kubetest's "Test" step, a task that wraps the suite); tests that did
// not run are an effect of what stopped them; a test that failed in the
// passing runs too is old news.
func testScore(ch junit.Change) float64 {
	s := 0.5
	switch {
	case ch.Kind == junit.Flipped && !ch.Flaky:
		s = 1 // the test results name what broke: above the log's echoes of it
	case ch.Kind == junit.NewFailure:
		s = 0.9
	case ch.Kind == junit.Flipped:
		s = 0.6
	case ch.Kind == junit.DidNotRun:
		s = 0.4
	case ch.Kind == junit.StillFailing:
		s = 0.15
	}
	if ch.Kind != junit.DidNotRun && exitOnly(firstLine(ch.Message, ch.Text)) {
		s -= 0.3
	}
	return s
}

// exitOnly reports a failure message whose only news is an exit status:
// "error during ./hack/ginkgo-e2e.sh ...: exit status 1".
func exitOnly(msg string) bool {
	l := strings.ToLower(msg)
	for _, t := range []string{"exit status", "exit code", "exited with", "returned non-zero", "non-zero exit"} {
		if strings.Contains(l, t) {
			return true
		}
	}
	return false
}

// verdict reports a flip of the run's overall result (BUILD FAILURE,
// Finished: FAILURE, SUCCESS!/FAIL!): few words besides the status word, or
// among the last lines of the failing run.
func (c *comparison) verdict(f *Finding) bool {
	if c.f.lines > 20 && f.Failing.Start > c.f.lines-3 {
		return true
	}
	for _, l := range f.Lines {
		if l.Side != SideFailing {
			continue
		}
		words := 0
		for _, t := range tokens(c.key(l.Text)) {
			if isWordByte(t[0]) && statusClass(t) == 0 && !levelWords[strings.ToLower(t)] {
				words++
			}
		}
		return words == 0
	}
	return false
}

// levelWords do not make a line more than a verdict.
var levelWords = map[string]bool{"info": true, "warn": true, "warning": true, "debug": true, "build": true,
	"finished": true, "result": true, "in": true, "job": true, "the": true, "overall": true, "status": true, "dur": true}

// rank sorts the findings by score and numbers them.
func (c *comparison) rank() {
	slices.SortStableFunc(c.findings, compareFindings)
	for i := range c.findings {
		c.findings[i].Rank = i + 1
	}
}

func compareFindings(x, y Finding) int {
	switch {
	case x.Score != y.Score:
		if x.Score > y.Score {
			return -1
		}
		return 1
	case x.Failing.Start != y.Failing.Start:
		return x.Failing.Start - y.Failing.Start
	case kindOrder[x.Kind] != kindOrder[y.Kind]:
		return kindOrder[x.Kind] - kindOrder[y.Kind]
	}
	bx, by := 0, 0
	if x.Baseline != nil {
		bx = x.Baseline.Start
	}
	if y.Baseline != nil {
		by = y.Baseline.Start
	}
	return bx - by
}

// Rerank sorts findings (for example log findings with configuration
// findings added) by score and renumbers them.
func Rerank(findings []Finding) {
	slices.SortStableFunc(findings, compareFindings)
	for i := range findings {
		findings[i].Rank = i + 1
	}
}

func (c *comparison) report() *Report {
	r := &Report{
		Version:  Version,
		Failing:  LogInfo{Name: c.f.in.Name, Lines: c.f.lines, URL: c.f.in.URL, CutLines: c.f.cutLines()},
		Findings: c.findings,
	}
	for _, b := range c.b {
		r.Baselines = append(r.Baselines, LogInfo{Name: b.in.Name, Lines: b.lines, URL: b.in.URL, CutLines: b.cutLines()})
	}
	if r.Findings == nil {
		r.Findings = []Finding{}
	}
	return r
}
