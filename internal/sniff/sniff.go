// Package sniff tells from an input's first bytes what it holds: gzip
// (by its magic bytes), binary (a NUL byte in its head). The engine, the
// JUnit reader and the CLI's copy of standard input ask it, so that they
// agree on what they refuse.
package sniff

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"io"
)

// Len is how much of an input's text (gzip undone) decides whether it
// looks binary; git looks at as much.
const Len = 8000

// Gzip reports whether head starts with gzip's magic bytes.
func Gzip(head []byte) bool {
	return len(head) >= 2 && head[0] == 0x1f && head[1] == 0x8b
}

// Binary reports whether the text that head starts looks binary: a NUL
// byte in its first Len bytes.
func Binary(head []byte) bool {
	return bytes.IndexByte(head[:min(len(head), Len)], 0) >= 0
}

// Head returns the first Len bytes of the text br holds, gzip undone,
// without consuming any: for an input that is read once, the head must be
// looked at before it is copied. It waits for as much as br's buffer holds
// (or the end of the input). A gzip stream whose header is bad gives no
// head (the reader of the whole input says what is wrong with it); one
// whose buffered part ends mid-stream gives what it inflates to.
func Head(br *bufio.Reader) ([]byte, error) {
	head, err := br.Peek(br.Size())
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	if !Gzip(head) {
		return head[:min(len(head), Len)], nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(head))
	if err != nil {
		return nil, nil
	}
	out := make([]byte, Len)
	n, _ := io.ReadFull(zr, out) // the head may end mid-stream
	return out[:n], nil
}
