// Command logdiff tells what changed between passing and failing runs of a CI job.
package main

import (
	"os"

	"github.com/logdiff/logdiff/cmd/internal/cli"
)

func main() { os.Exit(cli.Main()) }
