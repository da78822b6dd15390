package main

import (
	"context"
	"disputed/internal/testenv/browsertest"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"disputed/internal/actor"
)

// The admin pages of what the server talks to: panels and payment providers, driven in
// Chromium on both stores; what they save is read back through the API.

// fitsPhone reloads the page at path on a 390 px wide phone and checks that nothing scrolls
// it sideways.
func fitsPhone(t *testing.T, ctx context.Context, s *testServer, path, ready string) {
	t.Helper()
	browsertest.Do(t, ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	browsertest.Do(t, ctx, chromedp.Navigate(s.base+path), chromedp.WaitVisible(chromedp.CSS(ready)))
	if w := browsertest.Eval[int](t, ctx, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("%s is %d px wide on a 390 px phone: it scrolls sideways", path, w)
	}
}

// pageSource is the whole document as the browser has it.
func pageSource(t *testing.T, ctx context.Context) string {
	t.Helper()
	return browsertest.Eval[string](t, ctx, `document.documentElement.outerHTML`)
}

func TestBrowserPanelsPage(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *testServer) {
		ctx := wordsBrowser(t, s)
		browsertest.Do(t, ctx, chromedp.Navigate(s.base+"/"), chromedp.WaitVisible(chromedp.CSS(`header nav a[href="/panels"]`)),
			chromedp.Click(chromedp.CSS(`header nav a[href="/panels"]`)), chromedp.WaitVisible(chromedp.CSS("#panel-form")))
		if got := browsertest.Text(t, ctx, "#no-panels"); !strings.Contains(got, "No panels") {
			t.Errorf("the empty list says %q", got)
		}
		// A secret too short is refused beside its field, what was typed stays, nothing is saved.
		browsertest.Do(t, ctx,
			chromedp.SendKeys(chromedp.CSS("#panel-name"), "hosting"),
			chromedp.SetValue(chromedp.CSS("#panel-type"), "http"),
			chromedp.SendKeys(chromedp.CSS("#panel-base-url"), "https://panel.example.com/api"),
			chromedp.SendKeys(chromedp.CSS("#panel-secret"), "short"),
			chromedp.SendKeys(chromedp.CSS("#panel-timeout"), "2500"))
		browsertest.Submit(t, ctx, `#panel-form button[type=submit]`, `#panel-secret + .field-error`, "at least 8 bytes")
		if got := s.get("/v1/panels"); strings.Contains(string(got.raw), "hosting") {
			t.Fatalf("a refused form saved: %s", got.raw)
		}
		if got := browsertest.Eval[string](t, ctx, `document.querySelector("#panel-base-url").value`); got != "https://panel.example.com/api" {
			t.Errorf("the refused form lost the base URL: %q", got)
		}
		const secret = "panel-signing-secret-0123456789"
		browsertest.Do(t, ctx, chromedp.SendKeys(chromedp.CSS("#panel-secret"), secret))
		browsertest.Submit(t, ctx, `#panel-form button[type=submit]`, "p.notice", "Panel added")
		row := browsertest.Text(t, ctx, "#panel-hosting")
		for _, want := range []string{"hosting", "http", "https://panel.example.com/api", "2500 ms", "set"} {
			if !strings.Contains(row, want) {
				t.Errorf("the panel's row lacks %q: %q", want, row)
			}
		}
		if strings.Contains(pageSource(t, ctx), secret) {
			t.Error("the page shows the panel's secret")
		}
		if got := s.get("/v1/panels/hosting"); got.status != 200 || !strings.Contains(string(got.raw), `"secret_set":true`) ||
			!strings.Contains(string(got.raw), `"timeout_ms":2500`) {
			t.Fatalf("the API's panel: %d %s", got.status, got.raw)
		}

		// A panel that a live line uses is refused in its delete box, with the API's reason.
		s.panel(map[string]any{"name": "byhand", "type": "manual"})
		s.sale(1500, "USD", map[string]any{"panel": "byhand", "external_id": "vm-panels"})
		fitsPhone(t, ctx, s, "/panels", "#panel-byhand")
		browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS(`#panel-byhand a[href="#delete-byhand"]`)), chromedp.WaitVisible(chromedp.CSS("#delete-byhand .modal-box")))
		browsertest.Submit(t, ctx, `#delete-byhand button[type=submit]`, "#delete-error", "not terminated")
		if got := s.get("/v1/panels/byhand"); got.status != 200 {
			t.Fatalf("a panel in use was deleted: %d", got.status)
		}

		browsertest.Do(t, ctx, chromedp.Navigate(s.base+"/panels"), chromedp.WaitVisible(chromedp.CSS("#panel-hosting")),
			chromedp.Click(chromedp.CSS(`#panel-hosting a[href="#delete-hosting"]`)), chromedp.WaitVisible(chromedp.CSS("#delete-hosting .modal-box")))
		browsertest.Submit(t, ctx, `#delete-hosting button[type=submit]`, "p.notice", "Panel deleted")
		if got := s.get("/v1/panels/hosting"); got.status != 404 {
			t.Errorf("the deleted panel: %d %s", got.status, got.raw)
		}
		if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll("#panel-hosting").length`); n != 0 {
			t.Error("the deleted panel is still listed")
		}
	})
}

func TestBrowserProvidersPage(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *testServer) {
		ctx := wordsBrowser(t, s)
		browsertest.Do(t, ctx, chromedp.Navigate(s.base+"/"), chromedp.WaitVisible(chromedp.CSS(`header nav a[href="/providers"]`)),
			chromedp.Click(chromedp.CSS(`header nav a[href="/providers"]`)), chromedp.WaitVisible(chromedp.CSS("#provider-form")))
		// PayPal without its webhook id is refused beside that field, and nothing is saved.
		browsertest.Do(t, ctx,
			chromedp.SendKeys(chromedp.CSS("#provider-name"), "paypal-eu"),
			chromedp.SetValue(chromedp.CSS("#provider-type"), "paypal"))
		browsertest.Submit(t, ctx, `#provider-form button[type=submit]`, `#provider-webhook-id + .field-error`, "webhook id")
		if got := s.get("/v1/providers"); strings.Contains(string(got.raw), "paypal-eu") {
			t.Fatalf("a refused form saved: %s", got.raw)
		}
		if got := browsertest.Eval[string](t, ctx, `document.querySelector("#provider-name").value`); got != "paypal-eu" {
			t.Errorf("the refused form lost the name: %q", got)
		}

		const secret, key = "whsec_browser_secret_0123456789", "sk_test_browser_key_0123456789"
		browsertest.Do(t, ctx,
			chromedp.SetValue(chromedp.CSS("#provider-name"), "stripe-live"),
			chromedp.SetValue(chromedp.CSS("#provider-type"), "stripe"),
			chromedp.SendKeys(chromedp.CSS("#provider-webhook-secret"), secret),
			chromedp.SendKeys(chromedp.CSS("#provider-api-key"), key))
		browsertest.Submit(t, ctx, `#provider-form button[type=submit]`, "p.notice", "Provider added")
		row := browsertest.Text(t, ctx, "#provider-stripe-live")
		for _, want := range []string{"stripe-live", "Stripe", s.base + "/v1/providers/stripe-live/webhook", "live"} {
			if !strings.Contains(row, want) {
				t.Errorf("the provider's row lacks %q: %q", want, row)
			}
		}
		if got := browsertest.Text(t, ctx, "#provider-stripe-live .secret-state") + "|" + browsertest.Text(t, ctx, "#provider-stripe-live .key-state"); got != "set|set" {
			t.Errorf("secret and key shown as %q", got)
		}
		if src := pageSource(t, ctx); strings.Contains(src, secret) || strings.Contains(src, key) {
			t.Error("the page shows the provider's secret or key")
		}
		got := s.get("/v1/providers/stripe-live")
		if got.status != 200 || !strings.Contains(string(got.raw), `"webhook_secret_set":true`) || !strings.Contains(string(got.raw), `"api_key_set":true`) {
			t.Fatalf("the API's provider: %d %s", got.status, got.raw)
		}
		fitsPhone(t, ctx, s, "/providers", "#provider-stripe-live")

		browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS(`#provider-stripe-live a[href="#delete-stripe-live"]`)),
			chromedp.WaitVisible(chromedp.CSS("#delete-stripe-live .modal-box")))
		browsertest.Submit(t, ctx, `#delete-stripe-live button[type=submit]`, "p.notice", "Provider deleted")
		if got := s.get("/v1/providers/stripe-live"); got.status != 404 {
			t.Errorf("the deleted provider: %d %s", got.status, got.raw)
		}
		if got := browsertest.Text(t, ctx, "#no-providers"); !strings.Contains(got, "No provider") {
			t.Errorf("the empty list says %q", got)
		}
	})
}

