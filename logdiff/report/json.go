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
	var indented []byte
	enc := json.NewEncoder(&item)
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
		indented = indentCompact(indented[:0], bytes.TrimSuffix(item.Bytes(), []byte("\n")), "    ", "  ")
		bw.Write(indented)
	}
	bw.WriteString("\n  ")
	bw.Write(head.Bytes()[at:])
	return bw.Flush()
}

// indentCompact appends to dst what json.Indent(dst, src, prefix, indent)
// does for src written by a json.Encoder without indenting: valid JSON with
// no space outside its strings. Indenting in the Encoder (SetIndent) runs
// encoding/json's scanner over every byte again, a tenth of a diff's
// single-threaded tail on a report of thousands of findings; this copies
// strings whole, by IndexByte.
func indentCompact(dst, src []byte, prefix, indent string) []byte {
	needIndent, depth := false, 0
	newline := func() {
		dst = append(dst, '\n')
		dst = append(dst, prefix...)
		for range depth {
			dst = append(dst, indent...)
		}
	}
	for i := 0; i < len(src); i++ {
		c := src[i]
		if needIndent && c != '}' && c != ']' {
			needIndent = false
			depth++
			newline()
		}
		switch c {
		case '"':
			end := stringEnd(src, i)
			dst = append(dst, src[i:end]...)
			i = end - 1
		case '{', '[':
			// As json.Indent: an empty object or array stays {} or [].
			needIndent = true
			dst = append(dst, c)
		case ',':
			dst = append(dst, c)
			newline()
		case ':':
			dst = append(dst, c, ' ')
		case '}', ']':
			if needIndent {
				needIndent = false
			} else {
				depth--
				newline()
			}
			dst = append(dst, c)
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

// stringEnd returns the index after the JSON string that starts at src[i]
// (a quote): after the first quote not escaped by a backslash.
func stringEnd(src []byte, i int) int {
	j := i + 1
	for {
		k := bytes.IndexByte(src[j:], '"')
		if k < 0 {
			return len(src) // cannot happen in an Encoder's output
		}
		j += k
		n := 0 // backslashes before the quote
		for n < j-i-1 && src[j-1-n] == '\\' {
			n++
		}
		j++
		if n%2 == 0 {
			return j
		}
	}
}
