package main

import (
	"path"
	"strings"
)

// e2eSpec is one Ginkgo spec the job runs. Body lines are "STEP: text",
// "I file.go:N] text" for a klog line, with {placeholders} that each run fills
// with its own names, addresses and durations (see (*run).specValues).
type e2eSpec struct {
	text string
	loc  string
	base string  // namespace base name
	secs float64 // nominal duration
	body []string
}

func (s e2eSpec) slow() bool { return s.secs > slowSpecSeconds }

// lines is the spec's timeline: the framework's setup, the body, the
// framework's teardown.
func (s e2eSpec) lines() []string {
	l := append([]string{
		"STEP: Creating a kubernetes client",
		"I util.go:502] >>> kubeConfig: /workspace/.kube/config",
		"STEP: Building a namespace api object, basename " + s.base,
		"I namespace.go:59] About to run a Kube e2e test, ensuring namespace/{ns} is privileged",
		"STEP: Waiting for a default service account to be provisioned in namespace",
		"STEP: Waiting for kube-root-ca.crt to be provisioned in namespace",
	}, s.body...)
	return append(l,
		"I helper.go:122] Waiting up to 7m0s for all (but 0) nodes to be ready",
		`STEP: Destroying namespace "{ns}" for this suite.`,
	)
}

// stepAt is the STEP of the body the spec is in after the given fraction of
// its steps.
func (s e2eSpec) stepAt(frac float64) string {
	var steps []string
	for _, l := range s.body {
		if t, ok := strings.CutPrefix(l, "STEP: "); ok {
			steps = append(steps, t)
		}
	}
	if len(steps) == 0 {
		return "Creating a kubernetes client"
	}
	return steps[min(int(frac*float64(len(steps))), len(steps)-1)]
}

// waits reports whether body line l, marked with a leading ~, is printed at
// the end of a long wait.
func waits(l string) bool { return strings.HasPrefix(l, "~") }

// waitFrames are the spec's own frames of a goroutine dump taken while it
// waits: what waits, and the spec body that called it.
func (s e2eSpec) waitFrames() [4]string {
	if strings.HasPrefix(s.loc, "test/e2e/apps/cronjob.go") {
		return [4]string{
			"k8s.io/kubernetes/test/e2e/apps.waitForNoJobs({0x7f4c9a8, %s}, {0x7fb27a8, %s}, {%s, 0x10}, {%s, 0x7}, 0x0)", "test/e2e/apps/cronjob.go:631",
			"k8s.io/kubernetes/test/e2e/apps.init.func1.2({0x7f4c9a8, %s})", "test/e2e/apps/cronjob.go:112",
		}
	}
	return [4]string{
		"k8s.io/kubernetes/test/e2e/framework/pod.WaitForPodCondition({0x7f4c9a8, %s}, {0x7fb27a8, %s}, {%s, 0x14}, {%s, 0x2c}, {0x6c21b3e, 0x7}, 0x45d964b800, 0x72d8f50)", "test/e2e/framework/pod/wait.go:228",
		"k8s.io/kubernetes/" + path.Dir(strings.Split(s.loc, ":")[0]) + ".init.func1.1({0x7f4c9a8, %s})", s.loc,
	}
}

const (
	slowSpecSeconds = 300 // hack/ginkgo-e2e.sh's --ginkgo.slow-spec-threshold and poll-progress-after
	suiteSpecsTotal = 7031
	suiteSpecsOld   = 7012 // release-1.32 has fewer specs
)

func waitRunning(pod string) []string {
	return []string{
		`I pod.go:408] Waiting up to 5m0s for pod "` + pod + `" in namespace "{ns}" to be "running"`,
		`I wait.go:50] Pod "` + pod + `": Phase="Pending", Reason="", readiness=false. Elapsed: {elapsed}`,
		`~I wait.go:50] Pod "` + pod + `": Phase="Running", Reason="", readiness=true. Elapsed: {elapsed}`,
		`I wait.go:84] Pod "` + pod + `" satisfied condition "running"`,
	}
}

