package logdiff

// Leading timestamps and log prefixes. Each matcher looks at the start of the
// line and returns how many bytes the prefix takes (0: no match). They are
// plain byte tests, no regular expressions: this runs on every line.

// stripPrefixes removes every leading timestamp or log header it knows,
// repeatedly, since they stack: Prow's bootstrap prefix before a klog header,
// a Treeherder task prefix before a clock time.
func stripPrefixes(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:] // Ginkgo indents the klog lines of a spec's timeline
	}
	for range 6 {
		n := prefixLen(b)
		if n == 0 {
			return b
		}
		b = b[n:]
		for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
			b = b[1:]
		}
	}
	return b
}

func prefixLen(b []byte) int {
	if len(b) < 8 {
		return 0
	}
	c := b[0]
	switch {
	case isDigit(c):
		if n := isoStamp(b); n > 0 {
			return n
		}
		if n := goLogStamp(b); n > 0 {
			return n
		}
		if n := clockTime(b); n > 0 && (n == len(b) || b[n] == ' ' || b[n] == '\t' || b[n] == ']' || b[n] == '|') {
			return n
		}
	case c == 'I' || c == 'W' || c == 'E' || c == 'F':
		return klogHeader(b)
	case c == '[' || c == '(':
		return bracketed(b)
	case c == 't':
		return logrusTime(b)
	case c >= 'A' && c <= 'S':
		return syslogStamp(b)
	}
	return 0
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func digits(b []byte, i, n int) bool {
	if i+n > len(b) {
		return false
	}
	for _, c := range b[i : i+n] {
		if !isDigit(c) {
			return false
		}
	}
	return true
}

// runDigits returns the end of the run of digits starting at i.
func runDigits(b []byte, i int) int {
	for i < len(b) && isDigit(b[i]) {
		i++
	}
	return i
}

// clockTime matches HH:MM:SS with an optional fraction (. or ,).
func clockTime(b []byte) int {
	// One length check and fixed indexes: this runs on most lines.
	if len(b) < 8 {
		return 0
	}
	_ = b[7]
	if !isDigit(b[0]) || !isDigit(b[1]) || b[2] != ':' || !isDigit(b[3]) || !isDigit(b[4]) || b[5] != ':' || !isDigit(b[6]) || !isDigit(b[7]) {
		return 0
	}
	i := 8
	if i+1 < len(b) && (b[i] == '.' || b[i] == ',') && isDigit(b[i+1]) {
		i = runDigits(b, i+1)
	}
	return i
}

// zone matches Z, or +HH:MM, +HHMM, +HH.
func zone(b []byte, i int) int {
	if i < len(b) && b[i] == 'Z' {
		return i + 1
	}
	if i < len(b) && (b[i] == '+' || b[i] == '-') && digits(b, i+1, 2) {
		j := i + 3
		if j < len(b) && b[j] == ':' && digits(b, j+1, 2) {
			return j + 3
		}
		if digits(b, j, 2) {
			return j + 2
		}
		return j
	}
	return i
}

// isoStamp matches an RFC 3339 / ISO 8601 date-time: 2022-04-12T19:22:54.9573194Z,
// 2019-01-01 10:00:00,123 +0000, and a bare date followed by a clock time.
func isoStamp(b []byte) int {
	if len(b) < 10 {
		return 0
	}
	_ = b[9]
	if !isDigit(b[0]) || !isDigit(b[1]) || !isDigit(b[2]) || !isDigit(b[3]) || b[4] != '-' || !isDigit(b[5]) || !isDigit(b[6]) || b[7] != '-' || !isDigit(b[8]) || !isDigit(b[9]) {
		return 0
	}
	i := 10
	if i < len(b) && (b[i] == 'T' || b[i] == ' ') {
		if n := clockTime(b[i+1:]); n > 0 {
			i += 1 + n
			if i < len(b) && b[i] == ' ' && i+1 < len(b) && (b[i+1] == '+' || b[i+1] == '-') && digits(b, i+2, 4) {
				i++
			}
			return zone(b, i)
		}
	}
	return 0
}

// goLogStamp matches Go's log package: 2025/02/11 01:26:18[.123456] [file.go:153: ].
func goLogStamp(b []byte) int {
	if !digits(b, 0, 4) || len(b) < 19 || b[4] != '/' || !digits(b, 5, 2) || b[7] != '/' || !digits(b, 8, 2) || b[10] != ' ' {
		return 0
	}
	n := clockTime(b[11:])
	if n == 0 {
		return 0
	}
	i := 11 + n
	// Optional "file.go:123: " (log.Lshortfile).
	if i < len(b) && b[i] == ' ' {
		j := i + 1
		for j < len(b) && b[j] != ' ' && b[j] != ':' {
			j++
		}
		if j > i+1 && j+1 < len(b) && b[j] == ':' && isDigit(b[j+1]) {
			k := runDigits(b, j+1)
			if k+1 < len(b) && b[k] == ':' && b[k+1] == ' ' && hasSuffixGo(b[i+1:j]) {
				return k + 1
			}
		}
	}
	return i
}

func hasSuffixGo(name []byte) bool {
	return len(name) > 3 && string(name[len(name)-3:]) == ".go"
}

// klogHeader matches klog/glog: I1125 19:21:41.123456    1234 file.go:42] and
// the old Prow bootstrap prefix I0221 07:16:19.120] .
func klogHeader(b []byte) int {
	if !digits(b, 1, 4) || len(b) < 15 || b[5] != ' ' {
		return 0
	}
	n := clockTime(b[6:])
	if n == 0 {
		return 0
	}
	i := 6 + n
	if i < len(b) && b[i] == ']' {
		return i + 1
	}
	j := i
	for j < len(b) && b[j] == ' ' {
		j++
	}
	if j == i || j >= len(b) || !isDigit(b[j]) {
		return i // a klog time without the thread id: strip the time alone
	}
	j = runDigits(b, j)
	if j >= len(b) || b[j] != ' ' {
		return i
	}
	k := j + 1
	for k < len(b) && b[k] != ']' && b[k] != ' ' {
		k++
	}
	if k < len(b) && b[k] == ']' {
		return k + 1
	}
	return i
}

// bracketed matches a timestamp in brackets or parentheses: [2021-01-01T10:00:00.000Z],
// [10:00:00], (12:34:56) (Bazel), [task 2025-02-13T21:47:57.540Z] (Taskcluster).
func bracketed(b []byte) int {
	close := byte(']')
	if b[0] == '(' {
		close = ')'
	}
	i := 1
	if b[0] == '[' && len(b) > 6 && string(b[1:6]) == "task " {
		i = 6
	}
	n := isoStamp(b[i:])
	if n == 0 {
		n = clockTime(b[i:])
	}
	if n == 0 {
		return 0
	}
	i += n
	if i < len(b) && b[i] == close {
		return i + 1
	}
	return 0
}

// logrusTime matches logrus' time="..." field.
func logrusTime(b []byte) int {
	if len(b) < 8 || string(b[:6]) != `time="` {
		return 0
	}
	for i := 6; i < len(b) && i < 64; i++ {
		if b[i] == '"' {
			return i + 1
		}
	}
	return 0
}

var months = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// syslogStamp matches "Dec 10 12:34:56[.789]" and "Dec  1 ...".
func syslogStamp(b []byte) int {
	if len(b) < 15 || b[3] != ' ' {
		return 0
	}
	ok := false
	for _, m := range months {
		if string(b[:3]) == m {
			ok = true
			break
		}
	}
	if !ok {
		return 0
	}
	i := 4
	if b[i] == ' ' {
		i++
	}
	j := runDigits(b, i)
	if j == i || j-i > 2 || j >= len(b) || b[j] != ' ' {
		return 0
	}
	n := clockTime(b[j+1:])
	if n == 0 {
		return 0
	}
	return j + 1 + n
}
