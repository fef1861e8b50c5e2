package main

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

const (
	ansiGreen  = "\x1b[38;5;10m"
	ansiRed    = "\x1b[38;5;9m"
	ansiYellow = "\x1b[38;5;11m"
	ansiCyan   = "\x1b[38;5;14m"
	ansiOrange = "\x1b[38;5;214m"
	ansiBold   = "\x1b[1m"
	ansiReset  = "\x1b[0m"
)

// ginkgoArgs is what kubetest hands hack/ginkgo-e2e.sh.
func ginkgoArgs() string {
	return testArgs + " --report-dir=/logs/artifacts --disable-log-dump=true"
}

// e2e runs the tests and reports whether they passed. Only an aborted run's
// tests fail: the abort interrupts them.
func (r *run) e2e() bool {
	r.step("./cluster/kubectl.sh --match-server-version=false version", func() {
		r.adv(0.3, 0.9)
		r.versions()
	})
	r.step("./hack/e2e-internal/e2e-status.sh", func() {
		r.projectLines()
		r.adv(0.5, 1.2)
		r.versions()
	})
	passed := true
	r.step("./hack/ginkgo-e2e.sh "+ginkgoArgs(), func() { passed = r.ginkgo() })
	return passed
}

func (r *run) versions() {
	r.linef("Client Version: %s", r.version)
	r.line("Kustomize Version: v5.5.0")
	r.linef("Server Version: %s", r.version)
}

// event is something Ginkgo prints at a moment of the parallel run: a spec's
// report when it ends, or a progress report for a slow spec.
type event struct {
	at, nominal time.Time
	text        string
	progress    bool
	slot        slot // of a spec's report
}

type slot struct {
	spec                     e2eSpec
	proc                     int
	start, end               time.Time
	nominalStart, nominalEnd time.Time
}

