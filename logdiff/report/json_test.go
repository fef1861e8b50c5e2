package report

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/logdiff/logdiff/logdiff"
)

// TestJSONParses checks that the JSON report written beside these formats
// (JSON, logdiff.json of logdiff attach) parses back, finding
// for finding, however hostile the text.
func TestJSONParses(t *testing.T) {
	for _, tt := range []struct {
		name string
		r    *logdiff.Report
	}{
		{"windows", windowsReport()},
		{"hostile", hostileReport()},
		{"large", bigReport(10000)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := JSON(&b, tt.r, Options{}); err != nil {
				t.Fatal(err)
			}
			var back logdiff.Report
			if err := json.Unmarshal(b.Bytes(), &back); err != nil {
				t.Fatalf("the JSON report does not parse: %v", err)
			}
			if len(back.Findings) != len(tt.r.Findings) || len(back.Baselines) != len(tt.r.Baselines) {
				t.Fatalf("read back %d findings of %d, %d baselines of %d", len(back.Findings), len(tt.r.Findings), len(back.Baselines), len(tt.r.Baselines))
			}
			for i, f := range back.Findings {
				if f.Rank != tt.r.Findings[i].Rank || f.Kind != tt.r.Findings[i].Kind || len(f.Lines) != len(tt.r.Findings[i].Lines) {
					t.Errorf("finding %d read back as #%d %s with %d lines", i, f.Rank, f.Kind, len(f.Lines))
				}
			}
		})
	}
}

// jsonFields lists the JSON names of a struct's fields, in order.
func jsonFields(v any) []string {
	var out []string
	rt := reflect.TypeOf(v)
	for i := range rt.NumField() {
		tag, _, _ := strings.Cut(rt.Field(i).Tag.Get("json"), ",")
		out = append(out, tag)
	}
	return out
}

// TestJSONFields pins the field names of every type the JSON report is
// made of: tools read them, and version 1 only ever adds fields.
func TestJSONFields(t *testing.T) {
	want := map[string][]string{
		"report":   {"version", "failing", "baselines", "findings", "commits", "rules", "streak", "left_out"},
		"streak":   {"first", "since", "runs", "total", "newest", "pass", "running"},
		"run":      {"build", "name", "url"},
		"loginfo":  {"name", "lines", "url", "reason", "cut_lines"},
		"finding":  {"rank", "kind", "score", "summary", "failing", "baseline", "lines", "context", "flip", "config", "hint", "signature", "log", "baseline_log", "key", "test", "settings"},
		"range":    {"start", "end"},
		"baseline": {"index", "start", "end"},
		"line":     {"side", "n", "text"},
		"flip":     {"from", "to"},
		"config":   {"source", "section", "key", "baseline", "failing", "in_baseline", "in_failing"},
		"commits":  {"repo", "baseline_ref", "baseline_sha", "failing_ref", "failing_sha", "compare_url", "pulls"},
		"pull":     {"number", "sha", "url", "compare_url"},
		"test":     {"change", "suite", "class", "name", "file", "baseline_status", "status", "message", "text", "flaky", "count", "names"},
	}
	got := map[string][]string{
		"report": jsonFields(logdiff.Report{}), "loginfo": jsonFields(logdiff.LogInfo{}), "finding": jsonFields(logdiff.Finding{}),
		"range": jsonFields(logdiff.Range{}), "baseline": jsonFields(logdiff.BaselineRange{}), "line": jsonFields(logdiff.Line{}),
		"flip": jsonFields(logdiff.Flip{}), "config": jsonFields(logdiff.ConfigChange{}), "test": jsonFields(logdiff.TestChange{}),
		"commits": jsonFields(logdiff.CommitRange{}), "pull": jsonFields(logdiff.PullChange{}),
		"streak": jsonFields(logdiff.Streak{}), "run": jsonFields(logdiff.StreakRun{}),
	}
	for name, w := range want {
		if !reflect.DeepEqual(got[name], w) {
			t.Errorf("JSON fields of %s changed:\n got  %v\n want %v", name, got[name], w)
		}
	}
	// And a report parses back with the shape the README documents.
	var buf bytes.Buffer
	if err := JSON(&buf, windowsReport(), Options{}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Version int
		Streak  struct {
			First       struct{ Build, Name, URL string }
			Since       time.Time
			Runs, Total int
			Pass        struct{ Build string }
		}
		Findings []struct {
			Kind    string
			Failing struct{ Start, End int }
			Lines   []struct {
				Side string
				N    int
				Text string
			}
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Version != 1 || len(doc.Findings) == 0 || doc.Findings[0].Lines[0].Text == "" {
		t.Errorf("unexpected document %+v", doc)
	}
	if st := doc.Streak; st.First.Build != "1889208480745656321" || st.First.URL == "" || st.Since.IsZero() || st.Runs != 1 || st.Total != 2 || st.Pass.Build != "1889163571498061825" {
		t.Errorf("unexpected streak %+v", st)
	}
}

// TestJSONStreamed: the report written a finding at a time is byte for
// byte what encoding it whole writes.
func TestJSONStreamed(t *testing.T) {
	for _, tt := range []struct {
		name string
		r    *logdiff.Report
	}{
		{"windows", windowsReport()},
		{"hostile", hostileReport()},
		{"large", bigReport(300)},
		{"none", &logdiff.Report{Version: logdiff.Version, Findings: nil}},
		{"one", &logdiff.Report{Version: logdiff.Version, Findings: windowsReport().Findings[:1], Rules: []string{"a.yaml"}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var got, want bytes.Buffer
			if err := JSON(&got, tt.r, Options{}); err != nil {
				t.Fatal(err)
			}
			if err := writeJSON(&want, tt.r); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), want.Bytes()) {
				t.Errorf("streamed JSON differs from the whole:\n%s\nwant\n%s", got.Bytes()[:min(got.Len(), 2000)], want.Bytes()[:min(want.Len(), 2000)])
			}
		})
	}
}

