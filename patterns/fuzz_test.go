package patterns

import (
	"bytes"
	"regexp"
	"testing"
)

// FuzzParse: any input is refused with an *Error or parsed into rules that
// compile; nothing panics.
func FuzzParse(f *testing.F) {
	for _, name := range Packs() {
		data, err := packFS.ReadFile("packs/" + name + ".yaml")
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("rules:\n  - {kind: mask, match: {regexp: 'a(b)'}, replace: '<$1>'}\n"))
	f.Add([]byte("rules:\n  - &a {kind: ignore, match: x}\n  - *a\n"))
	f.Add([]byte("rules:\n  - {kind: template, match: 'a <*> b=<*>', keep: [[x], [y]]}\n  - {kind: template, match: '<*> done', keep: [z]}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse("fuzz.yaml", data)
		if err != nil {
			return
		}
		if _, err := Compile(file); err != nil {
			// Only the checks across rules may fail on a file that parsed.
			if !bytes.Contains([]byte(err.Error()), []byte("is changed by the mask rule at")) {
				t.Fatalf("a parsed file does not compile: %v", err)
			}
		}
	})
}

// FuzzMask: masking with the built-in packs is idempotent, and Strip and Mask
// agree with the reference that applies every rule without prefilters.
func FuzzMask(f *testing.F) {
	for _, s := range []string{
		"I0823 00:18:51.766123   12345 up.go:123] e2e-tests-certificates-49q8c ready",
		"Aug 23 00:18:51.766: INFO: waiting for bootstrap-e2e-minion-group-3pxn",
		`{"component":"entrypoint","time":"2022-08-23T00:43:45Z"}`,
		"tests/test_x.py::test_y PASSED                [ 45%]",
		"//pkg:foo_test (cached) PASSED in 0.5s",
		"> Task :compileJava UP-TO-DATE",
		"build\tRun tests\t2021-12-01T13:00:40.1077661Z Machine name: 'fv-az123-456'",
	} {
		f.Add(s)
	}
	packs := allPacks(f)
	f.Fuzz(func(t *testing.T, line string) {
		l := packs.Strip([]byte(line))
		once := packs.Mask(nil, l)
		if twice := packs.Mask(nil, once); !bytes.Equal(once, twice) {
			t.Fatalf("Mask is not idempotent:\n  %q\n->%q\n->%q", l, once, twice)
		}
		reference{packs}.check(t, []byte(line))
	})
}

// FuzzPrefilter: for any regexp, a rule of every kind applies to a line
// exactly when the regexp says so: the prefilter never skips a match.
func FuzzPrefilter(f *testing.F) {
	for _, s := range []string{`^FAIL\t\S+|^FAIL$`, `(?i)kelvin`, `(?i)k$`, `^SSS[•S]*$`, `a+b`, `\d{4}-x`,
		`(?i)ſ`, `[Kk]ey`, `(?i)straße`, `^•[•S]*$`, `x$`, `%\]$`, `\x{FFFD}x`, `^(?:Loading|Analyzing): `} {
		f.Add(s, "FAIL\tx Kelvin \u212Aelvin SSS• aab 1234-x ſ key strasse x %]\xff")
	}
	f.Fuzz(func(t *testing.T, pattern, line string) {
		re, err := regexp.Compile(pattern)
		if err != nil {
			return
		}
		l := []byte(line)
		for _, kind := range []Kind{Ignore, Mask, Strip} {
			r := Rule{Kind: kind, Pattern: pattern, Regexp: true, Source: "fuzz:1"}
			if kind == Mask {
				r.Replace = "<x>"
			}
			s, err := Compile(&File{Name: "fuzz", Rules: []Rule{r}})
			if err != nil {
				continue // a mask or strip pattern that matches "", or "<x>" masked again
			}
			switch kind {
			case Ignore:
				if got, want := s.Ignore(l), re.Match(l); got != want {
					t.Fatalf("%q on %q: Ignore = %v, regexp = %v (prefilter %q)", pattern, line, got, want, s.Rules()[0].Prefilter)
				}
			default:
				reference{s}.check(t, l)
			}
		}
	})
}
