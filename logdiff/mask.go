package logdiff

import "bytes"

// Masking of volatile tokens. maskTokens copies a line into a key, replacing
// tokens that differ between runs of the same job by placeholders. It is a
// single forward scan over bytes with a class table; a word that holds no
// digit is copied as it is (the common case), and only words with digits go
// through the token matchers. Masking replaces the token alone, never the
// delimiters around it (`pod "test-7mhp" failed` keeps its quotes).
//
// Placeholders hold no digits, so masking a key again leaves it unchanged.

const (
	clOther = iota
	clDigit
	clHex   // a-f, A-F
	clAlpha // other letters and bytes >= 0x80 (parts of UTF-8 letters); '_' separates, so ids in snake_case mask
)

var byteClass = func() (t [256]uint8) {
	for c := 0; c < 256; c++ {
		switch {
		case c >= '0' && c <= '9':
			t[c] = clDigit
		case c >= 'a' && c <= 'f', c >= 'A' && c <= 'F':
			t[c] = clHex
		case c >= 'g' && c <= 'z', c >= 'G' && c <= 'Z', c >= 0x80:
			t[c] = clAlpha
		}
	}
	return t
}()

// k8sAlphabet is the alphabet of Kubernetes' generated name suffixes
// (apimachinery's rand.String: no vowels, no 0, 1, 3).
var k8sAlphabet = func() (t [256]bool) {
	for _, c := range "bcdfghjklmnpqrstvwxz2456789" {
		t[c] = true
	}
	return t
}()

func isWordByte(c byte) bool { return byteClass[c] != clOther }

// byteFlags has, for each byte, what the loop of maskTokens asks of it
// with one load: for a byte of a word (isWordByte) fWord and, for a digit,
// fDigit; for a letter that is not a hex digit (or a byte >= 0x80), fAlpha;
// for an upper-case letter, fUpper. Together over a word they tell whether
// it holds a digit, whether it is all hex letters and whether it may be a
// slugid, without another look at its bytes. For a byte outside words, the
// kind of separator it is (sepPlain is 0).
var byteFlags = func() (t [256]uint8) {
	for c := range 256 {
		switch byteClass[c] {
		case clDigit:
			t[c] = fWord | fDigit
		case clHex:
			t[c] = fWord
		case clAlpha:
			t[c] = fWord | fAlpha
		}
		if c >= 'A' && c <= 'Z' {
			t[c] |= fUpper
		}
	}
	t[' '], t['\t'] = sepSpace, sepSpace
	t['.'], t['*'], t['~'] = sepRun, sepRun, sepRun
	t['='], t['#'] = sepRunKeep, sepRunKeep
	t[':'], t['('] = sepKeep, sepKeep
	return t
}()

const (
	fWord  = 1
	fDigit = 2
	fAlpha = 4
	fUpper = 8

	sepPlain = 0
	sepSpace = 16 // white space: folded
	// Runs of four or more are three: progress dots, as many as the wait
	// took, often glued to the text that ends the wait (".......Cluster
	// created."), and the fill of a progress bar ("|****      |"). Not
	// '-' or '_', which ids hold.
	sepRun     = 32
	sepRunKeep = 48 // as sepRun, and a separator before a status number ('=', '#')
	sepKeep    = 64 // a separator before a status number (':', '(')
)

