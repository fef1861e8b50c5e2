package patterns

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files of TestPackGolden")

func TestPacks(t *testing.T) {
	want := []string{"bazel", "git", "github-actions", "go", "gradle", "jenkins", "kubernetes", "maven", "pytest", "travis"}
	if got := Packs(); !slices.Equal(got, want) {
		t.Fatalf("Packs() = %v, want %v", got, want)
	}
	names := map[string]string{}
	for _, name := range Packs() {
		t.Run(name, func(t *testing.T) {
			f, err := Pack(name)
			if err != nil {
				t.Fatal(err)
			}
			if f.Description == "" {
				t.Error("the pack has no description")
			}
			s, err := Compile(f)
			if err != nil {
				t.Fatalf("the pack does not compile on its own: %v", err)
			}
			for _, r := range f.Rules {
				if r.Name == "" || r.Pack != name || !strings.HasPrefix(r.Source, "packs/"+name+".yaml:") {
					t.Errorf("rule at %s: name %q, pack %q: every built-in rule has a name and its pack", r.Source, r.Name, r.Pack)
				}
				if other, dup := names[r.Name]; dup {
					t.Errorf("rule %s at %s has the name of the rule at %s", r.Name, r.Source, other)
				}
				names[r.Name] = r.Source
			}
			for _, r := range s.Rules() {
				// The scan's cost grows as literals get shorter; a rule
				// without a prefilter runs its regexp on every line. (Strip
				// rules are looked up by their first byte instead.)
				if r.Kind == Strip {
					continue
				}
				if len(r.Prefilter) == 0 {
					t.Errorf("rule %s runs on every line: give it a literal or an anchor", r.Name)
				}
				for _, p := range r.Prefilter {
					if len(p) < 5 && !strings.HasPrefix(p, "^[") && !strings.HasSuffix(p, "]$") {
						t.Errorf("rule %s has a short prefilter literal %q: it slows down every line", r.Name, p)
					}
				}
			}
		})
	}
	if _, err := Pack("nope"); err == nil || !strings.Contains(err.Error(), `unknown pack "nope" (packs: bazel, git,`) {
		t.Errorf("Pack(nope) error = %v", err)
	}
}

// TestPackMasks checks that no built-in mask matches the empty string, and
// that masking leaves status words alone.
func TestPackMasks(t *testing.T) {
	s := allPacks(t)
	for _, c := range s.mask.rules {
		if c.re != nil && minLen(parseRegexp(t, c.re.String())) == 0 {
			t.Errorf("mask %s can match the empty string", c.rule.Name)
		}
	}
	for _, line := range []string{
		"ok", "ok  \tgithub.com/x/y\t0.5s", "PASS", "FAIL", "FAILED", "ERROR", "SUCCESS", "FAILURE",
		"--- FAIL: TestX (0.00s)", "[INFO] BUILD SUCCESS", "[INFO] BUILD FAILURE", "Finished: SUCCESS",
		"exit code 1", "exit status 2", "Done. Your build exited with 1.", "> Task :test FAILED",
		"//pkg:x_test (cached) FAILED in 0.5s", "tests/test_x.py::test_y FAILED      [ 45%]",
		"##[error]Process completed with exit code 1.", "I0823 00:18:51.766123   12345 up.go:123] FAIL",
		"E0823 00:18:51.766123   12345 up.go:123] ERROR exit code 3",
	} {
		out := string(s.Mask(nil, []byte(line)))
		if out[0] != line[0] {
			t.Errorf("Mask(%q) = %q lost the first letter (klog's severity)", line, out)
		}
		for _, w := range statusWords.FindAllString(line, -1) {
			if !strings.Contains(out, w) {
				t.Errorf("Mask(%q) = %q lost the status word %q", line, out, w)
			}
		}
	}
}

// statusWords are the words a flip of which must stay visible.
var statusWords = regexp.MustCompile(`\b(?:ok|PASS|PASSED|FAIL|FAILED|FAILURE|ERROR|SUCCESS|exit (?:code|status) \d+|exited with \d+)\b`)

