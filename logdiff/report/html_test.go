package report

import (
	"bytes"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/logdiff/logdiff/logdiff"
)

func renderHTML(t testing.TB, r *logdiff.Report, o Options) []byte {
	t.Helper()
	var b bytes.Buffer
	if o.Now == nil {
		o.Now = clock
	}
	if err := HTML(&b, r, o); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// prowWrap shows a page as Prow's HTML lens does (pkg/spyglass/lenses/html):
// the page inside <div id="wrapper">, a height notifier appended, double
// quotes escaped, the whole in an iframe's srcdoc attribute.
func prowWrap(page string) string {
	content := `<div id="wrapper">` + page + `</div><script type="text/javascript">
window.addEventListener("load", function(){ parent.postMessage({"height": document.getElementById("wrapper").offsetHeight, "id": "logdiff.html-0"}, "*"); });
</script>`
	content = strings.ReplaceAll(content, `"`, `&quot;`)
	return `<!DOCTYPE html><html><head><title>lens</title></head><body><iframe srcdoc="` + content +
		`" title="logdiff.html" sandbox="allow-scripts allow-popups allow-same-origin allow-forms" id="logdiff.html-0" width="100%" scrolling="no"></iframe></body></html>`
}

// srcdoc parses a page made by prowWrap and returns the document the
// iframe shows: the attribute decoded once by the outer parse, parsed again.
func srcdoc(t *testing.T, outer string) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(outer))
	if err != nil {
		t.Fatal(err)
	}
	var src string
	walk(doc, func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "iframe" {
			src = attr(n, "srcdoc")
		}
	})
	if src == "" {
		t.Fatal("no iframe srcdoc in the wrapped page")
	}
	inner, err := html.Parse(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	return inner
}

func walk(n *html.Node, f func(*html.Node)) {
	f(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, f)
	}
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func textOf(n *html.Node) string {
	var b strings.Builder
	walk(n, func(n *html.Node) {
		if n.Type == html.TextNode && (n.Parent == nil || n.Parent.Data != "style" && n.Parent.Data != "script") {
			b.WriteString(n.Data)
		}
	})
	return b.String()
}

// The elements and attributes the template writes: anything else in a
// parsed report came from report text.
var (
	ourElements = strings.Fields("html head meta title style body header h1 small p table thead tbody tr th td a section h2 h3 span em code details summary colgroup col mark pre footer")
	ourAttrs    = strings.Fields("charset http-equiv content name lang class id href target colspan")
)

