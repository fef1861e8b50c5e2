package fetch

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/logdiff/logdiff/fetch/internal/iox"
)

func TestHTTPStore(t *testing.T) {
	var flaky atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("/log.txt", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("sig") != "s" {
			http.Error(w, "no signature", http.StatusForbidden)
			return
		}
		io.WriteString(w, "line 1\nline 2\n")
	})
	mux.HandleFunc("/flaky.txt", func(w http.ResponseWriter, r *http.Request) {
		if flaky.Add(1) <= 2 {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		io.WriteString(w, "finally\n")
	})
	mux.HandleFunc("/down.txt", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "down", http.StatusBadGateway)
	})
	mux.HandleFunc("/page", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, "<html>")
	})
	mux.HandleFunc("/short.txt", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100")
		io.WriteString(w, "only a few bytes")
	})
	mux.HandleFunc("/huge.txt", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", strconv.Itoa(3<<30))
		io.WriteString(w, "x") // and hang up: only Open is tried
	})
	mux.HandleFunc("/slow.txt", func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i < 500 && r.Context().Err() == nil; i++ {
			io.WriteString(w, "tick\n") // steady progress: never stalls
			w.(http.Flusher).Flush()
			time.Sleep(20 * time.Millisecond)
		}
	})
	mux.HandleFunc("/hang.txt", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	store := func() *httpStore {
		// A floor of 1000 B/s over 200ms: slow.txt (250 B/s) is below
		// it by four times, whatever the load of the machine, and the
		// other bodies are done long before a window has passed.
		h := newHTTPStore(srv.URL+"/", &http.Client{Transport: &iox.StallTransport{Timeout: 250 * time.Millisecond}}, 0,
			Pace{MinSpeed: 1000, Window: 200 * time.Millisecond})
		h.backoff = time.Millisecond
		return h
	}
	read := func(h *httpStore, name string) (string, error) {
		r, _, err := h.Open(context.Background(), name)
		if err != nil {
			return "", err
		}
		defer r.Close()
		b, err := io.ReadAll(r)
		return string(b), err
	}
	t.Run("ok with query", func(t *testing.T) {
		got, err := read(store(), "log.txt?sig=s")
		if err != nil || got != "line 1\nline 2\n" {
			t.Errorf("got %q, %v", got, err)
		}
	})
	t.Run("retried 503", func(t *testing.T) {
		got, err := read(store(), "flaky.txt")
		if err != nil || got != "finally\n" || flaky.Load() != 3 {
			t.Errorf("got %q, %v after %d tries; want success on the third", got, err, flaky.Load())
		}
	})
	for _, tt := range []struct {
		name, file, says string
		notExist, denied bool
	}{
		{"404", "missing.txt", "missing.txt: not found", true, false},
		{"403", "log.txt", "log.txt: permission denied (403 Forbidden)", false, true},
		{"502 until giving up", "down.txt", "giving up after 4 attempts", false, false},
		{"web page", "page", "not a log", false, false},
		{"truncated", "short.txt", "short.txt: truncated download", false, false},
		{"hang", "hang.txt", "no response for 250ms", false, false},
		{"trickle", "slow.txt", "slow.txt: download from " + strings.TrimPrefix(srv.URL, "http://") + " too slow", false, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			// No wall-clock bound here: the error saying which limit
			// ended the read is the proof it was the limit, and a hang
			// is the test binary's timeout.
			_, err := read(store(), tt.file)
			if err == nil || !strings.Contains(err.Error(), tt.says) {
				t.Fatalf("error %v, want one saying %q", err, tt.says)
			}
			if IsNotExist(err) != tt.notExist || IsPermission(err) != tt.denied {
				t.Errorf("error %v: IsNotExist %v IsPermission %v, want %v %v", err, IsNotExist(err), IsPermission(err), tt.notExist, tt.denied)
			}
		})
	}
	t.Run("no bound of its own", func(t *testing.T) {
		// How much is read is the Fetcher's MaxBytes (--max-bytes), not a
		// cap of the web store's.
		r, size, err := store().Open(context.Background(), "huge.txt")
		if err != nil || size != 3<<30 {
			t.Fatalf("Open of 3 GiB announced: size %d, %v", size, err)
		}
		r.Close()
	})
	t.Run("cannot list", func(t *testing.T) {
		for _, err := range store().List(context.Background(), "", "/") {
			if err == nil || !strings.Contains(err.Error(), "cannot be listed") {
				t.Errorf("List error %v", err)
			}
		}
	})
	t.Run("resolve and materialize a plain URL", func(t *testing.T) {
		src, err := Detect(srv.URL + "/log.txt?sig=s")
		if err != nil {
			t.Fatal(err)
		}
		s, err := OpenStore(src, StoreOptions{})
		if err != nil {
			t.Fatal(err)
		}
		f := &Fetcher{Store: s}
		b, err := f.Resolve(context.Background(), src)
		if err != nil {
			t.Fatal(err)
		}
		runs, err := f.Materialize(context.Background(), t.TempDir(), []Build{b}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(runs[0].Log, "/log.txt") {
			t.Errorf("local file %s, want one named log.txt", runs[0].Log)
		}
	})
}

func TestOpenStoreGCSNeedsOpener(t *testing.T) {
	_, err := OpenStore(Source{Kind: KindGCS, Bucket: "b"}, StoreOptions{})
	if err == nil || !strings.Contains(err.Error(), "gs://b") {
		t.Errorf("error %v, want one naming gs://b", err)
	}
}