// maskTokens appends the key of b to dst. What it keeps, it keeps by
// reference: b[pend:i] is the text since the last change, copied in one
// piece when a placeholder or a folded space comes (most words and
// separators stay as they are, and were copied one by one).
func maskTokens(dst, b []byte) []byte {
	prevStart, prevEnd := 0, 0 // b[prevStart:prevEnd] is the last word without digits, for status context
	sepOnly := false           // only separators since that word
	i := 0
	for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
		i++ // leading white space does not count
	}
	pend := i
	for i < len(b) {
		c := b[i]
		f := byteFlags[c]
		if f == sepPlain {
			sepOnly = false
			i++
			continue
		}
		if f&fWord == 0 {
			switch f {
			case sepSpace:
				j := i + 1
				for j < len(b) && (b[j] == ' ' || b[j] == '\t') {
					j++
				}
				if j == len(b) {
					return append(dst, b[pend:i]...) // trailing white space does not count
				}
				// Padding inside brackets aligns columns ("[  5.978 s]",
				// "[01:05 min]"): how much depends on the value. The last
				// byte kept is the pending text's, or else the key's.
				prev := byte(0)
				if i > pend {
					prev = b[i-1]
				} else if n := len(dst); n > 0 {
					prev = dst[n-1]
				}
				if prev == '[' || prev == '(' || b[j] == ']' || b[j] == ')' {
					dst = append(dst, b[pend:i]...)
					pend = j
					i = j
					continue
				}
				if c == '\t' || j > i+1 { // a single space stays as it is
					dst = append(dst, b[pend:i]...)
					dst = append(dst, ' ')
					pend = j
				}
				i = j
				continue
			case sepRun, sepRunKeep:
				if i+3 < len(b) && b[i+1] == c && b[i+2] == c && b[i+3] == c {
					j := i + 4
					for j < len(b) && b[j] == c {
						j++
					}
					dst = append(dst, b[pend:i]...)
					dst = append(dst, c, c, c)
					pend = j
					sepOnly = false
					i = j
					continue
				}
				if f == sepRun {
					sepOnly = false
				}
			}
			i++
			continue
		}
		j := i + 1
		for j < len(b) {
			g := byteFlags[b[j]]
			if g&fWord == 0 {
				break
			}
			f |= g
			j++
		}
		if f&fDigit == 0 {
			switch j - i {
			case 8:
				if f&fAlpha == 0 { // all hex letters
					if n := uuidLen(b[i:]); n > 0 && boundary(b, i+n) {
						dst = append(dst, b[pend:i]...)
						dst = append(dst, phUUID...)
						i += n
						pend = i
						sepOnly = false
						continue
					}
				}
			case 4, 5:
				// A Kubernetes random suffix (pod-a1b2c) or a GCE one
				// (minion-group-a6zz).
				if j-i == 5 && i > 1 && b[i-1] == '-' && isWordByte(b[i-2]) && allK8s(b[i:j]) || j-i == 4 && gceSuffix(b, i, j) {
					dst = append(dst, b[pend:i]...)
					dst = append(dst, phRand...)
					pend = j
					prevStart, prevEnd, sepOnly = i, j, true
					i = j
					continue
				}
			}
			if (c == 'S' || c == 0xE2) && isProgress(b[i:j]) {
				dst = append(dst, b[pend:i]...)
				dst = append(dst, phProgress...)
				pend = j
			}
			prevStart, prevEnd, sepOnly = i, j, true
			i = j
			continue
		}
		// A slugid is random base64url: its first word has a digit and an
		// upper-case letter after its first. Most words do not, and skip
		// the 22-byte look.
		if f&fUpper != 0 && innerUpper(b[i:j]) {
			if n := slugLen(b, i); n > 0 {
				dst = append(dst, b[pend:i]...)
				dst = append(dst, phID...)
				sepOnly = false
				i += n
				pend = i
				continue
			}
		}
		end, ph := matchToken(b, i, j, f)
		if ph == phNum || ph == phTime {
			// A number or clock and a unit of time apart from it
			// (Maven's "56.575 s" and "01:24 min") is a duration.
			if n := spacedUnit(b, end); n > 0 {
				end, ph = end+n, phDur
			}
		}
		if end > 0 {
			// A number after a status word, a flag's value and a token a
			// matcher keeps (ph "") stay as they are.
			if !(ph == "" || ph == phNum && sepOnly && isStatusWord(b[prevStart:prevEnd]) || keptFlagValue(b, i, end, ph)) {
				dst = append(dst, b[pend:i]...)
				dst = append(dst, ph...)
				pend = end
			}
			sepOnly = false
			i = end
			continue
		}
		dst = append(dst, b[pend:i]...)
		dst = maskWord(dst, b, i, j)
		pend = j
		sepOnly = false
		i = j
	}
	return append(dst, b[pend:]...)
}

