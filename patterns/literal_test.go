package patterns

import (
	"fmt"
	"regexp/syntax"
	"strings"
	"testing"
)

func parseRegexp(t *testing.T, expr string) *syntax.Regexp {
	t.Helper()
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		t.Fatal(err)
	}
	return re.Simplify()
}

func TestRequiredLiterals(t *testing.T) {
	for _, tc := range []struct {
		expr string
		want string // fmt of the literals; "[]" for none
	}{
		{`hello`, `[hello]`},
		{`session-[a-z0-9]{8}`, `[session-]`},
		{`(foo|bar)baz`, `[barbaz foobaz]`},
		{`(?:Jan|Feb) \d+`, `[Feb  Jan ]`},
		{`\d+ (?:passed|failed) in`, `[ failed in  passed in]`},
		{`x*`, `[]`},
		{`a|\d`, `[]`}, // one alternative has no literal
		{`SSS+`, `[SSS]`},
		{`(?i)error: `, `[error: (fold)]`},
		{`(?i)kind`, `[ind(fold)]`}, // k also matches the Kelvin sign
		{`(?i)ſ`, `[]`},
		{`\x{FFFD}abc`, `[abc]`}, // U+FFFD also matches bytes that are not UTF-8
		{`[ab]cd`, `[acd bcd]`},
		{`v\d+\.\d+`, `[v]`},
	} {
		t.Run(tc.expr, func(t *testing.T) {
			var got []string
			for _, l := range requiredLiterals(parseRegexp(t, tc.expr)) {
				s := l.s
				if l.fold {
					s += "(fold)"
				}
				got = append(got, s)
			}
			if fmt.Sprint(got) != tc.want {
				t.Errorf("requiredLiterals(%s) = %v, want %s", tc.expr, got, tc.want)
			}
		})
	}
}

func TestAnchors(t *testing.T) {
	for _, tc := range []struct {
		expr       string
		start, end bool
		head, tail string // the fixed bytes, as byteClass writes them
	}{
		{`^FAIL\t\S+|^FAIL$`, true, false, "[F][A][I][L]", ""},
		{`^I\d{4} `, true, false, "[I][0-9][0-9][0-9][0-9][ ]", ""},
		{`^(?:Loading|Analyzing): `, true, false, "[AL][no][a][dl][iy][nz][gi]", ""}, // as long as the shorter one
		{` \[ *\d{1,3}%\]$`, false, true, "", "[%][\\x5d]"},
		{`^•`, true, false, "[\\xe2][\\x80][\\xa2]", ""},
		{`(?i)^ok`, true, false, "[Oo]", ""}, // k also matches the Kelvin sign
		{`(?i)^sk`, true, false, "", ""},     // and s the long s
		{`a^b`, false, false, "", ""},
		{`^a|b`, false, false, "", ""},
	} {
		t.Run(tc.expr, func(t *testing.T) {
			re := parseRegexp(t, tc.expr)
			if got := startAnchored(re); got != tc.start {
				t.Errorf("startAnchored = %v", got)
			}
			if got := endAnchored(re); got != tc.end {
				t.Errorf("endAnchored = %v", got)
			}
			write := func(sets []*[256]bool, reverse bool) string {
				s := ""
				for _, set := range sets {
					if reverse {
						s = byteClass(set) + s
					} else {
						s += byteClass(set)
					}
				}
				return s
			}
			if tc.start {
				if got := write(fixedBytes(re, false), false); got != tc.head {
					t.Errorf("head = %s, want %s", got, tc.head)
				}
			}
			if tc.end {
				if got := write(fixedBytes(re, true), true); got != tc.tail {
					t.Errorf("tail = %s, want %s", got, tc.tail)
				}
			}
		})
	}
}

func TestFirstLastBytes(t *testing.T) {
	for _, tc := range []struct {
		expr, first, last string
	}{
		{`abc`, "[a]", "[c]"},
		{`a?b*c`, "[a-c]", "[c]"},
		{`(?i)k`, "[Kk\\xe2]", "[Kk\\x80-\\xff]"}, // the Kelvin sign is E2 84 AA
		{`[a-c]|é`, "[a-c\\xc3]", "[a-c\\x80-\\xff]"},
		{`\S`, "[\\x00-\\x08\\x0b\\x0e-\\x1f!-\\xff]", "[\\x00-\\x08\\x0b\\x0e-\\x1f!-\\xff]"}, // \s is [\t\n\f\r ]
	} {
		t.Run(tc.expr, func(t *testing.T) {
			re := parseRegexp(t, tc.expr)
			if got := byteClass(firstBytes(re)); got != tc.first {
				t.Errorf("firstBytes = %s, want %s", got, tc.first)
			}
			if got := byteClass(lastBytes(re)); got != tc.last {
				t.Errorf("lastBytes = %s, want %s", got, tc.last)
			}
		})
	}
}

