package logdiff

import (
	"slices"
	"unicode/utf8"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// Alignment places findings; it does not decide them (the multiset counts
// do). It pairs equal lines of two sequences of key ids in order:
//
//  1. common prefix and suffix are matched;
//  2. a window small enough (maxWindow lines a side) is diffed exactly with
//     go-diff's Myers implementation, with its timeout off: a timeout makes
//     it answer "everything deleted", and the window bound is what keeps the
//     time in check (O(maxWindow²) per window);
//  3. a larger window is split at anchors: lines that occur exactly once on
//     each side, kept in the longest increasing run (patience diff),
//     O(n log n); a large window without anchors stays unmatched.
//
// So the whole alignment is O(n log n) plus O(maxWindow²) per small window,
// and reordered or wholly different input cannot make it quadratic.

const maxWindow = 2000

type match struct{ a, b int32 }

func align(a, b []int32) []match {
	var out []match
	type window struct{ a0, a1, b0, b1 int32 }
	stack := []window{{0, int32(len(a)), 0, int32(len(b))}}
	for len(stack) > 0 {
		w := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for w.a0 < w.a1 && w.b0 < w.b1 && a[w.a0] == b[w.b0] {
			out = append(out, match{w.a0, w.b0})
			w.a0++
			w.b0++
		}
		for w.a0 < w.a1 && w.b0 < w.b1 && a[w.a1-1] == b[w.b1-1] {
			w.a1--
			w.b1--
			out = append(out, match{w.a1, w.b1})
		}
		if w.a0 == w.a1 || w.b0 == w.b1 {
			continue
		}
		if w.a1-w.a0 <= maxWindow && w.b1-w.b0 <= maxWindow {
			out = myers(out, a[w.a0:w.a1], b[w.b0:w.b1], w.a0, w.b0)
			continue
		}
		anchors := uniqueAnchors(a[w.a0:w.a1], b[w.b0:w.b1])
		if len(anchors) == 0 {
			// No line is unique (a log of one repeated template): diff the
			// window in diagonal blocks, which places lines well when the
			// runs are alike and costs O(n·maxWindow) when they are not.
			out = diagonal(out, a, b, w.a0, w.a1, w.b0, w.b1)
			continue
		}
		pa, pb := w.a0, w.b0
		for _, m := range anchors {
			m.a += w.a0
			m.b += w.b0
			out = append(out, m)
			stack = append(stack, window{pa, m.a, pb, m.b})
			pa, pb = m.a+1, m.b+1
		}
		stack = append(stack, window{pa, w.a1, pb, w.b1})
	}
	slices.SortFunc(out, func(x, y match) int { return int(x.a - y.a) })
	return out
}

// diagonal diffs a[a0:a1] against b[b0:b1] as pairs of proportional blocks
// of at most maxWindow lines a side.
func diagonal(out []match, a, b []int32, a0, a1, b0, b1 int32) []match {
	n := max(a1-a0, b1-b0)
	blocks := (n + maxWindow - 1) / maxWindow
	for k := int32(0); k < blocks; k++ {
		as, ae := a0+(a1-a0)*k/blocks, a0+(a1-a0)*(k+1)/blocks
		bs, be := b0+(b1-b0)*k/blocks, b0+(b1-b0)*(k+1)/blocks
		if ae > as && be > bs {
			out = myers(out, a[as:ae], b[bs:be], as, bs)
		}
	}
	return out
}

// uniqueAnchors returns the pairs of lines unique on both sides, in the
// longest run increasing on both sides.
func uniqueAnchors(a, b []int32) []match {
	type seen struct {
		na, nb int32
		pa, pb int32
	}
	m := make(map[int32]*seen, len(a))
	for i, id := range a {
		s := m[id]
		if s == nil {
			s = &seen{}
			m[id] = s
		}
		s.na++
		s.pa = int32(i)
	}
	for i, id := range b {
		if s := m[id]; s != nil {
			s.nb++
			s.pb = int32(i)
		}
	}
	var cand []match
	for i, id := range a {
		if s := m[id]; s.na == 1 && s.nb == 1 {
			cand = append(cand, match{int32(i), s.pb})
		}
	}
	return lis(cand)
}

// lis returns the longest subsequence of cand (sorted by a) increasing in b.
func lis(cand []match) []match {
	if len(cand) == 0 {
		return nil
	}
	tails := []int{}               // tails[k]: index in cand of the smallest tail of a run of length k+1
	prev := make([]int, len(cand)) // predecessor links
	for i, c := range cand {
		k, _ := slices.BinarySearchFunc(tails, c.b, func(t int, v int32) int { return int(cand[t].b - v) })
		if k > 0 {
			prev[i] = tails[k-1]
		} else {
			prev[i] = -1
		}
		if k == len(tails) {
			tails = append(tails, i)
		} else {
			tails[k] = i
		}
	}
	out := make([]match, len(tails))
	for k, i := len(tails)-1, tails[len(tails)-1]; k >= 0; k, i = k-1, prev[i] {
		out[k] = cand[i]
	}
	return out
}

// myers diffs a small window exactly and appends its matches, offset by a0, b0.
func myers(out []match, a, b []int32, a0, b0 int32) []match {
	// go-diff works on runes; give each id of the window a rune of its own
	// below the surrogate range.
	ids := make(map[int32]rune, len(a)+len(b))
	toRunes := func(s []int32) []rune {
		r := make([]rune, len(s))
		for i, id := range s {
			x, ok := ids[id]
			if !ok {
				x = rune(0x100 + len(ids))
				ids[id] = x
			}
			r[i] = x
		}
		return r
	}
	ra, rb := toRunes(a), toRunes(b)
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0
	i, j := a0, b0
	for _, d := range dmp.DiffMainRunes(ra, rb, false) {
		n := int32(utf8.RuneCountInString(d.Text))
		switch d.Type {
		case diffmatchpatch.DiffEqual:
			for k := int32(0); k < n; k++ {
				out = append(out, match{i + k, j + k})
			}
			i += n
			j += n
		case diffmatchpatch.DiffDelete:
			i += n
		case diffmatchpatch.DiffInsert:
			j += n
		}
	}
	return out
}
