package logdiff

import (
	"strings"
	"testing"
)

// TestSummaryKeepsBytes: a summary quotes the finding's line cut at 100
// runes, and keeps its bytes that are not UTF-8 (the outputs show them as
// \xNN): none becomes U+FFFD, long line or short.
func TestSummaryKeepsBytes(t *testing.T) {
	pass := "step 1\nstep 2\nstep 3\nstep 4\n"
	for _, tt := range []struct {
		name, line, want string
	}{
		{"short", "error: broke \xff\xfe here", `"error: broke ` + "\xff\xfe" + ` here"`},
		{"cut at 99 runes and an ellipsis", "error: broke \xff\xfe " + strings.Repeat("x", 120), `"error: broke ` + "\xff\xfe " + strings.Repeat("x", 83) + `…"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := diffTexts(t, "step 1\nstep 2\n"+tt.line+"\nstep 3\nstep 4\n", pass)
			if len(r.Findings) == 0 {
				t.Fatal("no finding")
			}
			if s := r.Findings[0].Summary; !strings.Contains(s, tt.want) {
				t.Errorf("summary %q, want it to hold %q", s, tt.want)
			}
		})
	}
}
