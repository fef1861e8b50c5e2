package report

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/logdiff/logdiff/logdiff"
)

// clock is the fixed time of every golden report.
func clock() time.Time { return time.Date(2025, 2, 11, 8, 0, 0, 0, time.UTC) }

const prowView = "https://prow.k8s.io/view/gs/kubernetes-ci-logs/logs/ci-kubernetes-e2e-windows-gce/"

// windowsReport is the story of the sample bucket (testdata/bucket): a
// config change dropped the preset that set KUBERNETES_NODE_PLATFORM=windows,
// so the failing run never downloads the Windows node binaries, its nodes
// never become Ready, and it stops short. The lines are those of the
// sample's runs 1889117655500066817 (passing) and 1889208480745656321
// (failing).
func windowsReport() *logdiff.Report {
	r := &logdiff.Report{
		Version: logdiff.Version,
		Failing: logdiff.LogInfo{Name: "gs://kubernetes-ci-logs/logs/ci-kubernetes-e2e-windows-gce/1889208480745656321/build-log.txt", Lines: 542, URL: prowView + "1889208480745656321",
			Reason: "newest FAILURE (newer: 1889299631737671680, still running)"},
		Baselines: []logdiff.LogInfo{
			{Name: "gs://kubernetes-ci-logs/logs/ci-kubernetes-e2e-windows-gce/1889117655500066817/build-log.txt", Lines: 1208, URL: prowView + "1889117655500066817",
				Reason: "1st SUCCESS before 1889208480745656321, same base branch master"},
			{Name: "gs://kubernetes-ci-logs/logs/ci-kubernetes-e2e-windows-gce/1889163571498061825/build-log.txt", Lines: 1208, URL: prowView + "1889163571498061825",
				Reason: "2nd SUCCESS before 1889208480745656321, same base branch master"},
		},
		Findings: []logdiff.Finding{
			{
				Kind: logdiff.Missing, Score: 1,
				Summary:  "environment variables unset in the failing run: KUBERNETES_NODE_PLATFORM, NODE_OS_DISTRIBUTION, WINDOWS_NODE_OS_DISTRIBUTION",
				Failing:  logdiff.Range{Start: 35, End: 35},
				Baseline: &logdiff.BaselineRange{Index: 0, Start: 36, End: 56},
				Lines: []logdiff.Line{
					{Side: logdiff.SideBaseline, N: 36, Text: "KUBERNETES_NODE_PLATFORM=windows"},
					{Side: logdiff.SideBaseline, N: 47, Text: "NODE_OS_DISTRIBUTION=windows"},
					{Side: logdiff.SideBaseline, N: 56, Text: "WINDOWS_NODE_OS_DISTRIBUTION=win2019"},
				},
				Context: []logdiff.Line{
					{Side: logdiff.SideBaseline, N: 34, Text: "JOB_SPEC={\"type\":\"periodic\",\"job\":\"ci-kubernetes-e2e-windows-gce\",\"buildid\":\"1889117655500066817\",\"prowjobid\":\"a08929ab-d354-4a04-8fdc-86636e1e682b\",\"extra_refs\":[{\"org\":\"kubernetes\",\"repo\":\"kubernetes\",\"base_ref\":\"master\",\"path_alias\":\"k8s.io/kubernetes\"}],\"decoration_config\":{\"timeout\":\"3h0m0s\",\"grace_period\":\"15m0s\",\"utility_images\":{\"clonerefs\":\"us-docker.pkg.dev/k8s-infra-prow/images/clonerefs:v20250207-1d6e2c4fa\",\"entrypoint\":\"us-docker.pkg.dev/k8s-infra-prow/images/entrypoint:v20250207-1d6e2c4fa\",\"initupload\":\"us-docker.pkg.dev/k8s-infra-prow/images/initupload:v20250207-1d6e2c4fa\",\"sidecar\":\"us-docker.pkg.dev/k8s-infra-prow/images/sidecar:v20250207-1d6e2c4fa\"},\"gcs_configuration\":{\"bucket\":\"kubernetes-ci-logs\",\"path_strategy\":\"explicit\"},\"gcs_credentials_secret\":\"service-account\"}}"},
					{Side: logdiff.SideBaseline, N: 35, Text: "JOB_TYPE=periodic"},
					{Side: logdiff.SideBaseline, N: 57, Text: "WORKSPACE=/workspace"},
					{Side: logdiff.SideBaseline, N: 58, Text: "Run: ('kubetest', '--dump=/logs/artifacts', '--gcp-service-account=/etc/service-account/service-account.json', '--up', '--down', '--test', '--provider=gce', '--cluster=e2e-c11835a5d6-36623', '--gcp-network=e2e-c11835a5d6-36623', '--check-leaked-resources', '--extract=ci/latest', '--gcp-nodes=1', '--gcp-zone=us-west1-b', '--ginkgo-parallel=4', '--test_args=--ginkgo.focus=\\\\[sig-windows\\\\]|\\\\[Conformance\\\\] --ginkgo.skip=\\\\[LinuxOnly\\\\]|\\\\[Serial\\\\]|\\\\[Disruptive\\\\]|\\\\[Alpha\\\\]|GMSA|Guestbook.application.should.create.and.stop.a.working.application', '--timeout=150m')"},
					{Side: logdiff.SideFailing, N: 34, Text: "JOB_SPEC={\"type\":\"periodic\",\"job\":\"ci-kubernetes-e2e-windows-gce\",\"buildid\":\"1889208480745656321\",\"prowjobid\":\"bf35584e-145d-425f-8ab4-9b1da1d575c4\",\"extra_refs\":[{\"org\":\"kubernetes\",\"repo\":\"kubernetes\",\"base_ref\":\"master\",\"path_alias\":\"k8s.io/kubernetes\"}],\"decoration_config\":{\"timeout\":\"3h0m0s\",\"grace_period\":\"15m0s\",\"utility_images\":{\"clonerefs\":\"us-docker.pkg.dev/k8s-infra-prow/images/clonerefs:v20250207-1d6e2c4fa\",\"entrypoint\":\"us-docker.pkg.dev/k8s-infra-prow/images/entrypoint:v20250207-1d6e2c4fa\",\"initupload\":\"us-docker.pkg.dev/k8s-infra-prow/images/initupload:v20250207-1d6e2c4fa\",\"sidecar\":\"us-docker.pkg.dev/k8s-infra-prow/images/sidecar:v20250207-1d6e2c4fa\"},\"gcs_configuration\":{\"bucket\":\"kubernetes-ci-logs\",\"path_strategy\":\"explicit\"},\"gcs_credentials_secret\":\"service-account\"}}"},
					{Side: logdiff.SideFailing, N: 35, Text: "JOB_TYPE=periodic"},
					{Side: logdiff.SideFailing, N: 36, Text: "KUBERNETES_PORT=tcp://10.35.240.1:443"},
					{Side: logdiff.SideFailing, N: 37, Text: "KUBERNETES_SERVICE_HOST=10.35.240.1"},
				},
				Signature: true,
				Key:       "missing: env KUBERNETES_NODE_PLATFORM,NODE_OS_DISTRIBUTION,WINDOWS_NODE_OS_DISTRIBUTION",
			},
			{
				// As logdiff.CompareConfig merges the variables a removed preset took away.
				Kind: logdiff.Config, Score: 0.95,
				Summary: "env KUBERNETES_NODE_PLATFORM=windows, NODE_OS_DISTRIBUTION=windows, WINDOWS_NODE_OS_DISTRIBUTION=win2019 are set in the passing runs and not in the failing run (prowjob.json)",
				Lines: []logdiff.Line{
					{Side: logdiff.SideBaseline, Text: "KUBERNETES_NODE_PLATFORM=windows"},
					{Side: logdiff.SideBaseline, Text: "NODE_OS_DISTRIBUTION=windows"},
					{Side: logdiff.SideBaseline, Text: "WINDOWS_NODE_OS_DISTRIBUTION=win2019"},
				},
				Config: &logdiff.ConfigChange{Source: "prowjob.json", Section: "env", Key: "KUBERNETES_NODE_PLATFORM", Baseline: "windows", InBaseline: true},
				Settings: []logdiff.ConfigChange{
					{Source: "prowjob.json", Section: "env", Key: "KUBERNETES_NODE_PLATFORM", Baseline: "windows", InBaseline: true},
					{Source: "prowjob.json", Section: "env", Key: "NODE_OS_DISTRIBUTION", Baseline: "windows", InBaseline: true},
					{Source: "prowjob.json", Section: "env", Key: "WINDOWS_NODE_OS_DISTRIBUTION", Baseline: "win2019", InBaseline: true},
				},
				Key: "config: env KUBERNETES_NODE_PLATFORM,NODE_OS_DISTRIBUTION,WINDOWS_NODE_OS_DISTRIBUTION",
			},
			{
				Kind: logdiff.Missing, Score: 0.88,
				Summary:  "12 lines missing, from \"Will download and extract kubernetes-node-windows-amd64.tar.gz from https://storage.googleapis.com/…\"",
				Failing:  logdiff.Range{Start: 82, End: 82},
				Baseline: &logdiff.BaselineRange{Index: 0, Start: 86, End: 134},
				Lines: []logdiff.Line{
					{Side: logdiff.SideBaseline, N: 86, Text: "Will download and extract kubernetes-node-windows-amd64.tar.gz from https://storage.googleapis.com/k8s-release-dev/ci/v1.33.0-alpha.1.228+c4f8471658d8c0"},
					{Side: logdiff.SideBaseline, N: 99, Text: "md5sum(kubernetes-node-windows-amd64.tar.gz)=f1f3e019ac4729ad47aa6a05dfb5bfcf"},
					{Side: logdiff.SideBaseline, N: 100, Text: "sha1sum(kubernetes-node-windows-amd64.tar.gz)=fcdb659491f68de22e078752bda3800414ca8fa9"},
					{Side: logdiff.SideBaseline, N: 102, Text: "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current"},
					{Side: logdiff.SideBaseline, N: 103, Text: "                                 Dload  Upload   Total   Spent    Left  Speed"},
					{Side: logdiff.SideBaseline, N: 104, Text: "100 31.8M  100 31.8M    0     0  18.5M      0  0:00:02  0:00:02 --:--:-- 16.8M"},
					{Side: logdiff.SideBaseline, N: 127, Text: "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current"},
					{Side: logdiff.SideBaseline, N: 128, Text: "                                 Dload  Upload   Total   Spent    Left  Speed"},
					{Side: logdiff.SideBaseline, N: 129, Text: "100  141M  100  141M    0     0  57.2M      0  0:00:03  0:00:03 --:--:-- 54.2M"},
					{Side: logdiff.SideBaseline, N: 131, Text: "md5sum(kubernetes-test-windows-amd64.tar.gz)=445e13e9bdfa8b3a2fc15d94c418ebd3"},
					{Side: logdiff.SideBaseline, N: 132, Text: "sha1sum(kubernetes-test-windows-amd64.tar.gz)=33ecf270377f375b54f0b861b996339588d30ccf"},
					{Side: logdiff.SideBaseline, N: 134, Text: "Extracting /workspace/kubernetes/test/kubernetes-test-windows-amd64.tar.gz into /workspace/kubernetes/platforms/windows/amd64"},
				},
				Context: []logdiff.Line{
					{Side: logdiff.SideBaseline, N: 84, Text: "Will download kubernetes-server-linux-amd64.tar.gz from https://storage.googleapis.com/k8s-release-dev/ci/v1.33.0-alpha.1.228+c4f8471658d8c0"},
					{Side: logdiff.SideBaseline, N: 85, Text: "Will download and extract kubernetes-client-linux-amd64.tar.gz from https://storage.googleapis.com/k8s-release-dev/ci/v1.33.0-alpha.1.228+c4f8471658d8c0"},
					{Side: logdiff.SideBaseline, N: 135, Text: "2025/02/11 01:02:47 process.go:155: Step '/tmp/get-kube1177536473/get-kube.sh' finished in 29.051854201s"},
					{Side: logdiff.SideBaseline, N: 136, Text: "2025/02/11 01:02:47 process.go:153: Running: ./hack/e2e-internal/e2e-down.sh"},
					{Side: logdiff.SideFailing, N: 81, Text: "Will download kubernetes-server-linux-amd64.tar.gz from https://storage.googleapis.com/k8s-release-dev/ci/v1.33.0-alpha.1.236+0d6f90560a58c1"},
					{Side: logdiff.SideFailing, N: 82, Text: "Will download and extract kubernetes-client-linux-amd64.tar.gz from https://storage.googleapis.com/k8s-release-dev/ci/v1.33.0-alpha.1.236+0d6f90560a58c1"},
					{Side: logdiff.SideFailing, N: 83, Text: "Will download and extract kubernetes-test tarball(s) from https://storage.googleapis.com/k8s-release-dev/ci/v1.33.0-alpha.1.236+0d6f90560a58c1"},
					{Side: logdiff.SideFailing, N: 84, Text: "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current"},
				},
				Signature: true,
				Key:       "missing: Will download and extract kubernetes-node-windows-amd64.tar.gz from https://storage.googleapis.com/k8s-release-dev/ci/v1.33.0-alpha.<num>+<id>",
			},
			{
				Kind: logdiff.New, Score: 0.7,
				Summary: "new: \"!!! Cannot find kubernetes-node-windows-amd64.tar.gz\"",
				Failing: logdiff.Range{Start: 178, End: 178},
				Lines: []logdiff.Line{
					{Side: logdiff.SideFailing, N: 178, Text: "!!! Cannot find kubernetes-node-windows-amd64.tar.gz"},
				},
				Context: []logdiff.Line{
					{Side: logdiff.SideFailing, N: 176, Text: "... calling verify-kube-binaries"},
					{Side: logdiff.SideFailing, N: 177, Text: "... calling verify-release-tars"},
					{Side: logdiff.SideFailing, N: 179, Text: "... calling kube-up"},
					{Side: logdiff.SideFailing, N: 180, Text: "Project: k8s-infra-e2e-boskos-016"},
				},
				Hint: "the release tarball kubernetes-node-windows-amd64.tar.gz was not found: check that the build produced it and that the job's preset still sets the variables that select it (e.g. KUBERNETES_NODE_PLATFORM); compare the environment of the passing run",
				Key:  "new: !!! Cannot find kubernetes-node-windows-amd64.tar.gz",
			},
			{
				Kind: logdiff.Changed, Score: 0.68,
				Summary:  "status flipped Ready → NotReady: \"e2e-bc25617c83-36623-windows-node-group-25xa   NotReady   <none>   26m   v1.33.0-alpha.1.236+0d6f90…\" (3 times)",
				Failing:  logdiff.Range{Start: 395, End: 397},
				Baseline: &logdiff.BaselineRange{Index: 0, Start: 320, End: 322},
				Lines: []logdiff.Line{
					{Side: logdiff.SideBaseline, N: 320, Text: "e2e-c11835a5d6-36623-windows-node-group-vjh8   Ready    <none>   85s    v1.33.0-alpha.1.228+c4f8471658d8c0"},
					{Side: logdiff.SideBaseline, N: 321, Text: "e2e-c11835a5d6-36623-windows-node-group-ltow   Ready    <none>   74s    v1.33.0-alpha.1.228+c4f8471658d8c0"},
					{Side: logdiff.SideBaseline, N: 322, Text: "e2e-c11835a5d6-36623-windows-node-group-riri   Ready    <none>   91s    v1.33.0-alpha.1.228+c4f8471658d8c0"},
					{Side: logdiff.SideFailing, N: 395, Text: "e2e-bc25617c83-36623-windows-node-group-25xa   NotReady   <none>   26m   v1.33.0-alpha.1.236+0d6f90560a58c1"},
					{Side: logdiff.SideFailing, N: 396, Text: "e2e-bc25617c83-36623-windows-node-group-rw7u   NotReady   <none>   25m   v1.33.0-alpha.1.236+0d6f90560a58c1"},
					{Side: logdiff.SideFailing, N: 397, Text: "e2e-bc25617c83-36623-windows-node-group-9v7o   NotReady   <none>   25m   v1.33.0-alpha.1.236+0d6f90560a58c1"},
				},
				Context: []logdiff.Line{
					{Side: logdiff.SideBaseline, N: 318, Text: "NAME                                           STATUS   ROLES    AGE    VERSION"},
					{Side: logdiff.SideBaseline, N: 319, Text: "e2e-c11835a5d6-36623-minion-group-a6zz         Ready    <none>   103s   v1.33.0-alpha.1.228+c4f8471658d8c0"},
					{Side: logdiff.SideBaseline, N: 323, Text: "Validate output:"},
					{Side: logdiff.SideBaseline, N: 324, Text: "NAME                 STATUS    MESSAGE   ERROR"},
					{Side: logdiff.SideFailing, N: 393, Text: "NAME                                           STATUS     ROLES    AGE   VERSION"},
					{Side: logdiff.SideFailing, N: 394, Text: "e2e-bc25617c83-36623-minion-group-fdxu         Ready      <none>   26m   v1.33.0-alpha.1.236+0d6f90560a58c1"},
					{Side: logdiff.SideFailing, N: 398, Text: "2025/02/11 07:37:06 process.go:155: Step './hack/e2e-internal/e2e-up.sh' finished in 32m58.469514517s"},
					{Side: logdiff.SideFailing, N: 399, Text: "2025/02/11 07:37:06 e2e.go:213: Error: error during ./hack/e2e-internal/e2e-up.sh: exit status 1"},
				},
				Flip: &logdiff.Flip{From: "Ready", To: "NotReady"},
				Key:  "changed: e2e-<id>-<num>-windows-node-group-<instance> NotReady <none> <dur> v1.33.0-alpha.<num>+<id>",
			},
			{
				Kind: logdiff.New, Score: 0.71,
				Summary: "new: \"Error: error during ./hack/e2e-internal/e2e-up.sh: exit status 1\"",
				Failing: logdiff.Range{Start: 399, End: 399},
				Lines: []logdiff.Line{
					{Side: logdiff.SideFailing, N: 399, Text: "2025/02/11 07:37:06 e2e.go:213: Error: error during ./hack/e2e-internal/e2e-up.sh: exit status 1"},
				},
				Context: []logdiff.Line{
					{Side: logdiff.SideFailing, N: 397, Text: "e2e-bc25617c83-36623-windows-node-group-9v7o   NotReady   <none>   25m   v1.33.0-alpha.1.236+0d6f90560a58c1"},
					{Side: logdiff.SideFailing, N: 398, Text: "2025/02/11 07:37:06 process.go:155: Step './hack/e2e-internal/e2e-up.sh' finished in 32m58.469514517s"},
					{Side: logdiff.SideFailing, N: 400, Text: "2025/02/11 07:37:06 e2e.go:584: Dumping logs locally to: /logs/artifacts"},
					{Side: logdiff.SideFailing, N: 401, Text: "2025/02/11 07:37:06 process.go:153: Running: ./cluster/log-dump/log-dump.sh /logs/artifacts"},
				},
				Key: "new: Error: error during ./hack/e2e-internal/e2e-up.sh: exit status 1",
			},
			{
				Kind: logdiff.New, Score: 0.63,
				Summary: "13 new lines, from \"Something went wrong: starting e2e cluster: error during ./hack/e2e-internal/e2e-up.sh: exit status…\"",
				Failing: logdiff.Range{Start: 527, End: 539},
				Lines: []logdiff.Line{
					{Side: logdiff.SideFailing, N: 527, Text: "2025/02/11 07:42:27 main.go:336: Something went wrong: starting e2e cluster: error during ./hack/e2e-internal/e2e-up.sh: exit status 1"},
					{Side: logdiff.SideFailing, N: 528, Text: "Traceback (most recent call last):"},
					{Side: logdiff.SideFailing, N: 529, Text: "  File \"/workspace/scenarios/kubernetes_e2e.py\", line 723, in <module>"},
					{Side: logdiff.SideFailing, N: 530, Text: "    main(parse_args())"},
					{Side: logdiff.SideFailing, N: 531, Text: "  File \"/workspace/scenarios/kubernetes_e2e.py\", line 569, in main"},
					{Side: logdiff.SideFailing, N: 532, Text: "    mode.start(runner_args)"},
					{Side: logdiff.SideFailing, N: 533, Text: "  File \"/workspace/scenarios/kubernetes_e2e.py\", line 228, in start"},
					{Side: logdiff.SideFailing, N: 534, Text: "    check_env(env, self.command, *args)"},
					{Side: logdiff.SideFailing, N: 535, Text: "  File \"/workspace/scenarios/kubernetes_e2e.py\", line 111, in check_env"},
					{Side: logdiff.SideFailing, N: 536, Text: "    subprocess.check_call(cmd, env=env)"},
					{Side: logdiff.SideFailing, N: 537, Text: "  File \"/usr/lib/python3.11/subprocess.py\", line 413, in check_call"},
					{Side: logdiff.SideFailing, N: 538, Text: "    raise CalledProcessError(retcode, cmd)"},
					{Side: logdiff.SideFailing, N: 539, Text: "subprocess.CalledProcessError: Command '('kubetest', '--dump=/logs/artifacts', '--gcp-service-account=/etc/service-account/service-account.json', '--up', '--down', '--test', '--provider=gce', '--cluster=e2e-bc25617c83-36623', '--gcp-network=e2e-bc25617c83-36623', '--check-leaked-resources', '--extract=ci/latest', '--gcp-nodes=1', '--gcp-zone=us-west1-b', '--ginkgo-parallel=4', '--test_args=--ginkgo.focus=\\\\[sig-windows\\\\]|\\\\[Conformance\\\\] --ginkgo.skip=\\\\[LinuxOnly\\\\]|\\\\[Serial\\\\]|\\\\[Disruptive\\\\]|\\\\[Alpha\\\\]|GMSA|Guestbook.application.should.create.and.stop.a.working.application', '--timeout=150m')' returned non-zero exit status 1."},
				},
				Context: []logdiff.Line{
					{Side: logdiff.SideFailing, N: 525, Text: "2025/02/11 07:42:26 process.go:153: Running: bash -c . hack/lib/version.sh && KUBE_ROOT=. kube::version::get_version_vars && echo \"${KUBE_GIT_VERSION-}\""},
					{Side: logdiff.SideFailing, N: 526, Text: "2025/02/11 07:42:27 process.go:155: Step 'bash -c . hack/lib/version.sh && KUBE_ROOT=. kube::version::get_version_vars && echo \"${KUBE_GIT_VERSION-}\"' finished in 673.310579ms"},
					{Side: logdiff.SideFailing, N: 540, Text: "wrapper.sh] [TEST] Test Command exit code: 1"},
					{Side: logdiff.SideFailing, N: 541, Text: "================================================================================"},
				},
				Hint: "kubetest's step failed: ./hack/e2e-internal/e2e-up.sh; its own output above says why",
				Key:  "new: Something went wrong: starting e2e cluster: error during ./hack/e2e-internal/e2e-up.sh: exit status 1",
			},
			{
				Kind: logdiff.Config, Score: 0.6,
				Summary: "image changed: gcr.io/k8s-staging-test-infra/kubekins-e2e:v20250207-1d6e2c4fa2-master → gcr.io/k8s-staging-test-infra/kubekins-e2e:v20250211-9a8e6bd1f0-master (prowjob.json)",
				Lines:   []logdiff.Line{},
				Config:  &logdiff.ConfigChange{Source: "prowjob.json", Key: "image", Baseline: "gcr.io/k8s-staging-test-infra/kubekins-e2e:v20250207-1d6e2c4fa2-master", InBaseline: true, Failing: "gcr.io/k8s-staging-test-infra/kubekins-e2e:v20250211-9a8e6bd1f0-master", InFailing: true},
				Key:     "config: image",
			},
			{
				Kind: logdiff.EndedEarly, Score: 0.55,
				Summary:  "failing run ended after line 542 of 542; the passing run went on for 133 more lines (baseline lines 1076-1208), 127 of them absent from the failing run",
				Failing:  logdiff.Range{Start: 542, End: 542},
				Baseline: &logdiff.BaselineRange{Index: 0, Start: 1076, End: 1208},
				Lines: []logdiff.Line{
					{Side: logdiff.SideBaseline, N: 1076, Text: "2025/02/11 01:18:20 e2e.go:584: Dumping logs locally to: /logs/artifacts"},
					{Side: logdiff.SideBaseline, N: 1077, Text: "2025/02/11 01:18:21 process.go:153: Running: ./cluster/log-dump/log-dump.sh /logs/artifacts"},
					{Side: logdiff.SideBaseline, N: 1078, Text: "Checking for custom logdump instances, if any"},
				},
				Context: []logdiff.Line{
					{Side: logdiff.SideFailing, N: 541, Text: "================================================================================"},
					{Side: logdiff.SideFailing, N: 542, Text: "wrapper.sh] Exiting 1"},
				},
				Key: "ended-early: <date> <time> e2e.go:<num>: Dumping logs locally to: /logs/artifacts",
			},
			{
				Kind: logdiff.Config, Score: 0.45,
				Summary: "label preset-windows-gce=true is set in the passing runs and not in the failing run (prowjob.json)",
				Lines:   []logdiff.Line{},
				Config:  &logdiff.ConfigChange{Source: "prowjob.json", Key: "preset-windows-gce", Baseline: "true", InBaseline: true, Failing: "", InFailing: false},
				Key:     "config: preset-windows-gce",
			},
		},
	}
	r.Commits = []logdiff.CommitRange{{
		Repo: "kubernetes/kubernetes", BaselineRef: "master", BaselineSHA: "7955f7263265570402e7c27cea966995dc363509",
		FailingRef: "master", FailingSHA: "2a0990155ec112a41332671e9959ee22c8257bec",
		CompareURL: "https://github.com/kubernetes/kubernetes/compare/7955f7263265570402e7c27cea966995dc363509...2a0990155ec112a41332671e9959ee22c8257bec",
	}}
	// Compared with --first-failure: the run compared is the first of two.
	r.Streak = &logdiff.Streak{
		First:  logdiff.StreakRun{Build: "1889208480745656321", Name: "ci-kubernetes-e2e-windows-gce/1889208480745656321", URL: prowView + "1889208480745656321"},
		Since:  time.Date(2025, 2, 11, 7, 3, 12, 0, time.UTC),
		Runs:   1,
		Total:  2,
		Newest: logdiff.StreakRun{Build: "1889253625822187520", Name: "ci-kubernetes-e2e-windows-gce/1889253625822187520", URL: prowView + "1889253625822187520"},
		Pass:   &logdiff.StreakRun{Build: "1889163571498061825", Name: "ci-kubernetes-e2e-windows-gce/1889163571498061825", URL: prowView + "1889163571498061825"},
	}
	sort.SliceStable(r.Findings, func(i, j int) bool { return r.Findings[i].Score > r.Findings[j].Score })
	for i := range r.Findings {
		r.Findings[i].Rank = i + 1
	}
	return r
}

