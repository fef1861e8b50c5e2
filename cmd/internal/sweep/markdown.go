package sweep

import (
	"fmt"
	"io"
	"net/url"
	"strings"
	"unicode/utf16"
)

// Limits of the Markdown summary.
const (
	mdDefaultChars = 65536 // GitHub's limit for an issue or a comment
	mdMinChars     = 4096
	mdTableRows    = 50  // regressions in the table at the top
	mdJobRows      = 30  // jobs listed in a regression before the rest are counted
	mdListRows     = 50  // jobs of each other list
	mdEvidence     = 12  // evidence lines shown
	mdTextRunes    = 300 // a line or summary is cut here
)

// WriteMarkdown writes the summary for an issue or a comment: the
// headline, a table of the regressions, then each with its evidence and
// its jobs, then the jobs that could not be compared. It stays within
// maxChars as GitHub counts them (0 means 65,536, GitHub's limit): parts
// that do not fit are left out whole and a note says so.
//
// Log text appears only in code spans and fenced blocks, never as Markdown
// or HTML, so a log cannot format the summary or mention anyone.
func WriteMarkdown(w io.Writer, s *Summary, maxChars int) error {
	if maxChars <= 0 {
		maxChars = mdDefaultChars
	}
	maxChars = max(maxChars, mdMinChars)
	footer := fmt.Sprintf("<sub>logdiff sweep, %s</sub>\n", s.Generated.Format("2006-01-02 15:04 UTC"))
	note := func(shown int) string {
		return fmt.Sprintf("> [!NOTE]\n> Cut to stay under %d characters: %d of %d regressions shown in full. The JSON and HTML summaries have all of them.\n\n",
			maxChars, shown, len(s.Regressions))
	}
	var b strings.Builder
	used := 0
	budget := maxChars - mdLen(footer) - mdLen(note(len(s.Regressions)))
	add := func(block string) bool {
		n := mdLen(block)
		if used+n > budget {
			return false
		}
		b.WriteString(block)
		used += n
		return true
	}
	add("## " + mdText(headline(s)) + "\n\n")
	if len(s.Regressions) > 0 {
		var t strings.Builder
		t.WriteString("| # | jobs | | finding |\n|---:|---:|---|---|\n")
		for i, g := range s.Regressions[:min(len(s.Regressions), mdTableRows)] {
			isNew := ""
			if g.New {
				isNew = "**new**"
			}
			fmt.Fprintf(&t, "| %d | %d | %s | %s |\n", i+1, len(g.Jobs), isNew, mdCell(g.Summary))
		}
		if n := len(s.Regressions) - mdTableRows; n > 0 {
			fmt.Fprintf(&t, "\n%d more regressions below.\n", n)
		}
		add(t.String() + "\n")
	}
	shown := 0
	cut := false
	for i := range s.Regressions {
		if !add(mdRegression(i+1, &s.Regressions[i])) {
			cut = true
			break
		}
		shown++
	}
	lists := []struct {
		title string
		jobs  []JobRun
	}{
		{"Regressed, but the comparison found no difference", s.NoFindings},
		{"Failing in every run examined", s.Failing},
		{"Unreadable", s.Unreadable},
	}
	for _, l := range lists {
		if len(l.jobs) > 0 && !cut {
			add(mdList(l.title, l.jobs))
		}
	}
	if cut {
		b.WriteString(note(shown))
	}
	b.WriteString(footer)
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("writing the Markdown summary: %w", err)
	}
	return nil
}

