package logdiff

import (
	"iter"
	"strings"
	"sync"
)

// Learned templates. The built-in masks know timestamps, ids and numbers;
// what they do not know (a random cluster name, a session id made of
// letters) still varies between passing runs of one job. LearnTemplates
// finds it the way the Drain log parser does: in one pass, each key goes
// down a tree whose first level is its number of fields (the runs of text
// between spaces), whose second is its first constant-looking field, and
// whose leaves hold templates. A key joins the most similar template of its
// leaf when at least learnSim of its fields are equal, and what differs
// becomes variable.
//
// Fields are split further at the bytes that separate values (= : , /
// quotes, brackets...) into sub-tokens, so that in --cluster=e2e-abc only
// the value varies. Where two fields have the same separators, the words
// that differ become variable; where their separators differ (a path one
// directory deeper), the whole field does. A masked key keeps the spacing
// and separators of the line: each variable word or field reads <*>.
//
// Not every text of a variable field is masked. The learner counts them,
// and Mask keeps those that are not values: with several runs, a text seen
// in two runs or more (it does not change from run to run); with one run,
// the texts of a field that takes only a few, each on several lines (VM
// Started, VM Stopped), unless they hold placeholders or month and day
// names.
//
// A status word (ok, PASS, FAILED, ERROR, true...) or a number after
// exit/status/code/rc/failures/errors never becomes variable: a key that
// differs there starts a template of its own, and Mask never replaces one,
// so that a flip stays visible.
//
// Bounds: a key is looked at in its first learnMaxFields fields and
// learnMaxSubs sub-tokens, the rest being one tail that must match exactly;
// a leaf holds at most learnLeafTemplates templates (a key that fits none
// and finds no room is left unlearned), and at most learnMaxValues texts
// are counted per field. Learning and masking are thus linear in the
// input, with at most learnLeafTemplates*(learnMaxFields+learnMaxSubs)
// comparisons per key. Maps serve lookups only, so the templates depend on
// the input and its order alone, never on map order.

const (
	// learnSim is the share of a key's fields that must equal the
	// template's for the key to join it (Drain's similarity threshold); a
	// field with some of its words equal counts in part.
	learnSim = 0.5
	// learnDepth is how many constant-looking fields choose the leaf: one
	// is as good as two on loghub, and a name early in the line (job
	// e2e-abc started) does not scatter the keys of a template.
	learnDepth = 1
	// learnLeafTemplates caps the templates of one leaf.
	learnLeafTemplates = 64
	// learnMaxValues caps the texts counted for a varying field.
	learnMaxValues = 32
	// With one run, a varying field that takes at most learnCategories
	// texts, each on learnCategoryLines lines on average, is a category
	// (VM Started, VM Stopped): its texts are kept, not masked.
	learnCategories    = 4
	learnCategoryLines = 3
	// learnMaxFields and learnMaxSubs cap the fields and sub-tokens of a
	// key; the rest of a longer key is one last field, its tail.
	learnMaxFields = 64
	learnMaxSubs   = 256

	// varToken marks a variable word or field in a template.
	varToken = ^uint32(0)
	// kindWord is a word in a field's shape; a separator is itself.
	kindWord = 'w'
)

// learnSep are the bytes that separate values inside a field. Not '.', '-'
// or '_', which join the parts of names, nor '<' and '>', which enclose
// placeholders.
var learnSep = func() (t [256]bool) {
	for _, c := range []byte("\t=:,;/\\\"'`()[]{}|@&?") {
		t[c] = true
	}
	return t
}()

// Templates are line templates learned from the keys of passing runs. They
// are immutable once learned and safe for concurrent use.
type Templates struct {
	ids     map[string]uint32 // interned texts of words, fields and shapes; ids start at 1
	strs    []string          // strs[id]
	oneWord uint32            // the id of the shape of a field that is one word
	leaves  map[string]*leaf
	list    []*template // in order of creation
	runs    int
	pool    sync.Pool // of *scratch, for Mask
	// float holds, by the first byte of their leaf's key (the number of
	// fields), the templates of NewTemplates a key of another leaf may fit
	// (see there); nil for learned templates.
	float map[byte][]*template
	// fieldCounts has bit n set when a template of NewTemplates has n
	// fields (and no tail).
	fieldCounts uint64
}

