package report

import (
	"fmt"
	"html"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/logdiff/logdiff/logdiff"
)

const (
	mdMinChars   = 4096 // below this, not even the summary and a note fit
	mdOpen       = 3    // findings shown open; the rest of the top are folded
	mdTableRows  = 30   // configuration rows shown before the rest is folded
	mdMaxRows    = 200  // a fold holds at most this many rows or lines
	mdLineRunes  = 300  // a log line is cut here
	mdValueRunes = 200  // a summary, name or configuration value is cut here
	mdMaxRuns    = 20   // passing runs listed by name
	mdMaxURL     = 1000 // longer link addresses are left out
)

// Markdown writes the report for a pull-request comment or an issue: the
// summary, links to the runs, configuration changes as a table, the top
// findings with their context in fenced blocks (the first few open, the
// rest folded in <details>), and a list of the others. The output stays
// within o.MaxChars (GitHub's 65,536-character limit by default): parts
// that do not fit are left out whole (never cut inside a fence or a tag)
// and a note says so.
//
// Log text is shown only in fenced blocks and code spans, never as
// Markdown or HTML, so a log cannot format the comment, mention people
// (@team) or link issues (#123).
func Markdown(w io.Writer, r *logdiff.Report, o Options) error {
	if r == nil {
		return errNoReport("Markdown")
	}
	if _, err := io.WriteString(w, markdown(r, o)); err != nil {
		return fmt.Errorf("writing the Markdown report: %w", err)
	}
	return nil
}

// mdLen counts s as GitHub's web form does: UTF-16 code units, a newline
// as two (CRLF).
func mdLen(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case r == '\n':
			n += 2
		default:
			n += utf16.RuneLen(r)
		}
	}
	return n
}

// mdDoc adds whole blocks while they fit, keeping room for the note that
// says what was left out and for the footer.
type mdDoc struct {
	b      strings.Builder
	used   int
	budget int  // for blocks, the note and footer already taken off
	cut    bool // a finding did not fit
	shown  int  // findings shown
}

// add adds a block if it fits.
func (d *mdDoc) add(block string) bool {
	n := mdLen(block)
	if d.used+n > d.budget {
		return false
	}
	d.b.WriteString(block)
	d.used += n
	return true
}

func markdown(r *logdiff.Report, o Options) string {
	limit := o.MaxChars
	if limit <= 0 {
		limit = githubLimit
	}
	limit = max(limit, mdMinChars)
	links := o.links()
	footer := "<sub>logdiff report, " + o.now().Format(stamp) + "</sub>\n"
	total := len(r.Findings)
	noteFor := func(shown int) string {
		return fmt.Sprintf("> [!NOTE]\n> Cut to stay under %s characters: %d of %d findings shown. The HTML and JSON reports have all of them.\n\n",
			thousands(limit), shown, total)
	}
	d := &mdDoc{budget: limit - mdLen(footer) - mdLen(noteFor(total))}

	if !d.add(mdHeader(r, links, true)) {
		d.add(mdHeader(r, links, false))
	}
	if len(r.Commits) > 0 {
		d.add(mdCommits(r))
	}
	cfg := configs(r)
	if len(cfg) > 0 {
		if d.add("#### Configuration changes\n\n" + mdConfigTable(cfg[:min(len(cfg), mdTableRows)]) + "\n") {
			d.shown += min(len(cfg), mdTableRows)
		} else {
			cfg = nil // the folded rest would make no sense alone
		}
		if rest := cfg[min(len(cfg), mdTableRows):]; len(rest) > 0 {
			rest = rest[:min(len(rest), mdMaxRows)]
			// Folded and least likely to matter: left out whole if it does
			// not fit, and the findings still get their turn.
			block := fmt.Sprintf("<details><summary>%d more configuration changes</summary>\n\n%s\n</details>\n\n", len(rest), mdConfigTable(rest))
			if d.add(block) {
				d.shown += len(rest)
			}
		}
	}
	var others []*logdiff.Finding // the findings the configuration table does not hold
	for i := range r.Findings {
		if f := &r.Findings[i]; !viewOf(f.Kind).settings || len(configRows(f)) == 0 {
			others = append(others, f)
		}
	}
	top := min(len(others), o.top(defaultTop))
	if top > 0 && !d.add("#### Top findings\n\n") {
		top = 0
	}
	for i, f := range others[:top] {
		var block string
		if i < mdOpen {
			block = mdHeadline(f) + mdFinding(r, f, links, o.maxLines())
		} else {
			block = "<details><summary>" + mdSummaryHTML(f) + "</summary>\n\n" + mdFinding(r, f, links, o.maxLines()) + "</details>\n\n"
		}
		if !d.add(block) {
			d.cut = true // findings are ranked: none after one that did not fit
			break
		}
		d.shown++
	}
	if rest := others[top:]; len(rest) > 0 && !d.cut {
		d.restList(rest)
	}
	if d.shown < total {
		d.b.WriteString(noteFor(d.shown))
	}
	d.b.WriteString(footer)
	return d.b.String()
}

