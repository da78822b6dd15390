package web_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"disputed/internal/actor"
	"disputed/internal/httpapi"
	"disputed/internal/testenv"
	"disputed/internal/testenv/browsertest"
)

// TestBrowserExchangeRatesPage: an admin reaches the exchange rates from the settings, records a
// rate (a bad one refused beside the form, nothing stored), reads it in the list, deletes it,
// and sets the reporting currency the page shows; on a 390 px phone nothing scrolls sideways.
// What the pages save is read back through the API.
func TestBrowserExchangeRatesPage(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		ctx := browsertest.NewSignedIn(t, e, c, actor.Admin, "")
		rates := func() []httpapi.ExchangeRate {
			return testenv.Want[httpapi.List[httpapi.ExchangeRate]](t, c.Get("/v1/exchange_rates"), 200).Data
		}
		browsertest.Do(t, ctx, chromedp.Navigate(c.URL+"/settings"), chromedp.WaitVisible(chromedp.CSS("#settings-form")))
		browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS(`.page-head nav a[href="/settings/exchange-rates"]`)), chromedp.WaitVisible(chromedp.CSS("#rate-form")))
		if got := browsertest.Text(t, ctx, "#reporting-currency"); !strings.Contains(got, "reported in USD") {
			t.Errorf("the default reporting currency reads %q", got)
		}
		if got := browsertest.Text(t, ctx, "#no-rates"); !strings.Contains(got, "No exchange rate") {
			t.Errorf("the empty list says %q", got)
		}

		browsertest.Do(t, ctx,
			chromedp.SendKeys(chromedp.CSS("#rate-from"), "eur"),
			chromedp.SendKeys(chromedp.CSS("#rate-to"), "usd"),
			chromedp.SendKeys(chromedp.CSS("#rate-rate"), "1.08e0"))
		browsertest.Submit(t, ctx, `#rate-form button[type=submit]`, "#rate-error", "rate")
		if got := rates(); len(got) != 0 {
			t.Fatalf("a refused rate was stored: %+v", got)
		}
		if got := browsertest.Eval[string](t, ctx, `document.querySelector("#rate-from").value`); got != "eur" {
			t.Errorf("the refused form lost what was typed: %q", got)
		}
		browsertest.Do(t, ctx,
			chromedp.SetValue(chromedp.CSS("#rate-rate"), "1.0842"),
			chromedp.SetValue(chromedp.CSS("#rate-effective"), "2026-01-01T00:00"))
		browsertest.Submit(t, ctx, `#rate-form button[type=submit]`, "p.notice", "Exchange rate recorded")
		got := rates()
		if len(got) != 1 || got[0].From != "EUR" || got[0].To != "USD" || got[0].Rate != "1.0842" || got[0].EffectiveFrom.Format("2006-01-02T15:04") != "2026-01-01T00:00" {
			t.Fatalf("the API's rates after recording: %+v", got)
		}
		row := browsertest.Text(t, ctx, "#rates tbody tr")
		for _, want := range []string{"1 EUR = 1.0842 USD", "2026", "admin@example.com"} {
			if !strings.Contains(row, want) {
				t.Errorf("the rate's row lacks %q: %q", want, row)
			}
		}

		browsertest.Do(t, ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
		for _, p := range []struct{ path, ready string }{{"/settings/exchange-rates", "#rates"}, {"/settings", "#settings-reporting"}} {
			htmxPageReady(t, ctx, c.URL+p.path, p.ready)
			if w := browsertest.Eval[int](t, ctx, `document.documentElement.scrollWidth`); w > 390 {
				t.Errorf("%s is %d px wide on a 390 px phone: it scrolls sideways", p.path, w)
			}
		}

		// The settings page sets the reporting currency the rates page shows.
		browsertest.Do(t, ctx, chromedp.SetValue(chromedp.CSS("#reporting-currency"), "xyz"))
		browsertest.Submit(t, ctx, `#settings-form button[type=submit]`, "#settings-reporting .field-error", "ISO 4217")
		browsertest.Do(t, ctx, chromedp.Navigate(c.URL+"/settings"), chromedp.WaitVisible(chromedp.CSS("#settings-form")),
			chromedp.SetValue(chromedp.CSS("#reporting-currency"), "eur"))
		browsertest.Submit(t, ctx, `#settings-form button[type=submit]`, "p.notice", "Settings saved")
		if s := testenv.Want[httpapi.Settings](t, c.Get("/v1/settings"), 200); s.ReportingCurrency != "EUR" {
			t.Errorf("reporting_currency after the save: %q", s.ReportingCurrency)
		}
		browsertest.Do(t, ctx, chromedp.Navigate(c.URL+"/settings/exchange-rates"), chromedp.WaitVisible(chromedp.CSS("#rates")))
		if got := browsertest.Text(t, ctx, "#reporting-currency"); !strings.Contains(got, "reported in EUR") {
			t.Errorf("the reporting currency reads %q", got)
		}

		browsertest.Submit(t, ctx, `#rates form.delete-rate button`, "p.notice", "Exchange rate deleted")
		if got := rates(); len(got) != 0 {
			t.Errorf("the API's rates after deleting: %+v", got)
		}
	})
}

// TestExchangeRatesPageForAgents: an agent reads the rates and the reporting currency, is offered
// no form, and a form sent by hand is refused with nothing stored.
func TestExchangeRatesPageForAgents(t *testing.T) {
	t.Parallel()
	e := testenv.New(t, "sqlite", testenv.Options{})
	c := e.Serve()
	e.User("admin@example.com", actor.Admin, "")
	testenv.Want[httpapi.ExchangeRate](t, c.Post("/v1/exchange_rates", map[string]any{"from": "GBP", "to": "USD", "rate": "1.25"}), 201)
	f := e.Forms(c, actor.Agent, "")
	page := f.Get("/settings/exchange-rates")
	if page.Status != 200 || !strings.Contains(page.Body, "1 GBP = <strong>1.25</strong> USD") || !strings.Contains(page.Body, "<strong>USD</strong>") {
		t.Errorf("an agent's page: %d\n%s", page.Status, page.Body)
	}
	for _, offered := range []string{`id="rate-form"`, `delete-rate`, `href="/settings"`} {
		if strings.Contains(page.Body, offered) {
			t.Errorf("an agent is offered %s", offered)
		}
	}
	a := f.Post("/settings/exchange-rates", f.Signed(url.Values{"from": {"EUR"}, "to": {"USD"}, "rate": {"1.1"}}))
	if a.Status != 403 {
		t.Errorf("an agent recording a rate: %d", a.Status)
	}
	if got := testenv.Want[httpapi.List[httpapi.ExchangeRate]](t, c.Get("/v1/exchange_rates"), 200).Data; len(got) != 1 {
		t.Errorf("rates after the agent's refused form: %+v", got)
	}
}