func (r *run) ginkgo() bool {
	r.line(`Setting up for KUBERNETES_PROVIDER="gce".`)
	r.projectLines()
	r.findMaster()
	r.linef("+++ [%s] Found ginkgo at /workspace/kubernetes/platforms/linux/amd64/ginkgo", r.kubeTime())
	r.linef("+++ [%s] Found e2e.test at /workspace/kubernetes/platforms/linux/amd64/e2e.test", r.kubeTime())
	r.adv(1, 2.5)
	total := suiteSpecsTotal
	if r.spec.branch != "master" {
		total = suiteSpecsOld
	}
	for p := range 4 {
		r.adv(0.01, 0.2)
		r.linef("%s e2e.go:109] Starting e2e run %q on Ginkgo node %d", r.klogHead(p, true), r.v("uuid", r.rnd.uuid()), p+1)
	}
	title := "Running Suite: Kubernetes e2e suite - /workspace/kubernetes/platforms/linux/amd64"
	r.line(title)
	r.line(strings.Repeat("=", len(title)))
	r.seed = fmt.Sprint(r.now.Unix())
	r.linef("Random Seed: %s - will randomize all specs", r.v("seed", r.seed))
	r.line("")
	r.linef("Will run 24 of %d specs", total)
	r.line("Running in parallel across 4 processes")
	r.line("------------------------------")
	r.beforeSuite()
	suiteStart := r.now
	r.suiteStart = suiteStart

	// Ginkgo hands the next spec to whichever process frees up first, and
	// prints each spec's report when it ends, so the order of the reports
	// follows the spec durations and varies from run to run.
	all := specs()
	free := make([]time.Time, 4)
	nominalFree := make([]time.Time, 4)
	for i := range free {
		free[i] = r.now.Add(secondsDur(r.rnd.float(0.01, 0.2)))
		nominalFree[i] = r.now
	}
	var slots []slot
	for _, s := range all {
		p := 0
		for i := range free {
			if free[i].Before(free[p]) {
				p = i
			}
		}
		np := 0
		for i := range nominalFree {
			if nominalFree[i].Before(nominalFree[np]) {
				np = i
			}
		}
		d := secondsDur(s.secs * r.rnd.float(0.965, 1.035))
		sl := slot{spec: s, proc: p, start: free[p], end: free[p].Add(d),
			nominalStart: nominalFree[np], nominalEnd: nominalFree[np].Add(secondsDur(s.secs))}
		free[p] = sl.end.Add(secondsDur(r.rnd.float(0.005, 0.05)))
		nominalFree[np] = sl.nominalEnd
		slots = append(slots, sl)
	}

	// An abort interrupts whatever is running two and a half minutes in.
	var cut time.Time
	if r.spec.outcome == aborted {
		cut = suiteStart.Add(secondsDur(r.rnd.float(146, 154)))
		if r.mask {
			cut = suiteStart.Add(150 * time.Second)
		}
	}
	interrupted := !cut.IsZero()
	var events []event
	var inflight []slot
	for _, sl := range slots {
		end, start := sl.end, sl.start
		if r.mask {
			end, start = sl.nominalEnd, sl.nominalStart
		}
		if interrupted && !start.Before(cut) {
			continue
		}
		if interrupted && end.After(cut) {
			inflight = append(inflight, sl)
			continue
		}
		events = append(events, event{at: end, nominal: sl.nominalEnd, text: r.capture(func() { r.specReport(sl, time.Time{}) }), slot: sl})
		if sl.spec.slow() {
			at := sl.start.Add(slowSpecSeconds*time.Second + secondsDur(r.rnd.float(0.002, 0.04)))
			events = append(events, event{at: at, nominal: sl.nominalStart.Add(slowSpecSeconds * time.Second), text: r.capture(func() { r.progressReport(sl, at) }), progress: true})
		}
	}
	sort.SliceStable(events, func(i, j int) bool {
		if r.mask {
			return events[i].nominal.Before(events[j].nominal)
		}
		return events[i].at.Before(events[j].at)
	})

	ran := 0
	for _, e := range events {
		if !e.progress {
			ran++
		}
	}
	skipped := total - ran
	// Skipped specs print as runs of S between the reports; how the skips
	// fall between the reports depends on the random seed.
	gaps := r.splitSkips(skipped, ran+1)
	gi := 0
	failed := 0
	for _, e := range events {
		if !e.progress {
			r.line(r.v("skips", strings.Repeat("S", gaps[gi])))
			gi++
			res := specResult{spec: e.slot.spec, seconds: e.slot.end.Sub(e.slot.start).Seconds(), failed: e.slot.spec.text == r.spec.flip}
			if res.failed {
				failed++
			}
			r.specs = append(r.specs, res)
		}
		r.out.WriteString(e.text)
	}
	if interrupted {
		r.now = cut
		r.linef(`{"component":"entrypoint","file":"sigs.k8s.io/prow/pkg/entrypoint/run.go:169","func":"sigs.k8s.io/prow/pkg/entrypoint.Options.ExecuteProcess","level":"error","msg":"Entrypoint received interrupt: terminated","severity":"error","time":"%s"}`, r.rfc3339(r.now))
		for i, sl := range inflight {
			r.out.WriteString(r.capture(func() { r.specReport(sl, cut.Add(time.Duration(i)*37*time.Millisecond)) }))
		}
		ran += len(inflight)
		skipped = total - ran
		r.adv(1.5, 3)
	} else {
		r.line(r.v("skips", strings.Repeat("S", gaps[gi])))
		r.now = suiteStart
		for _, sl := range slots {
			if sl.end.After(r.now) {
				r.now = sl.end
			}
		}
		r.afterSuite()
		if failed > 0 {
			r.summarizeFailures()
		}
	}
	r.line("")
	secs := r.now.Sub(suiteStart).Seconds() + 3.2
	r.suiteSeconds, r.total = secs, total
	r.linef("Ran %d of %d Specs in %s seconds", ran, total, r.v("duration", fmt.Sprintf("%.3f", secs)))
	if interrupted {
		r.linef("%s%sFAIL!%s - Interrupted by User -- %s%s%d Passed%s | %s%s0 Failed%s | %s%s0 Pending%s | %s%s%d Skipped%s",
			ansiRed, ansiBold, ansiReset, ansiGreen, ansiBold, ran-len(inflight), ansiReset, ansiRed, ansiBold, ansiReset,
			ansiYellow, ansiBold, ansiReset, ansiCyan, ansiBold, skipped, ansiReset)
	} else if failed > 0 {
		r.linef("%s%sFAIL!%s -- %s%s%d Passed%s | %s%s%d Failed%s | %s%s0 Pending%s | %s%s%d Skipped%s",
			ansiRed, ansiBold, ansiReset, ansiGreen, ansiBold, ran-failed, ansiReset, ansiRed, ansiBold, failed, ansiReset,
			ansiYellow, ansiBold, ansiReset, ansiCyan, ansiBold, skipped, ansiReset)
	} else {
		r.linef("%s%sSUCCESS!%s -- %s%s%d Passed%s | %s%s0 Failed%s | %s%s0 Pending%s | %s%s%d Skipped%s",
			ansiGreen, ansiBold, ansiReset, ansiGreen, ansiBold, ran, ansiReset, ansiRed, ansiBold, ansiReset,
			ansiYellow, ansiBold, ansiReset, ansiCyan, ansiBold, skipped, ansiReset)
	}
	r.line("")
	r.line("")
	r.adv(0.2, 0.6)
	r.linef("Ginkgo ran 1 suite in %s", r.dur(r.now.Sub(suiteStart)+secondsDur(r.rnd.float(9, 14))))
	if interrupted || failed > 0 {
		r.line("Test Suite Failed")
		return false
	}
	r.line("Test Suite Passed")
	return true
}

