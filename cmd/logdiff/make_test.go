package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestMakeScreenshotCleansUp runs `make screenshot` with a stand-in for
// chromium that records the profile directory it is given and fills it:
// the directory is gone afterwards, whether the browser succeeds or fails.
// (The target builds bin/logdiff and writes bin/sample.html, as it does
// for a developer; the stand-in writes no docs/report.png.)
func TestMakeScreenshotCleansUp(t *testing.T) {
	if testing.Short() {
		t.Skip("builds logdiff and runs a comparison of the sample")
	}
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("no make")
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	for _, exit := range []int{0, 3} {
		t.Run(map[int]string{0: "chromium succeeds", 3: "chromium fails"}[exit], func(t *testing.T) {
			dir := t.TempDir()
			tmp := filepath.Join(dir, "tmp")
			if err := os.Mkdir(tmp, 0o755); err != nil {
				t.Fatal(err)
			}
			record := filepath.Join(dir, "profile")
			fake := filepath.Join(dir, "chromium")
			script := "#!/bin/sh\nfor a; do case $a in --user-data-dir=*) p=${a#--user-data-dir=}; echo \"$p\" > " + record +
				"; mkdir -p \"$p/Default\" && echo cache > \"$p/Default/Cache\";; esac; done\nexit " + string(rune('0'+exit)) + "\n"
			if err := os.WriteFile(fake, []byte(script), 0o755); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command("make", "-s", "-C", root, "screenshot", "CHROMIUM="+fake)
			cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
			out, err := cmd.CombinedOutput()
			if (err == nil) != (exit == 0) {
				t.Fatalf("make screenshot: %v, want it to fail only when chromium does\n%s", err, out)
			}
			p, rerr := os.ReadFile(record)
			if rerr != nil {
				t.Fatalf("chromium was not given --user-data-dir: %v\n%s", rerr, out)
			}
			profile := strings.TrimSpace(string(p))
			if !strings.HasPrefix(profile, tmp) {
				t.Errorf("profile %s is not under $TMPDIR %s", profile, tmp)
			}
			if _, err := os.Stat(profile); !os.IsNotExist(err) {
				t.Errorf("profile %s left behind (stat: %v)", profile, err)
			}
		})
	}
}
