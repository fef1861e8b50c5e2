package logdiff

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/logdiff/logdiff/patterns"
)

// residual returns, of the keys of each passing run, those not in every
// run: what Diff learns from.
func residual(runs [][][]byte) [][][]byte {
	in := map[string]int{}
	for _, run := range runs {
		seen := map[string]bool{}
		for _, k := range run {
			if !seen[string(k)] {
				seen[string(k)] = true
				in[string(k)]++
			}
		}
	}
	out := make([][][]byte, len(runs))
	for r, run := range runs {
		for _, k := range run {
			if in[string(k)] != len(runs) {
				out[r] = append(out[r], k)
			}
		}
	}
	return out
}

// kept keeps the templates that mask, as a rule file does.
func kept(tm *Templates) []Template {
	var out []Template
	for t := range tm.All() {
		if t.Masks && len(t.Variable) > 0 {
			out = append(out, t)
		}
	}
	return out
}

// checkSameMask checks that the templates built from the texts of the
// learned ones mask every key the learned ones mask to the same key, and
// returns how many keys it compared.
func checkSameMask(t *testing.T, name string, learned *Templates, keys [][][]byte) int {
	t.Helper()
	ts := kept(learned)
	rules := NewTemplates(ts)
	var got []string
	for tp := range rules.All() {
		got = append(got, tp.Text)
	}
	if len(got) != len(ts) {
		t.Errorf("%s: %d templates from %d texts", name, len(got), len(ts))
	}
	for i := range min(len(got), len(ts)) {
		if got[i] != ts[i].Text {
			t.Errorf("%s: template %d reads %q, built from %q", name, i, got[i], ts[i].Text)
		}
	}
	n, more := 0, 0
	defer func() {
		// Keys the texts mask and the learned templates do not: the
		// generalizations NewTemplates documents.
		t.Logf("%s: the texts also mask %d keys the learned templates leave", name, more)
	}()
	for _, run := range keys {
		for _, k := range run {
			want, ok := learned.Mask(nil, k)
			if !ok {
				if m, _ := rules.Mask(nil, k); !bytes.Equal(m, k) {
					more++
				}
				continue
			}
			n++
			if m, _ := rules.Mask(nil, k); !bytes.Equal(m, want) {
				t.Errorf("%s: %q masks to %q with the learned templates, to %q with their texts", name, k, want, m)
			}
		}
	}
	return n
}

