package main

import (
	"fmt"
	"math"
	"strings"
)

// curl prints curl's progress meter for a download of total bytes that
// redraws frames times, one redraw a second. The meter redraws its line with
// a bare carriage return, so the whole meter is one \n-terminated line.
func (r *run) curl(total int64, frames int) {
	r.line("  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current")
	r.line("                                 Dload  Upload   Total   Spent    Left  Speed")
	secs := float64(frames-1) + r.rnd.float(0.1, 0.9)
	if frames == 1 {
		secs = r.rnd.float(0.05, 0.6)
	}
	rate := float64(total) / secs
	estTotal := int(math.Ceil(secs * r.rnd.float(0.95, 1.1)))
	var b strings.Builder
	b.WriteString(curlFrame(0, 0, 0, 0, -1, -1, -1))
	for i := 1; i < frames; i++ {
		got := int64(rate * float64(i) * r.rnd.float(0.93, 1.0))
		cur := int64(rate * r.rnd.float(0.85, 1.15))
		b.WriteString(curlFrame(total, got, got/int64(i), cur, estTotal, i, max(estTotal-i, 0)))
	}
	spent := int(math.Ceil(secs))
	b.WriteString(curlFrame(total, total, int64(float64(total)/secs), int64(rate*r.rnd.float(0.9, 1.1)), spent, spent, -1))
	r.line(r.v("curl-progress", b.String()))
	r.now = r.now.Add(secondsDur(secs))
}

// curlFrame is one redraw of the meter; negative times print as --:--:--.
func curlFrame(total, got, avg, cur int64, tTotal, tSpent, tLeft int) string {
	pct := int64(0)
	if total > 0 {
		pct = got * 100 / total
	}
	return fmt.Sprintf("\r%3d %s  %3d %s    0     0  %s      0 %s %s %s %s",
		pct, curlSize(total), pct, curlSize(got), curlSize(avg), curlTime(tTotal), curlTime(tSpent), curlTime(tLeft), curlSize(cur))
}

// curlSize is curl's five-column size: 12345, 1234k, 12.3M, 1234M.
func curlSize(n int64) string {
	const k, m = 1024, 1024 * 1024
	switch {
	case n < 100000:
		return fmt.Sprintf("%5d", n)
	case n < 10000*k:
		return fmt.Sprintf("%4dk", n/k)
	case n < 100*m:
		return fmt.Sprintf("%2d.%dM", n/m, (n%m)*10/m)
	default:
		return fmt.Sprintf("%4dM", n/m)
	}
}

func curlTime(s int) string {
	if s < 0 {
		return "--:--:--"
	}
	return fmt.Sprintf("%2d:%02d:%02d", s/3600, s/60%60, s%60)
}
