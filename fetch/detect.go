package fetch

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"
)

// forms is appended to every error of Detect: the user pasted something we
// cannot read, so say what we can.
const forms = `logdiff reads:
  gs://BUCKET/PATH
  https://prow.k8s.io/view/gs/BUCKET/PATH (or /view/gcs/, any Prow host, #build-log.txt:123)
  https://prow.k8s.io/job-history/gs/BUCKET/logs/JOB
  https://gcsweb.k8s.io/gcs/BUCKET/PATH/
  https://storage.googleapis.com/BUCKET/OBJECT (or storage.cloud.google.com)
  https://HOST/PATH/build-log.txt (any plain log URL)
  a local file, or a local directory laid out like a bucket (logs/JOB/BUILD/...)`

// A detector recognises one form of input. ok is false when the input is not
// of its form; err is set when it is, but cannot be read.
type detector func(in string) (src Source, ok bool, err error)

// detectors is the ordered list Detect tries: the first that claims the
// input wins, so specific forms come before general ones.
func detectors() []detector {
	return []detector{detectGS, detectFileURL, detectHTTP, detectOtherScheme, detectLocal}
}

// Detect turns what a user pasted (a URL, a gs:// path, a local path) into
// its canonical Source. Only local paths touch the file system (to tell a
// file from a directory laid out like a bucket); nothing is fetched.
func Detect(in string) (Source, error) {
	s := strings.TrimSpace(in)
	if s == "" {
		return Source{}, fmt.Errorf("empty source\n%s", forms)
	}
	for _, d := range detectors() {
		src, ok, err := d(s)
		if err != nil {
			return Source{}, fmt.Errorf("cannot read %q: %w\n%s", s, err, forms)
		}
		if ok {
			return canonical(src), nil
		}
	}
	return Source{}, fmt.Errorf("cannot read %q\n%s", s, forms)
}

// canonical moves a file below a build directory from Path to File, so
// that gs://b/logs/j/1/build-log.txt and the Prow view of logs/j/1 with
// #build-log.txt agree. A fragment's line is kept when it names that file.
func canonical(src Source) Source {
	if src.Kind != KindGCS && src.Kind != KindLocal {
		return src
	}
	l, ok := parseLayout(src.Path)
	if !ok || l.file == "" || !validFragmentFile(l.file) {
		return src // String could not write it as a fragment
	}
	if src.File != l.file {
		src.Line = 0
	}
	src.Path, src.File = l.dir, l.file
	return src
}

// retiredBuckets maps a retired bucket to the one holding its content now.
func retiredBucket(b string) (string, bool) {
	switch b {
	case "kubernetes-jenkins":
		return "kubernetes-ci-logs", true
	}
	return "", false
}

// gcsSource builds a KindGCS source from a bucket, an object path and an
// escaped fragment.
func gcsSource(bucket, path, fragment string) (Source, error) {
	if err := checkBucket(bucket); err != nil {
		return Source{}, err
	}
	// Trailing blanks go too: Detect trims its input, so String could not
	// keep them.
	path = strings.TrimRightFunc(strings.TrimLeft(path, "/"), func(r rune) bool { return r == '/' || unicode.IsSpace(r) })
	src := Source{Kind: KindGCS, Bucket: bucket, Path: path}
	if to, ok := retiredBucket(bucket); ok {
		src.Bucket, src.Renamed = to, bucket
	}
	src.File, src.Line = parseFragment(fragment)
	return src, nil
}

// checkBucket applies GCS's naming rules, loosely: enough to catch a
// pasted URL that was cut in the wrong place.
func checkBucket(b string) error {
	if b == "" {
		return errors.New("no bucket name")
	}
	if len(b) < 3 || len(b) > 222 {
		return fmt.Errorf("invalid bucket name %q: must be 3 to 222 characters", b)
	}
	for i := 0; i < len(b); i++ {
		c := b[i]
		alnum := c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
		if !alnum && c != '-' && c != '_' && c != '.' {
			return fmt.Errorf("invalid bucket name %q: only lowercase letters, digits, '-', '_' and '.'", b)
		}
		if !alnum && (i == 0 || i == len(b)-1) {
			return fmt.Errorf("invalid bucket name %q: must start and end with a letter or digit", b)
		}
	}
	return nil
}

