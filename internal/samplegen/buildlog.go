package main

import (
	"fmt"
	"strings"
)

// buildLog writes the run's build-log.txt: Prow's test container running
// kubernetes_e2e.py, which runs kubetest, which brings a cluster up with
// kube-up, runs the e2e tests, dumps logs and tears the cluster down.
func (r *run) buildLog() string {
	r.preamble()
	r.kubetestStart()
	t := r.now
	r.extract()
	r.junitCase("Extract", t, "")
	t = r.now
	r.step("./hack/e2e-internal/e2e-down.sh", func() { r.kubeDown(false) })
	r.junitCase("TearDown Previous", t, "")
	t = r.now
	r.listResources()
	r.junitCase("listResources Before", t, "")
	t = r.now
	up := r.up()
	if r.spec.outcome == running {
		return r.out.String() // the log Prow has uploaded so far
	}
	if up {
		r.junitCase("Up", t, "")
		t = r.now
		if r.e2e() {
			r.junitCase("Test", t, "")
		} else {
			r.junitCase("Test", t, "error during ./hack/ginkgo-e2e.sh "+ginkgoArgs()+": exit status 1")
		}
	} else {
		r.junitCase("Up", t, "error during ./hack/e2e-internal/e2e-up.sh: exit status 1")
	}
	t = r.now
	r.dump()
	r.junitCase("DumpClusterLogs", t, "")
	t = r.now
	r.step("./hack/e2e-internal/e2e-down.sh", func() { r.kubeDown(true) })
	r.junitCase("TearDown", t, "")
	t = r.now
	r.listResources()
	r.junitCase("listResources After", t, "")
	r.finish()
	return r.out.String()
}

func (r *run) preamble() {
	cmd := strings.Join(r.spec.args(), " ")
	r.linef("wrapper.sh] [INFO] Wrapping Test Command: `bash -c %s`", cmd)
	r.linef("wrapper.sh] [INFO] Running in: %s", r.spec.image())
	r.line("wrapper.sh] [INFO] See: https://github.com/kubernetes/test-infra/blob/master/images/kubekins-e2e/runner.sh")
	r.line(strings.Repeat("=", 80))
	r.line("wrapper.sh] [SETUP] Performing pre-test setup ...")
	r.line("wrapper.sh] [SETUP] Activating service account from /etc/service-account/service-account.json ...")
	r.line("Activated service account credentials for: [prow-build@k8s-infra-prow-build.iam.gserviceaccount.com]")
	r.line("wrapper.sh] [SETUP] Done activating service account")
	r.line(strings.Repeat("=", 80))
	r.linef("wrapper.sh] [TEST] Running Test Command: `bash -c %s` ...", cmd)
	r.line("starts with local mode")
	r.line("Environment:")
	for _, e := range r.environment() {
		r.linef("%s=%s", e.Name, e.Value)
	}
	r.line("Run: " + pyTuple(r.kubetestArgs()))
	r.adv(0.8, 2.5)
}

func (r *run) kubetestStart() {
	r.glog("main.go:331", "Limiting testing to 2h30m0s")
	r.glog("main.go:371", "provider gce, will acquire project type gce-project from boskos")
	r.adv(0.2, 1.5)
	r.glog("main.go:388", "Acquired project %s from boskos", r.project)
	r.step("gcloud config set project "+r.project, func() {
		r.adv(0.8, 1.6)
		r.line("Updated property [core/project].")
	})
	r.glog("main.go:1074", "Checking existing of GCP ssh keys...")
	r.glog("main.go:1087", "Checking presence of public key in %s", r.project)
	r.step(fmt.Sprintf("gcloud compute --project=%s project-info describe", r.project), func() { r.adv(1.2, 2.4) })
}

func (r *run) releaseURL() string {
	return "https://storage.googleapis.com/k8s-release-dev/ci/" + r.version
}

func (r *run) extract() {
	latest := "latest.txt"
	if r.spec.branch != "master" {
		latest = "latest-" + strings.TrimPrefix(r.spec.branch, "release-") + ".txt"
	}
	r.step("gsutil cat gs://k8s-release-dev/ci/"+latest, func() { r.adv(1.5, 3.2) })
	r.glog("extract_k8s.go:248", "U=https://storage.googleapis.com/k8s-release-dev/ci R=%s get-kube.sh", r.version)
	r.step(r.tmpDir+"/get-kube.sh", r.getKube)
}