// restList adds the findings past the top as a folded list, as many as fit.
func (d *mdDoc) restList(rest []*logdiff.Finding) {
	head := func(listed int) string {
		if listed == len(rest) {
			return fmt.Sprintf("<details><summary>%d more findings</summary>\n\n", len(rest))
		}
		return fmt.Sprintf("<details><summary>%d more findings (%d listed)</summary>\n\n", len(rest), listed)
	}
	const tail = "\n</details>\n\n"
	room := d.budget - d.used - mdLen(head(len(rest)-1)) - mdLen(tail) // the longest head
	var items strings.Builder
	n := 0
	for _, f := range rest {
		item := fmt.Sprintf("- **#%d** %s · %s\n", f.Rank, mdKind(f.Kind), code(cut(f.Summary, mdValueRunes)))
		l := mdLen(item)
		if l > room {
			break
		}
		items.WriteString(item)
		room -= l
		n++
	}
	if n > 0 {
		d.add(head(n) + items.String() + tail)
		d.shown += n
	}
}

// mdHeader is the title, the summary and, withRuns, the runs linked.
func mdHeader(r *logdiff.Report, links Links, withRuns bool) string {
	// Summary names the failing run; show the name as code, the rest as is
	// (counts and kinds, our own words).
	const token = "\x00run\x00"
	anon := *r
	anon.Failing.Name = token
	sum := strings.Replace(Headline(&anon), token, code(cut(shortName(r.Failing.Name), mdValueRunes)), 1)
	var b strings.Builder
	b.WriteString("### logdiff: what changed in the failing run\n\n")
	b.WriteString(sum + "\n\n")
	if !withRuns {
		return b.String()
	}
	b.WriteString("- **failing:** " + mdRun(r.Failing, links) + "\n")
	if st := mdStreak(r); st != "" {
		b.WriteString("- **streak:** " + st + "\n")
	}
	for _, run := range r.Baselines[:min(len(r.Baselines), mdMaxRuns)] {
		b.WriteString("- **passing:** " + mdRun(run, links) + "\n")
	}
	if len(r.Baselines) > mdMaxRuns {
		fmt.Fprintf(&b, "- and %d more passing runs\n", len(r.Baselines)-mdMaxRuns)
	}
	if len(r.Baselines) == 0 {
		b.WriteString("- no passing run\n")
	}
	if len(r.Rules) > 0 {
		var rs []string
		for _, f := range r.Rules {
			rs = append(rs, code(cut(f, mdValueRunes)))
		}
		b.WriteString("- **rules:** " + strings.Join(rs, ", ") + "\n")
	}
	b.WriteString("\n")
	return b.String()
}