type leaf struct {
	temps []*template
}

type template struct {
	fields []tfield
	subs   []uint32 // sub-token ids of every field; 0 for a separator, varToken where variable
	prot   []bool   // a status word or status number is at this sub-token
	tail   bool     // the last field is a tail
	vars   int      // variable words and fields
	lit    int      // literal words outside variable fields, for choosing the most specific
	lines  int
	runs   int
	last   int // the last run that added a line
	// vals[i] counts the texts seen in field i once it is no longer
	// literal; nil until a field is.
	vals []fieldVals
}

// fieldVals counts the texts of a field that varies, to tell values that
// change from run to run (masked) from a few that recur (kept).
type fieldVals struct {
	vals []valCount
	many bool // more than learnMaxValues texts: some were not counted
	// keep is decided once learning ends: the texts Mask leaves as they are.
	keep []uint32
	all  bool // every text is kept: the field takes a few values only
}

type valCount struct {
	id                uint32
	lines, runs, last int32
}

// tfield is a field of a template.
type tfield struct {
	id    uint32 // the text when literal; 0 when some words vary; varToken when the whole field does
	shape uint32 // its kinds of sub-tokens, as an id
	off   int32  // its sub-tokens are subs[off:off+n]
	n     int32
	prot  bool // a status token is among its literal sub-tokens
}

// Template is a learned template, as LearnTemplates found it.
type Template struct {
	// Text is the template: a key with <*> at its variable positions.
	Text string
	// Variable holds the byte offset in Text of each <*>.
	Variable []int
	// Kept lists texts of the variable fields that Mask leaves as they
	// are: with more than one run, those seen in two runs or more; with one
	// run, every text of a field that takes only a few (VM Started, VM
	// Stopped).
	Kept []string
	// KeptIn lists them by field: KeptIn[i] are the texts kept in the i-th
	// field that holds a <*> (a field is what lies between spaces).
	KeptIn [][]string
	// Lines is how many keys joined it, Runs in how many runs.
	Lines, Runs int
	// Masks reports whether Mask replaces anything with it: with more than
	// one run, a template seen in one run alone masks nothing.
	Masks bool
}

// LearnTemplates learns templates from keys (as Normalizer.Key makes them)
// of one or more passing runs: keys[r] are the keys of run r, in the order
// of the run. A position of a template is variable if it differs between
// two keys of the template; with more than one run, a template masks only
// if keys of at least two runs joined it, and texts seen in two runs are
// kept (Template.Kept). Learning the same keys gives the same templates.
// The keys are not retained.
func LearnTemplates(keys [][][]byte) *Templates {
	t := newTemplates(len(keys))
	var sc scratch
	for run, rk := range keys {
		for _, k := range rk {
			t.learn(run, k, &sc)
		}
	}
	t.decide()
	return t
}

// newTemplates starts learning from runs runs: call learn with the keys of
// each run in order, then decide, as LearnTemplates does.
func newTemplates(runs int) *Templates {
	t := &Templates{
		ids:    map[string]uint32{},
		strs:   []string{""},
		leaves: map[string]*leaf{},
		runs:   runs,
	}
	t.oneWord = t.intern([]byte{0, kindWord}, true)
	return t
}

// decide ends learning: which texts of each variable field Mask keeps.
func (t *Templates) decide() {
	for _, tp := range t.list {
		tp.decide(t.runs, t.strs)
	}
}

