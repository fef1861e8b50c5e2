// Package report renders a logdiff.Report where people read it: Markdown for a pull-request comment, one self-contained HTML file, and JUnit XML for Prow and TestGrid.
package report

//go:generate go test -run TestScreenshot -screenshot .
