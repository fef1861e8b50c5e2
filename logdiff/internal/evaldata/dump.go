package evaldata

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"
)

// DumpPair is what a report gave on one pair, for someone studying why
// the cause did or did not come first.
type DumpPair struct {
	Title    string // set, pair, engine, inputs
	Findings []Finding
	Truth    Truth
	Result   Result
	// CauseText holds the failing run's cause lines by number, so the ones
	// the report misses can be shown too.
	CauseText map[int]string
}

// WriteDump writes where the cause ranked, each cause line with the rank
// of the first finding that shows it, and the top findings with their
// lines marked: "*" a cause, "+" useful (context), "-" a baseline line.
func WriteDump(w io.Writer, d DumpPair, top int) error {
	bw := bufio.NewWriter(w)
	r := d.Result
	fmt.Fprintln(bw, d.Title)
	prec := "n/a"
	if r.HasPrecision {
		prec = Num(r.Precision(), 2)
	}
	if r.FirstRank > 0 {
		fmt.Fprintf(bw, "first cause line at finding #%d, after %d lines read; ", r.FirstRank, r.Read)
	} else {
		fmt.Fprint(bw, "no cause line reported; ")
	}
	fmt.Fprintf(bw, "causes found %d of %d; %d findings, %d lines, %d failing lines reported, precision %s\n",
		r.Found, r.Units, r.Findings, r.Lines, r.Reported, prec)
	rankOf := map[int]int{}
	missingRank := make([]int, len(d.Truth.Missing))
	for i, f := range d.Findings {
		for _, l := range f.Lines {
			if !l.Baseline {
				if d.Truth.Cause[l.N] && rankOf[l.N] == 0 {
					rankOf[l.N] = i + 1
				}
				continue
			}
			for k, m := range d.Truth.Missing {
				if missingRank[k] == 0 && m.MatchString(l.Text) {
					missingRank[k] = i + 1
				}
			}
		}
	}
	fmt.Fprintln(bw, "cause lines (rank of the first finding that shows each):")
	var ns []int
	for n := range d.Truth.Cause {
		ns = append(ns, n)
	}
	slices.Sort(ns)
	for _, n := range ns {
		fmt.Fprintf(bw, "  %-5s L%-6d %s\n", rankText(rankOf[n]), n, clip(d.CauseText[n], 160))
	}
	for k, m := range d.Truth.Missing {
		fmt.Fprintf(bw, "  %-5s missing line /%v/\n", rankText(missingRank[k]), m)
	}
	fmt.Fprintf(bw, "top %d findings (* cause, + context, - baseline line):\n", top)
	for i, f := range d.Findings[:min(top, len(d.Findings))] {
		fmt.Fprintf(bw, "#%d %s %.2f %s\n", i+1, f.Kind, f.Score, clip(f.Summary, 160))
		const shown = 12
		for k, l := range f.Lines {
			if k == shown {
				fmt.Fprintf(bw, "     … %d more lines\n", len(f.Lines)-shown)
				break
			}
			mark := " "
			switch {
			case d.Truth.IsCause(l):
				mark = "*"
			case l.Baseline:
				mark = "-"
			case d.Truth.Useful[l.N]:
				mark = "+"
			}
			fmt.Fprintf(bw, "   %sL%-6d %s\n", mark, l.N, clip(l.Text, 160))
		}
	}
	return bw.Flush()
}

func rankText(r int) string {
	if r == 0 {
		return "-"
	}
	return fmt.Sprintf("#%d", r)
}

func clip(s string, n int) string {
	s = strings.ReplaceAll(s, "\t", "    ")
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && s[cut]&0xC0 == 0x80 { // not inside a UTF-8 sequence
		cut--
	}
	return s[:cut] + "…"
}
