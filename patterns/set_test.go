package patterns

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestStrip(t *testing.T) {
	s := compile(t, `rules:
  - {kind: strip, match: {regexp: '\d{4}-\d\d-\d\dT[\d:.]+Z '}}
  - {kind: strip, match: '[builder] '}
  - {kind: strip, match: {regexp: '\d+> '}}
`)
	for _, tc := range []struct{ name, line, want string }{
		{"timestamp", "2024-05-30T09:10:31.1584995Z hello", "hello"},
		{"prefixes compose", "[builder] 2024-05-30T09:10:31Z 12> hello", "hello"},
		{"only at the start", "hello 2024-05-30T09:10:31Z [builder] x", "hello 2024-05-30T09:10:31Z [builder] x"},
		{"implicitly anchored", "x12> y", "x12> y"},
		{"everything", "[builder] ", ""},
		{"at most eight", strings.Repeat("1> ", 10) + "x", "1> 1> x"},
		{"nothing", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := string(s.Strip([]byte(tc.line))); got != tc.want {
				t.Errorf("Strip(%q) = %q, want %q", tc.line, got, tc.want)
			}
		})
	}
}

func TestMask(t *testing.T) {
	s := compile(t, `rules:
  - {kind: mask, match: {regexp: 'session-[a-z0-9]{8}'}, replace: '<session>'}
  - {kind: mask, match: {regexp: '(pod/[a-z-]+)-[a-z0-9]{5}\b'}, replace: '$1-<pod>'}
  - {kind: mask, match: 'bucket gs://ci-tmp-', replace: 'bucket <tmp>'}
  - {kind: mask, match: {regexp: '(?i)build id: \w+'}, replace: 'build id: <id>'}
  - {kind: mask, match: {regexp: '<session> on node-[a-z]+'}, replace: '<session> on <node>'}
`)
	for _, tc := range []struct{ name, line, want string }{
		{"none", "nothing to see", "nothing to see"},
		{"regexp, every match", "open session-ab12cd34 and session-zzzzzzzz", "open <session> and <session>"},
		{"group reference", "deleted pod/kube-dns-7x9qz in 3s", "deleted pod/kube-dns-<pod> in 3s"},
		{"literal", "upload to bucket gs://ci-tmp-1234", "upload to bucket <tmp>1234"},
		{"case-insensitive", "Build ID: A1b2", "build id: <id>"},
		{"later rules see earlier results", "session-ab12cd34 on node-west", "<session> on <node>"},
		{"status words stay", "FAIL session-ab12cd34 exit code 1", "FAIL <session> exit code 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := s.Mask([]byte("dst:"), []byte(tc.line))
			if string(got) != "dst:"+tc.want {
				t.Errorf("Mask(%q) = %q, want %q", tc.line, got, "dst:"+tc.want)
			}
			if again := s.Mask(nil, got[4:]); !bytes.Equal(again, got[4:]) {
				t.Errorf("Mask is not idempotent: %q -> %q", got[4:], again)
			}
		})
	}
}

func TestIgnoreSignatureHint(t *testing.T) {
	pack := `rules:
  - {kind: ignore, name: dind, match: 'Waiting for docker to be ready'}
  - {kind: signature, name: kube-up, match: {regexp: '^Kubernetes cluster (?:created|is running)'}, weight: 2}
  - {kind: signature, match: 'cluster'}
  - {kind: hint, name: empty, match: {regexp: "Cannot bind argument to parameter '(\\w+)' because it is an empty string"}, hint: "empty $1"}
  - {kind: hint, match: 'Cannot bind', hint: 'generic'}
`
	user := `rules:
  - {kind: signature, match: 'cluster is running', weight: 5}
  - {kind: hint, match: "parameter 'Path'", hint: 'the user knows better'}
`
	s := compile(t, pack, user)
	for _, tc := range []struct {
		line   string
		ignore bool
		weight float64 // 0: no signature
		hint   string
	}{
		{line: "Waiting for docker to be ready, sleeping for 1 seconds.", ignore: true},
		{line: "Kubernetes cluster created.", weight: 2},
		{line: "Kubernetes cluster is running.  The master is running at:", weight: 5},
		{line: "some cluster", weight: 1},
		{line: "Cannot bind argument to parameter 'Config' because it is an empty string.", hint: "empty Config"},
		{line: "Cannot bind argument to parameter 'Path' because it is an empty string.", hint: "the user knows better"},
		{line: "Cannot bind, whatever", hint: "generic"},
		{line: "nothing at all"},
	} {
		t.Run(tc.line, func(t *testing.T) {
			l := []byte(tc.line)
			if got := s.Ignore(l); got != tc.ignore {
				t.Errorf("Ignore = %v, want %v", got, tc.ignore)
			}
			w, ok := s.Signature(l)
			if ok != (tc.weight != 0) || w != tc.weight {
				t.Errorf("Signature = %v, %v; want %v", w, ok, tc.weight)
			}
			h, ok := s.Hint(l)
			if ok != (tc.hint != "") || h != tc.hint {
				t.Errorf("Hint = %q, %v; want %q", h, ok, tc.hint)
			}
		})
	}
}

