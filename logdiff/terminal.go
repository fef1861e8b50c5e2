package logdiff

import (
	"bytes"
	"strconv"
	"unicode/utf8"
)

// terminal turns one raw line into what a terminal would show: ANSI escape
// sequences are dropped (colour, cursor, window titles), a bare '\r' returns
// to the first column and later text overwrites earlier text (curl and
// pip progress redraws), '\b' steps back, and "erase in line" erases. Only
// lines that hold one of '\r', '\b' or ESC take the slow path.
type terminal struct {
	cells []int32 // a rune, or -1-b for a byte b that is not valid UTF-8
	out   []byte
	cut   []byte
}

func (t *terminal) show(line []byte, max, dropped int) []byte {
	line = bytes.TrimSuffix(line, []byte{'\r'})
	out := line
	if bytes.IndexByte(line, '\r') >= 0 || bytes.IndexByte(line, 0x1b) >= 0 || bytes.IndexByte(line, '\b') >= 0 {
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
		case c == 0x1b:
			var final byte
			var param int
			i, final, param = skipEscape(line, i)
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

// skipEscape returns the index after the escape sequence that starts at
// line[i] (an ESC), the final byte of a CSI sequence (0 otherwise) and its
// first numeric parameter.
func skipEscape(line []byte, i int) (next int, final byte, param int) {
	i++ // ESC
	if i >= len(line) {
		return i, 0, 0
	}
	switch line[i] {
	case '[': // CSI: parameters, intermediates, final byte
		i++
		p := 0
		first := true
		for i < len(line) && line[i] >= 0x30 && line[i] <= 0x3f {
			if first && line[i] >= '0' && line[i] <= '9' {
				p = p*10 + int(line[i]-'0')
				if p > 1<<16 {
					p = 1 << 16
				}
			} else {
				first = false
			}
			i++
		}
		for i < len(line) && line[i] >= 0x20 && line[i] <= 0x2f {
			i++
		}
		if i < len(line) && line[i] >= 0x40 && line[i] <= 0x7e {
			return i + 1, line[i], p
		}
		return i, 0, 0
	case ']', 'P', '_', '^': // OSC, DCS, APC, PM: up to BEL or ESC '\'
		for i++; i < len(line); i++ {
			if line[i] == 0x07 {
				return i + 1, 0, 0
			}
			if line[i] == 0x1b && i+1 < len(line) && line[i+1] == '\\' {
				return i + 2, 0, 0
			}
		}
		return i, 0, 0
	default: // ESC, intermediates, final
		for i < len(line) && line[i] >= 0x20 && line[i] <= 0x2f {
			i++
		}
		if i < len(line) && line[i] >= 0x30 && line[i] <= 0x7e {
			i++
		}
		return i, 0, 0
	}
}
