package report

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/logdiff/logdiff/logdiff"
)

// FuzzReports renders reports whose every text is fuzzed and checks the
// properties users rely on, whatever the input: no panic; the Markdown
// stays within its limit, its fences and <details> balanced; the JUnit XML
// parses strictly; the HTML, even decoded once more by Prow's lens, holds
// only the template's own elements and attributes.
func FuzzReports(f *testing.F) {
	for i, h := range hostile {
		f.Add(h, hostile[(i+1)%len(hostile)], "https://prow.k8s.io/view/gs/b/logs/j/1")
	}
	f.Add("", "", "")
	f.Fuzz(func(t *testing.T, text, name, link string) {
		r := fuzzReport(text, name, link)
		o := Options{Now: clock, MaxChars: 5000}

		md := renderMarkdown(t, r, o)
		if n := mdLen(md); n > 5000 {
			t.Errorf("Markdown of %d characters, over 5,000", n)
		}
		mdParse(t, md)

		var x bytes.Buffer
		if err := JUnit(&x, r, o); err != nil {
			t.Fatal(err)
		}
		if err := xml.NewDecoder(&x).Decode(new(parsedJUnit)); err != nil {
			t.Errorf("JUnit does not parse: %v", err)
		}

		page := string(renderHTML(t, r, o))
		doc, err := html.Parse(strings.NewReader(page))
		if err != nil {
			t.Fatal(err)
		}
		checkInert(t, doc, r, 0)
		checkInert(t, srcdoc(t, prowWrap(page)), r, 1, "div")
	})
}

func fuzzReport(text, name, link string) *logdiff.Report {
	l := func(side logdiff.Side, n int) logdiff.Line { return logdiff.Line{Side: side, N: n, Text: text} }
	return &logdiff.Report{
		Version:   logdiff.Version,
		Failing:   logdiff.LogInfo{Name: name, Lines: 10, URL: link},
		Baselines: []logdiff.LogInfo{{Name: text, Lines: 10, URL: link + text}},
		Findings: []logdiff.Finding{
			{Rank: 1, Kind: logdiff.Changed, Summary: text, Failing: logdiff.Range{Start: 2, End: 2}, Baseline: &logdiff.BaselineRange{Start: 2, End: 2},
				Lines: []logdiff.Line{l(logdiff.SideBaseline, 2), {Side: logdiff.SideFailing, N: 2, Text: name}}, Context: []logdiff.Line{l(logdiff.SideFailing, 1)}, Hint: text},
			{Rank: 2, Kind: logdiff.Missing, Summary: name, Failing: logdiff.Range{Start: 1, End: 1}, Baseline: &logdiff.BaselineRange{Start: 3, End: 3},
				Lines: []logdiff.Line{l(logdiff.SideBaseline, 3)}},
			{Rank: 3, Kind: logdiff.Kind(name), Summary: text, Failing: logdiff.Range{Start: 4, End: 4}, Lines: []logdiff.Line{l(logdiff.SideFailing, 4)}},
			{Rank: 4, Kind: logdiff.Config, Summary: text, Config: &logdiff.ConfigChange{Source: name, Key: text, Baseline: name, InBaseline: true}},
			{Rank: 5, Kind: logdiff.EndedEarly, Summary: text, Failing: logdiff.Range{Start: 10, End: 10}, Baseline: &logdiff.BaselineRange{Start: 11, End: 20},
				Lines: []logdiff.Line{l(logdiff.SideBaseline, 11)}},
		},
	}
}
