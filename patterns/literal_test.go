package patterns

import (
	"fmt"
	"regexp/syntax"
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
