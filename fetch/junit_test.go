package fetch

import (
	"context"
	"errors"
	"iter"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/logdiff/logdiff/internal/prowtest"
)

// junitRun is a run with JUnit files of several dialects and files that
// only look like them.
func junitRun(id, result string) prowtest.Run {
	arts := map[string]string{}
	for _, n := range []string{
		"artifacts/junit_01.xml", "artifacts/junit_runner.xml", "artifacts/e2e-node/junit_02.xml",
		"artifacts/build/test-results/test/TEST-org.example.AppTest.xml",
		"artifacts/bazel-testlogs/pkg/server/server_test/test.xml",
		"artifacts/junit.xml.bak", "artifacts/other.xml", "artifacts-x/junit_9.xml", "junit_top.xml",
	} {
		arts[n] = "<testsuite name=\"" + n + "\"/>\n"
	}
	return prowtest.Run{Job: "ci-job", ID: id, Result: result, Artifacts: arts}
}

func TestJUnitFiles(t *testing.T) {
	b := prowtest.Bucket{}
	b.Add(junitRun("1", "SUCCESS"))
	f := &Fetcher{Store: newRemote(t, b)}
	bl := Build{Job: "ci-job", ID: "1", Dir: "logs/ci-job/1"}
	for _, tc := range []struct {
		glob string
		want []string
	}{
		{"", []string{
			"artifacts/bazel-testlogs/pkg/server/server_test/test.xml",
			"artifacts/build/test-results/test/TEST-org.example.AppTest.xml",
			"artifacts/e2e-node/junit_02.xml", "artifacts/junit_01.xml", "artifacts/junit_runner.xml",
		}},
		{"junit_0*.xml", []string{"artifacts/e2e-node/junit_02.xml", "artifacts/junit_01.xml"}},
		{"artifacts/*.xml", []string{"artifacts/junit_01.xml", "artifacts/junit_runner.xml", "artifacts/other.xml"}},
		{"artifacts/**/TEST-*.xml", []string{"artifacts/build/test-results/test/TEST-org.example.AppTest.xml"}},
		{"**/junit_*.xml", []string{"artifacts-x/junit_9.xml", "artifacts/e2e-node/junit_02.xml", "artifacts/junit_01.xml", "artifacts/junit_runner.xml", "junit_top.xml"}},
		{"artifacts/**/junit_01.xml", []string{"artifacts/junit_01.xml"}},
		{"artifacts/none/**", nil},
	} {
		t.Run(tc.glob, func(t *testing.T) {
			got, err := f.JUnitFiles(context.Background(), bl, tc.glob)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("JUnitFiles(%q) =\n\t%s\nwant\n\t%s", tc.glob, strings.Join(got, "\n\t"), strings.Join(tc.want, "\n\t"))
			}
			// The exported matcher (attach's, for the run's own files)
			// takes the same files.
			match, err := JUnitMatcher(tc.glob)
			if err != nil {
				t.Fatal(err)
			}
			var matched []string
			for name := range junitRun("1", "SUCCESS").Artifacts {
				if match(name) {
					matched = append(matched, name)
				}
			}
			slices.Sort(matched)
			if !slices.Equal(matched, tc.want) {
				t.Errorf("JUnitMatcher(%q) takes\n\t%s\nwant\n\t%s", tc.glob, strings.Join(matched, "\n\t"), strings.Join(tc.want, "\n\t"))
			}
		})
	}
	for _, glob := range []string{"/abs/junit.xml", "artifacts/../junit.xml", "artifacts//junit.xml", "[x", "artifacts/[x/a.xml", "artifacts/a**/b.xml"} {
		t.Run("bad "+glob, func(t *testing.T) {
			_, err := f.JUnitFiles(context.Background(), bl, glob)
			if err == nil || !strings.Contains(err.Error(), glob) {
				t.Errorf("err = %v, want one naming %q", err, glob)
			}
			if _, err := JUnitMatcher(glob); err == nil || !strings.Contains(err.Error(), glob) {
				t.Errorf("JUnitMatcher: err = %v, want one naming %q", err, glob)
			}
		})
	}
	t.Run("a lone file has none", func(t *testing.T) {
		got, err := f.JUnitFiles(context.Background(), Build{Log: "some.log"}, "")
		if err != nil || got != nil {
			t.Errorf("JUnitFiles of a lone remote file = %v, %v", got, err)
		}
	})
}