// parseFragment reads a file and line from a URL fragment: build-log.txt:123,
// build-log.txt:120-130, or Spyglass's 1:build-log.txt%3A123 (the lens index
// first). Anything else (another lens's state) is ignored.
func parseFragment(frag string) (file string, line int) {
	if f, err := url.PathUnescape(frag); err == nil {
		frag = f
	}
	// Spyglass puts the lens index first: "1:build-log.txt:123".
	if i := strings.IndexByte(frag, ':'); i > 0 && allDigits(frag[:i]) {
		frag = frag[i+1:]
	}
	file = frag
	if i := strings.LastIndexByte(frag, ':'); i >= 0 {
		file = frag[:i]
		n := frag[i+1:]
		if j := strings.IndexByte(n, '-'); j >= 0 {
			n = n[:j] // a range: keep its first line
		}
		line, _ = strconv.Atoi(n)
		if line < 0 || !allDigits(n) {
			line = 0
		}
	}
	if !validFragmentFile(file) {
		return "", 0
	}
	return file, line
}

// validFragmentFile accepts relative file names of a build directory
// (build-log.txt, artifacts/x/serial-1.log) and nothing that could escape it.
func validFragmentFile(f string) bool {
	if f == "" || strings.HasPrefix(f, "/") || strings.HasSuffix(f, "/") {
		return false
	}
	letter := false
	for i := 0; i < len(f); i++ {
		c := f[i]
		switch {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			letter = true
		case c >= '0' && c <= '9', c == '.', c == '_', c == '-', c == '/':
		default:
			return false
		}
	}
	for _, part := range strings.Split(f, "/") {
		if part == "" || part == "." || part == ".." {
			return false
		}
	}
	return letter
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// hasScheme reports whether s starts with scheme:// (case-insensitive).
func hasScheme(s, scheme string) bool {
	return len(s) > len(scheme)+3 && strings.EqualFold(s[:len(scheme)], scheme) && s[len(scheme):len(scheme)+3] == "://"
}

// detectGS reads gs://bucket/path#fragment.
func detectGS(in string) (Source, bool, error) {
	if !hasScheme(in, "gs") {
		return Source{}, false, nil
	}
	rest := in[len("gs://"):]
	frag := ""
	if i := strings.IndexByte(rest, '#'); i >= 0 {
		rest, frag = rest[:i], rest[i+1:]
	}
	bucket, path, _ := strings.Cut(rest, "/")
	src, err := gcsSource(bucket, path, frag)
	return src, true, err
}

// detectFileURL reads file:///path as a local path.
func detectFileURL(in string) (Source, bool, error) {
	if !hasScheme(in, "file") {
		return Source{}, false, nil
	}
	u, err := url.Parse(in)
	if err != nil {
		return Source{}, true, err
	}
	if u.Host != "" && u.Host != "localhost" {
		return Source{}, true, fmt.Errorf("file URL on another host %q", u.Host)
	}
	src, err := localSource(u.Path)
	return src, true, err
}

// detectOtherScheme refuses URLs of schemes we do not read (s3://, ftp://).
func detectOtherScheme(in string) (Source, bool, error) {
	i := strings.Index(in, "://")
	if i <= 0 {
		return Source{}, false, nil
	}
	for j := 0; j < i; j++ {
		c := in[j]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || j > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return Source{}, false, nil
		}
	}
	scheme := strings.ToLower(in[:i])
	if scheme == "gs" { // the GCS detector passed it over: no bucket
		return Source{}, true, fmt.Errorf("%q names no bucket: want gs://BUCKET/PATH", in)
	}
	return Source{}, true, fmt.Errorf("%s:// URLs are not supported", scheme)
}