// errorWords are in lines that may state the error. An ignore rule must
// never drop them. (Names of files, URLs and packages do not count: they are
// removed first, as the words that contain a '/', '.' or ':'.)
var (
	errorWords = regexp.MustCompile(`(?i)error|fail|fatal|panic|exception|denied|timed? ?out|killed|cannot|unable|not found|abort`)
	names      = regexp.MustCompile(`\S*[/.:]\S*`)
)

// TestPackIgnoreConservative checks that the ignore rules of the packs keep
// lines that could state the error: known error lines, and any line of the
// real logs with an error word.
func TestPackIgnoreConservative(t *testing.T) {
	s := allPacks(t)
	for _, line := range []string{
		"fatal: unable to access 'https://github.com/x/y.git/': The requested URL returned error: 503",
		"remote: error: GH001: Large files detected.",
		"error: RPC failed; curl 56 GnuTLS recv error (-9): A TLS packet with unexpected length was received.",
		"Receiving objects:  45% (12/26), error",
		"[ERROR] Failed to execute goal on project x: Could not resolve dependencies",
		"Downloading from central: https://repo.maven.apache.org/maven2/x.pom: Connection timed out",
		"##[error]Process completed with exit code 1.",
		"Waiting for a runner to pick up this job... The job was not started because recent account payments have failed",
		"--- FAIL: TestX (0.00s)", "=== RUN   TestX", "go: downloading github.com/x/y v1.2.3: verifying module: checksum mismatch",
		"FAILED: Build did NOT complete successfully", "[1,234 / 5,678] Compiling x.cc failed",
		"travis_fold:start:install.1 error", "Using worker: x (failed to boot)",
		"Started by timer, aborted", "[WS-CLEANUP] Cannot delete workspace: java.io.IOException",
		"Stopping Docker: docker failed", "Waiting for docker to be ready, sleeping for 1 seconds. Docker failed to start",
		"Starting a Gradle Daemon failed", "> Task :test FAILED", "Download https://x/y.pom failed",
	} {
		if s.Ignore(s.Strip([]byte(line))) {
			t.Errorf("ignored: %q", line)
		}
	}
	for _, name := range realLogs {
		t.Run(name, func(t *testing.T) {
			for _, l := range readLog(t, name) {
				l = s.Strip(l)
				if s.Ignore(l) && errorWords.Match(names.ReplaceAll(l, nil)) {
					t.Errorf("ignored a line with an error word: %q", l)
				}
			}
		})
	}
}

// explain says what s does with line: the rules that changed or matched it,
// and the line after Strip and Mask. Ignore, Signature and Hint get the line
// after Strip, as the normalizer gives them. It applies the rules one by one, as the
// reference does (TestAgainstReference checks that the Set agrees).
func explain(s *Set, line []byte) (fired []string, out string) {
	for n := 0; n < maxStrips; n++ {
		stripped := false
		for _, c := range s.strip {
			if rest, ok := stripOnce(c, line); ok {
				fired = append(fired, "strip "+c.rule.Name)
				line, stripped = rest, true
				break
			}
		}
		if !stripped {
			break
		}
	}
	masked := line
	for _, c := range s.mask.rules {
		if out, ok := c.mask(nil, masked); ok && !bytes.Equal(out, masked) {
			fired = append(fired, "mask "+c.rule.Name)
			masked = out
		}
	}
	// Ignore, Signature and Hint see the line before masking.
	if i := s.ignore.first(line); i >= 0 {
		fired = append(fired, "ignore "+s.ignore.rules[i].rule.Name)
	}
	if i := s.signature.first(line); i >= 0 {
		c := s.signature.rules[i]
		fired = append(fired, fmt.Sprintf("signature %s %g", c.rule.Name, c.weight))
	}
	if i := s.hint.first(line); i >= 0 {
		h, _ := s.Hint(line)
		fired = append(fired, fmt.Sprintf("hint %s %q", s.hint.rules[i].rule.Name, h))
	}
	return fired, string(masked)
}

