package main

import (
	"context"
	"disputed/internal/testenv/browsertest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// consoleLog collects what the pages of a browser write to the console and the browser log,
// from the moment it is made until the test ends.
type consoleLog struct {
	mu   sync.Mutex
	msgs []string
}

func watchConsole(ctx context.Context) *consoleLog {
	l := &consoleLog{}
	messages := chromedp.Console(ctx) // subscribes now: nothing after this is missed
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			l.mu.Lock()
			l.msgs = append(l.msgs, m.String())
			l.mu.Unlock()
		}
	}()
	return l
}

// violations are the messages that report a Content-Security-Policy refusal.
func (l *consoleLog) violations() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, m := range l.msgs {
		if strings.Contains(m, "Content Security Policy") {
			out = append(out, m)
		}
	}
	return out
}

// pageReady waits until the page at url has loaded and htmx has run (it inserts its indicator
// style, the old CSP error, when it initialises).
func pageReady(t *testing.T, ctx context.Context, url, sel string) {
	t.Helper()
	browsertest.Do(t, ctx, chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS(sel)))
	deadline := time.Now().Add(10 * time.Second)
	for !browsertest.Eval[bool](t, ctx, `document.readyState === "complete" && typeof htmx !== "undefined"`) {
		if time.Now().After(deadline) {
			t.Fatalf("%s: htmx never loaded", url)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// TestBrowserPhoneWidthAndNoCSPError opens the dashboard, the dispute list, a dispute and its
// dialogs on a 390 px wide phone: nothing scrolls the page sideways (wide tables scroll inside
// their own box), and no page logs a Content-Security-Policy violation.
func TestBrowserPhoneWidthAndNoCSPError(t *testing.T) {
	t.Parallel()
	s, ctx := adminBrowser(t)
	log := watchConsole(ctx)
	_, _, ch := s.sale(4999, "USD")
	d := s.post("/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": ch, "reason": "fraudulent",
		"due_by": time.Now().Add(48 * time.Hour).Format(time.RFC3339), "case_number": "CASE-A-VERY-LONG-CASE-NUMBER-0123456789"})
	want(t, d, 201)
	id := d.str("id")

	browsertest.Do(t, ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	for _, p := range []struct{ path, ready string }{
		{"/", "#urgency-counts"},
		{"/disputes", "#dispute-list"},
		{"/disputes/" + id, "#dispute-indicator"},
		{"/disputes/" + id + "#resolve", "#resolve .modal-box"},
		{"/disputes/" + id + "#concede", "#concede .modal-box"},
	} {
		pageReady(t, ctx, s.base+p.path, p.ready)
		if w := browsertest.Eval[int](t, ctx, `document.documentElement.scrollWidth`); w > 390 {
			t.Errorf("%s is %d px wide on a 390 px phone: it scrolls sideways", p.path, w)
		}
	}
	if v := log.violations(); len(v) > 0 {
		t.Errorf("the pages logged CSP violations: %q", v)
	}
}
