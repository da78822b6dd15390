package web_test

import (
	"testing"

	"github.com/chromedp/chromedp"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/dispute"
	"disputed/internal/testenv"
	"disputed/internal/testenv/browsertest"
)

// TestBrowserSubmissionFailureBannerAndRetry: an admin submits evidence to a Stripe provider
// without an API key. The notice says it is being sent, the page says so; once the push failed,
// a red banner says the evidence did not reach Stripe and the dashboard lists the dispute under
// Needs attention. With the provider fixed, Retry sends it again, and the page shows it accepted.
func TestBrowserSubmissionFailureBannerAndRetry(t *testing.T) {
	t.Parallel()
	e := testenv.New(t, "sqlite", testenv.Options{})
	c := e.Serve()
	ctx := browsertest.NewSignedIn(t, e, c, actor.Admin, "")
	e.StripeProvider("", "")
	sale := e.Sale(testenv.SaleParams{Amount: 4999})
	r := testenv.Must(e.SendStripe(testenv.StripeEvent("evt_b1", "charge.dispute.created", "needs_response", "dp_1QSubmitb1",
		sale.Charge.ProviderReference, e.Clock.Now())))(t)
	d := testenv.Must(e.App.Dispute(e.Ctx, testenv.Admin, r.DisputeID))(t)
	testenv.Must(e.App.UpdateDispute(e.Ctx, testenv.Admin, d.ID, d.Revision, app.UpdateDisputeParams{
		UpdateParams: dispute.UpdateParams{Evidence: map[string]string{"uncategorized_text": "used for 30 days"}}}))(t)
	id := d.ID

	browsertest.Do(t, ctx, chromedp.Navigate(c.URL+"/disputes/"+id), chromedp.WaitVisible(chromedp.CSS("#submit-form button")))
	browsertest.Wait(t, ctx, "#submission-state", "Nothing sent yet")
	browsertest.Submit(t, ctx, "#submit-form button", "p.notice", "being sent to Stripe")
	browsertest.Wait(t, ctx, "#submission-state", "Sending the evidence to Stripe")
	browsertest.Wait(t, ctx, "#dispute-status", "needs response")

	e.RunJobs()
	browsertest.Do(t, ctx, chromedp.Navigate(c.URL+"/disputes/"+id), chromedp.WaitVisible(chromedp.CSS("#submission-banner")))
	browsertest.Wait(t, ctx, "#submission-banner", "The evidence did not reach Stripe")
	browsertest.Wait(t, ctx, "#submission-banner", "API key")
	browsertest.Wait(t, ctx, "#dispute-status", "needs response")

	browsertest.Do(t, ctx, chromedp.Navigate(c.URL+"/"), chromedp.WaitVisible(chromedp.CSS("#needs-attention")))
	browsertest.Wait(t, ctx, "#count-failed", "1")
	browsertest.Wait(t, ctx, "#failed-submissions", id)
	browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS("#failed-submissions a")), chromedp.WaitVisible(chromedp.CSS("#retry-form button")))

	fake := testenv.StartStripeAPI(t)
	testenv.Must(0, e.App.DeleteProvider(e.Ctx, testenv.Admin, "stripe"))(t)
	e.StripeProvider("sk_test_123", fake.URL)
	browsertest.Submit(t, ctx, "#retry-form button", "p.notice", "being sent to Stripe")
	browsertest.Wait(t, ctx, "#submission-state", "Sending the evidence to Stripe")
	if browsertest.Eval[bool](t, ctx, `document.querySelector("#submission-banner") !== null`) {
		t.Fatal("the banner shows while the evidence is being sent again")
	}
	e.RunJobs()
	browsertest.Do(t, ctx, chromedp.Navigate(c.URL+"/disputes/"+id), chromedp.WaitVisible(chromedp.CSS("#submission-state")))
	browsertest.Wait(t, ctx, "#submission-state", "Evidence accepted by Stripe")
	browsertest.Wait(t, ctx, "#dispute-status", "under review")
	browsertest.Do(t, ctx, chromedp.Navigate(c.URL+"/"), chromedp.WaitVisible(chromedp.CSS("#urgency-counts")))
	if browsertest.Eval[bool](t, ctx, `document.querySelector("#needs-attention") !== null`) {
		t.Fatal("the dashboard still says the dispute needs attention")
	}
}