// emptyReport has no findings and local inputs (no links).
func emptyReport() *logdiff.Report {
	return &logdiff.Report{
		Version:   logdiff.Version,
		Failing:   logdiff.LogInfo{Name: "/tmp/ci/fail.log", Lines: 1200},
		Baselines: []logdiff.LogInfo{{Name: "/tmp/ci/pass-1.log", Lines: 1198}, {Name: "/tmp/ci/pass-2.log", Lines: 1201}},
		Findings:  []logdiff.Finding{},
		// attach's own run, still running, after failures back past the
		// runs examined: no links, no pass.
		Streak: &logdiff.Streak{
			First: logdiff.StreakRun{Build: "7", Name: "ci/7"}, Runs: 3, Total: 3,
			Newest: logdiff.StreakRun{Build: "9", Name: "ci/9"}, Running: true,
		},
	}
}

// hostile holds text that must stay text in every format.
var hostile = []string{
	`<script>window.__pwned=1;alert(1)</script>`,
	`<img src=x onerror="window.__pwned=2">`,
	`&lt;script&gt;window.__pwned=3&lt;/script&gt;`,
	`&#60;img src=x onerror=window.__pwned=4&#62;`,
	`"><svg onload=window.__pwned=5> '><b>bold</b>`,
	"```` fence ``` breaker `` ` ~~~",
	"</details></summary></code></pre></td></tr></table><details open>",
	"| pipe | in | a | cell | @kubernetes/sig-windows-bugs fixes #123 :tada: **bold** _it_ [link](javascript:alert(1))",
	"]]> <![CDATA[ x ]]> <?xml?> <!-- -->",
	"control \x00 \x01 \x07 \x08 \x0b \x0c \x1b[31mred\x1b[0m \x7f \r carriage",
	"invalid \xff\xfe\xc3 utf-8 \xed\xa0\x80 surrogate \uFFFE \uFFFF nonchars",
	"bidi \u202Eevil\u202C \u2066isolate\u2069 emoji 🪟 astral 𝕏",
}

