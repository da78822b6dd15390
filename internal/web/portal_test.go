package web_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/dispute"
	"disputed/internal/order"
	"disputed/internal/testenv"
	"disputed/internal/testenv/browsertest"
)

// The portal for buyers and vendors, driven in Chromium. The security tests of the same pages are
// in security_test.go, the operations pages in ops_test.go.

// portalPath is the path of the page the browser shows.
func portalPath(t *testing.T, ctx context.Context) string {
	t.Helper()
	return browsertest.Eval[string](t, ctx, `location.pathname + location.search`)
}

// portalSaleDisputed is a sale of amount (USD minor units) on a service line of the manual panel,
// with a marketplace dispute the buyer opened, and returns the sale and the dispute's id.
func portalSaleDisputed(t *testing.T, e *testenv.Env, amount int64) (testenv.Sale, string) {
	t.Helper()
	s := e.Sale(testenv.SaleParams{Amount: amount, Line: &order.LineSpec{Panel: "manual", ExternalID: "svc-1"}})
	return s, e.Dispute(s, "marketplace", func(p *app.DisputeParams) { p.Description = "not as described" }).ID
}

// portalDisputeOf opens a marketplace dispute on a new completed and charged order of the
// customer (and vendor, when given), with the description, and returns its id.
func portalDisputeOf(t *testing.T, e *testenv.Env, customer, vendor, description string) string {
	t.Helper()
	amount := int64(1500)
	o := testenv.Must(e.App.CreateOrder(e.Ctx, testenv.Admin, app.OrderParams{CustomerID: customer, VendorID: vendor, Currency: "USD",
		Items: []app.ItemParams{{Description: "IPTV 12 months", Amount: &amount, Quantity: 1}}}))(t)
	testenv.Must(e.App.CompleteOrder(e.Ctx, testenv.Admin, o.Order.ID))(t)
	testenv.Must(e.App.CreateTransaction(e.Ctx, testenv.Admin, app.TransactionParams{Kind: "charge", OrderID: o.Order.ID,
		Money: app.Money{Amount: &amount, Currency: "USD"}, Provider: "stripe", ProviderReference: "ch_" + o.Order.ID}))(t)
	return testenv.Must(e.App.CreateDispute(e.Ctx, testenv.Admin, app.DisputeParams{Type: "marketplace", OrderID: o.Order.ID,
		InitiatedBy: "buyer", Description: description}))(t).ID
}

// portalCustomer records a customer.
func portalCustomer(t *testing.T, e *testenv.Env, email, name string) string {
	t.Helper()
	return testenv.Must(e.App.CreateCustomer(e.Ctx, testenv.Admin, app.CustomerParams{Email: email, Name: name}))(t).ID
}

// portalReview moves a dispute to review, with the note.
func portalReview(t *testing.T, e *testenv.Env, id, note string) {
	t.Helper()
	testenv.Must(e.App.MoveDispute(e.Ctx, testenv.Admin, id, nil, "pending_review", note))(t)
}

// portalHTML is the page's whole HTML as the browser holds it.
func portalHTML(t *testing.T, ctx context.Context) string {
	t.Helper()
	return browsertest.Eval[string](t, ctx, `document.documentElement.outerHTML`)
}

// portalOpen loads a page and waits until sel is there.
func portalOpen(t *testing.T, ctx context.Context, url, sel string) {
	t.Helper()
	browsertest.Do(t, ctx, chromedp.Navigate(url))
	browsertest.Wait(t, ctx, sel, "")
}

// portalAct runs actions that load another page (a click on a form's button, a form's submit)
// and waits until the text of sel on the new page contains want. The current page's messages and
// shown secret are removed first, so that the old page's cannot pass for the new one's.
func portalAct(t *testing.T, ctx context.Context, sel, want string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	browsertest.Do(t, ctx, browsertest.JS(`document.querySelectorAll("p.notice, p.error, #secret").forEach(e => e.remove())`))
	browsertest.Do(t, ctx, actions...)
	browsertest.Wait(t, ctx, sel, want)
}

