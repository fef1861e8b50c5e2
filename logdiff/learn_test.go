package logdiff

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// learnRuns keys the lines of each run with the built-in normalizer and
// learns from them.
func learnRuns(runs ...[]string) *Templates {
	keys := make([][][]byte, len(runs))
	for r, lines := range runs {
		for _, l := range lines {
			if k, ok := NewNormalizer(nil).Key(nil, []byte(l)); ok {
				keys[r] = append(keys[r], k)
			}
		}
	}
	return LearnTemplates(keys)
}

func maskLine(t *Templates, line string) string {
	m, _ := t.Mask(nil, []byte(key(line)))
	return string(m)
}

func TestLearnMask(t *testing.T) {
	tests := []struct {
		name  string
		runs  [][]string
		probe map[string]string // line -> its masked key
	}{
		{
			name: "cluster name that varies between runs",
			runs: [][]string{
				{"Creating cluster qwhzkvbnmx in zone central", "Cluster is up"},
				{"Creating cluster plokijuhyg in zone central", "Cluster is up"},
			},
			probe: map[string]string{
				"Creating cluster qwhzkvbnmx in zone central": "Creating cluster <*> in zone central",
				"Creating cluster plokijuhyg in zone central": "Creating cluster <*> in zone central",
				"Creating cluster zzyyxxwwvv in zone central": "Creating cluster <*> in zone central",
				"Creating cluster zzyyxxwwvv in zone east":    "Creating cluster zzyyxxwwvv in zone east",
				"Cluster is up": "Cluster is up",
			},
		},
		{
			name: "session id in a key=value field",
			runs: [][]string{
				{`login session=AbCdEfGhIj user="ci" shell=/bin/bash`},
				{`login session=QwErTyUiOp user="ci" shell=/bin/bash`},
			},
			probe: map[string]string{
				`login session=ZxCvBnMaSd user="ci" shell=/bin/bash`:   `login session=<*> user="ci" shell=/bin/bash`,
				`login session=ZxCvBnMaSd user="root" shell=/bin/bash`: `login session=ZxCvBnMaSd user="root" shell=/bin/bash`,
			},
		},
		{
			name: "a path one directory deeper varies as a whole",
			runs: [][]string{
				{"extracting into /tmp/qwerty/asdfgh done"},
				{"extracting into /tmp/zxcvbn done"},
			},
			probe: map[string]string{
				"extracting into /var/lib/x/y/z done": "extracting into <*> done",
			},
		},
		{
			name: "a status word at a variable position stays",
			runs: [][]string{
				{"job alphaqwe finished ok"},
				{"job betaqwer finished ok"},
			},
			probe: map[string]string{
				"job gammaqwe finished ok":     "job <*> finished ok",
				"job FAILED finished ok":       "job FAILED finished ok",
				"job gammaqwe finished FAILED": "job gammaqwe finished FAILED",
				"job gammaqwe finished error":  "job gammaqwe finished error",
			},
		},
		{
			name: "status words that differ between runs never become variable",
			runs: [][]string{
				{"check alpha: PASS", "suite one healthy: true", "step build SUCCESS"},
				{"check alpha: FAIL", "suite one healthy: false", "step build ERROR"},
			},
			probe: map[string]string{
				"check alpha: PASS":         "check alpha: PASS",
				"check alpha: FAIL":         "check alpha: FAIL",
				"check alpha: passed":       "check alpha: passed",
				"suite one healthy: false":  "suite one healthy: false",
				"step build SUCCEEDED":      "step build SUCCEEDED",
				"step build ERROR":          "step build ERROR",
				"suite one healthy: banana": "suite one healthy: banana",
			},
		},
		{
			name: "a number after exit status never becomes variable",
			runs: [][]string{
				{"process alphaqw exited with exit status 0", "command x rc=0 in zone east", "Tests run: 12, Failures: 0"},
				{"process betaqwe exited with exit status 0", "command y rc=2 in zone east", "Tests run: 12, Failures: 3"},
			},
			probe: map[string]string{
				"process gammaqw exited with exit status 0": "process <*> exited with exit status 0",
				"process gammaqw exited with exit status 1": "process gammaqw exited with exit status 1",
				"command x rc=0 in zone east":               "command x rc=0 in zone east",
				"command z rc=2 in zone east":               "command z rc=2 in zone east",
				"Tests run: 12, Failures: 3":                "Tests run: <num>, Failures: 3",
			},
		},
		{
			name: "a template seen in one run of two masks nothing",
			runs: [][]string{
				{"worker qwerty ready", "worker asdfgh ready"},
				{"something else entirely"},
			},
			probe: map[string]string{
				"worker qwerty ready": "worker qwerty ready",
				"worker zxcvbn ready": "worker zxcvbn ready",
			},
		},
		{
			name: "a text seen in two runs is stable and kept",
			runs: [][]string{
				{"pull image nginx done", "pull image qwerty done"},
				{"pull image nginx done", "pull image asdfgh done"},
			},
			probe: map[string]string{
				"pull image nginx done":  "pull image nginx done",
				"pull image qwerty done": "pull image <*> done",
				"pull image redis done":  "pull image <*> done",
			},
		},
		{
			name: "one run: a field with a few recurring texts is a category",
			runs: [][]string{{
				"VM Started (Lifecycle Event)", "VM Stopped (Lifecycle Event)", "VM Started (Lifecycle Event)",
				"VM Stopped (Lifecycle Event)", "VM Started (Lifecycle Event)", "VM Stopped (Lifecycle Event)",
				"Invalid user qwe from host", "Invalid user asd from host", "Invalid user zxc from host",
				"Invalid user rty from host", "Invalid user fgh from host", "Invalid user vbn from host",
			}},
			probe: map[string]string{
				"VM Stopped (Lifecycle Event)": "VM Stopped (Lifecycle Event)",
				"Invalid user uio from host":   "Invalid user <*> from host",
			},
		},
		{
			name: "keys no template fits are unchanged",
			runs: [][]string{{"a b c d"}, {"a b c e"}},
			probe: map[string]string{
				"":                   "",
				"completely new":     "completely new",
				"a b c d e":          "a b c d e",
				"Cannot find kube-x": "Cannot find kube-x",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tm := learnRuns(tt.runs...)
			lines := slices.Sorted(func(yield func(string) bool) {
				for l := range tt.probe {
					if !yield(l) {
						return
					}
				}
			})
			for _, l := range lines {
				got := maskLine(tm, l)
				if got != tt.probe[l] {
					t.Errorf("masking %q\n got  %q\n want %q", l, got, tt.probe[l])
					for tp := range tm.All() {
						t.Logf("template %q lines %d runs %d kept %q masks %v", tp.Text, tp.Lines, tp.Runs, tp.Kept, tp.Masks)
					}
				}
				if again, _ := tm.Mask(nil, []byte(got)); string(again) != got {
					t.Errorf("masking %q again gives %q", got, again)
				}
			}
		})
	}
}

