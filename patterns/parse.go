package patterns

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// UserFileName is the rule file FindUserFile looks for.
const UserFileName = ".logdiff.yaml"

// Limits on rule files: they are small, hand-written, and may come from a
// repository the user did not write.
const (
	maxFileSize    = 1 << 20
	maxRules       = 10000
	maxPatternLen  = 4096
	maxTextLen     = 1024 // replace, hint, description
	maxNameLen     = 100
	maxKeep        = 4096 // texts kept by one template rule
	maxErrorsShown = 20
)

// ParseFile reads and parses the rule file at path.
func ParseFile(path string) (*File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading rules file: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading rules file %s: %w", path, err)
	}
	if len(data) > maxFileSize {
		return nil, fmt.Errorf("reading rules file %s: larger than %d bytes", path, maxFileSize)
	}
	return Parse(path, data)
}

// FindUserFile looks for .logdiff.yaml in dir and then in each parent of
// dir up to the root of the repository dir is in: the nearest directory
// that holds .git (a directory, or a file in a worktree or submodule). It
// never looks above that root: its parents belong to someone else (in CI,
// the runner's workspace, where any job may have left a file). Outside
// any repository it looks in dir only, for the same reason.
func FindUserFile(dir string) (string, bool) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", false
	}
	top := repoRoot(dir)
	if top == "" {
		top = dir
	}
	for {
		p := filepath.Join(dir, UserFileName)
		fi, err := os.Stat(p)
		switch {
		case err == nil && !fi.IsDir():
			return p, true
		case err != nil && !errors.Is(err, os.ErrNotExist):
			// The file may be there but cannot be looked at: report it, and
			// ParseFile will say why it cannot be used.
			return p, true
		}
		parent := filepath.Dir(dir)
		if dir == top || parent == dir {
			return "", false
		}
		dir = parent
	}
}

