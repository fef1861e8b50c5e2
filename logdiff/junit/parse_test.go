package junit

import (
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// dump prints cases one field a line, for golden files and failure
// messages.
func dump(cases []Case) string {
	var b strings.Builder
	for _, c := range cases {
		fmt.Fprintf(&b, "%q %q %q\n", c.Suite, c.Class, c.Name)
		fmt.Fprintf(&b, "  %s time=%g", c.Status, c.Time)
		if c.Flaky {
			b.WriteString(" flaky")
		}
		if c.Reruns > 0 {
			fmt.Fprintf(&b, " reruns=%d", c.Reruns)
		}
		b.WriteString("\n")
		if c.Message != "" || c.Type != "" {
			fmt.Fprintf(&b, "  message=%q type=%q\n", c.Message, c.Type)
		}
		if c.Text != "" {
			fmt.Fprintf(&b, "  text=%q cut=%v\n", c.Text, c.TextCut)
		}
		if c.SystemOut != "" {
			fmt.Fprintf(&b, "  out=%q\n", c.SystemOut)
		}
		if c.SystemErr != "" {
			fmt.Fprintf(&b, "  err=%q\n", c.SystemErr)
		}
	}
	return b.String()
}

func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -update writes it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (go test -update rewrites it); got:\n%s", path, got)
	}
}

func tally(cases []Case) map[Status]int {
	m := map[Status]int{}
	for _, c := range cases {
		m[c.Status]++
	}
	return m
}

