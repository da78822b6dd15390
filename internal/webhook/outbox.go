package webhook

import (
	"context"
	"fmt"
	"time"

	"disputed/internal/id"
	"disputed/internal/store"
)

// KindDeliver is the job that delivers one event to one endpoint.
const KindDeliver = "webhook.deliver"

// OutboxTx is what the outbox needs of the transaction that wrote an event.
type OutboxTx interface {
	ListWebhookEndpoints(ctx context.Context) ([]store.WebhookEndpoint, error)
	InsertWebhookDelivery(ctx context.Context, d store.WebhookDelivery) error
	ScheduleJob(ctx context.Context, j store.Job) (store.Job, error)
}

// Enqueue writes a delivery of ev for every enabled endpoint that subscribed to it, with the job
// that sends it, in tx, the transaction that wrote the event: the outbox. A rolled-back change
// sends nothing; a committed one is delivered even when the server stops right after.
func Enqueue(ctx context.Context, tx OutboxTx, ids *id.Generator, now time.Time, ev store.Event) error {
	eps, err := tx.ListWebhookEndpoints(ctx)
	if err != nil {
		return err
	}
	for _, ep := range eps {
		if !ep.Enabled || !Matches(ep.Events, ev.Type) {
			continue
		}
		d := store.WebhookDelivery{ID: ids.New("msg"), EndpointID: ep.ID, EventID: ev.ID, EventType: ev.Type,
			State: store.DeliveryPending, CreatedAt: now, UpdatedAt: now}
		if err := tx.InsertWebhookDelivery(ctx, d); err != nil {
			return err
		}
		if err := scheduleDelivery(ctx, tx, ids, now, d.ID); err != nil {
			return err
		}
	}
	return nil
}

// scheduleDelivery schedules the job that sends the delivery now, replacing the one it may
// already have (the job's key is the delivery's).
func scheduleDelivery(ctx context.Context, tx OutboxTx, ids *id.Generator, now time.Time, deliveryID string) error {
	j := store.Job{ID: ids.New("job"), Kind: KindDeliver, Key: "delivery:" + deliveryID, Subject: deliveryID, RunAt: now,
		MaxAttempts: MaxAttempts, CreatedAt: now, UpdatedAt: now}
	if _, err := tx.ScheduleJob(ctx, j); err != nil {
		return fmt.Errorf("schedule %s: %w", j.Kind, err)
	}
	return nil
}
