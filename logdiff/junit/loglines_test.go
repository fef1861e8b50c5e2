package junit

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestLogLines(t *testing.T) {
	for _, tc := range []struct {
		file, name string
		max        int
		want       []string
	}{
		{"ginkgo-v2-junit_01.xml", "[It] [sig-storage] CSI Volumes [Driver: csi-hostpath] [Testpattern: Dynamic PV (default fs)] provisioning should provision storage with snapshot data source [Feature:VolumeSnapshotDataSource]", 0,
			[]string{"[FAILED] timed out waiting for the condition"}},
		{"ginkgo-v1-junit_01.xml", "[sig-network] Services should serve a basic endpoint from pods  [Conformance]", 2,
			[]string{"Jan 12 04:26:58.044: Unexpected endpoints: found map[], expected map[pod1:[80]] (3m0s elapsed, will retry)"}},
		{"junit_runner.xml", "Test", 0,
			[]string{`error during ./hack/ginkgo-e2e.sh --ginkgo.focus=\[sig-storage\] --report-dir=/logs/artifacts --disable-log-dump=true: exit status 1`}},
		{"gotestsum.xml", "TestEvict/lru", 0,
			[]string{`cache_test.go:88: evicted "k3", want "k1"`}},
		{"gotestsum.xml", "TestMain", 5,
			[]string{"panic: open /tmp/disk-test-2817/db: no space left on device"}},
		{"TEST-org.example.calc.CalculatorTest.xml", "dividesByZero", 0,
			[]string{"expected: <Infinity> but was: <NaN>", "org.opentest4j.AssertionFailedError: expected: <Infinity> but was: <NaN>"}},
		{"pytest.xml", "test_create_user[admin]", 2,
			[]string{"AssertionError: assert 500 == 201", "client = <FlaskClient <Flask 'app'>>, role = 'admin'"}},
		{"bazel-test.xml", "Wraps", 0,
			[]string{"Expected equality of these values:", "rb.Size()", "Which is: 3"}},
	} {
		t.Run(tc.file+"/"+tc.name, func(t *testing.T) {
			cases, err := ParseFile(filepath.Join("testdata", tc.file), Options{})
			if err != nil {
				t.Fatal(err)
			}
			c := find(t, cases, tc.name)
			if got := LogLines(c.Message, c.Text, tc.max); !slices.Equal(got, tc.want) {
				t.Errorf("LogLines = %q\nwant %q", got, tc.want)
			}
		})
	}
	t.Run("nothing telling", func(t *testing.T) {
		if got := LogLines("Failed", "=== RUN   TestX\n--- FAIL: TestX (0.00s)\nFAIL\n\tat org.x.Y.z(Y.java:3)\n=====", 3); len(got) != 0 {
			t.Errorf("LogLines = %q, want none", got)
		}
	})
	t.Run("max", func(t *testing.T) {
		text := strings.Repeat("a distinct line\n", 2) + "line two\nline three\nline four\n"
		if got := LogLines("", text, 2); !slices.Equal(got, []string{"a distinct line", "line two"}) {
			t.Errorf("LogLines = %q", got)
		}
	})
}