func TestLearnTemplatesAll(t *testing.T) {
	tm := learnRuns(
		[]string{"Creating cluster qwhzkvbnmx in zone central", "started --name=alpha --zone=a", "same line"},
		[]string{"Creating cluster plokijuhyg in zone central", "started --name=beta --zone=a", "same line"},
	)
	var got []string
	for tp := range tm.All() {
		for _, v := range tp.Variable {
			if tp.Text[v:v+3] != "<*>" {
				t.Errorf("%q: variable offset %d does not point at <*>", tp.Text, v)
			}
		}
		got = append(got, fmt.Sprintf("%s|%d|%d|%v", tp.Text, tp.Lines, tp.Runs, tp.Masks))
	}
	want := []string{
		"Creating cluster <*> in zone central|2|2|true",
		"started --name=<*> --zone=a|2|2|true",
		"same line|2|2|false",
	}
	if !slices.Equal(got, want) {
		t.Errorf("templates\n got  %q\n want %q", got, want)
	}
	var nilT *Templates
	if m, ok := nilT.Mask([]byte("x:"), []byte("y")); string(m) != "x:y" || ok {
		t.Errorf("nil Templates masked %q, %v", m, ok)
	}
	for range nilT.All() {
		t.Error("nil Templates yield a template")
	}
}

// genKeys returns the keys of two synthetic runs of one job (genLog's
// templates) with a random cluster name and session id of letters added,
// which the built-in masks do not know.
func genKeys(tb testing.TB, size int) [][][]byte {
	return [][][]byte{genRun(tb, size, 1, nil), genRun(tb, size, 2, nil)}
}

// genRun returns the keys of one synthetic run; inject replaces the lines
// with these indexes (a failing run).
func genRun(tb testing.TB, size int, seed uint64, inject map[int]string) [][]byte {
	tb.Helper()
	var buf bytes.Buffer
	genLog(&buf, size, seed, nil)
	r := rand.New(rand.NewPCG(seed, 9))
	letters := func() string {
		b := make([]byte, 10)
		for i := range b {
			b[i] = byte('a' + r.IntN(26))
		}
		return string(b)
	}
	norm := NewNormalizer(nil)
	var keys [][]byte
	for i, line := range bytes.Split(buf.Bytes(), []byte("\n")) {
		switch {
		case inject[i] != "":
			line = []byte(inject[i])
		case i == 302:
			line = fmt.Appendf(nil, "cluster %s finished with exit status 0", letters())
		case i%5 == 0:
			line = fmt.Appendf(nil, "cluster %s: session=%s user=ci state=ready", letters(), letters())
		}
		if k, ok := norm.Key(nil, line); ok {
			keys = append(keys, k)
		}
	}
	return keys
}

