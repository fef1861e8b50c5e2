package junit

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Options bound what Parse keeps of each test case. Zero fields take the
// defaults.
type Options struct {
	TextLines   int // lines of a failure's body kept (40)
	TextBytes   int // bytes of a failure's body kept (8 KiB)
	OutputBytes int // bytes of <system-out> and of <system-err> kept (2 KiB; negative: none)
}

const (
	defaultTextLines   = 40
	defaultTextBytes   = 8 << 10
	defaultOutputBytes = 2 << 10
	maxMessageBytes    = 4 << 10 // a message attribute can hold a whole log
	maxDepth           = 256
	maxCases           = 1_000_000
)

func (o Options) withDefaults() Options {
	if o.TextLines <= 0 {
		o.TextLines = defaultTextLines
	}
	if o.TextBytes <= 0 {
		o.TextBytes = defaultTextBytes
	}
	switch {
	case o.OutputBytes == 0:
		o.OutputBytes = defaultOutputBytes
	case o.OutputBytes < 0:
		o.OutputBytes = 0
	}
	return o
}

// ParseFile reads the JUnit file at path (see Parse).
func ParseFile(path string, opts Options) ([]Case, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading JUnit file: %w", err)
	}
	defer f.Close()
	return Parse(f, path, opts)
}

// Parse reads one JUnit XML document from r, streaming: memory holds the
// cases read, each cut to opts, and buffers of a few times 64 KiB or the
// longest tag (attribute values are read whole). Text past what a case
// keeps is skipped unread by the XML decoder, so a Kubernetes e2e report
// of tens of MB, mostly timelines, reads at over 100 MB/s. name names the
// input in errors and in each Case's File.
//
// It reads every dialect in use, which differ in where they put things
// rather than in the elements they use: a <testsuites> or <testsuite>
// root, suites nested in suites, <testcase> with <failure>, <error> and
// <skipped> children; the status attribute of Ginkgo ("skipped",
// "pending") and of gtest and Bazel ("notrun"); Surefire's reruns; a
// suite's own <system-out> when it has one case (Bazel's generated
// test.xml). Gzip input is read decompressed, Latin-1 converted; terminal
// colour codes, other characters XML forbids and stray '&'s are dropped
// or escaped rather than stopping the read.
//
// A document that is not JUnit, malformed or cut short returns the cases
// read before the trouble (a case cut off is left out) and an error naming
// name and the line; a caller comparing runs can warn and go on.
func Parse(r io.Reader, name string, opts Options) ([]Case, error) {
	in, err := input(r, opts)
	if err != nil {
		return nil, fmt.Errorf("reading JUnit file %s: %w", name, err)
	}
	p := parser{name: name, opts: opts.withDefaults(), dec: xml.NewDecoder(in)}
	p.dec.CharsetReader = charsetReader
	p.dec.Entity = xml.HTMLEntity // &nbsp; and friends, from HTML-minded writers
	err = p.run()
	if err != nil {
		return p.cases, fmt.Errorf("reading JUnit file %s: %w", name, err)
	}
	return p.cases, nil
}

type parser struct {
	name  string
	opts  Options
	dec   *xml.Decoder
	cases []Case

	depth  int     // of the element being read
	suites []suite // the open suites, innermost last

	cur        *Case // the open test case, nil outside one
	caseDepth  int
	child      childKind // the case's child element being read
	text       bounded
	out, err   bounded // the case's output
	sout, serr bounded // the innermost suite's own
	outcome    bool    // a <failure> or <error> was seen
}

type suite struct {
	name  string // "" for a nameless one
	depth int
	first int // index in cases of its first case
}

type childKind uint8

const (
	noChild childKind = iota
	otherChild
	failureChild // <failure> or <error>: its body is the case's Text
	skippedChild
	outChild
	errChild
	suiteOutChild
	suiteErrChild
)

