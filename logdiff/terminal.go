package logdiff

import (
	"bytes"
	"strconv"
	"unicode/utf8"

	"github.com/logdiff/logdiff/internal/sanitize"
)

// terminal turns one raw line into what a terminal would show: ANSI escape
// sequences are dropped (colour, cursor, window titles), a bare '\r' returns
// to the first column and later text overwrites earlier text (curl and
// pip progress redraws), '\b' steps back, and "erase in line" erases. Only
// lines that hold one of '\r', '\b' or ESC take the slow path. The escape
// sequences are those of sanitize.SkipEscape, started by ESC only: a raw
// byte 0x9B (an 8-bit CSI) is invalid UTF-8, which the reader keeps byte
// for byte (a UTF-8 terminal does not act on it either; output shows it
// as \x9b), and looking for it would cost every line another pass.
type terminal struct {
	cells []int32 // a rune, or -1-b for a byte b that is not valid UTF-8
	out   []byte
	cut   []byte
	cuts  int // lines cut at the limit
}

func (t *terminal) show(line []byte, max, dropped int) []byte {
	line = bytes.TrimSuffix(line, []byte{'\r'})
	out := line
	if bytes.IndexByte(line, '\r') >= 0 || bytes.IndexByte(line, sanitize.ESC) >= 0 || bytes.IndexByte(line, '\b') >= 0 {
		out = t.render(line)
	}
	if len(out) <= max && dropped == 0 {
		return out
	}
	cut := min(max, len(out))
	for k := 0; k < 3 && cut > 0 && cut < len(out) && out[cut]&0xC0 == 0x80; k++ {
		cut-- // do not split a UTF-8 sequence
	}
	dropped += len(out) - cut
	t.cuts++
	t.cut = append(t.cut[:0], out[:cut]...)
	t.cut = append(t.cut, cutMarker...)
	t.cut = strconv.AppendInt(t.cut, int64(dropped), 10)
	t.cut = append(t.cut, " bytes]"...)
	return t.cut
}

func (t *terminal) render(line []byte) []byte {
	cells := t.cells[:0]
	col := 0
	for i := 0; i < len(line); {
		c := line[i]
		switch {
		case c == '\r':
			col = 0
			i++
		case c == '\b':
			if col > 0 {
				col--
			}
			i++
		case c == sanitize.ESC:
			var final byte
			var param int
			i, final, param = sanitize.SkipEscape(line, i)
			switch final {
			case 'K': // erase in line
				switch param {
				case 0:
					if col < len(cells) {
						cells = cells[:col]
					}
				case 1:
					for k := 0; k < col && k < len(cells); k++ {
						cells[k] = ' '
					}
				case 2:
					cells = cells[:0]
				}
			case 'G': // cursor to column
				col = max(param-1, 0)
			}
		default:
			r, size := utf8.DecodeRune(line[i:])
			cell := int32(r)
			if r == utf8.RuneError && size <= 1 {
				cell, size = -1-int32(c), 1
			}
			for len(cells) < col {
				cells = append(cells, ' ')
			}
			if col < len(cells) {
				cells[col] = cell
			} else {
				cells = append(cells, cell)
			}
			col++
			i += size
		}
	}
	out := t.out[:0]
	for _, c := range cells {
		if c < 0 {
			out = append(out, byte(-1-c))
		} else {
			out = utf8.AppendRune(out, rune(c))
		}
	}
	t.cells, t.out = cells, out
	return out
}