// scratch holds one key split into fields and sub-tokens.
type scratch struct {
	fStart, fEnd []int32  // byte range of each field
	fSub         []int32  // index of each field's first sub-token, and one past the last
	fID, fShape  []uint32 // ids of each field's text and shape (0 when never learned)
	fProt        []bool   // a status token is in the field
	sEnd         []int32  // end of each sub-token; it starts where the one before ends, or at its field
	sID          []uint32 // id of each word sub-token; 0 for a separator
	sProt        []bool
	tail         bool // the last field is a tail
	shape        []byte
	leaf         []byte // the leaf's map key
	buf          []byte // Mask's second round
}

func (sc *scratch) fields() int { return len(sc.fStart) }

func (t *Templates) learn(run int, key []byte, sc *scratch) {
	t.split(key, sc, true)
	lf := t.leaves[string(sc.leaf)]
	if lf == nil {
		lf = &leaf{}
		t.leaves[string(sc.leaf)] = lf
	}
	var best *template
	bestSim := -1.0
	n := float64(sc.fields())
	maxLost := n * (1 - learnSim)
	for _, tp := range lf.temps {
		same, ok := t.similar(tp, sc, maxLost)
		if !ok {
			continue
		}
		sim := 1.0
		if n > 0 {
			sim = same / n
		}
		if sim > bestSim || sim == bestSim && tp.vars > best.vars {
			best, bestSim = tp, sim
		}
	}
	if best == nil || bestSim < learnSim {
		if len(lf.temps) >= learnLeafTemplates {
			return
		}
		best = t.newTemplate(sc)
		lf.temps = append(lf.temps, best)
		t.list = append(t.list, best)
	} else {
		t.merge(best, sc)
	}
	best.record(sc, run)
	best.lines++
	if best.last != run {
		best.last = run
		best.runs++
	}
}

// similar returns how many of the key's fields equal the template's, a
// field whose words partly do counting in part, and false if the key
// cannot join the template: its tail differs, a status token would become
// variable, or more than maxLost fields differ.
func (t *Templates) similar(tp *template, sc *scratch, maxLost float64) (float64, bool) {
	same, lost := 0.0, 0.0
	for i, f := range tp.fields {
		score := 0.0
		switch {
		case f.id == varToken:
			if sc.fProt[i] {
				return 0, false
			}
		case f.id == sc.fID[i]:
			score = 1
		case tp.tail && i == len(tp.fields)-1:
			return 0, false
		case f.shape == sc.fShape[i]:
			words, eq := 0, 0
			for j := range f.n {
				tid, kid := tp.subs[f.off+j], sc.sID[sc.fSub[i]+j]
				if kid == 0 {
					continue // a separator: equal, since the shapes are
				}
				words++
				switch tid {
				case kid:
					eq++
				case varToken:
					if sc.sProt[sc.fSub[i]+j] {
						return 0, false
					}
				default:
					if tp.prot[f.off+j] || sc.sProt[sc.fSub[i]+j] {
						return 0, false
					}
				}
			}
			if words > 0 {
				score = float64(eq) / float64(words)
			}
		default:
			if f.prot || sc.fProt[i] {
				return 0, false
			}
		}
		same += score
		if lost += 1 - score; lost > maxLost {
			return 0, false
		}
	}
	return same, true
}

func (t *Templates) newTemplate(sc *scratch) *template {
	tp := &template{
		fields: make([]tfield, sc.fields()),
		subs:   append([]uint32(nil), sc.sID...),
		prot:   append([]bool(nil), sc.sProt...),
		tail:   sc.tail,
		last:   -1,
	}
	star := t.ids["<*>"]
	for i := range tp.fields {
		f := &tp.fields[i]
		*f = tfield{id: sc.fID[i], shape: sc.fShape[i], off: sc.fSub[i], n: sc.fSub[i+1] - sc.fSub[i], prot: sc.fProt[i]}
		for j := f.off; j < f.off+f.n; j++ {
			switch tp.subs[j] {
			case 0:
			case star:
				if sc.tail && i == len(tp.fields)-1 {
					tp.lit++
					continue
				}
				// A key that was masked already: its <*> stays variable.
				if f.n == 1 {
					f.id = varToken
				} else {
					f.id = 0
					tp.subs[j] = varToken
				}
				tp.vars++
			default:
				tp.lit++
			}
		}
	}
	return tp
}

