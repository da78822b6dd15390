package webhook

import (
	"context"
	"errors"
	"fmt"
	"time"

	"disputed/internal/jobs"
	"disputed/internal/store"
)

// jobTimeout bounds one delivery job: Deliver's own 30 s and the time to read what it needs.
const jobTimeout = 40 * time.Second

// JobKind is the delivery job, for the job runner: each attempt is sent outside any transaction,
// and a failed one is tried again on Schedule, up to MaxAttempts.
func (s *Service) JobKind() jobs.Kind {
	return jobs.Kind{Name: KindDeliver, Call: s.deliver, Failed: s.deliveryFailed, Retry: Schedule, MaxAttempts: MaxAttempts,
		Timeout: jobTimeout}
}

// attemptError is a failed delivery attempt, carrying what the receiver answered to the job's
// Failed hook.
type attemptError struct {
	attempt Attempt
	err     error
}

func (e *attemptError) Error() string { return e.err.Error() }
func (e *attemptError) Unwrap() error { return e.err }

// deliver is the webhook.deliver job: it signs the event as the API shows it and posts it to the
// endpoint, outside any transaction, then records the attempt.
func (s *Service) deliver(ctx context.Context, job store.Job) (jobs.Record, error) {
	d, err := s.store.GetWebhookDelivery(ctx, job.Subject)
	if errors.Is(err, store.ErrNotFound) || (err == nil && d.State != store.DeliveryPending) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	ep, err := s.store.GetWebhookEndpoint(ctx, d.EndpointID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return s.endDelivery(d, "the endpoint was deleted"), nil
	case err != nil:
		return nil, err
	case !ep.Enabled:
		return s.endDelivery(d, "the endpoint is disabled: "+ep.DisabledReason), nil
	}
	ev, err := s.store.GetEvent(ctx, d.EventID)
	if err != nil {
		return nil, err
	}
	body, err := s.present.Envelope(ev)
	if err != nil {
		return nil, err
	}
	now := s.clock()
	secrets := []string{ep.Secret}
	if ep.PreviousSecret != "" && now.Before(ep.PreviousUntil) {
		secrets = append(secrets, ep.PreviousSecret)
	}
	att, err := Deliver(ctx, s.client, ep.URL, d.ID, body, now, secrets...)
	if err != nil {
		err = &attemptError{attempt: att, err: err}
		if Permanent(err) {
			return nil, jobs.Permanent(err)
		}
		return nil, err
	}
	return func(ctx context.Context, tx store.Tx) error {
		now := s.clock()
		if _, err := tx.CountWebhookOutcome(ctx, ep.ID, true, "", now); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		d.State, d.Attempts, d.LastStatus, d.LastError, d.UpdatedAt, d.DeliveredAt = store.DeliveryDelivered, d.Attempts+1, att.Status, "", now, now
		return s.recordAttempt(ctx, tx, d, att)
	}, nil
}

// endDelivery records a delivery that has nowhere to go.
func (s *Service) endDelivery(d store.WebhookDelivery, why string) jobs.Record {
	return func(ctx context.Context, tx store.Tx) error {
		d.State, d.LastError, d.UpdatedAt = store.DeliveryFailed, why, s.clock()
		return tx.UpdateWebhookDelivery(ctx, d)
	}
}

func (s *Service) recordAttempt(ctx context.Context, tx store.Tx, d store.WebhookDelivery, att Attempt) error {
	if err := tx.UpdateWebhookDelivery(ctx, d); err != nil {
		return err
	}
	return tx.InsertWebhookAttempt(ctx, store.WebhookAttempt{ID: s.ids.New("wa"), DeliveryID: d.ID, Status: att.Status,
		Latency: att.Latency, Response: att.Response, Error: att.Err, CreatedAt: att.At})
}

// deliveryFailed records a failed attempt: on the delivery, in its attempts, and in the
// endpoint's run of failures, which disables the endpoint when it gets too long.
func (s *Service) deliveryFailed(ctx context.Context, tx store.Tx, job store.Job, cause error, dead bool) error {
	d, err := tx.GetWebhookDelivery(ctx, job.Subject)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	now := s.clock()
	att := Attempt{Err: cause.Error(), At: now}
	var ae *attemptError
	if errors.As(cause, &ae) {
		att = ae.attempt
	}
	d.Attempts, d.LastStatus, d.LastError, d.UpdatedAt = d.Attempts+1, att.Status, att.Err, now
	if dead {
		d.State = store.DeliveryFailed
	}
	ep, err := tx.GetWebhookEndpoint(ctx, d.EndpointID)
	if err == nil {
		reason := fmt.Sprintf("%d failed attempts in a row; the last: %s", ep.FailureStreak+1, att.Err)
		if _, err := tx.CountWebhookOutcome(ctx, ep.ID, false, reason, now); err != nil {
			return err
		}
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	return s.recordAttempt(ctx, tx, d, att)
}
