package junit

import "strings"

// LogLines returns up to max lines of a failure's message and text to look
// for in the build log, most telling first, trimmed of surrounding space:
// a test runner prints the failure (Ginkgo's "[FAILED] ...", a Go test's
// "file_test.go:88: ...", Surefire's assertion message) into the build
// log too, so a log finding holding one of these lines is the same
// failure as the test's. Lines that say nothing of this failure are left
// out: verdict words ("Failed"), runner banners ("=== RUN", "--- FAIL:"),
// locations ("In [It] at: ...", a bare file.go:42), stack frames of Java, Python and Go, and
// rules of punctuation. max <= 0 means 3.
func LogLines(message, text string, max int) []string {
	if max <= 0 {
		max = 3
	}
	var out []string
	seen := map[string]bool{}
	add := func(s string, first bool) {
		for line := range strings.SplitSeq(s, "\n") {
			if len(out) == max {
				return
			}
			line = strings.TrimSpace(line)
			if !telling(line) || seen[line] {
				continue
			}
			seen[line] = true
			out = append(out, line)
			if first {
				return
			}
		}
	}
	// The message's first telling line, then the text's: a message is
	// often the text's first line again, or a summary of it.
	add(message, true)
	add(text, false)
	return out
}

// generic are whole lines that name no particular failure.
var generic = map[string]bool{
	"failed": true, "fail": true, "failure": true, "error": true, "errors": true,
	"exception": true, "expected": true, "skipped": true, "pending": true,
	"assertion failed": true, "assertionerror": true, "test failed": true,
	"to be true": true, "to be false": true, "to equal": true, "to be nil": true,
	"to succeed": true, "to match": true, "to have occurred": true,
	"traceback (most recent call last):": true,
}

// telling reports whether a trimmed line is worth looking for in a log.
func telling(line string) bool {
	if len(line) < 4 || generic[strings.ToLower(strings.TrimSuffix(line, "."))] {
		return false
	}
	for _, p := range []string{
		"=== RUN", "=== PAUSE", "=== CONT", "=== NAME", "--- FAIL:", "--- PASS:", "--- SKIP:",
		"FAIL\t", "ok  \t", "goroutine ", "File \"", "... ",
	} {
		if strings.HasPrefix(line, p) {
			return false
		}
	}
	// Ginkgo's location: In [It] at: file.go:42 @ 02/11/25 07:47:18.203
	if strings.HasPrefix(line, "In [") && strings.Contains(line, "] at: ") {
		return false
	}
	// A Java frame: at org.example.Foo.bar(Foo.java:41)
	if strings.HasPrefix(line, "at ") && strings.HasSuffix(line, ")") && strings.Contains(line, "(") {
		return false
	}
	// A Go frame: its call, pkg.TestMain(0xc000110000), and its file
	// line, /src/disk/main_test.go:19 +0x1c5.
	if strings.HasSuffix(line, ")") && strings.Contains(line, "(0x") {
		return false
	}
	if i := strings.LastIndex(line, " +0x"); i > 0 && strings.Contains(line[:i], ".go:") {
		return false
	}
	// A bare location: /go/src/k8s.io/kubernetes/test/e2e/network/service.go:786
	if i := strings.LastIndexByte(line, ':'); i > 0 && !strings.ContainsAny(line, " \t") && allDigits(line[i+1:]) {
		return false
	}
	// A rule: ====, ----, ^^^^, ~~~~.
	letters := false
	for _, r := range line {
		if r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 0x7f {
			letters = true
			break
		}
	}
	return letters
}

func allDigits(s string) bool {
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}
