package report

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// findChromium returns the browser to test with: $LOGDIFF_CHROMIUM, or the
// first of Debian's and Google's names on $PATH.
func findChromium() string {
	if p := os.Getenv("LOGDIFF_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome-stable", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// needChromium skips the test when no browser is installed, unless CI is
// set: there .ci/run installs it, and its absence is a failure.
func needChromium(t *testing.T) string {
	t.Helper()
	bin := findChromium()
	if bin != "" {
		return bin
	}
	if ci, _ := strconv.ParseBool(os.Getenv("CI")); ci {
		t.Fatal("chromium not found and CI is set: .ci/run must install it (logdiff/report/testdata/install-chromium.sh)")
	}
	t.Skip("chromium not found: install it (sudo logdiff/report/testdata/install-chromium.sh) or set LOGDIFF_CHROMIUM to run the browser tests")
	return ""
}

// chromiumFlags run a headless browser that stays off the network: no
// background requests, and a dead proxy and resolver for anything else.
func chromiumFlags(profile string) []string {
	return []string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-extensions", "--disable-default-apps", "--no-first-run", "--no-default-browser-check",
		"--mute-audio", "--hide-scrollbars",
		"--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",
		"--user-data-dir=" + profile,
	}
}

// browser is a headless Chromium driven through the DevTools protocol over
// --remote-debugging-pipe: JSON messages ended by a NUL byte, written to
// the browser's fd 3 and read from its fd 4.
type browser struct {
	cmd    *exec.Cmd
	stderr bytes.Buffer
	w      *os.File
	wmu    sync.Mutex

	mu      sync.Mutex
	nextID  int
	pending map[int]chan cdpMsg
	events  []cdpMsg
	wake    chan struct{}
	readErr error
}

type cdpMsg struct {
	ID        int             `json:"id,omitempty"`
	Method    string          `json:"method,omitempty"`
	SessionID string          `json:"sessionId,omitempty"`
	Params    json.RawMessage `json:"params,omitempty"`
	Result    json.RawMessage `json:"result,omitempty"`
	Error     *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error,omitempty"`
}

func startBrowser(t *testing.T, bin string) *browser {
	t.Helper()
	toBrowser, ours, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	theirs, fromBrowser, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	b := &browser{w: ours, pending: map[int]chan cdpMsg{}, wake: make(chan struct{}, 1)}
	b.cmd = exec.Command(bin, append(chromiumFlags(t.TempDir()), "--remote-debugging-pipe", "about:blank")...)
	b.cmd.ExtraFiles = []*os.File{toBrowser, fromBrowser} // fd 3, fd 4
	b.cmd.Stderr = &b.stderr
	if err := b.cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", bin, err)
	}
	toBrowser.Close()
	fromBrowser.Close()
	go b.read(theirs)
	t.Cleanup(func() {
		done := make(chan struct{})
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
			defer cancel()
			b.call(ctx, "", "Browser.close", nil) //nolint:errcheck // the browser may be gone already
			close(done)
		}()
		select {
		case <-done:
		case <-time.After(3 * time.Second):
		}
		exited := make(chan error, 1)
		go func() { exited <- b.cmd.Wait() }()
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			b.cmd.Process.Kill() //nolint:errcheck
			<-exited
		}
		ours.Close()
		if t.Failed() {
			t.Logf("chromium's stderr:\n%s", lastLines(b.stderr.String(), 30))
		}
	})
	return b
}

// lastLines keeps the last n lines of chromium's stderr that are not
// complaints about the missing D-Bus of a container.
func lastLines(s string, n int) string {
	var ls []string
	for _, l := range strings.Split(strings.TrimSpace(s), "\n") {
		if !strings.Contains(l, "dbus") {
			ls = append(ls, l)
		}
	}
	return strings.Join(ls[max(0, len(ls)-n):], "\n")
}

func (b *browser) read(r *os.File) {
	br := bufio.NewReaderSize(r, 1<<20)
	for {
		raw, err := br.ReadBytes(0)
		if err != nil {
			b.mu.Lock()
			b.readErr = fmt.Errorf("reading from chromium: %w", err)
			for _, ch := range b.pending {
				close(ch)
			}
			b.pending = map[int]chan cdpMsg{}
			b.mu.Unlock()
			b.signal()
			return
		}
		var m cdpMsg
		if err := json.Unmarshal(raw[:len(raw)-1], &m); err != nil {
			continue
		}
		b.mu.Lock()
		if m.ID != 0 {
			if ch, ok := b.pending[m.ID]; ok {
				ch <- m
				delete(b.pending, m.ID)
			}
		} else {
			b.events = append(b.events, m)
		}
		b.mu.Unlock()
		b.signal()
	}
}

func (b *browser) signal() {
	select {
	case b.wake <- struct{}{}:
	default:
	}
}

