package app_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"disputed/internal/app"
	"disputed/internal/dispute"
	"disputed/internal/fault"
	"disputed/internal/provider/generic"
	"disputed/internal/store"
	"disputed/internal/testenv"
)

// stripeDispute opens a Stripe dispute, dp_1QSubmit + n, on a new sale of USD 49.99.
func stripeDispute(e *testenv.Env, n string) dispute.Dispute {
	e.T.Helper()
	s := e.Sale(testenv.SaleParams{Amount: 4999})
	r := testenv.Must(e.SendStripe(testenv.StripeEvent("evt_"+n, "charge.dispute.created", "needs_response", "dp_1QSubmit"+n,
		s.Charge.ProviderReference, e.Clock.Now())))(e.T)
	return testenv.Must(e.App.Dispute(e.Ctx, testenv.Admin, r.DisputeID))(e.T)
}

// submissionOf is a provider's dispute's submission; it fails the test for a dispute that has none.
func submissionOf(t testing.TB, d dispute.Dispute) dispute.Submission {
	t.Helper()
	s, ok := d.SubmissionStatus()
	if !ok {
		t.Fatalf("dispute %s shows no submission", d.ID)
	}
	return s
}

// submissionFailures is how many dispute.submission_failed events there are about a dispute
// (about any, for "").
func submissionFailures(e *testenv.Env, disputeID string) int {
	e.T.Helper()
	evsPage, err := e.App.Events(e.Ctx, testenv.Admin, store.EventFilter{Type: "dispute.submission_failed", DisputeID: disputeID, Page: store.Page{Limit: 100}})
	evs := evsPage.Rows
	if err != nil {
		e.T.Fatal(err)
	}
	return len(evs)
}

