// Package iox holds the pieces every fetch backend shares: errors that answer
// errors.Is(err, fs.ErrNotExist) and fs.ErrPermission, readers that refuse
// truncated or oversized content, and a transport that gives up on a stalled
// request.
package iox

import (
	"fmt"
	"io/fs"
)

// NotFound reports that the object at URL does not exist. Cause, when set,
// is kept for %+v and errors.As but not repeated in the message.
func NotFound(url string, cause error) error {
	return &statusError{url: url, what: "not found", target: fs.ErrNotExist, cause: cause}
}

// Denied reports that reading the object at URL was refused; detail says how
// (for example "HTTP 403").
func Denied(url, detail string, cause error) error {
	what := "permission denied"
	if detail != "" {
		what += " (" + detail + ")"
	}
	return &statusError{url: url, what: what, target: fs.ErrPermission, cause: cause}
}

type statusError struct {
	url, what string
	target    error
	cause     error
}

func (e *statusError) Error() string { return fmt.Sprintf("%s: %s", e.url, e.what) }

// Is makes errors.Is(err, fs.ErrNotExist) (or fs.ErrPermission) true
// whatever the backend.
func (e *statusError) Is(target error) bool { return target == e.target }

func (e *statusError) Unwrap() error { return e.cause }