// summarizeFailures is what Ginkgo prints after the suite about the specs
// that failed.
func (r *run) summarizeFailures() {
	f := r.failure
	r.line("")
	r.linef("%s%sSummarizing 1 Failure:%s", ansiRed, ansiBold, ansiReset)
	r.linef("  %s[FAIL]%s %s", ansiRed, ansiReset, r.spec.flip)
	r.linef("  %s", f.loc)
}

// capture returns what fn prints, leaving the log as it was; the run's clock
// is restored too, since reports are written out of time order.
func (r *run) capture(fn func()) string {
	saved, savedNow := r.out, r.now
	r.out = strings.Builder{}
	fn()
	s := r.out.String()
	r.out, r.now = saved, savedNow
	return s
}

// klogHead is a klog header for Ginkgo process p at the current time.
func (r *run) klogHead(p int, padded bool) string { return r.klog('I', r.pids[p], padded) }

// splitSkips splits total skipped specs into parts runs of at least one.
func (r *run) splitSkips(total, parts int) []int {
	out := make([]int, parts)
	left := total - parts
	for i := range parts - 1 {
		n := min(r.rnd.between(0, 2*(total-parts)/parts), left)
		out[i] = 1 + n
		left -= n
	}
	out[parts-1] = 1 + left
	return out
}

