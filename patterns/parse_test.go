package patterns

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	src := `# a user's rules
version: 1
description: rules of the team
rules:
  - kind: signature
    name: kube-up-windows-download
    match: 'Will download and extract kubernetes-node-'   # literal by default
    weight: 2
  - kind: mask
    match: {regexp: 'session-[a-z0-9]{8}'}
    replace: '<session>'
  - kind: hint
    match: {regexp: "Cannot bind argument to parameter '(\\w+)' because it is an empty string"}
    hint: "an empty value reached $1; compare the environment of the passing run"
  - kind: strip
    match: {literal: '[builder] '}
    description: our wrapper's prefix
  - kind: ignore
    name: kubernetes-dind-waiting
    disabled: true
`
	f, err := Parse("team.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := &File{Name: "team.yaml", Description: "rules of the team", Rules: []Rule{
		{Kind: Signature, Name: "kube-up-windows-download", Pattern: "Will download and extract kubernetes-node-", Weight: 2, Source: "team.yaml:5"},
		{Kind: Mask, Pattern: "session-[a-z0-9]{8}", Regexp: true, Replace: "<session>", Source: "team.yaml:9"},
		{Kind: Hint, Pattern: `Cannot bind argument to parameter '(\w+)' because it is an empty string`, Regexp: true, Hint: "an empty value reached $1; compare the environment of the passing run", Source: "team.yaml:12"},
		{Kind: Strip, Pattern: "[builder] ", Description: "our wrapper's prefix", Source: "team.yaml:15"},
		{Kind: Ignore, Name: "kubernetes-dind-waiting", Disabled: true, Source: "team.yaml:18"},
	}}
	if !reflect.DeepEqual(f, want) {
		t.Errorf("Parse:\n got %+v\nwant %+v", f, want)
	}
}

func TestParseEmpty(t *testing.T) {
	for _, src := range []string{"", "# nothing yet\n", "rules:\n", "rules: []\n"} {
		f, err := Parse("empty.yaml", []byte(src))
		if err != nil || len(f.Rules) != 0 {
			t.Errorf("Parse(%q) = %v, %v; want no rules and no error", src, f, err)
		}
	}
}