func TestOverride(t *testing.T) {
	pack := `rules:
  - {kind: ignore, name: noise, match: 'progress'}
  - {kind: ignore, name: other, match: 'other'}
  - {kind: hint, name: h, match: 'boom', hint: 'pack says'}
`
	user := `rules:
  - {kind: signature, name: noise, match: 'progress', weight: 3}
  - {name: other, disabled: true}
  - {kind: hint, name: h, match: 'boom', hint: 'user says'}
  - {name: not-defined-anywhere, disabled: true}
`
	s := compile(t, pack, user)
	if s.Ignore([]byte("progress 10%")) {
		t.Error("the user's rule of the same name did not replace the pack's ignore rule")
	}
	if w, ok := s.Signature([]byte("progress 10%")); !ok || w != 3 {
		t.Errorf("Signature = %v, %v; want the user's weight 3", w, ok)
	}
	if s.Ignore([]byte("other")) {
		t.Error("a disabled rule is still applied")
	}
	if h, _ := s.Hint([]byte("boom")); h != "user says" {
		t.Errorf("Hint = %q, want the user's", h)
	}
	var names []string
	for _, r := range s.Rules() {
		names = append(names, r.Name+"@"+r.Source)
	}
	want := []string{"noise@b.yaml:2", "h@b.yaml:4"}
	if fmt.Sprint(names) != fmt.Sprint(want) {
		t.Errorf("Rules = %v, want %v", names, want)
	}
}

func TestCompileErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files []*File
		want  string
	}{
		{"invalid rule built in Go", []*File{{Name: "go", Rules: []Rule{{Kind: Mask, Pattern: "x*", Regexp: true, Replace: "y", Source: "go:7"}}}},
			`go:7: a mask pattern must not match the empty string ("x*" can): it would write its placeholder between characters`},
		{"duplicate names in one file", []*File{{Name: "go", Rules: []Rule{
			{Kind: Ignore, Name: "a", Pattern: "x", Source: "go:1"}, {Kind: Ignore, Name: "a", Pattern: "y", Source: "go:2"}}}},
			`go:2: duplicate name "a" (first at go:1)`},
		{"a placeholder another mask rewrites", []*File{
			{Name: "a.yaml", Rules: []Rule{{Kind: Mask, Pattern: "<id>", Replace: "ID", Source: "a.yaml:3"}}},
			{Name: "b.yaml", Rules: []Rule{{Kind: Mask, Pattern: "uid-[a-z]+", Regexp: true, Replace: "<id>", Source: "b.yaml:5"}}}},
			`b.yaml:5: replace "<id>" is changed by the mask rule at a.yaml:3, so masking a line twice would change it again`},
		{"no source", []*File{{Name: "go", Rules: []Rule{{Kind: "bogus", Pattern: "x"}}}},
			`go:rule 1: unknown kind "bogus" (known: strip, mask, ignore, signature, hint, template)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Compile(tc.files...)
			if err == nil {
				t.Fatalf("Compile = %v, want error %q", s, tc.want)
			}
			if err.Error() != tc.want {
				t.Errorf("Compile error:\n got %s\nwant %s", err, tc.want)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Errorf("error %#v is not an *Error", err)
			}
		})
	}
}

func TestRules(t *testing.T) {
	s := compile(t, `rules:
  - {kind: mask, match: {regexp: 'session-[a-z0-9]{8}'}, replace: '<session>'}
  - {kind: ignore, match: {regexp: '^I\d{4} '}}
  - {kind: ignore, match: {regexp: '\d+'}}
`)
	var got []string
	for _, r := range s.Rules() {
		got = append(got, fmt.Sprintf("%s:%q", r.Source, r.Prefilter))
	}
	want := []string{`a.yaml:2:["session-"]`, `a.yaml:3:["^[I][0-9][0-9][0-9][0-9][ ]"]`, `a.yaml:4:[]`}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Rules prefilters = %v, want %v", got, want)
	}
	s.Rules()[0].Prefilter[0] = "changed"
	if s.Rules()[0].Prefilter[0] != "session-" {
		t.Error("Rules returns the Set's own slices")
	}
}

// reference applies the rules of s one by one, without any prefilter: what
// the Set must be equivalent to.
type reference struct{ s *Set }

func (r reference) first(m *matcher, line []byte) int {
	for i, c := range m.rules {
		if c.matches(line) {
			return i
		}
	}
	return -1
}

func (r reference) mask(line []byte) []byte {
	cur := line
	for _, c := range r.s.mask.rules {
		if out, ok := c.mask(nil, cur); ok {
			cur = out
		}
	}
	return cur
}

func (r reference) strip(line []byte) []byte {
	for n := 0; n < maxStrips; n++ {
		stripped := false
		for _, c := range r.s.strip {
			if rest, ok := stripOnce(c, line); ok {
				line, stripped = rest, true
				break
			}
		}
		if !stripped {
			break
		}
	}
	return line
}

// check compares s with the reference on line and reports the differences.
func (r reference) check(t *testing.T, line []byte) {
	t.Helper()
	s := r.s
	if got, want := s.Strip(line), r.strip(line); !bytes.Equal(got, want) {
		t.Errorf("Strip(%q) = %q, want %q", line, got, want)
	}
	line = s.Strip(line)
	if got, want := s.Mask(nil, line), r.mask(line); !bytes.Equal(got, want) {
		t.Errorf("Mask(%q) = %q, want %q", line, got, want)
	}
	// MaskLine is Ignore, then Mask; a line no rule changes is not copied.
	out, changed, ignored := s.MaskLine([]byte("dst:"), line)
	wantIgnored := r.first(s.ignore, line) >= 0
	want := []byte("dst:")
	if masked := r.mask(line); !wantIgnored && !bytes.Equal(masked, line) {
		want = append(want, masked...)
	}
	if ignored != wantIgnored || !bytes.Equal(out, want) || changed != (len(want) > len("dst:")) {
		t.Errorf("MaskLine(%q) = %q, changed %v, ignored %v; want %q, ignored %v", line, out, changed, ignored, want, wantIgnored)
	}
	for _, k := range []struct {
		name string
		m    *matcher
	}{{"ignore", s.ignore}, {"signature", s.signature}, {"hint", s.hint}} {
		if got, want := k.m.first(line), r.first(k.m, line); got != want {
			name := func(i int) string {
				if i < 0 {
					return "none"
				}
				return k.m.rules[i].rule.Source
			}
			t.Errorf("%s rule for %q: %s, want %s", k.name, line, name(got), name(want))
		}
	}
}

// realLogs lists logs of ../shared/data that the packs are written for.
var realLogs = []string{
	"prow-buildlogs/maelvls-prowdig/build-log.txt",
	"cidiff/breakages/cidiff_11/fail.log",
	"cidiff/breakages/cidiff_57/fail.log",
	"cidiff/breakages/cv_45/fail.log",
	"cidiff/breakages/spork_441/fail.log",
	"cidiff/breakages/assertj_1944/fail.log",
	"bugswarm-pairs/Adobe-Consulting-Services-acs-aem-commons-358605962/358605962-orig.log",
	"bugswarm-analyzer-github/gradle/2160401079-orig.log.gz",
	"bugswarm-analyzer-travis/gradle/581212464-orig.log.gz",
	"bugswarm-analyzer-travis/python/210833092-orig.log.gz",
	"bugswarm-analyzer-travis/python/543124497-orig.log.gz",
	"bugswarm-analyzer-github/python/2024423709-orig.log.gz",
	"bugswarm-analyzer-travis/maven/148851383-orig.log.gz",
}

// TestAgainstReference checks that the prefilters never skip a rule that
// applies, for the built-in packs and a 100-rule file, on real logs.
func TestAgainstReference(t *testing.T) {
	packs := allPacks(t)
	user, err := Compile(mustParseFile(t, "testdata/bench100.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range realLogs {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			// Distinct lines, at most 4000 of them, spread over the log:
			// enough for every rule that applies to these logs.
			seen := map[string]bool{}
			var lines [][]byte
			for _, l := range readLog(t, name) {
				if !seen[string(l)] {
					seen[string(l)] = true
					lines = append(lines, l)
				}
			}
			step := max(1, len(lines)/4000)
			for i := 0; i < len(lines); i += step {
				reference{packs}.check(t, lines[i])
				reference{user}.check(t, lines[i])
			}
		})
	}
}

// TestAllocs checks that a line no rule touches costs no allocation, and
// neither does stripping a prefix.
func TestAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates: counts are for normal builds")
	}
	packs := allPacks(t)
	user, err := Compile(mustParseFile(t, "testdata/bench100.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	plain := []byte("[INFO] Compiling 42 source files to /home/runner/work/x/target/classes")
	stamped := []byte("2024-05-30T09:10:31.1584995Z x")
	buf := make([]byte, 0, 1024)
	for _, s := range []*Set{packs, user} {
		for _, f := range []struct {
			name string
			f    func()
		}{
			{"Strip", func() { s.Strip(plain) }},
			{"Strip a prefix", func() { s.Strip(stamped) }},
			{"Mask", func() { buf = s.Mask(buf[:0], plain) }},
			{"Ignore", func() { s.Ignore(plain) }},
			{"Signature", func() { s.Signature(plain) }},
			{"Hint", func() { s.Hint(plain) }},
		} {
			if n := testing.AllocsPerRun(100, f.f); n != 0 {
				t.Errorf("%s allocates %v times per line", f.name, n)
			}
		}
	}
}

// TestEmptyLine runs rules without prefilter (which run on every line) on
// an empty line.
func TestEmptyLine(t *testing.T) {
	s := compile(t, `rules:
  - {kind: mask, match: {regexp: '\d+'}, replace: '#'}
  - {kind: ignore, match: {regexp: '^\s*$'}}
  - {kind: signature, match: {regexp: '.*'}}
  - {kind: hint, match: {regexp: '\w*'}, hint: 'h'}
  - {kind: strip, match: {regexp: '.'}}
`)
	var empty []byte
	if got := s.Mask(nil, empty); len(got) != 0 {
		t.Errorf("Mask(empty) = %q", got)
	}
	if got := s.Mask([]byte("x"), []byte("a1b22")); string(got) != "xa#b#" {
		t.Errorf("Mask = %q, want xa#b#", got)
	}
	if !s.Ignore(empty) {
		t.Error("Ignore(empty) = false, want true")
	}
	if _, ok := s.Signature(empty); !ok {
		t.Error("Signature(empty) found nothing")
	}
	if h, _ := s.Hint(empty); h != "h" {
		t.Errorf("Hint(empty) = %q", h)
	}
	if got := s.Strip(empty); len(got) != 0 {
		t.Errorf("Strip(empty) = %q", got)
	}
}

// TestRuleLimits checks that the limit on rules of one kind counts the
// user's files alone: 1,000 rules of a user file are not refused because
// the built-in packs hold rules of the same kind too, and a refusal says
// what was counted.
func TestRuleLimits(t *testing.T) {
	var packs []*File
	for _, name := range Packs() {
		p, err := Pack(name)
		if err != nil {
			t.Fatal(err)
		}
		packs = append(packs, p)
	}
	user := func(t *testing.T, kind string, n int) *File {
		var b strings.Builder
		b.WriteString("rules:\n")
		for i := range n {
			switch kind {
			case "strip":
				fmt.Fprintf(&b, "  - {kind: strip, match: '[step-%d] '}\n", i)
			default:
				fmt.Fprintf(&b, "  - {kind: %s, match: 'benign line %d'}\n", kind, i)
			}
		}
		f, err := Parse("team.yaml", []byte(b.String()))
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	for _, tt := range []struct {
		name    string
		kind    string
		n       int
		wantErr string
	}{
		{"ignore at the limit", "ignore", maxUserKindRules, ""},
		{"signature at the limit", "signature", maxUserKindRules, ""},
		{"ignore over", "ignore", maxUserKindRules + 1, "too many ignore rules in the rule files: 1025, at most 1024 (the built-in packs' rules are not counted)"},
		{"strip at the limit", "strip", maxUserStripRules, ""},
		{"strip over", "strip", maxUserStripRules + 1, fmt.Sprintf("too many strip rules in the rule files: %d, at most %d (the built-in packs' rules are not counted)", maxUserStripRules+1, maxUserStripRules)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Compile(append(packs, user(t, tt.kind, tt.n))...)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("%d %s rules with the packs: %v", tt.n, tt.kind, err)
			case tt.wantErr != "" && (err == nil || err.Error() != tt.wantErr):
				t.Fatalf("%d %s rules: error %v, want %s", tt.n, tt.kind, err, tt.wantErr)
			}
		})
	}
}

func TestCandsFrom(t *testing.T) {
	for _, k := range []int{0, 1, 63, 64, 70, 128, 1000} {
		var c cands
		for _, i := range []int{0, 5, 63, 64, 65, 69, 70, 71, 127, 128, 500, 1100, maxKindRules - 1} {
			c.add(i)
		}
		got := c.from(k)
		for i := 0; i < maxKindRules; i++ {
			want := i+k < maxKindRules && c.has(i+k)
			if got.has(i) != want {
				t.Errorf("from(%d).has(%d) = %v, want %v", k, i, got.has(i), want)
			}
		}
	}
}

// TestMaskLineMany: MaskLine agrees with Ignore and Mask when the ignore
// rules do not start at a word of the candidate set (70 of them), and when
// ignore and mask rules are too many for one matcher.
func TestMaskLineMany(t *testing.T) {
	for _, n := range []int{70, maxUserKindRules} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			var b strings.Builder
			b.WriteString("rules:\n")
			for i := range n {
				fmt.Fprintf(&b, "  - {kind: ignore, match: {regexp: '^noise %d\\b'}}\n", i)
			}
			for i := range 200 {
				fmt.Fprintf(&b, "  - {kind: mask, match: {regexp: 'sess-%03d-\\w+'}, replace: '<sess>'}\n", i)
			}
			s := compile(t, b.String())
			if (s.rewrite == nil) != (n+200 > maxKindRules) {
				t.Fatalf("rewrite matcher built: %v, for %d rules", s.rewrite != nil, n+200)
			}
			for _, line := range []string{"noise 0", "noise 69 x", "noise 70", "noise 1023", "a sess-007-abc b", "noise 5 sess-001-x", "plain", "sess-199-q sess-000-r"} {
				reference{s}.check(t, []byte(line))
			}
		})
	}
}

// TestMaskLineNoCopy: a line no rule changes is neither copied nor
// allocated for, with the packs and with no rules at all (--pack none).
func TestMaskLineNoCopy(t *testing.T) {
	empty, err := Compile()
	if err != nil {
		t.Fatal(err)
	}
	long := []byte(strings.Repeat("checking for a long line of a build log ", 40))
	for name, s := range map[string]*Set{"packs": allPacks(t), "none": empty} {
		dst := make([]byte, 0, 16)
		allocs := testing.AllocsPerRun(100, func() {
			out, changed, ignored := s.MaskLine(dst, long)
			if changed || ignored || len(out) != 0 {
				t.Fatalf("%s: MaskLine of a plain line: %d bytes out, changed %v, ignored %v", name, len(out), changed, ignored)
			}
		})
		if allocs != 0 {
			t.Errorf("%s: %v allocations a line", name, allocs)
		}
	}
}