func TestMatchParts(t *testing.T) {
	for _, tc := range []struct {
		glob, name string
		want       bool
	}{
		{"a/**/b", "a/b", true},
		{"a/**/b", "a/x/y/b", true},
		{"a/**/b", "a/x/y/c", false},
		{"**", "a/b/c", true},
		{"**/*.xml", "a.xml", true},
		{"a/*", "a/b/c", false},
		{"a/**/**/c", "a/c", true},
		{"*/b", "a/b", true},
	} {
		if got := matchParts(strings.Split(tc.glob, "/"), strings.Split(tc.name, "/")); got != tc.want {
			t.Errorf("matchParts(%q, %q) = %v, want %v", tc.glob, tc.name, got, tc.want)
		}
	}
}

// brokenList fails to list one run's directory, as a refused listing would.
type brokenList struct {
	Store
	dir string
}

func (s brokenList) List(ctx context.Context, prefix, delim string) iter.Seq2[Object, error] {
	if strings.HasPrefix(prefix, s.dir) {
		return func(yield func(Object, error) bool) { yield(Object{}, errors.New("403 refused")) }
	}
	return s.Store.List(ctx, prefix, delim)
}

func TestMaterializeJUnit(t *testing.T) {
	b := prowtest.Bucket{}
	b.Add(junitRun("7", "FAILURE"))
	b.Add(junitRun("6", "SUCCESS"))
	b.Add(prowtest.Run{Job: "ci-job", ID: "5", Result: "SUCCESS"}) // no JUnit at all
	dir := prowtest.WriteDir(t, b)
	local, err := OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	want := []string{"artifacts/e2e-node/junit_02.xml", "artifacts/junit_01.xml"}
	for _, tc := range []struct {
		name  string
		store Store
	}{{"local", local}, {"remote", newRemote(t, b)}} {
		t.Run(tc.name, func(t *testing.T) {
			f := &Fetcher{Store: tc.store}
			var builds []Build
			for _, id := range []string{"7", "6", "5"} {
				bl, err := f.Resolve(ctx, Source{Kind: KindGCS, Bucket: "b", Path: "logs/ci-job/" + id})
				if err != nil {
					t.Fatal(err)
				}
				builds = append(builds, bl)
			}
			// The failing run's junit_01.xml is also an artifact: fetched once.
			runs, err := f.Materialize(ctx, t.TempDir(), builds, []string{"artifacts/junit_01.xml"})
			if err != nil {
				t.Fatal(err)
			}
			if err := f.MaterializeJUnit(ctx, runs, "junit_0*.xml"); err != nil {
				t.Fatal(err)
			}
			for i, r := range runs[:2] {
				if !slices.Equal(r.JUnit, want) {
					t.Errorf("run %d JUnit = %v, want %v", i, r.JUnit, want)
				}
				for _, j := range r.JUnit {
					body, err := os.ReadFile(filepath.Join(r.Dir, filepath.FromSlash(j)))
					if err != nil || !strings.Contains(string(body), j) {
						t.Errorf("run %d %s: %q, %v", i, j, body, err)
					}
				}
			}
			if runs[2].JUnit != nil {
				t.Errorf("run without JUnit files: %v", runs[2].JUnit)
			}
			if rem, ok := tc.store.(*remote); ok {
				if n := rem.count("logs/ci-job/7/artifacts/junit_01.xml"); n != 1 {
					t.Errorf("junit_01.xml of the failing run opened %d times, want 1", n)
				}
			}
		})
	}
	t.Run("trouble with one run leaves the others", func(t *testing.T) {
		f := &Fetcher{Store: brokenList{newRemote(t, b), "logs/ci-job/6/"}}
		var builds []Build
		for _, id := range []string{"7", "6"} {
			bl, err := f.Resolve(ctx, Source{Kind: KindGCS, Bucket: "b", Path: "logs/ci-job/" + id})
			if err != nil {
				t.Fatal(err)
			}
			builds = append(builds, bl)
		}
		runs, err := f.Materialize(ctx, t.TempDir(), builds, nil)
		if err != nil {
			t.Fatal(err)
		}
		err = f.MaterializeJUnit(ctx, runs, "")
		if err == nil || !strings.Contains(err.Error(), "ci-job/6") || !strings.Contains(err.Error(), "403 refused") {
			t.Errorf("err = %v, want one naming ci-job/6 and the cause", err)
		}
		if len(runs[0].JUnit) != 5 || runs[1].JUnit != nil {
			t.Errorf("JUnit = %v and %v, want 5 files and none", runs[0].JUnit, runs[1].JUnit)
		}
		// The run whose listing failed is marked: its results are not
		// whole, and a test absent from them may have run.
		if runs[0].JUnitIncomplete || !runs[1].JUnitIncomplete {
			t.Errorf("JUnitIncomplete = %v and %v, want false and true", runs[0].JUnitIncomplete, runs[1].JUnitIncomplete)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		f := &Fetcher{Store: newRemote(t, b)}
		bl, err := f.Resolve(ctx, Source{Kind: KindGCS, Bucket: "b", Path: "logs/ci-job/7"})
		if err != nil {
			t.Fatal(err)
		}
		runs, err := f.Materialize(ctx, t.TempDir(), []Build{bl}, nil)
		if err != nil {
			t.Fatal(err)
		}
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if err := f.MaterializeJUnit(cctx, runs, ""); !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	})
	t.Run("bad glob", func(t *testing.T) {
		f := &Fetcher{Store: local}
		if err := f.MaterializeJUnit(ctx, nil, "[x"); err == nil || !strings.Contains(err.Error(), "[x") {
			t.Errorf("err = %v, want one naming the glob", err)
		}
	})
}

// TestJUnitOfLocalRunDirectory: a run's directory outside Prow's layout,
// as given to logdiff diff DIR DIR, has the JUnit files below its
// artifacts/.
func TestJUnitOfLocalRunDirectory(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"build-log.txt":             "log\n",
		"artifacts/junit_01.xml":    "<testsuite/>\n",
		"artifacts/nested/test.xml": "<testsuite/>\n",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	src, err := Detect(dir)
	if err != nil {
		t.Fatal(err)
	}
	store, err := OpenStore(src, StoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	f := &Fetcher{Store: store}
	bl, err := f.Resolve(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	runs, err := f.Materialize(ctx, t.TempDir(), []Build{bl}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.MaterializeJUnit(ctx, runs, ""); err != nil {
		t.Fatal(err)
	}
	if want := []string{"artifacts/junit_01.xml", "artifacts/nested/test.xml"}; !slices.Equal(runs[0].JUnit, want) {
		t.Errorf("JUnit = %v, want %v", runs[0].JUnit, want)
	}
	if _, err := os.Stat(filepath.Join(runs[0].Dir, "artifacts", "junit_01.xml")); err != nil {
		t.Error(err)
	}
}

// TestBundledBucketJUnit finds the JUnit files of the sample's stories:
// the Windows job's failing run has only kubetest's, its passing runs
// Ginkgo's too; so do both runs of the containerd job.
func TestBundledBucketJUnit(t *testing.T) {
	root := filepath.Join("..", "testdata", "bucket")
	if _, err := os.Stat(root); err != nil {
		t.Fatal("the sample bucket, committed in testdata/bucket:", err)
	}
	both := []string{"artifacts/junit_01.xml", "artifacts/junit_runner.xml"}
	for _, tc := range []struct {
		job           string
		failing, pass []string
	}{
		{"ci-kubernetes-e2e-windows-gce", []string{"artifacts/junit_runner.xml"}, both},
		{"ci-kubernetes-e2e-windows-containerd-gce", both, both},
	} {
		t.Run(tc.job, func(t *testing.T) {
			ctx := context.Background()
			store, err := OpenDir(root)
			if err != nil {
				t.Fatal(err)
			}
			f := &Fetcher{Store: store}
			sel, err := f.Select(ctx, Query{Job: tc.job})
			if err != nil {
				t.Fatal(err)
			}
			runs, err := f.Materialize(ctx, t.TempDir(), []Build{sel.Failing.Build, sel.Baselines[0].Build}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := f.MaterializeJUnit(ctx, runs, ""); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(runs[0].JUnit, tc.failing) || !slices.Equal(runs[1].JUnit, tc.pass) {
				t.Errorf("JUnit files: failing run %v, baseline %v; want %v, %v", runs[0].JUnit, runs[1].JUnit, tc.failing, tc.pass)
			}
		})
	}
}