func (r *run) beforeSuite() {
	r.adv(0.05, 0.2)
	start := r.now
	var end time.Time
	body := r.capture(func() {
		defer func() { end = r.now }()
		for _, l := range []string{
			"util.go:502] >>> kubeConfig: /workspace/.kube/config",
			"e2e.go:242] Waiting up to 30m0s for all (but 0) nodes to be schedulable",
			"e2e.go:255] Waiting up to 10m0s for all pods (need at least 8) in namespace 'kube-system' to be running and ready",
			"e2e.go:255] 29 / 29 pods in namespace 'kube-system' are running and ready (0 seconds elapsed)",
			"e2e.go:255] expected 7 pod replicas in namespace 'kube-system', 7 are Running and Ready.",
			"e2e.go:266] Waiting up to 5m0s for all daemonsets in namespace 'kube-system' to start",
			"resource.go:151] 4 / 4 pods ready in daemonset 'kube-proxy-windows' in namespace 'kube-system' (0 seconds elapsed)",
			"e2e.go:283] e2e test version: " + r.version,
			"e2e.go:284] kube-apiserver version: " + r.version,
			"util.go:502] >>> kubeConfig: /workspace/.kube/config",
			"e2e.go:116] Cluster IP family: ipv4",
		} {
			r.adv(0.05, 0.6)
			r.linef("  %s %s", r.klogHead(0, false), l)
		}
	})
	r.now = end
	r.linef("[SynchronizedBeforeSuite] PASSED [%s seconds]", r.v("duration", fmt.Sprintf("%.3f", r.now.Sub(start).Seconds())))
	r.line("[SynchronizedBeforeSuite] ")
	r.line("test/e2e/e2e.go:77")
	r.line("")
	r.line("  Timeline >>")
	r.out.WriteString(body)
	r.line("  << Timeline")
	r.line("------------------------------")
}

func (r *run) afterSuite() {
	r.line("------------------------------")
	start := r.now
	body := r.capture(func() {
		r.adv(0.01, 0.05)
		r.linef("  %s suites.go:34] Running AfterSuite actions on node 1", r.klogHead(0, false))
		r.adv(0.01, 0.05)
		r.linef("  %s util.go:614] Skipping dumping logs from cluster", r.klogHead(0, false))
	})
	r.now = start.Add(secondsDur(r.rnd.float(0.05, 0.12)))
	r.linef("[SynchronizedAfterSuite] PASSED [%s seconds]", r.v("duration", fmt.Sprintf("%.3f", r.now.Sub(start).Seconds())))
	r.line("[SynchronizedAfterSuite] ")
	r.line("test/e2e/e2e.go:88")
	r.line("")
	r.line("  Timeline >>")
	r.out.WriteString(body)
	r.line("  << Timeline")
	r.line("------------------------------")
	r.linef("[ReportAfterSuite] PASSED [%s seconds]", r.v("duration", fmt.Sprintf("%.3f", r.rnd.float(0.002, 0.009))))
	r.line("[ReportAfterSuite] Kubernetes e2e suite report")
	r.line("test/e2e/e2e_test.go:156")
	r.line("------------------------------")
}

// specValues fills a spec body's placeholders for one run of the spec.
func (r *run) specValues(ns string) *strings.Replacer {
	win := r.windows[r.rnd.intn(3)]
	podIP := func() string { return r.v("ip", fmt.Sprintf("10.64.%d.%d", r.rnd.between(1, 3), r.rnd.between(2, 60))) }
	return strings.NewReplacer(
		"{ns}", ns,
		"{pod}", r.v("uuid", "pod-"+r.rnd.uuid()),
		"{pod2}", r.v("uuid", "pod-"+r.rnd.uuid()),
		"{uid}", r.v("uuid", r.rnd.uuid()),
		"{sfx}", r.v("suffix", r.rnd.pick(k8sAlphabet, 5)),
		"{win}", win.name,
		"{nodeip}", win.internal,
		"{ip1}", podIP(),
		"{ip2}", podIP(),
		"{port}", r.v("port", fmt.Sprint(r.rnd.between(30000, 32767))),
		"{master}", r.masterIP,
		"{avg}", r.dur(secondsDur(r.rnd.float(0.08, 0.9))),
	)
}

