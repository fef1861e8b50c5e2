package sweep_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
	"github.com/sergi/go-diff/diffmatchpatch"

	"github.com/logdiff/logdiff/cmd/internal/sweep"
	"github.com/logdiff/logdiff/fetch"
	"github.com/logdiff/logdiff/logdiff"
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
	s := sweep.Summarize(rs, 3, nil, testNow)
	var text, md bytes.Buffer
	if err := sweep.WriteText(&text, s); err != nil {
		t.Fatal(err)
	}
	if err := sweep.WriteMarkdown(&md, s, 0); err != nil {
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

// hostile is a summary whose log text tries to format, mention, link and
// script.
func hostile() *sweep.Summary {
	evil := "```\n@kubernetes/sig-node `code` | pipe <script>alert(1)</script> [x](javascript:alert(1)) #123 \x1b[31mred"
	r := rec("ci-evil", "k")
	r.Findings[0].Summary = "new: " + evil
	r.Findings[0].Lines = []logdiff.Line{{Side: logdiff.SideFailing, N: 1, Text: evil}, {Side: logdiff.SideFailing, N: 2, Text: "```` four"}}
	r.Failing.URL = "javascript:alert(1)"
	bad := sweep.Record{Version: 1, Job: "ci-bad", Status: sweep.Unreadable, Error: "reading <b>build-log.txt</b> of ci-bad/1: @someone"}
	return sweep.Summarize([]sweep.Record{r, bad}, 3, nil, testNow)
}

func TestMarkdownSafe(t *testing.T) {
	var b bytes.Buffer
	if err := sweep.WriteMarkdown(&b, hostile(), 0); err != nil {
		t.Fatal(err)
	}
	md := b.String()
	// Outside code spans and fences, no log text may remain.
	rest := outsideCode(md)
	for _, bad := range []string{"@kubernetes", "@someone", "<script>", "<b>", "javascript:", "#123", "\x1b"} {
		if strings.Contains(rest, bad) {
			t.Errorf("%q outside code:\n%s\n--- whole:\n%s", bad, rest, md)
		}
	}
	// Evidence lines start with "+ " or "- ", so none can close its fence.
	fence := regexp.MustCompile("(?s)\n(`{3,})diff\n(.*?)\n(`{3,})\n").FindStringSubmatch(md)
	if fence == nil || fence[1] != fence[3] {
		t.Fatalf("no fenced evidence:\n%s", md)
	}
	for _, l := range strings.Split(fence[2], "\n") {
		if !strings.HasPrefix(l, "+ ") && !strings.HasPrefix(l, "- ") {
			t.Errorf("evidence line %q could close its fence", l)
		}
	}
}

// outsideCode removes fenced blocks and code spans as CommonMark reads
// them: a fence opens on a line of three backticks or more and an info
// string without backticks, and closes on a line of at least as many backticks alone; a
// span opened by n backticks closes at the next run of exactly n.
func outsideCode(md string) string {
	var out strings.Builder
	fence := ""
	for _, line := range strings.Split(md, "\n") {
		t := strings.TrimLeft(line, " ")
		ticks := len(t) - len(strings.TrimLeft(t, "`"))
		if fence != "" {
			if ticks >= len(fence) && strings.TrimSpace(t[ticks:]) == "" {
				fence = ""
			}
			continue
		}
		if ticks >= 3 && len(line)-len(t) <= 3 && !strings.Contains(t[ticks:], "`") {
			fence = t[:ticks]
			continue
		}
		for i := 0; i < len(line); {
			if line[i] != '`' {
				out.WriteByte(line[i])
				i++
				continue
			}
			n := 0
			for i+n < len(line) && line[i+n] == '`' {
				n++
			}
			closed := -1
			for j := i + n; j < len(line); {
				if line[j] != '`' {
					j++
					continue
				}
				m := 0
				for j+m < len(line) && line[j+m] == '`' {
					m++
				}
				if m == n {
					closed = j + m
					break
				}
				j += m
			}
			if closed < 0 {
				out.WriteString(line[i : i+n])
				i += n
				continue
			}
			i = closed
		}
		out.WriteByte('\n')
	}
	return out.String()
}

func TestMarkdownLimit(t *testing.T) {
	var records []sweep.Record
	for i := range 400 {
		r := rec(fmt.Sprintf("ci-job-%03d", i), fmt.Sprintf("cause %03d %s", i, strings.Repeat("x", 200)))
		records = append(records, r)
	}
	s := sweep.Summarize(records, 3, nil, testNow)
	for _, limit := range []int{0, 10000} {
		var b bytes.Buffer
		if err := sweep.WriteMarkdown(&b, s, limit); err != nil {
			t.Fatal(err)
		}
		want := limit
		if want == 0 {
			want = 65536
		}
		n := 0
		for _, r := range b.String() {
			n++
			if r == '\n' {
				n++
			}
		}
		if n > want {
			t.Errorf("limit %d: %d characters", limit, n)
		}
		if !strings.Contains(b.String(), "of 400 regressions shown in full") {
			t.Errorf("limit %d: no note of what was cut", limit)
		}
	}
}

func TestHTMLSafe(t *testing.T) {
	var b bytes.Buffer
	if err := sweep.WriteHTML(&b, hostile()); err != nil {
		t.Fatal(err)
	}
	h := b.String()
	for _, bad := range []string{"<script>", "<b>build", `href="javascript`, "\x1b"} {
		if strings.Contains(h, bad) {
			t.Errorf("HTML holds %q", bad)
		}
	}
	if !strings.Contains(h, "&lt;script&gt;") {
		t.Errorf("the log text is not shown escaped")
	}
}