func find(t *testing.T, cases []Case, name string) Case {
	t.Helper()
	for _, c := range cases {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no case %q in:\n%s", name, dump(cases))
	return Case{}
}

// TestDialects reads one small file of each dialect, pins everything read
// in a golden file, and checks what the comparison relies on: each case's
// status, suite and identity, and the failure's message and text.
func TestDialects(t *testing.T) {
	for _, tc := range []struct {
		file  string
		tally map[Status]int
		check func(t *testing.T, cases []Case)
	}{
		{"ginkgo-v2-junit_01.xml", map[Status]int{Passed: 3, Failed: 1, Skipped: 2}, func(t *testing.T, cases []Case) {
			c := find(t, cases, "[It] [sig-storage] CSI Volumes [Driver: csi-hostpath] [Testpattern: Dynamic PV (default fs)] provisioning should provision storage with snapshot data source [Feature:VolumeSnapshotDataSource]")
			if c.Suite != "Kubernetes e2e suite" || c.Type != "failed" || !strings.HasPrefix(c.Message, "[FAILED] timed out waiting for the condition\nIn [It] at:") {
				t.Errorf("failed spec: %s", dump([]Case{c}))
			}
			if !strings.Contains(c.SystemErr, "STEP: Creating a kubernetes client") {
				t.Errorf("failed spec lost its timeline: %q", c.SystemErr)
			}
			if p := find(t, cases, "[It] [sig-storage] Mounted volume expand [Feature:StorageProvider] Should verify mounted devices can be resized"); p.Status != Skipped || p.Message != "pending" {
				t.Errorf("pending spec: %s", dump([]Case{p}))
			}
		}},
		{"ginkgo-v1-junit_01.xml", map[Status]int{Passed: 1, Failed: 1, Skipped: 3}, func(t *testing.T, cases []Case) {
			c := find(t, cases, "[sig-network] Services should serve a basic endpoint from pods  [Conformance]")
			if c.Message != "" || !strings.Contains(c.Text, "Unexpected endpoints: found map[], expected map[pod1:[80]]") {
				t.Errorf("v1 failure: %s", dump([]Case{c}))
			}
		}},
		{"junit_runner.xml", map[Status]int{Passed: 5, Failed: 1}, func(t *testing.T, cases []Case) {
			c := find(t, cases, "Test")
			if c.Suite != "" || c.Class != "e2e.go" || c.Group() != "e2e.go" || !strings.HasPrefix(c.Text, "error during ./hack/ginkgo-e2e.sh") {
				t.Errorf("kubetest step: %s", dump([]Case{c}))
			}
		}},
		{"TEST-org.example.calc.CalculatorTest.xml", map[Status]int{Passed: 2, Failed: 2, Errored: 1, Skipped: 1}, func(t *testing.T, cases []Case) {
			if c := find(t, cases, "dividesByZero"); c.Status != Failed || c.Reruns != 2 || c.Message != "expected: <Infinity> but was: <NaN>" || c.Type != "org.opentest4j.AssertionFailedError" {
				t.Errorf("rerun failure: %s", dump([]Case{c}))
			}
			if c := find(t, cases, "parsesHex"); c.Status != Passed || !c.Flaky || c.SystemOut != "connecting to localhost:8089\nconnected" {
				t.Errorf("flaky pass: %s", dump([]Case{c}))
			}
			if c := find(t, cases, "loadsConfig"); c.Status != Errored || c.SystemErr != "WARN config not found, using defaults" {
				t.Errorf("error: %s", dump([]Case{c}))
			}
		}},
		{"gradle/test-results/test/TEST-org.example.parser.TokenizerTest.xml", map[Status]int{Passed: 2, Failed: 1, Skipped: 1}, func(t *testing.T, cases []Case) {
			if c := find(t, cases, "[1] input=a b, expected=2"); c.Suite != "org.example.parser.TokenizerTest" || c.SystemOut != "" {
				t.Errorf("the suite's system-out belongs to no case: %s", dump([]Case{c}))
			}
		}},
		{"pytest.xml", map[Status]int{Passed: 1, Failed: 1, Errored: 2, Skipped: 1}, func(t *testing.T, cases []Case) {
			c := find(t, cases, "test_create_user[admin]")
			if c.Status != Failed || c.Suite != "pytest" || c.Message != "AssertionError: assert 500 == 201\n +  where 500 = <Response [500]>.status_code" {
				t.Errorf("a failure then a teardown error: the failure tells: %s", dump([]Case{c}))
			}
			if c := find(t, cases, "test_migrations"); c.Status != Errored || !strings.Contains(c.Text, "psycopg2.OperationalError") {
				t.Errorf("setup error: %s", dump([]Case{c}))
			}
			if c := find(t, cases, "test_create_user[viewer]"); c.Type != "pytest.skip" || c.Text != "tests/test_api.py:25: viewer role disabled" {
				t.Errorf("skip: %s", dump([]Case{c}))
			}
		}},
		{"gotestsum.xml", map[Status]int{Passed: 2, Failed: 2, Skipped: 1}, func(t *testing.T, cases []Case) {
			if c := find(t, cases, "TestEvict/lru"); c.Suite != "github.com/example/store/cache" || c.Message != "Failed" || !strings.Contains(c.Text, `cache_test.go:88: evicted "k3", want "k1"`) {
				t.Errorf("go test failure: %s", dump([]Case{c}))
			}
		}},
		{"bazel-test.xml", map[Status]int{Passed: 2, Failed: 1, Skipped: 1}, func(t *testing.T, cases []Case) {
			if c := find(t, cases, "DISABLED_Resize"); c.Status != Skipped {
				t.Errorf("notrun: %s", dump([]Case{c}))
			}
			if c := find(t, cases, "Wraps"); !strings.HasSuffix(c.Text, "Which is: 3\n  4") {
				t.Errorf("gtest failure: %s", dump([]Case{c}))
			}
		}},
		{"bazel-generated-test.xml", map[Status]int{Errored: 1}, func(t *testing.T, cases []Case) {
			if c := cases[0]; c.Suite != "//storage/server:server_test" || c.Message != "exited with error code 1" || !strings.Contains(c.SystemOut, "server did not answer /healthz within 60s") {
				t.Errorf("generated: %s", dump(cases))
			}
		}},
		{"ansi.xml", map[Status]int{Failed: 1, Passed: 1}, func(t *testing.T, cases []Case) {
			c := cases[0]
			if c.Message != "expected true to be false" || !strings.HasPrefix(c.Text, "AssertionError: expected true to be false\n") {
				t.Errorf("colour codes left in: %s", dump(cases))
			}
			if c.SystemOut != "progress done \uFFFD\uFFFD ok" {
				t.Errorf("control characters and invalid UTF-8: out=%q", c.SystemOut)
			}
			if cases[1].Name != "after " {
				t.Errorf("a stray ESC before a quote: name %q", cases[1].Name)
			}
		}},
		{"latin1.xml", map[Status]int{Failed: 1}, func(t *testing.T, cases []Case) {
			if c := cases[0]; c.Suite != "café" || c.Name != "naïve" || c.Message != "échec" || c.Text != "déjà vu" {
				t.Errorf("Latin-1: %s", dump(cases))
			}
		}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join("testdata", filepath.FromSlash(tc.file))
			cases, err := ParseFile(path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got := tally(cases); fmt.Sprint(got) != fmt.Sprint(tc.tally) {
				t.Errorf("statuses %v, want %v", got, tc.tally)
			}
			for _, c := range cases {
				if c.File != path {
					t.Errorf("case %q: File %q, want %q", c.Name, c.File, path)
				}
			}
			tc.check(t, cases)
			checkGolden(t, filepath.Join("testdata", "golden", strings.ReplaceAll(tc.file, "/", "_")+".txt"), dump(cases))
		})
	}
}

func TestParseErrors(t *testing.T) {
	full, err := os.ReadFile(filepath.Join("testdata", "ginkgo-v2-junit_01.xml"))
	if err != nil {
		t.Fatal(err)
	}
	all, err := Parse(bytes.NewReader(full), "x", Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Cut inside the failing spec's <system-err>: the three cases before
	// it are read, the one cut off is not.
	at := bytes.Index(full, []byte("Waiting for snapshot"))
	for _, tc := range []struct {
		name    string
		in      []byte
		n       int    // cases read
		wantErr string // in the error
	}{
		{"cut short", full[:at], 2, "junit_01.xml: line 23: cut short (unexpected end of file): 2 test cases read before it"},
		{"cut between cases", full[:bytes.Index(full, []byte("<testcase name=\"[ReportAfterSuite]"))], 5, "cut short"},
		{"empty", nil, 0, "junit_01.xml: empty"},
		{"only blanks", []byte("  \n"), 0, "empty"},
		{"HTML", []byte("<!DOCTYPE html><html><body>Not Found</body></html>"), 0, "not a JUnit report: the root element is <html>"},
		{"JSON", []byte(`{"tests": []}`), 0, "junit_01.xml: "},
		{"mismatched tags", []byte(`<testsuite><testcase name="a"></testcase><testcase name="b"></testsuite>`), 1, "line 1: element <testcase> closed by </testsuite>"},
		{"UTF-16", []byte("\xff\xfe<\x00t\x00"), 0, "UTF-16 is not supported"},
		{"unknown encoding", []byte(`<?xml version="1.0" encoding="Shift_JIS"?><testsuite/>`), 0, `encoding "shift_jis" is not supported`},
		{"bad gzip", []byte("\x1f\x8b\x08\x00garbage"), 0, "junit_01.xml: gzip"},
		{"nested too deep", []byte(strings.Repeat("<testsuite>", maxDepth+1)), 0, "nested more than 256 deep"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cases, err := Parse(bytes.NewReader(tc.in), "artifacts/junit_01.xml", Options{})
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("err = %v, want it to hold %q", err, tc.wantErr)
			}
			if len(cases) != tc.n {
				t.Errorf("read %d cases, want %d:\n%s", len(cases), tc.n, dump(cases))
			}
			if tc.n > 0 && len(all) >= tc.n && dump(cases) != dump(all[:tc.n]) && !strings.Contains(tc.name, "mismatched") {
				t.Errorf("cases read before the trouble differ from the whole file's")
			}
		})
	}
	t.Run("missing file", func(t *testing.T) {
		_, err := ParseFile(filepath.Join(t.TempDir(), "junit.xml"), Options{})
		if err == nil || !strings.Contains(err.Error(), "junit.xml") {
			t.Errorf("err = %v, want one naming the file", err)
		}
	})
}

