package fetch

import (
	"path/filepath"
	"strconv"
)

// Kind says which backend reads a Source.
type Kind int

// The kinds of Source.
const (
	KindGCS   Kind = iota + 1 // a Google Cloud Storage bucket
	KindLocal                 // a local file or directory
	KindHTTP                  // a plain http(s) URL of one log
)

func (k Kind) String() string {
	switch k {
	case KindGCS:
		return "gcs"
	case KindLocal:
		return "local"
	case KindHTTP:
		return "http"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Source is the canonical form of anything Detect accepts: where to read
// (Kind with Bucket, Root or URL) and what (Path, File, Line).
type Source struct {
	Kind Kind

	// Bucket is the GCS bucket to read. Renamed is the bucket as the user
	// wrote it when that bucket was retired and its content moved to
	// Bucket (kubernetes-jenkins to kubernetes-ci-logs), so that an error
	// can name both.
	Bucket, Renamed string

	// Root is, for KindLocal, the absolute directory that plays the part
	// of a bucket: Path is relative to it.
	Root string

	// Path is the object name or prefix inside the bucket or Root,
	// slash-separated, without leading or trailing slashes; "" is the root.
	Path string

	// URL is, for KindHTTP, the URL of the log, without a fragment.
	URL string

	// File is a file of the build directory named by the input, relative
	// to Path: by a fragment such as #build-log.txt:123 (or Spyglass's
	// #1:build-log.txt%3A123), or by a path that goes into a build
	// directory (then Path is cut at the build directory). Line is the
	// fragment's line, 0 when none.
	File string
	Line int
}

// String returns the source in a form that Detect maps back to the same
// Source: gs://bucket/path[#file[:line]], an absolute local path (Root, Path
// and File joined), or the URL.
// A renamed bucket is written as the user wrote it.
func (s Source) String() string {
	switch s.Kind {
	case KindGCS:
		b := s.Bucket
		if s.Renamed != "" {
			b = s.Renamed
		}
		out := "gs://" + b
		if s.Path != "" {
			out += "/" + s.Path
		}
		if s.File != "" {
			out += "#" + s.File
			if s.Line > 0 {
				out += ":" + strconv.Itoa(s.Line)
			}
		}
		return out
	case KindLocal:
		return filepath.Join(s.Root, filepath.FromSlash(s.Path), filepath.FromSlash(s.File))
	case KindHTTP:
		return s.URL
	}
	return ""
}