// stripOnce removes the prefix the strip rule c matches.
func stripOnce(c *compiled, line []byte) ([]byte, bool) {
	if c.re == nil {
		return bytes.CutPrefix(line, c.lit)
	}
	if loc := c.re.FindIndex(line); loc != nil {
		return line[loc[1]:], true
	}
	return line, false
}

// TestPackExamples runs all packs, as logdiff does by default, on lines of
// the logs each pack is for: real lines from ../shared/data where it has such
// logs (copied here so that the test always runs), realistic ones otherwise.
func TestPackExamples(t *testing.T) {
	s := allPacks(t)
	for _, tc := range []struct {
		line  string
		fired string // what explain reports, joined with "; "
		out   string // "" if the line is unchanged
	}{
		// kubernetes, from the Prow log of cert-manager's e2e job
		{"Aug 23 00:27:22.169: INFO: Waiting for Secret e2e-tests-certificates-49q8c:testcert-tls to contain a certificate",
			"strip k8s-e2e-timestamp; mask k8s-e2e-namespace",
			"INFO: Waiting for Secret e2e-tests-certificates-<suffix>:testcert-tls to contain a certificate"},
		{"Waiting for docker to be ready, sleeping for 1 seconds.", "ignore k8s-dind-waiting", ""},
		{"Stopping Docker: dockerProgram process in pidfile '/var/run/docker-ssd.pid', 1 process(es), refused to die.", "ignore k8s-dind-stop", ""},
		{"•", "ignore k8s-ginkgo-progress", ""},
		{"SSSSSSSSSSSSSSSSSSSS", "ignore k8s-ginkgo-skips", ""},
		{"Ginkgo 2.0 is coming soon!", "ignore k8s-ginkgo-v2-notice", ""},
		{"To silence this notice, set the environment variable: ACK_GINKGO_RC=true", "ignore k8s-ginkgo-v2-notice", ""},
		{"Ran 729 of 816 Specs in 1702.879 seconds", "signature k8s-ginkgo-result 3", ""},
		{"FAIL! -- 726 Passed | 3 Failed | 2 Flaked | 0 Pending | 87 Skipped", "signature k8s-ginkgo-result 3", ""},
		{"Test Suite Failed", "signature k8s-ginkgo-result 3", ""},
		{"[Fail] [cert-manager] Vault Issuer Certificate (AppRole, CA with root) [It] should generate a new certificate with a warning event when renewBefore is bigger than the duration ",
			"signature k8s-ginkgo-failure 3", ""},
		{"Summarizing 9 Failures:", "signature k8s-ginkgo-summary 2", ""},
		// kubernetes, the motivating case and kube-up, kubetest, klog, pod-utils (realistic)
		{"Will download and extract kubernetes-node-windows-amd64.tar.gz from https://dl.k8s.io/v1.30.0", "signature k8s-kube-up-download 2", ""},
		{"!!! Cannot find kubernetes-node-windows-amd64.tar.gz",
			`hint k8s-missing-release-tarball "the release tarball kubernetes-node-windows-amd64.tar.gz was not found: check that the build produced it and that the job's preset still sets the variables that select it (e.g. KUBERNETES_NODE_PLATFORM); compare the environment of the passing run"`, ""},
		{"Test-Path : Cannot bind argument to parameter 'Path' because it is an empty string.",
			`hint k8s-powershell-empty-path "an empty value reached a path parameter; compare the environment of the passing run"`, ""},
		{"New-Item : Cannot bind argument to parameter 'Name' because it is an empty string.",
			`hint k8s-powershell-empty-argument "an empty value reached the PowerShell parameter 'Name'; compare the environment of the passing run"`, ""},
		{"... calling kube-up", "signature k8s-kube-up-steps 1.5", ""},
		{"Kubernetes cluster created.", "signature k8s-kube-up-created 2", ""},
		{"Attempt 1 to create bootstrap-e2e-windows-node-group-d5h8", "mask k8s-gce-instance", "Attempt 1 to create bootstrap-e2e-windows-node-group-<instance>"},
		{"I0823 00:18:51.766123   12345 up.go:123] Creating cluster", "mask k8s-klog-header", "I up.go:123] Creating cluster"},
		{"2023/01/19 07:55:02 main.go:331: Something went wrong: starting e2e cluster: error during ./hack/e2e-internal/e2e-up.sh: exit status 2",
			`strip go-log-timestamp; hint k8s-kubetest-step-failed "kubetest's step failed: ./hack/e2e-internal/e2e-up.sh; its own output above says why"`,
			"main.go:331: Something went wrong: starting e2e cluster: error during ./hack/e2e-internal/e2e-up.sh: exit status 2"},
		{`{"component":"entrypoint","level":"error","msg":"Process did not finish before 2h0m0s timeout","time":"2022-08-23T00:43:45Z"}`,
			`mask k8s-prow-json-time; hint k8s-prow-timeout "the job ran into its 2h0m0s timeout; look at what was running last and compare step durations with the passing run"`,
			`{"component":"entrypoint","level":"error","msg":"Process did not finish before 2h0m0s timeout","time":"<time>"}`},
		// github-actions, from CiDiff's GitHub logs
		{"build-test-deploy\tbuild cidiff\t2021-12-01T13:01:04.7408115Z ##[error]Process completed with exit code 1.",
			`strip gha-job-step-columns; signature gha-error 2; hint gha-exit-code "the step's command exited with code 1; the cause is in the step's output above this line"`,
			"##[error]Process completed with exit code 1."},
		{"2022-05-30T09:10:41.3369224Z ##[endgroup]", "strip gha-timestamp; ignore gha-endgroup", "##[endgroup]"},
		{"2022-05-30T09:10:31.1585080Z Waiting for a runner to pick up this job...", "strip gha-timestamp; ignore gha-runner-queue", "Waiting for a runner to pick up this job..."},
		{"Job is about to start running on the hosted runner: GitHub Actions 2 (hosted)", "ignore gha-runner-queue", ""},
		{"Machine name: 'fv-az123-456'", "mask gha-machine-name", "Machine name: '<runner-vm>'"},
		{"##[error]The operation was canceled.",
			`signature gha-error 2; hint gha-cancelled "the job was cancelled (its timeout-minutes, a newer run of the same concurrency group, or a person); compare its duration with the passing run"`, ""},
		// jenkins, from CiDiff's Jenkins logs
		{"Started by timer", "ignore jenkins-trigger", ""},
		{"Building remotely on sos-builder02-ubuntu18 (lin ubuntu18 java11) in workspace /builds/workspace/Spork",
			"mask jenkins-agent", "Building remotely on <agent> in workspace /builds/workspace/Spork"},
		{"[WS-CLEANUP] Deleting project workspace...", "ignore jenkins-ws-cleanup", ""},
		{"Finished: FAILURE", "signature jenkins-finished 3", ""},
		{"ERROR: Error cloning remote repo 'origin'",
			`hint jenkins-clone-failed "Jenkins could not fetch the repository (network or git server trouble, or credentials); re-run before looking for a code change"`, ""},
		// maven, from CiDiff's Jenkins logs
		{"[INFO] BUILD FAILURE", "signature maven-build-result 3", ""},
		{"[ERROR] Tests run: 10, Failures: 1, Errors: 0, Skipped: 0, Time elapsed: 0.036 s <<< FAILURE! - in org.apache.commons.lang3.time.DurationUtilsTest",
			"signature maven-test-failure 2", ""},
		{"[ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:3.0.0-M6:test (default-test) on project commons-lang3: There are test failures.",
			`signature maven-failed-goal 2; hint maven-test-failures "tests failed; the failing tests are listed under \"Results:\" above, their output in target/surefire-reports"`, ""},
		{"[ERROR] COMPILATION ERROR : ", `hint maven-compilation-error "the code does not compile; the [ERROR] lines with file:[line,column] below say where"`, ""},
		{"[INFO] Downloaded from central: https://repo.maven.apache.org/maven2/org/codehaus/mojo/maven-metadata.xml (20 kB at 35 kB/s)", "ignore maven-download", ""},
		{"Progress (1): 2.7/56 kBProgress (1): 5.5/56 kBProgress (2): 511 B | 2.7/6.4 kB", "ignore maven-progress", ""},
		// gradle, from BugSwarm's GitHub Actions and Travis logs
		{"> Task :compileJava UP-TO-DATE", "mask gradle-task-outcome", "> Task :compileJava"},
		{"> Task :test FAILED", "signature gradle-task-failed 2", ""},
		{"BUILD FAILED in 1m 10s", "signature gradle-build-result 3", ""},
		{"Execution failed for task ':test'.", `hint gradle-task-execution-failed "the task :test failed; its output above, and the lines under \"What went wrong\", say why"`, ""},
		{"Download https://repo1.maven.org/maven2/javancss/ccl/29.50/ccl-29.50.pom", "ignore gradle-download", ""},
		{"Starting a Gradle Daemon (subsequent builds will be faster)", "ignore gradle-daemon", ""},
		// travis, from BugSwarm's Travis logs
		{"travis_time:end:21b20164:start=1455486085175754887,finish=1455486086402580586,duration=1226825699", "strip travis-markers", ""},
		{"travis_fold:start:install.1", "strip travis-markers", ""},
		{"Using worker: worker-linux-docker-8b85d972.prod.travis-ci.org:travis-linux-15", "ignore travis-worker", ""},
		{"attempting to download cache archive", "ignore travis-cache", ""},
		{"Done. Your build exited with 1.", "signature travis-build-result 3", ""},
		{`The command "mvn test -B" exited with 1.`, `hint travis-command-failed "the command \"mvn test -B\" exited with 1; the output just above it says why"`, ""},
		// pytest, from BugSwarm's logs
		{"tests/test_rio_calc.py::test_chunk_output[1-2-3-4-5] PASSED         [ 45%]", "mask pytest-progress", "tests/test_rio_calc.py::test_chunk_output[1-2-3-4-5] PASSED [<progress>]"},
		{"FAILED plotting/tests/test_surf_plotting.py::test_plot_surf_contours - Attrib...", "signature pytest-failed-test 3", ""},
		{"========================= 1 failed, 207 passed, 3 warnings in 12.34s =========================", "signature pytest-summary 3", ""},
		{"= 1 failed, 1958 passed, 37 skipped, 5 deselected, 13 xfailed, 4 xpassed, 8 warnings in 111.05 seconds =", "signature pytest-summary 3", ""},
		{"E   ModuleNotFoundError: No module named 'transformers'",
			`hint pytest-missing-module "the module transformers is not installed here; compare the installed packages (pip freeze, requirements, lock file) with the passing run"`, ""},
		// git, from BugSwarm's GitHub Actions logs
		{"remote: Counting objects:   2% (150/7468)        ", "ignore git-progress", ""},
		{"Receiving objects: 100% (7468/7468), 36.22 MiB | 25.60 MiB/s, done.", "ignore git-progress", ""},
		{"fatal: unable to access 'https://github.com/KTH/spork.git/': Could not resolve host: github.com",
			`hint git-remote-unavailable "git could not talk to the remote; network or server trouble, re-run before looking for a code change"`, ""},
		// go and bazel: realistic lines (no such logs in ../shared/data)
		{"--- FAIL: TestCompile (0.00s)", "signature go-test-fail 3", ""},
		{"FAIL\tgithub.com/logdiff/logdiff/patterns\t0.412s", "signature go-package-fail 3", ""},
		{"ok  \tgithub.com/logdiff/logdiff/fetch\t1.203s", "signature go-package-ok 1", ""},
		{"=== PAUSE TestParse", "ignore go-test-pause-cont", ""},
		{"go: downloading github.com/spf13/cobra v1.10.2", "ignore go-module-download", ""},
		{"panic: test timed out after 10m0s", `hint go-test-timeout "a test ran past go test's -timeout of 10m0s; the goroutine dump below shows what it was waiting for"`, ""},
		{"FAIL\tgithub.com/logdiff/logdiff/logdiff [build failed]",
			`signature go-package-fail 3; hint go-build-failed "the package does not build (for this platform or Go version); the compiler errors are above"`, ""},
		{"//pkg/net:net_test                (cached) PASSED in 0.5s", "mask bazel-cached-result; signature bazel-test-passed 1", "//pkg/net:net_test                PASSED in 0.5s"},
		{"//pkg/parser:parser_test                   FAILED in 3.4s", "signature bazel-test-failed 3", ""},
		{"[1,234 / 5,678] Compiling src/main/cc/parser.cc; 3s linux-sandbox ... (8 actions running)", "ignore bazel-action-progress", ""},
		{"INFO: 1234 processes: 567 remote cache hit, 89 internal, 578 linux-sandbox.", "ignore bazel-process-stats", ""},
		{"FAILED: Build did NOT complete successfully", "signature bazel-build-result 3", ""},
		// lines no pack knows
		{"[INFO] Compiling 42 source files to /builds/workspace/x/target/classes", "", ""},
		{"STEP: Creating a cert manager client", "", ""},
	} {
		t.Run(tc.line, func(t *testing.T) {
			fired, out := explain(s, []byte(tc.line))
			if got := strings.Join(fired, "; "); got != tc.fired {
				t.Errorf("rules:\n got %s\nwant %s", got, tc.fired)
			}
			want := tc.out
			if want == "" && !strings.HasPrefix(tc.fired, "strip") {
				want = tc.line
			}
			if out != want {
				t.Errorf("after Strip and Mask:\n got %q\nwant %q", out, want)
			}
		})
	}
}

