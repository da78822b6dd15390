package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"disputed/internal/actor"
	"disputed/internal/fault"
	"disputed/internal/jobs"
	"disputed/internal/store"
	"disputed/internal/webhook"
)

// KindDeliverWebhook is the job that delivers one event to one endpoint.
const KindDeliverWebhook = "webhook.deliver"

// DefaultDisableAfter is how many failed attempts in a row disable an endpoint, unless it says
// otherwise: with the delivery schedule, a receiver down for about a day of steady traffic.
const DefaultDisableAfter = 50

// rotationGrace is how long the previous secret still signs after a rotation.
const rotationGrace = 24 * time.Hour

// EventTypes are the events the server emits (api.md), which endpoints may subscribe to.
var EventTypes = []string{
	"order.voided", "order.disputed", "line.suspended", "line.enabled", "line.terminated", "line.action_required",
	"transaction.created", "refund.created", "dispute.created", "dispute.updated", "dispute.evidence_added",
	"dispute.submitted", "dispute.submission_failed", "dispute.status_changed", "dispute.resolved", "dispute.closed",
	"dispute.due_soon",
	"alert.created", "alert.resolved", "customer.blocked",
}

// EndpointParams create or change a webhook endpoint; nil fields are left alone on a change.
type EndpointParams struct {
	URL          *string
	Events       *[]string
	Description  *string
	DisableAfter *int
	Enabled      *bool
}

// CreateEndpoint registers a webhook endpoint; the secret it returns is shown this once.
func (a *App) CreateEndpoint(ctx context.Context, who actor.Actor, p EndpointParams) (store.WebhookEndpoint, error) {
	if err := adminOnly(who, "manage webhook endpoints"); err != nil {
		return store.WebhookEndpoint{}, err
	}
	if p.URL == nil {
		return store.WebhookEndpoint{}, fault.Required("url")
	}
	if p.Events == nil {
		return store.WebhookEndpoint{}, fault.Required("events")
	}
	secret, err := webhook.NewSecret()
	if err != nil {
		return store.WebhookEndpoint{}, err
	}
	e := store.WebhookEndpoint{ID: a.ids.New("we"), Secret: secret, Enabled: true, DisableAfter: DefaultDisableAfter}
	if err := applyEndpoint(&e, p); err != nil {
		return store.WebhookEndpoint{}, err
	}
	err = a.write(ctx, false, func(tx store.Tx, now time.Time) error {
		e.CreatedAt, e.UpdatedAt = now, now
		return tx.InsertWebhookEndpoint(ctx, e)
	})
	return e, err
}

// applyEndpoint validates and applies a change.
func applyEndpoint(e *store.WebhookEndpoint, p EndpointParams) error {
	if p.URL != nil {
		if err := webhook.ValidateURL(*p.URL); err != nil {
			return err
		}
		e.URL = *p.URL
	}
	if p.Events != nil {
		if err := webhook.ValidateEvents(*p.Events, EventTypes); err != nil {
			return err
		}
		e.Events = *p.Events
	}
	if p.Description != nil {
		if len(*p.Description) > 500 {
			return fault.Invalidf(fault.CodeInvalidValue, "description", "description is longer than 500 characters")
		}
		e.Description = *p.Description
	}
	if p.DisableAfter != nil {
		if *p.DisableAfter < 1 || *p.DisableAfter > 10000 {
			return fault.Invalidf(fault.CodeInvalidValue, "disable_after_failures", "disable_after_failures must be 1 to 10000")
		}
		e.DisableAfter = *p.DisableAfter
	}
	if p.Enabled != nil && *p.Enabled && !e.Enabled {
		e.Enabled, e.DisabledReason, e.FailureStreak = true, "", 0
	}
	if p.Enabled != nil && !*p.Enabled {
		e.Enabled, e.DisabledReason = false, "disabled by an admin"
	}
	return nil
}

// UpdateEndpoint changes an endpoint: its URL, events, description, failure limit, or
// enables it again after it was disabled.
func (a *App) UpdateEndpoint(ctx context.Context, who actor.Actor, id string, p EndpointParams) (store.WebhookEndpoint, error) {
	return a.changeEndpoint(ctx, who, id, func(e *store.WebhookEndpoint, _ time.Time) error { return applyEndpoint(e, p) })
}

// RotateEndpointSecret gives the endpoint a new secret, shown this once; the previous one keeps
// signing for a day so that the receiver can switch without missing a delivery.
func (a *App) RotateEndpointSecret(ctx context.Context, who actor.Actor, id string) (store.WebhookEndpoint, error) {
	secret, err := webhook.NewSecret()
	if err != nil {
		return store.WebhookEndpoint{}, err
	}
	return a.changeEndpoint(ctx, who, id, func(e *store.WebhookEndpoint, now time.Time) error {
		e.PreviousSecret, e.PreviousUntil, e.Secret = e.Secret, now.Add(rotationGrace), secret
		return nil
	})
}

