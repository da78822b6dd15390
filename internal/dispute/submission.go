package dispute

import (
	"fmt"
	"strings"
	"time"

	"disputed/internal/fault"
)

// SubmissionState is where the merchant's answer to a provider's dispute stands at the provider.
type SubmissionState string

// Submission states. A provider's dispute starts not_sent; submitting evidence or conceding makes
// it sending until the provider took the answer (accepted) or the push failed for good (failed).
const (
	SubmissionNotSent  SubmissionState = "not_sent"
	SubmissionSending  SubmissionState = "sending"
	SubmissionAccepted SubmissionState = "accepted"
	SubmissionFailed   SubmissionState = "failed"
)

// AnswerKind is what the merchant's answer to a provider is.
type AnswerKind string

// Answer kinds.
const (
	AnswerEvidence   AnswerKind = "evidence"   // evidence submitted for review
	AnswerConcession AnswerKind = "concession" // the dispute accepted as lost
)

// Submission is the merchant's answer to a provider's dispute as the provider knows it. The zero
// value is "nothing sent yet".
type Submission struct {
	State SubmissionState // "" reads as not_sent
	Kind  AnswerKind      // what is (or was last) sent; "" before any answer
	Error string          // why the last attempt failed, while sending or failed
	At    time.Time       // when the state was entered; zero before any answer
	By    string          // who gave the answer (actor), recorded on the dispute when it takes effect
	Note  string          // the note given with a concession, its resolution notes once accepted
}

// AnsweredAtProvider reports whether the merchant's answers to this dispute go to its provider,
// which decides the case: a chargeback, inquiry or manual dispute that a provider reported (or
// that carries a provider's dispute id). Its answers take effect when the provider accepted
// them; other disputes take answers at once.
func (d *Dispute) AnsweredAtProvider() bool {
	return d.Type.networkLike() && d.Provider != "" && d.ProviderDisputeID != ""
}

// SubmissionStatus is the dispute's submission as shown: ok is false for a dispute whose answers
// do not go to a provider. Before any answer it is not_sent, since the dispute was created.
func (d *Dispute) SubmissionStatus() (s Submission, ok bool) {
	if !d.AnsweredAtProvider() {
		return Submission{}, false
	}
	s = d.Submission
	if s.State == "" {
		s.State, s.At = SubmissionNotSent, d.CreatedAt
	}
	return s, true
}

// SubmissionFailedNow reports whether the dispute is open and its last answer failed to reach
// the provider: someone must act.
func (d *Dispute) SubmissionFailedNow() bool {
	s, ok := d.SubmissionStatus()
	return ok && d.IsOpen() && s.State == SubmissionFailed
}

// send starts the push of an answer to the provider: the dispute waits, in its status, until the
// provider accepted it. An answer still being sent cannot be given again.
func (d *Dispute) send(kind AnswerKind, by, note string, now time.Time) (Change, error) {
	if d.Submission.State == SubmissionSending {
		return Change{}, fault.New(fault.Conflict, fault.CodeInvalidState, "submission",
			"the %s is already being sent to %s", d.Submission.Kind, d.Provider)
	}
	from := d.Status
	d.Submission = Submission{State: SubmissionSending, Kind: kind, At: now, By: by, Note: note}
	d.touch(now)
	return Change{Action: "sending_to_provider", From: from, To: from, Note: fmt.Sprintf("%s being sent to %s", kind, d.Provider),
		Events: []string{"dispute.updated"}}, nil
}

// inFlight reports whether the dispute's answer is on its way to the provider: sending, or failed
// and sent again by an admin retrying its dead job. Either ends when the provider took it or the
// push fails; a dispute that ended meanwhile sends nothing more.
func (d *Dispute) inFlight() bool {
	return !Ended(d.Status) && (d.Submission.State == SubmissionSending || d.Submission.State == SubmissionFailed)
}

// refuseWhileSending refuses a change to the answer while it is on its way to the provider.
func (d *Dispute) refuseWhileSending(what string) error {
	if d.Submission.State == SubmissionSending {
		return fault.New(fault.Conflict, fault.CodeInvalidState, "submission",
			"cannot %s: the %s is being sent to %s", what, d.Submission.Kind, d.Provider)
	}
	return nil
}

// AcceptSubmission records that the provider took the answer being sent: only now does the
// dispute move as the answer says — submitted evidence goes under review (and counts as a
// submission), a concession makes the dispute lost with the network's withdrawal. It reports
// false when no answer is being sent (the provider's own report came first, or the dispute
// ended meanwhile), and then changes nothing.
func (d *Dispute) AcceptSubmission(now time.Time) (Change, bool) {
	if !d.inFlight() {
		return Change{}, false
	}
	sent := d.Submission
	d.Submission = Submission{State: SubmissionAccepted, Kind: sent.Kind, At: now, By: sent.By}
	c, ok := d.takeAnswer(sent.Kind, sent.By, sent.Note, now)
	if !ok { // the provider moved the dispute on meanwhile (its report came first): its word stands
		d.touch(now)
		c = Change{Action: "updated", From: d.Status, To: d.Status, Events: []string{"dispute.updated"}}
	}
	c.Note = string(sent.Kind) + " accepted by " + d.Provider
	return c, true
}

