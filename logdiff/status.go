package logdiff

import (
	"strings"
	"unicode"
)

// The status vocabulary, one list for its three uses: masking keeps the
// number after a status word (exit status 1, Failures: 2), learning never
// makes a status word variable, and ranking pairs a pass word with a fail
// word into a flip (ok → FAIL). Words are matched without regard to case.

// outcome is what a status word says.
type outcome uint8

const (
	noOutcome outcome = iota // not a status word
	passed                   // ok, PASS, SUCCESS, Ready...
	failed                   // FAIL, ERROR, NotReady, timeout...
	state                    // a state without a verdict: pending, running, enabled, no...
)

var outcomes = map[string]outcome{
	"ok": passed, "pass": passed, "passed": passed, "success": passed, "succeeded": passed,
	"successful": passed, "done": passed, "ready": passed, "true": passed, "healthy": passed,

	"fail": failed, "failed": failed, "failure": failed, "error": failed, "errored": failed,
	"fatal": failed, "panic": failed, "timeout": failed, "killed": failed, "aborted": failed,
	"crashed": failed, "broken": failed, "false": failed, "notready": failed, "unhealthy": failed,
	"skip": failed, "skipped": failed,

	"errors": state, "failures": state, "failing": state, "passing": state, "succeed": state,
	"successfully": state, "cancelled": state, "canceled": state, "unsuccessful": state,
	"pending": state, "running": state, "exited": state, "terminated": state, "yes": state,
	"no": state, "enabled": state, "disabled": state, "enable": state, "disable": state,
}

// lower lower-cases w into buf when it fits; ok is false for a word too
// long to be in the vocabulary.
func lower(buf []byte, w []byte) ([]byte, bool) {
	if len(w) > len(buf) {
		return nil, false
	}
	for i, c := range w {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return buf[:len(w)], true
}

// outcomeOf is what the word w says, if it is a status word.
func outcomeOf(w []byte) outcome {
	var buf [12]byte
	l, ok := lower(buf[:], w)
	if !ok || len(w) < 2 {
		return noOutcome
	}
	return outcomes[string(l)] // no allocation: a map index by converted bytes
}

// isStatusWord reports a word after which a number is a status, not a
// count or an id (exit, status, code, failures...). A switch, not a map:
// masking asks it of every number that follows a word.
func isStatusWord(w []byte) bool {
	var buf [10]byte
	l, ok := lower(buf[:], w)
	if !ok || len(w) < 2 {
		return false
	}
	switch string(l) {
	case "exit", "status", "code", "rc", "exitcode", "exit_code", "returncode", "returned",
		"failures", "failed", "failure", "errors", "error", "errored", "crashed", "signal":
		return true
	}
	return false
}

// isStatusToken reports a word that states an outcome or a state, with a
// trailing ! or . (PASS!, done.), as learning sees tokens.
func isStatusToken(w []byte) bool {
	for len(w) > 0 && (w[len(w)-1] == '!' || w[len(w)-1] == '.') {
		w = w[:len(w)-1]
	}
	if len(w) < 2 || byteClass[w[0]] < clHex {
		return false
	}
	return outcomeOf(w) != noOutcome
}

// statusClass is ranking's reading of a token: 1 for a pass word, 2 for a
// fail word, 0 otherwise (a state says neither).
func statusClass(t string) int {
	switch outcomeOf([]byte(t)) {
	case passed:
		return 1
	case failed:
		return 2
	}
	return 0
}

// LooksReversed reports a report whose failing log ends with a passing
// verdict where the passing runs ended with a failing one (a flip such as
// FAILURE → SUCCESS among its last lines, and none the other way): the
// logs were likely given in the wrong order, and the findings read
// backwards. Only the build log's verdicts count (an artifact's lines
// flip both ways: NotReady → Ready), and only verdict words (not done,
// skipped, true or false).
func (r *Report) LooksReversed() bool {
	reversed := false
	for _, f := range r.Findings {
		if f.Kind != Changed || f.Log != "" || f.Failing.Start < r.Failing.Lines-reversedTail {
			continue
		}
		from, to := "", ""
		if f.Flip != nil {
			from, to = f.Flip.From, f.Flip.To
		} else {
			from, to = verdictWords(f.Lines)
		}
		switch {
		case verdicts[strings.ToLower(from)] == failed && verdicts[strings.ToLower(to)] == passed:
			reversed = true
		case verdicts[strings.ToLower(from)] == passed && verdicts[strings.ToLower(to)] == failed:
			return false // the failing log's verdict, the right way round
		}
	}
	return reversed
}

// verdicts are the status words that state a run's result.
var verdicts = map[string]outcome{
	"success": passed, "succeeded": passed, "successful": passed, "passed": passed, "pass": passed, "ok": passed,
	"failure": failed, "failed": failed, "fail": failed, "error": failed, "errored": failed,
}

// reversedTail is how near its end a log states its verdict.
const reversedTail = 5

// verdictWords returns the one word that differs between a changed
// finding's baseline line and failing line ("BUILD FAILURE" → "BUILD
// SUCCESS"), or "" when they differ in more or have more lines.
func verdictWords(lines []Line) (from, to string) {
	var b, f []string
	for _, l := range lines {
		w := strings.FieldsFunc(l.Text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		if l.Side == SideBaseline && b == nil {
			b = w
		} else if l.Side == SideFailing && f == nil {
			f = w
		} else {
			return "", ""
		}
	}
	if len(b) != len(f) {
		return "", ""
	}
	for i := range b {
		if b[i] != f[i] {
			if from != "" {
				return "", ""
			}
			from, to = b[i], f[i]
		}
	}
	return from, to
}