// maskResidual learns from the keys of the passing runs that are not in
// every one of them, and masks those keys in every run, passing and
// failing: what Diff does with two baselines or more.
func maskResidual(passing [][][]byte, failing [][]byte) ([][][]byte, [][]byte) {
	in := map[string]int{} // how many passing runs hold a key
	for _, run := range passing {
		seen := map[string]bool{}
		for _, k := range run {
			if !seen[string(k)] {
				seen[string(k)] = true
				in[string(k)]++
			}
		}
	}
	common := func(k []byte) bool { return in[string(k)] == len(passing) }
	residual := make([][][]byte, len(passing))
	for r, run := range passing {
		for _, k := range run {
			if !common(k) {
				residual[r] = append(residual[r], k)
			}
		}
	}
	tm := LearnTemplates(residual)
	mask := func(run [][]byte) [][]byte {
		out := make([][]byte, len(run))
		for i, k := range run {
			out[i] = k
			if !common(k) {
				out[i], _ = tm.Mask(nil, k)
			}
		}
		return out
	}
	var masked [][][]byte
	for _, run := range passing {
		masked = append(masked, mask(run))
	}
	return masked, mask(failing)
}

func TestLearnSyntheticRuns(t *testing.T) {
	const size = 1 << 18
	passing := [][][]byte{genRun(t, size, 1, nil), genRun(t, size, 2, nil)}
	failing := genRun(t, size, 3, map[int]string{
		100: "cluster qwertyuiop: session=asdfghjkl user=ci state=FAILED",
		201: "!!! Cannot find kubernetes-node-windows-amd64.tar.gz",
		302: "cluster zxcvbnmqwe finished with exit status 1",
	})
	set := func(runs ...[][]byte) map[string]bool {
		m := map[string]bool{}
		for _, run := range runs {
			for _, k := range run {
				m[string(k)] = true
			}
		}
		return m
	}
	minus := func(x, y map[string]bool) []string {
		var out []string
		for k := range x {
			if !y[k] {
				out = append(out, k)
			}
		}
		slices.Sort(out)
		return out
	}
	if n := len(minus(set(passing[0]), set(passing[1]))); n < 250 {
		t.Fatalf("the synthetic passing runs differ in %d keys only before learning", n)
	}
	mp, mf := maskResidual(passing, failing)
	// Masked, the passing runs hold the same keys: what differed between
	// them was volatile. (They differ in length by a line or so: sets.)
	if d := minus(set(mp[0]), set(mp[1])); len(d) != 0 {
		t.Errorf("masked keys of run 1 not in run 2: %q", d)
	}
	if d := minus(set(mp[1]), set(mp[0])); len(d) != 0 {
		t.Errorf("masked keys of run 2 not in run 1: %q", d)
	}
	// The failing run differs in its injected lines alone, the flipped
	// status word and exit status included.
	wantNew := []string{
		"!!! Cannot find kubernetes-node-windows-amd64.tar.gz",
		"cluster qwertyuiop: session=asdfghjkl user=ci state=FAILED",
		"cluster zxcvbnmqwe finished with exit status 1",
	}
	if d := minus(set(mf), set(mp...)); !slices.Equal(d, wantNew) {
		t.Errorf("new in the failing run:\n got  %q\n want %q", d, wantNew)
	}
	if d := minus(set(mp...), set(mf)); !slices.Equal(d, []string{"cluster <*> finished with exit status 0"}) {
		t.Errorf("missing from the failing run: %q", d)
	}
}

func TestLearnDeterministic(t *testing.T) {
	keys := genKeys(t, 1<<16)
	if dir := filepath.Join("..", "..", "shared", "data", "loghub"); dirExists(dir) {
		for _, sys := range []string{"Mac", "Linux", "Android"} {
			for _, l := range readLoghub(t, dir, sys) {
				k, _ := NewNormalizer(nil).Key(nil, []byte(l.content))
				keys[0] = append(keys[0], k)
			}
		}
	}
	render := func(tm *Templates) string {
		var sb strings.Builder
		for tp := range tm.All() {
			fmt.Fprintf(&sb, "%q %v %q %d %d %v\n", tp.Text, tp.Variable, tp.Kept, tp.Lines, tp.Runs, tp.Masks)
		}
		for _, run := range keys {
			for _, k := range run {
				m, ok := tm.Mask(nil, k)
				fmt.Fprintf(&sb, "%s %v\n", m, ok)
			}
		}
		return sb.String()
	}
	first := render(LearnTemplates(keys))
	for i := range 3 {
		if again := render(LearnTemplates(keys)); again != first {
			t.Fatalf("learning the same keys again (%d) gave other templates", i+1)
		}
	}
}

