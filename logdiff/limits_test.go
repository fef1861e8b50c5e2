package logdiff

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestDiffLimitsNameTheInput: an input past a limit is an error that names
// it, matches ErrTooLarge, and names no command-line flag (the CLI adds
// that).
func TestDiffLimitsNameTheInput(t *testing.T) {
	pass := join(run(1, 300))
	tests := []struct {
		name string
		opts ScanOptions
		want string
	}{
		{"lines", ScanOptions{MaxLines: 100}, "big.log: input too large: more than 100 lines"},
		{"bytes", ScanOptions{MaxBytes: 10 << 10}, "big.log: input too large: more than 10 KiB (10240 bytes) of log text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			small := memInput("small.log", "I0211 step alpha done\n")
			_, err := Diff(context.Background(), memInput("big.log", pass), []Input{small}, Options{Scan: tt.opts})
			if !errors.Is(err, ErrTooLarge) || err.Error() != tt.want {
				t.Fatalf("error %v, want %q", err, tt.want)
			}
			// A baseline too, and with learning (three inputs).
			_, err = Diff(context.Background(), small, []Input{small, memInput("big.log", pass)}, Options{Scan: tt.opts})
			if !errors.Is(err, ErrTooLarge) || err.Error() != tt.want {
				t.Fatalf("as a baseline: error %v, want %q", err, tt.want)
			}
		})
	}
}

// changingInput is a log whose later reads give other text.
func changingInput(name string, reads ...string) Input {
	n := 0
	return Input{Name: name, Open: func() (io.ReadCloser, error) {
		s := reads[min(n, len(reads)-1)]
		n++
		return io.NopCloser(strings.NewReader(s)), nil
	}}
}

// TestDiffInputChangedBetweenReads: the second read (for the text of the
// findings, or to learn) must read what the first compared; anything else
// is ErrChanged, naming the input, never a finding with text that was not
// compared.
func TestDiffInputChangedBetweenReads(t *testing.T) {
	pass := run(1, 300)
	fail := append(append(run(2, 300)[:150:150], "ERROR: cannot pull image foo:latest"), run(2, 300)[150:]...)
	swapped := append([]string{}, fail...)
	swapped[150] = "ERROR: cannot pull image bar:latest" // the same length
	long := append(append([]string{}, fail...), "and one line more")
	tests := []struct {
		name      string
		fail      Input
		baselines int
		want      string
	}{
		{"a line rewritten, same length", changingInput("fail.log", join(fail), join(swapped)), 1, fmt.Sprintf("fail.log: changed while being read (its text differs in bytes 0 to %d)", len(join(fail)))},
		{"a line appended", changingInput("fail.log", join(fail), join(long)), 1, "fail.log: changed while being read (it has more than the 301 lines it had)"},
		{"its last line gone", changingInput("fail.log", join(fail), join(fail[:300])), 1, "fail.log: changed while being read (it has 300 lines, it had 301)"},
		{"emptied", changingInput("fail.log", join(fail), ""), 1, "fail.log: changed while being read (it is empty now)"},
		{"changed before learning reads it", changingInput("fail.log", join(fail), join(swapped)), 2, fmt.Sprintf("fail.log: changed while being read (its text differs in bytes 0 to %d)", len(join(fail)))},
	}
	// Past a MiB, a read that stops early checks the text up to the next MiB.
	var big []string
	for len(strings.Join(big, "\n")) < 3<<20 {
		big = append(big, run(uint64(len(big)), 100)...)
	}
	bigFail := append(append([]string{}, big[:100]...), append([]string{"ERROR: cannot pull image foo:latest"}, big[100:]...)...)
	bigSwapped := append([]string{}, bigFail...)
	bigSwapped[5000] = strings.Replace(bigSwapped[5000], "step", "STEP", 1)
	tests = append(tests, struct {
		name      string
		fail      Input
		baselines int
		want      string
	}{"a line rewritten past the finding, within the next MiB", changingInput("fail.log", join(bigFail), join(bigSwapped)), 1,
		"fail.log: changed while being read (its text differs in bytes 0 to 1048576)"})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var bs []Input
			for i := range tt.baselines {
				bs = append(bs, memInput(fmt.Sprintf("pass-%d.log", i), join(pass)))
			}
			r, err := Diff(context.Background(), tt.fail, bs, Options{})
			if !errors.Is(err, ErrChanged) || err.Error() != tt.want {
				t.Fatalf("error %v, findings %d; want %q", err, len(findingsOf(r)), tt.want)
			}
		})
	}
}

func findingsOf(r *Report) []Finding {
	if r == nil {
		return nil
	}
	return r.Findings
}

// TestDiffFileChangedBetweenReads: a file whose size or modification time
// changed since it was compared is refused, even where the text read
// again would agree.
func TestDiffFileChangedBetweenReads(t *testing.T) {
	pass := join(run(1, 300))
	fail := join(append(run(2, 300), "ERROR: cannot pull image foo:latest"))
	tests := []struct {
		name   string
		change func(path string) error
		want   string
	}{
		{"appended to", func(p string) error {
			f, err := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				return err
			}
			f.WriteString("one more line\n")
			return f.Close()
		}, "its size went from"},
		{"touched", func(p string) error {
			return os.Chtimes(p, time.Now(), time.Now().Add(time.Hour))
		}, "modified at"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "fail.log")
			if err := os.WriteFile(path, []byte(fail), 0o644); err != nil {
				t.Fatal(err)
			}
			in := FileInput(path)
			opens := 0
			open := in.Open
			in.Open = func() (io.ReadCloser, error) {
				if opens++; opens == 2 { // between the first read and the second
					if err := tt.change(path); err != nil {
						return nil, err
					}
				}
				return open()
			}
			_, err := Diff(context.Background(), in, []Input{memInput("pass.log", pass)}, Options{})
			if !errors.Is(err, ErrChanged) || !strings.HasPrefix(err.Error(), path+": changed while being read") || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want %s: changed while being read (%s ...)", err, path, tt.want)
			}
		})
	}
}
