package web_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/dispute"
	"disputed/internal/httpapi"
	"disputed/internal/testenv"
	"disputed/internal/testenv/browsertest"
)

// The admin UI says more than machine words: lists name the customer and what was bought,
// search finds disputes by what a merchant has at hand, reasons and the timeline read as
// words with people's emails, an unmatched dispute is matched from its page, the due date and
// tags are edited there, and an ended dispute shows no due date. On both stores.

// listedText is the text of the dispute list (or the dashboard's due-soon table) at url.
func listedText(t *testing.T, ctx context.Context, url, table string) string {
	t.Helper()
	browsertest.Do(t, ctx, chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS("main")))
	return browsertest.Eval[string](t, ctx, `(document.querySelector("`+table+`") || {}).textContent || "(no `+table+`)"`)
}

// wordsDispute is a fraud chargeback on a new sale to Ada, due in 30 hours.
func wordsDispute(e *testenv.Env) (dispute.Dispute, testenv.Sale) {
	e.T.Helper()
	sale := e.Sale(testenv.SaleParams{Amount: 4999})
	return e.Dispute(sale, "chargeback", func(p *app.DisputeParams) {
		p.Reason, p.NetworkReasonCode, p.DueBy = "fraudulent", "10.4", e.Clock.Now().Add(30*time.Hour)
	}), sale
}

func TestBrowserDisputeListsInWords(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		ctx := browsertest.NewSignedIn(t, e, c, actor.Admin, "")
		d, sale := wordsDispute(e)
		id, ord := d.ID, sale.Order.ID

		// The list and the dashboard name the customer and the item; search finds the dispute
		// by its order id, the provider's charge id and the customer's name.
		for _, path := range []string{"/disputes", "/disputes?q=" + url.QueryEscape(strings.ToUpper(ord)),
			"/disputes?q=ch_" + url.QueryEscape(ord), "/disputes?q=ada"} {
			if got := listedText(t, ctx, c.URL+path, "#dispute-list"); !strings.Contains(got, id) || !strings.Contains(got, "Ada") ||
				!strings.Contains(got, "IPTV 12 months") || !strings.Contains(got, "Fraud: payment not authorized") {
				t.Errorf("%s: the list lacks the dispute, its customer, item or reason in words: %q", path, got)
			}
		}
		if got := listedText(t, ctx, c.URL+"/disputes?q=nobody-by-that-name", "main"); strings.Contains(got, id) {
			t.Errorf("a search for nobody lists the dispute: %q", got)
		}
		if got := listedText(t, ctx, c.URL+"/", "#urgent-table"); !strings.Contains(got, "Ada") || !strings.Contains(got, "IPTV 12 months") {
			t.Errorf("the dashboard's due-soon table lacks the customer or the item: %q", got)
		}
	})
}

