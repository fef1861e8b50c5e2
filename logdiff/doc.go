// Package logdiff finds what changed between passing and failing runs of a CI job.
//
// It reads logs line by line (Scan), turns each line into a comparison key
// (Normalizer), compares the keys of one or more passing runs (baselines) with
// those of the failing run as multisets, places the differences with an
// anchored alignment (Diff), ranks them so that the likely cause comes first,
// and renders the result (Report).
//
// Findings point at line numbers; the text of the lines is looked up again from
// the inputs when a report is built, so the memory held per line is a hash, not
// the line.
package logdiff
