package report

import (
	"fmt"
	"strings"

	"github.com/logdiff/logdiff/logdiff"
)

// shortSHA is a commit's first 12 characters, as git and Prow show it.
func shortSHA(s string) string {
	if len(s) > 12 {
		return s[:12]
	}
	return s
}

// commitSpan says what a repository tested in each run: "master
// 7955f7263265 → 2a0990155ec1", or one side when the other is unknown.
func commitSpan(c logdiff.CommitRange) string {
	side := func(ref, sha string) string {
		return strings.TrimSpace(ref + " " + shortSHA(sha))
	}
	if c.BaselineRef != "" && c.BaselineRef == c.FailingRef && c.BaselineSHA != "" && c.FailingSHA != "" && c.BaselineSHA != c.FailingSHA {
		return c.FailingRef + " " + shortSHA(c.BaselineSHA) + " → " + shortSHA(c.FailingSHA)
	}
	p, f := side(c.BaselineRef, c.BaselineSHA), side(c.FailingRef, c.FailingSHA)
	switch {
	case p == f:
		return f + " in both"
	case p == "":
		return "→ " + f
	case f == "":
		return p + " →"
	}
	return p + " → " + f
}

// commitText is the text report's block of commits: one line per
// repository with its compare link, one per pull request.
func commitText(r *logdiff.Report) []string {
	var out []string
	for _, c := range r.Commits {
		line := fmt.Sprintf("commits: %s %s", c.Repo, commitSpan(c))
		if c.CompareURL != "" {
			line += " " + c.CompareURL
		}
		out = append(out, line)
		for _, p := range c.Pulls {
			pl := fmt.Sprintf("         pull #%d at %s", p.Number, shortSHA(p.SHA))
			if p.URL != "" {
				pl += " " + p.URL
			}
			if p.CompareURL != "" {
				pl += " (changes: " + p.CompareURL + ")"
			}
			out = append(out, pl)
		}
	}
	return out
}
