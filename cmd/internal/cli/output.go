package cli

import (
	"fmt"
	"io"

	"github.com/logdiff/logdiff/internal/bytesize"
	"github.com/logdiff/logdiff/logdiff"
	"github.com/logdiff/logdiff/logdiff/report"
)

// reportOptions are the options every format of a report is written with.
func reportOptions(f *Factory, o OutputFlags) report.Options {
	ro := report.Options{Now: f.Now, All: o.All, ShowAll: "--all"}
	if o.flags != nil && o.flags.Changed("top") {
		ro.Top = o.Top // otherwise each format's own default (the HTML report shows more)
	}
	if o.Output == "text" {
		ro.Color = f.IO.ColorEnabled(o.Color)
		ro.Width = f.IO.TerminalWidth()
		if o.flags != nil && o.flags.Changed("width") {
			ro.Width = o.Width
		}
	}
	return ro
}

// render writes a report in the format o names.
func render(f *Factory, w io.Writer, r *logdiff.Report, o OutputFlags) error {
	format, err := report.Lookup(o.Output)
	if err != nil {
		return err
	}
	return format.Report(w, r, reportOptions(f, o))
}

// writeReport renders a report to standard output, without the findings
// --kind and --min-score leave out, and returns errFindings when findings
// are left, so the exit status says so.
func writeReport(f *Factory, r *logdiff.Report, o OutputFlags) error {
	o.Filter.apply(r, f.IO.ErrOut)
	if err := render(f, f.IO.Out, r, o); err != nil {
		return fmt.Errorf("writing the report: %w", err)
	}
	if len(r.Findings) > 0 {
		return errFindings
	}
	return nil
}

// noteReport says on standard error what a report's reader must know of
// how it was made: with one passing run nothing is learned of what varies
// between runs (run-to-run noise, a random cluster name, is then reported
// as a difference); lines longer than --max-line-bytes were compared on
// their first bytes only. Said once the comparison is made, not before an
// error ends it.
func noteReport(f *Factory, r *logdiff.Report, eo logdiff.Options) {
	if len(r.Baselines) == 1 && !eo.NoLearn {
		f.notef("logdiff: one passing run: give two or more to learn what varies from run to run (fewer false findings)")
	}
	limit := eo.Scan.LineLimit()
	for _, l := range append([]logdiff.LogInfo{r.Failing}, r.Baselines...) {
		if l.CutLines > 0 {
			f.notef("logdiff: %s: %s over %s: compared on the first %s of each only; what differs past that is not seen (--max-line-bytes raises it)",
				l.Name, plural(l.CutLines, "line"), bytesize.Format(int64(limit)), bytesize.Format(int64(limit)))
		}
	}
}
