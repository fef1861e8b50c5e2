package logdiff

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
)

// Options control a comparison.
type Options struct {
	// Quorum is how many baselines must share a line for its absence from
	// the failing run to count; 0 means all of them.
	Quorum int
	// Context is the number of lines shown around a finding; negative for
	// none, 0 for the default of 2.
	Context int
	// Scan controls how logs are read.
	Scan ScanOptions
	// Normalizer makes the keys; nil means the built-in rules alone.
	Normalizer *Normalizer
	// Knowledge marks signature lines and gives hints (patterns.Set); nil for none.
	Knowledge Knowledge
	// Parallel bounds how many logs are read at once; 0 means GOMAXPROCS.
	Parallel int
	// NoLearn turns off the templates learned from two or more baselines.
	NoLearn bool
}

// Knowledge is what ranking asks of a rule set: lines that matter when they
// go missing or appear, and sentences that explain a line.
type Knowledge interface {
	Signature(line []byte) (weight float64, ok bool)
	Hint(line []byte) (string, bool)
}

func (o Options) context() int {
	switch {
	case o.Context < 0:
		return 0
	case o.Context == 0:
		return 2
	}
	return o.Context
}

// Diff compares the failing run with one or more passing runs and returns
// the ranked findings. Each input is read twice: once to key every line,
// once to fetch the text of the lines the findings involve (with two
// baselines or more, once or twice more to learn what varies). A later read
// that finds other text than the first is an error (ErrChanged), and an
// input past the limits of opts.Scan is one too (ErrTooLarge).
//
// Memory is about 4 bytes a line of each input, 4 more a line of each
// baseline, and about 30 bytes a distinct line (key) of all inputs, never
// the text (see README, "Measured").
func Diff(ctx context.Context, failing Input, baselines []Input, opts Options) (*Report, error) {
	if len(baselines) == 0 {
		return nil, errors.New("no passing run to compare with: give at least one baseline")
	}
	if opts.Quorum < 0 || opts.Quorum > len(baselines) {
		return nil, fmt.Errorf("quorum %d is out of range: there are %d baselines", opts.Quorum, len(baselines))
	}
	if opts.Normalizer == nil {
		opts.Normalizer = NewNormalizer(nil)
	}
	inputs := append([]Input{failing}, baselines...)
	it := newInterner()
	logs, err := loadAll(ctx, inputs, it, opts)
	if err != nil {
		return nil, err
	}
	if !opts.NoLearn {
		if err := learnResidual(ctx, logs, it, opts.Normalizer, opts.Scan, opts.parallel()); err != nil {
			return nil, err
		}
	}
	// From here on ids are only compared: the table that gave them goes.
	// The phases, each taking what the one before gave:
	c := newComparison(logs[0], logs[1:], it.len(), opts)
	d := c.compare()                                 // what is missing, what is new, where the failing run ended
	groups := c.groupLines(d)                        // runs of those lines
	if err := c.readTexts(ctx, groups); err != nil { // their text and context, read again
		return nil, err
	}
	c.build(groups) // pairs, merges, findings and their scores
	c.rank()
	return c.report(), nil
}

func (o Options) parallel() int {
	if o.Parallel <= 0 {
		return runtime.GOMAXPROCS(0)
	}
	return o.Parallel
}

func loadAll(ctx context.Context, inputs []Input, it *interner, opts Options) ([]*log, error) {
	logs := make([]*log, len(inputs))
	errs := make([]error, len(inputs))
	sem := make(chan struct{}, opts.parallel())
	var wg sync.WaitGroup
	for i, in := range inputs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			logs[i], errs[i] = load(ctx, in, opts.Normalizer, it, opts.Scan)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return logs, nil
}

