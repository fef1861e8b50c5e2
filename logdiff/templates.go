package logdiff

import "bytes"

// Templates from their texts: what a team keeps of the learned templates
// (logdiff normalize --learn -o rules writes them as rules of kind
// template), to mask with one baseline what two or more would have taught.

// NewTemplates builds Templates from template texts as Template.Text
// writes them (a key with <*> at its variable positions), each with the
// texts its variable fields keep: KeptIn, one list per field that holds a
// <*> or one list for every such field; when KeptIn is nil or does not
// have a list per field, Kept, for every field. The other fields of a
// Template are not used, and a text without <*> masks nothing and is left
// out. Every template masks.
//
// Mask then does with them what it does with the learned templates of the
// same texts and kept texts: for a key a learned template masks, the
// result is the same. A text carries less than a learned template, so
// some keys no learned template masks are masked too:
//   - a <*> that is a whole field stands for any field, also where the
//     learned template had one word (no separators) there;
//   - a key is looked up, as with learned templates, among the templates of
//     its leaf (its number of fields and first constant-looking field, see
//     split); when none there fits, also among the templates of its number
//     of fields whose <*> before their first constant-looking field may
//     stand for the key's (<*> started fits "bravo started", whose leaf is
//     "bravo"). Learned templates never do: their keys share a leaf.
//
// Building is linear in the texts; masking a key looks at most at the
// templates of its number of fields.
func NewTemplates(ts []Template) *Templates {
	t := newTemplates(0) // one run: every template masks
	var sc scratch
	for _, tm := range ts {
		t.split([]byte(tm.Text), &sc, true)
		tp := t.newTemplate(&sc)
		if tp.vars == 0 {
			// It would mask nothing, and as the most specific template of
			// a key it would keep the others from masking it.
			continue
		}
		nvar := 0
		for _, f := range tp.fields {
			if f.id == 0 || f.id == varToken {
				nvar++
			}
		}
		keepIn := tm.KeptIn
		if len(keepIn) != nvar && len(keepIn) != 1 {
			keepIn = [][]string{tm.Kept}
		}
		tp.vals = make([]fieldVals, len(tp.fields))
		v := 0
		for i, f := range tp.fields {
			if f.id != 0 && f.id != varToken {
				continue
			}
			fv := &tp.vals[i]
			for _, k := range keepIn[min(v, len(keepIn)-1)] {
				id := t.intern([]byte(k), true)
				fv.keep = append(fv.keep, id)
				// All lists the kept texts from the counts.
				fv.vals = append(fv.vals, valCount{id: id, runs: 2})
			}
			v++
		}
		lf := t.leaves[string(sc.leaf)]
		if lf == nil {
			lf = &leaf{}
			t.leaves[string(sc.leaf)] = lf
		}
		lf.temps = append(lf.temps, tp)
		t.list = append(t.list, tp)
		if n := sc.leaf[0]; n < 64 {
			t.fieldCounts |= 1 << n
		} else {
			t.fieldCounts = ^uint64(0) // a tail: fieldsMayFit lets every key through
		}
		if floats(tp, &sc) {
			if t.float == nil {
				t.float = map[byte][]*template{}
			}
			t.float[sc.leaf[0]] = append(t.float[sc.leaf[0]], tp)
		}
	}
	return t
}

// floats reports whether a key of another leaf than the template's may fit
// it: a variable field stands before the field that chose the leaf (or
// there is none), and the key's text there may look constant and choose
// the key's leaf instead. sc holds the template's text, split.
func floats(tp *template, sc *scratch) bool {
	end := len(tp.fields)
	if len(sc.leaf) > 1 {
		end = int(sc.leaf[1])
	}
	for _, f := range tp.fields[:end] {
		if f.id == 0 || f.id == varToken {
			return true
		}
	}
	return false
}

// fieldsMayFit reports whether a key of Normalizer.Key (single spaces,
// none at its ends) has as many fields as a template of NewTemplates: a
// key that has not fits none. It counts the spaces of the key, which is
// much cheaper than looking for the templates' texts in it.
func (t *Templates) fieldsMayFit(key []byte) bool {
	if t.fieldCounts == ^uint64(0) {
		return true
	}
	n := bytes.Count(key, []byte{' '}) + 1
	return n < 64 && t.fieldCounts&(1<<n) != 0
}
