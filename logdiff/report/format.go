package report

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/logdiff/logdiff/logdiff"
	"github.com/logdiff/logdiff/logdiff/regressions"
)

// Format is one way of writing logdiff's results: the name -o takes, the
// extension of a file that holds it, and its writer. Every command that
// writes a report or a summary looks formats up here, so they all accept
// the same names and list them in the same words.
type Format struct {
	Name string
	Ext  string // ".md"
	// Attach is the file name logdiff attach writes it to, "" for none.
	Attach string
	// Report writes a comparison.
	Report func(w io.Writer, r *logdiff.Report, o Options) error
	// Summary writes a sweep's summary.
	Summary func(w io.Writer, s *regressions.Summary, o Options) error
}

var formats = []Format{
	{Name: "text", Ext: ".txt", Report: Text, Summary: SummaryText},
	{Name: "json", Ext: ".json", Attach: "logdiff.json", Report: JSON, Summary: SummaryJSON},
	{Name: "markdown", Ext: ".md", Attach: "logdiff.md", Report: Markdown, Summary: SummaryMarkdown},
	{Name: "html", Ext: ".html", Attach: "logdiff.html", Report: HTML, Summary: SummaryHTML},
	// Prow's JUnit lens reads files named junit*.xml.
	{Name: "junit", Ext: ".xml", Attach: "junit_logdiff.xml", Report: JUnit, Summary: SummaryJUnit},
}

// Formats returns every format, in the order help texts list them.
func Formats() []Format { return append([]Format(nil), formats...) }

// Names lists the formats' names for help texts and errors: "text, json,
// markdown, html or junit".
func Names() string {
	names := make([]string, len(formats))
	for i, f := range formats {
		names[i] = f.Name
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// Lookup returns the format called name.
func Lookup(name string) (Format, error) {
	for _, f := range formats {
		if f.Name == name {
			return f, nil
		}
	}
	return Format{}, fmt.Errorf("unknown format %q: want %s", name, Names())
}

// ForFile returns the format a file name's extension says.
func ForFile(name string) (Format, error) {
	ext := filepath.Ext(name)
	var exts []string
	for _, f := range formats {
		if strings.EqualFold(f.Ext, ext) {
			return f, nil
		}
		exts = append(exts, f.Ext)
	}
	return Format{}, fmt.Errorf("%s: want a name ending in %s", name, strings.Join(exts, ", "))
}
