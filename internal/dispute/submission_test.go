package dispute

import (
	"slices"
	"testing"

	"disputed/internal/fault"
)

// providerFixture is a dispute of type typ in status s reported by Stripe, with staged evidence.
func providerFixture(t *testing.T, typ Type, s Status) *Dispute {
	t.Helper()
	d := fixture(t, typ, s)
	d.Provider, d.ProviderDisputeID = "stripe", "du_1"
	d.Evidence["uncategorized_text"] = "logs"
	return d
}

func wantSubmission(t *testing.T, d *Dispute, state SubmissionState, kind AnswerKind) {
	t.Helper()
	s, ok := d.SubmissionStatus()
	if !ok || s.State != state || s.Kind != kind {
		t.Fatalf("submission = %+v (shown %v); want %s %s", s, ok, state, kind)
	}
}

func TestSubmittedEvidenceWaitsForTheProvider(t *testing.T) {
	d := providerFixture(t, Chargeback, NeedsResponse)
	wantSubmission(t, d, SubmissionNotSent, "")
	c, err := d.Submit(admin, tNow)
	if err != nil || c.Action != "sending_to_provider" || d.Status != NeedsResponse || d.SubmissionCount != 0 {
		t.Fatalf("Submit = %+v, %v; dispute %s, %d submissions", c, err, d.Status, d.SubmissionCount)
	}
	wantSubmission(t, d, SubmissionSending, AnswerEvidence)

	before := snapshot(d)
	_, err = d.Submit(admin, tNow)
	wantFault(t, err, fault.Conflict, "invalid_state", "submission")
	_, err = d.Close(admin, "", tNow)
	wantFault(t, err, fault.Conflict, "invalid_state", "submission")
	_, err = d.Update(UpdateParams{Evidence: map[string]string{"customer_name": "Ada"}}, tNow)
	wantFault(t, err, fault.Conflict, "invalid_state", "submission")
	assertUnchanged(t, before, d)
	if d.AwaitsResponse() != true || len(d.Actions()) == 0 {
		t.Fatal("a dispute whose answer is on its way no longer awaits a response")
	}

	c, ok := d.RetrySubmission("timeout", 1, tNow)
	if !ok || len(c.Events) != 0 || d.Submission.Error != "timeout" || d.Submission.State != SubmissionSending {
		t.Fatalf("retry: %+v %+v", c, d.Submission)
	}
	c, ok = d.FailSubmission("no API key", tNow)
	if !ok || !slices.Equal(c.Events, []string{"dispute.submission_failed"}) || d.Status != NeedsResponse || !d.SubmissionFailedNow() {
		t.Fatalf("fail: %+v %+v", c, d.Submission)
	}

	// Sent again, and accepted: only now is it under review.
	if _, err := d.Submit(admin, tNow); err != nil {
		t.Fatal(err)
	}
	c, ok = d.AcceptSubmission(tNow)
	if !ok || c.Action != "submitted" || c.To != UnderReview || d.Status != UnderReview || d.SubmissionCount != 1 {
		t.Fatalf("accept: %+v, dispute %s %d", c, d.Status, d.SubmissionCount)
	}
	wantSubmission(t, d, SubmissionAccepted, AnswerEvidence)
	if _, ok := d.AcceptSubmission(tNow); ok {
		t.Fatal("accepted twice")
	}
}

func TestConcessionWaitsForTheProvider(t *testing.T) {
	d := providerFixture(t, Chargeback, NeedsResponse)
	c, err := d.Close(admin, " too small ", tNow)
	if err != nil || c.Withdraw || d.Status != NeedsResponse {
		t.Fatalf("Close = %+v, %v", c, err)
	}
	wantSubmission(t, d, SubmissionSending, AnswerConcession)
	c, ok := d.AcceptSubmission(tNow)
	if !ok || c.Action != "conceded" || !c.Withdraw || d.Status != Lost || d.ResolvedBy != admin.String() || d.ResolutionNotes != "too small" {
		t.Fatalf("accepted concession: %+v; %+v", c, d)
	}
	wantSubmission(t, d, SubmissionAccepted, AnswerConcession)
}