func TestGzip(t *testing.T) {
	full, err := os.ReadFile(filepath.Join("testdata", "pytest.xml"))
	if err != nil {
		t.Fatal(err)
	}
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write(full)
	zw.Close()
	want, _ := Parse(bytes.NewReader(full), "p", Options{})
	got, err := Parse(bytes.NewReader(z.Bytes()), "p", Options{})
	if err != nil || dump(got) != dump(want) {
		t.Errorf("gzip: err %v, cases:\n%s", err, dump(got))
	}
	// Cut short: the cases before the cut and an error.
	got, err = Parse(bytes.NewReader(z.Bytes()[:z.Len()/2]), "p.xml.gz", Options{})
	if err == nil || !strings.Contains(err.Error(), "p.xml.gz") || len(got) >= len(want) {
		t.Errorf("truncated gzip: %d cases, err %v", len(got), err)
	}
}

// TestBounds checks that what a case keeps is cut to the options, at line
// and rune boundaries, and says so.
func TestBounds(t *testing.T) {
	long := strings.Repeat("é", 5000) // 10,000 bytes, two per rune
	var lines strings.Builder
	for i := range 100 {
		fmt.Fprintf(&lines, "line %d\n", i)
	}
	doc := `<testsuite name="s">
<testcase name="long"><failure message="` + strings.Repeat("m", 10000) + `">` + long + `</failure><system-out>` + long + `</system-out></testcase>
<testcase name="lines"><error>

   ` + lines.String() + `</error></testcase>
<testcase name="exact"><failure>one
two
</failure></testcase>
</testsuite>`
	cases, err := Parse(strings.NewReader(doc), "bounds", Options{TextLines: 3, TextBytes: 101, OutputBytes: 51})
	if err != nil {
		t.Fatal(err)
	}
	c := cases[0]
	if len(c.Text) != 100 || !c.TextCut || len(c.SystemOut) != 50 {
		t.Errorf("long: text %d bytes (cut %v), out %d bytes; want 100 (true), 50", len(c.Text), c.TextCut, len(c.SystemOut))
	}
	if len(c.Message) > maxMessageBytes+len("…") || !strings.HasSuffix(c.Message, "…") {
		t.Errorf("message of %d bytes not cut", len(c.Message))
	}
	if c := cases[1]; c.Text != "   line 0\nline 1\nline 2" || !c.TextCut {
		t.Errorf("lines: text %q cut %v", c.Text, c.TextCut)
	}
	if c := cases[2]; c.Text != "one\ntwo" || c.TextCut {
		t.Errorf("text within the bounds: %q cut %v", c.Text, c.TextCut)
	}
	none, err := Parse(strings.NewReader(doc), "bounds", Options{OutputBytes: -1})
	if err != nil || none[0].SystemOut != "" {
		t.Errorf("OutputBytes < 0 keeps %q (err %v)", none[0].SystemOut, err)
	}
}

