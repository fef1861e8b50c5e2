package logdiff

import (
	"math"
	"slices"
	"strings"
)

// Scores. A finding's score is its tier, from what its lines say, and its
// place within the tier, from where it stands and how much it says:
//
//	report  0.94-1    a test runner's report: the test that failed and what
//	                  broke (its assertion, its exception), in one finding
//	states  0.88-0.94 a line that says what broke (says.go): a location, an
//	                  exception with its message, a rule; an environment
//	                  variable unset
//	test    0.82-0.88 a line that names the test that failed (which, not
//	                  what); a location and a message without failure words
//	fails   0.74-0.82 failure words with content of their own
//	warns   0.64-0.74 the same at warning level; a rule's signature line gone
//	echo    0.50-0.64 a line that says only that something failed (a count,
//	                  an exit code, a failed step, a verdict); a status row
//	                  (a module, a node: which, not what)
//	quiet   0.25-0.50 no failure vocabulary: lines gone before the first
//	                  error, lines new, the run ending early
//	noise   0.05-0.25 what cannot be told from variation: a line the failing
//	                  run has fewer times; lines gone after the first error,
//	                  which are its effects (steps that no longer ran)
//
// So the line that states a failure ranks above its echoes whatever tool
// printed them, and with one baseline what may be variation ranks below
// every line with failure vocabulary. Within a tier, earlier ranks first
// (the cause precedes its effects), then what says more, then a rule's
// weight; huge blocks rank down.

type tier int

const (
	tierReport tier = iota
	tierStates
	tierTest
	tierFails
	tierWarns
	tierEcho
	tierQuiet
	tierNoise
)

var tierBands = [...][2]float64{
	tierReport: {0.94, 1},
	tierStates: {0.88, 0.94},
	tierTest:   {0.82, 0.88},
	tierFails:  {0.74, 0.82},
	tierWarns:  {0.64, 0.74},
	tierEcho:   {0.50, 0.64},
	tierQuiet:  {0.25, 0.50},
	tierNoise:  {0.05, 0.25},
}

// tierOf is the tier of a line of the failing run by what it says.
func tierOf(r reading) tier {
	switch {
	case r.level < 0 && !r.failed && (r.what > 0 || r.failing() && !r.echo):
		return tierWarns // the tool only warns, and the line says no verdict
	case r.what == 2 && r.failing():
		return tierStates
	case r.what > 0:
		// A test by name, or a place and a message that do not say
		// they failed (a checkstyle violation, a compiler's note).
		return tierTest
	case r.failing() && !r.echo:
		return tierFails
	case r.echo:
		return tierEcho
	}
	return tierQuiet
}

// note is what scoring needs of a finding besides the finding itself.
type note struct {
	g      *group
	weight float64 // the largest weight of a signature rule its lines match
	best   reading // the failing side's most telling line (the baseline side's for a missing finding)
	tier   tier    // the tier of best
	sig    bool    // missing: a line every baseline has exactly once
	// countOnly: missing lines the failing run has too, fewer times
	countOnly bool
	// test: the finding names the test that failed, besides what broke
	test bool
}

// readFinding reads the lines of a finding's telling side and keeps the
// most telling one: the lowest tier, the first of equals. Failing lines are
// read as readFailing read them.
func (c *comparison) readFinding(f *Finding, g *group, failing map[int]reading) (reading, tier, bool) {
	side := SideFailing
	if g.kind == Missing || g.kind == EndedEarly {
		side = SideBaseline
	}
	best, bt := reading{}, tierNoise+1
	test := false
	inFrame := false
	read := 0
	for _, l := range f.Lines {
		if l.Side != side {
			continue
		}
		if read++; read > tellingLines {
			break // as tellingLine: a block says what it says early
		}
		// The source line under a Python frame is part of the frame.
		wasFrame := inFrame
		inFrame = pythonFrame(l.Text)
		if wasFrame {
			continue
		}
		r, ok := failing[l.N]
		if side != SideFailing || !ok {
			r = c.reading(l.Text)
		}
		if t := tierOf(r); t < bt {
			best, bt = r, t
		}
		test = test || r.what == 1 && !r.echo
	}
	return best, bt, test
}

// minRepeated is the shortest message readFailing compares: shorter ones
// ("cannot find symbol") are said by many different failures.
const minRepeated = 16