// portalOpenDetails opens the <details> around the element sel names, as a click on its summary
// does.
func portalOpenDetails(sel string) chromedp.Action[chromedp.Void] {
	return browsertest.JS(fmt.Sprintf(`document.querySelector(%q).closest("details").open = true`, sel))
}

// TestBrowserPortalOnlyOwnDisputes: a buyer sees the disputes about their own orders, never
// another buyer's, and never the merchant's internal notes; staff pages send them back to the
// portal.
func TestBrowserPortalOnlyOwnDisputes(t *testing.T) {
	t.Parallel()
	e := testenv.New(t, "sqlite", testenv.Options{})
	c := e.Serve()
	sale, mine := portalSaleDisputed(t, e, 1234)
	_, theirs := portalSaleDisputed(t, e, 5678)
	const note = "INTERNAL-NOTE buyer has three earlier chargebacks"
	testenv.Must(e.App.AddNote(e.Ctx, testenv.Admin, mine, note))(t)
	testenv.Must(e.App.AddNote(e.Ctx, testenv.Admin, theirs, note))(t)
	e.User("admin@example.com", actor.Admin, "") // without an admin, sign-in sends everyone to /setup

	ctx := browsertest.NewSignedIn(t, e, c, actor.Buyer, sale.Customer.ID)
	if p := portalPath(t, ctx); p != "/portal" {
		t.Fatalf("a buyer lands on %s, want /portal", p)
	}
	html := portalHTML(t, ctx)
	if !strings.Contains(html, mine) || !strings.Contains(html, "12.34 USD") {
		t.Errorf("the portal does not list the buyer's dispute %s:\n%s", mine, html)
	}
	if strings.Contains(html, theirs) || strings.Contains(html, "56.78") || strings.Contains(html, note) {
		t.Errorf("the portal shows another buyer's dispute or a note:\n%s", html)
	}

	portalOpen(t, ctx, c.URL+"/portal/disputes/"+theirs, "main h1")
	if h := browsertest.Text(t, ctx, "main h1"); h != "Not found" {
		t.Errorf("another buyer's dispute: %q, want Not found", h)
	}
	if html := portalHTML(t, ctx); strings.Contains(html, "56.78") || strings.Contains(html, note) || strings.Contains(html, "not as described") {
		t.Errorf("another buyer's dispute leaks:\n%s", html)
	}

	portalOpen(t, ctx, c.URL+"/portal/disputes/"+mine, "#status")
	if st := browsertest.Text(t, ctx, "#status"); st != "open" {
		t.Errorf("status %q, want open", st)
	}
	if html := portalHTML(t, ctx); strings.Contains(html, note) || strings.Contains(html, "INTERNAL") {
		t.Errorf("the portal shows an internal note:\n%s", html)
	}

	for _, p := range []string{"/webhooks", "/jobs", "/users"} {
		portalOpen(t, ctx, c.URL+p, "main h1")
		if got := portalPath(t, ctx); got != "/portal" {
			t.Errorf("a buyer at %s ends at %s, want /portal", p, got)
		}
	}
}