func TestBrowserDisputePageInWords(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		ctx := browsertest.NewSignedIn(t, e, c, actor.Admin, "")
		d, _ := wordsDispute(e)
		id := d.ID
		page := c.URL + "/disputes/" + id

		// The reason and the network code read as words.
		browsertest.Do(t, ctx, chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS("#stage-form")))
		if got := browsertest.Text(t, ctx, "#dispute-reason"); got != "Fraud: payment not authorized" {
			t.Errorf("reason: %q", got)
		}
		// The code's name and family come from the reason-code catalogue.
		if got := browsertest.Text(t, ctx, "#network-code"); got != "Visa 10.4 · Other Fraud – Card-Absent" {
			t.Errorf("network code: %q", got)
		}
		if got := browsertest.Text(t, ctx, "#reason-family"); got != "Fraud" {
			t.Errorf("reason family: %q", got)
		}

		// Staging a field reads as what was staged, by the admin's email.
		browsertest.Do(t, ctx,
			chromedp.SetValue(chromedp.CSS("#stage-field"), "customer_name"),
			chromedp.SendKeys(chromedp.CSS("#stage-value"), "Ada Lovelace"))
		browsertest.Submit(t, ctx, `#stage-form button[type=submit]`, "p.notice", "staged")
		timeline := browsertest.Text(t, ctx, "#timeline")
		for _, want := range []string{"Evidence staged: customer_name", "admin@example.com", "Dispute opened"} {
			if !strings.Contains(timeline, want) {
				t.Errorf("the timeline lacks %q: %q", want, timeline)
			}
		}
		for _, machine := range []string{"needs_response", "admin:usr_", "Needs response → Needs response", "—"} {
			if strings.Contains(timeline, machine) {
				t.Errorf("the timeline still says %q: %q", machine, timeline)
			}
		}

		// Due date and tags are edited on the page.
		browsertest.Do(t, ctx,
			chromedp.SetValue(chromedp.CSS(`#details-form input[name=due_by]`), "2099-03-04T05:06"),
			chromedp.SetValue(chromedp.CSS(`#details-form input[name=tags]`), "vip, chargeback-team"))
		browsertest.Submit(t, ctx, `#details-form button[type=submit]`, "p.notice", "saved")
		if got := browsertest.Text(t, ctx, "#evidence-deadline"); got != "4 Mar 2099 05:06 UTC" {
			t.Errorf("due date after the edit: %q", got)
		}
		if got := browsertest.Text(t, ctx, "#tags"); !strings.Contains(got, "vip") || !strings.Contains(got, "chargeback-team") {
			t.Errorf("tags after the edit: %q", got)
		}
		wantDue := time.Date(2099, 3, 4, 5, 6, 0, 0, time.UTC)
		if got := testenv.Want[httpapi.Dispute](t, c.Get("/v1/disputes/"+id), 200).DueBy; got == nil || !got.Truncate(time.Minute).Equal(wantDue) {
			t.Errorf("the API's due date after the edit: %v, want %v", got, wantDue)
		}

		// Once it ended, the dispute shows no due date, on its page or in the list.
		testenv.Must(e.App.ResolveDispute(e.Ctx, testenv.Admin, id, nil, app.ResolveParams{Resolution: "won"}))(t)
		browsertest.Do(t, ctx, chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS("#dispute-indicator")))
		if got := browsertest.Text(t, ctx, "#evidence-deadline"); got != "—" {
			t.Errorf("an ended dispute's due date: %q", got)
		}
		if got := listedText(t, ctx, c.URL+"/disputes?q="+id, "#dispute-list"); strings.Contains(got, "2099") {
			t.Errorf("the list shows an ended dispute's due date: %q", got)
		}
	})
}

func TestBrowserMatchUnmatchedDispute(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		ctx := browsertest.NewSignedIn(t, e, c, actor.Admin, "")
		sale := e.Sale(testenv.SaleParams{Amount: 1000})
		amount := int64(1000)
		alert := testenv.Must(e.App.CreateDispute(e.Ctx, testenv.Admin, app.DisputeParams{Type: "alert", AlertType: "ethoca",
			Money: app.Money{Amount: &amount, Currency: "usd"}}))(t)
		browsertest.Do(t, ctx, chromedp.Navigate(c.URL+"/disputes/"+alert.ID), chromedp.WaitVisible(chromedp.CSS("#match-form")))
		if got := browsertest.Text(t, ctx, "#unmatched"); !strings.Contains(got, "Not matched to a charge") {
			t.Fatalf("the unmatched notice: %q", got)
		}
		// A charge nobody knows is refused beside the field, and nothing changes.
		browsertest.Do(t, ctx, chromedp.SendKeys(chromedp.CSS(`#match-form input[name=charge]`), "ch_nobody"))
		browsertest.Submit(t, ctx, `#match-form button[type=submit]`, "#match-error", "ch_nobody")
		if got := testenv.Want[httpapi.Dispute](t, c.Get("/v1/disputes/"+alert.ID), 200); got.TransactionID != nil {
			t.Fatalf("a refused match matched the dispute to %s", *got.TransactionID)
		}
		// The provider's charge id matches it.
		ch := sale.Charge.ID
		browsertest.Do(t, ctx, chromedp.SetValue(chromedp.CSS(`#match-form input[name=charge]`), "ch_"+sale.Order.ID))
		browsertest.Submit(t, ctx, `#match-form button[type=submit]`, "p.notice", "matched")
		if got := browsertest.Text(t, ctx, "#s-payment + p code, section[aria-labelledby=s-payment] p code"); got != ch {
			t.Errorf("the payment section after the match shows %q, want %s", got, ch)
		}
		if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll("#match-form, #unmatched").length`); n != 0 {
			t.Error("a matched dispute still offers the match form")
		}
		if got := browsertest.Text(t, ctx, "#timeline"); !strings.Contains(got, "Matched to a charge") || !strings.Contains(got, "Charge "+ch) {
			t.Errorf("the timeline after the match: %q", got)
		}
	})
}
