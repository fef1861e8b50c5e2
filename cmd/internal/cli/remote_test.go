package cli

import (
	"context"
	"strings"
	"testing"

	"github.com/logdiff/logdiff/cmd/internal/iostreams"
	"github.com/logdiff/logdiff/fetch"
)

// TestProgressOnlyOnATerminal: progressbar draws into pipes unless told, so
// the fetcher gets a progress callback only when stderr is a terminal, and
// then the bar is drawn there.
func TestProgressOnlyOnATerminal(t *testing.T) {
	src, err := fetch.Detect(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, tty := range []bool{false, true} {
		ios, _, _, errOut := iostreams.Test()
		ios.SetTTY(false, false, tty)
		f := &Factory{IO: ios}
		fe, err := (&FetchFlags{NoCache: true}).fetcher(context.Background(), f, src)
		if err != nil {
			t.Fatal(err)
		}
		if (fe.Progress != nil) != tty {
			t.Fatalf("stderr a terminal: %v, progress callback set: %v", tty, fe.Progress != nil)
		}
		if tty {
			fe.Progress(fetch.Progress{Done: 1 << 20, Total: 4 << 20, Files: 2})
			fe.Progress(fetch.Progress{Done: 4 << 20, Total: 4 << 20, FilesDone: 2, Files: 2})
			if !strings.Contains(errOut.String(), "fetching logs") {
				t.Errorf("no progress bar on stderr: %q", errOut.String())
			}
		}
	}
}
