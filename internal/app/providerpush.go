package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"disputed/internal/actor"
	"disputed/internal/dispute"
	"disputed/internal/fault"
	"disputed/internal/jobs"
	"disputed/internal/provider"
	"disputed/internal/store"
)

// KindProviderRespond is the job that pushes the merchant's answer to a dispute (evidence,
// submitted or not, or a concession) back to its provider.
const KindProviderRespond = "provider.respond"

// ProviderRespondAttempts is how often a push is tried: with the runner's backoff, about two
// hours; long enough to ride out a provider's hiccup, short enough to leave time before the due
// date. A push that fails for good stays visible as a dead job, to retry.
const ProviderRespondAttempts = 12

type respondJob struct {
	DisputeID string `json:"dispute_id"`
	Concede   bool   `json:"concede,omitempty"`
	Submit    bool   `json:"submit,omitempty"`
}

// pushToProvider schedules the push of what a person did to a provider's dispute: an answer
// (submitted evidence or a concession) that has just started sending, or evidence staged. One job
// per dispute: a newer push replaces one that has not gone yet, and the job sends the dispute as
// it is when it runs. An answer that no configured provider can take is refused here, before
// anything changes: disputed cannot deliver it.
func (a *App) pushToProvider(ctx context.Context, tx store.Tx, now time.Time, who actor.Actor, d, prev dispute.Dispute) error {
	if !d.AnsweredAtProvider() || who.Kind == "provider" {
		return nil
	}
	args := respondJob{DisputeID: d.ID}
	answer := d.Submission.State == dispute.SubmissionSending && prev.Submission.State != dispute.SubmissionSending
	if answer {
		args.Concede = d.Submission.Kind == dispute.AnswerConcession
		args.Submit = !args.Concede
	} else if maps.Equal(d.Evidence, prev.Evidence) || who.Kind == actor.System.Kind {
		// Nothing to stage, or the server's own staging (the evidence compiler when a dispute
		// opens): that waits for a person's next staging or the submission, which send every
		// staged field, rather than call the provider for each dispute on its own.
		return nil
	}
	p, err := tx.GetProvider(ctx, d.Provider)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	_, takes := a.responderFor(p)
	if err != nil || !takes {
		if !answer {
			return nil // staging is a convenience: nothing to push it to
		}
		why := "is not configured"
		if err == nil {
			why = "is a " + p.Type + " feed, which takes no answers"
		}
		return fault.New(fault.Conflict, fault.CodeProviderTakesNoAnswers, "provider",
			"the provider %s %s: answer the case where it was opened (its report then moves the dispute), or move the dispute yourself", d.Provider, why)
	}
	b, err := json.Marshal(args)
	if err != nil {
		return err
	}
	if err := a.enqueue(ctx, tx, now, store.Job{Kind: KindProviderRespond, Key: "respond:" + d.ID, Subject: "respond:" + d.ID,
		Args: b, RunAt: now}); err != nil {
		return err
	}
	return nil
}

// answer is what a job sends, as the submission knows it.
func (args respondJob) answer() dispute.AnswerKind {
	switch {
	case args.Concede:
		return dispute.AnswerConcession
	case args.Submit:
		return dispute.AnswerEvidence
	}
	return ""
}

// stillToSend reports whether the answer a job was made for is still the dispute's answer to
// send: sending, or failed (an admin retrying the dead job). The provider's own report, a
// decision or an escalation since then means there is nothing to send any more.
func stillToSend(d dispute.Dispute, args respondJob) bool {
	s := d.Submission
	return d.IsOpen() && s.Kind == args.answer() && (s.State == dispute.SubmissionSending || s.State == dispute.SubmissionFailed)
}

