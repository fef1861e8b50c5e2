package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// run is one build being generated: its spec, its random stream, its clock and
// the values that stay fixed for the whole build (names, addresses, versions).
//
// Every value that differs between two runs of the same configuration goes
// through v. With mask set, v prints the kind of the value instead of the
// value, and the parallel Ginkgo output keeps its nominal order, so two masked
// runs of the same configuration must print the same bytes. The tests use that
// to prove that passing runs differ only in volatile tokens.
type run struct {
	spec runSpec
	rnd  rng
	mask bool
	now  time.Time
	out  strings.Builder

	id        int64
	created   time.Time // when Prow created the ProwJob, which the build id encodes
	buildID   string
	prowjobID string // also the pod's name
	buildNode string // the build cluster's node the pod ran on
	podIP     string
	project   string // the GCP project leased from boskos
	staging   string // kube-up's staging bucket, named after the project
	cluster   string // the cluster name, the prefix of every instance
	version   string // the Kubernetes CI build under test
	baseSHA   string
	pullSHA   string
	tmpDir    string // kubetest's get-kube.sh directory

	masterIP, masterInternal string
	linux                    node
	windows                  []node
	pids                     []string // the Ginkgo worker processes

	masterUp, nodesUp time.Time // when the machines booted, for their own logs
	cases             []junitCase

	// What Ginkgo reports in junit_01.xml: the specs that ran, in the
	// order they ended, and the failure of the one that failed.
	suiteStart   time.Time
	suiteSeconds float64
	total        int // specs in the suite
	seed         string
	specs        []specResult
	failure      *specFailure
}

type node struct{ name, suffix, internal string }

func newRun(spec runSpec, mask bool) *run {
	r := &run{spec: spec, rnd: rng{s: spec.seed}, mask: mask}
	// Prow creates the ProwJob, then the pod is scheduled and its test
	// container starts a few seconds later.
	r.created = spec.start.Add(-time.Duration(r.rnd.between(2500, 9500)) * time.Millisecond)
	r.id = snowflake(r.created, int64(r.rnd.intn(3)))
	rawID := strconv.FormatInt(r.id, 10)
	r.buildID = r.v("build-id", rawID)
	r.prowjobID = r.v("uuid", r.rnd.uuid())
	r.buildNode = r.v("node", "gke-prow-build-pool5-2021092812495606-"+r.rnd.hex(8)+"-"+r.rnd.pick(gceAlphabet, 4))
	r.podIP = r.v("ip", r.rnd.ip(10, r.rnd.between(4, 31)))
	rawProject := fmt.Sprintf("k8s-infra-e2e-boskos-%03d", r.rnd.between(1, 120))
	r.project = r.v("project", rawProject)
	r.staging = r.v("hex", "kubernetes-staging-"+md5hex(rawProject)[:10])

	// kubernetes_e2e.py names clusters after the build, or after the PR for
	// presubmits so a re-run can tear down what the previous run leaked.
	suffix := md5hex(rawID)[:10]
	if spec.presubmit {
		suffix = strconv.Itoa(spec.pr)
	}
	r.cluster = r.v("cluster", "e2e-"+suffix+"-"+md5hex(spec.job())[:5])

	hoursIn := int(spec.start.Sub(at(2, 10, 0, 0, 0)).Hours())
	if spec.branch == "master" {
		r.version = r.v("version", fmt.Sprintf("v1.33.0-alpha.1.%d+%s", 190+hoursIn*3/2+r.rnd.intn(3), r.rnd.hex(14)))
	} else {
		r.version = r.v("version", fmt.Sprintf("v1.32.2-rc.0.%d+%s", 31+hoursIn/8+r.rnd.intn(2), r.rnd.hex(14)))
	}
	r.baseSHA = r.v("sha", r.rnd.hex(40))
	r.pullSHA = r.v("sha", r.rnd.hex(40))
	r.tmpDir = r.v("tmpdir", fmt.Sprintf("/tmp/get-kube%d", r.rnd.between(100000000, 4294967295)))

	r.masterIP = r.v("ip", r.rnd.ip(35, r.rnd.between(185, 247)))
	r.masterInternal = "10.40.0.2"
	used := map[string]bool{}
	mk := func(group string) node {
		s := r.rnd.pick(gceAlphabet, 4)
		for used[s] {
			s = r.rnd.pick(gceAlphabet, 4)
		}
		used[s] = true
		n := node{suffix: r.v("suffix", s)}
		n.name = r.cluster + "-" + group + "-" + n.suffix
		return n
	}
	r.linux = mk("minion-group")
	for range 3 {
		r.windows = append(r.windows, mk("windows-node-group"))
	}
	// GCE hands out internal addresses in creation order, and the instances
	// of a group come up in no fixed order.
	order := []int{0, 1, 2, 3}
	for i := len(order) - 1; i > 0; i-- {
		j := r.rnd.intn(i + 1)
		order[i], order[j] = order[j], order[i]
	}
	for i, n := range r.nodes() {
		n.internal = r.v("ip", fmt.Sprintf("10.40.0.%d", 3+order[i]))
		if i == 0 {
			r.linux = n
		} else {
			r.windows[i-1] = n
		}
	}
	pid := r.rnd.between(20000, 90000)
	for range 4 {
		r.pids = append(r.pids, r.v("pid", strconv.Itoa(pid)))
		pid += r.rnd.between(7, 40)
	}
	r.now = spec.start.Add(time.Duration(r.rnd.between(200, 900)) * time.Millisecond)
	return r
}