// getKube is get-kube.sh and get-kube-binaries.sh. Without
// KUBERNETES_NODE_PLATFORM they neither announce nor fetch the Windows node
// tarball, nor the Windows test binaries.
func (r *run) getKube() {
	win := r.spec.preset
	url := r.releaseURL()
	r.linef("Downloading kubernetes release %s", r.version)
	r.linef("  from %s/kubernetes.tar.gz", url)
	r.line("  to /workspace/kubernetes.tar.gz")
	r.curl(int64(r.rnd.between(540000, 552000)), 1)
	r.linef("Unpacking kubernetes release %s", r.version)
	r.adv(0.5, 1.2)
	r.linef("Kubernetes release: %s", r.version)
	r.line("Server: linux/amd64  (to override, set KUBERNETES_SERVER_ARCH)")
	r.line("Client: linux/amd64  (autodetected)  (to override, set KUBERNETES_CLIENT_OS and/or KUBERNETES_CLIENT_ARCH)")
	r.line("")
	r.linef("Will download kubernetes-server-linux-amd64.tar.gz from %s", url)
	r.linef("Will download and extract kubernetes-client-linux-amd64.tar.gz from %s", url)
	if win {
		r.linef("Will download and extract kubernetes-node-windows-amd64.tar.gz from %s", url)
	}
	r.linef("Will download and extract kubernetes-test tarball(s) from %s", url)
	r.tarball("kubernetes-server-linux-amd64.tar.gz", 478, 486, 7)
	if win {
		r.tarball("kubernetes-node-windows-amd64.tar.gz", 118, 121, 3)
	}
	r.tarball("kubernetes-client-linux-amd64.tar.gz", 31, 32, 2)
	r.line("Extracting /workspace/kubernetes/client/kubernetes-client-linux-amd64.tar.gz into /workspace/kubernetes/platforms/linux/amd64")
	r.line("Add '/workspace/kubernetes/client/bin' to your PATH to use newly-installed binaries.")
	r.tarball("kubernetes-test-portable.tar.gz", 1, 2, 1)
	r.line("Extracting kubernetes-test-portable.tar.gz into /workspace/kubernetes")
	r.tarball("kubernetes-test-linux-amd64.tar.gz", 201, 206, 4)
	r.line("Extracting /workspace/kubernetes/test/kubernetes-test-linux-amd64.tar.gz into /workspace/kubernetes/platforms/linux/amd64")
	if win {
		r.tarball("kubernetes-test-windows-amd64.tar.gz", 139, 142, 3)
		r.line("Extracting /workspace/kubernetes/test/kubernetes-test-windows-amd64.tar.gz into /workspace/kubernetes/platforms/windows/amd64")
	}
}

// tarball is download_tarball: curl, then the checksums.
func (r *run) tarball(name string, loMB, hiMB, frames int) {
	size := int64(r.rnd.between(loMB*1024*1024, hiMB*1024*1024))
	r.curl(size, frames)
	r.line("")
	r.linef("md5sum(%s)=%s", name, r.v("hex", r.rnd.hex(32)))
	r.linef("sha1sum(%s)=%s", name, r.v("hex", r.rnd.hex(40)))
	r.line("")
	r.adv(0.3, 2.5)
}

// listResources is kubetest's --check-leaked-resources snapshot.
func (r *run) listResources() {
	for _, res := range []string{
		"addresses", "disks", "firewall-rules", "forwarding-rules", "health-checks",
		"instance-groups", "instance-templates", "instances", "networks", "routes",
		"subnetworks", "target-pools",
	} {
		format := "value(name)"
		switch res {
		case "addresses", "forwarding-rules", "subnetworks", "target-pools":
			format = "value(name,region)"
		case "disks", "instance-groups", "instances":
			format = "value(name,zone)"
		}
		r.step(fmt.Sprintf("gcloud compute %s list --project=%s --format=%s", res, r.project, format), func() { r.adv(0.9, 2.2) })
	}
}

func (r *run) projectLines() {
	r.linef("Project: %s", r.project)
	r.linef("Network Project: %s", r.project)
	r.linef("Zone: %s", zone)
}

func (r *run) compute(path string) string {
	return fmt.Sprintf("https://www.googleapis.com/compute/v1/projects/%s/%s", r.project, path)
}

func (r *run) context() string { return r.project + "_" + r.cluster }

// table prints rows the way gcloud and kubectl do: columns padded to their
// widest cell, three spaces apart for kubectl and two for gcloud.
func (r *run) table(gap int, rows ...[]string) {
	widths := map[int]int{}
	for _, row := range rows {
		for i, c := range row {
			widths[i] = max(widths[i], len(c))
		}
	}
	for _, row := range rows {
		var b strings.Builder
		for i, c := range row {
			b.WriteString(c)
			if i < len(row)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-len(c)+gap))
			}
		}
		r.line(strings.TrimRight(b.String(), " "))
	}
}

