package cli

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/logdiff/logdiff/cmd/internal/iostreams"
	"github.com/logdiff/logdiff/fetch"
)

// TestFetcherMaxBytes: every command that fetches bounds its downloads by
// its own --max-bytes, the bound the engine reads the files with (its
// default when not given), and a download over it says which flag raises
// it.
func TestFetcherMaxBytes(t *testing.T) {
	bucket := filepath.Join("..", "..", "..", "testdata", "bucket")
	commands := []struct {
		name string
		cmd  func(f *Factory, got func(*FetchFlags)) *cobra.Command
		args []string
	}{
		{"diff", func(f *Factory, got func(*FetchFlags)) *cobra.Command {
			return NewCmdDiff(f, func(o *DiffOptions) error { got(&o.Fetch); return nil })
		}, []string{"a.log", "b.log"}},
		{"job", func(f *Factory, got func(*FetchFlags)) *cobra.Command {
			return NewCmdJob(f, func(o *JobOptions) error { got(&o.Fetch); return nil })
		}, []string{"some-job"}},
		{"attach", func(f *Factory, got func(*FetchFlags)) *cobra.Command {
			return NewCmdAttach(f, func(o *AttachOptions) error { got(&o.Fetch); return nil })
		}, []string{"--job", "some-job", "--out", t.TempDir()}},
		{"sweep", func(f *Factory, got func(*FetchFlags)) *cobra.Command {
			return NewCmdSweep(f, func(o *SweepOptions) error { got(&o.Fetch); return nil })
		}, []string{"some-job"}},
	}
	for _, c := range commands {
		for _, tc := range []struct {
			flag string
			want int64
		}{{"", DefaultMaxBytes}, {"1000", 1000}, {"2GiB", 2 << 30}} {
			t.Run(c.name+" "+tc.flag, func(t *testing.T) {
				ios, _, _, _ := iostreams.Test()
				f := &Factory{IO: ios, Now: func() time.Time { return time.Unix(0, 0) }, Getwd: func() (string, error) { return t.TempDir(), nil }}
				var ff *FetchFlags
				root := &cobra.Command{Use: "logdiff"} // sweep takes job names only below one
				root.AddCommand(c.cmd(f, func(o *FetchFlags) { ff = o }))
				args := append([]string{c.name, "--no-cache"}, c.args...)
				if tc.flag != "" {
					args = append(args, "--max-bytes", tc.flag)
				}
				root.SetArgs(args)
				if err := root.Execute(); err != nil || ff == nil {
					t.Fatalf("%s %s: %v", c.name, args, err)
				}
				src, err := fetch.Detect(bucket)
				if err != nil {
					t.Fatal(err)
				}
				fe, err := ff.fetcher(context.Background(), f, src)
				if err != nil {
					t.Fatal(err)
				}
				if fe.MaxBytes != tc.want {
					t.Errorf("the fetcher's MaxBytes is %d, want %d (--max-bytes)", fe.MaxBytes, tc.want)
				}
			})
		}
	}
	t.Run("error", func(t *testing.T) {
		err := fmt.Errorf("downloading build-log.txt of job/1: %w", &fetch.TooLargeError{URL: "gs://b/logs/job/1/build-log.txt", Size: 5000, Limit: 1000})
		want := "downloading build-log.txt of job/1: gs://b/logs/job/1/build-log.txt: 5000 bytes, more than the limit of 1000 bytes (raise --max-bytes to read it)"
		if got := errorText(err); got != want {
			t.Errorf("errorText = %q, want %q", got, want)
		}
	})
}
