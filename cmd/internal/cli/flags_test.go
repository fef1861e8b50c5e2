package cli

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/logdiff/logdiff/cmd/internal/iostreams"
)

// parse runs a command built with its runF hook on args and returns what
// the hook got, or the error the command returned before reaching it.
func parse[O any](t *testing.T, build func(*Factory, func(*O) error) *cobra.Command, env map[string]string, args ...string) (*O, error) {
	t.Helper()
	ios, _, _, _ := iostreams.Test()
	ios.Getenv = func(k string) string { return env[k] }
	f := &Factory{IO: ios, Now: time.Now, Getwd: func() (string, error) { return t.TempDir(), nil }}
	var got *O
	cmd := build(f, func(o *O) error { got = o; return nil })
	// Under a root, as logdiff runs it: a command with subcommands (sweep)
	// takes arguments only below one.
	root := &cobra.Command{Use: "logdiff", SilenceErrors: true, SilenceUsage: true}
	root.AddCommand(cmd)
	root.SetArgs(append([]string{cmd.Name()}, args...))
	root.SetOut(ios.Out)
	root.SetErr(ios.ErrOut)
	err := root.Execute()
	return got, err
}

// TestDiffFlags: what logdiff diff's flags set, and what it refuses before
// doing any work.
func TestDiffFlags(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		check   func(*DiffOptions) bool
		wantErr string
	}{
		{"defaults", []string{"a.log", "b.log"}, func(o *DiffOptions) bool {
			return o.Out.Output == "text" && o.Out.Top == 10 && o.Compare.Context == 2 && o.Compare.Quorum == 0 &&
				o.Fetch.Baselines == 3 && o.Fetch.ProwURL == "https://prow.k8s.io" && reflect.DeepEqual(o.Args, []string{"a.log", "b.log"})
		}, ""},
		{"output, kinds and score", []string{"-o", "json", "--kind", "new,changed", "--kind", "test", "--min-score", "0.5", "a", "b"}, func(o *DiffOptions) bool {
			return o.Out.Output == "json" && reflect.DeepEqual(o.Out.Filter.Kinds, []string{"new", "changed", "test"}) && o.Out.Filter.MinScore == 0.5
		}, ""},
		{"quorum and context", []string{"--quorum", "2", "-C", "5", "a", "b", "c"}, func(o *DiffOptions) bool {
			return o.Compare.Quorum == 2 && o.Compare.Context == 5
		}, ""},
		{"limits", []string{"--max-bytes", "500MiB", "--max-lines", "1000", "a", "b"}, func(o *DiffOptions) bool {
			return int64(o.Compare.Scan.MaxBytes) == 500<<20 && o.Compare.Scan.MaxLines == 1000
		}, ""},
		{"junit and prow", []string{"--junit", "junit_*.xml", "--prow-url", "https://prow.ci.openshift.org", "gs://b/logs/j/1"}, func(o *DiffOptions) bool {
			return o.Fetch.JUnit == "junit_*.xml" && o.Fetch.ProwURL == "https://prow.ci.openshift.org"
		}, ""},
		{"no arguments", nil, nil, "diff needs the logs to compare"},
		{"one file", []string{"flags_test.go"}, nil, "diff needs at least two logs"},
		{"an unknown format", []string{"-o", "yaml", "a", "b"}, nil, `unknown format "yaml"`},
		{"an unknown kind", []string{"--kind", "nope", "a", "b"}, nil, `--kind "nope"`},
		{"a score out of range", []string{"--min-score", "1.5", "a", "b"}, nil, "--min-score 1.5: want 0 to 1"},
		{"a negative score", []string{"--min-score", "-0.1", "a", "b"}, nil, "--min-score -0.1: want 0 to 1"},
		{"a score that is not a number", []string{"--min-score", "NaN", "a", "b"}, nil, "--min-score NaN: want 0 to 1"},
		{"an infinite score", []string{"--min-score", "+Inf", "a", "b"}, nil, "--min-score +Inf: want 0 to 1"},
		{"a quorum above the baselines", []string{"--quorum", "3", "a", "b", "c"}, nil, "--quorum 3"},
		{"stdin twice", []string{"-", "-"}, nil, `"-" (standard input) may be given once`},
		{"junit and no-junit", []string{"--junit", "x.xml", "--no-junit", "a", "b"}, nil, "--junit and --no-junit"},
		{"a bad Prow URL", []string{"--prow-url", "prow.k8s.io", "a", "b"}, nil, "--prow-url"},
		{"a negative width", []string{"--width", "-1", "a", "b"}, nil, "--width -1"},
		{"a bad size", []string{"--max-bytes", "lots", "a", "b"}, nil, "max-bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parse(t, NewCmdDiff, nil, tt.args...)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
				}
				if got != nil {
					t.Error("the command ran although its flags were refused")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got == nil || !tt.check(got) {
				t.Errorf("options %+v", got)
			}
		})
	}
}

