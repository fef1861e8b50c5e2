package logdiff_test

import (
	"bytes"
	"context"
	"flag"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
	"github.com/sergi/go-diff/diffmatchpatch"

	"github.com/logdiff/logdiff/logdiff"
	"github.com/logdiff/logdiff/logdiff/report"
)

var update = flag.Bool("update", false, "rewrite golden files with the current output")

// TestGolden diffs the logs of each testdata/golden/*.txtar archive (files
// pass*.log, fail.log) and compares the text and JSON reports with the
// archive's text.golden and json.golden. Run with -update to rewrite them.
func TestGolden(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "golden", "*.txtar"))
	if len(files) == 0 {
		t.Fatal("no golden archives")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var fail logdiff.Input
			var passes []logdiff.Input
			for _, f := range ar.Files {
				data := f.Data
				in := logdiff.Input{Name: f.Name, Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }}
				switch {
				case f.Name == "fail.log":
					fail = in
				case strings.HasPrefix(f.Name, "pass"):
					passes = append(passes, in)
				}
			}
			sort.Slice(passes, func(i, j int) bool { return passes[i].Name < passes[j].Name })
			r, err := logdiff.Diff(context.Background(), fail, passes, logdiff.Options{})
			if err != nil {
				t.Fatal(err)
			}
			var text, js bytes.Buffer
			if err := report.Text(&text, r, report.Options{All: true, ShowAll: "--all"}); err != nil {
				t.Fatal(err)
			}
			if err := report.JSON(&js, r, report.Options{}); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, file, ar, "text.golden", text.Bytes())
			checkGolden(t, file, ar, "json.golden", js.Bytes())
		})
	}
}

func checkGolden(t *testing.T, file string, ar *txtar.Archive, name string, got []byte) {
	t.Helper()
	i := slices.IndexFunc(ar.Files, func(f txtar.File) bool { return f.Name == name })
	if *update {
		if i < 0 {
			ar.Files = append(ar.Files, txtar.File{Name: name})
			i = len(ar.Files) - 1
		}
		ar.Files[i].Data = got
		if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if i < 0 {
		t.Fatalf("%s has no %s; run go test -update", file, name)
	}
	if want := ar.Files[i].Data; !bytes.Equal(got, want) {
		t.Errorf("%s differs from %s (- want, + got; go test -update rewrites it):\n%s", file, name, lineDiff(string(want), string(got)))
	}
}

// lineDiff shows the lines that differ, - want and + got.
func lineDiff(want, got string) string {
	dmp := diffmatchpatch.New()
	a, b, lines := dmp.DiffLinesToChars(want, got)
	var sb strings.Builder
	for _, d := range dmp.DiffCharsToLines(dmp.DiffMain(a, b, false), lines) {
		prefix := ""
		switch d.Type {
		case diffmatchpatch.DiffDelete:
			prefix = "- "
		case diffmatchpatch.DiffInsert:
			prefix = "+ "
		default:
			continue
		}
		for _, l := range strings.SplitAfter(d.Text, "\n") {
			if l != "" {
				sb.WriteString(prefix + l)
			}
		}
	}
	return sb.String()
}

// TestSampleGolden pins the text and JSON reports of the sample's first
// failing run against three baselines (go test -update rewrites them).
func TestSampleGolden(t *testing.T) {
	// The sample's first failing run and the three passing runs before it
	// (sample_test.go names them all).
	log := func(id string) logdiff.Input {
		return logdiff.FileInput(filepath.Join("..", "testdata", "bucket", "logs", "ci-kubernetes-e2e-windows-gce", id, "build-log.txt"))
	}
	var bs []logdiff.Input
	for _, id := range []string{"1889163571498061825", "1889117655500066817", "1889027338717368321"} {
		bs = append(bs, log(id))
	}
	r, err := logdiff.Diff(context.Background(), log("1889208480745656321"), bs, logdiff.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var text, js bytes.Buffer
	if err := report.Text(&text, r, report.Options{ShowAll: "--all"}); err != nil {
		t.Fatal(err)
	}
	if err := report.JSON(&js, r, report.Options{}); err != nil {
		t.Fatal(err)
	}
	checkGoldenFile(t, filepath.Join("testdata", "golden", "sample.txt"), text.Bytes())
	checkGoldenFile(t, filepath.Join("testdata", "golden", "sample.json"), js.Bytes())
}

func checkGoldenFile(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -update writes it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (go test -update rewrites it):\n%s", path, lineDiff(string(want), string(got)))
	}
}
