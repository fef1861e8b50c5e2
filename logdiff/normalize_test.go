package logdiff

import (
	"strings"
	"testing"
)

func key(s string) string {
	k, _ := NewNormalizer(nil).Key(nil, []byte(s))
	return string(k)
}

func TestNormalizePrefixes(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"klog", "I1125 19:21:41.123456    1234 file.go:42] Starting kubelet", "Starting kubelet"},
		{"indented klog", "  I0211 01:10:27.215252 45103 util.go:502] Waiting up to 5m0s", "Waiting up to <dur>"},
		{"klog warning", "W0211 01:26:18.000001       7 reflector.go:561] watch ended", "watch ended"},
		{"prow bootstrap", "I0221 07:16:19.120] Call:  gcloud auth", "Call: gcloud auth"},
		{"prow bootstrap before klog", "I0221 07:16:19.120] I0221 07:16:19.119500    1234 main.go:12] hello", "hello"},
		{"go log", "2025/02/11 01:26:18 process.go:153: Running: ./hack/e2e.go", "Running: ./hack/e2e.go"},
		{"go log without file", "2025/02/11 01:26:18 starting", "starting"},
		{"GitHub Actions", "2022-04-12T19:22:54.9573194Z ##[group]Run actions/checkout@v3", "##[group]Run actions/checkout@v3"},
		{"RFC 3339 with zone", "2025-02-11T01:26:18+01:00 msg", "msg"},
		{"ISO with comma fraction", "2019-01-01 10:00:00,123 INFO main started", "INFO main started"},
		{"Jenkins timestamper", "[2021-01-01T10:00:00.000Z] Running on agent-1", "Running on agent-<num>"},
		{"syslog", "Dec 10 12:34:56.789 kubelet started", "kubelet started"},
		{"syslog one-digit day", "Dec  1 02:03:04 host sshd", "host sshd"},
		{"kube scripts", "+++ [0405 13:19:29] Building go targets", "+++ [<ts>] Building go targets"},
		{"logrus", `time="2025-02-11T01:26:18Z" level=info msg="synced"`, `level=info msg="synced"`},
		{"taskcluster", "[task 2025-02-13T21:47:57.540Z] 21:47:57     INFO - Running tests", "INFO - Running tests"},
		{"bazel", "(12:34:56) INFO: Build completed", "INFO: Build completed"},
		{"bare clock", "12:34:56.789 step one", "step one"},
		{"not a prefix", "Insufficient memory", "Insufficient memory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := key(tt.in); got != tt.want {
				t.Errorf("key(%q)\n got  %q\n want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestNormalizeMasks(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"uuid", "pod uid 3f2b8a9c-1d4e-4f6a-9b8c-7d6e5f4a3b2c deleted", "pod uid <uuid> deleted"},
		{"git hash", "HEAD is now at 5c1218315198ff add x", "HEAD is now at <id> add x"},
		{"short hash", "commit a1b2c3d", "commit <id>"},
		{"0x", "addr 0xc000123abc", "addr <id>"},
		{"letters-only hex word stays", "deadbeef facade added", "deadbeef facade added"},
		{"ipv4 with port", "dial tcp 10.0.0.12:6443: connect: connection refused", "dial tcp <ip>: connect: connection refused"},
		{"ipv4 cidr", "route 10.64.0.0/14", "route <ip>"},
		{"ipv6", "listen on fe80::1ff:fe23:4567:890a", "listen on <ip>"},
		{"go duration", "ran in 5m58.313808136s", "ran in <dur>"},
		{"milliseconds", "took 135ms", "took <dur>"},
		{"seconds in parens", "Time elapsed: (0.135 s)", "Time elapsed: (<dur>)"},
		{"seconds word", "Ran 24 of 7000 Specs in 1234.567 seconds", "Ran <num> of <num> Specs in <dur>"},
		{"maven durations", "SUCCESS [  5.978 s] and [01:05 min], Total time:  01:24 min", "SUCCESS [<dur>] and [<dur>], Total time: <dur>"},
		{"a word after a number is no unit", "found 3 sheep in 2 sheds", "found <num> sheep in <num> sheds"},
		{"progress dots glued to text", ".................Kubernetes cluster created.", "...Kubernetes cluster created."},
		{"progress dots after text", "Waiting ......Kubernetes cluster created.", "Waiting ...Kubernetes cluster created."},
		{"padding in brackets after text", "Tests run: 3 [  5.978 s] in Foo", "Tests run: <num> [<dur>] in Foo"},
		{"few dots stay", "Waiting... done. a..b", "Waiting... done. a..b"},
		{"progress bar fill", "issuer 12% |****                            |  831k 0:00:06 ETA", "issuer <num>% |*** | <size> <time> ETA"},
		{"separators", "======================================================================", "==="},
		{"numbers joined stay numbers", "Session: 30546174_3227690294 initialized", "Session: <num>_<num> initialized"},
		{"uuid after a name", `pod "pod-55552790-d1c8-4673-b19b-0f72c2ef7c62"`, `pod "pod-<uuid>"`},
		{"digits-only random suffix", "kubernetes-staging-3005041317 and kubernetes-staging-8d7821257d", "kubernetes-staging-<id> and kubernetes-staging-<id>"},
		{"digits-only object hash", "CloseableStub@39659540 and CloseableStub@676b3d4c, not mail@1234", "CloseableStub@<id> and CloseableStub@<id>, not mail@<num>"},
		{"size and speed", "Downloaded x.jar (17 kB at 205 kB/s)", "Downloaded x.jar (<num> kB at <num> kB/s)"},
		{"size attached", "pulled 1.2MB image 345k", "pulled <size> image <size>"},
		{"prow build id", "Build 1889120572684636160 started", "Build <num> started"},
		{"temp path", "/tmp/get-kube471010296/kubernetes", "/tmp/get-kube<num>/kubernetes"},
		{"mktemp", "/tmp/tmp.Ab3dE9fGhK", "/tmp/tmp.<id>"},
		{"k8s suffix keeps quotes", `pod "test-7mhp" failed`, `pod "test-<id>" failed`},
		{"k8s replicaset suffix", "nginx-5d9c8f7b6-x2x7k Running", "nginx-<id>-<id> Running"},
		{"k8s suffix without digits", "pod coredns-xkzvt ready", "pod coredns-<id> ready"},
		{"k8s suffix of digits", "test-pod-57942 and group-24567", "test-pod-<id> and group-<id>"},
		{"uuid starting with letters", "uid bdacefee-1234-4abc-8def-9dfea3a25c45", "uid <uuid>"},
		{"GCE instance group suffix", "node e2e-c11835a5d6-36623-windows-node-group-8lto Ready", "node e2e-<id>-<num>-windows-node-group-<id> Ready"},
		{"Ginkgo progress", "done SSSSSS•SS••SSS", "done <progress>"},
		{"GKE node name", "NODE_NAME=gke-prow-build-pool5-2021092812495606-c42445d4-fct8", "NODE_NAME=gke-prow-build-pool5-<num>-<id>-<id>"},
		{"Ginkgo progress with a failure stays", "SS•F•SS", "SS•F•SS"},
		{"flag values kept", "Run: kubetest --gcp-nodes=3 --timeout=150m --seed=1739236226", "Run: kubetest --gcp-nodes=3 --timeout=150m --seed=<num>"},
		{"taskcluster slugid", "Task ID: NQq4NdUjQTK_Zg10ULjAUA and XkURn3z0RK2Xue_W0vc0IA", "Task ID: <id> and <id>"},
		{"goroutine", "goroutine 1234 [running]:", "goroutine <num> [running]:"},
		{"inline ginkgo timestamp", "STEP: Creating a pod @ 02/11/25 01:30:12.34", "STEP: Creating a pod @ <ts>"},
		{"inline ISO", "expires 2025-02-11T01:26:18Z", "expires <ts>"},
		{"inline date", "released 2025-02-11", "released <date>"},
		{"curl progress", "100 1234k 100 1234k 0 0 2345k 0 0:00:01 0:00:01 --:--:-- 2345k",
			"<num> <size> <num> <size> <num> <num> <size> <num> <time> <time> --:--:-- <size>"},
		{"exit status kept", "error: exit status 1", "error: exit status 1"},
		{"exit code kept", "Process completed with exit code 2.", "Process completed with exit code 2."},
		{"failures kept", "Tests run: 12, Failures: 0, Errors: 1, Skipped: 3", "Tests run: <num>, Failures: 0, Errors: 1, Skipped: <num>"},
		{"version kept", "Downloading numpy-1.26.0 and v1.32.1", "Downloading numpy-1.26.0 and v1.32.1"},
		{"short digits in words kept", "kubernetes-node-windows-amd64.tar.gz e2e k8s win2019 sha256", "kubernetes-node-windows-amd64.tar.gz e2e k8s win2019 sha256"},
		{"white space folded", "a  \t b   ", "a b"},
		{"status words never masked", "--- FAIL: TestX (0.01s)", "--- FAIL: TestX (<dur>)"},
		{"placeholders are stable", "<num> <id> <uuid> <id>", "<num> <id> <uuid> <id>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := key(tt.in)
			if got != tt.want {
				t.Errorf("key(%q)\n got  %q\n want %q", tt.in, got, tt.want)
			}
			if again := key(got); again != got {
				t.Errorf("not idempotent: key(%q) = %q", got, again)
			}
		})
	}
}

