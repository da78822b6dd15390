package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/testenv"
	"disputed/internal/testenv/browsertest"
)

// TestBrowserGuidedEvidence: an admin who compiles by hand opens a Visa 13.1 chargeback, has
// disputed fill in what it knows (the rows say where each value came from), corrects a compiled
// value through its Edit link (the row is then theirs), makes the drafted cover letter their own,
// checks the packet (its pages, that it fits) and previews it as a PDF, with the due date counted
// down beside it.
func TestBrowserGuidedEvidence(t *testing.T) {
	t.Parallel()
	e := testenv.New(t, "sqlite", testenv.Options{})
	c := e.Serve()
	ctx := browsertest.NewSignedIn(t, e, c, actor.Admin, "")
	e.CompileByHand()
	sale := e.Sale(testenv.SaleParams{Amount: 4999})
	d := e.Dispute(sale, "chargeback", func(p *app.DisputeParams) {
		p.Reason, p.NetworkReasonCode = "product_not_received", "13.1"
		p.DueBy = e.Clock.Now().Add(20 * time.Hour)
	})
	page := c.URL + "/disputes/" + d.ID

	browsertest.Do(t, ctx, chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS("#compile-form button")))
	browsertest.Wait(t, ctx, "#letter-state", "draft")
	browsertest.Submit(t, ctx, "#compile-form button", "p.notice", "Evidence compiled")
	browsertest.Wait(t, ctx, `#staged tr[data-field="customer_name"]`, "compiled from customer")

	browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS(`#staged tr[data-field="customer_name"] a.edit-staged`)),
		chromedp.WaitVisible(chromedp.CSS("#stage-form")))
	if got := browsertest.Eval[string](t, ctx, `document.querySelector("#stage-value").value`); got != "Ada Lovelace" {
		t.Fatalf("the stage form holds %q, want the compiled name to edit", got)
	}
	browsertest.Do(t, ctx, chromedp.SetValue(chromedp.CSS("#stage-value"), "Ada King, Countess of Lovelace"))
	browsertest.Submit(t, ctx, "#stage-form button", "p.notice", "Evidence staged")
	browsertest.Wait(t, ctx, `#staged tr[data-field="customer_name"]`, "you")

	if letter := browsertest.Eval[string](t, ctx, `document.querySelector("#letter").value`); !containsAll(letter, "Visa dispute 13.1", "did not receive", "Exhibit A") {
		t.Fatalf("the drafted letter:\n%s", letter)
	}
	browsertest.Do(t, ctx, chromedp.SetValue(chromedp.CSS("#letter"), "Dear issuer,\n\nThe service was delivered on the day of purchase."))
	browsertest.Submit(t, ctx, "#letter-form button", "p.notice", "Cover letter saved")
	browsertest.Wait(t, ctx, "#letter-state", "yours")

	browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS("#check-packet")), chromedp.WaitVisible(chromedp.CSS("#packet-size")))
	browsertest.Wait(t, ctx, "#packet-size", "fits")
	browsertest.Wait(t, ctx, "#packet-exhibits", "Customer's name")
	browsertest.Wait(t, ctx, "#packet-due", "due in 20 h")
	pdf, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch(document.querySelector("#preview-packet").href)
		.then(async r => r.headers.get("Content-Type") + " " + (await r.text()).slice(0, 5))`, chromedp.EvalAwaitPromise))
	if err != nil || pdf != "application/pdf %PDF-" {
		t.Errorf("the preview answers %q (%v)", pdf, err)
	}
}

func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}
