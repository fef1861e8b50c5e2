package logdiff

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// learnResidual masks, in every log, what varies between the passing runs
// and no rule knows (a random cluster name, a session id): it learns
// templates from the baselines' lines whose keys are not in every
// baseline, then re-keys those lines, in the baselines and the failing run,
// with the templates' variable positions masked. Lines every baseline has
// are left alone, and nothing is learned from the failing run. It needs two
// baselines or more: with one, every line would look volatile.
//
// The logs keep only hashes, so the residual lines are read again; only
// they are normalized a second time.
func learnResidual(logs []*log, norm *Normalizer, opts ScanOptions) (*Templates, error) {
	baselines := logs[1:]
	if len(baselines) < 2 {
		return nil, nil
	}
	in := map[uint64]int32{} // how many baselines hold each key
	for _, b := range baselines {
		seen := map[uint64]bool{}
		for _, k := range b.keys {
			if k != 0 && !seen[k] {
				seen[k] = true
				in[k]++
			}
		}
	}
	all := int32(len(baselines))
	residual := func(l *log) []int {
		var lines []int
		for i, k := range l.keys {
			if k != 0 && in[k] != all {
				lines = append(lines, i+1)
			}
		}
		return lines
	}
	want := make([][]int, len(logs))
	keys := make([][][]byte, len(logs))
	errs := make([]error, len(logs))
	var wg sync.WaitGroup
	for i, l := range logs {
		want[i] = residual(l)
		if len(want[i]) == 0 {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			keys[i], errs[i] = keysAt(l.in, norm, opts, want[i])
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	tm := LearnTemplates(keys[1:])
	var buf []byte
	for i, l := range logs {
		for j, n := range want[i] {
			var ok bool
			if buf, ok = tm.Mask(buf[:0], keys[i][j]); ok {
				l.keys[n-1] = hashKey(buf)
			}
		}
	}
	return tm, nil
}

// keysAt reads in again and returns the keys of the wanted lines (sorted).
func keysAt(in Input, norm *Normalizer, opts ScanOptions, want []int) ([][]byte, error) {
	rc, err := in.Open()
	if err != nil {
		return nil, fmt.Errorf("opening %s again: %w", in.Name, err)
	}
	defer rc.Close()
	out := make([][]byte, 0, len(want))
	k := 0
	errDone := errors.New("done")
	_, err = scanLines(rc, opts, func(n int, line []byte) error {
		if k == len(want) {
			return errDone
		}
		if want[k] == n {
			key, _ := norm.Key(nil, line)
			out = append(out, key)
			k++
		}
		return nil
	})
	if err != nil && err != errDone {
		return nil, fmt.Errorf("reading %s again: %w", in.Name, err)
	}
	if len(out) != len(want) {
		return nil, fmt.Errorf("reading %s again: it changed (%d of %d lines found)", in.Name, len(out), len(want))
	}
	return out, nil
}

// Learn learns templates from what varies between passing runs, as Diff
// does with two or more baselines, for display (logdiff normalize --learn).
func Learn(passing []Input, norm *Normalizer, opts ScanOptions) (*Templates, error) {
	if norm == nil {
		norm = NewNormalizer(nil)
	}
	logs := []*log{{}}
	for _, in := range passing {
		l, err := load(context.Background(), in, norm, opts)
		if err != nil {
			return nil, err
		}
		logs = append(logs, l)
	}
	return learnResidual(logs, norm, opts)
}

// LearnForRules learns templates from passing runs as Learn does, and
// returns those that mask, ready for rules (NewTemplates). A rule masks
// every line, where Diff masks only the lines not in every passing run:
// so that the rule leaves those lines as Diff does, the texts of their
// variable fields are added to the texts the template keeps (KeptIn; Kept
// is their union). Lines is still how many keys joined the template.
func LearnForRules(passing []Input, norm *Normalizer, opts ScanOptions) ([]Template, error) {
	if norm == nil {
		norm = NewNormalizer(nil)
	}
	logs := []*log{{}}
	for _, in := range passing {
		l, err := load(context.Background(), in, norm, opts)
		if err != nil {
			return nil, err
		}
		logs = append(logs, l)
	}
	// The lines of the first run whose keys every run has; learnResidual
	// changes the keys of the others.
	var common []int
	if len(logs) > 2 {
		in := map[uint64]int{}
		for _, l := range logs[1:] {
			seen := map[uint64]bool{}
			for _, k := range l.keys {
				if k != 0 && !seen[k] {
					seen[k] = true
					in[k]++
				}
			}
		}
		for i, k := range logs[1].keys {
			if k != 0 && in[k] == len(passing) {
				common = append(common, i+1)
			}
		}
	}
	tm, err := learnResidual(logs, norm, opts)
	if err != nil {
		return nil, err
	}
	var ts []Template
	for t := range tm.All() {
		if t.Masks && len(t.Variable) > 0 {
			ts = append(ts, t)
		}
	}
	if len(ts) == 0 || len(common) == 0 {
		return ts, nil
	}
	keys, err := keysAt(passing[0], norm, opts, common)
	if err != nil {
		return nil, err
	}
	rules := NewTemplates(ts)
	index := map[*template]int{}
	for i, tp := range rules.list {
		index[tp] = i // NewTemplates left none out: all have <*>
	}
	type fieldText struct {
		t, v int
		text string
	}
	added := map[fieldText]bool{}
	var sc scratch
	for _, k := range keys {
		tp, _ := rules.fit(k, &sc)
		if tp == nil {
			continue
		}
		t := &ts[index[tp]]
		v := -1
		for i, f := range tp.fields {
			if f.id != 0 && f.id != varToken {
				continue
			}
			v++
			ft := fieldText{index[tp], v, string(k[sc.fStart[i]:sc.fEnd[i]])}
			if !tp.masksField(i, &sc) || added[ft] {
				continue
			}
			added[ft] = true
			t.KeptIn[v] = append(t.KeptIn[v], ft.text)
			t.Kept = append(t.Kept, ft.text)
		}
	}
	return ts, nil
}
