package report

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"

	"github.com/logdiff/logdiff/logdiff"
)

// parsedJUnit is what Prow's JUnit lens and TestGrid read.
type parsedJUnit struct {
	XMLName xml.Name `xml:"testsuites"`
	Suites  []struct {
		Name     string `xml:"name,attr"`
		Tests    int    `xml:"tests,attr"`
		Failures int    `xml:"failures,attr"`
		Cases    []struct {
			Name    string `xml:"name,attr"`
			Failure *struct {
				Message string `xml:"message,attr"`
				Body    string `xml:",chardata"`
			} `xml:"failure"`
			SystemOut string `xml:"system-out"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func parseJUnit(t *testing.T, r *logdiff.Report, o Options) parsedJUnit {
	t.Helper()
	var b bytes.Buffer
	if o.Now == nil {
		o.Now = clock
	}
	if err := JUnit(&b, r, o); err != nil {
		t.Fatal(err)
	}
	var got parsedJUnit
	dec := xml.NewDecoder(&b) // strict: illegal characters are errors
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("the JUnit report does not parse: %v", err)
	}
	if len(got.Suites) != 1 || got.Suites[0].Name != "logdiff" || len(got.Suites[0].Cases) != 1 {
		t.Fatalf("want one suite \"logdiff\" with one test case, got %+v", got)
	}
	return got
}

func TestJUnit(t *testing.T) {
	tests := []struct {
		name string
		r    *logdiff.Report
	}{
		{"windows", windowsReport()},
		{"hostile", hostileReport()},
		{"large", bigReport(10000)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := parseJUnit(t, tt.r, Options{})
			s := got.Suites[0]
			c := s.Cases[0]
			if c.Failure == nil || s.Failures != 1 || s.Tests != 1 {
				t.Fatalf("a report with findings must fail its test case: %+v", s)
			}
			if c.Name != caseName {
				t.Errorf("test case %q, want the same name every run (%q)", c.Name, caseName)
			}
			top := tt.r.Findings[0]
			if !strings.Contains(c.Failure.Message, cut(clean(top.Summary, false), 200)[:20]) {
				t.Errorf("message %q does not name the top finding %q", c.Failure.Message, top.Summary)
			}
			if strings.ContainsAny(c.Failure.Message, "\n\r") {
				t.Errorf("message spans lines: %q", c.Failure.Message)
			}
			for _, f := range tt.r.Findings[:min(len(tt.r.Findings), defaultTop)] {
				if !strings.Contains(c.Failure.Body, clean(f.Summary, true)) && !strings.Contains(c.Failure.Body, cut(clean(f.Summary, true), 60)[:10]) {
					t.Errorf("the body lacks finding #%d: %q", f.Rank, f.Summary)
				}
			}
			if len(c.Failure.Body) > junitMaxBody+200 {
				t.Errorf("body of %d bytes, over the limit of %d", len(c.Failure.Body), junitMaxBody)
			}
			if tt.r.Failing.URL != "" && !strings.Contains(c.Failure.Body, safeHref(tt.r.Failing.URL)) {
				t.Errorf("the body does not link the failing run")
			}
		})
	}
	t.Run("no findings passes", func(t *testing.T) {
		got := parseJUnit(t, emptyReport(), Options{})
		s := got.Suites[0]
		if s.Failures != 0 || s.Cases[0].Failure != nil {
			t.Errorf("a report without findings must pass: %+v", s)
		}
		if !strings.Contains(s.Cases[0].SystemOut, "no findings") {
			t.Errorf("system-out %q does not say there were no findings", s.Cases[0].SystemOut)
		}
	})
	t.Run("hostile text survives as text", func(t *testing.T) {
		got := parseJUnit(t, hostileReport(), Options{})
		body := got.Suites[0].Cases[0].Failure.Body
		for _, h := range []string{hostile[0], hostile[8], `\x1b[31mred`, `invalid \xff`} {
			if !strings.Contains(body, h) {
				t.Errorf("body lacks %q", h)
			}
		}
	})
}