// TestBrowserPanelsAndProvidersRefusedToAgents: an agent is offered neither page, reads the
// panels (as GET /v1/panels lets them) without the forms, and is refused the providers and
// every change, as by the API.
func TestBrowserPanelsAndProvidersRefusedToAgents(t *testing.T) {
	t.Parallel()
	s := startServer(t, "sqlite", nil)
	ctx := browsertest.New(t)
	s.user("admin@example.com", actor.Admin, "")
	s.panel(map[string]any{"name": "byhand", "type": "manual"})
	s.signIn(ctx, "desk@example.com", s.user("desk@example.com", actor.Agent, ""))
	browsertest.Do(t, ctx, chromedp.Navigate(s.base+"/"), chromedp.WaitVisible(chromedp.CSS(`header nav a[href="/blocklist"]`)))
	if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll('header nav a[href="/panels"], header nav a[href="/providers"]').length`); n != 0 {
		t.Error("an agent is offered the panels or providers page")
	}
	browsertest.Do(t, ctx, chromedp.Navigate(s.base+"/providers"), chromedp.WaitVisible(chromedp.CSS("main")))
	if got := browsertest.Text(t, ctx, "main"); !strings.Contains(got, "may not") {
		t.Errorf("an agent on /providers: %q", got)
	}
	browsertest.Do(t, ctx, chromedp.Navigate(s.base+"/panels"), chromedp.WaitVisible(chromedp.CSS("#panel-byhand")))
	if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll('#panel-form, a[href="#delete-byhand"]').length`); n != 0 {
		t.Error("an agent is offered to add or delete panels")
	}

	f := s.adminForms(t, actor.Agent)
	for path, form := range map[string]url.Values{
		"/panels":               {"name": {"agents"}, "type": {"manual"}},
		"/panels/byhand/delete": {"confirm": {"yes"}},
		"/providers":            {"name": {"agents"}, "type": {"generic"}, "webhook_secret": {"agent-secret-0123456789"}},
	} {
		if status, _, _ := f.post(path, f.signed(form)); status != http.StatusForbidden {
			t.Errorf("an agent's POST %s: %d", path, status)
		}
	}
	if got := s.get("/v1/panels"); strings.Contains(string(got.raw), "agents") || !strings.Contains(string(got.raw), "byhand") {
		t.Errorf("the panels after the agent's forms: %s", got.raw)
	}
	if got := s.get("/v1/providers/agents"); got.status != 404 {
		t.Errorf("an agent's provider was saved: %d", got.status)
	}
}

// TestProvidersPageWebhookAddressUsesPublicURL: behind a proxy the page was not opened at the
// address the provider must call; DISPUTED_PUBLIC_URL is that address.
func TestProvidersPageWebhookAddressUsesPublicURL(t *testing.T) {
	t.Parallel()
	s := startServer(t, "sqlite", map[string]string{"DISPUTED_PUBLIC_URL": "http://disputes.example.com:8080/"})
	want(t, s.post("/v1/providers", map[string]any{"name": "feed", "type": "generic", "webhook_secret": "feed-secret-0123456789"}), 201)
	f := s.adminForms(t, actor.Admin)
	status, body, _ := f.get("/providers")
	if status != http.StatusOK || !strings.Contains(body, "<code class=\"webhook-url\">http://disputes.example.com:8080/v1/providers/feed/webhook</code>") {
		t.Errorf("the providers page: %d\n%s", status, body)
	}
}
