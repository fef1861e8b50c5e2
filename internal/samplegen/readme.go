package main

import (
	"fmt"
	"strings"
)

func readme(runs []summary) []byte {
	var b strings.Builder
	w := func(s string) { b.WriteString(s + "\n") }
	w(readmeTitle)
	w("")
	w("A local copy of part of Prow's `gs://" + bucket + "` bucket, laid out as Prow lays it")
	w("out, for logdiff's examples and golden tests. It is generated: do not edit it by hand.")
	w("")
	w("The story: `" + periodicJob + "` brings up a GCE cluster with one Linux and")
	w("three Windows nodes and runs the Windows e2e tests. At about 2025-02-11 06:30 UTC a")
	w("config change dropped the `preset-windows-gce` label from the job (the kubekins image")
	w("was autobumped in the same hour). The preset set `KUBERNETES_NODE_PLATFORM=windows`,")
	w("`NODE_OS_DISTRIBUTION=windows` and `WINDOWS_NODE_OS_DISTRIBUTION=win2019`; without them")
	w("kube-up never fetches `kubernetes-node-windows-amd64.tar.gz`, the Windows nodes' startup")
	w("script fails (`Cannot bind argument to parameter 'Path' because it is an empty string.`")
	w("in `artifacts/<node>/serial-1.log`), the nodes never become Ready and `e2e-up.sh` fails.")
	w("The presubmit `" + presubmitJob + "` breaks the same way. `NUM_WINDOWS_NODES=3` is the")
	w("job's own setting, not the preset's, which is why the broken runs still create Windows")
	w("nodes.")
	w("")
	w("The second story: `" + containerdJob + "` runs the same tests on the same kind of")
	w("cluster, and nothing in its configuration changed. In its newest run one spec failed:")
	w("`" + hostMapSpec + "`, with")
	w("`pod pod-<uuid> wrote to the read-only hostMapPath volume: got output \"hostmap-write-ok\", want it to")
	w("contain \"Access is denied\"`, in the build log as in Ginkgo's `artifacts/junit_01.xml`.")
	w("Its build log otherwise reads like its passing runs'; kubetest's `junit_runner.xml`")
	w("marks its `Test` step failed, as kubetest does whenever a spec fails.")
	w("")
	w("JUnit files: every run that finished has kubetest's `artifacts/junit_runner.xml` (one")
	w("case per step: `Up`, `Test`, ...). Runs whose e2e suite ran to its end also have")
	w("Ginkgo's `artifacts/junit_01.xml`: the 24 specs that ran, and, to keep the bucket small,")
	w("a part of the specs the focus skipped (a comment at its top says how many). The")
	w("Windows jobs' failing runs never reached the tests: no `junit_01.xml`, and their")
	w("`junit_runner.xml` ends with the `Up` step failed.")
	w("")
	w("| run | build id | base | result |")
	w("|---|---|---|---|")
	for _, s := range runs {
		res := s.spec.outcome.result()
		if res == "" {
			res = "running (no finished.json; build-log.txt cut short)"
		}
		base := s.spec.branch
		if s.spec.presubmit {
			base = fmt.Sprintf("%s, PR %d", base, s.spec.pr)
		}
		if s.spec.flip != "" {
			res += " (one spec failed)"
		}
		w(fmt.Sprintf("| `%s/` | %s | %s | %s |", s.dir, s.buildID, base, res))
	}
	w("")
	w("The newest periodic run is still running, so `latest-build.txt` names it. Presubmit")
	w("runs are also listed by `pr-logs/directory/" + presubmitJob + "/<build-id>.txt`, whose")
	w("body is the run's `gs://` path. Build ids are Prow's snowflake ids:")
	w("`id>>22 + 1288834974657` is the ProwJob's creation time in Unix milliseconds, a few")
	w("seconds before `started.json`'s `timestamp`.")
	w("")
	w("Two runs with the same configuration differ only in volatile tokens: timestamps in")
	w("every form, build ids, UUIDs, hex hashes, IP addresses, ports, durations, sizes and")
	w("speeds in curl's progress meter, temp paths, random name suffixes, process ids,")
	w("goroutine numbers, pointers, namespace numbers, the leased GCP project, the CI version")
	w("under test, and the order in which parallel Ginkgo specs report. Failing runs also")
	w("lack the preset's environment lines and the Windows download lines, print")
	w("`!!! Cannot find kubernetes-node-windows-amd64.tar.gz`, wait for nodes until")
	w("validation gives up (`Waiting for 4 ready nodes. 1 ready nodes, 4 registered. Retrying.`),")
	w("and never reach the tests; they also run a newer kubekins image, a harmless change.")
	w("The release-1.32 run tests another branch (other versions, image tag and spec count),")
	w("so a baseline for a master run should come from master.")
	w("")
	w("Regenerate from the module root with:")
	w("")
	w("    go run ./internal/samplegen -out testdata/bucket")
	w("")
	w("`go test ./internal/samplegen` fails if this tree and the generator disagree.")
	return []byte(b.String())
}
