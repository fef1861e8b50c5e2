package fetch

import (
	"slices"
	"testing"
	"time"
)

func TestParseLayout(t *testing.T) {
	tests := []struct {
		path string
		want layout
		ok   bool
	}{
		{"logs/ci-job", layout{job: "ci-job"}, true},
		{"logs/ci-job/123", layout{job: "ci-job", id: "123", dir: "logs/ci-job/123"}, true},
		{"logs/ci-job/123/build-log.txt", layout{job: "ci-job", id: "123", dir: "logs/ci-job/123", file: "build-log.txt"}, true},
		{"logs/ci-job/123/artifacts/n/serial-1.log", layout{job: "ci-job", id: "123", dir: "logs/ci-job/123", file: "artifacts/n/serial-1.log"}, true},
		{"logs/ci-job/latest-build.txt", layout{}, false},
		{"logs/ci-job/123/../x", layout{}, false},
		{"logs", layout{}, false},
		{"pr-logs/directory/pull-job", layout{job: "pull-job", presubmit: true}, true},
		{"pr-logs/directory/pull-job/55.txt", layout{job: "pull-job", id: "55", presubmit: true, pointer: true}, true},
		{"pr-logs/directory/pull-job/latest-build.txt", layout{}, false},
		{"pr-logs/pull/kubernetes_kubernetes/1234/pull-job/55",
			layout{job: "pull-job", id: "55", dir: "pr-logs/pull/kubernetes_kubernetes/1234/pull-job/55", presubmit: true}, true},
		{"pr-logs/pull/kubernetes_kubernetes/1234/pull-job/55/build-log.txt",
			layout{job: "pull-job", id: "55", dir: "pr-logs/pull/kubernetes_kubernetes/1234/pull-job/55", file: "build-log.txt", presubmit: true}, true},
		{"pr-logs/pull/test-infra/1234/pull-job/55", // repo of the default org
			layout{job: "pull-job", id: "55", dir: "pr-logs/pull/test-infra/1234/pull-job/55", presubmit: true}, true},
		{"pr-logs/pull/1234/pull-job/55/build-log.txt", // the bucket's default repository
			layout{job: "pull-job", id: "55", dir: "pr-logs/pull/1234/pull-job/55", file: "build-log.txt", presubmit: true}, true},
		{"pr-logs/pull/1234/pull-job", layout{job: "pull-job", presubmit: true}, true},
		{"pr-logs/pull/org_repo/1234/pull-job", layout{job: "pull-job", presubmit: true}, true},
		{"pr-logs/pull/batch/pull-job/55", layout{job: "pull-job", id: "55", dir: "pr-logs/pull/batch/pull-job/55", presubmit: true}, true},
		{"pr-logs/pull/org_repo/x/pull-job/55", layout{}, false},
		{"other/ci-job/123", layout{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			got, ok := parseLayout(tt.path)
			if ok != tt.ok || got != tt.want {
				t.Errorf("parseLayout(%q) = %+v, %v; want %+v, %v", tt.path, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestCompareIDs(t *testing.T) {
	ids := []string{"1889120572684636160", "99", "100", "7", "1889120572684636159", "0100", "20"}
	slices.SortFunc(ids, compareIDs)
	want := []string{"7", "20", "99", "100", "0100", "1889120572684636159", "1889120572684636160"}
	if !slices.Equal(ids, want) {
		t.Errorf("sorted ids = %v, want %v", ids, want)
	}
	if compareIDs("100", "0100") != 0 {
		t.Errorf("compareIDs(100, 0100) != 0")
	}
}

func TestBuildTime(t *testing.T) {
	// 1889120572684636160 >> 22 = 450401442691; + epoch 1288834974657 ms.
	got, ok := BuildTime("1889120572684636160")
	want := time.UnixMilli(450401442691 + 1288834974657).UTC()
	if !ok || !got.Equal(want) {
		t.Errorf("BuildTime = %v, %v; want %v", got, ok, want)
	}
	if got.Year() != 2025 {
		t.Errorf("BuildTime year = %d, want 2025 (the id is from February 2025)", got.Year())
	}
	for _, id := range []string{"1234", "", "x", "99999999999999999999999"} {
		if _, ok := BuildTime(id); ok {
			t.Errorf("BuildTime(%q) ok, want not (no time in it)", id)
		}
	}
}
