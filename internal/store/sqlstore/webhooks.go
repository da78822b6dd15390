package sqlstore

import (
	"context"
	"time"

	"disputed/internal/store"
	"disputed/internal/store/query"
)

func (t *tx) InsertWebhookEndpoint(ctx context.Context, e store.WebhookEndpoint) error {
	t.memo.forget()
	var j jsonColumns
	events := j.stringSlice(e.Events)
	if j.err != nil {
		return t.fail(j.err, "insert webhook endpoint %s", e.ID)
	}
	err := inserted(t.q.InsertWebhookEndpoint(ctx, query.InsertWebhookEndpointParams{
		ID: e.ID, URL: e.URL, Description: e.Description, Events: events, Secret: t.seal(e.Secret, "webhook_endpoints", e.ID, "secret"),
		PreviousSecret: t.seal(e.PreviousSecret, "webhook_endpoints", e.ID, "previous_secret"),
		PreviousUntil:  nullMillis(e.PreviousUntil), Enabled: e.Enabled, DisabledReason: e.DisabledReason,
		FailureStreak: int64(e.FailureStreak), DisableAfter: int64(e.DisableAfter), AppID: e.AppID,
		CreatedAt: millis(e.CreatedAt), UpdatedAt: millis(e.UpdatedAt),
	}))
	if err != nil {
		return t.fail(err, "insert webhook endpoint %s", e.ID)
	}
	return nil
}

// UpdateWebhookEndpoint returns store.ErrNotFound when there is no such endpoint.
func (t *tx) UpdateWebhookEndpoint(ctx context.Context, e store.WebhookEndpoint) error {
	t.memo.forget()
	var j jsonColumns
	events := j.stringSlice(e.Events)
	if j.err != nil {
		return t.fail(j.err, "update webhook endpoint %s", e.ID)
	}
	n, err := t.q.UpdateWebhookEndpoint(ctx, query.UpdateWebhookEndpointParams{
		ID: e.ID, URL: e.URL, Description: e.Description, Events: events, Secret: t.seal(e.Secret, "webhook_endpoints", e.ID, "secret"),
		PreviousSecret: t.seal(e.PreviousSecret, "webhook_endpoints", e.ID, "previous_secret"),
		PreviousUntil:  nullMillis(e.PreviousUntil), Enabled: e.Enabled, DisabledReason: e.DisabledReason,
		FailureStreak: int64(e.FailureStreak), DisableAfter: int64(e.DisableAfter), UpdatedAt: millis(e.UpdatedAt),
	})
	if err == nil && n == 0 {
		err = store.ErrNotFound
	}
	if err != nil {
		return t.fail(err, "update webhook endpoint %s", e.ID)
	}
	return nil
}

// DeleteWebhookEndpoint returns store.ErrNotFound when there is no such endpoint.
func (t *tx) DeleteWebhookEndpoint(ctx context.Context, id string) error {
	t.memo.forget()
	n, err := t.q.DeleteWebhookEndpoint(ctx, id)
	if err == nil && n == 0 {
		err = store.ErrNotFound
	}
	if err != nil {
		return t.fail(err, "delete webhook endpoint %s", id)
	}
	return nil
}

func (c *conn) GetWebhookEndpoint(ctx context.Context, id string) (store.WebhookEndpoint, error) {
	r, err := c.q.GetWebhookEndpoint(ctx, id)
	if err != nil {
		return store.WebhookEndpoint{}, c.fail(err, "get webhook endpoint %s", id)
	}
	e, err := c.endpointFromRow(r)
	if err != nil {
		return store.WebhookEndpoint{}, c.fail(err, "get webhook endpoint %s", id)
	}
	return e, nil
}

func (c *conn) ListWebhookEndpoints(ctx context.Context) ([]store.WebhookEndpoint, error) {
	rows, err := c.q.ListWebhookEndpoints(ctx)
	if err != nil {
		return nil, c.fail(err, "list webhook endpoints")
	}
	out := make([]store.WebhookEndpoint, len(rows))
	for i, r := range rows {
		if out[i], err = c.endpointFromRow(r); err != nil {
			return nil, c.fail(err, "list webhook endpoints")
		}
	}
	return out, nil
}

func (c *conn) endpointFromRow(r query.WebhookEndpoint) (store.WebhookEndpoint, error) {
	var j jsonColumns
	var events []string
	j.decode(r.Events, &events)
	secret := c.open(r.Secret, "webhook_endpoints", r.ID, "secret", &j.err)
	previous := c.open(r.PreviousSecret, "webhook_endpoints", r.ID, "previous_secret", &j.err)
	return store.WebhookEndpoint{
		ID: r.ID, URL: r.URL, Description: r.Description, Events: events, Secret: secret, PreviousSecret: previous,
		PreviousUntil: fromNullMillis(r.PreviousUntil), Enabled: r.Enabled, DisabledReason: r.DisabledReason,
		FailureStreak: int(r.FailureStreak), DisableAfter: int(r.DisableAfter), AppID: r.AppID,
		CreatedAt: fromMillis(r.CreatedAt), UpdatedAt: fromMillis(r.UpdatedAt),
	}, j.err
}