func (a *App) changeEndpoint(ctx context.Context, who actor.Actor, id string, fn func(*store.WebhookEndpoint, time.Time) error) (store.WebhookEndpoint, error) {
	if err := adminOnly(who, "manage webhook endpoints"); err != nil {
		return store.WebhookEndpoint{}, err
	}
	var e store.WebhookEndpoint
	err := a.write(ctx, true, func(tx store.Tx, now time.Time) error {
		var err error
		if e, err = tx.GetWebhookEndpoint(ctx, id); err != nil {
			return notFound(err, "webhook_endpoint", id)
		}
		if err := fn(&e, now); err != nil {
			return err
		}
		e.UpdatedAt = now
		return tx.UpdateWebhookEndpoint(ctx, e)
	})
	return e, err
}

// Endpoints lists the webhook endpoints, newest first.
func (a *App) Endpoints(ctx context.Context, who actor.Actor) ([]store.WebhookEndpoint, error) {
	if err := adminOnly(who, "read webhook endpoints"); err != nil {
		return nil, err
	}
	return a.store.ListWebhookEndpoints(ctx)
}

// Endpoint returns one webhook endpoint.
func (a *App) Endpoint(ctx context.Context, who actor.Actor, id string) (store.WebhookEndpoint, error) {
	if err := adminOnly(who, "read webhook endpoints"); err != nil {
		return store.WebhookEndpoint{}, err
	}
	e, err := a.store.GetWebhookEndpoint(ctx, id)
	return e, notFound(err, "webhook_endpoint", id)
}

// DeleteEndpoint removes an endpoint; its pending deliveries end as failed when their job runs.
func (a *App) DeleteEndpoint(ctx context.Context, who actor.Actor, id string) error {
	if err := adminOnly(who, "manage webhook endpoints"); err != nil {
		return err
	}
	return a.write(ctx, false, func(tx store.Tx, now time.Time) error {
		return notFound(tx.DeleteWebhookEndpoint(ctx, id), "webhook_endpoint", id)
	})
}

// Deliveries lists an endpoint's deliveries, newest first.
func (a *App) Deliveries(ctx context.Context, who actor.Actor, f store.DeliveryFilter) ([]store.WebhookDelivery, bool, error) {
	if _, err := a.Endpoint(ctx, who, f.EndpointID); err != nil {
		return nil, false, err
	}
	ds, err := a.store.ListWebhookDeliveries(ctx, f)
	if err != nil {
		return nil, false, err
	}
	ds, more := store.Trim(ds, f.Limit)
	return ds, more, nil
}

// DeliveryView is a delivery with its attempts.
type DeliveryView struct {
	Delivery store.WebhookDelivery
	Attempts []store.WebhookAttempt
}

// Delivery returns one delivery with every attempt.
func (a *App) Delivery(ctx context.Context, who actor.Actor, id string) (DeliveryView, error) {
	if err := adminOnly(who, "read webhook deliveries"); err != nil {
		return DeliveryView{}, err
	}
	return a.deliveryView(ctx, a.store, id)
}

func (a *App) deliveryView(ctx context.Context, r store.Reader, id string) (DeliveryView, error) {
	d, err := r.GetWebhookDelivery(ctx, id)
	if err != nil {
		return DeliveryView{}, notFound(err, "webhook_delivery", id)
	}
	at, err := r.ListWebhookAttempts(ctx, id)
	return DeliveryView{Delivery: d, Attempts: at}, err
}

// Redeliver sends a delivery again now, whatever became of it; its attempts go on counting.
func (a *App) Redeliver(ctx context.Context, who actor.Actor, id string) (DeliveryView, error) {
	if err := adminOnly(who, "redeliver webhooks"); err != nil {
		return DeliveryView{}, err
	}
	var v DeliveryView
	err := a.write(ctx, false, func(tx store.Tx, now time.Time) error {
		d, err := tx.GetWebhookDelivery(ctx, id)
		if err != nil {
			return notFound(err, "webhook_delivery", id)
		}
		d.State, d.UpdatedAt = store.DeliveryPending, now
		if err := tx.UpdateWebhookDelivery(ctx, d); err != nil {
			return err
		}
		if err := a.scheduleDelivery(ctx, tx, now, d.ID); err != nil {
			return err
		}
		v, err = a.deliveryView(ctx, tx, id)
		return err
	})
	return v, err
}