func TestJobFlags(t *testing.T) {
	got, err := parse(t, NewCmdJob, nil, "ci-job", "123", "--baselines", "2", "--first-failure", "--bucket", "gs://other", "--artifact", "artifacts/*/x.log")
	if err != nil {
		t.Fatal(err)
	}
	if got.Job != "ci-job" || got.Build != "123" || got.Fetch.Baselines != 2 || !got.Fetch.FirstFailure || got.Fetch.Bucket != "gs://other" ||
		!reflect.DeepEqual(got.Fetch.Artifacts, []string{"artifacts/*/x.log"}) {
		t.Errorf("options %+v", got)
	}
	for _, bad := range [][]string{{"logs/ci-job"}, {"ci-job", "--baselines", "0"}, {"ci-job", "--timeout", "10ms"}, {"ci-job", "--auth", "magic"}} {
		if _, err := parse(t, NewCmdJob, nil, bad...); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}

// TestAttachFlags: flags win over Prow's environment, which fills the rest
// (JOB_SPEC last).
func TestAttachFlags(t *testing.T) {
	env := map[string]string{"JOB_SPEC": `{"job":"spec-job","buildid":"77"}`, "ARTIFACTS": "/logs/artifacts"}
	got, err := parse(t, NewCmdAttach, env, "--kind", "test")
	if err != nil {
		t.Fatal(err)
	}
	if got.Job != "spec-job" || got.Build != "77" || got.OutDir != "/logs/artifacts" || got.Log != "-" || !reflect.DeepEqual(got.Filter.Kinds, []string{"test"}) {
		t.Errorf("options %+v", got)
	}
	env["JOB_NAME"], env["BUILD_ID"] = "env-job", "88"
	got, err = parse(t, NewCmdAttach, env, "--job", "flag-job", "e2e.log")
	if err != nil {
		t.Fatal(err)
	}
	if got.Job != "flag-job" || got.Build != "88" || got.Log != "e2e.log" {
		t.Errorf("options %+v", got)
	}
}

func TestNormalizeFlags(t *testing.T) {
	got, err := parse(t, NewCmdNormalize, nil, "--original", "--pack", "none", "a.log")
	if err != nil {
		t.Fatal(err)
	}
	if got.File != "a.log" || !got.Original || !reflect.DeepEqual(got.Rules.Packs, []string{"none"}) {
		t.Errorf("options %+v", got)
	}
	if _, err := parse(t, NewCmdNormalize, nil, "a.log", "b.log"); err == nil || !strings.Contains(err.Error(), "normalize takes one file") {
		t.Errorf("two files: %v", err)
	}
}

func TestSweepFlags(t *testing.T) {
	got, err := parse(t, NewCmdSweep, nil, "--parallel", "8", "--group-top", "5", "-o", "junit", "--summary-file", "s.xml", "ci-a", "ci-b")
	if err != nil {
		t.Fatal(err)
	}
	if got.Parallel != 8 || got.Summary.GroupTop != 5 || got.Summary.Output != "junit" ||
		!reflect.DeepEqual(got.Summary.Files, []string{"s.xml"}) || !reflect.DeepEqual(got.Jobs, []string{"ci-a", "ci-b"}) {
		t.Errorf("options %+v", got)
	}
	shard, err := parse(t, NewCmdSweep, nil, "--shard", "1/4", "--records", t.TempDir()+"/", "ci-a")
	if err != nil || shard.Shard != "1/4" {
		t.Errorf("a shard: %+v, %v", shard, err)
	}
	for _, bad := range [][]string{{"--summary-file", "s.pdf", "ci-a"}, {"--group-top", "0", "ci-a"}, {"-o", "yaml", "ci-a"},
		{"--shard", "1/4", "ci-a"}, {"--shard", "1/4", "--records", "r/", "-o", "html", "ci-a"}} {
		if _, err := parse(t, NewCmdSweep, nil, bad...); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}
