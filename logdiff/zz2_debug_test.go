package logdiff

import (
	"fmt"
	"os"
	"testing"
)

func TestDebugTemplates(t *testing.T) {
	sys := os.Getenv("SYS")
	if sys == "" {
		t.Skip()
	}
	dir := sharedData(t, "loghub")
	lines := readLoghub(t, dir, sys)
	norm := NewNormalizer(nil)
	keys := make([][]byte, len(lines))
	for i, l := range lines {
		keys[i], _ = norm.Key(nil, []byte(l.content))
	}
	tm := LearnTemplates([][][]byte{keys})
	for tp := range tm.All() {
		fmt.Printf("%5d %.200q\n", tp.Lines, tp.Text)
	}
}
