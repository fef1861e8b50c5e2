// Package regressions groups the comparisons of many jobs into
// regressions: jobs whose top findings share a cause. A sweep keeps one
// Record per job; Summarize groups them into a Summary, which the report
// package writes in every format.
package regressions
