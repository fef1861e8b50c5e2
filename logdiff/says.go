package logdiff

import "strings"

// What a line says about a failure. Every tool reports a failure twice
// over: once saying *what* broke (a file and line with a message, an
// exception with its message, the test that failed, the rule a line broke)
// and then, often several times, only *that* something broke: a count of
// failures, an exit code, a verdict, the goal, task, step or command that
// failed, a pointer to the details elsewhere, a header over a list. Those
// echoes take the same few shapes in every tool's output (Maven's "Failed to
// execute goal", Gradle's "Execution failed for task", GitHub's "Process
// completed with exit code 1", make's "Error 2", pytest's "1 failed"), so
// ranking reads the shape, not the tool: the stating line ranks above its
// echoes wherever it comes from. Nothing here runs per log line; it reads
// the lines of findings only.

// reading is what one line says.
type reading struct {
	fail int // failure terms in the line; counts of zero ("Failures: 0") are none
	// failed: a status word of the line says it failed (FAIL, ERROR,
	// TIMEOUT...), whatever level the tool logged it at
	failed bool
	level  int  // 1 an error, -1 a warning, 0 no level (severity)
	what   int  // 2: a location, an exception with its message, a rule; 1: a test that failed; 0: nothing specific
	echo   bool // says only that something failed (what is 0)
}

// failing reports a line with failure vocabulary or an error level.
func (r reading) failing() bool { return r.fail > 0 || r.level > 0 }

// readLimit bounds how much of a line is read: what a line says is said
// early, and a 64 KiB line must not cost more than a short one.
const readLimit = 1024

// readLine reads what a line (as shown) says.
func readLine(text string) reading {
	r := reading{level: severity(text)}
	tagged := strings.TrimSpace(string(stripPrefixes([]byte(text))))
	body := dropTags(tagged)
	if r.level == 0 && len(body) < len(tagged) {
		r.level = tagLevel(tagged[:len(tagged)-len(body)]) // [checkstyle] [ERROR] ...
	}
	if len(body) > readLimit {
		body = body[:readLimit]
	}
	low := asciiLower(body)
	r.fail = failTerms(body, low)
	if isFrame(body) {
		return reading{} // a stack frame is context of the line above it
	}
	if envLine(text) != "" {
		// An environment variable set (an env dump, export, declare -x)
		// is configuration: the words of its value are data (a pull
		// request's title in JOB_SPEC saying "errors"), not a failure.
		return reading{}
	}
	if r.level == 0 && warns(body, low) {
		r.level = -1
	}
	r.failed = saysFailed(body)
	// A count of failures or an exit status says that something failed
	// even where it names the build file or the exception that carries it
	// ("build.xml:116: Checkstyle failed: Got 11 errors", Python's
	// CalledProcessError: "... returned non-zero exit status 1").
	echoed := counts(low) || exits(asciiLower(text))
	msg, exc := exceptionAt(body)
	if lm := asciiLower(msg); exc && (counts(lm) || exits(lm) || failTerms(msg, lm) > 0 && echoes(msg, lm)) {
		// An exception that carries a wrapper's message (Maven's
		// LifecycleExecutionException: Failed to execute goal ...) says
		// no more than the wrapper.
		exc, echoed = false, true
	}
	if exc {
		r.fail = max(r.fail, 1) // an exception is a failure, whatever its name
	}
	switch {
	case r.failing() && strings.Contains(low, "test") && names(body, isTestName):
		r.what = 1
	case echoed:
	case hasLocation(body) || ruleName(body) || exc:
		r.what = 2
	}
	if r.what == 1 && (hasLocation(body) || exc) && !echoed {
		r.what = 2
	}
	if r.what == 0 && r.failing() {
		r.echo = echoed || statusRow(body) || echoes(body, low)
	}
	return r
}