// hostileReport puts hostile text in every field a report renders,
// including the names, addresses and kinds a forged JSON report could hold.
func hostileReport() *logdiff.Report {
	lines := func(side logdiff.Side, from int) []logdiff.Line {
		var ls []logdiff.Line
		for i, h := range hostile {
			ls = append(ls, logdiff.Line{Side: side, N: from + i, Text: h})
		}
		return ls
	}
	r := &logdiff.Report{
		Version: logdiff.Version,
		Failing: logdiff.LogInfo{Name: "logs/job/1/<script>alert(1)</script>`|@team", Lines: 100,
			URL: `https://prow.k8s.io/view/gs/b/logs/j/1"><script>window.__pwned=6</script>`},
		Baselines: []logdiff.LogInfo{
			{Name: "logs/job/0/build-log.txt", Lines: 100, URL: "javascript:window.__pwned=7"},
			{Name: "logs/job/2/&lt;b&gt;", Lines: 100, URL: "https://example.com/raw log's (1).txt?a=<b>&c=\"d\""},
		},
		Findings: []logdiff.Finding{
			{Rank: 1, Kind: logdiff.New, Score: 0.9, Summary: "new: " + hostile[0], Failing: logdiff.Range{Start: 10, End: 21},
				Lines: lines(logdiff.SideFailing, 10), Context: []logdiff.Line{{Side: logdiff.SideFailing, N: 9, Text: hostile[1]}},
				Hint: "hint " + hostile[4] + " @someone #1"},
			{Rank: 2, Kind: logdiff.Changed, Score: 0.8, Summary: hostile[5], Failing: logdiff.Range{Start: 30, End: 41},
				Baseline: &logdiff.BaselineRange{Index: 1, Start: 30, End: 41},
				Lines:    append(lines(logdiff.SideBaseline, 30), lines(logdiff.SideFailing, 30)...)},
			{Rank: 3, Kind: logdiff.Missing, Score: 0.7, Summary: hostile[6], Failing: logdiff.Range{Start: 5, End: 5},
				Baseline: &logdiff.BaselineRange{Index: 7, Start: 50, End: 61}, // no such baseline
				Lines:    lines(logdiff.SideBaseline, 50)},
			{Rank: 4, Kind: logdiff.Config, Score: 0.6, Summary: hostile[7],
				Config: &logdiff.ConfigChange{Source: hostile[8], Key: hostile[7], Baseline: hostile[0], InBaseline: true, Failing: "", InFailing: true}},
			{Rank: 5, Kind: `"><script>window.__pwned=8</script>`, Score: 0.5, Summary: hostile[9], Failing: logdiff.Range{Start: 1, End: 1},
				Lines: []logdiff.Line{{Side: logdiff.SideFailing, N: 1, Text: strings.Repeat("<a>`", 20000)}}},
			{Rank: 6, Kind: logdiff.EndedEarly, Score: 0.4, Summary: hostile[10], Failing: logdiff.Range{Start: 100, End: 100}}, // no Baseline
			{Rank: 7, Kind: logdiff.Config, Score: 0.3, Summary: "config without a change"},                                     // no Config
		},
		Streak: &logdiff.Streak{
			First: logdiff.StreakRun{Build: hostile[0], Name: "job/" + hostile[1] + "`|@team #1", URL: "javascript:window.__pwned=9"},
			Runs:  2, Total: 5,
			Newest: logdiff.StreakRun{Build: hostile[9] + hostile[11], Name: hostile[4], URL: `https://prow.k8s.io/view/gs/b/logs/j/9"><script>window.__pwned=10</script>`},
			Pass:   &logdiff.StreakRun{Build: hostile[2] + hostile[10], Name: hostile[2], URL: "https://example.com/raw log's (1).txt?a=<b>&c=\"d\""},
		},
	}
	return r
}

