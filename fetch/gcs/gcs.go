// Package gcs reads Google Cloud Storage buckets as fetch.Stores, with the
// cloud.google.com/go/storage client: anonymous for public buckets,
// Application Default Credentials when asked or refused, retries with
// backoff on 429 and 5xx, and a timeout on requests that stop progressing.
package gcs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"cloud.google.com/go/storage"
	"github.com/googleapis/gax-go/v2"
	"google.golang.org/api/googleapi"
	"google.golang.org/api/iterator"
	"google.golang.org/api/option"
	htransport "google.golang.org/api/transport/http"

	"github.com/logdiff/logdiff/fetch"
	"github.com/logdiff/logdiff/fetch/internal/iox"
)

// Auth says how a Client authenticates.
type Auth int

// The ways to authenticate.
const (
	// AuthAuto reads anonymously, and again with Application Default
	// Credentials when a bucket refuses anonymous access (401 or 403).
	AuthAuto Auth = iota
	// AuthAnonymous never sends credentials.
	AuthAnonymous
	// AuthADC always uses Application Default Credentials.
	AuthADC
)

// Options configure a Client. Zero values mean the defaults.
type Options struct {
	Auth Auth

	// HTTPClient, when set, sends the requests (tests pass
	// fake-gcs-server's); its transport is wrapped with the timeout.
	HTTPClient *http.Client

	// Timeout is how long a request may go without progress (no response
	// headers, or no byte of the body) before it is given up and retried;
	// default 60s.
	Timeout time.Duration

	// Attempts bounds the tries of each request (default 5); Backoff is
	// the first wait between them (default 500ms), doubled each time up
	// to 16 times that.
	Attempts int
	Backoff  time.Duration

	// PageSize is the number of names asked for per listing page
	// (default 1000, the service's maximum).
	PageSize int

	// Pace bounds slow downloads: a floor on the speed (default 16 KiB/s
	// averaged over 30s, or twice Timeout if longer) and a deadline that
	// grows with the object's size. A trickle ends with an error naming
	// the object and the host.
	Pace fetch.Pace
}

// Client reads buckets. STORAGE_EMULATOR_HOST, when set, sends every
// request to that emulator, without credentials.
type Client struct {
	opts Options
	base *http.Client // with the stall timeout
	host string       // where requests go, for messages

	anon *storage.Client

	mu     sync.Mutex
	adc    *storage.Client
	adcErr error
	authed map[string]bool // buckets that refused anonymous access

	// newADC builds the authenticated HTTP client; tests replace it, so
	// that no test looks for credentials (or a metadata server).
	newADC func(ctx context.Context, base http.RoundTripper) (*http.Client, error)
}

// New returns a Client. It builds no credentials until a bucket asks for
// them (with AuthAuto) and sends no request.
func New(ctx context.Context, opts Options) (*Client, error) {
	if opts.Timeout <= 0 {
		opts.Timeout = 60 * time.Second
	}
	if opts.Attempts <= 0 {
		opts.Attempts = 5
	}
	if opts.Backoff <= 0 {
		opts.Backoff = 500 * time.Millisecond
	}
	if opts.PageSize <= 0 {
		opts.PageSize = 1000
	}
	opts.Pace = opts.Pace.ForStall(opts.Timeout, opts.Attempts)
	var rt http.RoundTripper
	if opts.HTTPClient != nil {
		rt = opts.HTTPClient.Transport
	}
	c := &Client{
		opts:   opts,
		base:   &http.Client{Transport: &iox.StallTransport{Base: rt, Timeout: opts.Timeout}},
		host:   serviceHost(),
		authed: map[string]bool{},
		newADC: defaultADC,
	}
	if opts.Auth != AuthADC {
		sc, err := c.storageClient(ctx, c.base)
		if err != nil {
			return nil, err
		}
		c.anon = sc
	}
	return c, nil
}

// serviceHost is the host the storage client sends requests to: the
// emulator's when STORAGE_EMULATOR_HOST is set (as the client reads it).
func serviceHost() string {
	h := os.Getenv("STORAGE_EMULATOR_HOST")
	if h == "" {
		return "storage.googleapis.com"
	}
	if _, rest, ok := strings.Cut(h, "://"); ok {
		h = rest
	}
	return strings.TrimSuffix(h, "/")
}