// fanOut writes a delivery of the event for every enabled endpoint that subscribed to it, in
// the transaction that wrote the event: the outbox.
func (a *App) fanOut(ctx context.Context, tx store.Tx, now time.Time, ev store.Event) error {
	eps, err := tx.ListWebhookEndpoints(ctx)
	if err != nil {
		return err
	}
	for _, ep := range eps {
		if !ep.Enabled || !webhook.Matches(ep.Events, ev.Type) {
			continue
		}
		d := store.WebhookDelivery{ID: a.ids.New("msg"), EndpointID: ep.ID, EventID: ev.ID, EventType: ev.Type,
			State: store.DeliveryPending, CreatedAt: now, UpdatedAt: now}
		if err := tx.InsertWebhookDelivery(ctx, d); err != nil {
			return err
		}
		if err := a.scheduleDelivery(ctx, tx, now, d.ID); err != nil {
			return err
		}
	}
	return nil
}

func (a *App) scheduleDelivery(ctx context.Context, tx store.Tx, now time.Time, deliveryID string) error {
	return a.enqueue(ctx, tx, now, store.Job{Kind: KindDeliverWebhook, Key: "delivery:" + deliveryID, Subject: deliveryID, RunAt: now})
}

// attemptError is a failed delivery attempt, carrying what the receiver answered to the job's
// Failed hook.
type attemptError struct {
	attempt webhook.Attempt
	err     error
}

func (e *attemptError) Error() string { return e.err.Error() }
func (e *attemptError) Unwrap() error { return e.err }

// DeliverWebhook is the webhook.deliver job: it signs the event as the API shows it and posts it
// to the endpoint, outside any transaction, then records the attempt.
func (a *App) DeliverWebhook(ctx context.Context, job store.Job) (jobs.Record, error) {
	d, err := a.store.GetWebhookDelivery(ctx, job.Subject)
	if errors.Is(err, store.ErrNotFound) || (err == nil && d.State != store.DeliveryPending) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	ep, err := a.store.GetWebhookEndpoint(ctx, d.EndpointID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return a.endDelivery(d, "the endpoint was deleted"), nil
	case err != nil:
		return nil, err
	case !ep.Enabled:
		return a.endDelivery(d, "the endpoint is disabled: "+ep.DisabledReason), nil
	}
	ev, err := a.store.GetEvent(ctx, d.EventID)
	if err != nil {
		return nil, err
	}
	body, err := a.present.Envelope(ev)
	if err != nil {
		return nil, err
	}
	now := a.clock()
	secrets := []string{ep.Secret}
	if ep.PreviousSecret != "" && now.Before(ep.PreviousUntil) {
		secrets = append(secrets, ep.PreviousSecret)
	}
	att, err := webhook.Deliver(ctx, a.outbound, ep.URL, d.ID, body, now, secrets...)
	if err != nil {
		err = &attemptError{attempt: att, err: err}
		if webhook.Permanent(err) {
			return nil, jobs.Permanent(err)
		}
		return nil, err
	}
	return func(ctx context.Context, tx store.Tx) error {
		now := a.clock()
		if _, err := tx.CountWebhookOutcome(ctx, ep.ID, true, "", now); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		d.State, d.Attempts, d.LastStatus, d.LastError, d.UpdatedAt, d.DeliveredAt = store.DeliveryDelivered, d.Attempts+1, att.Status, "", now, now
		return a.recordAttempt(ctx, tx, d, att)
	}, nil
}

// endDelivery records a delivery that has nowhere to go.
func (a *App) endDelivery(d store.WebhookDelivery, why string) jobs.Record {
	return func(ctx context.Context, tx store.Tx) error {
		d.State, d.LastError, d.UpdatedAt = store.DeliveryFailed, why, a.clock()
		return tx.UpdateWebhookDelivery(ctx, d)
	}
}

func (a *App) recordAttempt(ctx context.Context, tx store.Tx, d store.WebhookDelivery, att webhook.Attempt) error {
	if err := tx.UpdateWebhookDelivery(ctx, d); err != nil {
		return err
	}
	return tx.InsertWebhookAttempt(ctx, store.WebhookAttempt{ID: a.ids.New("wa"), DeliveryID: d.ID, Status: att.Status,
		Latency: att.Latency, Response: att.Response, Error: att.Err, CreatedAt: att.At})
}

// WebhookFailed records a failed attempt: on the delivery, in its attempts, and in the
// endpoint's run of failures, which disables the endpoint when it gets too long.
func (a *App) WebhookFailed(ctx context.Context, tx store.Tx, job store.Job, cause error, dead bool) error {
	d, err := tx.GetWebhookDelivery(ctx, job.Subject)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	now := a.clock()
	att := webhook.Attempt{Err: cause.Error(), At: now}
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
	return a.recordAttempt(ctx, tx, d, att)
}
