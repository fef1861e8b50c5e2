// Package report writes logdiff's results where people and tools read
// them: every format of a comparison (text, JSON, Markdown, HTML, JUnit)
// and of a sweep's summary, looked up by name in one registry (Formats),
// with one sanitizer for log text and one set of link builders.
package report
