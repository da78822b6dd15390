package main

import (
	"strings"
	"testing"
	"time"

	"disputed/internal/notify/smtptest"
)

// mailServer starts a server with a fake clock, the job runner left to the test, that sends
// customer emails through the SMTP server in the test (STARTTLS and AUTH).
func mailServer(t *testing.T, db string, mail *smtptest.Server) (*server, *fakeClock) {
	c := newClock()
	s := startConfigured(t, db, func(m *Main) { m.Now, m.JobLoop, m.SMTPRootCAs = c.Now, false, mail.RootCAs() },
		map[string]string{"DISPUTED_SMTP_URL": mail.URL()})
	want(t, s.post("/v1/settings", map[string]any{"merchant_name": "Acme Hosting"}), 200)
	return s, c
}

func emailsOf(s *server, path string) []map[string]any { return s.get(path + "/emails").list() }

func TestCustomerEmailsAreSentThroughSMTP(t *testing.T) {
	t.Parallel()
	eachStoreDB(t, func(t *testing.T, db string) {
		mail := smtptest.Start(t, smtptest.RequireAuth())
		s, _ := mailServer(t, db, mail)
		cus, ord, _ := s.sale(2500, "usd", map[string]any{"panel": "manual", "external_id": "svc-1"})
		to := s.get("/v1/customers/" + cus).str("email")
		d := s.post("/v1/orders/"+ord+"/dispute", map[string]any{"reason": "general", "description": "PayPal case opened", "external_reference": "PP-D-9"})
		want(t, d, 201)
		did := d.str("id")
		want(t, s.post("/v1/disputes/"+did+"/notes", map[string]any{"body": "SECRET-NOTE customer sounded angry"}), 201)
		queued := emailsOf(s, "/v1/disputes/"+did)
		if len(queued) != 1 || queued[0]["state"] != "queued" || queued[0]["template"] != "dispute_opened" {
			t.Fatalf("before the job runs: %v", queued)
		}
		s.runJobs()
		msgs := mail.WaitFor(t, 1, 5*time.Second)
		m := msgs[0]
		if len(m.To) != 1 || m.To[0] != to || !m.TLS || m.AuthUsername == "" {
			t.Fatalf("envelope: to %v, tls %v, auth %q", m.To, m.TLS, m.AuthUsername)
		}
		for _, w := range []string{ord, "Acme Hosting", "PP-D-9", "suspended"} {
			if !strings.Contains(m.Subject+m.Text, w) {
				t.Errorf("the dispute_opened email lacks %q:\n%s\n%s", w, m.Subject, m.Text)
			}
		}
		sent := emailsOf(s, "/v1/disputes/"+did)[0]
		if sent["state"] != "sent" || sent["attempts"] != float64(1) || sent["sent_at"] == nil || sent["subject"] != m.Subject {
			t.Fatalf("recorded email: %v", sent)
		}

		// Won: the line is enabled once an admin confirms, then the customer hears of both.
		want(t, s.post("/v1/disputes/"+did+"/resolve", map[string]any{"resolution": "won", "notes": "case closed"}), 200)
		line := lineOf(s, ord)["id"].(string)
		want(t, s.post("/v1/lines/"+line+"/confirm", map[string]any{"action": "suspend"}), 409) // the suspension was withdrawn
		s.runJobs()
		want(t, s.post("/v1/lines/"+line+"/confirm", map[string]any{"action": "enable"}), 409) // never suspended: nothing to enable
		msgs = mail.WaitFor(t, 2, 5*time.Second)
		if !strings.Contains(msgs[1].Subject+msgs[1].Text, "resolved") {
			t.Fatalf("second email: %s\n%s", msgs[1].Subject, msgs[1].Text)
		}
		for _, msg := range msgs {
			if strings.Contains(string(msg.Data), "SECRET-NOTE") {
				t.Fatal("an admin note reached a customer email")
			}
		}
		if got := emailsOf(s, "/v1/orders/"+ord); len(got) != 2 {
			t.Fatalf("order emails: %v", got)
		}
	})
}