// up is e2e-up.sh, that is kube-up.sh and validate-cluster.sh. It reports
// whether the cluster came up; for a running build it stops part way through
// validation, where the uploaded log ends.
func (r *run) up() bool {
	ok := r.spec.preset
	cmd := "./hack/e2e-internal/e2e-up.sh"
	r.adv(0.001, 0.05)
	r.glog("process.go:153", "Running: %s", cmd)
	start := r.now
	r.projectLines()
	r.linef("... Starting cluster in %s using provider gce", zone)
	r.line("... calling verify-prereqs")
	r.adv(1, 3)
	r.line("... calling verify-kube-binaries")
	r.line("... calling verify-release-tars")
	if !ok {
		r.line("!!! Cannot find kubernetes-node-windows-amd64.tar.gz")
	}
	r.line("... calling kube-up")
	r.projectLines()
	r.adv(2, 4)
	r.linef("+++ Staging tars to Google Storage: gs://%s/%s-devel", r.staging, r.cluster)
	r.adv(8, 14)
	r.linef("+++ kubernetes-server-linux-amd64.tar.gz uploaded (sha512 = %s)", r.v("hex", r.rnd.hex(128)))
	r.linef("+++ kubernetes-manifests.tar.gz uploaded (sha512 = %s)", r.v("hex", r.rnd.hex(128)))
	if ok {
		r.adv(3, 6)
		r.linef("+++ kubernetes-node-windows-amd64.tar.gz uploaded (sha512 = %s)", r.v("hex", r.rnd.hex(128)))
	}
	r.kubeUpNetwork()
	r.kubeUpMaster()
	r.kubeUpNodes()
	r.kubeconfig()

	r.line("... calling validate-cluster")
	r.line("Validating gce cluster, MULTIZONE=")
	r.projectLines()
	r.line("No resources found")
	waits := [][2]int{{0, 0}, {0, 0}, {1, 1}, {1, 1}, {1, 4}, {1, 4}, {3, 4}}
	if !ok {
		waits = waits[:4]
		for range 97 {
			waits = append(waits, [2]int{1, 4})
		}
	}
	if r.spec.outcome == running {
		waits = waits[:38]
	}
	for _, w := range waits {
		r.adv(15.5, 17.5)
		r.linef("Waiting for 4 ready nodes. %d ready nodes, %d registered. Retrying.", w[0], w[1])
	}
	if r.spec.outcome == running {
		return false
	}
	r.adv(15.5, 17.5)
	if !ok {
		r.line("Detected 1 ready nodes, found 4 nodes out of expected 4. Your cluster may not be fully functional.")
		r.nodeTable(false)
		r.adv(0.01, 0.3)
		r.glog("process.go:155", "Step '%s' finished in %s", cmd, r.dur(r.now.Sub(start)))
		r.glog("e2e.go:213", "Error: error during %s: exit status 1", cmd)
		return false
	}
	r.line("Found 4 node(s).")
	r.nodeTable(true)
	r.adv(1, 3)
	r.line("Validate output:")
	r.table(3,
		[]string{"NAME", "STATUS", "MESSAGE", "ERROR"},
		[]string{"etcd-1", "Healthy", "ok", ""},
		[]string{"controller-manager", "Healthy", "ok", ""},
		[]string{"scheduler", "Healthy", "ok", ""},
		[]string{"etcd-0", "Healthy", "ok", ""},
	)
	r.line("Cluster validation succeeded")
	r.line("Done, listing cluster services:")
	r.line("")
	m := "https://" + r.masterIP
	r.linef("Kubernetes control plane is running at %s", m)
	r.linef("GLBCDefaultBackend is running at %s/api/v1/namespaces/kube-system/services/default-http-backend:http/proxy", m)
	r.linef("CoreDNS is running at %s/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy", m)
	r.linef("Metrics-server is running at %s/api/v1/namespaces/kube-system/services/https:metrics-server:/proxy", m)
	r.line("")
	r.line("To further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.")
	r.adv(0.01, 0.3)
	r.glog("process.go:155", "Step '%s' finished in %s", cmd, r.dur(r.now.Sub(start)))
	return true
}

