package report

import (
	"context"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestBrowser opens HTML reports in a real headless Chromium, from files
// (nothing is served), and checks what a reader relies on: the top finding
// is on the first screen, the two sides of a changed line stand side by
// side, a click expands the context, no request leaves the page, and
// hostile log text stays text, alone and inside Prow's HTML lens. It also
// times a report of 10,000 findings. Without chromium it skips, unless CI
// is set.
func TestBrowser(t *testing.T) {
	bin := needChromium(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return (&url.URL{Scheme: "file", Path: path}).String()
	}
	hostilePage := renderHTML(t, hostileReport(), Options{})
	pages := map[string]string{
		"windows": write("windows.html", renderHTML(t, windowsReport(), Options{})),
		"hostile": write("hostile.html", hostilePage),
		"prow":    write("prow.html", []byte(prowWrap(string(hostilePage)))),
		"large":   write("large.html", renderHTML(t, bigReport(10000), Options{})),
	}

	b := startBrowser(t, bin)
	p, err := b.newPage(ctx, 1280, 900)
	if err != nil {
		t.Fatalf("opening a page: %v", err)
	}
	// open loads a report and checks that the only request was for the file
	// itself and that nothing was logged (a CSP violation would be).
	open := func(t *testing.T, name string) {
		t.Helper()
		from, err := p.navigate(ctx, pages[name])
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			for _, e := range b.eventsSince(from) {
				switch e.Method {
				case "Network.requestWillBeSent":
					var req struct {
						Request struct{ URL string } `json:"request"`
					}
					json.Unmarshal(e.Params, &req) //nolint:errcheck
					if !strings.HasPrefix(pages[name], req.Request.URL) && !strings.HasPrefix(req.Request.URL, "about:srcdoc") {
						t.Errorf("the page requested %s", req.Request.URL)
					}
				case "Log.entryAdded", "Runtime.consoleAPICalled", "Runtime.exceptionThrown":
					if name == "prow" && prowExpected(e.Params) {
						continue
					}
					t.Errorf("the page logged %s: %s", e.Method, e.Params)
				case "Page.javascriptDialogOpening":
					t.Errorf("the page opened a dialog: %s", e.Params)
				}
			}
		})
	}
	eval := func(t *testing.T, expr string, out any) {
		t.Helper()
		if err := p.eval(ctx, expr, out); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("top finding on the first screen", func(t *testing.T) {
		open(t, "windows")
		var got struct {
			Text    string
			Visible bool
			Top     float64
			Height  float64
			CSP     string
		}
		eval(t, `(() => { const f = document.getElementById("f1"), r = f.getBoundingClientRect();
			return {Text: f.querySelector("h3").innerText, Visible: f.checkVisibility(), Top: r.top, Height: innerHeight,
				CSP: document.querySelector('meta[http-equiv="Content-Security-Policy"]').content}; })()`, &got)
		if !got.Visible || got.Top < 0 || got.Top > got.Height-100 {
			t.Errorf("#1 is not on the first screen: visible %v, top %.0f of %.0f", got.Visible, got.Top, got.Height)
		}
		if !strings.Contains(got.Text, "environment variables unset in the failing run: KUBERNETES_NODE_PLATFORM") {
			t.Errorf("#1 reads %q", got.Text)
		}
		if got.CSP != contentSecPolicy {
			t.Errorf("CSP %q, want %q", got.CSP, contentSecPolicy)
		}
	})

	t.Run("changed lines side by side", func(t *testing.T) {
		var got []struct{ Passing, Failing, PTop, FTop float64 }
		eval(t, `[...document.querySelector(".k-changed").closest("section").querySelectorAll("tbody tr:not(.ctx)")].map(tr => {
			const d = tr.querySelector("td.del"), a = tr.querySelector("td.add");
			return {Passing: +d.previousElementSibling.innerText, Failing: +a.previousElementSibling.innerText,
				PTop: d.getBoundingClientRect().top, FTop: a.getBoundingClientRect().top}; })`, &got)
		if len(got) != 3 {
			t.Fatalf("%d rows in the changed finding, want 3", len(got))
		}
		for i, r := range got {
			if r.Passing != float64(320+i) || r.Failing != float64(395+i) || r.PTop != r.FTop {
				t.Errorf("row %d: passing line %v at %.0f, failing line %v at %.0f; want 320+%d beside 395+%d", i, r.Passing, r.PTop, r.Failing, r.FTop, i, i)
			}
		}
	})

	t.Run("a click expands the context", func(t *testing.T) {
		const ctxRow = `[...document.querySelectorAll("#f1 tr.ctx")].find(tr => tr.innerText.includes("JOB_TYPE=periodic"))`
		var before, after bool
		eval(t, ctxRow+`.checkVisibility()`, &before)
		if before {
			t.Fatal("context is shown before it is expanded")
		}
		if err := p.click(ctx, "#f1 details.ctx > summary"); err != nil {
			t.Fatal(err)
		}
		eval(t, ctxRow+`.checkVisibility() && document.querySelector("#f1 details.ctx").open`, &after)
		if !after {
			t.Error("context is not shown after a click on its summary")
		}
	})

	for _, name := range []string{"hostile", "prow"} {
		t.Run("hostile text stays text/"+name, func(t *testing.T) {
			open(t, name)
			doc := "document"
			scripts := 0
			if name == "prow" {
				doc = `document.querySelector("iframe").contentDocument`
				scripts = 1 // the lens's height notifier
			}
			var got struct {
				Pwned         any
				Scripts, Tags int
				Text          string
			}
			eval(t, `(() => { const d = `+doc+`;
				return {Pwned: window.__pwned ?? d.defaultView.__pwned ?? null, Scripts: d.scripts.length,
					Tags: d.querySelectorAll("img, svg, iframe, object, embed, b, link").length, Text: d.body.innerText}; })()`, &got)
			if got.Pwned != nil || got.Scripts != scripts || got.Tags != 0 {
				t.Errorf("hostile text became markup: __pwned=%v, %d scripts (want %d), %d foreign elements", got.Pwned, got.Scripts, scripts, got.Tags)
			}
			for _, h := range []string{hostile[0], hostile[1], "</details></summary>"} {
				if !strings.Contains(got.Text, h) {
					t.Errorf("%q is not shown", h)
				}
			}
		})
	}

	t.Run("10,000 findings", func(t *testing.T) {
		start := time.Now()
		open(t, "large")
		loaded := time.Since(start)
		var got struct {
			Folded  int
			Visible bool
			Text    string
		}
		if err := p.click(ctx, "#f5002 > summary"); err != nil {
			t.Fatal(err)
		}
		eval(t, `(() => { const pre = document.querySelector("#f5002 pre");
			return {Folded: document.querySelectorAll("details.fold").length, Visible: pre.checkVisibility(), Text: pre.innerText}; })()`, &got)
		clicked := time.Since(start) - loaded
		t.Logf("loaded in %v, a folded finding opened in %v", loaded.Round(time.Millisecond), clicked.Round(time.Millisecond))
		if loaded > 10*time.Second {
			t.Errorf("the page took %v to load", loaded)
		}
		if got.Folded != 10000-defaultTopHTML || !got.Visible || !strings.Contains(got.Text, "of finding 5001") {
			t.Errorf("%d folded findings; #5002 opened: %v, reads %q", got.Folded, got.Visible, got.Text)
		}
	})
}

// prowExpected tells the two warnings Chromium gives about Prow's lens
// itself: its iframe's sandbox, and our CSP <meta> ignored because the lens
// wraps the document in a <div> (which is why the escaping must hold
// without the CSP).
func prowExpected(params json.RawMessage) bool {
	var e struct {
		Entry struct{ Source, Text string } `json:"entry"`
	}
	json.Unmarshal(params, &e) //nolint:errcheck
	return e.Entry.Source == "security" &&
		(strings.Contains(e.Entry.Text, "allow-scripts and allow-same-origin") ||
			strings.Contains(e.Entry.Text, "outside the document's <head>"))
}
