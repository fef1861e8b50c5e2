package main

import (
	"fmt"
	"strings"
	"time"
)

type junitCase struct {
	name    string
	seconds float64
	failure string
}

func (r *run) junitCase(name string, since time.Time, failure string) {
	r.cases = append(r.cases, junitCase{name, r.now.Sub(since).Seconds(), failure})
}

// junitRunner is kubetest's junit_runner.xml, one case per step it timed.
func (r *run) junitRunner() []byte {
	var b strings.Builder
	fails := 0
	total := 0.0
	for _, c := range r.cases {
		total += c.seconds
		if c.failure != "" {
			fails++
		}
	}
	fmt.Fprintf(&b, "<testsuite failures=\"%d\" tests=\"%d\" time=\"%.3f\">\n", fails, len(r.cases), total)
	for _, c := range r.cases {
		if c.failure == "" {
			fmt.Fprintf(&b, "    <testcase classname=\"e2e.go\" name=\"%s\" time=\"%.3f\"></testcase>\n", c.name, c.seconds)
			continue
		}
		fmt.Fprintf(&b, "    <testcase classname=\"e2e.go\" name=\"%s\" time=\"%.3f\">\n", c.name, c.seconds)
		fmt.Fprintf(&b, "        <failure>%s</failure>\n", c.failure)
		b.WriteString("    </testcase>\n")
	}
	b.WriteString("</testsuite>\n")
	return []byte(b.String())
}

// artifacts are the files log-dump.sh and kubetest left in artifacts/, by
// path below it.
func (r *run) artifacts() map[string][]byte {
	files := map[string][]byte{
		"junit_runner.xml": r.junitRunner(),
		"metadata.json":    r.kubetestMetadata(),
	}
	files[r.cluster+"-master/kube-apiserver.log"] = r.apiserverLog()
	files[r.linux.name+"/kubelet.log"] = r.linuxKubeletLog()
	for i, w := range r.windows {
		files[w.name+"/serial-1.log"] = r.serialLog(i)
		if r.spec.preset {
			files[w.name+"/kubelet.log"] = r.windowsKubeletLog(i)
		}
	}
	// Ginkgo's report, when the suite ran to its end.
	if len(r.specs) > 0 && r.spec.outcome != aborted {
		files["junit_01.xml"] = r.junitE2E()
	}
	return files
}

// sub writes fn's lines with the clock at t, leaving the build log alone.
func (r *run) sub(t time.Time, fn func()) []byte {
	saved := r.now
	r.now = t
	s := r.capture(fn)
	r.now = saved
	return []byte(s)
}

func (r *run) apiserverLog() []byte {
	return r.sub(r.masterUp, func() {
		pid := r.v("pid", fmt.Sprint(r.rnd.between(1500, 3200)))
		for _, l := range []struct {
			sev  byte
			text string
		}{
			{'I', `flags.go:64] FLAG: --advertise-address="` + r.masterInternal + `"`},
			{'I', `flags.go:64] FLAG: --allow-privileged="true"`},
			{'I', `flags.go:64] FLAG: --service-cluster-ip-range="10.0.0.0/16"`},
			{'I', `options.go:228] external host was not specified, using ` + r.masterInternal},
			{'I', `server.go:161] Version: ` + r.version},
			{'I', `server.go:163] "Golang settings" GOGC="" GOMAXPROCS="" GOTRACEBACK=""`},
			{'I', `secure_serving.go:213] Serving securely on [::]:443`},
			{'I', `controller.go:615] quota admission added evaluator for: namespaces`},
			{'I', `controller.go:615] quota admission added evaluator for: serviceaccounts`},
			{'I', `alloc.go:330] "allocated clusterIPs" service="default/kubernetes" clusterIPs={"IPv4":"10.0.0.1"}`},
			{'I', `alloc.go:330] "allocated clusterIPs" service="kube-system/kube-dns" clusterIPs={"IPv4":"10.0.0.10"}`},
			{'I', `controller.go:615] quota admission added evaluator for: deployments.apps`},
			{'I', `controller.go:615] quota admission added evaluator for: daemonsets.apps`},
			{'W', `lease.go:265] Resetting endpoints for master service "kubernetes" to [` + r.masterInternal + `]`},
		} {
			r.adv(0.001, 2.5)
			r.linef("%s %s", r.klog(l.sev, pid, true), l.text)
		}
	})
}

