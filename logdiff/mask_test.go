package logdiff

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// matchTokenEvery is matchToken as it was before it chose the matchers by
// the word's length and flags: every matcher tried in order. matchToken
// must answer as it does.
func matchTokenEvery(b []byte, i, j int) (int, string) {
	if isDigit(b[i]) && runDigits(b, i) == j && !(j-i == 5 && i > 0 && b[i-1] == '-') {
		ends := j == len(b)
		if !ends {
			switch c := b[j]; {
			case c == '-' || c == '/' || c == ':' || c == '.' || c == ',' || c == ' ' && j-i == 4:
			default:
				ends = true
			}
		}
		if ends && i > 1 && byteClass[b[i-2]] >= clHex && (j-i >= 7 && (b[i-1] == '-' || b[i-1] == '_') || j-i >= 5 && b[i-1] == '@') {
			return j, phID
		}
		if ends {
			return j, phNum
		}
	}
	if n := uuidLen(b[i:]); n > 0 && boundary(b, i+n) {
		return i + n, phUUID
	}
	if isDigit(b[i]) {
		if n := isoStamp(b[i:]); n > 0 {
			return i + n, phTS
		}
		if n := goLogStamp(b[i:]); n > 0 {
			return i + n, phTS
		}
		if n := slashStamp(b[i:]); n > 0 {
			return i + n, phTS
		}
		if n := mmddClock(b[i:]); n > 0 && boundary(b, i+n) {
			return i + n, phTS
		}
		if n := dateLen(b[i:]); n > 0 && boundary(b, i+n) {
			return i + n, phDate
		}
		if n := clockLen(b[i:]); n > 0 && boundary(b, i+n) {
			return i + n, phTime
		}
		if n := ipv4Len(b[i:]); n > 0 {
			return i + n, phIP
		}
	}
	if n := ipv6Len(b[i:]); n > 0 {
		return i + n, phIP
	}
	w := b[i:j]
	if i > 0 && b[i-1] == '-' && len(w) >= 4 && len(w) <= 10 && i > 1 && isWordByte(b[i-2]) && allK8s(w) && (hasLetter(w) || len(w) == 5) {
		return j, phRand
	}
	if gceSuffix(b, i, j) {
		return j, phRand
	}
	if isHexID(w) {
		return j, phHex
	}
	if isDigit(b[i]) || (b[i] == 'v' && j > i+1 && isDigit(b[i+1])) {
		if n := versionLen(b[i:]); n > 0 {
			return i + n, ""
		}
	}
	if isDigit(b[i]) {
		return numberWithUnit(b, i, j)
	}
	return 0, ""
}

// sameTokens reports the first word of line with a digit where matchToken
// and matchTokenEvery differ.
func sameTokens(t *testing.T, line string) {
	t.Helper()
	b := []byte(line)
	for i := 0; i < len(b); {
		if !isWordByte(b[i]) {
			i++
			continue
		}
		j, f := i, uint8(0)
		for j < len(b) && isWordByte(b[j]) {
			f |= byteFlags[b[j]]
			j++
		}
		if f&fDigit != 0 {
			end, ph := matchToken(b, i, j, f)
			wantEnd, wantPh := matchTokenEvery(b, i, j)
			if end != wantEnd || ph != wantPh {
				t.Errorf("%q at %d: matchToken = %d %q, every matcher in turn = %d %q", line, i, end, ph, wantEnd, wantPh)
			}
		}
		i = j
	}
}

// TestMatchTokenChooses: matchToken tries only the matchers that can match
// a word, and answers as trying every one does, on a token of each kind
// (and near misses) and on every line of the golden tests' logs.
func TestMatchTokenChooses(t *testing.T) {
	for _, line := range []string{
		"id 123e4567-e89b-12d3-a456-426614174000 and 123e4567-e89b-12d3-a456-42661417400 and 1234567-e89b",
		"deadbeef-e89b-12d3-a456-426614174000, at 2025-02-11T10:00:01.123Z, 2025-02-11 10:00:01,123 +0000",
		"2025/02/11 01:26:18 main.go:12: x 2025/02/11 01:26:18.123456 y 02/11/25 01:30:12.34 02/11/2025",
		"+++ [0405 13:19:29] 2025-02-11 2025/02/11 2025-02-1 1:02:03 12:34 12:34:56.789 1:2",
		"10.0.0.1 10.0.0.1:8080 192.168.1.0/24 1.2.3 1.2.3.4.5 1000.1.1.1 fe80::1 2001:db8::8a2e:370:7334 ab:cd:ef:01:23:45",
		"1::2 1:2:3:4:5:6 a1:: 0x1f 0X1F 0xg 1a2b3c4d 1a2b3c 1a2b3c4g sha256 amd64 x86_64",
		"test-7mhp pod-a1b2c kubernetes-staging-3005041317 minion-group-a6zz gke-x-b9d430b6-m7fx",
		"v1.32.0 1.26.8 v1.2 5m58.31s 100ms 17kB 205kB/s 1.2M 3.5GiB 1,234,567 12.5 5 s 01:24 min",
		"exit status 1 exit code: 137 failed=3 --gcp-nodes=3 --timeout=150m seed=1234567",
		"tmp.Ab3dE9fGhK /tmp/get-kube471010296 win2019 e2e k8s NQq4NdUjQTK_Zg10ULjAUA 日本1語",
	} {
		sameTokens(t, line)
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "golden", "*"))
	if len(files) == 0 {
		t.Fatal("no golden logs in testdata/golden")
	}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for line := range strings.Lines(string(data)) {
			sameTokens(t, strings.TrimSuffix(line, "\n"))
		}
	}
}

// FuzzMatchToken: matchToken answers as trying every matcher does.
func FuzzMatchToken(f *testing.F) {
	for _, s := range []string{"fe80::1", "10.0.0.1:80", "2025-02-11T10:00:01Z", "0x1f", "1a2b3c4d-", "02/11/25 01:30", "1:2:3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { sameTokens(t, s) })
}