// mdStreak is the streak's sentence, the runs it names as code linked to
// their pages. The rest is our words, counts and a date, nothing Markdown
// reads mid-line: written as is (mdProse would escape the date's dashes
// and colon for nothing).
func mdStreak(r *logdiff.Report) string {
	var b strings.Builder
	for _, p := range streakSpans(r) {
		if p.Name {
			b.WriteString(mdLink(code(cut(p.Text, mdValueRunes)), p.Link))
		} else {
			b.WriteString(p.Text)
		}
	}
	return b.String()
}

func mdRun(run logdiff.LogInfo, links Links) string {
	s := mdLink(code(cut(shortName(run.Name), mdValueRunes)), links(run, "", 0)) + ", " + count(run.Lines, "line")
	if run.Reason != "" {
		s += ": " + mdProse(cut(clean(run.Reason, false), mdValueRunes))
	}
	return s
}

func mdConfigTable(fs []*logdiff.Finding) string {
	var b strings.Builder
	b.WriteString("| # | Key | Passing | Failing | Source |\n| --: | --- | --- | --- | --- |\n")
	cellValue := func(v string, present bool) string {
		s, real := configValue(v, present)
		if !real {
			return "*" + s + "*"
		}
		return cellCode(cut(s, mdValueRunes))
	}
	for _, f := range fs {
		for _, c := range configRows(f) {
			fmt.Fprintf(&b, "| %d | %s | %s | %s | %s |\n", c.Rank, cellCode(cut(c.Key, mdValueRunes)),
				cellValue(c.Passing, c.InPassing), cellValue(c.Failing, c.InFailing), cellCode(cut(c.Source, mdValueRunes)))
		}
	}
	return b.String()
}

// mdLink links text to an http(s) address; overlong addresses are left
// out rather than let one link eat the size limit.
func mdLink(text, link string) string {
	u := safeHref(link)
	if u == "" || len(u) > mdMaxURL {
		return text
	}
	return "[" + text + "](<" + u + ">)"
}

// mdHeadline is a finding's rank, kind, score and summary.
func mdHeadline(f *logdiff.Finding) string {
	return fmt.Sprintf("**#%d %s** · score %.2f · %s  \n", f.Rank, mdKind(f.Kind), f.Score, code(cut(f.Summary, mdValueRunes)))
}

// mdFinding is where a finding stands (linked), its hint, and its lines in
// a fenced diff block, long ones folded.
func mdFinding(r *logdiff.Report, f *logdiff.Finding, links Links, maxLines int) string {
	var b strings.Builder
	for _, p := range where(r, f, links) {
		b.WriteString(mdLink(mdProse(cut(clean(p.Text, false), mdValueRunes)), p.Link))
	}
	b.WriteString("\n")
	if f.Hint != "" {
		b.WriteString("\n> **Hint:** " + mdProse(cut(clean(f.Hint, false), 500)) + "\n")
	}
	b.WriteString("\n")
	if notes := viewOf(f.Kind).notes; notes != nil {
		if ns := notes(f); len(ns) > 0 {
			var t strings.Builder
			for _, n := range ns[:min(len(ns), maxLines)] {
				// Prefixed so that no line of it can close the fence.
				t.WriteString("  " + cut(clean(n, false), mdLineRunes) + "\n")
			}
			b.WriteString(fenced("text", t.String()) + "\n")
		}
	}
	if len(f.Lines) == 0 && len(f.Context) == 0 {
		return b.String()
	}
	before, core, after := unified(f)
	if len(core) <= maxLines {
		b.WriteString(fence(slices.Concat(before, core, after)))
		return b.String()
	}
	b.WriteString(fence(slices.Concat(before, core[:maxLines])))
	more := core[maxLines:]
	omitted := max(0, len(more)-mdMaxRows)
	more = slices.Concat(more[:len(more)-omitted], after)
	if omitted > 0 {
		more = append(more, uline{Mark: '@', Text: fmt.Sprintf("… %d more lines not shown", omitted)})
	}
	fmt.Fprintf(&b, "<details><summary>%s</summary>\n\n%s</details>\n\n", moreLines(len(core)-maxLines), fence(more))
	return b.String()
}

