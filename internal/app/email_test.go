package app_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/fault"
	"disputed/internal/notify"
	"disputed/internal/notify/smtptest"
	"disputed/internal/order"
	"disputed/internal/store"
	"disputed/internal/testenv"
)

// merchant names the merchant, as the customer emails sign.
func merchant(t *testing.T, e *testenv.Env) {
	t.Helper()
	testenv.Must(e.App.SaveSettings(e.Ctx, testenv.Admin, app.SettingsParams{MerchantName: ptr("Acme Hosting")}))(t)
}

// emailsOf lists the customer emails f selects, oldest first.
func emailsOf(t *testing.T, e *testenv.Env, f store.EmailFilter) []store.Email {
	t.Helper()
	return testenv.Must(e.App.Emails(e.Ctx, testenv.Admin, f))(t)
}

// templates are the templates of the customer emails about an order, oldest first.
func templates(t *testing.T, e *testenv.Env, ord string) string {
	t.Helper()
	var out []string
	for _, m := range emailsOf(t, e, store.EmailFilter{OrderID: ord}) {
		out = append(out, m.Template)
	}
	return strings.Join(out, ",")
}

// manualDispute opens a manual dispute on the sale.
func manualDispute(t *testing.T, e *testenv.Env, s testenv.Sale) string {
	t.Helper()
	return testenv.Must(e.App.OpenManualDispute(e.Ctx, testenv.Admin, s.Order.ID, app.ManualDisputeParams{Reason: "general", Description: "r"}))(t).ID
}

func TestCustomerEmailsAreSentThroughSMTP(t *testing.T) {
	t.Parallel()
	testenv.EachWithMail(t, []smtptest.Option{smtptest.RequireAuth()}, func(t *testing.T, e *testenv.Env, mail *smtptest.Server) {
		merchant(t, e)
		s := e.ManualSale("svc-1")
		ord := s.Order.ID
		d := testenv.Must(e.App.OpenManualDispute(e.Ctx, testenv.Admin, ord, app.ManualDisputeParams{Reason: "general",
			Description: "PayPal case opened", ExternalReference: "PP-D-9"}))(t)
		testenv.Must(e.App.AddNote(e.Ctx, testenv.Admin, d.ID, "SECRET-NOTE customer sounded angry"))(t)
		queued := emailsOf(t, e, store.EmailFilter{DisputeID: d.ID})
		if len(queued) != 1 || queued[0].State != "queued" || queued[0].Template != "dispute_opened" {
			t.Fatalf("before the job runs: %+v", queued)
		}
		e.RunJobs()
		msgs := mail.WaitFor(t, 1, 5*time.Second)
		m := msgs[0]
		if len(m.To) != 1 || m.To[0] != s.Customer.Email || !m.TLS || m.AuthUsername == "" {
			t.Fatalf("envelope: to %v, tls %v, auth %q", m.To, m.TLS, m.AuthUsername)
		}
		for _, w := range []string{ord, "Acme Hosting", "PP-D-9", "suspended"} {
			if !strings.Contains(m.Subject+m.Text, w) {
				t.Errorf("the dispute_opened email lacks %q:\n%s\n%s", w, m.Subject, m.Text)
			}
		}
		sent := emailsOf(t, e, store.EmailFilter{DisputeID: d.ID})[0]
		if sent.State != "sent" || sent.Attempts != 1 || sent.SentAt.IsZero() || sent.Subject != m.Subject {
			t.Fatalf("recorded email: %+v", sent)
		}

		// Won: the line is enabled once an admin confirms, then the customer hears of both.
		testenv.Must(e.App.ResolveDispute(e.Ctx, testenv.Admin, d.ID, nil, app.ResolveParams{Resolution: "won", Notes: "case closed"}))(t)
		line := s.Lines[0].ID
		_, err := e.App.ConfirmLine(e.Ctx, testenv.Admin, line, "suspend") // the suspension was withdrawn
		testenv.WantFault(t, err, fault.Conflict, "")
		e.RunJobs()
		_, err = e.App.ConfirmLine(e.Ctx, testenv.Admin, line, "enable") // never suspended: nothing to enable
		testenv.WantFault(t, err, fault.Conflict, "")
		msgs = mail.WaitFor(t, 2, 5*time.Second)
		if !strings.Contains(msgs[1].Subject+msgs[1].Text, "resolved") {
			t.Fatalf("second email: %s\n%s", msgs[1].Subject, msgs[1].Text)
		}
		for _, msg := range msgs {
			if strings.Contains(string(msg.Data), "SECRET-NOTE") {
				t.Fatal("an admin note reached a customer email")
			}
		}
		if got := emailsOf(t, e, store.EmailFilter{OrderID: ord}); len(got) != 2 {
			t.Fatalf("order emails: %+v", got)
		}
	})
}

