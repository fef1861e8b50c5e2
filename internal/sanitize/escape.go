package sanitize

// The one parser of terminal escape sequences (ECMA-48): the reader of
// logs drops them as a terminal would, whole lines at a time
// (SkipEscape); the JUnit filter drops them from a stream, a byte at a
// time across reads (Escape), stopping at XML markup. Both see the same
// sequences:
//
//   - CSI: ESC '[' (or the 8-bit CSI, a raw byte 0x9B), parameter bytes
//     0x30–0x3F, intermediate bytes 0x20–0x2F, a final byte 0x40–0x7E;
//   - control strings: ESC ']' (OSC), 'P' (DCS), '_' (APC), '^' (PM),
//     anything up to BEL or the string terminator ESC '\';
//   - other escapes: ESC, intermediate bytes, a final byte 0x30–0x7E.
//
// A byte that cannot continue a sequence ends it and is not part of it,
// so that a stray ESC drops itself and no text after it; an ESC inside a
// control string ends the string and starts a sequence (ESC '\' is one).

// ESC and CSI are the bytes that start a sequence. CSI, a C1 control, is
// one only as a raw byte, not as part of a valid UTF-8 sequence (where
// 0x9B is a continuation byte): the caller tells the two apart.
const (
	ESC = 0x1b
	CSI = 0x9b
)

// Escape follows one escape sequence byte by byte. The zero value is
// outside any sequence.
type Escape struct {
	state escState
	final byte // a CSI's final byte, once it has ended
	param int  // a CSI's first numeric parameter
	first bool // still in the CSI's first parameter
}

type escState uint8

const (
	escNone   escState = iota
	escStart           // after ESC
	escInter           // after ESC and intermediate bytes
	escParams          // in a CSI's parameter bytes
	escCSI             // in a CSI's intermediate bytes
	escString          // in a control string, up to BEL or ESC '\'
)

// maxParam caps a numeric parameter, which no terminal reads beyond.
const maxParam = 1 << 16

// Start begins a sequence at b, ESC or (when it is a raw byte) CSI.
func (e *Escape) Start(b byte) {
	*e = Escape{state: escStart}
	if b == CSI {
		e.state, e.first = escParams, true
	}
}

// Active reports whether a sequence has begun and not ended.
func (e *Escape) Active() bool { return e.state != escNone }

// Final returns the final byte of the CSI that ended last (0 after any
// other sequence) and its first numeric parameter (0 when it has none).
func (e *Escape) Final() (final byte, param int) { return e.final, e.param }

// End ends the sequence where it is (the caller's input ends, or it will
// not let the sequence take the next byte).
func (e *Escape) End() { e.state = escNone }

// Step passes the next byte of an active sequence and reports whether b is
// part of it; when it is not, the sequence has ended before b, which is
// text. Active tells whether the sequence goes on after b.
func (e *Escape) Step(b byte) bool {
	switch e.state {
	case escStart:
		switch {
		case b == '[':
			e.state, e.first = escParams, true
		case b == ']', b == 'P', b == '_', b == '^':
			e.state = escString
		case b >= 0x20 && b <= 0x2f:
			e.state = escInter
		case b >= 0x30 && b <= 0x7e:
			e.state = escNone
		default:
			e.state = escNone
			return false
		}
		return true
	case escInter:
		switch {
		case b >= 0x20 && b <= 0x2f:
		case b >= 0x30 && b <= 0x7e:
			e.state = escNone
		default:
			e.state = escNone
			return false
		}
		return true
	case escParams:
		if b >= 0x30 && b <= 0x3f {
			if e.first && b >= '0' && b <= '9' {
				e.param = min(e.param*10+int(b-'0'), maxParam)
			} else {
				e.first = false
			}
			return true
		}
		fallthrough
	case escCSI:
		switch {
		case b >= 0x20 && b <= 0x2f:
			e.state = escCSI
		case b >= 0x40 && b <= 0x7e:
			e.state, e.final = escNone, b
		default:
			e.state = escNone
			return false
		}
		return true
	case escString:
		switch b {
		case 0x07:
			e.state = escNone
		case ESC:
			e.state = escStart
		}
		return true
	}
	return false
}

// SkipEscape returns the index after the escape sequence that starts at
// line[i] (an ESC, or a raw CSI byte), the final byte of a CSI sequence (0
// otherwise) and its first numeric parameter. A sequence the line ends in
// ends there.
func SkipEscape(line []byte, i int) (next int, final byte, param int) {
	var e Escape
	e.Start(line[i])
	for i++; i < len(line) && e.Active(); i++ {
		if !e.Step(line[i]) {
			return i, 0, 0
		}
	}
	if e.Active() {
		return i, 0, 0
	}
	final, param = e.Final()
	return i, final, param
}
