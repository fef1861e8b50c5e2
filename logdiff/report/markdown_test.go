package report

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/logdiff/logdiff/logdiff"
)

func renderMarkdown(t *testing.T, r *logdiff.Report, o Options) string {
	t.Helper()
	var b bytes.Buffer
	if o.Now == nil {
		o.Now = clock
	}
	if err := Markdown(&b, r, o); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// mdParse reads Markdown the way GitHub does as far as safety goes: fenced
// blocks (opened by a line of three or more backticks, closed by a line of
// at least as many and nothing else), <details> elements outside them, and
// code spans. It returns the prose: what is left outside fences and code
// spans, which GitHub renders as Markdown and HTML.
func mdParse(t *testing.T, md string) (prose string) {
	t.Helper()
	var out strings.Builder
	open := 0 // backticks of the open fence
	details := 0
	for i, line := range strings.Split(md, "\n") {
		trimmed := strings.TrimLeft(line, " ")
		n := len(trimmed) - len(strings.TrimLeft(trimmed, "`"))
		switch {
		case open > 0 && n >= open && strings.Trim(trimmed, "`") == "":
			open = 0
		case open > 0:
			if line == "" || !strings.ContainsRune("-+ @", rune(line[0])) {
				t.Errorf("line %d, inside a fence, does not start with a diff mark: %q", i+1, line)
			}
		case n >= 3:
			open = n
		default:
			line = stripCodeSpans(line)
			details += strings.Count(line, "<details>") - strings.Count(line, "</details>")
			if details < 0 {
				t.Fatalf("line %d closes a <details> that is not open", i+1)
			}
			out.WriteString(line + "\n")
		}
	}
	if open > 0 {
		t.Errorf("a fence of %d backticks is never closed", open)
	}
	if details != 0 {
		t.Errorf("%d <details> left open", details)
	}
	return out.String()
}

// stripCodeSpans removes code spans as CommonMark finds them: a run of n
// backticks up to the next run of exactly n.
func stripCodeSpans(s string) string {
	var out strings.Builder
	for i := 0; i < len(s); {
		if s[i] != '`' {
			out.WriteByte(s[i])
			i++
			continue
		}
		j := i
		for j < len(s) && s[j] == '`' {
			j++
		}
		n := j - i
		end := -1
		for k := j; k < len(s); {
			if s[k] != '`' {
				k++
				continue
			}
			m := k
			for m < len(s) && s[m] == '`' {
				m++
			}
			if m-k == n {
				end = m
				break
			}
			k = m
		}
		if end < 0 {
			out.WriteString(s[i:j])
			i = j
			continue
		}
		out.WriteString("CODE")
		i = end
	}
	return out.String()
}

func TestMarkdownLength(t *testing.T) {
	tests := []struct {
		in, name string
		want     int
	}{
		{"a", "ASCII", 1},
		{"é", "two bytes, one code unit", 1},
		{"🪟", "astral: two UTF-16 code units", 2},
		{"a\nb", "newline counts as CRLF", 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mdLen(tt.in); got != tt.want {
				t.Errorf("mdLen(%q) = %d, want %d", tt.in, got, tt.want)
			}
		})
	}
}

// TestMarkdownLimit renders reports far larger than a comment may be and
// checks that the output fits, stays well-formed, and says it was cut.
func TestMarkdownLimit(t *testing.T) {
	astral := bigReport(2000)
	for i := range astral.Findings {
		for j := range astral.Findings[i].Lines {
			astral.Findings[i].Lines[j].Text = strings.Repeat("🪟`", 400) // 1,200 code units, cut to 300 runes
		}
	}
	tests := []struct {
		name  string
		r     *logdiff.Report
		limit int
	}{
		{"10,000 findings, GitHub's limit", bigReport(10000), 0},
		{"10,000 findings, 10,000 characters", bigReport(10000), 10000},
		{"astral characters and backticks", astral, 0},
		{"every line of a finding", func() *logdiff.Report {
			r := bigReport(3)
			for i := range 5000 {
				r.Findings[1].Lines = append(r.Findings[1].Lines, logdiff.Line{Side: logdiff.SideFailing, N: 1000 + i, Text: strings.Repeat("x", 500)})
			}
			return r
		}(), 0},
		{"limit below the minimum is raised", bigReport(100), 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			md := renderMarkdown(t, tt.r, Options{MaxChars: tt.limit})
			limit := max(tt.limit, mdMinChars)
			if tt.limit == 0 {
				limit = githubLimit
			}
			if n := mdLen(md); n > limit {
				t.Errorf("%d characters (as GitHub counts), over the limit of %d", n, limit)
			}
			mdParse(t, md)
			note := fmt.Sprintf(" of %d findings shown", len(tt.r.Findings))
			if !strings.Contains(md, note) {
				t.Errorf("no note saying the report was cut (%q)", note)
			}
			if !strings.HasSuffix(md, "</sub>\n") {
				t.Errorf("the footer is missing: ends %q", md[max(0, len(md)-80):])
			}
			if !strings.Contains(md, "#1 ") {
				t.Errorf("the top finding is not shown")
			}
		})
	}
	t.Run("a report that fits is not cut", func(t *testing.T) {
		md := renderMarkdown(t, windowsReport(), Options{})
		if strings.Contains(md, "[!NOTE]") {
			t.Errorf("note about a cut in a report that fits")
		}
	})
}

