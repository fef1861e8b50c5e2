package sweep_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
	"github.com/sergi/go-diff/diffmatchpatch"

	"github.com/logdiff/logdiff/fetch"
	"github.com/logdiff/logdiff/logdiff/regressions"
	"github.com/logdiff/logdiff/logdiff/report"
)

var update = flag.Bool("update", false, "rewrite golden files with the current output")

// TestGolden sweeps the generated jobs from a fake GCS and compares the
// text and Markdown summaries with testdata/summary.txtar; -update
// rewrites it.
func TestGolden(t *testing.T) {
	sc := genScenario(defaultCounts, 30)
	store := fakeGCS(t, sc.bucket)
	sw := newSweeper(t, store, fetch.Source{Kind: fetch.KindGCS, Bucket: bucketName})
	rs, err := sw.Run(context.Background(), sc.all)
	if err != nil {
		t.Fatal(err)
	}
	s := regressions.Summarize(rs, 3, nil, testNow)
	var text, md bytes.Buffer
	if err := report.SummaryText(&text, s, report.Options{}); err != nil {
		t.Fatal(err)
	}
	if err := report.SummaryMarkdown(&md, s, report.Options{}); err != nil {
		t.Fatal(err)
	}
	got := map[string][]byte{"summary.txt": text.Bytes(), "summary.md": md.Bytes()}
	file := filepath.Join("testdata", "summary.txtar")
	if *update {
		ar := &txtar.Archive{Comment: []byte("Summaries of the generated sweep (gen_test.go) from a fake GCS; go test -update rewrites them.\n")}
		for _, name := range []string{"summary.txt", "summary.md"} {
			ar.Files = append(ar.Files, txtar.File{Name: name, Data: got[name]})
		}
		if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range ar.Files {
		if g := string(got[f.Name]); g != string(f.Data) {
			dmp := diffmatchpatch.New()
			a, b, lines := dmp.DiffLinesToChars(string(f.Data), g)
			diffs := dmp.DiffCharsToLines(dmp.DiffMain(a, b, false), lines)
			var d strings.Builder
			for _, x := range diffs {
				if x.Type == diffmatchpatch.DiffEqual {
					continue
				}
				sign := "+"
				if x.Type == diffmatchpatch.DiffDelete {
					sign = "-"
				}
				for _, l := range strings.SplitAfter(strings.TrimSuffix(x.Text, "\n"), "\n") {
					d.WriteString(sign + l)
				}
				d.WriteString("\n")
			}
			t.Errorf("%s differs (- want, + got; go test -update rewrites it):\n%s", f.Name, d.String())
		}
	}
}
