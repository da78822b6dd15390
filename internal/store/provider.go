package store

import (
	"context"
	"time"
)

// ProviderReader reads payment providers, the events they sent and their history imports.
type ProviderReader interface {
	ProviderImportReader
	GetProvider(ctx context.Context, name string) (Provider, error)
	// ListProviders returns the configured providers by name.
	ListProviders(ctx context.Context) ([]Provider, error)
	GetProviderEvent(ctx context.Context, provider, eventID string) (ProviderEvent, error)
	// LastProviderEventAt is when the newest applied provider event about the dispute happened;
	// zero when there is none.
	LastProviderEventAt(ctx context.Context, disputeID string) (time.Time, error)
}

// ProviderWriter writes payment providers, the events they sent and their history imports,
// inside a Tx.
type ProviderWriter interface {
	ProviderImportWriter
	// SaveProvider writes a provider's configuration, replacing the one of the same name.
	SaveProvider(ctx context.Context, p Provider) error
	// InsertProvider returns ErrConflict when the name is taken.
	InsertProvider(ctx context.Context, p Provider) error
	DeleteProvider(ctx context.Context, name string) error
	// InsertProviderEvent returns ErrConflict when the provider's event id was seen before.
	InsertProviderEvent(ctx context.Context, e ProviderEvent) error
	// SettleProviderEvent writes what became of an event inserted before: its dispute, whether
	// it was applied, its outcome.
	SettleProviderEvent(ctx context.Context, e ProviderEvent) error
}

// Provider is a configured payment provider (see internal/provider).
type Provider struct {
	Name          string
	Type          string
	WebhookSecret string
	APIKey        string
	APIBase       string
	WebhookID     string
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// ProviderEvent is one verified notification from a provider, kept with its raw payload.
type ProviderEvent struct {
	Provider   string
	EventID    string
	Type       string
	DisputeID  string
	HappenedAt time.Time // when the provider created it; zero when it does not say
	ReceivedAt time.Time
	Applied    bool   // false when it said nothing new, or arrived after a newer one
	Outcome    string // what it did, for people
	Payload    []byte
}