// merge makes variable what differs between the template and the key,
// which similar found able to join it.
func (t *Templates) merge(tp *template, sc *scratch) {
	for i := range tp.fields {
		f := &tp.fields[i]
		if f.id == varToken || f.id == sc.fID[i] {
			continue
		}
		if f.id != 0 {
			// The field stops being literal: every line so far had its text.
			if tp.vals == nil {
				tp.vals = make([]fieldVals, len(tp.fields))
			}
			tp.vals[i].vals = []valCount{{id: f.id, lines: int32(tp.lines), runs: int32(tp.runs), last: int32(tp.last)}}
		}
		if f.shape != sc.fShape[i] {
			for j := f.off; j < f.off+f.n; j++ {
				switch tp.subs[j] {
				case varToken:
					tp.vars--
				case 0:
				default:
					tp.lit--
				}
			}
			f.id = varToken
			tp.vars++
			continue
		}
		f.id = 0
		for j := range f.n {
			if tid := tp.subs[f.off+j]; tid != varToken && tid != sc.sID[sc.fSub[i]+j] {
				tp.subs[f.off+j] = varToken
				tp.vars++
				tp.lit--
			}
		}
	}
}

// record counts the texts of the key's fields where the template varies.
func (tp *template) record(sc *scratch, run int) {
	for i, f := range tp.fields {
		if f.id != 0 && f.id != varToken {
			continue
		}
		if tp.vals == nil {
			tp.vals = make([]fieldVals, len(tp.fields))
		}
		fv := &tp.vals[i]
		id := sc.fID[i]
		k := 0
		for k < len(fv.vals) && fv.vals[k].id != id {
			k++
		}
		switch {
		case k < len(fv.vals):
			v := &fv.vals[k]
			v.lines++
			if v.last != int32(run) {
				v.last = int32(run)
				v.runs++
			}
		case len(fv.vals) < learnMaxValues:
			fv.vals = append(fv.vals, valCount{id: id, lines: 1, runs: 1, last: int32(run)})
		default:
			fv.many = true
		}
	}
}

// decide chooses the texts of varying fields that Mask keeps. With more
// than one run, a text seen in two runs or more is stable: not a value that
// changes between runs. With one run, a field with a few recurring texts is
// a category whose texts are all kept.
func (tp *template) decide(runs int, strs []string) {
	for i := range tp.vals {
		fv := &tp.vals[i]
		if len(fv.vals) == 0 {
			continue
		}
		if runs > 1 {
			for _, v := range fv.vals {
				if v.runs >= 2 {
					fv.keep = append(fv.keep, v.id)
				}
			}
			continue
		}
		fv.all = !fv.many && len(fv.vals) <= learnCategories && tp.lines >= learnCategoryLines*len(fv.vals)
		for _, v := range fv.vals {
			if !fv.all {
				break
			}
			// Placeholders and the names of months and days are parts of
			// values, never a category.
			fv.all = strings.IndexByte(strs[v.id], '<') < 0 && !isCalendarWord(strs[v.id])
		}
	}
}

// kept reports whether Mask leaves the text id of field i as it is.
func (tp *template) kept(i int, id uint32) bool {
	if tp.vals == nil {
		return false
	}
	fv := &tp.vals[i]
	if fv.all {
		return true
	}
	for _, k := range fv.keep {
		if k == id && id != 0 {
			return true
		}
	}
	return false
}

// fits reports whether the key has the template's text at every literal
// position.
func (tp *template) fits(sc *scratch) bool {
	for i, f := range tp.fields {
		switch {
		case f.id == varToken || f.id != 0 && f.id == sc.fID[i]:
		case f.id != 0 || f.shape != sc.fShape[i]:
			return false
		default:
			for j := range f.n {
				if tid := tp.subs[f.off+j]; tid != varToken && tid != sc.sID[sc.fSub[i]+j] {
					return false
				}
			}
		}
	}
	return true
}