func TestProviderWordSettlesTheSubmission(t *testing.T) {
	d := providerFixture(t, Chargeback, NeedsResponse)
	if _, err := d.Submit(admin, tNow); err != nil {
		t.Fatal(err)
	}
	d.Follow(Report{Status: UnderReview}, admin, tNow)
	if d.Status != UnderReview || d.SubmissionCount != 1 {
		t.Fatalf("after the provider's under_review: %s %d", d.Status, d.SubmissionCount)
	}
	wantSubmission(t, d, SubmissionAccepted, AnswerEvidence)
	if _, ok := d.AcceptSubmission(tNow); ok {
		t.Fatal("the job accepted what the provider's report already settled")
	}
	// The next stage waits for a new answer.
	d.Follow(Report{Status: NeedsResponse}, admin, tNow)
	wantSubmission(t, d, SubmissionNotSent, "")

	// A due date that passes while the answer is on its way loses the dispute; the answer
	// will not be sent.
	e := providerFixture(t, Chargeback, NeedsResponse)
	if _, err := e.Submit(admin, tNow); err != nil {
		t.Fatal(err)
	}
	c, ok := e.Expire(e.DueBy.Add(1))
	if !ok || e.Status != Lost || !c.Withdraw {
		t.Fatalf("expire: %+v %s", c, e.Status)
	}
	wantSubmission(t, e, SubmissionNotSent, AnswerEvidence)
	if e.Submission.Error == "" {
		t.Fatal("no word on why the answer was not sent")
	}
	// A failed answer is still lost at its due date.
	f := providerFixture(t, Chargeback, NeedsResponse)
	f.Submit(admin, tNow)
	f.FailSubmission("no key", tNow)
	if _, ok := f.Expire(f.DueBy.Add(1)); !ok || f.Status != Lost || f.SubmissionFailedNow() {
		t.Fatalf("expire after a failure: %s", f.Status)
	}
}

func TestProviderCountIncludesOurPush(t *testing.T) {
	d := providerFixture(t, Chargeback, NeedsResponse)
	if _, err := d.Submit(admin, tNow); err != nil {
		t.Fatal(err)
	}
	d.Follow(Report{Status: UnderReview, SubmissionCount: 1}, admin, tNow)
	if d.SubmissionCount != 1 {
		t.Fatalf("submission count %d, want the provider's 1", d.SubmissionCount)
	}
	wantSubmission(t, d, SubmissionAccepted, AnswerEvidence)
	d.Follow(Report{Status: NeedsResponse, Stage: StagePreArbitration}, admin, tNow)
	wantSubmission(t, d, SubmissionNotSent, "")
}

func TestProviderDecisionSettlesTheSubmission(t *testing.T) {
	won := providerFixture(t, Chargeback, NeedsResponse)
	if _, err := won.Submit(admin, tNow); err != nil {
		t.Fatal(err)
	}
	won.Follow(Report{Status: Won}, admin, tNow)
	wantSubmission(t, won, SubmissionAccepted, AnswerEvidence)

	unanswered := providerFixture(t, Chargeback, NeedsResponse)
	unanswered.Follow(Report{Status: Won}, admin, tNow)
	wantSubmission(t, unanswered, SubmissionNotSent, "")

	conceded := providerFixture(t, Chargeback, NeedsResponse)
	if _, err := conceded.Close(admin, "", tNow); err != nil {
		t.Fatal(err)
	}
	conceded.Follow(Report{Status: Lost}, admin, tNow)
	wantSubmission(t, conceded, SubmissionAccepted, AnswerConcession)
}

func TestOtherDisputesAreAnsweredAtOnce(t *testing.T) {
	for _, typ := range []Type{Chargeback, Manual} {
		d := fixture(t, typ, NeedsResponse)
		d.Evidence["uncategorized_text"] = "logs"
		if _, ok := d.SubmissionStatus(); ok {
			t.Fatalf("%s without a provider shows a submission", typ)
		}
		c, err := d.Submit(admin, tNow)
		if err != nil || c.Action != "submitted" || d.Status != UnderReview || d.SubmissionCount != 1 {
			t.Fatalf("%s: %+v %v", typ, c, err)
		}
	}
	a := fixture(t, Alert, Open)
	a.Provider, a.ProviderDisputeID = "stripe", "issfr_1"
	if a.AnsweredAtProvider() {
		t.Fatal("an alert takes answers at its provider")
	}
}
