package iox

import (
	"errors"
	"fmt"
	"io"
)

// Checked wraps r, the content of the object at url, so that reading it ends
// with an error naming the object when it yields fewer bytes than size (a
// truncated download; size < 0 means unknown) or more than limit (limit <= 0
// means no limit).
func Checked(r io.ReadCloser, url string, size, limit int64) io.ReadCloser {
	return &checked{r: r, url: url, size: size, limit: limit}
}

type checked struct {
	r     io.ReadCloser
	url   string
	size  int64
	limit int64
	n     int64
	err   error
}

func (c *checked) Read(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	if c.limit > 0 && int64(len(p)) > c.limit-c.n+1 {
		// Read at most one byte past the limit: enough to know it was passed.
		p = p[:c.limit-c.n+1]
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	switch {
	case c.limit > 0 && c.n > c.limit:
		c.err = fmt.Errorf("%s: larger than the limit of %d bytes", c.url, c.limit)
		return n - int(c.n-c.limit), c.err
	case err == io.EOF && c.size >= 0 && c.n < c.size:
		c.err = fmt.Errorf("%s: truncated download: got %d of %d bytes", c.url, c.n, c.size)
		return n, c.err
	case err == io.EOF && c.size >= 0 && c.n > c.size:
		c.err = fmt.Errorf("%s: got %d bytes, %d announced", c.url, c.n, c.size)
		return n, c.err
	case err != nil && err != io.EOF:
		if errors.Is(err, io.ErrUnexpectedEOF) {
			c.err = fmt.Errorf("%s: truncated download after %d bytes: %w", c.url, c.n, err)
		} else {
			c.err = fmt.Errorf("reading %s: %w", c.url, err)
		}
		return n, c.err
	}
	return n, err
}

func (c *checked) Close() error { return c.r.Close() }

// ReadAll reads all of r (closing it), failing when it holds more than limit
// bytes; what names the content in that error.
func ReadAll(r io.ReadCloser, what string, limit int64) ([]byte, error) {
	defer r.Close()
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s: larger than the limit of %d bytes", what, limit)
	}
	return b, nil
}
