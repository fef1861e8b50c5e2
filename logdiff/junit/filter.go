package junit

import (
	"bytes"
	"errors"
	"io"

	"github.com/logdiff/logdiff/internal/sanitize"
)

// The filter stands between the input and encoding/xml. It cleans what
// XML forbids (clean.go), and it cuts the text of every element to a
// little more than Parse can keep of it: a Kubernetes e2e report is tens
// of MB of <system-err> timelines of which Parse keeps a few KB per case,
// and encoding/xml reads text at about 20 MB/s, where skipping it to the
// next '<' runs at memory speed. Where text was cut it leaves cutMark,
// which the parser turns into Case.TextCut. It follows the markup as far
// as that takes: tags and their quoted values, comments (dropped),
// CDATA, processing instructions, a DOCTYPE (dropped). Malformed markup
// goes through to the decoder, which says what is wrong.

type lexState uint8

const (
	lexText    lexState = iota
	lexTag              // in <name ...> or </name>, outside quotes
	lexQuote            // in an attribute value
	lexComment          // <!-- ... -->, dropped
	lexCDATA            // <![CDATA[ ... ]]>
	lexPI               // <? ... ?>
	lexDecl             // <!DOCTYPE ...>, dropped
)

const (
	otherTextLimit = 256 // text of elements Parse does not read: white space, mostly
	limitSlack     = 8   // past Parse's bound, so that the bounded writer sees it full
)

type filter struct {
	r   io.Reader
	in  []byte // read, not yet filtered: an unfinished construct at the end
	out []byte // filtered
	pos int    // of out, returned so far
	eof bool
	err error

	esc      sanitize.Escape
	st       lexState
	quote    byte
	endTag   bool   // the tag being read is </name>
	slash    bool   // the tag's last byte so far is '/': <name/>
	name     []byte // the start tag's name, first bytes
	naming   bool   // still reading it
	brackets int    // in a DOCTYPE's internal subset

	textLimit, outLimit int  // bytes of text kept in <failure> and kin, in <system-out> and kin
	limit, kept         int  // of the current element's text
	started, cut        bool // the text has begun (past leading blanks); was cut
}

func newFilter(r io.Reader, opts Options) *filter {
	o := opts.withDefaults()
	return &filter{
		r: r, in: make([]byte, 0, 64<<10),
		textLimit: o.TextBytes + limitSlack, outLimit: o.OutputBytes + limitSlack,
		limit: otherTextLimit,
	}
}

func (f *filter) Read(p []byte) (int, error) {
	for f.pos == len(f.out) {
		if f.eof {
			return 0, f.err
		}
		if len(f.in) == cap(f.in) {
			// Cannot happen: what is carried to the next read is at most
			// a character reference's length.
			return 0, errors.New("junit: input filter stalled")
		}
		n, err := f.r.Read(f.in[len(f.in):cap(f.in)])
		f.in = f.in[:len(f.in)+n]
		if err != nil {
			f.eof, f.err = true, err
		}
		var used int
		f.out, used = f.lex(f.out[:0], f.in, f.eof)
		f.pos = 0
		f.in = f.in[:copy(f.in, f.in[used:])]
	}
	n := copy(p, f.out[f.pos:])
	f.pos += n
	return n, nil
}

// lex appends src, filtered, to dst and returns how much of src it used:
// all of it when eof, else up to an unfinished construct.
func (f *filter) lex(dst, src []byte, eof bool) ([]byte, int) {
	i := 0
	for i < len(src) {
		switch f.st {
		case lexText:
			end := len(src)
			if j := bytes.IndexByte(src[i:], '<'); j >= 0 {
				end = i + j
			}
			var used int
			dst, used = f.text(dst, src[i:end], end < len(src) || eof, false)
			if i += used; i < end || end == len(src) {
				return dst, i
			}
			var ok bool
			if dst, i, ok = f.open(dst, src, i, eof); !ok {
				return dst, i
			}
		case lexTag:
			end := len(src)
			if j := bytes.IndexAny(src[i:], `>"'`); j >= 0 {
				end = i + j
			}
			seg := src[i:end]
			var used int
			dst, used = f.clean(dst, seg, end < len(src) || eof, false, len(seg))
			f.readName(seg[:used])
			if i += used; i < end || end == len(src) {
				return dst, i
			}
			switch b := src[i]; b {
			case '>':
				dst = append(dst, '>')
				f.startText()
			default:
				dst = append(dst, b)
				f.quote, f.st, f.naming = b, lexQuote, false
			}
			i++
		case lexQuote:
			end := len(src)
			if j := bytes.IndexByte(src[i:], f.quote); j >= 0 {
				end = i + j
			}
			var used int
			dst, used = f.clean(dst, src[i:end], end < len(src) || eof, false, end-i)
			if i += used; i < end || end == len(src) {
				return dst, i
			}
			dst = append(dst, f.quote)
			f.st, f.slash = lexTag, false
			i++
		case lexComment:
			j := bytes.Index(src[i:], []byte("-->"))
			if j < 0 {
				return dst, holdBack(src, i, 2, eof)
			}
			i += j + 3
			f.st = lexText
		case lexCDATA:
			j := bytes.Index(src[i:], []byte("]]>"))
			end := i + j
			if j < 0 {
				end = holdBack(src, i, 2, eof)
			}
			var used int
			dst, used = f.text(dst, src[i:end], j >= 0 || eof, true)
			if i += used; j < 0 || i < end {
				return dst, i
			}
			dst = append(dst, "]]>"...)
			i += 3
			f.st = lexText
		case lexPI:
			j := bytes.Index(src[i:], []byte("?>"))
			end := i + j
			if j < 0 {
				end = holdBack(src, i, 1, eof)
			}
			var used int
			dst, used = f.clean(dst, src[i:end], j >= 0 || eof, false, end-i)
			if i += used; j < 0 || i < end {
				return dst, i
			}
			dst = append(dst, "?>"...)
			i += 2
			f.st = lexText
		case lexDecl:
			for ; i < len(src) && f.st == lexDecl; i++ {
				switch src[i] {
				case '[':
					f.brackets++
				case ']':
					f.brackets--
				case '>':
					if f.brackets <= 0 {
						f.st = lexText
					}
				}
			}
		}
	}
	return dst, i
}

