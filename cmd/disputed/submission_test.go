package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"disputed/internal/actor"
	"disputed/internal/notify/smtptest"
	"disputed/internal/provider/generic"
)

// fakeStripe is Stripe's dispute API as far as disputed answers it: it takes evidence and
// concessions, or refuses them (a permanent 400) while refuse is set.
type fakeStripe struct {
	*httptest.Server
	mu     sync.Mutex
	refuse bool
	paths  []string // the requests it took
}

func startFakeStripe(t *testing.T) *fakeStripe {
	f := &fakeStripe{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		if f.refuse {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"error":{"type":"invalid_request_error","code":"resource_missing","message":"No such dispute"}}`))
			return
		}
		_ = r.ParseForm()
		f.paths = append(f.paths, r.URL.Path+"?submit="+r.PostForm.Get("submit"))
		_, _ = w.Write([]byte(`{"object":"dispute"}`))
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeStripe) set(refuse bool) { f.mu.Lock(); f.refuse = refuse; f.mu.Unlock() }

func (f *fakeStripe) took() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.paths...)
}

// submissionServer is a server on db with a fake clock, the job runner left to the test, a Stripe
// provider without an API key (the push fails for good), an admin user with an email address,
// SMTP to mail, and a webhook endpoint on r for dispute.submission_failed.
func submissionServer(t *testing.T, db string, mail *smtptest.Server, r *receiver) (*server, *fakeClock) {
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
func stripeDispute(t *testing.T, s *server, c *fakeClock, n string) string {
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

func submissionOf(t *testing.T, d response) map[string]any {
	t.Helper()
	sub, ok := d.get("evidence_details", "submission").(map[string]any)
	if !ok {
		t.Fatalf("no evidence_details.submission: %s", d.raw)
	}
	return sub
}

// TestSubmissionReachesTheProviderOrSaysSo: evidence submitted to a Stripe provider without an
// API key does not move the dispute; the failure is kept on the dispute, sent as an event and
// emailed to the admins; sent again once the provider is fixed, the dispute goes under review only
// when Stripe took it. The same for a concession.
func TestSubmissionReachesTheProviderOrSaysSo(t *testing.T) {
	t.Parallel()
	eachStoreDB(t, func(t *testing.T, db string) {
		mail := smtptest.Start(t)
		hooks := startReceiver(t)
		s, c := submissionServer(t, db, mail, hooks)
		id := stripeDispute(t, s, c, "1")
		d := s.get("/v1/disputes/" + id)
		if sub := submissionOf(t, d); sub["state"] != "not_sent" || sub["kind"] != nil || sub["error"] != nil {
			t.Fatalf("before any answer: %v", sub)
		}
		d = s.post("/v1/disputes/"+id, map[string]any{"revision": d.num("revision"), "evidence": map[string]any{"uncategorized_text": "used for 30 days"}})
		want(t, d, 200)

		d = s.post("/v1/disputes/"+id+"/submit", map[string]any{})
		want(t, d, 200)
		if sub := submissionOf(t, d); d.str("status") != "needs_response" || sub["state"] != "sending" || sub["kind"] != "evidence" ||
			d.num("evidence_details", "submission_count") != 0 {
			t.Fatalf("submitted, not yet pushed: %s", d.raw)
		}
		// While it is on its way it can neither be sent again nor changed.
		rev := d.num("revision")
		want(t, s.post("/v1/disputes/"+id+"/submit", map[string]any{}), 409, "invalid_state")
		want(t, s.post("/v1/disputes/"+id+"/close", map[string]any{}), 409, "invalid_state")
		want(t, s.post("/v1/disputes/"+id, map[string]any{"revision": rev, "evidence": map[string]any{"customer_name": "Ada"}}), 409, "invalid_state")
		if got := s.get("/v1/disputes/" + id); got.num("revision") != rev {
			t.Fatalf("a refused answer changed the dispute: %s", got.raw)
		}

		s.runJobs() // no API key: Stripe cannot be asked, the push fails for good
		d = s.get("/v1/disputes/" + id)
		sub := submissionOf(t, d)
		if d.str("status") != "needs_response" || sub["state"] != "failed" || !strings.Contains(sub["error"].(string), "API key") ||
			d.num("evidence_details", "submission_count") != 0 || d.get("evidence_details", "due_by") == nil {
			t.Fatalf("after the failed push: %s", d.raw)
		}
		events := s.get("/v1/events?type=dispute.submission_failed&dispute_id=" + id).list()
		if len(events) != 1 {
			t.Fatalf("dispute.submission_failed events: %v", events)
		}
		s.runJobs() // the webhook delivery and the email
		delivered := false
		for _, g := range hooks.deliveries() {
			var body map[string]any
			_ = json.Unmarshal(g.body, &body)
			obj, _ := body["data"].(map[string]any)["object"].(map[string]any)
			if body["type"] == "dispute.submission_failed" && obj["id"] == id && g.validSigs == 1 {
				delivered = true
			}
		}
		if !delivered {
			t.Fatalf("dispute.submission_failed was not delivered: %d deliveries", len(hooks.deliveries()))
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

		// The provider fixed, the evidence is sent again; the dispute moves only once Stripe took it.
		fake := startFakeStripe(t)
		want(t, s.call(http.MethodDelete, "/v1/providers/stripe", nil), 200)
		want(t, s.post("/v1/providers", map[string]any{"name": "stripe", "type": "stripe", "webhook_secret": stripeSecret,
			"api_key": "sk_test_123", "api_base": fake.URL}), 201)
		d = s.post("/v1/disputes/"+id+"/submit", map[string]any{})
		want(t, d, 200)
		if sub := submissionOf(t, d); d.str("status") != "needs_response" || sub["state"] != "sending" || sub["error"] != nil {
			t.Fatalf("retried: %s", d.raw)
		}
		s.runJobs()
		d = s.get("/v1/disputes/" + id)
		if sub := submissionOf(t, d); d.str("status") != "under_review" || sub["state"] != "accepted" ||
			d.num("evidence_details", "submission_count") != 1 {
			t.Fatalf("accepted: %s", d.raw)
		}
		if took := fake.took(); len(took) != 1 || took[0] != "/v1/disputes/dp_1QSubmit1?submit=true" {
			t.Fatalf("Stripe got %v", took)
		}
		var submitted []map[string]any
		for _, e := range s.get("/v1/disputes/" + id + "/timeline").list() {
			if e["action"] == "submitted" {
				submitted = append(submitted, e)
			}
		}
		if len(submitted) != 1 || submitted[0]["actor"] != "provider:stripe" || submitted[0]["to"] != "under_review" {
			t.Fatalf("submitted entries: %v", submitted)
		}

		// A concession Stripe refuses stays a needs_response dispute with a failed concession;
		// conceding again once Stripe takes it makes it lost, with the withdrawal.
		id2 := stripeDispute(t, s, c, "2")
		fake.set(true)
		d = s.post("/v1/disputes/"+id2+"/close", map[string]any{"note": "not worth fighting"})
		want(t, d, 200)
		if sub := submissionOf(t, d); d.str("status") != "needs_response" || sub["state"] != "sending" || sub["kind"] != "concession" {
			t.Fatalf("conceding: %s", d.raw)
		}
		s.runJobs()
		d = s.get("/v1/disputes/" + id2)
		if sub := submissionOf(t, d); d.str("status") != "needs_response" || sub["state"] != "failed" || !strings.Contains(sub["error"].(string), "No such dispute") {
			t.Fatalf("refused concession: %s", d.raw)
		}
		fake.set(false)
		want(t, s.post("/v1/disputes/"+id2+"/close", map[string]any{"note": "not worth fighting"}), 200)
		s.runJobs()
		d = s.get("/v1/disputes/" + id2)
		if sub := submissionOf(t, d); d.str("status") != "lost" || sub["state"] != "accepted" || d.str("resolution_notes") != "not worth fighting" ||
			!strings.HasPrefix(d.str("resolved_by"), "admin:") {
			t.Fatalf("accepted concession: %s", d.raw)
		}
		if pay := s.get("/v1/transactions/" + d.str("transaction_id")); pay.num("amount_withdrawn") != 4999 {
			t.Fatalf("the concession's withdrawal: %s", pay.raw)
		}
		if n := len(s.get("/v1/events?type=dispute.submission_failed").list()); n != 2 {
			t.Fatalf("%d dispute.submission_failed events, want 2", n)
		}

		// A dispute that came from no provider is answered at once and shows no submission.
		_, ord, _ := s.sale(1000, "usd")
		own := s.post("/v1/disputes", map[string]any{"type": "chargeback", "order_id": ord, "reason": "fraudulent"})
		want(t, own, 201)
		want(t, s.post("/v1/disputes/"+own.str("id"), map[string]any{"revision": own.num("revision"), "evidence": map[string]any{"uncategorized_text": "x"}}), 200)
		own = s.post("/v1/disputes/"+own.str("id")+"/submit", map[string]any{})
		if own.str("status") != "under_review" || own.get("evidence_details", "submission") != nil {
			t.Fatalf("a dispute of no provider: %s", own.raw)
		}
	})
}

// TestSubmissionFailedStillExpires: a dispute whose answer failed to reach the provider is lost
// when its due date passes, as one never answered.
func TestSubmissionFailedStillExpires(t *testing.T) {
	t.Parallel()
	eachStoreDB(t, func(t *testing.T, db string) {
		mail := smtptest.Start(t)
		s, c := submissionServer(t, db, mail, startReceiver(t))
		id := stripeDispute(t, s, c, "3")
		d := s.get("/v1/disputes/" + id)
		want(t, s.post("/v1/disputes/"+id, map[string]any{"revision": d.num("revision"), "evidence": map[string]any{"uncategorized_text": "x"}, "submit": true}), 200)
		s.runJobs()
		if sub := submissionOf(t, s.get("/v1/disputes/"+id)); sub["state"] != "failed" {
			t.Fatalf("not failed: %v", sub)
		}
		c.Advance(10 * 24 * time.Hour) // past Stripe's due date
		s.runJobs()
		d = s.get("/v1/disputes/" + id)
		if d.str("status") != "lost" || d.str("resolved_by") != "system" {
			t.Fatalf("after the due date: %s", d.raw)
		}
		if sub := submissionOf(t, d); sub["state"] != "failed" {
			t.Fatalf("the failure is still what happened to the answer: %v", sub)
		}
	})
}

// TestProviderReportWinsOverASubmissionInFlight: Stripe reporting the dispute under review while
// our evidence is still queued is Stripe's truth: the submission is accepted, and the job then
// sends nothing.
func TestProviderReportWinsOverASubmissionInFlight(t *testing.T) {
	t.Parallel()
	eachStoreDB(t, func(t *testing.T, db string) {
		fake := startFakeStripe(t)
		s, c := providerServer(t, db, fake.URL)
		_, _, charge := s.sale(4999, "usd")
		ref := s.get("/v1/transactions/" + charge).str("provider_reference")
		id := postStripe(s, c, stripeEvent("evt_w1", "charge.dispute.created", "needs_response", ref, c.Now()), stripeSecret).str("dispute_id")
		d := s.get("/v1/disputes/" + id)
		want(t, s.post("/v1/disputes/"+id, map[string]any{"revision": d.num("revision"), "evidence": map[string]any{"uncategorized_text": "x"}, "submit": true}), 200)
		c.Advance(time.Minute)
		want(t, postStripe(s, c, stripeEvent("evt_w2", "charge.dispute.updated", "under_review", ref, c.Now()), stripeSecret), 200)
		d = s.get("/v1/disputes/" + id)
		if sub := submissionOf(t, d); d.str("status") != "under_review" || sub["state"] != "accepted" || d.num("evidence_details", "submission_count") != 1 {
			t.Fatalf("after Stripe's report: %s", d.raw)
		}
		rev := d.num("revision")
		s.runJobs()
		if took := fake.took(); len(took) != 0 {
			t.Fatalf("sent after Stripe had it: %v", took)
		}
		if d = s.get("/v1/disputes/" + id); d.num("revision") != rev {
			t.Fatalf("the job changed the dispute: %s", d.raw)
		}
	})
}

// TestAnswerNoProviderCanTakeIsRefused: a chargeback from a generic feed, which takes no answers,
// cannot be answered through disputed: submitting or conceding is refused and changes nothing,
// rather than promising an answer that will never arrive.
func TestAnswerNoProviderCanTakeIsRefused(t *testing.T) {
	t.Parallel()
	eachStoreDB(t, func(t *testing.T, db string) {
		c := newClock()
		s := clocked(t, db, c)
		const secret = "generic-feed-secret"
		want(t, s.post("/v1/providers", map[string]any{"name": "feed", "type": "generic", "webhook_secret": secret}), 201)
		_, _, charge := s.sale(2500, "usd")
		ref := s.get("/v1/transactions/" + charge).str("provider_reference")
		body, _ := json.Marshal(map[string]any{"id": "cb-1", "type": "chargeback", "status": "needs_response", "amount": "25.00",
			"currency": "usd", "reason": "fraudulent", "case_number": "C-9", "transaction_reference": ref})
		r := s.call(http.MethodPost, "/v1/providers/feed/webhook", body, "X-Signature", generic.Sign(secret, c.Now(), body), "Authorization", "")
		want(t, r, 200)
		id := r.str("dispute_id")
		d := s.get("/v1/disputes/" + id)
		d = s.post("/v1/disputes/"+id, map[string]any{"revision": d.num("revision"), "evidence": map[string]any{"uncategorized_text": "x"}})
		want(t, d, 200)
		want(t, s.post("/v1/disputes/"+id+"/submit", map[string]any{}), 409, "provider_takes_no_answers")
		want(t, s.post("/v1/disputes/"+id+"/close", map[string]any{}), 409, "provider_takes_no_answers")
		after := s.get("/v1/disputes/" + id)
		if after.num("revision") != d.num("revision") || after.str("status") != "needs_response" || submissionOf(t, after)["state"] != "not_sent" {
			t.Fatalf("a refused answer changed the dispute: %s", after.raw)
		}
	})
}
