package logdiff

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func memInput(name, text string) Input {
	return Input{Name: name, Open: func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(text)), nil }}
}

func diffTexts(t testing.TB, fail string, passes ...string) *Report {
	t.Helper()
	var bs []Input
	for i, p := range passes {
		bs = append(bs, memInput(fmt.Sprintf("pass-%d.log", i+1), p))
	}
	r, err := Diff(context.Background(), memInput("fail.log", fail), bs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// run builds a log of n template lines whose volatile parts vary with seed.
func run(seed uint64, n int) []string {
	r := rand.New(rand.NewPCG(seed, seed))
	var lines []string
	for i := range n {
		lines = append(lines, fmt.Sprintf("I0211 %02d:%02d:%02d.%06d    %d step.go:%d] step %s done in %dms on 10.0.%d.%d",
			r.IntN(24), r.IntN(60), r.IntN(60), r.IntN(1e6), r.IntN(1e5), i, stepName(i), r.IntN(999), r.IntN(255), r.IntN(255)))
	}
	return lines
}

func stepName(i int) string {
	words := []string{"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"}
	return words[i%len(words)] + "-" + words[(i/len(words))%len(words)] + fmt.Sprint(i%3)
}

func join(lines []string) string { return strings.Join(lines, "\n") + "\n" }

func kinds(r *Report) string {
	var k []string
	for _, f := range r.Findings {
		k = append(k, string(f.Kind))
	}
	return strings.Join(k, ",")
}

func TestDiffTwoPassingRunsFindNothing(t *testing.T) {
	r := diffTexts(t, join(run(2, 500)), join(run(1, 500)), join(run(3, 500)))
	if len(r.Findings) != 0 {
		t.Errorf("two runs that differ only in volatile tokens gave %d findings: %s", len(r.Findings), r.Findings[0].Summary)
	}
}

func TestDiffReorderedOutputFindsNothing(t *testing.T) {
	pass := run(1, 400)
	fail := run(2, 400)
	rand.New(rand.NewPCG(9, 9)).Shuffle(len(fail), func(i, j int) { fail[i], fail[j] = fail[j], fail[i] })
	if r := diffTexts(t, join(fail), join(pass)); len(r.Findings) != 0 {
		t.Errorf("reordered output gave %d findings, first: %s", len(r.Findings), r.Findings[0].Summary)
	}
}

func TestDiffMissingLine(t *testing.T) {
	pass := run(1, 300)
	fail := run(2, 300)
	fail = append(fail[:120:120], fail[121:]...)
	r := diffTexts(t, join(fail), join(pass), join(run(3, 300)))
	if len(r.Findings) != 1 {
		t.Fatalf("got %d findings (%s), want 1", len(r.Findings), kinds(r))
	}
	f := r.Findings[0]
	if f.Kind != Missing || f.Baseline.Start != 121 || f.Baseline.End != 121 || f.Failing.Start != 120 {
		t.Errorf("got %s baseline %+v failing %+v; want missing baseline line 121 after failing line 120", f.Kind, *f.Baseline, f.Failing)
	}
	if !f.Signature {
		t.Error("a line every baseline has once is not marked as a signature")
	}
	if len(f.Lines) != 1 || f.Lines[0].Text != pass[120] {
		t.Errorf("lines %+v, want the baseline's line 121", f.Lines)
	}
}

func TestDiffConsecutiveMissingLinesAreOneFinding(t *testing.T) {
	pass := run(1, 300)
	fail := run(2, 300)
	fail = append(fail[:100:100], fail[105:]...)
	r := diffTexts(t, join(fail), join(pass))
	if len(r.Findings) != 1 || len(r.Findings[0].Lines) != 5 {
		t.Fatalf("got %s, want one missing finding of 5 lines", kinds(r))
	}
}

func TestDiffNewLines(t *testing.T) {
	pass := run(1, 300)
	fail := run(2, 300)
	fail = append(fail[:200:200], append([]string{"ERROR: cannot pull image foo:latest", "  at main.go:12"}, fail[200:]...)...)
	r := diffTexts(t, join(fail), join(pass))
	if len(r.Findings) != 1 {
		t.Fatalf("got %s, want one new finding", kinds(r))
	}
	f := r.Findings[0]
	if f.Kind != New || f.Failing.Start != 201 || f.Failing.End != 202 {
		t.Errorf("got %s at %+v, want new lines 201-202", f.Kind, f.Failing)
	}
}

func TestDiffEndedEarly(t *testing.T) {
	pass := run(1, 1000)
	fail := append(run(2, 1000)[:400:400], "panic: runtime error: invalid memory address")
	r := diffTexts(t, join(fail), join(pass))
	var ended, missing int
	for _, f := range r.Findings {
		switch f.Kind {
		case EndedEarly:
			ended++
			if f.Baseline.Start != 401 || f.Baseline.End != 1000 || f.Failing.Start != 400 {
				t.Errorf("ended early at %+v baseline %+v, want after failing line 400, baseline 401-1000", f.Failing, *f.Baseline)
			}
		case Missing:
			missing++
		}
	}
	if ended != 1 || missing != 0 {
		t.Errorf("got %s: want one ended-early finding and no missing lines listed one by one", kinds(r))
	}
}

func TestDiffStatusFlip(t *testing.T) {
	pass := join(append(run(1, 100), "--- PASS: TestWindowsNode (1.20s)", "ok  	k8s.io/e2e	12.3s"))
	fail := join(append(run(2, 100), "--- FAIL: TestWindowsNode (0.80s)", "ok  	k8s.io/e2e	12.3s"))
	r := diffTexts(t, fail, pass)
	if len(r.Findings) != 1 {
		t.Fatalf("got %s, want one finding", kinds(r))
	}
	f := r.Findings[0]
	if f.Kind != Changed || f.Flip == nil || f.Flip.From != "PASS" || f.Flip.To != "FAIL" {
		t.Fatalf("got %+v, want a flip PASS → FAIL", f)
	}
}

func TestDiffExitStatusFlip(t *testing.T) {
	pass := join(append(run(1, 50), "make: exit status 0", "cleanup"))
	fail := join(append(run(2, 50), "make: exit status 2", "cleanup"))
	r := diffTexts(t, fail, pass)
	if len(r.Findings) != 1 || r.Findings[0].Flip == nil || r.Findings[0].Flip.To != "2" {
		t.Fatalf("got %s, want an exit status flip", kinds(r))
	}
}

func TestDiffChangedLine(t *testing.T) {
	pass := run(1, 100)
	fail := run(2, 100)
	pass[50] = "Downloading numpy-1.26.0 from the index"
	fail[50] = "Downloading numpy-2.0.0 from the index"
	r := diffTexts(t, join(fail), join(pass))
	if len(r.Findings) != 1 || r.Findings[0].Kind != Changed || r.Findings[0].Failing.Start != 51 || r.Findings[0].Baseline.Start != 51 {
		t.Fatalf("got %s, want one changed line at 51", kinds(r))
	}
}

func TestDiffQuorum(t *testing.T) {
	a, b := run(1, 100), run(3, 100)
	a = append(a, "only in one passing run")
	fail := run(2, 100)
	r := diffTexts(t, join(fail), join(a), join(b))
	if len(r.Findings) != 0 {
		t.Errorf("a line in one of two baselines counted as missing by default: %s", kinds(r))
	}
	r, err := Diff(context.Background(), memInput("fail", join(fail)), []Input{memInput("a", join(a)), memInput("b", join(b))}, Options{Quorum: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Findings) != 1 || r.Findings[0].Kind != Missing {
		t.Errorf("with --quorum 1 got %s, want the line missing", kinds(r))
	}
}

func TestDiffErrorsNameTheInput(t *testing.T) {
	ok := memInput("pass.log", "a\n")
	tests := []struct {
		name     string
		fail     Input
		wantText string
	}{
		{"empty", memInput("fail.log", ""), "fail.log: empty log"},
		{"binary", memInput("fail.bin", "\x7fELF\x00\x00"), "fail.bin: input looks binary"},
		{"missing file", FileInput(filepath.Join(t.TempDir(), "nope.log")), "nope.log"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Diff(context.Background(), tt.fail, []Input{ok}, Options{})
			if err == nil || !strings.Contains(err.Error(), tt.wantText) {
				t.Errorf("error %v, want one saying %q", err, tt.wantText)
			}
		})
	}
	if _, err := Diff(context.Background(), ok, nil, Options{}); err == nil {
		t.Error("no baselines: no error")
	}
}

func TestDiffPermissionError(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads files without read permission")
	}
	p := filepath.Join(t.TempDir(), "locked.log")
	os.WriteFile(p, []byte("x\n"), 0o000)
	_, err := Diff(context.Background(), FileInput(p), []Input{memInput("pass", "x\n")}, Options{})
	if err == nil || !strings.Contains(err.Error(), "locked.log") {
		t.Errorf("error %v, want one naming locked.log", err)
	}
}

// TestDiffInjectionRealLogs deletes one line from real passing logs and
// checks that exactly that line is reported missing, and that a cut tail
// is one ended-early finding.
func TestDiffInjectionRealLogs(t *testing.T) {
	dir := sharedData(t, "cidiff/breakages")
	for _, c := range []string{"astor_1278", "guava_2087", "jodatime_2082"} {
		t.Run(c, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, c, "pass.log"))
			if err != nil {
				t.Fatal(err)
			}
			lines := bytes.SplitAfter(data, []byte("\n"))
			norm := NewNormalizer(nil)
			counts := map[string]int{}
			for _, l := range lines {
				k, _ := norm.Key(nil, bytes.TrimRight(l, "\r\n"))
				counts[string(k)]++
			}
			// A line whose key is unique, in the middle of the log.
			victim := -1
			for i := len(lines) / 2; i < len(lines); i++ {
				k, ok := norm.Key(nil, bytes.TrimRight(lines[i], "\r\n"))
				if ok && counts[string(k)] == 1 && !bytes.ContainsRune(lines[i], '\r') {
					victim = i
					break
				}
			}
			if victim < 0 {
				t.Skip("no unique line")
			}
			cut := bytes.Join(append(append([][]byte{}, lines[:victim]...), lines[victim+1:]...), nil)
			r := diffTexts(t, string(cut), string(data))
			if len(r.Findings) != 1 || r.Findings[0].Kind != Missing || r.Findings[0].Baseline.Start != victim+1 {
				t.Fatalf("deleting line %d gave %s", victim+1, kinds(r))
			}
			// Cut the tail at 60%.
			at := len(lines) * 6 / 10
			r = diffTexts(t, string(bytes.Join(lines[:at], nil)), string(data))
			if len(r.Findings) != 1 || r.Findings[0].Kind != EndedEarly {
				t.Fatalf("cutting at line %d gave %s", at, kinds(r))
			}
		})
	}
}

