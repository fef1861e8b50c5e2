package junit

import (
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// tc makes a case of suite "s" from "class.name=status".
func tcs(specs ...string) []Case {
	var out []Case
	for _, s := range specs {
		id, st, _ := strings.Cut(s, "=")
		class, name, _ := strings.Cut(id, ".")
		c := Case{Suite: "s", Class: class, Name: name}
		switch st {
		case "p":
			c.Status = Passed
		case "f":
			c.Status, c.Message, c.Text = Failed, "boom in "+name, "boom in "+name+"\nat line 3"
		case "e":
			c.Status, c.Message = Errored, "setup of "+name
		case "s":
			c.Status = Skipped
		case "flaky":
			c.Status, c.Flaky = Passed, true
		default:
			panic("bad status " + st)
		}
		out = append(out, c)
	}
	return out
}

// brief prints changes one a line: kind, name (or group and count), before
// and now, flaky.
func brief(chs []Change) []string {
	var out []string
	for _, c := range chs {
		s := fmt.Sprintf("%s %s.%s %s->%s", c.Kind, c.Class, c.Name, c.Before, c.Now)
		if c.Kind == DidNotRun {
			s = fmt.Sprintf("%s %s %d (%d skipped) %v %s->%s", c.Kind, c.Group, c.Count, c.Skipped, c.Names, c.Before, c.Now)
		}
		if c.Flaky {
			s += " flaky"
		}
		out = append(out, s)
	}
	return out
}

func TestCompare(t *testing.T) {
	for _, tc := range []struct {
		name      string
		baselines [][]Case
		failing   []Case
		opts      CompareOptions
		want      []string
	}{
		{
			name:      "nothing changed",
			baselines: [][]Case{tcs("a.x=p", "a.y=s"), tcs("a.x=p", "a.y=s")},
			failing:   tcs("a.x=p", "a.y=s"),
		},
		{
			name:      "flipped in every baseline",
			baselines: [][]Case{tcs("a.x=p", "a.y=p"), tcs("a.x=p", "a.y=p")},
			failing:   tcs("a.x=f", "a.y=p"),
			want:      []string{"flipped a.x passed->failed"},
		},
		{
			name:      "errored counts as failing",
			baselines: [][]Case{tcs("a.x=p")},
			failing:   tcs("a.x=e"),
			want:      []string{"flipped a.x passed->errored"},
		},
		{
			name:      "failed in one baseline: flaky, after the clean flip",
			baselines: [][]Case{tcs("a.x=p", "a.y=f"), tcs("a.x=p", "a.y=p"), tcs("a.x=p", "a.y=p")},
			failing:   tcs("a.x=f", "a.y=f"),
			want:      []string{"flipped a.x passed->failed", "flipped a.y passed->failed flaky"},
		},
		{
			name:      "passed on a rerun in a baseline: flaky",
			baselines: [][]Case{tcs("a.x=flaky"), tcs("a.x=p")},
			failing:   tcs("a.x=f"),
			want:      []string{"flipped a.x passed->failed flaky"},
		},
		{
			name:      "skipped in a baseline, passed in the others: still a flip",
			baselines: [][]Case{tcs("a.x=s"), tcs("a.x=p")},
			failing:   tcs("a.x=f"),
			want:      []string{"flipped a.x passed->failed"},
		},
		{
			name:      "never ran in a baseline: new failure",
			baselines: [][]Case{tcs("a.x=s"), tcs("a.y=p")},
			failing:   tcs("a.x=f", "a.y=p", "a.z=e"),
			want:      []string{"new-failure a.x skipped->failed", "new-failure a.z absent->errored"},
		},
		{
			name:      "failed wherever it ran: still failing",
			baselines: [][]Case{tcs("a.x=f"), tcs("a.x=e"), tcs("a.x=s")},
			failing:   tcs("a.x=f"),
			want:      []string{"still-failing a.x failed->failed"},
		},
		{
			name:      "the suite did not run: one change for the group",
			baselines: [][]Case{tcs("a.x=p", "a.y=p", "a.z=s", "b.w=f"), tcs("a.x=p", "a.y=p", "b.w=p")},
			failing:   nil,
			want:      []string{"did-not-run s 3 (0 skipped) [w x y] passed->absent"},
		},
		{
			name:      "skipped now counts as not run",
			baselines: [][]Case{tcs("a.x=p", "a.y=p")},
			failing:   tcs("a.x=s", "a.y=s"),
			want:      []string{"did-not-run s 2 (2 skipped) [x y] passed->skipped"},
		},
		{
			name:      "quorum: absent from a baseline",
			baselines: [][]Case{tcs("a.x=p", "a.y=p"), tcs("a.x=p")},
			failing:   tcs(),
			want:      []string{"did-not-run s 1 (0 skipped) [x] passed->absent"},
		},
		{
			name:      "quorum 1: ran in one baseline is enough",
			baselines: [][]Case{tcs("a.x=p", "a.y=p"), tcs("a.x=p")},
			failing:   tcs(),
			opts:      CompareOptions{Quorum: 1},
			want:      []string{"did-not-run s 2 (0 skipped) [x y] passed->absent"},
		},
		{
			name:      "quorum above the baselines: all",
			baselines: [][]Case{tcs("a.x=p", "a.y=p"), tcs("a.x=p")},
			failing:   tcs(),
			opts:      CompareOptions{Quorum: 9},
			want:      []string{"did-not-run s 1 (0 skipped) [x] passed->absent"},
		},
		{
			name:      "no baselines: every failure is new, nothing did not run",
			baselines: nil,
			failing:   tcs("a.x=f", "a.y=p"),
			want:      []string{"new-failure a.x absent->failed"},
		},
		{
			name:      "names are capped",
			baselines: [][]Case{tcs("a.c=p", "a.a=p", "a.b=p")},
			failing:   tcs(),
			opts:      CompareOptions{MaxNames: 2},
			want:      []string{"did-not-run s 3 (0 skipped) [a b] passed->absent"},
		},
		{
			name:      "a test reported twice in a run counts as its worst report",
			baselines: [][]Case{tcs("a.x=p", "a.x=s")},
			failing:   tcs("a.x=p", "a.x=f", "a.x=s"),
			want:      []string{"flipped a.x passed->failed"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := brief(Compare(tc.baselines, tc.failing, tc.opts))
			if !slices.Equal(got, tc.want) {
				t.Errorf("got\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(tc.want, "\n\t"))
			}
		})
	}
}

// TestCompareFields checks what a change carries besides its kind: the
// failing case's message and text, the tally, the group of a nameless
// suite, the key through the caller's normalizer.
func TestCompareFields(t *testing.T) {
	base := []Case{
		{Class: "e2e.go", Name: "Up", Status: Passed},
		{Class: "e2e.go", Name: "Test", Status: Passed},
		{Suite: "Kubernetes e2e suite", Class: "Kubernetes e2e suite", Name: "[It] creates pod-7x2q", Status: Passed},
	}
	fail := []Case{
		{Class: "e2e.go", Name: "Up", Status: Passed},
		{Class: "e2e.go", Name: "Test", Status: Failed, Text: "error during ./hack/ginkgo-e2e.sh: exit status 1", TextCut: true, File: "artifacts/junit_runner.xml"},
	}
	mask := regexp.MustCompile(`-[a-z0-9]{4}\b`)
	got := Compare([][]Case{base, base}, fail, CompareOptions{Key: func(s string) string { return mask.ReplaceAllString(s, "-<id>") }})
	if len(got) != 2 {
		t.Fatalf("got %v", brief(got))
	}
	f := got[0]
	if f.Kind != Flipped || f.Group != "e2e.go" || f.Suite != "" || f.Text != "error during ./hack/ginkgo-e2e.sh: exit status 1" || !f.TextCut ||
		f.File != "artifacts/junit_runner.xml" || f.Baselines != (Tally{Passed: 2}) || f.Count != 1 || f.Key != "test:  / e2e.go / Test" {
		t.Errorf("flipped: %+v", f)
	}
	d := got[1]
	if d.Kind != DidNotRun || d.Suite != "Kubernetes e2e suite" || d.Class != "" || d.Name != "" || d.Count != 1 ||
		d.Baselines != (Tally{Passed: 2}) || d.Key != "did not run: Kubernetes e2e suite" || d.Names[0] != "[It] creates pod-7x2q" {
		t.Errorf("did not run: %+v", d)
	}
	g := Compare([][]Case{{{Suite: "s", Name: "creates pod-7x2q", Status: Passed}}}, []Case{{Suite: "s", Name: "creates pod-9kd2", Status: Failed}},
		CompareOptions{Key: func(s string) string { return mask.ReplaceAllString(s, "-<id>") }})
	// The names differ, so these are two tests (did-not-run and new), but
	// a key built by the caller's mask is the same for the failing one
	// and for the same test failing in another job.
	if len(g) != 2 || g[0].Kind != NewFailure || g[0].Key != "test: s /  / creates pod-<id>" {
		t.Errorf("masked key: %v %q", brief(g), g[0].Key)
	}
}

// TestCompareDeterministic runs the same comparison many times: map order
// must not show.
func TestCompareDeterministic(t *testing.T) {
	var b1, b2, fail []Case
	for i := range 200 {
		b1 = append(b1, tcs(fmt.Sprintf("c%d.t%d=p", i%7, i))...)
		b2 = append(b2, tcs(fmt.Sprintf("c%d.t%d=%s", i%7, i, map[bool]string{true: "f", false: "p"}[i%11 == 0]))...)
		switch i % 5 {
		case 0:
			fail = append(fail, tcs(fmt.Sprintf("c%d.t%d=f", i%7, i))...)
		case 1:
			fail = append(fail, tcs(fmt.Sprintf("c%d.t%d=s", i%7, i))...)
		case 2:
		default:
			fail = append(fail, tcs(fmt.Sprintf("c%d.t%d=p", i%7, i))...)
		}
	}
	fail = append(fail, tcs("z.new=f")...)
	first := fmt.Sprint(Compare([][]Case{b1, b2}, fail, CompareOptions{}))
	for range 20 {
		if got := fmt.Sprint(Compare([][]Case{b1, b2}, fail, CompareOptions{})); got != first {
			t.Fatal("two comparisons of the same runs differ")
		}
	}
}

// TestCompareFixtures compares real-shaped files: a run whose e2e suite
// never ran (only kubetest's junit_runner.xml) against runs that ran it.
func TestCompareFixtures(t *testing.T) {
	read := func(names ...string) []Case {
		var all []Case
		for _, n := range names {
			cs, err := ParseFile(filepath.Join("testdata", n), Options{})
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, cs...)
		}
		return all
	}
	runner := read("junit_runner.xml")
	passingRunner := slices.Clone(runner)
	for i := range passingRunner {
		passingRunner[i].Status = Passed
	}
	base := append(read("ginkgo-v2-junit_01.xml"), passingRunner...)
	got := Compare([][]Case{base}, runner, CompareOptions{MaxNames: 1})
	// The CSI spec failed in the baseline, but it ran: that it did not
	// run now counts too.
	want := []string{
		"flipped e2e.go.Test passed->failed",
		"did-not-run Kubernetes e2e suite 4 (0 skipped) [[It] [sig-storage] CSI Volumes [Driver: csi-hostpath] [Testpattern: Dynamic PV (default fs)] provisioning should provision storage with snapshot data source [Feature:VolumeSnapshotDataSource]] passed->absent",
	}
	if !slices.Equal(brief(got), want) {
		t.Errorf("got\n\t%s", strings.Join(brief(got), "\n\t"))
	}
	if got[0].Text != "error during ./hack/ginkgo-e2e.sh --ginkgo.focus=\\[sig-storage\\] --report-dir=/logs/artifacts --disable-log-dump=true: exit status 1" {
		t.Errorf("flipped step's text %q", got[0].Text)
	}
}
