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
	"disputed/internal/jobs"
	"disputed/internal/provider"
	"disputed/internal/provider/paypal"
	"disputed/internal/provider/stripe"
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

// pushToProvider schedules the push of what an admin did to a provider's dispute: a concession,
// submitted evidence, or evidence staged. One job per dispute: a newer answer replaces one that
// has not gone yet, and the job sends the dispute as it is when it runs.
func (a *App) pushToProvider(ctx context.Context, tx store.Tx, now time.Time, who actor.Actor, d, prev dispute.Dispute, changes []dispute.Change) error {
	if d.Provider == "" || d.ProviderDisputeID == "" || who.Kind == "provider" {
		return nil
	}
	args := respondJob{DisputeID: d.ID}
	for _, ch := range changes {
		switch ch.Action {
		case "conceded":
			args.Concede = true
		case "submitted":
			args.Submit = true
		}
	}
	if !args.Concede && !args.Submit && maps.Equal(d.Evidence, prev.Evidence) {
		return nil
	}
	p, err := tx.GetProvider(ctx, d.Provider)
	if errors.Is(err, store.ErrNotFound) {
		return nil // the provider is no longer configured: nothing to push to
	}
	if err != nil {
		return err
	}
	if _, ok := a.responderFor(p); !ok {
		return nil
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

// RespondToProvider is the provider.respond job: it sends the dispute's evidence (submitted or
// staged) or its concession to the provider, outside any transaction, and records that it did.
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
	p, err := a.store.GetProvider(ctx, d.Provider)
	if errors.Is(err, store.ErrNotFound) {
		return nil, jobs.Permanent(fmt.Errorf("provider %s is no longer configured", d.Provider))
	}
	if err != nil {
		return nil, err
	}
	r, ok := a.responderFor(p)
	if !ok {
		return nil, nil
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
	}
	// The key changes with the content: a provider that replays a key's first answer must not
	// answer a changed retry, or the same evidence staged again later, with an old result. The
	// staged values name the files (evidence items are never changed), so they stand for them.
	ctx = stripe.WithIdempotencyKey(ctx, "disputed-"+job.ID+"-"+contentKey(args, d.Evidence))
	if args.Concede {
		err, what = r.Concede(ctx, d.ProviderDisputeID), "concession sent to "+p.Name
	} else {
		err = r.SendEvidence(ctx, d.ProviderDisputeID, evidence, args.Submit)
	}
	if err != nil {
		if stripe.IsPermanent(err) || paypal.IsPermanent(err) {
			return nil, jobs.Permanent(err)
		}
		return nil, err
	}
	return func(ctx context.Context, tx store.Tx) error {
		return a.timeline(ctx, tx, a.clock(), entry{disputeID: d.ID, orderID: d.OrderID, actor: actor.System.String(),
			action: "pushed_to_provider", note: what})
	}, nil
}

// ProviderRespondFailed writes a failed push on the dispute's timeline, so that an admin sees
// that the provider has not got the answer yet.
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
	note := fmt.Sprintf("attempt %d failed: %v", job.Attempts, cause)
	if dead {
		note = fmt.Sprintf("gave up after %d attempts (retry the job %s): %v", job.Attempts, job.ID, cause)
	}
	return a.timeline(ctx, tx, a.clock(), entry{disputeID: d.ID, orderID: d.OrderID, actor: actor.System.String(),
		action: "provider_push_failed", note: note})
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
