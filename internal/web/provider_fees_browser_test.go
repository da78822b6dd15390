package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"disputed/internal/actor"
	"disputed/internal/testenv"
	"disputed/internal/testenv/browsertest"
)

// providerFeesDispute opens a Stripe dispute on a new sale, for which Stripe withdrew its USD 15.00
// fee, and returns its id and the events' charge reference.
func providerFeesDispute(t *testing.T, e *testenv.Env, evidence map[string]any) (string, string) {
	t.Helper()
	e.StripeProvider("", "")
	ref := e.Sale(testenv.SaleParams{Amount: 4999}).Charge.ProviderReference
	created := testenv.StripeEvent("evt_page_1", "charge.dispute.created", "needs_response", "dp_1QStripe0001", ref, e.Clock.Now())
	obj := testenv.StripeDisputeOf(created)
	obj["balance_transactions"] = []any{testenv.StripeBalanceTransaction("txn_1QPageFee", -4999, 1500, "Dispute fee")}
	obj["evidence"] = evidence
	return testenv.Must(e.SendStripe(created))(t).DisputeID, ref
}

// TestDisputePageShowsProviderFees: the dispute page says what Stripe charged for the dispute and
// what it gave back when the merchant won.
func TestDisputePageShowsProviderFees(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		id, ref := providerFeesDispute(t, e, map[string]any{})
		withdrawal := testenv.StripeBalanceTransaction("txn_1QPageFee", -4999, 1500, "Dispute fee")
		refund := testenv.StripeBalanceTransaction("txn_1QReversal", 4999, -1500, "Dispute fee refund")
		// Won: Stripe gives the fee back after the closing event.
		for _, report := range []struct {
			typ      string
			balances []any
		}{{"charge.dispute.closed", []any{withdrawal}}, {"charge.dispute.funds_reinstated", []any{withdrawal, refund}}} {
			e.Clock.Advance(time.Minute)
			ev := testenv.StripeEvent("evt_page_"+report.typ, report.typ, "won", "dp_1QStripe0001", ref, e.Clock.Now())
			testenv.StripeDisputeOf(ev)["balance_transactions"] = report.balances
			testenv.Must(e.SendStripe(ev))(t)
		}
		page := e.Forms(c, actor.Admin, "").Get("/disputes/" + id)
		if page.Status != http.StatusOK || !strings.Contains(page.Body, "15.00 USD (Stripe dispute fee); -15.00 USD (Stripe dispute fee refund)") {
			t.Fatalf("dispute page %d does not show the fees:\n%s", page.Status, page.Body)
		}
	})
}

// TestBrowserDisputeShowsProviderFees: an admin sees on the dispute page what Stripe charged for
// the dispute, and the evidence Stripe already holds among the staged fields.
func TestBrowserDisputeShowsProviderFees(t *testing.T) {
	t.Parallel()
	e := testenv.New(t, "sqlite", testenv.Options{})
	c := e.Serve()
	ctx := browsertest.NewSignedIn(t, e, c, actor.Admin, "")
	id, _ := providerFeesDispute(t, e, map[string]any{"product_description": "IPTV 12 months, delivered"})

	browsertest.Do(t, ctx, chromedp.Navigate(c.URL+"/disputes/"+id), chromedp.WaitVisible(chromedp.CSS("#dispute-fees")))
	if got := browsertest.Text(t, ctx, "#dispute-fees"); got != "15.00 USD (Stripe dispute fee)" {
		t.Fatalf("fees on the page: %q", got)
	}
	browsertest.Wait(t, ctx, "#evidence", "IPTV 12 months, delivered")
}
