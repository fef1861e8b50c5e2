package main

import (
	"fmt"
	"strings"
)

// dump is kubetest's --dump: cluster/log-dump/log-dump.sh copying logs off
// every machine into artifacts/.
func (r *run) dump() {
	r.adv(0.01, 0.1)
	r.glog("e2e.go:584", "Dumping logs locally to: /logs/artifacts")
	r.step("./cluster/log-dump/log-dump.sh /logs/artifacts", func() {
		r.line("Checking for custom logdump instances, if any")
		r.line("Sourcing kube-util.sh")
		r.line("Detecting project")
		r.projectLines()
		r.line("Dumping logs from master locally to '/logs/artifacts'")
		r.findMaster()
		r.line("Changing logfiles to be world-readable for download")
		r.adv(3, 6)
		r.linef("Copying 'kube-apiserver.log kube-apiserver-audit.log kube-scheduler.log kube-controller-manager.log etcd.log etcd-events.log glbc.log cluster-autoscaler.log kube-addon-manager.log konnectivity-server.log fluentd.log kubelet.cov kern.log docker/log kubelet.log supervisor/supervisord.log supervisor/kubelet-stdout.log supervisor/kubelet-stderr.log supervisor/docker-stdout.log supervisor/docker-stderr.log' from %s-master", r.cluster)
		r.knownHost()
		for _, f := range []string{"cluster-autoscaler.log", "fluentd.log", "kubelet.cov", "docker/log", "supervisor/supervisord.log", "supervisor/kubelet-stdout.log", "supervisor/kubelet-stderr.log", "supervisor/docker-stdout.log", "supervisor/docker-stderr.log"} {
			r.linef("scp: /var/log/%s*: No such file or directory", f)
		}
		r.line("ERROR: (gcloud.compute.scp) [/usr/bin/scp] exited with return code [1].")
		r.line("Dumping logs from nodes locally to '/logs/artifacts'")
		r.line("Detecting nodes in the cluster")
		r.line("Changing logfiles to be world-readable for download")
		r.adv(3, 6)
		r.linef("Copying 'kube-proxy.log containers/konnectivity-agent-*.log fluentd.log node-problem-detector.log kubelet.cov kern.log docker/log kubelet.log supervisor/supervisord.log supervisor/kubelet-stdout.log supervisor/kubelet-stderr.log supervisor/docker-stdout.log supervisor/docker-stderr.log' from %s", r.linux.name)
		r.knownHost()
		for _, f := range []string{"fluentd.log", "node-problem-detector.log", "kubelet.cov", "docker/log", "supervisor/supervisord.log", "supervisor/kubelet-stdout.log", "supervisor/kubelet-stderr.log", "supervisor/docker-stdout.log", "supervisor/docker-stderr.log"} {
			r.linef("scp: /var/log/%s*: No such file or directory", f)
		}
		r.line("ERROR: (gcloud.compute.scp) [/usr/bin/scp] exited with return code [1].")
		names := make([]string, len(r.windows))
		for i, w := range r.windows {
			names[i] = w.name
		}
		r.linef("Dumping logs from Windows nodes: %s", strings.Join(names, " "))
		for _, w := range r.windows {
			r.adv(2, 4)
			r.linef("Saving serial port output of %s to /logs/artifacts/%s/serial-1.log", w.name, w.name)
			if r.spec.preset {
				r.linef(`Copying 'C:\etc\kubernetes\logs\kubelet.log C:\etc\kubernetes\logs\kube-proxy.log C:\etc\kubernetes\logs\containerd.log' from %s`, w.name)
				r.knownHost()
			} else {
				r.linef(`Could not find C:\etc\kubernetes\logs on %s, skipping`, w.name)
			}
		}
		r.line("Detecting nodes in the cluster")
		r.adv(1, 2)
	})
}

func (r *run) knownHost() {
	r.adv(2, 5)
	r.linef("Warning: Permanently added 'compute.%s' (ED25519) to the list of known hosts.", r.v("instance-id", fmt.Sprint(1000000000000000000+r.rnd.next()%8000000000000000000)))
}

