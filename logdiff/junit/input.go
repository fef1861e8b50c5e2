package junit

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/logdiff/logdiff/internal/sniff"
)

// input prepares r for the decoder: gzip is undone (by its magic bytes),
// a byte order mark is dropped, a Latin-1 document (by its declaration)
// is converted to UTF-8, and the filter cleans and cuts what is left.
func input(r io.Reader, opts Options) (io.Reader, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	if magic, _ := br.Peek(2); sniff.Gzip(magic) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("gzip: %w", err)
		}
		br = bufio.NewReaderSize(gzipErrors{zr}, 64<<10)
	}
	head, _ := br.Peek(512)
	switch {
	case bytes.HasPrefix(head, []byte("\xef\xbb\xbf")):
		br.Discard(3)
		head = head[3:]
	case bytes.HasPrefix(head, []byte("\xfe\xff")), bytes.HasPrefix(head, []byte("\xff\xfe")):
		return nil, fmt.Errorf("UTF-16 is not supported: convert the file to UTF-8")
	}
	var src io.Reader = br
	switch enc := declaredEncoding(head); {
	case isUTF8Label(enc):
	case isLatin1Label(enc):
		src = &latin1Reader{r: br}
	default:
		return nil, fmt.Errorf("encoding %q is not supported (UTF-8 and ISO-8859-1 are)", enc)
	}
	return newFilter(src, opts), nil
}

// gzipErrors says that an error came from decompressing: a truncated
// gzip stream is an unexpected EOF, which would otherwise read like a
// truncated document.
type gzipErrors struct{ r io.Reader }

func (g gzipErrors) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	if err != nil && err != io.EOF {
		err = fmt.Errorf("gzip: %w", err)
	}
	return n, err
}

// declaredEncoding is the encoding named by the XML declaration at the
// start of head, lower case; "" when there is none.
func declaredEncoding(head []byte) string {
	if !bytes.HasPrefix(head, []byte("<?xml")) {
		return ""
	}
	end := bytes.Index(head, []byte("?>"))
	if end < 0 {
		return ""
	}
	decl := head[:end]
	i := bytes.Index(decl, []byte("encoding"))
	if i < 0 {
		return ""
	}
	rest := bytes.TrimLeft(decl[i+len("encoding"):], " \t\r\n")
	if len(rest) == 0 || rest[0] != '=' {
		return ""
	}
	rest = bytes.TrimLeft(rest[1:], " \t\r\n")
	if len(rest) == 0 || (rest[0] != '"' && rest[0] != '\'') {
		return ""
	}
	q := rest[0]
	rest = rest[1:]
	j := bytes.IndexByte(rest, q)
	if j < 0 {
		return ""
	}
	return strings.ToLower(string(rest[:j]))
}

func isUTF8Label(enc string) bool {
	switch enc {
	case "", "utf-8", "utf8", "us-ascii", "ascii":
		return true
	}
	return false
}

// isLatin1Label: Windows-1252 differs from Latin-1 only in 0x80-0x9F,
// printable characters there that are rare in test output; reading it as
// Latin-1 beats refusing it.
func isLatin1Label(enc string) bool {
	switch enc {
	case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "windows-1252", "cp1252":
		return true
	}
	return false
}

// charsetReader is the decoder's CharsetReader: input has converted the
// document already, so every label input accepts is read as it is.
func charsetReader(label string, r io.Reader) (io.Reader, error) {
	label = strings.ToLower(label)
	if isUTF8Label(label) || isLatin1Label(label) {
		return r, nil
	}
	return nil, fmt.Errorf("encoding %q is not supported", label)
}

// latin1Reader converts ISO-8859-1 to UTF-8.
type latin1Reader struct {
	r   io.Reader
	buf []byte
	out []byte
}

func (l *latin1Reader) Read(p []byte) (int, error) {
	for len(l.out) == 0 {
		if l.buf == nil {
			l.buf = make([]byte, 16<<10)
		}
		n, err := l.r.Read(l.buf)
		l.out = l.out[:0]
		for _, b := range l.buf[:n] {
			l.out = utf8.AppendRune(l.out, rune(b))
		}
		if n == 0 && err != nil {
			return 0, err
		}
	}
	n := copy(p, l.out)
	l.out = l.out[n:]
	return n, nil
}
