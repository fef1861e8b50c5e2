package sweep_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/logdiff/logdiff/cmd/internal/sweep"
)

func TestParseConfig(t *testing.T) {
	good := `# the nightly sweep
bucket: gs://kubernetes-ci-logs
jobs: [ci-kubernetes-e2e-windows-gce]
prefixes:
  - logs/ci-kubernetes-e2e-
  - pr-logs/directory
include: ["*-windows-*"]
exclude: ["*-canary"]
baselines: 2
scan: 50
group_top: 2
keep_findings: 5
parallel: 8
artifacts: ['artifacts/*/serial-1.log']
rules: [team.yaml]
packs: [kubernetes]
no_user_rules: true
state: state
records: records/
`
	c, err := sweep.ParseConfig("/etc/sweep/sweep.yaml", []byte(good))
	if err != nil {
		t.Fatal(err)
	}
	want := &sweep.Config{
		Bucket: "gs://kubernetes-ci-logs", Jobs: []string{"ci-kubernetes-e2e-windows-gce"},
		Prefixes: []string{"logs/ci-kubernetes-e2e-", "pr-logs/directory/"},
		Include:  []string{"*-windows-*"}, Exclude: []string{"*-canary"},
		Baselines: 2, Scan: 50, GroupTop: 2, Keep: 5, Parallel: 8,
		Artifacts: []string{"artifacts/*/serial-1.log"}, Rules: []string{"/etc/sweep/team.yaml"}, Packs: []string{"kubernetes"},
		NoUserRules: true, State: "/etc/sweep/state", Records: "/etc/sweep/records/",
	}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("ParseConfig =\n%+v\nwant\n%+v", c, want)
	}

	d, err := sweep.ParseConfig("sweep.yaml", []byte("jobs: [a]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if d.Baselines != 3 || d.Scan != sweep.DefaultScan || d.GroupTop != sweep.DefaultGroupTop || d.Keep != sweep.DefaultKeep || d.Parallel != sweep.DefaultParallel {
		t.Errorf("defaults: %+v", d)
	}

	bad := []struct {
		name, yaml, want string
	}{
		{"unknown key", "jobs: [a]\nbaseline: 3\n", `sweep.yaml:2: unknown key "baseline"`},
		{"wrong type", "jobs: [a]\nbaselines: many\n", `sweep.yaml:2: baselines: want a whole number from 1 to 20, not "many"`},
		{"out of range", "jobs: [a]\n\nparallel: 0\n", "sweep.yaml:3: parallel 0: want 1 to 256"},
		{"list wanted", "jobs: ci-a\n", "sweep.yaml:1: cannot unmarshal"},
		{"bad job name", "jobs:\n  - logs/ci-a\n", `sweep.yaml:2: job "logs/ci-a"`},
		{"bad prefix", "prefixes: [ci-kubernetes-]\n", `sweep.yaml:1: prefix "ci-kubernetes-": want logs/`},
		{"prefix below a job", "prefixes: [logs/ci-a/123]\n", "not a path below a job"},
		{"bad pattern", "prefixes: [logs/]\nexclude: ['[']\n", `sweep.yaml:2: exclude pattern "["`},
		{"bad pack", "jobs: [a]\npacks: [nosuch]\n", `sweep.yaml:2: pack "nosuch": no such pack`},
		{"twice", "jobs: [a]\njobs: [b]\n", "sweep.yaml:2: jobs given twice (first on line 1)"},
		{"keep below group_top", "jobs: [a]\ngroup_top: 5\nkeep_findings: 4\n", "sweep.yaml:3: keep_findings 4 is less than group_top 5"},
		{"not a mapping", "- a\n- b\n", "sweep.yaml:1: want a mapping"},
		{"bad YAML", "jobs: [a\n", "sweep.yaml: "},
		{"artifact outside the build", "jobs: [a]\nartifacts: [/etc/passwd]\n", `sweep.yaml:2: artifact glob "/etc/passwd"`},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := sweep.ParseConfig("sweep.yaml", []byte(tt.yaml))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one with %q", err, tt.want)
			}
		})
	}

	// Every error at once, each with its line.
	_, err = sweep.ParseConfig("s.yaml", []byte("jobs: [a]\nfoo: 1\nscan: -1\nbar: 2\n"))
	for _, w := range []string{"s.yaml:2:", "s.yaml:3:", "s.yaml:4:"} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("error %v lacks %q", err, w)
		}
	}
}

func TestLoadConfig(t *testing.T) {
	dir := t.TempDir()
	if _, err := sweep.LoadConfig(filepath.Join(dir, "missing.yaml")); err == nil || !strings.Contains(err.Error(), "missing.yaml") {
		t.Errorf("missing file: %v", err)
	}
	big := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(big, []byte("jobs: ["+strings.Repeat("a, ", 1<<19)+"]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := sweep.LoadConfig(big); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("big file: %v", err)
	}
}
