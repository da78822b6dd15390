package main

import (
	"disputed/internal/testenv/browsertest"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"disputed/internal/actor"
)

// The merchant's configuration pages: settings (admins) and the block list (staff), driven in
// Chromium on both stores; what they save is read back through the API.

func TestBrowserSettingsPage(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *testServer) {
		ctx := wordsBrowser(t, s)
		browsertest.Do(t, ctx, chromedp.Navigate(s.base+"/"), chromedp.WaitVisible(chromedp.CSS(`header nav a[href="/settings"]`)))
		browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS(`header nav a[href="/settings"]`)), chromedp.WaitVisible(chromedp.CSS("#settings-form")))
		if got := browsertest.Eval[string](t, ctx, `document.querySelector("#reminder-offsets").value`); got != "72h, 24h" {
			t.Errorf("default reminder offsets shown: %q", got)
		}
		// A bad offset is refused beside its field and nothing is saved.
		browsertest.Do(t, ctx,
			chromedp.SetValue(chromedp.CSS("#merchant-name"), "Ada's Shop"),
			chromedp.SetValue(chromedp.CSS("#reminder-offsets"), "soon"))
		browsertest.Submit(t, ctx, `#settings-form button[type=submit]`, "#settings-reminders .field-error", "")
		if got := s.get("/v1/settings"); got.str("merchant_name") != "" {
			t.Fatalf("a refused form saved: %s", got.raw)
		}
		if got := browsertest.Eval[string](t, ctx, `document.querySelector("#merchant-name").value`); got != "Ada's Shop" {
			t.Errorf("the refused form lost what was typed: %q", got)
		}
		// The good values go into a freshly loaded form: the page that answered the refused POST
		// was, once in many runs, replaced again after the fields were set.
		browsertest.Do(t, ctx, chromedp.Navigate(s.base+"/settings"), chromedp.WaitVisible(chromedp.CSS("#settings-form")))
		browsertest.Do(t, ctx,
			chromedp.SetValue(chromedp.CSS("#merchant-name"), "Ada's Shop"),
			chromedp.SetValue(chromedp.CSS("#reminder-offsets"), "48h"),
			chromedp.SetValue(chromedp.CSS("#total-items"), "120"),
			browsertest.JS(`document.querySelector('#settings-form input[name=block_on_dispute]').checked = true`),
			browsertest.JS(`document.querySelector('#settings-form input[value=order_voided]').checked = false`))
		browsertest.Submit(t, ctx, `#settings-form button[type=submit]`, "p.notice", "Settings saved")
		got := s.get("/v1/settings")
		if got.str("merchant_name") != "Ada's Shop" || got.get("block_on_dispute") != true ||
			!strings.Contains(string(got.raw), `"reminder_offsets":["48h"]`) || !strings.Contains(string(got.raw), `"order_voided":false`) ||
			!strings.Contains(string(got.raw), `"dispute_opened":true`) || !strings.Contains(string(got.raw), `"total_items":120`) {
			t.Errorf("settings after the save: %s", got.raw)
		}
	})
}

