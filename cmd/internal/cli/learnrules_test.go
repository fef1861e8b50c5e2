package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/logdiff/logdiff/cmd/internal/iostreams"
	"github.com/logdiff/logdiff/logdiff"
	"github.com/logdiff/logdiff/patterns"
)

// TestLearnRules: logdiff normalize --learn -o rules writes the templates
// learned from passing runs as a rule file that (a) logdiff rules check
// accepts, (b) makes the keys, with one baseline, that learning makes with
// the passing runs, and (c) with which logdiff diff of one passing run
// against another reports nothing where without it the varying line is
// reported.
func TestLearnRules(t *testing.T) {
	lines := func(vary ...string) string {
		return strings.Join(append([]string{"building the image", "starting the cluster"}, append(vary, "all tests passed", "cluster deleted")...), "\n") + "\n"
	}
	for _, tc := range []struct {
		name string
		// passing[:3] are learned from, passing[3] and passing[4] compared.
		passing []string
		// templates and kept texts the file must hold; left, the templates
		// it must name as left out.
		templates []string
		keep      []string
		left      []string
	}{
		{
			name: "random cluster name",
			passing: []string{
				lines("cluster bravo-quill started"),
				lines("cluster delta-mango started"),
				lines("cluster echo-plum started"),
				lines("cluster kilo-lime started"),
				lines("cluster november-oak started"),
			},
			templates: []string{"cluster <*> started"},
		},
		{
			name: "session id in a field and a name kept",
			passing: []string{
				// alpha is in every run, bravo in two: both are kept.
				lines("login session=qwhzkvbnmx user=ci", "worker alpha joined", "worker bravo joined", "worker charlie joined"),
				lines("login session=plokijuhyg user=ci", "worker alpha joined", "worker bravo joined", "worker delta joined"),
				lines("login session=zzyyxxwwvv user=ci", "worker alpha joined", "worker echo joined"),
				lines("login session=mnbvcxzlkj user=ci", "worker alpha joined", "worker bravo joined", "worker golf joined"),
				lines("login session=asdfghjklq user=ci", "worker alpha joined", "worker bravo joined", "worker hotel joined"),
			},
			templates: []string{"login session=<*> user=ci", "worker <*> joined"},
			keep:      []string{"bravo", "alpha"},
		},
		{
			name: "a template of placeholders alone is left out",
			passing: []string{
				lines("cluster bravo-quill started", "12 qwhz.kvbnmx"),
				lines("cluster delta-mango started", "13 plok.ijuhyg"),
				lines("cluster echo-plum started", "14 zzyy.xxwwvv"),
				lines("cluster kilo-lime started"),
				lines("cluster november-oak started"),
			},
			templates: []string{"cluster <*> started"},
			left:      []string{"<num> <*>"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			var runs []string
			for i, content := range tc.passing {
				p := filepath.Join(dir, fmt.Sprintf("pass%d.log", i+1))
				if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
				runs = append(runs, p)
			}
			code, rules, stderr := run(t, dir, append([]string{"normalize", "--learn", "-o", "rules"}, runs[:3]...)...)
			if code != ExitNoFindings {
				t.Fatalf("normalize --learn -o rules: exit status %d: %s", code, stderr)
			}
			for _, want := range []string{
				"# Templates learned by logdiff normalize --learn -o rules on 1970-01-01T00:00:00Z\n",
				"# in " + dir + "\n",
				"# from 3 passing runs:\n#   " + runs[0] + "\n#   " + runs[1] + "\n#   " + runs[2] + "\n",
			} {
				if !strings.Contains(rules, want) {
					t.Errorf("the rule file lacks %q:\n%s", want, rules)
				}
			}
			file := filepath.Join(dir, "learned.yaml")
			if err := os.WriteFile(file, []byte(rules), 0o644); err != nil {
				t.Fatal(err)
			}
			f, err := patterns.Parse(file, []byte(rules))
			if err != nil {
				t.Fatalf("the rule file does not parse: %v\n%s", err, rules)
			}
			var texts, kept []string
			for _, r := range f.Rules {
				if r.Kind != patterns.Template || !strings.HasPrefix(r.Name, "learned-") {
					t.Errorf("rule %+v: want a template rule named learned-...", r)
				}
				texts = append(texts, r.Pattern)
				for _, in := range r.Keep {
					kept = append(kept, in...)
				}
			}
			if !slices.Equal(texts, tc.templates) || !slices.Equal(kept, tc.keep) {
				t.Errorf("templates %q keeping %q, want %q keeping %q", texts, kept, tc.templates, tc.keep)
			}
			for _, l := range tc.left {
				if !strings.Contains(rules, "#   "+l+": ") {
					t.Errorf("the rule file does not name %q as left out:\n%s", l, rules)
				}
			}

			// (a) rules check accepts it.
			if code, out, stderr := run(t, dir, "rules", "check", file); code != ExitNoFindings || !strings.Contains(out, "all valid") {
				t.Errorf("rules check: exit status %d: %s%s", code, out, stderr)
			}

			// (b) The keys of the learned runs, with the rules, are those
			// learning gives: the residual lines masked, the others as
			// they are. (Learning masks the lines of a template left out,
			// the rules cannot.)
			want := learnedKeys(t, dir, runs[:3])
			for i, r := range runs[:3] {
				if len(tc.left) > 0 {
					break
				}
				code, out, stderr := run(t, dir, "normalize", "--rules", file, r)
				if code != ExitNoFindings {
					t.Fatalf("normalize --rules: exit status %d: %s", code, stderr)
				}
				if got := strings.Split(strings.TrimSuffix(out, "\n"), "\n"); !slices.Equal(got, want[i]) {
					t.Errorf("keys of %s with the rules:\n%s\nlearning gives:\n%s", r, strings.Join(got, "\n"), strings.Join(want[i], "\n"))
				}
			}

			// (c) One passing run against another: the varying lines are
			// findings without the rules, none with them.
			code, out, _ := run(t, dir, "diff", runs[3], runs[4])
			if code != ExitFindings {
				t.Errorf("diff without the rules: exit status %d, want %d (the varying lines):\n%s", code, ExitFindings, out)
			}
			code, out, stderr = run(t, dir, "diff", "--rules", file, runs[3], runs[4])
			if code != ExitNoFindings {
				t.Errorf("diff --rules: exit status %d, want %d:\n%s%s", code, ExitNoFindings, out, stderr)
			}
		})
	}
}

