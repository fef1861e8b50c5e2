package report

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/logdiff/logdiff/logdiff"
)

// Links returns the address of line n of a run's log, or of the log itself
// when n is 0. file is the log's path in the run's build directory when it
// is not the run's own log (Finding.Log, an artifact such as
// artifacts/<node>/serial-1.log), "" otherwise. It returns "" when there is
// no address worth a link (a local file); the reports then show text.
type Links func(run logdiff.LogInfo, file string, n int) string

// ProwLinks addresses lines the way Prow's Spyglass page does. A run's URL
// that is a Prow view of a build directory (a path with /view/, such as
// https://prow.k8s.io/view/gs/BUCKET/logs/JOB/BUILD) gets the fragment
// Spyglass itself writes for a line of the build-log lens:
//
//	#<lens>:<encodeURIComponent(ARTIFACT + ":" + n)>, e.g. #1:build-log.txt%3A123
//
// lens is the index of the buildlog lens in Deck's lens list (1 on
// prow.k8s.io, where the metadata lens comes first; other Deck instances
// differ, which is why it is a parameter). ARTIFACT is the log's path in
// the build directory: file, or the part of the run's Name from
// "artifacts/" on, or build-log.txt. GitHub's "#L123" means nothing to
// Spyglass.
//
// Any other http(s) URL (storage.googleapis.com, gcsweb, a plain log) is a
// raw text view without line anchors, so every line links to the log
// itself, and lines of another file get no link. Other schemes (gs://,
// file://) and unparsable URLs give no link.
func ProwLinks(lens int) Links {
	return func(run logdiff.LogInfo, file string, n int) string {
		u := webURL(run.URL)
		if u == nil {
			return ""
		}
		if !strings.Contains(u.Path, "/view/") {
			if file != "" {
				return ""
			}
			return u.String()
		}
		u.Fragment, u.RawFragment = "", ""
		if n <= 0 {
			return u.String()
		}
		if file == "" {
			file = prowArtifact(run.Name)
		}
		return u.String() + "#" + strconv.Itoa(lens) + ":" + uriComponent(file+":"+strconv.Itoa(n))
	}
}

// webURL parses an http(s) URL; nil for anything else. The reports put the
// result in Markdown link destinations and HTML attributes, so it is
// re-serialised (which percent-encodes spaces, quotes and angle brackets).
func webURL(s string) *url.URL {
	if s == "" || len(s) > 4096 {
		return nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.User != nil || !validHost(u.Hostname()) {
		return nil
	}
	return u
}

// validHost accepts a DNS name or an IP address, nothing that HTML could
// decode into something else.
func validHost(h string) bool {
	if h == "" {
		return false
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == ':') {
			return false
		}
	}
	return true
}

// prowArtifact is the path of a log inside its build directory, as
// Spyglass names it.
func prowArtifact(name string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	if i := strings.Index(name, "/artifacts/"); i >= 0 {
		return name[i+1:]
	}
	if strings.HasPrefix(name, "artifacts/") {
		return name
	}
	return "build-log.txt"
}

// uriComponent escapes s as JavaScript's encodeURIComponent does, which is
// how Spyglass writes and reads its fragments.
func uriComponent(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-_.!~*'()", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// safeHref is a link target that cannot break out of a Markdown link
// destination or an HTML attribute, nor turn into another address when
// Prow's HTML lens decodes the page once more (see html.go): only http(s)
// URLs, with every character that could end the destination
// percent-encoded, and every "&" too unless it starts a query parameter
// ("&name=", name alphanumeric), where no character reference is read.
func safeHref(s string) string {
	u := webURL(s)
	if u == nil {
		return ""
	}
	out := u.String()
	var b strings.Builder
	for i := 0; i < len(out); i++ {
		c := out[i]
		if c <= ' ' || c == 0x7f || strings.IndexByte("\"'<>`\\", c) >= 0 || c == '&' && !startsParam(out[i+1:]) {
			b.WriteString("%" + strings.ToUpper(strconv.FormatInt(int64(c)|0x100, 16)[1:]))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// startsParam reports whether s begins with an alphanumeric name and "=".
func startsParam(s string) bool {
	i := 0
	for i < len(s) && ('a' <= s[i] && s[i] <= 'z' || 'A' <= s[i] && s[i] <= 'Z' || '0' <= s[i] && s[i] <= '9') {
		i++
	}
	return i > 0 && i < len(s) && s[i] == '='
}

// DefaultProwURL is the Prow instance that views runs of Kubernetes'
// buckets; OpenShift's and others' run their own (--prow-url).
const DefaultProwURL = "https://prow.k8s.io"

// ViewURL is the address of Prow's view of the run (or file) that
// storeURL names in GCS (gs://BUCKET/PATH), at the Prow instance prowURL
// (DefaultProwURL when empty); "" for anything not in GCS, which Prow does
// not show.
func ViewURL(prowURL, storeURL string) string {
	rest, ok := strings.CutPrefix(storeURL, "gs://")
	if !ok || rest == "" {
		return ""
	}
	if prowURL == "" {
		prowURL = DefaultProwURL
	}
	return strings.TrimSuffix(prowURL, "/") + "/view/gs/" + rest
}

// ValidProwURL checks a --prow-url: an http(s) address of a Prow instance,
// without a query or fragment.
func ValidProwURL(s string) error {
	u := webURL(s)
	if u == nil || u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("%q is not the http(s) address of a Prow instance, such as %s", s, DefaultProwURL)
	}
	return nil
}
