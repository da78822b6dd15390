package web_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/httpapi"
	"disputed/internal/order"
	"disputed/internal/testenv"
	"disputed/internal/testenv/browsertest"
)

// The admin pages of what the server talks to: panels and payment providers, driven in
// Chromium on both stores; what they save is read back through the API.

// integrationFitsPhone reloads the page at path on a 390 px wide phone and checks that nothing scrolls
// it sideways.
func integrationFitsPhone(t *testing.T, ctx context.Context, c *testenv.Client, path, ready string) {
	t.Helper()
	browsertest.Do(t, ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	browsertest.Do(t, ctx, chromedp.Navigate(c.URL+path), chromedp.WaitVisible(chromedp.CSS(ready)))
	if w := browsertest.Eval[int](t, ctx, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("%s is %d px wide on a 390 px phone: it scrolls sideways", path, w)
	}
}

// integrationPageSource is the whole document as the browser has it.
func integrationPageSource(t *testing.T, ctx context.Context) string {
	t.Helper()
	return browsertest.Eval[string](t, ctx, `document.documentElement.outerHTML`)
}

// integrationNames are the names of the panels (path /v1/panels) or providers (/v1/providers)
// the API lists.
func integrationNames[T httpapi.Panel | httpapi.Provider](t *testing.T, c *testenv.Client, path string) []string {
	t.Helper()
	var names []string
	for _, v := range testenv.Want[httpapi.List[T]](t, c.Get(path), http.StatusOK).Data {
		switch v := any(v).(type) {
		case httpapi.Panel:
			names = append(names, v.Name)
		case httpapi.Provider:
			names = append(names, v.Name)
		}
	}
	return names
}

func TestBrowserPanelsPage(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		ctx := browsertest.NewSignedIn(t, e, c, actor.Admin, "")
		browsertest.Do(t, ctx, chromedp.Navigate(c.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`header nav a[href="/panels"]`)),
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
		if names := integrationNames[httpapi.Panel](t, c, "/v1/panels"); slices.Contains(names, "hosting") {
			t.Fatalf("a refused form saved: %v", names)
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
		if strings.Contains(integrationPageSource(t, ctx), secret) {
			t.Error("the page shows the panel's secret")
		}
		if p := testenv.Want[httpapi.Panel](t, c.Get("/v1/panels/hosting"), http.StatusOK); !p.Config.SecretSet || p.Config.TimeoutMS != 2500 {
			t.Fatalf("the API's panel: %+v", p)
		}

		// A panel that a live line uses is refused in its delete box, with the API's reason.
		testenv.Must(e.App.CreatePanel(e.Ctx, testenv.Admin, app.PanelParams{Name: "byhand", Type: "manual"}))(t)
		e.Sale(testenv.SaleParams{Line: &order.LineSpec{Panel: "byhand", ExternalID: "vm-panels"}})
		integrationFitsPhone(t, ctx, c, "/panels", "#panel-byhand")
		browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS(`#panel-byhand a[href="#delete-byhand"]`)), chromedp.WaitVisible(chromedp.CSS("#delete-byhand .modal-box")))
		browsertest.Submit(t, ctx, `#delete-byhand button[type=submit]`, "#delete-error", "not terminated")
		testenv.WantStatus(t, c.Get("/v1/panels/byhand"), http.StatusOK) // a panel in use is not deleted

		browsertest.Do(t, ctx, chromedp.Navigate(c.URL+"/panels"), chromedp.WaitVisible(chromedp.CSS("#panel-hosting")),
			chromedp.Click(chromedp.CSS(`#panel-hosting a[href="#delete-hosting"]`)), chromedp.WaitVisible(chromedp.CSS("#delete-hosting .modal-box")))
		browsertest.Submit(t, ctx, `#delete-hosting button[type=submit]`, "p.notice", "Panel deleted")
		if got := c.Get("/v1/panels/hosting"); got.Status != http.StatusNotFound {
			t.Errorf("the deleted panel: %d %s", got.Status, got.Raw)
		}
		if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll("#panel-hosting").length`); n != 0 {
			t.Error("the deleted panel is still listed")
		}
	})
}

func TestBrowserProvidersPage(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		ctx := browsertest.NewSignedIn(t, e, c, actor.Admin, "")
		browsertest.Do(t, ctx, chromedp.Navigate(c.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`header nav a[href="/providers"]`)),
			chromedp.Click(chromedp.CSS(`header nav a[href="/providers"]`)), chromedp.WaitVisible(chromedp.CSS("#provider-form")))
		// PayPal without its webhook id is refused beside that field, and nothing is saved.
		browsertest.Do(t, ctx,
			chromedp.SendKeys(chromedp.CSS("#provider-name"), "paypal-eu"),
			chromedp.SetValue(chromedp.CSS("#provider-type"), "paypal"))
		browsertest.Submit(t, ctx, `#provider-form button[type=submit]`, `#provider-webhook-id + .field-error`, "webhook id")
		if names := integrationNames[httpapi.Provider](t, c, "/v1/providers"); slices.Contains(names, "paypal-eu") {
			t.Fatalf("a refused form saved: %v", names)
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
		for _, want := range []string{"stripe-live", "Stripe", c.URL + "/v1/providers/stripe-live/webhook", "live"} {
			if !strings.Contains(row, want) {
				t.Errorf("the provider's row lacks %q: %q", want, row)
			}
		}
		if got := browsertest.Text(t, ctx, "#provider-stripe-live .secret-state") + "|" + browsertest.Text(t, ctx, "#provider-stripe-live .key-state"); got != "set|set" {
			t.Errorf("secret and key shown as %q", got)
		}
		if src := integrationPageSource(t, ctx); strings.Contains(src, secret) || strings.Contains(src, key) {
			t.Error("the page shows the provider's secret or key")
		}
		if p := testenv.Want[httpapi.Provider](t, c.Get("/v1/providers/stripe-live"), http.StatusOK); !p.WebhookSecretSet || !p.APIKeySet {
			t.Fatalf("the API's provider: %+v", p)
		}
		integrationFitsPhone(t, ctx, c, "/providers", "#provider-stripe-live")

		browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS(`#provider-stripe-live a[href="#delete-stripe-live"]`)),
			chromedp.WaitVisible(chromedp.CSS("#delete-stripe-live .modal-box")))
		browsertest.Submit(t, ctx, `#delete-stripe-live button[type=submit]`, "p.notice", "Provider deleted")
		if got := c.Get("/v1/providers/stripe-live"); got.Status != http.StatusNotFound {
			t.Errorf("the deleted provider: %d %s", got.Status, got.Raw)
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
	e := testenv.New(t, "sqlite", testenv.Options{})
	c := e.Serve()
	e.User("admin@example.com", actor.Admin, "")
	testenv.Must(e.App.CreatePanel(e.Ctx, testenv.Admin, app.PanelParams{Name: "byhand", Type: "manual"}))(t)
	ctx := browsertest.NewSignedIn(t, e, c, actor.Agent, "")
	browsertest.Do(t, ctx, chromedp.Navigate(c.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`header nav a[href="/blocklist"]`)))
	if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll('header nav a[href="/panels"], header nav a[href="/providers"]').length`); n != 0 {
		t.Error("an agent is offered the panels or providers page")
	}
	browsertest.Do(t, ctx, chromedp.Navigate(c.URL+"/providers"), chromedp.WaitVisible(chromedp.CSS("main")))
	if got := browsertest.Text(t, ctx, "main"); !strings.Contains(got, "may not") {
		t.Errorf("an agent on /providers: %q", got)
	}
	browsertest.Do(t, ctx, chromedp.Navigate(c.URL+"/panels"), chromedp.WaitVisible(chromedp.CSS("#panel-byhand")))
	if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll('#panel-form, a[href="#delete-byhand"]').length`); n != 0 {
		t.Error("an agent is offered to add or delete panels")
	}

	// The forms the page does not offer, sent by the same agent over plain HTTP.
	f := testenv.SignInForms(t, c.URL, "agent@example.com", testenv.Password)
	for path, form := range map[string]url.Values{
		"/panels":               {"name": {"agents"}, "type": {"manual"}},
		"/panels/byhand/delete": {"confirm": {"yes"}},
		"/providers":            {"name": {"agents"}, "type": {"generic"}, "webhook_secret": {"agent-secret-0123456789"}},
	} {
		if a := f.Post(path, f.Signed(form)); a.Status != http.StatusForbidden {
			t.Errorf("an agent's POST %s: %d", path, a.Status)
		}
	}
	if names := integrationNames[httpapi.Panel](t, c, "/v1/panels"); slices.Contains(names, "agents") || !slices.Contains(names, "byhand") {
		t.Errorf("the panels after the agent's forms: %v", names)
	}
	if got := c.Get("/v1/providers/agents"); got.Status != http.StatusNotFound {
		t.Errorf("an agent's provider was saved: %d", got.Status)
	}
}
