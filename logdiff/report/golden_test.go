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

// formats are the renderers, by the extension of their golden files.
var formats = []struct {
	ext    string
	render func(*bytes.Buffer, *logdiff.Report, Options) error
}{
	{"md", func(b *bytes.Buffer, r *logdiff.Report, o Options) error { return Markdown(b, r, o) }},
	{"html", func(b *bytes.Buffer, r *logdiff.Report, o Options) error { return HTML(b, r, o) }},
	{"xml", func(b *bytes.Buffer, r *logdiff.Report, o Options) error { return JUnit(b, r, o) }},
}

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
		for _, f := range formats {
			t.Run(fx.name+"."+f.ext, func(t *testing.T) {
				var got bytes.Buffer
				if err := f.render(&got, fx.report, Options{Now: clock}); err != nil {
					t.Fatal(err)
				}
				checkGolden(t, filepath.Join("testdata", "golden", fx.name+"."+f.ext), got.Bytes())
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
