package report

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/logdiff/logdiff/logdiff"
)

// TestJSONParses checks that the JSON report written beside these formats
// (logdiff.WriteJSON, logdiff.json of logdiff attach) parses back, finding
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
			if err := logdiff.WriteJSON(&b, tt.r); err != nil {
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
