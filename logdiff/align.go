package logdiff

import (
	"math"
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
//     O(n log n);
//  4. a large window without anchors (a log of one repeated template, a
//     test suite run twice) first loses the lines whose key the other side
//     of the window lacks, which no alignment could pair (the failing run's
//     thousand lines of one error); if what is left is small it is diffed
//     exactly, else aligned greedily: Myers' forward search, bounded to
//     greedyMaxD edits, keeps the path that got furthest and starts again
//     from its end, O(greedyMaxD) per line. Where the runs are alike this
//     is their exact diff; where they are not, lines are paired somewhere
//     plausible, and where the failing run stopped early its tail is left
//     unpaired, so that it ends early.
//
// So the whole alignment is O(n log n) plus O(maxWindow²) per small window
// plus O(n·greedyMaxD), and reordered or wholly different input cannot make
// it quadratic. Its result is an []int32 by baseline line: the failing line
// paired with it, or -1 (4 bytes a baseline line); its scratch is 6 bytes
// per distinct key plus 16 bytes per anchor candidate of the largest window
// (or 4 bytes per line of the largest window without anchors that loses
// lines).

const (
	maxWindow  = 2000
	greedyMaxD = 64
)

// aligner holds the scratch of alignments over one set of key ids.
type aligner struct {
	cntA, cntB []uint8 // occurrences of each id in the window, up to 2
	posB       []int32 // the last index of each id in b's window
	ca, cb     []int32 // anchor candidates
	prev, tail []int32 // their longest increasing run
	pa, pb     []int32 // the lines of a window without anchors that may pair
	v, trace   []int   // greedy's Myers state
}

// span is part of a log's counting lines: lines off..off+n-1, or, with pos,
// lines pos[0..n-1].
type span struct {
	l   *log
	off int
	n   int
	pos []int32
}

func (s span) idx(i int) int {
	if s.pos != nil {
		return int(s.pos[i])
	}
	return s.off + i
}

func (s span) id(i int) int32 { return s.l.id(s.idx(i)) }

func newAligner(nIDs int) *aligner {
	return &aligner{cntA: make([]uint8, nIDs), cntB: make([]uint8, nIDs), posB: make([]int32, nIDs)}
}

// frame is a window of the alignment: a[a0:a1] against b[b0:b1]. Once its
// anchors are placed, pa and pb walk its gaps.
type frame struct {
	a0, a1, b0, b1 int
	anchored       bool
	pa, pb         int
}

// align returns, for each counting line of a, the index of the counting
// line of b it is paired with, or -1.
func (al *aligner) align(a, b *log) []int32 {
	m := make([]int32, a.len())
	for i := range m {
		m[i] = -1
	}
	// Windows nest: the stack holds one frame per level, and a frame walks
	// its gaps one at a time, so it stays as deep as the nesting, not as
	// long as the anchors.
	stack := []frame{{a0: 0, a1: a.len(), b0: 0, b1: b.len()}}
	for len(stack) > 0 {
		f := stack[len(stack)-1]
		if !f.anchored {
			stack = stack[:len(stack)-1]
			for f.a0 < f.a1 && f.b0 < f.b1 && a.id(f.a0) == b.id(f.b0) {
				m[f.a0] = int32(f.b0)
				f.a0++
				f.b0++
			}
			for f.a0 < f.a1 && f.b0 < f.b1 && a.id(f.a1-1) == b.id(f.b1-1) {
				f.a1--
				f.b1--
				m[f.a1] = int32(f.b1)
			}
			if f.a0 == f.a1 || f.b0 == f.b1 {
				continue
			}
			if f.a1-f.a0 <= maxWindow && f.b1-f.b0 <= maxWindow {
				myers(m, span{l: a, off: f.a0, n: f.a1 - f.a0}, span{l: b, off: f.b0, n: f.b1 - f.b0})
				continue
			}
			if !al.anchors(m, a, b, f.a0, f.a1, f.b0, f.b1) {
				sa, sb := al.pairable(a, b, f.a0, f.a1, f.b0, f.b1)
				switch {
				case sa.n == 0 || sb.n == 0:
				case sa.n <= maxWindow && sb.n <= maxWindow:
					myers(m, sa, sb)
				default:
					al.greedy(m, sa, sb)
				}
				continue
			}
			f.anchored, f.pa, f.pb = true, f.a0, f.b0
			stack = append(stack, f)
		}
		// The next gap: from where the last one ended to the next anchor
		// (or the window's end). Anchors are the only pairs in a window
		// until its gaps are aligned, each after the walk passed it.
		top := &stack[len(stack)-1]
		i := top.pa
		for i < top.a1 && m[i] < 0 {
			i++
		}
		g := frame{a0: top.pa, a1: i, b0: top.pb, b1: top.b1}
		if i < top.a1 {
			g.b1 = int(m[i])
			top.pa, top.pb = i+1, int(m[i])+1
		} else {
			stack = stack[:len(stack)-1]
		}
		if g.a0 < g.a1 && g.b0 < g.b1 {
			stack = append(stack, g)
		}
	}
	return m
}

// anchors pairs the lines of a window unique on both sides that form the
// longest run increasing on both sides, and reports whether there was one.
func (al *aligner) anchors(m []int32, a, b *log, a0, a1, b0, b1 int) bool {
	for i := a0; i < a1; i++ {
		if id := a.id(i); al.cntA[id] < 2 {
			al.cntA[id]++
		}
	}
	for i := b0; i < b1; i++ {
		id := b.id(i)
		if al.cntB[id] < 2 {
			al.cntB[id]++
		}
		al.posB[id] = int32(i)
	}
	// Counted first, then kept in slices of that size: there may be
	// millions, and append would leave several times that to collect.
	n := 0
	for i := a0; i < a1; i++ {
		if id := a.id(i); al.cntA[id] == 1 && al.cntB[id] == 1 {
			n++
		}
	}
	al.ca, al.cb = slicesGrow(al.ca, n)[:0], slicesGrow(al.cb, n)[:0]
	increasing := true
	for i := a0; i < a1; i++ {
		if id := a.id(i); al.cntA[id] == 1 && al.cntB[id] == 1 {
			p := al.posB[id]
			if n := len(al.cb); n > 0 && al.cb[n-1] > p {
				increasing = false
			}
			al.ca = append(al.ca, int32(i))
			al.cb = append(al.cb, p)
		}
	}
	for i := a0; i < a1; i++ {
		al.cntA[a.id(i)] = 0
	}
	for i := b0; i < b1; i++ {
		al.cntB[b.id(i)] = 0
	}
	if len(al.ca) == 0 {
		return false
	}
	if increasing { // alike runs: every candidate is an anchor
		for k, i := range al.ca {
			m[i] = al.cb[k]
		}
		return true
	}
	al.lis(m)
	return true
}

// lis pairs the longest subsequence of the candidates (sorted by a) that
// increases in b.
func (al *aligner) lis(m []int32) {
	cb := al.cb
	al.prev = slicesGrow(al.prev, len(cb))
	tails := slicesGrow(al.tail, len(cb))[:0] // tails[k]: the candidate ending the smallest-tailed run of length k+1
	for i, b := range cb {
		// The first k whose run ends at or above b.
		lo, hi := 0, len(tails)
		for lo < hi {
			mid := int(uint(lo+hi) >> 1)
			if cb[tails[mid]] < b {
				lo = mid + 1
			} else {
				hi = mid
			}
		}
		if lo > 0 {
			al.prev[i] = tails[lo-1]
		} else {
			al.prev[i] = -1
		}
		if lo == len(tails) {
			tails = append(tails, int32(i))
		} else {
			tails[lo] = int32(i)
		}
	}
	for i := tails[len(tails)-1]; i >= 0; i = al.prev[i] {
		m[al.ca[i]] = cb[i]
	}
	al.tail = tails
}

// pairable returns the lines of a window whose key the other side of the
// window holds too: the others pair with nothing.
func (al *aligner) pairable(a, b *log, a0, a1, b0, b1 int) (span, span) {
	for i := a0; i < a1; i++ {
		al.cntA[a.id(i)] = 1
	}
	for i := b0; i < b1; i++ {
		al.cntB[b.id(i)] = 1
	}
	na, nb := 0, 0
	for i := a0; i < a1; i++ {
		na += int(al.cntB[a.id(i)])
	}
	for i := b0; i < b1; i++ {
		nb += int(al.cntA[b.id(i)])
	}
	sa, sb := span{l: a, off: a0, n: a1 - a0}, span{l: b, off: b0, n: b1 - b0}
	if na < sa.n {
		al.pa = al.pa[:0]
		for i := a0; i < a1; i++ {
			if al.cntB[a.id(i)] != 0 {
				al.pa = append(al.pa, int32(i))
			}
		}
		sa = span{l: a, n: na, pos: al.pa}
	}
	if nb < sb.n {
		al.pb = al.pb[:0]
		for i := b0; i < b1; i++ {
			if al.cntA[b.id(i)] != 0 {
				al.pb = append(al.pb, int32(i))
			}
		}
		sb = span{l: b, n: nb, pos: al.pb}
	}
	for i := a0; i < a1; i++ {
		al.cntA[a.id(i)] = 0
	}
	for i := b0; i < b1; i++ {
		al.cntB[b.id(i)] = 0
	}
	return sa, sb
}

func slicesGrow(s []int32, n int) []int32 {
	if cap(s) < n {
		return make([]int32, n)
	}
	return s[:n]
}

// greedy aligns a window with no anchors: rounds of Myers' forward search,
// each of at most greedyMaxD edits. A round that reaches the window's end
// pairs its shortest edit script; one that does not pairs the path that got
// furthest and the next starts where it ended. A round costs
// O(greedyMaxD²) plus its snakes and advances greedyMaxD lines or more, so
// the whole is O(n·greedyMaxD).
func (al *aligner) greedy(m []int32, a, b span) {
	a0, b0 := 0, 0
	for a0 < a.n && b0 < b.n {
		a0, b0 = al.round(m, a, b, a0, b0)
	}
}

// round is one round of greedy from (a0, b0); it returns where it ended.
func (al *aligner) round(m []int32, a, b span, a0, b0 int) (int, int) {
	const D = greedyMaxD
	N, M := a.n-a0, b.n-b0
	off := D + 1
	if al.v == nil {
		al.v = make([]int, 2*D+3)
		al.trace = make([]int, 0, (D+1)*(D+1))
	}
	// v[off+k] is the furthest x reached on diagonal k = x-y, or -1 where
	// the diagonal leaves the window; trace keeps v[-d..d] after each d.
	v, trace := al.v, al.trace[:0]
	v[off+1] = 0
	endD, endK := -1, 0
search:
	for d := 0; d <= D; d++ {
		for k := -d; k <= d; k += 2 {
			x := next(v, off, d, k)
			y := x - k
			if x < 0 || x > N || y > M {
				v[off+k] = -1
				continue
			}
			for x < N && y < M && a.id(a0+x) == b.id(b0+y) {
				x++
				y++
			}
			v[off+k] = x
			if x == N && y == M {
				trace = append(trace, v[off-d:off+d+1]...)
				endD, endK = d, k
				break search
			}
		}
		trace = append(trace, v[off-d:off+d+1]...)
	}
	if endD < 0 {
		// The furthest path after D edits; among equals, the one nearest
		// the window's own diagonal, as runs alike in shape would be.
		endD = D
		last := trace[len(trace)-(2*D+1):]
		best, bestDist := -1, math.Inf(1)
		for k := -D; k <= D; k += 2 {
			x := last[k+D]
			if x < 0 {
				continue
			}
			p := 2*x - k
			dist := math.Abs(float64(k) - float64(p)*float64(N-M)/float64(N+M))
			if p > best || p == best && dist < bestDist {
				best, bestDist, endK = p, dist, k
			}
		}
	}
	al.trace = trace
	// Walk back from (endD, endK), pairing each snake.
	at := func(d, k int) int { return trace[d*d+d+k] } // trace of d starts at d², holds k = -d..d
	pair := func(x, k int) { m[a.idx(a0+x)] = int32(b.idx(b0 + x - k)) }
	k := endK
	x := at(endD, k)
	xEnd, yEnd := x, x-k
	for d := endD; d > 0; d-- {
		// Which diagonal of d-1 led here, decided as the search decided.
		down := k == -d || k != d && at(d-1, k-1) < at(d-1, k+1)
		pk, start := k+1, 0
		if down {
			start = at(d-1, pk)
		} else {
			pk = k - 1
			start = at(d-1, pk) + 1
		}
		for s := start; s < x; s++ {
			pair(s, k)
		}
		x, k = at(d-1, pk), pk
	}
	for s := 0; s < x; s++ {
		pair(s, 0)
	}
	return a0 + xEnd, b0 + yEnd
}

// next returns where a step of Myers' search onto diagonal k lands before
// its snake: down from k+1 (a line of b inserted) or right from k-1 (a line
// of a deleted), whichever got further; -1 if neither is in the window.
func next(v []int, off, d, k int) int {
	down := k == -d || k != d && v[off+k-1] < v[off+k+1]
	if down {
		return v[off+k+1]
	}
	if v[off+k-1] < 0 {
		return -1
	}
	return v[off+k-1] + 1
}

// myers diffs a small window exactly and pairs its equal lines.
func myers(m []int32, a, b span) {
	// go-diff works on runes; give each id of the window a rune of its own
	// below the surrogate range.
	ids := make(map[int32]rune, a.n+b.n)
	toRunes := func(s span) []rune {
		r := make([]rune, s.n)
		for i := range r {
			id := s.id(i)
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
	i, j := 0, 0
	for _, d := range dmp.DiffMainRunes(ra, rb, false) {
		n := utf8.RuneCountInString(d.Text)
		switch d.Type {
		case diffmatchpatch.DiffEqual:
			for k := range n {
				m[a.idx(i+k)] = int32(b.idx(j + k))
			}
			i += n
			j += n
		case diffmatchpatch.DiffDelete:
			i += n
		case diffmatchpatch.DiffInsert:
			j += n
		}
	}
}