// packLogs lists, for each pack, logs it is written for: in ../shared/data
// (skipped when absent) or, for go and bazel, realistic logs in testdata.
var packLogs = map[string][]string{
	"kubernetes":     {"prow-buildlogs/maelvls-prowdig/build-log.txt"},
	"github-actions": {"cidiff/breakages/cidiff_11/fail.log", "cidiff/breakages/cidiff_57/fail.log", "bugswarm-analyzer-github/gradle/2160401079-orig.log.gz"},
	"jenkins":        {"cidiff/breakages/spork_441/fail.log", "cidiff/breakages/commonslang_2089/fail.log"},
	"maven":          {"cidiff/breakages/assertj_1944/fail.log", "cidiff/breakages/commonslang_2089/fail.log", "bugswarm-analyzer-travis/maven/148851383-orig.log.gz"},
	"gradle":         {"bugswarm-analyzer-github/gradle/2160401079-orig.log.gz", "bugswarm-analyzer-travis/gradle/581212464-orig.log.gz"},
	"travis":         {"bugswarm-pairs/Adobe-Consulting-Services-acs-aem-commons-358605962/358605962-orig.log", "bugswarm-analyzer-travis/python/210833092-orig.log.gz"},
	"pytest":         {"bugswarm-analyzer-github/python/2024423709-orig.log.gz", "bugswarm-analyzer-travis/python/543124497-orig.log.gz"},
	"git":            {"bugswarm-analyzer-github/gradle/2160401079-orig.log.gz", "cidiff/breakages/cidiff_57/fail.log"},
	"go":             {"testdata/go-test.log"},
	"bazel":          {"testdata/bazel.log"},
}