const (
	phNum = "<num>"
	// Hashes, random name suffixes and other ids share one placeholder:
	// which matcher takes a random token depends on the letters it happens
	// to draw (c42445d4 fits the k8s alphabet, f355469c does not).
	phHex  = "<id>"
	phUUID = "<uuid>"
	phTS   = "<ts>"
	phTime = "<time>"
	phDate = "<date>"
	phIP   = "<ip>"
	phDur  = "<dur>"
	phSize = "<size>"
	phRand = "<id>"
	phID   = "<id>"

	phProgress = "<progress>"
)

// gceSuffix reports the four-character suffix GCE gives the instances of a
// managed instance group: e2e-...-minion-group-a6zz.
// GKE's node names end the same way after a hex id: gke-...-b9d430b6-m7fx.
func gceSuffix(b []byte, i, j int) bool {
	if j-i != 4 || i < 6 {
		return false
	}
	if string(b[i-6:i]) != "group-" && !(i >= 10 && b[i-1] == '-' && b[i-10] == '-' && allHex(b[i-9:i-1])) {
		return false
	}
	for _, c := range b[i:j] {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// isProgress reports a word made only of the marks test runners print per
// test (Ginkgo's S for skipped, • for passed, dots): its length and order
// vary with parallelism. A word with an F (failed) in it is not progress.
func isProgress(w []byte) bool {
	if len(w) < 2 {
		return false
	}
	for k := 0; k < len(w); {
		switch {
		case w[k] == 'S':
			k++
		case k+3 <= len(w) && string(w[k:k+3]) == "•":
			k += 3
		default:
			return false
		}
	}
	return true
}

// keptFlagValue reports a small number or a duration that is the value of a
// command-line flag (--gcp-nodes=3, --timeout=150m): a setting, kept so
// that a change shows. Long numbers (seeds, ids) are still masked.
func keptFlagValue(b []byte, i, end int, ph string) bool {
	if i < 3 || b[i-1] != '=' || (ph != phNum && ph != phDur) || ph == phNum && end-i > 4 {
		return false
	}
	k := i - 2
	// '<' and '>': a flag name may hold a placeholder once masked.
	for k >= 0 && (isWordByte(b[k]) || b[k] == '-' || b[k] == '.' || b[k] == '<' || b[k] == '>') {
		k--
	}
	start := k + 1
	if !(k < 0 || b[k] == ' ' || b[k] == '\t' || b[k] == '"' || b[k] == '\'' || b[k] == ',' || b[k] == '[') {
		return false
	}
	n := start
	for n < i-1 && b[n] == '-' {
		n++
	}
	// -x=1 or --name=1: dashes, then a letter.
	return n > start && n < i-1 && n-start <= 2 && (b[n]|0x20 >= 'a' && b[n]|0x20 <= 'z' || b[n] == '<')
}

func allK8s(w []byte) bool {
	for _, c := range w {
		if !k8sAlphabet[c] {
			return false
		}
	}
	return true
}

// boundary reports whether position i ends a token: end of line or a byte that is not part of a word.
func boundary(b []byte, i int) bool { return i >= len(b) || !isWordByte(b[i]) }

// matchToken tries the token matchers at b[i:], where b[i:j] is a word that
// holds a digit, and f is the or of its bytes' byteFlags. It returns the end of the token and its placeholder ("" to
// copy the token verbatim), or 0 when no matcher applies.
func matchToken(b []byte, i, j int, f uint8) (int, string) {
	// Cheap exit for the commonest case: a plain number that nothing
	// longer (a date, time, address, version, size) goes on from.
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
			// A random suffix that ends a name (after a letter) and drew
			// digits only (kubernetes-staging-3005041317): the same id
			// as kubernetes-staging-8d7821257d. So is an object's hash
			// after its class (Java's Stub@39659540 beside Stub@676b3d4c).
			return j, phID
		}
		if ends {
			return j, phNum
		}
	}
	// Each matcher is tried only on the words it can match: a token
	// goes on past the word b[i:j] only at a separator, so where that is
	// (the word's length) and what the word holds (f) rule most of them
	// out. A UUID starts with a word of 8 hex digits before its '-'.
	if j-i == 8 && f&fAlpha == 0 {
		if n := uuidLen(b[i:]); n > 0 && boundary(b, i+n) {
			return i + n, phUUID
		}
	}
	if isDigit(b[i]) {
		switch n := j - i; {
		case n == 4: // 2025-02-11, 2025/02/11 01:26:18, 0405 13:19:29
			if n := isoStamp(b[i:]); n > 0 {
				return i + n, phTS
			}
			if n := goLogStamp(b[i:]); n > 0 {
				return i + n, phTS
			}
			if n := mmddClock(b[i:]); n > 0 && boundary(b, i+n) {
				return i + n, phTS
			}
			if n := dateLen(b[i:]); n > 0 && boundary(b, i+n) {
				return i + n, phDate
			}
		case n <= 3: // 02/11/25, 1:02:03, 10.0.0.1
			if n == 2 {
				if n := slashStamp(b[i:]); n > 0 {
					return i + n, phTS
				}
			}
			if n <= 2 {
				if n := clockLen(b[i:]); n > 0 && boundary(b, i+n) {
					return i + n, phTime
				}
			}
			if n := ipv4Len(b[i:]); n > 0 {
				return i + n, phIP
			}
		}
	}
	// An IPv6 address starts with a word of hex digits before a ':'.
	if f&fAlpha == 0 && j < len(b) && b[j] == ':' {
		if n := ipv6Len(b[i:]); n > 0 {
			return i + n, phIP
		}
	}
	w := b[i:j]
	if i > 0 && b[i-1] == '-' && len(w) >= 4 && len(w) <= 10 && i > 1 && isWordByte(b[i-2]) && allK8s(w) && (hasLetter(w) || len(w) == 5) {
		return j, phRand
	}
	if gceSuffix(b, i, j) {
		return j, phRand
	}
	if (f&fAlpha == 0 || w[0] == '0') && isHexID(w) { // hex digits, or 0x and hex digits
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

// spacedUnit returns the length of a unit of time that follows a number
// after one space (" s", " ms", " min", " seconds"), or 0.
func spacedUnit(b []byte, end int) int {
	if end+2 > len(b) || b[end] != ' ' {
		return 0
	}
	k := end + 1
	for k < len(b) && b[k] >= 'a' && b[k] <= 'z' {
		k++
	}
	if k < len(b) && isWordByte(b[k]) {
		return 0
	}
	switch string(b[end+1 : k]) {
	case "s", "ms", "sec", "secs", "second", "seconds", "min", "mins", "minute", "minutes", "h", "hr", "hrs", "hour", "hours":
		return k - end
	}
	return 0
}

func innerUpper(w []byte) bool {
	for k := 1; k < len(w); k++ {
		if w[k] >= 'A' && w[k] <= 'Z' {
			return true
		}
	}
	return false
}

func isSlugByte(c byte) bool { return isWordByte(c) && c < 0x80 || c == '_' || c == '-' }

// slugLen matches a Taskcluster slugid (22 characters of URL-safe base64,
// NQq4NdUjQTK_Zg10ULjAUA) at b[i:]: random, with upper and lower case and a
// digit, standing alone (not next to a placeholder, so that masking again
// finds nothing new).
func slugLen(b []byte, i int) int {
	const n = 22
	if i+n > len(b) || i > 0 && (isSlugByte(b[i-1]) || b[i-1] == '>') {
		return 0
	}
	if i+n < len(b) && (isSlugByte(b[i+n]) || b[i+n] == '<') {
		return 0
	}
	var upper, lower, digit bool
	for _, c := range b[i : i+n] {
		switch {
		case c >= 'A' && c <= 'Z':
			upper = true
		case c >= 'a' && c <= 'z':
			lower = true
		case c >= '0' && c <= '9':
			digit = true
		case c == '_' || c == '-':
		default:
			return 0
		}
	}
	if !upper || !lower || !digit {
		return 0
	}
	return n
}

// stableLead reports whether the letters b[i:j] before a masked run of
// digits would come out unchanged if masked again as a word of their own:
// only then are they kept, so that masking stays idempotent.
func stableLead(b []byte, i, j int) bool {
	w := b[i:j]
	switch {
	case allHex(w): // hex letters could join a token before them
		return false
	case (w[0] == 'S' || w[0] == 0xE2) && isProgress(w):
		return false
	case len(w) == 5 && i > 1 && b[i-1] == '-' && isWordByte(b[i-2]) && allK8s(w):
		return false
	case len(w) == 4 && gceSuffix(b, i, j):
		return false
	}
	return true
}

func allHex(w []byte) bool {
	for _, c := range w {
		if !isHexByte(c) {
			return false
		}
	}
	return true
}

func hasLetter(w []byte) bool {
	for _, c := range w {
		if byteClass[c] == clHex || byteClass[c] == clAlpha {
			return true
		}
	}
	return false
}

func isHexByte(c byte) bool { return byteClass[c] == clDigit || byteClass[c] == clHex }

// uuidLen matches 8-4-4-4-12 hex digits.
func uuidLen(b []byte) int {
	if len(b) < 36 {
		return 0
	}
	for k := 0; k < 36; k++ {
		switch k {
		case 8, 13, 18, 23:
			if b[k] != '-' {
				return 0
			}
		default:
			if !isHexByte(b[k]) {
				return 0
			}
		}
	}
	return 36
}

// isHexID reports a hash or hex id: 0x followed by hex digits, or seven or
// more hex digits with at least one letter and one digit (git's short hash
// length; an all-letter word such as "deadbeef" or "facade" stays).
func isHexID(w []byte) bool {
	if len(w) > 2 && w[0] == '0' && (w[1] == 'x' || w[1] == 'X') {
		for _, c := range w[2:] {
			if !isHexByte(c) {
				return false
			}
		}
		return true
	}
	if len(w) < 7 {
		return false
	}
	letter, digit := false, false
	for _, c := range w {
		switch byteClass[c] {
		case clDigit:
			digit = true
		case clHex:
			letter = true
		default:
			return false
		}
	}
	return letter && digit
}

// slashStamp matches Ginkgo's 02/11/25 01:30:12.34 (and a bare 02/11/25).
func slashStamp(b []byte) int {
	if !digits(b, 0, 2) || len(b) < 8 || b[2] != '/' || !digits(b, 3, 2) || b[5] != '/' || !digits(b, 6, 2) {
		return 0
	}
	i := 8
	if digits(b, 8, 2) {
		i = 10 // four-digit year
	}
	if i < len(b) && b[i] == ' ' {
		if n := clockLen(b[i+1:]); n > 0 {
			return i + 1 + n
		}
	}
	if boundary(b, i) {
		return i
	}
	return 0
}

// dateLen matches YYYY-MM-DD and YYYY/MM/DD.
func dateLen(b []byte) int {
	if digits(b, 0, 4) && len(b) >= 10 && (b[4] == '-' || b[4] == '/') && b[7] == b[4] && digits(b, 5, 2) && digits(b, 8, 2) {
		return 10
	}
	return 0
}

// mmddClock matches Kubernetes scripts' MMDD HH:MM:SS ("+++ [0405 13:19:29]").
func mmddClock(b []byte) int {
	if digits(b, 0, 4) && len(b) > 6 && b[4] == ' ' {
		if n := clockLen(b[5:]); n > 0 {
			return 5 + n
		}
	}
	return 0
}

// clockLen matches H:MM:SS or HH:MM:SS with an optional fraction, and MM:SS.
func clockLen(b []byte) int {
	i := runDigits(b, 0)
	if i == 0 || i > 2 || i+3 > len(b) || b[i] != ':' || !digits(b, i+1, 2) {
		return 0
	}
	i += 3
	if i+2 < len(b) && b[i] == ':' && digits(b, i+1, 2) {
		i += 3
	}
	if i+1 < len(b) && (b[i] == '.' || b[i] == ',') && isDigit(b[i+1]) {
		i = runDigits(b, i+1)
	}
	return i
}

// ipv4Len matches a dotted quad with an optional :port or /prefix.
func ipv4Len(b []byte) int {
	i := 0
	for g := 0; g < 4; g++ {
		j := runDigits(b, i)
		if j == i || j-i > 3 {
			return 0
		}
		i = j
		if g < 3 {
			if i >= len(b) || b[i] != '.' {
				return 0
			}
			i++
		}
	}
	if i < len(b) && isWordByte(b[i]) {
		return 0
	}
	if i+1 < len(b) && (b[i] == ':' || b[i] == '/') && isDigit(b[i+1]) {
		i = runDigits(b, i+1)
	}
	return i
}

// ipv6Len matches an IPv6 address: hex groups and colons with "::" or at
// least five colons (so clock times do not match), standing alone: not
// running on into a word, not ending with a colon. Being strict about its
// ends keeps masking idempotent when the pieces of a non-address are masked.
func ipv6Len(b []byte) int {
	i := 0
	for i < len(b) && (isHexByte(b[i]) || b[i] == ':') {
		i++
	}
	run := b[:i]
	if i < 3 || (i < len(b) && isWordByte(b[i])) || run[i-1] == ':' || bytes.Contains(run, []byte(":::")) {
		return 0
	}
	colons, group := 0, 0
	for _, c := range run {
		if c != ':' {
			if group++; group > 4 {
				return 0
			}
			continue
		}
		colons++
		group = 0
	}
	if colons < 2 || colons > 7 || (colons < 5 && !bytes.Contains(run, []byte("::"))) {
		return 0
	}
	return i
}

// versionLen matches a version with at least three parts (1.26.8, v1.32.0):
// kept verbatim, since a changed dependency version is often the cause.
func versionLen(b []byte) int {
	i := 0
	if b[0] == 'v' {
		i = 1
	}
	parts := 0
	for {
		j := runDigits(b, i)
		if j == i {
			return 0
		}
		parts++
		i = j
		if i+1 < len(b) && b[i] == '.' && isDigit(b[i+1]) {
			i++
			continue
		}
		break
	}
	if parts < 3 || !boundary(b, i) {
		return 0
	}
	return i
}

// numberWithUnit matches a number (with thousands separators and a
// fraction) and an optional unit of time or size written against it: 5m58.31s,
// 100ms, 17kB, 205kB/s, 1.2M. A bare number is <num>.
func numberWithUnit(b []byte, i, j int) (int, string) {
	k := runDigits(b, i)
	for k+3 < len(b) && b[k] == ',' && digits(b, k+1, 3) && !isDigit(safeAt(b, k+4)) {
		k += 4
	}
	if k+1 < len(b) && b[k] == '.' && isDigit(b[k+1]) {
		k = runDigits(b, k+1)
	}
	if boundary(b, k) {
		return k, phNum
	}
	if n := durationLen(b[i:]); n > 0 && boundary(b, i+n) {
		return i + n, phDur
	}
	if n := sizeUnitLen(b[k:]); n > 0 {
		end := k + n
		if end+1 < len(b) && b[end] == '/' && b[end+1] == 's' && boundary(b, end+2) {
			end += 2
		}
		return end, phSize
	}
	if runDigits(b, i) == j {
		return j, phNum // an all-digit word before something else: the number alone
	}
	return 0, ""
}

func safeAt(b []byte, i int) byte {
	if i < len(b) {
		return b[i]
	}
	return 0
}

// durationLen matches Go-style durations: one or more number+unit groups
// (h, m, s, ms, us, µs, ns, d).
func durationLen(b []byte) int {
	i, groups := 0, 0
	for {
		j := runDigits(b, i)
		if j == i {
			break
		}
		if j+1 < len(b) && b[j] == '.' && isDigit(b[j+1]) {
			j = runDigits(b, j+1)
		}
		u := unitLen(b[j:])
		if u == 0 {
			if groups > 0 {
				return i
			}
			return 0
		}
		i = j + u
		groups++
	}
	if groups == 0 {
		return 0
	}
	return i
}

func unitLen(b []byte) int {
	switch {
	case len(b) >= 2 && (string(b[:2]) == "ms" || string(b[:2]) == "us" || string(b[:2]) == "ns"):
		return 2
	case len(b) >= 3 && string(b[:3]) == "µs":
		return 3
	case len(b) >= 3 && (string(b[:3]) == "sec" || string(b[:3]) == "min"):
		if len(b) >= 4 && b[3] == 's' {
			return 4
		}
		return 3
	case len(b) >= 1 && (b[0] == 'h' || b[0] == 'm' || b[0] == 's' || b[0] == 'd'):
		return 1
	}
	return 0
}

// sizeUnitLen matches a size unit that ends a word: B, k, kB, KiB, M, MB, MiB, G, GB, T, bytes.
func sizeUnitLen(b []byte) int {
	n := 0
	switch {
	case len(b) >= 5 && string(b[:5]) == "bytes":
		n = 5
	case len(b) >= 1 && (b[0] == 'B' || b[0] == 'b'):
		n = 1
	case len(b) >= 1 && (b[0] == 'k' || b[0] == 'K' || b[0] == 'M' || b[0] == 'G' || b[0] == 'T'):
		n = 1
		if len(b) >= 3 && b[1] == 'i' && b[2] == 'B' {
			n = 3
		} else if len(b) >= 2 && (b[1] == 'B' || b[1] == 'b') {
			n = 2
		}
	default:
		return 0
	}
	if !boundary(b, n) {
		return 0
	}
	return n
}

// maskWord copies a word that mixes letters and digits and matched no token:
// from a long run of digits on, it is masked (/tmp/get-kube471010296), short
// runs are kept (amd64, e2e, k8s, win2019, sha256), and a word that looks random
// (letters and digits alternating, like mktemp's tmp.Ab3dE9fGhK) becomes <id>.
func maskWord(dst, b []byte, i, j int) []byte {
	w := b[i:j]
	if len(w) >= 8 {
		flips, digits := 0, 0
		for k := range w {
			d := byteClass[w[k]] == clDigit
			if d {
				digits++
			}
			if k > 0 && d != (byteClass[w[k-1]] == clDigit) {
				flips++
			}
		}
		if flips >= 4 && digits >= 2 {
			return append(dst, phID...)
		}
	}
	// A long run of digits makes the rest of the word an id: keep the
	// letters before it and mask from there on, as one placeholder at the
	// end, so that masking the key again changes nothing.
	lead := 0
	for lead < len(w) && !isDigit(w[lead]) {
		lead++
	}
	for k := lead; k < len(w); {
		if !isDigit(w[k]) {
			k++
			continue
		}
		e := runDigits(w, k)
		if e-k >= 5 {
			if stableLead(b, i, i+lead) {
				dst = append(dst, w[:lead]...)
			}
			return append(dst, phNum...)
		}
		k = e
	}
	dst = append(dst, w...)
	return dst
}