// TestNewTemplatesMaskAsLearned: the templates a rule file keeps mask what
// the learned ones mask, the same way, on synthetic runs and, when
// ../shared/data is there, on loghub's systems and Ozone's nightly runs.
func TestNewTemplatesMaskAsLearned(t *testing.T) {
	keysOf := func(runs ...[]string) [][][]byte {
		out := make([][][]byte, len(runs))
		for r, lines := range runs {
			for _, l := range lines {
				if k, ok := NewNormalizer(nil).Key(nil, []byte(l)); ok {
					out[r] = append(out[r], k)
				}
			}
		}
		return out
	}
	cases := []struct {
		name string
		runs [][][]byte
	}{
		{"random words", keysOf(
			[]string{"cluster bravo-quill started", "Removing hadoop27_datanode_1 ... done", "Removing ozone_om_1 ... done"},
			[]string{"cluster delta-mango started", "Removing hadoop27_datanode_1 ... done", "Removing ozone_scm_1 ... done"},
			[]string{"cluster echo-plum started", "Removing hadoop31_datanode_1 ... done"},
		)},
		{"fields and words", keysOf(
			[]string{`login session=AbCdEfGhIj user="ci" shell=/bin/bash`, "exit status 0 after qwerty", "copy /a/b/c to x"},
			[]string{`login session=QwErTyUiOp user="ci" shell=/bin/bash`, "exit status 0 after asdfgh", "copy /a to x"},
		)},
		{"synthetic runs", genKeys(t, 1<<17)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := residual(tc.runs)
			n := checkSameMask(t, tc.name, LearnTemplates(res), res)
			if n == 0 {
				t.Errorf("no key was masked: the case tests nothing")
			}
			t.Logf("%d masked keys compared", n)
		})
	}
	t.Run("loghub", func(t *testing.T) {
		dir := filepath.Join("..", "..", "shared", "data", "loghub")
		if !dirExists(dir) {
			t.Skip("no shared data")
		}
		for _, sys := range loghubSystems {
			// Two halves of a system's sample stand for two runs.
			var keys [][][]byte = make([][][]byte, 2)
			lines := readLoghub(t, dir, sys)
			for i, l := range lines {
				k, _ := NewNormalizer(nil).Key(nil, []byte(l.content))
				keys[i*2/len(lines)] = append(keys[i*2/len(lines)], k)
			}
			res := residual(keys)
			t.Logf("%s: %d masked keys compared", sys, checkSameMask(t, sys, LearnTemplates(res), res))
		}
	})
	t.Run("ozone", func(t *testing.T) {
		dir := filepath.Join("..", "..", "shared", "data", "ozone-ci", "q4")
		if !dirExists(dir) {
			t.Skip("no shared data")
		}
		runs, _ := filepath.Glob(filepath.Join(dir, "trunk-nightly-*"))
		norm := NewNormalizer(allPacks(t))
		total := 0
		for _, check := range []string{"acceptance", "integration", "unit", "build"} {
			var keys [][][]byte
			for _, run := range runs {
				keys = append(keys, readKeys(t, filepath.Join(run, check, "output.log"), norm))
			}
			res := residual(keys)
			total += checkSameMask(t, check, LearnTemplates(res), res)
		}
		if total == 0 {
			t.Error("no key of Ozone's runs was masked: the test tests nothing")
		}
		t.Logf("%d masked keys compared", total)
	})
}

