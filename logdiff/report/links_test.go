package report

import (
	"strings"
	"testing"

	"github.com/logdiff/logdiff/logdiff"
)

func TestProwLinks(t *testing.T) {
	const view = "https://prow.k8s.io/view/gs/kubernetes-ci-logs/logs/ci-job/1889208480745656321"
	tests := []struct {
		name string
		lens int
		run  logdiff.LogInfo
		file string
		n    int
		want string
	}{
		{"build log line", 1, logdiff.LogInfo{Name: "logs/ci-job/1889208480745656321/build-log.txt", URL: view}, "", 123,
			view + "#1:build-log.txt%3A123"},
		{"whole log", 1, logdiff.LogInfo{URL: view + "#1:build-log.txt%3A4"}, "", 0, view},
		{"other lens index", 0, logdiff.LogInfo{URL: view}, "", 5, view + "#0:build-log.txt%3A5"},
		{"artifact log by name", 1, logdiff.LogInfo{Name: "gs://b/logs/ci-job/1/artifacts/node-1/serial-1.log", URL: view}, "", 7,
			view + "#1:artifacts%2Fnode-1%2Fserial-1.log%3A7"},
		{"artifact of a finding", 1, logdiff.LogInfo{Name: "gs://b/logs/ci-job/1/build-log.txt", URL: view}, "artifacts/node-1/kubelet.log", 8,
			view + "#1:artifacts%2Fnode-1%2Fkubelet.log%3A8"},
		{"fragment of the pasted URL replaced", 1, logdiff.LogInfo{URL: view + "#build-log.txt:9"}, "", 12, view + "#1:build-log.txt%3A12"},
		{"raw log has no line anchors", 1, logdiff.LogInfo{URL: "https://storage.googleapis.com/b/logs/j/1/build-log.txt"}, "", 12,
			"https://storage.googleapis.com/b/logs/j/1/build-log.txt"},
		{"raw log is not the artifact", 1, logdiff.LogInfo{URL: "https://storage.googleapis.com/b/logs/j/1/build-log.txt"}, "artifacts/x.log", 12, ""},
		{"local file", 1, logdiff.LogInfo{Name: "/tmp/fail.log"}, "", 12, ""},
		{"gs URL is not a web link", 1, logdiff.LogInfo{URL: "gs://b/logs/j/1/build-log.txt"}, "", 12, ""},
		{"javascript URL", 1, logdiff.LogInfo{URL: "javascript:alert(1)"}, "", 12, ""},
		{"credentials in URL", 1, logdiff.LogInfo{URL: "https://user:pw@prow.example/view/gs/b/1"}, "", 12, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ProwLinks(tt.lens)(tt.run, tt.file, tt.n); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestSafeHref checks that no address can end a Markdown link destination
// (<...>) or an HTML attribute, even after Prow decodes the page once more.
func TestSafeHref(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "https://prow.k8s.io/view/gs/b/1#1:build-log.txt%3A5", "https://prow.k8s.io/view/gs/b/1#1:build-log.txt%3A5"},
		{"quotes and brackets", `https://x.example/a"b'c<d>e` + "`f", "https://x.example/a%22b%27c%3Cd%3Ee%60f"},
		{"space and backslash", `https://x.example/a b\c`, "https://x.example/a%20b%5Cc"},
		{"query parameters keep their &", "https://x.example/log?a=1&b=2", "https://x.example/log?a=1&b=2"},
		{"& that a decoder could read", "https://x.example/a&#1;b&lt;c?x=1&lt;", "https://x.example/a%26#1;b%26lt;c?x=1%26lt;"},
		{"host that is not a name", "https://&lt;x&gt;/", ""},
		{"not http", "file:///etc/passwd", ""},
		{"no host", "https:///x", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := safeHref(tt.in)
			if got != tt.want {
				t.Errorf("safeHref(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if strings.ContainsAny(got, "\"'<>` \\") || strings.Contains(got, "&") && !strings.Contains(tt.in, "?a=1&b=2") {
				t.Errorf("safeHref(%q) = %q holds a character that ends a destination or attribute", tt.in, got)
			}
		})
	}
}

func TestViewURL(t *testing.T) {
	tests := []struct {
		name, prow, store, want string
	}{
		{"a run in GCS, default Prow", "", "gs://kubernetes-ci-logs/logs/job/123", "https://prow.k8s.io/view/gs/kubernetes-ci-logs/logs/job/123"},
		{"another Prow instance", "https://prow.ci.openshift.org/", "gs://origin-ci-test/logs/job/9", "https://prow.ci.openshift.org/view/gs/origin-ci-test/logs/job/9"},
		{"a local directory", "", "/home/me/bucket/logs/job/1", ""},
		{"an https log", "", "https://example.com/build.log", ""},
		{"a bucket without a path", "", "gs://", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ViewURL(tt.prow, tt.store); got != tt.want {
				t.Errorf("ViewURL(%q, %q) = %q, want %q", tt.prow, tt.store, got, tt.want)
			}
		})
	}
	for _, bad := range []string{"prow.k8s.io", "javascript:alert(1)", "https://prow.k8s.io/?q=1", "ftp://x"} {
		if ValidProwURL(bad) == nil {
			t.Errorf("ValidProwURL(%q) accepted it", bad)
		}
	}
	if err := ValidProwURL("https://prow.ci.openshift.org"); err != nil {
		t.Error(err)
	}
}