func (t *Templates) masks(tp *template) bool { return t.runs <= 1 || tp.runs >= 2 }

// Mask appends key to dst with the words or fields at the variable
// positions of its template replaced by <*>, and reports whether a template
// with variable positions fits the key. Of the templates that fit, the most
// specific is used; status tokens and kept texts are never replaced. A key
// no template fits is appended as it is. Masking a masked key changes
// nothing. A nil Templates masks nothing. dst must not overlap key.
func (t *Templates) Mask(dst, key []byte) ([]byte, bool) {
	if t == nil || len(t.list) == 0 {
		return append(dst, key...), false
	}
	sc, _ := t.pool.Get().(*scratch)
	if sc == nil {
		sc = new(scratch)
	}
	defer t.pool.Put(sc)
	start := len(dst)
	dst, ok, alone := t.mask(dst, key, sc)
	if !ok || alone {
		return dst, ok
	}
	// Where templates overlap, the masked key may fit a more general one:
	// mask again until nothing changes. Every round that changes the key
	// replaces sub-tokens other than <*> by <*>, so the rounds are bounded.
	for range learnMaxSubs + learnMaxFields {
		cur := dst[start:]
		sc.buf, _, _ = t.mask(sc.buf[:0], cur, sc)
		if string(sc.buf) == string(cur) {
			break
		}
		dst = append(dst[:start], sc.buf...)
	}
	return dst, true
}

// mask does one round of Mask. alone reports that a second round would
// change nothing: the template used is the only one of the key's leaf,
// and the masked key has the same leaf (its first constant-looking field
// is no variable position of the template, and no masked field looks
// constant) and the same status tokens (no status word that makes the
// number after it one was masked), so that the template masks it again to
// itself.
func (t *Templates) mask(dst, key []byte, sc *scratch) (_ []byte, ok, alone bool) {
	best, alone := t.fit(key, sc)
	if best == nil {
		return append(dst, key...), false, false
	}
	prev := int32(0)
	for i, f := range best.fields {
		s, e := sc.fStart[i], sc.fEnd[i]
		dst = append(dst, key[prev:s]...)
		prev = e
		switch {
		case (f.id == 0 || f.id == varToken) && best.kept(i, sc.fID[i]):
			dst = append(dst, key[s:e]...)
		case f.id == varToken && !sc.fProt[i]:
			dst = append(dst, "<*>"...)
			from := s
			for k := sc.fSub[i]; k < sc.fSub[i+1]; k++ {
				alone = alone && !isStatusWord(key[from:sc.sEnd[k]])
				from = sc.sEnd[k]
			}
		case f.id != 0:
			dst = append(dst, key[s:e]...)
		default:
			from := s
			for j := range f.n {
				k := sc.fSub[i] + j
				if best.subs[f.off+j] == varToken && !sc.sProt[k] {
					dst = append(dst, "<*>"...)
					alone = alone && !isStatusWord(key[from:sc.sEnd[k]])
				} else {
					dst = append(dst, key[from:sc.sEnd[k]]...)
				}
				from = sc.sEnd[k]
			}
		}
	}
	return append(dst, key[prev:]...), true, alone
}

// fit splits key into sc and returns the template Mask uses for it: the
// most specific that fits it, if it has variable positions; nil if none.
// alone reports that it is the only template of the key's leaf.
func (t *Templates) fit(key []byte, sc *scratch) (best *template, alone bool) {
	t.split(key, sc, false)
	if lf := t.leaves[string(sc.leaf)]; lf != nil {
		best = t.bestFit(lf.temps, sc)
		alone = len(lf.temps) == 1
	}
	if best == nil && t.float != nil {
		best, alone = t.bestFit(t.float[sc.leaf[0]], sc), false
	}
	if best == nil || best.vars == 0 {
		return nil, false
	}
	return best, alone
}

