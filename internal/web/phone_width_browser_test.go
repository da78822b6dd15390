package web_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/testenv"
	"disputed/internal/testenv/browsertest"
)

// cspConsoleLog collects what the pages of a browser write to the console and the browser log,
// from the moment it is made until the test ends.
type cspConsoleLog struct {
	mu   sync.Mutex
	msgs []string
}

func watchCSPConsole(ctx context.Context) *cspConsoleLog {
	l := &cspConsoleLog{}
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
func (l *cspConsoleLog) violations() []string {
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

// htmxPageReady waits until the page at url has loaded and htmx has run (it inserts its indicator
// style, the old CSP error, when it initialises).
func htmxPageReady(t *testing.T, ctx context.Context, url, sel string) {
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
	e := testenv.New(t, "sqlite", testenv.Options{})
	c := e.Serve()
	ctx := browsertest.NewSignedIn(t, e, c, actor.Admin, "")
	log := watchCSPConsole(ctx)
	id := e.Dispute(e.Sale(testenv.SaleParams{Amount: 4999}), "chargeback", func(p *app.DisputeParams) {
		p.Reason, p.DueBy, p.CaseNumber = "fraudulent", e.Clock.Now().Add(48*time.Hour), "CASE-A-VERY-LONG-CASE-NUMBER-0123456789"
	}).ID

	browsertest.Do(t, ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	for _, p := range []struct{ path, ready string }{
		{"/", "#urgency-counts"},
		{"/disputes", "#dispute-list"},
		{"/disputes/" + id, "#dispute-indicator"},
		{"/disputes/" + id + "#resolve", "#resolve .modal-box"},
		{"/disputes/" + id + "#concede", "#concede .modal-box"},
	} {
		htmxPageReady(t, ctx, c.URL+p.path, p.ready)
		if w := browsertest.Eval[int](t, ctx, `document.documentElement.scrollWidth`); w > 390 {
			t.Errorf("%s is %d px wide on a 390 px phone: it scrolls sideways", p.path, w)
		}
	}
	if v := log.violations(); len(v) > 0 {
		t.Errorf("the pages logged CSP violations: %q", v)
	}
}
