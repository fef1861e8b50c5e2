package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestProfileFlags: the hidden --cpuprofile and --memprofile write pprof
// profiles (gzip) of a run, whatever the verb, and say which flag could not
// write its file.
func TestProfileFlags(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "a.log")
	if err := os.WriteFile(log, []byte("I0211 01:02:03.000000 1 x.go:1] hello 42\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cpu, mem := filepath.Join(dir, "cpu.prof"), filepath.Join(dir, "mem.prof")
	code, out, stderr := run(t, dir, "normalize", log, "--cpuprofile", cpu, "--memprofile", mem)
	if code != ExitNoFindings || out != "hello <num>\n" {
		t.Fatalf("exit %d, output %q, stderr %q", code, out, stderr)
	}
	for _, p := range []string{cpu, mem} {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(data, []byte{0x1f, 0x8b}) {
			t.Errorf("%s: not a pprof profile (gzip): % x", filepath.Base(p), data[:min(len(data), 8)])
		}
	}
	code, _, stderr = run(t, dir, "normalize", log, "--cpuprofile", filepath.Join(dir, "no", "such", "dir", "cpu.prof"))
	if code != ExitTrouble || !strings.Contains(stderr, "--cpuprofile") {
		t.Errorf("an unwritable profile: exit %d, stderr %q; want %d and the flag named", code, stderr, ExitTrouble)
	}
	if _, help, _ := run(t, dir, "diff", "--help"); !strings.Contains(help, "--quorum") || strings.Contains(help, "cpuprofile") {
		t.Error("--cpuprofile is shown in the help; it is hidden")
	}
}
