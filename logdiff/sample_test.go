package logdiff

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// The bundled sample (testdata/bucket, the Windows-node story).
const sampleJob = "../testdata/bucket/logs/ci-kubernetes-e2e-windows-gce"

var (
	samplePassing = []string{"1889163571498061825", "1889117655500066817", "1889027338717368321", "1888981899892756480"}
	sampleFailing = []string{"1889208480745656321", "1889253625822187520"}
)

func sampleLog(id string) Input {
	return FileInput(filepath.Join(sampleJob, id, "build-log.txt"))
}

// TestSampleCauseOnTop checks what the README promises: on the bundled
// Windows-node sample, the missing KUBERNETES_NODE_PLATFORM=windows and the
// missing "Will download and extract kubernetes-node-windows-amd64.tar.gz"
// are in the top three, with one baseline or three.
func TestSampleCauseOnTop(t *testing.T) {
	for _, n := range []int{1, 3} {
		for _, fail := range sampleFailing {
			var bs []Input
			for _, id := range samplePassing[:n] {
				bs = append(bs, sampleLog(id))
			}
			r, err := Diff(context.Background(), sampleLog(fail), bs, Options{})
			if err != nil {
				t.Fatal(err)
			}
			var env, download int
			for _, f := range r.Findings {
				for _, l := range f.Lines {
					if l.Text == "KUBERNETES_NODE_PLATFORM=windows" && f.Kind == Missing {
						env = f.Rank
					}
					if strings.HasPrefix(l.Text, "Will download and extract kubernetes-node-windows-amd64.tar.gz from ") && f.Kind == Missing {
						download = f.Rank
					}
				}
			}
			if env == 0 || env > 3 || download == 0 || download > 3 {
				t.Errorf("%s against %d baselines: env line at rank %d, download line at rank %d; want both in the top 3", fail, n, env, download)
			}
		}
	}
}

// TestSamplePassingRunsFindNothing diffs every pair of passing runs of the
// sample: they differ only in volatile tokens, so nothing is found.
func TestSamplePassingRunsFindNothing(t *testing.T) {
	for i, a := range samplePassing {
		for _, b := range samplePassing[i+1:] {
			r, err := Diff(context.Background(), sampleLog(b), []Input{sampleLog(a)}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Findings) > 0 {
				t.Errorf("%s vs %s: %d findings, first: %s", a, b, len(r.Findings), r.Findings[0].Summary)
			}
		}
	}
}
