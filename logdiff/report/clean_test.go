package report

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestClean(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		keepNL bool
		want   string
	}{
		{"plain text is kept", "ok: 3 passed\ttook 2s", false, "ok: 3 passed\ttook 2s"},
		{"ANSI escape shows as an escape", "\x1b[31mred", false, `\x1b[31mred`},
		{"NUL, BEL, CR and DEL", "a\x00b\x07c\rd\x7f", false, `a\x00b\x07c\rd\x7f`},
		{"newline kept when asked", "a\nb", true, "a\nb"},
		{"newline shown otherwise", "a\nb", false, `a\nb`},
		{"invalid UTF-8", "a\xffb\xc3", false, `a\xffb\xc3`},
		{"encoded surrogate", "\xed\xa0\x80", false, `\xed\xa0\x80`},
		{"noncharacters", "\uFFFE\uFFFF", false, `\ufffe\uffff`},
		{"C1 control", "a\u009b2J", false, `a\u009b2J`},
		{"bidi override and isolate", "a\u202Eb\u2066c", false, `a\u202eb\u2066c`},
		{"astral and accents are kept", "é 🪟 𝕏", false, "é 🪟 𝕏"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := clean(tt.in, tt.keepNL); got != tt.want {
				t.Errorf("clean(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestCut(t *testing.T) {
	tests := []struct {
		name string
		in   string
		n    int
		want string
	}{
		{"short", "abc", 3, "abc"},
		{"long", "abcdef", 4, "abc…"},
		{"runes, not bytes", "ééééé", 4, "ééé…"},
		{"exactly n runes of many bytes", "🪟🪟🪟", 3, "🪟🪟🪟"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := cut(tt.in, tt.n)
			if got != tt.want || utf8.RuneCountInString(got) > tt.n {
				t.Errorf("cut(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
			}
		})
	}
}

// TestChangedTokens checks the words highlighted in a changed pair: the
// tokens one line has and the other lacks, spaces never.
func TestChangedTokens(t *testing.T) {
	tests := []struct {
		name   string
		a, b   string
		wa, wb []string
	}{
		{"status word", "node-1   Ready    <none>", "node-1   NotReady   <none>", []string{"Ready"}, []string{"NotReady"}},
		{"exit code", "exit code: 0", "exit code: 1", []string{"0"}, []string{"1"}},
		{"inserted word", "Will download and extract x", "Will download x", []string{"and extract"}, nil},
		{"same", "same line", "same line", nil, nil},
		{"spacing only", "a  b", "a b", nil, nil},
		{"multibyte", "état → prêt", "état → fini", []string{"prêt"}, []string{"fini"}},
	}
	pick := func(s string, rs [][2]int) []string {
		var out []string
		for _, r := range rs {
			out = append(out, s[r[0]:r[1]])
		}
		return out
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ra, rb := changedTokens(tt.a, tt.b)
			if got := pick(tt.a, ra); strings.Join(got, "|") != strings.Join(tt.wa, "|") {
				t.Errorf("in %q: marked %q, want %q", tt.a, got, tt.wa)
			}
			if got := pick(tt.b, rb); strings.Join(got, "|") != strings.Join(tt.wb, "|") {
				t.Errorf("in %q: marked %q, want %q", tt.b, got, tt.wb)
			}
		})
	}
	t.Run("long lines fall back to one span", func(t *testing.T) {
		a := strings.Repeat("x ", maxTokens) + "old"
		b := strings.Repeat("x ", maxTokens) + "new"
		ra, rb := changedTokens(a, b)
		if len(ra) != 1 || a[ra[0][0]:ra[0][1]] != "old" || len(rb) != 1 || b[rb[0][0]:rb[0][1]] != "new" {
			t.Errorf("got %v %v", ra, rb)
		}
	})
}

func TestCutColumns(t *testing.T) {
	tests := []struct {
		name, in string
		n        int
		want     string
	}{
		{"fits", "hello", 10, "hello"},
		{"exactly", "0123456789", 10, "0123456789"},
		{"ascii", "0123456789abc", 10, "012345678…"},
		{"wide characters take two columns", "日本語のログ行です", 10, "日本語の…"},
		{"never inside an escape", `abcdef\u202eghijkl`, 10, "abcdef…"},
		{"an escape that fits stays", `ab\x1bcdefghijk`, 10, `ab\x1bcde…`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cutColumns(tt.in, tt.n); got != tt.want {
				t.Errorf("cutColumns(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
			}
		})
	}
}

// TestShortName: a name is kept as given when short, so that it can be
// opened (an absolute path keeps its root); a long one keeps its last
// three elements, marked as cut.
func TestShortName(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"/tmp/ci/fail.log", "/tmp/ci/fail.log"},
		{"A/k/j/build.log", "A/k/j/build.log"},
		{"job/123/build-log.txt", "job/123/build-log.txt"},
		{`C:\ci\logs\fail.log`, "C:/ci/logs/fail.log"},
		{"../../shared/data/bugswarm-pairs/ImmobilienScout24-deadcode4j-108400124/108400124-orig.log", "…/bugswarm-pairs/ImmobilienScout24-deadcode4j-108400124/108400124-orig.log"},
		{"logs/ci-kubernetes-e2e-windows-gce/1889208480745656321/build-log.txt", "…/ci-kubernetes-e2e-windows-gce/1889208480745656321/build-log.txt"},
	} {
		if got := shortName(tt.in); got != tt.want {
			t.Errorf("shortName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