func (r *run) nodes() []node { return append([]node{r.linux}, r.windows...) }

// v marks s as a volatile token of the given kind.
func (r *run) v(kind, s string) string {
	if r.mask {
		return "<" + kind + ">"
	}
	return s
}

// adv moves the clock forward by between lo and hi seconds.
func (r *run) adv(lo, hi float64) time.Duration {
	d := time.Duration(r.rnd.float(lo, hi) * float64(time.Second))
	r.now = r.now.Add(d)
	return d
}

func (r *run) line(s string) {
	r.out.WriteString(s)
	r.out.WriteByte('\n')
}

func (r *run) linef(format string, args ...any) { r.line(fmt.Sprintf(format, args...)) }

// Timestamps, in each of the forms the log holds.

func (r *run) goTime() string             { return r.v("time", r.now.Format("2006/01/02 15:04:05")) }
func (r *run) kubeTime() string           { return r.v("time", r.now.Format("0102 15:04:05")) }
func (r *run) ginkgoTime() string         { return r.v("time", r.now.Format("01/02/06 15:04:05.999")) }
func (r *run) rfc3339(t time.Time) string { return r.v("time", t.UTC().Format(time.RFC3339)) }

// gcloudTime is how gcloud prints a creation timestamp: in the API's Pacific time.
func (r *run) gcloudTime() string {
	return r.v("time", r.now.In(time.FixedZone("", -8*3600)).Format("2006-01-02T15:04:05.000-07:00"))
}

// klog is a klog header up to the thread id: klog pads the id to seven
// columns, while e2e.test's logger inside Ginkgo timelines does not.
func (r *run) klog(sev byte, pid string, padded bool) string {
	ts := r.v("time", r.now.Format("0102 15:04:05.000000"))
	if padded && !r.mask {
		pid = fmt.Sprintf("%7s", pid)
	}
	return fmt.Sprintf("%c%s %s", sev, ts, pid)
}

// glog prints a line of kubetest's Go logger.
func (r *run) glog(fileLine, format string, args ...any) {
	r.linef("%s %s: %s", r.goTime(), fileLine, fmt.Sprintf(format, args...))
}

func secondsDur(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

func (r *run) dur(d time.Duration) string { return r.v("duration", d.String()) }

// step runs fn as one of kubetest's steps, with the log lines kubetest prints
// around it.
func (r *run) step(cmd string, fn func()) {
	r.adv(0.001, 0.05)
	r.glog("process.go:153", "Running: %s", cmd)
	start := r.now
	fn()
	r.adv(0.01, 0.4)
	r.glog("process.go:155", "Step '%s' finished in %s", cmd, r.dur(r.now.Sub(start)))
}