// repoRoot returns the nearest of dir and its parents that holds .git,
// or "" when none does.
func repoRoot(dir string) string {
	for {
		if _, err := os.Lstat(filepath.Join(dir, ".git")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// Parse parses a rule file. name is used in errors, which all have the form
// "name:line: reason"; a file with any error yields no rules. When there are
// several errors, they are joined (at most 20 are reported).
func Parse(name string, data []byte) (*File, error) {
	return parse(name, data, true)
}

// parse is Parse; with check false it leaves out compiling every rule to
// check it, which Compile does anyway: the built-in packs, whose every rule
// a test parses with check (TestPacksCheck), are parsed on every run, and
// compiling their regexps twice was a fifth of a run's start.
func parse(name string, data []byte, check bool) (*File, error) {
	if err := checkText(name, data); err != nil {
		return nil, err
	}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return &File{Name: name}, nil // an empty file has no rules
		}
		return nil, yamlError(name, err)
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case err == nil:
		return nil, errorf(name, extra.Line, "a second YAML document: a rule file is one document")
	case !errors.Is(err, io.EOF):
		return nil, yamlError(name, err)
	}
	p := &parser{name: name, names: map[string]int{}, check: check}
	f := p.file(&doc)
	if len(p.errs) > 0 {
		return nil, p.err()
	}
	return f, nil
}

// checkText refuses input that is not text, naming the line of the first bad byte.
func checkText(name string, data []byte) error {
	line := 1
	for i := 0; i < len(data); {
		c := data[i]
		if c < utf8.RuneSelf {
			if c == '\n' {
				line++
			} else if c < ' ' && c != '\t' && c != '\r' || c == 0x7f {
				return errorf(name, line, "control character %q: a rule file is text", c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			return errorf(name, line, "invalid UTF-8: a rule file is text")
		}
		i += size
	}
	return nil
}

// yamlLine finds "line N: " in the YAML library's errors.
var yamlLine = regexp.MustCompile(`^(?:yaml: )?line (\d+): `)

// yamlError turns an error of the YAML library into an *Error.
func yamlError(name string, err error) error {
	var te *yaml.TypeError
	msg := err.Error()
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		return errorf(name, n, "invalid YAML: %s", msg[len(m[0]):])
	}
	return errorf(name, 0, "invalid YAML: %s", strings.TrimPrefix(msg, "yaml: "))
}

// parser walks the YAML node tree of one file and collects errors.
type parser struct {
	name  string
	errs  []*Error
	names map[string]int // rule name -> line of its first use
	check bool           // compile every rule to check it (see parse)
}

func (p *parser) errorf(n *yaml.Node, format string, args ...any) {
	p.errs = append(p.errs, errorf(p.name, n.Line, format, args...))
}

func (p *parser) err() error {
	errs := make([]error, 0, min(len(p.errs), maxErrorsShown)+1)
	for i, e := range p.errs {
		if i == maxErrorsShown {
			errs = append(errs, fmt.Errorf("%s: %d more errors", p.name, len(p.errs)-i))
			break
		}
		errs = append(errs, e)
	}
	if len(errs) == 1 {
		return errs[0]
	}
	return errors.Join(errs...)
}

func (p *parser) file(doc *yaml.Node) *File {
	f := &File{Name: p.name}
	root := doc
	if doc.Kind == yaml.DocumentNode {
		if len(doc.Content) == 0 {
			return f
		}
		root = doc.Content[0]
	}
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return f // only comments
	}
	if !p.plain(root) {
		return f
	}
	if root.Kind != yaml.MappingNode {
		p.errorf(root, "a rule file is a mapping with a rules list, found %s", describe(root))
		return f
	}
	var rules *yaml.Node
	p.fields(root, "in a rule file", []string{"version", "description", "rules"}, func(key string, k, v *yaml.Node) {
		switch key {
		case "version":
			if v.Kind != yaml.ScalarNode || v.Value != "1" {
				p.errorf(v, "unsupported version %s (this logdiff reads version 1)", describe(v))
			}
		case "description":
			f.Description, _ = p.text(key, v, maxTextLen)
		case "rules":
			rules = v
		}
	})
	if rules == nil {
		if len(p.errs) == 0 {
			p.errorf(root, "missing field rules")
		}
		return f
	}
	if rules.Kind == yaml.ScalarNode && rules.Tag == "!!null" {
		return f
	}
	if rules.Kind != yaml.SequenceNode {
		p.errorf(rules, "rules must be a list, found %s", describe(rules))
		return f
	}
	if len(rules.Content) > maxRules {
		p.errorf(rules, "too many rules (%d, at most %d)", len(rules.Content), maxRules)
		return f
	}
	for _, n := range rules.Content {
		if r, ok := p.rule(n); ok {
			f.Rules = append(f.Rules, r)
		}
	}
	return f
}

// plain refuses the YAML features a rule file has no use for (anchors,
// aliases, explicit tags), anywhere below n.
func (p *parser) plain(n *yaml.Node) bool {
	switch {
	case n.Kind == yaml.AliasNode || n.Anchor != "":
		p.errorf(n, "anchors and aliases are not supported in rule files")
		return false
	case n.Style&yaml.TaggedStyle != 0:
		p.errorf(n, "explicit tag %s is not supported in rule files", n.Tag)
		return false
	}
	for _, c := range n.Content {
		if !p.plain(c) {
			return false
		}
	}
	return true
}

// fields calls f for each key of the mapping n, in order, refusing unknown and
// repeated keys. where completes "unknown field X ..." messages.
func (p *parser) fields(n *yaml.Node, where string, known []string, f func(key string, k, v *yaml.Node)) {
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			p.errorf(k, "a key must be a plain word, found %s", describe(k))
			continue
		}
		if prev, ok := seen[k.Value]; ok {
			p.errorf(k, "field %s given twice (first at line %d)", k.Value, prev)
			continue
		}
		seen[k.Value] = k.Line
		if !contains(known, k.Value) {
			p.errorf(k, "unknown field %q %s (known: %s)", k.Value, where, strings.Join(known, ", "))
			continue
		}
		f(k.Value, k, v)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// ruleFields lists the fields of a rule, in the order the documentation gives them.
var ruleFields = []string{"kind", "name", "match", "replace", "hint", "weight", "keep", "description", "disabled"}

// rule parses one item of the rules list. Every problem is recorded; ok is
// false if there was any.
func (p *parser) rule(n *yaml.Node) (r Rule, ok bool) {
	before := len(p.errs)
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "a rule is a mapping with kind and match, found %s", describe(n))
		return r, false
	}
	r.Source = p.name + ":" + strconv.Itoa(n.Line)
	line := map[string]int{} // field -> line of its value
	matchMap := false        // match is a mapping (literal or regexp)
	p.fields(n, "in a rule", ruleFields, func(key string, k, v *yaml.Node) {
		line[key] = v.Line
		switch key {
		case "kind":
			s, ok := p.text(key, v, maxNameLen)
			if !ok {
				return
			}
			if !validKind(Kind(s)) {
				p.errorf(v, "unknown kind %q (known: %s)", s, knownKinds)
				return
			}
			r.Kind = Kind(s)
		case "name":
			s, ok := p.text(key, v, maxNameLen)
			if !ok {
				return
			}
			if !validName(s) {
				p.errorf(v, "invalid name %q: use letters, digits, '-', '_' and '.', starting with a letter or digit", s)
				return
			}
			if prev, dup := p.names[s]; dup {
				p.errorf(v, "duplicate name %q (first at line %d)", s, prev)
				return
			}
			p.names[s] = v.Line
			r.Name = s
		case "match":
			p.match(&r, v)
			matchMap = v.Kind == yaml.MappingNode
		case "keep":
			p.keep(&r, v)
		case "replace":
			r.Replace, _ = p.textEmpty(key, v, maxTextLen)
		case "hint":
			r.Hint, _ = p.text(key, v, maxTextLen)
		case "weight":
			w, err := strconv.ParseFloat(v.Value, 64)
			if v.Kind != yaml.ScalarNode || err != nil || math.IsNaN(w) || w <= 0 || w > 100 {
				p.errorf(v, "weight must be a number greater than 0 and at most 100, found %s", describe(v))
				return
			}
			r.Weight = w
		case "description":
			r.Description, _ = p.text(key, v, maxTextLen)
		case "disabled":
			if v.Kind != yaml.ScalarNode || (v.Value != "true" && v.Value != "false") {
				p.errorf(v, "disabled must be true or false, found %s", describe(v))
				return
			}
			r.Disabled = v.Value == "true"
		}
	})
	if len(p.errs) > before {
		return r, false
	}
	// Which fields a kind needs and allows.
	has := func(f string) bool { _, ok := line[f]; return ok }
	if r.Kind == Signature && r.Weight == 0 {
		r.Weight = 1
	}
	if r.Disabled {
		if r.Name == "" {
			p.errorf(n, "a disabled rule needs a name: it removes the earlier rule of that name")
		}
		return r, len(p.errs) == before
	}
	if !has("kind") {
		p.errorf(n, "missing field kind (one of %s)", knownKinds)
		return r, false
	}
	if !has("match") {
		p.errorf(n, "missing field match")
	}
	if r.Kind == Mask && !has("replace") {
		p.errorf(n, "missing field replace: a mask rule needs the placeholder to write")
	}
	if r.Kind == Hint && !has("hint") {
		p.errorf(n, "missing field hint: a hint rule needs the sentence to show")
	}
	for _, f := range []struct {
		field string
		kind  Kind
	}{{"replace", Mask}, {"hint", Hint}, {"weight", Signature}, {"keep", Template}} {
		if has(f.field) && r.Kind != f.kind {
			p.errorf(&yaml.Node{Line: line[f.field]}, "field %s is only for %s rules, not %s rules", f.field, f.kind, r.Kind)
		}
	}
	if r.Kind == Template && matchMap {
		p.errorf(&yaml.Node{Line: line["match"]}, "the match of a template rule is its template, a plain string (a key with <*> where it varies), not literal or regexp")
	}
	if len(p.errs) > before {
		return r, false
	}
	if !p.check {
		return r, true
	}
	if _, err := compileRule(&r); err != nil {
		// Point at the line of the field the problem is about.
		l, ok := line[err.field]
		if !ok {
			l = n.Line
		}
		p.errs = append(p.errs, errorf(p.name, l, "%s", err.msg))
		return r, false
	}
	return r, true
}