// TestMarkdownHostile checks that log text, names and addresses never
// become Markdown or HTML: fences hold (a log line of backticks does not
// close one), prose keeps no tag, mention, reference or script link from
// the input, and table rows keep their cells.
func TestMarkdownHostile(t *testing.T) {
	md := renderMarkdown(t, hostileReport(), Options{})
	// A backslash-escaped character is text to GitHub.
	prose := regexp.MustCompile(`\\[[:punct:]]`).ReplaceAllString(mdParse(t, md), "E")
	for _, bad := range []string{"<script", "<img", "<svg", "<b>", "</details></summary>", "javascript:", "@kubernetes", "@team", "@someone", "#123", "<![CDATA", "\x1b", "\u202E"} {
		if strings.Contains(prose, bad) {
			t.Errorf("prose outside code holds %q", bad)
		}
	}
	ours := strings.NewReplacer("<details>", "", "</details>", "", "<summary>", "", "</summary>", "", "<code>", "", "</code>", "", "<sub>", "", "</sub>", "")
	dest := regexp.MustCompile(`\]\(<[^<>\s]*>\)`) // a link destination in angle brackets
	for _, line := range strings.Split(prose, "\n") {
		if strings.Contains(ours.Replace(dest.ReplaceAllString(line, "](LINK)")), "<") {
			t.Errorf("a tag that is not ours in %q", line)
		}
	}
	for _, line := range strings.Split(md, "\n") {
		if !strings.HasPrefix(line, "| ") {
			continue
		}
		if cells := len(regexp.MustCompile(`(^|[^\\])\|`).FindAllString(line, -1)); cells != 6 {
			t.Errorf("table row has %d unescaped pipes, want 6: %q", cells, line)
		}
	}
	for _, h := range []string{"```` fence ``` breaker", "| pipe | in |", "&lt;script&gt;"} {
		if !strings.Contains(md, h) {
			t.Errorf("hostile text %q was dropped instead of shown", h)
		}
	}
}

func TestCodeSpan(t *testing.T) {
	tests := []struct{ name, in string }{
		{"plain", "go test ./..."},
		{"backticks inside", "a `b` ``c``"},
		{"starts with a backtick", "`x"},
		{"ends with a backtick", "x`"},
		{"spaces around", " padded "},
		{"only spaces", "   "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := code(tt.in)
			if stripCodeSpans(c) != "CODE" {
				t.Fatalf("code(%q) = %q is not one code span", tt.in, c)
			}
			// What GitHub shows: the fence off, then one space off each side
			// when both are spaces and the content is not all spaces.
			n := len(c) - len(strings.TrimLeft(c, "`"))
			inner := c[n : len(c)-n]
			if len(inner) > 1 && inner[0] == ' ' && inner[len(inner)-1] == ' ' && strings.Trim(inner, " ") != "" {
				inner = inner[1 : len(inner)-1]
			}
			if inner != tt.in {
				t.Errorf("code(%q) = %q shows as %q", tt.in, c, inner)
			}
		})
	}
}

// TestArtifactFiles: a finding in an artifact names the failing run's file
// and, for the passing side, the baseline's own file (node names differ
// between runs), each linked to its own lines; never the build log.
func TestArtifactFiles(t *testing.T) {
	r := &logdiff.Report{
		Version: 1,
		Failing: logdiff.LogInfo{Name: "job/200/build-log.txt", Lines: 10, URL: "https://prow.k8s.io/view/gs/b/logs/job/200"},
		Baselines: []logdiff.LogInfo{
			{Name: "job/100/build-log.txt", Lines: 10, URL: "https://prow.k8s.io/view/gs/b/logs/job/100"},
		},
		Findings: []logdiff.Finding{{
			Rank: 1, Kind: logdiff.Changed, Score: 0.8, Summary: "artifacts/node-b/serial-1.log: changed",
			Failing:  logdiff.Range{Start: 6, End: 9},
			Baseline: &logdiff.BaselineRange{Index: 0, Start: 7, End: 10},
			Log:      "artifacts/node-b/serial-1.log", BaselineLog: "artifacts/node-a/serial-1.log",
			Lines: []logdiff.Line{{Side: logdiff.SideBaseline, N: 7, Text: "Ready"}, {Side: logdiff.SideFailing, N: 6, Text: "NotReady"}},
		}},
	}
	md := renderMarkdown(t, r, Options{})
	for _, want := range []string{
		"lines 6–9 of artifacts/node\\-b/serial\\-1\\.log",
		"job/100\\: lines 7–10 of artifacts/node\\-a/serial\\-1\\.log",
		"#1:artifacts%2Fnode-a%2Fserial-1.log%3A7",
		"#1:artifacts%2Fnode-b%2Fserial-1.log%3A6",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(md, "build-log.txt lines") || strings.Contains(md, "build\\-log\\.txt lines") {
		t.Errorf("Markdown names the build log for an artifact's lines:\n%s", md)
	}
}
