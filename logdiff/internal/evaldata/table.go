package evaldata

import (
	"fmt"
	"math"
	"strings"
	"unicode/utf8"
)

// Table is a plain-text table: the first column left-aligned, the others
// right-aligned.
type Table struct {
	Header []string
	Rows   [][]string
}

// Add appends a row.
func (t *Table) Add(cells ...string) { t.Rows = append(t.Rows, cells) }

func (t *Table) String() string {
	rows := append([][]string{t.Header}, t.Rows...)
	var width []int
	for _, r := range rows {
		for i, c := range r {
			if i >= len(width) {
				width = append(width, 0)
			}
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	var sb strings.Builder
	for _, r := range rows {
		for i, c := range r {
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(c))
			switch {
			case i == 0:
				sb.WriteString(c + pad)
			default:
				sb.WriteString("  " + pad + c)
			}
		}
		sb.WriteString("\n")
	}
	return sb.String()
}

// Num formats a figure with prec decimals: "n/a" for NaN, "∞" for +Inf.
func Num(v float64, prec int) string {
	switch {
	case math.IsNaN(v):
		return "n/a"
	case math.IsInf(v, 1):
		return "∞"
	}
	return fmt.Sprintf("%.*f", prec, v)
}

// Med formats a median or a count: no decimals when it is whole, one when
// it is halfway.
func Med(v float64) string {
	if v == math.Trunc(v) {
		return Num(v, 0)
	}
	return Num(v, 1)
}

// Target is a goal for a figure, met when Min <= v <= Max.
type Target struct {
	Min, Max float64
	Text     string // how it reads, e.g. "≥ 0.90"
}

// AtLeast and AtMost build targets.
func AtLeast(v float64, text string) Target { return Target{Min: v, Max: math.Inf(1), Text: text} }
func AtMost(v float64, text string) Target  { return Target{Min: math.Inf(-1), Max: v, Text: text} }

// Mark is "✓" when v meets the target, "✗" when not, "" when v is not a
// number or there is no target.
func (t Target) Mark(v float64) string {
	if t.Text == "" || math.IsNaN(v) {
		return ""
	}
	if v >= t.Min && v <= t.Max {
		return "✓"
	}
	return "✗"
}