func defaultADC(ctx context.Context, base http.RoundTripper) (*http.Client, error) {
	t, err := htransport.NewTransport(ctx, base, option.WithScopes(storage.ScopeReadOnly))
	if err != nil {
		return nil, err
	}
	return &http.Client{Transport: t}, nil
}

// storageClient builds a storage client on hc, which authenticates (or
// not) by itself.
func (c *Client) storageClient(ctx context.Context, hc *http.Client) (*storage.Client, error) {
	sc, err := storage.NewClient(ctx, option.WithHTTPClient(hc), option.WithoutAuthentication())
	if err != nil {
		return nil, fmt.Errorf("creating the storage client: %w", err)
	}
	sc.SetRetry(
		storage.WithBackoff(gax.Backoff{Initial: c.opts.Backoff, Max: 16 * c.opts.Backoff, Multiplier: 2}),
		storage.WithMaxAttempts(c.opts.Attempts),
	)
	return sc, nil
}

// adcClient builds the authenticated client once.
func (c *Client) adcClient(ctx context.Context) (*storage.Client, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.adc == nil && c.adcErr == nil {
		// Token refreshes outlive the request that first needed them.
		ctx = context.WithoutCancel(ctx)
		hc, err := c.newADC(ctx, c.base.Transport)
		if err == nil {
			c.adc, err = c.storageClient(ctx, hc)
		}
		c.adcErr = err
	}
	return c.adc, c.adcErr
}

