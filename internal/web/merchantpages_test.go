package web_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"disputed/internal/actor"
	"disputed/internal/httpapi"
	"disputed/internal/testenv"
	"disputed/internal/testenv/browsertest"
)

// The merchant's configuration pages: settings (admins) and the block list (staff), driven in
// Chromium on both stores; what they save is read back through the API.

func TestBrowserSettingsPage(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		ctx := browsertest.NewSignedIn(t, e, c, actor.Admin, "")
		browsertest.Do(t, ctx, chromedp.Navigate(c.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`header nav a[href="/settings"]`)))
		browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS(`header nav a[href="/settings"]`)), chromedp.WaitVisible(chromedp.CSS("#settings-form")))
		if got := browsertest.Eval[string](t, ctx, `document.querySelector("#reminder-offsets").value`); got != "72h, 24h" {
			t.Errorf("default reminder offsets shown: %q", got)
		}
		// A bad offset is refused beside its field and nothing is saved.
		browsertest.Do(t, ctx,
			chromedp.SetValue(chromedp.CSS("#merchant-name"), "Ada's Shop"),
			chromedp.SetValue(chromedp.CSS("#reminder-offsets"), "soon"))
		browsertest.Submit(t, ctx, `#settings-form button[type=submit]`, "#settings-reminders .field-error", "")
		if got := testenv.Want[httpapi.Settings](t, c.Get("/v1/settings"), 200); got.MerchantName != "" {
			t.Fatalf("a refused form saved: %+v", got)
		}
		if got := browsertest.Eval[string](t, ctx, `document.querySelector("#merchant-name").value`); got != "Ada's Shop" {
			t.Errorf("the refused form lost what was typed: %q", got)
		}
		// The good values go into a freshly loaded form: the page that answered the refused POST
		// was, once in many runs, replaced again after the fields were set.
		browsertest.Do(t, ctx, chromedp.Navigate(c.URL+"/settings"), chromedp.WaitVisible(chromedp.CSS("#settings-form")))
		browsertest.Do(t, ctx,
			chromedp.SetValue(chromedp.CSS("#merchant-name"), "Ada's Shop"),
			chromedp.SetValue(chromedp.CSS("#reminder-offsets"), "48h"),
			chromedp.SetValue(chromedp.CSS("#total-items"), "120"),
			browsertest.JS(`document.querySelector('#settings-form input[name=block_on_dispute]').checked = true`),
			browsertest.JS(`document.querySelector('#settings-form input[value=order_voided]').checked = false`))
		browsertest.Submit(t, ctx, `#settings-form button[type=submit]`, "p.notice", "Settings saved")
		got := testenv.Want[httpapi.Settings](t, c.Get("/v1/settings"), 200)
		if got.MerchantName != "Ada's Shop" || !got.BlockOnDispute || !slices.Equal(got.ReminderOffsets, []string{"48h"}) ||
			got.Emails["order_voided"] || !got.Emails["dispute_opened"] || got.EvidenceLimits.TotalItems != 120 {
			t.Errorf("settings after the save: %+v", got)
		}
	})
}

func TestBrowserSettingsRefusedToAgents(t *testing.T) {
	t.Parallel()
	e := testenv.New(t, "sqlite", testenv.Options{})
	c := e.Serve()
	e.User("admin@example.com", actor.Admin, "") // without an admin, the site asks for its setup
	ctx := browsertest.NewSignedIn(t, e, c, actor.Agent, "")
	browsertest.Do(t, ctx, chromedp.Navigate(c.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`header nav a[href="/blocklist"]`)))
	if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll('header nav a[href="/settings"]').length`); n != 0 {
		t.Error("an agent is offered the settings page")
	}
	browsertest.Do(t, ctx, chromedp.Navigate(c.URL+"/settings"), chromedp.WaitVisible(chromedp.CSS("main")))
	if got := browsertest.Text(t, ctx, "main"); !strings.Contains(got, "may not") {
		t.Errorf("an agent on /settings: %q", got)
	}
}

func TestBrowserBlocklistPage(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		ctx := browsertest.NewSignedIn(t, e, c, actor.Admin, "")
		browsertest.Do(t, ctx, chromedp.Navigate(c.URL+"/blocklist"), chromedp.WaitVisible(chromedp.CSS("#block-form")))
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
		if !blocked(t, c, "fraudster@example.com") {
			t.Fatal("the API's block list lacks the block")
		}
		browsertest.Submit(t, ctx, `#blocks form.unblock button`, "p.notice", "Unblocked")
		if blocked(t, c, "fraudster@example.com") {
			t.Error("still blocked after unblocking")
		}
		if got := browsertest.Text(t, ctx, "#no-blocks"); !strings.Contains(got, "Nothing is blocked") {
			t.Errorf("the empty list says %q", got)
		}
	})
}

// blocked reports whether the API's block list holds value.
func blocked(t *testing.T, c *testenv.Client, value string) bool {
	t.Helper()
	list := testenv.Want[httpapi.List[httpapi.Block]](t, c.Get("/v1/blocklist"), 200)
	return slices.ContainsFunc(list.Data, func(b httpapi.Block) bool { return b.Value == value })
}

func TestBrowserRefundFromOrderPage(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		ctx := browsertest.NewSignedIn(t, e, c, actor.Admin, "")
		sale := e.Sale(testenv.SaleParams{Amount: 4999})
		ord, ch := sale.Order.ID, sale.Charge.ID
		refunded := func() int64 {
			return testenv.Want[httpapi.Transaction](t, c.Get("/v1/transactions/"+ch), 200).AmountRefunded
		}
		// More than is left is refused beside the form, and nothing is refunded.
		f := e.Forms(c, actor.Agent, "")
		a := f.Post("/orders/"+ord+"/refund", f.Signed(url.Values{"charge": {ch}, "amount": {"60.00"}, "confirm": {"yes"}}))
		if a.Status != 422 || !strings.Contains(a.Body, `<p class="error field-error" role="alert">amount: only 4999`) {
			t.Errorf("refunding more than is left: %d\n%s", a.Status, a.Body)
		}
		if got := refunded(); got != 0 {
			t.Fatalf("a refused refund refunded %d", got)
		}

		form := "#payment-" + ch + " form.refund-form"
		browsertest.Do(t, ctx, chromedp.Navigate(c.URL+"/orders/"+ord), chromedp.WaitVisible(chromedp.CSS("#payment-"+ch)),
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
		if got := refunded(); got != 1250 {
			t.Errorf("the API after the refund: %d refunded", got)
		}
		if got := browsertest.Text(t, ctx, "main"); !strings.Contains(got, "partially refunded") {
			t.Errorf("the order after a partial refund: %q", got)
		}
	})
}