type comparison struct {
	opts    Options
	f       *log   // the failing run
	b       []*log // the baselines
	nIDs    int
	countF  []int32
	countB  [][]int32
	aligned [][]int32 // by baseline: the failing index paired with each line, or -1; nil until used
	aligner *aligner
	before  []matchBefore // by baseline: failingPos's last answer

	texts    []map[int]string   // [0] failing, [1+i] baseline i
	keys     map[string]string  // normalized keys of texts, computed once
	readings map[string]reading // what each line of a finding says (says.go), read once
	findings []Finding
}

// lineRef names a line of a baseline.
type lineRef struct {
	base int // baseline index
	idx  int // index in that baseline's counting lines
}

type endedEarly struct {
	base        int
	lastF       int // last failing line number that matched
	fromB, toB  int // baseline line numbers that never came
	missingTail int
}

// matchBefore remembers that the nearest paired line before index idx is
// match (-1 for none).
type matchBefore struct{ idx, match int }

func newComparison(failing *log, baselines []*log, nIDs int, opts Options) *comparison {
	c := &comparison{opts: opts, f: failing, b: baselines, nIDs: nIDs}
	c.aligned = make([][]int32, len(baselines))
	c.before = make([]matchBefore, len(baselines))
	count := func(l *log) []int32 {
		n := make([]int32, c.nIDs)
		for _, pg := range l.ids.pages {
			for _, id := range pg {
				n[id]++
			}
		}
		return n
	}
	c.countF = count(c.f)
	for _, s := range c.b {
		c.countB = append(c.countB, count(s))
	}
	return c
}

func (c *comparison) alignment(base int) []int32 {
	if m := c.aligned[base]; m != nil {
		return m
	}
	if c.aligner == nil {
		c.aligner = newAligner(c.nIDs)
	}
	m := c.aligner.align(c.b[base], c.f)
	c.aligned[base] = m
	return m
}

// need returns how many times id must occur in the failing run: the count
// that a quorum of baselines reach, or 0 if fewer than a quorum have it.
func (c *comparison) need(id int32, quorum int) int32 {
	if quorum == len(c.countB) { // all: the smallest count, without allocating
		m := c.countB[0][id]
		for _, n := range c.countB[1:] {
			m = min(m, n[id])
		}
		return m
	}
	counts := make([]int32, 0, 8)
	for _, n := range c.countB {
		if n[id] > 0 {
			counts = append(counts, n[id])
		}
	}
	if len(counts) < quorum {
		return 0
	}
	slices.Sort(counts)
	return counts[len(counts)-quorum]
}

func (c *comparison) inAnyBaseline(id int32) bool {
	for _, n := range c.countB {
		if n[id] > 0 {
			return true
		}
	}
	return false
}

// signatureID reports a line every baseline has exactly once.
func (c *comparison) signatureID(id int32) bool {
	for _, n := range c.countB {
		if n[id] != 1 {
			return false
		}
	}
	return true
}

// differences are what the counts and the alignment found: the first
// phase of a comparison, which everything after it builds on.
type differences struct {
	missing []lineRef // baseline lines the failing run lacks, by baseline and place
	added   []int     // failing line numbers of new lines
	ended   []endedEarly
}

