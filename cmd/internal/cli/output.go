package cli

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/logdiff/logdiff/logdiff"
	"github.com/logdiff/logdiff/logdiff/report"
)

var formats = []string{"text", "json", "markdown", "html", "junit"}

var outputFormats = strings.Join(formats, ", ")

func validOutput(s string) bool { return slices.Contains(formats, s) }

// render writes a report in one of the formats.
func render(f *Factory, w io.Writer, r *logdiff.Report, o OutputFlags) error {
	ro := report.Options{Now: f.Now, Top: o.Top}
	switch o.Output {
	case "json":
		return logdiff.WriteJSON(w, r)
	case "markdown":
		return report.Markdown(w, r, ro)
	case "html":
		if o.flags == nil || !o.flags.Changed("top") {
			ro.Top = 0 // the HTML report's own default shows more in full
		}
		return report.HTML(w, r, ro)
	case "junit":
		return report.JUnit(w, r, ro)
	default:
		return logdiff.WriteText(w, r, logdiff.TextOptions{Color: f.IO.ColorEnabled(o.Color), All: o.All, Top: o.Top})
	}
}

// writeReport renders a report to standard output and returns errFindings
// when it has findings, so the exit status says so.
func writeReport(f *Factory, r *logdiff.Report, o OutputFlags) error {
	if err := render(f, f.IO.Out, r, o); err != nil {
		return fmt.Errorf("writing the report: %w", err)
	}
	if len(r.Findings) > 0 {
		return errFindings
	}
	return nil
}