// TestBrowserPortalEvidence: a buyer adds a statement, a link and a photo to their open
// marketplace dispute, is refused a bad link with the form kept, and then follows the dispute
// through review to its resolution, when the forms are gone.
func TestBrowserPortalEvidence(t *testing.T) {
	t.Parallel()
	e := testenv.New(t, "sqlite", testenv.Options{})
	c := e.Serve()
	sale, id := portalSaleDisputed(t, e, 2500)
	e.User("admin@example.com", actor.Admin, "") // without an admin, sign-in sends everyone to /setup
	ctx := browsertest.NewSignedIn(t, e, c, actor.Buyer, sale.Customer.ID)
	portalOpen(t, ctx, c.URL+"/portal", "tr.dispute")
	browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS(`tr.dispute a`)), chromedp.WaitVisible(chromedp.CSS(`#add-text`)))

	portalAct(t, ctx, "p.notice", "Evidence added.",
		chromedp.SendKeys(chromedp.CSS(`#add-text textarea[name=content]`), "The box arrived empty."),
		chromedp.SendKeys(chromedp.CSS(`#add-text input[name=description]`), "what happened"),
		chromedp.Click(chromedp.CSS(`#add-text button`)))

	// A link that is not http(s) is refused; the form comes back with what was typed.
	portalAct(t, ctx, "p.error", "http or https",
		portalOpenDetails(`#add-link`),
		chromedp.SetValue(chromedp.CSS(`#add-link input[name=content]`), "javascript:alert(1)"),
		chromedp.Submit(chromedp.CSS(`#add-link input[name=content]`)))
	if kept := browsertest.Eval[string](t, ctx, `document.querySelector("#add-link input[name=content]").value`); kept != "javascript:alert(1)" {
		t.Errorf("the refused link form kept %q", kept)
	}
	portalAct(t, ctx, "p.notice", "Evidence added.",
		chromedp.SetValue(chromedp.CSS(`#add-link input[name=content]`), "https://track.example.com/parcel/123"),
		chromedp.Click(chromedp.CSS(`#add-link button`)))

	png := filepath.Join(t.TempDir(), "box.png")
	if err := os.WriteFile(png, append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{7}, 2000)...), 0o600); err != nil {
		t.Fatal(err)
	}
	portalAct(t, ctx, "p.notice", "Evidence added.",
		portalOpenDetails(`#add-file`),
		chromedp.SetUploadFiles(chromedp.CSS(`#add-file input[type=file]`), []string{png}),
		chromedp.SendKeys(chromedp.CSS(`#add-file input[name=description]`), "photo of the empty box"),
		chromedp.Click(chromedp.CSS(`#add-file button`)))

	items := browsertest.Text(t, ctx, "ol.evidence-list")
	for _, w := range []string{"The box arrived empty.", "what happened", "https://track.example.com/parcel/123", "box.png",
		"image/png", "1.9 KiB", "photo of the empty box", "from the buyer"} {
		if !strings.Contains(items, w) {
			t.Errorf("evidence list lacks %q:\n%s", w, items)
		}
	}
	if ev := securityEvidence(t, e, id); len(ev) != 3 || ev[2].Type != dispute.ItemImage || ev[2].Size != 2008 || ev[2].Party != "buyer" {
		t.Fatalf("evidence stored: %+v", ev)
	}

	// Under review: no more evidence from the parties; then the resolution.
	portalReview(t, e, id, "")
	portalOpen(t, ctx, c.URL+"/portal/disputes/"+id, "#status")
	if st := browsertest.Text(t, ctx, "#status"); st != "pending review" { // in words
		t.Errorf("status %q, want pending review", st)
	}
	if html := portalHTML(t, ctx); strings.Contains(html, `id="add-text"`) || !strings.Contains(html, "can no longer be added") {
		t.Errorf("evidence forms offered under review:\n%s", html)
	}
	testenv.Must(e.App.ResolveDispute(e.Ctx, testenv.Admin, id, nil, app.ResolveParams{Resolution: "favor_buyer", Notes: "The vendor did not answer."}))(t)
	portalOpen(t, ctx, c.URL+"/portal/disputes/"+id, "#resolution")
	if st, res, notes := browsertest.Text(t, ctx, "#status"), browsertest.Text(t, ctx, "#resolution-value"), browsertest.Text(t, ctx, "#resolution-notes"); st != "resolved" ||
		res != "favor buyer" || notes != "The vendor did not answer." {
		t.Errorf("resolved dispute shows %q, %q, %q", st, res, notes)
	}
	portalOpen(t, ctx, c.URL+"/portal", "tr.dispute")
	if row := browsertest.Text(t, ctx, "tr.dispute"); !strings.Contains(row, "resolved") || !strings.Contains(row, "favor buyer") || !strings.Contains(row, "IPTV 12 months") {
		t.Errorf("portal list row: %q", row)
	}
}
