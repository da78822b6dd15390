package webhook

import (
	"context"
	"net/http"
	"time"

	"disputed/internal/id"
	"disputed/internal/store"
)

// Store is what the Service needs of the database: endpoints, deliveries and their attempts,
// the events they carry, and write transactions.
type Store interface {
	GetWebhookEndpoint(ctx context.Context, id string) (store.WebhookEndpoint, error)
	ListWebhookEndpoints(ctx context.Context) ([]store.WebhookEndpoint, error)
	GetWebhookDelivery(ctx context.Context, id string) (store.WebhookDelivery, error)
	ListWebhookDeliveries(ctx context.Context, f store.DeliveryFilter) ([]store.WebhookDelivery, error)
	ListWebhookAttempts(ctx context.Context, deliveryID string) ([]store.WebhookAttempt, error)
	GetEvent(ctx context.Context, id string) (store.Event, error)
	Tx(ctx context.Context, fn func(store.Tx) error) error
}

// Presenter renders a stored event as GET /v1/events/{id} shows it: the body of a delivery.
type Presenter interface {
	Envelope(e store.Event) ([]byte, error)
}

// Options configure a Service. Zero values pick the defaults.
type Options struct {
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// IDs makes the identifiers; nil means a generator of its own on Now.
	IDs *id.Generator
	// Presenter renders the events delivered; required by the delivery job.
	Presenter Presenter
	// Client sends the deliveries: the outbound client (outbound.NewClient), which refuses
	// private addresses; nil means http.DefaultClient.
	Client *http.Client
	// OffsetWithin refuses a page of the deliveries that starts too deep for a list read by
	// offset (app.App.OffsetWithin, the one rule of such lists); nil refuses none.
	OffsetWithin func(store.Page) error
}

// Service runs the webhook use cases: the administration of endpoints and deliveries, and the
// delivery job.
type Service struct {
	store   Store
	now     func() time.Time
	ids     *id.Generator
	present Presenter
	client  *http.Client
	// offsetWithin is Options.OffsetWithin.
	offsetWithin func(store.Page) error
}

// New returns a Service on s.
func New(s Store, o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.IDs == nil {
		o.IDs = id.NewGenerator(o.Now)
	}
	if o.Client == nil {
		o.Client = http.DefaultClient
	}
	if o.OffsetWithin == nil {
		o.OffsetWithin = func(store.Page) error { return nil }
	}
	return &Service{store: s, now: o.Now, ids: o.IDs, present: o.Presenter, client: o.Client, offsetWithin: o.OffsetWithin}
}

// clock returns the current time at the precision the store keeps, so that what a use case
// returns equals what a later read returns.
func (s *Service) clock() time.Time { return store.AtPrecision(s.now()) }

// write runs fn in one transaction. When retry is set, a lost race against another writer
// (store.ErrConflict) is retried on fresh data a few times, so that the client never sees it.
func (s *Service) write(ctx context.Context, retry bool, fn func(tx store.Tx, now time.Time) error) error {
	return store.Retry(ctx, s.store, retry, s.now, fn)
}
