package main

import (
	"disputed/internal/testenv/browsertest"
	"net/http"
	"testing"

	"github.com/chromedp/chromedp"

	"disputed/internal/actor"
	"disputed/internal/notify/smtptest"
	"disputed/internal/testenv"
	"disputed/internal/webhook/webhooktest"
)

// TestBrowserSubmissionFailureBannerAndRetry: an admin submits evidence to a Stripe provider
// without an API key. The notice says it is being sent, the page says so; once the push failed,
// a red banner says the evidence did not reach Stripe and the dashboard lists the dispute under
// Needs attention. With the provider fixed, Retry sends it again, and the page shows it accepted.
func TestBrowserSubmissionFailureBannerAndRetry(t *testing.T) {
	t.Parallel()
	mail := smtptest.Start(t)
	s, c := submissionServer(t, dbFor(t, "sqlite"), mail, webhooktest.Start(t))
	ctx := browsertest.New(t)
	pw := s.user("ada@example.com", actor.Admin, "")
	s.signIn(ctx, "ada@example.com", pw)
	id := stripeDispute(t, s, c, "b1")
	d := s.get("/v1/disputes/" + id)
	want(t, s.post("/v1/disputes/"+id, map[string]any{"revision": d.num("revision"), "evidence": map[string]any{"uncategorized_text": "used for 30 days"}}), 200)

	browsertest.Do(t, ctx, chromedp.Navigate(s.base+"/disputes/"+id), chromedp.WaitVisible(chromedp.CSS("#submit-form button")))
	browsertest.Wait(t, ctx, "#submission-state", "Nothing sent yet")
	browsertest.Submit(t, ctx, "#submit-form button", "p.notice", "being sent to Stripe")
	browsertest.Wait(t, ctx, "#submission-state", "Sending the evidence to Stripe")
	browsertest.Wait(t, ctx, "#dispute-status", "needs response")

	s.runJobs()
	browsertest.Do(t, ctx, chromedp.Navigate(s.base+"/disputes/"+id), chromedp.WaitVisible(chromedp.CSS("#submission-banner")))
	browsertest.Wait(t, ctx, "#submission-banner", "The evidence did not reach Stripe")
	browsertest.Wait(t, ctx, "#submission-banner", "API key")
	browsertest.Wait(t, ctx, "#dispute-status", "needs response")

	browsertest.Do(t, ctx, chromedp.Navigate(s.base+"/"), chromedp.WaitVisible(chromedp.CSS("#needs-attention")))
	browsertest.Wait(t, ctx, "#count-failed", "1")
	browsertest.Wait(t, ctx, "#failed-submissions", id)
	browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS("#failed-submissions a")), chromedp.WaitVisible(chromedp.CSS("#retry-form button")))

	fake := testenv.StartStripeAPI(t)
	want(t, s.call(http.MethodDelete, "/v1/providers/stripe", nil), 200)
	want(t, s.post("/v1/providers", map[string]any{"name": "stripe", "type": "stripe", "webhook_secret": stripeSecret,
		"api_key": "sk_test_123", "api_base": fake.URL}), 201)
	browsertest.Submit(t, ctx, "#retry-form button", "p.notice", "being sent to Stripe")
	browsertest.Wait(t, ctx, "#submission-state", "Sending the evidence to Stripe")
	if browsertest.Eval[bool](t, ctx, `document.querySelector("#submission-banner") !== null`) {
		t.Fatal("the banner shows while the evidence is being sent again")
	}
	s.runJobs()
	browsertest.Do(t, ctx, chromedp.Navigate(s.base+"/disputes/"+id), chromedp.WaitVisible(chromedp.CSS("#submission-state")))
	browsertest.Wait(t, ctx, "#submission-state", "Evidence accepted by Stripe")
	browsertest.Wait(t, ctx, "#dispute-status", "under review")
	browsertest.Do(t, ctx, chromedp.Navigate(s.base+"/"), chromedp.WaitVisible(chromedp.CSS("#urgency-counts")))
	if browsertest.Eval[bool](t, ctx, `document.querySelector("#needs-attention") !== null`) {
		t.Fatal("the dashboard still says the dispute needs attention")
	}
}