func dirExists(dir string) bool {
	st, err := os.Stat(dir)
	return err == nil && st.IsDir()
}

func TestLearnIdempotent(t *testing.T) {
	keys := genKeys(t, 1<<16)
	var all [][]byte
	for _, run := range keys {
		all = append(all, run...)
	}
	if dir := filepath.Join("..", "..", "shared", "data", "loghub"); dirExists(dir) {
		for _, sys := range loghubSystems {
			var one [][]byte
			for _, l := range readLoghub(t, dir, sys) {
				k, _ := NewNormalizer(nil).Key(nil, []byte(l.content))
				one = append(one, k)
			}
			checkIdempotent(t, LearnTemplates([][][]byte{one}), one)
		}
	}
	checkIdempotent(t, LearnTemplates(keys), all)
}

func checkIdempotent(t *testing.T, tm *Templates, keys [][]byte) {
	t.Helper()
	for _, k := range keys {
		m, ok := tm.Mask(nil, k)
		m2, ok2 := tm.Mask(nil, m)
		if !bytes.Equal(m, m2) || ok != ok2 {
			t.Errorf("not idempotent: %q -> %q (%v) -> %q (%v)", k, m, ok, m2, ok2)
		}
	}
}

func TestLearnBounded(t *testing.T) {
	// A huge key, a key of one huge field, and many keys of one leaf.
	huge := bytes.Repeat([]byte("word=value, "), 1<<16)
	field := bytes.Repeat([]byte("a,"), 1<<17)
	var many [][]byte
	for i := range 5000 {
		many = append(many, fmt.Appendf(nil, "same start %c%c%c here", 'a'+i%26, 'a'+i/26%26, 'a'+i/676%26))
	}
	tm := LearnTemplates([][][]byte{append(many, huge, field), {huge, field}})
	for _, k := range [][]byte{huge, field, many[0], many[4999]} {
		m, _ := tm.Mask(nil, k)
		if m2, _ := tm.Mask(nil, m); !bytes.Equal(m, m2) {
			t.Errorf("not idempotent on a key of %d bytes", len(k))
		}
	}
	if m, _ := tm.Mask(nil, huge); !bytes.Equal(m, huge) {
		t.Errorf("a huge key seen in both runs changed")
	}
}

// FuzzLearn checks that learning and masking never panic, and that masking
// is idempotent, on keys of any bytes.
func FuzzLearn(f *testing.F) {
	f.Add("a b c\na b d\nx=1 y=<*>\n", "a b e\n<*> <*>\n")
	f.Add("exit status 0 foo\nexit status 1 bar\n", "ok  pkg 1.2s\nFAIL pkg\n")
	f.Add("p /a/b/c q\np /a q\n\xff\xfe \x00\n", "  \t lead\ntrail  \n")
	f.Fuzz(func(t *testing.T, run0, run1 string) {
		split := func(s string) [][]byte {
			var out [][]byte
			for l := range strings.SplitSeq(s, "\n") {
				out = append(out, []byte(l))
			}
			return out
		}
		keys := [][][]byte{split(run0), split(run1)}
		for _, tm := range []*Templates{LearnTemplates(keys), LearnTemplates(keys[:1])} {
			for _, run := range keys {
				checkIdempotent(t, tm, run)
			}
			for range tm.All() {
			}
		}
	})
}

func BenchmarkLearnTemplates(b *testing.B) {
	keys := genKeys(b, 8<<20) // about 100k keys
	n, size := 0, 0
	for _, run := range keys {
		for _, k := range run {
			n++
			size += len(k)
		}
	}
	b.Logf("%d keys, %d bytes", n, size)
	b.Run("learn", func(b *testing.B) {
		b.SetBytes(int64(size))
		for b.Loop() {
			LearnTemplates(keys)
		}
	})
	b.Run("mask", func(b *testing.B) {
		tm := LearnTemplates(keys)
		b.SetBytes(int64(size))
		var dst []byte
		for b.Loop() {
			for _, run := range keys {
				for _, k := range run {
					dst, _ = tm.Mask(dst[:0], k)
				}
			}
		}
	})
}
