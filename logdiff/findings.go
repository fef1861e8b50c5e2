package logdiff

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/logdiff/logdiff/internal/sanitize"
)

// group is a finding before it is ranked: line numbers only, until resolve
// has fetched the text.
type group struct {
	kind   Kind
	base   int   // baseline index
	bLines []int // baseline line numbers
	fLines []int // failing line numbers
	fPos   int   // missing: the failing line after which the lines would stand
	flip   *Flip
	env    []string // missing environment variables, for a merged env finding
	ended  *endedEarly
	times  int // how many places the same lines stand in (mergeRepeats), 0 for one
	// template: the places hold lines of one template, not the same lines
	template bool
	// replaced: a changed group made of missing lines and the new lines
	// printed in their place (mergeReplaced)
	replaced bool
}

// readTexts reads again the text of every line the groups' findings show,
// with their context.
func (c *comparison) readTexts(ctx context.Context, groups []*group) error {
	ctxN := c.opts.context()
	want := make([][]int, 1+len(c.b))
	add := func(side int, lo, hi, last int) {
		for n := max(lo, 1); n <= hi && n <= last; n++ {
			want[side] = append(want[side], n)
		}
	}
	want[0] = append(want[0], blockGaps(groups)...)
	for _, g := range groups {
		want[1+g.base] = append(want[1+g.base], g.bLines...)
		want[0] = append(want[0], g.fLines...)
		if len(g.bLines) > 0 {
			bmax := c.b[g.base].lines
			add(1+g.base, g.bLines[0]-ctxN, g.bLines[0]-1, bmax)
			add(1+g.base, g.bLines[len(g.bLines)-1]+1, g.bLines[len(g.bLines)-1]+ctxN, bmax)
		}
		fmax := c.f.lines
		if len(g.fLines) > 0 {
			add(0, g.fLines[0]-ctxN, g.fLines[0]-1, fmax)
			add(0, g.fLines[len(g.fLines)-1]+1, g.fLines[len(g.fLines)-1]+ctxN, fmax)
		} else {
			add(0, g.fPos-ctxN+1, g.fPos+ctxN, fmax)
		}
	}
	c.texts = make([]map[int]string, len(want))
	errs := make([]error, len(want))
	var wg sync.WaitGroup
	for side := range want {
		l := c.f
		if side > 0 {
			l = c.b[side-1]
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.texts[side], errs[side] = texts(ctx, l, c.opts.Scan, uniqSorted(want[side]))
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// build pairs changed lines and flips, merges what is one difference,
// and makes the findings with their scores.
func (c *comparison) build(groups []*group) {
	groups = c.pairChanges(groups)
	groups = c.joinBlocks(groups)
	groups = c.splitLead(groups)
	groups = c.mergeEnv(groups)
	groups = c.mergeNear(groups)
	groups = c.mergeReplaced(groups)
	groups = c.mergeRepeats(groups)
	notes := make([]note, 0, len(groups))
	for _, g := range groups {
		f, n := c.finding(g)
		c.findings = append(c.findings, f)
		notes = append(notes, n)
	}
	c.scoreAll(notes)
}

// groupLines makes runs of consecutive missing lines (per baseline) and of
// consecutive new lines; lines that do not count (blank, ignored) do not
// break a run.
func (c *comparison) groupLines(d *differences) []*group {
	var groups []*group
	missing := c.varied(d.missing)
	endF := c.f.lines + 1 // where an ended-early finding takes over
	for _, e := range d.ended {
		endF = min(endF, e.lastF)
	}
	for i := 0; i < len(missing); {
		j := i + 1
		for j < len(missing) && missing[j].base == missing[i].base && missing[j].idx == missing[j-1].idx+1 {
			j++
		}
		b := missing[i].base
		g := &group{kind: Missing, base: b, fPos: c.failingPos(b, missing[i].idx)}
		for _, m := range missing[i:j] {
			g.bLines = append(g.bLines, c.b[b].line(m.idx))
		}
		// Lines that would stand past where the failing run ended are
		// the ended-early finding's: it stands for all that never came.
		if g.fPos < endF {
			groups = append(groups, g)
		}
		i = j
	}
	for i := 0; i < len(d.added); {
		j := i + 1
		for j < len(d.added) && c.f.pos(d.added[j]) == c.f.pos(d.added[j-1])+1 {
			j++
		}
		groups = append(groups, &group{kind: New, fLines: slices.Clone(d.added[i:j])})
		i = j
	}
	for k := range d.ended {
		e := &d.ended[k]
		g := &group{kind: EndedEarly, base: e.base, ended: e, fPos: e.lastF}
		for n := e.fromB; n < e.fromB+3 && n <= e.toB; n++ {
			g.bLines = append(g.bLines, n)
		}
		groups = append(groups, g)
	}
	return groups
}

// varied returns the missing lines less those that vary: a line the
// failing run has too, only fewer times, where the baselines themselves
// print it a different number of times (a poll, a retry, a progress
// line). Their counts are variation, not change. With one baseline
// nothing tells, and such lines stay (ranked as noise).
func (c *comparison) varied(missing []lineRef) []lineRef {
	if len(c.b) < 2 {
		return missing
	}
	kept := make([]lineRef, 0, len(missing))
	for _, m := range missing {
		id := c.b[m.base].id(m.idx)
		if c.countF[id] > 0 && c.baselinesDisagree(id) {
			continue
		}
		kept = append(kept, m)
	}
	return kept
}

// baselinesDisagree reports a line the baselines have different numbers of.
func (c *comparison) baselinesDisagree(id int32) bool {
	for _, n := range c.countB[1:] {
		if n[id] != c.countB[0][id] {
			return true
		}
	}
	return false
}

// text returns the shown text of line n of a side (0 failing, 1+i baseline i).
func (c *comparison) text(side, n int) string { return c.texts[side][n] }

// reading reads a line once (says.go): scoring, splitting and summaries
// ask of the same lines.
func (c *comparison) reading(s string) reading {
	if r, ok := c.readings[s]; ok {
		return r
	}
	r := readLine(s)
	if c.readings == nil {
		c.readings = map[string]reading{}
	}
	c.readings[s] = r
	return r
}

func (c *comparison) key(s string) string {
	if k, ok := c.keys[s]; ok {
		return k
	}
	k, _ := c.opts.Normalizer.Key(nil, []byte(s))
	if c.keys == nil {
		c.keys = map[string]string{}
	}
	c.keys[s] = string(k)
	return string(k)
}

// pairChanges pairs missing lines with new lines that say the same thing
// otherwise, in passes that each take their pairs out of what is left:
//
//  1. pairEnv: an environment variable set to another value (by name,
//     wherever the two lines stand);
//  2. pairFlips: a line whose status word flipped (ok → FAIL, exit status
//     0 → 1), wherever it stands, since parallel output reorders lines;
//  3. pairInPlace: a line that changed in a word or two where it stood;
//  4. rest: what is left of each group, split where pairs were taken.
func (c *comparison) pairChanges(groups []*group) []*group {
	p := &pairing{c: c, groups: groups, usedB: map[lineAt]bool{}, usedF: map[lineAt]bool{}}
	p.pairEnv()
	p.pairFlips()
	p.pairInPlace()
	return append(p.out, p.rest()...)
}

// lineAt is the k-th line of a group.
type lineAt struct {
	g *group
	k int
}

// pairing is the state of pairChanges' passes: the lines paired so far and
// the changes made of them.
type pairing struct {
	c            *comparison
	groups       []*group
	usedB, usedF map[lineAt]bool // baseline and failing lines paired
	out          []*group        // the changes
}

// pair records a change of the baseline line (g, k) into the failing line f.
func (p *pairing) pair(b, f lineAt, flip *Flip) {
	p.usedB[b], p.usedF[f] = true, true
	p.out = append(p.out, &group{kind: Changed, base: b.g.base, bLines: []int{b.g.bLines[b.k]}, fLines: []int{f.g.fLines[f.k]}, flip: flip})
}

// each calls fn with every line of the groups of a kind.
func (p *pairing) each(kind Kind, fn func(at lineAt, n int)) {
	for _, g := range p.groups {
		if g.kind != kind {
			continue
		}
		lines := g.fLines
		if kind == Missing {
			lines = g.bLines
		}
		for k, n := range lines {
			fn(lineAt{g, k}, n)
		}
	}
}

// pairEnv pairs a variable the failing run sets to another value with its
// passing value: a change, not a variable unset and another set.
func (p *pairing) pairEnv() {
	c := p.c
	newByEnv := map[string][]lineAt{}
	p.each(New, func(at lineAt, n int) {
		if name, _, ok := strings.Cut(envLine(c.text(0, n)), "="); ok {
			newByEnv[name] = append(newByEnv[name], at)
		}
	})
	if len(newByEnv) == 0 {
		return
	}
	p.each(Missing, func(at lineAt, n int) {
		name, _, ok := strings.Cut(envLine(c.text(1+at.g.base, n)), "=")
		if !ok || len(newByEnv[name]) == 0 {
			return
		}
		f := newByEnv[name][0]
		newByEnv[name] = newByEnv[name][1:]
		p.pair(at, f, nil)
	})
}

// pairFlips pairs a missing line with a new line that differs from it in
// a status word only. New lines are indexed by their key with status words
// blanked, then by the key itself: lines repeat, and each distinct pair of
// keys is tried once.
func (p *pairing) pairFlips() {
	c := p.c
	type byKey struct {
		keys []string            // distinct failing keys, in order of first sight
		refs map[string][]lineAt // the new lines of each key, not yet paired
	}
	newByNeutral := map[string]*byKey{}
	p.each(New, func(at lineAt, n int) {
		fk := c.key(c.text(0, n))
		nk, ok := neutralKey(fk)
		if !ok {
			return
		}
		bk := newByNeutral[nk]
		if bk == nil {
			bk = &byKey{refs: map[string][]lineAt{}}
			newByNeutral[nk] = bk
		}
		if _, seen := bk.refs[fk]; !seen {
			bk.keys = append(bk.keys, fk)
		}
		bk.refs[fk] = append(bk.refs[fk], at)
	})
	if len(newByNeutral) == 0 {
		return
	}
	notFlip := map[[2]string]bool{}
	p.each(Missing, func(at lineAt, n int) {
		if p.usedB[at] {
			return
		}
		bt := c.text(1+at.g.base, n)
		nk, ok := neutralKey(c.key(bt))
		if !ok {
			return
		}
		cands := newByNeutral[nk]
		if cands == nil {
			return
		}
		bk := c.key(bt)
		for _, fk := range cands.keys {
			refs := cands.refs[fk]
			for len(refs) > 0 && p.usedF[refs[0]] {
				refs = refs[1:] // paired already (an environment change)
			}
			cands.refs[fk] = refs
			if len(refs) == 0 || notFlip[[2]string{bk, fk}] {
				continue
			}
			from, to, ok := statusFlip(bk, fk)
			if !ok {
				notFlip[[2]string{bk, fk}] = true
				continue
			}
			cands.refs[fk] = refs[1:]
			p.pair(at, refs[0], &Flip{From: from, To: to})
			return
		}
	})
}

// pairInPlace pairs the lines of a missing group with similar lines of the
// new group that starts right after the failing line where the missing
// lines would have stood: consecutive pairs are one change.
func (p *pairing) pairInPlace() {
	c := p.c
	newAt := map[int]*group{}
	for _, g := range p.groups {
		if g.kind == New {
			newAt[c.f.pos(g.fLines[0])] = g
		}
	}
	for _, g := range p.groups {
		if g.kind != Missing {
			continue
		}
		at := 0
		if g.fPos > 0 {
			at = c.f.pos(g.fPos) + 1
		}
		ng := newAt[at]
		if ng == nil {
			continue
		}
		k2 := 0
		var cur *group
		for k, n := range g.bLines {
			if p.usedB[lineAt{g, k}] {
				cur = nil
				continue
			}
			bk := c.key(c.text(1+g.base, n))
			for j := k2; j < len(ng.fLines) && j < k2+3; j++ {
				fk := c.key(c.text(0, ng.fLines[j]))
				if p.usedF[lineAt{ng, j}] || !similar(bk, fk) {
					continue
				}
				p.usedB[lineAt{g, k}], p.usedF[lineAt{ng, j}] = true, true
				if idVariant(bk, fk) {
					// The same line: an id masked on one side only (a
					// random name that happened to look like a word).
					cur, k2 = nil, j+1
					break
				}
				if cur == nil || j != k2 {
					cur = &group{kind: Changed, base: g.base}
					p.out = append(p.out, cur)
				}
				cur.bLines = append(cur.bLines, n)
				cur.fLines = append(cur.fLines, ng.fLines[j])
				k2 = j + 1
				break
			}
		}
	}
}

// rest returns what is left of each group, split where paired lines were
// taken out; groups of other kinds as they are.
func (p *pairing) rest() []*group {
	var out []*group
	for _, g := range p.groups {
		if g.kind != Missing && g.kind != New {
			out = append(out, g)
			continue
		}
		lines, used := g.fLines, p.usedF
		if g.kind == Missing {
			lines, used = g.bLines, p.usedB
		}
		var cur *group
		for k, n := range lines {
			if used[lineAt{g, k}] {
				cur = nil
				continue
			}
			if cur == nil {
				cur = &group{kind: g.kind, base: g.base, fPos: g.fPos}
				out = append(out, cur)
			}
			if g.kind == Missing {
				cur.bLines = append(cur.bLines, n)
			} else {
				cur.fLines = append(cur.fLines, n)
			}
		}
	}
	return out
}

// maxBlockGap bounds the lines that may stand between two runs of new
// lines of one error report (the frames of a stack trace both runs share
// in part, a tool's boilerplate after its error) for joinBlocks to make
// them one.
const maxBlockGap = 100

// blockGaps returns the failing lines that joinBlocks may look at: those
// between two new runs at most maxBlockGap apart, and the lines that do
// not count (blank ones) inside a run.
func blockGaps(groups []*group) []int {
	var runs [][]int
	for _, g := range groups {
		if g.kind == New && len(g.fLines) > 0 {
			runs = append(runs, g.fLines)
		}
	}
	slices.SortFunc(runs, func(a, b []int) int { return a[0] - b[0] })
	var out []int
	for i, r := range runs {
		for k := 1; k < len(r); k++ {
			if r[k]-r[k-1] <= maxBlockGap {
				for n := r[k-1] + 1; n < r[k]; n++ {
					out = append(out, n)
				}
			}
		}
		if i+1 < len(runs) {
			last, next := r[len(r)-1], runs[i+1][0]
			if next > last && next-last-1 <= maxBlockGap {
				for n := last + 1; n < next; n++ {
					out = append(out, n)
				}
			}
		}
	}
	return out
}

// joinBlocks makes one finding of the runs of new lines that are one
// error report as the failing run printed it: a report's lines that the
// passing run printed too (frames of a stack trace both share, a tool's
// help text after its error, blank separators) split it into runs, each a
// finding of its own, the report's parts ranked apart and the lines
// between them reported nowhere. Two runs join when the last line of the
// first and the first of the second are a report's (failure vocabulary, an
// error level, a stack frame) and so is every line between them, or it is
// blank; the lines between become the finding's. Inside a run, the blank
// lines it stands over are shown too: the block as printed.
func (c *comparison) joinBlocks(groups []*group) []*group {
	var news []*group
	for _, g := range groups {
		if g.kind == New && len(g.fLines) > 0 {
			news = append(news, g)
		}
	}
	slices.SortFunc(news, func(a, b *group) int { return a.fLines[0] - b.fLines[0] })
	taken := map[int]bool{} // failing lines of every finding
	for _, g := range groups {
		for _, n := range g.fLines {
			taken[n] = true
		}
	}
	absorbed := map[*group]bool{}
	var cur *group
	for _, g := range news {
		if cur != nil && c.sameReport(cur.fLines[len(cur.fLines)-1], g.fLines[0], taken) {
			last := cur.fLines[len(cur.fLines)-1]
			for n := last + 1; n < g.fLines[0]; n++ {
				cur.fLines = append(cur.fLines, n)
			}
			cur.fLines = append(cur.fLines, g.fLines...)
			absorbed[g] = true
			continue
		}
		cur = g
	}
	out := groups[:0]
	for _, g := range groups {
		if absorbed[g] {
			continue
		}
		if g.kind == New {
			g.fLines = c.withBlanks(g.fLines)
		}
		out = append(out, g)
	}
	return out
}

// sameReport reports two failing lines, a and b > a, of one error report
// (see joinBlocks): both a report's, and every line between them a
// report's or blank, none of them another finding's.
func (c *comparison) sameReport(a, b int, taken map[int]bool) bool {
	if b <= a+1 || b-a-1 > maxBlockGap {
		return false
	}
	if !c.reportLine(c.text(0, a)) || !c.reportLine(c.text(0, b)) {
		return false
	}
	if r := c.reading(c.text(0, b)); r.what > 0 && tierOf(r) <= tierTest && !chainedCause(c.text(0, b)) {
		// The second run leads with what failed: a report of its own (a
		// test runner's after what the code under test logged), unless it
		// is the cause its trace chains to.
		return false
	}
	for n := a + 1; n < b; n++ {
		t, ok := c.texts[0][n]
		if !ok || taken[n] || !blankLine(t) && !c.reportLine(t) {
			return false
		}
	}
	return true
}

// reportLine reports a line of an error report: one with failure
// vocabulary or an error level, or a stack frame.
func (c *comparison) reportLine(t string) bool {
	if c.reading(t).failing() {
		return true
	}
	body := dropTags(strings.TrimSpace(string(stripPrefixes([]byte(t)))))
	return isFrame(body)
}

// chainedCause reports the line that chains a stack trace to the
// exception that caused it (Java's "Caused by:", "Suppressed:"): the same
// trace goes on.
func chainedCause(t string) bool {
	body := dropTags(strings.TrimSpace(string(stripPrefixes([]byte(t)))))
	return strings.HasPrefix(body, "Caused by: ") || strings.HasPrefix(body, "Suppressed: ")
}

// blankLine reports a line with nothing but its timestamp or prefix.
func blankLine(t string) bool {
	return strings.TrimSpace(string(stripPrefixes([]byte(t)))) == ""
}

// withBlanks returns a run's lines with the blank lines between them.
func (c *comparison) withBlanks(lines []int) []int {
	var out []int
	for k, n := range lines {
		if k > 0 && c.reportLine(c.text(0, lines[k-1])) && c.reportLine(c.text(0, n)) {
			for m := lines[k-1] + 1; m < n; m++ {
				if t, ok := c.texts[0][m]; ok && blankLine(t) {
					out = append(out, m)
				}
			}
		}
		out = append(out, n)
	}
	if len(out) == len(lines) {
		return lines
	}
	return out
}

// leadAfter is how many lines of a new block may come before the first
// line that states a failure before the block is split there.
const leadAfter = 3

// splitLead splits a block of new lines whose first line that states a
// failure stands deep inside it (Python's exception after its traceback, a
// compiler's error after a page of build output), so that a finding leads
// with that line and the lines before it are a finding of their own.
func (c *comparison) splitLead(groups []*group) []*group {
	var out []*group
	for _, g := range groups {
		if g.kind != New || len(g.fLines) <= leadAfter {
			out = append(out, g)
			continue
		}
		k := c.firstStating(g.fLines)
		if k < leadAfter || k == len(g.fLines) {
			out = append(out, g)
			continue
		}
		out = append(out, &group{kind: New, fLines: slices.Clone(g.fLines[:k])}, &group{kind: New, fLines: slices.Clone(g.fLines[k:])})
	}
	return out
}

// firstStating returns the index of the first failing line that says what
// failed or names the test that failed (len(lines) when none does): a test
// failure's block leads with its header, and its exception follows.
func (c *comparison) firstStating(lines []int) int {
	inFrame := false
	for k, n := range lines {
		t := c.text(0, n)
		wasFrame := inFrame
		inFrame = pythonFrame(t)
		if wasFrame {
			continue
		}
		if r := c.reading(t); r.what > 0 && tierOf(r) <= tierTest {
			return k
		}
	}
	return len(lines)
}

// maxReplaced is the most lines a missing block may have to be told as
// replaced by the new lines in its place: more, and the finding would make
// the reader go through the passing run's lines before the failing run's.
const maxReplaced = 3

// mergeReplaced makes one finding of lines the failing run lacks and the
// new lines it printed in their place: what was printed instead of what
// ("Extracting ..." gone, "No space left on device" in its stead), told and
// ranked by what the failing run printed.
func (c *comparison) mergeReplaced(groups []*group) []*group {
	newAt := map[int]int{} // failing position of a new group's first line → index
	for i, g := range groups {
		if g.kind == New {
			newAt[c.f.pos(g.fLines[0])] = i
		}
	}
	taken := map[int]bool{}
	for i, g := range groups {
		if g.kind != Missing || len(g.env) > 0 || len(g.bLines) > maxReplaced || c.countOnly(g) {
			continue
		}
		at := 0
		if g.fPos > 0 {
			at = c.f.pos(g.fPos) + 1
		}
		j, ok := newAt[at]
		if !ok || taken[j] {
			continue
		}
		taken[i], taken[j] = true, true
		groups[i] = &group{kind: Changed, base: g.base, bLines: slices.Clone(g.bLines), fLines: slices.Clone(groups[j].fLines), replaced: true}
	}
	out := groups[:0]
	for i, g := range groups {
		if !taken[i] || g.replaced {
			out = append(out, g)
		}
	}
	return out
}

// mergeEnv merges missing lines of one environment dump (KEY=VALUE lines
// within a few hundred lines of each other in one baseline) into one finding:
// a removed preset takes several variables at once, and they are one cause.
func (c *comparison) mergeEnv(groups []*group) []*group {
	var out []*group
	var cur *group
	for _, g := range groups {
		if g.kind != Missing || !c.allEnv(g) {
			out = append(out, g)
			continue
		}
		if cur != nil && cur.base == g.base && g.bLines[0]-cur.bLines[len(cur.bLines)-1] <= 300 {
			cur.bLines = append(cur.bLines, g.bLines...)
		} else {
			cur = &group{kind: Missing, base: g.base, fPos: g.fPos, bLines: slices.Clone(g.bLines)}
			out = append(out, cur)
		}
		for _, n := range g.bLines {
			name, _, _ := strings.Cut(envLine(c.text(1+g.base, n)), "=")
			cur.env = append(cur.env, name)
		}
	}
	return out
}

// nearGap is how far apart (in lines of either run) two runs of missing
// lines may stand and still be one finding: the output of one step that no
// longer ran (a download, its checksums and its progress meter).
const nearGap = 25

// mergeNear merges runs of missing lines of one baseline that stand close
// together on both sides.
func (c *comparison) mergeNear(groups []*group) []*group {
	var out []*group
	var prev *group
	lastF := 0 // the failing position of the last run merged into prev
	for _, g := range groups {
		if g.kind != Missing || len(g.env) > 0 {
			out = append(out, g)
			continue
		}
		if prev != nil && prev.base == g.base &&
			g.bLines[0]-prev.bLines[len(prev.bLines)-1] <= nearGap && abs(g.fPos-lastF) <= nearGap {
			prev.bLines = append(prev.bLines, g.bLines...)
			lastF = g.fPos
			continue
		}
		prev, lastF = g, g.fPos
		out = append(out, g)
	}
	return out
}

// mergeRepeats merges findings that are the same difference in several
// places (three Windows nodes NotReady, the same warning per node) into one,
// so that one cause does not fill the top of the report. Lines that differ
// one by one in names only, of the same template, merge too: fifteen
// modules of a reactor flipping to FAILURE, a container removed per
// service ("... in 15 places").
func (c *comparison) mergeRepeats(groups []*group) []*group {
	var out []*group
	same, like := map[string]*group{}, map[string]*group{}
	for _, g := range groups {
		if g.kind == EndedEarly || len(g.env) > 0 {
			out = append(out, g)
			continue
		}
		exact := c.signature(g, false)
		var templ string
		if len(g.bLines) <= 1 && len(g.fLines) <= 1 && !g.replaced {
			templ = c.signature(g, true)
		}
		f, ok := same[exact]
		if !ok || f.base != g.base {
			f, ok = like[templ]
			ok = ok && templ != "" && f.base == g.base
			if ok {
				f.template = true
			}
		}
		if ok {
			f.bLines = append(f.bLines, g.bLines...)
			f.fLines = append(f.fLines, g.fLines...)
			f.times = max(f.times, 1) + 1
			continue
		}
		same[exact] = g
		if templ != "" {
			like[templ] = g
		}
		out = append(out, g)
	}
	return out
}

// signature is what makes two groups the same difference: their kind,
// their flip and the keys of their lines, or the shapes of the keys.
func (c *comparison) signature(g *group, shaped bool) string {
	var b strings.Builder
	b.WriteString(string(g.kind))
	if g.flip != nil {
		b.WriteString(" " + g.flip.From + ">" + g.flip.To)
	}
	for _, n := range g.bLines {
		k := c.key(c.text(1+g.base, n))
		if shaped {
			k = shape(k)
		}
		b.WriteString("\n-" + k)
	}
	for _, n := range g.fLines {
		k := c.key(c.text(0, n))
		if shaped {
			k = shape(k)
		}
		b.WriteString("\n+" + k)
	}
	return b.String()
}

// shape is the template of a key: its first word, its punctuation,
// placeholders and status words kept, every other run of words one "w".
// Lines that name different things the same way share it. A key with no
// punctuation or status word besides its words has no shape but itself.
func shape(k string) string {
	ts := tokens(k)
	out := make([]string, 0, len(ts))
	anchors, words := 0, 0
	for i, t := range ts {
		switch {
		case i == 0 || !isWordByte(t[0]) || statusClass(t) != 0 || isPlaceholder(t):
			out = append(out, t)
			if i > 0 {
				anchors++
			}
		case len(out) > 0 && out[len(out)-1] == "w":
		default:
			out = append(out, "w")
			words++
		}
	}
	if anchors < 2 || words == 0 {
		return k
	}
	return strings.Join(out, " ")
}

// countOnly reports missing lines that the failing run has too, only
// fewer times: a count that differs, not a step that no longer ran.
func (c *comparison) countOnly(g *group) bool {
	if g.kind != Missing || len(g.env) > 0 {
		return false
	}
	for _, n := range g.bLines {
		i := c.b[g.base].pos(n)
		if i >= c.b[g.base].len() || c.countF[c.b[g.base].id(i)] == 0 {
			return false
		}
	}
	return true
}

func (c *comparison) allEnv(g *group) bool {
	for _, n := range g.bLines {
		if envLine(c.text(1+g.base, n)) == "" {
			return false
		}
	}
	return true
}

// envLine returns NAME=value when the line (after its timestamp) sets an
// environment variable as env, export or declare -x print it.
func envLine(s string) string {
	b := bytes.TrimSpace(stripPrefixes([]byte(s)))
	for _, p := range []string{"export ", "declare -x "} {
		b = bytes.TrimPrefix(b, []byte(p))
	}
	i := 0
	for i < len(b) && (b[i] >= 'A' && b[i] <= 'Z' || b[i] == '_' || i > 0 && b[i] >= '0' && b[i] <= '9') {
		i++
	}
	if i == 0 || i >= len(b) || b[i] != '=' {
		return ""
	}
	return string(b)
}

// finding builds the Finding of a group, with its text and context, and
// what scoring needs to know of it.
func (c *comparison) finding(g *group) (Finding, note) {
	f := Finding{Kind: g.kind, Flip: g.flip}
	ctxN := c.opts.context()
	if len(g.bLines) > 0 {
		f.Baseline = &BaselineRange{Index: g.base, Start: g.bLines[0], End: g.bLines[len(g.bLines)-1]}
		for _, n := range g.bLines {
			f.Lines = append(f.Lines, Line{Side: SideBaseline, N: n, Text: c.text(1+g.base, n)})
		}
	}
	for _, n := range g.fLines {
		f.Lines = append(f.Lines, Line{Side: SideFailing, N: n, Text: c.text(0, n)})
	}
	if g.ended != nil {
		// The range is all that never came; the lines are its first few.
		f.Baseline.Start, f.Baseline.End = g.ended.fromB, g.ended.toB
	}
	if len(g.fLines) > 0 {
		f.Failing = Range{Start: g.fLines[0], End: g.fLines[len(g.fLines)-1]}
	} else {
		f.Failing = Range{Start: g.fPos, End: g.fPos}
	}
	// Context: failing lines around the finding, and baseline lines around
	// the baseline side, none of them lines of the finding itself.
	inF := map[int]bool{}
	for _, n := range g.fLines {
		inF[n] = true
	}
	addCtx := func(side Side, idx, lo, hi int, skip map[int]bool) {
		for n := lo; n <= hi; n++ {
			if t, ok := c.texts[idx][n]; ok && !skip[n] {
				f.Context = append(f.Context, Line{Side: side, N: n, Text: t})
			}
		}
	}
	if len(g.bLines) > 0 && g.kind != EndedEarly {
		inB := map[int]bool{}
		for _, n := range g.bLines {
			inB[n] = true
		}
		addCtx(SideBaseline, 1+g.base, g.bLines[0]-ctxN, g.bLines[0]-1, inB)
		addCtx(SideBaseline, 1+g.base, g.bLines[len(g.bLines)-1]+1, g.bLines[len(g.bLines)-1]+ctxN, inB)
	}
	if len(g.fLines) > 0 {
		addCtx(SideFailing, 0, g.fLines[0]-ctxN, g.fLines[0]-1, inF)
		addCtx(SideFailing, 0, g.fLines[len(g.fLines)-1]+1, g.fLines[len(g.fLines)-1]+ctxN, inF)
	} else {
		addCtx(SideFailing, 0, g.fPos-ctxN+1, g.fPos+ctxN, inF)
	}
	// Signature: a line every baseline has exactly once, or a rule says so.
	weight := 0.0
	for _, l := range f.Lines {
		if c.opts.Knowledge != nil {
			body := c.opts.Normalizer.Stripped([]byte(l.Text))
			if w, ok := c.opts.Knowledge.Signature(body); ok {
				f.Signature = true
				weight = math.Max(weight, w)
			}
			if f.Hint == "" {
				if h, ok := c.opts.Knowledge.Hint(body); ok {
					f.Hint = h
				}
			}
		}
	}
	nt := note{g: g, weight: weight}
	nt.countOnly = c.countOnly(g)
	if g.kind == Missing || g.replaced {
		for _, n := range g.bLines {
			if i := c.b[g.base].pos(n); i < c.b[g.base].len() && c.signatureID(c.b[g.base].id(i)) {
				f.Signature, nt.sig = true, true
			}
		}
	}
	f.Summary = c.summary(g, &f)
	switch {
	case g.times > 1 && g.template:
		f.Summary += fmt.Sprintf(" (in %d places)", g.times)
	case g.times > 1:
		f.Summary += fmt.Sprintf(" (%d times)", g.times)
	}
	f.Key = c.findingKey(g, &f)
	return f, nt
}

func (c *comparison) summary(g *group, f *Finding) string {
	first := func(side Side) string {
		for _, l := range f.Lines {
			if l.Side == side {
				return quote(l.Text)
			}
		}
		return `""`
	}
	// pair quotes the first line of each side, showing where they differ.
	pair := func() (string, string) {
		var was, now string
		for _, l := range f.Lines {
			if l.Side == SideBaseline && was == "" {
				was = l.Text
			}
			if l.Side == SideFailing && now == "" {
				now = l.Text
			}
		}
		return quotePair(was, now)
	}
	nb, nf := len(g.bLines), len(g.fLines)
	if g.times > 1 {
		nb, nf = nb/g.times, nf/g.times
	}
	switch {
	case g.ended != nil:
		e := g.ended
		stop := fmt.Sprintf("failing run ended after line %d", e.lastF)
		if e.lastF < c.f.lines {
			// It went on, but with nothing the passing runs printed.
			stop = fmt.Sprintf("failing run matched the passing run up to its line %d of %d, then printed only new lines", e.lastF, c.f.lines)
		}
		return fmt.Sprintf("%s; the passing run went on for %d more lines (baseline lines %d-%d), %d of them absent from the failing run",
			stop, e.toB-e.fromB+1, e.fromB, e.toB, e.missingTail)
	case len(g.env) > 0:
		return fmt.Sprintf("environment variable%s unset in the failing run: %s", plural(len(g.env)), strings.Join(g.env, ", "))
	case g.flip != nil:
		return fmt.Sprintf("status flipped %s → %s: %s", g.flip.From, g.flip.To, first(SideFailing))
	case g.kind == Missing && nb == 1:
		return "missing: " + first(SideBaseline)
	case g.kind == Missing:
		return fmt.Sprintf("%d lines missing, from %s", nb, first(SideBaseline))
	case g.kind == New && nf == 1:
		return "new: " + first(SideFailing)
	case g.kind == New:
		return fmt.Sprintf("%d new lines, from %s", nf, c.mostTelling(f))
	case g.replaced && nb == 1 && nf == 1:
		was, now := pair()
		return fmt.Sprintf("replaced: %s → %s", was, now)
	case g.replaced:
		// What the failing run printed first: the finding is ranked by it.
		return fmt.Sprintf("%s in place of %s: %s (was %s)", plainCount(nf, "line"), plainCount(nb, "line"), c.mostTelling(f), first(SideBaseline))
	case g.kind == Changed && nf == 1:
		was, now := pair()
		return fmt.Sprintf("changed: %s → %s", was, now)
	default:
		was, now := pair()
		return fmt.Sprintf("%d lines changed, from %s → %s", nf, was, now)
	}
}

// mostTelling quotes the failing line that says most (tellingLine).
func (c *comparison) mostTelling(f *Finding) string {
	if t, ok := c.tellingLine(f, SideFailing); ok {
		return quote(t)
	}
	return `""`
}

// tellingLine returns the line of a side of a finding that says most
// about a failure: the first of the lowest tier (says.go), so a block
// is told by its exception, not by its traceback's header.
func (c *comparison) tellingLine(f *Finding, side Side) (string, bool) {
	best, bt, found := "", tierNoise+1, false
	inFrame := false
	read := 0
	for _, l := range f.Lines {
		if l.Side != side {
			continue
		}
		// What a block says is said in its first lines; a block of a
		// hundred thousand (two unrelated logs) must not cost more.
		if read++; read > tellingLines {
			break
		}
		wasFrame := inFrame
		inFrame = pythonFrame(l.Text)
		if !found {
			best, found = l.Text, true
		}
		if wasFrame {
			continue
		}
		if t := tierOf(c.reading(l.Text)); t < bt {
			best, bt = l.Text, t
		}
	}
	return best, found
}

// tellingLines bounds the lines of a side tellingLine reads.
const tellingLines = 1000

// quote is s for a summary: its prefixes (timestamps) off, cut at 100
// runes, quoted. The bytes of s are kept, invalid UTF-8 too: the outputs
// show those as \xNN.
func quote(s string) string {
	return `"` + sanitize.Cut(quoted(s), 100) + `"`
}

// quoted is the part of a line a summary quotes: without the prefixes
// (timestamps, levels) and the spaces around it.
func quoted(s string) string {
	return strings.TrimSpace(string(stripPrefixes([]byte(s))))
}

// quotePair quotes a line and the line it changed into. When both are cut
// before they differ ("…CloseableSt…" → "…CloseableSt…"), both start a
// little before the first byte that differs instead, so that the summary
// shows the change.
func quotePair(was, now string) (string, string) {
	qa, qb := quote(was), quote(now)
	if qa != qb || was == now {
		return qa, qb
	}
	a, b := quoted(was), quoted(now)
	if a == b {
		return qa, qb // they differ in what quote leaves out
	}
	d := 0
	for d < len(a) && d < len(b) && a[d] == b[d] {
		d++
	}
	start := max(0, d-40)
	for start > 0 && start < len(a) && !utf8.RuneStart(a[start]) {
		start-- // not inside a character
	}
	return `"…` + sanitize.Cut(a[start:], 100) + `"`, `"…` + sanitize.Cut(b[start:], 100) + `"`
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// findingKey is the normalized form of the finding's telling line, the same
// for the same difference in another job's logs.
func (c *comparison) findingKey(g *group, f *Finding) string {
	prefix := string(g.kind) + ": "
	if len(g.env) > 0 {
		return prefix + "env " + strings.Join(g.env, ",")
	}
	side := SideFailing
	if g.kind == Missing || g.kind == EndedEarly {
		side = SideBaseline
	}
	best, _ := c.tellingLine(f, side)
	return prefix + c.key(best)
}
