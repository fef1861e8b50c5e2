package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/logdiff/logdiff/cmd/internal/iostreams"
)

// run runs the command line in dir and returns its exit status, standard
// output and standard error.
func run(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	t.Setenv("TMPDIR", t.TempDir())
	ios, _, out, errOut := iostreams.Test()
	f := &Factory{IO: ios, Now: func() time.Time { return time.Unix(0, 0) }, Getwd: func() (string, error) { return dir, nil }}
	code := Run(context.Background(), f, args)
	return code, out.String(), errOut.String()
}

// TestErrorsSanitized: a file name holding ESC, a C1 control or a bidi
// override is shown escaped in the error that names it, never raw
// (issue 9, item 5).
func TestErrorsSanitized(t *testing.T) {
	dir := t.TempDir()
	pass := filepath.Join(dir, "pass.log")
	if err := os.WriteFile(pass, []byte("a\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ name, file, shown string }{
		{"ESC", "f\x1b[2Jail.log", `f\x1b[2Jail.log`},
		{"C1", "f\u009b2Jail.log", `f\u009b2Jail.log`},
		{"raw 0x9b", "f\x9b2Jail.log", `f\x9b2Jail.log`},
		{"bidi", "fail\u202egol.log", `fail\u202egol.log`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := run(t, dir, "diff", pass, filepath.Join(dir, tt.file))
			if code != ExitTrouble {
				t.Errorf("exit status %d, want %d", code, ExitTrouble)
			}
			if !strings.Contains(stderr, tt.shown) || strings.Contains(stderr, tt.file) {
				t.Errorf("stderr %q: want the name shown as %s", stderr, tt.shown)
			}
		})
	}
}

// TestThousandUserRules: a user file of 1,000 rules of one kind is
// accepted beside the built-in packs, which used to count against it
// ("1028 rules, at most 1024"; issue 9, item 9), and a file over the limit
// is refused with a message that says what counts.
func TestThousandUserRules(t *testing.T) {
	dir := t.TempDir()
	write := func(n int) string {
		var b strings.Builder
		b.WriteString("rules:\n")
		for i := range n {
			fmt.Fprintf(&b, "  - {kind: ignore, match: 'benign line %d'}\n", i)
		}
		p := filepath.Join(dir, fmt.Sprintf("rules-%d.yaml", n))
		if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	if code, _, stderr := run(t, dir, "rules", "list", "--rules", write(1000)); code != ExitNoFindings {
		t.Errorf("1,000 rules: exit status %d: %s", code, stderr)
	}
	code, _, stderr := run(t, dir, "rules", "list", "--rules", write(1025))
	if want := "too many ignore rules in the rule files: 1025, at most 1024 (the built-in packs' rules are not counted)"; code != ExitTrouble || !strings.Contains(stderr, want) {
		t.Errorf("1,025 rules: exit status %d, stderr %q; want 2 and %q", code, stderr, want)
	}
}
