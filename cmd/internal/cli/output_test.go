package cli

import (
	"context"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/logdiff/logdiff/cmd/internal/iostreams"
)

// sampleLog is a build log of the bundled sample.
func sampleLog(id string) string {
	return filepath.Join("..", "..", "..", "testdata", "bucket", "logs", "ci-kubernetes-e2e-windows-gce", id, "build-log.txt")
}

// runTTY runs the command line with test streams: stdout a terminal of
// the given width (0: not a terminal).
func runTTY(t *testing.T, width int, args ...string) (code int, out, errOut string) {
	t.Helper()
	ios, _, stdout, stderr := iostreams.Test()
	if width > 0 {
		ios.SetTTY(false, true, false)
		ios.SetTerminalWidth(width)
	}
	f := &Factory{IO: ios, Now: func() time.Time { return time.Date(2025, 2, 11, 8, 0, 0, 0, time.UTC) }, Getwd: func() (string, error) { return t.TempDir(), nil }}
	code = Run(context.Background(), f, args)
	return code, stdout.String(), stderr.String()
}

// TestWidth: on a terminal the text output's lines fit its width, a cut
// line says so; --width sets the width, 0 never cuts, and a pipe is never
// cut unless asked.
func TestWidth(t *testing.T) {
	args := []string{"diff", "--no-user-rules", "--color", "never", sampleLog("1889163571498061825"), sampleLog("1889208480745656321")}
	longest := func(s string) int {
		n := 0
		for _, l := range strings.Split(s, "\n") {
			n = max(n, utf8.RuneCountInString(l))
		}
		return n
	}
	tests := []struct {
		name    string
		tty     int
		flags   []string
		max     int // 0: some line is longer than 200
		cutMark bool
	}{
		{"terminal of 80 columns", 80, nil, 80, true},
		{"--width on a pipe", 0, []string{"--width", "100"}, 100, true},
		{"--width 0 on a terminal", 80, []string{"--width", "0"}, 0, false},
		{"a pipe", 0, nil, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runTTY(t, tt.tty, append(append([]string{}, args[:1]...), append(tt.flags, args[1:]...)...)...)
			if code != 1 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			// The headline and the where lines are not log lines: look at
			// the lines of the findings, which start with a mark.
			var lines []string
			for _, l := range strings.Split(out, "\n") {
				if strings.HasPrefix(l, "   - ") || strings.HasPrefix(l, "   + ") || strings.HasPrefix(l, "     ") {
					lines = append(lines, l)
				}
			}
			got := longest(strings.Join(lines, "\n"))
			switch {
			case tt.max > 0 && got > tt.max:
				t.Errorf("a line of %d columns, want at most %d", got, tt.max)
			case tt.max == 0 && got <= 200:
				t.Errorf("the longest line has %d columns: cut although not asked", got)
			}
			if strings.Contains(strings.Join(lines, "\n"), "…") != tt.cutMark {
				t.Errorf("cut marked: %v, want %v", !tt.cutMark, tt.cutMark)
			}
		})
	}
}

func TestVersion(t *testing.T) {
	settings := func(kv ...string) []debug.BuildSetting {
		var out []debug.BuildSetting
		for i := 0; i < len(kv); i += 2 {
			out = append(out, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return out
	}
	tests := []struct {
		name string
		bi   *debug.BuildInfo
		want string
	}{
		{"a build in a clone", &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261206025000-4ba6e0e180f3"},
			Settings: settings("vcs.revision", "4ba6e0e180f3f3c553e880a5c6a3dec163eca0e8", "vcs.time", "2026-12-06T02:50:00Z", "vcs.modified", "false")},
			"v0.0.0-20261206025000-4ba6e0e180f3 (commit 4ba6e0e180f3, 2026-12-06T02:50:00Z)"},
		{"with local changes", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"},
			Settings: settings("vcs.revision", "4ba6e0e180f3f3c5", "vcs.time", "2026-12-06T02:50:00Z", "vcs.modified", "true")},
			"(devel) (commit 4ba6e0e180f3, 2026-12-06T02:50:00Z, modified)"},
		{"go install of a release", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.0"}}, "v1.2.0"},
		{"no VCS information", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}},
			"(devel), built without VCS information (make build, or go build -buildvcs=true, records the commit)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := version(tt.bi, true); got != tt.want {
				t.Errorf("version = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestNormalizeSanitized: normalize prints keys and lines through the one
// sanitizer, as every other output does.
func TestNormalizeSanitized(t *testing.T) {
	for _, args := range [][]string{{"normalize", "-"}, {"normalize", "--original", "-"}} {
		ios, in, out, errOut := iostreams.Test()
		in.WriteString("error: \x1b[2J \u009d0;pwned\u009c \x9b2J \u202eevil\n")
		f := &Factory{IO: ios, Now: time.Now, Getwd: func() (string, error) { return t.TempDir(), nil }}
		if code := Run(context.Background(), f, args); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		for _, bad := range []string{"\x1b", "\u009d", "\u009b", "\x9b", "\u202e"} {
			if strings.Contains(out.String(), bad) {
				t.Errorf("%v prints %q raw: %q", args, bad, out)
			}
		}
		if !strings.Contains(out.String(), `\u202e`) {
			t.Errorf("%v: the bidi override is not shown as an escape: %q", args, out)
		}
	}
}