// readKeys returns the keys of the lines of a log file that count.
func readKeys(t *testing.T, path string, norm *Normalizer) [][]byte {
	t.Helper()
	var keys [][]byte
	err := NormalizeLines(context.Background(), FileInput(path), norm, ScanOptions{}, func(_ int, key, _ []byte) error {
		if len(key) > 0 {
			keys = append(keys, bytes.Clone(key))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

// TestNewTemplatesBeyondLearned: what a template text does where no learned
// template would have been (NewTemplates' doc comment).
func TestNewTemplatesBeyondLearned(t *testing.T) {
	tm := NewTemplates([]Template{
		{Text: "cluster <*> started", Kept: []string{"alpha-one"}},
		{Text: "<*> started ok"},
		{Text: "copy <*> to <*>", Kept: []string{"x"}},
		{Text: "no variable here"},
	})
	for _, tc := range []struct{ key, want string }{
		{"cluster bravo-quill started", "cluster <*> started"},
		{"cluster alpha-one started", "cluster alpha-one started"},
		// A whole-field <*> stands for any field.
		{"cluster a:b/c started", "cluster <*> started"},
		// Its leaf is "bravo"'s, not "started"'s: found all the same.
		{"bravo started ok", "<*> started ok"},
		{"<num>.<num> started ok", "<*> started ok"},
		// A kept text is kept in every variable field.
		{"copy x to y", "copy x to <*>"},
		{"copy y to x", "copy <*> to x"},
		// A status word is never masked.
		{"FAILED started ok", "FAILED started ok"},
		{"no variable here", "no variable here"},
		{"cluster bravo stopped", "cluster bravo stopped"},
	} {
		if got, _ := tm.Mask(nil, []byte(tc.key)); string(got) != tc.want {
			t.Errorf("Mask(%q) = %q, want %q", tc.key, got, tc.want)
		}
	}
	var texts []string
	for tp := range tm.All() {
		texts = append(texts, fmt.Sprintf("%s %q %v", tp.Text, tp.KeptIn, tp.Masks))
	}
	want := []string{`cluster <*> started [["alpha-one"]] true`, `<*> started ok [[]] true`, `copy <*> to <*> [["x"] ["x"]] true`}
	if strings.Join(texts, "\n") != strings.Join(want, "\n") {
		t.Errorf("All:\n%s\nwant\n%s", strings.Join(texts, "\n"), strings.Join(want, "\n"))
	}
}

// TestTemplateRuleSeparators: patterns checks template rules with its own
// copy of the bytes that separate words in a field (learnSep): a <*> after
// a byte is a variable exactly when learnSep says so.
func TestTemplateRuleSeparators(t *testing.T) {
	for b := range 256 {
		text := "word x" + string(rune(b)) + "<*>"
		if b >= 0x80 {
			text = "word x" + string([]byte{byte(b)}) + "<*>"
		}
		_, err := patterns.Compile(&patterns.File{Name: "f", Rules: []patterns.Rule{{Kind: patterns.Template, Pattern: text}}})
		// A tab separates words too, but keys have none; a line break
		// ends the line.
		want := b == ' ' || learnSep[b] && b != '\t'
		if (err == nil) != want {
			t.Errorf("byte %#x: patterns accepts %q: %v, want %v (%v)", b, text, err == nil, want, err)
		}
		if !want || b == ' ' {
			continue
		}
		// And logdiff makes it a variable.
		tm := NewTemplates([]Template{{Text: text}})
		if got, _ := tm.Mask(nil, []byte("word x"+string(rune(b))+"value")); string(got) != text {
			t.Errorf("byte %#x: %q masks to %q", b, text, got)
		}
	}
}

// TestNormalizerTemplateRules: the normalizer applies a rule set's
// templates to the key, after the built-in masking, and builds nothing for
// a set that has none.
func TestNormalizerTemplateRules(t *testing.T) {
	set, err := patterns.Compile(&patterns.File{Name: "f", Rules: []patterns.Rule{
		{Kind: patterns.Template, Pattern: "cluster <*> started in <dur>", Keep: [][]string{{"alpha-one"}}},
		{Kind: patterns.Mask, Pattern: "secret-", Replace: "<secret>"},
		{Kind: patterns.Template, Pattern: "token <secret>=<*> used"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	norm := NewNormalizer(set)
	for _, tc := range []struct{ line, want string }{
		{"2024-05-01T10:00:00Z cluster bravo-quill started in 3.5s", "cluster <*> started in <dur>"},
		{"cluster alpha-one started in 2s", "cluster alpha-one started in <dur>"},
		{"cluster bravo-quill started in zone", "cluster bravo-quill started in zone"},
		// Mask rules make the key the template fits.
		{"token secret-=abc used", "token <secret>=<*> used"},
		{"token secret=abc used", "token secret=abc used"},
		{"   ", ""},
	} {
		if got, _ := norm.Key(nil, []byte(tc.line)); string(got) != tc.want {
			t.Errorf("Key(%q) = %q, want %q", tc.line, got, tc.want)
		}
	}
	none, err := patterns.Compile(&patterns.File{Name: "f", Rules: []patterns.Rule{{Kind: patterns.Mask, Pattern: "x", Replace: "<y>"}}})
	if err != nil {
		t.Fatal(err)
	}
	if n := NewNormalizer(none); n.tmpl != nil || n.mayFit != nil {
		t.Error("a rule set without template rules gave the normalizer templates")
	}
}

// BenchmarkNormalizeTemplates measures what template rules cost the
// normalizer: none (the check is made once, at construction), 100 that fit
// no line (the prefilter turns the lines away), and 100 of which two fit
// two lines in seven of the generated log; and (with ../shared/data) on a
// night of Ozone's acceptance tests, the templates learned from three
// other nights.
func BenchmarkNormalizeTemplates(b *testing.B) {
	var buf bytes.Buffer
	genLog(&buf, 8<<20, 1, nil)
	lines := bytes.Split(buf.Bytes(), []byte("\n"))
	// Templates of other logs: a verb, an object and a place, each of its
	// own words, as learned templates are.
	verbs := []string{"Removing", "Creating", "Stopping", "Starting", "Pulling", "Mounting", "Scheduling", "Evicting", "Draining", "Uploading"}
	objects := []string{"container", "volume", "network", "snapshot", "replica", "bucket", "keytab", "manifest", "artifact", "sidecar"}
	var none, fit []patterns.Rule
	for i := range 100 {
		r := patterns.Rule{Kind: patterns.Template, Pattern: fmt.Sprintf("%s %s <*> on host%d ... done", verbs[i%10], objects[i/10], i)}
		none = append(none, r)
		fit = append(fit, r)
	}
	// Lines of genLog that these fit (the Ginkgo STEP and the node line).
	fit[10].Pattern = "STEP: Creating a pod <*> in namespace <*> @ <ts>"
	fit[60].Pattern = "node <*> has IP <ip> and uuid <uuid>"
	compile := func(rules []patterns.Rule) *patterns.Set {
		s, err := patterns.Compile(&patterns.File{Name: "bench", Rules: rules})
		if err != nil {
			b.Fatal(err)
		}
		return s
	}
	type bench struct {
		name  string
		set   *patterns.Set
		lines [][]byte
	}
	benches := []bench{
		{"templates=0", compile(nil), lines},
		{"templates=100,fit=none", compile(none), lines},
		{"templates=100,fit=some", compile(fit), lines},
	}
	// A night of Ozone's acceptance tests with every built-in pack, alone
	// and with the templates learned from the three nights before.
	if dir := filepath.Join("..", "..", "shared", "data", "ozone-ci", "q4"); dirExists(dir) {
		runs, _ := filepath.Glob(filepath.Join(dir, "trunk-nightly-*", "acceptance", "output.log"))
		var inputs []Input
		for _, r := range runs[:3] {
			inputs = append(inputs, FileInput(r))
		}
		packs := allPacks(b)
		ts, err := LearnForRules(context.Background(), inputs, NewNormalizer(packs), ScanOptions{})
		if err != nil {
			b.Fatal(err)
		}
		files := []*patterns.File{}
		for _, n := range patterns.Packs() {
			f, _ := patterns.Pack(n)
			files = append(files, f)
		}
		learned := &patterns.File{Name: "learned"}
		for _, t := range ts {
			learned.Rules = append(learned.Rules, patterns.Rule{Kind: patterns.Template, Pattern: t.Text, Keep: t.KeptIn})
		}
		withLearned, err := patterns.Compile(append(files, learned)...)
		if err != nil {
			b.Fatal(err)
		}
		// The lines as the reader gives them: \r and colours handled.
		var night [][]byte
		err = NormalizeLines(context.Background(), FileInput(runs[3]), nil, ScanOptions{}, func(_ int, _, line []byte) error {
			night = append(night, bytes.Clone(line))
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		benches = append(benches, bench{"ozone,packs", packs, night}, bench{fmt.Sprintf("ozone,packs+templates=%d", len(ts)), withLearned, night})
	}
	for _, bc := range benches {
		norm := NewNormalizer(bc.set)
		lines := bc.lines
		b.Run(bc.name, func(b *testing.B) {
			size := 0
			for _, l := range lines {
				size += len(l) + 1
			}
			b.SetBytes(int64(size))
			b.ReportAllocs()
			var key []byte
			masked := 0
			for _, l := range lines {
				if key, _ = norm.Key(key[:0], l); bytes.Contains(key, []byte("<*>")) {
					masked++
				}
			}
			for b.Loop() {
				key = normalizeAll(norm, lines, key)
			}
			b.ReportMetric(float64(masked), "masked-lines")
		})
	}
}

// maskRounds masks key round after round until nothing changes, without
// the shortcut Mask takes when a second round would change nothing.
func maskRounds(tm *Templates, key []byte) []byte {
	var sc scratch
	cur, _, _ := tm.mask(nil, key, &sc)
	for range learnMaxSubs + learnMaxFields {
		next, _, _ := tm.mask(nil, cur, &sc)
		if bytes.Equal(next, cur) {
			break
		}
		cur = next
	}
	return cur
}

// TestMaskShortcut: Mask, which stops after one round when the template
// is alone in its leaf, masks as the rounds would, with learned templates
// and with templates from texts, on synthetic keys, status words at
// variable positions, and (when ../shared/data is there) Ozone's runs.
func TestMaskShortcut(t *testing.T) {
	keys := genKeys(t, 1<<16)
	keys = append(keys, [][]byte{[]byte("job quux 7x started on node"), []byte("job zork 8y started on node")}, [][]byte{[]byte("job blah 5w started on node")})
	// Masking exit makes 9z no status number: a second round masks it.
	probes := [][]byte{[]byte("job exit 9z started on node"), []byte("job code=v2 started on node")}
	if dir := filepath.Join("..", "..", "shared", "data", "ozone-ci", "q4"); dirExists(dir) {
		runs, _ := filepath.Glob(filepath.Join(dir, "trunk-nightly-*", "integration", "output.log"))
		var ozone [][][]byte
		for _, r := range runs {
			ozone = append(ozone, readKeys(t, r, NewNormalizer(nil)))
		}
		keys = append(keys, residual(ozone)...)
	}
	learned := LearnTemplates(keys)
	for _, tm := range []*Templates{learned, NewTemplates(kept(learned))} {
		for _, run := range append(keys, probes) {
			for _, k := range run {
				got, _ := tm.Mask(nil, k)
				if want := maskRounds(tm, k); !bytes.Equal(got, want) {
					t.Errorf("Mask(%q) = %q, the rounds give %q", k, got, want)
				}
			}
		}
	}
}

// normalizeAll keys every line: the loop BenchmarkNormalizeTemplates
// measures, a function of its own for profilers (valgrind
// --toggle-collect='*normalizeAll*').
//
//go:noinline
func normalizeAll(norm *Normalizer, lines [][]byte, key []byte) []byte {
	for _, l := range lines {
		key, _ = norm.Key(key[:0], l)
	}
	return key
}

// FuzzNewTemplates checks that templates from any texts never make Mask
// panic, and that masking stays idempotent.
func FuzzNewTemplates(f *testing.F) {
	f.Add("cluster <*> started", "alpha", "cluster bravo started")
	f.Add("<*> started ok", "", "bravo started ok")
	f.Add("a=<*>,b=<*> <*>", "x", "a=1,b=2 3")
	f.Add("exit <*> 9z <*>", "exit", "exit exit 9z q")
	f.Fuzz(func(t *testing.T, text, keep, key string) {
		tm := NewTemplates([]Template{{Text: text, KeptIn: [][]string{{keep}}}, {Text: key}})
		m, _ := tm.Mask(nil, []byte(key))
		if m2, _ := tm.Mask(nil, m); !bytes.Equal(m, m2) {
			t.Errorf("not idempotent: %q -> %q -> %q", key, m, m2)
		}
	})
}

// FuzzTemplatePrefilter checks that the prefilters the normalizer asks
// before masking (the number of fields, then patterns' texts) never turn
// away a key a template rule masks.
func FuzzTemplatePrefilter(f *testing.F) {
	f.Add("cluster <*> started", "cluster bravo started")
	f.Add("<*> (n.state), <num> (n.sid)", "LEADING (n.state), <num> (n.sid)")
	f.Add("Removing hadoop27_datanode_<num> <*> ... done", "Removing hadoop27_datanode_<num> x ... done")
	f.Add("a=<*>,b=<*> c", "a=1,b=2 c")
	f.Fuzz(func(t *testing.T, text, line string) {
		set, err := patterns.Compile(&patterns.File{Name: "f", Rules: []patterns.Rule{{Kind: patterns.Template, Pattern: text}}})
		if err != nil {
			return // refused
		}
		// A key as the normalizer makes it: single spaces, none at the ends.
		key := []byte(strings.Join(strings.FieldsFunc(strings.ReplaceAll(line, "\t", " "), func(r rune) bool { return r == ' ' }), " "))
		tm := NewTemplates([]Template{{Text: text}})
		if m, _ := tm.Mask(nil, key); !bytes.Equal(m, key) && (!tm.fieldsMayFit(key) || !set.MayFitTemplate(key)) {
			t.Errorf("template %q masks %q to %q, but the prefilter turns it away (fields %v, texts %v)", text, key, m, tm.fieldsMayFit(key), set.MayFitTemplate(key))
		}
	})
}
