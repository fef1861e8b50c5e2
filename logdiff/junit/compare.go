package junit

import (
	"cmp"
	"slices"
	"strings"
)

// Kind is what changed about a test between the baselines (passing runs)
// and the failing run.
type Kind uint8

const (
	// Flipped: passed in at least one baseline, fails or errors now.
	Flipped Kind = iota + 1
	// NewFailure: ran in no baseline (absent or skipped there), fails or
	// errors now.
	NewFailure
	// StillFailing: failed or errored in every baseline where it ran, and
	// now. Known breakage rather than news: for the caller to rank low or
	// leave out.
	StillFailing
	// DidNotRun: ran in the baselines (in Quorum of them), absent or
	// skipped now. One Change per group (suite) counts them all.
	DidNotRun
)

var kindNames = [...]string{"", "flipped", "new-failure", "still-failing", "did-not-run"}

func (k Kind) String() string {
	if int(k) < len(kindNames) && k > 0 {
		return kindNames[k]
	}
	return "unknown"
}

// Tally counts a test's statuses over the baselines.
type Tally struct {
	Passed, Failed, Errored, Skipped, Absent int
}

func (t *Tally) add(s Status) {
	switch s {
	case Passed:
		t.Passed++
	case Failed:
		t.Failed++
	case Errored:
		t.Errored++
	case Skipped:
		t.Skipped++
	default:
		t.Absent++
	}
}

// Ran is how many baselines ran the test.
func (t Tally) Ran() int { return t.Passed + t.Failed + t.Errored }

// Change is one test result that differs between the baselines and the
// failing run, or, for DidNotRun, all such tests of one group.
type Change struct {
	Kind Kind

	// Suite, Class and Name identify the test (see Case.ID); Group is its
	// Case.Group. A DidNotRun change names only its group: Suite is the
	// group's suite, Class and Name are empty.
	Suite, Class, Name string
	Group              string

	// Before is the test's usual status in the baselines: the most
	// frequent among the runs that ran it (ties go to passed, then
	// failed), or Skipped or Absent when none did. Baselines counts its
	// statuses there, summed over the tests of a DidNotRun change. Now is
	// its status in the failing run (for DidNotRun: Absent, or Skipped
	// when all Count tests were skipped).
	Before    Status
	Baselines Tally
	Now       Status

	// Message, Type, Text and TextCut come from the failing run's case
	// (see Case); File is the JUnit file it was read from.
	Message, Type, Text string
	TextCut             bool
	File                string

	// Flaky marks a Flipped test that also failed or errored in some
	// baseline, or that was itself rerun to a pass (Case.Flaky) there.
	Flaky bool

	// For DidNotRun: Count tests did not run, Skipped of them were
	// skipped (the rest absent); Names are the first of them, sorted.
	// Count is 1 for every other kind.
	Count, Skipped int
	Names          []string

	// Key is the change's key for grouping across jobs: the same test
	// failing in another job has the same key. It is built from the
	// suite, class and name, each through CompareOptions.Key.
	Key string
}

// CompareOptions set how Compare judges and names.
type CompareOptions struct {
	// Quorum is how many baselines must have run a test for its absence
	// in the failing run to count (DidNotRun); 0 or more than there are
	// baselines: all.
	Quorum int

	// Key normalizes suite, class and name for Change.Key (masking ids
	// and numbers, say); nil leaves them as they are.
	Key func(string) string

	// MaxNames bounds DidNotRun's Names (10).
	MaxNames int
}

// outcome is one test's merged result in one run.
type outcome struct {
	status Status
	c      *Case // the case that decided status
}

// worse orders statuses for merging duplicates within a run: a test that
// several files report (Ginkgo's per-process junit_NN.xml each report the
// suite's setup) is as bad as its worst report.
func worse(a, b Status) bool {
	rank := [...]int{Absent: 0, Skipped: 1, Passed: 2, Errored: 3, Failed: 4}
	return rank[a] > rank[b]
}

func index(cases []Case) map[string]outcome {
	m := make(map[string]outcome, len(cases))
	for i := range cases {
		c := &cases[i]
		id := c.ID()
		if o, ok := m[id]; !ok || worse(c.Status, o.status) {
			m[id] = outcome{c.Status, c}
		}
	}
	return m
}