// TestSanitizerAcrossReads feeds the cleaning reader one byte at a time,
// so that every construct it judges is split between reads.
func TestSanitizerAcrossReads(t *testing.T) {
	full, err := os.ReadFile(filepath.Join("testdata", "ansi.xml"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := Parse(bytes.NewReader(full), "ansi", Options{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := Parse(oneByte{bytes.NewReader(full)}, "ansi", Options{})
	if err != nil || dump(got) != dump(want) {
		t.Errorf("one byte at a time: err %v\n%s\nwant\n%s", err, dump(got), dump(want))
	}
}

type oneByte struct{ r *bytes.Reader }

func (o oneByte) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	return o.r.Read(p[:1])
}

func TestCharRef(t *testing.T) {
	for _, tc := range []struct {
		in       string
		code     rune
		n        int
		complete bool
	}{
		{"&#27;x", 27, 5, true},
		{"&#x1b;", 27, 6, true},
		{"&#X1B;", 27, 6, true},
		{"&amp;", 0, 0, true},
		{"&#;", 0, 0, true},
		{"&#x;", 0, 0, true},
		{"&#12", 0, 0, false},
		{"&", 0, 0, false},
		{"&#99999999999;", 0, 0, true},
		{"&#1114111;", 0x10ffff, 10, true},
	} {
		code, n, complete := charRef([]byte(tc.in))
		if code != tc.code && tc.n > 0 || n != tc.n || complete != tc.complete {
			t.Errorf("charRef(%q) = %d, %d, %v; want %d, %d, %v", tc.in, code, n, complete, tc.code, tc.n, tc.complete)
		}
	}
}

// TestFilterEscapes: the filter drops terminal escape sequences as the log
// reader does (sanitize.Escape's), a raw C1 CSI byte included, read whole
// or a byte at a time, and a sequence never runs past a quote or a tag.
func TestFilterEscapes(t *testing.T) {
	for _, tt := range []struct {
		name, name2, out  string // the case's name and system-out in the document
		wantName, wantOut string
	}{
		{"CSI", "a", "\x1b[1;31mred\x1b[0m ok", "a", "red ok"},
		{"C1 CSI 0x9b", "a", "error \x9b2Jcleared", "a", "error cleared"},
		{"0x9b in UTF-8 kept", "a", "ћ ok", "a", "ћ ok"},
		{"OSC ended by BEL", "a", "\x1b]0;title\x07after", "a", "after"},
		{"OSC ended by ST", "a", "\x1b]8;;https://x.test/\x1b\\link\x1b]8;;\x1b\\ text", "a", "link text"},
		{"ESC with an intermediate", "a", "\x1b(Bascii", "a", "ascii"},
		{"lone ESC before a quote", "a\x1b", "x", "a", "x"},
		{"ESC SP before a tag", "a", "x\x1b ", "a", "x"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			doc := "<testsuite><testcase name=\"" + tt.name2 + "\" time=\"0.5\"><system-out>" + tt.out + "</system-out></testcase></testsuite>"
			for _, r := range []io.Reader{strings.NewReader(doc), oneByte{bytes.NewReader([]byte(doc))}} {
				cases, err := Parse(r, "escapes", Options{})
				if err != nil {
					t.Fatal(err)
				}
				if len(cases) != 1 || cases[0].Name != tt.wantName || cases[0].SystemOut != tt.wantOut || cases[0].Time != 0.5 {
					t.Fatalf("%q: got %s, want name %q, time 0.5, out %q", doc, dump(cases), tt.wantName, tt.wantOut)
				}
			}
		})
	}
}
