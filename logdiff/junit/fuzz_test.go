package junit

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

func addFixtures(f *testing.F, add func(b []byte)) {
	f.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", "*.xml"))
	if err != nil {
		f.Fatal(err)
	}
	more, _ := filepath.Glob(filepath.Join("testdata", "gradle", "*", "*", "*.xml"))
	for _, p := range append(paths, more...) {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		add(b)
	}
}

// identity prints what a truncated read must agree on with the whole read.
// A suite's own output is left out: it reaches a case only when the suite
// ends.
func identity(cases []Case) string {
	var b strings.Builder
	for _, c := range cases {
		fmt.Fprintf(&b, "%q %q %q %s %q %q %v\n", c.Suite, c.Class, c.Name, c.Status, c.Message, c.Text, c.Flaky)
	}
	return b.String()
}

// FuzzParse: reading never panics; a document cut anywhere yields a
// prefix of the cases of the whole document, and an error unless the
// whole was read; no more cases come out than <testcase tags went in.
func FuzzParse(f *testing.F) {
	addFixtures(f, func(b []byte) { f.Add(b, uint16(len(b)/2)) })
	f.Add([]byte(`<testsuite><testcase name="a"><failure message="&#27;[1mx">&#x1b;[31my</failure></testcase></testsuite>`), uint16(40))
	f.Fuzz(func(t *testing.T, doc []byte, cut uint16) {
		whole, werr := Parse(bytes.NewReader(doc), "f.xml", Options{TextLines: 5, TextBytes: 300, OutputBytes: 64})
		if n := bytes.Count(doc, []byte("<testcase")); len(whole) > n {
			t.Fatalf("%d cases from %d <testcase tags", len(whole), n)
		}
		if werr != nil && !strings.Contains(werr.Error(), "f.xml") {
			t.Fatalf("error does not name the file: %v", werr)
		}
		for _, c := range whole {
			for _, s := range []string{c.Suite, c.Class, c.Name, c.Message, c.Text, c.SystemOut, c.SystemErr} {
				if !utf8.ValidString(s) {
					t.Fatalf("invalid UTF-8 in %q", s)
				}
			}
			if len(c.Text) > 300 || len(c.SystemOut) > 64 || strings.Count(c.Text, "\n") >= 5 {
				t.Fatalf("bounds exceeded: text %d bytes, %d lines; out %d bytes", len(c.Text), strings.Count(c.Text, "\n")+1, len(c.SystemOut))
			}
		}
		at := min(int(cut), len(doc))
		part, perr := Parse(bytes.NewReader(doc[:at]), "f.xml", Options{TextLines: 5, TextBytes: 300, OutputBytes: 64})
		if len(part) > len(whole) || identity(part) != identity(whole[:len(part)]) {
			t.Fatalf("cut at %d: cases are not a prefix of the whole's:\n%s\nwhole:\n%s", at, identity(part), identity(whole))
		}
		if perr == nil && werr == nil && at < len(doc) && len(part) < len(whole) {
			t.Fatalf("cut at %d lost cases without an error", at)
		}
	})
}

// FuzzFilter: whatever goes in, the decoder never meets a character XML
// forbids in what the filter lets through, and what comes out does not
// depend on how the input is split between reads.
func FuzzFilter(f *testing.F) {
	addFixtures(f, func(b []byte) { f.Add(b) })
	f.Add([]byte("<a>\x1b[31mred\x1b[0m &#27;[1mb&#x1B;]0;t\x07 \xff\xfe\x00 &#65; &amp; &#</a>"))
	f.Add([]byte("<a b='&#&#27;7;'><![CDATA[&#27; ]]]></a><!-- x --><?p ?>"))
	f.Fuzz(func(t *testing.T, in []byte) {
		whole, err := io.ReadAll(newFilter(bytes.NewReader(in), Options{TextBytes: 40, OutputBytes: 20}))
		if err != nil {
			t.Fatal(err)
		}
		fl := newFilter(oneByte{bytes.NewReader(in)}, Options{TextBytes: 40, OutputBytes: 20})
		fl.in = make([]byte, 0, 64)
		split, err := io.ReadAll(fl)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(whole, split) {
			t.Fatalf("read whole: %q\none byte at a time: %q", whole, split)
		}
		if !utf8.Valid(whole) {
			t.Fatalf("invalid UTF-8 out: %q", whole)
		}
		d := xml.NewDecoder(bytes.NewReader(whole))
		d.CharsetReader = charsetReader
		for {
			_, err := d.Token()
			if err == nil {
				continue
			}
			for _, bad := range []string{"illegal character code", "invalid UTF-8", "invalid character entity &#"} {
				if strings.Contains(err.Error(), bad) {
					t.Fatalf("decoder: %v, in %q", err, whole)
				}
			}
			break
		}
	})
}
