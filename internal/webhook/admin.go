package webhook

import (
	"cmp"
	"context"
	"slices"
	"time"

	"disputed/internal/actor"
	"disputed/internal/fault"
	"disputed/internal/store"
)

// rotationGrace is how long the previous secret still signs after a rotation.
const rotationGrace = 24 * time.Hour

// CreateEndpoint registers a webhook endpoint; the secret it returns is shown this once.
func (s *Service) CreateEndpoint(ctx context.Context, who actor.Actor, p EndpointParams) (store.WebhookEndpoint, error) {
	if err := actor.RequireAdmin(who, "manage webhook endpoints"); err != nil {
		return store.WebhookEndpoint{}, err
	}
	if p.URL == nil {
		return store.WebhookEndpoint{}, fault.Required("url")
	}
	if p.Events == nil {
		return store.WebhookEndpoint{}, fault.Required("events")
	}
	secret, err := NewSecret()
	if err != nil {
		return store.WebhookEndpoint{}, err
	}
	e := store.WebhookEndpoint{ID: s.ids.New("we"), Secret: secret, Enabled: true, DisableAfter: DefaultDisableAfter}
	if who.Kind == "app" {
		e.AppID = who.ID
	}
	if err := p.Apply(&e); err != nil {
		return store.WebhookEndpoint{}, err
	}
	if err := forApp(who, &e); err != nil {
		return store.WebhookEndpoint{}, err
	}
	err = s.write(ctx, false, func(tx store.Tx, now time.Time) error {
		e.CreatedAt, e.UpdatedAt = now, now
		return tx.InsertWebhookEndpoint(ctx, e)
	})
	return e, err
}

// UpdateEndpoint changes an endpoint: its URL, events, description, failure limit, or
// enables it again after it was disabled.
func (s *Service) UpdateEndpoint(ctx context.Context, who actor.Actor, id string, p EndpointParams) (store.WebhookEndpoint, error) {
	return s.changeEndpoint(ctx, who, id, func(e *store.WebhookEndpoint, _ time.Time) error {
		if err := p.Apply(e); err != nil {
			return err
		}
		return forApp(who, e)
	})
}

// RotateEndpointSecret gives the endpoint a new secret, shown this once; the previous one keeps
// signing for a day so that the receiver can switch without missing a delivery.
func (s *Service) RotateEndpointSecret(ctx context.Context, who actor.Actor, id string) (store.WebhookEndpoint, error) {
	secret, err := NewSecret()
	if err != nil {
		return store.WebhookEndpoint{}, err
	}
	return s.changeEndpoint(ctx, who, id, func(e *store.WebhookEndpoint, now time.Time) error {
		e.PreviousSecret, e.PreviousUntil, e.Secret = e.Secret, now.Add(rotationGrace), secret
		return nil
	})
}

func (s *Service) changeEndpoint(ctx context.Context, who actor.Actor, id string, fn func(*store.WebhookEndpoint, time.Time) error) (store.WebhookEndpoint, error) {
	if err := actor.RequireAdmin(who, "manage webhook endpoints"); err != nil {
		return store.WebhookEndpoint{}, err
	}
	var e store.WebhookEndpoint
	err := s.write(ctx, true, func(tx store.Tx, now time.Time) error {
		var err error
		if e, err = tx.GetWebhookEndpoint(ctx, id); err != nil || !visible(who, e) {
			return store.NotFound(cmp.Or(err, store.ErrNotFound), "webhook_endpoint", id)
		}
		if err := fn(&e, now); err != nil {
			return err
		}
		e.UpdatedAt = now
		return tx.UpdateWebhookEndpoint(ctx, e)
	})
	return e, err
}

// Endpoints lists the webhook endpoints, newest first: an app's own, or every one.
func (s *Service) Endpoints(ctx context.Context, who actor.Actor) ([]store.WebhookEndpoint, error) {
	if err := actor.RequireAdmin(who, "read webhook endpoints"); err != nil {
		return nil, err
	}
	es, err := s.store.ListWebhookEndpoints(ctx)
	return slices.DeleteFunc(es, func(e store.WebhookEndpoint) bool { return !visible(who, e) }), err
}

// Endpoint returns one webhook endpoint.
func (s *Service) Endpoint(ctx context.Context, who actor.Actor, id string) (store.WebhookEndpoint, error) {
	if err := actor.RequireAdmin(who, "read webhook endpoints"); err != nil {
		return store.WebhookEndpoint{}, err
	}
	e, err := s.store.GetWebhookEndpoint(ctx, id)
	if err == nil && !visible(who, e) {
		err = store.ErrNotFound
	}
	return e, store.NotFound(err, "webhook_endpoint", id)
}