// dropTags drops the tags a line starts with: a level or a tool in
// brackets ("[ERROR] ", "[checkstyle] ", "[ant:checkstyle] ") and pytest's
// "E   " before the lines of a failure.
func dropTags(body string) string {
	for strings.HasPrefix(body, "[") {
		e := strings.IndexByte(body, ']')
		if e < 2 || e > 24 {
			break
		}
		for _, c := range []byte(body[1:e]) {
			if !isLetter(c) && c != ':' && c != '-' {
				return body
			}
		}
		body = strings.TrimLeft(body[e+1:], " \t")
	}
	if len(body) > 2 && body[0] == 'E' && (body[1] == ' ' || body[1] == '\t') {
		body = strings.TrimLeft(body[1:], " \t")
	}
	return body
}

// saysFailed reports a status word among the words of a line that says it
// failed: TEST-UNEXPECTED-FAIL, FAILED, ERROR!, TIMEOUT. Only upper-case
// words count: in a sentence, "error" and "failed" are vocabulary, not a
// verdict.
func saysFailed(body string) bool {
	for _, w := range strings.FieldsFunc(body, func(r rune) bool { return !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z') }) {
		if len(w) >= 4 && strings.ToUpper(w) == w && outcomeOf([]byte(w)) == failed {
			return true
		}
	}
	return false
}

// tagLevel reads a level among the tags a line starts with.
func tagLevel(tags string) int {
	switch {
	case strings.Contains(tags, "[ERROR]") || strings.Contains(tags, "[FATAL]"):
		return 1
	case strings.Contains(tags, "[FAIL") || strings.Contains(tags, "[PANICKED]"):
		return 1 // a runner's verdict as a tag: Ginkgo's "[FAILED] in [It] - x.go:131"
	case strings.Contains(tags, "[WARN"):
		return -1
	}
	return 0
}

// failTerms counts the failure terms of a line, given with its ASCII
// lower-cased copy (the same offsets). Counts of zero ("Failures: 0, Errors:
// 0", "0 failed") say all is well, and a term inside a name says nothing:
// traceback2 and zope.testing are packages, testFailureWithData is a test,
// CalledProcessError( is code.
func failTerms(body, low string) int {
	n := 0
	for _, t := range failureTerms {
		for off := 0; ; {
			k := strings.Index(low[off:], t)
			if k < 0 {
				break
			}
			k += off
			off = k + len(t)
			if !zeroCount(low, k, k+len(t)) && !inName(body, k, k+len(t)) {
				n++
				break
			}
		}
	}
	return n
}

// inName reports a term at body[s:e] that is part of a name: a path, or a
// run of name bytes that holds a digit, an underscore, a dollar, a dot
// between letters, or a lower-case letter before an upper-case one.
func inName(body string, s, e int) bool {
	isPath := func(c byte) bool {
		return isLetter(c) || isDigit(c) || c == '_' || c == '$' || c == '.' || c == '-' || c == '/' || c == '\\'
	}
	ps, pe := s, e
	for ps > 0 && isPath(body[ps-1]) {
		ps--
	}
	for pe < len(body) && isPath(body[pe]) {
		pe++
	}
	if strings.ContainsAny(body[ps:pe], "/\\") {
		return true // a path: images/exception-handling.png
	}
	isID := func(c byte) bool { return isLetter(c) || isDigit(c) || c == '_' || c == '$' || c == '.' }
	for s > 0 && isID(body[s-1]) {
		s--
	}
	for e < len(body) && isID(body[e]) {
		e++
	}
	t := strings.Trim(body[s:e], ".")
	for i := 0; i < len(t); i++ {
		c := t[i]
		switch {
		case isDigit(c), c == '_', c == '$', c == '.':
			return true
		case i > 0 && c >= 'A' && c <= 'Z' && t[i-1] >= 'a' && t[i-1] <= 'z':
			return true
		}
	}
	return false
}

// asciiLower lower-cases ASCII letters only, so offsets stay those of s.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// zeroCount reports a term at low[s:e] that counts nothing: the word it is
// part of is followed by ": 0", "=0" or " 0", or preceded by "0 " or "no ".
func zeroCount(low string, s, e int) bool {
	for e < len(low) && isLetter(low[e]) {
		e++
	}
	i := e
	for i < len(low) && (low[i] == ':' || low[i] == '=' || low[i] == ' ') && i < e+3 {
		i++
	}
	if i > e && i < len(low) && low[i] == '0' && (i+1 == len(low) || !isDigit(low[i+1])) {
		return true
	}
	for s > 0 && isLetter(low[s-1]) {
		s--
	}
	before := strings.TrimRight(low[:s], " ")
	return strings.HasSuffix(before, " 0") || before == "0" || strings.HasSuffix(before, " no") || before == "no"
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// isFrame reports a line of a stack trace: Java's and JavaScript's "at
// f(File.java:12)", Python's `File "x.py", line 3, in f`, Go's
// "/path/x.go:12 +0x1d", "... 12 more", and the header of Python's.
func isFrame(body string) bool {
	switch {
	case strings.HasPrefix(body, "at ") && strings.Contains(body, "("):
		return true
	case strings.HasPrefix(body, "-> at ") && strings.Contains(body, "("):
		return true // a frame pointed at (Mockito's "-> at Foo.bar(Foo.java:30)")
	case strings.HasPrefix(body, `File "`) && strings.Contains(body, `", line `):
		return true
	case strings.HasPrefix(body, "Traceback (most recent call last)"):
		return true
	case strings.HasPrefix(body, "... ") && (strings.HasSuffix(body, " more") || strings.Contains(body, "omitted")):
		return true
	case strings.Contains(body, " +0x") && strings.Contains(body, ".go:"):
		return true
	}
	return false
}

// pythonFrame reports a frame of a Python traceback, which the line of
// source under it belongs to.
func pythonFrame(text string) bool {
	body := strings.TrimLeft(string(stripPrefixes([]byte(text))), " \t")
	return strings.HasPrefix(body, `File "`) && strings.Contains(body, `", line `)
}

// hasLocation reports a file and line: x.py:12, Foo.java:[147,78],
// Foo.java:[line 106], pkg.Class:128. A URL's host:port and an address are
// not one, nor is a stack frame (isFrame).
func hasLocation(body string) bool {
	for i := 0; i < len(body)-1; i++ {
		if body[i] != ':' {
			continue
		}
		j := i + 1
		if body[j] == '[' {
			j++
			if strings.HasPrefix(body[j:], "line ") {
				j += len("line ")
			}
		}
		if j >= len(body) || !isDigit(body[j]) {
			continue
		}
		e := j
		for e < len(body) && isDigit(body[e]) {
			e++
		}
		if e < len(body) && body[e] == '/' {
			continue // host:port/path
		}
		// The name before the colon ends in .ext, ext starting with a letter.
		k := i
		for k > 0 && isNameByte(body[k-1]) {
			k--
		}
		name := body[k:i]
		dot := strings.LastIndexByte(name, '.')
		if dot <= 0 || dot == len(name)-1 || !isLetter(name[dot+1]) || len(name)-dot-1 > 40 {
			continue
		}
		if k >= 2 && body[k-1] == '/' && body[k-2] == '/' || strings.HasPrefix(name, "//") {
			continue // a URL
		}
		return true
	}
	return false
}

func isNameByte(c byte) bool {
	return isLetter(c) || isDigit(c) || c == '_' || c == '.' || c == '/' || c == '\\' || c == '-' || c == '$' || c >= 0x80
}

// exceptionSuffixes end the names of exceptions and errors across
// languages: KeyError, java.io.IOException, ComparisonFailure.
var exceptionSuffixes = []string{"Error", "Exception", "Failure", "Fault", "Panic"}

// exceptionAt returns the message of the first exception named with its
// message: "java.lang.AssertionError: expected:<1>", "KeyError: 'x'". The
// name must be a compound (a bare "Error:" is a level, not an exception).
func exceptionAt(body string) (string, bool) {
	for i := 1; i < len(body)-2; i++ {
		if body[i] != ':' || body[i+1] != ' ' {
			continue
		}
		k := i
		for k > 0 && (isLetter(body[k-1]) || isDigit(body[k-1]) || body[k-1] == '_' || body[k-1] == '.' || body[k-1] == '$') {
			k--
		}
		name := body[k:i]
		for _, s := range exceptionSuffixes {
			if strings.HasSuffix(name, s) && len(name) > len(s) && name[len(name)-len(s)-1] != '.' {
				if msg := strings.TrimSpace(body[i+1:]); msg != "" {
					return msg, true
				}
			}
		}
	}
	return "", false
}

// ruleName reports a line that ends naming a rule in brackets, as
// checkstyle does: "... [OperatorWrap]".
func ruleName(body string) bool {
	if !strings.HasSuffix(body, "]") {
		return false
	}
	o := strings.LastIndexByte(body, '[')
	if o < 0 {
		return false
	}
	w := body[o+1 : len(body)-1]
	humps := 0
	for i := 0; i < len(w); i++ {
		c := w[i]
		switch {
		case c >= 'A' && c <= 'Z':
			if i+1 >= len(w) || w[i+1] < 'a' || w[i+1] > 'z' {
				return false
			}
			humps++
		case c >= 'a' && c <= 'z', isDigit(c) && i > 0:
		default:
			return false
		}
	}
	return humps >= 2 && w[0] >= 'A' && w[0] <= 'Z'
}

// names reports a token of the line that pred accepts; tokens are split at
// white space with quotes and trailing punctuation trimmed.
func names(body string, pred func(string) bool) bool {
	for _, t := range strings.Fields(body) {
		t = strings.Trim(t, `"'`+"`,;:!")
		if pred(t) {
			return true
		}
	}
	return false
}

// isTestName reports a token that names a test: testFoo(com.x.FooTest),
// test_x, FooTest, TestParse, tests.unit.test_api, mypy.test.testsemanal.
// The words "test" and "tests" alone name none, nor does a flag
// (-DskipTests) or a plugin's goal (maven-surefire-plugin:2.12:test).
func isTestName(t string) bool {
	if len(t) < 5 || t[0] == '-' {
		return false
	}
	for _, seg := range strings.FieldsFunc(t, func(r rune) bool { return strings.ContainsRune(".:/(#>$)=,[]'\"", r) }) {
		if testSegment(seg) {
			return true
		}
	}
	return false
}

// testSegment reports one part of a name that names a test: it starts or
// ends with the word test (testFoo, test_x, FooTest, TestParse,
// testsemanal), or holds it between underscores.
func testSegment(seg string) bool {
	low := strings.ToLower(seg)
	if len(low) < 5 {
		return false
	}
	switch low {
	case "tests", "testing", "tested", "testcase", "testsuite", "tester", "testdata", "testng", "testable":
		return false
	}
	if strings.HasPrefix(low, "test") || strings.Contains(low, "_test") {
		return true
	}
	if strings.HasSuffix(low, "test") || strings.HasSuffix(low, "tests") {
		k := strings.LastIndex(low, "test")
		return seg[k] == 'T' || seg[k-1] == '_' // FooTest, foo_test; not "latest", "contest"
	}
	return false
}

// statusRow reports a row of a table of results: a name, a leader of dots
// and a status (Maven's reactor summary "Module ...... FAILURE [ 5 s]",
// unittest's "test_x (m.C) ... FAIL", docker-compose's "Removing x ... done").
// It says which item failed; what broke is said elsewhere.
func statusRow(body string) bool {
	k := strings.Index(body, "...")
	if k <= 0 {
		return false
	}
	rest := strings.TrimLeft(body[k:], ". ")
	end := strings.IndexAny(rest, " [(!")
	if end < 0 {
		end = len(rest)
	}
	return outcomeOf([]byte(rest[:end])) != noOutcome
}

// stepNouns name the units a build or CI system runs. A failure of one of
// them ("Failed to execute goal", "Execution failed for task", "The command
// ... failed", "BUILD FAILED") says that something failed, not what.
var stepNouns = map[string]bool{
	"goal": true, "task": true, "command": true, "commands": true, "step": true, "job": true,
	"build": true, "stage": true, "target": true, "phase": true, "execution": true,
	"script": true, "process": true, "recipe": true, "run": true, "action": true, "workflow": true,
}

// pointerPhrases send the reader elsewhere for the details.
var pointerPhrases = []string{
	"see ", "for details", "for more", "re-run", "rerun", "run with", "please", "refer to",
	"stack trace", "stacktrace", "-rf ", "[help", "what went wrong", "after correcting",
	"resume the build", "get more help", "for the individual",
}

// exitPhrases give an exit code or status.
var exitPhrases = []string{
	"exit code", "exit status", "exited with", "exit value", "non-zero", "nonzero",
	"return code", "returned code", "returncode",
}

// exits reports an exit code or status in a lower-cased line.
func exits(low string) bool {
	if len(low) > 4*readLimit {
		low = low[:4*readLimit]
	}
	for _, p := range exitPhrases {
		if strings.Contains(low, p) {
			return true
		}
	}
	return false
}

// countNouns are what failures are counted in.
var countNouns = map[string]bool{
	"error": true, "errors": true, "failure": true, "failures": true, "failed": true, "fail": true,
	"warning": true, "warnings": true, "problem": true, "problems": true, "violation": true,
	"violations": true, "failing": true, "broken": true, "errored": true,
}

// quietWords carry no content of their own.
var quietWords = map[string]bool{
	"a": true, "an": true, "the": true, "is": true, "are": true, "was": true, "were": true, "be": true,
	"been": true, "has": true, "have": true, "had": true, "there": true, "this": true, "that": true,
	"with": true, "in": true, "on": true, "of": true, "for": true, "to": true, "at": true, "by": true,
	"from": true, "and": true, "or": true, "not": true, "no": true, "as": true, "it": true, "some": true,
	"all": true, "any": true, "during": true, "while": true, "one": true, "more": true, "test": true,
	"tests": true, "due": true, "because": true, "occurred": true, "found": true, "info": true,
	"warn": true, "warning": true, "warnings": true, "debug": true, "result": true, "results": true,
	"status": true, "finished": true, "overall": true, "with an": true, "exception": true,
}

// echoes reports a failing line that says only that something failed: a
// count of failures, an exit code, a pointer to details, or parts (split
// at ": ") that each name a failed step or hold no content beside their
// failure words. A part with content of its own ("Could not resolve
// dependencies for project x") makes the line more than an echo.
func echoes(body, low string) bool {
	if counts(low) {
		return true
	}
	if exits(low) {
		return true
	}
	sawFail, pointer, stepped, named, told := false, false, false, false, false
	at := 0
	for _, part := range strings.Split(low, ": ") {
		bodyPart := body[at : at+len(part)]
		at += len(part) + 2
		if points(part) {
			pointer = true
			continue
		}
		content, step := contentWords(part)
		stepped = stepped || step
		if failTerms(bodyPart, part) == 0 {
			// A part that says what failed: "Missing header in: <file>",
			// "panic: runtime error: index out of range [3]".
			named = named || len(subjectTokens(bodyPart)) > 0 || isIdentifier(strings.TrimSpace(bodyPart))
			told = told || content > 1
			continue
		}
		sawFail = true
		if !step && content > 1 {
			return false
		}
	}
	// A failed step's own message is its wrapper's ("Failed to execute goal
	// ...: Some files do not have the expected license header") unless it
	// names something.
	if sawFail && (named || told && !stepped) {
		return false
	}
	if !sawFail && !pointer { // failing by its level alone: its content decides
		content, _ := contentWords(low)
		return content <= 1
	}
	return true
}

// isIdentifier reports one word that names a thing in code: six bytes or
// more of letters, digits and underscores, with a digit, an underscore or
// a hump of camel case (VariantToBoolean, not py36 or "symbol").
func isIdentifier(w string) bool {
	if len(w) < 6 {
		return false
	}
	marked := false
	for i := 0; i < len(w); i++ {
		c := w[i]
		switch {
		case c >= 'A' && c <= 'Z':
			marked = marked || i > 0 && w[i-1] >= 'a' && w[i-1] <= 'z'
		case c >= 'a' && c <= 'z':
		case isDigit(c) || c == '_':
			marked = marked || i > 0
		default:
			return false
		}
	}
	return marked
}

// points reports a part of a line that sends the reader elsewhere.
func points(low string) bool {
	for _, p := range pointerPhrases {
		if strings.Contains(low, p) {
			return true
		}
	}
	return false
}

// contentWords counts the words of s that carry content of their own (not
// failure or status words, counts, levels or small words), and reports
// whether s names a step.
func contentWords(s string) (content int, step bool) {
	for _, f := range strings.Fields(s) {
		if len(subjectTokens(f)) > 0 {
			content++ // a name (a path, a package) is content, whatever words it holds
			continue
		}
		for _, w := range strings.FieldsFunc(f, func(r rune) bool { return r > 0x7f || !(r >= 'a' && r <= 'z') }) {
			switch {
			case len(w) < 2:
			case stepNouns[w]:
				step = true
			case quietWords[w] || countNouns[w] || outcomeOf([]byte(w)) != noOutcome || isFailureTerm(w):
			default:
				content++
			}
		}
	}
	return content, step
}

// warns reports a line at warning level without a level tag: a
// compiler's "x.c:3: warning: ...", Python's "x.py:3: DeprecationWarning:".
func warns(body, low string) bool {
	if k := strings.Index(low, "warning:"); k >= 0 && !inName(body, k, k+len("warning")) {
		return true
	}
	for off := 0; ; {
		k := strings.Index(body[off:], "Warning")
		if k < 0 {
			return false
		}
		k += off
		off = k + len("Warning")
		if k > 0 && isLetter(body[k-1]) && (off == len(body) || !isLetter(body[off])) {
			return true // DeprecationWarning, InsecurePlatformWarning
		}
	}
}

func isFailureTerm(w string) bool {
	for _, t := range failureTerms {
		if strings.Contains(w, t) {
			return true
		}
	}
	return false
}

// counts reports a count of failures that is not zero: "1 error",
// "Failures: 2", "failures=1", "Warnings generated: 1", "2 failed". A
// number before a colon is a line number (x.java:30: error), not a count.
func counts(low string) bool {
	type tok struct {
		w   string
		sep byte // the first byte after the token: ' ', ':', '=', ...
	}
	var ts []tok
	for i := 0; i < len(low); {
		if !(isLetter(low[i]) || isDigit(low[i])) {
			i++
			continue
		}
		j := i
		for j < len(low) && (isLetter(low[j]) || isDigit(low[j])) {
			j++
		}
		sep := byte(0)
		if j < len(low) {
			sep = low[j]
		}
		ts = append(ts, tok{low[i:j], sep})
		i = j
	}
	for i, t := range ts {
		if !countNouns[t.w] {
			continue
		}
		if i > 0 && isNumber(ts[i-1].w) && ts[i-1].w != "0" && ts[i-1].sep == ' ' {
			return true // 2 failed
		}
		// Failures: 2, errors=1, Error 2; warnings generated: 1 (one word
		// between, then a colon); not "ERROR - PID 16211".
		j := i + 1
		if j < len(ts) && !isNumber(ts[j].w) && t.sep == ' ' && (ts[j].sep == ':' || ts[j].sep == '=') {
			j++
		}
		if j < len(ts) && isNumber(ts[j].w) && ts[j].w != "0" && ts[j].sep != '.' && ts[j].sep != ':' &&
			(j == i+1 && (t.sep == ':' || t.sep == '=' || t.sep == ' ') || j == i+2) {
			return true
		}
	}
	return false
}

func isNumber(w string) bool {
	if w == "" {
		return false
	}
	for i := 0; i < len(w); i++ {
		if !isDigit(w[i]) {
			return false
		}
	}
	return true
}

// subjectTokens returns the names a line holds that could only be one
// thing: a file, a path, a package or class name (eight bytes or more with
// a dot, dash, underscore or slash inside and some letters), not an id or a
// number.
func subjectTokens(text string) []string {
	body := string(stripPrefixes([]byte(text)))
	if len(body) > readLimit {
		body = body[:readLimit]
	}
	var out []string
	for _, t := range strings.Fields(body) {
		t = strings.Trim(t, "\"'`()[]{}<>,;:!?")
		t = strings.TrimRight(t, ".")
		if len(t) < 8 || !strings.ContainsAny(t, ".-_/\\") {
			continue
		}
		letters, run, longRun := 0, 0, false
		for i := 0; i < len(t); i++ {
			switch {
			case isLetter(t[i]):
				letters++
				run = 0
			case isDigit(t[i]):
				if run++; run >= 5 {
					longRun = true
				}
			default:
				run = 0
			}
		}
		if letters >= 4 && !longRun {
			out = append(out, t)
		}
	}
	return out
}