// kubeDown is e2e-down.sh. Before the run it finds nothing to delete.
func (r *run) kubeDown(exists bool) {
	c := r.cluster
	r.projectLines()
	r.line("Shutting down test cluster in background.")
	for _, fw := range []string{"-http-alt", "-nodeports"} {
		r.adv(1, 2)
		r.line("ERROR: (gcloud.compute.firewall-rules.delete) Could not fetch resource:")
		r.linef(" - The resource 'projects/%s/global/firewalls/%s-minion-%s%s' was not found", r.project, c, c, fw)
		r.line("")
	}
	r.line("Bringing down cluster using provider: gce")
	r.line("... calling verify-prereqs")
	r.line("... calling verify-kube-binaries")
	r.line("... calling kube-down")
	r.projectLines()
	if !exists {
		r.line("INSTANCE_GROUPS=")
		r.line("NODE_NAMES=")
		r.line("Bringing down cluster")
		r.adv(8, 12)
		r.linef("Deleting firewall rules remaining in network %s: ", c)
	} else {
		r.linef("INSTANCE_GROUPS=%s-minion-group", c)
		r.linef("NODE_NAMES=%s", r.linux.name)
		r.linef("WINDOWS_INSTANCE_GROUPS=%s-windows-node-group", c)
		r.linef("WINDOWS_NODE_NAMES=%s %s %s", r.windows[0].name, r.windows[1].name, r.windows[2].name)
		r.line("Bringing down cluster")
		r.line("Deleting Managed Instance Group...")
		r.adv(20, 40)
		r.linef("..Deleted [%s].", r.compute("zones/"+zone+"/instanceGroupManagers/"+c+"-minion-group"))
		r.line("done.")
		r.adv(30, 60)
		r.linef("....Deleted [%s].", r.compute("zones/"+zone+"/instanceGroupManagers/"+c+"-windows-node-group"))
		r.line("done.")
		for _, t := range []string{"minion-template", "windows-node-template"} {
			r.adv(4, 8)
			r.linef("Deleted [%s].", r.compute("global/instanceTemplates/"+c+"-"+t))
		}
		r.adv(2, 4)
		r.linef("Updated [%s].", r.compute("zones/"+zone+"/instances/"+c+"-master"))
		r.adv(40, 70)
		r.linef("Deleted [%s].", r.compute("zones/"+zone+"/instances/"+c+"-master"))
		for _, fw := range []string{"-master-https", "-master-etcd", "-minion-all"} {
			r.adv(8, 12)
			r.linef("Deleted [%s].", r.compute("global/firewalls/"+c+fw))
		}
		r.adv(4, 8)
		r.linef("Deleted [%s].", r.compute("regions/"+region+"/addresses/"+c+"-master-ip"))
		fws := []string{c + "-default-internal-master", c + "-default-internal-node", c + "-default-ssh", c + "-default-rdp"}
		r.linef("Deleting firewall rules remaining in network %s: %s", c, strings.Join(fws, " "))
		for _, fw := range fws {
			r.adv(6, 10)
			r.linef("Deleted [%s].", r.compute("global/firewalls/"+fw))
		}
		r.line("Deleting custom subnet...")
		r.adv(12, 20)
		r.linef("Deleted [%s].", r.compute("regions/"+region+"/subnetworks/"+c+"-custom-subnet"))
		r.adv(15, 25)
		r.linef("Deleted [%s].", r.compute("global/networks/"+c))
	}
	for _, p := range []string{"clusters." + r.context(), "users." + r.context(), "users." + r.context() + "-basic-auth", "contexts." + r.context()} {
		r.linef("Property %q unset.", p)
	}
	r.linef("Cleared config for %s from /workspace/.kube/config", r.context())
	r.line("Done")
}

// finish is kubetest's last words, the scenario's exit and runner.sh's.
func (r *run) finish() {
	r.adv(0.01, 0.2)
	r.glog("process.go:96", "Saved XML output to /logs/artifacts/junit_runner.xml.")
	r.step(`bash -c . hack/lib/version.sh && KUBE_ROOT=. kube::version::get_version_vars && echo "${KUBE_GIT_VERSION-}"`, func() { r.adv(0.2, 0.6) })
	code := 0
	if r.spec.outcome != success {
		code = 1
		cause := "starting e2e cluster: error during ./hack/e2e-internal/e2e-up.sh: exit status 1"
		if r.spec.outcome == aborted || r.spec.flip != "" {
			cause = "encountered 1 errors: [error during ./hack/ginkgo-e2e.sh " + ginkgoArgs() + ": exit status 1]"
		}
		r.glog("main.go:336", "Something went wrong: %s", cause)
		r.line("Traceback (most recent call last):")
		r.line(`  File "/workspace/scenarios/kubernetes_e2e.py", line 723, in <module>`)
		r.line("    main(parse_args())")
		r.line(`  File "/workspace/scenarios/kubernetes_e2e.py", line 569, in main`)
		r.line("    mode.start(runner_args)")
		r.line(`  File "/workspace/scenarios/kubernetes_e2e.py", line 228, in start`)
		r.line("    check_env(env, self.command, *args)")
		r.line(`  File "/workspace/scenarios/kubernetes_e2e.py", line 111, in check_env`)
		r.line("    subprocess.check_call(cmd, env=env)")
		r.line(`  File "/usr/lib/python3.11/subprocess.py", line 413, in check_call`)
		r.line("    raise CalledProcessError(retcode, cmd)")
		r.linef("subprocess.CalledProcessError: Command '%s' returned non-zero exit status 1.", pyTuple(r.kubetestArgs()))
	}
	r.linef("wrapper.sh] [TEST] Test Command exit code: %d", code)
	r.line(strings.Repeat("=", 80))
	r.linef("wrapper.sh] Exiting %d", code)
}