// match parses the match field: a plain string is a literal; a mapping has
// exactly one of literal and regexp.
func (p *parser) match(r *Rule, v *yaml.Node) {
	switch v.Kind {
	case yaml.ScalarNode:
		r.Pattern, _ = p.text("match", v, maxPatternLen)
		return
	case yaml.MappingNode:
	default:
		p.errorf(v, "match must be a string or a mapping with literal or regexp, found %s", describe(v))
		return
	}
	n := 0
	p.fields(v, "in match", []string{"literal", "regexp"}, func(key string, k, val *yaml.Node) {
		n++
		r.Pattern, _ = p.text(key, val, maxPatternLen)
		r.Regexp = key == "regexp"
	})
	if n == 0 && len(v.Content) == 0 {
		p.errorf(v, "match needs literal or regexp")
	} else if n > 1 {
		p.errorf(v, "match takes one of literal and regexp, not both")
	}
}

// keep parses the keep field of a template rule: a list of texts (kept in
// every field with a <*>), or a list of such lists (one per field).
func (p *parser) keep(r *Rule, v *yaml.Node) {
	if v.Kind != yaml.SequenceNode {
		p.errorf(v, "keep must be a list of texts, or a list of lists of texts (one per field with a <*>), found %s", describe(v))
		return
	}
	perField := len(v.Content) > 0 && v.Content[0].Kind == yaml.SequenceNode
	n := 0
	texts := func(items []*yaml.Node) []string {
		out := []string{}
		for _, item := range items {
			if n++; n > maxKeep {
				p.errorf(item, "keep has more than %d texts", maxKeep)
				return nil
			}
			if s, ok := p.text("a text of keep", item, maxTextLen); ok {
				out = append(out, s)
			}
		}
		return out
	}
	if !perField {
		r.Keep = [][]string{texts(v.Content)}
		return
	}
	r.Keep = [][]string{}
	for _, item := range v.Content {
		if item.Kind != yaml.SequenceNode {
			p.errorf(item, "keep mixes texts and lists: give one list of texts (kept in every field with a <*>) or one list per field, found %s", describe(item))
			return
		}
		r.Keep = append(r.Keep, texts(item.Content))
	}
}

