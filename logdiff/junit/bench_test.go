package junit

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
	"testing"
)

// largeJUnit writes a Kubernetes e2e junit_01.xml of the real shape:
// cases test cases, one in ten run (the rest skipped), the run ones with a
// Ginkgo timeline of about outBytes in <system-err>, every hundredth run
// one failed with a failure text of about failBytes. It returns the
// document and how many cases of each status it holds.
func largeJUnit(cases, outBytes, failBytes int) ([]byte, map[Status]int) {
	var b bytes.Buffer
	want := map[Status]int{}
	esc := func(s string) string {
		var e strings.Builder
		xml.EscapeText(&e, []byte(s))
		return e.String()
	}
	timeline := func(n, i int) string {
		var t strings.Builder
		for j := 0; t.Len() < n; j++ {
			fmt.Fprintf(&t, "STEP: Waiting up to 5m0s for pod \"pod-%d-%d\" in namespace \"e2e-%d\" to be \"running\" - test/e2e/framework/pod/wait.go:%d @ 02/11/25 07:%02d:%02d.%03d\n", i, j, i, 200+j, j%60, j%60, j%1000)
		}
		return t.String()
	}
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	fmt.Fprintf(&b, "  <testsuites tests=\"%d\">\n      <testsuite name=\"Kubernetes e2e suite\" tests=\"%d\">\n", cases, cases)
	run := 0
	for i := range cases {
		name := fmt.Sprintf("[It] [sig-storage] In-tree Volumes [Driver: local] [Testpattern: Pre-provisioned PV (default fs)] subPath should support file as subpath %d", i)
		if i%10 != 0 {
			want[Skipped]++
			fmt.Fprintf(&b, "          <testcase name=\"%s\" classname=\"Kubernetes e2e suite\" status=\"skipped\" time=\"0\">\n              <skipped message=\"skipped\"></skipped>\n          </testcase>\n", esc(name))
			continue
		}
		run++
		if run%100 == 0 {
			want[Failed]++
			fail := "[FAILED] Timed out after 300.001s.\nExpected\n    <bool>: false\nto be true\n" + timeline(failBytes, i)
			fmt.Fprintf(&b, "          <testcase name=\"%s\" classname=\"Kubernetes e2e suite\" status=\"failed\" time=\"301.5\">\n              <failure message=\"[FAILED] Timed out after 300.001s.\" type=\"failed\">%s</failure>\n              <system-err>%s</system-err>\n          </testcase>\n", esc(name), esc(fail), esc(timeline(outBytes, i)))
			continue
		}
		want[Passed]++
		fmt.Fprintf(&b, "          <testcase name=\"%s\" classname=\"Kubernetes e2e suite\" status=\"passed\" time=\"12.25\">\n              <system-err>%s</system-err>\n          </testcase>\n", esc(name), esc(timeline(outBytes, i)))
	}
	b.WriteString("      </testsuite>\n  </testsuites>\n")
	return b.Bytes(), want
}

// retained is the bytes a parse keeps in its cases' strings.
func retained(cases []Case) int {
	n := 0
	for _, c := range cases {
		n += len(c.Suite) + len(c.Class) + len(c.Name) + len(c.File) + len(c.Message) + len(c.Type) + len(c.Text) + len(c.SystemOut) + len(c.SystemErr)
	}
	return n
}

// TestLarge reads a 5 MB file of the e2e shape: every case with its
// status, and what is kept bounded by the options whatever the input.
func TestLarge(t *testing.T) {
	doc, want := largeJUnit(7000, 6000, 60000)
	cases, err := Parse(bytes.NewReader(doc), "junit_01.xml", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := tally(cases); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("statuses %v, want %v", got, want)
	}
	// Names are what they are; the rest is bounded per case.
	perCase := maxMessageBytes + len("…") + defaultTextBytes + 2*defaultOutputBytes + 100
	names := 0
	for _, c := range cases {
		names += len(c.Name)
	}
	if r := retained(cases) - names; r > len(cases)*perCase {
		t.Errorf("kept %d bytes beside names for %d cases, want at most %d each", r, len(cases), perCase)
	}
	for _, c := range cases {
		if c.Status == Failed && (!c.TextCut || len(c.Text) > defaultTextBytes || strings.Count(c.Text, "\n") >= defaultTextLines) {
			t.Fatalf("failure text of %d bytes, %d lines, cut %v", len(c.Text), strings.Count(c.Text, "\n")+1, c.TextCut)
		}
	}
}

// BenchmarkParse reads 50 MB of JUnit of the Kubernetes e2e shape (7,000
// cases, 700 of them run with 65 KB timelines, 7 failed with 400 KB
// failure texts). It reports MB/s, allocations, and the bytes the cases
// keep (retained-B), which stay small next to the input. "default" is Parse as callers use it;
// "whole-text" keeps every text whole (bounds past the input), so that
// encoding/xml reads all of it: the cost the input filter saves.
func BenchmarkParse(b *testing.B) {
	doc, _ := largeJUnit(7000, 65_000, 400_000)
	b.Logf("input: %.1f MB", float64(len(doc))/1e6)
	for _, bc := range []struct {
		name string
		opts Options
	}{
		{"default", Options{}},
		{"whole-text", Options{TextLines: 1 << 30, TextBytes: 1 << 30, OutputBytes: 1 << 30}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(doc)))
			b.ReportAllocs()
			var cases []Case
			for b.Loop() {
				var err error
				cases, err = Parse(bytes.NewReader(doc), "junit_01.xml", bc.opts)
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(retained(cases)), "retained-B")
		})
	}
}
