package fetch

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestBundledBucket runs the offline path of the README (detect a local
// directory laid out like a bucket, find each job's failing run and
// baselines, materialize them) on testdata/bucket, and checks the Windows
// node story it holds: the passing runs' configuration sets
// KUBERNETES_NODE_PLATFORM=windows, the failing run's does not.
func TestBundledBucket(t *testing.T) {
	root := filepath.Join("..", "testdata", "bucket") // committed: its absence is a failure
	for _, job := range []string{"ci-kubernetes-e2e-windows-gce", "pull-kubernetes-e2e-windows-gce"} {
		t.Run(job, func(t *testing.T) {
			ctx := context.Background()
			top := "logs"
			if strings.HasPrefix(job, "pull-") {
				top = "pr-logs/directory"
			}
			src, err := Detect(filepath.Join(root, filepath.FromSlash(top), job))
			if err != nil {
				t.Fatal(err)
			}
			store, err := OpenStore(src, StoreOptions{})
			if err != nil {
				t.Fatal(err)
			}
			f := &Fetcher{Store: store}
			b, err := f.Resolve(ctx, src)
			if err != nil {
				t.Fatal(err)
			}
			if b.Job != job || b.ID != "" {
				t.Fatalf("Resolve = %+v, want the job %s", b, job)
			}
			sel, err := f.Select(ctx, Query{Job: b.Job})
			if err != nil {
				t.Fatal(err)
			}
			if r := sel.Failing.Build.Result(); r != "FAILURE" {
				t.Errorf("failing run %s is %s", sel.Failing.Build.Name(), r)
			}
			if len(sel.Baselines) == 0 {
				t.Fatal("no baselines")
			}
			preset := Setting{"env", "KUBERNETES_NODE_PLATFORM", "windows"}
			if slices.Contains(sel.Failing.Build.Config(), preset) {
				t.Errorf("failing run %s sets %v", sel.Failing.Build.Name(), preset)
			}
			for _, c := range sel.Baselines {
				if c.Build.Result() != "SUCCESS" || compareIDs(c.Build.ID, sel.Failing.Build.ID) >= 0 {
					t.Errorf("baseline %s (%s) is not an older SUCCESS", c.Build.Name(), c.Build.Result())
				}
			}
			if !slices.Contains(sel.Baselines[0].Build.Config(), preset) {
				t.Errorf("newest baseline %s lacks %v", sel.Baselines[0].Build.Name(), preset)
			}
			runs, err := f.Materialize(ctx, t.TempDir(), []Build{sel.Failing.Build, sel.Baselines[0].Build}, []string{"artifacts/*/serial-1.log"})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range runs {
				if len(r.Artifacts) == 0 {
					t.Errorf("%s: no node serial logs", r.Build.Name())
				}
				if _, err := os.Stat(r.Log); err != nil {
					t.Error(err)
				}
			}
			pass, _ := os.ReadFile(runs[1].Log)
			if !strings.Contains(string(pass), "Will download and extract kubernetes-node-windows-amd64.tar.gz") {
				t.Errorf("passing log %s lacks the download line", runs[1].Log)
			}
		})
	}
}
