package report

import (
	"encoding/json"
	"io"

	"github.com/logdiff/logdiff/logdiff"
)

// JSON writes the report as indented JSON, every finding included. Its
// shape is logdiff.Report's, stable within its Version.
func JSON(w io.Writer, r *logdiff.Report, _ Options) error {
	if r == nil {
		return errNoReport("JSON")
	}
	return writeJSON(w, r)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