// TestLineEmailsFollowTheLines: service restored goes out when the last line is enabled, service
// terminated when the last is terminated, and a voided order gets its own email instead.
func TestLineEmailsFollowTheLines(t *testing.T) {
	t.Parallel()
	testenv.EachWithMail(t, nil, func(t *testing.T, e *testenv.Env, mail *smtptest.Server) {
		merchant(t, e)
		confirm := func(s testenv.Sale, action string) {
			t.Helper()
			testenv.Must(e.App.ConfirmLine(e.Ctx, testenv.Admin, s.Lines[0].ID, action))(t)
		}
		won := e.ManualSale("svc-1")
		d := manualDispute(t, e, won)
		confirm(won, "suspend")
		testenv.Must(e.App.ResolveDispute(e.Ctx, testenv.Admin, d, nil, app.ResolveParams{Resolution: "won", Notes: "n"}))(t)
		confirm(won, "enable")
		if got := templates(t, e, won.Order.ID); got != "dispute_opened,dispute_resolved,service_restored" {
			t.Fatalf("emails after a win: %s", got)
		}

		lost := e.ManualSale("svc-2")
		d2 := manualDispute(t, e, lost)
		testenv.Must(e.App.ResolveDispute(e.Ctx, testenv.Admin, d2, nil, app.ResolveParams{Resolution: "lost", Notes: "n"}))(t)
		confirm(lost, "terminate")
		if got := templates(t, e, lost.Order.ID); got != "dispute_opened,dispute_resolved,service_terminated" {
			t.Fatalf("emails after a loss: %s", got)
		}

		voided := e.ManualSale("svc-3")
		testenv.Must(e.App.VoidOrder(e.Ctx, testenv.Admin, voided.Order.ID, app.VoidParams{Reason: "fraud confirmed"}))(t)
		confirm(voided, "terminate")
		if got := templates(t, e, voided.Order.ID); got != "order_voided" {
			t.Fatalf("emails after a void: %s", got)
		}
		e.RunJobs()
		msgs := mail.WaitFor(t, 7, 5*time.Second) // sent in any order
		found := false
		for _, m := range msgs {
			found = found || (strings.Contains(m.Subject, voided.Order.ID) && strings.Contains(m.Text, "fraud confirmed"))
		}
		if !found {
			t.Fatalf("no email says why order %s was voided", voided.Order.ID)
		}
	})
}