func (r *run) kubeUpNetwork() {
	c := r.cluster
	r.adv(1, 3)
	r.linef("Creating new custom network: %s", c)
	r.adv(18, 26)
	r.linef("Created [%s].", r.compute("global/networks/"+c))
	r.table(2,
		[]string{"NAME", "SUBNET_MODE", "BGP_ROUTING_MODE", "IPV4_RANGE", "GATEWAY_IPV4", "INTERNAL_IPV6_RANGE"},
		[]string{c, "CUSTOM", "REGIONAL", "", "", ""},
	)
	r.line("")
	r.line("Instances on this network will not be reachable until firewall rules")
	r.line("are created. As an example, you can allow all internal traffic between")
	r.line("instances as well as SSH, RDP, and ICMP by running:")
	r.line("")
	r.linef("$ gcloud compute firewall-rules create <FIREWALL_NAME> --network %s --allow tcp,udp,icmp --source-ranges <IP_RANGE>", c)
	r.linef("$ gcloud compute firewall-rules create <FIREWALL_NAME> --network %s --allow tcp:22,tcp:3389,icmp", c)
	r.line("")
	r.line("Creating firewall...")
	for _, fw := range []struct{ suffix, allow string }{
		{"-default-internal-master", "tcp:1-2379,tcp:2382-65535,udp:1-65535,icmp"},
		{"-default-internal-node", "tcp:1-65535,udp:1-65535,icmp"},
		{"-default-ssh", "tcp:22"},
		{"-default-rdp", "tcp:3389"},
	} {
		r.adv(9, 14)
		r.linef("..Created [%s].", r.compute("global/firewalls/"+c+fw.suffix))
		r.table(2,
			[]string{"NAME", "NETWORK", "DIRECTION", "PRIORITY", "ALLOW", "DENY", "DISABLED"},
			[]string{c + fw.suffix, c, "INGRESS", "1000", fw.allow, "", "False"},
		)
	}
	r.line("IP aliases are enabled. Creating subnetworks.")
	r.linef("Creating subnet %s:%s-custom-subnet", c, c)
	r.adv(14, 20)
	r.linef("Created [%s].", r.compute("regions/"+region+"/subnetworks/"+c+"-custom-subnet"))
	r.table(2,
		[]string{"NAME", "REGION", "NETWORK", "RANGE", "STACK_TYPE", "IPV6_ACCESS_TYPE", "INTERNAL_IPV6_PREFIX", "EXTERNAL_IPV6_PREFIX"},
		[]string{c + "-custom-subnet", region, c, "10.40.0.0/22", "IPV4_ONLY", "", "", ""},
	)
	r.linef("Using subnet %s-custom-subnet", c)
}

func (r *run) kubeUpMaster() {
	c := r.cluster
	r.line("Starting master and configuring firewalls")
	r.line("Configuring firewall for apiserver konnectivity server")
	r.adv(8, 12)
	r.linef("Created [%s].", r.compute("zones/"+zone+"/disks/"+c+"-master-pd"))
	r.table(2,
		[]string{"NAME", "ZONE", "SIZE_GB", "TYPE", "STATUS"},
		[]string{c + "-master-pd", zone, "20", "pd-ssd", "READY"},
	)
	r.line("New disks are unformatted. You must format and mount a disk before it")
	r.line("can be used. You can find instructions on how to do this at:")
	r.line("")
	r.line("https://cloud.google.com/compute/docs/disks/add-persistent-disk#formatting")
	r.line("")
	r.adv(2, 5)
	r.linef("..Created [%s].", r.compute("global/firewalls/"+c+"-master-https"))
	r.linef("Created [%s].", r.compute("regions/"+region+"/addresses/"+c+"-master-ip"))
	r.adv(9, 13)
	r.linef("..Created [%s].", r.compute("global/firewalls/"+c+"-master-etcd"))
	r.linef("Generating certs for alternate-names: IP:%s,IP:10.0.0.1,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,DNS:%s-master", r.masterIP, c)
	r.adv(3, 6)
	r.linef("Creating master: %s-master", c)
	r.adv(20, 30)
	r.linef("Created [%s].", r.compute("zones/"+zone+"/instances/"+c+"-master"))
	r.masterUp = r.now.Add(secondsDur(r.rnd.float(25, 40)))
	r.line("WARNING: Some requests generated warnings:")
	r.line(" - Disk size: '20 GB' is larger than image size: '10 GB'. You might need to resize the root repartition manually if the operating system does not support automatic resizing. See https://cloud.google.com/compute/docs/disks/add-persistent-disk#resize_pd for details.")
	r.line("")
	r.table(2,
		[]string{"NAME", "ZONE", "MACHINE_TYPE", "PREEMPTIBLE", "INTERNAL_IP", "EXTERNAL_IP", "STATUS"},
		[]string{c + "-master", zone, "n1-standard-2", "", r.masterInternal, r.masterIP, "RUNNING"},
	)
}

