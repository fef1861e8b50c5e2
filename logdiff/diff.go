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
// once to fetch the text of the lines the findings involve.
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
	logs, err := loadAll(ctx, inputs, opts)
	if err != nil {
		return nil, err
	}
	if !opts.NoLearn {
		if _, err := learnResidual(logs, opts.Normalizer, opts.Scan); err != nil {
			return nil, err
		}
	}
	c := newComparison(logs[0], logs[1:], opts)
	c.compare()
	if err := c.resolve(); err != nil {
		return nil, err
	}
	return c.report(), nil
}

func loadAll(ctx context.Context, inputs []Input, opts Options) ([]*log, error) {
	par := opts.Parallel
	if par <= 0 {
		par = runtime.GOMAXPROCS(0)
	}
	logs := make([]*log, len(inputs))
	errs := make([]error, len(inputs))
	sem := make(chan struct{}, par)
	var wg sync.WaitGroup
	for i, in := range inputs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			logs[i], errs[i] = load(ctx, in, opts.Normalizer, opts.Scan)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return logs, nil
}

// seq is a log as a sequence of dense key ids, counting lines only.
type seq struct {
	ids   []int32 // key id of each counting line
	lines []int32 // its line number
}

// pos returns the index in s of line number n, or of the first counting line after it.
func (s *seq) pos(n int) int {
	i, _ := slices.BinarySearch(s.lines, int32(n))
	return i
}

type comparison struct {
	opts      Options
	failing   *log
	baselines []*log
	f         seq
	b         []seq
	nIDs      int
	countF    []int32
	countB    [][]int32
	aligned   map[int][]match // by baseline index, computed on first use

	// Filled by compare.
	missing  []lineRef // baseline lines the failing run lacks
	added    []int     // failing line numbers of new lines
	ended    []endedEarly
	texts    []map[int]string   // [0] failing, [1+i] baseline i
	keys     map[string]string  // normalized keys of texts, computed once
	readings map[string]reading // what each line of a finding says (says.go), read once
	findings []Finding
}

// lineRef names a line of a baseline.
type lineRef struct {
	base int // baseline index
	idx  int // index in that baseline's seq
}

type endedEarly struct {
	base        int
	lastF       int // last failing line number that matched
	fromB, toB  int // baseline line numbers that never came
	missingTail int
}

func newComparison(failing *log, baselines []*log, opts Options) *comparison {
	c := &comparison{opts: opts, failing: failing, baselines: baselines, aligned: map[int][]match{}}
	idOf := make(map[uint64]int32, len(failing.keys))
	mk := func(l *log) seq {
		var s seq
		for i, k := range l.keys {
			if k == 0 {
				continue
			}
			id, ok := idOf[k]
			if !ok {
				id = int32(len(idOf))
				idOf[k] = id
			}
			s.ids = append(s.ids, id)
			s.lines = append(s.lines, int32(i+1))
		}
		l.keys = nil // the ids replace the hashes
		return s
	}
	c.f = mk(failing)
	for _, b := range baselines {
		c.b = append(c.b, mk(b))
	}
	c.nIDs = len(idOf)
	count := func(s seq) []int32 {
		n := make([]int32, c.nIDs)
		for _, id := range s.ids {
			n[id]++
		}
		return n
	}
	c.countF = count(c.f)
	for _, s := range c.b {
		c.countB = append(c.countB, count(s))
	}
	return c
}

