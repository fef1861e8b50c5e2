package cli

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// refusedURL is the base of a URL on a port nothing listens on.
func refusedURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr
}

// TestErrorsNameTheInput: an input that cannot be read, a log URL whose
// server refuses the connection or answers 404, is named whole in the
// error (its path too, not only the host), never as "of :".
func TestErrorsNameTheInput(t *testing.T) {
	dir := t.TempDir()
	pass := filepath.Join(dir, "pass.log")
	if err := os.WriteFile(pass, []byte("a\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	refused := refusedURL(t)
	bucket := filepath.Join("..", "..", "..", "testdata", "bucket")
	for _, tc := range []struct {
		name string
		args []string
		want string // the input as the error must name it
	}{
		{"refused", []string{"diff", pass, refused + "/logs/x.log"}, refused + "/logs/x.log"},
		{"refused, a directory URL", []string{"diff", pass, refused + "/logs/"}, refused + "/logs/"},
		{"404", []string{"diff", pass, srv.URL + "/logs/missing.log"}, srv.URL + "/logs/missing.log"},
		{"refused --baseline", []string{"job", "--bucket", bucket, "ci-kubernetes-e2e-windows-gce", "--baseline", refused + "/b/build-log.txt"}, refused + "/b/build-log.txt"},
		{"404 --baseline", []string{"job", "--bucket", bucket, "ci-kubernetes-e2e-windows-gce", "--baseline", srv.URL + "/b/build-log.txt"}, srv.URL + "/b/build-log.txt"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := run(t, dir, append(tc.args, "--no-cache", "--no-junit")...)
			if code != ExitTrouble {
				t.Errorf("exit status %d, want %d", code, ExitTrouble)
			}
			if !strings.Contains(stderr, tc.want) || strings.Contains(stderr, " of :") {
				t.Errorf("stderr %q: want the input named as %s", stderr, tc.want)
			}
		})
	}
}

// TestErrorTextURLs: the storage client's long JSON-API URLs are written
// as the gs:// object or prefix they read; any other URL is kept whole.
func TestErrorTextURLs(t *testing.T) {
	netErr := errors.New("dial tcp: lookup storage.googleapis.com: no such host")
	for _, tc := range []struct {
		url, want string
	}{
		{"https://storage.googleapis.com/storage/v1/b/kubernetes-ci-logs/o/logs%2Fjob%2F1%2Fbuild-log.txt?alt=json&prettyPrint=false&projection=full",
			"gs://kubernetes-ci-logs/logs/job/1/build-log.txt"},
		{"https://storage.googleapis.com/download/storage/v1/b/kubernetes-ci-logs/o/logs%2Fjob%2F1%2Fbuild-log.txt?alt=media&generation=1",
			"gs://kubernetes-ci-logs/logs/job/1/build-log.txt"},
		{"https://storage.googleapis.com/storage/v1/b/kubernetes-ci-logs/o?alt=json&delimiter=%2F&pageToken=&prefix=logs%2Fjob%2F&prettyPrint=false&projection=full",
			"gs://kubernetes-ci-logs/logs/job/"},
		{"http://127.0.0.1:9/logs/x.log", "http://127.0.0.1:9/logs/x.log"},
		{"https://storage.googleapis.com/kubernetes-ci-logs/logs/job/1/build-log.txt", "https://storage.googleapis.com/kubernetes-ci-logs/logs/job/1/build-log.txt"},
	} {
		t.Run(tc.url, func(t *testing.T) {
			err := fmt.Errorf("reading x: %w", &url.Error{Op: "Get", URL: tc.url, Err: netErr})
			got := errorText(err)
			if !strings.Contains(got, tc.want) || tc.want != tc.url && strings.Contains(got, tc.url) {
				t.Errorf("errorText = %q, want the URL written %s", got, tc.want)
			}
		})
	}
}
