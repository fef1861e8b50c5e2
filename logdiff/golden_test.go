package logdiff

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
	"github.com/sergi/go-diff/diffmatchpatch"
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
			var fail Input
			var passes []Input
			for _, f := range ar.Files {
				data := f.Data
				in := Input{Name: f.Name, Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }}
				switch {
				case f.Name == "fail.log":
					fail = in
				case strings.HasPrefix(f.Name, "pass"):
					passes = append(passes, in)
				}
			}
			sort.Slice(passes, func(i, j int) bool { return passes[i].Name < passes[j].Name })
			r, err := Diff(context.Background(), fail, passes, Options{})
			if err != nil {
				t.Fatal(err)
			}
			var text, js bytes.Buffer
			if err := WriteText(&text, r, TextOptions{All: true}); err != nil {
				t.Fatal(err)
			}
			if err := WriteJSON(&js, r); err != nil {
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

// TestJSONFields pins the JSON report's field names: tools read them.
func TestJSONFields(t *testing.T) {
	fields := func(v any) []string {
		var out []string
		rt := reflect.TypeOf(v)
		for i := range rt.NumField() {
			tag, _, _ := strings.Cut(rt.Field(i).Tag.Get("json"), ",")
			out = append(out, tag)
		}
		return out
	}
	want := map[string][]string{
		"report":   {"version", "failing", "baselines", "findings", "rules"},
		"loginfo":  {"name", "lines", "url", "reason"},
		"finding":  {"rank", "kind", "score", "summary", "failing", "baseline", "lines", "context", "flip", "config", "hint", "signature", "log", "baseline_log", "key"},
		"range":    {"start", "end"},
		"baseline": {"index", "start", "end"},
		"line":     {"side", "n", "text"},
	}
	got := map[string][]string{
		"report": fields(Report{}), "loginfo": fields(LogInfo{}), "finding": fields(Finding{}),
		"range": fields(Range{}), "baseline": fields(BaselineRange{}), "line": fields(Line{}),
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("JSON fields changed:\n got  %v\n want %v", got, want)
	}
	// And the document parses back with the shape the README documents.
	r := diffTexts(t, "a\nb\n", "a\nc\n")
	var buf bytes.Buffer
	WriteJSON(&buf, r)
	var doc struct {
		Version  int
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
}
