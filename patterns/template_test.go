package patterns

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestParseTemplate(t *testing.T) {
	src := `rules:
  - kind: template
    name: cluster-name
    match: 'cluster <*> started'
    keep: [alpha-one, 'null']
    description: the test cluster's random name
  - kind: template
    match: 'ERROR: Test execution of /workdir/compose/<*> is FAILED'
  - kind: template
    match: '<*> (n.state), <num> (n.sid), <*> (my state)'
    keep:
      - [LEADING]
      - [LOOKING, FOLLOWING]
`
	f, err := Parse("learned.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := []Rule{
		{Kind: Template, Name: "cluster-name", Pattern: "cluster <*> started", Keep: [][]string{{"alpha-one", "null"}}, Description: "the test cluster's random name", Source: "learned.yaml:2"},
		{Kind: Template, Pattern: "ERROR: Test execution of /workdir/compose/<*> is FAILED", Source: "learned.yaml:7"},
		{Kind: Template, Pattern: "<*> (n.state), <num> (n.sid), <*> (my state)", Keep: [][]string{{"LEADING"}, {"LOOKING", "FOLLOWING"}}, Source: "learned.yaml:9"},
	}
	if !reflect.DeepEqual(f.Rules, want) {
		t.Errorf("Parse:\n got %+v\nwant %+v", f.Rules, want)
	}
	s, err := Compile(f)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][][]string{}
	for text, keep := range s.Templates() {
		got[text] = keep
	}
	if r := s.Rules(); r[2].Prefilter[0] != "(n.state)," {
		t.Errorf("prefilter %q; want (n.state),", r[2].Prefilter)
	}
	wantT := map[string][][]string{
		"cluster <*> started": {{"alpha-one", "null"}},
		"ERROR: Test execution of /workdir/compose/<*> is FAILED": nil,
		"<*> (n.state), <num> (n.sid), <*> (my state)":            {{"LEADING"}, {"LOOKING", "FOLLOWING"}},
	}
	if !reflect.DeepEqual(got, wantT) {
		t.Errorf("Templates = %v, want %v", got, wantT)
	}
	// The prefilter is the longest text between spaces and placeholders,
	// the rarest of those.
	if r := s.Rules(); r[0].Prefilter[0] != "cluster" || r[1].Prefilter[0] != "/workdir/compose/" {
		t.Errorf("prefilters %q, %q; want cluster, /workdir/compose/", r[0].Prefilter, r[1].Prefilter)
	}
}

func TestParseTemplateErrors(t *testing.T) {
	rule := func(lines ...string) string {
		return "rules:\n  - " + strings.Join(lines, "\n    ") + "\n"
	}
	for _, tc := range []struct {
		name, src, want string
	}{
		{"no <*>", rule("kind: template", "match: 'cluster bravo started'"),
			`f.yaml:3: template "cluster bravo started" has no <*>: a template rule masks the words or fields marked <*>`},
		{"<*> glued to a word", rule("kind: template", "match: 'pod-<*> started'"),
			`f.yaml:3: template "pod-<*> started": the <*> in "pod-<*>" is part of a word, so it would stand for itself: a variable <*> stands alone between spaces or the separators = : , ; / \ " ' ` + "`" + ` ( ) [ ] { } | @ & ?`},
		{"<*> glued to a placeholder", rule("kind: template", "match: 'took <*><num> ms'"),
			`f.yaml:3: template "took <*><num> ms": the <*> in "<*><num>" is part of a word, so it would stand for itself: a variable <*> stands alone between spaces or the separators = : , ; / \ " ' ` + "`" + ` ( ) [ ] { } | @ & ?`},
		{"only placeholders", rule("kind: template", "match: '<*> <num>: <*>'"),
			`f.yaml:3: template "<*> <num>: <*>" has no word besides placeholders (<*>, <num>...): it would fit far too many keys`},
		{"only punctuation", rule("kind: template", "match: '<*> ... <*>'"),
			`f.yaml:3: template "<*> ... <*>" has no word besides placeholders (<*>, <num>...): it would fit far too many keys`},
		{"a tab", rule("kind: template", "match: \"a\\t<*>\""),
			`f.yaml:3: template "a\t<*>" holds a tab: keys have none (logdiff folds white space into one space)`},
		{"too many fields", rule("kind: template", "match: '<*>"+strings.Repeat(" x", 63)+"'"),
			`f.yaml:3: template "<*>` + strings.Repeat(" x", 63) + `" has 64 fields: logdiff's templates have at most 63 (separated by spaces)`},
		{"too many words", rule("kind: template", "match: 'a=<*>"+strings.Repeat(",x", 127)+"'"),
			`f.yaml:3: template "a=<*>` + strings.Repeat(",x", 127) + `" has 257 words and separators: logdiff's templates have at most 256`},
		{"regexp", rule("kind: template", "match: {regexp: 'a <*>'}"),
			"f.yaml:3: the match of a template rule is its template, a plain string (a key with <*> where it varies), not literal or regexp"},
		{"literal mapping", rule("kind: template", "match: {literal: 'a <*>'}"),
			"f.yaml:3: the match of a template rule is its template, a plain string (a key with <*> where it varies), not literal or regexp"},
		{"keep not a list", rule("kind: template", "match: 'a <*>'", "keep: b"),
			`f.yaml:4: keep must be a list of texts, or a list of lists of texts (one per field with a <*>), found "b"`},
		{"keep a list per field, too many", rule("kind: template", "match: 'a <*> b=<*>,<*>'", "keep: [[x], [y], [z]]"),
			`f.yaml:4: keep has 3 lists and template "a <*> b=<*>,<*>" 2 fields with a <*>: give one list of texts for every field, or one list per field`},
		{"keep mixed", rule("kind: template", "match: 'a <*> <*>'", "keep: [[x], y]"),
			`f.yaml:4: keep mixes texts and lists: give one list of texts (kept in every field with a <*>) or one list per field, found "y"`},
		{"keep with a space", rule("kind: template", "match: 'a <*>'", "keep: ['b c']"),
			`f.yaml:4: kept text "b c" is empty or holds white space: a kept text is one field of a key, the whole text a <*> field stands for`},
		{"keep empty text", rule("kind: template", "match: 'a <*>'", "keep: ['']"),
			"f.yaml:4: a text of keep is empty"},
		{"keep a list of lists of lists", rule("kind: template", "match: 'a <*>'", "keep: [[[b]]]"),
			"f.yaml:4: a text of keep must be a string, found a list"},
		{"keep on a mask", rule("kind: mask", "match: x", "replace: '<x>'", "keep: [b]"),
			"f.yaml:5: field keep is only for template rules, not mask rules"},
		{"template without match", rule("kind: template", "keep: [b]"),
			"f.yaml:2: missing field match"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Parse("f.yaml", []byte(tc.src))
			if err == nil {
				t.Fatalf("Parse = %+v, want error %q", f, tc.want)
			}
			if err.Error() != tc.want {
				t.Errorf("Parse error:\n got %s\nwant %s", err, tc.want)
			}
			var e *Error
			if !errors.As(err, &e) || e.File != "f.yaml" || e.Line == 0 {
				t.Errorf("error %#v does not name the file and line", err)
			}
		})
	}
}

