package logdiff

import (
	"iter"
	"strings"
)

// Learned templates. The built-in masks know timestamps, ids and numbers;
// what they do not know (a random cluster name, a session id made of
// letters) still varies between passing runs of one job. LearnTemplates
// finds it the way the Drain log parser does: keys are split into tokens
// and sorted, in one pass, into a tree whose first level is the token
// shape, whose second is the first few constant-looking words, and whose
// leaves hold templates. A key joins the most similar template of its leaf
// (enough of its words equal), and the word positions where they differ
// become variable (<*>). Masking a key replaces its words at the variable
// positions of the template it fits.
//
// Tokens are words and the separators between values (= : , / quotes,
// brackets...), each separator one token; a token carries the space before
// it, so a masked key reads like the line. Only words become variable: the
// separators and spacing of a template are fixed. A status word (ok, PASS,
// FAILED, ERROR, true...) or a number after exit/status/code/rc/failures/
// errors never becomes variable: a key that differs there starts a
// template of its own, so a flip stays visible.
//
// Bounds: a key is looked at in its first learnMaxTokens tokens, the rest
// being one token that must match exactly; a leaf holds at most
// learnLeafTemplates templates (a key that fits none and finds no room is
// left unlearned). Learning and masking are therefore linear in the input,
// with a constant factor of at most learnLeafTemplates*learnMaxTokens
// comparisons per key. Maps serve lookups only, so the templates depend on
// the input alone, never on map order.

const (
	// learnSim is the share of a key's words that must equal the
	// template's for the key to join it (Drain's similarity threshold).
	learnSim = 0.5
	// learnDepth is how many constant-looking words choose the leaf.
	learnDepth = 2
	// learnLeafTemplates caps the templates of one leaf.
	learnLeafTemplates = 64
	// learnMaxTokens caps the tokens of a key; the last one holds the rest.
	learnMaxTokens = 128

	varToken = ^uint32(0)
	// The kind of a token in a shape: a word, or the separator byte itself;
	// kindSpace is set when a space stands before the token.
	kindWord  = 'w'
	kindTail  = 'T'
	kindSpace = 0x80
)

// learnSep are the bytes that separate values. Not '.', '-' or '_', which
// join the parts of names, nor '<' and '>', which enclose placeholders.
var learnSep = func() (t [256]bool) {
	for _, c := range []byte("\t=:,;/\\\"'`()[]{}|@&?") {
		t[c] = true
	}
	return t
}()

// Templates are line templates learned from the keys of passing runs. They
// are immutable once learned and safe for concurrent use.
type Templates struct {
	ids    map[string]uint32 // interned token texts; ids start at 1
	strs   []string          // strs[id]
	leaves map[string]*leaf
	list   []*template // in order of creation
	runs   int
}

type leaf struct {
	shape []byte  // kind of each token
	words []int32 // positions of the word tokens
	tail  int32   // position of the tail token, or -1
	temps []*template
}

type template struct {
	leaf  *leaf
	toks  []uint32 // token ids; varToken at a variable position
	prot  []bool   // a status word or status number is at this position
	vars  int
	lines int
	runs  int
	last  int // the last run that added a line
}

// Template is a learned template, as LearnTemplates found it.
type Template struct {
	// Text is the template: a key with <*> at its variable positions.
	Text string
	// Variable holds the byte offset in Text of each <*>.
	Variable []int
	// Lines is how many keys joined it, Runs in how many runs.
	Lines, Runs int
	// Masks reports whether Mask uses it: with more than one run, a
	// template seen in one run alone masks nothing.
	Masks bool
}

// LearnTemplates learns templates from keys (as Normalizer.Key makes them)
// of one or more passing runs: keys[r] are the keys of run r, in the order
// of the run. A position of a template is variable if it differs between
// two keys of the template; with more than one run, a template masks only
// if keys of at least two runs joined it. Learning the same keys gives the
// same templates.
func LearnTemplates(keys [][][]byte) *Templates {
	t := &Templates{
		ids:    map[string]uint32{},
		strs:   []string{""},
		leaves: map[string]*leaf{},
		runs:   len(keys),
	}
	var sc scratch
	for run, rk := range keys {
		for _, k := range rk {
			t.learn(run, k, &sc)
		}
	}
	return t
}

// scratch holds one key split into tokens.
type scratch struct {
	ends  []int32 // token i is key[ends[i-1]:ends[i]] (the first from 0)
	ids   []uint32
	prot  []bool
	shape []byte
	leaf  []byte // the leaf's map key: shape, then the branch words
	words int
}