// bigReport has n findings of every kind, each with a few lines of about
// 100 bytes and their context, like a diff of two unrelated logs.
func bigReport(n int) *logdiff.Report {
	r := &logdiff.Report{
		Version:   logdiff.Version,
		Failing:   logdiff.LogInfo{Name: "logs/big/2/build-log.txt", Lines: 50 * n, URL: "https://prow.k8s.io/view/gs/b/logs/big/2"},
		Baselines: []logdiff.LogInfo{{Name: "logs/big/1/build-log.txt", Lines: 50 * n, URL: "https://prow.k8s.io/view/gs/b/logs/big/1"}},
	}
	line := func(side logdiff.Side, n, i int) logdiff.Line {
		return logdiff.Line{Side: side, N: n, Text: fmt.Sprintf("2025/02/11 07:%02d:%02d worker.go:%d: step %d of finding %d <done> in %dms, `status` & result ok", i%60, n%60, n, n, i, n*7%1000)}
	}
	kinds := []logdiff.Kind{logdiff.Missing, logdiff.New, logdiff.Changed, logdiff.New, logdiff.Config}
	for i := range n {
		at := 50*i + 10
		f := logdiff.Finding{Rank: i + 1, Kind: kinds[i%len(kinds)], Score: 1 - float64(i)/float64(n), Failing: logdiff.Range{Start: at, End: at + 2}}
		switch f.Kind {
		case logdiff.Config:
			f.Config = &logdiff.ConfigChange{Source: "prowjob.json", Key: fmt.Sprintf("VAR_%d", i), Baseline: "on", InBaseline: true}
		case logdiff.Missing:
			f.Failing.End = at
			f.Baseline = &logdiff.BaselineRange{Start: at, End: at + 2}
			f.Lines = []logdiff.Line{line(logdiff.SideBaseline, at, i), line(logdiff.SideBaseline, at+1, i), line(logdiff.SideBaseline, at+2, i)}
			f.Context = []logdiff.Line{line(logdiff.SideBaseline, at-1, i), line(logdiff.SideBaseline, at+3, i), line(logdiff.SideFailing, at, i), line(logdiff.SideFailing, at+1, i)}
		case logdiff.Changed:
			f.Baseline = &logdiff.BaselineRange{Start: at, End: at + 2}
			f.Lines = []logdiff.Line{line(logdiff.SideBaseline, at, i), line(logdiff.SideFailing, at, i+1)}
			f.Context = []logdiff.Line{line(logdiff.SideFailing, at-1, i), line(logdiff.SideFailing, at+1, i), line(logdiff.SideBaseline, at-1, i), line(logdiff.SideBaseline, at+1, i)}
		default:
			f.Lines = []logdiff.Line{line(logdiff.SideFailing, at, i), line(logdiff.SideFailing, at+1, i), line(logdiff.SideFailing, at+2, i)}
			f.Context = []logdiff.Line{line(logdiff.SideFailing, at-2, i), line(logdiff.SideFailing, at-1, i), line(logdiff.SideFailing, at+3, i), line(logdiff.SideFailing, at+4, i)}
		}
		f.Summary = fmt.Sprintf("%s: %q", f.Kind, cut(line(logdiff.SideFailing, at, i).Text, 100))
		r.Findings = append(r.Findings, f)
	}
	return r
}