// masksField reports whether Mask changes field i of the key in sc, which
// tp fits.
func (tp *template) masksField(i int, sc *scratch) bool {
	f := tp.fields[i]
	switch {
	case f.id != 0 && f.id != varToken || tp.kept(i, sc.fID[i]):
		return false
	case f.id == varToken:
		return !sc.fProt[i]
	}
	for j := range f.n {
		if tp.subs[f.off+j] == varToken && !sc.sProt[sc.fSub[i]+j] {
			return true
		}
	}
	return false
}

// bestFit returns the most specific of temps that masks and fits the key
// in sc, the first of them on a tie; nil if none does.
func (t *Templates) bestFit(temps []*template, sc *scratch) *template {
	var best *template
	for _, tp := range temps {
		if (best == nil || tp.lit > best.lit) && t.masks(tp) && tp.fits(sc) {
			best = tp
		}
	}
	return best
}

// All yields the templates in the order they were first seen.
func (t *Templates) All() iter.Seq[Template] {
	return func(yield func(Template) bool) {
		if t == nil {
			return
		}
		var sb strings.Builder
		for _, tp := range t.list {
			sb.Reset()
			var vars []int
			for i, f := range tp.fields {
				if i > 0 {
					sb.WriteByte(' ')
				}
				switch f.id {
				case varToken:
					vars = append(vars, sb.Len())
					sb.WriteString("<*>")
				case 0:
					shape := t.strs[f.shape][1:]
					for j := range f.n {
						switch id := tp.subs[f.off+j]; id {
						case varToken:
							vars = append(vars, sb.Len())
							sb.WriteString("<*>")
						case 0:
							sb.WriteByte(shape[j])
						default:
							sb.WriteString(t.strs[id])
						}
					}
				default:
					sb.WriteString(t.strs[f.id])
				}
			}
			var kept []string
			var keptIn [][]string
			masks := false
			for i, f := range tp.fields {
				if f.id != 0 && f.id != varToken {
					continue
				}
				fv := &tp.vals[i]
				var in []string
				for _, v := range fv.vals {
					if tp.kept(i, v.id) {
						kept = append(kept, t.strs[v.id])
						in = append(in, t.strs[v.id])
					}
				}
				keptIn = append(keptIn, in)
				masks = masks || !fv.all
			}
			masks = masks && t.masks(tp)
			if !yield(Template{Text: sb.String(), Variable: vars, Kept: kept, KeptIn: keptIn, Lines: tp.lines, Runs: tp.runs, Masks: masks}) {
				return
			}
		}
	}
}

