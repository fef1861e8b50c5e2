package logdiff

import "sort"

// paged is an append-only array held in fixed pages. A slice grown by
// append copies itself as it grows and leaves each old backing array to the
// garbage collector, so that a log's per-line array peaks at two to three
// times its size; pages are never copied, so a log of n lines costs n
// entries and a page. The first page grows like a slice, so that a small
// log costs little.
type paged[T any] struct {
	pages [][]T
	n     int
}

const (
	pageBits = 16
	pageLen  = 1 << pageBits
	pageMask = pageLen - 1
)

func (p *paged[T]) len() int { return p.n }

func (p *paged[T]) at(i int) T { return p.pages[i>>pageBits][i&pageMask] }

func (p *paged[T]) set(i int, v T) { p.pages[i>>pageBits][i&pageMask] = v }

func (p *paged[T]) append(v T) {
	k := p.n >> pageBits
	if k == len(p.pages) {
		c := pageLen
		if k == 0 {
			c = 64
		}
		p.pages = append(p.pages, make([]T, 0, c))
	}
	pg := p.pages[k]
	if len(pg) == cap(pg) { // only the first page grows
		grown := make([]T, len(pg), min(2*cap(pg), pageLen))
		copy(grown, pg)
		pg = grown
	}
	p.pages[k] = append(pg, v)
	p.n++
}

// search returns the smallest i in [0, len) for which f(i) is true, as
// sort.Search does, or len if there is none.
func (p *paged[T]) search(f func(i int) bool) int { return sort.Search(p.n, f) }
