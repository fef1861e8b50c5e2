package report

import (
	"context"
	"flag"
	"image/png"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

var screenshot = flag.Bool("screenshot", false, "write ../../docs/report-fixture.png, a screenshot of the fixture report (needs chromium); docs/report.png is the bundled sample: make screenshot")

// TestScreenshot regenerates docs/report-fixture.png from windowsReport, the
// sample's story: go generate ./logdiff/report. It runs only when asked.
func TestScreenshot(t *testing.T) {
	if !*screenshot {
		t.Skip("writes docs/report-fixture.png only when asked: go generate ./logdiff/report")
	}
	bin := needChromium(t)
	page := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(page, renderHTML(t, windowsReport(), Options{}), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := filepath.Abs(filepath.Join("..", "..", "docs", "report-fixture.png"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	args := append(chromiumFlags(t.TempDir()), "--force-device-scale-factor=1", "--window-size=1280,1400",
		"--screenshot="+out, (&url.URL{Scheme: "file", Path: page}).String())
	if msg, err := exec.CommandContext(ctx, bin, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", bin, err, lastLines(string(msg), 20))
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", out, err)
	}
	if b := img.Bounds(); b.Dx() != 1280 || b.Dy() != 1400 {
		t.Errorf("%s is %dx%d, want 1280x1400", out, b.Dx(), b.Dy())
	}
	t.Logf("wrote %s", out)
}
