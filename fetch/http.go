package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/logdiff/logdiff/fetch/internal/iox"
)

// Limits of the plain HTTP(S) reader: a server that stops sending is given
// up on (a slow one by its Pace). How much may be read is the Fetcher's
// MaxBytes, as for every store.
const (
	httpStall    = 60 * time.Second
	httpAttempts = 4
)

// httpStore reads plain log URLs. Names are suffixes of base, which ends in
// "/": a source URL https://host/a/build-log.txt?x=1 becomes base
// https://host/a/ and name build-log.txt?x=1, so that the query string (a
// signature, say) survives. It cannot list.
type httpStore struct {
	base    string
	host    string // for messages about slow downloads
	client  *http.Client
	pace    Pace
	backoff time.Duration
}

// newHTTPStore reads under base with client (nil: one with a stall timeout
// of stall, 60s when 0), downloads bounded by pace.
func newHTTPStore(base string, client *http.Client, stall time.Duration, pace Pace) *httpStore {
	if stall <= 0 {
		stall = httpStall
	}
	if client == nil {
		client = &http.Client{Transport: &iox.StallTransport{Timeout: stall}}
	}
	host := base
	if u, err := url.Parse(base); err == nil && u.Host != "" {
		host = u.Host
	}
	return &httpStore{base: base, host: host, client: client, pace: pace.ForStall(stall, httpAttempts), backoff: 500 * time.Millisecond}
}

func (h *httpStore) URL(name string) string { return h.base + name }

func (h *httpStore) Open(ctx context.Context, name string) (io.ReadCloser, int64, error) {
	url := h.URL(name)
	ctx, cancel := context.WithCancel(ctx)
	resp, err := h.get(ctx, http.MethodGet, name)
	if err != nil {
		cancel()
		return nil, 0, err
	}
	fail := func(err error) (io.ReadCloser, int64, error) {
		resp.Body.Close()
		cancel()
		return nil, 0, err
	}
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt == "text/html" {
		// A page, not a log: diffing its markup would be a silent wrong answer.
		return fail(fmt.Errorf("%s: got a web page (text/html), not a log: link the raw log instead", url))
	}
	body := &cancelOnClose{ReadCloser: resp.Body, cancel: cancel}
	checked := iox.Checked(body, url, resp.ContentLength, 0)
	return h.pace.Wrap(checked, url, h.host, resp.ContentLength), resp.ContentLength, nil
}

// cancelOnClose ends the download's context when the body is closed.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (c *cancelOnClose) Close() error {
	err := c.ReadCloser.Close()
	c.cancel()
	return err
}

func (h *httpStore) Stat(ctx context.Context, name string) (Object, error) {
	resp, err := h.get(ctx, http.MethodHead, name)
	if err != nil {
		return Object{}, err
	}
	resp.Body.Close()
	o := Object{Name: name, Size: resp.ContentLength}
	if t, err := http.ParseTime(resp.Header.Get("Last-Modified")); err == nil {
		o.Updated = t
	}
	return o, nil
}

func (h *httpStore) List(ctx context.Context, prefix, delim string) iter.Seq2[Object, error] {
	return func(yield func(Object, error) bool) {
		yield(Object{}, fmt.Errorf("listing %s: a plain web server cannot be listed; use a gs:// or Prow URL", h.URL(prefix)))
	}
}

// get sends the request, retrying with backoff on 429, 5xx and temporary
// network errors, and turns 404, 401 and 403 into the store's errors.
func (h *httpStore) get(ctx context.Context, method, name string) (*http.Response, error) {
	url := h.URL(name)
	wait := h.backoff
	var last error
	for attempt := 1; ; attempt++ {
		req, err := http.NewRequestWithContext(ctx, method, url, nil)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", url, err)
		}
		resp, err := h.client.Do(req)
		switch {
		case err != nil:
			if ctx.Err() != nil {
				return nil, h.ended(ctx, last)
			}
			var t interface{ Temporary() bool }
			if !errors.As(err, &t) || !t.Temporary() {
				return nil, err
			}
			last = err
		case resp.StatusCode == http.StatusOK:
			return resp, nil
		case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone:
			resp.Body.Close()
			return nil, iox.NotFound(url, nil)
		case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
			resp.Body.Close()
			return nil, iox.Denied(url, resp.Status, nil)
		case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
			resp.Body.Close()
			last = fmt.Errorf("%s: %s", url, resp.Status)
		default:
			resp.Body.Close()
			return nil, fmt.Errorf("%s: %s", url, resp.Status)
		}
		if attempt == httpAttempts {
			return nil, fmt.Errorf("giving up after %d attempts: %w", attempt, last)
		}
		select {
		case <-ctx.Done():
			return nil, h.ended(ctx, last)
		case <-time.After(wait):
		}
		wait *= 2
	}
}

// ended explains a request whose context ended, with what went wrong
// before, if anything.
func (h *httpStore) ended(ctx context.Context, last error) error {
	if last == nil {
		return context.Cause(ctx)
	}
	return fmt.Errorf("%w (earlier try: %v)", context.Cause(ctx), last)
}

// splitURL splits a URL into a base ending in "/" and the rest.
func splitURL(u string) (base, name string) {
	end := len(u)
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		end = i
	}
	i := strings.LastIndexByte(u[:end], '/')
	return u[:i+1], u[i+1:]
}