// readFailing reads the failing lines of new and changed findings in log
// order. A failure line whose message (after its last ": ") an earlier
// failure line already printed as one of its parts, and that names no place
// of its own, is an echo of it: Maven's "Caused by: ...MojoExecutionException:
// Some files do not have the expected license header" under "[ERROR] Failed
// to execute goal ...: Some files do not have the expected license header
// -> [Help 1]", a summary that lists again what a test's report said. What
// echoes a failure is learned from the failing run itself.
func (c *comparison) readFailing() map[int]reading {
	texts := map[int]string{}
	for i := range c.findings {
		f := &c.findings[i]
		if f.Kind != New && f.Kind != Changed {
			continue
		}
		read := 0
		for _, l := range f.Lines {
			if l.Side != SideFailing {
				continue
			}
			if read++; read > tellingLines {
				break // the lines readFinding reads, no more
			}
			texts[l.N] = l.Text
		}
	}
	ns := make([]int, 0, len(texts))
	for n := range texts {
		ns = append(ns, n)
	}
	slices.Sort(ns)
	out := make(map[int]reading, len(ns))
	said := map[string]bool{} // the parts of earlier failure lines
	for _, n := range ns {
		t := texts[n]
		r := c.reading(t)
		if r.failing() || r.what > 0 {
			k := c.key(t)
			parts := strings.Split(k, ": ")
			tail := strings.TrimSpace(parts[len(parts)-1])
			if len(tail) >= minRepeated && said[tail] && !hasLocation(t) {
				r = reading{fail: r.fail, level: r.level, echo: true}
			}
			for _, p := range parts {
				for _, q := range strings.Split(p, " -> ") {
					if q = strings.TrimSpace(q); len(q) >= minRepeated {
						said[q] = true
					}
				}
			}
		}
		out[n] = r
	}
	return out
}

// scoreAll scores every finding once all are built: where a missing line
// stands relative to the failing run's first error decides its tier.
func (c *comparison) scoreAll(notes []note) {
	failing := c.readFailing()
	for i := range notes {
		notes[i].best, notes[i].tier, notes[i].test = c.readFinding(&c.findings[i], notes[i].g, failing)
	}
	firstErr := c.f.lines + 1
	errAt := map[int]bool{}
	for i := range c.findings {
		f, n := &c.findings[i], &notes[i]
		if f.Kind != New && f.Kind != Changed || n.g.flip != nil && c.verdict(f) {
			continue
		}
		for _, l := range f.Lines {
			if l.Side != SideFailing {
				continue
			}
			if r := c.reading(l.Text); r.failing() && r.level >= 0 {
				firstErr = min(firstErr, l.N)
				errAt[l.N] = true
			}
		}
	}
	tiers := make([]tier, len(c.findings))
	ws := make([]float64, len(c.findings))
	byTier := map[tier][]int{} // findings placed by their order in the failing run
	for i := range c.findings {
		f, n := &c.findings[i], &notes[i]
		var ordered bool
		tiers[i], ws[i], ordered = c.place(f, n, firstErr, errAt)
		if ordered {
			byTier[tiers[i]] = append(byTier[tiers[i]], i)
		}
	}
	// Within a tier the failing run's order decides most: the first
	// failure precedes its effects, and the first copy of repeated output
	// (a retried command) is where to read.
	for _, idx := range byTier {
		slices.SortStableFunc(idx, func(a, b int) int { return c.findings[a].Failing.Start - c.findings[b].Failing.Start })
		for k, i := range idx {
			first := 1.0
			if len(idx) > 1 {
				first = 1 - float64(k)/float64(len(idx)-1)
			}
			ws[i] = 0.6*first + 0.4*ws[i]
		}
	}
	for i := range c.findings {
		band := tierBands[tiers[i]]
		s := band[0] + (band[1]-band[0])*math.Max(0, math.Min(1, ws[i]))
		c.findings[i].Score = math.Round(s*100) / 100
	}
	c.linkSubjects(notes)
}

