package evaldata

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// PlainDiffTool names what PlainDiff runs: GNU diff when a diff command is
// on the PATH, else go-diff's line mode (an LCS diff as well, on other
// heuristics, so its counts can differ a little).
func PlainDiffTool() string {
	if _, err := exec.LookPath("diff"); err == nil {
		return "GNU diff (normal format, -a)"
	}
	return "go-diff line mode"
}

// PlainDiff compares the raw texts of a baseline and a failing log as plain
// diff does, and returns its hunks in file order as findings, each with its
// baseline lines ("<") first, then its failing lines (">"). Line numbers
// count \n-terminated lines, as logdiff's do.
func PlainDiff(baseline, failing string) ([]Finding, error) {
	if path, err := exec.LookPath("diff"); err == nil {
		return gnuDiff(path, baseline, failing)
	}
	return goDiff(baseline, failing)
}

func gnuDiff(path, baseline, failing string) ([]Finding, error) {
	cmd := exec.Command(path, "-a", baseline, failing)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var exit *exec.ExitError
	if err != nil && !(errors.As(err, &exit) && exit.ExitCode() == 1) {
		return nil, fmt.Errorf("diff %s %s: %w: %s", baseline, failing, err, strings.TrimSpace(stderr.String()))
	}
	fs, err := ParseNormalDiff(out)
	if err != nil {
		return nil, fmt.Errorf("diff %s %s: %w", baseline, failing, err)
	}
	return fs, nil
}

// ParseNormalDiff reads diff's normal output format ("5,7c5,6", "< old",
// "---", "> new") into one finding per hunk.
func ParseNormalDiff(out []byte) ([]Finding, error) {
	var fs []Finding
	var cur *Finding
	var nb, nf int // next baseline and failing line numbers of the hunk
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<30)
	for ln := 1; sc.Scan(); ln++ {
		s := sc.Text()
		switch {
		case strings.HasPrefix(s, "< "), s == "<":
			if cur == nil {
				return nil, fmt.Errorf("output line %d: a deleted line outside a hunk", ln)
			}
			cur.Lines = append(cur.Lines, Line{Baseline: true, N: nb, Text: strings.TrimPrefix(strings.TrimPrefix(s, "<"), " ")})
			nb++
		case strings.HasPrefix(s, "> "), s == ">":
			if cur == nil {
				return nil, fmt.Errorf("output line %d: an added line outside a hunk", ln)
			}
			cur.Lines = append(cur.Lines, Line{N: nf, Text: strings.TrimPrefix(strings.TrimPrefix(s, ">"), " ")})
			nf++
		case s == "---", strings.HasPrefix(s, `\ `):
		default:
			b, f, kind, err := parseHunkHeader(s)
			if err != nil {
				return nil, fmt.Errorf("output line %d: %w", ln, err)
			}
			fs = append(fs, Finding{Kind: kind, Summary: s})
			cur = &fs[len(fs)-1]
			nb, nf = b, f
		}
	}
	return fs, sc.Err()
}

// parseHunkHeader reads "5,7c5,6", "8a9,10" or "3d2" and returns the first
// baseline and failing line numbers the hunk's lines carry.
func parseHunkHeader(s string) (b, f int, kind string, err error) {
	i := strings.IndexAny(s, "acd")
	if i <= 0 || i == len(s)-1 {
		return 0, 0, "", fmt.Errorf("not a hunk header: %q", s)
	}
	first := func(r string) (int, error) {
		lo, _, _ := strings.Cut(r, ",")
		return strconv.Atoi(lo)
	}
	if b, err = first(s[:i]); err != nil {
		return 0, 0, "", fmt.Errorf("not a hunk header: %q", s)
	}
	if f, err = first(s[i+1:]); err != nil {
		return 0, 0, "", fmt.Errorf("not a hunk header: %q", s)
	}
	// In "8a9,10" the 8 is the baseline line after which the lines go; in
	// "3d2" the 2 is the failing line after which they went: neither
	// numbers a shown line, so the other side's number is what counts.
	return b, f, map[byte]string{'a': "added", 'c': "changed", 'd': "deleted"}[s[i]], nil
}

func goDiff(baseline, failing string) ([]Finding, error) {
	a, err := readLines(baseline)
	if err != nil {
		return nil, err
	}
	b, err := readLines(failing)
	if err != nil {
		return nil, err
	}
	// One rune per distinct line, skipping the surrogate range, which is
	// not a valid rune.
	ids := map[string]rune{}
	toRunes := func(lines []string) ([]rune, error) {
		out := make([]rune, len(lines))
		for i, l := range lines {
			r, ok := ids[l]
			if !ok {
				r = rune(len(ids))
				if r >= 0xD800 {
					r += 0x800
				}
				if r > 0x10FFFF {
					return nil, fmt.Errorf("more than a million distinct lines")
				}
				ids[l] = r
			}
			out[i] = r
		}
		return out, nil
	}
	ra, err := toRunes(a)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", baseline, err)
	}
	rb, err := toRunes(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", failing, err)
	}
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0 // its default gives up after a second and reports everything as changed
	var fs []Finding
	var base, fail []Line
	flush := func() {
		if len(base)+len(fail) > 0 {
			fs = append(fs, Finding{Kind: "changed", Lines: append(base, fail...)})
		}
		base, fail = nil, nil
	}
	i, j := 0, 0
	for _, d := range dmp.DiffMainRunes(ra, rb, false) {
		n := utf8.RuneCountInString(d.Text)
		switch d.Type {
		case diffmatchpatch.DiffEqual:
			flush()
			i += n
			j += n
		case diffmatchpatch.DiffDelete:
			for k := 0; k < n; k++ {
				base = append(base, Line{Baseline: true, N: i + k + 1, Text: a[i+k]})
			}
			i += n
		case diffmatchpatch.DiffInsert:
			for k := 0; k < n; k++ {
				fail = append(fail, Line{N: j + k + 1, Text: b[j+k]})
			}
			j += n
		}
	}
	flush()
	return fs, nil
}

// readLines splits a file into its \n-terminated lines, without the \n.
func readLines(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	s := strings.TrimSuffix(string(data), "\n")
	if s == "" {
		return nil, nil
	}
	return strings.Split(s, "\n"), nil
}