func mdRegression(n int, g *Regression) string {
	var b strings.Builder
	isNew := ""
	if g.New {
		isNew = " (new)"
	}
	fmt.Fprintf(&b, "### %d. %d %s%s\n\n", n, len(g.Jobs), plural(len(g.Jobs), "job", "jobs"), isNew)
	fmt.Fprintf(&b, "Finding: %s\n\nKey: %s\n\n", codeSpan(cutRunes(g.Summary, mdTextRunes)), codeSpan(cutRunes(g.Key, mdTextRunes)))
	for _, sh := range g.Shared {
		fmt.Fprintf(&b, "- also in every job: %s\n", codeSpan(cutRunes(sh.Summary, mdTextRunes)))
	}
	if len(g.Shared) > 0 {
		b.WriteString("\n")
	}
	if g.Hint != "" {
		fmt.Fprintf(&b, "Hint: %s\n\n", codeSpan(cutRunes(g.Hint, mdTextRunes)))
	}
	if len(g.Evidence) > 0 {
		var lines []string
		for _, l := range g.Evidence[:min(len(g.Evidence), mdEvidence)] {
			mark := "+ "
			if l.Side == "baseline" {
				mark = "- "
			}
			lines = append(lines, mark+cutRunes(oneLine(l.Text), mdTextRunes))
		}
		if k := len(g.Evidence) - mdEvidence; k > 0 {
			lines = append(lines, fmt.Sprintf("… %d more lines", k))
		}
		fmt.Fprintf(&b, "Evidence from %s:\n\n%s\n", codeSpan(g.EvidenceJob()), fenced("diff", strings.Join(lines, "\n")))
	}
	b.WriteString("| job | failing since | failing runs | run |\n|---|---|---:|---|\n")
	for _, j := range g.Jobs[:min(len(g.Jobs), mdJobRows)] {
		when := j.Failing.Build
		if !j.Failing.Time.IsZero() {
			when = j.Failing.Time.Format("2006-01-02 15:04")
		}
		fmt.Fprintf(&b, "| %s | %s | %d | %s |\n", mdCell(j.Job), when, j.FailingRuns, mdLink(j.Failing.Build, j.Failing.URL))
	}
	if k := len(g.Jobs) - mdJobRows; k > 0 {
		fmt.Fprintf(&b, "\nand %d more jobs (all in the JSON summary).\n", k)
	}
	return b.String() + "\n"
}

func mdList(title string, jobs []JobRun) string {
	var b strings.Builder
	fmt.Fprintf(&b, "### %s (%d)\n\n", title, len(jobs))
	for _, j := range jobs[:min(len(jobs), mdListRows)] {
		switch {
		case j.Error != "":
			fmt.Fprintf(&b, "- %s: %s\n", codeSpan(j.Job), codeSpan(cutRunes(j.Error, mdTextRunes)))
		case j.Failing != nil:
			fmt.Fprintf(&b, "- %s since %s\n", codeSpan(j.Job), mdLink(j.Failing.Build, j.Failing.URL))
		default:
			fmt.Fprintf(&b, "- %s\n", codeSpan(j.Job))
		}
	}
	if k := len(jobs) - mdListRows; k > 0 {
		fmt.Fprintf(&b, "- and %d more\n", k)
	}
	return b.String() + "\n"
}

// mdLen counts s as GitHub's web form does: UTF-16 code units, a newline
// as two (CRLF).
func mdLen(s string) int {
	n := 0
	for _, r := range s {
		if r == '\n' {
			n += 2
		} else {
			n += utf16.RuneLen(r)
		}
	}
	return n
}

// codeSpan shows s literally: inside backticks longer than any run of
// backticks in it.
func codeSpan(s string) string {
	s = oneLine(s)
	if s == "" {
		return "` `"
	}
	longest, run := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	ticks := strings.Repeat("`", longest+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") || strings.HasPrefix(s, " ") {
		s = " " + s + " "
	}
	return ticks + s + ticks
}

// mdCell is a code span fit for a table cell: pipes escaped, which GFM
// undoes inside the span.
func mdCell(s string) string {
	return strings.ReplaceAll(codeSpan(cutRunes(s, mdTextRunes)), "|", `\|`)
}

// fenced puts text in a fenced block whose fence no line of text can close.
func fenced(info, text string) string {
	longest := 0
	for _, l := range strings.Split(text, "\n") {
		t := strings.TrimLeft(l, " ")
		n := len(t) - len(strings.TrimLeft(t, "`"))
		longest = max(longest, n)
	}
	fence := strings.Repeat("`", max(3, longest+1))
	return fence + info + "\n" + text + "\n" + fence + "\n"
}

// mdText is plain text with the characters Markdown or HTML would act on
// escaped.
func mdText(s string) string {
	var b strings.Builder
	for _, r := range oneLine(s) {
		if strings.ContainsRune("\\`*_{}[]()<>#+-!|@~&", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// mdLink links text to an http(s) address, or shows the address as code
// when it is not one.
func mdLink(text, addr string) string {
	u, err := url.Parse(addr)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(addr) > 1000 {
		if addr == "" {
			return mdCell(text)
		}
		return mdCell(addr)
	}
	// Parentheses would end the link's address early.
	return "[" + mdText(text) + "](" + strings.NewReplacer("(", "%28", ")", "%29").Replace(u.String()) + ")"
}

// cutRunes cuts s to n runes, marking the cut.
func cutRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
