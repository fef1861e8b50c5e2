package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/logdiff/logdiff/logdiff"
)

// JSON writes the report as indented JSON, every finding included. Its
// shape is logdiff.Report's, stable within its Version.
func JSON(w io.Writer, r *logdiff.Report, _ Options) error {
	if r == nil {
		return errNoReport("JSON")
	}
	return writeReportJSON(w, r)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// findingsKey is where the findings stand in the indented report, as
// writeJSON writes a report whose findings are an empty list: the key at
// the report's own depth.
const findingsKey = "\n  \"findings\": []"

// writeReportJSON writes what writeJSON(w, r) writes, a finding at a time:
// encoding a report of thousands of findings whole held it twice over in
// memory, as compact JSON and indented (tens of MB for 2,000 findings of a
// large log). It writes the report with no findings, then the findings in
// its place, each indented as at that depth.
func writeReportJSON(w io.Writer, r *logdiff.Report) error {
	if len(r.Findings) == 0 {
		return writeJSON(w, r)
	}
	shell := *r
	shell.Findings = []logdiff.Finding{}
	var head bytes.Buffer
	if err := writeJSON(&head, &shell); err != nil {
		return err
	}
	at := bytes.Index(head.Bytes(), []byte(findingsKey))
	if at < 0 {
		return fmt.Errorf("writing JSON: no findings in the report's shape")
	}
	at += len(findingsKey) - len("]")
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.Write(head.Bytes()[:at])
	var item bytes.Buffer
	enc := json.NewEncoder(&item)
	enc.SetIndent("    ", "  ")
	enc.SetEscapeHTML(false)
	for i := range r.Findings {
		sep := ",\n    "
		if i == 0 {
			sep = "\n    "
		}
		bw.WriteString(sep)
		item.Reset()
		if err := enc.Encode(&r.Findings[i]); err != nil {
			return err
		}
		bw.Write(bytes.TrimSuffix(item.Bytes(), []byte("\n")))
	}
	bw.WriteString("\n  ")
	bw.Write(head.Bytes()[at:])
	return bw.Flush()
}