// fence writes lines in a fenced diff block whose fence is longer than any
// run of backticks in the text, so no log line can close it.
func fence(ls []uline) string {
	width := 1
	for _, l := range ls {
		width = max(width, len(strconv.Itoa(l.N)))
	}
	var body strings.Builder
	for _, l := range ls {
		if l.Mark == '@' {
			body.WriteString("@@ " + l.Text + " @@\n")
			continue
		}
		fmt.Fprintf(&body, "%c %*d  %s\n", l.Mark, width, l.N, cut(clean(l.Text, false), mdLineRunes))
	}
	return fenced("diff", body.String()) + "\n"
}

// fenced puts text (lines, each ending in a newline) in a fenced block
// whose fence is longer than any run of backticks in it, so no line of
// text can close it.
func fenced(info, text string) string {
	ticks := strings.Repeat("`", max(3, longestRun(text, '`')+1))
	return ticks + info + "\n" + text + ticks + "\n"
}

// mdSummaryHTML is a finding's one-line summary inside a <summary> tag,
// where GitHub reads HTML, not Markdown.
func mdSummaryHTML(f *logdiff.Finding) string {
	return fmt.Sprintf("#%d %s · %.2f · <code>%s</code>", f.Rank, html.EscapeString(mdKind(f.Kind)), f.Score, html.EscapeString(cut(clean(f.Summary, false), mdValueRunes)))
}

func mdKind(k logdiff.Kind) string {
	return cut(strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '-' {
			return r
		}
		return -1
	}, string(k)), 20)
}

// code writes s as a code span: nothing inside is Markdown, HTML, a
// mention or a reference.
func code(s string) string {
	s = clean(s, false)
	if s == "" {
		return "*(empty)*"
	}
	ticks := strings.Repeat("`", longestRun(s, '`')+1)
	pad := ""
	if s[0] == '`' || s[len(s)-1] == '`' || s[0] == ' ' && s[len(s)-1] == ' ' && strings.Trim(s, " ") != "" {
		pad = " "
	}
	return ticks + pad + s + pad + ticks
}

// cellCode is a code span inside a table cell, where a pipe would end the
// cell even inside code unless escaped.
func cellCode(s string) string {
	return strings.ReplaceAll(code(s), "|", `\|`)
}

// mdProse escapes our own sentences that carry names or rule hints:
// Markdown punctuation is backslash-escaped, and an invisible word joiner
// after @ and # keeps GitHub from reading a mention or an issue reference.
func mdProse(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '@' || r == '#':
			b.WriteRune(r)
			b.WriteRune('\u2060')
		case r < 0x80 && strings.ContainsRune("\\`*_{}[]()<>+-.!|~&:", r):
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func longestRun(s string, c byte) int {
	best, cur := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			cur++
			best = max(best, cur)
		} else {
			cur = 0
		}
	}
	return best
}

// thousands writes n with comma separators: 65,536.
func thousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		return "-" + s
	}
	return s
}

func moreLines(n int) string { return count(n, "more line") }

// mdCommits is a table of the commits each run tested, linked to what
// changed between them.
func mdCommits(r *logdiff.Report) string {
	var b strings.Builder
	b.WriteString("#### Commits\n\n| Repository | Passing → failing | Changes |\n| --- | --- | --- |\n")
	for _, c := range r.Commits[:min(len(r.Commits), mdTableRows)] {
		changes := ""
		if c.CompareURL != "" {
			changes = mdLink("compare", c.CompareURL)
		}
		for _, p := range c.Pulls {
			pr := mdLink(fmt.Sprintf("#\u2060%d", p.Number), p.URL)
			if p.CompareURL != "" {
				pr += " (" + mdLink("changes", p.CompareURL) + ")"
			}
			changes = strings.TrimPrefix(changes+", "+pr, ", ")
		}
		fmt.Fprintf(&b, "| %s | %s | %s |\n", cellCode(cut(c.Repo, mdValueRunes)), cellCode(cut(commitSpan(c), mdValueRunes)), changes)
	}
	return b.String() + "\n"
}