func waitSuccess(pod string) []string {
	return []string{
		`I pod.go:408] Waiting up to 5m0s for pod "` + pod + `" in namespace "{ns}" to be "Succeeded or Failed"`,
		`I wait.go:50] Pod "` + pod + `": Phase="Pending", Reason="", readiness=false. Elapsed: {elapsed}`,
		`~I wait.go:50] Pod "` + pod + `": Phase="Succeeded", Reason="", readiness=false. Elapsed: {elapsed}`,
		`STEP: Saw pod success`,
		`I wait.go:84] Pod "` + pod + `" satisfied condition "Succeeded or Failed"`,
		`I output.go:196] Trying to get logs from node {win} pod ` + pod + ` container test-container: <nil>`,
		`STEP: delete the pod`,
		`I delete.go:62] Waiting for pod ` + pod + ` to disappear`,
		`I delete.go:66] Pod ` + pod + ` no longer exists`,
	}
}

func join(parts ...[]string) []string {
	var out []string
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// specs are the 24 specs the focus and skip regexps select, in the order the
// seed-independent part of the story dispatches them.
func specs() []e2eSpec {
	return []e2eSpec{
		{"[sig-windows] [Feature:Windows] DNS should support configurable pod DNS servers", "test/e2e/windows/dns.go:40", "dns", 22, join(
			[]string{`STEP: Getting the IP address of the internal Kubernetes service`,
				`STEP: Preparing a test DNS service with injected DNS names...`,
				`I dns.go:63] Created pod e2e-dns-utils in namespace {ns}`},
			waitRunning("e2e-dns-utils"),
			[]string{`STEP: confirm DNS servers are configured on pod`,
				`I exec_util.go:59] ExecWithOptions {Command:[cmd /c ipconfig /all] Namespace:{ns} PodName:e2e-dns-utils ContainerName:agnhost-container Stdin:<nil> CaptureStdout:true CaptureStderr:true PreserveWhitespace:false Quiet:false}`,
				`I exec_util.go:64] ExecWithOptions: Clientset creation`,
				`I exec_util.go:81] ExecWithOptions: execute(POST https://{master}/api/v1/namespaces/{ns}/pods/e2e-dns-utils/exec?command=cmd&command=%2Fc&command=ipconfig+%2Fall&container=agnhost-container&stderr=true&stdout=true)`,
				`~I dns.go:84] ipconfig /all output: DNS Servers . . . . . . . . . . . : 1.1.1.1`,
				`STEP: Verifying customized DNS option is configured on pod...`,
				`STEP: Deleting pod e2e-dns-utils...`}),
		},
		{"[sig-windows] [Feature:Windows] Hybrid cluster network for all supported CNIs should have stable networking for Linux and Windows pods", "test/e2e/windows/hybrid_network.go:56", "hybrid-network", 74, join(
			[]string{`STEP: creating linux and windows pods`},
			waitRunning("{pod}"),
			waitRunning("{pod2}"),
			[]string{`STEP: checking connectivity to 8.8.8.8 53 (google.com) from Linux`,
				`STEP: checking connectivity of linux-container in {pod2}`,
				`~I hybrid_network.go:172] checking connectivity of linux-container in {pod2}`,
				`STEP: checking connectivity of windows-container in {pod}`,
				`~I hybrid_network.go:172] checking connectivity of windows-container in {pod}`,
				`STEP: checking connectivity from Linux to Windows`,
				`I hybrid_network.go:137] checking connectivity from Linux pod {pod2} to Windows pod {ip1}`,
				`STEP: checking connectivity from Windows to Linux`,
				`I hybrid_network.go:137] checking connectivity from Windows pod {pod} to Linux pod {ip2}`}),
		},
		{"[sig-windows] [Feature:Windows] Hybrid cluster network for all supported CNIs should provide Internet connection for Windows containers using DNS [Feature:Networking-DNS]", "test/e2e/windows/hybrid_network.go:105", "hybrid-network", 46, join(
			[]string{`STEP: creating windows pod`},
			waitRunning("{pod}"),
			[]string{`STEP: verifying pod external connection to the internet`,
				`~I hybrid_network.go:172] checking connectivity of windows-container in {pod}`}),
		},
		{"[sig-windows] [Feature:Windows] Windows volume mounts check volume mount permissions container should have readOnly permissions on emptyDir", "test/e2e/windows/volumes.go:66", "windows-volumes", 18, join(
			[]string{`STEP: creating a container with readOnly permissions on emptyDir volume`,
				`STEP: Creating a pod to test emptydir volume on Windows`},
			waitSuccess("{pod}")),
		},
		{"[sig-windows] [Feature:Windows] Windows volume mounts check volume mount permissions container should have readOnly permissions on hostMapPath", "test/e2e/windows/volumes.go:74", "windows-volumes", 17, join(
			[]string{`STEP: creating a container with readOnly permissions on hostMap volume`,
				`STEP: Creating a pod to test hostMap volume on Windows`},
			waitSuccess("{pod}")),
		},
		{"[sig-windows] [Feature:Windows] SecurityContext should be able create pods and run containers with a given username", "test/e2e/windows/security_context.go:46", "windows-run-as-username", 41, join(
			[]string{`STEP: Creating 2 pods: 1 with the default user, and one with a custom one.`},
			waitSuccess("{pod}"),
			[]string{`STEP: Waiting for pods to finish`,
				`STEP: Then ensuring pods finished running successfully`,
				`STEP: Checking that the runAsUserName is used in the container`}),
		},
		{"[sig-windows] [Feature:Windows] SecurityContext should not be able to create pods with unknown usernames at Pod level", "test/e2e/windows/security_context.go:64", "windows-run-as-username", 12, []string{
			`STEP: Creating a pod with an invalid username`,
			`STEP: Waiting for pod to finish`,
			`I security_context.go:88] pod {pod} failed to start as expected: container "test-container" in pod is waiting to start: CreateContainerError`,
		}},
		{"[sig-windows] [Feature:Windows] SecurityContext should override SecurityContext username if set", "test/e2e/windows/security_context.go:110", "windows-run-as-username", 38, join(
			[]string{`STEP: Creating a pod with 2 containers with different username configurations.`},
			waitSuccess("{pod}"),
			[]string{`STEP: Checking that the runAsUserName is used in the container`}),
		},
		{"[sig-windows] [Feature:Windows] SecurityContext should ignore Linux Specific SecurityContext if set", "test/e2e/windows/security_context.go:142", "windows-run-as-username", 36, join(
			[]string{`STEP: Creating a pod with SELinux options`},
			waitRunning("{pod}"),
			[]string{`STEP: Creating a pod with RunAsGroup option`,
				`I security_context.go:171] pod {pod} started, ignoring Linux-only SecurityContext fields as expected`}),
		},
		{"[sig-windows] [Feature:Windows] Services should be able to create a functioning NodePort service for Windows", "test/e2e/windows/service.go:44", "services", 58, join(
			[]string{`STEP: creating service nodeport-test with type=NodePort in namespace {ns}`,
				`STEP: creating Pod to be part of service nodeport-test`},
			waitRunning("nodeport-test-{sfx}"),
			[]string{`STEP: Creating Windows pod to dial the service`,
				`I service.go:79] Checking reachability of http://{nodeip}:{port} from a Windows pod`,
				`STEP: checking connectivity of Pod agnhost to {nodeip}:{port}`,
				`~I util.go:247] Successfully reached {nodeip}:{port} after 1 attempt(s)`}),
		},
		{"[sig-windows] [Feature:Windows] Kubelet-Stats Kubelet stats collection for Windows nodes when running 3 pods should return within 10 seconds", "test/e2e/windows/kubelet_stats.go:50", "kubelet-stats-test-windows", 64, []string{
			`STEP: Selecting a Windows node`,
			`I kubelet_stats.go:58] Using node: {win}`,
			`STEP: Scheduling 3 pods`,
			`STEP: Waiting up to 3 minutes for pods to be running`,
			`STEP: Getting kubelet stats 5 times and checking average duration`,
			`~I kubelet_stats.go:77] Getting kubelet stats for node {win} took an average of {avg}`,
			`STEP: Verifying the kubelet stats for each pod`,
		}},
		{"[sig-windows] [Feature:Windows] Kubelet-Stats Kubelet stats collection for Windows nodes when windows is booted should return bootid within 10 seconds", "test/e2e/windows/kubelet_stats.go:112", "kubelet-stats-test-windows", 15, []string{
			`STEP: Selecting a Windows node`,
			`I kubelet_stats.go:120] Using node: {win}`,
			`STEP: Getting bootid`,
			`I kubelet_stats.go:131] boot id of node {win}: {uid}`,
		}},
		{"[sig-windows] [Feature:WindowsHostProcessContainers] [MinimumKubeletVersion:1.22] HostProcess containers should run as a process on the host/node", "test/e2e/windows/host_process.go:96", "host-process-test-windows", 27, join(
			[]string{`STEP: selecting a Windows node`,
				`STEP: scheduling a pod with a container that verifies %COMPUTERNAME% matches selected node name`},
			waitSuccess("host-process-test-{sfx}")),
		},
		{"[sig-windows] [Feature:WindowsHostProcessContainers] [MinimumKubeletVersion:1.22] HostProcess containers should support init containers", "test/e2e/windows/host_process.go:165", "host-process-test-windows", 31, join(
			[]string{`STEP: scheduling a pod with a container that verifies init container can configure the node`},
			waitSuccess("host-process-test-{sfx}")),
		},
		{"[sig-windows] [Feature:WindowsHostProcessContainers] [MinimumKubeletVersion:1.22] HostProcess containers should run as localgroup accounts", "test/e2e/windows/host_process.go:539", "host-process-test-windows", 44, join(
			[]string{`STEP: Creating a pod that runs as a localgroup account`},
			waitSuccess("host-process-test-{sfx}"),
			[]string{`STEP: Then ensuring pod finished running successfully`}),
		},
		{"[sig-node] Pods should be submitted and removed [NodeConformance] [Conformance]", "test/e2e/common/node/pods.go:227", "pods", 9, join(
			[]string{`STEP: creating the pod`,
				`STEP: setting up watch`,
				`STEP: submitting the pod to kubernetes`,
				`STEP: verifying the pod is in kubernetes`,
				`STEP: verifying pod creation was observed`},
			[]string{`STEP: deleting the pod gracefully`,
				`STEP: verifying pod deletion was observed`}),
		},
		{"[sig-node] Container Runtime blackbox test on terminated container should report termination message from log output if TerminationMessagePolicy FallbackToLogsOnError is set [NodeConformance] [Conformance]", "test/e2e/common/node/runtime.go:216", "container-runtime", 8, []string{
			`STEP: create the container`,
			`STEP: wait for the container to reach Failed`,
			`STEP: get the container status`,
			`STEP: the container should be terminated`,
			`STEP: the termination message should be set`,
			`I runtime.go:167] Expected: &{DONE} to match Container's Termination Message: DONE --`,
			`STEP: delete the container`,
		}},
		{"[sig-storage] EmptyDir volumes pod should support shared volumes between containers [Conformance]", "test/e2e/common/storage/empty_dir.go:227", "emptydir", 11, join(
			[]string{`STEP: Creating Pod`},
			waitRunning("pod-sharedvolume-{uid}"),
			[]string{`STEP: Reading file content from the nginx-container`,
				`I exec_util.go:59] ExecWithOptions {Command:[/bin/sh -c cat /usr/share/volumeshare/shareddata.txt] Namespace:{ns} PodName:pod-sharedvolume-{uid} ContainerName:busybox-main-container Stdin:<nil> CaptureStdout:true CaptureStderr:true PreserveWhitespace:false Quiet:false}`,
				`I exec_util.go:64] ExecWithOptions: Clientset creation`,
				`I exec_util.go:81] ExecWithOptions: execute(POST https://{master}/api/v1/namespaces/{ns}/pods/pod-sharedvolume-{uid}/exec?command=%2Fbin%2Fsh&command=-c&command=cat+%2Fusr%2Fshare%2Fvolumeshare%2Fshareddata.txt&container=busybox-main-container&stderr=true&stdout=true)`,
				`I exec_util.go:108] Exec stderr: ""`}),
		},
		{"[sig-storage] ConfigMap should be consumable from pods in volume [NodeConformance] [Conformance]", "test/e2e/common/storage/configmap_volume.go:47", "configmap", 13, join(
			[]string{`STEP: Creating configMap with name configmap-test-volume-{uid}`,
				`STEP: Creating a pod to test consume configMaps`},
			waitSuccess("pod-configmaps-{uid}")),
		},
		{"[sig-storage] Secrets should be consumable from pods in volume with mappings [NodeConformance] [Conformance]", "test/e2e/common/storage/secrets_volume.go:79", "secrets", 12, join(
			[]string{`STEP: Creating secret with name secret-test-map-{uid}`,
				`STEP: Creating a pod to test consume secrets`},
			waitSuccess("pod-secrets-{uid}")),
		},
		{"[sig-network] DNS should provide DNS for services  [Conformance]", "test/e2e/network/dns.go:137", "dns", 29, []string{
			`STEP: Creating a test headless service`,
			`STEP: Running these commands on agnhost: for i in ` + "`seq 1 600`" + `; do check="$$(dig +notcp +noall +answer +search dns-test-service.{ns}.svc.cluster.local A)" && test -n "$$check" && echo OK > /results/agnhost@dns-test-service.{ns}.svc.cluster.local;sleep 1; done`,
			`STEP: creating a pod to probe DNS`,
			`STEP: submitting the pod to kubernetes`,
			`STEP: retrieving the pod`,
			`STEP: looking for the results for each expected name from probers`,
			`I dns_common.go:495] Unable to read jessie_udp@dns-test-service.{ns}.svc.cluster.local from pod {ns}/dns-test-{uid}: the server could not find the requested resource (get pods dns-test-{uid})`,
			`I dns_common.go:527] Lookups using {ns}/dns-test-{uid} failed for: [jessie_udp@dns-test-service.{ns}.svc.cluster.local]`,
			`~I dns_common.go:535] DNS probes using {ns}/dns-test-{uid} succeeded`,
			`STEP: deleting the pod`,
			`STEP: deleting the test service`,
			`STEP: deleting the test headless service`,
		}},
		{"[sig-apps] Deployment deployment should support rollover [Conformance]", "test/e2e/apps/deployment.go:132", "deployment", 25, []string{
			`I resource.go:87] Pod name rollover-pod: Found 0 pods out of 1`,
			`~I resource.go:87] Pod name rollover-pod: Found 1 pods out of 1`,
			`STEP: ensuring each pod is running`,
			`I deployment.go:920] Waiting for pods owned by replica set "test-rollover-controller" to become ready`,
			`I deployment.go:932] Creating deployment "test-rollover-deployment"`,
			`I deployment.go:943] Make sure deployment "test-rollover-deployment" performs scaling operations`,
			`I deployment.go:948] Check revision of new replica set for deployment "test-rollover-deployment"`,
			`I deployment.go:955] Ensure that both replica sets have 1 created replica`,
			`I deployment.go:964] Rollover old replica sets for deployment "test-rollover-deployment" with new image update`,
			`I deployment.go:985] Make sure deployment "test-rollover-deployment" is complete`,
			`~I deployment.go:990] Ensure that both old replica sets have no replicas`,
			`I deployment.go:633] Deployment "test-rollover-deployment":`,
		}},
		{"[sig-node] Probing container should *not* be restarted with a exec \"cat /tmp/health\" liveness probe [NodeConformance] [Conformance]", "test/e2e/common/node/container_probe.go:151", "container-probe", 242, []string{
			`STEP: Creating pod busybox-{uid} in namespace {ns}`,
			`I container_probe.go:1022] Started pod busybox-{uid} in namespace {ns}`,
			`STEP: checking the pod's current state and verifying that restartCount is present`,
			`I container_probe.go:1032] Initial restart count of pod busybox-{uid} is 0`,
			`~STEP: deleting the pod`,
		}},
		{"[sig-apps] CronJob should not schedule jobs when suspended [Slow] [Conformance]", "test/e2e/apps/cronjob.go:97", "cronjob", 318, []string{
			`STEP: Creating a suspended cronjob`,
			`STEP: Ensuring no jobs are scheduled`,
			`~STEP: Ensuring no job exists by listing jobs explicitly`,
			`STEP: Removing cronjob`,
		}},
	}
}
