package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/logdiff/logdiff/cmd/internal/cli"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"logdiff": func() { os.Exit(cli.Main()) },
	})
}

// TestScripts runs the end-to-end scripts in testdata/script: the real
// binary's arguments, streams and exit status.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			env.Setenv("NO_COLOR", "")
			env.Setenv("CLICOLOR_FORCE", "")
			env.Setenv("XDG_CACHE_HOME", env.WorkDir+"/.cache")
			bucket, err := filepath.Abs(filepath.Join("..", "..", "testdata", "bucket"))
			if err != nil {
				return err
			}
			env.Setenv("BUCKET", bucket)
			return nil
		},
	})
}