// takeAnswer is where an answer takes effect, whoever took it (the provider, or disputed itself
// for a dispute of no provider): evidence puts the dispute under review and counts as a
// submission; a concession makes it lost, resolved by who conceded, and the network keeps the
// funds. It reports false when the dispute no longer awaits that answer.
func (d *Dispute) takeAnswer(kind AnswerKind, by, note string, now time.Time) (Change, bool) {
	from := d.Status
	switch to, ok := reviewAfter[d.Status]; {
	case kind == AnswerConcession && d.Status == NeedsResponse:
		d.Status, d.Resolution, d.ResolutionNotes = Lost, ResolutionLost, strings.TrimSpace(note)
		d.ResolvedBy, d.ResolvedAt, d.AcceptedAt = by, now, now
		d.touch(now)
		c := Change{Action: "conceded", From: from, To: Lost, Note: note, Events: []string{"dispute.closed"}, Outcome: d.Outcome()}
		d.lose(&c)
		return c, true
	case kind == AnswerEvidence && ok:
		d.Status = to
		d.SubmissionCount++
		d.defend(by, now)
		d.touch(now)
		return Change{Action: "submitted", From: from, To: to, Events: []string{"dispute.submitted"}}, true
	}
	return Change{}, false
}

// reviewAfter is the status an answered dispute goes under review in.
var reviewAfter = map[Status]Status{NeedsResponse: UnderReview, WarningNeedsResponse: WarningUnderReview}

// RetrySubmission records that an attempt to send the answer failed and will be tried again: the
// submission stays sending, with the error.
func (d *Dispute) RetrySubmission(cause string, attempt int, now time.Time) (Change, bool) {
	if !d.inFlight() {
		return Change{}, false
	}
	d.Submission.Error = cause
	d.touch(now)
	return Change{Action: "provider_push_failed", From: d.Status, To: d.Status,
		Note: fmt.Sprintf("attempt %d failed, will try again: %s", attempt, cause)}, true
}

// FailSubmission records that the answer could not be sent for good: the dispute still awaits
// the merchant (its due date runs on), and the failure must be seen: the change carries the
// dispute.submission_failed event.
func (d *Dispute) FailSubmission(cause string, now time.Time) (Change, bool) {
	if !d.inFlight() {
		return Change{}, false
	}
	d.Submission.State, d.Submission.Error, d.Submission.At = SubmissionFailed, cause, now
	d.touch(now)
	return Change{Action: "submission_failed", From: d.Status, To: d.Status,
		Note:   fmt.Sprintf("the %s did not reach %s: %s", d.Submission.Kind, d.Provider, cause),
		Events: []string{"dispute.submission_failed"}}, true
}

// settleSubmission is what becomes of the answer when the dispute moves on without it. The
// provider reporting the case under review took an answer: the one being sent, or one given on
// its own dashboard; a case won while ours was on its way took ours. An escalation to the next
// stage waits for a new answer. A dispute that ends any other way while its answer is still being
// sent will not send it.
func (d *Dispute) settleSubmission(now time.Time) {
	if !d.AnsweredAtProvider() {
		return
	}
	sent := d.Submission
	switch {
	case sent.State == SubmissionAccepted && !mustRespond(d.Status):
	case d.Status == UnderReview || d.Status == WarningUnderReview,
		d.Status == Won && (sent.State == SubmissionSending || sent.State == SubmissionFailed):
		kind := sent.Kind
		if kind == "" || sent.State == SubmissionNotSent || sent.State == "" {
			kind = AnswerEvidence // given at the provider
		}
		if sent.State == SubmissionSending && kind == AnswerEvidence {
			d.SubmissionCount++ // our push is what the provider took
		}
		d.Submission = Submission{State: SubmissionAccepted, Kind: kind, At: now, By: sent.By}
	case mustRespond(d.Status):
		d.Submission = Submission{State: SubmissionNotSent, At: now}
	case sent.State == SubmissionSending && d.Status == Lost && sent.Kind == AnswerConcession:
		d.Submission = Submission{State: SubmissionAccepted, Kind: AnswerConcession, At: now, By: sent.By}
	case sent.State == SubmissionSending:
		d.Submission = Submission{State: SubmissionNotSent, Kind: sent.Kind,
			Error: "the dispute was " + string(d.Status) + " before " + d.Provider + " took the answer", At: now}
	}
}