func TestParseErrors(t *testing.T) {
	// rule wraps the lines of one rule in a file; the rule starts on line 2.
	rule := func(lines ...string) string {
		return "rules:\n  - " + strings.Join(lines, "\n    ") + "\n"
	}
	for _, tc := range []struct {
		name, src, want string
	}{
		{"invalid regexp", rule("kind: ignore", "match: {regexp: 'a(b'}"),
			"f.yaml:3: invalid regexp: missing closing ): `a(b`"},
		{"unknown kind", rule("kind: mangle", "match: x"),
			`f.yaml:2: unknown kind "mangle" (known: strip, mask, ignore, signature, hint, template)`},
		{"unknown field", rule("kind: ignore", "match: x", "replce: y"),
			`f.yaml:4: unknown field "replce" in a rule (known: kind, name, match, replace, hint, weight, keep, description, disabled)`},
		{"unknown top-level field", "rule:\n  - kind: ignore\n",
			`f.yaml:1: unknown field "rule" in a rule file (known: version, description, rules)`},
		{"unknown match field", rule("kind: ignore", "match: {regex: x}"),
			`f.yaml:3: unknown field "regex" in match (known: literal, regexp)`},
		{"missing kind", rule("match: x"),
			"f.yaml:2: missing field kind (one of strip, mask, ignore, signature, hint, template)"},
		{"missing match", rule("kind: ignore"),
			"f.yaml:2: missing field match"},
		{"missing replace", rule("kind: mask", "match: x"),
			"f.yaml:2: missing field replace: a mask rule needs the placeholder to write"},
		{"missing hint", rule("kind: hint", "match: x"),
			"f.yaml:2: missing field hint: a hint rule needs the sentence to show"},
		{"missing rules", "version: 1\n",
			"f.yaml:1: missing field rules"},
		{"mask matches empty", rule("kind: mask", "match: {regexp: '[0-9]*'}", "replace: '<n>'"),
			`f.yaml:3: a mask pattern must not match the empty string ("[0-9]*" can): it would write its placeholder between characters`},
		{"mask matches empty at a boundary", rule("kind: mask", "match: {regexp: '\\b'}", "replace: '<n>'"),
			`f.yaml:3: a mask pattern must not match the empty string ("\\b" can): it would write its placeholder between characters`},
		{"strip matches empty", rule("kind: strip", "match: {regexp: '\\s*'}"),
			`f.yaml:3: a strip pattern must not match the empty string ("\\s*" can): it would strip nothing`},
		{"duplicate name", "rules:\n  - {kind: ignore, name: a, match: x}\n  - {kind: ignore, name: a, match: y}\n",
			`f.yaml:3: duplicate name "a" (first at line 2)`},
		{"field twice", rule("kind: ignore", "match: x", "match: y"),
			"f.yaml:4: field match given twice (first at line 3)"},
		{"replace on a hint", rule("kind: hint", "match: x", "hint: h", "replace: r"),
			"f.yaml:5: field replace is only for mask rules, not hint rules"},
		{"weight on an ignore", rule("kind: ignore", "match: x", "weight: 2"),
			"f.yaml:4: field weight is only for signature rules, not ignore rules"},
		{"weight not a number", rule("kind: signature", "match: x", "weight: heavy"),
			`f.yaml:4: weight must be a number greater than 0 and at most 100, found "heavy"`},
		{"weight zero", rule("kind: signature", "match: x", "weight: 0"),
			`f.yaml:4: weight must be a number greater than 0 and at most 100, found "0"`},
		{"unknown group", rule("kind: hint", "match: {regexp: 'parameter (\\w+)'}", "hint: 'empty $2'"),
			"f.yaml:4: hint refers to $2, but the regexp has no group 2 (write ${1}x, not $1x, before letters or digits; $$ for a dollar sign)"},
		{"group glued to a word", rule("kind: mask", "match: {regexp: '(id)-\\d+'}", "replace: '$1x'"),
			"f.yaml:4: replace refers to $1x, but the regexp has no group 1x (write ${1}x, not $1x, before letters or digits; $$ for a dollar sign)"},
		{"digit in placeholder", rule("kind: mask", "match: {regexp: 'id-[a-z]+'}", "replace: '<id1>'"),
			`f.yaml:4: replace "<id1>" contains a digit: logdiff masks numbers after the mask rules, so a placeholder must have none (use <session>, not <id1>)`},
		{"placeholder masked again", rule("kind: mask", "match: {regexp: '[a-z]+'}", "replace: '<word>'"),
			`f.yaml:4: replace "<word>" is changed by the rule's own pattern, so masking a line twice would change it again`},
		{"disabled without name", rule("kind: ignore", "disabled: true"),
			"f.yaml:2: a disabled rule needs a name: it removes the earlier rule of that name"},
		{"invalid name", rule("kind: ignore", "name: 'my rule'", "match: x"),
			`f.yaml:3: invalid name "my rule": use letters, digits, '-', '_' and '.', starting with a letter or digit`},
		{"empty match", rule("kind: ignore", "match: ''"),
			"f.yaml:3: match is empty"},
		{"match both", rule("kind: ignore", "match: {literal: x, regexp: y}"),
			"f.yaml:3: match takes one of literal and regexp, not both"},
		{"match a list", rule("kind: ignore", "match: [x]"),
			"f.yaml:3: match must be a string or a mapping with literal or regexp, found a list"},
		{"rule not a mapping", "rules:\n  - ignore x\n",
			`f.yaml:2: a rule is a mapping with kind and match, found "ignore x"`},
		{"rules not a list", "rules: x\n",
			`f.yaml:1: rules must be a list, found "x"`},
		{"file not a mapping", "- kind: ignore\n",
			"f.yaml:1: a rule file is a mapping with a rules list, found a list"},
		{"unsupported version", "version: 2\nrules: []\n",
			`f.yaml:1: unsupported version "2" (this logdiff reads version 1)`},
		{"two documents", "rules: []\n---\nrules: []\n",
			"f.yaml:2: a second YAML document: a rule file is one document"},
		{"anchors", "rules:\n  - &r {kind: ignore, match: x}\n  - *r\n",
			"f.yaml:2: anchors and aliases are not supported in rule files"},
		{"tags", "rules:\n  - !!map {kind: ignore, match: x}\n",
			"f.yaml:2: explicit tag !!map is not supported in rule files"},
		{"invalid UTF-8", "rules:\n  - {kind: ignore, match: \"\xff\"}\n",
			"f.yaml:2: invalid UTF-8: a rule file is text"},
		{"control character", "rules:\n\x00\n",
			`f.yaml:2: control character '\x00': a rule file is text`},
		{"YAML syntax", "rules:\n  - kind: ignore\n    match: x: y\n",
			"f.yaml:3: invalid YAML: mapping values are not allowed in this context"},
		{"match on several lines", rule("kind: ignore", "match: \"a\\nb\""),
			"f.yaml:3: match spans several lines: logdiff matches one line at a time"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Parse("f.yaml", []byte(tc.src))
			if err == nil {
				t.Fatalf("Parse = %+v, want error %q", f, tc.want)
			}
			if err.Error() != tc.want {
				t.Errorf("Parse error:\n got %s\nwant %s", err, tc.want)
			}
			if f != nil {
				t.Errorf("Parse returned rules with an error: %+v", f)
			}
			var e *Error
			if !errors.As(err, &e) || e.File != "f.yaml" || e.Line == 0 {
				t.Errorf("error %#v does not name the file and line", err)
			}
		})
	}
}