// TestLineEmailsFollowTheLines: service restored goes out when the last line is enabled, service
// terminated when the last is terminated, and a voided order gets its own email instead.
func TestLineEmailsFollowTheLines(t *testing.T) {
	t.Parallel()
	eachStoreDB(t, func(t *testing.T, db string) {
		mail := smtptest.Start(t)
		s, _ := mailServer(t, db, mail)
		_, ord, _ := s.sale(2500, "usd", map[string]any{"panel": "manual", "external_id": "svc-1"})
		d := s.post("/v1/orders/"+ord+"/dispute", map[string]any{"reason": "general", "description": "r"})
		line := lineOf(s, ord)["id"].(string)
		want(t, s.post("/v1/lines/"+line+"/confirm", map[string]any{"action": "suspend"}), 200)
		want(t, s.post("/v1/disputes/"+d.str("id")+"/resolve", map[string]any{"resolution": "won", "notes": "n"}), 200)
		want(t, s.post("/v1/lines/"+line+"/confirm", map[string]any{"action": "enable"}), 200)
		templates := func(path string) []string {
			var out []string
			for _, e := range emailsOf(s, path) {
				out = append(out, e["template"].(string))
			}
			return out
		}
		if got := strings.Join(templates("/v1/orders/"+ord), ","); got != "dispute_opened,dispute_resolved,service_restored" {
			t.Fatalf("emails after a win: %s", got)
		}

		_, lost, _ := s.sale(2500, "usd", map[string]any{"panel": "manual", "external_id": "svc-2"})
		d2 := s.post("/v1/orders/"+lost+"/dispute", map[string]any{"reason": "general", "description": "r"})
		want(t, s.post("/v1/disputes/"+d2.str("id")+"/resolve", map[string]any{"resolution": "lost", "notes": "n"}), 200)
		want(t, s.post("/v1/lines/"+lineOf(s, lost)["id"].(string)+"/confirm", map[string]any{"action": "terminate"}), 200)
		if got := strings.Join(templates("/v1/orders/"+lost), ","); got != "dispute_opened,dispute_resolved,service_terminated" {
			t.Fatalf("emails after a loss: %s", got)
		}

		_, voided, _ := s.sale(2500, "usd", map[string]any{"panel": "manual", "external_id": "svc-3"})
		want(t, s.post("/v1/orders/"+voided+"/void", map[string]any{"reason": "fraud confirmed"}), 200)
		want(t, s.post("/v1/lines/"+lineOf(s, voided)["id"].(string)+"/confirm", map[string]any{"action": "terminate"}), 200)
		if got := strings.Join(templates("/v1/orders/"+voided), ","); got != "order_voided" {
			t.Fatalf("emails after a void: %s", got)
		}
		s.runJobs()
		msgs := mail.WaitFor(t, 7, 5*time.Second) // sent concurrently: in any order
		found := false
		for _, m := range msgs {
			found = found || (strings.Contains(m.Subject, voided) && strings.Contains(m.Text, "fraud confirmed"))
		}
		if !found {
			t.Fatalf("no email says why order %s was voided", voided)
		}
	})
}

func TestEmailRetriesAndFailures(t *testing.T) {
	t.Parallel()
	eachStoreDB(t, func(t *testing.T, db string) {
		mail := smtptest.Start(t, smtptest.RejectRecipient("nobody@example.com"))
		s, c := mailServer(t, db, mail)
		_, ord, _ := s.sale(2500, "usd", map[string]any{"panel": "manual", "external_id": "svc-1"})
		mail.FailNext(1) // 451: try again later
		d := s.post("/v1/orders/"+ord+"/dispute", map[string]any{"reason": "general", "description": "r"})
		s.runJobs()
		e := emailsOf(s, "/v1/disputes/"+d.str("id"))[0]
		if e["state"] != "queued" || e["attempts"] != float64(1) || !strings.Contains(e["reason"].(string), "451") {
			t.Fatalf("after a temporary failure: %v", e)
		}
		c.Advance(time.Hour)
		s.runJobs()
		e = emailsOf(s, "/v1/disputes/"+d.str("id"))[0]
		if e["state"] != "sent" || e["attempts"] != float64(2) || e["reason"] != nil {
			t.Fatalf("after the retry: %v", e)
		}

		cus := s.post("/v1/customers", map[string]any{"email": "nobody@example.com"})
		o := s.post("/v1/orders", map[string]any{"customer_id": cus.str("id"), "currency": "USD", "items": []any{map[string]any{"description": "x", "amount": 100}}})
		want(t, s.post("/v1/orders/"+o.str("id")+"/complete", nil), 200)
		want(t, s.post("/v1/orders/"+o.str("id")+"/void", map[string]any{"reason": "test order"}), 200)
		s.runJobs()
		e = emailsOf(s, "/v1/orders/"+o.str("id"))[0]
		if e["state"] != "failed" || e["attempts"] != float64(1) || !strings.Contains(e["reason"].(string), "550") {
			t.Fatalf("a refused recipient: %v", e)
		}
		tl := s.get("/v1/orders/" + o.str("id") + "/timeline").list()
		if tl[len(tl)-1]["action"] != "email_failed" {
			t.Fatalf("order timeline ends with %v", tl[len(tl)-1])
		}
	})
}

