package web_test

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/dispute"
	"disputed/internal/httpapi"
	"disputed/internal/order"
	"disputed/internal/testenv"
	"disputed/internal/testenv/browsertest"
)

// The admin UI: dashboard, dispute list, dispute and order pages, driven in Chromium for what
// people do (the modals, the manual line confirmation, evidence, resolutions) and over plain
// HTTP (adminforms_test.go) for what the server must refuse (no CSRF token, bad uploads) and for
// the figures. On SQLite, where they ran in cmd/disputed.

// adminServer is a served Env on SQLite.
func adminServer(t *testing.T) (*testenv.Env, *testenv.Client) {
	t.Helper()
	e := testenv.New(t, "sqlite", testenv.Options{})
	return e, e.Serve()
}

// adminPage is a served Env on SQLite and a browser signed in to it as an admin.
func adminPage(t *testing.T) (*testenv.Env, *testenv.Client, context.Context) {
	t.Helper()
	e, c := adminServer(t)
	return e, c, browsertest.NewSignedIn(t, e, c, actor.Admin, "")
}

// adminManualDispute opens a manual dispute for the general reason on the order, as an admin
// does on the order page.
func adminManualDispute(e *testenv.Env, orderID, description string) dispute.Dispute {
	e.T.Helper()
	return testenv.Must(e.App.OpenManualDispute(e.Ctx, testenv.Admin, orderID,
		app.ManualDisputeParams{Reason: "general", Description: description}))(e.T)
}

// adminOrder and adminDispute read an order and a dispute as the API shows them.
func adminOrder(t *testing.T, c *testenv.Client, id string) httpapi.Order {
	t.Helper()
	return testenv.Want[httpapi.Order](t, c.Get("/v1/orders/"+id), 200)
}

func adminDispute(t *testing.T, c *testenv.Client, id string) httpapi.Dispute {
	t.Helper()
	return testenv.Want[httpapi.Dispute](t, c.Get("/v1/disputes/"+id), 200)
}

// adminDeref is the value of an optional wire field, "" when it is null.
func adminDeref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func TestBrowserAdminOpenDisputeFromOrderAndConfirmLine(t *testing.T) {
	t.Parallel()
	e, c, ctx := adminPage(t)
	ord := e.ManualSale("vm-17").Order.ID

	browsertest.Do(t, ctx, chromedp.Navigate(c.URL+"/orders/"+ord), chromedp.WaitVisible(chromedp.CSS("#open-dispute-button")))
	if browsertest.Eval[bool](t, ctx, `getComputedStyle(document.querySelector("#open-dispute")).display !== "none"`) {
		t.Fatal("the Open Dispute modal shows before its button was clicked")
	}
	browsertest.Do(t, ctx,
		chromedp.Click(chromedp.CSS("#open-dispute-button")),
		chromedp.WaitVisible(chromedp.CSS("#dispute-reason")),
		chromedp.SetValue(chromedp.CSS("#dispute-reason"), "product_not_received"),
		chromedp.SendKeys(chromedp.CSS("#dispute-description"), "PayPal case: item not received"),
		chromedp.SendKeys(chromedp.CSS("#dispute-reference"), "PP-D-4711"),
		chromedp.SetValue(chromedp.CSS("#dispute-due"), "2099-03-04T05:06"),
		chromedp.Click(chromedp.CSS(`#open-dispute input[name=confirm]`)),
	)
	browsertest.Submit(t, ctx, `#open-dispute button[type=submit]`, "#dispute-indicator", "Active dispute")
	browsertest.Wait(t, ctx, "p.notice", "opened")
	browsertest.Wait(t, ctx, "#dispute-indicator", "needs response")

	o := adminOrder(t, c, ord)
	if o.DisputeID == nil || adminDeref(o.DisputeStatus) != "needs_response" {
		t.Fatalf("order after the modal: dispute %v, status %q", o.DisputeID, adminDeref(o.DisputeStatus))
	}
	d := adminDispute(t, c, *o.DisputeID)
	if d.Type != "manual" || d.Reason != "product_not_received" || adminDeref(d.Description) != "PayPal case: item not received" ||
		d.DueBy == nil || !d.DueBy.Equal(time.Date(2099, 3, 4, 5, 6, 0, 0, time.UTC)) {
		t.Fatalf("dispute opened by the modal: %+v", d)
	}

	// The manual panel cannot suspend the line by itself: the admin does it and confirms.
	browsertest.Wait(t, ctx, "#line-table", "I have done this in the panel")
	browsertest.Wait(t, ctx, "#line-table", "suspend")
	if l := adminOrder(t, c, ord).Lines[0]; adminDeref(l.PendingAction) != "suspend" || !l.Manual {
		t.Fatalf("line before the confirmation: %+v", l)
	}
	browsertest.Submit(t, ctx, "form.confirm-line button", "p.notice", "suspended")
	browsertest.Wait(t, ctx, "#line-table .line-state", "suspended")
	if l := adminOrder(t, c, ord).Lines[0]; l.State != "suspended" || adminDeref(l.PendingAction) != "" {
		t.Fatalf("line after the confirmation: %+v", l)
	}
	if got := browsertest.Eval[int](t, ctx, `document.querySelectorAll("form.confirm-line").length`); got != 0 {
		t.Fatalf("%d confirmation forms left after confirming", got)
	}

	// The dispute page shows the same dispute, with what the modal gave.
	browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS("#dispute-indicator")), chromedp.WaitVisible(chromedp.CSS("#external-reference")))
	browsertest.Wait(t, ctx, "#dispute-indicator", "Active dispute")
	browsertest.Wait(t, ctx, "#external-reference", "PP-D-4711")
	// A manual dispute carrying a PayPal case number links to the case at PayPal.
	browsertest.Wait(t, ctx, "#provider-link", "Open in paypal")
	if href := browsertest.Eval[string](t, ctx, `document.querySelector("#provider-link").href`); href != "https://www.paypal.com/resolutioncenter/PP-D-4711" {
		t.Errorf("the manual PayPal case links to %q", href)
	}
	browsertest.Wait(t, ctx, "#dispute-channel", "entered by hand")
	browsertest.Wait(t, ctx, "#defendable", "yes, until 4 Mar 2099 05:06 UTC")
	browsertest.Wait(t, ctx, "#evidence-deadline", "4 Mar 2099 05:06 UTC")
	browsertest.Wait(t, ctx, "#line-table .line-state", "suspended")
	browsertest.Wait(t, ctx, "#payment-flag", "Active Dispute")
}