// DeleteEndpoint removes an endpoint; its pending deliveries end as failed when their job runs.
func (s *Service) DeleteEndpoint(ctx context.Context, who actor.Actor, id string) error {
	if err := actor.RequireAdmin(who, "manage webhook endpoints"); err != nil {
		return err
	}
	if _, err := s.Endpoint(ctx, who, id); err != nil {
		return err
	}
	return s.write(ctx, false, func(tx store.Tx, now time.Time) error {
		return store.NotFound(tx.DeleteWebhookEndpoint(ctx, id), "webhook_endpoint", id)
	})
}

// Deliveries lists an endpoint's deliveries, newest first, and reports whether more follow. A
// page that starts too deep for a list read by offset is refused (Options.OffsetWithin).
func (s *Service) Deliveries(ctx context.Context, who actor.Actor, f store.DeliveryFilter) ([]store.WebhookDelivery, bool, error) {
	if _, err := s.Endpoint(ctx, who, f.EndpointID); err != nil {
		return nil, false, err
	}
	if err := s.offsetWithin(f.Page); err != nil {
		return nil, false, err
	}
	ds, err := s.store.ListWebhookDeliveries(ctx, f)
	if err != nil {
		return nil, false, err
	}
	if f.Limit > 0 && len(ds) > f.Limit {
		return ds[:f.Limit], true, nil
	}
	return ds, false, nil
}

// DeliveryView is a delivery with its attempts.
type DeliveryView struct {
	Delivery store.WebhookDelivery
	Attempts []store.WebhookAttempt
}

// Delivery returns one delivery with every attempt.
func (s *Service) Delivery(ctx context.Context, who actor.Actor, id string) (DeliveryView, error) {
	if err := actor.RequireAdmin(who, "read webhook deliveries"); err != nil {
		return DeliveryView{}, err
	}
	v, err := deliveryView(ctx, s.store, id)
	if err == nil {
		err = s.deliveryVisible(ctx, who, v.Delivery)
	}
	return v, err
}

// deliveryVisible refuses an app a delivery to an endpoint not its own, as if there were none.
func (s *Service) deliveryVisible(ctx context.Context, who actor.Actor, d store.WebhookDelivery) error {
	if who.Kind != "app" {
		return nil
	}
	e, err := s.store.GetWebhookEndpoint(ctx, d.EndpointID)
	if err != nil || !visible(who, e) {
		return store.NotFound(cmp.Or(err, store.ErrNotFound), "webhook_delivery", d.ID)
	}
	return nil
}

// deliveryReader reads a delivery and its attempts, inside a transaction or not.
type deliveryReader interface {
	GetWebhookDelivery(ctx context.Context, id string) (store.WebhookDelivery, error)
	ListWebhookAttempts(ctx context.Context, deliveryID string) ([]store.WebhookAttempt, error)
}

func deliveryView(ctx context.Context, r deliveryReader, id string) (DeliveryView, error) {
	d, err := r.GetWebhookDelivery(ctx, id)
	if err != nil {
		return DeliveryView{}, store.NotFound(err, "webhook_delivery", id)
	}
	at, err := r.ListWebhookAttempts(ctx, id)
	return DeliveryView{Delivery: d, Attempts: at}, err
}

// Redeliver sends a delivery again now, whatever became of it; its attempts go on counting.
func (s *Service) Redeliver(ctx context.Context, who actor.Actor, id string) (DeliveryView, error) {
	if err := actor.RequireAdmin(who, "redeliver webhooks"); err != nil {
		return DeliveryView{}, err
	}
	if _, err := s.Delivery(ctx, who, id); err != nil {
		return DeliveryView{}, err
	}
	var v DeliveryView
	err := s.write(ctx, false, func(tx store.Tx, now time.Time) error {
		d, err := tx.GetWebhookDelivery(ctx, id)
		if err != nil {
			return store.NotFound(err, "webhook_delivery", id)
		}
		d.State, d.UpdatedAt = store.DeliveryPending, now
		if err := tx.UpdateWebhookDelivery(ctx, d); err != nil {
			return err
		}
		if err := scheduleDelivery(ctx, tx, s.ids, now, d.ID); err != nil {
			return err
		}
		v, err = deliveryView(ctx, tx, id)
		return err
	})
	return v, err
}
