package logdiff

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// idLog is a log whose every line counts, with these key ids.
func idLog(ids []int32) *log {
	l := &log{lines: len(ids)}
	for _, id := range ids {
		l.ids.append(id)
	}
	return l
}

func maxID(seqs ...[]int32) int {
	n := 0
	for _, s := range seqs {
		for _, id := range s {
			n = max(n, int(id)+1)
		}
	}
	return n
}

// checkAlignment checks that m pairs equal lines of a and b, in order on
// both sides, and returns how many it pairs.
func checkAlignment(t *testing.T, m []int32, a, b []int32) int {
	t.Helper()
	if len(m) != len(a) {
		t.Fatalf("alignment of %d lines for %d", len(m), len(a))
	}
	pairs, last := 0, int32(-1)
	for i, j := range m {
		if j < 0 {
			continue
		}
		if j <= last || int(j) >= len(b) || a[i] != b[j] {
			t.Fatalf("line %d paired with %d (after %d): ids %d and %d", i, j, last, a[i], b[min(int(j), len(b)-1)])
		}
		last = j
		pairs++
	}
	return pairs
}

func cycle(n, period int) []int32 {
	s := make([]int32, n)
	for i := range s {
		s[i] = int32(i % period)
	}
	return s
}

func without(s []int32, at int) []int32 { return append(append([]int32{}, s[:at]...), s[at+1:]...) }

func with(s []int32, at int, ids ...int32) []int32 {
	return append(append(append([]int32{}, s[:at]...), ids...), s[at:]...)
}

// TestAlign: the alignment pairs lines in order, and pairs what a diff
// pairs, on each of its paths; unpaired baseline lines are the ones the
// failing run lacks.
func TestAlign(t *testing.T) {
	unique := make([]int32, 6000) // every line distinct: anchors everywhere
	for i := range unique {
		unique[i] = int32(1000 + i)
	}
	shuffled := append([]int32{}, unique...)
	rand.New(rand.NewPCG(1, 1)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	noise := make([]int32, 3000) // lines the baseline never has
	for i := range noise {
		noise[i] = 900
	}
	tests := []struct {
		name     string
		a, b     []int32
		unpaired []int // baseline indexes left unpaired; nil: do not check
		pairs    int   // -1: do not check
	}{
		{"identical", cycle(5000, 7), cycle(5000, 7), []int{}, 5000},
		{"small window: one line less", cycle(900, 7), without(cycle(900, 7), 450), []int{450}, 899},
		{"anchors: one line less", unique, without(unique, 3000), []int{3000}, 5999},
		{"anchors out of order (longest increasing run)", unique, shuffled, nil, -1},
		{"no anchors, one template: one line less", cycle(10000, 7), without(cycle(10000, 7), 5000), []int{5000}, 9999},
		{"no anchors, one template: a line more", cycle(10000, 7), with(cycle(10000, 7), 5000, 3), []int{}, 10000},
		{"no anchors: thousands of lines the baseline lacks", cycle(10000, 7), with(cycle(10000, 7), 5000, noise...), []int{}, 10000},
		{"no anchors: the failing run stopped at half", cycle(10000, 7), cycle(5000, 7), seq(5000, 10000), 5000},
		{"no anchors, wholly different", cycle(10000, 7), cycle(10000, 11), nil, -1},
		{"a few lines against millions (the 2.5M-line panic)", cycle(1213, 50), cycle(2_500_000, 1000), nil, -1},
		{"millions against a few", cycle(2_500_000, 1000), cycle(1213, 50), nil, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			al := newAligner(maxID(tt.a, tt.b))
			m := al.align(idLog(tt.a), idLog(tt.b))
			pairs := checkAlignment(t, m, tt.a, tt.b)
			if tt.pairs >= 0 && pairs != tt.pairs {
				t.Errorf("%d pairs, want %d", pairs, tt.pairs)
			}
			if tt.unpaired != nil {
				var got []int
				for i, j := range m {
					if j < 0 {
						got = append(got, i)
					}
				}
				if fmt.Sprint(got) != fmt.Sprint(tt.unpaired) {
					t.Errorf("unpaired %v, want %v", short(got), short(tt.unpaired))
				}
			}
		})
	}
}

func seq(from, to int) []int {
	var s []int
	for i := from; i < to; i++ {
		s = append(s, i)
	}
	return s
}

func short(s []int) string {
	if len(s) > 10 {
		return fmt.Sprintf("%v... (%d)", s[:10], len(s))
	}
	return fmt.Sprint(s)
}

// TestAlignRandom: on random sequences of a few ids (windows with and
// without anchors, small and large), the alignment is always valid, and
// pairs every line of a sequence against itself.
func TestAlignRandom(t *testing.T) {
	seed := uint64(rand.Int64())
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewPCG(seed, 2))
	for k := range 40 {
		n, ids := 1+r.IntN(9000), 1+r.IntN(3000)
		edits := r.IntN(50)
		if k%2 == 0 { // few ids, many edits: large windows without anchors
			ids, edits = 1+r.IntN(10), r.IntN(3000)
		}
		a := make([]int32, n)
		for i := range a {
			a[i] = int32(r.IntN(ids))
		}
		b := append([]int32{}, a...)
		for range edits {
			at := r.IntN(len(b) + 1)
			switch r.IntN(3) {
			case 0:
				b = with(b, at, int32(r.IntN(ids+10)))
			case 1:
				if at < len(b) {
					b = without(b, at)
				}
			case 2:
				if at < len(b) {
					b[at] = int32(r.IntN(ids))
				}
			}
		}
		al := newAligner(maxID(a, b))
		checkAlignment(t, al.align(idLog(a), idLog(b)), a, b)
		if pairs := checkAlignment(t, al.align(idLog(a), idLog(a)), a, a); pairs != len(a) {
			t.Fatalf("a sequence of %d against itself: %d pairs", len(a), pairs)
		}
	}
}

// TestDiffRepeatedTemplateMillions: 2.2M lines of one repeated template
// against the same with a line less near its start and an error line more
// near its end, which leave an alignment window of millions of lines
// without anchors (its block bounds used to overflow int32 and panic):
// those two, at their lines.
func TestDiffRepeatedTemplateMillions(t *testing.T) {
	const n = 2_200_000
	var pass, fail strings.Builder
	for i := range n {
		line := fmt.Sprintf("l%d\n", i%1000)
		pass.WriteString(line)
		if i == n-100 {
			fail.WriteString("ERROR: out of memory\n")
		}
		if i != 100 {
			fail.WriteString(line)
		}
	}
	r, err := Diff(context.Background(), memInput("fail.log", fail.String()), []Input{memInput("pass.log", pass.String())}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Findings) != 2 {
		t.Fatalf("got %d findings, want 2", len(r.Findings))
	}
	for _, f := range r.Findings {
		switch {
		case f.Kind == Missing && f.Baseline.Start == 101 && f.Failing.Start == 100:
		case f.Kind == New && f.Failing.Start == n-100:
		default:
			t.Errorf("%s at failing %+v baseline %+v: %s", f.Kind, f.Failing, f.Baseline, f.Summary)
		}
	}
}
