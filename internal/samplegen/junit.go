package main

import (
	"encoding/xml"
	"fmt"
	"strings"
)

// hostMapSpec is the spec that fails in the containerd job's newest run:
// the container could write to a volume mounted read-only.
const hostMapSpec = "[sig-windows] [Feature:Windows] Windows volume mounts check volume mount permissions container should have readOnly permissions on hostMapPath"

// specResult is a spec that ran, as Ginkgo reports it.
type specResult struct {
	spec    e2eSpec
	seconds float64
	failed  bool
}

// specFailure is how the failing spec failed.
type specFailure struct {
	message  string // the framework's message
	loc      string // where the check failed
	shownAt  string // when, as Ginkgo prints it
	timeline string // the spec's timeline as the build log shows it
}

// failsAfter is how many lines of a spec's body run before its check
// fails: the check reads the test container's output.
func (s e2eSpec) failsAfter(body []string) int {
	for i, l := range body {
		if strings.Contains(l, "Trying to get logs from node") {
			return i + 1
		}
	}
	return len(body) * 2 / 3
}

// failSpec prints the rest of the failing spec's timeline at the current
// time: the failure, the namespace's events the framework dumps after a
// failure, the framework's teardown.
func (r *run) failSpec(vals *strings.Replacer, proc int, teardown []string) *specFailure {
	f := &specFailure{
		message: vals.Replace(`pod {pod} wrote to the read-only hostMapPath volume: got output "hostmap-write-ok", want it to contain "Access is denied"`),
		loc:     "test/e2e/windows/volumes.go:131",
		shownAt: r.ginkgoTime(),
	}
	failedAt := r.now
	r.linef("  [FAILED] in [It] - %s @ %s", f.loc, f.shownAt)
	step := func(text string) {
		r.adv(0.01, 0.08)
		r.linef("  STEP: %s @ %s", vals.Replace(text), r.ginkgoTime())
	}
	event := func(ago float64, text string) {
		r.adv(0.001, 0.004)
		at := r.v("time", failedAt.Add(-secondsDur(ago)).Format("2006-01-02 15:04:05 -0700 MST"))
		r.linef("  %s dump.go:53] At %s - event for %s", r.klogHead(proc, false), at, vals.Replace("{pod}: "+text))
	}
	step("dump namespace information after failure")
	step(`Collecting events from namespace "{ns}".`)
	step("Found 4 events.")
	event(11.8, "{default-scheduler } Scheduled: Successfully assigned {ns}/{pod} to {win}")
	event(6.4, `{kubelet {win}} Pulled: Container image "registry.k8s.io/e2e-test-images/busybox:1.36.1-1" already present on machine`)
	event(6.3, "{kubelet {win}} Created: Created container: test-container")
	event(5.9, "{kubelet {win}} Started: Started container test-container")
	for _, l := range teardown {
		r.adv(0.05, 0.4)
		switch {
		case strings.HasPrefix(l, "STEP: "):
			r.linef("  %s @ %s", vals.Replace(l), r.ginkgoTime())
		case strings.HasPrefix(l, "I "):
			r.linef("  %s %s", r.klogHead(proc, false), vals.Replace(l[2:]))
		}
	}
	return f
}

// skippedSpecs are specs the job's focus leaves out, as many as the
// sample's junit_01.xml lists: Kubernetes' storage suites multiply drivers,
// volume patterns and tests into names like these.
func skippedSpecs() []string {
	var out []string
	drivers := []string{"local", "hostPath", "hostPathSymlink", "emptydir", "nfs", "gcepd", "iscsi", "ceph", "rbd", "csi-hostpath"}
	patterns := []string{"Pre-provisioned PV (default fs)", "Inline-volume (default fs)", "Dynamic PV (default fs)", "Pre-provisioned PV (block volmode)"}
	tests := []string{
		"subPath should support existing directory",
		"subPath should support file as subpath [LinuxOnly]",
		"volumes should store data",
		"volumeMode should not mount / map unused volumes in a pod [LinuxOnly]",
	}
	for _, d := range drivers {
		kind := "In-tree Volumes"
		if strings.HasPrefix(d, "csi-") {
			kind = "CSI Volumes"
		}
		for _, p := range patterns {
			for _, t := range tests {
				out = append(out, fmt.Sprintf("[sig-storage] %s [Driver: %s] [Testpattern: %s] %s", kind, d, p, t))
			}
		}
	}
	return append(out,
		"[sig-apps] StatefulSet Basic StatefulSet functionality [StatefulSetBasic] should perform rolling updates and roll backs of template modifications [Conformance]",
		"[sig-network] Services should serve endpoints on same port and different protocols [Conformance]",
		"[sig-node] Pods should support remote command execution over websockets [NodeConformance] [Conformance]",
		"[sig-cli] Kubectl client Kubectl logs logs should be able to retrieve and filter logs [Conformance]",
		"[sig-scheduling] SchedulerPreemption [Serial] validates basic preemption works [Conformance]",
		"[sig-api-machinery] Garbage collector should delete RS created by deployment when not orphaning [Conformance]",
	)
}