// RespondToProvider is the provider.respond job: it sends the dispute's evidence (submitted or
// staged) or its concession to the provider, outside any transaction, and records that it did:
// an answer the provider took is accepted on the dispute, which moves only now.
func (a *App) RespondToProvider(ctx context.Context, job store.Job) (jobs.Record, error) {
	var args respondJob
	if err := json.Unmarshal(job.Args, &args); err != nil {
		return nil, jobs.Permanent(fmt.Errorf("provider job arguments: %w", err))
	}
	d, err := a.store.GetDispute(ctx, args.DisputeID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if args.answer() != "" && !stillToSend(d, args) {
		return nil, nil
	}
	p, err := a.store.GetProvider(ctx, d.Provider)
	if errors.Is(err, store.ErrNotFound) {
		return nil, jobs.Permanent(fmt.Errorf("provider %s is no longer configured", d.Provider))
	}
	if err != nil {
		return nil, err
	}
	r, ok := a.responderFor(p)
	if !ok {
		return nil, jobs.Permanent(fmt.Errorf("provider %s takes no answers", d.Provider))
	}
	what := "evidence staged at " + p.Name
	if args.Submit {
		what = "evidence submitted to " + p.Name
	}
	var evidence provider.Evidence
	if !args.Concede {
		// A packet that cannot fit the provider was refused when it was staged; one that no
		// longer does (the limits changed) fails here, before anything is sent.
		if evidence, err = providerEvidence(ctx, a.store, d, p.Type); err != nil {
			return nil, jobs.Permanent(err)
		}
		if n := len(evidence.Files); n > 0 {
			what += fmt.Sprintf(" with %d file(s): %s", n, strings.Join(slices.Sorted(maps.Keys(evidence.Files)), ", "))
		}
		if dt, ok := r.(provider.DocumentTaker); ok && dt.TakesDocuments() && args.Submit {
			if evidence.Packet, err = a.submittedPacket(ctx, d, p.Type); err != nil {
				return nil, jobs.Permanent(err)
			}
			what += fmt.Sprintf(", as one packet of %d bytes", len(evidence.Packet.Data))
		}
		// Visa CE 3.0 is read when the push runs, so that it sends the card's history as it is
		// then; it is sent whenever the dispute qualifies, as the merchant would not do otherwise.
		ce3, err := visaCE3(ctx, a.store, d)
		if err != nil {
			return nil, err
		}
		if ce3 != nil && ce3.Evidence != nil {
			evidence.VisaCE3 = ce3.Evidence
			what += " with Visa Compelling Evidence 3.0"
		}
	}
	// The key changes with the content: a provider that replays a key's first answer must not
	// answer a changed retry, or the same evidence staged again later, with an old result. The
	// staged values name the files (evidence items are never changed), so they stand for them.
	ctx = provider.WithIdempotencyKey(ctx, "disputed-"+job.ID+"-"+contentKey(args, d.Evidence))
	if args.Concede {
		err, what = r.Concede(ctx, d.ProviderDisputeID), "concession sent to "+p.Name
	} else {
		err = r.SendEvidence(ctx, d.ProviderDisputeID, evidence, args.Submit)
	}
	if err != nil {
		if errors.Is(err, provider.ErrPermanent) {
			return nil, jobs.Permanent(err)
		}
		return nil, err
	}
	return func(ctx context.Context, tx store.Tx) error {
		now := a.clock()
		if err := a.timeline(ctx, tx, now, entry{disputeID: d.ID, orderID: d.OrderID, actor: actor.System.String(),
			action: "pushed_to_provider", note: what}); err != nil {
			return err
		}
		if args.answer() == "" {
			return nil
		}
		return a.settleAnswer(ctx, tx, now, actor.Provider(d.Provider), d.ID, args, func(d *dispute.Dispute) (dispute.Change, bool) {
			return d.AcceptSubmission(now)
		})
	}, nil
}

// ProviderRespondFailed records a failed push. A failed answer is kept on the dispute: still
// sending (with the error) while it is retried, failed for good when it is not, which an admin
// must not miss: the dispute.submission_failed event and an email to the admins. A failed
// staging push is written on the timeline.
func (a *App) ProviderRespondFailed(ctx context.Context, tx store.Tx, job store.Job, cause error, dead bool) error {
	var args respondJob
	if err := json.Unmarshal(job.Args, &args); err != nil {
		return err
	}
	d, err := tx.GetDispute(ctx, args.DisputeID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	now := a.clock()
	if args.answer() != "" {
		return a.settleAnswer(ctx, tx, now, actor.System, d.ID, args, func(d *dispute.Dispute) (dispute.Change, bool) {
			if dead {
				return d.FailSubmission(cause.Error(), now)
			}
			return d.RetrySubmission(cause.Error(), job.Attempts, now)
		})
	}
	note := fmt.Sprintf("attempt %d failed: %v", job.Attempts, cause)
	if dead {
		note = fmt.Sprintf("gave up after %d attempts (retry the job %s): %v", job.Attempts, job.ID, cause)
	}
	return a.timeline(ctx, tx, now, entry{disputeID: d.ID, orderID: d.OrderID, actor: actor.System.String(),
		action: "provider_push_failed", note: note})
}

// settleAnswer applies what became of a push to the answer it sent, when that is still the
// dispute's answer, and commits it as who's doing: the provider that took it (so that nothing is
// pushed back), or the system that gave up.
func (a *App) settleAnswer(ctx context.Context, tx store.Tx, now time.Time, who actor.Actor, id string, args respondJob, rule func(*dispute.Dispute) (dispute.Change, bool)) error {
	d, err := tx.GetDispute(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil || !stillToSend(d, args) {
		return err
	}
	prev := d
	c, ok := rule(&d)
	if !ok {
		return nil
	}
	if err := a.commitDispute(ctx, tx, now, who, &d, prev, c); err != nil {
		return err
	}
	if slices.Contains(c.Events, "dispute.submission_failed") {
		return a.mailSubmissionFailed(ctx, tx, now, d)
	}
	return nil
}

// contentKey is a short digest of what a push sends.
func contentKey(args respondJob, evidence map[string]string) string {
	h := sha256.New()
	fmt.Fprintf(h, "%t|%t", args.Concede, args.Submit)
	for _, k := range slices.Sorted(maps.Keys(evidence)) {
		fmt.Fprintf(h, "|%s=%s", k, evidence[k])
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}