// detectHTTP reads http(s) URLs: the Prow, gcsweb and GCS forms first, then
// known hosts whose page is not a run (an error), then any plain log URL.
func detectHTTP(in string) (Source, bool, error) {
	if !hasScheme(in, "http") && !hasScheme(in, "https") {
		return Source{}, false, nil
	}
	u, err := url.Parse(in)
	if err != nil {
		return Source{}, true, err
	}
	if u.Host == "" {
		return Source{}, true, errors.New("URL without a host")
	}
	host := strings.ToLower(u.Hostname())
	p := u.Path
	frag := u.EscapedFragment()

	// Prow's Spyglass: /view/gs/BUCKET/PATH, on any Prow host.
	if i := strings.Index(p, "/view/"); i >= 0 {
		rest := p[i+len("/view/"):]
		storage, rest, _ := strings.Cut(rest, "/")
		switch storage {
		case "gs", "gcs":
			bucket, path, _ := strings.Cut(rest, "/")
			src, err := gcsSource(bucket, path, frag)
			return src, true, err
		case "s3":
			return Source{}, true, errors.New("runs stored in S3 (/view/s3/) are not supported, only GCS")
		}
	}
	// Prow's job history: /job-history/gs/BUCKET/logs/JOB (older links
	// lack the "gs/").
	if i := strings.Index(p, "/job-history/"); i >= 0 {
		rest := strings.TrimPrefix(p[i+len("/job-history/"):], "gs/")
		bucket, path, _ := strings.Cut(rest, "/")
		src, err := gcsSource(bucket, path, "")
		return src, true, err
	}
	// gcsweb: /gcs/BUCKET/PATH/.
	if strings.HasPrefix(host, "gcsweb") && strings.HasPrefix(p, "/gcs/") {
		bucket, path, _ := strings.Cut(p[len("/gcs/"):], "/")
		src, err := gcsSource(bucket, path, frag)
		return src, true, err
	}
	// GCS itself: path-style, virtual-hosted-style, JSON API, console.
	switch {
	case host == "storage.googleapis.com" || host == "storage.cloud.google.com" || host == "commondatastorage.googleapis.com":
		rest := strings.TrimPrefix(p, "/")
		for _, api := range []string{"download/storage/v1/b/", "storage/v1/b/"} {
			if strings.HasPrefix(rest, api) {
				bucket, obj, _ := strings.Cut(rest[len(api):], "/")
				if obj != "o" && !strings.HasPrefix(obj, "o/") {
					return Source{}, true, errors.New("a JSON API URL names an object after /o/")
				}
				src, err := gcsSource(bucket, strings.TrimPrefix(obj, "o"), frag)
				return src, true, err
			}
		}
		if rest == "" {
			return Source{}, true, errors.New("a storage URL names a bucket after the host")
		}
		bucket, path, _ := strings.Cut(rest, "/")
		src, err := gcsSource(bucket, path, frag)
		return src, true, err
	case strings.HasSuffix(host, ".storage.googleapis.com"):
		src, err := gcsSource(strings.TrimSuffix(host, ".storage.googleapis.com"), p, frag)
		return src, true, err
	case host == "console.cloud.google.com" && strings.HasPrefix(p, "/storage/browser/"):
		rest := strings.TrimPrefix(p[len("/storage/browser/"):], "_details/")
		bucket, path, _ := strings.Cut(rest, "/")
		src, err := gcsSource(bucket, path, "")
		return src, true, err
	}
	// Pages of CI front ends that do not name a run's files.
	if knownFrontEnd(host) {
		return Source{}, true, fmt.Errorf("%s pages other than /view/ and /job-history/ do not name a run", host)
	}
	u.Fragment, u.RawFragment = "", ""
	return Source{Kind: KindHTTP, URL: u.String()}, true, nil
}

// knownFrontEnd reports hosts whose pages are HTML about runs, never logs.
func knownFrontEnd(host string) bool {
	for _, p := range []string{"prow.", "gcsweb", "testgrid.", "deck."} {
		if strings.HasPrefix(host, p) {
			return true
		}
	}
	return host == "console.cloud.google.com"
}

// detectLocal reads anything else as a local path.
func detectLocal(in string) (Source, bool, error) {
	src, err := localSource(in)
	return src, true, err
}

// localSource finds the bucket root of a local path: the directory above
// logs/ or pr-logs/ when the path lies in such a layout, the directory
// itself when it holds one, or else the directory (or a file's directory)
// as it is.
func localSource(p string) (Source, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return Source{}, err
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return Source{}, err
	}
	if root, rel, ok := layoutRoot(abs, fi.IsDir()); ok {
		return Source{Kind: KindLocal, Root: root, Path: rel}, nil
	}
	if !fi.IsDir() {
		return Source{Kind: KindLocal, Root: filepath.Dir(abs), Path: filepath.Base(abs)}, nil
	}
	for _, top := range []string{NonPRLogs, PRLogs} {
		if fi, err := os.Stat(filepath.Join(abs, top)); err == nil && fi.IsDir() {
			return Source{Kind: KindLocal, Root: abs}, nil
		}
	}
	return Source{Kind: KindLocal, Root: abs}, nil
}

// layoutRoot looks, from the right, for a logs/ or pr-logs/ element of abs
// whose tail parses as Prow's layout, and returns the directory above it and
// the tail.
func layoutRoot(abs string, isDir bool) (root, rel string, ok bool) {
	parts := strings.Split(filepath.ToSlash(abs), "/")
	for i := len(parts) - 1; i > 0; i-- {
		if parts[i] != NonPRLogs && parts[i] != PRLogs {
			continue
		}
		tail := strings.Join(parts[i:], "/")
		l, ok := parseLayout(tail)
		switch tail {
		case NonPRLogs, PRLogs, PRLogs + "/directory", PRLogs + "/pull":
			ok = isDir // the top of the layout: Resolve says it names no job
		}
		if !ok || !isDir && l.file == "" && !l.pointer {
			continue // a file must be inside a build directory (or a pointer)
		}
		root = filepath.FromSlash(strings.Join(parts[:i], "/"))
		if root == "" {
			root = string(filepath.Separator)
		}
		return root, tail, true
	}
	return "", "", false
}