func (p *parser) run() error {
	root := true
	for {
		tok, err := p.dec.Token()
		if err == io.EOF {
			if root {
				return errors.New("empty: no XML element")
			}
			return nil
		}
		if err != nil {
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				if strings.Contains(se.Msg, "unexpected EOF") {
					return fmt.Errorf("line %d: cut short (unexpected end of file): %d test cases read before it", se.Line, len(p.cases))
				}
				return fmt.Errorf("line %d: %s: %d test cases read before it", se.Line, se.Msg, len(p.cases))
			}
			return fmt.Errorf("%w: %d test cases read before it", err, len(p.cases))
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if root {
				root = false
				if t.Name.Local != "testsuites" && t.Name.Local != "testsuite" {
					return fmt.Errorf("not a JUnit report: the root element is <%s>, want <testsuites> or <testsuite>", t.Name.Local)
				}
			}
			p.depth++
			if p.depth > maxDepth {
				return fmt.Errorf("elements nested more than %d deep", maxDepth)
			}
			if err := p.start(t); err != nil {
				return err
			}
		case xml.EndElement:
			p.end(t)
			p.depth--
		case xml.CharData:
			switch p.child {
			case failureChild, skippedChild:
				p.text.write(t)
			case outChild:
				p.out.write(t)
			case errChild:
				p.err.write(t)
			case suiteOutChild:
				p.sout.write(t)
			case suiteErrChild:
				p.serr.write(t)
			}
		}
	}
}

func (p *parser) start(t xml.StartElement) error {
	if p.cur == nil {
		switch t.Name.Local {
		case "testsuites", "testsuite":
			p.suites = append(p.suites, suite{attr(t, "name"), p.depth, len(p.cases)})
			p.sout.reset(1<<30, p.opts.OutputBytes)
			p.serr.reset(1<<30, p.opts.OutputBytes)
		case "system-out", "system-err":
			// A suite's own output: Bazel writes the test's log there
			// when it made test.xml up for a test that wrote none.
			if len(p.suites) > 0 && p.depth == p.suites[len(p.suites)-1].depth+1 {
				p.child = suiteOutChild
				if t.Name.Local == "system-err" {
					p.child = suiteErrChild
				}
			}
		case "testcase":
			if len(p.cases) == maxCases {
				return fmt.Errorf("more than %d test cases", maxCases)
			}
			p.startCase(t)
		}
		return nil
	}
	if p.depth != p.caseDepth+1 {
		return nil // inside a child: Surefire's <stackTrace> in <flakyFailure>, say
	}
	p.child = otherChild
	switch t.Name.Local {
	case "failure", "error":
		if p.outcome {
			return nil // pytest writes a teardown <error> after a <failure>: the first tells
		}
		p.outcome = true
		p.cur.Status = Failed
		if t.Name.Local == "error" {
			p.cur.Status = Errored
		}
		p.cur.Message = cut(attr(t, "message"), maxMessageBytes)
		p.cur.Type = attr(t, "type")
		p.child = failureChild
		p.text.reset(p.opts.TextLines, p.opts.TextBytes)
	case "skipped":
		if p.outcome {
			return nil
		}
		p.cur.Status = Skipped
		p.cur.Message = cut(attr(t, "message"), maxMessageBytes)
		p.cur.Type = attr(t, "type")
		p.child = skippedChild
		p.text.reset(p.opts.TextLines, p.opts.TextBytes)
	case "flakyFailure", "flakyError":
		p.cur.Flaky = true
	case "rerunFailure", "rerunError":
		p.cur.Reruns++
	case "system-out":
		p.child = outChild
	case "system-err":
		p.child = errChild
	}
	return nil
}

func (p *parser) startCase(t xml.StartElement) {
	c := Case{File: p.name, Status: Passed}
	for i := len(p.suites) - 1; i >= 0; i-- {
		if p.suites[i].name != "" {
			c.Suite = p.suites[i].name
			break
		}
	}
	for _, a := range t.Attr {
		switch a.Name.Local {
		case "name":
			c.Name = a.Value
		case "classname":
			c.Class = a.Value
		case "time":
			c.Time = seconds(a.Value)
		case "status", "result":
			// Ginkgo: passed, skipped, pending, failed...; gtest and
			// Bazel: run, notrun; gtest's result: completed, skipped.
			// Children decide failures; these only tell a skip that has
			// no <skipped> child.
			switch strings.ToLower(a.Value) {
			case "skipped", "pending", "notrun", "disabled", "suppressed":
				c.Status = Skipped
			}
		}
	}
	p.cur = &c
	p.caseDepth = p.depth
	p.outcome = false
	p.out.reset(1<<30, p.opts.OutputBytes)
	p.err.reset(1<<30, p.opts.OutputBytes)
}