func (t *Templates) learn(run int, key []byte, sc *scratch) {
	t.split(key, sc, true)
	lf := t.leaves[string(sc.leaf)]
	if lf == nil {
		lf = &leaf{shape: append([]byte(nil), sc.shape...), tail: -1}
		for i, k := range sc.shape {
			switch k &^ kindSpace {
			case kindWord:
				lf.words = append(lf.words, int32(i))
			case kindTail:
				lf.tail = int32(i)
			}
		}
		t.leaves[string(sc.leaf)] = lf
	}
	var best *template
	bestSim, bestVars := -1.0, -1
	maxDiff := int(float64(len(lf.words)) * (1 - learnSim))
	for _, tp := range lf.temps {
		same, ok := tp.similar(sc, maxDiff)
		if !ok {
			continue
		}
		sim := 1.0
		if len(lf.words) > 0 {
			sim = float64(same) / float64(len(lf.words))
		}
		if sim > bestSim || sim == bestSim && tp.vars > bestVars {
			best, bestSim, bestVars = tp, sim, tp.vars
		}
	}
	if best == nil || bestSim < learnSim {
		if len(lf.temps) >= learnLeafTemplates {
			return
		}
		best = &template{leaf: lf, toks: append([]uint32(nil), sc.ids...), prot: append([]bool(nil), sc.prot...), last: -1}
		star := t.ids["<*>"]
		for _, p := range lf.words {
			if star != 0 && sc.ids[p] == star {
				best.toks[p] = varToken // a key that was masked already
				best.vars++
			}
		}
		lf.temps = append(lf.temps, best)
		t.list = append(t.list, best)
	} else {
		for _, p := range lf.words {
			if best.toks[p] != varToken && best.toks[p] != sc.ids[p] {
				best.toks[p] = varToken
				best.vars++
			}
		}
	}
	best.lines++
	if best.last != run {
		best.last = run
		best.runs++
	}
}

// similar returns how many words of the key equal the template's, and
// false if the key cannot join it: its tail differs, a status token would
// become variable, or more than maxDiff words differ.
func (tp *template) similar(sc *scratch, maxDiff int) (int, bool) {
	lf := tp.leaf
	if lf.tail >= 0 && tp.toks[lf.tail] != sc.ids[lf.tail] {
		return 0, false
	}
	same, diff := 0, 0
	for _, p := range lf.words {
		switch tp.toks[p] {
		case sc.ids[p]:
			same++
		case varToken:
			if sc.prot[p] {
				return 0, false
			}
		default:
			if tp.prot[p] || sc.prot[p] {
				return 0, false
			}
			if diff++; diff > maxDiff {
				return 0, false
			}
		}
	}
	return same, true
}

// fits reports whether the key has the template's words at every literal
// position (and the same tail).
func (tp *template) fits(sc *scratch) bool {
	lf := tp.leaf
	if lf.tail >= 0 && tp.toks[lf.tail] != sc.ids[lf.tail] {
		return false
	}
	for _, p := range lf.words {
		if id := tp.toks[p]; id != varToken && id != sc.ids[p] {
			return false
		}
	}
	return true
}

func (t *Templates) masks(tp *template) bool { return t.runs <= 1 || tp.runs >= 2 }

// Mask appends key to dst with the words at the variable positions of its
// template replaced by <*>, and reports whether a template with variable
// positions fits the key. Of the templates that fit, the one with the
// fewest variable positions is used; status tokens are never replaced. A
// nil Templates masks nothing. Masking a masked key changes nothing.
func (t *Templates) Mask(dst, key []byte) ([]byte, bool) {
	if t == nil || len(t.list) == 0 {
		return append(dst, key...), false
	}
	var sc scratch
	var ends [32]int32
	var ids [32]uint32
	var prot [32]bool
	var shape, lk [64]byte
	sc.ends, sc.ids, sc.prot, sc.shape, sc.leaf = ends[:0], ids[:0], prot[:0], shape[:0], lk[:0]
	t.split(key, &sc, false)
	lf := t.leaves[string(sc.leaf)]
	if lf == nil {
		return append(dst, key...), false
	}
	var best *template
	for _, tp := range lf.temps {
		if (best == nil || tp.vars < best.vars) && t.masks(tp) && tp.fits(&sc) {
			best = tp
		}
	}
	if best == nil || best.vars == 0 {
		return append(dst, key...), false
	}
	start := int32(0)
	for i, end := range sc.ends {
		if best.toks[i] != varToken || sc.prot[i] {
			dst = append(dst, key[start:end]...)
		} else {
			if sc.shape[i]&kindSpace != 0 {
				dst = append(dst, ' ')
			}
			dst = append(dst, "<*>"...)
		}
		start = end
	}
	return dst, true
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
			for i, k := range tp.leaf.shape {
				if k&kindSpace != 0 {
					sb.WriteByte(' ')
				}
				switch {
				case tp.toks[i] == varToken:
					vars = append(vars, sb.Len())
					sb.WriteString("<*>")
				case k&^kindSpace == kindWord || k&^kindSpace == kindTail:
					sb.WriteString(t.strs[tp.toks[i]])
				case k&^kindSpace != ' ':
					sb.WriteByte(k &^ kindSpace)
				}
			}
			if !yield(Template{Text: sb.String(), Variable: vars, Lines: tp.lines, Runs: tp.runs, Masks: t.masks(tp)}) {
				return
			}
		}
	}
}