func (r *run) linuxKubeletLog() []byte {
	return r.sub(r.nodesUp, func() {
		pid := r.v("pid", fmt.Sprint(r.rnd.between(1500, 3200)))
		for _, l := range []string{
			"server.go:486] \"Kubelet version\" kubeletVersion=\"" + r.version + "\"",
			"server.go:488] \"Golang settings\" GOGC=\"\" GOMAXPROCS=\"\" GOTRACEBACK=\"\"",
			"kubelet_node_status.go:76] \"Attempting to register node\" node=\"" + r.linux.name + "\"",
			"kubelet_node_status.go:79] \"Successfully registered node\" node=\"" + r.linux.name + "\"",
			"kuberuntime_manager.go:1635] \"Updating runtime config through cri with podcidr\" CIDR=\"10.64.0.0/24\"",
			"kubelet_network.go:61] \"Updating Pod CIDR\" originalPodCIDR=\"\" newPodCIDR=\"10.64.0.0/24\"",
			"kubelet_node_status.go:501] \"Fast updating node status as it just became ready\"",
			"reconciler_common.go:251] \"operationExecutor.VerifyControllerAttachedVolume started for volume \\\"kube-api-access\\\"\"",
			"pod_startup_latency_tracker.go:104] \"Observed pod startup duration\" pod=\"kube-system/konnectivity-agent-" + r.v("suffix", r.rnd.pick(k8sAlphabet, 5)) + "\" podStartSLOduration=" + r.v("duration", fmt.Sprintf("%.9f", r.rnd.float(3, 9))),
		} {
			r.adv(0.01, 3)
			r.linef("%s %s", r.klog('I', pid, true), l)
		}
	})
}

func (r *run) windowsKubeletLog(i int) []byte {
	w := r.windows[i]
	return r.sub(r.nodesUp.Add(secondsDur(r.rnd.float(150, 200))), func() {
		pid := r.v("pid", fmt.Sprint(r.rnd.between(3000, 7000)))
		for _, l := range []string{
			"server.go:486] \"Kubelet version\" kubeletVersion=\"" + r.version + "\"",
			"server.go:488] \"Golang settings\" GOGC=\"\" GOMAXPROCS=\"\" GOTRACEBACK=\"\"",
			"server.go:1301] \"Started kubelet\"",
			"kubelet_node_status.go:76] \"Attempting to register node\" node=\"" + w.name + "\"",
			"kubelet_node_status.go:79] \"Successfully registered node\" node=\"" + w.name + "\"",
			"kubelet_network.go:61] \"Updating Pod CIDR\" originalPodCIDR=\"\" newPodCIDR=\"10.64." + fmt.Sprint(i+1) + ".0/24\"",
			"kubelet_node_status.go:501] \"Fast updating node status as it just became ready\"",
		} {
			r.adv(0.01, 4)
			r.linef("%s %s", r.klog('I', pid, true), l)
		}
	})
}