// Compare returns the test results of the failing run that differ from
// the baselines', each run given as the cases of all its JUnit files (a
// test reported several times in one run counts as its worst report).
// The order is fixed: by kind, clean flips before flaky ones, then by
// suite, class and name. It costs O(T log T) for T distinct tests.
func Compare(baselines [][]Case, failing []Case, opts CompareOptions) []Change {
	n := len(baselines)
	quorum := opts.Quorum
	if quorum <= 0 || quorum > n {
		quorum = n
	}
	key := opts.Key
	if key == nil {
		key = func(s string) string { return s }
	}
	maxNames := opts.MaxNames
	if maxNames <= 0 {
		maxNames = 10
	}

	now := index(failing)
	base := make([]map[string]outcome, n)
	ids := map[string]*Case{} // every test, with a case that names it
	for i, b := range baselines {
		base[i] = index(b)
		for id, o := range base[i] {
			if _, ok := ids[id]; !ok {
				ids[id] = o.c
			}
		}
	}
	for id, o := range now {
		ids[id] = o.c
	}

	var out []Change
	type group struct {
		ch    *Change
		names []string
	}
	groups := map[string]*group{}
	for id, named := range ids {
		var t Tally
		flakyBefore := false
		for _, b := range base {
			o, ok := b[id]
			if !ok {
				t.add(Absent)
				continue
			}
			t.add(o.status)
			flakyBefore = flakyBefore || o.c.Flaky
		}
		o, ran := now[id]
		switch {
		case ran && o.status.Failing():
			ch := Change{
				Suite: named.Suite, Class: named.Class, Name: named.Name, Group: named.Group(),
				Before: usual(t), Baselines: t, Now: o.status,
				Message: o.c.Message, Type: o.c.Type, Text: o.c.Text, TextCut: o.c.TextCut, File: o.c.File,
				Count: 1,
			}
			switch {
			case t.Ran() == 0:
				ch.Kind = NewFailure
			case t.Passed == 0:
				ch.Kind = StillFailing
			default:
				ch.Kind = Flipped
				ch.Flaky = t.Failed+t.Errored > 0 || flakyBefore
			}
			ch.Key = "test: " + key(ch.Suite) + " / " + key(ch.Class) + " / " + key(ch.Name)
			out = append(out, ch)
		case (!ran || o.status == Skipped) && n > 0 && t.Ran() >= quorum:
			g := named.Group()
			gr := groups[g]
			if gr == nil {
				gr = &group{ch: &Change{Kind: DidNotRun, Group: g, Suite: named.Suite, Now: Skipped}}
				gr.ch.Key = "did not run: " + key(g)
				groups[g] = gr
			}
			ch := gr.ch
			ch.Count++
			if ran {
				ch.Skipped++
			} else {
				ch.Now = Absent
			}
			ch.Baselines.Passed += t.Passed
			ch.Baselines.Failed += t.Failed
			ch.Baselines.Errored += t.Errored
			ch.Baselines.Skipped += t.Skipped
			ch.Baselines.Absent += t.Absent
			gr.names = append(gr.names, named.Name)
		}
	}
	for _, gr := range groups {
		slices.Sort(gr.names)
		gr.ch.Names = slices.Clone(gr.names[:min(len(gr.names), maxNames)])
		gr.ch.Before = usual(gr.ch.Baselines)
		out = append(out, *gr.ch)
	}
	slices.SortFunc(out, func(a, b Change) int {
		return cmp.Or(
			cmp.Compare(a.Kind, b.Kind),
			boolCmp(a.Flaky, b.Flaky),
			strings.Compare(a.Group, b.Group),
			strings.Compare(a.Suite, b.Suite),
			strings.Compare(a.Class, b.Class),
			strings.Compare(a.Name, b.Name),
		)
	})
	return out
}

// usual is the most frequent status that ran, ties to passed then failed;
// Skipped or Absent when nothing ran.
func usual(t Tally) Status {
	switch {
	case t.Ran() == 0 && t.Skipped > 0:
		return Skipped
	case t.Ran() == 0:
		return Absent
	case t.Passed >= t.Failed && t.Passed >= t.Errored:
		return Passed
	case t.Failed >= t.Errored:
		return Failed
	}
	return Errored
}

func boolCmp(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}
