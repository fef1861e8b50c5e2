package evaldata

import (
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func fl(lines ...Line) Finding { return Finding{Lines: lines} }
func failing(n int) Line       { return Line{N: n} }
func base(n int, text string) Line {
	return Line{Baseline: true, N: n, Text: text}
}

func TestMeasure(t *testing.T) {
	truth := Truth{
		Cause:  map[int]bool{10: true, 11: true},
		Useful: map[int]bool{10: true, 11: true, 12: true},
	}
	tests := []struct {
		name     string
		findings []Finding
		truth    Truth
		want     Result
	}{
		{
			name:     "cause first",
			findings: []Finding{fl(failing(10), failing(11)), fl(failing(50))},
			truth:    truth,
			want:     Result{Findings: 2, Lines: 3, Reported: 3, Useful: 2, Units: 2, Found: 2, FirstRank: 1, Read: 1, HasPrecision: true},
		},
		{
			name: "cause second, lines of both sides read before it",
			findings: []Finding{fl(base(3, "x"), failing(5), failing(6)),
				fl(failing(12), failing(11))},
			truth: truth,
			want:  Result{Findings: 2, Lines: 5, Reported: 4, Useful: 2, Units: 2, Found: 1, FirstRank: 2, Read: 5, HasPrecision: true},
		},
		{
			name:     "nothing reported",
			findings: nil,
			truth:    truth,
			want:     Result{Units: 2},
		},
		{
			name:     "a line reported twice counts once",
			findings: []Finding{fl(failing(7)), fl(failing(7), failing(10))},
			truth:    truth,
			want:     Result{Findings: 2, Lines: 3, Reported: 2, Useful: 1, Units: 2, Found: 1, FirstRank: 2, Read: 3, HasPrecision: true},
		},
		{
			name:     "missing-line causes match baseline lines by text",
			findings: []Finding{fl(failing(4)), fl(base(36, "KUBERNETES_NODE_PLATFORM=windows"), base(37, "OTHER=1"))},
			truth:    Truth{Missing: []Matcher{regexp.MustCompile(`^KUBERNETES_NODE_PLATFORM=`), regexp.MustCompile(`^Will download`)}},
			want:     Result{Findings: 2, Lines: 3, Reported: 1, Units: 2, Found: 1, FirstRank: 2, Read: 2},
		},
		{
			name:     "a failing line never matches a missing-line cause",
			findings: []Finding{{Lines: []Line{{N: 1, Text: "KUBERNETES_NODE_PLATFORM=windows"}}}},
			truth:    Truth{Missing: []Matcher{regexp.MustCompile(`^KUBERNETES_NODE_PLATFORM=`)}},
			want:     Result{Findings: 1, Lines: 1, Reported: 1, Units: 1},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Measure(tc.findings, tc.truth)
			if got != tc.want {
				t.Errorf("Measure:\n got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestResultFigures(t *testing.T) {
	r := Result{Units: 4, Found: 3, Reported: 8, Useful: 2, HasPrecision: true}
	if r.Recall() != 0.75 || r.Precision() != 0.25 {
		t.Errorf("recall %v precision %v, want 0.75 and 0.25", r.Recall(), r.Precision())
	}
	if !math.IsInf(r.LinesRead(), 1) {
		t.Errorf("LinesRead of a miss = %v, want +Inf", r.LinesRead())
	}
	if (Result{}).Recall() != 1 || !math.IsNaN((Result{}).Precision()) {
		t.Error("a pair with nothing to find has recall 1 and no precision")
	}
}

func TestSummarize(t *testing.T) {
	rs := []Result{
		// a small pair, all found, cause first
		{Findings: 2, Lines: 4, Reported: 2, Useful: 2, Units: 1, Found: 1, FirstRank: 1, Read: 1, HasPrecision: true},
		// a big pair, half found, cause third after 8 lines
		{Findings: 10, Lines: 40, Reported: 30, Useful: 6, Units: 9, Found: 3, FirstRank: 3, Read: 8, HasPrecision: true},
		// a miss
		{Findings: 4, Lines: 10, Reported: 10, Units: 1},
	}
	s := Summarize(rs)
	check := func(name string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-9 {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	check("First", s.First, 1.0/3)
	check("Within5", s.Within5, 1.0/3)
	check("MedianRead", s.MedianRead, 8)
	check("RecallMean", s.RecallMean, (1+3.0/9+0)/3)
	check("RecallPooled", s.RecallPooled, 4.0/11)
	check("PrecisionMean", s.PrecisionMean, (1+0.2)/2)
	check("PrecisionPooled", s.PrecisionPooled, 8.0/32)
	check("MedianFindings", s.MedianFindings, 4)
	check("MedianReported", s.MedianReported, 10)
	check("MedianLines", s.MedianLines, 10)
	if s.PrecisionPairs != 2 {
		t.Errorf("PrecisionPairs = %d, want 2", s.PrecisionPairs)
	}
	if e := Summarize(nil); !math.IsNaN(e.First) || !math.IsNaN(e.RecallMean) {
		t.Errorf("an empty set gives %+v, want NaN figures", e)
	}
}

func TestMedian(t *testing.T) {
	inf := math.Inf(1)
	for _, tc := range []struct {
		in   []float64
		want float64
	}{{[]float64{3, 1, 2}, 2}, {[]float64{4, 1, 3, 2}, 2.5}, {[]float64{1, inf, inf}, inf}, {[]float64{1, 5, inf, inf}, inf}} {
		if got := Median(tc.in); got != tc.want {
			t.Errorf("Median(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
	if !math.IsNaN(Median(nil)) {
		t.Error("Median(nil) is not NaN")
	}
}

func TestParseLabels(t *testing.T) {
	good := `
context:
  - 'BUILD FAILURE|^\s+at '
pairs:
  a-1:
    cause: ['error: (\w+)\.java']
    context: ['^symbol:']
    note: a note
  b-2:
    skip: the logs do not differ
`
	l, err := ParseLabels("good.yaml", []byte(good))
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Pairs) != 1 || l.Skipped["b-2"] != "the logs do not differ" || l.Pairs["a-1"].Note != "a note" {
		t.Errorf("parsed %+v", l)
	}
	texts := []string{"ok", "Foo.java:3: error: Foo.java broke", "symbol: x", "  at a.b(C.java:1)", "BUILD FAILURE", "done"}
	truth, unmatched, err := l.Truth("a-1", texts)
	if err != nil || len(unmatched) > 0 {
		t.Fatalf("Truth: %v, unmatched %q", err, unmatched)
	}
	if want := map[int]bool{2: true}; !reflect.DeepEqual(truth.Cause, want) {
		t.Errorf("cause %v, want %v", truth.Cause, want)
	}
	if want := map[int]bool{2: true, 3: true, 4: true, 5: true}; !reflect.DeepEqual(truth.Useful, want) {
		t.Errorf("useful %v, want %v", truth.Useful, want)
	}
	if _, unmatched, _ := l.Truth("a-1", []string{"nothing"}); len(unmatched) != 1 {
		t.Errorf("a pattern that matches nothing is not reported: %q", unmatched)
	}
	if _, _, err := l.Truth("zzz", texts); err == nil {
		t.Error("an unlabelled pair gives no error")
	}

	bad := []struct{ name, yaml, want string }{
		{"bad regexp", "pairs:\n  p:\n    cause: ['a(']\n", "pair p cause"},
		{"empty-matching pattern", "pairs:\n  p:\n    cause: ['x*']\n", "matches the empty line"},
		{"no cause", "pairs:\n  p:\n    note: hmm\n", "no cause pattern"},
		{"skipped and labelled", "pairs:\n  p:\n    skip: why\n    cause: ['x']\n", "choose one"},
		{"unknown field", "pairs:\n  p:\n    causes: ['x']\n", "causes"},
		{"no pairs", "context: ['x']\n", "no pairs"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseLabels("bad.yaml", []byte(tc.yaml))
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "bad.yaml") {
				t.Errorf("error %v, want one naming bad.yaml and saying %q", err, tc.want)
			}
		})
	}
}

func TestSplit(t *testing.T) {
	a := Split([]*regexp.Regexp{regexp.MustCompile(`BUILD FAILURE|^\s+at |x(a|b)`), regexp.MustCompile(`plain`)})
	if len(a) != 4 {
		t.Errorf("Split gave %d regexps, want 4: %v", len(a), a)
	}
	for _, s := range []string{"[INFO] BUILD FAILURE", "   at x.y(Z.java)", "xb", "a plain line"} {
		if !a.MatchString(s) {
			t.Errorf("%q does not match", s)
		}
	}
	for _, s := range []string{"not at the start: at x", "xc", ""} {
		if a.MatchString(s) {
			t.Errorf("%q matches", s)
		}
	}
}

// TestPlainDiff checks that GNU diff's hunks and the go-diff fallback give
// the same lines on a small case (they are both LCS diffs; on real logs
// their heuristics may differ).
func TestPlainDiff(t *testing.T) {
	dir := t.TempDir()
	b := filepath.Join(dir, "pass.log")
	f := filepath.Join(dir, "fail.log")
	os.WriteFile(b, []byte("a\nb\nc\nd\ne\n"), 0o644)
	os.WriteFile(f, []byte("a\nB\nc\ne\nf\ng\n"), 0o644)
	want := []Finding{
		{Lines: []Line{base(2, "b"), failing(2)}},
		{Lines: []Line{base(4, "d")}},
		{Lines: []Line{failing(5), failing(6)}},
	}
	want[0].Lines[1].Text = "B"
	want[2].Lines[0].Text, want[2].Lines[1].Text = "f", "g"
	strip := func(fs []Finding) []Finding {
		out := make([]Finding, len(fs))
		for i, f := range fs {
			out[i] = Finding{Lines: f.Lines}
		}
		return out
	}
	got, err := goDiff(b, f)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(strip(got), want) {
		t.Errorf("go-diff:\n got %+v\nwant %+v", strip(got), want)
	}
	path, err := exec.LookPath("diff")
	if err != nil {
		t.Skip("no diff command to compare with")
	}
	got, err = gnuDiff(path, b, f)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(strip(got), want) {
		t.Errorf("GNU diff:\n got %+v\nwant %+v", strip(got), want)
	}
}

func TestParseNormalDiff(t *testing.T) {
	out := "0a1\n> new first\n3,4c4\n< old\n< \n---\n> changed\n9d9\n< gone\n\\ No newline at end of file\n"
	got, err := ParseNormalDiff([]byte(out))
	if err != nil {
		t.Fatal(err)
	}
	want := []Finding{
		{Kind: "added", Summary: "0a1", Lines: []Line{{N: 1, Text: "new first"}}},
		{Kind: "changed", Summary: "3,4c4", Lines: []Line{base(3, "old"), base(4, ""), {N: 4, Text: "changed"}}},
		{Kind: "deleted", Summary: "9d9", Lines: []Line{base(9, "gone")}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	for _, bad := range []string{"> orphan\n", "garbage\n", "1x2\n"} {
		if _, err := ParseNormalDiff([]byte(bad)); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func TestNearestPassing(t *testing.T) {
	n := func(name, date, res string) OzoneNight {
		return OzoneNight{Name: name, Date: date, Checks: map[string]string{"unit": res}}
	}
	nights := []OzoneNight{
		n("a", "20190827", "success"),
		n("b", "20190830", "success"),
		n("c", "20190904", "failure"),
		n("d", "20190905", "success"),
		n("e", "20190907", "failure"),
		n("f", "20191001", "success"),
	}
	var got []string
	for _, b := range NearestPassing(nights, 2, "unit", 3) {
		got = append(got, b.Name)
	}
	if want := []string{"d", "b", "a"}; !reflect.DeepEqual(got, want) {
		t.Errorf("nearest to 20190904: %v, want %v", got, want)
	}
	if got := NearestPassing(nights, 2, "integration", 3); len(got) != 0 {
		t.Errorf("a check that never passed has baselines %v", got)
	}
}

func TestOzoneCause(t *testing.T) {
	unitLog := []string{
		"[INFO] Running org.apache.hadoop.ozone.om.TestKeyDeletingService",
		"[ERROR] Tests run: 3, Failures: 0, Errors: 1, Skipped: 0, Time elapsed: 64.594 s <<< FAILURE! - in org.apache.hadoop.ozone.om.TestKeyDeletingService",
		"[ERROR] checkIfDeleteServiceisDeletingKeys(org.apache.hadoop.ozone.om.TestKeyDeletingService)  Time elapsed: 30.109 s  <<< ERROR!",
		"java.lang.Exception: test timed out after 30000 milliseconds",
		"\tat org.apache.hadoop.ozone.om.TestKeyDeletingService.createAndDeleteKeys(TestKeyDeletingService.java:190)",
		"[INFO] Tests run: 4, Failures: 0, Errors: 0, Skipped: 0 - in org.apache.hadoop.ozone.om.TestOther",
		"[ERROR]   TestKeyDeletingService.checkIfDeleteServiceisDeletingKeys:100->createAndDeleteKeys:190 ? ",
		"org.apache.hadoop.ozone.om.TestKeyDeletingService",
		"[ERROR] MyTestKeyDeletingServiceX failed",
		"[INFO] Running org.apache.hadoop.ozone.om.TestRetriesOnException",
	}
	checkstyleLog := []string{
		"[ERROR] src/main/java/org/apache/hadoop/ozone/OmUtils.java:[49,8] (imports) UnusedImports: Unused import - org.apache.hadoop.ozone.om.OMMetadataManager.",
		"[ERROR] src/main/java/org/apache/hadoop/ozone/OmUtils.java:[50,8] (imports) UnusedImports: Unused import - x.",
		"hadoop-ozone/common/src/main/java/org/apache/hadoop/ozone/OmUtils.java",
		" 49: Unused import - org.apache.hadoop.ozone.om.OMMetadataManager.",
	}
	tests := []struct {
		check, summary string
		log            []string
		want           []int
		err            error
	}{
		{"unit", "org.apache.hadoop.ozone.om.TestKeyDeletingService\norg.apache.hadoop.ozone.om.TestRetriesOnException\n", unitLog, []int{2, 3, 4, 7}, nil},
		{"checkstyle", "hadoop-ozone/common/src/main/java/org/apache/hadoop/ozone/OmUtils.java\n 49: Unused import - org.apache.hadoop.ozone.om.OMMetadataManager.\n", checkstyleLog, []int{1, 4}, nil},
		{"findbugs", "M P UrF: Unread field: A.b  At A.java:[line 106]\n", []string{"[INFO] BUILD SUCCESS", "M P UrF: Unread field: A.b  At A.java:[line 106]"}, []int{2}, nil},
		{"rat", "hadoop-hdds/common/target/rat.txt: !????? /workdir/x/ScmConfig.java\n", []string{"hadoop-hdds/common/target/rat.txt: !????? /workdir/x/ScmConfig.java"}, []int{1}, nil},
		{"unit", "", unitLog, nil, ErrNoSummary},
		{"acceptance", "", []string{"Create user dir | FAIL |"}, nil, ErrNoSummary},
		{"build", "", []string{"x"}, nil, ErrNoSummary},
	}
	for _, tc := range tests {
		t.Run(tc.check, func(t *testing.T) {
			got, err := OzoneCause(tc.check, []byte(tc.summary), tc.log)
			if err != tc.err {
				t.Fatalf("error %v, want %v", err, tc.err)
			}
			var lines []int
			for i := range tc.log {
				if got[i+1] {
					lines = append(lines, i+1)
				}
			}
			if !reflect.DeepEqual(lines, tc.want) {
				t.Errorf("cause lines %v, want %v", lines, tc.want)
			}
		})
	}
	if _, err := OzoneCause("findbugs", []byte("not in the log\n"), []string{"x"}); err == nil || err == ErrNoSummary {
		t.Errorf("a summary that matches nothing gives %v, want an error saying so", err)
	}
}

func TestTable(t *testing.T) {
	tb := Table{Header: []string{"metric", "a", "target"}}
	tb.Add("first", "0.50", "≥ 0.90 ✗")
	tb.Add("lines read", "∞", "")
	want := "metric         a    target\n" +
		"first       0.50  ≥ 0.90 ✗\n" +
		"lines read     ∞          \n"
	if got := tb.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if Num(math.NaN(), 2) != "n/a" || Num(math.Inf(1), 0) != "∞" || Med(2.5) != "2.5" || Med(3) != "3" {
		t.Error("Num or Med formats wrongly")
	}
	tg := AtLeast(0.9, "≥ 0.90")
	if tg.Mark(0.9) != "✓" || tg.Mark(0.89) != "✗" || tg.Mark(math.NaN()) != "" {
		t.Error("AtLeast marks wrongly")
	}
}

// TestBlankInBlocks: a blank line counts as useful only inside a labelled
// block, never at its edge or between blocks apart.
func TestBlankInBlocks(t *testing.T) {
	tests := []struct {
		name   string
		texts  []string
		useful []int
		want   []int
	}{
		{"inside a block", []string{"E1", "", "  ", "E2"}, []int{1, 4}, []int{1, 2, 3, 4}},
		{"after a block", []string{"E1", "", "x"}, []int{1}, []int{1}},
		{"before a block", []string{"", "E1"}, []int{2}, []int{2}},
		{"between a block and another line", []string{"E1", "", "x", "", "E2"}, []int{1, 5}, []int{1, 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := map[int]bool{}
			for _, n := range tt.useful {
				u[n] = true
			}
			BlankInBlocks(tt.texts, u)
			var got []int
			for n := 1; n <= len(tt.texts); n++ {
				if u[n] {
					got = append(got, n)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("useful %v, want %v", got, tt.want)
			}
		})
	}
}