// Close releases the clients.
func (c *Client) Close() error {
	var errs []error
	if c.anon != nil {
		errs = append(errs, c.anon.Close())
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.adc != nil {
		errs = append(errs, c.adc.Close())
	}
	return errors.Join(errs...)
}

// Bucket returns the bucket as a fetch.Store.
func (c *Client) Bucket(name string) fetch.Store { return &bucket{c: c, name: name} }

type bucket struct {
	c    *Client
	name string
}

func (b *bucket) URL(name string) string {
	if name == "" {
		return "gs://" + b.name
	}
	return "gs://" + b.name + "/" + name
}

// client returns the storage client to use for this bucket now.
func (b *bucket) client(ctx context.Context) (sc *storage.Client, anonymous bool, err error) {
	c := b.c
	c.mu.Lock()
	authed := c.authed[b.name]
	c.mu.Unlock()
	if c.opts.Auth == AuthADC || authed {
		sc, err := c.adcClient(ctx)
		if err != nil {
			return nil, false, fmt.Errorf("%s: Application Default Credentials: %w", b.URL(""), err)
		}
		return sc, false, nil
	}
	return c.anon, true, nil
}

// do runs op, and again with credentials if anonymous access was refused
// and the client may use them.
func (b *bucket) do(ctx context.Context, url string, op func(*storage.Client) error) error {
	sc, anonymous, err := b.client(ctx)
	if err != nil {
		return err
	}
	err = op(sc)
	if err == nil || !anonymous || b.c.opts.Auth != AuthAuto || !denied(err) {
		return wrap(url, err, "")
	}
	adc, aerr := b.c.adcClient(ctx)
	if aerr != nil {
		return wrap(url, err, "anonymous access refused, and no Application Default Credentials: "+aerr.Error())
	}
	b.c.mu.Lock()
	b.c.authed[b.name] = true
	b.c.mu.Unlock()
	return wrap(url, op(adc), "")
}

func (b *bucket) Open(ctx context.Context, name string) (io.ReadCloser, int64, error) {
	url := b.URL(name)
	var r *storage.Reader
	err := b.do(ctx, url, func(sc *storage.Client) (err error) {
		// Gzip-encoded objects come decompressed (by the service or by
		// the client): never ReadCompressed, which the JSON reads break.
		r, err = sc.Bucket(b.name).Object(name).NewReader(ctx)
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	// Attrs.Size is the Content-Length of what is read: the object's size,
	// the decompressed size when the service decompressed it and said so,
	// or -1 when the client decompresses.
	size := r.Attrs.Size
	if size < 0 {
		size = -1
	}
	// The storage reader retries what can be retried before a Read fails;
	// the pace counts the time of those retries too.
	return b.c.opts.Pace.Wrap(iox.Checked(r, url, size, 0), url, b.c.host, size), size, nil
}

func (b *bucket) Stat(ctx context.Context, name string) (fetch.Object, error) {
	url := b.URL(name)
	var attrs *storage.ObjectAttrs
	err := b.do(ctx, url, func(sc *storage.Client) (err error) {
		attrs, err = sc.Bucket(b.name).Object(name).Attrs(ctx)
		return err
	})
	if err != nil {
		return fetch.Object{}, err
	}
	return fetch.Object{Name: name, Size: attrs.Size, Updated: attrs.Updated}, nil
}

func (b *bucket) List(ctx context.Context, prefix, delim string) iter.Seq2[fetch.Object, error] {
	return func(yield func(fetch.Object, error) bool) {
		url := b.URL(prefix)
		sc, anonymous, err := b.client(ctx)
		if err != nil {
			yield(fetch.Object{}, err)
			return
		}
		first := true
		it := b.objects(ctx, sc, prefix, delim)
		for {
			attrs, err := it.Next()
			if err == iterator.Done {
				return
			}
			if err != nil && first && anonymous && b.c.opts.Auth == AuthAuto && denied(err) {
				// Refused on the first page: start again with credentials.
				adc, aerr := b.c.adcClient(ctx)
				if aerr != nil {
					yield(fetch.Object{}, wrap(url, err, "anonymous access refused, and no Application Default Credentials: "+aerr.Error()))
					return
				}
				b.c.mu.Lock()
				b.c.authed[b.name] = true
				b.c.mu.Unlock()
				anonymous = false
				it = b.objects(ctx, adc, prefix, delim)
				continue
			}
			if err != nil {
				yield(fetch.Object{}, fmt.Errorf("listing %s: %w", url, wrap(b.URL(""), err, "")))
				return
			}
			first = false
			o := fetch.Object{Name: attrs.Name, Size: attrs.Size, Updated: attrs.Updated}
			if attrs.Prefix != "" {
				o = fetch.Object{Name: attrs.Prefix, Prefix: true}
			}
			if !yield(o, nil) {
				return
			}
		}
	}
}

func (b *bucket) objects(ctx context.Context, sc *storage.Client, prefix, delim string) *storage.ObjectIterator {
	q := &storage.Query{Prefix: prefix, Delimiter: delim, Projection: storage.ProjectionNoACL}
	_ = q.SetAttrSelection([]string{"Name", "Size", "Updated"})
	it := sc.Bucket(b.name).Objects(ctx, q)
	it.PageInfo().MaxSize = b.c.opts.PageSize
	return it
}

// denied reports a 401 or 403 from the service.
func denied(err error) bool {
	var g *googleapi.Error
	return errors.As(err, &g) && (g.Code == http.StatusUnauthorized || g.Code == http.StatusForbidden)
}

// wrap gives the storage client's errors the store's wording: not found
// and permission errors that errors.Is recognises, named by gs:// URL.
func wrap(url string, err error, note string) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, storage.ErrObjectNotExist) || errors.Is(err, storage.ErrBucketNotExist) {
		return iox.NotFound(url, err)
	}
	var g *googleapi.Error
	if errors.As(err, &g) {
		switch g.Code {
		case http.StatusNotFound:
			return iox.NotFound(url, err)
		case http.StatusUnauthorized, http.StatusForbidden:
			detail := fmt.Sprintf("HTTP %d", g.Code)
			if m := message(g); m != "" {
				detail += ": " + m
			}
			if note != "" {
				detail += "; " + note
			}
			return iox.Denied(url, detail, err)
		}
	}
	if note != "" {
		return fmt.Errorf("%s: %w (%s)", url, err, note)
	}
	if strings.Contains(err.Error(), url) {
		return err
	}
	return fmt.Errorf("%s: %w", url, err)
}

// message is the service's explanation: the JSON API's message, or the
// <Message> of an XML API error body.
func message(g *googleapi.Error) string {
	if g.Message != "" {
		return g.Message
	}
	_, rest, ok := strings.Cut(g.Body, "<Message>")
	if !ok {
		return ""
	}
	m, _, _ := strings.Cut(rest, "</Message>")
	if len(m) > 300 {
		m = m[:300] + "..."
	}
	return m
}