// TestSubmissionReachesTheProviderOrSaysSo: evidence submitted to a Stripe provider without an
// API key does not move the dispute; the failure is kept on the dispute and sent as an event; sent
// again once the provider is fixed, the dispute goes under review only when Stripe took it. The
// same for a concession. (That the failure reaches the admins by email and the webhook endpoints
// is shown by TestSubmissionFailureIsAnnounced.)
func TestSubmissionReachesTheProviderOrSaysSo(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		e.StripeProvider("", "")
		d := stripeDispute(e, "1")
		if sub := submissionOf(t, d); sub.State != dispute.SubmissionNotSent || sub.Kind != "" || sub.Error != "" {
			t.Fatalf("before any answer: %+v", sub)
		}
		d = testenv.Must(update(e, d.ID, d.Revision, dispute.UpdateParams{Evidence: map[string]string{"uncategorized_text": "used for 30 days"}}))(t)

		d = testenv.Must(e.App.SubmitDispute(e.Ctx, testenv.Admin, d.ID, nil))(t)
		if sub := submissionOf(t, d); d.Status != dispute.NeedsResponse || sub.State != dispute.SubmissionSending ||
			sub.Kind != dispute.AnswerEvidence || d.SubmissionCount != 0 {
			t.Fatalf("submitted, not yet pushed: status %s submission %+v count %d", d.Status, sub, d.SubmissionCount)
		}
		// While it is on its way it can neither be sent again nor changed.
		r := d.Revision
		_, err := e.App.SubmitDispute(e.Ctx, testenv.Admin, d.ID, nil)
		testenv.WantFault(t, err, fault.Conflict, fault.CodeInvalidState)
		_, err = e.App.CloseDispute(e.Ctx, testenv.Admin, d.ID, nil, "")
		testenv.WantFault(t, err, fault.Conflict, fault.CodeInvalidState)
		_, err = update(e, d.ID, r, dispute.UpdateParams{Evidence: map[string]string{"customer_name": "Ada"}})
		testenv.WantFault(t, err, fault.Conflict, fault.CodeInvalidState)
		if got := e.Reload(d); got.Revision != r {
			t.Fatalf("a refused answer changed the dispute: revision %d", got.Revision)
		}

		e.RunJobs() // no API key: Stripe cannot be asked, the push fails for good
		d = e.Reload(d)
		if sub := submissionOf(t, d); d.Status != dispute.NeedsResponse || sub.State != dispute.SubmissionFailed ||
			!strings.Contains(sub.Error, "API key") || d.SubmissionCount != 0 || d.DueBy.IsZero() {
			t.Fatalf("after the failed push: status %s submission %+v count %d due %s", d.Status, sub, d.SubmissionCount, d.DueBy)
		}
		if n := submissionFailures(e, d.ID); n != 1 {
			t.Fatalf("%d dispute.submission_failed events, want 1", n)
		}

		// The provider fixed, the evidence is sent again; the dispute moves only once Stripe took it.
		fake := testenv.StartStripeAPI(t)
		if err := e.App.DeleteProvider(e.Ctx, testenv.Admin, "stripe"); err != nil {
			t.Fatal(err)
		}
		e.StripeProvider("sk_test_123", fake.URL)
		d = testenv.Must(e.App.SubmitDispute(e.Ctx, testenv.Admin, d.ID, nil))(t)
		if sub := submissionOf(t, d); d.Status != dispute.NeedsResponse || sub.State != dispute.SubmissionSending || sub.Error != "" {
			t.Fatalf("retried: status %s submission %+v", d.Status, sub)
		}
		e.RunJobs()
		d = e.Reload(d)
		if sub := submissionOf(t, d); d.Status != dispute.UnderReview || sub.State != dispute.SubmissionAccepted || d.SubmissionCount != 1 {
			t.Fatalf("accepted: status %s submission %+v count %d", d.Status, sub, d.SubmissionCount)
		}
		if took := fake.Took(); len(took) != 1 || took[0] != "/v1/disputes/dp_1QSubmit1?submit=true" {
			t.Fatalf("Stripe got %v", took)
		}
		var submitted []store.TimelineEntry
		for _, entry := range testenv.Must(e.App.Timeline(e.Ctx, testenv.Admin, d.ID))(t) {
			if entry.Action == "submitted" {
				submitted = append(submitted, entry)
			}
		}
		if len(submitted) != 1 || submitted[0].Actor != "provider:stripe" || submitted[0].To != "under_review" {
			t.Fatalf("submitted entries: %+v", submitted)
		}

		// A concession Stripe refuses stays a needs_response dispute with a failed concession;
		// conceding again once Stripe takes it makes it lost, with the withdrawal.
		d2 := stripeDispute(e, "2")
		fake.Refuse(true)
		d2 = testenv.Must(e.App.CloseDispute(e.Ctx, testenv.Admin, d2.ID, nil, "not worth fighting"))(t)
		if sub := submissionOf(t, d2); d2.Status != dispute.NeedsResponse || sub.State != dispute.SubmissionSending || sub.Kind != dispute.AnswerConcession {
			t.Fatalf("conceding: status %s submission %+v", d2.Status, sub)
		}
		e.RunJobs()
		d2 = e.Reload(d2)
		if sub := submissionOf(t, d2); d2.Status != dispute.NeedsResponse || sub.State != dispute.SubmissionFailed || !strings.Contains(sub.Error, "No such dispute") {
			t.Fatalf("refused concession: status %s submission %+v", d2.Status, sub)
		}
		fake.Refuse(false)
		testenv.Must(e.App.CloseDispute(e.Ctx, testenv.Admin, d2.ID, nil, "not worth fighting"))(t)
		e.RunJobs()
		d2 = e.Reload(d2)
		if sub := submissionOf(t, d2); d2.Status != dispute.Lost || sub.State != dispute.SubmissionAccepted || d2.ResolutionNotes != "not worth fighting" ||
			!strings.HasPrefix(d2.ResolvedBy, "admin:") {
			t.Fatalf("accepted concession: status %s submission %+v notes %q by %q", d2.Status, sub, d2.ResolutionNotes, d2.ResolvedBy)
		}
		if got := charge(e, d2.TransactionID).Transaction.AmountWithdrawn; got != 4999 {
			t.Fatalf("the concession's withdrawal: %d", got)
		}
		if n := submissionFailures(e, ""); n != 2 {
			t.Fatalf("%d dispute.submission_failed events, want 2", n)
		}

		// A dispute that came from no provider is answered at once and shows no submission.
		s := e.Sale(testenv.SaleParams{Amount: 1000})
		own := testenv.Must(e.App.CreateDispute(e.Ctx, testenv.Admin, app.DisputeParams{Type: "chargeback", OrderID: s.Order.ID, Reason: "fraudulent"}))(t)
		testenv.Must(update(e, own.ID, own.Revision, dispute.UpdateParams{Evidence: map[string]string{"uncategorized_text": "x"}}))(t)
		own = testenv.Must(e.App.SubmitDispute(e.Ctx, testenv.Admin, own.ID, nil))(t)
		if _, shown := own.SubmissionStatus(); own.Status != dispute.UnderReview || shown {
			t.Fatalf("a dispute of no provider: status %s, submission shown %v", own.Status, shown)
		}
	})
}