// specReport is the report Ginkgo prints when a spec ends, or, with a non-zero
// cut, when an interrupt stops it.
func (r *run) specReport(sl slot, cut time.Time) {
	s := sl.spec
	ns := r.v("namespace", fmt.Sprintf("%s-%d", s.base, r.rnd.between(1000, 9999)))
	vals := r.specValues(ns)
	body := s.lines()
	start, end := sl.start, sl.end
	if r.mask {
		start, end = sl.nominalStart, sl.nominalEnd
	}
	interrupted := !cut.IsZero()
	if interrupted {
		body = body[:len(body)*2/3]
		end = cut
	}
	// A spec that fails stops where its check fails; the framework then
	// dumps the namespace's events and tears down as always.
	failed := !interrupted && s.text == r.spec.flip
	bodyEnd := end
	var teardown []string
	if failed {
		teardown = body[len(body)-2:]
		body = body[:s.failsAfter(body)]
		bodyEnd = end.Add(-1500 * time.Millisecond)
	}
	// Most of a spec's time goes to waiting, for pods mostly: the lines
	// that end a wait get what the quick steps leave.
	d := float64(bodyEnd.Sub(start))
	heavy := 0
	for _, l := range body {
		if waits(l) {
			heavy++
		}
	}
	light := float64(len(body) - heavy + 1)
	lightGap, heavyGap := d/light, 0.0
	if heavy > 0 {
		lightGap = min(d*0.4/light, float64(1200*time.Millisecond))
		heavyGap = (d - 1.4*lightGap*light) / float64(heavy)
	}
	timeline := r.capture(func() {
		r.now = start
		var waitStart time.Time
		for _, l := range body {
			gap := lightGap * r.rnd.float(0.6, 1.4)
			if waits(l) {
				gap = heavyGap * r.rnd.float(0.93, 1)
				l = l[1:]
			}
			r.now = r.now.Add(time.Duration(gap))
			if r.now.After(bodyEnd) {
				r.now = bodyEnd
			}
			if strings.Contains(l, "Waiting up to 5m0s for pod") {
				waitStart = r.now
			}
			l = strings.ReplaceAll(vals.Replace(l), "{elapsed}", r.dur(r.now.Sub(waitStart)))
			switch {
			case strings.HasPrefix(l, "STEP: "):
				r.linef("  %s @ %s", l, r.ginkgoTime())
			case strings.HasPrefix(l, "I "):
				r.linef("  %s %s", r.klogHead(sl.proc, false), l[2:])
			}
		}
		if interrupted {
			r.now = end
			r.linef("  [INTERRUPTED] in [It] - %s @ %s", s.loc, r.ginkgoTime())
		}
		if failed {
			r.now = bodyEnd
			r.failure = r.failSpec(vals, sl.proc, teardown)
		}
	})
	if failed {
		r.failure.timeline = timeline
	}
	secs := r.v("duration", fmt.Sprintf("%.3f", end.Sub(start).Seconds()))
	r.line("------------------------------")
	switch {
	case interrupted:
		r.linef("%s• [INTERRUPTED]%s [%s seconds]", ansiOrange, ansiReset, secs)
	case failed:
		r.linef("%s• [FAILED] [%s seconds]%s", ansiRed, secs, ansiReset)
	case s.slow():
		r.linef("• [SLOW TEST] [%s seconds]", secs)
	default:
		r.linef("• [%s seconds]", secs)
	}
	r.line(s.text)
	r.line(s.loc)
	r.line("")
	r.line("  Timeline >>")
	r.out.WriteString(timeline)
	r.line("  << Timeline")
	if failed {
		r.line("")
		for i, l := range strings.Split(r.failure.message, "\n") {
			if i == 0 {
				l = "[FAILED] " + l
			}
			r.linef("  %s%s%s", ansiRed, l, ansiReset)
		}
		r.linef("  In [It] at: %s @ %s", r.failure.loc, r.failure.shownAt)
	}
	if interrupted {
		r.now = end
		r.line("")
		r.linef("  %s[INTERRUPTED] Interrupted by User%s", ansiOrange, ansiReset)
		r.linef("  In [It] at: %s @ %s", s.loc, r.ginkgoTime())
		r.line("")
		r.line("  This is the Progress Report generated when the interrupt was received:")
		r.goroutineReport(sl, "    ", end, 0.6)
	}
	r.line("------------------------------")
}