// call sends a command (to a page when session is set) and waits for its result.
func (b *browser) call(ctx context.Context, session, method string, params any) (json.RawMessage, error) {
	b.mu.Lock()
	if b.readErr != nil {
		b.mu.Unlock()
		return nil, b.readErr
	}
	b.nextID++
	id := b.nextID
	ch := make(chan cdpMsg, 1)
	b.pending[id] = ch
	b.mu.Unlock()
	msg := map[string]any{"id": id, "method": method}
	if params != nil {
		msg["params"] = params
	}
	if session != "" {
		msg["sessionId"] = session
	}
	data, err := json.Marshal(msg)
	if err != nil {
		return nil, err
	}
	b.wmu.Lock()
	_, err = b.w.Write(append(data, 0))
	b.wmu.Unlock()
	if err != nil {
		return nil, fmt.Errorf("%s: writing to chromium: %w", method, err)
	}
	select {
	case m, ok := <-ch:
		if !ok {
			return nil, fmt.Errorf("%s: chromium went away", method)
		}
		if m.Error != nil {
			return nil, fmt.Errorf("%s: %s", method, m.Error.Message)
		}
		return m.Result, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("%s: %w", method, ctx.Err())
	}
}

// mark returns a position in the event log, for waitEvent and eventsSince.
func (b *browser) mark() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.events)
}

func (b *browser) eventsSince(from int) []cdpMsg {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]cdpMsg(nil), b.events[from:]...)
}

// waitEvent waits for an event named method after position from.
func (b *browser) waitEvent(ctx context.Context, from int, method string) (cdpMsg, error) {
	for {
		for _, e := range b.eventsSince(from) {
			if e.Method == method {
				return e, nil
			}
		}
		b.mu.Lock()
		err := b.readErr
		b.mu.Unlock()
		if err != nil {
			return cdpMsg{}, err
		}
		select {
		case <-b.wake:
		case <-ctx.Done():
			return cdpMsg{}, fmt.Errorf("waiting for %s: %w", method, ctx.Err())
		}
	}
}

// page is one tab, attached with a flat session.
type page struct {
	b       *browser
	session string
}

func (b *browser) newPage(ctx context.Context, width, height int) (*page, error) {
	res, err := b.call(ctx, "", "Target.createTarget", map[string]any{"url": "about:blank"})
	if err != nil {
		return nil, err
	}
	var target struct{ TargetID string }
	if err := json.Unmarshal(res, &target); err != nil {
		return nil, err
	}
	res, err = b.call(ctx, "", "Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true})
	if err != nil {
		return nil, err
	}
	var att struct{ SessionID string }
	if err := json.Unmarshal(res, &att); err != nil {
		return nil, err
	}
	p := &page{b: b, session: att.SessionID}
	for _, m := range []string{"Page.enable", "Network.enable", "Runtime.enable", "Log.enable"} {
		if _, err := p.call(ctx, m, nil); err != nil {
			return nil, err
		}
	}
	_, err = p.call(ctx, "Emulation.setDeviceMetricsOverride", map[string]any{"width": width, "height": height, "deviceScaleFactor": 1, "mobile": false})
	return p, err
}

func (p *page) call(ctx context.Context, method string, params any) (json.RawMessage, error) {
	return p.b.call(ctx, p.session, method, params)
}

// navigate loads url and waits for its load event; it returns the
// position in the event log where the navigation began.
func (p *page) navigate(ctx context.Context, url string) (int, error) {
	from := p.b.mark()
	res, err := p.call(ctx, "Page.navigate", map[string]any{"url": url})
	if err != nil {
		return from, err
	}
	var nav struct{ ErrorText string }
	if err := json.Unmarshal(res, &nav); err == nil && nav.ErrorText != "" {
		return from, fmt.Errorf("navigating to %s: %s", url, nav.ErrorText)
	}
	_, err = p.b.waitEvent(ctx, from, "Page.loadEventFired")
	return from, err
}

// eval evaluates a JavaScript expression in the page and decodes its value
// into out.
func (p *page) eval(ctx context.Context, expr string, out any) error {
	res, err := p.call(ctx, "Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true, "awaitPromise": true})
	if err != nil {
		return err
	}
	var r struct {
		Result struct {
			Value json.RawMessage `json:"value"`
		} `json:"result"`
		ExceptionDetails *struct {
			Text      string `json:"text"`
			Exception struct {
				Description string `json:"description"`
			} `json:"exception"`
		} `json:"exceptionDetails"`
	}
	if err := json.Unmarshal(res, &r); err != nil {
		return err
	}
	if r.ExceptionDetails != nil {
		return fmt.Errorf("evaluating %.60q: %s %s", expr, r.ExceptionDetails.Text, r.ExceptionDetails.Exception.Description)
	}
	if out == nil {
		return nil
	}
	if len(r.Result.Value) == 0 {
		return errors.New("evaluating " + expr + ": no value")
	}
	return json.Unmarshal(r.Result.Value, out)
}

// click moves the mouse to the middle of the element that selector finds
// (scrolled into view) and clicks it, as a user would.
func (p *page) click(ctx context.Context, selector string) error {
	var at struct{ X, Y float64 }
	expr := fmt.Sprintf(`(() => { const e = document.querySelector(%q); if (!e) throw new Error("no element " + %q);
		e.scrollIntoView({block: "center"}); const r = e.getBoundingClientRect();
		return {X: r.left + Math.min(r.width / 2, 40), Y: r.top + r.height / 2}; })()`, selector, selector)
	if err := p.eval(ctx, expr, &at); err != nil {
		return err
	}
	for _, typ := range []string{"mouseMoved", "mousePressed", "mouseReleased"} {
		params := map[string]any{"type": typ, "x": at.X, "y": at.Y, "button": "left", "clickCount": 1}
		if typ == "mouseMoved" {
			params["button"] = "none"
		}
		if _, err := p.call(ctx, "Input.dispatchMouseEvent", params); err != nil {
			return err
		}
	}
	return nil
}