// linkSubjects ranks lines the failing run lacks next to the error that
// names what they named: "!!! Cannot find kubernetes-node-windows-
// amd64.tar.gz" where the passing run printed "Will download and extract
// kubernetes-node-windows-amd64.tar.gz". The step that no longer ran is
// what the error is about, wherever the two stand. It ranks right below the
// error, or right above it where a rule marks it as a signature (a step
// whose absence matters: the rule's author knows the tool).
func (c *comparison) linkSubjects(notes []note) {
	subjects := map[string]float64{}
	for i := range c.findings {
		f := &c.findings[i]
		if f.Kind != New && f.Kind != Changed || notes[i].tier > tierFails {
			continue
		}
		for _, l := range f.Lines {
			if l.Side != SideFailing || tierOf(c.reading(l.Text)) > tierFails {
				continue
			}
			for _, tok := range subjectTokens(l.Text) {
				subjects[tok] = math.Max(subjects[tok], f.Score)
			}
		}
	}
	if len(subjects) == 0 {
		return
	}
	for i := range c.findings {
		f, n := &c.findings[i], &notes[i]
		if f.Kind != Missing || len(n.g.env) > 0 || n.countOnly || len(f.Lines) > 20 {
			continue // a page of lines gone is drift, not the step an error names
		}
		step := -0.01
		if n.weight > 0 {
			step = 0.01
		}
		for _, l := range f.Lines {
			for _, tok := range subjectTokens(l.Text) {
				if s, ok := subjects[tok]; ok && s+step > f.Score {
					f.Score = math.Round(math.Min(1, s+step)*100) / 100
				}
			}
		}
	}
}

// place returns a finding's tier and its place within it, 0 to 1;
// ordered when the place is yet to be weighed with the finding's order
// among the others of its tier.
func (c *comparison) place(f *Finding, n *note, firstErr int, errAt map[int]bool) (tier, float64, bool) {
	g := n.g
	early := 1.0
	if c.f.lines > 0 {
		early = 1 - float64(f.Failing.Start)/float64(c.f.lines)
	}
	size := len(g.bLines) + len(g.fLines)
	small := 1.0
	switch {
	case size > 200:
		small = 0
	case size > 20:
		small = 0.5
	}
	weight := math.Min(n.weight, 3) / 3
	switch {
	case g.kind == EndedEarly:
		return tierQuiet, 0.8, false
	case len(g.env) > 0:
		return tierReport, 0.6 + 0.4*early, false
	case g.kind == Missing:
		t, w := c.placeMissing(f, n, firstErr, errAt, early)
		return t, w, false
	case g.flip != nil && c.verdict(f):
		return tierQuiet, 0.8, false // BUILD SUCCESS → BUILD FAILURE: the symptom everyone already knows
	}
	t := n.tier
	if g.flip != nil && n.best.what < 2 {
		// A status row that flipped says which module, node or test
		// failed; the lines that say what broke are elsewhere.
		t = max(t, tierEcho)
		if n.best.what == 1 {
			t = tierFails
		}
	}
	w := 0.3*float64(n.best.what)/2 + 0.2*float64(min(n.best.fail, 3))/3 + 0.2*weight + 0.1*small + 0.2*float64(n.best.level+1)/2
	if t == tierStates && n.test {
		// The test that failed and what broke, together: a test
		// runner's report of a failure, above what the code under test
		// logged on its way (an exception it caught and printed).
		t = tierReport
	}
	if size > 200 {
		w -= 0.3
	}
	return t, w, true
}

// placeMissing places lines the failing run lacks. Before the failing
// run's first error they may be a step that no longer ran; after it they
// are mostly its effects. A line the failing run still has, fewer times, is
// a count that varies. With one baseline nothing tells a missing line from
// variation, so it ranks below every line with failure vocabulary.
func (c *comparison) placeMissing(f *Finding, n *note, firstErr int, errAt map[int]bool, early float64) (tier, float64) {
	if n.countOnly {
		return tierNoise, 0.2 * early
	}
	if f.Failing.Start >= firstErr {
		return tierNoise, 0.3 + 0.5*early
	}
	w := 0.4 * early
	if len(c.b) > 1 {
		w += 0.3 // every baseline has it: not a line that comes and goes
	}
	if n.sig {
		w += 0.2
	}
	if n.best.failing() {
		w /= 2 // a passing run's error line gone is rarely the cause
	}
	// Right before an error where the lines would have stood: replaced.
	for k := f.Failing.Start + 1; k <= f.Failing.Start+2; k++ {
		if errAt[k] {
			return tierEcho, 0.5 + 0.5*w
		}
	}
	if n.weight > 0 && len(f.Lines) <= 20 {
		// A rule says this line matters when it goes; in a page of lines
		// gone it says nothing of the rest.
		return tierWarns, w
	}
	return tierQuiet, w
}