// TestIndentCompact: indentCompact writes what json.Indent writes for an
// Encoder's compact output, however the strings hold quotes, backslashes and
// the punctuation indenting acts on.
func TestIndentCompact(t *testing.T) {
	for _, tt := range []struct {
		name string
		v    any
	}{
		{"scalars", []any{1, -2.5e-7, true, false, nil, "x"}},
		{"empty", map[string]any{"a": []int{}, "b": map[string]int{}, "c": "", "d": [][]int{{}}}},
		{"nested", map[string]any{"a": map[string]any{"b": []any{1, map[string]any{"c": []string{"d"}}}}}},
		{"quotes", []string{`"`, `\`, `\"`, `\\"`, `a\\`, `"},{"x":[`, `:,{}[]`, "\u2028\x00\t\n", "é世界\xff"}},
		{"a finding", windowsReport().Findings[0]},
		{"hostile", hostileReport()},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var compact bytes.Buffer
			enc := json.NewEncoder(&compact)
			enc.SetEscapeHTML(false)
			if err := enc.Encode(tt.v); err != nil {
				t.Fatal(err)
			}
			var want bytes.Buffer
			if err := json.Indent(&want, compact.Bytes(), "    ", "  "); err != nil {
				t.Fatal(err)
			}
			if got := indentCompact([]byte("keep:"), compact.Bytes(), "    ", "  "); string(got) != "keep:"+want.String() {
				t.Errorf("indentCompact:\n%s\nwant\n%s", got, want.Bytes())
			}
		})
	}
}

func FuzzIndentCompact(f *testing.F) {
	f.Add("a\"b\\", 3, `{"x":[]}`)
	f.Fuzz(func(t *testing.T, s string, n int, raw string) {
		v := []any{s, n, map[string]any{s: []string{s, raw}, "n": map[string]int{s: n}}}
		if json.Valid([]byte(raw)) {
			v = append(v, json.RawMessage(raw))
		}
		compact, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		if err := json.Indent(&want, compact, "    ", "  "); err != nil {
			t.Fatal(err)
		}
		if got := indentCompact(nil, compact, "    ", "  "); string(got) != want.String() {
			t.Errorf("indentCompact(%s):\n%s\nwant\n%s", compact, got, want.Bytes())
		}
	})
}