// TestEmailRetriesAndFailures: an email the SMTP server refuses for now is sent again later; one
// refused for good is recorded as failed, on the order's timeline too.
func TestEmailRetriesAndFailures(t *testing.T) {
	t.Parallel()
	testenv.EachWithMail(t, []smtptest.Option{smtptest.RejectRecipient("nobody@example.com")}, func(t *testing.T, e *testenv.Env, mail *smtptest.Server) {
		merchant(t, e)
		s := e.ManualSale("svc-1")
		mail.FailNext(1) // 451: try again later
		d := manualDispute(t, e, s)
		e.RunJobs()
		m := emailsOf(t, e, store.EmailFilter{DisputeID: d})[0]
		if m.State != "queued" || m.Attempts != 1 || !strings.Contains(m.Reason, "451") {
			t.Fatalf("after a temporary failure: %+v", m)
		}
		e.Advance(time.Hour)
		m = emailsOf(t, e, store.EmailFilter{DisputeID: d})[0]
		if m.State != "sent" || m.Attempts != 2 || m.Reason != "" {
			t.Fatalf("after the retry: %+v", m)
		}

		cus := testenv.Must(e.App.CreateCustomer(e.Ctx, testenv.Admin, app.CustomerParams{Email: "nobody@example.com"}))(t)
		o := testenv.Must(e.App.CreateOrder(e.Ctx, testenv.Admin, app.OrderParams{CustomerID: cus.ID, Currency: "USD",
			Items: []app.ItemParams{{Description: "x", Amount: ptr(int64(100))}}}))(t)
		testenv.Must(e.App.CompleteOrder(e.Ctx, testenv.Admin, o.Order.ID))(t)
		testenv.Must(e.App.VoidOrder(e.Ctx, testenv.Admin, o.Order.ID, app.VoidParams{Reason: "test order"}))(t)
		e.RunJobs()
		m = emailsOf(t, e, store.EmailFilter{OrderID: o.Order.ID})[0]
		if m.State != "failed" || m.Attempts != 1 || !strings.Contains(m.Reason, "550") {
			t.Fatalf("a refused recipient: %+v", m)
		}
		tl := testenv.Must(e.App.OrderTimeline(e.Ctx, testenv.Admin, o.Order.ID))(t)
		if last := tl[len(tl)-1]; last.Action != "email_failed" {
			t.Fatalf("order timeline ends with %+v", last)
		}
	})
}

// TestEmailsWithoutSMTPAreRecordedNotSent: with no SMTP server, or with the template switched
// off, nothing is claimed as sent.
func TestEmailsWithoutSMTPAreRecordedNotSent(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		s := e.ManualSale("svc-1")
		d := manualDispute(t, e, s)
		es := emailsOf(t, e, store.EmailFilter{DisputeID: d})
		if len(es) != 1 || es[0].State != "not_sent" || !strings.Contains(es[0].Reason, "DISPUTED_SMTP_URL") {
			t.Fatalf("emails without SMTP: %+v", es)
		}
		if js := jobsOf(t, e, store.JobFilter{Kind: "email.send"}); len(js) != 0 {
			t.Fatalf("a send job without SMTP: %+v", js)
		}
		st := testenv.Must(e.App.SaveSettings(e.Ctx, testenv.Admin, app.SettingsParams{Emails: map[string]bool{"dispute_resolved": false}}))(t)
		if !slices.Contains(st.EmailsOff, "dispute_resolved") || slices.Contains(st.EmailsOff, "dispute_opened") {
			t.Fatalf("settings: emails off %v", st.EmailsOff)
		}
		_, err := e.App.SaveSettings(e.Ctx, testenv.Admin, app.SettingsParams{Emails: map[string]bool{"birthday": true}})
		testenv.WantFault(t, err, fault.Invalid, "")
		testenv.Must(e.App.ResolveDispute(e.Ctx, testenv.Admin, d, nil, app.ResolveParams{Resolution: "won", Notes: "n"}))(t)
		if es := emailsOf(t, e, store.EmailFilter{DisputeID: d}); len(es) != 1 {
			t.Fatalf("a switched-off template was written: %+v", es)
		}
		_, err = e.App.Emails(e.Ctx, actor.Key("key_buyer", actor.Buyer, "cus_x"), store.EmailFilter{DisputeID: d})
		testenv.WantFault(t, err, fault.Forbidden, "")
		_, err = e.App.Emails(e.Ctx, testenv.Admin, store.EmailFilter{DisputeID: "dsp_nope"})
		testenv.WantFault(t, err, fault.NotFound, "")
	})
}

