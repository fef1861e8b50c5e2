package logdiff

import (
	"context"
	"errors"
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
// The logs keep only key ids, so the residual lines are read again (and
// checked to be what was compared): the baselines once to learn, streamed
// in run order into the learner, and every log once more to mask. Only the
// residual lines are normalized again, and none is held: memory is the
// templates and a few batches of keys, whatever the size of the logs.
func learnResidual(ctx context.Context, logs []*log, it *interner, norm *Normalizer, opts ScanOptions, par int) error {
	baselines := logs[1:]
	if len(baselines) < 2 {
		return nil
	}
	residual := residualIDs(baselines, it.len())
	tm, err := learnFrom(ctx, baselines, residual, norm, opts)
	if err != nil {
		return err
	}
	return maskLogs(ctx, logs, residual, it, tm, norm, opts, par)
}

// residualIDs marks the ids that some baseline lacks.
func residualIDs(baselines []*log, nIDs int) []bool {
	in := make([]int32, nIDs)   // how many baselines hold each id
	last := make([]int32, nIDs) // the last baseline (1-based) that counted it
	for bi, b := range baselines {
		for _, pg := range b.ids.pages {
			for _, id := range pg {
				if last[id] != int32(bi+1) {
					last[id] = int32(bi + 1)
					in[id]++
				}
			}
		}
	}
	residual := make([]bool, nIDs)
	for id, n := range in {
		residual[id] = n != int32(len(baselines))
	}
	return residual
}

// keyBatch holds keys end to end.
type keyBatch struct {
	text []byte
	ends []int32
	idx  []int32 // the index of each key's line among the counting lines
}

const keyBatchBytes = 256 << 10

func (kb *keyBatch) reset() {
	kb.text, kb.ends, kb.idx = kb.text[:0], kb.ends[:0], kb.idx[:0]
}

func (kb *keyBatch) each(fn func(idx int, key []byte)) {
	start := int32(0)
	for k, end := range kb.ends {
		fn(int(kb.idx[k]), kb.text[start:end])
		start = end
	}
}

// residualKeys reads l again and calls emit with batches of the keys of its
// residual lines, in order. With keeps, emit keeps each batch (it is not
// reused); else a batch is reused once emit returns.
func residualKeys(ctx context.Context, l *log, residual []bool, norm *Normalizer, opts ScanOptions, keeps bool, emit func(*keyBatch) error) error {
	kb := &keyBatch{}
	// The read passes fn the residual lines alone (the others are only
	// counted): i is the next counting line's index, j the next skipped
	// line's index in l.skip, idx the index of the line fn gets.
	i, j, idx := 0, 0, 0
	wants := func(n int) (bool, bool) {
		if j < l.skip.len() && int(l.skip.at(j)) == n {
			j++
			return false, true
		}
		idx = i
		i++
		return idx < l.len() && residual[l.id(idx)], true
	}
	err := l.rereadSome(ctx, opts, wants, func(n int, line []byte) error {
		var ok bool
		before := len(kb.text)
		kb.text, ok = norm.Key(kb.text, line)
		if !ok { // the line counted when it was compared: the text changed
			kb.text = kb.text[:before]
			return nil
		}
		kb.ends = append(kb.ends, int32(len(kb.text)))
		kb.idx = append(kb.idx, int32(idx))
		if len(kb.text) >= keyBatchBytes {
			if err := emit(kb); err != nil {
				return err
			}
			if keeps {
				kb = &keyBatch{}
			} else {
				kb.reset()
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(kb.ends) > 0 {
		return emit(kb)
	}
	return nil
}

// learnFrom learns templates from the residual lines of the baselines, in
// run order. Each baseline is read in a goroutine of its own into a short
// channel, so reading runs ahead of learning by a few batches at most.
func learnFrom(ctx context.Context, baselines []*log, residual []bool, norm *Normalizer, opts ScanOptions) (*Templates, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	chans := make([]chan *keyBatch, len(baselines))
	errs := make([]error, len(baselines))
	var wg sync.WaitGroup
	for r, b := range baselines {
		chans[r] = make(chan *keyBatch, 2)
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer close(chans[r])
			errs[r] = residualKeys(ctx, b, residual, norm, opts, true, func(kb *keyBatch) error {
				select {
				case chans[r] <- kb:
					return nil
				case <-ctx.Done():
					return ctx.Err()
				}
			})
		}()
	}
	tm := newTemplates(len(baselines))
	var sc scratch
	for r, ch := range chans {
		for kb := range ch {
			kb.each(func(_ int, key []byte) { tm.learn(r, key, &sc) })
		}
		if errs[r] != nil { // set before its channel closed
			break
		}
	}
	cancel()
	wg.Wait()
	for _, err := range errs {
		if err != nil && err != context.Canceled { // Canceled: stopped by the one that failed
			return nil, err
		}
	}
	tm.decide()
	return tm, nil
}

// maskLogs re-keys the residual lines of every log with tm's variable
// positions masked.
func maskLogs(ctx context.Context, logs []*log, residual []bool, it *interner, tm *Templates, norm *Normalizer, opts ScanOptions, par int) error {
	errs := make([]error, len(logs))
	sem := make(chan struct{}, par)
	var wg sync.WaitGroup
	for i, l := range logs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			var (
				buf []byte
				idx = make([]int32, 0, internBatch)
				hs  = make([]uint64, 0, internBatch)
				ids = make([]int32, internBatch)
			)
			flush := func() error {
				if err := it.ids(hs, ids); err != nil {
					return err
				}
				for k, i := range idx {
					l.ids.set(int(i), ids[k])
				}
				idx, hs = idx[:0], hs[:0]
				return nil
			}
			errs[i] = residualKeys(ctx, l, residual, norm, opts, false, func(kb *keyBatch) error {
				var err error
				kb.each(func(i int, key []byte) {
					var ok bool
					if buf, ok = tm.Mask(buf[:0], key); !ok || err != nil {
						return
					}
					idx = append(idx, int32(i))
					hs = append(hs, hashKey(buf))
					if len(hs) == internBatch {
						err = flush()
					}
				})
				return err
			})
			if errs[i] == nil {
				errs[i] = flush()
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Learn learns templates from what varies between passing runs, as Diff
// does with two or more baselines, for display (logdiff normalize --learn).
func Learn(ctx context.Context, passing []Input, norm *Normalizer, opts ScanOptions) (*Templates, error) {
	logs, residual, norm, err := loadPassing(ctx, passing, norm, opts)
	if err != nil || logs == nil {
		return nil, err
	}
	return learnFrom(ctx, logs, residual, norm, opts)
}

// loadPassing reads passing runs for learning: nil logs when there are
// fewer than two, nothing to learn from.
func loadPassing(ctx context.Context, passing []Input, norm *Normalizer, opts ScanOptions) ([]*log, []bool, *Normalizer, error) {
	if norm == nil {
		norm = NewNormalizer(nil)
	}
	if len(passing) < 2 {
		return nil, nil, norm, nil
	}
	it := newInterner()
	var logs []*log
	for _, in := range passing {
		l, err := load(ctx, in, norm, it, opts)
		if err != nil {
			return nil, nil, nil, err
		}
		logs = append(logs, l)
	}
	return logs, residualIDs(logs, it.len()), norm, nil
}

// LearnForRules learns templates from passing runs as Learn does, and
// returns those that mask, ready for rules (NewTemplates). A rule masks
// every line, where Diff masks only the lines not in every passing run:
// so that the rule leaves those lines as Diff does, the texts of their
// variable fields are added to the texts the template keeps (KeptIn; Kept
// is their union). Lines is still how many keys joined the template.
func LearnForRules(ctx context.Context, passing []Input, norm *Normalizer, opts ScanOptions) ([]Template, error) {
	logs, residual, norm, err := loadPassing(ctx, passing, norm, opts)
	if err != nil || logs == nil {
		return nil, err
	}
	tm, err := learnFrom(ctx, logs, residual, norm, opts)
	if err != nil {
		return nil, err
	}
	var ts []Template
	for t := range tm.All() {
		if t.Masks && len(t.Variable) > 0 {
			ts = append(ts, t)
		}
	}
	if len(ts) == 0 {
		return ts, nil
	}
	// The keys of the first run's lines that every run has (learning
	// leaves them alone): the lines that are not residual.
	common := make([]bool, len(residual))
	for id, r := range residual {
		common[id] = !r
	}
	var keys [][]byte
	err = residualKeys(ctx, logs[0], common, norm, opts, false, func(kb *keyBatch) error {
		kb.each(func(_ int, key []byte) { keys = append(keys, append([]byte(nil), key...)) })
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(keys) == 0 {
		return ts, nil
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
