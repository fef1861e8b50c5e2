package fetch

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDetect(t *testing.T) {
	const build = "logs/ci-kubernetes-e2e-windows-gce/1889120572684636160"
	gs := func(bucket, path string) Source { return Source{Kind: KindGCS, Bucket: bucket, Path: path} }
	with := func(s Source, file string, line int) Source { s.File, s.Line = file, line; return s }
	tests := []struct {
		name string
		in   string
		want Source
	}{
		{"gs build dir", "gs://kubernetes-ci-logs/" + build, gs("kubernetes-ci-logs", build)},
		{"gs trailing slash", "gs://kubernetes-ci-logs/" + build + "/", gs("kubernetes-ci-logs", build)},
		{"gs spaces around", "  gs://kubernetes-ci-logs/" + build + "\n", gs("kubernetes-ci-logs", build)},
		{"gs upper-case scheme", "GS://kubernetes-ci-logs/" + build, gs("kubernetes-ci-logs", build)},
		{"gs bucket only", "gs://kubernetes-ci-logs", gs("kubernetes-ci-logs", "")},
		{"gs build log becomes File", "gs://kubernetes-ci-logs/" + build + "/build-log.txt",
			with(gs("kubernetes-ci-logs", build), "build-log.txt", 0)},
		{"gs artifact becomes File", "gs://kubernetes-ci-logs/" + build + "/artifacts/node-abc/serial-1.log",
			with(gs("kubernetes-ci-logs", build), "artifacts/node-abc/serial-1.log", 0)},
		{"gs with fragment", "gs://kubernetes-ci-logs/" + build + "#build-log.txt:42",
			with(gs("kubernetes-ci-logs", build), "build-log.txt", 42)},
		{"gs outside layout", "gs://my-bucket/some/where/x.log", gs("my-bucket", "some/where/x.log")},
		{"gs job", "gs://kubernetes-ci-logs/logs/ci-kubernetes-e2e-windows-gce", gs("kubernetes-ci-logs", "logs/ci-kubernetes-e2e-windows-gce")},
		{"retired bucket", "gs://kubernetes-jenkins/" + build,
			Source{Kind: KindGCS, Bucket: "kubernetes-ci-logs", Renamed: "kubernetes-jenkins", Path: build}},

		{"prow view gs", "https://prow.k8s.io/view/gs/kubernetes-ci-logs/" + build, gs("kubernetes-ci-logs", build)},
		{"prow view gcs", "https://prow.k8s.io/view/gcs/kubernetes-ci-logs/" + build, gs("kubernetes-ci-logs", build)},
		{"prow view fragment", "https://prow.k8s.io/view/gs/kubernetes-ci-logs/" + build + "#build-log.txt:123",
			with(gs("kubernetes-ci-logs", build), "build-log.txt", 123)},
		{"prow view spyglass fragment", "https://prow.k8s.io/view/gs/kubernetes-ci-logs/" + build + "#1:build-log.txt%3A245",
			with(gs("kubernetes-ci-logs", build), "build-log.txt", 245)},
		{"prow view range fragment", "https://prow.k8s.io/view/gs/kubernetes-ci-logs/" + build + "#1:build-log.txt%3A245-260",
			with(gs("kubernetes-ci-logs", build), "build-log.txt", 245)},
		{"prow view other lens fragment ignored", "https://prow.k8s.io/view/gs/kubernetes-ci-logs/" + build + "#junit@x%20y",
			gs("kubernetes-ci-logs", build)},
		{"prow view query ignored", "https://prow.k8s.io/view/gs/kubernetes-ci-logs/" + build + "?x=1", gs("kubernetes-ci-logs", build)},
		{"prow view retired bucket", "https://prow.k8s.io/view/gs/kubernetes-jenkins/" + build,
			Source{Kind: KindGCS, Bucket: "kubernetes-ci-logs", Renamed: "kubernetes-jenkins", Path: build}},
		{"other prow host", "https://prow.ci.openshift.org/view/gs/test-platform-results/logs/periodic-x/123",
			gs("test-platform-results", "logs/periodic-x/123")},
		{"prow host under a path", "https://example.com/prow/view/gs/b-u-c/logs/j/5", gs("b-u-c", "logs/j/5")},
		{"presubmit view", "https://prow.k8s.io/view/gs/kubernetes-ci-logs/pr-logs/pull/kubernetes-csi_csi-proxy/372/pull-csi-proxy-integration/1889120572684636160",
			gs("kubernetes-ci-logs", "pr-logs/pull/kubernetes-csi_csi-proxy/372/pull-csi-proxy-integration/1889120572684636160")},

		{"job history", "https://prow.k8s.io/job-history/gs/kubernetes-ci-logs/logs/ci-kubernetes-e2e-windows-gce",
			gs("kubernetes-ci-logs", "logs/ci-kubernetes-e2e-windows-gce")},
		{"job history paged", "https://prow.k8s.io/job-history/gs/kubernetes-ci-logs/logs/ci-x?buildId=123", gs("kubernetes-ci-logs", "logs/ci-x")},
		{"job history old form", "https://prow.k8s.io/job-history/kubernetes-jenkins/logs/ci-x",
			Source{Kind: KindGCS, Bucket: "kubernetes-ci-logs", Renamed: "kubernetes-jenkins", Path: "logs/ci-x"}},
		{"job history presubmit", "https://prow.k8s.io/job-history/gs/kubernetes-ci-logs/pr-logs/directory/pull-x",
			gs("kubernetes-ci-logs", "pr-logs/directory/pull-x")},

		{"gcsweb", "https://gcsweb.k8s.io/gcs/kubernetes-ci-logs/" + build + "/", gs("kubernetes-ci-logs", build)},
		{"gcsweb file", "https://gcsweb.k8s.io/gcs/kubernetes-ci-logs/" + build + "/build-log.txt",
			with(gs("kubernetes-ci-logs", build), "build-log.txt", 0)},

		{"storage.googleapis.com", "https://storage.googleapis.com/kubernetes-ci-logs/" + build + "/build-log.txt",
			with(gs("kubernetes-ci-logs", build), "build-log.txt", 0)},
		{"storage.cloud.google.com", "https://storage.cloud.google.com/kubernetes-ci-logs/" + build + "/build-log.txt",
			with(gs("kubernetes-ci-logs", build), "build-log.txt", 0)},
		{"virtual-hosted bucket", "https://kubernetes-ci-logs.storage.googleapis.com/" + build, gs("kubernetes-ci-logs", build)},
		{"JSON API", "https://storage.googleapis.com/storage/v1/b/kubernetes-ci-logs/o/logs%2Fj%2F7%2Fbuild-log.txt?alt=media",
			with(gs("kubernetes-ci-logs", "logs/j/7"), "build-log.txt", 0)},
		{"console", "https://console.cloud.google.com/storage/browser/kubernetes-ci-logs/" + build, gs("kubernetes-ci-logs", build)},

		{"plain log URL", "https://example.com/ci/run/7/build-log.txt", Source{Kind: KindHTTP, URL: "https://example.com/ci/run/7/build-log.txt"}},
		{"plain log URL keeps query, drops fragment", "http://example.com/log?sig=abc#L10",
			Source{Kind: KindHTTP, URL: "http://example.com/log?sig=abc"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Detect(tt.in)
			if err != nil {
				t.Fatalf("Detect(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("Detect(%q)\n got  %+v\n want %+v", tt.in, got, tt.want)
			}
			again, err := Detect(got.String())
			if err != nil || again != got {
				t.Errorf("Detect(%q.String() = %q) = %+v, %v; want the same source", tt.in, got.String(), again, err)
			}
		})
	}
}

func TestDetectLocal(t *testing.T) {
	root := t.TempDir()
	build := filepath.Join(root, "bucket", "logs", "ci-job", "42")
	pr := filepath.Join(root, "bucket", "pr-logs", "pull", "org_repo", "7", "pull-job", "43")
	lone := filepath.Join(root, "plain")
	for _, d := range []string{build, pr, filepath.Join(lone, "sub"), filepath.Join(root, "bucket", "pr-logs", "directory", "pull-job")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{
		filepath.Join(build, "build-log.txt"), filepath.Join(pr, "build-log.txt"), filepath.Join(lone, "fail.log"),
		filepath.Join(root, "bucket", "pr-logs", "directory", "pull-job", "43.txt"),
	} {
		if err := os.WriteFile(f, []byte("x\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	bucket := filepath.Join(root, "bucket")
	local := func(r, p, f string) Source { return Source{Kind: KindLocal, Root: r, Path: p, File: f} }
	tests := []struct {
		name, in string
		want     Source
	}{
		{"bucket root", bucket, local(bucket, "", "")},
		{"logs dir", filepath.Join(bucket, "logs"), local(bucket, "logs", "")},
		{"job dir", filepath.Join(bucket, "logs", "ci-job"), local(bucket, "logs/ci-job", "")},
		{"build dir", build, local(bucket, "logs/ci-job/42", "")},
		{"build log", filepath.Join(build, "build-log.txt"), local(bucket, "logs/ci-job/42", "build-log.txt")},
		{"presubmit build", pr, local(bucket, "pr-logs/pull/org_repo/7/pull-job/43", "")},
		{"pointer", filepath.Join(bucket, "pr-logs", "directory", "pull-job", "43.txt"), local(bucket, "pr-logs/directory/pull-job/43.txt", "")},
		{"lone file", filepath.Join(lone, "fail.log"), local(lone, "fail.log", "")},
		{"lone dir", filepath.Join(lone, "sub"), local(filepath.Join(lone, "sub"), "", "")},
		{"file URL", "file://" + filepath.Join(lone, "fail.log"), local(lone, "fail.log", "")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Detect(tt.in)
			if err != nil {
				t.Fatalf("Detect(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("Detect(%q)\n got  %+v\n want %+v", tt.in, got, tt.want)
			}
			if again, err := Detect(got.String()); err != nil || again != got {
				t.Errorf("Detect(%q) = %+v, %v; want the same source", got.String(), again, err)
			}
		})
	}
	t.Run("relative path", func(t *testing.T) {
		t.Chdir(root)
		got, err := Detect(filepath.Join("plain", "fail.log"))
		if err != nil || got != local(lone, "fail.log", "") {
			t.Errorf("Detect(plain/fail.log) = %+v, %v", got, err)
		}
	})
}

func TestDetectErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "  ", "empty source"},
		{"missing file", "/nonexistent/logdiff/fail.log", "no such file"},
		{"prow front page", "https://prow.k8s.io/", "do not name a run"},
		{"prow job page", "https://prow.k8s.io/?job=ci-kubernetes-e2e", "do not name a run"},
		{"testgrid", "https://testgrid.k8s.io/sig-windows#gce", "do not name a run"},
		{"gcsweb root", "https://gcsweb.k8s.io/", "do not name a run"},
		{"s3 view", "https://prow.ci.openshift.org/view/s3/bucket/logs/j/1", "S3"},
		{"s3 URL", "s3://bucket/logs/j/1", "s3:// URLs are not supported"},
		{"bad bucket", "gs://Not_A_Bucket/x", "invalid bucket name"},
		{"no bucket", "gs:///x", "no bucket name"},
		{"storage host only", "https://storage.googleapis.com/", "names a bucket"},
		{"JSON API without object", "https://storage.googleapis.com/storage/v1/b/bkt/x", "after /o/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Detect(tt.in)
			if err == nil {
				t.Fatalf("Detect(%q) = %+v, want an error", tt.in, got)
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.want) {
				t.Errorf("Detect(%q) error %q does not say %q", tt.in, msg, tt.want)
			}
			// Every error lists what logdiff reads.
			if !strings.Contains(msg, "gs://BUCKET/PATH") || !strings.Contains(msg, "/view/gs/") {
				t.Errorf("Detect(%q) error does not list the accepted forms:\n%s", tt.in, msg)
			}
		})
	}
}

func FuzzDetect(f *testing.F) {
	for _, s := range []string{
		"gs://kubernetes-ci-logs/logs/j/1/build-log.txt",
		"gs://kubernetes-jenkins/pr-logs/pull/o_r/1/j/2#1:build-log.txt%3A3",
		"https://prow.k8s.io/view/gs/b-c/logs/j/1#build-log.txt:9",
		"https://gcsweb.k8s.io/gcs/bkt/pr-logs/directory/j/5.txt",
		"https://storage.googleapis.com/storage/v1/b/bkt/o/a%2Fb",
		"https://example.com/a/b?c#d",
		"https://prow.k8s.io/job-history/gs/bkt/logs/j",
		"file:///nonexistent",
		"s3://x",
		"gs://bkt/logs/j/1/a/../b",
		"gs://000/logs/0/0/0",
		"gs://000/ #",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		src, err := Detect(in)
		if err != nil {
			return
		}
		if src.Kind == KindLocal {
			return // depends on the file system, tested above
		}
		again, err := Detect(src.String())
		if err != nil {
			t.Fatalf("Detect(%q) = %+v, but Detect(%q) fails: %v", in, src, src.String(), err)
		}
		if again != src {
			t.Fatalf("Detect(%q) = %+v\nDetect(%q) = %+v", in, src, src.String(), again)
		}
	})
}