// holdBack is how far src may be used from i when the last n bytes could
// begin an end marker ("-->", "]]>", "?>") that the next read completes.
func holdBack(src []byte, i, n int, eof bool) int {
	if eof {
		return len(src)
	}
	return max(i, len(src)-n)
}

// open reads the markup that src[i] ('<') opens, as far as telling which
// it is; ok is false when src ends too soon to tell.
func (f *filter) open(dst, src []byte, i int, eof bool) (_ []byte, _ int, ok bool) {
	rest := src[i:]
	f.esc.End()
	if !eof && (len(rest) < 2 || len(rest) < 9 && (isPrefix(rest, "<!--") || isPrefix(rest, "<![CDATA["))) {
		return dst, i, false
	}
	switch {
	case bytes.HasPrefix(rest, []byte("<!--")):
		f.st = lexComment
		return dst, i + 4, true
	case bytes.HasPrefix(rest, []byte("<![CDATA[")):
		f.st = lexCDATA
		return append(dst, "<![CDATA["...), i + 9, true
	case bytes.HasPrefix(rest, []byte("<!")):
		f.st, f.brackets = lexDecl, 0
		return dst, i + 2, true
	case bytes.HasPrefix(rest, []byte("<?")):
		f.st = lexPI
		return append(dst, "<?"...), i + 2, true
	case bytes.HasPrefix(rest, []byte("</")):
		f.st, f.endTag, f.slash, f.naming = lexTag, true, false, false
		return append(dst, "</"...), i + 2, true
	}
	f.st, f.endTag, f.slash, f.naming = lexTag, false, false, true
	f.name = f.name[:0]
	return append(dst, '<'), i + 1, true
}

// isPrefix reports whether b is a beginning of marker.
func isPrefix(b []byte, marker string) bool {
	return len(b) <= len(marker) && string(b) == marker[:len(b)]
}

// readName follows a tag's bytes outside quotes: the name, and whether
// the last byte that is not white space is '/'.
func (f *filter) readName(seg []byte) {
	for _, b := range seg {
		if f.naming {
			if b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '/' {
				f.naming = false
			} else if len(f.name) < 32 {
				f.name = append(f.name, b)
			}
		}
		if b != ' ' && b != '\t' && b != '\n' && b != '\r' {
			f.slash = b == '/'
		}
	}
}

// startText sets the bound of the text that follows a tag: the text of
// the elements Parse keeps texts of, else a little.
func (f *filter) startText() {
	f.st = lexText
	f.limit, f.kept, f.started, f.cut = otherTextLimit, 0, false, false
	if f.endTag || f.slash {
		return
	}
	name := f.name
	if i := bytes.IndexByte(name, ':'); i >= 0 {
		name = name[i+1:] // a namespace prefix
	}
	switch string(name) {
	case "failure", "error", "skipped":
		f.limit = f.textLimit
	case "system-out", "system-err":
		f.limit = f.outLimit
	}
}

// text appends the cleaned text seg to dst while the element's bound
// allows, and drops the rest, leaving cutMark once if it held more than
// white space. It returns how much of seg it used (see clean).
func (f *filter) text(dst, seg []byte, final, cdata bool) ([]byte, int) {
	i := 0
	if !f.started {
		// Leading white space is not counted: the writer drops blank
		// lines before the text.
		for i < len(seg) && (seg[i] == ' ' || seg[i] == '\t' || seg[i] == '\n' || seg[i] == '\r') {
			i++
		}
		dst = append(dst, seg[:i]...)
		if i == len(seg) {
			return dst, i
		}
		f.started = true
	}
	if f.kept < f.limit {
		// Keep up to the bound (a rune or reference across it whole).
		var used int
		dst, used = f.clean(dst, seg[i:], final, cdata, f.limit-f.kept)
		f.kept += used
		if i += used; f.kept < f.limit {
			return dst, i
		}
	}
	// Past the bound: the rest goes.
	if !f.cut && hasText(seg[i:]) {
		dst = append(dst, cutMark...)
		f.cut = true
	}
	return dst, len(seg)
}