func (c *comparison) alignment(base int) []match {
	if m, ok := c.aligned[base]; ok {
		return m
	}
	m := align(c.b[base].ids, c.f.ids)
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

// compare decides which lines are missing and new, and where the failing
// run ended early.
func (c *comparison) compare() {
	quorum := c.opts.Quorum
	if quorum == 0 {
		quorum = len(c.baselines)
	}
	// Missing: for each id, how many occurrences the failing run lacks.
	short := map[int32]int32{}
	for id := int32(0); int(id) < c.nIDs; id++ {
		if c.countB[0][id] == 0 && quorum == len(c.baselines) {
			continue // cheap exit: with a full quorum a missing line is in baseline 0
		}
		if need := c.need(id, quorum); need > c.countF[id] {
			short[id] = need - c.countF[id]
		}
	}
	// Place each missing occurrence on the baseline that has the line most
	// often (the first of those; it has at least the shortfall), at the
	// occurrences the alignment left unmatched.
	byBase := map[int]map[int32]int32{}
	for id, n := range short {
		best := 0
		for b := range c.b {
			if c.countB[b][id] > c.countB[best][id] {
				best = b
			}
		}
		if byBase[best] == nil {
			byBase[best] = map[int32]int32{}
		}
		byBase[best][id] = n
	}
	for b := range c.b {
		want := byBase[b]
		if len(want) == 0 {
			continue
		}
		matched := make([]bool, len(c.b[b].ids))
		for _, m := range c.alignment(b) {
			matched[m.a] = true
		}
		for i, id := range c.b[b].ids {
			if n := want[id]; n > 0 && !matched[i] {
				c.missing = append(c.missing, lineRef{b, i})
				want[id] = n - 1
			}
		}
		// Occurrences the alignment matched although the line is short:
		// take the last ones (rare; reordered output).
		for i := len(c.b[b].ids) - 1; i >= 0; i-- {
			id := c.b[b].ids[i]
			if n := want[id]; n > 0 && matched[i] {
				c.missing = append(c.missing, lineRef{b, i})
				want[id] = n - 1
			}
		}
	}
	slices.SortFunc(c.missing, func(x, y lineRef) int {
		if x.base != y.base {
			return x.base - y.base
		}
		return x.idx - y.idx
	})
	// New: lines of the failing run in no baseline.
	for i, id := range c.f.ids {
		if !c.inAnyBaseline(id) {
			c.added = append(c.added, int(c.f.lines[i]))
		}
	}
	c.detectEndedEarly()
}

// detectEndedEarly finds where the failing run stopped while a baseline it
// was placed against went on: after the failing run's last line that
// matched, the baseline holds many lines the failing run lacks.
func (c *comparison) detectEndedEarly() {
	bases := map[int]bool{}
	for _, m := range c.missing {
		bases[m.base] = true
	}
	for b := range c.b {
		if !bases[b] {
			continue
		}
		al := c.alignment(b)
		lastA, lastF := -1, 0
		if len(al) > 0 {
			last := al[len(al)-1]
			lastA, lastF = int(last.a), int(c.f.lines[last.b])
		}
		// The failing run must have nothing after its last match but new lines.
		tail := len(c.b[b].ids) - 1 - lastA
		missingTail := 0
		for _, m := range c.missing {
			if m.base == b && m.idx > lastA {
				missingTail++
			}
		}
		if lastA < 0 || tail < 10 || missingTail*2 < tail || float64(tail) < 0.02*float64(len(c.b[b].ids)) {
			continue
		}
		c.ended = append(c.ended, endedEarly{
			base: b, lastF: lastF,
			fromB: int(c.b[b].lines[lastA+1]), toB: c.baselines[b].lines,
			missingTail: missingTail,
		})
		// The finding stands for the tail: its missing lines are not listed one by one.
		kept := c.missing[:0]
		for _, m := range c.missing {
			if m.base != b || m.idx <= lastA {
				kept = append(kept, m)
			}
		}
		c.missing = kept
	}
}

// failingPos returns the failing line after which baseline b's line at
// index idx would have stood: the failing line matched to the nearest
// matched baseline line before it (0 when none).
func (c *comparison) failingPos(b, idx int) int {
	al := c.alignment(b)
	k, _ := slices.BinarySearchFunc(al, int32(idx), func(m match, v int32) int { return int(m.a - v) })
	if k == 0 {
		return 0
	}
	return int(c.f.lines[al[k-1].b])
}