func (p *parser) end(t xml.EndElement) {
	switch {
	case p.cur != nil && p.depth == p.caseDepth:
		c := p.cur
		c.SystemOut, _ = p.out.String()
		c.SystemErr, _ = p.err.String()
		p.cases = append(p.cases, *c)
		p.cur = nil
	case p.cur != nil && p.depth == p.caseDepth+1:
		if p.child == failureChild || p.child == skippedChild {
			p.cur.Text, p.cur.TextCut = p.text.String()
		}
		p.child = noChild
	case p.cur == nil && p.child != noChild:
		p.child = noChild
	case p.cur == nil && len(p.suites) > 0 && p.depth == p.suites[len(p.suites)-1].depth:
		// The output of a suite of one case is that case's; a suite of
		// many (Gradle's) keeps its own.
		s := p.suites[len(p.suites)-1]
		if len(p.cases) == s.first+1 {
			c := &p.cases[s.first]
			if c.SystemOut == "" {
				c.SystemOut, _ = p.sout.String()
			}
			if c.SystemErr == "" {
				c.SystemErr, _ = p.serr.String()
			}
		}
		p.suites = p.suites[:len(p.suites)-1]
		p.sout.reset(1<<30, p.opts.OutputBytes)
		p.serr.reset(1<<30, p.opts.OutputBytes)
	}
}

func attr(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// seconds reads a time attribute: "1.5", or Surefire's "1,234.5" from a
// locale with grouping.
func seconds(s string) float64 {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", "")
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || f != f {
		return 0
	}
	return f
}

// cut shortens s to at most n bytes, at a rune boundary, marking the cut.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := n
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}

// bounded keeps the first lines and bytes of a text written in pieces,
// leaving out leading blank lines.
type bounded struct {
	b                  []byte
	started            bool
	lines              int
	maxLines, maxBytes int
	full, cut          bool
}

func (t *bounded) reset(maxLines, maxBytes int) {
	*t = bounded{b: t.b[:0], maxLines: maxLines, maxBytes: maxBytes}
	t.full = maxBytes <= 0
}

func (t *bounded) write(p []byte) {
	if i := bytes.Index(p, []byte(cutMark)); i >= 0 {
		// The input filter cut the text here: nothing comes after.
		t.write(p[:i])
		t.full, t.cut = true, true
		return
	}
	if t.full {
		t.cut = t.cut || hasText(p)
		return
	}
	if !t.started {
		// Drop blank lines before the first one with text.
		for len(p) > 0 {
			c := p[0]
			if c == '\n' {
				t.b = t.b[:0]
				p = p[1:]
				continue
			}
			if c == ' ' || c == '\t' || c == '\r' {
				if len(t.b) < t.maxBytes {
					t.b = append(t.b, c)
				}
				p = p[1:]
				continue
			}
			t.started = true
			break
		}
		if !t.started {
			return
		}
	}
	for len(p) > 0 && !t.full {
		line := p
		nl := false
		if i := bytes.IndexByte(p, '\n'); i >= 0 {
			line, nl = p[:i+1], true
		}
		if room := t.maxBytes - len(t.b); len(line) > room {
			// Cut at a rune boundary: back off a rune cut in two.
			for room > 0 && !utf8.RuneStart(line[room]) {
				room--
			}
			line, nl = line[:room], false
			t.full, t.cut = true, true
		}
		p = p[len(line):]
		t.b = append(t.b, line...)
		if nl {
			t.lines++
			t.full = t.lines >= t.maxLines
		}
	}
	t.cut = t.cut || t.full && hasText(p)
}

// hasText reports whether p holds more than white space.
func hasText(p []byte) bool {
	for _, c := range p {
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			return true
		}
	}
	return false
}

// String is the text kept, without trailing white space, and whether
// more came after it.
func (t *bounded) String() (string, bool) {
	s := strings.TrimRight(string(t.b), " \t\r\n")
	if !t.started {
		s = ""
	}
	return s, t.cut
}