// junitE2E is the junit_01.xml Ginkgo writes with Kubernetes' report
// settings: every spec, the skipped ones too; timelines only for failures;
// no leaf node type in the names. The sample lists a part of the skipped
// specs, and says so, to keep the bucket small.
func (r *run) junitE2E() []byte {
	esc := func(s string) string {
		var b strings.Builder
		xml.EscapeText(&b, []byte(s))
		return b.String()
	}
	skipped := skippedSpecs()
	failures := 0
	for _, s := range r.specs {
		if s.failed {
			failures++
		}
	}
	tests := len(r.specs) + len(skipped)
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	fmt.Fprintf(&b, "<!-- logdiff's sample: %d of the %d specs Ginkgo skipped are listed -->\n", len(skipped), r.total-len(r.specs))
	fmt.Fprintf(&b, "  <testsuites tests=\"%d\" disabled=\"0\" errors=\"0\" failures=\"%d\" time=\"%.3f\">\n", tests, failures, r.suiteSeconds)
	fmt.Fprintf(&b, "      <testsuite name=\"Kubernetes e2e suite\" package=\"/workspace/kubernetes/platforms/linux/amd64\" tests=\"%d\" disabled=\"0\" skipped=\"%d\" errors=\"0\" failures=\"%d\" time=\"%.3f\" timestamp=\"%s\">\n",
		tests, len(skipped), failures, r.suiteSeconds, r.suiteStart.Format("2006-01-02T15:04:05"))
	b.WriteString("          <properties>\n")
	focus, skip := ginkgoRegexps()
	for _, p := range [][2]string{
		{"SuiteSucceeded", fmt.Sprint(failures == 0)},
		{"SuiteHasProgrammaticFocus", "false"},
		{"SpecialSuiteFailureReason", ""},
		{"SuiteLabels", "[]"},
		{"RandomSeed", r.seed},
		{"RandomizeAllSpecs", "true"},
		{"LabelFilter", ""},
		{"FocusStrings", focus},
		{"SkipStrings", skip},
		{"ParallelTotal", "4"},
	} {
		fmt.Fprintf(&b, "              <property name=\"%s\" value=\"%s\"></property>\n", p[0], esc(p[1]))
	}
	b.WriteString("          </properties>\n")
	for _, s := range r.specs {
		if !s.failed {
			fmt.Fprintf(&b, "          <testcase name=\"%s\" classname=\"Kubernetes e2e suite\" status=\"passed\" time=\"%.9f\"></testcase>\n", esc(s.spec.text), s.seconds)
			continue
		}
		f := r.failure
		fmt.Fprintf(&b, "          <testcase name=\"%s\" classname=\"Kubernetes e2e suite\" status=\"failed\" time=\"%.9f\">\n", esc(s.spec.text), s.seconds)
		fmt.Fprintf(&b, "              <failure message=\"%s\" type=\"failed\">%s</failure>\n", esc(f.message),
			esc("[FAILED] "+f.message+"\nIn [It] at: "+f.loc+" @ "+f.shownAt+"\n"))
		fmt.Fprintf(&b, "              <system-err>%s</system-err>\n", esc(dedent(f.timeline)))
		b.WriteString("          </testcase>\n")
	}
	for _, name := range skipped {
		fmt.Fprintf(&b, "          <testcase name=\"%s\" classname=\"Kubernetes e2e suite\" status=\"skipped\" time=\"0\">\n              <skipped message=\"skipped\"></skipped>\n          </testcase>\n", esc(name))
	}
	b.WriteString("      </testsuite>\n  </testsuites>\n")
	return []byte(b.String())
}

// ginkgoRegexps are the focus and skip of the job's test arguments.
func ginkgoRegexps() (focus, skip string) {
	for _, a := range strings.Fields(testArgs) {
		if v, ok := strings.CutPrefix(a, "--ginkgo.focus="); ok {
			focus = v
		}
		if v, ok := strings.CutPrefix(a, "--ginkgo.skip="); ok {
			skip = v
		}
	}
	return focus, skip
}

// dedent removes the two spaces the build log indents a timeline by.
func dedent(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimPrefix(l, "  ")
	}
	return strings.Join(lines, "\n")
}