// FuzzDiffSelf checks that a log diffed against itself finds nothing.
func FuzzDiffSelf(f *testing.F) {
	f.Add("a\nb\nc\n")
	f.Add("x\r\ny\rz\n\x1b[31mred\n")
	f.Add("1\n1\n2\n")
	f.Fuzz(func(t *testing.T, s string) {
		r, err := Diff(context.Background(), memInput("f", s), []Input{memInput("p", s)}, Options{Scan: ScanOptions{Text: true}})
		if err != nil {
			if s == "" {
				return
			}
			t.Fatal(err)
		}
		if len(r.Findings) != 0 {
			t.Errorf("self-diff found %d: %+v", len(r.Findings), r.Findings[0])
		}
	})
}

// TestDiffLearnsWhatVaries: a session name made of letters, which no
// built-in mask knows, varies between passing runs; with two baselines it
// is learned and masked, and the failing run's own name is not a finding.
// A status word at the same place is never learned.
func TestDiffLearnsWhatVaries(t *testing.T) {
	mk := func(seed uint64, session, status string) string {
		lines := run(seed, 200)
		lines[50] = "connected to session " + session + " as operator"
		lines[120] = "health check of worker: " + status
		return join(lines)
	}
	a, b := mk(1, "bluefox", "ok"), mk(3, "quietowl", "ok")
	fail := mk(2, "greenelk", "FAILED")
	r := diffTexts(t, fail, a, b)
	if len(r.Findings) != 1 || r.Findings[0].Flip == nil {
		t.Fatalf("got %s, want only the status flip", kinds(r))
	}
	noLearn, err := Diff(context.Background(), memInput("fail", fail), []Input{memInput("a", a), memInput("b", b)}, Options{NoLearn: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(noLearn.Findings) < 2 {
		t.Errorf("without learning the session name should show: got %s", kinds(noLearn))
	}
}

// TestDiffQuorumPlacesAllMissing: with --quorum 1 the shortfall is placed on
// the baseline that has the line most often, so every missing occurrence
// is reported.
func TestDiffQuorumPlacesAllMissing(t *testing.T) {
	a := join(append(run(1, 50), "retry job"))
	b := join(append(run(3, 50), "retry job", "retry job", "retry job"))
	r, err := Diff(context.Background(), memInput("fail", join(run(2, 50))), []Input{memInput("a", a), memInput("b", b)}, Options{Quorum: 1})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range r.Findings {
		if f.Kind == Missing {
			n += len(f.Lines)
		}
	}
	if n != 3 {
		t.Errorf("%d missing lines reported, want 3: %s", n, kinds(r))
	}
}

// FuzzDiffDelete deletes one line from a log: the diff of the two reports
// that line (by its key) as missing, and nothing new.
func FuzzDiffDelete(f *testing.F) {
	f.Add("a\nb\nc\n", uint(1))
	f.Add("x 1\nx 2\ny\n", uint(0))
	f.Add("I0211 01:02:03.000004    1 a.go:1] up\nwait\nwait\ndone\n", uint(2))
	f.Fuzz(func(t *testing.T, s string, at uint) {
		if bytes.IndexByte([]byte(s), 0) >= 0 || strings.ContainsRune(s, '\r') || strings.ContainsRune(s, 0x1b) || strings.ContainsRune(s, '\b') {
			return // keep to plain lines: the property is about the diff
		}
		lines := strings.SplitAfter(s, "\n")
		if len(lines) < 2 {
			return
		}
		i := int(at % uint(len(lines)))
		victim := strings.TrimSuffix(lines[i], "\n")
		norm := NewNormalizer(nil)
		vk, ok := norm.Key(nil, []byte(victim))
		if !ok || len(victim) > 1000 {
			return
		}
		fail := strings.Join(append(append([]string{}, lines[:i]...), lines[i+1:]...), "")
		if fail == "" {
			return
		}
		if i == len(lines)-1 && !strings.HasSuffix(fail, "\n") {
			fail += "\n"
		}
		r, err := Diff(context.Background(), memInput("f", fail), []Input{memInput("p", s)}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, f := range r.Findings {
			switch f.Kind {
			case New, Changed:
				t.Fatalf("deleting line %d (%q) gave a %s finding: %+v", i+1, victim, f.Kind, f)
			}
			for _, l := range f.Lines {
				if k, _ := norm.Key(nil, []byte(l.Text)); bytes.Equal(k, vk) && l.Side == SideBaseline {
					found = true
				}
			}
			if f.Kind == EndedEarly {
				found = true // the tail that never came holds it
			}
		}
		if !found {
			t.Errorf("deleting line %d (%q) is not reported: %d findings", i+1, victim, len(r.Findings))
		}
	})
}

// TestDiffCancelledRereading: a comparison cancelled once the logs are
// read (Ctrl-C while learning or while the findings' text is read again)
// stops with the context's error, not with a report.
func TestDiffCancelledRereading(t *testing.T) {
	for _, baselines := range []int{1, 3} { // 3: learning rereads too
		t.Run(fmt.Sprint(baselines, " baselines"), func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			input := func(name, text string) Input {
				opens := 0
				return Input{Name: name, Open: func() (io.ReadCloser, error) {
					if opens++; opens == 2 {
						cancel() // the first read is done: the user interrupts
					}
					return io.NopCloser(strings.NewReader(text)), nil
				}}
			}
			var bs []Input
			for i := range baselines {
				bs = append(bs, input(fmt.Sprint("pass", i), fmt.Sprintf("start\nrun %c-%c\nstep one done\nend\n", 'a'+i, 'z'-i)))
			}
			r, err := Diff(ctx, input("fail", "start\nrun q-q\nerror: step one failed\nend\n"), bs, Options{})
			if !errors.Is(err, context.Canceled) || r != nil {
				t.Fatalf("Diff = %v, %v; want context.Canceled and no report", r, err)
			}
		})
	}
}

// TestDiffCountsCutLines: a report says how many lines of each log were
// cut at the line limit, since what differs past the cut is not compared
// (two lines that differ only there read the same).
func TestDiffCountsCutLines(t *testing.T) {
	long := strings.Repeat("x", 300)
	pass := "start\n" + long + " exit status 0\n" + long + "\nend\n"
	fail := "start\n" + long + " exit status 1\nend\n"
	r, err := Diff(context.Background(), memInput("fail.log", fail), []Input{memInput("pass.log", pass), memInput("short.log", "start\nend\n")},
		Options{Scan: ScanOptions{MaxLineBytes: 256}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Failing.CutLines != 1 || r.Baselines[0].CutLines != 2 || r.Baselines[1].CutLines != 0 {
		t.Errorf("cut lines: failing %d, baselines %d and %d; want 1, 2 and 0", r.Failing.CutLines, r.Baselines[0].CutLines, r.Baselines[1].CutLines)
	}
}

// TestLooksReversed: a failing log that ends with a passing verdict where
// the passing run ended with a failing one was likely given in the wrong
// order; the right order, or a verdict far from the end, is not flagged.
func TestLooksReversed(t *testing.T) {
	pass := "start\ncompile\n[INFO] BUILD SUCCESS\n"
	fail := "start\ncompile\nerror: X.java:3: cannot find symbol\n[INFO] BUILD FAILURE\n"
	tail := strings.Repeat("cleanup step\n", 10)
	for _, tt := range []struct {
		name       string
		fail, pass string
		want       bool
	}{
		{"in order", fail, pass, false},
		{"reversed", pass, fail, true},
		{"reversed, verdict far from the end", pass + tail, fail + tail, false},
		// A step's own word flips the other way in the right order: its
		// verdict (pass → fail) says the order is right.
		{"in order, a step flips fail → pass", "start\ncleanup: ok\nFinished: FAILURE\n", "start\ncleanup: error\nFinished: SUCCESS\n", false},
		{"not verdict words", "ready: true\nend\n", "ready: false\nend\n", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := diffTexts(t, tt.fail, tt.pass).LooksReversed(); got != tt.want {
				t.Errorf("LooksReversed = %v, want %v", got, tt.want)
			}
		})
	}
}