// TestSubmissionFailedStillExpires: a dispute whose answer failed to reach the provider is lost
// when its due date passes, as one never answered.
func TestSubmissionFailedStillExpires(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		e.StripeProvider("", "")
		d := stripeDispute(e, "3")
		testenv.Must(update(e, d.ID, d.Revision, dispute.UpdateParams{Evidence: map[string]string{"uncategorized_text": "x"}, Submit: true}))(t)
		e.RunJobs()
		if sub := submissionOf(t, e.Reload(d)); sub.State != dispute.SubmissionFailed {
			t.Fatalf("not failed: %+v", sub)
		}
		e.Advance(10 * 24 * time.Hour) // past Stripe's due date
		d = e.Reload(d)
		if d.Status != dispute.Lost || d.ResolvedBy != "system" {
			t.Fatalf("after the due date: status %s by %q", d.Status, d.ResolvedBy)
		}
		if sub := submissionOf(t, d); sub.State != dispute.SubmissionFailed {
			t.Fatalf("the failure is still what happened to the answer: %+v", sub)
		}
	})
}

// TestProviderReportWinsOverASubmissionInFlight: Stripe reporting the dispute under review while
// our evidence is still queued is Stripe's truth: the submission is accepted, and the job then
// sends nothing.
func TestProviderReportWinsOverASubmissionInFlight(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		fake := testenv.StartStripeAPI(t)
		e.StripeProvider("sk_test_123", fake.URL)
		ref := e.Sale(testenv.SaleParams{Amount: 4999}).Charge.ProviderReference
		r := testenv.Must(e.SendStripe(testenv.StripeEvent("evt_w1", "charge.dispute.created", "needs_response", "dp_1QStripe0001", ref, e.Clock.Now())))(t)
		d := e.Reload(dispute.Dispute{ID: r.DisputeID})
		testenv.Must(update(e, d.ID, d.Revision, dispute.UpdateParams{Evidence: map[string]string{"uncategorized_text": "x"}, Submit: true}))(t)
		e.Clock.Advance(time.Minute) // the queued push has not run yet
		testenv.Must(e.SendStripe(testenv.StripeEvent("evt_w2", "charge.dispute.updated", "under_review", "dp_1QStripe0001", ref, e.Clock.Now())))(t)
		d = e.Reload(d)
		if sub := submissionOf(t, d); d.Status != dispute.UnderReview || sub.State != dispute.SubmissionAccepted || d.SubmissionCount != 1 {
			t.Fatalf("after Stripe's report: status %s submission %+v count %d", d.Status, sub, d.SubmissionCount)
		}
		e.RunJobs()
		if took := fake.Took(); len(took) != 0 {
			t.Fatalf("sent after Stripe had it: %v", took)
		}
		if got := e.Reload(d); got.Revision != d.Revision {
			t.Fatalf("the job changed the dispute: revision %d, was %d", got.Revision, d.Revision)
		}
	})
}

// TestAnswerNoProviderCanTakeIsRefused: a chargeback from a generic feed, which takes no answers,
// cannot be answered through disputed: submitting or conceding is refused and changes nothing,
// rather than promising an answer that will never arrive.
func TestAnswerNoProviderCanTakeIsRefused(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		const secret = "generic-feed-secret"
		testenv.Must(e.App.CreateProvider(e.Ctx, testenv.Admin, app.ProviderParams{Name: "feed", Type: "generic", WebhookSecret: secret}))(t)
		ref := e.Sale(testenv.SaleParams{Amount: 2500}).Charge.ProviderReference
		body, _ := json.Marshal(map[string]any{"id": "cb-1", "type": "chargeback", "status": "needs_response", "amount": "25.00",
			"currency": "usd", "reason": "fraudulent", "case_number": "C-9", "transaction_reference": ref})
		h := http.Header{}
		h.Set("X-Signature", generic.Sign(secret, e.Clock.Now(), body))
		r := testenv.Must(e.Notify("feed", h, body))(t)
		d := e.Reload(dispute.Dispute{ID: r.DisputeID})
		d = testenv.Must(update(e, d.ID, d.Revision, dispute.UpdateParams{Evidence: map[string]string{"uncategorized_text": "x"}}))(t)
		_, err := e.App.SubmitDispute(e.Ctx, testenv.Admin, d.ID, nil)
		testenv.WantFault(t, err, fault.Conflict, fault.CodeProviderTakesNoAnswers)
		_, err = e.App.CloseDispute(e.Ctx, testenv.Admin, d.ID, nil, "")
		testenv.WantFault(t, err, fault.Conflict, fault.CodeProviderTakesNoAnswers)
		after := e.Reload(d)
		if after.Revision != d.Revision || after.Status != dispute.NeedsResponse || submissionOf(t, after).State != dispute.SubmissionNotSent {
			t.Fatalf("a refused answer changed the dispute: revision %d status %s", after.Revision, after.Status)
		}
	})
}
