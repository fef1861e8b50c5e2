package fetch

import (
	"fmt"
	"io"
	"time"

	"github.com/logdiff/logdiff/internal/bytesize"
)

// The defaults of Pace. A CI log of 100 MB comes from GCS in seconds; 16
// KiB/s is slower than any link worth waiting for, and 30 seconds is long
// enough that a pause for a retry of the storage client does not count as
// a trickle.
const (
	DefaultMinSpeed    = 16 << 10 // bytes per second
	DefaultSpeedWindow = 30 * time.Second
	DefaultGrace       = time.Minute
)

// Pace bounds how slowly a download may go. A server that sends nothing
// at all is given up by the store's stall timeout; one that keeps sending a
// little (50 bytes a second, say) never stalls, and is given up here, with
// an error naming the object and the host:
//
//   - the speed averaged over the last Window must stay at or above
//     MinSpeed (checked from the end of the first Window on);
//   - an object whose size is known must be done within Grace +
//     size/MinSpeed.
//
// Both are checked as bytes arrive, so a Read that blocks is bounded by the
// stall timeout, not by Pace. Zero values mean the defaults.
type Pace struct {
	// MinSpeed is the floor in bytes per second; negative means none
	// (and no deadline).
	MinSpeed int64

	// Window is the span over which the speed is averaged.
	Window time.Duration

	// Grace is the part of a download's deadline that does not depend on
	// its size: connecting, retries, a slow start.
	Grace time.Duration

	// Now tells the time; nil means time.Now. Tests pass a fake clock.
	Now func() time.Time
}

// ForStall returns p with the defaults of Window and Grace widened for a
// store that gives up a request after stall without a byte and tries it
// attempts times (reopening a download where it stopped): a stall and a
// successful retry must not by themselves pull a download under the floor
// or past its deadline. So Window is at least twice stall, and Grace at
// least attempts times stall. Values p sets are kept.
func (p Pace) ForStall(stall time.Duration, attempts int) Pace {
	if p.Window <= 0 {
		p.Window = max(DefaultSpeedWindow, 2*stall)
	}
	if p.Grace <= 0 {
		p.Grace = max(DefaultGrace, time.Duration(attempts)*stall)
	}
	return p
}

func (p Pace) withDefaults() Pace {
	if p.MinSpeed == 0 {
		p.MinSpeed = DefaultMinSpeed
	}
	if p.Window <= 0 {
		p.Window = DefaultSpeedWindow
	}
	if p.Grace <= 0 {
		p.Grace = DefaultGrace
	}
	if p.Now == nil {
		p.Now = time.Now
	}
	return p
}

// Wrap returns r, the content of the object at url as sent by host, so
// that reading it fails once the download falls below p's floor or passes
// its deadline; size is the number of bytes announced, -1 when unknown.
// The clock starts now: call Wrap as soon as the response has come.
func (p Pace) Wrap(r io.ReadCloser, url, host string, size int64) io.ReadCloser {
	p = p.withDefaults()
	if p.MinSpeed < 0 {
		return r
	}
	now := p.Now()
	pr := &paced{r: r, p: p, url: url, host: host, size: size, start: now}
	pr.samples = []sample{{now, 0}}
	if size >= 0 {
		pr.limit = p.Grace + time.Duration(float64(size)/float64(p.MinSpeed)*float64(time.Second))
	}
	return pr
}

type paced struct {
	r         io.ReadCloser
	p         Pace
	url, host string
	size      int64
	start     time.Time
	limit     time.Duration // for the whole download; 0 when the size is unknown
	n         int64
	// samples are (time, bytes so far) at least Window/8 apart, oldest
	// first; the oldest is the newest one at least Window old, so that
	// the speed is always averaged over Window or a little more.
	samples []sample
	err     error
}

type sample struct {
	t time.Time
	n int64
}

func (r *paced) Read(b []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	n, err := r.r.Read(b)
	r.n += int64(n)
	if err != nil {
		return n, err // EOF: done, however slowly; other errors are the store's
	}
	if perr := r.check(r.p.Now()); perr != nil {
		r.err = perr
		return n, perr
	}
	return n, nil
}

func (r *paced) check(now time.Time) error {
	took := now.Sub(r.start)
	if r.limit > 0 && took > r.limit {
		return fmt.Errorf("%s: download from %s not done after %v: %s of %s (the deadline for its size at %s/s)",
			r.url, r.host, roundDur(took), bytesize.Format(r.n), bytesize.Format(r.size), bytesize.Format(r.p.MinSpeed))
	}
	if last := r.samples[len(r.samples)-1]; now.Sub(last.t) >= r.p.Window/8 {
		r.samples = append(r.samples, sample{now, r.n})
	}
	// Drop samples the window has left, keeping one at or before its start.
	i := 0
	for i+1 < len(r.samples) && !r.samples[i+1].t.After(now.Add(-r.p.Window)) {
		i++
	}
	r.samples = r.samples[i:]
	base := r.samples[0]
	span := now.Sub(base.t)
	if span < r.p.Window {
		return nil // not a whole window yet
	}
	got := r.n - base.n
	if float64(got) >= float64(r.p.MinSpeed)*span.Seconds() {
		return nil
	}
	return fmt.Errorf("%s: download from %s too slow: %s in the last %v (%s/s), below the floor of %s/s",
		r.url, r.host, bytesize.Format(got), roundDur(span), bytesize.Format(int64(float64(got)/span.Seconds())), bytesize.Format(r.p.MinSpeed))
}

func (r *paced) Close() error { return r.r.Close() }

// roundDur rounds d for a message: to the second, or to the millisecond
// below 10 seconds (the short windows of tests).
func roundDur(d time.Duration) time.Duration {
	if d >= 10*time.Second {
		return d.Round(time.Second)
	}
	return d.Round(time.Millisecond)
}
