package iox

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"
)

// StallTransport gives up on a request when nothing arrives for Timeout:
// neither the response headers nor, later, a byte of the body. This bounds
// a hung server without bounding a slow but steady download of a large log.
//
// The error it returns reports Temporary() and Timeout(), so callers that
// retry temporary errors (the storage client does) try again.
type StallTransport struct {
	Base    http.RoundTripper // nil means http.DefaultTransport
	Timeout time.Duration     // <= 0 means no timeout
}

// StallError is returned when a request made no progress for Timeout.
type StallError struct {
	After time.Duration
}

func (e *StallError) Error() string {
	return fmt.Sprintf("no response for %v", e.After)
}

// Timeout reports true: this is a timeout.
func (e *StallError) Timeout() bool { return true }

// Temporary reports true: the same request may well succeed when tried again.
func (e *StallError) Temporary() bool { return true }

// RoundTrip implements http.RoundTripper.
func (t *StallTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	base := t.Base
	if base == nil {
		base = http.DefaultTransport
	}
	if t.Timeout <= 0 {
		return base.RoundTrip(req)
	}
	stall := &StallError{After: t.Timeout}
	ctx, cancel := context.WithCancelCause(req.Context())
	timer := time.AfterFunc(t.Timeout, func() { cancel(stall) })
	resp, err := base.RoundTrip(req.WithContext(ctx))
	if err != nil {
		timer.Stop()
		cancel(nil)
		if context.Cause(ctx) == stall {
			return nil, stall
		}
		return nil, err
	}
	timer.Reset(t.Timeout)
	resp.Body = &stallBody{body: resp.Body, ctx: ctx, cancel: cancel, timer: timer, timeout: t.Timeout, stall: stall}
	return resp, nil
}

type stallBody struct {
	body    io.ReadCloser
	ctx     context.Context
	cancel  context.CancelCauseFunc
	timer   *time.Timer
	timeout time.Duration
	stall   *StallError
	once    sync.Once
}

func (b *stallBody) Read(p []byte) (int, error) {
	n, err := b.body.Read(p)
	if n > 0 {
		b.timer.Reset(b.timeout)
	}
	if err != nil && err != io.EOF && context.Cause(b.ctx) == b.stall {
		return n, b.stall
	}
	return n, err
}

func (b *stallBody) Close() error {
	b.once.Do(func() {
		b.timer.Stop()
		b.cancel(nil)
	})
	return b.body.Close()
}