// learnedKeys returns the keys of the lines of each run (one string per
// line, "" for a line that does not count) as diff makes them with these
// runs as baselines: the residual lines masked with the templates learned
// from them. The rules are the CLI's default, the built-in packs.
func learnedKeys(t *testing.T, dir string, runs []string) [][]string {
	t.Helper()
	ios, _, _, _ := iostreams.Test()
	f := &Factory{IO: ios, Now: func() time.Time { return time.Unix(0, 0) }, Getwd: func() (string, error) { return dir, nil }}
	set, _, err := (&RuleFlags{Packs: []string{"all"}}).load(f)
	if err != nil {
		t.Fatal(err)
	}
	norm := logdiff.NewNormalizer(set)
	var inputs []logdiff.Input
	keys := make([][]string, len(runs))
	in := map[string]int{}
	for i, r := range runs {
		inputs = append(inputs, logdiff.FileInput(r))
		seen := map[string]bool{}
		err := logdiff.NormalizeLines(context.Background(), inputs[i], norm, logdiff.ScanOptions{}, func(_ int, key, _ []byte) error {
			keys[i] = append(keys[i], string(key))
			if len(key) > 0 && !seen[string(key)] {
				seen[string(key)] = true
				in[string(key)]++
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	tm, err := logdiff.Learn(context.Background(), inputs, norm, logdiff.ScanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	masked := 0
	for _, run := range keys {
		for j, k := range run {
			if k != "" && in[k] != len(runs) {
				m, _ := tm.Mask(nil, []byte(k))
				if run[j] = string(m); !bytes.Equal(m, []byte(k)) {
					masked++
				}
			}
		}
	}
	if masked == 0 {
		t.Fatal("learning masks no line of the runs: the test tests nothing")
	}
	return keys
}

// TestLearnRulesOzone: on three nights of Ozone's acceptance tests, the
// rule file written passes the check and, applied to each night alone,
// gives the keys learning gives from the three.
func TestLearnRulesOzone(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", "..", "..", "..", "shared", "data", "ozone-ci", "q4"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(root); err != nil {
		t.Skipf("no shared data: %v", err)
	}
	var runs []string
	for _, night := range []string{"trunk-nightly-20190928-ftbhz", "trunk-nightly-20190930-fpjgm", "trunk-nightly-20191003-5492k"} {
		runs = append(runs, filepath.Join(root, night, "acceptance", "output.log"))
	}
	dir := t.TempDir()
	code, rules, stderr := run(t, dir, append([]string{"normalize", "--learn", "-o", "rules"}, runs...)...)
	if code != ExitNoFindings {
		t.Fatalf("normalize --learn -o rules: exit status %d: %s", code, stderr)
	}
	if !strings.Contains(rules, "match: Removing <*> ... done\n") {
		t.Errorf("the rule file lacks docker-compose's Removing <*> ... done:\n%s", rules)
	}
	file := filepath.Join(dir, "learned.yaml")
	if err := os.WriteFile(file, []byte(rules), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, stderr := run(t, dir, "rules", "check", file); code != ExitNoFindings {
		t.Errorf("rules check: exit status %d: %s%s", code, out, stderr)
	}
	want := learnedKeys(t, dir, runs)
	for i, r := range runs {
		code, out, stderr := run(t, dir, "normalize", "--rules", file, r)
		if code != ExitNoFindings {
			t.Fatalf("normalize --rules: exit status %d: %s", code, stderr)
		}
		got := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		if len(got) != len(want[i]) {
			t.Fatalf("%s: %d keys with the rules, %d learned", r, len(got), len(want[i]))
		}
		for j := range got {
			if got[j] != want[i][j] {
				t.Errorf("%s:%d: key %q with the rules, %q learned", r, j+1, got[j], want[i][j])
			}
		}
	}
}

// TestWriteLearnedRules: whatever the learned templates and the names of
// the runs hold, the file written parses back to the same templates and
// kept texts, and names what it left out.
func TestWriteLearnedRules(t *testing.T) {
	tmpl := func(text string, lines int, keptIn ...[]string) logdiff.Template {
		return logdiff.Template{Text: text, Variable: []int{strings.Index(text, "<*>")}, KeptIn: keptIn, Lines: lines, Masks: true}
	}
	many := make([]logdiff.Template, 0, maxTemplateRules+2)
	for i := range maxTemplateRules + 2 {
		many = append(many, tmpl(fmt.Sprintf("job%d finished <*>", i), 10+i%(maxTemplateRules+1)))
	}
	// 100 templates keeping 1,000 texts each: 2 MB.
	var big []logdiff.Template
	for i := range 100 {
		var keep []string
		for j := range 1000 {
			keep = append(keep, fmt.Sprintf("value-%d-%d-%s", i, j, strings.Repeat("x", 10)))
		}
		big = append(big, tmpl(fmt.Sprintf("job%d finished <*>", i), 1+i, keep))
	}
	for _, tc := range []struct {
		name   string
		ts     []logdiff.Template
		runs   []string
		want   []string // "text keep" of each rule
		left   []string // in the comments on what was left out
		header []string // in the header
		none   bool     // every template is left out
	}{
		{
			name: "one list for every field, or one per field",
			ts: []logdiff.Template{
				tmpl("cluster <*> started", 3, []string{"alpha-one"}),
				tmpl("copy <*> to <*>", 3, []string{"x"}, []string{"x"}),
				tmpl("<*> (n.state), <num> (n.sid), <*> (my state)", 4, []string{"LEADING"}, []string{"LOOKING", "FOLLOWING"}),
				tmpl("copy <*> from <*>", 3, nil, nil),
			},
			want: []string{"cluster <*> started [[alpha-one]]", "copy <*> to <*> [[x]]", "<*> (n.state), <num> (n.sid), <*> (my state) [[LEADING] [LOOKING FOLLOWING]]", "copy <*> from <*> []"},
		},
		{
			name: "texts YAML would read as other types",
			ts:   []logdiff.Template{tmpl("value <*> set", 2, []string{"null", "true", "1", "*x", "&y", "'q'", "#c"})},
			want: []string{"value <*> set [[null true 1 *x &y 'q' #c]]"},
		},
		{
			name: "left out: the check refuses, or no rule file can hold it",
			ts: []logdiff.Template{
				tmpl("<num> <*>", 5),
				tmpl("bad \xff <*>", 5),
				tmpl("cluster <*> started", 3),
				tmpl("cluster <*> started", 3, []string{"ignored: Mask never uses a second template of a text"}),
				{Text: "seen in one run <*>", Variable: []int{16}, Masks: false},
			},
			want: []string{"cluster <*> started []"},
			left: []string{`#   <num> <*>: template "<num> <*>" has no word besides placeholders`, `#   "bad \xff <*>": not valid UTF-8`},
		},
		{
			name:   "names of runs that are not text are quoted",
			ts:     []logdiff.Template{tmpl("cluster <*> started", 3)},
			runs:   []string{"pass\n1.log", "pass\u202e2.log", "pass 3.log"},
			want:   []string{"cluster <*> started []"},
			header: []string{`#   "pass\n1.log"` + "\n", `#   "pass\u202e2.log"` + "\n", "#   pass 3.log\n"},
		},
		{
			name:   "nothing learned: the file says so",
			want:   nil,
			header: []string{"# Nothing to learn, so no rules: no line varies between these runs", "rules: []\n"},
		},
		{
			name:   "every template left out: the file says so",
			ts:     []logdiff.Template{tmpl("<num> <*>", 5)},
			want:   nil,
			left:   []string{`#   <num> <*>: template "<num> <*>" has no word besides placeholders`},
			header: []string{"# No rules: every template learned was left out (see the end of the file).\n"},
			none:   true,
		},
		{
			name: "past the limit, those covering the fewest lines are left out",
			ts:   many,
			left: []string{
				"#   job0 finished <*>: covers 10 lines, no more than the 1024 kept; a rule file holds at most 1024 template rules and 1048576 bytes\n",
				"#   job1025 finished <*>: covers 10 lines",
			},
		},
		{
			name: "past a megabyte, those covering the fewest lines are left out",
			ts:   big,
			left: []string{"templates left out:\n#   job", "#   and "},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			src := learnSource{Now: time.Unix(0, 0), Dir: "/src", Runs: tc.runs, Packs: []string{"go"}}
			if err := writeLearnedRules(&b, tc.ts, src); err != nil {
				t.Fatal(err)
			}
			f, err := patterns.Parse("learned.yaml", b.Bytes())
			if err != nil {
				t.Fatalf("%v\n%s", err, b.String())
			}
			if _, err := patterns.Compile(f); err != nil {
				t.Fatalf("%v\n%s", err, b.String())
			}
			var got []string
			for _, r := range f.Rules {
				got = append(got, fmt.Sprint(r.Pattern, " ", r.Keep))
			}
			if tc.want != nil && !slices.Equal(got, tc.want) {
				t.Errorf("rules:\n%s\nwant\n%s\nfile:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"), b.String())
			}
			if tc.ts == nil && len(got) != 0 {
				t.Errorf("rules %q from no template", got)
			}
			for _, s := range append(tc.left, tc.header...) {
				if !strings.Contains(b.String(), s) {
					t.Errorf("the file lacks %q:\n%s", s, b.String())
				}
			}
			if len(tc.ts) > maxTemplateRules && len(got) != maxTemplateRules {
				t.Errorf("%d rules, want the limit, %d", len(got), maxTemplateRules)
			}
			if b.Len() > maxRuleFileSize {
				t.Errorf("%d bytes, more than a rule file may have", b.Len())
			}
			if len(tc.ts) > 0 && len(got) == 0 && !tc.none {
				t.Errorf("no rule written")
			}
			if len(tc.left) > 0 && tc.want == nil && !tc.none {
				// Those left out cover no more lines than those kept.
				kept := map[string]bool{}
				for _, r := range f.Rules {
					kept[r.Pattern] = true
				}
				minKept, maxLeft := -1, -1
				for _, tm := range tc.ts {
					if kept[tm.Text] && (minKept < 0 || tm.Lines < minKept) {
						minKept = tm.Lines
					}
					if !kept[tm.Text] && tm.Lines > maxLeft {
						maxLeft = tm.Lines
					}
				}
				if maxLeft > minKept {
					t.Errorf("a template of %d lines was left out, one of %d kept", maxLeft, minKept)
				}
			}
		})
	}
}
