package store

import (
	"context"
	"time"
)

// WebhookStore is what webhook administration and delivery take: endpoints, deliveries and
// attempts, the events a delivery carries, and write transactions (whose Tx holds WebhookWriter).
type WebhookStore interface {
	WebhookReader
	EventReader
	Transactor
}

// WebhookReader reads outgoing webhook endpoints, deliveries and attempts.
type WebhookReader interface {
	GetWebhookEndpoint(ctx context.Context, id string) (WebhookEndpoint, error)
	// ListWebhookEndpoints returns every endpoint, newest first (there are few).
	ListWebhookEndpoints(ctx context.Context) ([]WebhookEndpoint, error)
	GetWebhookDelivery(ctx context.Context, id string) (WebhookDelivery, error)
	// ListWebhookDeliveries returns an endpoint's deliveries, newest first, keyset-paginated.
	ListWebhookDeliveries(ctx context.Context, f DeliveryFilter) ([]WebhookDelivery, error)
	// ListWebhookAttempts returns a delivery's attempts, oldest first.
	ListWebhookAttempts(ctx context.Context, deliveryID string) ([]WebhookAttempt, error)
}

// WebhookWriter writes outgoing webhook endpoints, deliveries and attempts, inside a Tx.
type WebhookWriter interface {
	InsertWebhookEndpoint(ctx context.Context, e WebhookEndpoint) error
	UpdateWebhookEndpoint(ctx context.Context, e WebhookEndpoint) error
	DeleteWebhookEndpoint(ctx context.Context, id string) error
	// CountWebhookOutcome records how an attempt to the endpoint ended, in one statement: a
	// success ends the run of failures; a failure lengthens it and, when the run reaches the
	// endpoint's DisableAfter, disables it with reason. It reports whether the endpoint is still
	// enabled; ErrNotFound when there is no such endpoint.
	CountWebhookOutcome(ctx context.Context, id string, ok bool, reason string, now time.Time) (bool, error)
	InsertWebhookDelivery(ctx context.Context, d WebhookDelivery) error
	UpdateWebhookDelivery(ctx context.Context, d WebhookDelivery) error
	InsertWebhookAttempt(ctx context.Context, a WebhookAttempt) error
}

// WebhookEndpoint is where outgoing webhooks go.
type WebhookEndpoint struct {
	ID             string
	URL            string
	Description    string
	Events         []string // event types, or "*"
	Secret         string
	PreviousSecret string    // still signs until PreviousUntil, after a rotation
	PreviousUntil  time.Time //
	Enabled        bool
	DisabledReason string
	FailureStreak  int    // deliveries that failed for good in a row
	DisableAfter   int    // the endpoint is disabled when FailureStreak reaches it
	AppID          string // the app that subscribed with it; "" for the merchant's own
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// Webhook delivery states.
const (
	DeliveryPending   = "pending"
	DeliveryDelivered = "delivered"
	DeliveryFailed    = "failed"
)

// WebhookDelivery is one event on its way to one endpoint: the outbox row.
type WebhookDelivery struct {
	ID          string // also the webhook-id header: the same on every attempt
	EndpointID  string
	EventID     string
	EventType   string
	State       string
	Attempts    int
	LastStatus  int
	LastError   string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	DeliveredAt time.Time
}

// WebhookAttempt is one try at a delivery.
type WebhookAttempt struct {
	ID         string
	DeliveryID string
	Status     int // the receiver's status; 0 when there was no answer
	Latency    time.Duration
	Response   string // the start of the receiver's answer
	Error      string
	CreatedAt  time.Time
}

// DeliveryFilter selects an endpoint's deliveries (newest first).
type DeliveryFilter struct {
	Page
	EndpointID string
	State      string
}