// split cuts key into fields and sub-tokens, filling sc. With add, texts
// are interned; without, a text never learned has id 0.
func (t *Templates) split(key []byte, sc *scratch, add bool) {
	sc.fStart, sc.fEnd, sc.fSub = sc.fStart[:0], sc.fEnd[:0], sc.fSub[:0]
	sc.fID, sc.fShape, sc.fProt = sc.fID[:0], sc.fShape[:0], sc.fProt[:0]
	sc.sEnd, sc.sID, sc.sProt = sc.sEnd[:0], sc.sID[:0], sc.sProt[:0]
	sc.tail = false
	statusCtx := false // a status word, then only : = ( or spaces since
	i := 0
	for {
		for i < len(key) && key[i] == ' ' {
			i++
		}
		if i == len(key) {
			break
		}
		s := i
		for i < len(key) && key[i] != ' ' {
			i++
		}
		subs := 0
		for j := s; j < i; j++ {
			if learnSep[key[j]] || j == s || learnSep[key[j-1]] {
				subs++
			}
		}
		if sc.fields() == learnMaxFields-1 || len(sc.sEnd)+subs > learnMaxSubs {
			// The tail: the rest of the key, one word.
			i = len(key)
			for i > s && key[i-1] == ' ' {
				i--
			}
			sc.tail = true
			statusCtx = false
		}
		sc.fStart = append(sc.fStart, int32(s))
		sc.fEnd = append(sc.fEnd, int32(i))
		sc.fSub = append(sc.fSub, int32(len(sc.sEnd)))
		sc.shape = append(sc.shape[:0], 0)
		prot := false
		for j := s; j < i; {
			b := j
			var id uint32
			p := false
			if learnSep[key[j]] && !sc.tail {
				sc.shape = append(sc.shape, key[j])
				j++
				switch key[b] {
				case ':', '=', '(':
				default:
					statusCtx = false
				}
			} else {
				if sc.tail {
					j = i
				}
				for j < i && !learnSep[key[j]] {
					j++
				}
				w := key[b:j]
				sc.shape = append(sc.shape, kindWord)
				if b > s || j < i {
					id = t.intern(w, add)
				} // else the word is the field, interned below
				p = !sc.tail && (isStatusToken(w) || statusCtx && hasDigit(w))
				statusCtx = !sc.tail && isStatusWord(w)
			}
			prot = prot || p
			sc.sEnd = append(sc.sEnd, int32(j))
			sc.sID = append(sc.sID, id)
			sc.sProt = append(sc.sProt, p)
		}
		fid := t.intern(key[s:i], add)
		shape := t.oneWord
		if len(sc.shape) != 2 || sc.shape[1] != kindWord {
			shape = t.intern(sc.shape, add)
		} else {
			sc.sID[len(sc.sID)-1] = fid
		}
		sc.fID = append(sc.fID, fid)
		sc.fShape = append(sc.fShape, shape)
		sc.fProt = append(sc.fProt, prot)
		if sc.tail {
			break
		}
	}
	sc.fSub = append(sc.fSub, int32(len(sc.sEnd)))

	// The leaf: the number of fields, then the position and text of the
	// first learnDepth fields that look constant.
	n := sc.fields()
	sc.leaf = append(sc.leaf[:0], byte(n))
	if sc.tail {
		sc.leaf[0] |= 0x80
	}
	d := 0
	for i := 0; i < n && d < learnDepth; i++ {
		if sc.tail && i == n-1 || !constantLooking(key[sc.fStart[i]:sc.fEnd[i]]) {
			continue
		}
		id := sc.fID[i]
		sc.leaf = append(sc.leaf, byte(i), byte(id>>24), byte(id>>16), byte(id>>8), byte(id))
		d++
	}
}

// constantLooking reports a field that is a plain word, maybe quoted or
// followed by punctuation: letters, '-' and '_' only. Fields with digits,
// placeholders, dots or separators inside are often values.
func constantLooking(f []byte) bool {
	for len(f) > 0 && strings.IndexByte("\"'([{", f[0]) >= 0 {
		f = f[1:]
	}
	for len(f) > 0 && strings.IndexByte("\"')]}:,;.!?(", f[len(f)-1]) >= 0 {
		f = f[:len(f)-1]
	}
	if len(f) == 0 {
		return false
	}
	for _, c := range f {
		if byteClass[c] != clAlpha && byteClass[c] != clHex && c != '-' {
			return false
		}
	}
	return true
}

func (t *Templates) intern(b []byte, add bool) uint32 {
	if id, ok := t.ids[string(b)]; ok || !add {
		return id
	}
	s := string(b)
	id := uint32(len(t.strs))
	t.ids[s] = id
	t.strs = append(t.strs, s)
	return id
}

func hasDigit(b []byte) bool {
	for _, c := range b {
		if isDigit(c) {
			return true
		}
	}
	return false
}

// isCalendarWord reports the English name of a month or a day of the week,
// in full or in three letters, as dates print them.
func isCalendarWord(w string) bool {
	if len(w) < 3 || len(w) > 9 {
		return false
	}
	l := strings.ToLower(w)
	for _, m := range calendarWords {
		if l == m || len(l) == 3 && l == m[:3] {
			return true
		}
	}
	return false
}

var calendarWords = [...]string{
	"january", "february", "march", "april", "may", "june", "july", "august", "september",
	"october", "november", "december", "monday", "tuesday", "wednesday", "thursday",
	"friday", "saturday", "sunday",
}