func TestWholeBytes(t *testing.T) {
	for _, tc := range []struct {
		expr string
		want string // "" if the regexp is needed
	}{
		{`^[A-S][a-u][b-y] [ 0-3]\d \d\d:\d\d:\d\d\.\d{3}: `, "[A-S][a-u][b-y][ ][ 0-3][0-9][ ][0-9][0-9][:][0-9][0-9][:][0-9][0-9][.][0-9][0-9][0-9][:][ ]"},
		{`^(?:\[\d{4}\] )`, "[\\x5b][0-9][0-9][0-9][0-9][\\x5d][ ]"},
		{`^é`, "[\\xc3][\\xa9]"},
		{`^ab\b`, ""}, // an assertion
		{`^a+`, ""},   // a length that varies
		{`^(?i)sk`, ""},
		{`^a|b`, ""},
	} {
		t.Run(tc.expr, func(t *testing.T) {
			got := ""
			for _, set := range wholeBytes(parseRegexp(t, tc.expr)) {
				got += byteClass(set)
			}
			if got != tc.want {
				t.Errorf("wholeBytes = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestRequiredSets(t *testing.T) {
	for _, tc := range []struct {
		expr string
		want string // fmt of the sets, rarest first; "[]" for none
	}{
		{`hello`, `[[hello]]`},
		// The strip rule of gh run view --log: its literal, a tab, lets
		// through every line with a tab; "Z " must be there too. Sets of
		// single bytes (a tab, ":") are left out.
		{`^(?:[^\t]+\t[^\t]+\t\x{FEFF}?\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z )`, `[[Z ]]`},
		{`(foo|bar)baz`, `[[barbaz foobaz] [bar foo] [baz]]`},
		{`(?i)error: \w+ failed`, `[[error: (fold)] [ failed(fold)]]`},
		{`x*`, `[]`},
		{`(?:ab)?cd`, `[[cd] [abcd cd]]`},             // a part that may be absent is not required
		{`(?:ab|xy)cd`, `[[abcd xycd] [cd] [ab xy]]`}, // an alternation as a whole is
		{`(?:abc){2,3}d`, `[[abcabcabcd abcabcd] [abcabc abcabcabc] [abc]]`},
	} {
		t.Run(tc.expr, func(t *testing.T) {
			var got [][]string
			for _, set := range requiredSets(parseRegexp(t, tc.expr)) {
				var ss []string
				for _, l := range set {
					s := l.s
					if l.fold {
						s += "(fold)"
					}
					ss = append(ss, s)
				}
				got = append(got, ss)
			}
			if fmt.Sprint(got) != tc.want {
				t.Errorf("requiredSets(%s) = %v, want %s", tc.expr, got, tc.want)
			}
		})
	}
}

func TestIndexFold(t *testing.T) {
	for _, tc := range []struct {
		b, lower string
		want     int
	}{
		{"", "", 0},
		{"abc", "", 0},
		{"", "a", -1},
		{"xxERROR: x", "error:", 2},
		{"xxerror: x", "error:", 2},
		{"eeeeEeRROR", "error", 5},
		{"eRrOr", "error", 0},
		{"errorx", "rorx", 2},
		{"erro", "error", -1},
		{"ab-c", "-c", 2},
		{"aaaaaaaaab", "ab", 8},
		{"AAAAAAAAAB", "ab", 8},
		{"AAAAAAAAA", "ab", -1},
	} {
		t.Run(tc.b+"/"+tc.lower, func(t *testing.T) {
			if got := indexFold([]byte(tc.b), []byte(tc.lower)); got != tc.want {
				t.Errorf("indexFold(%q, %q) = %d, want %d", tc.b, tc.lower, got, tc.want)
			}
		})
	}
}

// TestTrigramKeys: the numeric keys keep the order of commonTrigrams, so
// that trigramCommonness finds every listed trigram by binary search.
func TestTrigramKeys(t *testing.T) {
	keys := trigramKeys()
	for i := 1; i < len(keys); i++ {
		if keys[i-1] >= keys[i] {
			t.Fatalf("trigram %d (%q) is not after trigram %d (%q)", i, commonTrigrams[3*i:3*i+3], i-1, commonTrigrams[3*i-3:3*i])
		}
	}
	for i := range keys {
		if got, want := trigramCommonness(commonTrigrams[3*i:3*i+3]), int(trigramRanks[i]); got != want {
			t.Errorf("trigramCommonness(%q) = %d, want %d", commonTrigrams[3*i:3*i+3], got, want)
		}
	}
	if got := trigramCommonness("\x00\x00\x01"); got != 0 {
		t.Errorf("a trigram that is not listed: %d, want 0", got)
	}
}

// TestMatcherEveryOffset: a matcher finds a literal at every offset of a line
// and in either case when it folds, whether it samples trigrams (the shortest
// literal is under quadGrams bytes) or grams of four bytes, and only where
// the literal is.
func TestMatcherEveryOffset(t *testing.T) {
	for _, tc := range []struct {
		name     string
		lits     []lit
		wantGram int
	}{
		{"three bytes", []lit{{s: "abc"}}, 3},
		{"six bytes", []lit{{s: "worker"}, {s: "store build cache"}}, 3},
		{"seven bytes", []lit{{s: "Writing"}}, 4},
		{"eight bytes and longer", []lit{{s: "Writing "}, {s: "Using worker: "}, {s: "store build cache"}}, 4},
		{"folded", []lit{{s: "kelvin temperature", fold: true}, {s: "using worker: ", fold: true}}, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var rules []*compiled
			for _, l := range tc.lits {
				rules = append(rules, &compiled{literals: []lit{l}})
			}
			m := newMatcher(rules)
			if m.gram != tc.wantGram {
				t.Errorf("gram = %d, want %d", m.gram, tc.wantGram)
			}
			for i, l := range tc.lits {
				text := l.s
				if l.fold {
					text = strings.ToUpper(text[:1]) + text[1:len(text)-1] + strings.ToUpper(text[len(text)-1:])
				}
				for off := 0; off < 20; off++ {
					line := []byte(strings.Repeat("/builds/workspace/", 2)[:off] + text + " tail")
					var c cands
					if !m.scan(line, &c) || !c.has(i) {
						t.Errorf("%q at offset %d of %q: not found", l.s, off, line)
					}
					// Without its last byte the literal is not there.
					line = []byte(strings.Repeat("/builds/workspace/", 2)[:off] + text[:len(text)-1])
					c = cands{}
					if m.scan(line, &c) && c.has(i) {
						t.Errorf("%q found in %q", l.s, line)
					}
				}
			}
		})
	}
}