func (t *tx) InsertWebhookDelivery(ctx context.Context, d store.WebhookDelivery) error {
	err := inserted(t.q.InsertWebhookDelivery(ctx, query.InsertWebhookDeliveryParams{
		ID: d.ID, EndpointID: d.EndpointID, EventID: d.EventID, EventType: d.EventType, State: d.State,
		Attempts: int64(d.Attempts), LastStatus: int64(d.LastStatus), LastError: d.LastError, CreatedAt: millis(d.CreatedAt),
		UpdatedAt: millis(d.UpdatedAt), DeliveredAt: nullMillis(d.DeliveredAt),
	}))
	if err != nil {
		return t.fail(err, "insert webhook delivery %s", d.ID)
	}
	return nil
}

// UpdateWebhookDelivery returns store.ErrNotFound when there is no such delivery.
func (t *tx) UpdateWebhookDelivery(ctx context.Context, d store.WebhookDelivery) error {
	n, err := t.q.UpdateWebhookDelivery(ctx, query.UpdateWebhookDeliveryParams{
		ID: d.ID, State: d.State, Attempts: int64(d.Attempts), LastStatus: int64(d.LastStatus), LastError: d.LastError,
		UpdatedAt: millis(d.UpdatedAt), DeliveredAt: nullMillis(d.DeliveredAt),
	})
	if err == nil && n == 0 {
		err = store.ErrNotFound
	}
	if err != nil {
		return t.fail(err, "update webhook delivery %s", d.ID)
	}
	return nil
}

func (c *conn) GetWebhookDelivery(ctx context.Context, id string) (store.WebhookDelivery, error) {
	r, err := c.q.GetWebhookDelivery(ctx, id)
	if err != nil {
		return store.WebhookDelivery{}, c.fail(err, "get webhook delivery %s", id)
	}
	return deliveryFromRow(r), nil
}

// ListWebhookDeliveries reads an endpoint's deliveries newest first, through the index of its
// deliveries in the state asked for (migration 00052), else of all its deliveries.
func (c *conn) ListWebhookDeliveries(ctx context.Context, f store.DeliveryFilter) ([]store.WebhookDelivery, error) {
	var w conditions
	w.index("endpoint_id = " + w.arg(f.EndpointID))
	if f.State != "" {
		w.index("state = " + w.arg(f.State))
	}
	q, args := w.newestFirst("SELECT * FROM webhook_deliveries", "created_at", "id", f.Page)
	return list(ctx, c, "list webhook deliveries", q, args, scanDelivery)
}

// scanDelivery reads a row of SELECT * FROM webhook_deliveries, by name.
var scanDelivery = scanBy(newByName[query.WebhookDelivery](), func(r query.WebhookDelivery) (store.WebhookDelivery, error) {
	return deliveryFromRow(r), nil
})

func deliveryFromRow(r query.WebhookDelivery) store.WebhookDelivery {
	return store.WebhookDelivery{
		ID: r.ID, EndpointID: r.EndpointID, EventID: r.EventID, EventType: r.EventType, State: r.State,
		Attempts: int(r.Attempts), LastStatus: int(r.LastStatus), LastError: r.LastError, CreatedAt: fromMillis(r.CreatedAt),
		UpdatedAt: fromMillis(r.UpdatedAt), DeliveredAt: fromNullMillis(r.DeliveredAt),
	}
}

func (t *tx) InsertWebhookAttempt(ctx context.Context, a store.WebhookAttempt) error {
	err := inserted(t.q.InsertWebhookAttempt(ctx, query.InsertWebhookAttemptParams{
		ID: a.ID, DeliveryID: a.DeliveryID, Status: int64(a.Status), LatencyMs: a.Latency.Milliseconds(),
		Response: a.Response, Error: a.Error, CreatedAt: millis(a.CreatedAt),
	}))
	if err != nil {
		return t.fail(err, "insert webhook attempt %s", a.ID)
	}
	return nil
}

func (c *conn) ListWebhookAttempts(ctx context.Context, deliveryID string) ([]store.WebhookAttempt, error) {
	rows, err := c.q.ListWebhookAttempts(ctx, deliveryID)
	if err != nil {
		return nil, c.fail(err, "list webhook attempts of %s", deliveryID)
	}
	out := make([]store.WebhookAttempt, len(rows))
	for i, r := range rows {
		out[i] = store.WebhookAttempt{ID: r.ID, DeliveryID: r.DeliveryID, Status: int(r.Status),
			Latency: time.Duration(r.LatencyMs) * time.Millisecond, Response: r.Response, Error: r.Error,
			CreatedAt: fromMillis(r.CreatedAt)}
	}
	return out, nil
}

func (t *tx) CountWebhookOutcome(ctx context.Context, id string, ok bool, reason string, now time.Time) (bool, error) {
	t.memo.forget()
	enabled, err := t.q.CountWebhookOutcome(ctx, query.CountWebhookOutcomeParams{ID: id, Ok: ok, Reason: reason, UpdatedAt: millis(now)})
	if err != nil {
		return false, t.fail(err, "count webhook outcome of %s", id)
	}
	return enabled, nil
}
