package main

import (
	"encoding/json"
	"strings"
	"testing"

	"disputed/internal/actor"
	"disputed/internal/notify/smtptest"
	"disputed/internal/webhook/webhooktest"
)

// submissionServer is a server on db with a fake clock, the job runner left to the test, a Stripe
// provider without an API key (the push fails for good), an admin user with an email address,
// SMTP to mail, and a webhook endpoint on r for dispute.submission_failed.
func submissionServer(t *testing.T, db string, mail *smtptest.Server, r *webhooktest.Receiver) (*testServer, *fakeClock) {
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
	r.Setup(ep.str("secret"), 0)
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

// staffMail are the messages sent to the server's users (the customers of the sales in these
// tests are at other addresses).
func staffMail(mail *smtptest.Server) []smtptest.Message {
	var out []smtptest.Message
	for _, m := range mail.Messages() {
		if len(m.To) > 0 && (m.To[0] == "boss@example.com" || m.To[0] == "helper@example.com") {
			out = append(out, m)
		}
	}
	return out
}

// TestSubmissionFailureIsAnnounced: evidence that failed to reach the provider is announced: the
// dispute.submission_failed event is delivered, signed, to the webhook endpoint, and the admins
// (not the agents) get an email naming the dispute, the provider, the cause, a link to the dispute
// and what to do. What the failure does to the dispute is tested beside internal/app
// (TestSubmissionReachesTheProviderOrSaysSo).
func TestSubmissionFailureIsAnnounced(t *testing.T) {
	t.Parallel()
	mail := smtptest.Start(t)
	hooks := webhooktest.Start(t)
	s, c := submissionServer(t, dbFor(t, "sqlite"), mail, hooks)
	id := stripeDispute(t, s, c, "1")
	d := s.get("/v1/disputes/" + id)
	want(t, s.post("/v1/disputes/"+id, map[string]any{"revision": d.num("revision"), "evidence": map[string]any{"uncategorized_text": "used for 30 days"},
		"submit": true}), 200)
	s.runJobs() // no API key: Stripe cannot be asked, the push fails for good
	if sub, _ := s.get("/v1/disputes/"+id).get("evidence_details", "submission").(map[string]any); sub["state"] != "failed" {
		t.Fatalf("after the failed push: %v", sub)
	}
	s.runJobs() // the webhook delivery and the email
	delivered := false
	for _, g := range hooks.Deliveries() {
		var body map[string]any
		_ = json.Unmarshal(g.Body, &body)
		obj, _ := body["data"].(map[string]any)["object"].(map[string]any)
		if body["type"] == "dispute.submission_failed" && obj["id"] == id && g.ValidSigs == 1 {
			delivered = true
		}
	}
	if !delivered {
		t.Fatalf("dispute.submission_failed was not delivered: %d deliveries", len(hooks.Deliveries()))
	}
	msgs := staffMail(mail)
	if len(msgs) != 1 || len(msgs[0].To) != 1 || msgs[0].To[0] != "boss@example.com" {
		t.Fatalf("emails to staff: %+v", msgs)
	}
	for _, w := range []string{id, "did not reach stripe", "API key", "https://disputes.example/disputes/" + id, "Retry"} {
		if !strings.Contains(msgs[0].Subject+msgs[0].Text, w) {
			t.Errorf("the admins' email lacks %q:\n%s\n%s", w, msgs[0].Subject, msgs[0].Text)
		}
	}
}