// progressReport is what --ginkgo.poll-progress-after prints about a spec
// still running after five minutes.
func (r *run) progressReport(sl slot, at time.Time) {
	r.line("Automatically polling progress:")
	r.goroutineReport(sl, "  ", at, 0.4)
	r.line("")
}

// goroutineReport is Ginkgo's progress report on a spec at a moment, frac of
// the way through its steps.
func (r *run) goroutineReport(sl slot, in string, at time.Time, frac float64) {
	s := sl.spec
	start := sl.start
	if r.mask {
		start = sl.nominalStart
	}
	rt := at.Sub(start).Round(time.Millisecond)
	ptr := func() string { return r.v("pointer", "0xc00"+r.rnd.hex(6)+string("08"[r.rnd.intn(2)])) }
	ctx := "{0x7f4c9a8, " + ptr() + "}"
	r.linef("%s%s (Spec Runtime: %s)", in, s.text, r.dur(rt))
	r.linef("%s  %s", in, s.loc)
	r.linef("%s  In [It] (Node Runtime: %s)", in, r.dur(rt-secondsDur(r.rnd.float(0.9, 1.6)).Round(time.Millisecond)))
	r.linef("%s    %s", in, s.loc)
	r.linef("%s    At [By Step] %s (Step Runtime: %s)", in, s.stepAt(frac), r.dur(rt-secondsDur(r.rnd.float(2, 5)).Round(time.Millisecond)))
	r.linef("%s      %s", in, s.loc)
	r.line("")
	r.linef("%s    Spec Goroutine", in)
	r.linef("%s    goroutine %s [select]", in, r.v("goroutine", fmt.Sprint(r.rnd.between(900, 2400))))
	r.linef("%s      k8s.io/apimachinery/pkg/util/wait.waitForWithContext(%s, %s, %s)", in, ctx, ptr(), ptr())
	r.linef("%s        vendor/k8s.io/apimachinery/pkg/util/wait/wait.go:205", in)
	r.linef("%s      k8s.io/apimachinery/pkg/util/wait.poll(%s, 0x1, %s, %s)", in, ctx, ptr(), ptr())
	r.linef("%s        vendor/k8s.io/apimachinery/pkg/util/wait/poll.go:260", in)
	r.linef("%s      k8s.io/apimachinery/pkg/util/wait.PollUntilContextTimeout(%s, 0x3b9aca00, 0x45d964b800, 0x1, %s)", in, ctx, ptr())
	r.linef("%s        vendor/k8s.io/apimachinery/pkg/util/wait/poll.go:48", in)
	f := s.waitFrames()
	r.linef("%s    > %s", in, fmtPtrs(f[0], ptr))
	r.linef("%s        %s", in, f[1])
	r.linef("%s    > %s", in, fmtPtrs(f[2], ptr))
	r.linef("%s        %s", in, f[3])
	r.linef("%s      github.com/onsi/ginkgo/v2/internal.extractBodyFunction.func2({0x7f4c9a8?, %s?})", in, ptr())
	r.linef("%s        vendor/github.com/onsi/ginkgo/v2/internal/node.go:472", in)
	r.linef("%s      github.com/onsi/ginkgo/v2/internal.(*Suite).runNode.func3()", in)
	r.linef("%s        vendor/github.com/onsi/ginkgo/v2/internal/suite.go:894", in)
	r.linef("%s      github.com/onsi/ginkgo/v2/internal.(*Suite).runNode in goroutine 7", in)
	r.linef("%s        vendor/github.com/onsi/ginkgo/v2/internal/suite.go:881", in)
}

// fmtPtrs fills each %s of format with a fresh pointer.
func fmtPtrs(format string, ptr func() string) string {
	n := strings.Count(format, "%s")
	args := make([]any, n)
	for i := range args {
		args[i] = ptr()
	}
	return fmt.Sprintf(format, args...)
}