// text returns a non-empty string field.
func (p *parser) text(key string, v *yaml.Node, max int) (string, bool) {
	s, ok := p.textEmpty(key, v, max)
	if ok && s == "" {
		p.errorf(v, "%s is empty", key)
		return "", false
	}
	return s, ok
}

// textEmpty returns a string field that may be empty ("").
func (p *parser) textEmpty(key string, v *yaml.Node, max int) (string, bool) {
	if v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
		p.errorf(v, "%s must be a string, found %s", key, describe(v))
		return "", false
	}
	if len(v.Value) > max {
		p.errorf(v, "%s is longer than %d bytes", key, max)
		return "", false
	}
	if strings.ContainsAny(v.Value, "\r\n") {
		p.errorf(v, "%s spans several lines: logdiff matches one line at a time", key)
		return "", false
	}
	return v.Value, true
}

// describe names the YAML value n for an error message.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "nothing"
		}
		if len(n.Value) > 40 {
			return strconv.Quote(n.Value[:40] + "...")
		}
		return strconv.Quote(n.Value)
	}
	return "a document"
}

func validKind(k Kind) bool {
	switch k {
	case Strip, Mask, Ignore, Signature, Hint, Template:
		return true
	}
	return false
}

// knownKinds lists the kinds for error messages.
const knownKinds = "strip, mask, ignore, signature, hint, template"

func validName(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case i > 0 && (c == '-' || c == '_' || c == '.'):
		default:
			return false
		}
	}
	return s != ""
}
