package cli

import (
	"fmt"
	"slices"

	"github.com/logdiff/logdiff/logdiff"
)

var formats = []string{"text", "json"}

var outputFormats = "text or json"

func validOutput(s string) bool { return slices.Contains(formats, s) }

// writeReport renders a report to standard output and returns errFindings
// when it has findings, so the exit status says so.
func writeReport(f *Factory, r *logdiff.Report, o OutputFlags) error {
	var err error
	switch o.Output {
	case "json":
		err = logdiff.WriteJSON(f.IO.Out, r)
	default:
		err = logdiff.WriteText(f.IO.Out, r, logdiff.TextOptions{Color: f.IO.ColorEnabled(o.Color), All: o.All, Top: o.Top})
	}
	if err != nil {
		return fmt.Errorf("writing the report: %w", err)
	}
	if len(r.Findings) > 0 {
		return errFindings
	}
	return nil
}
