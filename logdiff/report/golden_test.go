package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/logdiff/logdiff/logdiff"
	"github.com/sergi/go-diff/diffmatchpatch"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden with the current output")

// TestGolden renders each fixture report in each format and compares the
// output with testdata/golden/<fixture>.<format>. Run with -update to
// rewrite them after a deliberate change, and read the diff.
func TestGolden(t *testing.T) {
	fixtures := []struct {
		name   string
		report *logdiff.Report
	}{
		{"windows", windowsReport()},
		{"empty", emptyReport()},
		{"hostile", hostileReport()},
	}
	for _, fx := range fixtures {
		for _, name := range []string{"markdown", "html", "junit"} {
			f, err := Lookup(name)
			if err != nil {
				t.Fatal(err)
			}
			ext := strings.TrimPrefix(f.Ext, ".")
			t.Run(fx.name+"."+ext, func(t *testing.T) {
				var got bytes.Buffer
				if err := f.Report(&got, fx.report, Options{Now: clock}); err != nil {
					t.Fatal(err)
				}
				checkGolden(t, filepath.Join("testdata", "golden", fx.name+"."+ext), got.Bytes())
			})
		}
	}
}

func checkGolden(t *testing.T, file string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (- want, + got; go test -update rewrites it):\n%s", file, lineDiff(string(want), string(got)))
	}
}

// lineDiff shows the lines that differ, with a line of context.
func lineDiff(a, b string) string {
	dmp := diffmatchpatch.New()
	ca, cb, lines := dmp.DiffLinesToChars(a, b)
	diffs := dmp.DiffCharsToLines(dmp.DiffMain(ca, cb, false), lines)
	var out strings.Builder
	for _, d := range diffs {
		mark := "  "
		switch d.Type {
		case diffmatchpatch.DiffDelete:
			mark = "- "
		case diffmatchpatch.DiffInsert:
			mark = "+ "
		}
		ls := strings.SplitAfter(d.Text, "\n")
		if d.Type == diffmatchpatch.DiffEqual && len(ls) > 3 {
			ls = []string{ls[0], "…\n", ls[len(ls)-2]}
		}
		for _, l := range ls {
			if l != "" {
				out.WriteString(mark + strings.TrimSuffix(l, "\n") + "\n")
			}
		}
	}
	return out.String()
}