func TestNormalizeBlankDoesNotCount(t *testing.T) {
	for _, s := range []string{"", "   ", "\t", "SSSSSSSS", "S", "•S•"} {
		if _, ok := NewNormalizer(nil).Key(nil, []byte(s)); ok {
			t.Errorf("%q counts", s)
		}
	}
}

// FuzzNormalize checks that normalizing never panics and is idempotent.
func FuzzNormalize(f *testing.F) {
	for _, s := range []string{
		"I1125 19:21:41.123456    1234 file.go:42] x", "2025/02/11 01:26:18 a.go:1: y",
		"10.0.0.1:80", "fe80::1", "5m58.3s", "a-7mhp", "0x1f", "1.2.3", "exit status 1", "\xff\xfe",
		"[task 2025-02-13T21:47:57.540Z] 21:47:57 z", "+++ [0405 13:19:29] w",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k1 := key(s)
		if k2 := key(k1); k2 != k1 {
			t.Errorf("not idempotent: %q -> %q -> %q", s, k1, k2)
		}
	})
}

// TestKeyCache: a key the cache gives is the key Key gives, for lines seen
// before or not, lines that do not count, lines too long to keep, and
// bodies that share a slot (a cache of one slot, where each line evicts the
// one before).
func TestKeyCache(t *testing.T) {
	lines := []string{
		"2025-02-11T10:00:01.123Z I0211 10:00:01.123456 1 main.go:12] started pod test-7mhp in 3.2s",
		"2025-02-11T10:00:02.123Z I0211 10:00:02.654321 1 main.go:12] started pod test-x9kz in 4.1s", // the same key
		"",
		"   ",
		"SSSS",                                 // progress: does not count
		"remote: Counting objects: 45% (9/20)", // git-progress: a pack ignores it
		"[task 2025-02-14T10:11:23.708Z] 10:11:23     INFO -  gmake[4]: Entering directory '/builds/worker/dom'",
		"[task 2025-02-14T10:11:24.001Z] 10:11:24     INFO -  gmake[4]: Entering directory '/builds/worker/dom'",
		"10:11:25 gmake[4]: Entering directory '/builds/worker/dom'", // the same body, another prefix
		strings.Repeat("long line of text ", 40),                     // longer than the cache keeps
		strings.Repeat("1 ", 255),                                    // a key longer than the cache keeps
		"deadbeef 12345 fail",
	}
	for _, tc := range []struct {
		name  string
		norm  *Normalizer
		slots int
	}{
		{"builtin, 4096 slots", NewNormalizer(nil), keyCacheSlots},
		{"builtin, 1 slot", NewNormalizer(nil), 1},
		{"packs, 4096 slots", NewNormalizer(allPacks(t)), keyCacheSlots},
		{"packs, 1 slot", NewNormalizer(allPacks(t)), 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			kc := newKeyCache(tc.slots)
			// Twice over, and each line twice in a row: from the cache
			// and after being evicted.
			for round := range 2 {
				for _, l := range lines {
					for range 2 {
						want, wantOK := tc.norm.Key([]byte("dst:"), []byte(l))
						got, gotOK := kc.key(tc.norm, []byte("dst:"), []byte(l))
						if string(got) != string(want) || gotOK != wantOK {
							t.Errorf("round %d, %q: cache gives %q, %v; Key gives %q, %v", round, l, got, gotOK, want, wantOK)
						}
					}
				}
			}
		})
	}
}
