package report

import (
	"fmt"
	"time"
)

// Options control every format. The zero value is ready to use.
type Options struct {
	// Color colours the text report (the caller decides: a terminal,
	// NO_COLOR, --color).
	Color bool
	// All shows every finding and every line of each in the text report.
	All bool
	// Width cuts the lines of the text report to this many columns (a
	// terminal's width), marking the cut; 0 leaves them whole.
	Width int
	// ShowAll names, for the text report's notes on what it left out, how
	// the reader asks for everything (the CLI's "--all"); "" leaves the
	// notes without it. The reports name no flag of their own.
	ShowAll string
	// Now stamps the report; nil means time.Now. Tests inject a fixed clock
	// so that the output is the same on every run.
	Now func() time.Time
	// Top is how many findings are shown in full; the rest are listed
	// (Markdown, JUnit) or folded (HTML). 0 means 10 for Markdown and JUnit
	// and 100 for HTML.
	Top int
	// MaxLines is how many lines of one finding are shown before the rest is
	// folded away. 0 means 12.
	MaxLines int
	// MaxChars bounds the Markdown output. It is counted as GitHub's web form
	// would count it: UTF-16 code units (never fewer than characters), a
	// newline as two (the form sends CRLF). 0 means 65,536, GitHub's limit
	// for a comment or an issue body; less than 4,096 counts as 4,096.
	MaxChars int
	// Links addresses a line of a run's log; nil means ProwLinks(1), the
	// line anchors of prow.k8s.io.
	Links Links
}

const (
	defaultTop      = 10
	defaultTopHTML  = 100
	defaultMaxLines = 12
	githubLimit     = 65536 // the longest comment or issue body GitHub accepts
)

func (o Options) now() time.Time {
	if o.Now != nil {
		return o.Now().UTC()
	}
	return time.Now().UTC()
}

func (o Options) top(def int) int {
	if o.Top > 0 {
		return o.Top
	}
	return def
}

func (o Options) maxLines() int {
	if o.MaxLines > 0 {
		return o.MaxLines
	}
	return defaultMaxLines
}

func (o Options) links() Links {
	if o.Links != nil {
		return o.Links
	}
	return ProwLinks(1)
}

// hint fills format (holding one %s) with ShowAll, or is "" without it.
func (o Options) hint(format string) string {
	if o.ShowAll == "" {
		return ""
	}
	return fmt.Sprintf(format, o.ShowAll)
}

// cutToWidth cuts s so that a line of indent columns and s fits Width;
// never below 20 columns of s.
func (o Options) cutToWidth(s string, indent int) string {
	if o.Width <= 0 {
		return s
	}
	return cutColumns(s, max(20, o.Width-indent))
}

func errNoReport(format string) error {
	return fmt.Errorf("writing the %s report: no report", format)
}

// stamp is the time format of every report: UTC, to the second.
const stamp = "2006-01-02 15:04:05 UTC"
