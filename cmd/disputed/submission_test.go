package main

import (
	"testing"

	"disputed/internal/actor"
	"disputed/internal/notify/smtptest"
)

// submissionServer is a server on db with a fake clock, the job runner left to the test, a Stripe
// provider without an API key (the push fails for good), an admin user with an email address,
// SMTP to mail, and a webhook endpoint on r for dispute.submission_failed.
func submissionServer(t *testing.T, db string, mail *smtptest.Server, r *receiver) (*testServer, *fakeClock) {
	t.Helper()
	c := newClock()
	s := startConfigured(t, db, func(m *Main) { m.Now, m.JobLoop, m.SMTPRootCAs = c.Now, false, mail.RootCAs() },
		map[string]string{"DISPUTED_SMTP_URL": mail.URL(), "DISPUTED_WEBHOOK_ALLOW_PRIVATE": "1",
			"DISPUTED_PUBLIC_URL": "https://disputes.example"})
	want(t, s.post("/v1/providers", map[string]any{"name": "stripe", "type": "stripe", "webhook_secret": stripeSecret}), 201)
	s.user("boss@example.com", actor.Admin, "")
	s.user("helper@example.com", actor.Agent, "")
	ep := s.post("/v1/webhook_endpoints", map[string]any{"url": r.URL + "/hook", "events": []string{"dispute.submission_failed"}})
	want(t, ep, 201)
	r.setup(ep.str("secret"), 0)
	return s, c
}

// stripeDispute opens a Stripe dispute, numbered n, on a new sale and returns its id.
func stripeDispute(t *testing.T, s *testServer, c *fakeClock, n string) string {
	t.Helper()
	_, _, charge := s.sale(4999, "usd")
	ref := s.get("/v1/transactions/" + charge).str("provider_reference")
	ev := stripeEvent("evt_"+n, "charge.dispute.created", "needs_response", ref, c.Now())
	ev["data"].(map[string]any)["object"].(map[string]any)["id"] = "dp_1QSubmit" + n
	r := postStripe(s, c, ev, stripeSecret)
	want(t, r, 200)
	return r.str("dispute_id")
}