// split cuts key into tokens, filling sc: their ends, ids (interned when
// add is set, else 0 for a text never learned), status flags, shape and
// leaf key.
func (t *Templates) split(key []byte, sc *scratch, add bool) {
	sc.ends, sc.ids, sc.prot, sc.shape = sc.ends[:0], sc.ids[:0], sc.prot[:0], sc.shape[:0]
	sc.words = 0
	statusCtx := false // a status word, then only : = ( since
	for i := 0; i < len(key); {
		s := i
		space := key[i] == ' '
		if space {
			i++
		}
		var kind byte
		switch {
		case len(sc.ends) == learnMaxTokens-1:
			kind, i = kindTail, len(key)
		case i == len(key) || key[i] == ' ':
			kind = ' ' // a space alone
		case learnSep[key[i]]:
			kind = key[i]
			i++
		default:
			for i < len(key) && key[i] != ' ' && !learnSep[key[i]] {
				i++
			}
			kind = kindWord
		}
		body := key[s:i]
		if space && kind != ' ' {
			body = body[1:]
		}
		prot := false
		switch kind {
		case kindWord:
			sc.words++
			prot = isStatusToken(body) || statusCtx && hasDigit(body)
			statusCtx = isStatusWord(body)
		case ':', '=', '(', ' ':
		default:
			statusCtx = false
		}
		var id uint32
		if kind == kindWord || kind == kindTail {
			id = t.intern(body, add)
		}
		if space {
			kind |= kindSpace
		}
		sc.ends = append(sc.ends, int32(i))
		sc.ids = append(sc.ids, id)
		sc.prot = append(sc.prot, prot)
		sc.shape = append(sc.shape, kind)
	}
	// The leaf key: the shape, then the position and id of the first
	// learnDepth words that look constant (no digit, no placeholder).
	sc.leaf = append(sc.leaf[:0], sc.shape...)
	sc.leaf = append(sc.leaf, 0)
	n := 0
	start := int32(0)
	for i, k := range sc.shape {
		if n == learnDepth {
			break
		}
		body := key[start:sc.ends[i]]
		start = sc.ends[i]
		if k&^kindSpace != kindWord {
			continue
		}
		if k&kindSpace != 0 {
			body = body[1:]
		}
		if hasDigit(body) || strings.IndexByte(string(body), '<') >= 0 {
			continue
		}
		id := sc.ids[i]
		sc.leaf = append(sc.leaf, byte(i), byte(id>>24), byte(id>>16), byte(id>>8), byte(id))
		n++
	}
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

// isStatusToken reports a word that states an outcome: ok, PASS, FAILED,
// ERROR, SUCCESS, true, false... (any case, with a trailing ! or .).
func isStatusToken(w []byte) bool {
	for len(w) > 0 && (w[len(w)-1] == '!' || w[len(w)-1] == '.') {
		w = w[:len(w)-1]
	}
	if len(w) < 2 || len(w) > 12 {
		return false
	}
	var buf [12]byte
	for i, c := range w {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	l := buf[:len(w)]
	if passWords[string(l)] || failWords[string(l)] {
		return true
	}
	switch string(l) {
	case "errors", "failures", "failing", "passing", "succeed", "successfully", "cancelled", "canceled",
		"unsuccessful", "pending", "running", "exited", "terminated", "oomkilled", "yes", "no":
		return true
	}
	return false
}