// TestPackGolden runs all packs on the logs of each pack and compares, for
// the rules of that pack, how many lines each touched and its first two
// lines before and after, with testdata/golden/<pack>/<log>.golden.
// go test -run TestPackGolden -update rewrites the files.
func TestPackGolden(t *testing.T) {
	s := allPacks(t)
	for _, pack := range Packs() {
		if len(packLogs[pack]) == 0 {
			t.Errorf("pack %s has no logs to test on", pack)
		}
		for _, name := range packLogs[pack] {
			t.Run(pack+"/"+name, func(t *testing.T) {
				var lines [][]byte
				if strings.HasPrefix(name, "testdata/") {
					lines = readLogFile(t, name)
				} else {
					lines = readLog(t, name)
				}
				got := golden(s, pack, name, lines)
				file := filepath.Join("testdata", "golden", pack, filepath.Base(filepath.Dir(name))+"_"+strings.TrimSuffix(filepath.Base(name), ".gz")+".golden")
				if *update {
					if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(file)
				if err != nil {
					t.Fatalf("%v (run go test -run TestPackGolden -update)", err)
				}
				if got != string(want) {
					t.Errorf("%s differs from what the packs do now (go test -run TestPackGolden -update rewrites it):\n%s", file, lineDiff(string(want), got))
				}
			})
		}
	}
}

// golden writes what the rules of pack did to lines.
func golden(s *Set, pack, name string, lines [][]byte) string {
	type use struct {
		n        int
		examples []string
	}
	uses := map[string]*use{}
	var order []string
	for i, l := range lines {
		fired, out := explain(s, l)
		for _, f := range fired {
			part := strings.SplitN(f, " ", 3) // kind, rule, weight or hint
			rule := part[1]
			if !strings.HasPrefix(rule, prefixOf(s, pack)) {
				continue
			}
			u := uses[rule]
			if u == nil {
				u = &use{}
				uses[rule] = u
				order = append(order, rule)
			}
			u.n++
			if len(u.examples) < 2 {
				ex := fmt.Sprintf("  %d: %s\n", i+1, clip(string(l)))
				switch part[0] {
				case "strip", "mask":
					ex += fmt.Sprintf("  => %s\n", clip(out))
				case "signature":
					ex += fmt.Sprintf("  => weight %s\n", part[2])
				case "hint":
					ex += fmt.Sprintf("  => hint %s\n", part[2])
				}
				u.examples = append(u.examples, ex)
			}
		}
	}
	slices.Sort(order)
	var b strings.Builder
	fmt.Fprintf(&b, "# pack %s on %s (%d lines): for each of its rules that applied, the number of lines and the first two\n", pack, name, len(lines))
	for _, r := range order {
		fmt.Fprintf(&b, "%s: %d lines\n", r, uses[r].n)
		for _, ex := range uses[r].examples {
			b.WriteString(ex)
		}
	}
	return b.String()
}

// prefixOf returns the name prefix the rules of a pack share ("k8s-").
func prefixOf(s *Set, pack string) string {
	for _, r := range s.Rules() {
		if r.Pack == pack {
			return r.Name[:strings.IndexByte(r.Name, '-')+1]
		}
	}
	return pack
}

// clip quotes s (without the quotes) and cuts it to 160 bytes.
func clip(s string) string {
	q := strconv.Quote(s)
	q = q[1 : len(q)-1]
	if len(q) > 160 {
		q = q[:160] + "..."
	}
	return q
}

// lineDiff lists the lines of want missing from got and the lines of got
// missing from want.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for _, l := range w {
		if !slices.Contains(g, l) {
			fmt.Fprintf(&b, "- %s\n", l)
		}
	}
	for _, l := range g {
		if !slices.Contains(w, l) {
			fmt.Fprintf(&b, "+ %s\n", l)
		}
	}
	return b.String()
}

// TestPacksCheck: every built-in pack passes Parse's checks, which Pack
// leaves to Compile, and Pack reads the same rules as Parse.
func TestPacksCheck(t *testing.T) {
	for _, name := range Packs() {
		t.Run(name, func(t *testing.T) {
			p := "packs/" + name + ".yaml"
			data, err := packFS.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			checked, err := Parse(p, data)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			f, err := Pack(name)
			if err != nil {
				t.Fatal(err)
			}
			for i := range checked.Rules {
				checked.Rules[i].Pack = name
			}
			if !reflect.DeepEqual(f, checked) {
				t.Errorf("Pack(%s) differs from Parse of its file", name)
			}
		})
	}
}