// TestTemplateAccepted lists templates the check must let through: those
// logdiff learns (a <*> between separators, a whole field, placeholders
// beside words) and the limits themselves.
func TestTemplateAccepted(t *testing.T) {
	for _, text := range []string{
		"Removing <*> ... done",
		"<*> :: Create directories required for MR test | FAIL |",
		"ERROR: Test execution of /workdir/ozone-mr/<*> is FAILED!!!!",
		"--cluster=<*> --zone=<*>",
		`name="<*>" (<*>)`,
		"<*> <num> hadoop27_datanode_<num>",
		"  two  spaces <*>  ",
		"<*>" + strings.Repeat(" x", 62),
		"a=<*>" + strings.Repeat(",x", 125) + ",",
	} {
		if _, err := Compile(&File{Name: "f", Rules: []Rule{{Kind: Template, Pattern: text}}}); err != nil {
			t.Errorf("%q refused: %v", text, err)
		}
	}
}

func TestMayFitTemplate(t *testing.T) {
	s, err := Compile(&File{Name: "f", Rules: []Rule{
		{Kind: Template, Pattern: "cluster <*> started"},
		{Kind: Template, Pattern: "Removing <*> ... done"},
		{Kind: Template, Pattern: "Stopping hadoop27_datanode_<num> <*> ... done"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	// A placeholder is common in keys: never the prefilter.
	if p := s.Rules()[2].Prefilter; !reflect.DeepEqual(p, []string{"hadoop27_datanode_"}) {
		t.Errorf("prefilter %q, want hadoop27_datanode_", p)
	}
	for _, tc := range []struct {
		key  string
		want bool
	}{
		{"cluster bravo-quill started", true},
		{"Removing ozone_datanode_<num> ... done", true},
		{"the cluster has started", true}, // a prefilter: "cluster" and "started" are there
		{"the cluster is up", false},
		{"bravo-quill started", false},
		{"Stopping hadoop27_datanode_<num> <id> ... done", true},
		{"Stopping hadoop27_datanode_<num> <id> ... failed", false},
		{"", false},
	} {
		if got := s.MayFitTemplate([]byte(tc.key)); got != tc.want {
			t.Errorf("MayFitTemplate(%q) = %v, want %v", tc.key, got, tc.want)
		}
	}
	none, _ := Compile()
	if none.MayFitTemplate([]byte("cluster x started")) {
		t.Error("a Set without template rules lets keys through")
	}
	for range none.Templates() {
		t.Error("a Set without template rules yields templates")
	}
}

// TestTemplateOverride: a later file's rule of the same name replaces a
// template rule, as for every kind, and disabled removes it.
func TestTemplateOverride(t *testing.T) {
	learned := &File{Name: "learned", Rules: []Rule{
		{Kind: Template, Name: "t1", Pattern: "cluster <*> started"},
		{Kind: Template, Name: "t2", Pattern: "Removing <*> ... done"},
	}}
	team := &File{Name: "team", Rules: []Rule{
		{Kind: Template, Name: "t1", Pattern: "cluster <*> started", Keep: [][]string{{"alpha"}}},
		{Name: "t2", Disabled: true},
	}}
	s, err := Compile(learned, team)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for text, keep := range s.Templates() {
		got = append(got, fmt.Sprint(text, keep))
	}
	if want := []string{"cluster <*> started[[alpha]]"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Templates = %q, want %q", got, want)
	}
}