func TestBrowserAdminEvidenceAndResolve(t *testing.T) {
	t.Parallel()
	e, c, ctx := adminPage(t)
	id := adminManualDispute(e, e.Sale(testenv.SaleParams{Amount: 2500, Currency: "EUR"}).Order.ID, "bank letter").ID

	browsertest.Do(t, ctx, chromedp.Navigate(c.URL+"/disputes/"+id), chromedp.WaitVisible(chromedp.CSS("#item-form")))
	for i, want := range []string{"Status", "Order items", "Payment", "Admin notes", "Dispute details", "Timeline", "Customer emails"} {
		got := browsertest.Eval[string](t, ctx, fmt.Sprintf(`Array.from(document.querySelectorAll("h2")).filter(h => h.querySelector(".num"))[%d].textContent`, i))
		if !strings.Contains(got, fmt.Sprint(i+1)) || !strings.Contains(got, want) {
			t.Fatalf("section %d is %q, want %q", i+1, got, want)
		}
	}
	// The customer's email, kept as its template and data, shows rendered.
	browsertest.Wait(t, ctx, "ol.emails summary", "is under dispute")

	// An appended text item.
	browsertest.Do(t, ctx,
		chromedp.SetValue(chromedp.CSS("#item-type"), "text"),
		chromedp.SendKeys(chromedp.CSS("#item-content"), "Delivery confirmed by the courier on 3 March."),
		chromedp.SendKeys(chromedp.CSS("#item-description"), "courier note"),
	)
	browsertest.Submit(t, ctx, "#item-form button[type=submit]", "p.notice", "Evidence added")
	browsertest.Wait(t, ctx, "#evidence-items", "Delivery confirmed by the courier")

	// A staged field, then the submission.
	browsertest.Do(t, ctx,
		chromedp.SetValue(chromedp.CSS("#stage-field"), "uncategorized_text"),
		chromedp.SendKeys(chromedp.CSS("#stage-value"), "The customer signed for the parcel."),
	)
	browsertest.Submit(t, ctx, "#stage-form button[type=submit]", "p.notice", "staged")
	browsertest.Wait(t, ctx, "#staged", "The customer signed for the parcel.")
	browsertest.Wait(t, ctx, "#staged-state", "not submitted")
	browsertest.Submit(t, ctx, "#submit-form button", "p.notice", "Evidence submitted")
	browsertest.Wait(t, ctx, "#dispute-status", "under review")
	browsertest.Wait(t, ctx, "#staged-state", "Submitted (1 time(s))")
	if got := adminDispute(t, c, id); got.Status != "under_review" || got.Evidence["uncategorized_text"] != "The customer signed for the parcel." {
		t.Fatalf("dispute after the submission: status %s, evidence %v", got.Status, got.Evidence)
	}

	// Only the resolutions of a manual dispute are offered.
	browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS("#resolve-button")), chromedp.WaitVisible(chromedp.CSS("#resolve-notes")))
	offered := browsertest.Eval[[]string](t, ctx, `Array.from(document.querySelectorAll("#resolve input[name=resolution]")).map(e => e.value)`)
	if !slices.Equal(offered, []string{"won", "lost"}) {
		t.Fatalf("resolutions offered: %v", offered)
	}
	browsertest.Do(t, ctx,
		chromedp.Click(chromedp.CSS(`#resolve input[value=won]`)),
		chromedp.SendKeys(chromedp.CSS("#resolve-notes"), "bank sided with us"),
		chromedp.Click(chromedp.CSS(`#resolve input[name=confirm]`)),
	)
	browsertest.Submit(t, ctx, "#resolve button[type=submit]", "p.notice", "resolved")
	browsertest.Wait(t, ctx, "#dispute-indicator", "Dispute ended")
	browsertest.Wait(t, ctx, "#resolution", "won")
	if got := adminDispute(t, c, id); got.Status != "won" || adminDeref(got.Resolution) != "won" || adminDeref(got.ResolutionNotes) != "bank sided with us" {
		t.Fatalf("dispute after the resolution: status %s, resolution %q, notes %q", got.Status, adminDeref(got.Resolution), adminDeref(got.ResolutionNotes))
	}
	if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll("#resolve, #concede, #item-form, #stage-form").length`); n != 0 {
		t.Fatalf("an ended dispute still offers %d forms", n)
	}
}

func TestBrowserAdminVoidAndNotes(t *testing.T) {
	t.Parallel()
	e, c, ctx := adminPage(t)
	ord := e.ManualSale("vm-9").Order.ID
	dsp := adminManualDispute(e, ord, "chargeback letter").ID

	// A note on the dispute.
	browsertest.Do(t, ctx, chromedp.Navigate(c.URL+"/disputes/"+dsp), chromedp.WaitVisible(chromedp.CSS("#note-body")))
	browsertest.Do(t, ctx, chromedp.SendKeys(chromedp.CSS("#note-body"), "Called the bank, they want the invoice."))
	browsertest.Submit(t, ctx, "#note-form button", "p.notice", "Note added")
	browsertest.Wait(t, ctx, "#note-list", "Called the bank, they want the invoice.")

	// The void modal refuses to go without a reason: the browser first.
	browsertest.Do(t, ctx, chromedp.Navigate(c.URL+"/orders/"+ord), chromedp.WaitVisible(chromedp.CSS("#void-button")))
	browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS("#void-button")), chromedp.WaitVisible(chromedp.CSS("#void-reason-input")))
	browsertest.Wait(t, ctx, "#void", "cannot be undone")
	browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS(`#void input[name=confirm]`)), chromedp.Click(chromedp.CSS(`#void button[type=submit]`)))
	time.Sleep(200 * time.Millisecond)
	if !browsertest.Eval[bool](t, ctx, `document.querySelector("#void-reason-input").validity.valueMissing && location.pathname.endsWith("/orders/`+ord+`")`) {
		t.Fatalf("the browser sent the void form without a reason (now at %s)", browsertest.Eval[string](t, ctx, "location.href"))
	}
	if st := adminOrder(t, c, ord).Status; st != "completed" {
		t.Fatalf("order after a void without a reason: %s", st)
	}

	// Then the server, for a form sent without the browser's checks.
	browsertest.Do(t, ctx, browsertest.JS(`document.querySelector("#void form").noValidate = true`))
	browsertest.Submit(t, ctx, "#void button[type=submit]", "#void .error", "Give the reason")
	if !browsertest.Eval[bool](t, ctx, `getComputedStyle(document.querySelector("#void")).display !== "none"`) {
		t.Fatal("the refused void form is not shown again")
	}
	if st := adminOrder(t, c, ord).Status; st != "completed" {
		t.Fatalf("order after a void the server refused: %s", st)
	}

	browsertest.Do(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#void-reason-input"), "fraudulent order, card reported stolen"),
		browsertest.JS(`document.querySelector("#void input[name=confirm]").checked = true`),
	)
	browsertest.Submit(t, ctx, "#void button[type=submit]", "p.notice", "Order voided")
	browsertest.Wait(t, ctx, "#void-reason", "fraudulent order, card reported stolen")
	browsertest.Wait(t, ctx, ".page-head", "voided")
	if o := adminOrder(t, c, ord); o.Status != "voided" || o.DisputeID != nil {
		t.Fatalf("order after the void: status %s, dispute %v", o.Status, o.DisputeID)
	}
	if d := adminDispute(t, c, dsp); d.Status != "closed" || adminDeref(d.Resolution) != "voided" {
		t.Fatalf("the open dispute after the void: status %s, resolution %q", d.Status, adminDeref(d.Resolution))
	}
	if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll("#void-button, #open-dispute-button, #void, #open-dispute").length`); n != 0 {
		t.Fatalf("a voided order still offers %d actions", n)
	}
}

func TestBrowserAdminXSSInert(t *testing.T) {
	t.Parallel()
	e, c, ctx := adminPage(t)
	customer := testenv.Must(e.App.CreateCustomer(e.Ctx, testenv.Admin, app.CustomerParams{Email: "mallory@example.com", Name: xss}))(t)
	amount := int64(900)
	o := testenv.Must(e.App.CreateOrder(e.Ctx, testenv.Admin, app.OrderParams{CustomerID: customer.ID, Currency: "USD",
		Items: []app.ItemParams{{Description: xss, Amount: &amount, Quantity: 1, Line: &order.LineSpec{Panel: "manual", ExternalID: "x-1"}}}}))(t)
	ord := o.Order.ID
	testenv.Must(e.App.CompleteOrder(e.Ctx, testenv.Admin, ord))(t)
	testenv.Must(e.App.CreateTransaction(e.Ctx, testenv.Admin, app.TransactionParams{Kind: "charge", OrderID: ord,
		Money: app.Money{Amount: &amount, Currency: "USD"}}))(t)

	// The reason goes in through the modal, the note and the evidence through the dispute page.
	browsertest.Do(t, ctx, chromedp.Navigate(c.URL+"/orders/"+ord+"#open-dispute"), chromedp.WaitVisible(chromedp.CSS("#dispute-reason")))
	xssInert(t, ctx, "order page", xss)
	browsertest.Do(t, ctx,
		chromedp.SetValue(chromedp.CSS("#dispute-reason"), "general"),
		chromedp.SetValue(chromedp.CSS("#dispute-description"), xss),
		chromedp.SetValue(chromedp.CSS("#dispute-reference"), "ref"+xss),
		chromedp.Click(chromedp.CSS(`#open-dispute input[name=confirm]`)),
	)
	browsertest.Submit(t, ctx, `#open-dispute button[type=submit]`, "#dispute-indicator", "Active dispute")
	dsp := adminDeref(adminOrder(t, c, ord).DisputeID)
	browsertest.Do(t, ctx, chromedp.Navigate(c.URL+"/disputes/"+dsp), chromedp.WaitVisible(chromedp.CSS("#note-body")))
	browsertest.Do(t, ctx, chromedp.SetValue(chromedp.CSS("#note-body"), xss))
	browsertest.Submit(t, ctx, "#note-form button", "p.notice", "Note added")
	browsertest.Do(t, ctx, chromedp.SetValue(chromedp.CSS("#item-type"), "text"), chromedp.SetValue(chromedp.CSS("#item-content"), xss),
		chromedp.SetValue(chromedp.CSS("#item-description"), xss))
	browsertest.Submit(t, ctx, "#item-form button[type=submit]", "p.notice", "Evidence added")
	browsertest.Do(t, ctx, chromedp.SetValue(chromedp.CSS("#stage-field"), "product_description"), chromedp.SetValue(chromedp.CSS("#stage-value"), xss))
	browsertest.Submit(t, ctx, "#stage-form button[type=submit]", "p.notice", "staged")

	for _, sel := range []string{"#customer-name", "#line-table .item-description", "#dispute-description", "#note-list", "#evidence-items", "#staged", "#external-reference"} {
		browsertest.Wait(t, ctx, sel, xss)
	}
	xssInert(t, ctx, "dispute page", xss)
	browsertest.Do(t, ctx, chromedp.Navigate(c.URL+"/orders/"+ord), chromedp.WaitVisible(chromedp.CSS("#void-button")))
	xssInert(t, ctx, "order page with its dispute", xss)
	for _, page := range []string{"/disputes", "/disputes?q=" + url.QueryEscape(xss), "/"} {
		browsertest.Do(t, ctx, chromedp.Navigate(c.URL+page), chromedp.WaitVisible(chromedp.CSS("main h1")))
		if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll('#xss, #xssb, img[src="x"], script:not([src])').length + (window.xssRan ? 1 : 0)`); n != 0 {
			t.Errorf("%s: the payload became markup", page)
		}
	}
}
