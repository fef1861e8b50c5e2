package logdiff

import (
	"strings"
	"testing"
)

func TestCompareConfig(t *testing.T) {
	env := func(k, v string) ConfigEntry { return ConfigEntry{"env", k, v, "prowjob.json"} }
	ref := func(v string) ConfigEntry { return ConfigEntry{"commit", "kubernetes/kubernetes", v, "started.json"} }
	pass1 := []ConfigEntry{env("KUBERNETES_NODE_PLATFORM", "windows"), env("NODE_OS_DISTRIBUTION", "windows"), env("NUM_NODES", "3"), env("BUILD_ID", "111"), ref("aaa"), {"image", "test", "kubekins:v1", ""}}
	pass2 := []ConfigEntry{env("KUBERNETES_NODE_PLATFORM", "windows"), env("NODE_OS_DISTRIBUTION", "windows"), env("NUM_NODES", "3"), env("BUILD_ID", "222"), ref("bbb"), {"image", "test", "kubekins:v1", ""}}
	fail := []ConfigEntry{env("NUM_NODES", "4"), env("BUILD_ID", "333"), env("NEW_FLAG", "1"), ref("ccc"), {"image", "test", "kubekins:v2", ""}}
	got := CompareConfig([][]ConfigEntry{pass1, pass2}, fail)
	Rerank(got)
	var lines []string
	for _, f := range got {
		lines = append(lines, f.Summary)
	}
	want := []string{
		"env KUBERNETES_NODE_PLATFORM=windows, NODE_OS_DISTRIBUTION=windows are set in the passing runs and not in the failing run (prowjob.json)",
		"env NUM_NODES changed: 3 → 4 (prowjob.json)",
		"image test changed: kubekins:v1 → kubekins:v2",
		"env NEW_FLAG=1 is set in the failing run only (prowjob.json)",
		"commit kubernetes/kubernetes changed: aaa → ccc (started.json)",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	if got[0].Rank != 1 || got[0].Kind != Config || got[0].Config.InFailing {
		t.Errorf("top finding %+v", got[0])
	}
}

// TestAddConfig: a variable the log's environment dump already shows
// missing is told once, by the log finding; the configuration finding
// keeps the others and says only what it holds.
func TestAddConfig(t *testing.T) {
	env := func(k, v string) ConfigEntry { return ConfigEntry{"env", k, v, "prowjob.json"} }
	pass := []ConfigEntry{env("KUBERNETES_NODE_PLATFORM", "windows"), env("NODE_OS_DISTRIBUTION", "windows"), env("WINDOWS_NODE_OS_DISTRIBUTION", "win2019")}
	cfg := CompareConfig([][]ConfigEntry{pass}, nil)
	if len(cfg) != 1 || len(cfg[0].Settings) != 3 || len(cfg[0].Lines) != 3 {
		t.Fatalf("want one finding of three settings, got %+v", cfg)
	}
	logFinding := Finding{Kind: Missing, Lines: []Line{
		{Side: SideBaseline, N: 36, Text: "KUBERNETES_NODE_PLATFORM=windows"},
		{Side: SideBaseline, N: 47, Text: "NODE_OS_DISTRIBUTION=windows"},
	}}
	tests := []struct {
		name     string
		logs     []Finding
		settings []string
		summary  string
	}{
		{"nothing in the log", nil, []string{"KUBERNETES_NODE_PLATFORM", "NODE_OS_DISTRIBUTION", "WINDOWS_NODE_OS_DISTRIBUTION"},
			"env KUBERNETES_NODE_PLATFORM=windows, NODE_OS_DISTRIBUTION=windows, WINDOWS_NODE_OS_DISTRIBUTION=win2019 are set in the passing runs and not in the failing run (prowjob.json)"},
		{"two of three in the log", []Finding{logFinding}, []string{"WINDOWS_NODE_OS_DISTRIBUTION"},
			"env WINDOWS_NODE_OS_DISTRIBUTION=win2019 is set in the passing runs and not in the failing run (prowjob.json)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &Report{Findings: append([]Finding(nil), tt.logs...)}
			r.AddConfig(cfg)
			last := r.Findings[len(r.Findings)-1]
			var names []string
			for _, s := range last.Settings {
				names = append(names, s.Key)
			}
			if strings.Join(names, ",") != strings.Join(tt.settings, ",") || len(last.Lines) != len(tt.settings) || last.Summary != tt.summary {
				t.Errorf("got settings %v, %d lines, summary %q\nwant %v, %q", names, len(last.Lines), last.Summary, tt.settings, tt.summary)
			}
		})
	}
	all := &Report{Findings: []Finding{{Kind: Missing, Lines: []Line{
		{Text: "KUBERNETES_NODE_PLATFORM=windows"}, {Text: "NODE_OS_DISTRIBUTION=windows"}, {Text: "WINDOWS_NODE_OS_DISTRIBUTION=win2019"}}}}}
	all.AddConfig(cfg)
	if len(all.Findings) != 1 {
		t.Errorf("every variable in the log: %d findings, want the log's alone", len(all.Findings))
	}
}
