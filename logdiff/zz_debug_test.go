package logdiff

import (
	"fmt"
	"os"
	"sort"
	"testing"
)

func TestDebugLoghub(t *testing.T) {
	sys := os.Getenv("SYS")
	if sys == "" {
		t.Skip()
	}
	dir := sharedData(t, "loghub")
	lines := readLoghub(t, dir, sys)
	norm := NewNormalizer(nil)
	keys := make([][]byte, len(lines))
	for i, l := range lines {
		keys[i], _ = norm.Key(nil, []byte(l.content))
	}
	tm := LearnTemplates([][][]byte{keys})
	got := make([]string, len(lines))
	for i, k := range keys {
		m, _ := tm.Mask(nil, k)
		got[i] = string(m)
	}
	// per truth event: predicted groups
	byEv := map[string]map[string][]int{}
	byGot := map[string]map[string]int{}
	for i, l := range lines {
		if byEv[l.event] == nil {
			byEv[l.event] = map[string][]int{}
		}
		byEv[l.event][got[i]] = append(byEv[l.event][got[i]], i)
		if byGot[got[i]] == nil {
			byGot[got[i]] = map[string]int{}
		}
		byGot[got[i]][l.event]++
	}
	var evs []string
	for e := range byEv {
		evs = append(evs, e)
	}
	sort.Strings(evs)
	for _, e := range evs {
		g := byEv[e]
		bad := len(g) > 1
		for gg := range g {
			if len(byGot[gg]) > 1 {
				bad = true
			}
		}
		if !bad {
			continue
		}
		n := 0
		for _, v := range g {
			n += len(v)
		}
		fmt.Printf("== %s (%d lines, %d groups)\n", e, n, len(g))
		c := 0
		for gg, v := range g {
			if c++; c > 6 {
				break
			}
			fmt.Printf("   [%d] %.160q  (events in group: %v)\n      raw %.160q\n", len(v), gg, byGot[gg], lines[v[0]].content)
		}
	}
}
