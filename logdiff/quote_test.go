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

// TestQuotePair: a changed line's summary shows where the two lines differ,
// also when both are longer than a quote keeps.
func TestQuotePair(t *testing.T) {
	long := "WARNING: Error ocurred while closing " + strings.Repeat("org.assertj.core.", 5) + "util.Closeables$CloseableStub@"
	for _, tt := range []struct{ was, now, wantWas, wantNow string }{
		{"exit status 0", "exit status 1", `"exit status 0"`, `"exit status 1"`},
		{long + "39659540 and more", long + "676b3d4c and more",
			`"…ertj.core.util.Closeables$CloseableStub@39659540 and more"`,
			`"…ertj.core.util.Closeables$CloseableStub@676b3d4c and more"`},
	} {
		was, now := quotePair(tt.was, tt.now)
		if was != tt.wantWas || now != tt.wantNow {
			t.Errorf("quotePair(%q, %q) = %s, %s; want %s, %s", tt.was, tt.now, was, now, tt.wantWas, tt.wantNow)
		}
	}
}