// TestBuyerIsAskedForEvidence: a vendor's marketplace dispute asks the buyer for their side at
// once, and the reminder before the response window closes asks again.
func TestBuyerIsAskedForEvidence(t *testing.T) {
	t.Parallel()
	testenv.EachWithMail(t, nil, func(t *testing.T, e *testenv.Env, mail *smtptest.Server) {
		merchant(t, e)
		s := e.Sale(testenv.SaleParams{Amount: 2500, Line: &order.LineSpec{Panel: "manual", ExternalID: "svc-1"}})
		d := testenv.Must(e.App.CreateDispute(e.Ctx, testenv.Admin, app.DisputeParams{Type: "marketplace", OrderID: s.Order.ID,
			InitiatedBy: "vendor", Description: "buyer used the service and asked for a refund"}))(t)
		e.RunJobs()
		e.Advance(25 * time.Hour) // 23 h left of the 48 h window: the 24 h reminder
		by := "by " + testenv.Start.Add(48*time.Hour).Format("2 January 2006 15:04 UTC")
		for _, m := range mail.WaitFor(t, 2, 5*time.Second) {
			if !strings.HasPrefix(m.Subject, "Information needed about your order "+s.Order.ID) || !strings.Contains(m.Text, by) ||
				!strings.Contains(m.Text, "buyer used the service") {
				t.Errorf("evidence request (want %q): %s\n%s", by, m.Subject, m.Text)
			}
		}
		es := emailsOf(t, e, store.EmailFilter{DisputeID: d.ID})
		if len(es) != 2 || es[0].Template != "evidence_requested" || es[1].Template != "evidence_requested" {
			t.Fatalf("emails: %+v", es)
		}
	})
}

// TestEmailKeptAsItsTemplateAndData: a customer email is stored as its template, version and
// data, not its text, and reads as it was written: the merchant's later renaming does not
// reach it. One stored as its text (before migration 00050) reads as that text.
func TestEmailKeptAsItsTemplateAndData(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		merchant(t, e)
		s := e.ManualSale("svc-1")
		d := manualDispute(t, e, s)
		kept := testenv.Must(e.Store.ListEmails(e.Ctx, store.EmailFilter{DisputeID: d}))(t)
		if len(kept) != 1 || kept[0].Subject != "" || kept[0].Body != "" || kept[0].TemplateVersion != notify.TemplateVersion ||
			!strings.Contains(kept[0].Data, s.Order.ID) {
			t.Fatalf("stored: %+v", kept)
		}
		testenv.Must(e.App.SaveSettings(e.Ctx, testenv.Admin, app.SettingsParams{MerchantName: ptr("Renamed Ltd")}))(t)
		shown := emailsOf(t, e, store.EmailFilter{DisputeID: d})
		want := "Your order " + s.Order.ID + " with Acme Hosting is under dispute"
		if len(shown) != 1 || shown[0].Subject != want || !strings.Contains(shown[0].Body, "Kind regards,\nAcme Hosting\n") {
			t.Fatalf("shown: %+v; want the subject %q and the merchant's name when it was written", shown, want)
		}
		if len(kept[0].Data) >= len(shown[0].Body) {
			t.Errorf("the data kept (%d bytes) is not smaller than the text (%d bytes)", len(kept[0].Data), len(shown[0].Body))
		}

		old := store.Email{ID: "eml_written_before", Template: "dispute_opened", DisputeID: d, OrderID: s.Order.ID,
			To: s.Customer.Email, Subject: "As it was sent", Body: "Dear customer,\n", State: store.EmailSent, CreatedAt: e.Clock.Now(), UpdatedAt: e.Clock.Now()}
		if err := e.Store.Tx(e.Ctx, func(tx store.Tx) error { return tx.InsertEmail(e.Ctx, old) }); err != nil {
			t.Fatal(err)
		}
		shown = emailsOf(t, e, store.EmailFilter{DisputeID: d})
		if len(shown) != 2 || shown[1].Subject != old.Subject || shown[1].Body != old.Body {
			t.Fatalf("an email stored as its text: %+v", shown)
		}
	})
}
