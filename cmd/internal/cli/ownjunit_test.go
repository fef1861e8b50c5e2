package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/logdiff/logdiff/fetch"
)

// TestOwnJUnit: attach finds the current run's JUnit files in $ARTIFACTS
// as fetch finds a baseline's under its artifacts/ (the same --junit
// globs, "**" included), never its own reports; too many files is said,
// not silently cut.
func TestOwnJUnit(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{
		"junit_01.xml", "junit_runner.xml", "e2e/junit_02.xml", "e2e/deep/junit_03.xml",
		"build/test-results/TEST-org.example.AppTest.xml", "bazel/pkg/test.xml",
		"other.xml", "junit.xml.bak", "junit_logdiff.xml", // the last is attach's own report
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("<testsuite/>\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		glob string
		want []string
	}{
		{"", []string{"bazel/pkg/test.xml", "build/test-results/TEST-org.example.AppTest.xml", "e2e/deep/junit_03.xml", "e2e/junit_02.xml", "junit_01.xml", "junit_runner.xml"}},
		{"junit_0*.xml", []string{"e2e/deep/junit_03.xml", "e2e/junit_02.xml", "junit_01.xml"}},
		{"artifacts/**/junit_*.xml", []string{"e2e/deep/junit_03.xml", "e2e/junit_02.xml", "junit_01.xml", "junit_runner.xml"}},
		{"artifacts/*/junit_*.xml", []string{"e2e/junit_02.xml"}},
		{"artifacts/*.xml", []string{"junit_01.xml", "junit_runner.xml", "other.xml"}},
		{"**/TEST-*.xml", []string{"build/test-results/TEST-org.example.AppTest.xml"}},
		{"logs/*.xml", nil}, // outside artifacts/: not in $ARTIFACTS
	} {
		t.Run(tc.glob, func(t *testing.T) {
			got, err := ownJUnit(dir, tc.glob)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("ownJUnit(%q) =\n\t%s\nwant\n\t%s", tc.glob, strings.Join(got, "\n\t"), strings.Join(tc.want, "\n\t"))
			}
		})
	}
	t.Run("no directory", func(t *testing.T) {
		// $ARTIFACTS not made yet: the job wrote no test results, which
		// is not trouble.
		got, err := ownJUnit(filepath.Join(dir, "absent"), "")
		if err != nil || got != nil {
			t.Errorf("ownJUnit of a missing directory = %v, %v; want nothing and no error", got, err)
		}
	})
	t.Run("a linked directory", func(t *testing.T) {
		// $ARTIFACTS as a symbolic link to where the job writes: its
		// files are found, not read as none.
		link := filepath.Join(t.TempDir(), "artifacts")
		if err := os.Symlink(dir, link); err != nil {
			t.Skip("no symbolic links here:", err)
		}
		got, err := ownJUnit(link, "")
		if err != nil || len(got) != 6 {
			t.Errorf("ownJUnit of a link = %v, %v; want the 6 files of its target", got, err)
		}
	})
	t.Run("bad glob", func(t *testing.T) {
		if _, err := ownJUnit(dir, "artifacts/a**/b.xml"); err == nil || !strings.Contains(err.Error(), "a**") {
			t.Errorf("err = %v, want one naming the glob", err)
		}
	})
	t.Run("too many", func(t *testing.T) {
		many := t.TempDir()
		for i := range fetch.MaxJUnitFiles + 1 {
			if err := os.WriteFile(filepath.Join(many, fmt.Sprintf("junit_%04d.xml", i)), nil, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		got, err := ownJUnit(many, "")
		if err == nil || !strings.Contains(err.Error(), many) || !strings.Contains(err.Error(), "more than 1000") || got != nil {
			t.Errorf("ownJUnit of %d files = %d files, %v; want none and an error naming the directory", fetch.MaxJUnitFiles+1, len(got), err)
		}
	})
}
