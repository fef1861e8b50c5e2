package sweep_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/logdiff/logdiff/cmd/internal/cli"
	"github.com/logdiff/logdiff/cmd/internal/iostreams"
)

// runCLI runs logdiff in this process with a fixed clock.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	ios, _, out, errOut := iostreams.Test()
	f := &cli.Factory{IO: ios, Now: func() time.Time { return testNow }, Getwd: os.Getwd}
	code = cli.Run(context.Background(), f, args)
	return code, out.String(), errOut.String()
}

// TestShardProcesses splits the generated sweep into three shards run as
// three processes at once (the second through JOB_COMPLETION_INDEX, as an
// Indexed Job runs it), merges their records, and checks that the summary
// is the one of the sweep not split.
func TestShardProcesses(t *testing.T) {
	sc := genScenario(defaultCounts, 30)
	bucketDir := t.TempDir()
	writeDir(t, bucketDir, sc.bucket)
	work := t.TempDir()
	cfg := filepath.Join(work, "sweep.yaml")
	os.WriteFile(cfg, []byte(fmt.Sprintf("bucket: %s\nprefixes: [logs/, pr-logs/directory/]\nbaselines: 2\nno_user_rules: true\nrecords: run/\n", bucketDir)), 0o644)

	var wg sync.WaitGroup
	outs := make([][]byte, 3)
	errs := make([]error, 3)
	for i := range 3 {
		wg.Go(func() {
			args := []string{"sweep", "--config", cfg, "--no-cache"}
			if i != 1 {
				args = append(args, "--shard", fmt.Sprintf("%d/3", i))
			}
			cmd := helper(t, "cli", args...)
			if i == 1 {
				cmd.Env = append(cmd.Env, "JOB_COMPLETION_INDEX=1", "JOB_COMPLETIONS=3")
			}
			outs[i], errs[i] = cmd.CombinedOutput()
		})
	}
	wg.Wait()
	total := 0
	for i := range 3 {
		if errs[i] != nil {
			t.Fatalf("shard %d/3: %v\n%s", i, errs[i], outs[i])
		}
		var n int
		if _, err := fmt.Sscanf(string(outs[i][bytes.Index(outs[i], []byte("swept ")):]), "swept %d jobs (shard", &n); err != nil {
			t.Fatalf("shard %d/3 said %q", i, outs[i])
		}
		if !strings.Contains(string(outs[i]), fmt.Sprintf("(shard %d/3 of %d jobs)", i, len(sc.all))) {
			t.Errorf("shard %d/3 said %q", i, outs[i])
		}
		total += n
	}
	if total != len(sc.all) {
		t.Errorf("the shards swept %d jobs, want %d", total, len(sc.all))
	}

	code, merged, stderr := runCLI(t, "sweep", "merge", filepath.Join(work, "run"), "-o", "json")
	if code != 1 {
		t.Fatalf("merge: exit %d, want 1 (new regressions)\n%s", code, stderr)
	}
	code, whole, stderr := runCLI(t, "sweep", "--config", cfg, "--records", filepath.Join(work, "whole.jsonl"), "--no-cache", "-o", "json")
	if code != 1 {
		t.Fatalf("sweep: exit %d, want 1\n%s", code, stderr)
	}
	if merged != whole {
		t.Errorf("merged summary differs from the sweep's:\n%s\nwant\n%s", merged, whole)
	}
	if !strings.Contains(whole, `"ci-sweep-win-00"`) || strings.Count(whole, `"key"`) < 2 {
		t.Errorf("summary lacks the regressions:\n%s", whole)
	}
}
