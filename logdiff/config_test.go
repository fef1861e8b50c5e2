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