// TestParseAllErrors checks that every bad rule is reported, not only the first.
func TestParseAllErrors(t *testing.T) {
	src := "rules:\n  - {kind: ignore, match: 'a'}\n  - {kind: nope, match: 'b'}\n  - {kind: ignore, match: {regexp: '('}}\n"
	_, err := Parse("f.yaml", []byte(src))
	want := "f.yaml:3: unknown kind \"nope\" (known: strip, mask, ignore, signature, hint, template)\nf.yaml:4: invalid regexp: missing closing ): `(`"
	if err == nil || err.Error() != want {
		t.Errorf("Parse error:\n got %v\nwant %s", err, want)
	}
}

func TestParseFile(t *testing.T) {
	dir := t.TempDir()
	t.Run("ok", func(t *testing.T) {
		p := filepath.Join(dir, "ok.yaml")
		if err := os.WriteFile(p, []byte("rules:\n  - {kind: ignore, match: x}\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		f, err := ParseFile(p)
		if err != nil || len(f.Rules) != 1 || f.Rules[0].Source != p+":2" {
			t.Errorf("ParseFile = %+v, %v", f, err)
		}
	})
	t.Run("missing", func(t *testing.T) {
		p := filepath.Join(dir, "missing.yaml")
		_, err := ParseFile(p)
		if !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), p) {
			t.Errorf("ParseFile error = %v, want one naming %s that is os.ErrNotExist", err, p)
		}
	})
	t.Run("too large", func(t *testing.T) {
		p := filepath.Join(dir, "large.yaml")
		if err := os.WriteFile(p, make([]byte, maxFileSize+1), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := ParseFile(p)
		want := "reading rules file " + p + ": larger than 1048576 bytes"
		if err == nil || err.Error() != want {
			t.Errorf("ParseFile error = %v, want %s", err, want)
		}
	})
}

func TestFindUserFile(t *testing.T) {
	// Each case builds a tree under a temporary directory: paths ending in
	// "/" are directories, others files; from is where the search starts.
	for _, tt := range []struct {
		name string
		tree []string
		from string
		want string // "" for none
	}{
		{"in a parent, inside a repository", []string{"repo/.git/", "repo/a/.logdiff.yaml", "repo/a/b/c/"}, "repo/a/b/c", "repo/a/.logdiff.yaml"},
		{"at the repository root", []string{"repo/.git/", "repo/.logdiff.yaml", "repo/a/b/"}, "repo/a/b", "repo/.logdiff.yaml"},
		{"the nearest wins", []string{"repo/.git/", "repo/.logdiff.yaml", "repo/a/.logdiff.yaml"}, "repo/a", "repo/a/.logdiff.yaml"},
		{"never above the repository root", []string{".logdiff.yaml", "repo/.git/", "repo/a/"}, "repo/a", ""},
		{".git as a file (a worktree) is a root", []string{".logdiff.yaml", "wt/.git", "wt/a/"}, "wt/a", ""},
		{"a nested repository is its own", []string{"outer/.git/", "outer/.logdiff.yaml", "outer/inner/.git", "outer/inner/a/"}, "outer/inner/a", ""},
		{"outside a repository, the directory itself", []string{"a/.logdiff.yaml"}, "a", "a/.logdiff.yaml"},
		{"outside a repository, not its parent", []string{".logdiff.yaml", "a/"}, "a", ""},
		{"a directory of that name is not a rule file", []string{"repo/.git/", "repo/.logdiff.yaml", "repo/a/.logdiff.yaml/"}, "repo/a", "repo/.logdiff.yaml"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			if repoRoot(root) != "" {
				t.Skipf("the temporary directory %s is inside a git repository", root)
			}
			for _, p := range tt.tree {
				full := filepath.Join(root, p)
				if strings.HasSuffix(p, "/") {
					if err := os.MkdirAll(full, 0o755); err != nil {
						t.Fatal(err)
					}
					continue
				}
				if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(full, []byte("rules: []\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			p, ok := FindUserFile(filepath.Join(root, tt.from))
			want := ""
			if tt.want != "" {
				want = filepath.Join(root, tt.want)
			}
			if ok != (want != "") || p != want {
				t.Errorf("FindUserFile(%s) = %q, %v; want %q", tt.from, p, ok, want)
			}
		})
	}
}