func (r *run) kubeUpNodes() {
	c := r.cluster
	r.line("Creating nodes.")
	r.linef("Using subnet %s-custom-subnet", c)
	for _, t := range []struct{ name, machine string }{{"minion-template", "n1-standard-2"}, {"windows-node-template", "n1-standard-4"}} {
		r.linef("Attempt 1 to create %s-%s", c, t.name)
		r.adv(6, 10)
		r.linef("Created [%s].", r.compute("global/instanceTemplates/"+c+"-"+t.name))
		r.table(2,
			[]string{"NAME", "MACHINE_TYPE", "PREEMPTIBLE", "CREATION_TIMESTAMP"},
			[]string{c + "-" + t.name, t.machine, "", r.gcloudTime()},
		)
	}
	for _, g := range []struct{ group, template, size string }{{"minion-group", "minion-template", "1"}, {"windows-node-group", "windows-node-template", "3"}} {
		r.adv(5, 9)
		r.linef("Created [%s].", r.compute("zones/"+zone+"/instanceGroupManagers/"+c+"-"+g.group))
		r.table(2,
			[]string{"NAME", "LOCATION", "SCOPE", "BASE_INSTANCE_NAME", "SIZE", "TARGET_SIZE", "INSTANCE_TEMPLATE", "AUTOSCALED"},
			[]string{c + "-" + g.group, zone, "zone", c + "-" + g.group, "0", g.size, c + "-" + g.template, "no"},
		)
	}
	r.line("Waiting for group to become stable, current operations: creating: 1")
	r.adv(6, 9)
	r.line("Group is stable")
	r.line("Waiting for group to become stable, current operations: creating: 3")
	r.adv(6, 9)
	r.line("Waiting for group to become stable, current operations: creating: 3")
	r.adv(6, 9)
	r.line("Group is stable")
	r.nodesUp = r.now
	r.linef("INSTANCE_GROUPS=%s-minion-group", c)
	r.linef("NODE_NAMES=%s", r.linux.name)
	r.linef("WINDOWS_INSTANCE_GROUPS=%s-windows-node-group", c)
	r.linef("WINDOWS_NODE_NAMES=%s %s %s", r.windows[0].name, r.windows[1].name, r.windows[2].name)
}

func (r *run) findMaster() {
	r.linef("Trying to find master named '%s-master'", r.cluster)
	r.linef("Looking for address '%s-master-ip'", r.cluster)
	r.adv(1, 2)
	r.linef("Using master: %s-master (external IP: %s; internal IP: %s)", r.cluster, r.masterIP, r.masterInternal)
}

func (r *run) kubeconfig() {
	r.findMaster()
	r.line("Waiting up to 300 seconds for cluster initialization.")
	r.line("")
	r.line("  This will continually check to see if the API for kubernetes is reachable.")
	r.line("  This may time out if there was some uncaught error during start up.")
	r.line("")
	r.adv(60, 75)
	r.line("...........Kubernetes cluster created.")
	r.linef("Cluster \"%s\" set.", r.context())
	r.linef("User \"%s\" set.", r.context())
	r.linef("Context \"%s\" created.", r.context())
	r.linef("Switched to context \"%s\".", r.context())
	r.linef("User \"%s-basic-auth\" set.", r.context())
	r.linef("Wrote config for %s to /workspace/.kube/config", r.context())
	r.line("")
	r.line("Kubernetes cluster is running.  The master is running at:")
	r.line("")
	r.linef("  https://%s", r.masterIP)
	r.line("")
	r.line("The user name and password to use is located in /workspace/.kube/config.")
	r.line("")
}

// nodeTable is kubectl get nodes. The Windows nodes of a failing run
// registered but never became Ready.
func (r *run) nodeTable(ready bool) {
	rows := [][]string{{"NAME", "STATUS", "ROLES", "AGE", "VERSION"}}
	for i, n := range r.nodes() {
		status := "Ready"
		if i > 0 && !ready {
			status = "NotReady"
		}
		age := r.v("duration", fmt.Sprintf("%ds", r.rnd.between(60, 118)-i*9))
		if !ready {
			age = r.v("duration", fmt.Sprintf("%dm", 26-i/2))
		}
		rows = append(rows, []string{n.name, status, "<none>", age, r.version})
	}
	r.table(3, rows...)
}
