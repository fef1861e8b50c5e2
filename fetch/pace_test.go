package fetch

import (
	"io"
	"slices"
	"strings"
	"testing"
	"time"
)

// script is a download on a fake clock: each Read returns the next step's
// bytes and moves the clock by its pause; after the last step, the last
// one repeats (forever, unless total ends it).
type script struct {
	now   time.Time
	steps []step
	i     int
	total int64 // EOF after this many bytes; <= 0 never
	n     int64
}

type step struct {
	bytes int
	pause time.Duration
	times int // how many Reads this step lasts
}

func (s *script) clock() time.Time { return s.now }

func (s *script) Read(p []byte) (int, error) {
	if s.total > 0 && s.n >= s.total {
		return 0, io.EOF
	}
	for s.i < len(s.steps)-1 && s.steps[s.i].times == 0 {
		s.i++
	}
	st := &s.steps[s.i]
	if st.times > 0 {
		st.times--
	}
	s.now = s.now.Add(st.pause)
	n := min(st.bytes, len(p))
	if s.total > 0 {
		n = int(min(int64(n), s.total-s.n))
	}
	s.n += int64(n)
	return n, nil
}

func (s *script) Close() error { return nil }

func TestPace(t *testing.T) {
	tests := []struct {
		name  string
		pace  Pace
		steps []step
		size  int64 // announced; -1 unknown
		total int64 // bytes the server has; <= 0 endless
		err   string
		// minRead is a lower bound on the bytes read before giving up:
		// the floor must not cut a download that went well until lately.
		minRead int64
	}{
		{name: "steady and fast", steps: []step{{32 << 10, 100 * time.Millisecond, 0}}, size: 100 << 20, total: 100 << 20},
		{name: "trickle of 50 B/s, endless", steps: []step{{1, 20 * time.Millisecond, 0}}, size: -1,
			err: "u: download from h too slow: 1.5 KiB in the last 30s (50 B/s), below the floor of 16 KiB/s"},
		{name: "trickle with a size announced", steps: []step{{50, time.Second, 0}}, size: 1 << 30, total: 1 << 30,
			err: "too slow"},
		{name: "fast, then a trickle", steps: []step{{64 << 10, 100 * time.Millisecond, 6000}, {10, time.Second, 0}}, size: -1,
			err: "below the floor", minRead: 6000 * 64 << 10},
		{name: "slow start, then fast", steps: []step{{1, time.Second, 20}, {64 << 10, 100 * time.Millisecond, 0}}, size: -1, total: 50 << 20},
		{name: "no floor", pace: Pace{MinSpeed: -1}, steps: []step{{1, time.Second, 0}}, size: 5000, total: 5000},
		{name: "deadline before the first window", pace: Pace{Grace: time.Second, MinSpeed: 100, Window: time.Minute},
			steps: []step{{1, time.Second, 0}}, size: 1000, total: 1000,
			err: "u: download from h not done after 12s: 12 B of 1000 B (the deadline for its size at 100 B/s)"},
		{name: "slow but above the floor", pace: Pace{MinSpeed: 100, Window: 10 * time.Second},
			steps: []step{{101, time.Second, 0}}, size: -1, total: 101_000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &script{now: time.Unix(1_700_000_000, 0), steps: tt.steps, total: tt.total}
			p := tt.pace
			p.Now = s.clock
			r := p.Wrap(s, "u", "h", tt.size)
			buf := make([]byte, 64<<10)
			var err error
			for reads := 0; err == nil; reads++ {
				if reads > 10_000_000 {
					t.Fatal("never ended")
				}
				_, err = r.Read(buf)
			}
			if tt.err == "" {
				if err != io.EOF {
					t.Fatalf("error %v after %d bytes, want the whole download", err, s.n)
				}
				return
			}
			if err == io.EOF || !strings.Contains(err.Error(), tt.err) {
				t.Fatalf("error %v, want one saying %q", err, tt.err)
			}
			if s.n < tt.minRead {
				t.Errorf("gave up after %d bytes, want at least %d", s.n, tt.minRead)
			}
			if _, again := r.Read(buf); again != err {
				t.Errorf("read after the error: %v, want the same error", again)
			}
		})
	}
}

// TestPaceAfterAStall: a store that gives up a stalled request after a
// minute and reopens the download does not lose it to the floor, when the
// rest comes at a normal speed.
func TestPaceAfterAStall(t *testing.T) {
	steps := []step{{32 << 10, 10 * time.Millisecond, 10}, {32 << 10, time.Minute, 1}, {32 << 10, 10 * time.Millisecond, 0}}
	for _, tt := range []struct {
		name string
		pace Pace
		err  bool
	}{
		{"window widened", Pace{}.ForStall(time.Minute, 3), false},
		{"window of 30s", Pace{Window: 30 * time.Second}.ForStall(time.Minute, 3), true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := &script{now: time.Unix(1_700_000_000, 0), steps: slices.Clone(steps), total: 100 << 20}
			p := tt.pace
			p.Now = s.clock
			r := p.Wrap(s, "u", "h", 100<<20)
			_, err := io.Copy(io.Discard, r)
			if (err != nil) != tt.err {
				t.Errorf("error %v, want an error: %v", err, tt.err)
			}
		})
	}
}