func TestBrowserSettingsRefusedToAgents(t *testing.T) {
	t.Parallel()
	s := startServer(t, "sqlite", nil)
	ctx := browsertest.New(t)
	s.user("admin@example.com", actor.Admin, "") // without an admin, the site asks for its setup
	s.signIn(ctx, "agent@example.com", s.user("agent@example.com", actor.Agent, ""))
	browsertest.Do(t, ctx, chromedp.Navigate(s.base+"/"), chromedp.WaitVisible(chromedp.CSS(`header nav a[href="/blocklist"]`)))
	if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll('header nav a[href="/settings"]').length`); n != 0 {
		t.Error("an agent is offered the settings page")
	}
	browsertest.Do(t, ctx, chromedp.Navigate(s.base+"/settings"), chromedp.WaitVisible(chromedp.CSS("main")))
	if got := browsertest.Text(t, ctx, "main"); !strings.Contains(got, "may not") {
		t.Errorf("an agent on /settings: %q", got)
	}
}

func TestBrowserBlocklistPage(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *testServer) {
		ctx := wordsBrowser(t, s)
		browsertest.Do(t, ctx, chromedp.Navigate(s.base+"/blocklist"), chromedp.WaitVisible(chromedp.CSS("#block-form")))
		// A value that is not an email is refused beside the form.
		browsertest.Do(t, ctx,
			chromedp.SetValue(chromedp.CSS("#block-kind"), "email"),
			chromedp.SendKeys(chromedp.CSS("#block-value"), "not an email"))
		browsertest.Submit(t, ctx, `#block-form button[type=submit]`, "#block-error", "email")
		browsertest.Do(t, ctx,
			chromedp.SetValue(chromedp.CSS("#block-value"), "fraudster@example.com"),
			chromedp.SendKeys(chromedp.CSS("#block-reason"), "three chargebacks"))
		browsertest.Submit(t, ctx, `#block-form button[type=submit]`, "p.notice", "Blocked")
		row := browsertest.Text(t, ctx, "#blocks tbody tr")
		for _, want := range []string{"Email", "fraudster@example.com", "three chargebacks", "admin@example.com"} {
			if !strings.Contains(row, want) {
				t.Errorf("the block's row lacks %q: %q", want, row)
			}
		}
		if got := s.get("/v1/blocklist"); !strings.Contains(string(got.raw), "fraudster@example.com") {
			t.Fatalf("the API's block list: %s", got.raw)
		}
		browsertest.Submit(t, ctx, `#blocks form.unblock button`, "p.notice", "Unblocked")
		if got := s.get("/v1/blocklist"); strings.Contains(string(got.raw), "fraudster@example.com") {
			t.Errorf("still blocked after unblocking: %s", got.raw)
		}
		if got := browsertest.Text(t, ctx, "#no-blocks"); !strings.Contains(got, "Nothing is blocked") {
			t.Errorf("the empty list says %q", got)
		}
	})
}

func TestBrowserRefundFromOrderPage(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *testServer) {
		ctx := wordsBrowser(t, s)
		_, ord, ch := s.sale(4999, "USD")
		// More than is left is refused beside the form, and nothing is refunded.
		f := s.adminForms(t, actor.Agent)
		status, body, _ := f.post("/orders/"+ord+"/refund", f.signed(url.Values{"charge": {ch}, "amount": {"60.00"}, "confirm": {"yes"}}))
		if status != 422 || !strings.Contains(body, `<p class="error field-error" role="alert">amount: only 4999`) {
			t.Errorf("refunding more than is left: %d\n%s", status, body)
		}
		if got := s.get("/v1/transactions/" + ch); got.num("amount_refunded") != 0 {
			t.Fatalf("a refused refund refunded: %s", got.raw)
		}

		form := "#payment-" + ch + " form.refund-form"
		browsertest.Do(t, ctx, chromedp.Navigate(s.base+"/orders/"+ord), chromedp.WaitVisible(chromedp.CSS("#payment-"+ch)),
			chromedp.Click(chromedp.CSS("#payment-"+ch+" details.refund summary")),
			chromedp.SendKeys(chromedp.CSS(form+" input[name=amount]"), "12.50"),
			chromedp.SendKeys(chromedp.CSS(form+" input[name=reason]"), "goodwill"),
			chromedp.Click(chromedp.CSS(form+" input[name=external]")),
			chromedp.Click(chromedp.CSS(form+" input[name=confirm]")))
		browsertest.Submit(t, ctx, form+" button[type=submit]", "p.notice", "Refund recorded")
		if got := browsertest.Text(t, ctx, "#payment-"+ch+" .refunded"); got != "12.50 USD" {
			t.Errorf("refunded after the refund: %q", got)
		}
		if got := browsertest.Text(t, ctx, "#payment-"+ch+" table.refunds"); !strings.Contains(got, "goodwill") || !strings.Contains(got, "external") {
			t.Errorf("the refund's row: %q", got)
		}
		if got := s.get("/v1/transactions/" + ch); got.num("amount_refunded") != 1250 {
			t.Errorf("the API after the refund: %s", got.raw)
		}
		if got := browsertest.Text(t, ctx, "main"); !strings.Contains(got, "partially refunded") {
			t.Errorf("the order after a partial refund: %q", got)
		}
	})
}