// serialLog is the Windows node's serial port 1: the GCE agent running the
// node's startup script. Without the node tarball's URL in kube-env, the
// script fails on its first use of it.
func (r *run) serialLog(i int) []byte {
	w := r.windows[i]
	return r.sub(r.nodesUp.Add(secondsDur(r.rnd.float(-20, -5))), func() {
		p := func(format string, args ...any) {
			r.adv(0.05, 2)
			r.linef("%s %s", r.goTime(), fmt.Sprintf(format, args...))
		}
		s := func(format string, args ...any) {
			p("GCEMetadataScripts: windows-startup-script-ps1: "+format, args...)
		}
		p("GCEGuestAgent: GCE Agent Started (version 20241212.00)")
		p("GCEGuestAgent: Adding route to metadata server on adapter with index 5")
		p("GCEGuestAgent: Starting the scheduler to run jobs")
		p("GCEGuestAgent: Successfully scheduled job telemetryJobID to run every 24h0m0s")
		r.adv(20, 40)
		p("GCEMetadataScripts: Starting startup scripts (version 20241030.00).")
		p("GCEMetadataScripts: Found windows-startup-script-ps1 in metadata.")
		s("Configuring Windows node %s (configure.ps1)", w.name)
		s("Fetched kube-env, kubelet-config and kube-proxy-kubeconfig from the metadata server")
		s("Imported common.psm1, install-ssh.psm1, user-profile.psm1 and k8s-node-setup.psm1")
		s("Set-PrerequisiteOptions: disabling Windows Update and Windows Defender real-time monitoring")
		s(`Set-EnvironmentVars: K8S_DIR=C:\etc\kubernetes NODE_DIR=C:\etc\kubernetes\node\bin LOGS_DIR=C:\etc\kubernetes\logs CNI_DIR=C:\etc\kubernetes\cni`)
		s(`Create-Directories: created C:\etc\kubernetes, C:\etc\kubernetes\node\bin, C:\etc\kubernetes\logs, C:\etc\kubernetes\cni`)
		if !r.spec.preset {
			s("DownloadAndInstall-KubernetesBinaries: Downloading Kubernetes binaries from ")
			s("Split-Path : Cannot bind argument to parameter 'Path' because it is an empty string.")
			s(`At C:\etc\kubernetes\k8s-node-setup.psm1:123 char:5`)
			s("+     Split-Path -Leaf $tar_url")
			s("+     ~~~~~~~~~~~~~~~~~~~~~~~~~")
			s("    + CategoryInfo          : InvalidData: (:) [Split-Path], ParameterBindingValidationException")
			s("    + FullyQualifiedErrorId : ParameterArgumentValidationErrorEmptyStringNotAllowed,Microsoft.PowerShell.Commands.SplitPathCommand")
			s("")
			p("GCEMetadataScripts: windows-startup-script-ps1 exit status 1")
			p("GCEMetadataScripts: Finished running startup scripts.")
			return
		}
		s("DownloadAndInstall-KubernetesBinaries: Downloading Kubernetes binaries from https://storage.googleapis.com/%s/%s-devel/kubernetes-node-windows-amd64.tar.gz", r.staging, r.cluster)
		r.adv(8, 20)
		s("DownloadAndInstall-KubernetesBinaries: kubernetes-node-windows-amd64.tar.gz sha512 matches %s", r.v("hex", r.rnd.hex(16)))
		s(`DownloadAndInstall-KubernetesBinaries: installed kubelet.exe, kube-proxy.exe and kubectl.exe in C:\etc\kubernetes\node\bin`)
		s("DownloadAndInstall-Crictl: installed crictl v1.32.0")
		s("Install-Containerd: installed containerd v1.7.25 and started service containerd")
		s(`Create-NodePki: wrote C:\etc\kubernetes\pki\ca-certificates.crt and C:\etc\kubernetes\pki\kubelet.crt`)
		s(`Create-KubeletKubeconfig: wrote C:\etc\kubernetes\kubelet.kubeconfig (server https://%s)`, r.masterInternal)
		s(`Create-KubeproxyKubeconfig: wrote C:\etc\kubernetes\kubeproxy.kubeconfig`)
		s("Set-PodCidr: pod CIDR is 10.64.%d.0/24", i+1)
		r.adv(10, 25)
		s("Configure-HostNetworkingService: created HNS network External (L2Bridge) with management IP %s", w.internal)
		s(`Prepare-CniNetworking: wrote C:\etc\kubernetes\cni\config\cni.conf`)
		s("Configure-HostDnsConf: DNS server 10.0.0.10, search suffixes cluster.local")
		s(`Configure-Kubelet: wrote C:\etc\kubernetes\kubelet-config.yaml`)
		s("Start-WorkerServices: started services kubelet and kube-proxy")
		r.adv(15, 30)
		s("Verify-WorkerServices: kubelet and kube-proxy are running")
		s("Windows node setup took %s", r.dur(secondsDur(r.rnd.float(140, 210)).Round(time.Millisecond)))
		p("GCEMetadataScripts: windows-startup-script-ps1 exit status 0")
		p("GCEMetadataScripts: Finished running startup scripts.")
	})
}
