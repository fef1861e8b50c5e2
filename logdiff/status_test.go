package logdiff

import (
	"strings"
	"testing"
)

// TestStatusVocabulary: every word of the vocabulary is a status token in
// any case and with the punctuation logs put after it, and ranking reads
// pass and fail words (and only those) as such.
func TestStatusVocabulary(t *testing.T) {
	for w, o := range outcomes {
		for _, v := range []string{w, strings.ToUpper(w), w + "!", w + "."} {
			if !isStatusToken([]byte(v)) {
				t.Errorf("%q is not a status token", v)
			}
		}
		want := map[outcome]int{passed: 1, failed: 2, state: 0}[o]
		if got := statusClass(strings.ToUpper(w)); got != want {
			t.Errorf("statusClass(%q) = %d, want %d", w, got, want)
		}
	}
	for _, w := range []string{"okay", "o", "ready-made", "passwd", "errorless", "", "éé", "exit"} {
		if isStatusToken([]byte(w)) {
			t.Errorf("%q is a status token", w)
		}
	}
	tests := []struct {
		word string
		want bool
	}{
		{"exit", true}, {"Status", true}, {"RC", true}, {"failures", true}, {"signal", true},
		{"e", false}, {"exits", false}, {"returncodes", false}, {"ok", false},
	}
	for _, tt := range tests {
		if got := isStatusWord([]byte(tt.word)); got != tt.want {
			t.Errorf("isStatusWord(%q) = %v, want %v", tt.word, got, tt.want)
		}
	}
}
