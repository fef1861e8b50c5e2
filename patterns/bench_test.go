package patterns

import (
	"testing"
)

// BenchmarkSet runs every hot-path method of a Set on each line of a real
// Prow build log (2.6 MB), as the normalizer does.
func BenchmarkSet(b *testing.B) {
	lines := readLog(b, "prow-buildlogs/maelvls-prowdig/build-log.txt")
	var size int64
	for _, l := range lines {
		size += int64(len(l)) + 1
	}
	user := mustParseFile(b, "testdata/bench100.yaml")
	sets := []struct {
		name string
		set  func() *Set
	}{
		{"rules=0", func() *Set { s, _ := Compile(); return s }},
		{"rules=100", func() *Set {
			s, err := Compile(user)
			if err != nil {
				b.Fatal(err)
			}
			return s
		}},
		{"packs=all", func() *Set { return allPacks(b) }},
		{"packs=all+rules=100", func() *Set {
			files := []*File{}
			for _, n := range Packs() {
				f, _ := Pack(n)
				files = append(files, f)
			}
			s, err := Compile(append(files, user)...)
			if err != nil {
				b.Fatal(err)
			}
			return s
		}},
	}
	for _, tc := range sets {
		s := tc.set()
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			var buf []byte
			for b.Loop() {
				for _, l := range lines {
					l = s.Strip(l)
					buf = s.Mask(buf[:0], l)
					s.Ignore(l)
					s.Signature(l)
					s.Hint(l)
				}
			}
		})
	}
}

// BenchmarkMethod times each hot-path method alone over the same log, for
// the 100-rule file and for all packs.
func BenchmarkMethod(b *testing.B) {
	lines := readLog(b, "prow-buildlogs/maelvls-prowdig/build-log.txt")
	var size int64
	for _, l := range lines {
		size += int64(len(l)) + 1
	}
	user, err := Compile(mustParseFile(b, "testdata/bench100.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	packs := allPacks(b)
	for _, set := range []struct {
		name string
		s    *Set
	}{{"rules=100", user}, {"packs=all", packs}} {
		s := set.s
		var buf []byte
		for _, m := range []struct {
			name string
			f    func(l []byte)
		}{
			{"Strip", func(l []byte) { s.Strip(l) }},
			{"Mask", func(l []byte) { buf = s.Mask(buf[:0], l) }},
			{"Ignore", func(l []byte) { s.Ignore(l) }},
			{"Signature", func(l []byte) { s.Signature(l) }},
			{"Hint", func(l []byte) { s.Hint(l) }},
		} {
			b.Run(set.name+"/"+m.name, func(b *testing.B) {
				b.SetBytes(size)
				for b.Loop() {
					for _, l := range lines {
						m.f(l)
					}
				}
			})
		}
	}
}
