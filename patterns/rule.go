// Package patterns holds what logdiff knows about log lines: rule files, built-in packs, and a compiled matcher.
package patterns

import (
	"fmt"
	"strconv"
)

// Kind says what a rule does to the lines it matches.
type Kind string

const (
	// Strip drops a prefix at the start of a line (a tool's timestamp).
	Strip Kind = "strip"
	// Mask replaces every match in a line with a placeholder.
	Mask Kind = "mask"
	// Ignore makes a line never count (known benign noise).
	Ignore Kind = "ignore"
	// Signature marks a line that matters when it goes missing or appears.
	Signature Kind = "signature"
	// Hint attaches a sentence to a finding about a matching line.
	Hint Kind = "hint"
	// Template masks the variable fields of keys that fit a template: a key
	// (a line after logdiff's built-in masking) with <*> where it varies,
	// as logdiff learns them from passing runs.
	Template Kind = "template"
)

// Rule is one parsed rule.
type Rule struct {
	Kind Kind
	// Name identifies the rule across files: a rule of a later file with the
	// same name replaces it. Optional in user files, set in every built-in rule.
	Name string
	// Pattern is the literal text the rule looks for, or an RE2 regexp when
	// Regexp is set. A strip pattern is anchored at the start of the line.
	// That of a template rule is its template: a key with <*> at the
	// variable positions.
	Pattern string
	Regexp  bool
	// Keep lists the texts of a template's variable fields that are left as
	// they are (a value that does not change from run to run): one list for
	// every field (text between spaces) that holds a <*>, or one list per
	// such field, in order.
	Keep [][]string
	// Replace is the placeholder of a mask rule; Hint the sentence of a hint
	// rule. Both may refer to groups of a regexp as $1 or ${name}.
	Replace string
	Hint    string
	// Weight of a signature rule, in (0, 100]: 1 unless the file says otherwise
	// (0 in a Rule built in Go means 1).
	Weight      float64
	Description string
	// Disabled rules only remove the rule of the same Name from earlier files.
	Disabled bool
	// Pack is the built-in pack the rule comes from, "" for other files.
	Pack string
	// Source is "file:line" of the rule.
	Source string
	// Prefilter is set in the rules a Set returns: the literals one of which a
	// line must contain before the pattern runs on it, or, for a pattern
	// anchored at the start (end) of the line, the bytes the line must start
	// (end) with, written "^[Aa][0-9]" ("[%][\x5d]$"). Empty means that the
	// pattern runs on every line.
	Prefilter []string
}

// File is one parsed rule file.
type File struct {
	Name        string
	Description string
	Rules       []Rule
}

// Error is a rule that was refused, with the place it was found.
type Error struct {
	File   string
	Line   int // 1-based; 0 if unknown
	Reason string
}

func (e *Error) Error() string {
	if e.Line == 0 {
		return e.File + ": " + e.Reason
	}
	return e.File + ":" + strconv.Itoa(e.Line) + ": " + e.Reason
}

// errorf returns an *Error for a place given as file and line.
func errorf(file string, line int, format string, args ...any) *Error {
	return &Error{File: file, Line: line, Reason: fmt.Sprintf(format, args...)}
}