// compare decides which lines are missing and new, and where the failing
// run ended early.
func (c *comparison) compare() *differences {
	d := &differences{}
	quorum := c.opts.Quorum
	if quorum == 0 {
		quorum = len(c.b)
	}
	// Missing: for each id, how many occurrences the failing run lacks,
	// placed on the baseline that has the line most often (the first of
	// those; it has at least the shortfall). The failing run's counts stay:
	// building findings asks whether the failing run has a line at all (a
	// count that differs is not a step that no longer ran).
	short := slices.Clone(c.countF)
	best := func(id int32) int {
		b := 0
		for i := range c.b {
			if c.countB[i][id] > c.countB[b][id] {
				b = i
			}
		}
		return b
	}
	wanted := make([]bool, len(c.b))
	for id := int32(0); int(id) < c.nIDs; id++ {
		need := int32(0)
		if c.countB[0][id] > 0 || quorum < len(c.b) { // with a full quorum a missing line is in baseline 0
			need = c.need(id, quorum)
		}
		if need > short[id] {
			short[id] = need - short[id]
			wanted[best(id)] = true
		} else {
			short[id] = 0
		}
	}
	// Take the occurrences the alignment left unpaired.
	for b, s := range c.b {
		if !wanted[b] {
			continue
		}
		al := c.alignment(b)
		for i := range s.len() {
			if id := s.id(i); short[id] > 0 && al[i] < 0 && best(id) == b {
				d.missing = append(d.missing, lineRef{b, i})
				short[id]--
			}
		}
		// Occurrences the alignment paired although the line is short:
		// take the last ones (rare; reordered output).
		for i := s.len() - 1; i >= 0; i-- {
			if id := s.id(i); short[id] > 0 && al[i] >= 0 && best(id) == b {
				d.missing = append(d.missing, lineRef{b, i})
				short[id]--
			}
		}
	}
	slices.SortFunc(d.missing, func(x, y lineRef) int {
		if x.base != y.base {
			return x.base - y.base
		}
		return x.idx - y.idx
	})
	// New: lines of the failing run in no baseline (counted first: there
	// may be millions, and a slice grown by append leaves its old arrays).
	nAdded := 0
	for i := range c.f.len() {
		if !c.inAnyBaseline(c.f.id(i)) {
			nAdded++
		}
	}
	d.added = make([]int, 0, nAdded)
	c.f.numbered(func(i, n int) {
		if !c.inAnyBaseline(c.f.id(i)) {
			d.added = append(d.added, n)
		}
	})
	c.detectEndedEarly(d)
	return d
}

// detectEndedEarly finds where the failing run stopped while a baseline it
// was placed against went on: after the failing run's last line that
// matched, the baseline holds many lines the failing run lacks.
func (c *comparison) detectEndedEarly(d *differences) {
	bases := map[int]bool{}
	for _, m := range d.missing {
		bases[m.base] = true
	}
	for b := range c.b {
		if !bases[b] {
			continue
		}
		al := c.alignment(b)
		lastA, lastF := -1, 0
		for i := len(al) - 1; i >= 0; i-- {
			if al[i] >= 0 {
				lastA, lastF = i, c.f.line(int(al[i]))
				break
			}
		}
		// The failing run must have nothing after its last match but new lines.
		tail := c.b[b].len() - 1 - lastA
		missingTail := 0
		for _, m := range d.missing {
			if m.base == b && m.idx > lastA {
				missingTail++
			}
		}
		if lastA < 0 || tail < 10 || missingTail*2 < tail || float64(tail) < 0.02*float64(c.b[b].len()) {
			continue
		}
		d.ended = append(d.ended, endedEarly{
			base: b, lastF: lastF,
			fromB: c.b[b].line(lastA + 1), toB: c.b[b].lines,
			missingTail: missingTail,
		})
		// The finding stands for the tail: its missing lines are not listed one by one.
		kept := d.missing[:0]
		for _, m := range d.missing {
			if m.base != b || m.idx <= lastA {
				kept = append(kept, m)
			}
		}
		d.missing = kept
	}
}

// failingPos returns the failing line after which baseline b's line at
// index idx would have stood: the failing line matched to the nearest
// matched baseline line before it (0 when none). Asked in increasing idx,
// as groupLines asks, it walks each baseline once.
func (c *comparison) failingPos(b, idx int) int {
	al := c.alignment(b)
	lo, match := 0, -1
	if mb := c.before[b]; mb.idx > 0 && mb.idx <= idx {
		lo, match = mb.idx, mb.match
	}
	for k := idx - 1; k >= lo; k-- {
		if al[k] >= 0 {
			match = k
			break
		}
	}
	c.before[b] = matchBefore{idx, match}
	if match < 0 {
		return 0
	}
	return c.f.line(int(al[match]))
}