// TestEmailsWithoutSMTPAreRecordedNotSent: with no SMTP server, or with the template switched
// off, nothing is claimed as sent.
func TestEmailsWithoutSMTPAreRecordedNotSent(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		_, ord, _ := s.sale(2500, "usd", map[string]any{"panel": "manual", "external_id": "svc-1"})
		d := s.post("/v1/orders/"+ord+"/dispute", map[string]any{"reason": "general", "description": "r"})
		es := emailsOf(s, "/v1/disputes/"+d.str("id"))
		if len(es) != 1 || es[0]["state"] != "not_sent" || !strings.Contains(es[0]["reason"].(string), "DISPUTED_SMTP_URL") {
			t.Fatalf("emails without SMTP: %v", es)
		}
		if jobs := s.get("/v1/jobs?kind=email.send").list(); len(jobs) != 0 {
			t.Fatalf("a send job without SMTP: %v", jobs)
		}
		st := s.post("/v1/settings", map[string]any{"emails": map[string]bool{"dispute_resolved": false}})
		want(t, st, 200)
		if st.get("emails", "dispute_resolved") != false || st.get("emails", "dispute_opened") != true {
			t.Fatalf("settings: %s", st.raw)
		}
		want(t, s.post("/v1/settings", map[string]any{"emails": map[string]bool{"birthday": true}}), 422)
		want(t, s.post("/v1/disputes/"+d.str("id")+"/resolve", map[string]any{"resolution": "won", "notes": "n"}), 200)
		if es := emailsOf(s, "/v1/disputes/"+d.str("id")); len(es) != 1 {
			t.Fatalf("a switched-off template was written: %v", es)
		}
		buyer := s.as(s.newKey("buyer", "cus_x"))
		want(t, buyer.get("/v1/disputes/"+d.str("id")+"/emails"), 403)
		want(t, s.get("/v1/disputes/dsp_nope/emails"), 404)
	})
}

// TestBuyerIsAskedForEvidence: a vendor's marketplace dispute asks the buyer for their side at
// once, and the reminder before the response window closes asks again.
func TestBuyerIsAskedForEvidence(t *testing.T) {
	t.Parallel()
	eachStoreDB(t, func(t *testing.T, db string) {
		mail := smtptest.Start(t)
		s, c := mailServer(t, db, mail)
		_, ord, _ := s.sale(2500, "usd", map[string]any{"panel": "manual", "external_id": "svc-1"})
		d := s.post("/v1/disputes", map[string]any{"type": "marketplace", "order_id": ord, "initiated_by": "vendor",
			"description": "buyer used the service and asked for a refund"})
		want(t, d, 201)
		s.runJobs()
		c.Advance(25 * time.Hour) // 23 h left of the 48 h window: the 24 h reminder
		s.runJobs()
		msgs := mail.WaitFor(t, 2, 5*time.Second)
		for _, m := range msgs {
			if !strings.HasPrefix(m.Subject, "Information needed about your order "+ord) || !strings.Contains(m.Text, "by 25 November 2026 09:00 UTC") ||
				!strings.Contains(m.Text, "buyer used the service") {
				t.Errorf("evidence request: %s\n%s", m.Subject, m.Text)
			}
		}
		es := emailsOf(s, "/v1/disputes/"+d.str("id"))
		if len(es) != 2 || es[0]["template"] != "evidence_requested" || es[1]["template"] != "evidence_requested" {
			t.Fatalf("emails: %v", es)
		}
	})
}