// checkInert checks a parsed report: only our elements and attributes,
// scripts only where allowed, links only to the report's own anchors and
// to the hosts of the runs' addresses.
func checkInert(t *testing.T, doc *html.Node, r *logdiff.Report, scripts int, extra ...string) {
	t.Helper()
	hosts := map[string]bool{}
	for _, in := range append([]logdiff.LogInfo{r.Failing}, r.Baselines...) {
		if u := webURL(in.URL); u != nil {
			hosts[u.Host] = true
		}
	}
	for _, c := range r.Commits { // links to the change, on the repository's host
		for _, l := range []string{c.CompareURL} {
			if u := webURL(l); u != nil {
				hosts[u.Host] = true
			}
		}
		for _, p := range c.Pulls {
			if u := webURL(p.URL); u != nil {
				hosts[u.Host] = true
			}
		}
	}
	anchor := regexp.MustCompile(`^#f[0-9]+$`)
	seen := 0
	walk(doc, func(n *html.Node) {
		if n.Type != html.ElementNode {
			return
		}
		if n.Data == "script" {
			seen++
			return
		}
		if !contains(ourElements, n.Data) && !contains(extra, n.Data) {
			t.Errorf("element <%s> in the report: %s", n.Data, textOf(n))
		}
		for _, a := range n.Attr {
			if !contains(ourAttrs, a.Key) {
				t.Errorf("attribute %s=%q on <%s>", a.Key, a.Val, n.Data)
			}
			if a.Key != "href" {
				continue
			}
			u, err := url.Parse(a.Val)
			if !anchor.MatchString(a.Val) && (err != nil || u.Scheme != "https" && u.Scheme != "http" || !hosts[u.Host]) {
				t.Errorf("link to %q, neither an anchor of the report nor a run's or a repository's host", a.Val)
			}
		}
	})
	if seen != scripts {
		t.Errorf("%d <script> elements, want %d", seen, scripts)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestHTMLHostile parses the hostile report as a browser would, standing
// alone and inside Prow's HTML lens (which decodes it once more), and
// checks that all of it stayed text.
func TestHTMLHostile(t *testing.T) {
	r := hostileReport()
	page := string(renderHTML(t, r, Options{}))
	standalone, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		doc     *html.Node
		scripts int
		extra   []string
	}{
		{"standalone", standalone, 0, nil},
		{"in Prow's HTML lens", srcdoc(t, prowWrap(page)), 1, []string{"div"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkInert(t, tt.doc, r, tt.scripts, tt.extra...)
			shown := textOf(tt.doc)
			for _, h := range []string{hostile[0], hostile[1], hostile[4], hostile[6], "| pipe | in |"} {
				if !strings.Contains(shown, clean(h, true)) {
					t.Errorf("%q is not shown as text", h)
				}
			}
			var title string
			walk(tt.doc, func(n *html.Node) {
				if n.Type == html.ElementNode && n.Data == "title" {
					title = textOf(n)
				}
			})
			// Prow copies the title, decoded, into Deck's page unescaped.
			if !regexp.MustCompile(`^[A-Za-z0-9: ]+$`).MatchString(title) {
				t.Errorf("title %q holds more than words and digits", title)
			}
		})
	}
}

// TestHTMLSelfContained checks that the report loads nothing: a CSP that
// forbids every fetch, no attribute that fetches, no CSS that fetches, and
// links only to the runs.
func TestHTMLSelfContained(t *testing.T) {
	for _, r := range []*logdiff.Report{windowsReport(), emptyReport()} {
		page := string(renderHTML(t, r, Options{}))
		doc, err := html.Parse(strings.NewReader(page))
		if err != nil {
			t.Fatal(err)
		}
		checkInert(t, doc, r, 0)
		var csp, css string
		walk(doc, func(n *html.Node) {
			if n.Type == html.ElementNode && n.Data == "meta" && attr(n, "http-equiv") == "Content-Security-Policy" {
				csp = attr(n, "content")
			}
			if n.Type == html.ElementNode && n.Data == "style" {
				css += n.FirstChild.Data
			}
		})
		if !strings.HasPrefix(csp, "default-src 'none';") || strings.Contains(csp, "script-src") {
			t.Errorf("Content-Security-Policy %q: want default-src 'none' and no script source", csp)
		}
		for _, bad := range []string{"url(", "@import", "@font-face", "http:", "https:"} {
			if strings.Contains(css, bad) {
				t.Errorf("the CSS holds %q", bad)
			}
		}
	}
}

// TestHTMLLarge renders 10,000 findings: the top in full, the rest folded,
// in bounded time and size.
func TestHTMLLarge(t *testing.T) {
	r := bigReport(10000)
	start := time.Now()
	page := renderHTML(t, r, Options{})
	took := time.Since(start)
	t.Logf("10,000 findings: %d bytes (%.1f MB) in %v", len(page), float64(len(page))/1e6, took)
	if len(page) > 8<<20 {
		t.Errorf("%d bytes; want under 8 MiB", len(page))
	}
	if n := bytes.Count(page, []byte(`<section class="finding`)); n != defaultTopHTML {
		t.Errorf("%d findings in full, want %d", n, defaultTopHTML)
	}
	if n := bytes.Count(page, []byte(`<details class="fold"`)); n != 10000-defaultTopHTML {
		t.Errorf("%d folded findings, want %d", n, 10000-defaultTopHTML)
	}
	if bytes.Contains(page, []byte("<details class=\"fold\" open")) {
		t.Error("a folded finding is open")
	}
}
