package main

import (
	"fmt"
	"strings"
)

// rng is SplitMix64. The generator carries its own PRNG, rather than using
// math/rand/v2, so that the committed tree stays byte-for-byte reproducible
// even if a future Go release changes how the standard helpers draw numbers.
type rng struct{ s uint64 }

func (r *rng) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// intn returns a number in [0, n). The modulo bias is far below anything a
// reader of sample logs could notice.
func (r *rng) intn(n int) int {
	if n <= 0 {
		return 0
	}
	return int(r.next() % uint64(n))
}

// between returns a number in [lo, hi].
func (r *rng) between(lo, hi int) int { return lo + r.intn(hi-lo+1) }

// float returns a number in [lo, hi).
func (r *rng) float(lo, hi float64) float64 {
	return lo + (hi-lo)*float64(r.next()>>11)/float64(1<<53)
}

func (r *rng) pick(alphabet string, n int) string {
	var b strings.Builder
	for range n {
		b.WriteByte(alphabet[r.intn(len(alphabet))])
	}
	return b.String()
}

const (
	hexDigits = "0123456789abcdef"
	// k8sAlphabet is what apimachinery's rand.String draws pod name suffixes from.
	k8sAlphabet = "bcdfghjklmnpqrstvwxz2456789"
	// gceAlphabet is what managed instance groups draw instance suffixes from.
	gceAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
)

func (r *rng) hex(n int) string { return r.pick(hexDigits, n) }

// uuid returns a random (version 4) UUID.
func (r *rng) uuid() string {
	h := r.hex(32)
	variant := "89ab"[r.intn(4)]
	return fmt.Sprintf("%s-%s-4%s-%c%s-%s", h[0:8], h[8:12], h[13:16], variant, h[17:20], h[20:32])
}

// ip returns an address in a.b.x.y with x and y drawn at random.
func (r *rng) ip(a, b int) string {
	return fmt.Sprintf("%d.%d.%d.%d", a, b, r.between(0, 255), r.between(2, 254))
}
